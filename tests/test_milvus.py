"""The Milvus store (through milvus-lite): the same hits and answers as the local
store on the fixture's questions, and build, add and remove on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import qa
from qa import storage
from qa.evaluation import read_questions
from qa.search.milvus import MilvusEngine, date_filter, encode

DATA = Path(__file__).parent / "data"

pytest.importorskip("milvus_lite", reason="the Milvus store is tested through milvus-lite (pip install 'qa[milvus]')")


def _hits(index, question):
    """Hits as compared across stores: the order and dense scores exactly; BM25 scores
    to 5% (query weights reach Milvus as whole sixtieths: a translation weighted 0.23
    goes as 14/60), and the reranker's probabilities, which read BM25 scores relative
    to the best one, to 5% as well."""
    hits = index.search(question, k=5)
    return [(hit.chunk_id, hit.dense_score) for hit in hits], [hit.lexical_score for hit in hits], \
        [hit.score for hit in hits]


def _same_hits(first, second) -> bool:
    return first[0] == second[0] and first[1] == pytest.approx(second[1], rel=5e-2, abs=1e-5) \
        and first[2] == pytest.approx(second[2], rel=5e-2, abs=1e-5)


def _answer(index, question):
    answer = index.answer(question)
    return answer.text, answer.found, [(citation.hit.chunk_id, citation.quote) for citation in answer.citations]


def test_tokens_reach_milvus_whole_and_dates_become_a_filter():
    import numpy as np

    assert encode(["着陸", "lander"]) == "e79d80e999b8 6c616e646572"
    days = np.array([0, 100, 200, 300])
    assert date_filter(None, days) is None
    assert date_filter(days <= 200, days) == "((day >= 100 and day <= 200) or day == 0)"
    assert date_filter(days > 150, days) == "((day >= 200 and day <= 300))"


@pytest.mark.slow
def test_milvus_store_gives_the_local_hits_and_answers(tmp_path):
    releases = sorted((DATA / "releases").iterdir())
    local = qa.build_index(releases, tmp_path / "local", settings=qa.Settings())
    store = tmp_path / "milvus.db"
    remote = qa.build_index(releases, tmp_path / "remote", settings=qa.Settings(store=str(store)))
    assert remote.manifest["store"]["kind"] == "milvus" and remote.manifest["store"]["uri"] == str(store)
    remote = qa.load_index(tmp_path / "remote")  # the manifest names the store
    assert isinstance(remote.store, MilvusEngine)
    for question in read_questions(DATA / "releases_qa.jsonl"):
        assert _same_hits(_hits(remote, question.q), _hits(local, question.q)), question.q
        assert _answer(remote, question.q) == _answer(local, question.q), question.q


@pytest.mark.slow
def test_cli_build_add_remove_with_store(tmp_path, capsys):
    from qa.cli import main

    releases = sorted((DATA / "releases").iterdir())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for release in releases[:-1]:
        (corpus / release.name).write_bytes(release.read_bytes())
    index_dir, store = str(tmp_path / "index"), str(tmp_path / "qa.db")
    assert main(["build", str(corpus), "--index", index_dir, "--store", store, "--quiet"]) == 0
    first = qa.load_index(index_dir).manifest["store"]["collection"]
    assert main(["add", str(releases[-1]), "--index", index_dir, "--quiet"]) == 0  # stays in Milvus
    added = qa.load_index(index_dir).manifest["store"]["collection"]
    assert main(["remove", releases[0].name, "--index", index_dir]) == 0
    index = qa.load_index(index_dir)
    assert isinstance(index.store, MilvusEngine) and index.manifest["store"]["collection"] not in (first, added)
    assert releases[0].name not in {document.name for document in index.documents()}
    from qa.search.milvus import connect

    client = connect(store)  # each build writes new collections; the first build's went with it
    assert not client.has_collection(f"{first}_chunks") and client.has_collection(f"{added}_chunks")
    capsys.readouterr()
    assert main(["search", "solar power units for the lunar surface", "-k", "1", "--json", "--index", index_dir]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["source"] == releases[-1].name
    manifest = json.loads((storage.build_folder(index_dir) / "manifest.json").read_text())
    assert manifest["store"]["kind"] == "milvus" and len(manifest["documents"]) == len(releases) - 1
