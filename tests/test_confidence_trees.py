"""The trees head reads as scikit-learn's gradient-boosted trees predict (no pickle)."""

import json

import numpy as np
import pytest

from qa.answer.confidence import Trees, head_from_dict

from conftest import train_confidence


def test_trees_walk_each_tree_to_a_leaf_and_sum_the_leaves():
    # tree 0: feature 0 <= 0.5 -> -1.0 else +1.0; tree 1: a single leaf +0.5
    trees = Trees(0.25, np.array([0, 3]), np.array([0, -1, -1, -1]), np.array([0.5, 0, 0, 0]),
                  np.array([1, -1, -1, -1]), np.array([2, -1, -1, -1]), np.array([0.0, -1.0, 1.0, 0.5]))
    rows = np.array([[0.0, 9.0], [1.0, 9.0]])
    expected = 1 / (1 + np.exp(-np.array([0.25 - 1.0 + 0.5, 0.25 + 1.0 + 0.5])))
    assert np.allclose(trees.probability(rows), expected)
    again = head_from_dict(trees.to_dict())
    assert isinstance(again, Trees) and np.allclose(again.probability(rows), expected)
    assert len(trees.probability(np.zeros((0, 2)))) == 0


def test_a_mean_head_averages_its_parts_and_reads_back():
    from qa.answer.confidence import Head, Mean

    trees = Trees(0.0, np.array([0]), np.array([-1]), np.array([0.0]), np.array([-1]), np.array([-1]),
                  np.array([2.0]))
    logistic = Head(np.zeros(2), np.ones(2), np.array([1.0, 0.0]), 0.0)
    mean = Mean((logistic, trees))
    rows = np.array([[0.0, 5.0], [3.0, 5.0]])
    expected = (1 / (1 + np.exp(-rows[:, 0])) + 1 / (1 + np.exp(-2.0))) / 2
    assert np.allclose(mean.probability(rows), expected)
    again = head_from_dict(mean.to_dict())
    assert isinstance(again, Mean) and np.allclose(again.probability(rows), expected)


def test_a_gate_head_decides_whether_the_first_candidate_is_stated(tmp_path):
    """The right head ranks the candidates, the gate head's probability of the first
    one is compared with the threshold; the model file keeps the gate."""
    from qa.answer.confidence import ConfidenceModel, Head
    from qa.answer.features import FEATURES

    width = len(FEATURES)
    ranking = Head(np.zeros(width), np.ones(width), np.eye(width)[0], 0.0)
    never = Trees(-9.0, np.array([0]), np.array([-1]), np.array([0.0]), np.array([-1]), np.array([-1]),
                  np.array([0.0]))
    model = ConfidenceModel(ranking, ranking, 0.5, 0.2, gate=never)
    again = ConfidenceModel.from_dict(model.to_dict())
    assert isinstance(again.gate, Trees) and again.gate.probability(np.zeros((1, width)))[0] < 0.001
    assert ConfidenceModel.from_dict(ConfidenceModel(ranking, ranking, 0.5, 0.2).to_dict()).gate is None
    model.save(tmp_path / "model.json")  # lists of numbers on one line each, read back the same
    text = (tmp_path / "model.json").read_text(encoding="utf-8")
    assert '"coef": [1.0, 0.0' in text
    saved = ConfidenceModel.from_dict(json.loads(text))
    assert np.allclose(saved.right.coef, ranking.coef) and saved.gate.baseline == -9.0


def test_a_pairwise_head_ranks_within_a_question_and_stays_a_probability():
    """Feature 0 tells the right row within each question, but questions differ in
    level by feature 1 (a plain classifier learns the level, a ranker the difference)."""
    from qa.answer.features import FEATURES

    tc = train_confidence()
    generator = np.random.default_rng(1)
    width, numbered = len(FEATURES), FEATURES.index("numbered")
    records = []
    for question in range(60):
        level = generator.normal(0, 3)
        rows = []
        for position in range(4):
            x = np.zeros(width)
            x[0], x[1], x[numbered] = (1.0 if position == 0 else 0.0) + generator.normal(0, 0.3), level, 1.0
            rows.append({"x": list(x), "right": position == 0, "holds": position == 0, "stateable": True})
        records.append({"rows": rows, "company": "c", "rule": ""})
    keep = np.ones(width, bool)
    head = tc._fit_pairwise(records, keep, "right", 0.3)
    firsts = [int(np.argmax(head.probability(np.asarray([row["x"] for row in record["rows"]]))))
              for record in records]
    assert sum(first == 0 for first in firsts) >= 55
    probability = head.probability(np.asarray([row["x"] for record in records for row in record["rows"]]))
    assert ((probability > 0) & (probability < 1)).all() and 0.15 < probability.mean() < 0.35  # 1 in 4 is right


