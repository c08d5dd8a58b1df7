"""Reading PDF text in a child process with a hard per-file time limit.

Design choice: pypdf runs in a separate Python process, started once per build and
reused from file to file. A PDF that makes the parser loop, spend minutes on a single
page, or crash the interpreter then costs only that file: the parent waits at most the
per-file limit, kills the child, reports the file and starts a fresh child for the
next one. A clock checked between pages cannot stop one page that never returns.

The two processes speak JSON lines over the child's stdin and stdout; nothing is
pickled. The child never prints: pypdf's warnings travel back in the reply and are
logged by the parent. A child whose parent has died exits by itself.
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
from pathlib import Path

from ..errors import DocumentError

logger = logging.getLogger(__name__)

STARTUP_SECONDS = 60.0


def extract_pages(path: str) -> list[str]:
    """Text of each page of a PDF, in this process. Raises DocumentError."""
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
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except Exception as error:  # pypdf raises many kinds on malformed files (PdfReadError, KeyError, ...)
        raise DocumentError(path, f"corrupt or unreadable PDF ({type(error).__name__}: {error})") from None
    if not any(page.strip() for page in pages):
        raise DocumentError(path, "no text layer (a scanned PDF? run OCR first)")
    return pages


class PdfReaderProcess:
    """A child process that extracts PDF text, one file at a time, under a time limit.

        with PdfReaderProcess() as reader:
            pages = reader.read_pages("release.pdf", time_limit=120)
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
        name = str(path)
        self._start(name)
        try:
            self._process.stdin.write(json.dumps({"path": str(Path(path).resolve())}).encode() + b"\n")
            self._process.stdin.flush()
        except OSError:
            raise DocumentError(name, f"the PDF reader process stopped on this file ({self._exit_detail()})") from None
        line = self._read_line(time.monotonic() + max(time_limit, 0.0))
        if line is None:
            self.close()
            raise DocumentError(name, f"reading took longer than {time_limit:g} s (the per-file time limit)")
        if line == b"":
            raise DocumentError(name, f"the PDF reader process stopped on this file ({self._exit_detail()})")
        reply = json.loads(line)
        for warning in reply.get("warnings", []):
            logger.info("%s: %s", name, warning)
        if "error" in reply:
            raise DocumentError(name, reply["error"])
        return reply["pages"]

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
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 20:
            self.messages.append(record.getMessage())


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

    replies.write(b"ready\n")
    for request in sys.stdin.buffer:
        collector.messages.clear()
        path = json.loads(request)["path"]
        try:
            reply = {"pages": extract_pages(path)}
        except DocumentError as error:  # extract_pages turns every failure into one
            reply = {"error": error.reason}
        reply["warnings"] = collector.messages
        replies.write(json.dumps(reply).encode() + b"\n")

