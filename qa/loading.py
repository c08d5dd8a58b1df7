"""Loading an index: the current build of an index folder, checked before it is used.

Design choice: a build is read only after its manifest and checksums say it is whole
(see `storage`), with the embedder it was built with, and every file is checked
against the others' sizes; any failure is one `IndexCorruptError` or
`EmbedderMismatchError` that names the folder and the rebuild, never a half-loaded
`Index`.
"""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np

from . import storage
from .chunktable import ChunkTable
from .errors import EmbedderMismatchError, IndexCorruptError
from .index import LEXICAL_FOLDER, Index
from .search import codes, vectorfiles
from .search.embedders import Embedder, canonical_embedder_id, make_embedder
from .search.lexical import LexicalIndex
from .settings import Settings


def _indexed(chunks: ChunkTable, ann: dict) -> int:
    """How many chunks the indexes `ann` should hold: those of their languages."""
    return len(chunks) if "*" in ann else int(np.isin(chunks.languages, list(ann)).sum())


def read_chunks(folder: Path) -> ChunkTable:
    return ChunkTable.load(folder)


def load_index(index_dir="index", *, embedder: str | Embedder | None = None, settings=None) -> Index:
    """Load the current build of `index_dir`.

    The index is queried with the embedder it was built with. If an embedder is
    configured (the argument, or QA_EMBEDDER) and it differs, EmbedderMismatchError
    says so and names the rebuild command.
    """
    settings = settings or Settings.from_environment()
    folder = storage.build_folder(index_dir)
    manifest = storage.read_manifest(folder, index_dir)
    storage.verify_checksums(folder, manifest, index_dir)
    built_with = manifest["embedder"]["id"]
    configured = embedder if embedder is not None else settings.embedder
    if isinstance(configured, str):
        configured_id = canonical_embedder_id(configured)
        if configured_id != built_with:
            raise EmbedderMismatchError(str(index_dir), built_with, configured)
    elif configured is not None and configured.id != built_with:
        raise EmbedderMismatchError(str(index_dir), built_with, configured.id)
    if configured is not None and not isinstance(configured, str):
        model = configured
    else:
        model = make_embedder(built_with, query_prefix=manifest["embedder"].get("query_prefix"),
                              passage_prefix=manifest["embedder"].get("passage_prefix"))
    if model.dim != manifest["embedder"]["dim"]:
        raise IndexCorruptError(str(index_dir), f"embedder dim {model.dim} != manifest {manifest['embedder']['dim']}")
    try:
        chunks = read_chunks(folder)
        vectors = vectorfiles.load_array(folder / vectorfiles.CHUNK_VECTORS_NAME)
        sentence_vectors = vectorfiles.load_sentences(folder)
        layout = manifest.get("vector_index") or {}
        ann = codes.load_anns(folder, layout)
        lexical = LexicalIndex.load(folder / LEXICAL_FOLDER)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexCorruptError(str(index_dir), f"cannot read index files: {error}") from None
    sentences = int(chunks.stops.max()) if len(chunks) else 0
    if len(vectors) != len(chunks) or lexical.size != len(chunks) or len(sentence_vectors) != sentences \
            or (ann is not None and codes.ann_rows(ann) != _indexed(chunks, ann)):
        raise IndexCorruptError(
            str(index_dir), f"{len(chunks)} chunks and {sentences} sentences, but {len(vectors)} chunk vectors, "
            f"{len(sentence_vectors)} sentence vectors and {lexical.size} lexical rows"
        )
    index = Index(folder=folder, manifest=manifest, chunks=chunks, vectors=vectors, ann=ann,
                  sentence_vectors=sentence_vectors, lexical=lexical, embedder=model, settings=settings)
    # The index's many small objects (chunks, spans, the lexical vocabulary) live as
    # long as the index: frozen, the cyclic garbage collector stops walking them on
    # every collection (10k chunks: retrieve() p50 49 -> 24 ms on a loaded machine).
    gc.freeze()
    return index
