"""The chat app: behaviour without a server, then the real server through gradio_client."""

from __future__ import annotations

import re
import shutil

import pytest

import qa
from qa.chat import ChatApp, safe_file_name
from qa.rendering import answer_html, linked_answer, source_records, source_rows
from qa.errors import QAError

from app_server import RunningApp
from conftest import BAD_QUESTIONS, BRACKETED_RELEASE, SAMPLE_PDF, copy_index, make_text_pdf, shows_landing

RELEASE = "2025年7月1日\nテスト宇宙株式会社\nテスト宇宙株式会社の月面基地の名前はルナベースです。"


@pytest.fixture()
def app_dirs(built_index_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE_PDF, corpus / SAMPLE_PDF.name)
    return copy_index(built_index_dir, tmp_path), corpus


def _chat(index_dir, corpus, **settings) -> ChatApp:
    return ChatApp(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=corpus,
                   settings=qa.Settings(**settings))


def test_build_app_returns_blocks_without_launching(app_dirs):
    import gradio as gr

    import app

    index_dir, corpus = app_dirs
    demo = app.build_app(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=corpus, settings=qa.Settings())
    assert isinstance(demo, gr.Blocks)
    status = demo.chat_app.status()
    assert "1 document(s)" in status and "e5-small-q4" in status and "index built" in status
    named = {dependency.get("api_name") for dependency in demo.config["dependencies"]
             if dependency.get("api_visibility", "public") == "public"}
    assert {"ask", "documents", "add_documents", "remove_document"} <= named


def test_ask_gives_sources_with_ranks_and_the_cited_page(app_dirs):
    chat = _chat(*app_dirs)
    shown, answer, message = chat.ask("When does Mission 2 land?")
    assert shown == "When does Mission 2 land?" and message == "" and shows_landing(answer.text)
    records = source_records(answer)
    assert records[0]["n"] == 1 and records[0]["file"] == SAMPLE_PDF.name and records[0]["rank"] >= 1
    [row] = source_rows(records, len(answer.hits))[:1]
    assert row[0] == "[1]" and row[2] == SAMPLE_PDF.name and row[5] == f"{records[0]['rank']} of {len(answer.hits)}"
    assert "score" not in " ".join(map(str, row))
    view = chat.view(records[0])
    assert view["image"] is not None and view["page"] in records[0]["pages"] and view["pages"] == 5
    assert "relevance rank" in view["header"] and SAMPLE_PDF.name in view["header"]
    assert [text for text, label in view["segments"] if label == "quote"] == [answer.citations[0].quote]
    other = chat.view(records[0], page=5)
    assert other["page"] == 5 and other["image"] is not None
    empty = chat.ask("   ")
    assert empty == ("", None, "Type a question about the releases.")


def test_a_long_question_is_shown_cut_with_a_note(app_dirs):
    """A new-user session saw a pasted question of 11,000 characters echoed cut, with no
    word that only its beginning was read."""
    from qa.search.question import MAX_QUESTION_CHARACTERS

    chat = _chat(*app_dirs)
    long = "When does Mission 2 land? " + "Please tell me about the lunar lander and thermal mining. " * 200
    for shown, answer, _ in (chat.ask(long), list(chat.ask_stream(long))[-1]):
        assert shown.endswith(f"(only the first {MAX_QUESTION_CHARACTERS:,} characters were read)")
        assert answer is not None and len(answer.question) <= MAX_QUESTION_CHARACTERS


def test_page_buttons_show_only_for_a_document_of_several_pages():
    """A new-user session: a one-page PDF showed "◀ previous page" and "next page ▶"."""
    import app

    class Pages:
        def __init__(self, pages):
            self.pages = pages

        def view(self, record, page=None):
            return {"header": "a.pdf | page 1", "note": "", "image": object(), "page": 1, "pages": self.pages,
                    "segments": []}

    assert app._viewer(Pages(1), {"n": 1})[-1]["visible"] is False
    assert app._viewer(Pages(5), {"n": 1})[-1]["visible"] is True


