"""The sentence vectors of a build: reused from the previous build where the text is
the same, and each distinct sentence embedded once.

Design choice: sentences whose text (white space folded) and embedder are unchanged
since the previous build reuse its vectors, so a rebuild embeds only what is new; a
running head or a notice repeated on every page is embedded once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import storage
from .errors import IndexNotFoundError, QAError
from .chunktable import ChunkTable
from .ingest.progress import EMBEDDING, Progress, ProgressCallback
from .search import vectorfiles
from .search.embedders import Embedder, make_embedder
from .settings import Settings

logger = logging.getLogger(__name__)


def make_model(embedder: str | Embedder | None, settings: Settings) -> Embedder:
    if embedder is None or isinstance(embedder, str):
        return make_embedder(embedder or settings.embedder_name, query_prefix=settings.query_prefix,
                             passage_prefix=settings.passage_prefix)
    return embedder


def previous_vectors(index_dir, embedder_id: str) -> tuple[dict[str, np.ndarray], Path | None]:
    """Sentence vectors of the current build, by sentence text, when the same
    embedder made them. Reads only the manifest, the chunks and the sentence vectors."""
    try:
        folder = storage.build_folder(index_dir)
    except IndexNotFoundError:
        return {}, None
    try:
        manifest = storage.read_manifest(folder, index_dir)
        if manifest["embedder"]["id"] != embedder_id:
            return {}, folder
        storage.verify_checksums(folder, manifest, index_dir)
        chunks = ChunkTable.load(folder)
        matrix = vectorfiles.load_sentences(folder)
    except (QAError, OSError, ValueError, KeyError, RuntimeError) as error:
        logger.info("not reusing the previous build: %s", error)
        return {}, folder
    vectors = {}
    for chunk in chunks:
        for span, sentence_id in zip(chunk.sentences, chunk.sentence_ids):
            if sentence_id < len(matrix):
                vectors[chunk.text[span[0]:span[1]]] = matrix[sentence_id]
    return vectors, folder


def sentence_key(sentence: str) -> str:
    """What makes two sentences the same for embedding: their text, white space folded."""
    return " ".join(sentence.split())


@dataclass(frozen=True)
class Embedded:
    vectors: np.ndarray
    embedded: int   # sentences the model embedded
    distinct: int   # distinct sentences (a running head or a notice repeated is one)
    seconds: float


def embed_sentences(model: Embedder, sentences: list[str], reusable: dict[str, np.ndarray], *, batch_size: int,
                    report: ProgressCallback, name: str | None = None) -> Embedded:
    """Vectors for `sentences`: identical sentences (white space aside) are embedded
    once and share the vector, and those `reusable` has (by text) are not embedded."""
    vectors = np.zeros((len(sentences), model.dim), dtype=np.float32)
    reusable = {sentence_key(sentence): vector for sentence, vector in reusable.items()}
    occurrences: dict[str, list[int]] = {}
    for position, sentence in enumerate(sentences):
        occurrences.setdefault(sentence_key(sentence), []).append(position)
    missing: dict[str, list[int]] = {}  # each sentence to embed, once, and where it goes
    for key, positions in occurrences.items():
        known = reusable.get(key)
        if known is not None:
            vectors[positions] = known
        else:
            missing[sentences[positions[0]]] = positions
    started = time.monotonic()
    done = 0
    mine = len(missing) if name else 0  # a named file's own count
    report(Progress(EMBEDDING, 0, len(missing), name, file_total=mine))

    def advance(count: int) -> None:
        nonlocal done
        done += count
        report(Progress(EMBEDDING, min(done, len(missing)), len(missing), name,
                        file_done=min(done, mine), file_total=mine))

    if missing:
        embedded = model.embed_passages(list(missing), batch_size=batch_size, progress=advance)
        for positions, vector in zip(missing.values(), embedded):
            vectors[positions] = vector
    return Embedded(vectors, len(missing), len(occurrences), time.monotonic() - started)
