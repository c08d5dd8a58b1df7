"""An upload's per-file table: every file's progress on its own row.

Design choice: an upload has one progress display, the table of its files (the app
shows no progress overlay over the rest of its tab). Each row follows its own file,
with that file's own counts, never the whole upload's: waiting, then its pages while
it is read ("reading… 12/69 pages"), then its sentences while they are embedded
("embedding… 40/120 sentences"), then its outcome. A file that will not be added
(duplicate, conflict, rejected) shows its outcome as soon as the library knows it;
the others show theirs when the new index is published. The table is plain data fed
with the library's `Progress` records, so the app's display is tested without a
server.
"""

from __future__ import annotations

from .ingest.progress import EMBEDDING, OUTCOME, READING, Progress

WAITING = "waiting"
READING_ROW = "reading…"
READ = "read"
EMBEDDING_ROW = "embedding…"
EMBEDDED = "embedded"


class UploadTable:
    """The rows [file, stage or outcome, detail] of one upload, in upload order.
    `names`: the names the files are indexed under."""

    def __init__(self, names: list[str]):
        self.rows = [[name, WAITING, ""] for name in names]
        self._rows: dict[str, list] = {}
        for row in self.rows:
            self._rows.setdefault(row[0], row)
        self._position: dict[str, int] = {}  # files_done when a file's reading began
        self._settled: set[str] = set()

    def snapshot(self) -> list[list]:
        return [list(row) for row in self.rows]

    def update(self, event: Progress) -> bool:
        """Take one progress record; True when a row changed."""
        row = self._rows.get(event.file or "")
        if row is None or row[0] in self._settled:
            return False
        before = list(row)
        name = row[0]
        if event.stage == OUTCOME:
            row[1:] = [event.outcome, event.reason]
            self._settled.add(name)
        elif event.stage == READING:
            started = self._position.setdefault(name, event.files_done)
            pdf = name.lower().endswith(".pdf")
            if event.files_done > started:  # this file has been read
                pages = f"{event.file_total} page{'s' if event.file_total != 1 else ''}; " if pdf else ""
                row[1:] = [READ, f"{pages}waiting to be embedded"]
            else:
                row[1:] = [READING_ROW, f"{event.file_done}/{event.file_total} pages" if pdf else ""]
        elif event.stage == EMBEDDING:
            if event.file_total and event.file_done < event.file_total:
                row[1:] = [EMBEDDING_ROW, f"{event.file_done}/{event.file_total} sentences"]
            elif event.file_done == event.file_total:
                row[1:] = [EMBEDDED, f"{event.file_total} sentences; writing the index…"]
        return row != before

    def settle(self, name: str, outcome: str, reason: str = "") -> None:
        """A file's outcome known outside the library (the app's own checks)."""
        row = self._rows.get(name)
        if row is not None:
            row[1:] = [outcome, reason]
            self._settled.add(name)

    def finished(self, outcomes) -> list[list]:
        """The final rows: one per outcome (`qa.records.FileOutcome`), in order."""
        return [[outcome.name, outcome.outcome, outcome.reason] for outcome in outcomes]

    def failed(self, message: str) -> list[list]:
        """The final rows when the whole upload failed (e.g. the index was locked)."""
        return [[row[0], row[1] if row[0] in self._settled else "not added",
                 row[2] if row[0] in self._settled else message] for row in self.rows]
