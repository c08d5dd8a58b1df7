"""Building an index from release files.

Design choice: one pipeline (read, chunk, embed, index, write, publish) under the
build lock, writing into a partial folder that is published atomically only when
complete (see `storage`). `build_index` makes the index hold exactly the files it is
given; `qa.library` adds and removes documents with the same last step, `publish`.
Every indexed file is kept in the index folder under its sha256 (see `storage`), and
the manifest lists each document with its name, title, date, pages, language, size
and when it was added. Sentences whose text, embedder and chunking are unchanged
since the previous build reuse its vectors, so rebuilding embeds only what is new.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Union

import numpy as np

from . import storage
from .ingest.chunking import CHUNKING_VERSION, Chunk, chunk_document
from .ingest.documents import Document, Duplicate, Failure, iter_input_files, load_document
from .ingest.pdf_reader import PdfReaderProcess
from .ingest.progress import EMBEDDING, READING, Progress, TerminalBars
from .search.embedders import Embedder, make_embedder
from .errors import DocumentError, IndexNotFoundError, NothingIndexedError, QAError
from .chunktable import ChunkTable
from .index import LEXICAL_FOLDER, BuildReport, Index, chunk_vectors, read_chunks
from .search import codes, vectorfiles
from .search.lexical import LexicalIndex, tokenize
from .settings import Settings
from .stores import drop_unkept, write_store

logger = logging.getLogger(__name__)

# Progress is reported as `qa.ingest.progress.Progress` records to a callable the
# caller gives: stage "reading" counts pages (with the file's indexed name and the
# file count), "embedding" counts sentences (of the file named, or of all files).
ProgressCallback = Callable[[Progress], None]
ProgressOption = Union[bool, ProgressCallback, None]


def contextual_text(chunk: Chunk) -> str:
    """What BM25 sees for a chunk: its header (title and date), then its text."""
    return f"{chunk.header}\n{chunk.text}"


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def reporter(progress: ProgressOption) -> ProgressCallback:
    """A callback for `progress`: the caller's own, tqdm bars for True, or nothing."""
    if callable(progress):
        return progress
    return TerminalBars() if progress else (lambda event: None)


def close_reporter(report: ProgressCallback) -> None:
    if isinstance(report, TerminalBars):
        report.close()


class ReadingProgress:
    """Page-by-page reading progress over several files: the PDFs' pages are counted
    first (in the reader process), so the bar has a total and an ETA from the start;
    a text file counts as one page."""

    def __init__(self, report: ProgressCallback, items: list["InputFile"], pdf_reader: PdfReaderProcess,
                 time_limit: float, enabled: bool):
        self.report, self.items = report, items
        counts: dict[str, int | None] = {}
        if enabled:
            pdfs = [item.path for item in items if item.problem is None and item.path.suffix.lower() == ".pdf"]
            counts = pdf_reader.count_pages(pdfs, time_limit) if pdfs else {}
        self.sizes = [counts.get(str(item.path)) or 1 for item in items]
        self.total = sum(self.sizes)
        self.before = 0
        self.report(Progress(READING, 0, self.total, None, 0, len(items)))

    def on_page(self, number: int):
        """The page callback for file `number`: on_page(done, total)."""
        def on_page(done: int, _total: int) -> None:
            self.report(Progress(READING, min(self.before + min(done, self.sizes[number]), self.total), self.total,
                                 self.items[number].name, number, len(self.items)))
        return on_page

    def finished(self, number: int) -> None:
        self.before += self.sizes[number]
        self.report(Progress(READING, min(self.before, self.total), self.total, self.items[number].name,
                             number + 1, len(self.items)))


def make_model(embedder: str | Embedder | None, settings: Settings) -> Embedder:
    if embedder is None or isinstance(embedder, str):
        return make_embedder(embedder or settings.embedder_name, query_prefix=settings.query_prefix,
                             passage_prefix=settings.passage_prefix)
    return embedder


# --- reading -----------------------------------------------------------------------

@dataclass(frozen=True)
class InputFile:
    path: Path
    name: str               # the name it is indexed under: relative to the folder given, or its own
    problem: str | None = None


