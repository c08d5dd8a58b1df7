"""Finding the input files of a build, and decoding text files.

Design choice: every input comes back, either as a file to read or with the reason it
is not one (a missing path, an unsupported type), so nothing is dropped silently.
Text files are decoded strictly: UTF-8, UTF-16 with a byte-order mark, or Shift_JIS;
binary data and undecodable bytes are reported, never indexed as mojibake.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Iterator

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")


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
