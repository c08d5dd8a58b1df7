"""Fit the answer confidence model, evaluated leave-one-company-out.

    .venv/bin/python bench/train_confidence.py [--collect] [--target 0.95] [--write] [--outer-only] [--wrong]
                                               [--model gate-rank-order|gate|trees|...] [--variants] [--sets ...]
                                               [--curve] [--margin z]

The shipped model: --model gate-rank-order --target 0.95 --outer-only --write (about 5 min once
the data is collected; --collect asks every question again, about 3 min with the indexes
built, 12 without). Model names: logistic, trees, mean (of the two) or gate (a logistic
regression ranks, trees decide whether to state); "-rank" fits the ranking head pairwise
(within a question, `_fit_pairwise`), "-pairwise" the holds head too, "-order" adds a
pairwise holds ranker that picks the closest passage (the holds head still decides whether
it is close enough), "-monotonic" fits the trees with a direction per feature.

1. Collect (once, cached in bench/results/confidence-data.json; --collect redoes it):
   every development question of every set is asked through the real retrieval, and
   every candidate answer the extractive answerer considers is recorded with its
   features (qa.answer.features) and two labels: the fact it would state first is an
   acceptable answer (`right`), and its sentence holds one (`holds`). Each candidate that
   may be stated also records whether the answerer would quote another release's
   statement instead were it the best (`ExtractiveAnswerer.overruled`: a newer value for
   the latest or for now, an older one for "originally"; judged with the shipped model's
   holds probabilities), and whether that quote holds an answer: a vetoed best is
   decided as that passage, never counted as a stated fact.
2. Leave one company out (ispace, Toyota, Honda, Panasonic, Hitachi, the fixtures'
   invented companies): fit both logistic regressions on the other companies; choose
   the answer threshold on the other companies' own out-of-company predictions (an
   inner leave-one-company-out) as the lowest that reaches the target precision of
   stated facts, and the passage threshold as the one that best separates passages
   that hold the answer; then decide every question of the held-out company exactly
   as qa.answer.answering does. Only these held-out figures are results.
3. With --write, fit on every company and write qa/answer/confidence.json, with the
   thresholds chosen on the leave-one-company-out predictions and the figures in its notes.
--variants repeats step 2 with each group of features removed. --rerank-held-out DIR collects
(into bench/results/confidence-data-nested.json, used from then on with the option) through a
search whose reranker never saw the company asked about: DIR holds the models that
bench/train_rerank.py --held-out-models DIR writes, one per company. --close-share sets the share of the best holds
probability a sentence needs to be picked as the closest passage (qa.answer.confidence.CLOSE_SHARE).
--curve compares variants without choosing a threshold: the facts stated right at most k wrong, and the AUC.
--margin z chooses the answer threshold on the Wilson lower bound of the stated facts' precision at z
(0, the shipped choice: on the precision itself); measured nested in docs/quality.md, seventeenth session.

The real releases are read from ../shared at run time and never copied into the project.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import multiprocessing
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa  # noqa: E402
from answer_quality import RESULTS, company, index_for, sets  # noqa: E402
from qa.answer.answering import ExtractiveAnswerer  # noqa: E402
from qa.answer.stating import may_state, stated_text, value_key  # noqa: E402
from qa.answer import confidence  # noqa: E402
from qa.answer.confidence import ConfidenceModel, Head, Mean, Trees  # noqa: E402
from qa.answer.features import FEATURES  # noqa: E402
from qa.records import Answer  # noqa: E402
from qa.scoring import matches  # noqa: E402
from qa.search import rerank  # noqa: E402

DATA = RESULTS / "confidence-data.json"
# Whether a best candidate the answerer would overrule is decided as the passage it quotes
# (--no-vetoes: as a stated fact, as before the fifteenth session).
REPLAY_VETOES = True
NESTED_DATA = RESULTS / "confidence-data-nested.json"  # searched with held-out rerankers (--rerank-held-out)
# Every development set: the six of the project and ../shared, and the twelve helper-written sets of bench/heldout.
DEFAULT_SETS = ("sample", "fixture", "minato", "agri", "releases", "more",
                *(f"heldout{number}" for number in range(6, 15)), "heldout18", "heldout19", "heldout20")
NUMBERED = FEATURES.index("numbered")
KIND_GENERAL = FEATURES.index("kind_general")
# Targets whose thresholds are kept, for QA_ANSWER_PRECISION (see qa.Settings).
TARGETS = (0.8, 0.9, 0.95, 0.97, 0.99)
GROUPS = {
    "closeness": ("relevance", "above_best", "above_baseline", "rank_in_question"),
    "words": ("overlap_own", "overlap_translated", "overlap_rare", "overlap_beyond_names", "clause_overlap"),
    "fact position": ("fact_near_name", "fact_near_word", "fact_preferred", "fact_event", "fact_numbered",
                      "fact_plan", "fact_first", "fact_window", "fact_word_before", "fact_word_after",
                      "fact_numbered_before", "fact_in_parentheses", "fact_support", "fact_restated", "fact_rivals",
                      "fact_change_old", "fact_change_new", "fact_plan_unasked"),
    "passage rank": ("hit_rank", "lexical_match"),
    "subject binding": ("names", "passage_names", "roles", "numbered", "question_has_names"),
    "fact binding": ("event", "has_fact", "fact_bound", "facts_in_sentence"),
    "time": ("in_time_frame", "out_of_time_frame", "newest_for_latest", "year_elsewhere"),
    "form": ("heading", "length"),
    "kind": tuple(name for name in FEATURES if name.startswith("kind_")),
}


def held_out_model_path(folder: Path, held: str) -> Path:
    """Where bench/train_rerank.py --held-out-models writes the reranker fitted without `held`."""
    return Path(folder) / f"without-{held}.json"


def _held_out_reranker(folder: Path, held_out: str, held: dict, shipped):
    """What `rerank.shipped` gives while `held_out`'s questions are asked: the reranker
    fitted without that company (no file: it had no question the rerankers were fitted
    on, so the shipped one never saw it either)."""
    if held_out not in held:
        path = held_out_model_path(folder, held_out)
        if path.exists():
            model = rerank.Reranker.from_record(json.loads(path.read_text()))
            held[held_out] = lambda: model
        else:
            held[held_out] = shipped
    return held[held_out]


def collect(set_names: list[str], rerankers: Path | None = None) -> list[dict]:
    """Every question with its candidates' features and labels, and the outcome a rule
    decides before the model is asked (a name the releases never mention, nothing asked).
    With `rerankers`, each question is searched with the reranker fitted without its company."""
    answerer = ExtractiveAnswerer()
    shipped = rerank.shipped
    held: dict = {}  # company -> its held-out reranker, read once
    records = []
    available = sets()
    for name in set_names:
        if name not in available:
            continue
        paths, questions = available[name]
        index = qa.load_index(index_for(name, paths), settings=qa.Settings())
        for question in questions:
            if rerankers is not None:
                rerank.shipped = _held_out_reranker(rerankers, company(name, question), held, shipped)
            evidence = index.evidence(question.q)
            rule = ""
            rows = []
            if isinstance(evidence, Answer):
                rule = "language"
            else:
                ruled = answerer.ruled(evidence)
                if ruled is not None and ruled.outcome == "answer":
                    rule = "right" if matches(question.answer, ruled.fact) and not question.unanswerable \
                        else "wrong"
                elif ruled is not None:
                    rule = "not_found"
                # (scored by the shipped model only for the vetoes below; the features are the same)
                scored = [] if rule else answerer.scored(evidence)
                options = () if question.unanswerable else question.answer
                stateable = [item for item in scored if may_state(item, evidence.question)]
                updates = answerer.updates_scored(evidence, answerer.model) if stateable else []
                for item in scored:
                    can_state = may_state(item, evidence.question)
                    value = repr(value_key(item.fact)) if item.fact is not None else item.candidate.text
                    instead = _overruled(answerer, evidence, item, stateable, scored, updates) if can_state else None
                    rows.append({"x": [round(value, 5) for value in item.row], "stateable": can_state, "value": value,
                                 "right": can_state and matches(options, stated_text(evidence, item)),
                                 "holds": matches(options, item.candidate.text),
                                 "vetoed": instead is not None,
                                 "veto_holds": instead is not None and matches(options, instead[0].text)})
            records.append({"set": name, "company": company(name, question), "id": question.id,
                            "lang": question.lang, "kind": question.kind, "unanswerable": question.unanswerable,
                            "rule": rule, "rows": rows})
        print(f"{name}: {len(questions)} questions collected", file=sys.stderr)
    rerank.shipped = shipped
    return records


def _overruled(answerer: ExtractiveAnswerer, evidence, item, stateable: list, scored: list, updates: list):
    """What the answerer would quote instead of stating `item`'s fact were it the best
    (`ExtractiveAnswerer.overruled`: a newer release's value for the latest or for now,
    an older one's for "originally"), with the shipped model's holds probabilities."""
    if item.fact is None:
        return None
    model = answerer.model
    return answerer.overruled(evidence, item, stateable, scored, model,
                              answerer.update_of(evidence, item, model, updates))


def _matrix(records: list[dict], keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = [row for record in records for row in record["rows"]]
    x = np.asarray([row["x"] for row in rows], float)[:, keep] if rows else np.zeros((0, int(keep.sum())))
    return x, np.asarray([row["right"] for row in rows]), np.asarray([row["holds"] for row in rows])


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> Head:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return Head(mean, scale, model.coef_[0], float(model.intercept_[0]))


# The right head's trees: shallow (15 leaves), many rows per leaf (40), a slow rate;
# the one setting tried besides the logistic regression (docs/quality.md).
TREES = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 40,
         "l2_regularization": 1.0, "early_stopping": False}


# The direction each feature may move P(right) in, written down from what the feature
# means, not fitted: a closer, better-bound, in-frame fact is never less likely right;
# a lower-ranked passage, a rival value, a year other than the one asked, never more.
# Features without a direction any company would share (kind, form, plan, change) are free.
RISING = ("relevance", "above_best", "above_baseline", "overlap_own", "overlap_translated", "overlap_rare",
          "overlap_beyond_names", "clause_overlap", "fact_near_name", "fact_near_word", "fact_preferred",
          "fact_event", "fact_numbered", "fact_window", "fact_word_before", "fact_word_after",
          "fact_numbered_before", "fact_support", "fact_restated", "fact_change_new", "lexical_match", "names", "passage_names",
          "roles", "numbered", "event", "fact_bound", "in_time_frame", "newest_for_latest")
FALLING = ("rank_in_question", "hit_rank", "fact_rivals", "fact_change_old", "fact_plan_unasked",
           "fact_in_parentheses", "out_of_time_frame", "year_elsewhere")


def monotonic_constraints(keep: np.ndarray) -> list[int]:
    """+1 / -1 / 0 per kept feature (see RISING and FALLING)."""
    return [1 if name in RISING else -1 if name in FALLING else 0
            for name, kept in zip(FEATURES, keep) if kept]


def _fit_trees(x: np.ndarray, y: np.ndarray, monotonic: list[int] | None = None) -> Trees:
    """Gradient-boosted trees, read out of scikit-learn into flat node arrays; with
    `monotonic`, each feature may move the probability only its way."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(random_state=0, monotonic_cst=monotonic, **TREES).fit(x, y)
    roots, feature, threshold, left, right, value = [], [], [], [], [], []
    for (predictor,) in model._predictors:
        nodes, offset = predictor.nodes, len(feature)
        roots.append(offset)
        for node in nodes:
            leaf = bool(node["is_leaf"])
            feature.append(-1 if leaf else int(node["feature_idx"]))
            threshold.append(0.0 if leaf else float(node["num_threshold"]))
            left.append(-1 if leaf else offset + int(node["left"]))
            right.append(-1 if leaf else offset + int(node["right"]))
            value.append(float(node["value"]) if leaf else 0.0)
    trees = Trees(float(np.ravel(model._baseline_prediction)[0]), np.asarray(roots), np.asarray(feature),
                  np.asarray(threshold), np.asarray(left), np.asarray(right), np.asarray(value))
    sample = x[:2000]
    assert np.allclose(trees.probability(sample), model.predict_proba(sample)[:, 1], atol=1e-6)
    return trees


def _fit_pairwise(records: list[dict], keep: np.ndarray, label: str, c: float, about_only: bool = False,
                  pairs: int = 30) -> Head:
    """A head that ranks: a logistic regression without intercept on the differences of
    a question's rows (one with `label`, one without; `pairs` drawn per question, both
    orders), so it learns which of one question's sentences is better, not how good
    sentences are across questions; then its score is turned into a probability by a
    one-variable logistic regression over all rows (Platt), which keeps the order.
    `about_only`: only rows about the numbered thing asked, as the closest passage is chosen."""
    from sklearn.linear_model import LogisticRegression

    generator = np.random.default_rng(0)
    x, _, _ = _matrix(records, keep)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    differences = []
    for record in records:
        rows = [row for row in record["rows"] if row["x"][NUMBERED] > 0 or not about_only]
        good = [np.asarray(row["x"], float)[keep] for row in rows if row[label]]
        bad = [np.asarray(row["x"], float)[keep] for row in rows if not row[label]]
        for _ in range(min(pairs, len(good) * len(bad))):
            differences.append((good[generator.integers(len(good))] - bad[generator.integers(len(bad))]) / scale)
    differences = np.asarray(differences)
    ranker = LogisticRegression(C=c, fit_intercept=False, max_iter=3000)
    ranker.fit(np.vstack([differences, -differences]), np.repeat([1, 0], len(differences)))
    coef = ranker.coef_[0]
    labels = np.asarray([row[label] for record in records for row in record["rows"]])
    platt = LogisticRegression(C=1e4, max_iter=2000).fit((((x - mean) / scale) @ coef)[:, None], labels)
    return Head(mean, scale, coef * float(platt.coef_[0][0]), float(platt.intercept_[0]))


# Which head a model name's suffix fits as a ranker (`_fit_pairwise`; see `fit`).
PAIRWISE = (("right", "rank"), ("right", "pairwise"), ("holds", "pairwise"), ("order", "order"))


def pairwise_heads(model: str) -> set[str]:
    """The heads the model name `model` fits pairwise (see PAIRWISE)."""
    flags = model.split("-")[1:]
    return {head for head, flag in PAIRWISE if flag in flags}


def fit(records: list[dict], keep: np.ndarray, c: float, model: str = "trees") -> tuple:
    """The right head (trees, a logistic regression or their mean), the holds head and,
    for "gate", the trees that decide whether the right head's first candidate is stated.
    Suffixes: "-monotonic" fits the trees with `monotonic_constraints`; "-pairwise" fits
    the logistic right and holds heads as rankers (`_fit_pairwise`), "-rank" only the right head;
    "-order" (gate only) adds a pairwise holds head that picks the closest passage, whose
    pointwise holds probability still decides whether it is close enough."""
    x, right, holds = _matrix(records, keep)
    pairwise = pairwise_heads(model)
    model, *flags = model.split("-")
    trees = functools.partial(_fit_trees, monotonic=monotonic_constraints(keep) if "monotonic" in flags else None)
    ranker = _fit_pairwise(records, keep, "right", c) if "right" in pairwise else _fit(x, right, c)
    holds_head = _fit_pairwise(records, keep, "holds", c, True) if "holds" in pairwise else _fit(x, holds, c)
    if model == "mean":
        return Mean((ranker, trees(x, right))), holds_head
    if model == "gate":  # the logistic regression ranks, the trees decide whether to state
        if "order" in pairwise:  # the closest passage picked by a holds ranker, decided by the holds head
            order = _fit_pairwise(records, keep, "holds", c, True)
            # "-mean": picked by the mean of the ranker's and the holds head's probabilities
            return ranker, holds_head, trees(x, right), Mean((order, holds_head)) if "mean" in flags else order
        return ranker, holds_head, trees(x, right)
    return (trees(x, right) if model == "trees" else ranker), holds_head


def decide(record: dict, heads: tuple, keep: np.ndarray, answer_at: float, passage_at: float) -> dict:
    """The outcome qa would give the question with these heads and thresholds."""
    return decided_at(_scores(record, heads, keep), answer_at, passage_at)


def _scores(record: dict, heads: tuple, keep: np.ndarray) -> dict:
    """What the heads say of a question's candidates, all a decision at any thresholds
    needs: the probability of the first-ranked stateable candidate (the gate's, when
    there is a third head) and that of the closest passage, with what each would quote."""
    if record["rule"] in ("language", "not_found"):
        return {"rule": "not_found", "p": None, "holds_p": None}
    if record["rule"] in ("right", "wrong"):
        return {"rule": record["rule"], "p": None, "holds_p": None}
    rows = record["rows"]
    if not rows:
        return {"rule": "not_found", "p": None, "holds_p": None}
    x = np.asarray([row["x"] for row in rows], float)[:, keep]
    p_right, p_holds = heads[0].probability(x), heads[1].probability(x)
    p_sure = heads[2].probability(x) if len(heads) > 2 else p_right  # a gate head decides
    p_order = heads[3].probability(x) if len(heads) > 3 else p_holds  # an order head picks the closest
    stateable = [position for position, row in enumerate(rows) if row["stateable"]]
    best = max(stateable, key=lambda position: p_right[position], default=None)
    about = [position for position, row in enumerate(rows) if row["x"][NUMBERED] > 0]  # as answering does
    picked = confidence.closest(p_order[about], p_holds[about])  # as answering does
    closest = about[picked] if picked is not None else None
    return {"p": float(p_sure[best]) if best is not None else None,
            "general": bool(rows[0]["x"][KIND_GENERAL]),  # never stated (see answering.answer)
            # a newer (or, for "originally", older) release's statement is quoted instead
            "vetoed": REPLAY_VETOES and best is not None and rows[best].get("vetoed", False),
            "veto_holds": best is not None and rows[best].get("veto_holds", False),
            "best_right": best is not None and rows[best]["right"],
            "best_value": rows[best].get("value") if best is not None else None,
            "best_holds": best is not None and rows[best]["holds"],
            "closest_p": float(p_holds[closest]) if closest is not None else None,
            "closest_holds_answer": closest is not None and rows[closest]["holds"],
            "holds_p": float(p_holds.max()) if len(heads) < 4 or closest is None else float(p_holds[closest])}


def decided_at(scores: dict, answer_at: float, passage_at: float) -> dict:
    """The outcome from a question's scores (`_scores`) at these thresholds, as
    qa.answer.answering decides it; a decision's record can be decided again."""
    result = scores | {"right": False, "quoted": False}
    if scores.get("rule") == "not_found":
        return result | {"outcome": "not_found"}
    if scores.get("rule") in ("right", "wrong"):
        return result | {"outcome": "answer", "right": scores["rule"] == "right", "quoted": True}
    stated = scores["p"] is not None
    if stated and scores["p"] >= answer_at and scores.get("general"):
        return result | {"outcome": "passage", "quoted": scores["best_holds"]}
    if stated and scores["p"] >= answer_at and scores.get("vetoed"):
        return result | {"outcome": "passage", "quoted": scores["veto_holds"]}
    if stated and scores["p"] >= answer_at:
        return result | {"outcome": "answer", "right": scores["best_right"], "quoted": scores["best_holds"]}
    if scores["closest_p"] is not None and scores["closest_p"] >= passage_at:
        return result | {"outcome": "passage", "quoted": scores["closest_holds_answer"]}
    if stated:  # a candidate that may be stated: quoted, as answering does
        return result | {"outcome": "passage", "quoted": scores["best_holds"]}
    return result | {"outcome": "not_found"}


def _statable(decided: list[tuple[dict, dict]]) -> list[tuple[float, bool]]:
    """(probability, right) of each question's best candidate that a threshold may state,
    most probable first (a general question's and a vetoed one are never stated)."""
    return sorted(((result["p"], record["unanswerable"] is False and result["best_right"])
                   for record, result in decided if result.get("p") is not None and not result.get("general")
                   and not result.get("vetoed")), reverse=True)


def answer_threshold(decided: list[tuple[dict, dict]], target: float, margin: float = 0.0) -> float:
    """The lowest threshold whose stated facts reach `target` precision (with every
    rule-decided answer counted), from predictions made without each question's company.
    With a `margin` z > 0 the precision is its Wilson lower bound at z (`lower_bound`):
    a few right facts more above the threshold do not make it safe."""
    scored = _statable(decided)
    fixed_right = sum(result["outcome"] == "answer" and result["right"] for record, result in decided
                      if result.get("p") is None)
    fixed_wrong = sum(result["outcome"] == "answer" and not result["right"] for record, result in decided
                      if result.get("p") is None)
    best, right, wrong = 1.0, fixed_right, fixed_wrong
    for probability, is_right in scored:
        right, wrong = right + is_right, wrong + (not is_right)
        if lower_bound(right, wrong, margin) >= target:
            best = probability
    return best


def lower_bound(right: int, wrong: int, z: float) -> float:
    """The Wilson score interval's lower end for `right` of `right + wrong` (z = 0: the share)."""
    total = right + wrong
    if total == 0:
        return 0.0
    share = right / total
    if z <= 0:
        return share
    centre = share + z * z / (2 * total)
    spread = z * np.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    return float((centre - spread) / (1 + z * z / total))


def curve(decided: list[tuple[dict, dict]], wrongs=(3, 5, 8, 10, 15, 20, 30, 50)) -> tuple[dict, float]:
    """Threshold-free: the facts stated right when at most k are wrong, for each k of
    `wrongs`, as the answer threshold falls, and the AUC of the stated candidate's
    probability for right against wrong. Two variants compare on this without the
    noise of one chosen threshold (a wrong fact more or less moves it)."""
    scored = _statable(decided)
    right = wrong = 0
    found = {}
    for _, is_right in scored:
        right, wrong = right + is_right, wrong + (not is_right)
        for most in wrongs:
            if wrong <= most:
                found[most] = right
    good = np.asarray([p for p, is_right in scored if is_right])
    bad = np.asarray([p for p, is_right in scored if not is_right])
    auc = float((good[:, None] > bad[None, :]).mean() + 0.5 * (good[:, None] == bad[None, :]).mean()) \
        if len(good) and len(bad) else float("nan")
    return found, auc


def passage_threshold(decided: list[tuple[dict, dict]], keep_share: float = 0.9) -> float:
    """The closest passage is shown unless it is clearly unrelated: the threshold
    keeps `keep_share` of the closest passages that hold the answer (predicted
    without their company). Showing a passage that does not hold it costs little (it
    is shown as such); hiding one that does leaves the user with nothing."""
    useful = sorted(result["holds_p"] for _, result in decided
                    if result.get("holds_p") is not None and result.get("closest_holds"))
    if not useful:
        return 0.5
    return useful[int((1 - keep_share) * len(useful))]


def out_of_company(records: list[dict], keep: np.ndarray, c: float, target: float,
                   inner: bool = True, inner_folds: int = 0, folds: int = 0,
                   model: str = "trees", workers: int = 1, margin: float = 0.0) -> list[tuple[dict, dict]]:
    """Leave-one-company-out decisions for every question. With `folds`, the companies
    are held out in that many groups instead of one by one; `inner_folds` does this for
    the inner round that chooses the thresholds (0: one company at a time), which keeps
    37 companies' nested fits within minutes. The outer round runs on `workers` processes."""
    companies = sorted({record["company"] for record in records})
    groups = [companies[start::folds] for start in range(folds)] if folds else [[name] for name in companies]
    task = functools.partial(_held_out, records, keep, c, target, inner, inner_folds, model, margin)
    if inner and workers > 1 and len(groups) > 1:
        with multiprocessing.get_context("fork").Pool(min(len(groups), workers), initializer=_one_thread) as pool:
            parts = pool.map(task, groups)
    else:
        parts = [task(group) for group in groups]
    return [item for part in parts for item in part]


def _one_thread() -> None:
    """A worker of the outer round fits on one thread: otherwise every worker's trees
    start OpenMP threads on every core (load 4 on 2 cores)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _held_out(records: list[dict], keep: np.ndarray, c: float, target: float, inner: bool, inner_folds: int,
              model: str, margin: float, held_out: list[str]) -> list[tuple[dict, dict]]:
    """The decisions for the questions of the companies `held_out`, fitted without them."""
    training = [record for record in records if record["company"] not in held_out]
    if not any(row["right"] for record in training for row in record["rows"]):
        return []
    heads = fit(training, keep, c, model)
    if inner:
        inner_decided = out_of_company(training, keep, c, target, inner=False, folds=inner_folds, model=model)
        answer_at = answer_threshold(inner_decided, target, margin)
        passage_at = passage_threshold(inner_decided)
    else:
        answer_at, passage_at = 0.0, 0.0
    decided = []
    for record in records:
        if record["company"] in held_out:
            result = decide(record, heads, keep, answer_at, passage_at)
            result["closest_holds"] = _closest_holds(record, heads, keep)
            decided.append((record, result))
    return decided


def _closest_holds(record: dict, heads: tuple[Head, Head], keep: np.ndarray) -> bool:
    if not record["rows"] or record["rule"]:
        return False
    x = np.asarray([row["x"] for row in record["rows"]], float)[:, keep]
    order = heads[3] if len(heads) > 3 else heads[1]  # the head that picks the closest passage
    return record["rows"][confidence.closest(order.probability(x), heads[1].probability(x))]["holds"]


def tables(decided: list[tuple[dict, dict]]) -> dict:
    def summary(items):
        answerable = [(record, result) for record, result in items if not record["unanswerable"]]
        unanswerable = [(record, result) for record, result in items if record["unanswerable"]]
        right = sum(result["outcome"] == "answer" and result["right"] for _, result in answerable)
        wrong = sum(result["outcome"] == "answer" and not result["right"] for _, result in answerable)
        falsely = sum(result["outcome"] == "answer" for _, result in unanswerable)
        return {"n": len(items), "answerable": len(answerable), "right": right, "wrong": wrong,
                "passage": sum(result["outcome"] == "passage" for _, result in answerable),
                "passage_holds": sum(result["outcome"] == "passage" and result["quoted"] for _, result in answerable),
                "not_found": sum(result["outcome"] == "not_found" for _, result in answerable),
                "unanswerable": len(unanswerable), "refused": len(unanswerable) - falsely,
                "precision": right / (right + wrong + falsely) if right + wrong + falsely else None,
                "right_rate": right / len(answerable) if answerable else None}

    result = {"all": summary(decided)}
    for field in ("set", "company", "lang", "kind"):
        for value in sorted({record[field] for record, _ in decided}):
            result[f"{field} {value}"] = summary([(record, outcome) for record, outcome in decided
                                                   if record[field] == value])
    return result


def print_tables(figures: dict, title: str) -> None:
    print(f"\n{title}")
    print(f"{'':22}{'n':>4} {'answerable':>10} {'right':>6} {'wrong':>6} {'passage':>8} {'(holds)':>8} "
          f"{'not found':>9} {'precision':>9} {'refused':>8}")
    for label, row in figures.items():
        precision = f"{row['precision']:.2f}" if row["precision"] is not None else "-"
        refused = f"{row['refused']}/{row['unanswerable']}" if row["unanswerable"] else "-"
        print(f"{label:22}{row['n']:>4} {row['answerable']:>10} {row['right']:>6} {row['wrong']:>6} "
              f"{row['passage']:>8} {row['passage_holds']:>8} {row['not_found']:>9} {precision:>9} {refused:>8}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(DEFAULT_SETS))
    parser.add_argument("--model", choices=("trees", "logistic", "mean", "gate", "trees-monotonic", "gate-monotonic",
                                                      "logistic-pairwise", "gate-pairwise", "gate-rank", "gate-rank-order",
                                                      "gate-rank-order-mean"),
                        default="gate-rank-order",
                        help="the heads (see above); gate-rank-order is shipped")
    parser.add_argument("--inner-folds", type=int, default=6,
                        help="the inner round holds companies out in this many groups (0: one by one)")
    parser.add_argument("--outer-folds", type=int, default=0,
                        help="the outer round holds companies out in this many groups (0: one by one, "
                             "the default; 10 runs the nested evaluation in a fifth of the time)")
    parser.add_argument("--collect", action="store_true", help="ask every question again")
    parser.add_argument("--target", type=float, default=qa.Settings().answer_precision,  # the answerer's default
                        help="precision of stated facts to reach")
    parser.add_argument("--c", type=float, default=0.3, help="inverse regularization strength")
    parser.add_argument("--margin", type=float, default=0.0,
                        help="choose the answer threshold on the Wilson lower bound of precision at this z "
                             "(0: on the precision itself, as shipped)")
    parser.add_argument("--variants", action="store_true", help="also each group of features removed")
    parser.add_argument("--outer-only", action="store_true",
                        help="no inner round: thresholds chosen on the pooled out-of-company predictions "
                             "(minutes instead of half an hour; the figures are then not nested)")
    parser.add_argument("--write", action="store_true", help="write qa/answer/confidence.json")
    parser.add_argument("--curve", action="store_true",
                        help="also the facts stated right at most k wrong, whatever the threshold, and the AUC")
    parser.add_argument("--wrong", action="store_true", help="list the questions answered wrong out of company")
    parser.add_argument("--close-share", type=float, default=confidence.CLOSE_SHARE,
                        help="the closest passage is the order head's pick among sentences whose holds probability "
                             "is at least this share of the best (0: all, as before the fourteenth session)")
    parser.add_argument("--rerank-held-out", type=Path, default=None,
                        help="search each company's questions with the reranker fitted without it (models written by "
                             "bench/train_rerank.py --held-out-models); data in bench/results/confidence-data-nested.json")
    parser.add_argument("--no-vetoes", action="store_true",
                        help="decide a best candidate the answerer would overrule as stated (as before)")
    arguments = parser.parse_args(argv)
    confidence.CLOSE_SHARE = arguments.close_share
    global REPLAY_VETOES
    REPLAY_VETOES = not arguments.no_vetoes
    data = DATA if arguments.rerank_held_out is None else NESTED_DATA
    if arguments.collect or not data.exists():
        RESULTS.mkdir(parents=True, exist_ok=True)
        data.write_text(json.dumps(collect(arguments.sets.split(","), arguments.rerank_held_out), ensure_ascii=False))
    records = [record for record in json.loads(data.read_text()) if record["set"] in arguments.sets.split(",")]
    everything = np.ones(len(FEATURES), bool)
    options = {"inner_folds": arguments.inner_folds, "model": arguments.model, "workers": os.cpu_count() or 1,
               "folds": arguments.outer_folds, "margin": arguments.margin}
    if arguments.outer_only:
        decided = out_of_company(records, everything, arguments.c, arguments.target, inner=False, **options)
        answer_at, passage_at = answer_threshold(decided, arguments.target, arguments.margin), passage_threshold(decided)
        decided = [(record, result | decided_at(result, answer_at, passage_at)) for record, result in decided]
        title = (f"out-of-company predictions, {arguments.model}, thresholds chosen on them (not nested): "
                 f"answer {answer_at:.3f}, passage {passage_at:.3f}")
    else:
        decided = out_of_company(records, everything, arguments.c, arguments.target, **options)
        title = (f"leave-one-company-out, {arguments.model}, target precision {arguments.target}, "
                 f"C={arguments.c}, inner folds {arguments.inner_folds}, "
                 f"outer {'one company at a time' if not arguments.outer_folds else f'{arguments.outer_folds} groups of companies'}")
    figures = tables(decided)
    print_tables(figures, title)
    if arguments.curve:
        found, auc = curve(decided)
        print("\nright facts at most k wrong: " + ", ".join(f"{most}: {right}" for most, right in found.items())
              + f"; AUC of the stated candidate's probability {auc:.4f}")
    if arguments.wrong:
        print("\nstated wrong (id, kind, stated value):")
        for record, result in decided:
            if result["outcome"] == "answer" and (record["unanswerable"] or not result["right"]):
                print(f"  {record['id']:32} {record['kind']:13} {result.get('best_value') or result.get('rule')}")
    if arguments.variants:
        print(f"\n{'without':22} {'right':>6} {'wrong':>6} {'precision':>9} {'refused':>8}")
        for group, names in GROUPS.items():
            keep = np.asarray([name not in names for name in FEATURES])
            row = tables(out_of_company(records, keep, arguments.c, arguments.target, **options))["all"]
            print(f"{group:22} {row['right']:>6} {row['wrong']:>6} {row['precision'] or 0:>9.3f} "
                  f"{row['refused']}/{row['unanswerable']}")
    if arguments.write:
        heads = fit(records, everything, arguments.c, arguments.model)
        thresholds = {f"{target:.2f}": round(answer_threshold(decided, target, arguments.margin), 4)
                      for target in sorted({arguments.target, *TARGETS})}
        model = ConfidenceModel(heads[0], heads[1], thresholds[f"{arguments.target:.2f}"],
                                round(passage_threshold(decided), 4), thresholds=thresholds,
                                gate=heads[2] if len(heads) > 2 else None, order=heads[3] if len(heads) > 3 else None,
                                notes={"fitted": datetime.date.today().isoformat(), "C": arguments.c,
                                       "right_head": arguments.model,
                                       "trees": None if arguments.model.startswith("logistic") else TREES,
                                       "monotonic": "monotonic" in arguments.model.split("-"),
                                       "pairwise": sorted(pairwise_heads(arguments.model)),
                                       "target_precision": arguments.target,
                                       "questions": len(records),
                                       "companies": sorted({record["company"] for record in records}),
                                       "leave_one_company_out": {key: value for key, value in figures.items()
                                                                 if key == "all" or key.startswith("company")}})
        model.save()
        print(f"\nwrote {Path(qa.__file__).parent / 'answer' / 'confidence.json'}: answer threshold "
              f"{model.answer_threshold}, passage threshold {model.passage_threshold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
