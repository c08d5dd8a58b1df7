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


def _centroids(ann) -> np.ndarray:
    return faiss.downcast_index(ann.quantizer).reconstruct_n(0, ann.nlist)


def test_plan_is_exact_up_to_the_limit_then_ivf():
    assert vectorfiles.plan(50_000) == {"kind": "exact", "limit": 50_000}
    layout = vectorfiles.plan(1_000_000)
    assert layout["kind"] == "ivf" and layout["lists"] == 32768 and layout["probes"] == 256
    assert vectorfiles.plan(100, limit=10)["lists"] == 3  # never more lists than the data trains


def test_ivf_index_gives_the_exact_hits_and_an_add_does_not_retrain(tmp_path):
    releases = sorted((DATA / "releases").iterdir())
    exact = qa.build_index(releases[:-1], tmp_path / "exact", settings=qa.Settings())
    settings = qa.Settings(exact_limit=5)
    approximate = qa.build_index(releases[:-1], tmp_path / "ivf", settings=settings)
    layout = approximate.manifest["vector_index"]
    assert layout["kind"] == "ivf" and exact.manifest["vector_index"]["kind"] == "exact"
    loaded = qa.load_index(tmp_path / "ivf", settings=settings)
    assert loaded.ann is not None and loaded.ann.ntotal == len(loaded)
    assert isinstance(loaded.sentence_matrix, np.memmap) and loaded.sentence_matrix.dtype == np.float16
    assert isinstance(loaded.chunk_matrix, np.memmap)
    # With every list probed, the IVF candidates are the scan's: the same hits.
    for question in QUESTIONS:
        assert [hit.chunk_id for hit in loaded.search(question, k=5)] == \
            [hit.chunk_id for hit in exact.search(question, k=5)]
    before = _centroids(loaded.ann)
    report = loaded.add([releases[-1]])
    assert report.chunks == len(loaded) and loaded.ann.ntotal == len(loaded)
    assert np.array_equal(_centroids(loaded.ann), before)  # trained once, appended to
    # Only the new release was tokenized and averaged: the same arrays as a full build.
    full = qa.build_index(releases, tmp_path / "full", settings=settings)
    assert np.array_equal(loaded.chunk_matrix, full.chunk_matrix)
    for name in ("data", "indices", "indptr", "counts", "lengths"):
        assert np.array_equal(getattr(loaded.lexical.postings, name), getattr(full.lexical.postings, name))
    again = qa.load_index(tmp_path / "ivf", settings=settings)
    assert again.manifest["vector_index"] == layout and again.ann.ntotal == len(again)
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
