"""Which PDF library does what, in one function: `extract_pdf`.

Design choice: each library where it is best (measured, see README):

- pypdfium2 (PDFium) reads the page text: it decodes non-embedded Japanese CID
  fonts through their CMaps, keeps glyph positions (word spaces, superscripts,
  font sizes; see `pdf_text`) and is the fastest engine installed here.
- pypdf opens the file first: it says whether the PDF is encrypted and opens those
  with an empty user password (its message says when a password is needed), and it
  reads the metadata (/Title, /CreationDate) with full PDF string decoding.
- pypdf is also the fallback engine: for a file PDFium cannot open, and for a page
  whose PDFium text scores as garbage while pypdf's does not.

Runs inside the reader child process (`pdf_reader`); returns plain JSON-ready data.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Callable

from ..errors import DocumentError
from .garbage import score_text
from .pdf_text import page_text

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
# The first pages that have text are searched for the largest-font line.
_TITLE_PAGES = 3


@dataclass
class RawPdf:
    pages: list[str]
    metadata_title: str | None = None
    creation_date: str | None = None  # ISO date
    title_lines: list = field(default_factory=list)  # [line, font size] of the first page with text
    engine: str = "pdfium"
    fallback_pages: list = field(default_factory=list)  # 1-based pages read by pypdf instead
    unicode_map_error_pages: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # the engines' own, filled by the reader process

    def to_json(self) -> dict:
        return asdict(self)


def pdf_date(value) -> str | None:
    """An ISO date from a PDF date string ("D:20230204115901-00'00'") or a datetime."""
    if value is None:
        return None
    if hasattr(value, "date"):
        return value.date().isoformat()
    match = _PDF_DATE.match(str(value).strip())
    if not match or not match.group(2) or not match.group(3):
        return None
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1980 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _open_with_pypdf(path: str):
    """(reader or None, its error or None). Raises DocumentError for a locked file."""
    import pypdf

    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception as error:  # missing crypto backend, unknown algorithm
                raise DocumentError(path, f"encrypted PDF that cannot be opened ({error})") from None
            if not unlocked:
                raise DocumentError(path, "encrypted PDF: a password is needed to read it")
        return reader, None
    except DocumentError:
        raise
    except Exception as error:  # pypdf raises many kinds on malformed files (PdfReadError, KeyError, ...)
        return None, f"{type(error).__name__}: {error}"


def _pypdf_metadata(reader) -> tuple[str | None, str | None]:
    try:
        metadata = reader.metadata or {}
        title = metadata.get("/Title")
        created = metadata.get("/CreationDate")
        return (str(title).strip() if title else None), pdf_date(created)
    except Exception:  # a malformed info dictionary is not worth failing the file
        return None, None


def _pypdf_page(reader, number: int) -> str:
    try:
        return reader.pages[number].extract_text() or ""
    except Exception:
        return ""


def extract_pdf(path: str, on_page: Callable[[int, int], None] | None = None) -> RawPdf:
    """Every page's text and the metadata of a PDF. Raises DocumentError.
    `on_page(done, total)` is called after each page."""
    import pypdfium2 as pdfium

    reader, pypdf_error = _open_with_pypdf(path)
    metadata_title, creation_date = _pypdf_metadata(reader) if reader is not None else (None, None)
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError(path, "encrypted PDF: a password is needed to read it") from None
        if reader is None:
            raise DocumentError(path, f"corrupt or unreadable PDF ({pypdf_error or error})") from None
        return _extract_with_pypdf(path, reader, metadata_title, creation_date, on_page)
    try:
        if reader is None:
            info = document.get_metadata_dict(skip_empty=True)
            metadata_title, creation_date = info.get("Title"), pdf_date(info.get("CreationDate"))
        raw = RawPdf(pages=[], metadata_title=metadata_title, creation_date=creation_date)
        total = len(document)
        for number in range(total):
            page = document[number]
            try:
                text = page_text(page, sized=not raw.title_lines and number < _TITLE_PAGES)
            finally:
                page.close()
            content = text.text
            if text.unicode_map_error:
                raw.unicode_map_error_pages.append(number + 1)
            if reader is not None and score_text(content).garbage:
                alternative = _pypdf_page(reader, number)
                if alternative.strip() and not score_text(alternative).garbage:
                    content = alternative
                    raw.fallback_pages.append(number + 1)
            if text.sized_lines and content is text.text:
                raw.title_lines = [list(item) for item in text.sized_lines]
            raw.pages.append(content)
            if on_page is not None:
                on_page(number + 1, total)
    finally:
        document.close()
    return raw


def _extract_with_pypdf(path, reader, metadata_title, creation_date, on_page) -> RawPdf:
    raw = RawPdf(pages=[], metadata_title=metadata_title, creation_date=creation_date, engine="pypdf")
    try:
        total = len(reader.pages)
        for number in range(total):
            raw.pages.append(reader.pages[number].extract_text() or "")
            if on_page is not None:
                on_page(number + 1, total)
    except Exception as error:
        raise DocumentError(path, f"corrupt or unreadable PDF ({type(error).__name__}: {error})") from None
    return raw


def count_pages(path: str) -> int | None:
    """The number of pages, or None when the file does not open (it fails later, with
    its reason)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except Exception:
        return None
    try:
        return len(document)
    finally:
        document.close()
