"""The qa chat app: answers with citations, a source viewer and a document library.

Design choice: a thin Gradio layer over `qa.chat.ChatApp`, which holds all the
behaviour as plain methods (testable without a server); `build_app` only lays out
components and wires events, and `launch()` runs only under `__main__`. Document text
is never rendered as HTML: chat messages are HTML-escaped (markdown rendering off,
HTML sanitized as a second guard) and the only links in them are the app's own
`[n]` markers, which a small script hands to the viewer; passages are HighlightedText
segments, titles and file names sit in tables and read-only text boxes. Scripts use
four named endpoints: /ask, /documents, /add_documents and /remove_document.
"""

from __future__ import annotations

import argparse
import logging
import os
import queue
import socket
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import gradio as gr

import qa
from qa.answer.generative import Draft
from qa.chat import ALLOWED_SUFFIXES, DOCUMENT_COLUMNS, MAX_TURNS_KEPT, SOURCE_COLUMNS, ChatApp, safe_file_name
from qa.rendering import answer_html, as_text, draft_html, source_records, source_rows
from qa.cli.common import app_flags
from qa.errors import QAError
from qa.settings import Settings
from qa.uploads import UploadTable

logger = logging.getLogger("qa.app")

EXAMPLES = ["When does Mission 2 land?", "ミッション2の月面着陸はいつですか？",
            "Who is the founder and CEO of ispace?", "高砂熱学工業の主な事業は何ですか？"]
STATUS_SECONDS = 5.0  # how often an open page checks for a newer index
UPLOAD_REDRAW_SECONDS = 0.3  # an upload's per-file table is redrawn at most this often
DRAFT_SECONDS = 0.1  # a streaming answer is redrawn at most this often
# Clicking an [n] link in an answer: the link's #cite-<turn>-<n> goes to the viewer
# through this component's `trigger` (a Gradio custom-HTML event with data).
CITATION_BRIDGE_JS = """
window.__qaShowCitation = (turn, n) => trigger('click', {turn: turn, n: n});
if (!window.__qaCitationLinks) {
  window.__qaCitationLinks = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest ? event.target.closest('a[href^="#cite-"]') : null;
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const [turn, n] = link.getAttribute('href').slice('#cite-'.length).split('-').map(Number);
    window.__qaShowCitation(turn, n);
  }, true);
}
"""
CONFIRM_REMOVAL_JS = "(name) => (name && confirm('Remove ' + name + ' from the index?')) ? name : ''"
CSS = """
#chat a.qa-cite { font-weight: 600; text-decoration: none; padding: 0 2px; border-radius: 3px;
                  background: #fff3b0; color: #7a4b00; cursor: pointer; }
#chat a.qa-cite:hover { background: #ffd600; }
#citation-bridge { display: none; }
#chat .qa-pending { color: #888; font-style: italic; }
#chat .qa-note, #chat .qa-generator, #chat .qa-outcome, #chat .qa-read-as { display: block; margin-top: 6px; font-size: 0.85em; color: #666; }
#chat .qa-outcome-passage { color: #8a5a00; }
/* Tables: a header, and a short value ([n], page, date, rank), is one line, never
   broken inside a word ("pag e"); titles and file names wrap. */
#sources th span.header, #documents th span.header, #outcomes th span.header { white-space: nowrap; }
#sources [data-col="0"] span, #sources [data-col="3"] span, #sources [data-col="4"] span,
#sources [data-col="5"] span { white-space: nowrap; }
"""
# The sources table's short columns get the room their values and headers need.
SOURCE_WIDTHS = ["80px", "24%", "17%", "70px", "104px", "88px"]
OUTCOME_COLUMNS = ["file", "outcome", "detail"]
# What an answer updates: the chat and its state, the sources, the question box, the
# status line, then the viewer (see `_viewer`).
ANSWER_OUTPUT_NAMES = ("chat", "turns", "cites", "counter", "sources", "shown sources", "question", "status",
                       "header", "page image", "page label", "passage", "view state", "page row")


