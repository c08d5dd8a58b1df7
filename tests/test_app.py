"""The chat app: behaviour without a server, then the real server through gradio_client."""

from __future__ import annotations

import shutil

import pytest

import qa
from qa.errors import QAError

from app_server import RunningApp
from conftest import BAD_QUESTIONS, BRACKETED_RELEASE, SAMPLE_PDF


@pytest.fixture()
def app_dirs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE_PDF, corpus / SAMPLE_PDF.name)
    index_dir = tmp_path / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    return index_dir, corpus


def _chat(index_dir, corpus, **settings):
    import app

    index = qa.load_index(index_dir)
    demo = app.build_app(index, index_dir=index_dir, corpus_dir=corpus, settings=qa.Settings(**settings))
    return demo, demo.chat_app


def test_build_app_returns_blocks_without_launching(app_dirs):
    import gradio as gr

    demo, chat = _chat(*app_dirs)
    assert isinstance(demo, gr.Blocks)
    assert "1 document(s)" in chat.status() and "e5-small-q4" in chat.status() and "index built" in chat.status()


def test_ask_returns_answer_and_highlighted_sources(app_dirs):
    _, chat = _chat(*app_dirs)
    messages, sources, turns, cleared = chat.ask("When does Mission 2 land?", [], [])
    assert cleared == "" and messages[-1]["role"] == "assistant"
    assert messages[-1]["content"].startswith("June 6, 2025") and "[1]" in messages[-1]["content"]
    labels = [label for _, label in sources if label]
    assert labels[0] == "[1]"
    assert any("ispace-2025-05-09-thermal-mining.pdf | page" in text for text, _ in sources)
    follow = chat.ask("What about Mission 3?", messages, turns)
    assert follow[0][-1]["content"].startswith("2026")
    empty = chat.ask("   ", messages, turns)
    assert empty[0] == messages and "Type a question" in empty[1][0][0]


def test_safe_file_names():
    import app

    assert app.safe_file_name("../../x.pdf") == "x.pdf"
    assert app.safe_file_name("/etc/passwd.txt") == "passwd.txt"
    assert app.safe_file_name("..\\..\\evil.md") == "evil.md"
    assert app.safe_file_name("リリース 2025.PDF") == "リリース_2025.pdf"
    for bad in ("x.exe", "../.pdf", "noext", "x.pdf.sh"):
        with pytest.raises(QAError):
            app.safe_file_name(bad)


def test_upload_saves_safely_rebuilds_and_answers(app_dirs, tmp_path):
    index_dir, corpus = app_dirs
    _, chat = _chat(index_dir, corpus, max_upload_megabytes=0.01)
    release = tmp_path / "uploads" / "..%2F..%2Fnew-release.txt"
    release.parent.mkdir()
    release.write_text("2025年7月1日\nテスト宇宙株式会社\nテスト宇宙株式会社の月面基地の名前はルナベースです。", encoding="utf-8")
    too_big = tmp_path / "uploads" / "big.txt"
    too_big.write_text("月" * 20000, encoding="utf-8")
    wrong = tmp_path / "uploads" / "tool.exe"
    wrong.write_bytes(b"MZ")
    message, status = chat.add_releases([str(release), str(too_big), str(wrong)])
    assert "Added" in message and "2 document(s)" in status
    assert "limit" in message and "only .pdf, .txt and .md" in message
    saved = sorted(path.name for path in corpus.iterdir())
    assert saved == ["2F.._2Fnew-release.txt", SAMPLE_PDF.name]
    assert not (tmp_path / "new-release.txt").exists()
    messages, _, _, _ = chat.ask("月面基地の名前は何ですか？", [], [])
    assert "ルナベース" in messages[-1]["content"]


def test_failed_rebuild_keeps_the_old_index_answering(app_dirs, tmp_path, monkeypatch):
    index_dir, corpus = app_dirs
    _, chat = _chat(index_dir, corpus)
    before = chat.index

    def fail(*args, **kwargs):
        raise qa.errors.NothingIndexedError([])

    monkeypatch.setattr(qa, "build_index", fail)
    upload = tmp_path / "ok.txt"
    upload.write_text("2025年1月1日\n短いお知らせです。", encoding="utf-8")
    message, _ = chat.add_releases([str(upload)])
    assert "rebuild failed" in message and chat.index is before
    assert chat.ask("When does Mission 2 land?", [], [])[0][-1]["content"].startswith("June 6, 2025")


def test_real_server_through_gradio_client(app_dirs):
    from gradio_client import Client

    index_dir, corpus = app_dirs
    server = RunningApp(index_dir, corpus)
    try:
        client = Client(server.url, verbose=False)
        messages, sources, _ = client.predict("When does Mission 2 land?", [], api_name="/ask")
        reply = messages[-1]["content"]
        text = reply[0]["text"] if isinstance(reply, list) else reply
        assert "[1]" in text and text.startswith("June 6, 2025")
        header = sources[0]["token"]
        assert "ispace-2025-05-09-thermal-mining.pdf" in header and "page 1" in header
    finally:
        server.stop()


def test_login_is_enforced_when_asked(app_dirs):
    import urllib.error
    import urllib.request

    index_dir, corpus = app_dirs
    server = RunningApp(index_dir, corpus, "--auth", "analyst:s3cret")
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.url + "config", timeout=10)
        assert refused.value.code in (401, 403)
        from gradio_client import Client

        with pytest.raises(Exception):
            Client(server.url, verbose=False).predict("When does Mission 2 land?", [], api_name="/ask")
        client = Client(server.url, auth=("analyst", "s3cret"), verbose=False)
        messages, _, _ = client.predict("When does Mission 2 land?", [], api_name="/ask")
        assert messages
    finally:
        server.stop()


def test_bad_questions_through_the_real_server(tmp_path):
    """Each bad question over HTTP, as a browser's request would carry it: the server
    answers every one (no error event), within a bounded time, and stays up."""
    import time

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE_PDF, corpus / SAMPLE_PDF.name)
    (corpus / "refs.txt").write_text(BRACKETED_RELEASE[0], encoding="utf-8")
    index_dir = tmp_path / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    server = RunningApp(index_dir, corpus)
    try:
        for name, question, expected in BAD_QUESTIONS + [("bracketed-release", BRACKETED_RELEASE[1], "answer")]:
            started = time.monotonic()
            messages, sources = _call(server.url, "ask", [question, []])[:2]
            assert time.monotonic() - started < 30, name
            if expected == "empty":
                assert messages == [] and "Type a question" in sources[0]["token"], name
                continue
            user, reply = (_text(message) for message in messages[-2:])
            assert "<" not in user and "<" not in reply, name  # markup arrives escaped
            if expected == "answer":
                assert "[1]" in reply and any(segment["class_or_confidence"] == "[1]" for segment in sources), name
            else:
                assert "do not say" in reply or "見つかりませんでした" in reply, (name, reply)
            if name == "long":
                assert user.endswith("(only the first 2,000 characters were read)")
            if name == "bracketed-release":
                assert reply.startswith("2026年 [1]") and "[2]" not in reply.replace("予定です[2]", ""), reply
        messages = _call(server.url, "ask", ["When does Mission 2 land?", []])[0]
        assert _text(messages[-1]).startswith("June 6, 2025")
    finally:
        server.stop()


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


def _text(message) -> str:
    content = message["content"]
    return content[0]["text"] if isinstance(content, list) else content
