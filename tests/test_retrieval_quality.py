"""Retrieval quality on the development questions (real model, real release)."""

from __future__ import annotations

from qa.evaluation import evaluate_retrieval, read_questions

from conftest import DEV_QUESTIONS


def test_recall_at_3_is_perfect_in_both_languages(sample_index):
    report = evaluate_retrieval(sample_index, read_questions(DEV_QUESTIONS))
    for language in ("en", "ja"):
        scores = report["by_language"][language]
        assert scores["questions"] == 5
        assert scores["recall@3"] == 1.0, (language, report["questions"])
        assert scores["recall@5"] == 1.0