def test_the_viewer_highlights_the_quote_on_the_rendered_page(app_dirs):
    import numpy as np

    from qa.viewer import render_citation, stored_file

    index_dir, _ = app_dirs
    index = qa.load_index(index_dir)
    citation = index.answer("When does Mission 2 land?").citations[0]
    path = stored_file(index_dir, citation.hit.path)
    view = render_citation(path, citation.hit.pages, citation.quote)
    assert view.matched >= 0.95 and view.boxes
    pixels = np.asarray(view.image)
    left, top, right, bottom = (int(value) for value in view.boxes[0])
    inside = pixels[top + 4:bottom - 4, left + 4:right - 4].reshape(-1, 3)
    assert ((inside[:, 0] > 200) & (inside[:, 2] < 150)).mean() > 0.3  # yellow over the white page
    plain = np.asarray(render_citation(path, citation.hit.pages, "").image)
    assert (plain[top + 4:bottom - 4, left + 4:right - 4] != pixels[top + 4:bottom - 4, left + 4:right - 4]).any()


def test_a_text_source_is_shown_in_its_document_with_the_span_marked(app_dirs, tmp_path):
    index_dir, corpus = app_dirs
    chat = _chat(index_dir, corpus)
    release = tmp_path / "base.txt"
    before = "".join(f"前置きの{number}番目の文で、本文とは関係のない説明が長く続きます。" * 3 + "\n" for number in range(8))
    after = "".join(f"後書きの{number}番目の文で、本文とは関係のない説明が長く続きます。" * 3 + "\n" for number in range(8))
    release.write_text("2025年7月1日\nテスト宇宙株式会社\n" + before + RELEASE.split("\n")[-1] + "\n" + after,
                       encoding="utf-8")
    chat.add_files([release])
    _, answer, _ = chat.ask("月面基地の名前は何ですか？")
    view = chat.view(source_records(answer)[0])
    assert view["image"] is None
    assert "| page" not in view["header"] and "base.txt" in view["header"]  # a text file has no pages
    labels = [label for _, label in view["segments"]]
    assert "quote" in labels and None in labels  # the passage sits inside its document's text
    assert "ルナベース" in "".join(text for text, label in view["segments"] if label == "quote")


def test_citation_links_are_the_only_markup_in_an_answer():
    text = "2026年 [1]。リリースの記載:「<b>ローバーは2026年[1]に打ち上げる予定です[2]。」[1] [3]"
    html = linked_answer(text, ["<b>ローバーは2026年[1]に打ち上げる予定です[2]。"], 7)
    assert html.count('<a href="#cite-7-1"') == 2 and "&lt;b&gt;" in html and "<b>" not in html
    assert "2026年[1]に" in html and "です[2]。" in html and html.endswith("[3]")


def test_safe_file_names_keep_the_users_name():
    assert safe_file_name("../../x.pdf") == "x.pdf"
    assert safe_file_name("/etc/passwd.txt") == "passwd.txt"
    assert safe_file_name("..\\..\\evil.md") == "evil.md"
    assert safe_file_name("リリース 2025（第２版）.PDF") == "リリース 2025（第２版）.pdf"
    assert safe_file_name("a:b*c?.txt") == "a_b_c_.txt"
    for bad in ("x.exe", "../.pdf", "noext", "x.pdf.sh", "...txt"):
        with pytest.raises(QAError):
            safe_file_name(bad)


def test_upload_outcomes_limits_and_names(app_dirs, tmp_path):
    index_dir, corpus = app_dirs
    chat = _chat(index_dir, corpus, max_upload_megabytes=0.015)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    release = uploads / "..%2F..%2Fnew-release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    too_big = uploads / "big.txt"
    too_big.write_text("月" * 20000, encoding="utf-8")
    wrong = uploads / "tool.exe"
    wrong.write_bytes(b"MZ")
    junk = uploads / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02")
    duplicate = uploads / "again.pdf"
    shutil.copy(SAMPLE_PDF, duplicate)
    events = []
    outcomes = {outcome.name: outcome for outcome in chat.add_files(
        [release, too_big, wrong, junk, duplicate], progress=events.append)}
    assert outcomes["%2F..%2Fnew-release.txt"].outcome == "added"
    assert outcomes["big.txt"].outcome == "rejected" and "limit" in outcomes["big.txt"].reason
    assert outcomes["tool.exe"].outcome == "rejected" and "only .pdf, .txt and .md" in outcomes["tool.exe"].reason
    assert outcomes["junk.txt"].outcome == "rejected" and "binary" in outcomes["junk.txt"].reason
    assert outcomes["again.pdf"].outcome == "duplicate"
    assert ("embedding", "%2F..%2Fnew-release.txt", 3, 3) in {(event.stage, event.file, event.done, event.total)
                                                              for event in events}
    assert {event.stage for event in events} == {"reading", "embedding", "outcome"}
    settled = {event.file: (event.outcome, event.reason) for event in events if event.stage == "outcome"}
    assert settled == {name: (outcomes[name].outcome, outcomes[name].reason)
                       for name in ("big.txt", "tool.exe", "junk.txt", "again.pdf")}  # said before the index is written
    assert sorted(path.name for path in corpus.iterdir()) == [SAMPLE_PDF.name]  # corpus/ is not touched
    assert "2 document(s)" in chat.status() and "added %2F..%2Fnew-release.txt" in chat.status()
    _, answer, _ = chat.ask("月面基地の名前は何ですか？")
    assert "ルナベース" in answer.text
    removed = chat.remove("%2F..%2Fnew-release.txt")
    assert removed.outcome == "removed" and "1 document(s)" in chat.status()
    assert chat.remove(SAMPLE_PDF.name).outcome == "kept"


