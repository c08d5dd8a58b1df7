"""qa: answers about company press releases, with citations.

    import qa
    index = qa.build_index(["corpus/"], "index")
    index.add(["new-release.pdf"]); index.remove(["old-release.pdf"]); index.documents()
    hits = qa.retrieve("When does Mission 2 land?")
    answer = qa.answer("ミッション2の月面着陸はいつですか？")
    document = qa.read_document("release.pdf")  # what qa reads from one file

The library never configures logging and never prints; progress bars appear only
when asked for (`progress=True`).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

# bm25s sets its own logger to DEBUG when it is imported, so its "Building index from
# tokens" lines reach any handler an application configures. It is imported here once
# and its logger set back to follow the application's configuration.
import bm25s as _bm25s  # noqa: F401

if logging.getLogger("bm25s").level == logging.DEBUG:
    logging.getLogger("bm25s").setLevel(logging.NOTSET)

from . import storage
# The pipeline's stages are packages (qa.ingest, qa.search, qa.answer). qa.answer is
# imported here, before the function `answer` below is defined, so that the public
# `qa.answer(...)` keeps its name: importing a package binds it on its parent only
# the first time. Import from the stage modules by their full names
# (`from qa.answer.facts import ...`).
from . import answer as _answer_stage  # noqa: F401
from .building import build_index
from . import library
from .errors import QAError
from .index import BuildReport, Index
from .loading import load_index

# The index adds and removes documents through the library, which builds indexes and so
# imports qa.index: connected here, once, so that neither imports the other in a circle.
Index.library = library
from .ingest.documents import Document
from .records import Answer, Citation, DocumentInfo, FileOutcome, Hit
from .settings import Settings

__all__ = [
    "Answer", "BuildReport", "Citation", "Document", "DocumentInfo", "FileOutcome", "Hit", "Index", "QAError",
    "Settings", "answer", "build_index", "load_index", "read_document", "retrieve", "cached_index",
]
__version__ = "0.1.0"

_cache: dict[str, tuple[str, Index]] = {}
_cache_lock = threading.Lock()


def cached_index(index_dir="index") -> Index:
    """The index in `index_dir`, loaded once per process and reloaded only when a
    new build has been published there."""
    key = str(Path(index_dir).resolve())
    marker = storage.current_build_marker(index_dir)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == marker:
            return cached[1]
        index = load_index(index_dir)
        _cache[key] = (marker, index)
        return index


def read_document(path, *, time_limit: float | None = None) -> Document:
    """What qa reads from one .pdf, .txt or .md file: its cleaned page texts
    (`.pages`), title, date and `date_source`, language, `warnings` and per-page
    garbage scores (`.page_scores`, with `.skipped_pages` left out of the index).
    Raises `DocumentError` (a `QAError`) with the reason when the file cannot be read."""
    from .ingest.documents import load_document

    limit = Settings.from_environment().per_file_timeout_seconds if time_limit is None else time_limit
    return load_document(path, time_limit=limit)


def retrieve(question: str, k: int = 5, index_dir="index") -> list[Hit]:
    """The `k` best passages for `question` from the index in `index_dir`."""
    return cached_index(index_dir).search(question, k=k)


def answer(question: str, index_dir="index", history=None, answerer=None) -> Answer:
    """An answer with citations from the index in `index_dir`: extractive, or written
    by the language model that QA_LLM names (or `answerer`) and checked sentence by
    sentence against its citations (see `qa.answer.generative`)."""
    from .asking import answer as ask

    return ask(cached_index(index_dir), question, history=history, answerer=answerer)
