"""One box at scale: the IVF dense stage (chosen by size, recorded in the manifest),
memory-mapped vector files and chunk table, and an add that does not retrain."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pytest

import qa
from qa.chunktable import ChunkTable
from qa.search import vectorfiles

DATA = Path(__file__).parent / "data"
QUESTIONS = ["When did Flight 1 launch?", "フライト1はいつ着陸しましたか？", "Who invested in the Series B?",
             "星野電機との覚書はいつ結ばれましたか？"]


def _centroids(anns: dict) -> dict:
    return {language: faiss.downcast_index(ann.quantizer).reconstruct_n(0, ann.nlist) for language, ann in anns.items()}


def test_plan_is_exact_up_to_the_limit_then_one_ivf_per_language():
    assert vectorfiles.plan(50_000) == {"kind": "exact", "limit": 50_000}
    layout = vectorfiles.plan(1_000_000, languages={"ja": 885_000, "en": 110_000, "fr": 5_000})
    assert layout["kind"] == "ivf" and layout["scan"] == 10_000
    assert layout["languages"] == {"ja": {"lists": 29_500, "probes": 1843},  # never more lists than 30 rows each
                                   "en": {"lists": 3666, "probes": 256}}  # "fr" is scanned
    assert vectorfiles.plan(100, limit=10)["languages"][""]["lists"] == 3


def test_ivf_index_gives_the_exact_hits_and_an_add_does_not_retrain(tmp_path):
    releases = sorted((DATA / "releases").iterdir())
    exact = qa.build_index(releases[:-1], tmp_path / "exact", settings=qa.Settings())
    settings = qa.Settings(exact_limit=5)
    approximate = qa.build_index(releases[:-1], tmp_path / "ivf", settings=settings)
    layout = approximate.manifest["vector_index"]
    assert layout["kind"] == "ivf" and exact.manifest["vector_index"]["kind"] == "exact"
    loaded = qa.load_index(tmp_path / "ivf", settings=settings)
    assert set(loaded.ann) == {"en", "ja"} and vectorfiles.ann_rows(loaded.ann) == len(loaded)
    for language, ann in loaded.ann.items():  # each holds its language's chunks, by position
        ids = sorted(int(value) for number in range(ann.nlist) for value in
                     faiss.rev_swig_ptr(ann.invlists.get_ids(number), ann.invlists.list_size(number)))
        assert ids == np.flatnonzero(loaded.chunks.languages == language).tolist()
    assert isinstance(loaded.sentence_matrix, np.memmap) and loaded.sentence_matrix.dtype == np.float16
    assert isinstance(loaded.chunk_matrix, np.memmap)
    # With every list probed, the IVF candidates are the scan's: the same hits.
    for question in QUESTIONS:
        assert [hit.chunk_id for hit in loaded.search(question, k=5)] == \
            [hit.chunk_id for hit in exact.search(question, k=5)]
    before = _centroids(loaded.ann)
    report = loaded.add([releases[-1]])
    assert report.chunks == len(loaded) and vectorfiles.ann_rows(loaded.ann) == len(loaded)
    after = _centroids(loaded.ann)
    assert all(np.array_equal(after[language], before[language]) for language in before)  # trained once, appended to
    # Only the new release was tokenized and averaged: the same arrays as a full build.
    full = qa.build_index(releases, tmp_path / "full", settings=settings)
    assert np.array_equal(loaded.chunk_matrix, full.chunk_matrix)
    for name in ("data", "indices", "indptr", "counts", "lengths"):
        assert np.array_equal(getattr(loaded.lexical.postings, name), getattr(full.lexical.postings, name))
    again = qa.load_index(tmp_path / "ivf", settings=settings)
    assert again.manifest["vector_index"]["languages"].keys() == layout["languages"].keys()
    assert vectorfiles.ann_rows(again.ann) == len(again)
    assert again.search("solar power units for the lunar surface", k=1)[0].source.endswith("hoshino-mou.txt")


def test_chunk_table_reads_chunks_lazily_from_its_file(tmp_path):
    index = qa.build_index([DATA / "releases"], tmp_path / "index", settings=qa.Settings())
    table = ChunkTable.load(index.folder)
    assert len(table) == len(index) and table._chunks is None
    assert list(table) == list(index.chunks) and table[-1] == index.chunks[len(index) - 1]
    assert table[1:3] == [table[1], table[2]]
    assert list(table.languages) == [chunk.language for chunk in table]
    assert table.first_chunk == {chunk.path: position for position, chunk in reversed(list(enumerate(table)))}
    with pytest.raises(IndexError):
        table[len(table)]


def test_an_add_links_the_sentence_vectors_it_keeps(tmp_path):
    releases = sorted((DATA / "releases").iterdir())
    index = qa.build_index(releases[:-1], tmp_path / "index", settings=qa.Settings())
    before_folder, before = index.folder, np.array(index.sentence_matrix)
    index.add([releases[-1]])
    parts = json.loads((index.folder / vectorfiles.SENTENCE_PARTS_NAME).read_text())
    assert len(parts) == 2  # the previous file, linked, and one for the new release's sentences
    assert (index.folder / parts[0]).stat().st_ino == (before_folder / parts[0]).stat().st_ino
    loaded = qa.load_index(tmp_path / "index")
    assert isinstance(loaded.sentence_matrix, vectorfiles.RowStack)
    assert np.array_equal(np.asarray(loaded.sentence_matrix)[:len(before)], before)
    full = qa.build_index(releases, tmp_path / "full", settings=qa.Settings())
    assert np.array_equal(np.asarray(loaded.sentence_matrix), np.asarray(full.sentence_matrix))
    question = "solar power units for the lunar surface"
    assert [hit.chunk_id for hit in loaded.search(question)] == [hit.chunk_id for hit in full.search(question)]


def test_row_stack_reads_rows_as_one_array():
    parts = [np.arange(12, dtype=np.float16).reshape(4, 3), np.arange(12, 18, dtype=np.float16).reshape(2, 3)]
    rows = vectorfiles.stack(parts)
    whole = np.concatenate(parts)
    assert len(rows) == 6 and rows.shape == (6, 3)
    assert np.array_equal(rows[2:5], whole[2:5]) and np.array_equal(rows[5], whole[5])
    assert np.array_equal(rows[np.array([5, 0, 3, 4])], whole[[5, 0, 3, 4]])
    assert np.array_equal(rows[4:4], whole[4:4]) and np.array_equal(np.asarray(rows), whole)


def test_a_language_filter_is_made_once_and_finds_what_a_fresh_mask_finds():
    from qa.search.dense import DenseScorer

    generator = np.random.default_rng(5)
    vectors = generator.standard_normal((600, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    languages = np.array(["en", "ja"] * 300)
    ann = vectorfiles.train_ann(vectors, np.arange(600), 8)  # one index of every language (format 3)
    starts = np.arange(600)
    scorer = DenseScorer(vectors, vectors.astype(np.float16), starts, starts + 1, languages, ann={"*": ann},
                         probes={"*": 8}, scan=10)
    query = vectors[7]
    found = scorer.search(query, 5)[0]
    mask, bits = scorer._filters["ja"]
    assert np.array_equal(mask, languages == "ja") and scorer._language_filter("ja", scorer.by_language["ja"])[1] is bits
    for language in ("en", "ja"):  # every list probed: the filter's best are a fresh mask's
        expected, _ = vectorfiles.ann_search(ann, query, 10, languages == language, 8)
        chosen = [position for position in found if languages[position] == language]
        assert len(chosen) == 5 and set(chosen) <= set(expected.tolist())
    single = DenseScorer(vectors, vectors.astype(np.float16), starts, starts + 1, np.array(["ja"] * 600),
                         ann={"*": ann}, probes={"*": 8}, scan=10)
    assert single._language_filter("ja", single.by_language["ja"]) == (None, None)


def test_an_index_of_format_3_with_one_ivf_for_every_language_still_searches(tmp_path):
    from qa import storage

    releases = sorted((DATA / "releases").iterdir())
    settings = qa.Settings(exact_limit=5)
    built = qa.build_index(releases, tmp_path / "ivf", settings=settings)
    expected = {question: [hit.chunk_id for hit in built.search(question, k=5)] for question in QUESTIONS}
    # Rewrite the build as format 3 wrote it: one index of every chunk, "lists" and "probes" in the plan.
    folder = built.folder
    ann = vectorfiles.train_ann(np.asarray(built.chunk_matrix), np.arange(len(built)), 2)
    for path in folder.glob("vectors-*.faiss"):
        path.unlink()
    faiss.write_index(ann, str(folder / vectorfiles.ANN_NAME))
    manifest = json.loads((folder / storage.MANIFEST_NAME).read_text())
    manifest["vector_index"] = {"kind": "ivf", "limit": 5, "lists": 2, "probes": 2, "quantizer": "fp16", "scan": 1}
    storage.write_manifest(folder, {key: value for key, value in manifest.items() if key != "files"})
    old = qa.load_index(tmp_path / "ivf", settings=settings)
    assert set(old.ann) == {"*"} and old.ann["*"].ntotal == len(old)
    assert {question: [hit.chunk_id for hit in old.search(question, k=5)] for question in QUESTIONS} == expected
    old.add([DATA / "ispace-2025-05-09-thermal-mining.txt"])
    assert set(old.ann) <= {"en", "ja"} and vectorfiles.ann_rows(old.ann) == len(old)  # an add trains per language
