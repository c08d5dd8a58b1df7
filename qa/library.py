"""The index's library: adding and removing documents one at a time.

Design choice: the index owns its documents (kept in the index folder under their
sha256, see `storage`), and adding or removing one is a new build published like any
other: under the build lock, into a partial folder, atomically, so a killed add or
remove leaves the previous index whole. Adding reads, chunks and embeds only the new
files: the chunks and sentence vectors of every other document are taken from the
current build as they are. Removing embeds nothing. Only the FAISS chunk index and
BM25 are rebuilt, from stored chunks.

A file whose bytes are already indexed is a "duplicate" and is not copied; a
different file under a name already indexed is a "conflict" unless `replace` is
given, in which case the old version goes; a file that cannot be read is "rejected"
with the reason and is kept nowhere. A path that does not exist is an error
(`InputNotFoundError`), raised before anything is read: a typo is not an outcome.
Documents added here are marked `"origin": "add"` in the manifest, so that a
build never drops them unasked (see `qa.building`).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np

from . import storage
from .building import publish, utc_now
from .embedding import embed_sentences, make_model
from .ingest.progress import OUTCOME, Progress, ProgressOption, close_reporter, reporter
from .inputs import ReadingProgress, document_record, input_files, read_file, stored_and_chunked
from .errors import AmbiguousNameError, DocumentError, IndexNotFoundError, InputNotFoundError, LibraryError, \
    NothingIndexedError
from .chunktable import ChunkTable
from .index import LEXICAL_FOLDER, BuildReport, Index
from .loading import load_index, read_chunks
from .search.lexical import LexicalIndex
from .search import codes, vectorfiles
from .ingest.chunking import CHUNKING_VERSION, Chunk
from .ingest.documents import Failure
from .ingest.pdf_reader import PdfReaderProcess
from .records import DocumentInfo, FileOutcome, document_infos  # noqa: F401  (qa.library.document_infos)
from .settings import Settings


MINIMUM_ID_PREFIX = 4  # hex digits of an id a prefix must give


def find_document(documents: list[DocumentInfo], wanted: str) -> DocumentInfo | None:
    """The document `wanted` names: its name, its file name or its id, or else the
    beginning of exactly one document's name, file name or id (at least
    `MINIMUM_ID_PREFIX` hex digits). A trailing "…" (a name cut for display) is
    ignored. None when nothing matches; `AmbiguousNameError` when several do."""
    wanted = wanted.strip()
    for document in documents:
        if wanted in (document.name, document.id) or wanted == Path(document.name).name:
            return document
    prefix = wanted.rstrip("…").rstrip(".") if wanted.endswith(("…", "...")) else wanted
    if not prefix:
        return None
    matches = [document for document in documents
               if document.name.startswith(prefix) or Path(document.name).name.startswith(prefix)
               or (len(prefix) >= MINIMUM_ID_PREFIX and document.id.startswith(prefix.lower()))]
    if len(matches) > 1:
        raise AmbiguousNameError(wanted, [document.name for document in matches])
    return matches[0] if matches else None


@dataclasses.dataclass
class _State:
    """The current build as plain data: what a new build starts from."""
    manifest: dict
    chunks: list[Chunk]
    sentence_vectors: np.ndarray
    folder: Path | None
    ann: object = None  # the PQ (or IVF) indexes of the chunk vectors by language, when there are some
    chunk_matrix: np.ndarray | None = None
    lexical: object = None


def _previous(state: _State):
    """The previous build's structures, for an add that appends to them."""
    if state.chunk_matrix is None or state.lexical is None:
        return None
    return state


def _same_store(settings: Settings, state: _State | None) -> Settings:
    """An add or remove keeps the index in its store (Milvus), unless told otherwise."""
    store = (state.manifest.get("store") or {}) if state else {}
    if settings.store == "local" and store.get("kind") == "milvus":
        return dataclasses.replace(settings, store=store["uri"])
    return settings


