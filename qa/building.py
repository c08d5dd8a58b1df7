"""Building an index from release files.

Design choice: one pipeline (read, chunk, embed, index, write, publish) under the
build lock, writing into a partial folder that is published atomically only when
complete (see `storage`). Chunks of documents whose bytes, embedder and chunking
are unchanged since the previous build reuse its vectors, so adding one release to
a large corpus embeds only that release.

Sentences, not chunks, are embedded: a chunk's vector is the normalized mean of its
sentence vectors, and search scores a chunk by that and by its best sentence (see
`index`). Short sentences embed more sharply than a long passage, no sentence is
embedded twice where chunks overlap, and the answerer can pick the answering
sentence with the same vectors at no extra cost. BM25 scores each chunk with a contextual
header (title and release date) in front of its text: within a release the header's
words have no weight, between releases they route a question to the right one. The
embedder sees the clean passage only: a header shared by every chunk of a release
made them look alike and cost recall (measured, see README).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import shutil
import time
from pathlib import Path

import numpy as np

from . import storage
from .ingest.chunking import CHUNKING_VERSION, Chunk, chunk_document
from .ingest.documents import load_documents
from .ingest.progress import EMBEDDING, Progress, TerminalBars
from .search.embedders import Embedder, make_embedder
from .errors import IndexNotFoundError, NothingIndexedError, QAError
from .index import SENTENCE_VECTORS_NAME, BuildReport, Index, chunk_vectors, make_vector_index, read_chunks, \
    vectors_of
from .search.lexical import LexicalIndex
from .settings import Settings

logger = logging.getLogger(__name__)


def contextual_text(chunk: Chunk) -> str:
    """What BM25 sees for a chunk: its header (title and date), then its text."""
    return f"{chunk.header}\n{chunk.text}"


def _previous_vectors(index_dir, embedder_id: str) -> tuple[dict[str, np.ndarray], Path | None]:
    """Sentence vectors of the current build, by sentence text, when the same
    embedder made them. Reads only the manifest, the chunks and the sentence vectors."""
    import faiss

    try:
        folder = storage.build_folder(index_dir)
    except IndexNotFoundError:
        return {}, None
    try:
        manifest = storage.read_manifest(folder, index_dir)
        if manifest["embedder"]["id"] != embedder_id:
            return {}, folder
        storage.verify_checksums(folder, manifest, index_dir)
        chunks = read_chunks(folder)
        matrix = vectors_of(faiss.read_index(str(folder / SENTENCE_VECTORS_NAME)))
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


def _progress_callback(progress):
    """(callback or None, bars to close or None) for build_index's `progress`."""
    if callable(progress):
        return progress, None
    if progress:
        bars = TerminalBars()
        return bars, bars
    return None, None


def _document_record(document, chunk_count: int) -> dict:
    return {"path": document.path, "source": document.source, "sha256": document.sha256,
            "title": document.title, "date": document.date, "date_source": document.date_source,
            "language": document.language, "pages": document.page_count if document.paged else None,
            "chunks": chunk_count, "skipped_pages": list(document.skipped_pages),
            "warnings": list(document.warnings)}


def build_index(paths=("corpus",), index_dir="index", *, embedder: str | Embedder | None = None,
                progress=False, settings: Settings | None = None) -> Index:
    """Read `paths` (files or folders), build the index and publish it in `index_dir`.

    Files that cannot be read are skipped and listed in `index.report.failures` (and
    the manifest's "failures"); each document's warnings, skipped pages and
    date_source are in the manifest's "documents". Raises NothingIndexedError when
    no file could be indexed; the previous index, if any, is then left as it was.

    `progress`: False (quiet), True (bars on stderr), or a callable that receives a
    `qa.ingest.progress.Progress` record (stage "reading": pages done/total, the file
    and the file count; then stage "embedding": sentences done/total).
    """
    callback, bars = _progress_callback(progress)
    try:
        return _build(paths, index_dir, embedder, callback, settings)
    finally:
        if bars is not None:
            bars.close()