def input_files(paths) -> list[InputFile]:
    """Every file named or found under the folders named, with the name it will be
    indexed under, or the problem that keeps it out."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found = []
    for given in map(Path, paths):
        for path, problem in iter_input_files([given]):
            name = path.relative_to(given).as_posix() if given.is_dir() else path.name
            found.append(InputFile(path, name, problem))
    return found


def read_file(item: InputFile, *, time_limit: float, pdf_reader: PdfReaderProcess, on_page=None) -> Document:
    """Read one input; the document is named as the library names it. Raises DocumentError."""
    if item.problem:
        raise DocumentError(str(item.path), item.problem)
    document = load_document(item.path, time_limit=time_limit, pdf_reader=pdf_reader, on_page=on_page)
    return dataclasses.replace(document, source=item.name)


def document_language(chunks: list[Chunk]) -> str:
    """The language of most of a document's text."""
    weight: dict[str, int] = {}
    for chunk in chunks:
        weight[chunk.language] = weight.get(chunk.language, 0) + len(chunk.text)
    return max(weight, key=weight.get) if weight else "en"


def document_record(document: Document, chunks: list[Chunk], *, stored: str, size: int, added: str) -> dict:
    """A document's entry in the manifest (see `qa.records.DocumentInfo`), with what
    reading it found: where its date came from, pages left out, warnings."""
    return {"id": document.sha256, "name": document.source, "source": document.source, "path": stored,
            "sha256": document.sha256, "title": document.title, "date": document.date,
            "date_source": document.date_source,
            "pages": document.page_count if document.paged else None,
            "language": document_language(chunks) if chunks else document.language,
            "size": size, "added_at": added, "chunks": len(chunks),
            "skipped_pages": list(document.skipped_pages), "warnings": list(document.warnings)}


def stored_and_chunked(index_dir, document: Document, item: InputFile, settings: Settings
                       ) -> tuple[Document, list[Chunk], list[str]]:
    """Keep the file in the index folder, and chunk it as stored there."""
    stored = storage.store_document(index_dir, item.path, document.sha256)
    document = dataclasses.replace(document, path=stored)
    chunks, sentences = chunk_document(document, settings.chunk_size, settings.chunk_overlap)
    return document, chunks, sentences


# --- embedding ---------------------------------------------------------------------

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
        chunks = read_chunks(folder)
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
    report(Progress(EMBEDDING, 0, len(missing), name))

    def advance(count: int) -> None:
        nonlocal done
        done += count
        report(Progress(EMBEDDING, min(done, len(missing)), len(missing), name))

    if missing:
        embedded = model.embed_passages(list(missing), batch_size=batch_size, progress=advance)
        for positions, vector in zip(missing.values(), embedded):
            vectors[positions] = vector
    return Embedded(vectors, len(missing), len(occurrences), time.monotonic() - started)


# --- publishing --------------------------------------------------------------------

