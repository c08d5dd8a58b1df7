"""The README's Python example runs as written, so it cannot go stale."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def python_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)


@pytest.mark.slow
def test_readme_python_example_runs(built_index_dir, tmp_path):
    """In a fresh process, in a folder holding only a copy of corpus/ and an app's
    index with an uploaded document: the example makes the file it adds, answers,
    and leaves the app's index as it was."""
    import qa
    from qa import storage

    from conftest import copy_index

    [example] = [block for block in python_examples() if "import qa" in block]
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    app_index = copy_index(built_index_dir, tmp_path)  # tmp_path/index, as `make chat` leaves it
    upload = tmp_path / "upload" / "uploaded.txt"
    upload.parent.mkdir()
    upload.write_text("2025年8月1日\n試験農園株式会社\n試験農園株式会社の温室の名前はグリーンドームです。\n", encoding="utf-8")
    qa.load_index(app_index).add([upload])
    shutil.rmtree(upload.parent)  # its only copy is now the index's
    marker = storage.current_build_marker(app_index)
    # "found": stated or quoted as the closest passage; the model now quotes the landing date rather than state it
    checks = ("\nimport json\nprint('RESULT ' + json.dumps({'found': answer.outcome != 'not_found', "
              "'citations': len(answer.citations), "
              "'follow': follow.text, 'follow_outcome': follow.outcome, 'japanese': japanese.outcome != 'not_found', 'hits': len(hits)}))\n")
    result = subprocess.run([sys.executable, "-c", example + checks], cwd=tmp_path, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "[('new-release.txt', 'added')]"
    assert "['new-release.txt']" in lines  # the rebuild that would have dropped it refused
    outcome = json.loads([line for line in lines if line.startswith("RESULT ")][0][len("RESULT "):])
    assert outcome["found"] and outcome["citations"] and outcome["hits"] == 5 and outcome["japanese"]
    # the follow-up is read as "When does Mission 3 land?": the release gives its launch year only, so the
    # closest passage (or, were the model surer, the fact) and never a refusal
    assert outcome["follow_outcome"] in ("answer", "passage"), outcome["follow"]
    assert "2026" in outcome["follow"] and "ミッション3" in outcome["follow"]
    assert (tmp_path / "new-release.txt").is_file()  # the example made the file it adds
    assert storage.current_build_marker(app_index) == marker  # the app's index was not touched
    assert "uploaded.txt" in [document.name for document in qa.load_index(app_index).documents()]


def repeated_runs(text: str) -> list[str]:
    """Runs of 2 to 6 words written twice in a row ("every file below; file below")."""
    words = [word.strip(".,;:") for word in re.findall(r"[\w`.-]+", text)]
    return [" ".join(words[at:at + size]) for size in range(2, 7) for at in range(len(words) - 2 * size + 1)
            if words[at:at + size] == words[at + size:at + 2 * size]]


def test_the_index_readme_says_each_thing_once():
    """index/README.md once had a line repeated half-way through a sentence."""
    assert repeated_runs("the sha256 of every\n  file below;\n  file below (a sampled sha256") == ["file below"]
    assert repeated_runs((ROOT / "index" / "README.md").read_text(encoding="utf-8")) == []


def test_the_readme_is_a_short_guide_whose_test_command_ci_runs_and_whose_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = re.search(r"## Quick start\n.*?```sh\n(.*?)```", readme, flags=re.DOTALL).group(1)
    commands = [line.split("#")[0].strip() for line in quick_start.splitlines()]
    assert commands == ["make chat", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "make test" in ci  # the README's test command, verbatim
    assert len(readme.splitlines()) < 400  # measurements and design live in docs/
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
    for name in ("design.md", "benchmarks.md", "reliability.md", "tests.md"):
        assert f"docs/{name}" in readme
