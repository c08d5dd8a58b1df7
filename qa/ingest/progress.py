"""Progress of a build, as plain events, and the terminal bars that show them.

Design choice: the library reports progress as `Progress` records passed to a
callable the caller gives (`build_index(..., progress=callback)`), so the CLI, the
app and tests each show it their own way; `True` asks for the tqdm bars below on
stderr. Reading counts pages (all files' pages are counted first, so the bar has a
total and an ETA from the start); embedding counts sentences. Each record also
carries the current file's own count (`file_done`/`file_total`), so an app can show
every file's progress on its own row, and an add reports a file that will not be
added as soon as that is known (stage "outcome": duplicate, conflict, rejected).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable, Union

READING = "reading"
EMBEDDING = "embedding"
OUTCOME = "outcome"


@dataclass(frozen=True)
class Progress:
    stage: str  # READING (unit: pages), EMBEDDING (unit: sentences) or OUTCOME (a file settled)
    done: int   # over every file of the call (an add's embedding: this file's)
    total: int
    file: str | None = None  # the file being read or embedded (its indexed name)
    files_done: int = 0
    files_total: int = 0
    file_done: int = 0       # this file's own pages read or sentences embedded
    file_total: int = 0
    outcome: str = ""        # OUTCOME: "duplicate", "conflict" or "rejected"
    reason: str = ""

    @property
    def unit(self) -> str:
        return "page" if self.stage == READING else "sentence"


# Progress is reported as `Progress` records to a callable the caller gives: stage
# "reading" counts pages (with the file's indexed name and the file count),
# "embedding" counts sentences (of the file named, or of all files), "outcome" names
# a file an add will not add, with the outcome and reason.
ProgressCallback = Callable[[Progress], None]
ProgressOption = Union[bool, ProgressCallback, None]


class TerminalBars:
    """A tqdm bar per stage on stderr: pages while reading (with the file count and
    name), then sentences while embedding. Use as a progress callback; `close()` at
    the end."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stderr
        self._bars: dict[str, object] = {}

    def __call__(self, event: Progress) -> None:
        from tqdm import tqdm

        if event.stage == OUTCOME:  # said after the build, with every file's outcome
            return
        bar = self._bars.get(event.stage)
        if bar is None:
            for other in list(self._bars.values()):
                other.close()
            bar = tqdm(total=event.total, desc=event.stage, unit=event.unit, file=self._stream,
                       dynamic_ncols=True, mininterval=0.2)
            self._bars = {event.stage: bar}
        if bar.total != event.total:
            bar.total = event.total
        if event.stage == READING and event.files_total:
            name = (event.file or "").rsplit("/", 1)[-1][:40]
            bar.set_postfix_str(f"file {min(event.files_done + 1, event.files_total)}/{event.files_total} {name}",
                                refresh=False)
        bar.update(event.done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars = {}


def reporter(progress: ProgressOption) -> ProgressCallback:
    """A callback for `progress`: the caller's own, tqdm bars for True, or nothing."""
    if callable(progress):
        return progress
    return TerminalBars() if progress else (lambda event: None)


def close_reporter(report: ProgressCallback) -> None:
    if isinstance(report, TerminalBars):
        report.close()
