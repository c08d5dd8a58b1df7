"""The claim check on answers a careful model would write and on the same answers with
one fact altered (bench/claim_check.py's scripted model, on the sample release with the
hand-written answers of tests/data/scripted_answers.jsonl): every correct answer is
kept, in either language, and no altered fact is shown."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import claim_check  # noqa: E402
from fake_llm import FakeLLM  # noqa: E402

pytestmark = pytest.mark.slow
DATA = ROOT / "tests" / "data"


def test_correct_answers_are_kept_and_altered_facts_are_not_shown(sample_index):
    questions = [json.loads(line) for name in ("dev_qa.jsonl", "extra_qa.jsonl")
                 for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    model = claim_check.ScriptedModel()
    with FakeLLM(model=claim_check.MODEL, respond=model.respond) as server:
        results = claim_check.measure("sample", sample_index, questions, claim_check.hand_written(), model, server.url)
    asked = [item for item in results if item["in_prompt"]]
    assert len(asked) == 25 and {item["pair"] for item in asked} == {"same", "other"}
    lost = [(item["id"], item["correct"]["reasons"]) for item in asked if not item["correct"]["kept"]]
    assert not lost
    shown = [alt["text"] for item in asked for alt in item["altered"] if alt["shown"]]
    assert not shown and sum(len(item["altered"]) for item in asked) >= 35