ORDER = ["waiting", "reading…", "read", "embedding…", "embedded"]


def _stages(snapshots: list[list[list]], name: str) -> list[tuple[str, str]]:
    """A file's row through an upload's redraws, repeats dropped."""
    seen = []
    for rows in snapshots:
        for row in rows:
            if row[0] == name and (not seen or seen[-1] != (row[1], row[2])):
                seen.append((row[1], row[2]))
    return seen


def _in_order(stages: list[tuple[str, str]]) -> bool:
    ranks = [ORDER.index(stage) if stage in ORDER else len(ORDER) for stage, _ in stages]
    return ranks == sorted(ranks)


def test_the_upload_table_follows_each_file_with_its_own_counts():
    """A 69-page PDF and a .txt: each row shows its own pages and sentences, then its
    outcome; the .txt is not left at "reading" while the PDF is embedded."""
    from qa.ingest.progress import Progress
    from qa.records import FileOutcome
    from qa.uploads import UploadTable

    table = UploadTable(["manual.pdf", "notes.txt", "copy.pdf"])
    snapshots = [table.snapshot()]
    events = [Progress("reading", 0, 71, None, 0, 3)]
    events += [Progress("reading", page, 71, "manual.pdf", 0, 3, page, 69) for page in range(0, 70, 23)]
    events += [Progress("reading", 69, 71, "manual.pdf", 1, 3, 69, 69),
               Progress("reading", 69, 71, "notes.txt", 1, 3, 0, 1),
               Progress("reading", 70, 71, "notes.txt", 2, 3, 1, 1),
               Progress("reading", 70, 71, "copy.pdf", 2, 3, 0, 1),
               Progress("reading", 71, 71, "copy.pdf", 3, 3, 1, 1),
               Progress("outcome", 3, 3, "copy.pdf", 3, 3, outcome="duplicate", reason="already indexed as a.pdf")]
    events += [Progress("embedding", done, 300, "manual.pdf", file_done=done, file_total=300) for done in (0, 150, 300)]
    events += [Progress("embedding", done, 4, "notes.txt", file_done=done, file_total=4) for done in (0, 4)]
    for event in events:
        if table.update(event):
            snapshots.append(table.snapshot())
    manual, notes, copy = (_stages(snapshots, name) for name in ("manual.pdf", "notes.txt", "copy.pdf"))
    assert manual == [("waiting", ""), ("reading…", "0/69 pages"), ("reading…", "23/69 pages"),
                      ("reading…", "46/69 pages"), ("reading…", "69/69 pages"),
                      ("read", "69 pages; waiting to be embedded"), ("embedding…", "0/300 sentences"),
                      ("embedding…", "150/300 sentences"), ("embedded", "300 sentences; writing the index…")]
    assert notes == [("waiting", ""), ("reading…", ""), ("read", "waiting to be embedded"),
                     ("embedding…", "0/4 sentences"), ("embedded", "4 sentences; writing the index…")]
    assert copy[-1] == ("duplicate", "already indexed as a.pdf") and _in_order(copy)
    # While the PDF is embedded, the .txt's row says it was read, not "reading… 70/70".
    during = [rows for rows in snapshots if rows[0][1] == "embedding…"]
    assert during and all(rows[1][1] == "read" for rows in during)
    final = table.finished([FileOutcome("manual.pdf", "added"), FileOutcome("notes.txt", "added"),
                            FileOutcome("copy.pdf", "duplicate", "already indexed as a.pdf")])
    assert [row[1] for row in final] == ["added", "added", "duplicate"]
    assert table.failed("the index is locked")[0] == ["manual.pdf", "not added", "the index is locked"]


