"""Reading release files into normalized documents.

Design choice: a document is its normalized text plus the offset where each page
starts, so every later offset (chunks, quotes) points into one string and the page is
derived, never guessed. PDFs are read page by page with pypdf, in a child process
that is killed past the per-file time limit (see `pdf_reader`); .txt and .md are
decoded (UTF-8, UTF-16 with a byte-order mark, or Shift_JIS) and a form feed, where
there is one, starts a new page. A file that cannot be read raises `DocumentError`
with a reason a person can act on; `load_documents` collects those and goes on.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .dates import find_dates, find_release_date
from ..errors import DocumentError
from .normalize import assemble_pages
from .pdf_reader import PdfReaderProcess

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")
_MINIMUM_TITLE_CHARACTERS = 12


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

    @property
    def page_count(self) -> int:
        return len(self.page_offsets)

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


@dataclass(frozen=True)
class Duplicate:
    path: str
    same_as: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def iter_input_files(paths) -> Iterator[tuple[Path, str | None]]:
    """Yield (file, problem) for every input: directories are walked recursively for
    supported files; a named file of another type, or a missing path, comes back with
    the problem instead of being dropped silently."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative_parts = found.relative_to(path).parts
                if any(part.startswith(".") for part in relative_parts):
                    continue
                if found.is_file() and found.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield found, None
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                yield path, None
            else:
                yield path, f"unsupported file type {path.suffix or '(none)'}; use .pdf, .txt or .md"
        else:
            yield path, "no such file or folder"


def decode_text(data: bytes) -> str:
    """Decode a text file, or raise ValueError saying why it is not text."""
    if not data.strip():
        raise ValueError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data[:8192]:
        raise ValueError("binary data, not text (NUL bytes)")
    else:
        for encoding in ("utf-8", "cp932"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("undecodable text: neither UTF-8 nor Shift_JIS")
    control = sum(
        1 for character in text if unicodedata.category(character) == "Cc" and character not in "\n\r\t\f"
    )
    if control > 0.01 * len(text):
        raise ValueError("binary data, not text (control characters)")
    return text


def _title(text: str, fallback: str) -> str:
    for line in text.split("\n")[:40]:
        heading = re.match(r"^#+\s*(.+)$", line)
        if heading:
            return heading.group(1).strip()[:200]
        letters = re.sub(r"\W", "", line)
        dates_span = sum(mention.end - mention.start for mention in find_dates(line))
        if len(letters) < _MINIMUM_TITLE_CHARACTERS or dates_span > len(line) / 2 or "://" in line:
            continue
        return line.strip()[:200]
    return fallback


def load_document(path, *, time_limit: float = 120.0, pdf_reader: PdfReaderProcess | None = None) -> Document:
    """Read one .pdf, .txt or .md file. Raises DocumentError if it cannot be read.

    PDFs are read in a child process (`pdf_reader`, or a new one for this file) that
    is killed when reading takes longer than `time_limit` seconds."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DocumentError(name, f"cannot open ({error.strerror or error})") from None
    if size == 0:
        raise DocumentError(name, "empty file (0 bytes)")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        if pdf_reader is None:
            with PdfReaderProcess() as own_reader:
                raw_pages = own_reader.read_pages(path, time_limit)
        else:
            raw_pages = pdf_reader.read_pages(path, time_limit)
        paged = True
    elif suffix in (".txt", ".md"):
        try:
            raw = decode_text(path.read_bytes())
        except ValueError as error:
            raise DocumentError(name, str(error)) from None
        raw_pages = raw.split("\f")
        paged = len(raw_pages) > 1
    else:
        raise DocumentError(name, f"unsupported file type {suffix or '(none)'}; use .pdf, .txt or .md")
    text, offsets = assemble_pages(raw_pages)
    if not text.strip():
        raise DocumentError(name, "no text after normalization")
    return Document(
        path=name,
        source=path.name,
        title=_title(text, path.stem),
        date=find_release_date(text, path.name),
        sha256=file_sha256(path),
        text=text,
        page_offsets=tuple(offsets),
        paged=paged,
    )


@dataclass(frozen=True)
class LoadedDocuments:
    documents: list[Document]
    failures: list[Failure]
    duplicates: list[Duplicate]


def load_documents(paths, *, time_limit: float = 120.0) -> LoadedDocuments:
    """Read every input; a file that fails is logged and recorded, never fatal.
    Files with the same bytes under different names are indexed once."""
    documents: list[Document] = []
    failures: list[Failure] = []
    duplicates: list[Duplicate] = []
    seen: dict[str, str] = {}
    with PdfReaderProcess() as pdf_reader:  # started only when the first PDF comes
        for path, problem in iter_input_files(paths):
            if problem:
                failures.append(Failure(str(path), problem))
                logger.warning("skipped %s: %s", path, problem)
                continue
            try:
                document = load_document(path, time_limit=time_limit, pdf_reader=pdf_reader)
            except DocumentError as error:
                failures.append(Failure(error.path, error.reason))
                logger.warning("skipped %s: %s", error.path, error.reason)
                continue
            if document.sha256 in seen:
                duplicates.append(Duplicate(document.path, seen[document.sha256]))
                logger.info("%s has the same content as %s; indexed once", document.path, seen[document.sha256])
                continue
            seen[document.sha256] = document.path
            documents.append(document)
    return LoadedDocuments(documents, failures, duplicates)
