"""SIGKILL during `qa build` never damages the index (bench/kill_builds.py runs 20)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from kill_builds import run  # noqa: E402


def test_killed_builds_leave_a_loadable_index(tmp_path):
    result = run(kills=3, seed=7, scratch=tmp_path)
    assert result["kills"] == 3
    assert result["folders_after_cleanup"] <= 2
