"""Reordering the fused candidates with a model learned from the development sets.

Design choice: reciprocal-rank fusion weighs the dense and lexical rankings the same
whatever the question, yet they are right on different questions: on the 20
development sets BM25 alone put the passage that answers in the top 3 for 0.85
(English) and 0.97 (Japanese) of the questions asked in the passage's language, the
fusion for 0.81 and 0.93, while across languages the fusion was far ahead (0.78
and 0.72 against 0.49 and 0.35). The best `TOP` fused candidates are therefore
reordered by a logistic regression of P(the passage holds the answer) over the
signals the fusion already has: the dense and lexical ranks and scores, whether the
passage is in the question's language (and the same signals for that case alone),
the best fused rank of its document, whether it is its document's first passage,
its tier in the question's time frame, and whether it prints a quantity the question
names; and, from one more reading of the 30 passages' text (substring tests, no
tokenizer), the share of the question's words each holds, in the question's
words and in translation, a word counting its likeliest translation held
(`coverage`). BM25 sums rare words; coverage counts the words asked, so "Employees:
212" holds 従業員数 as fully as 従業員数：171名 does (leave-one-company-out recall@3
0.824 -> 0.831, evidence in the other language 0.755 -> 0.769; on the two sets no
model saw 0.827 -> 0.834, other language 0.726 -> 0.774). The model is fitted by
bench/train_rerank.py on the development sets and evaluated leave-one-company-out
(docs/quality.md); its coefficients, over standardized features, are read with numpy
from `rerank.json`. Nothing below depends on the store: Milvus gives the same signals.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("rerank.json")
# Candidates reordered: the fused ranking's best this many (the rest keep their order).
TOP = 30
# Ranks beyond this are one rank: "not among the stage's best" (the search's depth is
# at least 50, so the features do not depend on how many hits were asked for).
RANK_CAP = 50
FEATURES = (
    "fused", "log_rank", "log_dense_rank", "log_lexical_rank", "dense", "dense_gap", "lexical",
    "same_language", "same_lexical", "same_dense_gap", "same_log_lexical_rank", "same_log_dense_rank",
    "log_document_rank", "first_of_document", "log_time_tier", "timed", "quantity",
    "own_coverage", "translated_coverage", "coverage", "coverage_gap",
)


@dataclass(frozen=True)
class Signals:
    """What the fusion knows of its candidates, for one question: the fused order and
    scores, the dense and lexical rankings and scores, the time tiers, and the chunks
    that print a quantity the question names."""
    ranked: list[int]
    fused: dict[int, float]
    dense: dict[int, float]
    dense_ranked: list[int]
    lexical_ranked: list[int]
    lexical_scores: object  # an array of every chunk's score, or a dict of the candidates'
    tiers: list[list[int]]
    quantity: frozenset[int]
    # The share of the question's words each of the best `TOP` holds, in its words and in
    # translation (`coverage`).
    coverage: dict = field(default_factory=dict)


def features(signals: Signals, question_language: str, describe) -> np.ndarray:
    """One row of `FEATURES` for each of the best `TOP` candidates of `signals.ranked`.
    `describe(position)` gives a chunk's language, its document (any value that tells
    documents apart: a path or its code) and whether it is its document's first chunk."""
    top = signals.ranked[:TOP]
    described = {position: describe(position) for position in top}
    languages = {position: about[0] for position, about in described.items()}
    paths = {position: about[1] for position, about in described.items()}
    firsts = {position: about[2] for position, about in described.items()}
    dense_rank = {position: rank for rank, position in enumerate(signals.dense_ranked[:RANK_CAP], start=1)}
    lexical_rank = {position: rank for rank, position in enumerate(signals.lexical_ranked[:RANK_CAP], start=1)}
    tier = {position: rank for rank, tier in enumerate(signals.tiers, start=1) for position in tier}
    best_dense = signals.dense[signals.dense_ranked[0]] if signals.dense_ranked else 0.0
    best_lexical = lexical_score(signals.lexical_scores, signals.lexical_ranked[0]) if signals.lexical_ranked else 0.0
    document_rank: dict[str, int] = {}
    for rank, position in enumerate(top, start=1):
        document_rank.setdefault(paths[position], rank)
    covered = {position: signals.coverage.get(position, (0.0, 0.0)) for position in top}
    most = max((max(pair) for pair in covered.values()), default=0.0)
    rows = []
    for rank, position in enumerate(top, start=1):
        same = float(languages[position] == question_language)
        log_dense = math.log(dense_rank.get(position, RANK_CAP + 1))
        log_lexical = math.log(lexical_rank.get(position, RANK_CAP + 1))
        dense = float(signals.dense.get(position, 0.0))
        gap = dense - best_dense
        lexical = lexical_score(signals.lexical_scores, position) / best_lexical \
            if position in lexical_rank and best_lexical > 0 else 0.0
        rows.append((signals.fused[position], math.log(rank), log_dense, log_lexical, dense, gap, lexical,
                     same, same * lexical, same * gap, same * log_lexical, same * log_dense,
                     math.log(document_rank[paths[position]]), float(firsts[position]),
                     math.log1p(tier.get(position, 0)) if signals.tiers else 0.0, float(bool(signals.tiers)),
                     float(position in signals.quantity), covered[position][0], covered[position][1],
                     max(covered[position]), max(covered[position]) - most))
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def coverage(question, text: str) -> tuple[float, float]:
    """The share of `question`'s words (its lexical tokens) that `text` holds, as a word
    or inside one, and the share it holds in translation, each word counting its
    likeliest translation held (`Question.translation_groups`: 従業員 held as
    "employees" is the whole word)."""
    lowered = text.lower()
    own = set(question.tokens)
    held = sum(token in lowered for token in own) / len(own) if own else 0.0
    translated = sum(max((share for token, share in group if token in lowered), default=0.0)
                     for group in question.translation_groups)
    return held, translated / max(len(own), len(question.translation_groups), 1)