def test_the_upload_event_shows_per_file_progress_and_no_overlay(app_dirs, tmp_path, monkeypatch):
    """The app's own upload handler, without a server: its per-file rows, redrawn
    on every change, each with that file's counts; the event shows no progress
    overlay (the table is the one display)."""
    import app

    index_dir, corpus = app_dirs
    monkeypatch.setattr(app, "UPLOAD_REDRAW_SECONDS", 0.0)
    demo = app.build_app(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=corpus, settings=qa.Settings())
    by_name = {dependency["api_name"]: dependency for dependency in demo.config["dependencies"]}
    assert by_name["upload"]["show_progress"] == "hidden" and by_name["replace_pending"]["show_progress"] == "hidden"
    [upload] = [function.fn for function in demo.fns.values() if function.name == "upload"]
    pdf = make_text_pdf(tmp_path / "three-pages.pdf", [
        "2025年10月1日\n軌道ホテル株式会社\n軌道ホテル株式会社は月周回ホテルの名前をルナリゾートに決定しました。",
        "2ページ目のお知らせです。ホテルは2030年に開業します。", "3ページ目のお知らせです。客室は12室です。"])
    text = tmp_path / "garden.txt"
    text.write_text("2025年9月1日\n月面農園株式会社\n月面農園株式会社は野菜の名前をルナトマトに決定しました。", encoding="utf-8")
    duplicate = tmp_path / "again.pdf"
    shutil.copy(SAMPLE_PDF, duplicate)
    outputs = list(upload([str(pdf), str(text), str(duplicate)]))
    snapshots = [output[0] for output in outputs]
    assert snapshots[0] == [["three-pages.pdf", "waiting", ""], ["garden.txt", "waiting", ""],
                            ["again.pdf", "waiting", ""]]
    pdf_rows, text_rows = _stages(snapshots, "three-pages.pdf"), _stages(snapshots, "garden.txt")
    assert ("reading…", "1/3 pages") in pdf_rows and ("read", "3 pages; waiting to be embedded") in pdf_rows
    assert [detail for stage, detail in text_rows if stage == "reading…"] == [""]  # no pages of the PDF's
    for rows in (pdf_rows, text_rows):
        assert _in_order(rows) and rows[-1][0] == "added"
        embedding = [detail for stage, detail in rows if stage == "embedding…"]
        assert embedding and embedding[0].startswith("0/")
    sentences = lambda rows: {detail.split("/")[1] for stage, detail in rows if stage == "embedding…"}  # noqa: E731
    assert sentences(pdf_rows) != sentences(text_rows)  # each file's own count
    again = _stages(snapshots, "again.pdf")
    assert again[-1] == ("duplicate", f"already indexed as {SAMPLE_PDF.name}")
    settled = next(number for number, rows in enumerate(snapshots) if rows[2][1] == "duplicate")
    assert settled < len(snapshots) - 1  # shown before the index was written
    final = outputs[-1]
    assert [row[1] for row in final[0]] == ["added", "added", "duplicate"]
    assert "three-pages.pdf" in {row[1] for row in final[3]}  # the documents table


def test_the_app_notices_an_index_published_elsewhere(app_dirs, tmp_path):
    index_dir, corpus = app_dirs
    chat = _chat(index_dir, corpus)
    before = chat.index
    release = tmp_path / "from-the-cli.txt"
    release.write_text(RELEASE, encoding="utf-8")
    qa.library.add_documents(index_dir, [release], settings=qa.Settings())  # another process, as `qa add`
    _, answer, _ = chat.ask("月面基地の名前は何ですか？")
    assert "ルナベース" in answer.text and chat.index is not before
    assert chat.index.embedder is before.embedder  # reloaded without loading the model again
    assert "updated" in chat.status() and "2 document(s), was 1" in chat.status()


