"""Every error the library raises.

Design choice: one module of typed errors, all subclasses of `QAError`. The library
never prints; the CLI and `app.py` turn these into messages. Each message says what
went wrong and, where there is one, the command that fixes it.
"""

from __future__ import annotations


class QAError(Exception):
    """Base class for every error raised by qa."""


class DocumentError(QAError):
    """A single input file could not be read. The build skips it and goes on."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NothingIndexedError(QAError):
    """No input file could be indexed, so no index was written."""

    def __init__(self, failures: list):
        self.failures = list(failures)
        if failures:
            detail = "; ".join(f"{failure.path}: {failure.reason}" for failure in failures[:10])
            message = f"nothing could be indexed ({len(failures)} file(s) failed: {detail})"
        else:
            message = "nothing to index: no .pdf, .txt or .md files were found"
        super().__init__(message)


class IndexNotFoundError(QAError):
    """There is no built index at the given folder."""

    def __init__(self, index_dir: str):
        super().__init__(
            f"no index found in {index_dir!r}. Build one with: qa build corpus/ --index {index_dir}"
        )
        self.index_dir = index_dir


class IndexCorruptError(QAError):
    """An index file is missing, truncated or altered."""

    def __init__(self, index_dir: str, detail: str):
        super().__init__(
            f"the index in {index_dir!r} is damaged ({detail}). "
            f"Rebuild it with: qa build corpus/ --index {index_dir}"
        )
        self.index_dir = index_dir
        self.detail = detail


class EmbedderMismatchError(QAError):
    """The index was built with another embedder than the one configured."""

    def __init__(self, index_dir: str, index_embedder: str, configured_embedder: str):
        super().__init__(
            f"the index in {index_dir!r} was built with embedder {index_embedder!r}, "
            f"but {configured_embedder!r} is configured. Rebuild it with: "
            f"qa build corpus/ --index {index_dir} --embedder {configured_embedder}"
        )
        self.index_embedder = index_embedder
        self.configured_embedder = configured_embedder


class EmbedderError(QAError):
    """An embedder could not be created or failed to embed."""


class IndexLockedError(QAError):
    """Another build holds the lock on this index folder."""


class QuestionError(QAError):
    """The question cannot be answered as asked (for example, it is empty)."""


class LibraryError(QAError):
    """A change to an index's documents that cannot be made as asked (for example,
    removing every document)."""


class AmbiguousNameError(LibraryError):
    """A name given to remove is the beginning of several documents' names or ids;
    `matches` holds their names. Nothing was removed."""

    def __init__(self, wanted: str, matches: list[str]):
        shown = ", ".join(matches[:10]) + (f" and {len(matches) - 10} more" if len(matches) > 10 else "")
        super().__init__(f"{wanted!r} is the beginning of {len(matches)} documents' names or ids: {shown}; "
                         f"give more of the name (or the id). Nothing was removed")
        self.wanted = wanted
        self.matches = list(matches)


class InputNotFoundError(QAError):
    """A path given to add does not exist; `paths` holds each one. Nothing was added."""

    def __init__(self, paths: list[str]):
        super().__init__("no such file or folder: " + ", ".join(paths) + ". Nothing was added")
        self.paths = list(paths)


class WouldLoseDocumentsError(QAError):
    """A build was given files that leave out documents added to the index one at a
    time (`qa add`, `Index.add`, an upload in the app), whose only copies may be the
    ones kept in the index folder. `documents` holds their `DocumentInfo` records.
    Nothing was built: build with keep_added (their copies in the index are read
    again), give their files to the build, or build with replace (they are dropped)."""

    def __init__(self, index_dir: str, documents: list):
        self.index_dir = str(index_dir)
        self.documents = list(documents)
        names = ", ".join(f"{document.name} (kept as {self.index_dir}/{document.path})"
                          for document in self.documents[:10])
        more = f" and {len(self.documents) - 10} more" if len(self.documents) > 10 else ""
        super().__init__(
            f"this build would drop {len(self.documents)} document(s) added to the index in {self.index_dir!r} "
            f"(by qa add or an upload in the app) that are not among the files given: {names}{more}. "
            f"Nothing was built. Build with --keep-added (keep_added=True) to keep them from those copies, "
            f"give their files to the build, or build with --replace (replace=True) to drop them")


class StoreError(QAError):
    """The configured store (QA_STORE, --store: a Milvus URI or a milvus-lite .db file)
    cannot be used: pymilvus is not installed, or Milvus cannot be reached."""


class LLMError(QAError):
    """The language model's server did not give a whole answer. `kind` says how:
    "unreachable" (nothing listens there, or the name does not resolve), "slow" (no
    whole answer within the time limit), "interrupted" (the connection closed
    mid-answer), "refused" (an HTTP error: a wrong model name, a missing key) or
    "garbled" (not an OpenAI-compatible reply)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