def lexical_score(scores, position: int) -> float:
    """A chunk's BM25 score from a store's answer (an array of every chunk's, or a dict)."""
    return float(scores[position] if isinstance(scores, np.ndarray) else scores.get(position, 0.0))


@dataclass(frozen=True)
class Reranker:
    """A logistic regression over standardized `FEATURES`."""
    mean: np.ndarray
    scale: np.ndarray
    coefficients: np.ndarray
    intercept: float

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        logits = ((matrix - self.mean) / self.scale) @ self.coefficients + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def reorder(self, signals: Signals, matrix: np.ndarray) -> tuple[list[int], dict[int, float]]:
        """The ranking with its best `TOP` reordered by P(holds the answer) (ties keep
        the fused order), and a score for each: that probability, and below the `TOP`,
        which the model did not read, the lowest of them scaled by the fused score (a
        hit's score is on one scale however many are asked for)."""
        top = signals.ranked[:TOP]
        if not top:
            return list(signals.ranked), {}
        probabilities = self.probabilities(matrix)
        order = sorted(range(len(top)), key=lambda index: (-probabilities[index], index))
        scores = {top[index]: float(probabilities[index]) for index in order}
        floor, last = float(probabilities.min()), signals.fused[top[-1]]
        for position in signals.ranked[TOP:]:
            scores[position] = floor * min(1.0, signals.fused[position] / last) if last > 0 else 0.0
        return [top[index] for index in order] + list(signals.ranked[TOP:]), scores

    def to_record(self, notes: dict | None = None) -> dict:
        return {"features": list(FEATURES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coefficients": self.coefficients.tolist(), "intercept": self.intercept, "top": TOP,
                "rank_cap": RANK_CAP, "notes": notes or {}}

    @classmethod
    def from_record(cls, record: dict) -> "Reranker":
        if record.get("features") != list(FEATURES):
            raise ValueError("the reranker was fitted on other features: run bench/train_rerank.py --write")
        return cls(np.asarray(record["mean"], dtype=np.float64), np.asarray(record["scale"], dtype=np.float64),
                   np.asarray(record["coefficients"], dtype=np.float64), float(record["intercept"]))


@functools.lru_cache(maxsize=1)
def shipped() -> Reranker | None:
    """The model shipped with qa (None when the file is absent)."""
    if not MODEL_PATH.exists():
        return None
    return Reranker.from_record(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
