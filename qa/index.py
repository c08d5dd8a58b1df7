"""The index: chunks, their vectors and their lexical index, searched together.

Design choice: an `Index` is plain data in memory (chunks, a FAISS index, a BM25
index, the manifest) plus the embedder it was built with. `search` embeds the
question once, takes the dense and the lexical candidates and fuses their ranks
(see `fusion`). The FAISS index type is chosen in one place, `make_vector_index`.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import storage
from .chunking import Chunk
from .embedders import Embedder, canonical_embedder_id, make_embedder
from .errors import EmbedderMismatchError, IndexCorruptError, QuestionError
from .fusion import ranking, reciprocal_rank_fusion
from .language import detect_language
from .lexical import LexicalIndex
from .normalize import clean_characters
from .records import Hit

logger = logging.getLogger(__name__)

VECTORS_NAME = "vectors.faiss"
CHUNKS_NAME = "chunks.jsonl"
LEXICAL_FOLDER = "lexical"
# Questions longer than this are cut before embedding and scoring.
MAX_QUESTION_CHARACTERS = 2000


def make_vector_index(dim: int, count: int):
    """The FAISS index for `count` vectors of `dim` dimensions: exact inner product."""
    import faiss

    return faiss.IndexFlatIP(dim)


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    cleaned = " ".join(clean_characters(question).split())
    if not cleaned:
        raise QuestionError("the question is empty")
    return cleaned[:MAX_QUESTION_CHARACTERS]


@dataclass(frozen=True)
class BuildReport:
    documents: int
    chunks: int
    failures: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    reused_chunks: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0


class Index:
    def __init__(self, *, folder: Path, manifest: dict, chunks: list[Chunk], vectors, lexical: LexicalIndex,
                 embedder: Embedder, report: BuildReport | None = None):
        self.folder = folder
        self.manifest = manifest
        self.chunks = chunks
        self.vectors = vectors
        self.lexical = lexical
        self.embedder = embedder
        self.report = report
        self._languages = np.array([chunk.language for chunk in chunks])
        # FAISS and bm25s are safe for concurrent reads; the embedder may not be.
        self._embed_lock = threading.Lock()

    @property
    def documents(self) -> list[dict]:
        return self.manifest["documents"]

    @property
    def built_at(self) -> str:
        return self.manifest["built_at"]

    def __len__(self) -> int:
        return len(self.chunks)

    def __repr__(self) -> str:
        return (f"Index({len(self.documents)} documents, {len(self.chunks)} chunks, "
                f"embedder={self.embedder.id!r}, built_at={self.built_at!r})")

    def embed_question(self, question: str) -> np.ndarray:
        with self._embed_lock:
            return self.embedder.embed_queries([question])

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """The `k` passages that best answer `question`, best first."""
        question = clean_question(question)
        if k <= 0 or not self.chunks:
            return []
        language = detect_language(question)
        query_vector = self.embed_question(question)
        total = len(self.chunks)
        depth = min(total, max(50, 10 * k))
        dense_scores, dense_positions = self.vectors.search(query_vector, depth)
        dense_ranked = [int(position) for position in dense_positions[0] if position >= 0]
        dense_by_position = dict(zip(dense_ranked, (float(score) for score in dense_scores[0])))

        lexical_scores = self.lexical.scores(question)
        same_language = self._languages == language
        fused = reciprocal_rank_fusion([
            (dense_ranked, 1.0),
            (ranking(lexical_scores, np.flatnonzero(same_language), depth), 1.0),
            (ranking(lexical_scores, np.flatnonzero(~same_language), depth), self.lexical.coverage(question)),
        ])
        best = sorted(fused, key=lambda position: (-fused[position], position))[:k]
        hits = []
        for position in best:
            dense = dense_by_position.get(position)
            if dense is None:
                dense = float(self.vectors.reconstruct(position) @ query_vector[0])
            hits.append(self._hit(position, fused[position], dense, float(lexical_scores[position])))
        return hits

    def _hit(self, position: int, score: float, dense: float, lexical: float) -> Hit:
        chunk = self.chunks[position]
        return Hit(chunk_id=chunk.chunk_id, text=chunk.text, source=chunk.source, page=chunk.page,
                   pages=chunk.pages, title=chunk.title, doc_date=chunk.doc_date, score=round(score, 6),
                   start=chunk.start, end=chunk.end, path=chunk.path, language=chunk.language,
                   dense_score=round(dense, 6), lexical_score=round(lexical, 6))

    def answer(self, question: str, *, history=None, k: int = 5):
        """Answer `question` from this index, with citations (see `qa.answer`)."""
        from .answer import answer_from_index

        return answer_from_index(self, question, history=history, k=k)

    # --- persistence -------------------------------------------------------------

    def write(self, folder: Path) -> None:
        """Write the index files (not the manifest) into `folder`."""
        import faiss

        faiss.write_index(self.vectors, str(folder / VECTORS_NAME))
        with open(folder / CHUNKS_NAME, "w", encoding="utf-8") as handle:
            for chunk in self.chunks:
                handle.write(json.dumps(chunk.to_record(), ensure_ascii=False) + "\n")
        self.lexical.save(folder / LEXICAL_FOLDER)


def read_chunks(folder: Path) -> list[Chunk]:
    with open(folder / CHUNKS_NAME, encoding="utf-8") as handle:
        return [Chunk.from_record(json.loads(line)) for line in handle if line.strip()]


def load_index(index_dir="index", *, embedder: str | Embedder | None = None, settings=None) -> Index:
    """Load the current build of `index_dir`.

    The index is queried with the embedder it was built with. If an embedder is
    configured (the argument, or QA_EMBEDDER) and it differs, EmbedderMismatchError
    says so and names the rebuild command.
    """
    import faiss

    from .settings import Settings

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
        vectors = faiss.read_index(str(folder / VECTORS_NAME))
        lexical = LexicalIndex.load(folder / LEXICAL_FOLDER)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise IndexCorruptError(str(index_dir), f"cannot read index files: {error}") from None
    if vectors.ntotal != len(chunks) or lexical.size != len(chunks):
        raise IndexCorruptError(
            str(index_dir), f"{len(chunks)} chunks but {vectors.ntotal} vectors and {lexical.size} lexical rows"
        )
    return Index(folder=folder, manifest=manifest, chunks=chunks, vectors=vectors, lexical=lexical, embedder=model)
