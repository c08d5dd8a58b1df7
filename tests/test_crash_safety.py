"""SIGKILL during `qa build`, `qa add` or `qa remove` never damages the index
(bench/kill_builds.py runs 20 of each)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from kill_builds import run_modes  # noqa: E402


@pytest.mark.slow
def test_killed_build_add_and_remove_leave_a_loadable_index(tmp_path):
    # The sample release alone: each run still reads, embeds (a new 150-sentence
    # release) or removes, and publishes, and the kills land anywhere in it.
    results = run_modes(kills=2, seed=7, scratch=tmp_path, modes=("build", "add", "remove"), manpages=0,
                        questions=4)
    assert [result["mode"] for result in results] == ["build", "add", "remove"]
    assert all(result["kills"] == 2 and result["folders_after_cleanup"] <= 2 for result in results)
