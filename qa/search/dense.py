"""Dense scoring that can compare passages across languages.

Design choice: a chunk's dense score is the cosine of the question with the chunk's
mean sentence vector plus the cosine with its best sentence (the passage's topic, and
the one sentence that may hold the fact). multilingual-e5 scores a passage in the
question's language higher whatever it says (an English question is closer to an
English sentence about something else than to the Japanese sentence that answers
it), so raw scores are not comparable across languages. They are made so by
*calibration per language*: from each chunk's score is subtracted its language's
bias for this question, estimated as twice (a chunk's score is two cosines) the
median coarse score (cosine with the chunk's mean vector) of all chunks of that
language. Within one language the order is unchanged (an index in one language ranks
exactly as before); across languages, what counts is how far a passage stands above
its language's typical passage. Most chunks are about something else whatever the
question, so the median measures the language, not how many releases of that
language are on the topic. The mean of a language's 10 best chunks, tried first,
penalized the language with many relevant releases: an English question about
Mission 1's landing sites ranked its English answer 45th, behind Japanese Mission 1
news. Dense only, development releases, recall@3 en / ja / cross-lingual: raw 0.54 /
0.57 / 0.25; vectors centred on each language's mean 0.85 / 0.79 / 0.83 (and lower
on the single-release set); mean of the 10 best 0.85 / 0.86 / 0.83. The README
compares the baselines on four question sets.

Candidates are taken per language (the best `depth` chunks of each), so a language
that scores lower overall still brings its best passages to the fusion.
"""

from __future__ import annotations

import numpy as np

from . import overlap
from .codes import ann_search
from .vectorfiles import as_float32

# The answerer's per-language sentence baseline: the mean best sentence of this many
# of a language's best chunks.
CALIBRATION_DEPTH = 10
# With an approximate index, a large language's median is taken over this many evenly spaced
# chunks (a language with few allowed chunks is scanned: the plan's "scan"), corrected by
# the language's mean (see `_approximate`). The sample's vectors are kept (12.6 MB a
# language) and scored for every question: reading them is what it costs (at 1M chunks
# 8,193 rows 0.33 ms, 16,385 0.81 ms alone, about 2 ms more in a search). 4,097 left the
# dense stage's top 10 at 0.9955 of a scan's with every chunk a candidate (1M), 16,385 at
# 0.999; corrected, 8,193 finds what 16,385 finds (`docs/benchmarks.md`).
MEDIAN_SAMPLE = 8_193


