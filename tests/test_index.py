"""Building, saving and loading the index: manifest, atomicity, locks, integrity."""

from __future__ import annotations

import json
import os
import shutil
import zipfile

import numpy as np
import pytest

import qa
from qa import storage
from qa.errors import EmbedderMismatchError, IndexCorruptError, IndexLockedError, IndexNotFoundError, \
    NothingIndexedError

from conftest import SAMPLE_PDF, make_text_pdf


def test_manifest_records_everything(built_index_dir):
    manifest = json.loads((built_index_dir / "current" / "manifest.json").read_text())
    assert manifest["format_version"] == storage.FORMAT_VERSION
    assert manifest["embedder"] == {"id": "e5-small-q4", "dim": 384, "query_prefix": None, "passage_prefix": None}
    from qa.ingest.chunking import CHUNKING_VERSION

    assert manifest["chunking"] == {"version": CHUNKING_VERSION, "size": 500, "overlap": 1}
    assert manifest["lexical"]["tokenizer"] == "sudachi"
    assert manifest["vector_index"] == {"kind": "exact", "limit": 50000}
    assert manifest["built_at"]
    [document] = manifest["documents"]
    assert document["sha256"] == storage.sha256_of(SAMPLE_PDF)
    assert document["date"] == "2025-05-09" and document["pages"] == 5 and document["chunks"] >= 5
    assert document["date_source"] == "text" and document["warnings"] == [] and document["language"] == "ja"
    assert set(manifest["files"]) >= {"chunk_vectors.npy", "sentences.npy", "chunks.jsonl", "chunk_offsets.npy",
                                      "lexical/vocab.index.json"}


def test_no_pickle_anywhere(built_index_dir):
    folder = built_index_dir / "current"
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        assert path.suffix not in (".pkl", ".pickle", ".joblib")
        data = path.read_bytes()
        assert not data.startswith(b"\x80"), f"{path} looks like a pickle"
        if path.suffix == ".npy":
            np.load(path, allow_pickle=False)
        if path.suffix == ".npz":
            with zipfile.ZipFile(path) as archive:
                assert all(name.endswith(".npy") for name in archive.namelist())


