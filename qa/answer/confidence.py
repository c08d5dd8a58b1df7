"""The confidence model: how likely a candidate answer is right, learned, not swept by hand.

Design choice: two heads (and an optional gate) over the same features (see `features`), fitted by
bench/train_confidence.py on the development question sets of many companies and kept
as a JSON file beside this module (no pickle):

- `right`: P(the fact this candidate would state first is an acceptable answer);
  the candidate with the highest value is the answer, and it is stated as a fact
  only when that probability (or the gate's) reaches `answer_threshold`, chosen so that the
  precision of stated facts, measured leave-one-company-out, reaches the target.
- `holds`: P(the sentence holds the answer), which picks the closest passage quoted
  when no fact is stated; below `passage_threshold` nothing is close enough and the
  answer is "the releases do not say".

Each head is a logistic regression (`Head`), gradient-boosted trees (`Trees`) or their
mean (`Mean`). The shipped model ranks with a logistic regression and lets trees decide
(`gate`): the candidate the right head ranks first is stated only when the gate's
probability for it reaches the threshold. Out of company over 37 companies this states
126 right / 6 wrong at the 0.95 target where the trees alone state 105 / 5 and the
logistic regression never reaches 0.95 (docs/quality.md, "The eighth session"). Since
the ninth session the ranking regression is fitted pairwise, on the differences of one
question's candidates (which of them is right, not how right candidates look across
questions), then calibrated: over 46 companies 195 right / 9 wrong against 133 / 7
(docs/quality.md, "The ninth session"). All are evaluated here with numpy, so
scikit-learn is needed only to fit them.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import QAError
from .features import FEATURES

MODEL_PATH = Path(__file__).with_name("confidence.json")


@dataclass(frozen=True)
class Head:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        logits = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    @classmethod
    def from_dict(cls, record: dict) -> "Head":
        return cls(np.asarray(record["mean"], float), np.asarray(record["scale"], float),
                   np.asarray(record["coef"], float), float(record["intercept"]))

    def to_dict(self) -> dict:
        return {"mean": [round(float(value), 6) for value in self.mean],
                "scale": [round(float(value), 6) for value in self.scale],
                "coef": [round(float(value), 6) for value in self.coef], "intercept": round(self.intercept, 6)}


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, read out):
    every tree's nodes in flat arrays (a leaf has feature -1), evaluated for all trees
    and rows at once, one tree level per step."""
    baseline: float
    roots: np.ndarray      # each tree's root node
    feature: np.ndarray    # the feature a node splits on, -1 for a leaf
    threshold: np.ndarray  # rows with feature <= threshold go left
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray      # a leaf's contribution to the log-odds

    def probability(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0)
        rows = np.asarray(rows, float)
        columns = np.arange(len(rows))[None, :]
        node = np.repeat(self.roots[:, None], len(rows), axis=1)
        while True:
            feature = self.feature[node]
            inner = feature >= 0
            if not inner.any():
                break
            values = rows[columns, np.maximum(feature, 0)]
            following = np.where(values <= self.threshold[node], self.left[node], self.right[node])
            node = np.where(inner, following, node)
        logits = self.baseline + self.value[node].sum(axis=0)
        return 1.0 / (1.0 + np.exp(-logits))

    @classmethod
    def from_dict(cls, record: dict) -> "Trees":
        return cls(float(record["baseline"]), np.asarray(record["roots"], np.int64),
                   np.asarray(record["feature"], np.int64), np.asarray(record["threshold"], float),
                   np.asarray(record["left"], np.int64), np.asarray(record["right"], np.int64),
                   np.asarray(record["value"], float))

    def to_dict(self) -> dict:
        return {"kind": "trees", "baseline": round(self.baseline, 8), "roots": self.roots.tolist(),
                "feature": self.feature.tolist(), "threshold": [float(value) for value in self.threshold],
                "left": self.left.tolist(), "right": self.right.tolist(),
                "value": [round(float(value), 8) for value in self.value]}


@dataclass(frozen=True)
class Mean:
    """The mean of several heads' probabilities (the logistic regression and the trees:
    the trees' precision at the top, the regression's ordering of close candidates)."""
    parts: tuple

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return np.mean([part.probability(rows) for part in self.parts], axis=0)

    @classmethod
    def from_dict(cls, record: dict) -> "Mean":
        return cls(tuple(head_from_dict(part) for part in record["parts"]))

    def to_dict(self) -> dict:
        return {"kind": "mean", "parts": [part.to_dict() for part in self.parts]}