def _current_state(index_dir, current: Index | None) -> _State | None:
    try:
        folder = storage.build_folder(index_dir)
    except IndexNotFoundError:
        return None
    if current is not None and Path(current.folder).resolve() == folder.resolve():
        return _State(current.manifest, current.chunks, current.sentence_matrix, folder, current.ann,
                      current.chunk_matrix, current.lexical)

    manifest = storage.read_manifest(folder, index_dir)
    storage.verify_checksums(folder, manifest, index_dir)
    matrix = vectorfiles.load_sentences(folder)
    layout = manifest.get("vector_index") or {}
    ann = codes.load_anns(folder, layout)
    return _State(manifest, read_chunks(folder), matrix, folder, ann,
                  vectorfiles.load_array(folder / vectorfiles.CHUNK_VECTORS_NAME),
                  LexicalIndex.load(folder / LEXICAL_FOLDER))


def _kept(state: _State, dropped: set[str]) -> tuple[list[Chunk], np.ndarray, list[dict]]:
    """The chunks, sentence vectors and manifest records of every document but the
    dropped ones (by stored path), with sentence numbers made contiguous again.
    Nothing dropped: the current build's chunks and vectors as they are."""
    if not dropped:
        return state.chunks, state.sentence_vectors, list(state.manifest.get("documents", []))
    chunks, rows = [], []
    by_document: dict[str, list[Chunk]] = {}
    for chunk in state.chunks:
        by_document.setdefault(chunk.path, []).append(chunk)
    records = [record for record in state.manifest.get("documents", []) if record.get("path") not in dropped]
    sentence_count = 0
    for record in records:
        document_chunks = by_document.get(record.get("path"), [])
        if not document_chunks:
            continue
        first = document_chunks[0].first_sentence
        last = max(chunk.sentence_ids.stop for chunk in document_chunks)
        rows.append(np.arange(first, last))
        chunks += [dataclasses.replace(chunk, first_sentence=chunk.first_sentence - first + sentence_count)
                   for chunk in document_chunks]
        sentence_count += last - first
    dim = state.sentence_vectors.shape[1]
    vectors = state.sentence_vectors[np.concatenate(rows)] if rows else np.zeros((0, dim), dtype=np.float32)
    return chunks, vectors, records


def _model_and_chunking(state: _State | None, settings: Settings, embedder):
    if state is None:
        chunking = {"version": CHUNKING_VERSION, "size": settings.chunk_size, "overlap": settings.chunk_overlap}
        return make_model(embedder, settings), chunking, settings.lexical_tokenizer
    manifest = state.manifest
    configured = embedder if embedder is not None else \
        make_model(manifest["embedder"]["id"], dataclasses.replace(
            settings, query_prefix=manifest["embedder"].get("query_prefix"),
            passage_prefix=manifest["embedder"].get("passage_prefix")))
    model = make_model(configured, settings)
    chunking = manifest["chunking"]
    return model, chunking, manifest.get("lexical", {}).get("tokenizer", settings.lexical_tokenizer)