def test_chunks_file_holds_citations(built_index_dir):
    lines = (built_index_dir / "current" / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    assert {"chunk_id", "text", "source", "page", "pages", "start", "end", "doc_date", "title"} <= set(record)


def test_search_returns_hits_with_citations(sample_index):
    hits = sample_index.search("ミッション2の打ち上げ日は？", k=3)
    assert len(hits) == 3 and all(isinstance(hit, qa.Hit) for hit in hits)
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert any("2025年1月15日" in hit.text for hit in hits)
    hit = hits[0]
    assert hit.source == SAMPLE_PDF.name and hit.page >= 1 and hit.doc_date == "2025-05-09"
    assert hit.end - hit.start == len(hit.text)
    with pytest.raises(qa.QAError):
        sample_index.search("   ")
    assert sample_index.search("月", k=0) == []


def test_retrieve_caches_the_index_per_process(built_index_dir):
    first = qa.cached_index(built_index_dir)
    hits = qa.retrieve("When does Mission 2 land?", k=2, index_dir=built_index_dir)
    assert len(hits) == 2 and qa.cached_index(built_index_dir) is first


def _small_corpus(folder):
    folder.mkdir()
    make_text_pdf(folder / "a.pdf", ["2024年3月1日\n株式会社テストの月面ローバーに関するお知らせです。\n"
                                     "ローバーは2026年に月面へ向かう予定です。"])
    (folder / "b.txt").write_text("May 2, 2024\nACME lunar news release about a new antenna.\n"
                                  "The antenna ships in 2027.", encoding="utf-8")
    return folder


def test_failed_build_leaves_the_previous_index_untouched(tmp_path, monkeypatch):
    corpus = _small_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    before = storage.build_folder(index_dir)
    snapshot = {path: path.read_bytes() for path in before.rglob("*") if path.is_file()}

    from qa.search import lexical

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(lexical.LexicalIndex, "build", classmethod(explode))
    (corpus / "c.txt").write_text("2024年5月1日\n新しいお知らせです。", encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk on fire"):
        qa.build_index([corpus], index_dir, settings=qa.Settings())
    assert storage.build_folder(index_dir) == before
    assert {path: path.read_bytes() for path in before.rglob("*") if path.is_file()} == snapshot
    index = qa.load_index(index_dir)
    assert len(index.documents()) == 2


def test_leftover_partial_builds_are_never_loaded_and_are_cleaned(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    partial = storage.new_partial_folder(index_dir)  # as if a build had been killed
    (partial / "manifest.json").write_text("{}")
    assert qa.load_index(index_dir).folder != partial
    index = qa.build_index([corpus], index_dir, settings=qa.Settings())
    assert not partial.exists()
    assert index.report.reused_sentences == index.report.sentences  # nothing changed: vectors reused
    assert len(list((index_dir / "builds").iterdir())) <= 2


def test_nothing_indexable_raises_and_keeps_previous_index(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    before = storage.build_folder(index_dir)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(NothingIndexedError) as caught:
        qa.build_index([bad], index_dir, settings=qa.Settings())
    assert "junk.txt" in str(caught.value)
    assert storage.build_folder(index_dir) == before


def test_embedder_mismatch_names_both_embedders_and_the_rebuild_command(tmp_path, minilm_path, monkeypatch):
    corpus = _small_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    built = qa.build_index([corpus], index_dir, embedder=f"sentence-transformers:{minilm_path}",
                           settings=qa.Settings())
    assert built.manifest["embedder"]["id"] == f"sentence-transformers:{minilm_path.resolve()}"
    assert qa.load_index(index_dir).search("When does the antenna ship?", k=1)[0].source == "b.txt"
    with pytest.raises(EmbedderMismatchError) as caught:
        qa.load_index(index_dir, embedder="e5-small-q4")
    message = str(caught.value)
    assert "e5-small-q4" in message and str(minilm_path.resolve()) in message and "qa build" in message
    monkeypatch.setenv("QA_EMBEDDER", "e5-small-q4")
    with pytest.raises(EmbedderMismatchError):
        qa.load_index(index_dir)


def test_missing_index_and_damaged_files(tmp_path):
    with pytest.raises(IndexNotFoundError, match="qa build"):
        qa.load_index(tmp_path / "nowhere")
    corpus = _small_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    folder = storage.build_folder(index_dir)
    vectors = folder / "chunk_vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:-100])
    with pytest.raises(IndexCorruptError, match="chunk_vectors.npy.*qa build"):
        qa.load_index(index_dir)
    shutil.copy(tmp_path / "corpus" / "b.txt", folder / "chunks.jsonl")
    with pytest.raises(IndexCorruptError):
        qa.load_index(index_dir)


def test_a_second_build_waits_or_fails_on_the_lock(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    with storage.build_lock(index_dir):
        with pytest.raises(IndexLockedError, match=f"pid {os.getpid()}"):
            qa.build_index([corpus], index_dir, settings=qa.Settings())
    qa.build_index([corpus], index_dir, settings=qa.Settings())


def test_concurrent_tokenizing_and_questions_from_many_threads(sample_index):
    """Regression: SudachiPy's tokenizer refused concurrent use under the load test
    ("Tokenizer is already in use")."""
    from concurrent.futures import ThreadPoolExecutor

    from qa.search.lexical import tokenize

    text = "ミッション2は2025年1月15日に打上げを完了し、最短2025年6月6日に月面着陸へ再挑戦の予定です。" * 40
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: tokenize(text, "sudachi"), range(64)))
    assert all(result == results[0] for result in results)
    questions = ["ミッション2の月面着陸はいつですか？", "When does Mission 2 land?", "高砂熱学工業の主な事業は何ですか？"] * 10
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(sample_index.answer, questions))
    assert all(isinstance(answer, qa.Answer) for answer in answers)
    assert answers[0].text == answers[3].text


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("QA_FILE_TIMEOUT", "2.5")
    monkeypatch.setenv("QA_CHUNK_SIZE", "400")
    monkeypatch.setenv("QA_INDEX", "elsewhere")
    settings = qa.Settings.from_environment(index_dir="given")
    assert settings.per_file_timeout_seconds == 2.5 and settings.chunk_size == 400
    assert settings.index_dir == "given"  # an explicit value beats the environment


def test_a_fresh_build_reuses_nothing_even_with_repeated_sentences(tmp_path):
    """A new-user session saw "1 reused from the previous build" on a first build: a
    sentence repeated within the build was counted as reused."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("2025年7月1日\nテスト株式会社\n本社は東京です。\n本社は東京です。\n月面基地を建設します。\n",
                                  encoding="utf-8")
    index = qa.build_index([corpus], tmp_path / "index", settings=qa.Settings())
    assert index.report.reused_sentences == 0
    index = qa.build_index([corpus], tmp_path / "index", settings=qa.Settings())
    assert index.report.reused_sentences == index.manifest["embedding"]["distinct"] > 0