def _viewer(chat: ChatApp, record: dict | None, page: int | None = None, message: str = ""):
    """The viewer's outputs: header, page image, page label, passage, state, and the
    page buttons' row (shown only for a page image of a document of several pages: a
    text source has no pages, and a one-page PDF none to turn to)."""
    hidden = gr.update(visible=False)
    if record is None:
        return message, gr.update(value=None, visible=False), "", [], None, hidden
    view = chat.view(record, page)
    header = view["header"] + (f"\n{view['note']}" if view["note"] else "")
    if view["image"] is None:
        return header, gr.update(value=None, visible=False), "", view["segments"], {"record": record}, hidden
    return (header, gr.update(value=view["image"], visible=True), f"page {view['page']} of {view['pages']}",
            view["segments"], {"record": record, "page": view["page"], "pages": view["pages"]},
            gr.update(visible=view["pages"] > 1))


def _public_source(record: dict) -> dict:
    return {key: record[key] for key in ("n", "title", "file", "page", "date", "rank", "quote")} | \
        {"passage": record["text"]}


def build_app(index: qa.Index, *, index_dir=None, corpus_dir=None, settings: Settings | None = None) -> gr.Blocks:
    """The chat UI for `index`, not launched."""
    settings = settings or Settings.from_environment()
    if index_dir is None:
        index_dir = index.root if index.folder and Path(index.folder).name else settings.index_dir
    chat = ChatApp(index, index_dir=index_dir, corpus_dir=corpus_dir or settings.corpus_dir, settings=settings)

    # --- handlers -----------------------------------------------------------------------

    def respond(question, messages, turns, cites, counter):
        """Answer in the chat. With a language model the answer streams in: the
        sentences that passed the check, then the one being written (its facts
        hidden until checked); the final answer replaces it."""
        messages, turns, cites = list(messages or []), list(turns or []), dict(cites or {})
        last = 0.0
        for shown, answer, message in chat.ask_stream(question, turns):
            if isinstance(answer, Draft):
                if time.monotonic() - last >= DRAFT_SECONDS:
                    last = time.monotonic()
                    yield (messages + [{"role": "user", "content": as_text(shown)},
                                       {"role": "assistant", "content": draft_html(answer)}],) + \
                        (gr.skip(),) * (len(ANSWER_OUTPUT_NAMES) - 1)
                continue
            if answer is None:
                if shown:
                    messages += [{"role": "user", "content": as_text(shown)},
                                 {"role": "assistant", "content": as_text(message)}]
                yield (messages, turns, cites, counter, [], [], "", chat.status()) + \
                    _viewer(chat, None, message=message)
                return
            counter = int(counter or 0) + 1
            records = source_records(answer)
            cites[counter] = records
            cites = {turn: cites[turn] for turn in sorted(cites)[-MAX_TURNS_KEPT:]}
            turns = (turns + [[answer.question, answer.text]])[-MAX_TURNS_KEPT:]
            messages += [{"role": "user", "content": as_text(shown)},
                         {"role": "assistant", "content": answer_html(answer, counter, asked=shown)}]
            yield (messages, turns, cites, counter, source_rows(records, len(answer.hits)), records, "",
                   chat.status()) + _viewer(chat, records[0] if records else None)

    def show_citation(cites, event: gr.EventData):
        data = getattr(event, "_data", None) or {}
        records = (cites or {}).get(int(data.get("turn") or 0)) or []
        number = int(data.get("n") or 0)
        if not 1 <= number <= len(records):
            return (gr.skip(), gr.skip()) + _viewer(chat, None, message="That citation belongs to a cleared conversation.")
        # the sources table shows the clicked citation's answer, so table and viewer agree
        return (source_rows(records), records) + _viewer(chat, records[number - 1])

    def select_source(records, event: gr.SelectData):
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if not records or row is None or not 0 <= row < len(records):
            return _viewer(chat, None)
        return _viewer(chat, records[row])

    def turn_page(view_state, delta):
        if not view_state or "page" not in view_state:
            return _viewer(chat, view_state["record"] if view_state else None)
        page = max(1, min(view_state["pages"], view_state["page"] + delta))
        return _viewer(chat, view_state["record"], page)

    def clear():
        return ([], [], {}, 0, [], [], "", chat.status()) + _viewer(chat, None)

    def library_outputs(message: str = ""):
        names = [document.name for document in chat.documents()]
        return (chat.document_rows(), gr.update(choices=names, value=None), message, chat.status(), chat.marker())

    def remove(name):
        if not name:
            return library_outputs("Nothing removed: choose a document (click its row), then Remove.")
        outcome = chat.remove(name)
        message = f"{outcome.outcome}: {outcome.name}" + (f" ({outcome.reason})" if outcome.reason else "")
        return library_outputs(message)

    def upload(files, replace_existing=False):
        """Add the chosen files. The per-file table is the upload's one progress
        display (the event shows no overlay): each row follows its own file, its
        pages, then its sentences, then its outcome (see `qa.uploads`)."""
        paths = [getattr(item, "name", item) for item in (files or [])]
        if not paths:
            yield ([["", "nothing to add", "choose .pdf, .txt or .md files first"]], [], gr.skip()) + \
                library_outputs() + (gr.update(visible=False),)
            return
        table = UploadTable([safe_name(path) or Path(str(path)).name for path in paths])
        yield (table.snapshot(),) + (gr.skip(),) * 8
        events: queue.Queue = queue.Queue()
        result: dict = {}

        def work():
            try:
                result["outcomes"] = chat.add_files(paths, replace=replace_existing, progress=events.put)
            except QAError as error:
                result["error"] = str(error)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        last, changed = 0.0, False
        while worker.is_alive() or not events.empty():
            try:
                changed = table.update(events.get(timeout=0.2)) or changed  # a qa.ingest.progress.Progress
            except queue.Empty:
                pass
            if changed and time.monotonic() - last > UPLOAD_REDRAW_SECONDS:
                last, changed = time.monotonic(), False
                yield (table.snapshot(),) + (gr.skip(),) * 8
        worker.join()
        if "error" in result:
            outcome_rows, pending = table.failed(result["error"]), []
        else:
            outcome_rows = table.finished(result["outcomes"])
            pending = [path for path in paths if safe_name(path) in
                       {outcome.name for outcome in result["outcomes"] if outcome.outcome == "conflict"}]
        yield (outcome_rows, pending, None) + library_outputs() + (gr.update(visible=bool(pending)),)

    def replace_pending(pending):
        yield from upload(pending, True)

    def keep_pending():
        return [], gr.update(visible=False), [["", "kept", "the indexed versions were kept"]]

    def pick_document(event: gr.SelectData):
        row = getattr(event, "row_value", None)
        if row and len(row) > 1:
            return row[1]
        return gr.skip()

    def poll(known):
        chat.current()
        if chat.marker() == known:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return library_outputs()

    # --- layout -------------------------------------------------------------------------

    with gr.Blocks(title="qa: press releases, with citations", analytics_enabled=False) as demo:
        gr.Markdown("## Ask the press releases\nAnswers quote the releases; click a [n] to see it on its page.")
        status = gr.Textbox(value=chat.status, label="Index", interactive=False, elem_id="status")
        turns, cites, counter = gr.State([]), gr.State({}), gr.State(0)
        shown_sources, view_state, pending, known_marker = gr.State([]), gr.State(None), gr.State([]), \
            gr.State(chat.marker())
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Ask", id="ask", elem_id="ask-tab"):
                with gr.Row():
                    with gr.Column(scale=5):
                        chatbot = gr.Chatbot(label="Answers", height=480, render_markdown=False, sanitize_html=True,
                                             elem_id="chat")
                        question = gr.Textbox(label="Question", placeholder="When does Mission 2 land? / いつ…？",
                                              elem_id="question", submit_btn=True)
                        with gr.Row():
                            clear_button = gr.Button("Clear", elem_id="clear", size="sm", scale=0)
                        examples = gr.Examples(EXAMPLES, inputs=[question], label="Examples (click to ask)",
                                               elem_id="examples")
                    with gr.Column(scale=5):
                        sources = gr.Dataframe(headers=SOURCE_COLUMNS, value=[], interactive=False, wrap=True,
                                               column_widths=SOURCE_WIDTHS,
                                               label="Sources (rank: 1 = the passage search ranked first; "
                                                     "click a row to view it)", elem_id="sources")
                        header = gr.Textbox(label="Source", interactive=False, lines=2, elem_id="viewer-header")
                        page_image = gr.Image(label="Page", type="pil", format="png", interactive=False, height=760,
                                              visible=False, elem_id="viewer-page", buttons=["fullscreen"])
                        with gr.Row(visible=False, elem_id="page-row") as page_row:
                            previous_page = gr.Button("◀ previous page", size="sm", elem_id="previous-page")
                            page_label = gr.Textbox(show_label=False, interactive=False, container=False,
                                                    elem_id="page-label")
                            next_page = gr.Button("next page ▶", size="sm", elem_id="next-page")
                        passage = gr.HighlightedText(label="Passage (the quote is highlighted)", elem_id="passage",
                                                     combine_adjacent=False, show_legend=False,
                                                     show_inline_category=False, color_map={"quote": "#ffd600"})
            with gr.Tab("Documents", id="documents", elem_id="documents-tab"):
                documents = gr.Dataframe(headers=DOCUMENT_COLUMNS, value=chat.document_rows, interactive=False,
                                         wrap=True, column_widths=["33%", "24%", "10%", "6%", "8%", "6%", "13%"], label="Indexed documents (sort with a column's ⋮ menu; click a "
                                                          "row to choose it)", elem_id="documents")
                with gr.Row():
                    # Any name is let through to `remove`, which says "not found" itself: the
                    # choices are this page's list, refreshed by the poll, so a file another tab
                    # added seconds ago (or the '' a cancelled confirmation gives) would else
                    # meet Gradio's "not in the list of choices" (a new-user session).
                    chosen = gr.Dropdown(choices=[document.name for document in chat.documents()], value=None,
                                         label="Document", elem_id="remove-choice", scale=3,
                                         allow_custom_value=True)
                    remove_button = gr.Button("Remove from the index", variant="stop", elem_id="remove", scale=1)
                library_message = gr.Textbox(label="Result", interactive=False, elem_id="library-message")
                files = gr.File(file_count="multiple", file_types=list(ALLOWED_SUFFIXES),
                                label=f"Add PDF, txt or md files (up to {settings.max_upload_megabytes:g} MB each)",
                                elem_id="upload")
                add_button = gr.Button("Add to the index", variant="primary", elem_id="add")
                outcomes = gr.Dataframe(headers=OUTCOME_COLUMNS, value=[], interactive=False, wrap=True,
                                        column_widths=["30%", "15%", "55%"],
                                        label="Per file", elem_id="outcomes")
                with gr.Row(visible=False, elem_id="replace-row") as replace_row:
                    gr.Markdown("A different version of a file above is already indexed under the same name. "
                                "Replace the indexed version?")
                    replace_button = gr.Button("Replace", variant="primary", elem_id="replace")
                    keep_button = gr.Button("Keep the indexed version", elem_id="keep")
        bridge = gr.HTML("", js_on_load=CITATION_BRIDGE_JS, elem_id="citation-bridge")
        timer = gr.Timer(STATUS_SECONDS)

        viewer = [header, page_image, page_label, passage, view_state, page_row]
        answer_outputs = [chatbot, turns, cites, counter, sources, shown_sources, question, status] + viewer
        assert len(answer_outputs) == len(ANSWER_OUTPUT_NAMES)
        library = [documents, chosen, library_message, status, known_marker]
        private = {"api_visibility": "undocumented"}
        question.submit(respond, [question, chatbot, turns, cites, counter], answer_outputs, concurrency_limit=2,
                        **private)
        examples.load_input_event.then(respond, [question, chatbot, turns, cites, counter], answer_outputs,
                                       concurrency_limit=2, **private)
        clear_button.click(clear, None, answer_outputs, **private)
        chatbot.clear(clear, None, answer_outputs, **private)
        bridge.click(show_citation, [cites], [sources, shown_sources] + viewer, **private)
        sources.select(select_source, [shown_sources], viewer, **private)
        previous_page.click(lambda state: turn_page(state, -1), [view_state], viewer, **private)
        next_page.click(lambda state: turn_page(state, 1), [view_state], viewer, **private)
        documents.select(pick_document, None, [chosen], **private)
        remove_button.click(remove, [chosen], library, concurrency_limit=1, js=CONFIRM_REMOVAL_JS, **private)
        upload_outputs = [outcomes, pending, files] + library + [replace_row]
        # The per-file table is an upload's one progress display: no overlay on the tab.
        add_button.click(upload, [files], upload_outputs, concurrency_limit=1, show_progress="hidden", **private)
        replace_button.click(replace_pending, [pending], upload_outputs, concurrency_limit=1,
                             show_progress="hidden", **private)
        keep_button.click(keep_pending, None, [pending, replace_row, outcomes], show_progress="hidden", **private)
        timer.tick(poll, [known_marker], library, show_progress="hidden", queue=False, **private)

        # --- named endpoints for scripts (gradio_client) ---------------------------------

        def ask(question: str) -> tuple[str, list[dict]]:
            """Answer a question: the answer text with [n] markers, ending with its outcome
            ("Outcome: answer", "passage" or "not_found"), and its sources (for a refusal,
            the closest passages, n = 0)."""
            _, answer, message = chat.ask(question)
            if answer is None:
                return message, []
            text = answer.text + (f"\n\nNote: {answer.note}" if answer.note else "") + f"\n\nOutcome: {answer.outcome}"
            return text, [_public_source(record) for record in source_records(answer)]

        def list_documents() -> list[dict]:
            """The indexed documents, one row each (`stored`: the copy in the index folder)."""
            rows = []
            for document in chat.documents():
                row = document.to_dict()
                row["stored"] = row.pop("path")  # a "path" key would make clients fetch it as a file
                rows.append(row)
            return rows

        def add_documents(files: list[gr.FileData], replace: bool = False) -> list[dict]:
            """Add files to the index; one outcome per file: added, replaced, duplicate,
            conflict (a different file under an indexed name; call again with replace=True)
            or rejected (with the reason)."""
            paths = [item["path"] if isinstance(item, dict) else getattr(item, "path", item) for item in files or []]
            return [outcome.to_dict() for outcome in chat.add_files(paths, replace=replace)]

        def remove_document(name: str) -> dict:
            """Remove a document by name (or id); the outcome: removed, not found or kept."""
            return chat.remove(name).to_dict()

        gr.api(ask, api_name="ask", concurrency_limit=2)
        gr.api(list_documents, api_name="documents")
        gr.api(add_documents, api_name="add_documents", concurrency_limit=1)
        gr.api(remove_document, api_name="remove_document", concurrency_limit=1)
    demo.chat_app = chat
    return demo


