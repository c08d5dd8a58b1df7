"""Where an index's vectors and BM25 are served from: one interface, two stores.

Design choice: a store answers the three questions a search asks of the engine, and
nothing else: `search` (each language's best chunks by dense score, calibrated, with
their sentences' cosines and the language baselines), `rescore` (the sentence
cosines of one more chunk) and `lexical_search` (the best chunks by BM25, and their
scores). `LocalStore` answers them from the index folder (numpy and FAISS PQ for
the vectors, qa's bm25s-format postings); `qa.search.milvus.MilvusEngine` from
Milvus. Reading questions, fusion, time and answers are the index's and the same for
both, so both stores give the same hits. The manifest's `store` record says which
one a build uses; `open_store` opens it, `write_store` fills Milvus before a build
that names it is published, `drop_unkept` drops the collections of removed builds.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import numpy as np

from . import storage
from .search import codes
from .search.dense import DenseScorer
from .search.fusion import ranking


class LocalStore:
    """The embedded store: vectors and BM25 from the index folder."""

    overlaps = True  # its dense and lexical searches may run at once (see `search.overlap`)

    def __init__(self, dense: DenseScorer, lexical):
        self.dense, self.lexical = dense, lexical

    def search(self, query, depth, allowed=None, calibrate=True):
        return self.dense.search(query, depth, allowed, calibrate=calibrate)

    def rescore(self, position: int, query: np.ndarray) -> np.ndarray:
        return self.dense.rescore(position, query)

    def lexical_search(self, weights: dict[str, float], allowed: np.ndarray | None, depth: int):
        """The best `depth` chunks by BM25, best first, and every chunk's score."""
        scores = self.lexical.weighted_scores(weights)
        return ranking(scores, None if allowed is None else np.flatnonzero(allowed), depth), scores


def open_store(manifest: dict, settings, *, chunks, days, chunk_matrix, sentence_matrix, lexical, ann):
    """The store a build's manifest names (a Milvus URI in `settings.store` overrides
    the recorded one: the same collections reached another way)."""
    record = manifest.get("store") or {}
    if record.get("kind") == "milvus":
        from .search import milvus

        uri = settings.store if milvus.is_milvus(settings.store) else record["uri"]
        return milvus.MilvusEngine(milvus.connect(uri), record["collection"], len(chunks), chunks.starts,
                                   chunks.stops, chunks.languages, days)
    layout = manifest.get("vector_index") if isinstance(manifest.get("vector_index"), dict) else {}
    dense = DenseScorer(chunk_matrix, sentence_matrix, chunks.starts, chunks.stops, chunks.languages, ann=ann,
                        probes=codes.probes_of(layout), shortlists=codes.shortlists_of(layout),
                        scan=int(layout.get("scan", 10_000)), means=codes.means_of(layout))
    return LocalStore(dense, lexical)


def write_store(settings, *, dim: int, table, chunk_matrix, sentence_vectors, tokens_from) -> dict | None:
    """Fill the configured Milvus with a build's rows; its manifest record (None for
    the local store, whose files the index writes itself)."""
    if settings.store == "local":
        return None
    from .search import milvus
    from .search.timeframe import day_numbers

    return milvus.write_index(settings.store, dim=dim, languages=table.languages,
                              days=day_numbers(table.date_table + [None])[table.date_codes],
                              chunk_vectors=chunk_matrix, sentence_vectors=sentence_vectors, tokens_from=tokens_from)


def drop_unkept(index_dir, keep: set[Path]) -> None:
    """Drop the Milvus collections that only builds about to be removed name."""
    named: dict[tuple[str, str], bool] = {}
    builds = Path(index_dir) / storage.BUILDS_FOLDER
    kept_folders = {path.resolve() for path in keep}
    for folder in builds.iterdir() if builds.is_dir() else []:
        try:
            record = json.loads((folder / storage.MANIFEST_NAME).read_text(encoding="utf-8")).get("store") or {}
        except (OSError, ValueError):
            continue
        if record.get("kind") == "milvus":
            key = (record["uri"], record["collection"])
            named[key] = named.get(key, False) or folder.resolve() in kept_folders
    if not any(not kept for kept in named.values()):
        return
    from .search import milvus

    for (uri, collection), kept in named.items():
        if not kept:
            with contextlib.suppress(Exception):  # an unreachable Milvus keeps them; nothing else depends on it
                milvus.drop(milvus.connect(uri), collection)
