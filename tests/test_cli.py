"""The command line end to end: qa build, qa search, qa eval (and the console script)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from qa.cli import main

from conftest import DEV_QUESTIONS, SAMPLE_PDF


def test_build_search_eval(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SAMPLE_PDF.name).write_bytes(SAMPLE_PDF.read_bytes())
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    index_dir = tmp_path / "index"

    assert main(["build", str(corpus), "--index", str(index_dir), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "indexed 1 document(s)" in captured.out and "1 failed" in captured.out
    assert "chunks/s" in captured.out
    assert "broken.pdf" in captured.err and "corrupt" in captured.err

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
