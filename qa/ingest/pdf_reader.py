"""Reading PDF text in a child process with a hard per-file time limit.

Design choice: the PDF engines (`pdf_engines`: PDFium for text, pypdf for metadata,
encryption and fallback) run in a separate Python process, started once per build
and reused from file to file. A PDF that makes the parser loop, spend minutes on a single
page, or crash the interpreter then costs only that file: the parent waits at most the
per-file limit, kills the child, reports the file and starts a fresh child for the
next one. A clock checked between pages cannot stop one page that never returns.

The two processes speak JSON lines over the child's stdin and stdout; nothing is
pickled. While it reads a file the child sends one progress line per page, so the
parent can show pages/s without waiting for the file (the deadline still counts
from the request). The child never prints: the engines' warnings (pypdf's logging,
Python warnings) are collected per file and travel back in the reply, where the
build keeps them with the file. A child whose parent has died exits by itself.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from ..errors import DocumentError
from .pdf_engines import RawPdf, count_pages, extract_pdf

logger = logging.getLogger(__name__)

STARTUP_SECONDS = 60.0


def extract_pages(path: str) -> list[str]:
    """Text of each page of a PDF, in this process. Raises DocumentError."""
    return extract_pdf(path).pages


class PdfReaderProcess:
    """A child process that extracts PDF text, one file at a time, under a time limit.

        with PdfReaderProcess() as reader:
            raw = reader.read_pdf("release.pdf", time_limit=120, on_page=print)
            raw.pages, raw.metadata_title, raw.warnings
    """

    def __init__(self):
        self._process: subprocess.Popen | None = None
        self._errors = None
        self._buffer = b""

    def __enter__(self) -> "PdfReaderProcess":
        return self

    def __exit__(self, *exception) -> None:
        self.close()

    def read_pages(self, path, time_limit: float) -> list[str]:
        """The text of each page, or DocumentError (also when `time_limit` seconds pass)."""
        return self.read_pdf(path, time_limit).pages

    def read_pdf(self, path, time_limit: float, on_page=None) -> RawPdf:
        """Pages and metadata of one PDF, or DocumentError (also when `time_limit`
        seconds pass). `on_page(done, total)` is called as pages are read. The
        engines' warnings for this file are in `.warnings` (also on a DocumentError)."""
        reply = self._request(str(path), {"read": str(Path(path).resolve())}, time_limit, on_page)
        warnings = reply.get("warnings", [])
        if "error" in reply:
            error = DocumentError(str(path), reply["error"])
            error.warnings = warnings
            raise error
        return RawPdf(**{**reply["pdf"], "warnings": warnings})

    def count_pages(self, paths, time_limit: float) -> dict[str, int | None]:
        """Page counts of several PDFs (None for one that does not open), read in the
        child; {} when that takes longer than `time_limit` seconds."""
        paths = [str(path) for path in paths]
        if not paths:
            return {}
        try:
            reply = self._request(paths[0], {"count": [str(Path(path).resolve()) for path in paths]},
                                  time_limit, None)
        except DocumentError:
            return {}
        return dict(zip(paths, reply.get("counts", [])))

    def _request(self, name: str, request: dict, time_limit: float, on_page) -> dict:
        self._start(name)
        deadline = time.monotonic() + max(time_limit, 0.0)
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
        except OSError:
            raise DocumentError(name, f"the PDF reader process stopped on this file ({self._exit_detail()})") from None
        while True:
            line = self._read_line(deadline)
            if line is None:
                self.close()
                raise DocumentError(name, f"reading took longer than {time_limit:g} s (the per-file time limit)")
            if line == b"":
                raise DocumentError(name, f"the PDF reader process stopped on this file ({self._exit_detail()})")
            reply = json.loads(line)
            if "progress" not in reply:
                return reply
            if on_page is not None:
                on_page(*reply["progress"])

    def close(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                stream.close()
            self._process = None
        if self._errors is not None:
            self._errors.close()
            self._errors = None
        self._buffer = b""

    def _start(self, path) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self.close()
        package_parent = str(Path(__file__).resolve().parents[2])
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, environment.get("PYTHONPATH")]))
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [sys.executable, "-c", "from qa.ingest.pdf_reader import serve; serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors, env=environment, close_fds=True,
        )
        ready = self._read_line(time.monotonic() + STARTUP_SECONDS)
        if ready != b"ready":
            reason = self._exit_detail() if ready == b"" else f"no answer in {STARTUP_SECONDS:g} s"
            self.close()
            raise DocumentError(str(path), f"the PDF reader process could not start ({reason})")

    def _read_line(self, deadline: float) -> bytes | None:
        """One line from the child; b"" if it exited, None if the deadline passed."""
        stdout = self._process.stdout
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    return None
                block = os.read(stdout.fileno(), 1 << 20)
                if not block:
                    return b""
                self._buffer += block
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _exit_detail(self) -> str:
        """How the child ended: its exit code and the last line it wrote to stderr.
        Closes this reader; the next file starts a fresh child."""
        code = self._process.wait() if self._process is not None else None
        detail = f"exit code {code}"
        if self._errors is not None:
            self._errors.seek(0)
            lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
            detail += f": {lines[-1]}" if lines else ""
        self.close()
        return detail


class _WarningCollector(logging.Handler):
    """The engines' warnings for one file: each distinct message once, with a count."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip().splitlines()[0][:300] if record.getMessage().strip() else ""
        if message and (message in self.messages or len(self.messages) < 20):
            self.messages[message] = self.messages.get(message, 0) + 1

    def summary(self) -> list[str]:
        return [message if count == 1 else f"{message} (x{count})" for message, count in self.messages.items()]


def _exit_when_orphaned(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def serve() -> None:
    """The child's loop: one JSON request a line in, one JSON reply a line out."""
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    sys.stdout = sys.stderr  # nothing but replies may reach the parent's pipe
    collector = _WarningCollector()
    logging.getLogger().addHandler(collector)
    logging.captureWarnings(True)
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    import pypdf  # noqa: F401  (imported before "ready", so start-up is not charged to a file)
    import pypdfium2  # noqa: F401

    replies.write(b"ready\n")
    for request_line in sys.stdin.buffer:
        collector.messages.clear()
        request = json.loads(request_line)
        if "count" in request:
            replies.write(json.dumps({"counts": [count_pages(path) for path in request["count"]]}).encode() + b"\n")
            continue

        def on_page(done: int, total: int) -> None:
            replies.write(json.dumps({"progress": [done, total]}).encode() + b"\n")

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always")
                reply = {"pdf": extract_pdf(request["read"], on_page).to_json()}
        except DocumentError as error:
            reply = {"error": error.reason}
        except Exception as error:  # an engine bug on one file costs only that file
            reply = {"error": f"corrupt or unreadable PDF ({type(error).__name__}: {error})"}
        reply["warnings"] = collector.summary()
        replies.write(json.dumps(reply).encode() + b"\n")