def test_clear_forgets_the_conversation(app_dirs):
    import app

    index_dir, corpus = app_dirs
    demo = app.build_app(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=corpus, settings=qa.Settings())
    handlers = {function.name: function.fn for function in demo.fns.values()}
    clear = handlers["clear"]

    def respond(*arguments):  # a generator (answers stream in): its last update is the answer
        return list(handlers["respond"](*arguments))[-1]

    messages, turns, cites, counter = respond("When does Mission 2 land?", [], [], {}, 0)[:4]
    assert [turn[0] for turn in turns] == ["When does Mission 2 land?"] and counter == 1 and cites[1][0]["n"] == 1
    assert shows_landing(turns[0][1])  # the conversation keeps each answer for a language model's prompt
    follow = respond("What about Mission 3?", messages, turns, cites, counter)
    assert follow[1][-1][0] == "When does Mission 3 land?" and "2026" in follow[0][-1]["content"]
    cleared = clear()
    assert cleared[:4] == ([], [], {}, 0)  # messages, the follow-up state, citations, turn counter
    fresh = respond("What about Mission 3?", *cleared[:4])
    assert [turn[0] for turn in fresh[1]] == ["What about Mission 3?"]


def test_other_languages_get_a_clear_reply(app_dirs):
    chat = _chat(*app_dirs)
    for question, language in (("第二次任务什么时候着陆？", "Chinese"), ("미션 2는 언제 착륙합니까?", "Korean"),
                               ("Quand la mission 2 va-t-elle atterrir sur la Lune ?", "other than English")):
        _, answer, _ = chat.ask(question)
        assert not answer.found and "English and Japanese" in answer.text and language in answer.text
        assert not answer.citations
        label = answer_html(answer, 1)  # never searched: not labelled "the releases do not say"
        assert "Not answered: nothing is quoted." in label and "do not say" not in label
    _, searched, _ = chat.ask("What was ispace's revenue in fiscal 2030?")  # searched, passages listed
    assert searched.outcome == "not_found" and searched.hits
    assert "Not found: the releases do not say" in answer_html(searched, 2)
    for question in ("When does Mission 2 land?", "ミッション2の月面着陸はいつですか？",
                     "Who is the CEO of ispace EUROPE in Luxembourg?"):
        assert "English and Japanese" not in chat.ask(question)[1].text


