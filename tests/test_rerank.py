"""The learned reordering of the fused candidates (qa.search.rerank): its features, its
reordering, the shipped model on a real index, and the training script's plumbing."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import qa
from qa.evaluation import evidence_rank, read_questions
from qa.search import rerank

DATA = Path(__file__).parent / "data"


def signals(**changes) -> rerank.Signals:
    values = dict(ranked=[7, 3, 5, 9], fused={7: 0.3, 3: 0.2, 5: 0.15, 9: 0.1}, dense={7: 0.1, 5: 0.4},
                  dense_ranked=[5, 7], lexical_ranked=[3, 7], lexical_scores={3: 4.0, 7: 2.0}, tiers=[],
                  quantity=frozenset({9}))
    values.update(changes)
    return rerank.Signals(**values)


# position -> (language, document, first chunk of its document)
ABOUT = {7: ("en", "a.txt", True), 3: ("ja", "b.txt", False), 5: ("en", "a.txt", False), 9: ("ja", "c.txt", True)}


def column(matrix: np.ndarray, name: str) -> list[float]:
    return matrix[:, rerank.FEATURES.index(name)].tolist()


def test_features_read_the_fusion_signals():
    matrix = rerank.features(signals(), "en", ABOUT.__getitem__)
    assert matrix.shape == (4, len(rerank.FEATURES))
    assert column(matrix, "fused") == [0.3, 0.2, 0.15, 0.1]
    assert column(matrix, "log_rank") == pytest.approx([math.log(rank) for rank in (1, 2, 3, 4)])
    absent = math.log(rerank.RANK_CAP + 1)  # not among a stage's best: one rank for all
    assert column(matrix, "log_dense_rank") == pytest.approx([math.log(2), absent, 0.0, absent])
    assert column(matrix, "log_lexical_rank") == pytest.approx([math.log(2), 0.0, absent, absent])
    assert column(matrix, "lexical") == [0.5, 1.0, 0.0, 0.0]  # relative to the best BM25 score
    assert column(matrix, "dense_gap") == pytest.approx([-0.3, -0.4, 0.0, -0.4])
    assert column(matrix, "same_language") == [1.0, 0.0, 1.0, 0.0]
    assert column(matrix, "same_lexical") == [0.5, 0.0, 0.0, 0.0]
    # the document's best fused rank: chunk 5 shares document a.txt with chunk 7 (1st)
    assert column(matrix, "log_document_rank") == pytest.approx([0.0, math.log(2), 0.0, math.log(4)])
    assert column(matrix, "first_of_document") == [1.0, 0.0, 0.0, 1.0]
    assert column(matrix, "quantity") == [0.0, 0.0, 0.0, 1.0]
    assert column(matrix, "timed") == [0.0] * 4 and column(matrix, "log_time_tier") == [0.0] * 4
    timed = rerank.features(signals(tiers=[[3, 9], [7]]), "en", ABOUT.__getitem__)
    assert column(timed, "timed") == [1.0] * 4
    assert column(timed, "log_time_tier") == pytest.approx([math.log(3), math.log(2), 0.0, math.log(2)])
    covered = rerank.features(signals(coverage={7: (0.5, 0.0), 3: (0.25, 0.75)}), "en", ABOUT.__getitem__)
    assert column(covered, "own_coverage") == [0.5, 0.25, 0.0, 0.0]
    assert column(covered, "translated_coverage") == [0.0, 0.75, 0.0, 0.0]
    assert column(covered, "coverage") == [0.5, 0.75, 0.0, 0.0]
    assert column(covered, "coverage_gap") == pytest.approx([-0.25, 0.0, -0.75, -0.75])  # against the best's
    # an array of every chunk's BM25 score (the local store) reads as the dict (Milvus)
    scores = np.zeros(10, dtype=np.float32)
    scores[3], scores[7] = 4.0, 2.0
    assert np.array_equal(rerank.features(signals(lexical_scores=scores), "en", ABOUT.__getitem__), matrix)


def test_only_the_best_candidates_are_reordered():
    model = rerank.Reranker(np.zeros(len(rerank.FEATURES)), np.ones(len(rerank.FEATURES)),
                            np.eye(len(rerank.FEATURES))[rerank.FEATURES.index("quantity")], 0.0)
    ranked = list(range(100, 100 + rerank.TOP + 5))
    fused = {position: 1.0 / (index + 1) for index, position in enumerate(ranked)}
    found = signals(ranked=ranked, fused=fused, dense={}, dense_ranked=[], lexical_ranked=[], lexical_scores={},
                    quantity=frozenset({110, 131}))
    matrix = rerank.features(found, "en", lambda position: ("en", f"{position}.txt", True))
    order, probabilities = model.reorder(found, matrix)
    # 110 prints the quantity and moves first; 131 is beyond the best TOP and stays put;
    # the others keep the fused order
    assert order[0] == 110 and order[1:rerank.TOP] == [p for p in ranked[:rerank.TOP] if p != 110]
    assert order[rerank.TOP:] == ranked[rerank.TOP:]
    assert set(probabilities) == set(ranked) and probabilities[110] > probabilities[100]
    # below the TOP the model read, scores stay on its scale, under its lowest, in fused order
    # (hits 31 and on kept their fused score, another scale, when more than 10 were asked for)
    lowest = min(probabilities[position] for position in ranked[:rerank.TOP])
    beyond = [probabilities[position] for position in ranked[rerank.TOP:]]
    assert beyond == sorted(beyond, reverse=True) and max(beyond) <= lowest
    assert model.reorder(signals(ranked=[]), np.zeros((0, len(rerank.FEATURES)))) == ([], {})


def test_a_model_fitted_on_other_features_is_refused():
    record = json.loads(rerank.MODEL_PATH.read_text(encoding="utf-8"))
    assert record["features"] == list(rerank.FEATURES) and record["top"] == rerank.TOP
    assert record["notes"]["recall_at_3_leave_one_company_out"] > record["notes"]["recall_at_3_fused"]
    rerank.Reranker.from_record(record)
    record["features"] = record["features"][:-1]
    with pytest.raises(ValueError, match="train_rerank"):
        rerank.Reranker.from_record(record)


@pytest.fixture(scope="module")
def releases_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rerank") / "index"
    qa.build_index([DATA / "releases"], folder, settings=qa.Settings())
    return folder


def test_the_shipped_model_reorders_a_real_search(releases_dir):
    reranked = qa.load_index(releases_dir)
    fused = qa.load_index(releases_dir, settings=qa.Settings(rerank=False))
    question = next(question for question in read_questions(DATA / "releases_qa.jsonl") if question.id == "fx-ja-06")
    # "フライト2の打ち上げは最新の発表で何年の予定ですか？": the English passage that answers
    # is 4th by fusion alone, 3rd reordered
    assert evidence_rank(fused.search(question.q, k=10), question.evidence) == 4
    hits = reranked.search(question.q, k=10)
    assert evidence_rank(hits, question.evidence) == 3
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)  # a hit's score is P(holds the answer)
    assert sorted(hit.chunk_id for hit in hits) == sorted(hit.chunk_id for hit in fused.search(question.q, k=10))


def test_the_training_script_refits_and_ranks(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent.parent / "bench"))
    import train_rerank

    every = list(range(len(rerank.FEATURES)))
    rng = np.random.default_rng(0)
    items = []
    for number in range(40):
        matrix = rng.normal(size=(5, len(rerank.FEATURES)))
        holder = int(rng.integers(5))
        matrix[holder, rerank.FEATURES.index("quantity")] += 3.0  # the label's tell
        candidates = [SimpleNamespace(text=f"passage {number} {index}", sentences=(), path=f"{number}-{index}.txt",
                                      language="en", doc_date=None, label=index == holder) for index in range(5)]
        items.append({"set": "s", "company": f"c{number % 4}", "id": str(number), "lang": "en", "kind": "fact",
                      "language": "en", "candidates": candidates, "matrix": matrix,
                      "labels": np.array([candidate.label for candidate in candidates])})
    ranks = train_rerank.leave_one_company_out(items, every, 0.1)
    assert len(ranks) == 40 and sum(rank == 1 for rank in ranks.values()) >= 36
    model = train_rerank.fit(items, every, 0.1)
    assert model.coefficients[rerank.FEATURES.index("quantity")] > 0
