"""Reading release files into normalized documents.

Design choice: a document is its normalized text plus the offset where each page
starts, so every later offset (chunks, quotes) points into one string and the page is
derived, never guessed. PDFs are read page by page (PDFium, with pypdf for metadata
and as a fallback; see `pdf_engines`) in a child process that is killed past the
per-file time limit (see `pdf_reader`); .txt and .md are decoded (UTF-8, UTF-16
with a byte-order mark, or Shift_JIS) and a form feed, where there is one, starts a
new page. Every PDF page is scored for garbage (`garbage`): a garbage page is left
out, with a warning; a file that is mostly garbage fails. A file that cannot be read
raises `DocumentError` with a reason a person can act on; `load_documents` collects
those and goes on. What went wrong short of failing is kept in `Document.warnings`.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from .files import SUPPORTED_SUFFIXES, decode_text, file_sha256, iter_input_files  # noqa: F401  (re-exported)
from .garbage import GARBAGE_THRESHOLD, UNREADABLE_REASON, score_text, unreadable
from .language import detect_language
from .markdown import visible_text
from .normalize import assemble_pages
from .pdf_reader import PdfReaderProcess
from .progress import READING, Progress
from .titles import choose_date, choose_title, first_substantial_line

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class Document:
    path: str
    source: str
    title: str
    date: str | None
    sha256: str
    text: str
    page_offsets: tuple[int, ...]
    paged: bool
    date_source: str | None = None  # "text", "filename" or "metadata"
    language: str = "en"
    warnings: tuple[str, ...] = ()
    page_scores: tuple[float, ...] = ()  # garbage score of each PDF page as extracted
    skipped_pages: tuple[int, ...] = ()  # garbage pages left out (1-based)

    @property
    def page_count(self) -> int:
        return len(self.page_offsets)

    @property
    def pages(self) -> tuple[str, ...]:
        """The cleaned text of each page (a page that is left out is "")."""
        return tuple(self.page_text(number) for number in range(1, self.page_count + 1))

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding the character at `offset`, or None if unpaged."""
        if not self.paged:
            return None
        return max(1, bisect.bisect_right(self.page_offsets, offset))

    def page_text(self, page: int) -> str:
        starts = list(self.page_offsets) + [len(self.text)]
        return self.text[starts[page - 1]:starts[page]]


@dataclass(frozen=True)
class Failure:
    path: str
    reason: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Duplicate:
    path: str
    same_as: str


