"""SIGKILL during `qa build`, `qa add` or `qa remove` never damages the index
(bench/kill_builds.py runs 20 of each)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from kill_builds import run  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["build", "add", "remove"])
def test_killed_runs_leave_a_loadable_index(tmp_path, mode):
    # The sample release alone: each run still reads, embeds (a new 150-sentence
    # release) and publishes, and the kills land anywhere in it.
    result = run(kills=2, seed=7, scratch=tmp_path, mode=mode, manpages=0)
    assert result["kills"] == 2 and result["mode"] == mode
    assert result["folders_after_cleanup"] <= 2