def add_documents(index_dir, paths, *, replace: bool = False, progress: ProgressOption = False,
                  settings: Settings | None = None, current: Index | None = None) -> Index:
    """Add the files `paths` (files or folders) to the index in `index_dir` (made if
    there is none) and publish it. Returns the new index; its `report.outcomes` says
    what happened to each file. `current`, the loaded index, saves reading the
    current build from disk when it is that build. Raises `InputNotFoundError` when a
    path does not exist (nothing is added then)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        raise InputNotFoundError(missing)
    settings = settings or Settings.from_environment()
    started = time.monotonic()
    report = reporter(progress)
    outcomes: list[FileOutcome] = []
    failures: list[Failure] = []
    try:
        with storage.build_lock(index_dir, wait_seconds=settings.lock_wait_seconds):
            state = _current_state(index_dir, current)
            settings = _same_store(settings, state)
            model, chunking, tokenizer = _model_and_chunking(
                state, settings, current.embedder if current is not None else None)
            chunk_settings = dataclasses.replace(settings, chunk_size=chunking["size"],
                                                 chunk_overlap=chunking["overlap"])
            existing = document_infos(state.manifest) if state else []
            by_id = {document.id: document for document in existing}
            by_name = {document.name: document for document in existing}
            items = input_files(paths)
            new_chunks: list[list[Chunk]] = []
            new_sentences: list[list[str]] = []
            new_records: list[dict] = []
            replaced: set[str] = set()
            taken: dict[str, str] = {}  # sha256 -> name, for this call
            with PdfReaderProcess() as pdf_reader:
                reading = ReadingProgress(report, items, pdf_reader, settings.per_file_timeout_seconds,
                                          enabled=bool(progress))
                for number, item in enumerate(items):
                    reading.starting(number)
                    outcome = _add_one(index_dir, item, settings, chunk_settings, pdf_reader, by_id, by_name,
                                       taken, replace, new_chunks, new_sentences, new_records, replaced,
                                       on_page=reading.on_page(number))
                    reading.finished(number)
                    outcomes.append(outcome)
                    if outcome.outcome not in ("added", "replaced"):  # settled now: said now
                        report(Progress(OUTCOME, number + 1, len(items), outcome.name, number + 1, len(items),
                                        outcome=outcome.outcome, reason=outcome.reason))
                    if outcome.outcome == "rejected":
                        failures.append(Failure(str(item.path), outcome.reason))
            embedded = 0
            embed_seconds = 0.0
            if not new_records:
                index = current if current is not None and state is not None and \
                    Path(current.folder).resolve() == state.folder.resolve() else None
                if index is None:
                    if state is None:
                        raise NothingIndexedError(failures)

                    index = load_index(index_dir, embedder=model, settings=settings)
            else:
                chunks, vectors, records = _kept(state, {by_name[name].path for name in replaced}) \
                    if state else ([], np.zeros((0, model.dim), dtype=np.float32), [])
                parts, added_chunks = [vectors], []
                for document_chunks, sentences, record in zip(new_chunks, new_sentences, new_records):
                    offset = sum(len(part) for part in parts)
                    added_chunks += [dataclasses.replace(chunk, first_sentence=chunk.first_sentence + offset)
                                     for chunk in document_chunks]
                    result = embed_sentences(model, sentences, {}, batch_size=settings.batch_size, report=report,
                                             name=record["name"])
                    parts.append(result.vectors)
                    embedded += result.embedded
                    embed_seconds += result.seconds
                records += new_records
                chunks = chunks.extended(added_chunks) if isinstance(chunks, ChunkTable) else chunks + added_chunks
                index = publish(index_dir, model=model, chunking=chunking, lexical_tokenizer=tokenizer,
                                chunks=chunks, sentence_vectors=vectorfiles.stack(parts), documents=records,
                                failures=failures, previous_folder=state.folder if state else None,
                                settings=settings, previous=_previous(state) if state and not replaced else None)
    finally:
        close_reporter(report)
    index.report = BuildReport(
        documents=len(index.manifest.get("documents", [])), chunks=len(index.chunks),
        sentences=len(index.sentence_matrix), failures=failures,
        reused_sentences=len(index.sentence_matrix) - embedded,
        seconds=time.monotonic() - started, embed_seconds=embed_seconds, outcomes=outcomes,
        embedded_sentences=embedded)
    return index


def _add_one(index_dir, item, settings, chunk_settings, pdf_reader, by_id, by_name, taken, replace,
             new_chunks, new_sentences, new_records, replaced, on_page=None) -> FileOutcome:
    """Read, store and chunk one file, or say why not."""
    if item.problem:
        return FileOutcome(item.name, "rejected", item.problem)
    try:
        sha256 = storage.sha256_of(item.path)
    except OSError as error:
        return FileOutcome(item.name, "rejected", f"cannot open ({error.strerror or error})")
    if sha256 in by_id and by_id[sha256].name not in replaced:
        return FileOutcome(item.name, "duplicate", f"already indexed as {by_id[sha256].name}", sha256)
    if sha256 in taken:
        return FileOutcome(item.name, "duplicate", f"the same file as {taken[sha256]}, added now", sha256)
    old = by_name.get(item.name)
    if item.name in {record["name"] for record in new_records}:
        return FileOutcome(item.name, "rejected", f"two files named {item.name} were given; rename one")
    if old is not None and not replace:
        return FileOutcome(item.name, "conflict", f"a different version of {item.name} is indexed "
                                                  f"(added {old.added}); add it with replace to replace it", sha256)
    try:
        document = read_file(item, time_limit=settings.per_file_timeout_seconds, pdf_reader=pdf_reader,
                             on_page=on_page)
        document, chunks, sentences = stored_and_chunked(index_dir, document, item, chunk_settings)
    except DocumentError as error:
        return FileOutcome(item.name, "rejected", error.reason)
    except (OSError, ValueError) as error:
        return FileOutcome(item.name, "rejected", f"cannot keep a copy in the index ({error})")
    taken[document.sha256] = item.name
    new_chunks.append(chunks)
    new_sentences.append(sentences)
    new_records.append(document_record(document, chunks, stored=document.path, size=item.path.stat().st_size,
                                       added=utc_now(), origin="add"))
    if old is not None:
        replaced.add(item.name)
        return FileOutcome(item.name, "replaced", f"replaced the version added {old.added}", document.sha256)
    return FileOutcome(item.name, "added", "; ".join(document.warnings), document.sha256)  # read, with its warnings


def remove_documents(index_dir, names_or_ids, *, settings: Settings | None = None,
                     current: Index | None = None) -> Index:
    """Remove documents from the index in `index_dir` and publish it: each given by
    its name, id, or the beginning of exactly one document's name or id (see
    `find_document`). Embeds nothing. Raises LibraryError if that would leave no
    document, `AmbiguousNameError` (removing nothing) when a beginning fits several."""
    settings = settings or Settings.from_environment()
    if isinstance(names_or_ids, str):
        names_or_ids = [names_or_ids]
    started = time.monotonic()
    with storage.build_lock(index_dir, wait_seconds=settings.lock_wait_seconds):
        state = _current_state(index_dir, current)
        settings = _same_store(settings, state)
        if state is None:
            raise IndexNotFoundError(str(index_dir))
        existing = document_infos(state.manifest)
        outcomes, dropped = [], {}
        for wanted in names_or_ids:
            document = find_document(existing, str(wanted))
            if document is None:
                outcomes.append(FileOutcome(str(wanted), "not found",
                                            "no indexed document has this name or id, or a name beginning so"))
            else:
                dropped[document.path] = document
                outcomes.append(FileOutcome(document.name, "removed", "", document.id))
        if dropped and len(dropped) == len(existing):
            raise LibraryError("an index needs at least one document: add another one before removing "
                               + ", ".join(document.name for document in dropped.values()))
        if not dropped:
            index = current if current is not None and Path(current.folder).resolve() == state.folder.resolve() \
                else None
            if index is None:

                index = load_index(index_dir, settings=settings)
        else:
            model, chunking, tokenizer = _model_and_chunking(
                state, settings, current.embedder if current is not None else None)
            chunks, vectors, records = _kept(state, set(dropped))
            index = publish(index_dir, model=model, chunking=chunking, lexical_tokenizer=tokenizer, chunks=chunks,
                            sentence_vectors=vectors, documents=records, previous_folder=state.folder,
                            settings=settings)
    index.report = BuildReport(documents=len(index.manifest.get("documents", [])), chunks=len(index.chunks),
                               sentences=len(index.sentence_matrix), seconds=time.monotonic() - started,
                               outcomes=outcomes)
    return index
