"""The chat app's behaviour, as plain methods over plain data (no Gradio here).

Design choice: `app.py` only lays out components and wires events; everything the
app does lives in `ChatApp`, testable without a server: ask (answer, sources with
their relevance rank, the cited page), the library (list, add with per-file progress
and outcomes, remove), and noticing a newer index published by the CLI or another
app process before each question (the index is reloaded with the same embedder and
swapped in whole, so a question in flight keeps the index it started with).
Document text is never rendered as HTML: chat messages are HTML-escaped, and the
only markup added is the `[n]` citation links the app makes itself.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import replace as _replace
from pathlib import Path

from . import storage
from .errors import QAError
from .index import Index
from .loading import load_index
from .ingest.progress import OUTCOME, Progress
from .library import add_documents, remove_documents
from .records import Answer, FileOutcome
from .search.question import MAX_QUESTION_CHARACTERS, clean_question
from .settings import Settings
from .viewer import passage_in_document, render_citation, render_page, stored_file

ALLOWED_SUFFIXES = (".pdf", ".txt", ".md")
MAX_TURNS_KEPT = 6
DOCUMENT_COLUMNS = ["title", "file", "date", "pages", "language", "chunks", "added"]
SOURCE_COLUMNS = ["[n]", "title", "file", "page", "date", "rank"]
# Seconds an upload waits for another build of the same index (the CLI, another app).
LOCK_WAIT_SECONDS = 120.0
_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def safe_file_name(name: str) -> str:
    """The file name an upload is indexed under: its own name (Unicode kept as the
    user wrote it, NFC), without folders, leading dots or characters file systems
    refuse. Only .pdf, .txt and .md are accepted."""
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    base = _UNSAFE_NAME_CHARACTERS.sub("_", base).strip().lstrip(". ")
    stem, suffix = os.path.splitext(base)
    if suffix.lower() not in ALLOWED_SUFFIXES or not stem.strip("._- "):
        raise QAError(f"{name!r}: only .pdf, .txt and .md files can be added")
    return stem[:120] + suffix.lower()


@functools.lru_cache(maxsize=16)
def _text_document(path: str, modified: float):
    from .ingest.documents import load_document

    return load_document(path)


class ChatApp:
    """The app's behaviour: ask, show a source, the document library, status."""

    def __init__(self, index: Index, *, index_dir, corpus_dir=None, settings: Settings | None = None):
        self.index = index
        self.index_dir = Path(index_dir)
        self.corpus_dir = Path(corpus_dir) if corpus_dir else None
        self.settings = settings or Settings.from_environment()
        self._marker = storage.current_build_marker(self.index_dir)
        self._reload_lock = threading.Lock()
        self._library_lock = threading.Lock()
        self.changed = ""  # what the last change noticed was, for the status line

    # --- the index, kept current ------------------------------------------------------

    def current(self) -> Index:
        """The index, reloaded first when a newer one has been published."""
        marker = storage.current_build_marker(self.index_dir)
        if marker == self._marker or not marker:
            return self.index
        with self._reload_lock:
            if marker != self._marker:
                before = len(self.index.manifest.get("documents", []))
                try:
                    index = load_index(self.index_dir, embedder=self.index.embedder, settings=self.settings)
                except QAError:
                    return self.index  # a damaged or half-visible build: keep answering with ours
                self._adopt(index, f"updated {self._clock()} by another process: "
                                   f"{len(index.manifest.get('documents', []))} document(s), was {before}")
        return self.index

    def _adopt(self, index: Index, note: str) -> None:
        self.index = index
        self._marker = storage.current_build_marker(self.index_dir)
        self.changed = note

    @staticmethod
    def _clock() -> str:
        return datetime.datetime.now().strftime("%H:%M:%S")

    def marker(self) -> str:
        return self._marker

    def status(self) -> str:
        index = self.current()
        line = (f"{len(index.manifest.get('documents', []))} document(s), {len(index)} chunks | "
                f"embedder {index.embedder.id} | index built {index.built_at} | {self.answerer_label()}")
        return line + (f" | {self.changed}" if self.changed else "")

    def answerer_label(self) -> str:
        """Which answerer is in use, for the status line: the extractive one, or the
        language model (and how its last answer went)."""
        if not self.settings.llm_url:
            return "answers: extractive (offline)"
        answerer = self.current().answerer()
        model = getattr(answerer, "endpoint", None)
        name = (model.model if model is not None else None) or "the server's model"
        label = f"answers: {name} at {self.settings.llm_url}, each sentence checked against its citation"
        error = getattr(answerer, "last_error", None)
        if error is not None:
            label += f" (last answer extractive: the model was {error.kind})"
        return label

    # --- asking -----------------------------------------------------------------------

    def ask(self, question: str, turns: list | None = None) -> tuple[str, Answer | None, str]:
        """(the question as shown, the answer or None, a message when there is no
        answer). `turns` holds earlier questions as understood, for follow-ups."""
        raw = question if isinstance(question, str) else ""
        try:
            question = clean_question(raw)
        except QAError:
            return "", None, "Type a question about the releases."
        shown = question
        if len(raw) > MAX_QUESTION_CHARACTERS and len(question) == MAX_QUESTION_CHARACTERS:
            shown += f" … (only the first {MAX_QUESTION_CHARACTERS:,} characters were read)"
        try:
            return shown, self.current().answer(question, history=list(turns or [])[-MAX_TURNS_KEPT:]), ""
        except QAError as error:
            return shown, None, f"Sorry: {error}"

    def ask_stream(self, question: str, turns: list | None = None):
        """Like `ask`, yielding (shown, draft, "") while a language model writes (a
        `qa.answer.generative.Draft`), then (shown, answer or None, message) last."""
        raw = question if isinstance(question, str) else ""
        try:
            question = clean_question(raw)
        except QAError:
            yield "", None, "Type a question about the releases."
            return
        shown = question
        if len(raw) > MAX_QUESTION_CHARACTERS and len(question) == MAX_QUESTION_CHARACTERS:
            shown += f" … (only the first {MAX_QUESTION_CHARACTERS:,} characters were read)"
        try:
            for event in self.current().answer_stream(question, history=list(turns or [])[-MAX_TURNS_KEPT:]):
                yield shown, event, ""
        except QAError as error:
            yield shown, None, f"Sorry: {error}"

    # --- the source viewer ------------------------------------------------------------

    def view(self, record: dict, page: int | None = None) -> dict:
        """What the viewer shows for a source record: a header, and for a PDF the page
        image (the quote highlighted on its own page) or for a text file the passage in
        its document; also the passage with the quote marked."""
        n = f"[{record['n']}] " if record.get("n") else ""
        on_page = f"page {record['page']} | " if record.get("pages") else ""  # an unpaged text has no page
        header = (f"{n}{record['title']} | {record['file']} | {on_page}"
                  f"{record['date'] or 'undated'} | relevance rank {record['rank'] or '-'}")
        passage = [(record["text"][:record["quote_start"]], None),
                   (record["text"][record["quote_start"]:record["quote_end"]], "quote"),
                   (record["text"][record["quote_end"]:], None)]
        path = stored_file(self.index_dir, record["path"])
        view = {"header": header, "image": None, "page": None, "pages": None, "segments": passage,
                "note": ""}
        if path is None:
            view["note"] = "The document's file is not in the index folder (an index built before qa kept files)."
            return view
        if path.suffix.lower() == ".pdf":
            quote = record["quote"]
            context = (record["text"][:record["quote_start"]], record["text"][record["quote_end"]:])
            if page is None:
                shown = render_citation(path, tuple(record["pages"]), quote, context=context)
            else:
                shown = render_page(path, page, quote if page in record["pages"] else "", context=context)
            view.update(image=shown.image, page=shown.page, pages=shown.pages)
            if page is None and not shown.boxes:
                view["note"] = "The quote could not be located on the page image; the passage is below."
            elif page is None and shown.matched < 0.9 and len(record["pages"]) > 1:
                others = [number for number in record["pages"] if number != shown.page]
                shown_as = "quote" if record.get("n") else "passage"  # a closest passage quotes nothing
                view["note"] = (f"The {shown_as} runs over pages {record['pages'][0]}–{record['pages'][-1]}: "
                                f"the rest is highlighted on page {others[0]}.")
            return view
        document = _text_document(str(path), path.stat().st_mtime)
        page_start = document.page_offsets[record["pages"][0] - 1] if record["pages"] and document.paged else 0
        view["segments"] = passage_in_document(document.text, record["text"], page_start + record["start"],
                                               record["quote_start"], record["quote_end"])
        return view

    # --- the library ------------------------------------------------------------------

    def documents(self) -> list:
        return self.current().documents()

    def document_rows(self) -> list[list]:
        return [[document.title, document.name, document.date or "", document.pages or "", document.language,
                 document.chunks, document.added[:16].replace("T", " ")] for document in self.documents()]

    def add_files(self, paths, *, replace: bool = False, progress=None) -> list[FileOutcome]:
        """Add uploaded files (their own names are kept, made safe) to the index.
        Files over the size limit or of other types are rejected here; the rest go
        to the library. `progress` receives `qa.ingest.progress.Progress` records (reading
        pages, then embedding sentences, each with the file's name and own counts, and
        the outcome of a file that will not be added as soon as it is known)."""
        limit = int(self.settings.max_upload_megabytes * 1024 * 1024)
        outcomes: list[FileOutcome] = []
        staging = Path(tempfile.mkdtemp(prefix="qa-upload-"))
        try:
            staged = []
            for path in paths:
                original = Path(str(path)).name
                name = original
                try:
                    name = safe_file_name(original)
                    size = os.path.getsize(path)
                    if size > limit:
                        raise QAError(f"it is {size / 1e6:.1f} MB; the limit is "
                                      f"{self.settings.max_upload_megabytes:g} MB")
                    if (staging / name).exists():
                        raise QAError(f"two files named {name} were given; rename one")
                    shutil.copyfile(path, staging / name)
                    staged.append(staging / name)
                except (QAError, OSError) as error:
                    reason = str(error).replace(f"{original!r}: ", "")
                    outcomes.append(FileOutcome(original, "rejected", reason))
                    if progress is not None:
                        progress(Progress(OUTCOME, 0, 0, name, outcome="rejected", reason=reason))
            if not staged:
                return outcomes
            with self._library_lock:
                settings = replace_settings(self.settings)
                index = add_documents(self.index_dir, staged, replace=replace, progress=progress,
                                      settings=settings, current=self.current())
                self._note_change(index, index.report.outcomes)
            return outcomes + index.report.outcomes
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def remove(self, name: str) -> FileOutcome:
        if not (name or "").strip():
            return FileOutcome("", "not found", "choose a document to remove")
        with self._library_lock:
            try:
                index = remove_documents(self.index_dir, [name], settings=replace_settings(self.settings),
                                         current=self.current())
            except QAError as error:
                return FileOutcome(name, "kept", str(error))
            self._note_change(index, index.report.outcomes)
        return index.report.outcomes[0]

    def _note_change(self, index: Index, outcomes: list[FileOutcome]) -> None:
        if index is self.index:
            return
        done = [f"{outcome.outcome} {outcome.name}" for outcome in outcomes
                if outcome.outcome in ("added", "replaced", "removed")]
        self._adopt(index, f"updated {self._clock()}: " + ", ".join(done))


def replace_settings(settings: Settings) -> Settings:
    """The app's settings for library changes: wait for another build rather than fail."""
    return _replace(settings, lock_wait_seconds=max(settings.lock_wait_seconds, LOCK_WAIT_SECONDS))
