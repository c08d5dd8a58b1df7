"""The qa chat app: answers with citations and the passages they quote.

Design choice: a thin Gradio layer over `qa`. All behaviour lives in `ChatApp`
(plain methods, testable without a server); `build_app` only lays out components and
wires events; `launch()` runs only under `__main__`. Document text is never
rendered as HTML: chat messages are HTML-escaped (markdown rendering off, HTML
sanitized as a second guard), the sources panel is a HighlightedText (text segments,
the quoted span highlighted), and the status line is a read-only textbox.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import re
import shutil
import sys
import threading
import unicodedata
from dataclasses import replace
from pathlib import Path

import gradio as gr

import qa
from qa.errors import QAError
from qa.search.question import MAX_QUESTION_CHARACTERS, clean_question
from qa.settings import Settings

logger = logging.getLogger("qa.app")

ALLOWED_SUFFIXES = (".pdf", ".txt", ".md")
EXAMPLES = ["When does Mission 2 land?", "ミッション2の月面着陸はいつですか？",
            "Who is the founder and CEO of ispace?", "高砂熱学工業の主な事業は何ですか？"]
MAX_TURNS_KEPT = 6


def safe_file_name(name: str) -> str:
    """A file name that cannot leave the corpus folder: no folders, no leading dots,
    only letters (any script), digits, '-', '_' and '.'."""
    base = unicodedata.normalize("NFKC", str(name)).replace("\\", "/").split("/")[-1]
    base = re.sub(r"[^\w.\-]", "_", base).lstrip("._-")[:120]
    stem, suffix = os.path.splitext(base)
    if suffix.lower() not in ALLOWED_SUFFIXES or not stem:
        raise QAError(f"{name!r}: only .pdf, .txt and .md files can be added")
    return stem + suffix.lower()


def as_text(text: str) -> str:
    """Chat content that displays as the given text: the Chatbot renders its messages
    as HTML even with markdown off, so markup characters are escaped."""
    return html.escape(text, quote=False)


def sources_segments(answer) -> list[tuple[str, str | None]]:
    """The sources panel: for each citation a header line and its passage, with the
    quoted span labelled [n]. For a refusal, the closest passages, unlabelled."""
    segments: list[tuple[str, str | None]] = []
    if answer.citations:
        for citation in answer.citations:
            hit = citation.hit
            segments.append((f"[{citation.n}] {hit.title} | {hit.source} | page {hit.page_label} | "
                             f"{hit.doc_date or 'undated'} | score {hit.score:.4f}\n", None))
            segments.append((hit.text[:citation.quote_start], None))
            segments.append((citation.quote, f"[{citation.n}]"))
            segments.append((hit.text[citation.quote_end:] + "\n\n", None))
    else:
        for rank, hit in enumerate(answer.hits[:3], start=1):
            segments.append((f"closest {rank}: {hit.title} | {hit.source} | page {hit.page_label} | "
                             f"{hit.doc_date or 'undated'} | score {hit.score:.4f}\n{hit.text}\n\n", None))
    return [(text, label) for text, label in segments if text]


class ChatApp:
    """The app's behaviour: ask, add releases, report status."""

    def __init__(self, index: qa.Index, *, index_dir, corpus_dir, settings: Settings):
        self.index = index
        self.index_dir = Path(index_dir)
        self.corpus_dir = Path(corpus_dir)
        self.settings = settings
        self._rebuild_lock = threading.Lock()

    def status(self) -> str:
        index = self.index
        return (f"{len(index.documents)} document(s), {len(index)} chunks | embedder {index.embedder.id} | "
                f"index built {index.built_at}")

    def ask(self, question: str, messages: list | None, turns: list | None):
        messages = list(messages or [])
        turns = list(turns or [])
        raw = question if isinstance(question, str) else ""
        try:
            question = clean_question(raw)
        except QAError:
            return messages, [("Type a question about the releases.", None)], turns, ""
        shown = question
        if len(raw) > MAX_QUESTION_CHARACTERS and len(question) == MAX_QUESTION_CHARACTERS:
            shown += f" … (only the first {MAX_QUESTION_CHARACTERS:,} characters were read)"
        try:
            answer = self.index.answer(question, history=turns[-MAX_TURNS_KEPT:])
            reply = answer.text
            segments = sources_segments(answer)
            turns.append(answer.question)  # the question as understood; all a follow-up needs
        except QAError as error:
            reply, segments = f"Sorry: {error}", []
        messages += [{"role": "user", "content": as_text(shown)}, {"role": "assistant", "content": as_text(reply)}]
        return messages, segments, turns[-MAX_TURNS_KEPT:], ""

    def add_releases(self, files) -> tuple[str, str]:
        """Save uploaded files under the corpus folder and rebuild the index. The old
        index answers until the new one is published."""
        paths = [getattr(item, "name", item) for item in (files or [])]
        if not paths:
            return "Choose .pdf, .txt or .md files to add.", self.status()
        limit = int(self.settings.max_upload_megabytes * 1024 * 1024)
        saved, problems = [], []
        self.corpus_dir.mkdir(parents=True, exist_ok=True)
        for path in paths:
            original = Path(str(path)).name
            try:
                name = safe_file_name(original)
                size = os.path.getsize(path)
                if size > limit:
                    raise QAError(f"{original!r} is {size / 1e6:.1f} MB; the limit is "
                                  f"{self.settings.max_upload_megabytes:g} MB")
                target = self.corpus_dir / name
                counter = 1
                while target.exists():
                    target = self.corpus_dir / f"{Path(name).stem}-{counter}{Path(name).suffix}"
                    counter += 1
                shutil.copyfile(path, target)
                saved.append(target.name)
            except (QAError, OSError) as error:
                problems.append(str(error))
        if not saved:
            return "Nothing added. " + " ".join(problems), self.status()
        if not self._rebuild_lock.acquire(blocking=False):
            return "A rebuild is already running; try again when it ends.", self.status()
        try:
            index = qa.build_index([self.corpus_dir], self.index_dir, settings=self.settings)
        except QAError as error:
            return f"Saved {', '.join(saved)}, but the rebuild failed: {error}. The old index still answers.", \
                self.status()
        finally:
            self._rebuild_lock.release()
        self.index = index
        failed = [f"{Path(failure.path).name}: {failure.reason}" for failure in index.report.failures]
        message = f"Added {', '.join(saved)}. Index rebuilt: {index.report.documents} document(s), " \
                  f"{index.report.chunks} chunks."
        if failed or problems:
            message += " Problems: " + "; ".join(problems + failed)
        return message, self.status()