def publish(index_dir, *, model: Embedder, chunking: dict, lexical_tokenizer: str, chunks: list[Chunk],
            sentence_vectors: np.ndarray, documents: list[dict], failures=(), duplicates=(),
            previous_folder: Path | None = None, settings: Settings | None = None,
            embedding: dict | None = None, previous=None) -> Index:
    """Write a complete build of `chunks` and publish it atomically; then remove old
    builds (the previous one is kept) and stored files no kept build lists. Call only
    while holding the build lock. `previous`: the previous build's structures (an
    object with `chunks`, `chunk_matrix`, `lexical`, `ann`) when `chunks` begins with
    its chunks, in its order (an add): its chunk vectors and BM25 counts are kept and
    its trained PQ codebooks encode the new vectors; only the new chunks are tokenized."""
    kept = len(previous.chunks) if previous is not None and previous.lexical.tokenizer == lexical_tokenizer \
        and len(previous.chunks) <= len(chunks) else 0
    table = chunks if isinstance(chunks, ChunkTable) else ChunkTable.of(chunks)
    if kept and not (np.array_equal(table.starts[:kept], previous.chunks.starts)
                     and np.array_equal(table.stops[:kept], previous.chunks.stops)
                     and chunks[kept - 1].chunk_id == previous.chunks[kept - 1].chunk_id
                     and chunks[0].chunk_id == previous.chunks[0].chunk_id):
        kept = 0  # not an append after all: build everything
    sentence_vectors = vectorfiles.half(sentence_vectors)
    matrix = chunk_vectors(table[kept:] if kept else table, sentence_vectors)
    if kept:
        matrix = np.concatenate([np.asarray(previous.chunk_matrix, dtype=np.float32), matrix])
    counts = dict(zip(*np.unique(table.languages, return_counts=True))) if len(table) else {}
    layout = codes.plan(len(chunks), (settings or Settings()).exact_limit,
                              {str(language): int(number) for language, number in counts.items()})
    # An add: each language's trained PQ codebooks encode its new chunks' vectors (see `codes.extend_anns`).
    ann, layout = codes.extend_anns(matrix, layout, table.languages, previous.ann if kept else None, kept)
    lexical = previous.lexical.extended(contextual_text(chunk) for chunk in chunks[kept:]) if kept \
        else LexicalIndex.build([contextual_text(chunk) for chunk in chunks], lexical_tokenizer)
    manifest = {
        "format_version": storage.FORMAT_VERSION,
        "built_at": utc_now(),
        "embedder": {"id": model.id, "dim": model.dim,
                     "query_prefix": getattr(model, "query_prefix", None),
                     "passage_prefix": getattr(model, "passage_prefix", None)},
        "chunking": chunking,
        "sentences": len(sentence_vectors),
        "embedding": embedding or {},
        "lexical": {"library": "bm25s", "tokenizer": lexical_tokenizer},
        "vector_index": layout,
        "documents": documents,
        "failures": [{"path": failure.path, "reason": failure.reason, "warnings": list(failure.warnings)}
                     for failure in failures],
        "duplicates": [{"path": duplicate.path, "same_as": duplicate.same_as} for duplicate in duplicates],
    }
    settings = settings or Settings()
    # A Milvus store is filled before the build that names it is published.
    record = write_store(settings, dim=model.dim, table=table, chunk_matrix=matrix, sentence_vectors=sentence_vectors,
                         tokens_from=lambda start: (tokenize(contextual_text(chunk), lexical_tokenizer)
                                                    for chunk in chunks[start:]))
    if record:
        manifest["store"] = record
    index = Index(folder=Path(), manifest=manifest, chunks=table, vectors=matrix, ann=ann,
                  sentence_vectors=sentence_vectors, lexical=lexical, embedder=model, settings=settings)
    partial = storage.new_partial_folder(index_dir)
    try:
        index.write(partial)
        storage.write_manifest(partial, manifest)
        final = storage.publish(index_dir, partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    # The published build as a loaded one: its arrays memory-mapped from its files
    # (an add then links them rather than writing them again).
    index = Index(folder=final, manifest=storage.read_manifest(final, index_dir), chunks=ChunkTable.load(final),
                  vectors=vectorfiles.load_array(final / vectorfiles.CHUNK_VECTORS_NAME),
                  sentence_vectors=vectorfiles.load_sentences(final), lexical=LexicalIndex.load(final / LEXICAL_FOLDER),
                  ann=ann, embedder=model, settings=settings)
    keep = {final} | ({previous_folder} if previous_folder else set())
    if settings.store != "local":
        drop_unkept(index_dir, keep)
    storage.remove_leftovers(index_dir, keep=keep)
    storage.remove_unlisted_documents(index_dir)
    return index


def build_index(paths=("corpus",), index_dir="index", *, embedder: str | Embedder | None = None,
                progress: ProgressOption = False, settings: Settings | None = None) -> Index:
    """Read `paths` (files or folders), build the index and publish it in `index_dir`:
    the index then holds exactly these documents (`Index.add` and `Index.remove`
    change it one document at a time).

    Files that cannot be read are skipped and listed in `index.report.failures` (and
    the manifest's "failures"); each document's warnings, skipped pages and
    date_source are in the manifest's "documents". Raises NothingIndexedError when no
    file could be indexed; the previous index, if any, is then left as it was.
    `progress`: False (quiet), True (bars on stderr), or a callable that receives
    `qa.ingest.progress.Progress` records (reading: pages; embedding: sentences).
    """
    settings = settings or Settings.from_environment()
    model = make_model(embedder, settings)
    chunking = {"version": CHUNKING_VERSION, "size": settings.chunk_size, "overlap": settings.chunk_overlap}
    started = time.monotonic()
    report = reporter(progress)
    try:
        with storage.build_lock(index_dir, wait_seconds=settings.lock_wait_seconds):
            items = input_files(paths)
            added_before = _added_times(index_dir)
            failures: list[Failure] = []
            duplicates: list[Duplicate] = []
            seen: dict[str, str] = {}
            names: dict[str, str] = {}
            chunks: list[Chunk] = []
            sentences: list[str] = []
            records = []
            with PdfReaderProcess() as pdf_reader:  # started only when the first PDF comes
                reading = ReadingProgress(report, items, pdf_reader, settings.per_file_timeout_seconds,
                                          enabled=bool(progress))
                for number, item in enumerate(items):
                    try:
                        document = read_file(item, time_limit=settings.per_file_timeout_seconds,
                                             pdf_reader=pdf_reader, on_page=reading.on_page(number))
                        if document.sha256 in seen:
                            duplicates.append(Duplicate(str(item.path), seen[document.sha256]))
                            continue
                        if item.name in names:
                            raise DocumentError(str(item.path), f"another file is already indexed as {item.name!r} "
                                                                f"({names[item.name]}); rename one of them")
                        document, document_chunks, document_sentences = stored_and_chunked(
                            index_dir, document, item, settings)
                    except DocumentError as error:
                        failures.append(Failure(error.path, error.reason, tuple(getattr(error, "warnings", ()))))
                        logger.info("skipped %s: %s", error.path, error.reason)  # said once, in the report
                        continue
                    except (OSError, ValueError) as error:
                        failures.append(Failure(str(item.path), f"cannot keep a copy in the index ({error})"))
                        continue
                    finally:
                        reading.finished(number)
                    seen[document.sha256] = str(item.path)
                    names[item.name] = str(item.path)
                    chunks += [dataclasses.replace(chunk, first_sentence=len(sentences) + chunk.first_sentence)
                               for chunk in document_chunks]
                    sentences += document_sentences
                    records.append(document_record(document, document_chunks, stored=document.path,
                                                   size=item.path.stat().st_size,
                                                   added=added_before.get(document.sha256) or utc_now()))
            if not records:
                raise NothingIndexedError(failures)
            previous, previous_folder = previous_vectors(index_dir, model.id)
            result = embed_sentences(model, sentences, previous, batch_size=settings.batch_size, report=report)
            embedded, embed_seconds = result.embedded, result.seconds
            embedding = {"sentences": len(sentences), "distinct": result.distinct, "embedded": embedded,
                         "reused": result.distinct - embedded}
            index = publish(index_dir, model=model, chunking=chunking, lexical_tokenizer=settings.lexical_tokenizer,
                            chunks=chunks, sentence_vectors=result.vectors, documents=records,
                            failures=failures, duplicates=duplicates, previous_folder=previous_folder,
                            settings=settings, embedding=embedding)
    finally:
        close_reporter(report)
    index.report = BuildReport(
        documents=len(records), chunks=len(chunks), sentences=len(sentences), failures=failures,
        duplicates=duplicates, reused_sentences=len(sentences) - embedded,
        seconds=time.monotonic() - started, embed_seconds=embed_seconds,
    )
    return index


def _added_times(index_dir) -> dict[str, str]:
    """When each document of the current build was added, by sha256."""
    try:
        folder = storage.build_folder(index_dir)
        manifest = storage.read_manifest(folder, index_dir)
    except QAError:
        return {}
    return {document.get("sha256", ""): document.get("added_at") or manifest.get("built_at")
            for document in manifest.get("documents", [])}
