"""Streaming BM25 postings: the same scores as bm25s, memory-mapped loading, and a
delta segment scored with the statistics of the index it joins."""

import numpy as np
import bm25s

from qa.search.lexical import LexicalIndex, tokenize
from qa.search.postings import Background

TEXTS = [
    "ispace の月着陸船は2025年6月に着陸を予定している。",
    "The lander is scheduled to land on the Moon in June 2025.",
    "ミッション2のランダーは打ち上げに成功した。着陸は6月の予定。",
    "Mission 1 ended with a hard landing in April 2023.",
    "",
    "月面探査車 TENACIOUS は欧州で製造された。",
]
QUERIES = ["着陸 予定", "lander Moon landing", "TENACIOUS 欧州", "打ち上げ"]


def _weights(question):
    weights = {}
    for token in tokenize(question, "sudachi"):
        weights[token] = weights.get(token, 0.0) + 1.0
    return weights


def _bm25s_scores(texts, question):
    reference = bm25s.BM25()
    reference.index([tokenize(text, "sudachi") or [""] for text in texts], show_progress=False)
    scores = np.zeros(len(texts), dtype=np.float32)
    matrix = reference.scores
    for token, weight in _weights(question).items():
        identifier = reference.vocab_dict.get(token)
        if identifier is not None:
            start, end = matrix["indptr"][identifier], matrix["indptr"][identifier + 1]
            scores[matrix["indices"][start:end]] += weight * matrix["data"][start:end]
    return scores


def test_scores_equal_bm25s_and_load_memory_mapped(tmp_path):
    index = LexicalIndex.build(TEXTS, "sudachi")
    index.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert isinstance(loaded.postings.data, np.memmap)
    for question in QUERIES:
        expected = _bm25s_scores(TEXTS, question)
        assert np.array_equal(index.weighted_scores(_weights(question)), expected)
        assert np.array_equal(loaded.weighted_scores(_weights(question)), expected)


def test_delta_segment_scores_as_part_of_the_whole(tmp_path):
    base = LexicalIndex.build(TEXTS[:4], "sudachi")
    background = Background(base.size, base.total_tokens, base.frequency)
    delta = LexicalIndex.build(TEXTS[4:], "sudachi", background=background)
    delta.save(tmp_path / "delta")
    delta = LexicalIndex.load(tmp_path / "delta")
    assert delta.background == {"documents": 4, "tokens": base.total_tokens}
    for question in QUERIES:
        whole = _bm25s_scores(TEXTS, question)
        # The delta's own chunks score as in an index of all six chunks.
        assert np.allclose(delta.weighted_scores(_weights(question)), whole[4:], rtol=1e-6)


def test_extending_equals_building_over_all_chunks(tmp_path):
    whole = LexicalIndex.build(TEXTS, "sudachi")
    LexicalIndex.build(TEXTS[:3], "sudachi").save(tmp_path / "old")
    extended = LexicalIndex.load(tmp_path / "old").extended(TEXTS[3:])
    assert extended.vocab_dict == whole.vocab_dict
    for name in ("data", "indices", "indptr", "counts", "lengths"):
        assert np.array_equal(getattr(extended.postings, name), getattr(whole.postings, name)), name


def test_common_tokens_added_as_dense_rows_give_the_scatters_sums_bit_for_bit(monkeypatch):
    from qa.search import lexical

    generator = np.random.default_rng(2)
    words = ["月", "着陸", "ランダー", "lander", "Moon", "打ち上げ", "欧州", "予定", "成功", "探査車"]
    texts = [" ".join(generator.choice(words, generator.integers(1, 12))) for _ in range(400)]
    index = LexicalIndex.build(texts, "sudachi")
    weights = {token: float(weight) for token, weight in zip(index.vocab_dict, generator.uniform(0.2, 1.5, 99))}
    weights.update({token: 1.0 for token in list(index.vocab_dict)[:3]})
    monkeypatch.setattr(lexical, "DENSE_SHARE", 2.0)  # every token scattered
    scattered = index.weighted_scores(weights)
    assert not index._dense
    monkeypatch.setattr(lexical, "DENSE_SHARE", 0.1)
    monkeypatch.setattr(lexical, "DENSE_KEPT", 4)
    assert np.array_equal(index.weighted_scores(weights).view(np.uint32), scattered.view(np.uint32))
    assert 0 < len(index._dense) <= 4  # the rows used last, at most DENSE_KEPT
    assert np.array_equal(index.weighted_scores(weights).view(np.uint32), scattered.view(np.uint32))