def build_app(index: qa.Index, *, index_dir=None, corpus_dir=None, settings: Settings | None = None) -> gr.Blocks:
    """The chat UI for `index`, not launched."""
    settings = settings or Settings.from_environment()
    if index_dir is None:
        folder = Path(index.folder)
        index_dir = folder.parent.parent if folder.parent.name == "builds" else settings.index_dir
    chat = ChatApp(index, index_dir=index_dir, corpus_dir=corpus_dir or settings.corpus_dir, settings=settings)
    with gr.Blocks(title="qa: press releases, with citations", analytics_enabled=False) as demo:
        gr.Markdown("## Ask the press releases\nAnswers quote the releases; each [n] is shown on the right.")
        status = gr.Textbox(value=chat.status, label="Index", interactive=False, elem_id="status")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Answers", height=460, render_markdown=False, sanitize_html=True,
                                     elem_id="chat")
                question = gr.Textbox(label="Question", placeholder="When does Mission 2 land? / いつ…？",
                                      elem_id="question", submit_btn=True)
                gr.Examples(EXAMPLES, inputs=[question], label="Examples")
            with gr.Column(scale=2):
                sources = gr.HighlightedText(label="Sources (the quoted span is highlighted)", elem_id="sources",
                                             combine_adjacent=False, show_legend=False)
        with gr.Accordion("Add releases", open=False):
            files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES), label="PDF, txt or md",
                            elem_id="upload")
            add = gr.Button("Add to index and rebuild", elem_id="add")
            upload_result = gr.Textbox(label="Result", interactive=False, elem_id="upload-result")
        turns = gr.State([])
        question.submit(chat.ask, [question, chatbot, turns], [chatbot, sources, turns, question], api_name="ask",
                        concurrency_limit=2)
        add.click(chat.add_releases, [files], [upload_result, status], api_name="add_releases",
                  concurrency_limit=1)
    demo.chat_app = chat
    return demo


def load_or_build(settings: Settings) -> qa.Index:
    try:
        return qa.load_index(settings.index_dir, settings=settings)
    except qa.errors.IndexNotFoundError:
        print(f"No index in {settings.index_dir!r}: building it from {settings.corpus_dir!r}…", file=sys.stderr)
        index = qa.build_index([settings.corpus_dir], settings.index_dir, progress=True, settings=settings)
        print(f"Indexed {index.report.documents} document(s), {index.report.chunks} chunks.", file=sys.stderr)
        return index


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Start the qa chat app.")
    parser.add_argument("--index", help="index folder (default: index)")
    parser.add_argument("--corpus", help="folder of releases, built into the index if it is missing")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="make a public Gradio link (off by default)")
    parser.add_argument("--auth", help="require a login, user:password (or QA_AUTH)")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    import bm25s  # noqa: F401  (it sets its own logger to DEBUG on import)

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    settings = Settings.from_environment(index_dir=arguments.index, corpus_dir=arguments.corpus)
    if arguments.auth:
        settings = replace(settings, auth=arguments.auth)
    try:
        index = load_or_build(settings)
    except QAError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    auth = None
    if settings.auth:
        user, _, password = settings.auth.partition(":")
        if not user or not password:
            print("error: --auth needs user:password", file=sys.stderr)
            return 1
        auth = (user, password)
    demo = build_app(index, settings=settings)
    # Gradio keeps a record of the last GRADIO_ANALYTICS_MAX_EVENTS events (10,000 by
    # default); 1,000 stops that memory growing sooner (bench/load.py --soak-seconds).
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    demo.queue(default_concurrency_limit=2, max_size=1024)
    demo.launch(server_name=arguments.host, server_port=arguments.port, share=arguments.share, auth=auth,
                max_file_size=f"{settings.max_upload_megabytes:g}mb", show_error=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