def _build(paths, index_dir, embedder, progress, settings) -> Index:
    settings = settings or Settings.from_environment()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if embedder is None or isinstance(embedder, str):
        model = make_embedder(embedder or settings.embedder_name, query_prefix=settings.query_prefix,
                              passage_prefix=settings.passage_prefix)
    else:
        model = embedder
    chunking = {"version": CHUNKING_VERSION, "size": settings.chunk_size, "overlap": settings.chunk_overlap}
    started = time.monotonic()
    with storage.build_lock(index_dir, wait_seconds=settings.lock_wait_seconds):
        loaded = load_documents(paths, time_limit=settings.per_file_timeout_seconds, progress=progress)
        if not loaded.documents:
            raise NothingIndexedError(loaded.failures)
        chunks: list[Chunk] = []
        sentences: list[str] = []
        chunk_counts = []
        for document in loaded.documents:
            document_chunks, document_sentences = chunk_document(document, settings.chunk_size,
                                                                 settings.chunk_overlap)
            chunks += [dataclasses.replace(chunk, first_sentence=len(sentences) + chunk.first_sentence)
                       for chunk in document_chunks]
            sentences += document_sentences
            chunk_counts.append(len(document_chunks))
        previous, previous_folder = _previous_vectors(index_dir, model.id)

        sentence_vectors = np.zeros((len(sentences), model.dim), dtype=np.float32)
        previous = {sentence_key(sentence): vector for sentence, vector in previous.items()}
        occurrences: dict[str, list[int]] = {}
        for position, sentence in enumerate(sentences):
            occurrences.setdefault(sentence_key(sentence), []).append(position)
        missing = []  # one position per distinct sentence that needs embedding
        reused = 0
        for key, positions in occurrences.items():
            reusable = previous.get(key)
            if reusable is not None:
                sentence_vectors[positions] = reusable
                reused += len(positions)
            else:
                missing.append(positions[0])
        embed_started = time.monotonic()
        embed_progress = None
        if progress is not None:
            done = [0]
            progress(Progress(EMBEDDING, 0, len(missing)))

            def embed_progress(count: int) -> None:
                done[0] += count
                progress(Progress(EMBEDDING, min(done[0], len(missing)), len(missing)))

        embedded = model.embed_passages([sentences[position] for position in missing],
                                        batch_size=settings.batch_size, progress=embed_progress)
        embed_seconds = time.monotonic() - embed_started
        for position, vector in zip(missing, embedded):
            sentence_vectors[occurrences[sentence_key(sentences[position])]] = vector
        vector_index = make_vector_index(model.dim, len(chunks))
        vector_index.add(chunk_vectors(chunks, sentence_vectors))
        lexical = LexicalIndex.build([contextual_text(chunk) for chunk in chunks], settings.lexical_tokenizer)

        manifest = {
            "format_version": storage.FORMAT_VERSION,
            "built_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "embedder": {"id": model.id, "dim": model.dim,
                         "query_prefix": getattr(model, "query_prefix", None),
                         "passage_prefix": getattr(model, "passage_prefix", None)},
            "chunking": chunking,
            "sentences": len(sentences),
            "embedding": {"sentences": len(sentences), "distinct": len(occurrences), "embedded": len(missing),
                          "reused": reused},
            "lexical": {"library": "bm25s", "tokenizer": settings.lexical_tokenizer},
            "vector_index": type(vector_index).__name__,
            "documents": [_document_record(document, document_chunks)
                          for document, document_chunks in zip(loaded.documents, chunk_counts)],
            "failures": [{"path": failure.path, "reason": failure.reason, "warnings": list(failure.warnings)}
                         for failure in loaded.failures],
            "duplicates": [{"path": duplicate.path, "same_as": duplicate.same_as}
                           for duplicate in loaded.duplicates],
        }
        index = Index(folder=Path(), manifest=manifest, chunks=chunks, vectors=vector_index,
                      sentence_vectors=sentence_vectors, lexical=lexical, embedder=model)
        partial = storage.new_partial_folder(index_dir)
        try:
            index.write(partial)
            storage.write_manifest(partial, manifest)
            final = storage.publish(index_dir, partial)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        index.folder = final
        index.manifest = storage.read_manifest(final, index_dir)
        storage.remove_leftovers(index_dir, keep={final} | ({previous_folder} if previous_folder else set()))
    index.report = BuildReport(
        documents=len(loaded.documents), chunks=len(chunks), sentences=len(sentences),
        failures=loaded.failures, duplicates=loaded.duplicates, reused_sentences=reused,
        seconds=time.monotonic() - started, embed_seconds=embed_seconds,
    )
    return index
