"""One box at scale: the PQ dense stage (chosen by size, recorded in the manifest),
memory-mapped vector files and chunk table, an add that does not retrain, and the
IVF indexes of earlier builds still read."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pytest

import qa
from qa.chunktable import ChunkTable
from qa.search import codes, vectorfiles

DATA = Path(__file__).parent / "data"
QUESTIONS = ["When did Flight 1 launch?", "フライト1はいつ着陸しましたか？", "Who invested in the Series B?",
             "星野電機との覚書はいつ結ばれましたか？"]


def _codebooks(anns: dict) -> dict:
    return {language: faiss.vector_to_array(ann.pq.centroids) for language, ann in anns.items()}


def _ivf(matrix: np.ndarray, positions: np.ndarray, lists: int):
    """An IVF index as earlier builds made them (fp16 lists, ids = positions)."""
    index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(matrix.shape[1]), matrix.shape[1], lists,
                                          faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    index.cp.min_points_per_centroid = 1
    index.train(np.ascontiguousarray(matrix[positions], dtype=np.float32))
    index.add_with_ids(np.ascontiguousarray(matrix[positions], dtype=np.float32), positions.astype(np.int64))
    return index


def test_plan_is_exact_up_to_the_limit_then_pq_per_language_with_a_share_rescored():
    assert codes.plan(50_000) == {"kind": "exact", "limit": 50_000}
    layout = codes.plan(1_000_000, languages={"ja": 885_000, "en": 110_000, "fr": 5_000})
    assert layout["kind"] == "pq" and layout["scan"] == 10_000
    assert layout["languages"] == {"ja": {"dimensions_per_code": 3, "bits": 4, "shortlist": 2950},  # one in 300
                                   "en": {"dimensions_per_code": 3, "bits": 4, "shortlist": 2000}}  # "fr" scanned
    assert codes.shortlist_for(100_000_000) == 10_000
    assert [codes.subquantizers_for(dim) for dim in (384, 768, 1024, 1026, 1001)] == [128, 256, 256, 342, 1001]


def test_pq_index_gives_the_exact_hits_an_add_does_not_retrain_and_a_remove_retrains(tmp_path):
    releases = sorted((DATA / "releases").iterdir())
    exact = qa.build_index(releases[:-1], tmp_path / "exact", settings=qa.Settings())
    settings = qa.Settings(exact_limit=5)
    approximate = qa.build_index(releases[:-1], tmp_path / "pq", settings=settings)
    layout = approximate.manifest["vector_index"]
    assert layout["kind"] == "pq" and exact.manifest["vector_index"]["kind"] == "exact"
    assert {record["subquantizers"] for record in layout["languages"].values()} == {128}
    for language, record in layout["languages"].items():  # each language's mean chunk vector, for the median
        rows = np.asarray(approximate.chunk_matrix)[approximate.chunks.languages == language]
        assert np.allclose(record["mean"], rows.mean(axis=0), atol=1e-6)
    loaded = qa.load_index(tmp_path / "pq", settings=settings)
    assert set(loaded.ann) == {"en", "ja"} and codes.ann_rows(loaded.ann) == len(loaded)
    for language, ann in loaded.ann.items():  # each holds its language's chunks, by position
        assert isinstance(ann, faiss.IndexIVFPQFastScan) and ann.nlist == 1
        ids = faiss.rev_swig_ptr(ann.invlists.get_ids(0), ann.invlists.list_size(0))
        assert sorted(ids.tolist()) == np.flatnonzero(loaded.chunks.languages == language).tolist()
    assert isinstance(loaded.sentence_matrix, np.memmap) and loaded.sentence_matrix.dtype == np.float16
    assert isinstance(loaded.chunk_matrix, np.memmap)
    # The shortlist (1,000) holds every chunk here: re-scored exactly, the scan's hits.
    for question in QUESTIONS:
        assert [hit.chunk_id for hit in loaded.search(question, k=5)] == \
            [hit.chunk_id for hit in exact.search(question, k=5)]
    before = _codebooks(loaded.ann)
    report = loaded.add([releases[-1]])
    assert report.chunks == len(loaded) and codes.ann_rows(loaded.ann) == len(loaded)
    after = _codebooks(loaded.ann)
    assert all(np.array_equal(after[language], before[language]) for language in before)  # trained once
    # Only the new release was tokenized and averaged: the same arrays as a full build.
    full = qa.build_index(releases, tmp_path / "full", settings=settings)
    assert np.array_equal(loaded.chunk_matrix, full.chunk_matrix)
    for name in ("data", "indices", "indptr", "counts", "lengths"):
        assert np.array_equal(getattr(loaded.lexical.postings, name), getattr(full.lexical.postings, name))
    again = qa.load_index(tmp_path / "pq", settings=settings)
    assert again.manifest["vector_index"]["languages"].keys() == layout["languages"].keys()
    assert codes.ann_rows(again.ann) == len(again)
    assert again.search("solar power units for the lunar surface", k=1)[0].source.endswith("hoshino-mou.txt")
    # A remove moves chunk positions: the codebooks are trained again (seconds at 1M).
    again.remove([releases[0].name])
    assert codes.ann_rows(again.ann) == len(again) < len(full)
    for language, ann in again.ann.items():
        ids = faiss.rev_swig_ptr(ann.invlists.get_ids(0), ann.invlists.list_size(0))
        assert sorted(ids.tolist()) == np.flatnonzero(again.chunks.languages == language).tolist()
    rest = qa.build_index(releases[1:], tmp_path / "rest", settings=qa.Settings())
    for question in QUESTIONS:
        assert [hit.chunk_id for hit in again.search(question, k=5)] == \
            [hit.chunk_id for hit in rest.search(question, k=5)]


def clustered(seed: int, topics: int, count: int, dimensions: int = 32):
    """`count` unit vectors around `topics` random directions (cosine about 0.45 with
    their topic), as chunks of releases cluster; and the generator, for what follows."""
    generator = np.random.default_rng(seed)
    centres = generator.standard_normal((topics, dimensions)).astype(np.float32)
    vectors = 0.5 * centres[generator.integers(0, topics, count)] + generator.standard_normal(
        (count, dimensions)).astype(np.float32) / np.sqrt(dimensions)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return generator, vectors


def test_pq_shortlist_rescored_exactly_finds_a_scans_best_with_and_without_dates():
    from qa.search.dense import MEDIAN_SAMPLE, DenseScorer

    generator, vectors = clustered(seed=3, topics=60, count=4000)
    languages = np.array(["ja"] * 4000)
    assert len(languages) <= MEDIAN_SAMPLE
    starts = np.arange(4000)
    ann = {"ja": codes.train_pq(vectors, np.arange(4000))}
    assert ann["ja"].pq.M == 8  # 4 dimensions a code
    exact = DenseScorer(vectors, vectors.astype(np.float16), starts, starts + 1, languages)
    allowed = generator.random(4000) < 0.5
    for mask in (None, allowed):
        for shortlist, least in ((4000, 1.0), (400, 0.9)):
            scorer = DenseScorer(vectors, vectors.astype(np.float16), starts, starts + 1, languages, ann=ann,
                                 probes={"ja": 1}, shortlists={"ja": shortlist}, scan=10)
            found = []
            for query in vectors[:40] + 0.01:
                query = query / np.linalg.norm(query)
                approximate, expected = scorer.search(query, 10, mask)[0], exact.search(query, 10, mask)[0]
                assert mask is None or all(mask[position] for position in approximate)
                # The scores of what both found are the exact ones (the median sample is every chunk here).
                assert all(abs(approximate[position] - expected[position]) < 1e-6
                           for position in set(approximate) & set(expected))
                found.append(len(set(approximate) & set(expected)) / len(expected))
            assert np.mean(found) >= least


def test_an_add_to_codes_of_another_size_trains_them_again(tmp_path, monkeypatch):
    releases = sorted((DATA / "releases").iterdir())
    settings = qa.Settings(exact_limit=5)
    monkeypatch.setattr(codes, "DIMENSIONS_PER_CODE", 4)  # as builds before 128 codes made them
    built = qa.build_index(releases[:-1], tmp_path / "pq", settings=settings)
    assert {ann.pq.M for ann in built.ann.values()} == {96}
    monkeypatch.undo()
    old = qa.load_index(tmp_path / "pq", settings=settings)
    old.add([releases[-1]])
    assert {ann.pq.M for ann in old.ann.values()} == {128} and codes.ann_rows(old.ann) == len(old)
    assert {record["dimensions_per_code"] for record in old.manifest["vector_index"]["languages"].values()} == {3}


def test_products_read_rows_where_they_lie_and_equal_numpys(tmp_path):
    from qa.search.dense import _matvec, _products

    generator = np.random.default_rng(4)
    vectors = generator.standard_normal((3000, 48)).astype(np.float32)
    vectorfiles.save_array(tmp_path / "rows.npy", vectors)
    mapped = vectorfiles.load_array(tmp_path / "rows.npy")
    query = generator.standard_normal(48)  # float64: taken as float32
    rows = np.sort(generator.choice(3000, 500, replace=False))
    threads = faiss.omp_get_max_threads()
    assert np.allclose(_products(mapped, query, rows), _matvec(vectors[rows], query.astype(np.float32)), atol=1e-5)
    assert faiss.omp_get_max_threads() == threads  # one thread for the call only
    assert np.allclose(_products(mapped[:700], query), _matvec(vectors[:700], query.astype(np.float32)), atol=1e-5)
    assert np.allclose(_products(vectors.astype(np.float16), query, rows),  # not float32: numpy's way
                       _matvec(vectors.astype(np.float16)[rows].astype(np.float32), query), atol=1e-3)
    assert _products(mapped, query, rows[:0]).shape == (0,)
    with pytest.raises(IndexError):
        _products(mapped, query, np.array([0, 3000]))


def test_the_median_sample_corrected_by_the_language_mean_comes_closer_to_the_median():
    from qa.search.dense import DenseScorer

    generator, vectors = clustered(seed=6, topics=300, count=20_000)
    languages, starts = np.array(["ja"] * 20_000), np.arange(20_000)
    ann = {"ja": codes.train_pq(vectors, np.arange(20_000))}
    mean = vectors.mean(axis=0)

    def medians(median_sample: int, means: dict | None, allowed=None) -> list[float]:
        scorer = DenseScorer(vectors, vectors.astype(np.float16), starts, starts + 1, languages, ann=ann,
                             probes={"ja": 1}, shortlists={"ja": 100}, scan=10, median_sample=median_sample,
                             means=means)
        positions = starts if allowed is None else starts[allowed]
        return [scorer._approximate("ja", positions, allowed, 20, query, True)[2] for query in vectors[:60]]

    exact = np.median(vectors @ vectors[:60].T, axis=0)
    plain, corrected = np.array(medians(501, None)), np.array(medians(501, {"ja": mean}))
    assert np.sqrt(np.mean((corrected - exact) ** 2)) < 0.8 * np.sqrt(np.mean((plain - exact) ** 2))
    # A sample of every chunk is the median itself; under a date filter the language's
    # mean is not the allowed chunks' mean, so no correction.
    assert np.allclose(medians(20_000, {"ja": mean}), exact, atol=1e-6)
    allowed = generator.random(20_000) < 0.5
    assert medians(501, {"ja": mean}, allowed) == medians(501, None, allowed)


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
    ann = _ivf(vectors, np.arange(600), 8)  # one IVF index of every language (format 3)
    starts = np.arange(600)
    scorer = DenseScorer(vectors, vectors.astype(np.float16), starts, starts + 1, languages, ann={"*": ann},
                         probes={"*": 8}, scan=10)
    query = vectors[7]
    found = scorer.search(query, 5)[0]
    mask, bits = scorer._filters["ja"]
    assert np.array_equal(mask, languages == "ja") and scorer._language_filter("ja", scorer.by_language["ja"])[1] is bits
    for language in ("en", "ja"):  # every list probed: the filter's best are a fresh mask's
        expected, _ = codes.ann_search(ann, query, 10, languages == language, 8)
        chosen = [position for position in found if languages[position] == language]
        assert len(chosen) == 5 and set(chosen) <= set(expected.tolist())
    single = DenseScorer(vectors, vectors.astype(np.float16), starts, starts + 1, np.array(["ja"] * 600),
                         ann={"*": ann}, probes={"*": 8}, scan=10)
    assert single._language_filter("ja", single.by_language["ja"]) == (None, None)


@pytest.mark.parametrize("one_for_every_language", [True, False])
def test_an_index_with_ivf_as_earlier_builds_made_it_still_searches(tmp_path, one_for_every_language):
    from qa import storage

    releases = sorted((DATA / "releases").iterdir())
    settings = qa.Settings(exact_limit=5)
    built = qa.build_index(releases, tmp_path / "ivf", settings=settings)
    expected = {question: [hit.chunk_id for hit in built.search(question, k=5)] for question in QUESTIONS}
    # Rewrite the build as earlier versions wrote it: IVF, every list probed.
    folder = built.folder
    for path in folder.glob("vectors-*.faiss"):
        path.unlink()
    matrix = np.asarray(built.chunk_matrix)
    if one_for_every_language:  # format 3: one index of every chunk, "lists" and "probes" in the plan
        faiss.write_index(_ivf(matrix, np.arange(len(built)), 2), str(folder / codes.ANN_NAME))
        layout = {"kind": "ivf", "limit": 5, "lists": 2, "probes": 2, "quantizer": "fp16", "scan": 1}
    else:  # one IVF index per language
        layout = {"kind": "ivf", "limit": 5, "quantizer": "fp16", "scan": 1, "languages": {}}
        for language in ("en", "ja"):
            positions = np.flatnonzero(built.chunks.languages == language)
            faiss.write_index(_ivf(matrix, positions, 2), str(folder / codes.ann_name(language)))
            layout["languages"][language] = {"lists": 2, "probes": 2}
    manifest = json.loads((folder / storage.MANIFEST_NAME).read_text())
    manifest["vector_index"] = layout
    storage.write_manifest(folder, {key: value for key, value in manifest.items() if key != "files"})
    old = qa.load_index(tmp_path / "ivf", settings=settings)
    assert set(old.ann) == ({"*"} if one_for_every_language else {"en", "ja"})
    assert all(isinstance(ann, faiss.IndexIVFScalarQuantizer) for ann in old.ann.values())
    assert codes.ann_rows(old.ann) == len(old)
    assert {question: [hit.chunk_id for hit in old.search(question, k=5)] for question in QUESTIONS} == expected
    old.add([DATA / "ispace-2025-05-09-thermal-mining.txt"])  # an add makes PQ per language
    assert set(old.ann) <= {"en", "ja"} and codes.ann_rows(old.ann) == len(old)
    assert all(isinstance(ann, faiss.IndexIVFPQFastScan) for ann in old.ann.values())
    assert old.manifest["vector_index"]["kind"] == "pq"


def test_float16_rows_read_as_float32_are_numpys_cast_bit_for_bit():
    every = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16).reshape(-1, 64)  # nan, inf too
    assert np.array_equal(vectorfiles.as_float32(every).view(np.uint32), every.astype(np.float32).view(np.uint32))
    assert vectorfiles.as_float32(every[:, ::3]).shape == (1024, 22)  # a strided view
    rows = np.ones((2, 3), dtype=np.float32)
    assert vectorfiles.as_float32(rows).dtype == np.float32 and np.array_equal(vectorfiles.as_float32(rows), rows)
