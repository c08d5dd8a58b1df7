"""The files a build is given: named, read (with page-by-page progress), kept in the
index folder, chunked, and recorded in the manifest.

Design choice: a file is indexed under its path relative to the folder it was found
in (or its own name), so the same release read from two places is one document; a
file that cannot be read is named with the reason (`InputFile.problem`) instead of
stopping the build. PDFs' pages are counted first, in the reader process, so the
reading bar has a total and an ETA from the start.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from . import storage
from .errors import DocumentError
from .ingest.chunking import Chunk, chunk_document
from .ingest.documents import Document, iter_input_files, load_document
from .ingest.pdf_reader import PdfReaderProcess
from .ingest.progress import READING, Progress, ProgressCallback
from .settings import Settings


class ReadingProgress:
    """Page-by-page reading progress over several files: the PDFs' pages are counted
    first (in the reader process), so the bar has a total and an ETA from the start;
    a text file counts as one page. Each record also gives the file's own pages."""

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

    def _event(self, number: int, file_done: int, file_total: int, files_done: int) -> Progress:
        return Progress(READING, min(self.before + min(file_done, self.sizes[number]), self.total), self.total,
                        self.items[number].name, files_done, len(self.items), file_done, file_total)

    def starting(self, number: int) -> None:
        """File `number` is about to be read."""
        self.report(self._event(number, 0, self.sizes[number], number))

    def on_page(self, number: int):
        """The page callback for file `number`: on_page(done, total)."""
        def on_page(done: int, total: int) -> None:
            file_total = total or self.sizes[number]
            self.report(self._event(number, min(done, file_total), file_total, number))
        return on_page

    def finished(self, number: int) -> None:
        self.report(self._event(number, self.sizes[number], self.sizes[number], number + 1))
        self.before += self.sizes[number]


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


def document_record(document: Document, chunks: list[Chunk], *, stored: str, size: int, added: str,
                    origin: str) -> dict:
    """A document's entry in the manifest (see `qa.records.DocumentInfo`), with what
    reading it found: where its date came from, pages left out, warnings. `origin`:
    "build" (a file a build was given) or "add" (added one at a time)."""
    return {"id": document.sha256, "name": document.source, "source": document.source, "path": stored,
            "sha256": document.sha256, "title": document.title, "date": document.date,
            "date_source": document.date_source,
            "pages": document.page_count if document.paged else None,
            "language": document_language(chunks) if chunks else document.language,
            "size": size, "added_at": added, "origin": origin, "chunks": len(chunks),
            "skipped_pages": list(document.skipped_pages), "warnings": list(document.warnings)}


def stored_and_chunked(index_dir, document: Document, item: InputFile, settings: Settings
                       ) -> tuple[Document, list[Chunk], list[str]]:
    """Keep the file in the index folder, and chunk it as stored there."""
    stored = storage.store_document(index_dir, item.path, document.sha256)
    document = dataclasses.replace(document, path=stored)
    chunks, sentences = chunk_document(document, settings.chunk_size, settings.chunk_overlap)
    return document, chunks, sentences