@pytest.fixture(scope="module")
def server(built_index_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("client")
    index_dir = copy_index(built_index_dir, root)
    (root / "refs.txt").write_text(BRACKETED_RELEASE[0], encoding="utf-8")
    qa.load_index(index_dir).add([root / "refs.txt"])
    running = RunningApp(index_dir, root / "corpus")
    yield running
    running.stop()


@pytest.mark.slow
def test_named_endpoints_through_gradio_client(server, tmp_path):
    from gradio_client import Client, handle_file

    client = Client(server.url, verbose=False)
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/ask", "/documents", "/add_documents", "/remove_document"} <= set(endpoints)
    text, sources = client.predict("When does Mission 2 land?", api_name="/ask")
    assert shows_landing(text) and "[1]" in text
    assert sources[0]["n"] == 1 and sources[0]["file"] == SAMPLE_PDF.name
    assert re.fullmatch(r"\d+(-\d+)?", sources[0]["page"])  # the page (range) of the passage quoted
    assert sources[0]["quote"] in text and sources[0]["rank"] >= 1 and "score" not in sources[0]
    rows = client.predict(api_name="/documents")
    assert [row["name"] for row in rows] == [SAMPLE_PDF.name, "refs.txt"] and rows[0]["pages"] == 5
    release = tmp_path / "lunar-base.txt"
    release.write_text(RELEASE, encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01")
    outcomes = client.predict([handle_file(str(release)), handle_file(str(junk)), handle_file(str(SAMPLE_PDF))],
                              api_name="/add_documents")
    assert [(outcome["name"], outcome["outcome"]) for outcome in outcomes] == [
        ("lunar-base.txt", "added"), ("junk.txt", "rejected"), (SAMPLE_PDF.name, "duplicate")]
    assert "ルナベース" in client.predict("月面基地の名前は何ですか？", api_name="/ask")[0]
    assert client.predict("lunar-base.txt", api_name="/remove_document")["outcome"] == "removed"
    assert client.predict("lunar-base.txt", api_name="/remove_document")["outcome"] == "not found"
    assert [row["name"] for row in client.predict(api_name="/documents")] == [SAMPLE_PDF.name, "refs.txt"]


@pytest.mark.slow
def test_the_readmes_client_example_runs(server, tmp_path, monkeypatch):
    from test_readme import python_examples

    [example] = [block for block in python_examples() if "gradio_client" in block]
    make_text_pdf(tmp_path / "new-release.pdf", ["2025年12月1日\n新月株式会社の新しい着陸船の名前はシンゲツです。"])
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(example.replace("http://127.0.0.1:7860/", server.url), "README.md", "exec"), namespace)
    assert shows_landing(namespace["text"]) and namespace["sources"][0]["n"] == 1
    assert [outcome["outcome"] for outcome in namespace["outcomes"]] == ["added"]
    assert "new-release.pdf" in [row["name"] for row in namespace["rows"]]
    assert "new-release.pdf" not in [row["name"] for row in namespace["client"].predict(api_name="/documents")]


@pytest.mark.slow
def test_bad_questions_through_the_real_server(server):
    """Each bad question over HTTP, as a browser's request would carry it: the server
    answers every one (no error event), within a bounded time, and stays up."""
    import time

    for name, question, expected in BAD_QUESTIONS + [("bracketed-release", BRACKETED_RELEASE[1], "answer")]:
        started = time.monotonic()
        [(text, sources)] = _call(server.url, "ask", [question])  # one output: the pair
        assert time.monotonic() - started < 30, name
        if expected == "empty":
            assert text == "Type a question about the releases." and sources == [], name
            continue
        if expected == "answer":
            assert "[1]" in text and sources and sources[0]["n"] == 1, name
        else:
            assert "do not say" in text or "見つかりませんでした" in text, (name, text)
            assert all(source["n"] == 0 for source in sources), name
        if name == "bracketed-release":
            assert "2026年" in text and "[2]" not in text.replace("予定です[2]", ""), text
            assert text.endswith(("Outcome: answer", "Outcome: passage")), text
    assert shows_landing(_call(server.url, "ask", ["When does Mission 2 land?"])[0][0])


@pytest.mark.slow
def test_login_is_enforced_when_asked(built_index_dir, tmp_path):
    import urllib.error
    import urllib.request

    from gradio_client import Client

    running = RunningApp(copy_index(built_index_dir, tmp_path), tmp_path / "corpus", "--auth", "analyst:s3cret")
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(running.url + "config", timeout=10)
        assert refused.value.code in (401, 403)
        with pytest.raises(Exception):
            Client(running.url, verbose=False).predict("When does Mission 2 land?", api_name="/ask")
        client = Client(running.url, auth=("analyst", "s3cret"), verbose=False)
        assert shows_landing(client.predict("When does Mission 2 land?", api_name="/ask")[0])
    finally:
        running.stop()


def _call(url: str, api_name: str, data: list) -> list:
    """Gradio's HTTP API called the way a browser's JSON reaches it: lone surrogates
    travel as \\ud800 escapes (gradio_client cannot send them at all)."""
    import json
    import urllib.request

    body = json.dumps({"data": data}, ensure_ascii=True).encode("ascii")
    request = urllib.request.Request(f"{url}gradio_api/call/{api_name}", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        event_id = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/{api_name}/{event_id}", timeout=60) as response:
        stream = response.read().decode("utf-8")
    events = [block for block in stream.split("\n\n") if block.strip()]
    last = events[-1].splitlines()
    assert last[0] == "event: complete", stream[:500]
    return json.loads(last[1].removeprefix("data: "))


def test_upload_asks_before_replacing_a_new_version(app_dirs, tmp_path):
    import app

    index_dir, corpus = app_dirs
    demo = app.build_app(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=corpus, settings=qa.Settings())
    handlers = {function.name: function.fn for function in demo.fns.values()}
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    first, second = tmp_path / "v1" / "base.txt", tmp_path / "v2" / "base.txt"
    first.write_text(RELEASE, encoding="utf-8")
    second.write_text(RELEASE.replace("2025年7月1日", "2025年8月1日").replace("ルナベース", "ムーンベース"),
                      encoding="utf-8")
    *_, final = handlers["upload"]([str(first)])
    assert final[0] == [["base.txt", "added", ""]] and final[1] == []
    *_, final = handlers["upload"]([str(second)])
    outcomes, pending, _, rows, _, _, status, _, replace_row = final
    assert outcomes[0][:2] == ["base.txt", "conflict"] and pending == [str(second)]
    assert replace_row["visible"] is True and "ルナベース" in demo.chat_app.ask("月面基地の名前は？")[1].text
    *_, final = handlers["replace_pending"](pending)
    assert final[0][0][:2] == ["base.txt", "replaced"] and final[1] == [] and final[-1]["visible"] is False
    assert "ムーンベース" in demo.chat_app.ask("月面基地の名前は？")[1].text
    assert [row[1] for row in final[3]] == [SAMPLE_PDF.name, "base.txt"] and "replaced base.txt" in final[6]


def test_remove_takes_a_name_the_page_does_not_list_yet(app_dirs, tmp_path):
    """A new-user session: a file added in another tab, or the '' of a cancelled
    confirmation, met Gradio's "not in the list of choices" instead of qa's message."""
    import gradio as gr

    import app

    index_dir, corpus = app_dirs
    demo = app.build_app(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=corpus, settings=qa.Settings())
    [dropdown] = [block for block in demo.blocks.values()
                  if isinstance(block, gr.Dropdown) and block.elem_id == "remove-choice"]
    (tmp_path / "late.txt").write_text(RELEASE, encoding="utf-8")
    demo.chat_app.add_files([str(tmp_path / "late.txt")])  # as another tab would
    assert dropdown.preprocess("late.txt") == "late.txt" and dropdown.preprocess("") == ""
    handlers = {function.name: function.fn for function in demo.fns.values()}
    assert handlers["remove"]("late.txt")[2] == "removed: late.txt"
    assert handlers["remove"]("")[2].startswith("Nothing removed")
    assert handlers["remove"]("late.txt")[2].startswith("not found")


def test_a_quote_over_two_pages_is_highlighted_on_both(app_dirs):
    """Each sentence of a passage that spans two pages, viewed as a quote: the one that
    runs over the page break gets the note and renders on its second page too."""
    chat = _chat(*app_dirs)
    _, answer, _ = chat.ask("ミッション3はいつ実行される予定ですか？")
    spanning = [hit for hit in answer.hits if len(hit.pages) > 1]
    assert spanning, "the sample release has passages over two pages"
    views = []
    for hit in spanning:
        chunk = next(chunk for chunk in chat.current().chunks if chunk.chunk_id == hit.chunk_id)
        for start, end in chunk.sentences:
            record = source_records(qa.Answer("", True, [qa.Citation(1, hit, hit.text[start:end], start, end)]))[0]
            views.append((record, chat.view(record)))
    over = [(record, view) for record, view in views if "runs over pages" in (view.get("note") or "")]
    assert over, "one quote runs over a page break"
    assert all(view["note"].startswith("The quote runs over") for _, view in over)
    record, _ = over[0]
    rest = chat.view(record, page=record["pages"][1])
    assert rest["image"] is not None and rest["page"] == record["pages"][1]
    # A closest passage (a refusal's source, n = 0) quotes nothing: its note says "passage".
    closest = source_records(qa.Answer("", False, [], hits=spanning))[0]
    note = chat.view(closest)["note"]
    assert note.startswith("The passage runs over pages"), note


def test_the_outcome_line_is_in_the_answers_language_and_a_follow_up_shows_how_it_was_read(sample_index):
    """A browser session found an English outcome line under Japanese answers, and no
    way to see that "What about Mission 3?" had been read as another question."""
    from qa.rendering import answer_html

    first = sample_index.answer("When does Mission 2 land?")
    follow = sample_index.answer("What about Mission 3?", history=[("When does Mission 2 land?", first)])
    html = answer_html(follow, 2, asked="What about Mission 3?")
    assert "Read as: When does Mission 3 land?" in html
    assert "Read as" not in answer_html(first, 1, asked="When does Mission 2 land?")
    japanese = sample_index.answer("ミッション2の月面着陸はいつですか？")
    html = answer_html(japanese, 3, asked="ミッション2の月面着陸はいつですか？")
    assert "回答" in html or "最も近い箇所" in html or "記載なし" in html
    assert "Answer:" not in html and "Closest passage:" not in html and "質問の解釈" not in html