def test_monotonic_constraints_follow_the_kept_features():
    from qa.answer.features import FEATURES

    tc = train_confidence()
    keep = np.ones(len(FEATURES), bool)
    constraints = tc.monotonic_constraints(keep)
    assert len(constraints) == len(FEATURES)
    assert constraints[FEATURES.index("relevance")] == 1 and constraints[FEATURES.index("hit_rank")] == -1
    keep[FEATURES.index("relevance")] = False
    assert len(tc.monotonic_constraints(keep)) == len(FEATURES) - 1


def test_an_order_head_picks_the_closest_passage_and_the_holds_head_decides(sample_index):
    """With an order head, the closest passage is the sentence it ranks first among those
    the holds head reads as at least half as close as the closest; whether
    that is close enough is still the holds head's probability against the threshold
    (below it, a sentence that may be stated is quoted instead, as without one)."""
    import dataclasses

    from qa.answer import confidence
    from qa.answer.answering import ExtractiveAnswerer
    from qa.answer.confidence import ConfidenceModel, Head
    from qa.answer.features import FEATURES
    from qa.answer.stating import may_state

    width, length = len(FEATURES), FEATURES.index("length")
    shipped = dataclasses.replace(confidence.load(), answer_threshold=1.0, thresholds=None)
    question = "When does Mission 2 land?"
    evidence = sample_index.evidence(question)
    for sign in (1.0, -1.0):  # the longest sentence first, then the shortest
        order = Head(np.zeros(width), np.ones(width), sign * np.eye(width)[length], 0.0)
        model = dataclasses.replace(shipped, order=order)
        assert ConfidenceModel.from_dict(model.to_dict()).order is not None
        answerer = ExtractiveAnswerer(model=model)
        rows = answerer.scored(evidence)
        about = [item for item in rows if item.candidate.numbered]
        # among the sentences that read at least CLOSE_SHARE as close as the closest on their own
        floor = confidence.CLOSE_SHARE * max(item.holds for item in about)
        first = max((item for item in about if item.holds >= floor), key=lambda item: sign * item.row[length])
        if first.holds < model.passage_threshold:
            first = max((item for item in rows if may_state(item, evidence.question)), key=lambda item: item.right)
        answer = sample_index.answer(question, answerer=answerer)
        assert answer.outcome == "passage" and answer.citations[0].quote == first.candidate.text
        assert answer.confidence == round(first.holds, 4)


def test_the_closest_passage_shares_the_question_words(sample_index):
    """The order head's pick is taken among sentences the holds head reads as at least
    half as close as the closest: refitted on the reranked search, it preferred a
    sentence about Takasago's air conditioning, which shares no word with the question,
    to the one that answers it (holds 0.12 against 0.29)."""
    answer = sample_index.answer("Which team did ispace run in the Google Lunar XPRIZE?")
    assert answer.outcome == "passage" and "HAKUTO" in answer.citations[0].quote


def test_the_curve_counts_right_facts_at_each_number_of_wrong_ones():
    """Sixteenth session: variants are compared on the facts stated right at most k
    wrong, whatever threshold one would choose, and on the AUC."""
    tc = train_confidence()

    def question(p, right, unanswerable=False, **more):
        return {"unanswerable": unanswerable}, {"p": p, "best_right": right, **more}

    decided = [question(0.9, True), question(0.8, False), question(0.7, True), question(0.6, True),
               question(0.5, True, unanswerable=True), question(0.95, False, general=True),
               question(0.99, False, vetoed=True), question(None, False)]
    found, auc = tc.curve(decided, wrongs=(0, 1, 2))
    assert found == {0: 1, 1: 3, 2: 3}  # an unanswerable question's fact is wrong; general and vetoed never stated
    assert auc == pytest.approx(4 / 6)  # right at 0.9, 0.7, 0.6 against wrong at 0.8, 0.5


def test_a_precision_margin_chooses_a_higher_answer_threshold():
    """Seventeenth session: the threshold may be chosen on the Wilson lower bound of the
    stated facts' precision, so that a few right facts above it do not make it safe."""
    tc = train_confidence()
    assert tc.lower_bound(19, 1, 0.0) == pytest.approx(0.95)
    assert tc.lower_bound(19, 1, 1.0) == pytest.approx(0.8764, abs=1e-4)  # Wilson, z = 1
    assert tc.lower_bound(0, 0, 1.0) == 0.0
    assert tc.lower_bound(400, 0, 1.0) > tc.lower_bound(40, 0, 1.0)  # more facts, a tighter bound
    # 40 right facts, then a wrong one, then 5 right ones, most probable first
    decided = [({"unanswerable": False}, {"p": 1.0 - step / 100, "best_right": step != 40}) for step in range(46)]
    assert tc.answer_threshold(decided, 0.95) == pytest.approx(0.55)  # 45 of 46: 0.978
    assert tc.answer_threshold(decided, 0.95, margin=1.0) == pytest.approx(0.61)  # 45 of 46: 0.945 at z = 1