def _matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector in one thread. numpy's BLAS spreads a product of this size over
    threads that then spin and take the cores from the next question's embedding
    (measured: with the BLAS product, retrieve() on 10k chunks used 2-5x the CPU of
    embedding the question; einsum's own loop is as fast here and stays on one core)."""
    return np.einsum("ij,j->i", matrix, vector)


def _products(matrix: np.ndarray, vector: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """matrix[rows] @ vector (every row when `rows` is None) by FAISS's SIMD inner
    products, in one thread, on the float32 rows where they lie (the memory-mapped
    chunk vectors): no gathered copy. The approximate stage's products (a shortlist
    of 3,000 rows: 0.6 ms instead of 1.2 for numpy's gather and `_matvec`; a
    contiguous sample of 4,097 rows: 0.09 ms instead of 0.23). The exact stage keeps
    `_matvec`, so an index up to the exact limit ranks as it always has."""
    import faiss

    if not (isinstance(matrix, np.ndarray) and matrix.dtype == np.float32 and matrix.flags.c_contiguous):
        return _matvec(np.asarray(matrix if rows is None else matrix[rows], dtype=np.float32), vector)
    vector = np.ascontiguousarray(vector, dtype=np.float32)
    dim = matrix.shape[1]
    if rows is None:
        out = np.empty(len(matrix), dtype=np.float32)
        faiss.fvec_inner_products_ny(faiss.swig_ptr(out), faiss.swig_ptr(vector), faiss.swig_ptr(matrix), dim,
                                     len(matrix))
        return out
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    if len(rows) and (rows.min() < 0 or rows.max() >= len(matrix)):
        raise IndexError("row out of range")
    out = np.empty(len(rows), dtype=np.float32)
    # This one opens an OpenMP team even for one vector: its second thread would wait
    # on the other core (measured: twice the CPU time) that BM25 and the other
    # languages need. One thread, for this call only (the setting is the thread's own).
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        faiss.fvec_inner_products_by_idx(faiss.swig_ptr(out), faiss.swig_ptr(vector), faiss.swig_ptr(matrix),
                                         faiss.swig_ptr(rows), dim, 1, len(rows))
    finally:
        faiss.omp_set_num_threads(threads)
    return out


class DenseScorer:
    """Chunk and sentence vectors of an index, scored against a question vector.
    With `ann` (PQ or IVF indexes over the chunk vectors by language, "*" for one IVF
    index of every language; see `codes`), each language's candidates come from
    its index instead of a scan of every chunk (its best `shortlists[language]`,
    re-scored exactly), and the language's median is taken over an evenly spaced
    sample of `median_sample` of its chunks (corrected by the language's mean chunk
    vector, `means`, when the build recorded it). `probes`: by the same keys."""

    def __init__(self, chunk_matrix: np.ndarray, sentence_matrix: np.ndarray, starts: np.ndarray,
                 stops: np.ndarray, languages: np.ndarray, *, ann: dict | None = None,
                 probes: dict[str, int] | None = None, shortlists: dict[str, int] | None = None,
                 scan: int = 10_000, median_sample: int = MEDIAN_SAMPLE, means: dict[str, np.ndarray] | None = None):
        self.chunk_matrix = chunk_matrix
        self.sentence_matrix = sentence_matrix
        self.starts = np.asarray(starts, dtype=np.int64)
        self.stops = np.asarray(stops, dtype=np.int64)
        self.languages = np.asarray(languages)
        self.by_language = {language: np.flatnonzero(self.languages == language)
                            for language in sorted(set(self.languages.tolist()))}
        self.ann = ann
        self.probes = probes or {}
        self.shortlists = shortlists or {}
        self._samples: dict[str, np.ndarray] = {}
        self._filters: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.scan = scan
        self.median_sample = median_sample
        self.means = means or {}

    def chunk_score(self, position: int, query: np.ndarray) -> tuple[float, np.ndarray]:
        """Raw dense score of one chunk, and the cosine of each of its sentences."""
        vectors = self.sentence_matrix[self.starts[position]:self.stops[position]]
        if not len(vectors):
            return 0.0, np.zeros(0, dtype=np.float32)
        scores = _matvec(as_float32(vectors), query)
        return float(self.chunk_matrix[position] @ query) + float(scores.max()), scores

    def search(self, query: np.ndarray, depth: int, allowed: np.ndarray | None = None,
               calibrate: bool = True) -> tuple[dict[int, float], dict[int, np.ndarray], dict[str, float]]:
        """The best `depth` chunks of each language with their calibrated scores, each
        one's sentence cosines, and for each language the mean best-sentence cosine of
        its best chunks (what a sentence of that language typically scores for this
        question; the answerer compares sentences across languages with it). Only
        chunks that `allowed` (a mask) lets through are searched."""
        calibrated: dict[int, float] = {}
        sentences: dict[int, np.ndarray] = {}
        baselines: dict[str, float] = {}
        coarse = _matvec(self.chunk_matrix, query) if self.ann is None else None
        jobs = []
        for language, positions in self.by_language.items():
            if allowed is not None:
                positions = positions[allowed[positions]]
            if len(positions):
                jobs.append((language, positions, depth, query, coarse, allowed, calibrate))
        if coarse is None and len(jobs) > 1:  # at scale the smaller languages run beside the largest
            largest = max(range(len(jobs)), key=lambda number: len(jobs[number][1]))
            started = {number: overlap.start(self._language, *job) for number, job in enumerate(jobs)
                       if number != largest}
            results = {largest: self._language(*jobs[largest])}
            results.update({number: future.result() for number, future in started.items()})
        else:
            results = {number: self._language(*job) for number, job in enumerate(jobs)}
        for number, job in enumerate(jobs):
            language, (raw, found, median) = job[0], results[number]
            sentences.update(found)
            ranked = sorted(raw, key=lambda p: (-raw[p], p))
            # The language's bias for this question: twice (a chunk's score is two
            # cosines) the median coarse score of all its chunks, most of which are
            # about something else whatever the question.
            baseline = 2 * median if calibrate else 0.0
            baselines[language] = float(np.mean([sentences[p].max() for p in ranked[:CALIBRATION_DEPTH]
                                                 if len(sentences[p])] or [0.0]))
            for position in ranked[:depth]:
                calibrated[position] = raw[position] - baseline
        return calibrated, sentences, baselines

    def _language(self, language: str, positions: np.ndarray, depth: int, query: np.ndarray,
                  coarse: np.ndarray | None, allowed: np.ndarray | None,
                  calibrate: bool) -> tuple[dict[int, float], dict[int, np.ndarray], float]:
        """One language's best `2 * depth` chunks (of `positions`): their raw scores,
        their sentence cosines, and the language's median coarse score."""
        take = min(len(positions), 2 * depth)
        found: dict[int, np.ndarray] = {}
        if coarse is not None:
            best = positions[np.argpartition(-coarse[positions], take - 1)[:take]] if take < len(positions) \
                else positions
            median = float(np.median(coarse[positions])) if calibrate else 0.0
            return self._rescore_many(best, coarse[best], query, found), found, median
        best, scores, median = self._approximate(language, positions, allowed, take, query, calibrate)
        return self._rescore_many(best, scores, query, found), found, median

    def _approximate(self, language: str, positions: np.ndarray, allowed: np.ndarray | None, take: int,
                     query: np.ndarray, calibrate: bool) -> tuple[np.ndarray, np.ndarray, float]:
        """A language's best `take` chunks and their cosines with the chunk vectors, from
        its index's shortlist re-scored exactly (a scan when few chunks are allowed), and
        its median coarse score over a sample of its chunks."""
        index = self.ann.get(language, self.ann.get("*"))
        if len(positions) <= self.scan or index is None:  # (a language with no index of its own: scanned)
            coarse = self._scores(language, positions, allowed, query)  # (at most 15 MB kept)
            order = np.sort(np.argpartition(-coarse, take - 1)[:take]) if take < len(positions) \
                else np.arange(len(positions))
            return positions[order], coarse[order], float(np.median(coarse)) if calibrate else 0.0
        if language in self.ann:  # the language's own index: only dates filter
            mask, bits, probes = allowed, None, self.probes.get(language, 0)
        else:  # one index of every language (format 3): the language's filter, made once
            mask, bits = self._language_filter(language, self.by_language[language])
            if allowed is not None:
                mask, bits = (allowed if mask is None else mask & allowed), None
            probes = self.probes.get("*", 0)
        found, _ = ann_search(index, query, max(take, self.shortlists.get(language, 0)), mask, probes,
                              allowed_count=len(positions), bits=bits)
        found = np.sort(found.astype(np.int64))  # in file order: the rows are read in one pass
        scores = _products(self.chunk_matrix, query, found)
        if len(found) > take:  # the shortlist, re-scored exactly
            order = np.sort(np.argpartition(-scores, take - 1)[:take])
            found, scores = found[order], scores[order]
        median = 0.0
        if calibrate:
            sample = positions if len(positions) <= self.median_sample else \
                positions[np.linspace(0, len(positions) - 1, self.median_sample).astype(np.int64)]
            values = self._scores(language, sample, allowed, query)
            median = float(np.median(values))
            mean = self.means.get(language)
            if mean is not None and allowed is None and len(sample) < len(positions):
                # The sample's median, corrected by how far the sample's mean stands from
                # the language's (known exactly: its mean chunk vector's cosine). The two
                # errors go together, so the estimate's error is about 0.6 of the plain
                # sample median's (a sample twice as large) at no cost.
                median += float(mean @ query) - float(values.mean(dtype=np.float64))
        return found, scores, median

    def _scores(self, language: str, rows: np.ndarray, allowed: np.ndarray | None, query: np.ndarray) -> np.ndarray:
        """The cosines of the chunk vectors `rows` of a language with the question. With
        no date filter they are the same rows for every question (a small language's
        chunks, or a large one's median sample): gathered once as float32 and kept;
        with one, read where they lie."""
        if allowed is not None:
            return _products(self.chunk_matrix, query, rows)
        if language not in self._samples:
            self._samples[language] = np.ascontiguousarray(self.chunk_matrix[rows], dtype=np.float32)
        return _products(self._samples[language], query)

    def _language_filter(self, language: str, positions: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """A language's chunk mask and its packed bits for FAISS, made on first use (a
        comparison of a million language codes costs milliseconds a question); no
        filter when every chunk is of that language."""
        if len(positions) == len(self.languages):
            return None, None
        if language not in self._filters:
            mask = self.languages == language
            self._filters[language] = (mask, np.packbits(mask, bitorder="little"))
        return self._filters[language]

    def _rescore_many(self, positions: np.ndarray, coarse: np.ndarray, query: np.ndarray,
                      sentences: dict[int, np.ndarray]) -> dict[int, float]:
        """Raw dense scores of many chunks at once (one matrix product over all their
        sentences), storing each one's sentence cosines in `sentences`. `coarse`: the
        chunks' cosines with their mean vectors, aligned with `positions`."""
        keep = self.stops[positions] > self.starts[positions]
        positions, coarse = positions[keep], coarse[keep]
        if not len(positions):
            return {}
        starts = self.starts[positions]
        lengths = self.stops[positions] - starts
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        rows = np.repeat(starts - offsets, lengths) + np.arange(int(offsets[-1] + lengths[-1]))  # every sentence's row
        cosines = _matvec(as_float32(self.sentence_matrix[rows]), query)
        best = np.maximum.reduceat(cosines, offsets)
        raw = {}
        for position, offset, length, chunk, sentence in zip(positions.tolist(), offsets.tolist(), lengths.tolist(),
                                                             coarse.tolist(), best.tolist()):
            sentences[position] = cosines[offset:offset + length]
            raw[position] = chunk + sentence
        return raw

    def rescore(self, position: int, query: np.ndarray) -> np.ndarray:
        """Sentence cosines of a chunk that the dense search did not bring."""
        return self.chunk_score(position, query)[1]


def language_baselines(ranked: list[int], languages: list[str], rescore) -> dict[str, float]:
    """For each language, the mean best-sentence cosine of its first
    `CALIBRATION_DEPTH` chunks in `ranked` (their `languages`), each chunk's sentence
    cosines given by `rescore(position)`: what `DenseScorer.search` returns for the
    vector it ranked with, for a second vector (`Settings.score_sentences_alone`)."""
    chosen: dict[str, list[int]] = {}
    for position, language in zip(ranked, languages):
        if len(chosen.setdefault(language, [])) < CALIBRATION_DEPTH:
            chosen[language].append(position)
    baselines = {}
    for language, positions in chosen.items():
        best = [scores.max() for scores in map(rescore, positions) if len(scores)]
        baselines[language] = float(np.mean(best or [0.0]))
    return baselines
