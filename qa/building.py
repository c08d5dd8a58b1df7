"""Building an index from release files.

Design choice: one pipeline (read, chunk, embed, index, write, publish) under the
build lock, writing into a partial folder that is published atomically only when
complete (see `storage`). `build_index` makes the index hold exactly the files it is
given; `qa.library` adds and removes documents with the same last step, `publish`.
Every indexed file is kept in the index folder under its sha256 (see `storage`), and
the manifest lists each document with its name, title, date, pages, language, size
and when it was added. Sentences whose text, embedder and chunking are unchanged
since the previous build reuse its vectors, so rebuilding embeds only what is new
(`embedding`); the files given are named, read, stored and chunked by `inputs`.
Nothing is lost by a rebuild: a document added one at a time (`qa add`, an upload
in the app; the manifest says `"origin": "add"`) may have no copy but the index's,
so a build whose files leave it out refuses (`WouldLoseDocumentsError`, naming
them) unless told to keep them (read again from the index's copies) or to replace
them; documents a build was given can be dropped by the next build, as their files
are the user's.

Sentences, not chunks, are embedded: a chunk's vector is the normalized mean of its
sentence vectors, and search scores a chunk by that and by its best sentence (see
`index`). Short sentences embed more sharply than a long passage, no sentence is
embedded twice where chunks overlap, and the answerer can pick the answering
sentence with the same vectors at no extra cost. BM25 scores each chunk with a contextual
header (title and release date) in front of its text: within a release the header's
words have no weight, between releases they route a question to the right one. The
embedder sees the clean passage only: a header shared by every chunk of a release
made them look alike and cost recall (measured, see docs/benchmarks.md).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from . import storage
from .chunktable import ChunkTable
from .embedding import embed_sentences, make_model, previous_vectors
from .errors import DocumentError, NothingIndexedError, QAError, WouldLoseDocumentsError
from .index import LEXICAL_FOLDER, BuildReport, Index, chunk_vectors
from .ingest.chunking import CHUNKING_VERSION, Chunk
from .ingest.documents import Duplicate, Failure
from .ingest.pdf_reader import PdfReaderProcess
from .ingest.progress import ProgressOption, close_reporter, reporter
from .inputs import InputFile, ReadingProgress, document_record, input_files, read_file, stored_and_chunked
from .search import codes, vectorfiles
from .records import document_infos
from .search.embedders import Embedder
from .search.lexical import LexicalIndex, tokenize
from .settings import Settings
from .stores import drop_unkept, write_store

logger = logging.getLogger(__name__)


def contextual_text(chunk: Chunk) -> str:
    """What BM25 sees for a chunk: its header (title and date), then its text."""
    return f"{chunk.header}\n{chunk.text}"


def utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


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
                progress: ProgressOption = False, settings: Settings | None = None,
                replace: bool = False, keep_added: bool = False) -> Index:
    """Read `paths` (files or folders), build the index and publish it in `index_dir`:
    the index then holds exactly these documents (`Index.add` and `Index.remove`
    change it one document at a time).

    A document that was added to the index one at a time (`Index.add`, `qa add`, an
    upload in the app) and is not among these files would be lost: the build then
    raises `WouldLoseDocumentsError` naming them and leaves the index as it was,
    unless `keep_added=True` (they are built again from their copies in the index,
    under their names) or `replace=True` (they are dropped).

    Files that cannot be read are skipped and listed in `index.report.failures` (and
    the manifest's "failures"); each document's warnings, skipped pages and
    date_source are in the manifest's "documents". Raises NothingIndexedError when no
    file could be indexed; the previous index, if any, is then left as it was.
    `progress`: False (quiet), True (bars on stderr), or a callable that receives
    `qa.ingest.progress.Progress` records (reading: pages; embedding: sentences).
    """
    if replace and keep_added:
        raise ValueError("replace drops the documents added one at a time and keep_added keeps them: give one")
    settings = settings or Settings.from_environment()
    model = make_model(embedder, settings)
    chunking = {"version": CHUNKING_VERSION, "size": settings.chunk_size, "overlap": settings.chunk_overlap}
    started = time.monotonic()
    report = reporter(progress)
    staging = tempfile.TemporaryDirectory(prefix="qa-kept-")  # kept documents under their own names
    try:
        with storage.build_lock(index_dir, wait_seconds=settings.lock_wait_seconds):
            items = input_files(paths)
            current = _current_documents(index_dir)
            added_before = {document.id: document.added for document in current}
            only_in_index = [] if replace else [document for document in current if document.origin == "add"]
            carried: set[str] = set()  # documents kept from their copies in the index, by sha256
            if only_in_index:
                given = _sha256s(items)
                if keep_added:
                    kept = [document for document in only_in_index if document.id not in given]
                    items += _carried_inputs(index_dir, kept, staging.name)
                    carried = {document.id for document in kept}
                _refuse_to_lose(index_dir, only_in_index, given | carried)
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
                    reading.starting(number)
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
                                                   added=added_before.get(document.sha256) or utc_now(),
                                                   origin="add" if document.sha256 in carried else "build"))
            if not records:
                raise NothingIndexedError(failures)
            _refuse_to_lose(index_dir, only_in_index, set(seen))  # in case one of them could not be read now
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
        staging.cleanup()
    index.report = BuildReport(
        documents=len(records), chunks=len(chunks), sentences=len(sentences), failures=failures,
        duplicates=duplicates, reused_sentences=result.distinct - embedded,  # a repeat within the build is no reuse
        seconds=time.monotonic() - started, embed_seconds=embed_seconds,
    )
    return index


def _current_documents(index_dir) -> list:
    """The documents of the current build (`DocumentInfo`), or none."""
    try:
        folder = storage.build_folder(index_dir)
        manifest = storage.read_manifest(folder, index_dir)
    except QAError:
        return []
    return document_infos(manifest)


def _sha256s(items) -> set[str]:
    """The sha256 of every readable input."""
    found = set()
    for item in items:
        if item.problem is None:
            try:
                found.add(storage.sha256_of(item.path))
            except OSError:
                continue
    return found


def _carried_inputs(index_dir, documents: list, staging: str) -> list[InputFile]:
    """Documents kept from their copies in the index, as inputs: each copy linked
    under its own name (its title and date may come from the name, as when it was
    added)."""
    items = []
    for document in documents:
        stored = (Path(index_dir) / document.path).resolve()
        linked = Path(staging, document.id[:16], document.name)
        linked.parent.mkdir(parents=True, exist_ok=True)
        try:
            linked.symlink_to(stored)
        except OSError:
            shutil.copyfile(stored, linked)
        items.append(InputFile(linked, document.name))
    return items


def _refuse_to_lose(index_dir, only_in_index: list, kept: set[str]) -> None:
    lost = [document for document in only_in_index if document.id not in kept]
    if lost:
        raise WouldLoseDocumentsError(str(index_dir), lost)
