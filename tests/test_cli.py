"""The command line end to end: qa build, add, remove, list, search, ask, eval (and the console script)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import main

from conftest import BAD_QUESTIONS, BRACKETED_RELEASE, DEV_QUESTIONS, SAMPLE_PDF, make_slow_pdf


def test_build_search_eval(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SAMPLE_PDF.name).write_bytes(SAMPLE_PDF.read_bytes())
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    make_slow_pdf(corpus / "slow.pdf")
    index_dir = tmp_path / "index"

    assert main(["build", str(corpus), "--index", str(index_dir), "--quiet", "--file-timeout", "1"]) == 0
    captured = capsys.readouterr()
    assert "indexed 1 document(s)" in captured.out and "2 failed" in captured.out
    assert "chunks/s" in captured.out
    assert "broken.pdf" in captured.err and "corrupt" in captured.err
    assert "slow.pdf: reading took longer than 1 s" in captured.err

    assert main(["search", "ミッション2の打ち上げ日は？", "-k", "2", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "[1] ispace-2025-05-09-thermal-mining.pdf  page" in out and "date 2025-05-09" in out

    assert main(["search", "When does Mission 2 land?", "--json", "--index", str(index_dir)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 5 and {"source", "page", "doc_date", "score", "text"} <= set(hits[0])

    assert main(["eval", str(DEV_QUESTIONS), "--index", str(index_dir), "--retrieval-only", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["retrieval"]["by_language"]) == {"en", "ja"}
    assert "recall@3" in report["retrieval"]["by_language"]["ja"]


def test_errors_are_one_line_messages(tmp_path, capsys):
    assert main(["search", "anything", "--index", str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no index found") and "qa build" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build", str(empty), "--index", str(tmp_path / "index"), "--quiet"]) == 1
    assert "nothing to index" in capsys.readouterr().err


def test_console_script_runs(built_index_dir):
    script = Path(sys.executable).with_name("qa")
    result = subprocess.run([str(script), "search", "RESILIENCE", "-k", "1", "--index", str(built_index_dir)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "RESILIENCE" in result.stdout


@pytest.fixture(scope="module")
def release_index(tmp_path_factory) -> Path:
    """The sample release plus a release whose text holds [1]-like markers."""
    import qa

    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / SAMPLE_PDF.name).write_bytes(SAMPLE_PDF.read_bytes())
    (corpus / "refs.txt").write_text(BRACKETED_RELEASE[0], encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("index")
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    return index_dir


def _qa_ask(index_dir: Path, question: str) -> subprocess.CompletedProcess:
    """`qa ask` as a user runs it: the question on the command line, or on standard
    input ("-") when a command line cannot carry it (NUL, lone surrogates, 100 KB)."""
    script = str(Path(sys.executable).with_name("qa"))
    arguments = [script, "ask", question, "--index", str(index_dir)]
    data = None
    if "\x00" in question or len(question.encode("utf-8", "surrogatepass")) > 100_000 or any(
            "\ud800" <= character <= "\udfff" for character in question):
        arguments[2] = "-"
        data = question.encode("utf-8", "surrogatepass")
    return subprocess.run(arguments, input=data, capture_output=True, timeout=60)


# These run `qa ask` as its own process (a command line, or standard input for what a
# command line cannot carry); the others call the same `main` in this process, which
# saves loading the model eleven times.
AS_A_PROCESS = {"empty", "long", "control-and-surrogates"}


@pytest.mark.slow
@pytest.mark.parametrize("name, question, expected", BAD_QUESTIONS, ids=[case[0] for case in BAD_QUESTIONS])
def test_bad_questions_through_qa_ask(release_index, name, question, expected, capsys):
    if name in AS_A_PROCESS:
        result = _qa_ask(release_index, question)
        code, out, err = result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    else:
        code = main(["ask", question, "--index", str(release_index)])
        out, err = capsys.readouterr()
    if expected == "empty":
        assert code == 1 and err.strip() == "error: the question is empty", err
        return
    assert code == 0, err
    assert "Traceback" not in err
    if expected == "answer":
        assert "[1]" in out and "\nSources:\n[1] " in out, out
        sources = out.split("\nSources:\n")[1]
        assert "| ispace-2025-05-09-thermal-mining.pdf, page" in sources.splitlines()[0], out
        for citation_quote in re.findall(r"[「“](.+?)[」”] ?\[\d\]", out.split("\nSources:\n")[0]):
            assert out.count(citation_quote) == 1, citation_quote  # each quote is printed once
    else:
        assert "do not say" in out or "見つかりませんでした" in out, out
        assert "Sources:" not in out


def test_bracket_markers_in_a_release_through_qa_ask(release_index):
    result = _qa_ask(release_index, BRACKETED_RELEASE[1])
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0 and "2026年" in out.split("Sources:")[0] and "\nOutcome: " in out, out
    assert "[2]" not in out.split("Sources:")[0].replace("予定です[2]", ""), out
    sources = out.split("Sources:")[1]
    assert sources.count("\n[1] ") == 1 and "| refs.txt, page" in sources and "\n[2] " not in sources


def test_page_labels():
    from qa.records import Hit

    def hit(pages):
        return Hit("c", "t", "s.pdf", pages[0] if pages else None, pages, "T", None, 0.0, 0, 1)

    assert [hit(pages).page_label for pages in ((), (3,), (3, 4))] == ["-", "3", "3-4"]


def test_add_remove_list_from_the_command_line(built_index_dir, tmp_path, capsys):
    from conftest import copy_index

    index_dir = str(copy_index(built_index_dir, tmp_path))
    release = tmp_path / "new-release.txt"
    release.write_text("2025年7月1日\nテスト宇宙株式会社\nテスト宇宙株式会社の月面基地の名前はルナベースです。", encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01")
    assert main(["add", str(release), str(junk), str(SAMPLE_PDF), "--index", index_dir, "-q"]) == 1
    captured = capsys.readouterr()
    assert "added: new-release.txt" in captured.out and "index: 2 document(s)" in captured.out
    assert "rejected: junk.txt (binary data" in captured.err
    assert f"duplicate: {SAMPLE_PDF.name} (already indexed as {SAMPLE_PDF.name})" in captured.err
    assert captured.err.count("junk.txt") == 1  # each problem printed once
    changed = tmp_path / "v2" / "new-release.txt"
    changed.parent.mkdir()
    changed.write_text("2025年8月1日\nテスト宇宙株式会社\n基地の名前はムーンベースです。", encoding="utf-8")
    assert main(["add", str(changed), "--index", index_dir, "-q"]) == 1
    assert "conflict: new-release.txt" in capsys.readouterr().err
    assert main(["add", str(changed), "--index", index_dir, "--replace", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["outcomes"][0]["outcome"] == "replaced" and report["documents"] == 2
    assert main(["list", "--index", index_dir]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["name", "title", "date"] and "new-release.txt" in table[2]
    assert main(["list", "--index", index_dir, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows] == [SAMPLE_PDF.name, "new-release.txt"] and rows[1]["date"] == "2025-08-01"
    assert main(["remove", "new-release.txt", "--index", index_dir]) == 0
    assert "removed: new-release.txt" in capsys.readouterr().out
    assert main(["remove", SAMPLE_PDF.name, "--index", index_dir]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: an index needs at least one document") and err.count("\n") == 1


def test_a_failed_build_prints_each_problem_once(tmp_path):
    result = subprocess.run([str(Path(sys.executable).with_name("qa")), "build", str(tmp_path / "missing.pdf"),
                             "--index", str(tmp_path / "index"), "-q"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("missing.pdf") == 1, result.stderr
    assert result.stderr.splitlines()[-1] == "error: nothing could be indexed"
    assert "DEBUG" not in result.stderr and "WARNING" not in result.stderr


def test_the_library_logs_nothing_below_warning_by_default(built_index_dir, tmp_path):
    """bm25s sets its logger to DEBUG when imported; qa sets it back."""
    script = ("import logging, sys; logging.basicConfig(level=logging.WARNING); import qa; "
              f"qa.load_index({str(built_index_dir)!r}).search('ispace', k=1)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr


@pytest.mark.slow
def test_make_chat_and_qa_serve_take_a_port_and_an_index(tmp_path):
    root = Path(__file__).resolve().parent.parent
    planned = subprocess.run(["make", "-n", "-C", str(root), "chat", "PORT=8000", f"INDEX={tmp_path / 'idx'}"],
                             capture_output=True, text=True, timeout=60)
    assert f"app.py --index {tmp_path / 'idx'} --corpus corpus --port 8000 --host 127.0.0.1" in planned.stdout
    served = subprocess.run([str(Path(sys.executable).with_name("qa")), "serve", "--index", str(tmp_path / "idx"),
                             "--corpus", str(tmp_path / "no-corpus"), "--port", "8001", "--max-upload-mb", "5"],
                            capture_output=True, text=True, timeout=120)
    assert served.returncode == 1  # no index there and nothing to build it from: said once, then exit
    assert served.stderr.count("error: ") == 1 and "no-corpus" in served.stderr, served.stderr


RELEASE = "2025年7月1日\nテスト宇宙株式会社\nテスト宇宙株式会社の月面基地の名前はルナベースです。"


def _release(path: Path, text: str = RELEASE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_qa_build_refuses_to_drop_an_added_document_until_replace(built_index_dir, tmp_path, capsys):
    from conftest import copy_index

    index_dir = str(copy_index(built_index_dir, tmp_path))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SAMPLE_PDF.name).write_bytes(SAMPLE_PDF.read_bytes())
    added = _release(tmp_path / "elsewhere" / "added-by-hand.txt")
    assert main(["add", str(added), "--index", index_dir, "-q"]) == 0
    capsys.readouterr()
    assert main(["build", str(corpus), "--index", index_dir, "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: this build would drop 1 document(s)") and err.count("\n") == 1, err
    assert "added-by-hand.txt" in err and "--replace" in err
    assert main(["list", "--index", index_dir]) == 0
    assert "added-by-hand.txt" in capsys.readouterr().out
    assert main(["build", str(corpus), "--index", index_dir, "-q", "--keep-added"]) == 0
    assert "indexed 2 document(s)" in capsys.readouterr().out
    assert main(["build", str(corpus), "--index", index_dir, "-q", "--replace"]) == 0
    assert "indexed 1 document(s)" in capsys.readouterr().out


def test_qa_add_exit_codes(built_index_dir, tmp_path, capsys):
    """1 when a file is rejected or conflicts, or a path does not exist; 0 for a
    duplicate: its content is indexed already (adding a folder again is safe)."""
    from conftest import copy_index

    index_dir = str(copy_index(built_index_dir, tmp_path))
    assert main(["add", str(tmp_path / "new-release.txt"), "--index", index_dir, "-q"]) == 1
    assert capsys.readouterr().err == f"error: no such file or folder: {tmp_path / 'new-release.txt'}. " \
                                      f"Nothing was added\n"
    assert main(["add", str(SAMPLE_PDF), "--index", index_dir, "-q"]) == 0
    assert f"duplicate: {SAMPLE_PDF.name}" in capsys.readouterr().err
    release = _release(tmp_path / "a" / "release.txt")
    assert main(["add", str(release), "--index", index_dir, "-q"]) == 0
    assert main(["add", str(release), "--index", index_dir, "-q"]) == 0  # again: a duplicate
    other = _release(tmp_path / "b" / "release.txt", "2025年8月1日\n別の会社\n別の会社の基地はムーンベースです。")
    assert main(["add", str(other), "--index", index_dir, "-q"]) == 1  # a conflict
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01")
    assert main(["add", str(junk), "--index", index_dir, "-q"]) == 1  # rejected


def test_qa_list_shows_whole_names_and_remove_takes_a_unique_beginning(built_index_dir, tmp_path, capsys):
    from conftest import copy_index

    index_dir = str(copy_index(built_index_dir, tmp_path))
    long_one = "orbital-freight-2025-05-09-thermal-mining-results-summary.txt"
    long_two = "orbital-freight-2025-06-01-second-flight-announcement.txt"
    for name in (long_one, long_two):
        _release(tmp_path / "new" / name, f"2025年7月1日\n{name}株式会社\n{name}の月面基地の名前はルナベースです。")
    assert main(["add", str(tmp_path / "new"), "--index", index_dir, "-q"]) == 0
    capsys.readouterr()
    assert main(["list", "--index", index_dir]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 147  # the columns keep their widths
    assert "…" not in "".join(line[:40] for line in lines)  # names are wrapped, never cut
    listed = "".join(line[:40].rstrip() for line in lines)
    assert long_one in listed and long_two in listed
    assert main(["list", "--index", index_dir, "--wide"]) == 0
    wide = capsys.readouterr().out.splitlines()
    assert len(wide) == 5 and any(line.startswith(long_one + " ") for line in wide)
    assert main(["remove", "orbital-freight-2025", "--index", index_dir]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: 'orbital-freight-2025' is the beginning of 2 documents")
    assert long_one in err and long_two in err and "Nothing was removed" in err
    assert main(["remove", "orbital-freight-2025-05", "--index", index_dir]) == 0
    assert f"removed: {long_one}" in capsys.readouterr().out
    assert main(["remove", "orbital-freight-2025-06-01-seco…", "--index", index_dir]) == 0  # as a cut table showed it
    assert f"removed: {long_two}" in capsys.readouterr().out
    assert main(["add", str(tmp_path / "new" / long_two), "--index", index_dir, "-q", "--json"]) == 0
    document_id = json.loads(capsys.readouterr().out)["outcomes"][0]["document_id"]
    assert main(["remove", document_id[:6], "--index", index_dir]) == 0  # the beginning of the id
    assert f"removed: {long_two}" in capsys.readouterr().out
    assert main(["remove", "nothing-like-this", "--index", index_dir]) == 1
    captured = capsys.readouterr()
    assert "not found: nothing-like-this" in captured.err
    assert "index unchanged:" in captured.out and "embedded" not in captured.out  # no build line when nothing changed


@pytest.mark.slow
def test_a_port_in_use_is_one_line_naming_port_and_the_flag(tmp_path, capsys):
    """make chat, app.py and qa serve on a busy port: one line that says how to pick
    another (PORT=, --port), no traceback, exit 1, before any index is loaded."""
    import socket

    import app

    root = Path(__file__).resolve().parent.parent
    index = str(tmp_path / "no-index")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        expected = (f"error: port {port} on 127.0.0.1 is in use (is the app already running?); choose another "
                    f"one: make chat PORT={port + 1}, or --port {port + 1} (app.py, qa serve)")
        # app.py and qa serve in this process (the same main() their command lines run) ...
        assert app.main(["--port", str(port), "--index", index]) == 1
        assert capsys.readouterr().err == expected + "\n"
        assert main(["serve", "--port", str(port), "--index", index]) == 1
        assert capsys.readouterr().err == expected + "\n"
        # ... and make chat as a user runs it.
        result = subprocess.run(["make", "--no-print-directory", "-C", str(root), "chat", f"PORT={port}",
                                 f"INDEX={index}", f"VENV={Path(sys.executable).parent.parent}"],
                                capture_output=True, text=True, timeout=120, cwd=str(root))
        assert result.returncode != 0
        ours = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: ", line)]
        assert ours == [expected], result.stderr
        assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "no-index").exists()


def test_make_install_prepares_the_dictionary_without_a_runpy_warning():
    """`python -m qa.search.dictionary` warned that the module was imported (by the
    qa package) before it ran; make install runs `qa prepare` instead."""
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert "$(BIN)/qa prepare" in makefile and "-m qa." not in makefile
    result = subprocess.run([str(Path(sys.executable).with_name("qa")), "prepare"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and result.stdout.startswith("dictionary: "), result.stderr
    assert "Warning" not in result.stderr, result.stderr


def test_qa_ask_says_what_the_confidence_measures():
    """'Outcome: passage (… no fact stated) (confidence 0.91)' read as a contradiction to a new user."""
    from qa.cli.questions import _confidence_words
    from qa.records import Answer

    passage = Answer("x", False, outcome="passage", confidence=0.91)
    assert _confidence_words(passage) == " (the model puts the chance that this passage holds the answer at 0.91)"
    assert "this fact is right at 0.97" in _confidence_words(Answer("x", True, confidence=0.97))
    assert _confidence_words(Answer("x", False, confidence=0.2)) == ""


def test_qa_ask_does_not_call_a_question_in_another_language_not_found():
    """A Korean question, never searched, was labelled "not found (the releases do not say)"."""
    from qa.cli.questions import _outcome_words
    from qa.records import Answer

    refusal = Answer("qa answers questions in English and Japanese; this question looks like Korean.", False)
    assert _outcome_words(refusal) == "not answered (nothing quoted)"
    listed = Answer("The releases do not say.", False, citations=["a closest passage"])  # only its presence counts
    assert _outcome_words(listed) == "not found (the releases do not say)"

def test_qa_ask_calls_a_searched_question_without_an_answer_not_found(sample_index):
    """"What was ispace's revenue in fiscal 2030?" was searched and its closest passages
    listed, but it was labelled "not answered (nothing quoted)" as if never searched."""
    from qa.cli.questions import _outcome_words

    answer = sample_index.answer("What was ispace's revenue in fiscal 2030?")
    assert answer.outcome == "not_found" and answer.hits and not answer.citations
    assert _outcome_words(answer) == "not found (the releases do not say)"