def safe_name(path) -> str:
    try:
        return safe_file_name(Path(str(path)).name)
    except QAError:
        return ""


def load_or_build(settings: Settings) -> qa.Index:
    try:
        return qa.load_index(settings.index_dir, settings=settings)
    except qa.errors.IndexNotFoundError:
        print(f"No index in {settings.index_dir!r}: building it from {settings.corpus_dir!r}…", file=sys.stderr)
        index = qa.build_index([settings.corpus_dir], settings.index_dir, progress=True, settings=settings)
        print(f"Indexed {index.report.documents} document(s), {index.report.chunks} chunks.", file=sys.stderr)
        return index


def port_in_use(host: str, port: int) -> str | None:
    """A one-line message when `port` on `host` cannot be listened on, else None
    (checked before the index is loaded, so a busy port is said at once)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            probe.bind(address)
    except OSError as error:
        return port_message(host, port, error)
    return None


def port_message(host: str, port: int, error: OSError | None = None) -> str:
    reason = "is in use (is the app already running?)" if error is None or \
        getattr(error, "errno", None) in (98, 48, None) else f"cannot be used ({error.strerror or error})"
    other = port + 1 if port < 65535 else 8000
    return (f"error: port {port} on {host} {reason}; choose another one: make chat PORT={other}, "
            f"or --port {other} (app.py, qa serve)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Start the qa chat app.")
    app_flags(parser)  # the same command line as `qa serve`
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_environment(index_dir=arguments.index, store=arguments.store, corpus_dir=arguments.corpus,
                                         auth=arguments.auth, max_upload_megabytes=arguments.max_upload_mb,
                                         llm_url=arguments.llm, llm_model=arguments.llm_model,
                                         llm_timeout=arguments.llm_timeout, answer_precision=arguments.precision)
    busy = port_in_use(arguments.host, arguments.port)
    if busy:
        print(busy, file=sys.stderr)
        return 1
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
    demo = build_app(index, settings=replace(settings, index_dir=str(settings.index_dir)))
    # Gradio keeps a record of the last GRADIO_ANALYTICS_MAX_EVENTS events (10,000 by
    # default); 1,000 stops that memory growing sooner (bench/load.py --soak-seconds).
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    demo.queue(default_concurrency_limit=2, max_size=1024)
    try:
        demo.launch(server_name=arguments.host, server_port=arguments.port, share=arguments.share, auth=auth,
                    max_file_size=f"{settings.max_upload_megabytes:g}mb", show_error=True, css=CSS)
    except OSError as error:  # taken between the check above and now
        if "port" not in str(error).lower():
            raise
        print(port_message(arguments.host, arguments.port), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