def page_list(pages: list[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    ranges: list[list[int]] = []
    for page in pages:
        if ranges and page == ranges[-1][1] + 1:
            ranges[-1][1] = page
        else:
            ranges.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def _read_pdf(path: Path, time_limit: float, pdf_reader: PdfReaderProcess | None, on_page):
    """(raw pages, title lines, metadata, page scores, skipped pages, warnings)."""
    name = str(path)
    if pdf_reader is None:
        with PdfReaderProcess() as own_reader:
            raw = own_reader.read_pdf(path, time_limit, on_page)
    else:
        raw = pdf_reader.read_pdf(path, time_limit, on_page)
    warnings = list(raw.warnings)
    if raw.engine != "pdfium":
        warnings.insert(0, "PDFium could not open this file; its text was read with pypdf")
    if raw.fallback_pages:
        warnings.append(f"page(s) {page_list(raw.fallback_pages)}: PDFium's text was unreadable, pypdf's was used")
    if not any(page.strip() for page in raw.pages):
        error = DocumentError(name, "no text layer (a scanned PDF? run OCR first)")
        error.warnings = warnings
        raise error
    scores = [score_text(page) for page in raw.pages]
    if unreadable(scores):
        worst = sorted(score.score for score in scores if score.characters)
        error = DocumentError(name, UNREADABLE_REASON)
        error.warnings = warnings + [f"{sum(score.garbage for score in scores)} of {len(scores)} pages scored as "
                                     f"garbage (median score {worst[len(worst) // 2]:.2f})"]
        raise error
    skipped = [number for number, score in enumerate(scores, start=1) if score.garbage]
    if skipped:
        warnings.append(f"page(s) {page_list(skipped)} not indexed: text unreadable "
                        f"(garbage score {GARBAGE_THRESHOLD:g} or more)")
    pages = ["" if score.garbage else page for page, score in zip(raw.pages, scores)]
    return pages, raw, tuple(score.score for score in scores), tuple(skipped), warnings


# Fewer characters than this and the file is read but flagged: few releases are shorter.
SHORT_TEXT = 40


def load_document(path, *, time_limit: float = 120.0, pdf_reader: PdfReaderProcess | None = None,
                  on_page=None) -> Document:
    """Read one .pdf, .txt or .md file. Raises DocumentError if it cannot be read.

    PDFs are read in a child process (`pdf_reader`, or a new one for this file) that
    is killed when reading takes longer than `time_limit` seconds; `on_page(done,
    total)` is called as its pages are read."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DocumentError(name, f"cannot open ({error.strerror or error})") from None
    if size == 0:
        raise DocumentError(name, "empty file (0 bytes)")
    suffix = path.suffix.lower()
    raw = None
    scores: tuple[float, ...] = ()
    skipped: tuple[int, ...] = ()
    warnings: list[str] = []
    markdown_title = None
    if suffix == ".pdf":
        raw_pages, raw, scores, skipped, warnings = _read_pdf(path, time_limit, pdf_reader, on_page)
        paged = True
    elif suffix in (".txt", ".md"):
        try:
            decoded = decode_text(path.read_bytes())
        except ValueError as error:
            raise DocumentError(name, str(error)) from None
        if suffix == ".md":  # as it renders: no #, ** or bullets in quotes (see `markdown`)
            markdown_title = first_substantial_line(decoded)
            decoded = visible_text(decoded)
        raw_pages = decoded.split("\f")
        paged = len(raw_pages) > 1
    else:
        raise DocumentError(name, f"unsupported file type {suffix or '(none)'}; use .pdf, .txt or .md")
    text, offsets = assemble_pages(raw_pages)
    length = len(text.strip())
    if not length:
        raise DocumentError(name, "no text after normalization")
    if length < SHORT_TEXT:  # a one-line "Hello" was added as a release with no word said
        warnings.append(f"very little text ({length} characters): is this a release?")
    if raw is not None:
        title = choose_title(text, path.name, metadata_title=raw.metadata_title, sized_lines=raw.title_lines)
        date, date_source = choose_date(text, path.name, creation_date=raw.creation_date)
    else:
        title = (visible_text(markdown_title) if markdown_title else first_substantial_line(text)) or path.stem
        date, date_source = choose_date(text, path.name)
    return Document(
        path=name,
        source=path.name,
        title=title,
        date=date,
        sha256=file_sha256(path),
        text=text,
        page_offsets=tuple(offsets),
        paged=paged,
        date_source=date_source,
        language=detect_language(text[:50_000]),
        warnings=tuple(warnings),
        page_scores=scores,
        skipped_pages=skipped,
    )


@dataclass(frozen=True)
class LoadedDocuments:
    documents: list[Document]
    failures: list[Failure]
    duplicates: list[Duplicate]


def load_documents(paths, *, time_limit: float = 120.0, progress=None) -> LoadedDocuments:
    """Read every input; a file that fails is logged and recorded, never fatal.
    Files with the same bytes under different names are indexed once.

    `progress`, if given, is called with a `Progress` record (stage "reading") as
    pages are read; the pages of all PDFs are counted first, so it has a total."""
    documents: list[Document] = []
    failures: list[Failure] = []
    duplicates: list[Duplicate] = []
    seen: dict[str, str] = {}
    inputs = list(iter_input_files(paths))
    with PdfReaderProcess() as pdf_reader:  # started only when the first PDF comes
        counts: dict[str, int | None] = {}
        if progress is not None:
            pdfs = [path for path, problem in inputs if problem is None and path.suffix.lower() == ".pdf"]
            counts = pdf_reader.count_pages(pdfs, time_limit) if pdfs else {}
        sizes = [counts.get(str(path)) or 1 for path, _ in inputs]
        total = sum(sizes)
        before = 0

        def report(done: int, file: str | None, number: int) -> None:
            if progress is not None:
                progress(Progress(READING, min(done, total), total, file, number, len(inputs)))

        report(0, None, 0)
        for number, ((path, problem), size) in enumerate(zip(inputs, sizes)):
            def on_page(done: int, _total: int, path=path, number=number) -> None:
                report(before + min(done, size), str(path), number)

            try:
                if problem:
                    failures.append(Failure(str(path), problem))
                    logger.info("skipped %s: %s", path, problem)  # reported once, in the build report
                    continue
                try:
                    document = load_document(path, time_limit=time_limit, pdf_reader=pdf_reader,
                                             on_page=on_page if progress is not None else None)
                except DocumentError as error:
                    failures.append(Failure(error.path, error.reason, tuple(getattr(error, "warnings", ()))))
                    logger.info("skipped %s: %s", error.path, error.reason)
                    continue
                if document.sha256 in seen:
                    duplicates.append(Duplicate(document.path, seen[document.sha256]))
                    logger.info("%s has the same content as %s; indexed once", document.path,
                                seen[document.sha256])
                    continue
                seen[document.sha256] = document.path
                documents.append(document)
            finally:
                before += size
                report(before, str(path), number + 1)
    return LoadedDocuments(documents, failures, duplicates)