def head_from_dict(record: dict) -> "Head | Trees | Mean":
    kind = record.get("kind")
    return Trees.from_dict(record) if kind == "trees" else Mean.from_dict(record) if kind == "mean" \
        else Head.from_dict(record)


# The closest passage is the order head's pick among the sentences whose holds
# probability is at least this share of the best one's (`closest`).
CLOSE_SHARE = 0.5


def closest(order, holds) -> int | None:
    """The index of the closest passage among sentences with these order and holds
    probabilities: the order head's pick among those that read at least `CLOSE_SHARE`
    as close as the closest on their own (a ranker fitted on pairs can prefer a sentence
    that shares no word with the question; docs/quality.md, the fourteenth session).
    None for no sentence. qa.answer.answering and bench/train_confidence.py both call it."""
    if not len(holds):
        return None
    floor = CLOSE_SHARE * max(holds)
    return max((index for index in range(len(holds)) if holds[index] >= floor), key=lambda index: order[index])


@dataclass(frozen=True)
class ConfidenceModel:
    right: "Head | Trees"
    holds: "Head | Trees"
    answer_threshold: float
    passage_threshold: float
    features: tuple[str, ...] = FEATURES
    notes: dict | None = None
    # Target precision of stated facts -> the threshold that reached it leave-one-company-out.
    thresholds: dict | None = None
    # Whether the candidate the right head ranks first is stated: another head's
    # probability (the trees), compared with the answer threshold; None: the right head's.
    gate: "Head | Trees | Mean | None" = None
    # Which sentence is the closest passage: another head's order (a ranker fitted on one
    # question's sentences at a time); None: the holds head's. Whether it is close enough
    # stays the holds head's probability against the passage threshold.
    order: "Head | Trees | Mean | None" = None

    def threshold_for(self, precision: float | None) -> float:
        """The answer threshold for a target precision of stated facts: that of the
        least strict target fitted that is at least as strict (1.0, never stating a
        fact, above them all); the default threshold for None."""
        if precision is None or not self.thresholds:
            return self.answer_threshold
        reached = [threshold for target, threshold in self.thresholds.items() if float(target) >= precision - 1e-9]
        return min(reached, key=lambda threshold: threshold) if reached else 1.0

    def to_dict(self) -> dict:
        return {"version": 1, "features": list(self.features), "answer_threshold": self.answer_threshold,
                "passage_threshold": self.passage_threshold, "thresholds": self.thresholds or {},
                "right": self.right.to_dict(), "holds": self.holds.to_dict(), "notes": self.notes or {},
                **({"gate": self.gate.to_dict()} if self.gate is not None else {}),
                **({"order": self.order.to_dict()} if self.order is not None else {})}

    @classmethod
    def from_dict(cls, record: dict) -> "ConfidenceModel":
        features = tuple(record["features"])
        if features != FEATURES:
            raise QAError("the confidence model was fitted on other features than qa computes; "
                          "refit it with bench/train_confidence.py")
        return cls(head_from_dict(record["right"]), head_from_dict(record["holds"]),
                   float(record["answer_threshold"]), float(record["passage_threshold"]), features,
                   record.get("notes"), record.get("thresholds") or None,
                   head_from_dict(record["gate"]) if record.get("gate") else None,
                   head_from_dict(record["order"]) if record.get("order") else None)

    def save(self, path: Path = MODEL_PATH) -> None:
        """Indented JSON, with every list of numbers on one line (the trees' node arrays
        would take a line a number)."""
        text = json.dumps(self.to_dict(), indent=1, ensure_ascii=False)
        text = _NUMBER_LIST.sub(lambda match: "[" + re.sub(r"\s+", " ", match.group(1)) + "]", text)
        Path(path).write_text(text + "\n", encoding="utf-8")


# A JSON list of numbers as json.dumps indents it, one number a line.
_NUMBER_LIST = re.compile(r"\[\s*((?:-?[\d.e+-]+,\s*)*-?[\d.e+-]+)\s*\]")


@functools.lru_cache(maxsize=4)
def load(path: str | None = None) -> ConfidenceModel:
    """The fitted model shipped with qa (or the one at `path`)."""
    source = Path(path) if path else MODEL_PATH
    try:
        return ConfidenceModel.from_dict(json.loads(source.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as error:
        raise QAError(f"cannot read the confidence model {source}: {error}") from None
