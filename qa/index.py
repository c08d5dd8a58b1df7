"""The index: chunks, their vectors and their lexical index, searched together.

Design choice: an `Index` is the chunk table, the chunk and sentence vectors, a BM25
index and the manifest (memory-mapped from the build folder once loaded; see
`chunktable` and `search.vectorfiles`) plus the embedder it was built with, and a
store that serves the dense and lexical stages (`stores`: local files, or Milvus).
Sentences are embedded; a chunk's vector is the normalized mean of its sentences'.
`search` embeds the question once, takes candidates from the chunk vectors and from
BM25, and rescores each candidate exactly: its dense score is the cosine with its
mean vector plus the cosine with its best sentence (the whole passage's topic, and
the one sentence that may hold the fact). Measured on the development questions,
this was the only dense score that kept recall@3 at 1.00 in both languages across
chunk sizes 300 to 600. Dense and lexical candidates are then fused by rank (see
`fusion`, the stage in `search.fused`), and the best fused candidates reordered by a
learned model (see `search.rerank`); what the answer stage asks about words and names
is answered by `search.lexicon`. Whether chunk vectors are scanned or searched through
PQ codes is chosen by size in one place, `search.codes.plan`, and recorded in the
manifest.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import storage
from .chunktable import ChunkTable
from .records import Hit, Retrieved, document_infos
from .search import dictionary
from .search.embedders import Embedder
from .search.fusion import balance_languages, collapse_duplicates
from .search.lexical import LexicalIndex
from .search.lexicon import Lexicon
from .search.conversation import resolve
from .search.question import Question, clean_question, read_question
from .search.timeframe import day_numbers
from .search import codes, fused, rerank, vectorfiles
from .search.vocabulary import VOCABULARY
from .settings import Settings
from .stores import open_store

logger = logging.getLogger(__name__)

SENTENCE_VECTORS_NAME = vectorfiles.SENTENCES_NAME
# Characters of a question the embedder reads (its lexical and answer reading see it all).
EMBEDDED_CHARACTERS = 512
LEXICAL_FOLDER = "lexical"


def chunk_vectors(chunks, sentence_vectors: np.ndarray) -> np.ndarray:
    """Each chunk's vector: the normalized mean of its sentences' vectors (float32,
    from the vectors as stored)."""
    table = chunks if isinstance(chunks, ChunkTable) else ChunkTable.of(chunks)
    vectors = np.zeros((len(table), sentence_vectors.shape[1]), dtype=np.float32)
    for position, (start, stop) in enumerate(zip(table.starts.tolist(), table.stops.tolist())):
        if stop > start:
            vectors[position] = sentence_vectors[start:stop].astype(np.float32).mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@dataclass(frozen=True)
class BuildReport:
    documents: int
    chunks: int
    sentences: int = 0
    failures: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    reused_sentences: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    # Index.add / Index.remove: what happened to each file or name given.
    outcomes: list = field(default_factory=list)
    embedded_sentences: int = 0

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0


class Index(Lexicon):
    # What adds and removes documents (`qa.library`): the library builds indexes, so it
    # imports this module and this module cannot import it; the package connects the
    # two once (qa/__init__.py), and nothing here imports upward.
    library = None

    def __init__(self, *, folder: Path, manifest: dict, chunks, vectors: np.ndarray, sentence_vectors: np.ndarray,
                 lexical: LexicalIndex, embedder: Embedder, report: BuildReport | None = None,
                 settings: Settings | None = None, ann=None):
        """`chunks`: a list or a `ChunkTable`; `vectors`: the chunk vectors (float32),
        `sentence_vectors` (float16 as stored), both arrays or memory maps; `ann`: the
        PQ (or IVF) indexes of the chunk vectors by language when the manifest's plan says so."""
        self.folder = folder
        self.manifest = manifest
        self.chunks = chunks if isinstance(chunks, ChunkTable) else ChunkTable.of(chunks)
        # Sentence vectors are only read (exact rescoring of candidates), never searched.
        self.sentence_matrix = sentence_vectors
        self.chunk_matrix = vectors
        self.ann = ann
        self.lexical = lexical
        self.embedder = embedder
        self.report = report
        self.settings = settings or Settings()
        self._dates = self.chunks.dates
        # Day numbers per distinct date, then per chunk (code -1: undated, the last entry).
        self._days = day_numbers(self.chunks.date_table + [None])[self.chunks.date_codes]
        # The dense and lexical stages: local files or Milvus (see `qa.stores`).
        self.store = open_store(manifest, self.settings, chunks=self.chunks, days=self._days,
                                chunk_matrix=vectors, sentence_matrix=sentence_vectors, lexical=lexical, ann=ann)
        self._first_chunk: dict[str, int] = self.chunks.first_chunk
        # FAISS and bm25s are safe for concurrent reads; the embedder may not be.
        self._embed_lock = threading.Lock()

    def documents(self) -> list:
        """The indexed documents (`qa.records.DocumentInfo`), in the order they were added."""
        return document_infos(self.manifest)

    @property
    def root(self) -> Path:
        """The index folder this build belongs to (`index/builds/<id>` -> `index`)."""
        return storage.index_root(self.folder)

    def add(self, paths, *, replace: bool = False, progress=False) -> BuildReport:
        """Add files (or the files in folders) to this index and publish it; this
        object then holds the new index. Only the new files are read and embedded.
        `report.outcomes` says, per file: added, replaced, duplicate, conflict (a
        different file under an indexed name: pass `replace=True`) or rejected.
        Not for use while other threads search this same object: the app swaps
        `qa.library.add_documents`'s new index in instead."""
        return self._become(self.library.add_documents(self.root, paths, replace=replace, progress=progress,
                                                       current=self, settings=self.settings))

    def remove(self, names_or_ids) -> BuildReport:
        """Remove documents by name or id (or the unique beginning of either) and
        publish the index; embeds nothing."""
        return self._become(self.library.remove_documents(self.root, names_or_ids, current=self,
                                                          settings=self.settings))

    def _become(self, other: "Index") -> BuildReport:
        if other is not self:
            self.__dict__ = dict(other.__dict__)
        return self.report

    @property
    def built_at(self) -> str:
        return self.manifest["built_at"]

    def __len__(self) -> int:
        return len(self.chunks)

    def __repr__(self) -> str:
        return (f"Index({len(self.manifest.get('documents', []))} documents, {len(self.chunks)} chunks, "
                f"embedder={self.embedder.id!r}, built_at={self.built_at!r})")

    @property
    def dictionary(self):
        """The Japanese-English dictionary, or None (not installed, or turned off)."""
        return dictionary.load() if self.settings.dictionary else None

    def embed_question(self, question: str | Question) -> np.ndarray:
        """The question's vector. Only its first `EMBEDDED_CHARACTERS` are embedded:
        the model reads 512 tokens at most, and a pasted page costs seconds. A read
        `Question` with words in the other language gives two rows, in one batch: the
        question with them (what ranks passages) and the question alone (what scores
        sentences for the answerer, with `score_sentences_alone`; see `search_with_vector`)."""
        if isinstance(question, str):
            texts = [question]
        elif self.settings.score_sentences_alone and question.translated_text:
            texts = [question.embedded, question.dense_text]
        else:
            texts = [question.embedded]
        with self._embed_lock:
            return self.embedder.embed_queries([text[:EMBEDDED_CHARACTERS] for text in texts])

    def read_question(self, question: str, history=None) -> Question:
        """Read `question` once (language, words and their translations, names, time,
        kind of fact), rewriting a follow-up against `history`."""
        asked = clean_question(question)
        resolved = clean_question(resolve(asked, history))
        return read_question(resolved, lexical=self.lexical, dictionary=self.dictionary, asked=asked,
                             vocabulary=VOCABULARY if self.settings.hand_vocabulary else None,
                             transliterate=self.settings.transliterate, kanji_readings=self.settings.kanji_readings,
                             translate_dense=self.settings.translate_dense)

    def search(self, question: str | Question, k: int = 5) -> list[Hit]:
        """The `k` passages that best answer `question`, best first."""
        if not isinstance(question, Question):
            question = self.read_question(question)
        if k <= 0 or not self.chunks:
            return []
        return self.search_with_vector(question, self.embed_question(question), k=k).hits

    def search_with_vector(self, question: Question, query_vector: np.ndarray, *, k: int) -> Retrieved:
        """Search with a read and embedded question. Also returns, for each hit, its
        sentence spans and the cosine of each sentence with the question (for the
        answerer). Three rankings are fused: dense (calibrated per language, see
        `search.dense`), BM25 with the question's words and their translations, and,
        when the question sets a time, release dates (see `search.timeframe`); the
        fused candidates are then reordered by the learned model of `search.rerank`."""
        settings = self.settings
        stage = self.fuse(question, query_vector, k=k)
        if stage is None:
            return Retrieved([], [], {})
        signals, sentence_scores, baselines, query = stage
        ranked, scores = signals.ranked, signals.fused
        model = rerank.shipped() if settings.rerank else None
        if model is not None:
            ranked, scores = model.reorder(signals, self.rerank_features(question, signals))
        best = collapse_duplicates(ranked[:3 * k], [self.chunks[position] for position in ranked[:3 * k]])
        if settings.balance_languages:
            best = balance_languages(best, [self.chunks[position] for position in best], days=settings.balance_days)
        best = best[:k]
        hits = []
        for position in best:
            if position not in sentence_scores:
                sentence_scores[position] = self.store.rescore(position, query)
            hits.append(self._hit(position, scores.get(position, signals.fused[position]),
                                  signals.dense.get(position, 0.0),
                                  rerank.lexical_score(signals.lexical_scores, position)))
        before = [self.chunks[position - 1].text if position and self.chunks[position - 1].path ==
                  self.chunks[position].path else "" for position in best]
        return Retrieved(hits, [(self.chunks[position].sentences, sentence_scores[position]) for position in best],
                         baselines, before)

    def fuse(self, question: Question, query_vector: np.ndarray, *, k: int):
        """The fusion's candidates and what it knew of them: see `search.fused.fuse`."""
        return fused.fuse(question, query_vector, k=k, store=self.store, chunks=self.chunks, days=self._days,
                          dates=self._dates, settings=self.settings)

    def rerank_features(self, question: Question, signals) -> np.ndarray:
        """The reranker's features of the fusion's best candidates (see `search.rerank`),
        read from the chunk table's columns (no chunk is parsed)."""
        table = self.chunks

        def describe(position: int):
            code = int(table.path_codes[position])
            return table.languages[position], code, int(table.first_positions[code]) == position

        return rerank.features(signals, question.language, describe)

    def first_hit_of(self, path: str) -> Hit | None:
        """The first chunk of the document at `path`, as a hit (for questions about
        the release itself: its date, its title)."""
        position = self._first_chunk.get(path)
        return None if position is None else self._hit(position, 0.0, 0.0, 0.0)

    def _hit(self, position: int, score: float, dense: float, lexical: float) -> Hit:
        chunk = self.chunks[position]
        return Hit(chunk_id=chunk.chunk_id, text=chunk.text, source=chunk.source, page=chunk.page,
                   pages=chunk.pages, title=chunk.title, doc_date=chunk.doc_date, score=round(score, 6),
                   start=chunk.start, end=chunk.end, path=chunk.path, language=chunk.language,
                   dense_score=round(dense, 6), lexical_score=round(lexical, 6))

    def answer(self, question: str, *, history=None, k: int = 5, answerer=None):
        """Answer `question` from this index, with citations: see `qa.asking.answer`
        (the wiring of search and the answer stage)."""
        from . import asking

        return asking.answer(self, question, history=history, k=k, answerer=answerer)

    def answer_stream(self, question: str, *, history=None, k: int = 5, answerer=None):
        """Drafts, then the `Answer`: see `qa.asking.answer_stream`."""
        from . import asking

        return asking.answer_stream(self, question, history=history, k=k, answerer=answerer)

    def evidence(self, question: str, *, history=None, k: int = 5):
        """What an answerer reads for `question`: see `qa.asking.evidence`."""
        from . import asking

        return asking.evidence(self, question, history=history, k=k)

    def answerer(self, answerer=None):
        """The answerer to use: see `qa.asking.answerer_for`."""
        from . import asking

        return asking.answerer_for(self, answerer)

    # --- persistence -------------------------------------------------------------

    def write(self, folder: Path) -> None:
        """Write the index files (not the manifest) into `folder`."""
        vectorfiles.save_sentences(folder, vectorfiles.half(self.sentence_matrix))
        vectorfiles.save_array(folder / vectorfiles.CHUNK_VECTORS_NAME, np.asarray(self.chunk_matrix, np.float32))
        if self.ann is not None:
            codes.save_anns(self.ann, folder)
        self.chunks.write(folder)
        self.lexical.save(folder / LEXICAL_FOLDER)
