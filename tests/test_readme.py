"""The README's Python example runs as written, so it cannot go stale."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def python_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)


@pytest.mark.slow
def test_readme_python_example_runs(tmp_path, monkeypatch):
    [example] = [block for block in python_examples() if "import qa" in block]
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / "new-release.txt").write_text(
        "2025年9月1日\n月面農園株式会社\n月面農園株式会社は月面で育てる野菜の名前をルナトマトに決定しました。\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    answer, follow = namespace["answer"], namespace["follow"]
    assert answer.found and answer.citations
    assert follow.found, follow.text  # the follow-up is answered, not refused
    assert "2026" in follow.text
