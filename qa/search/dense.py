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

# The answerer's per-language sentence baseline: the mean best sentence of this many
# of a language's best chunks.
CALIBRATION_DEPTH = 10


def _matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector in one thread. numpy's BLAS spreads a product of this size over
    threads that then spin and take the cores from the next question's embedding
    (measured: with the BLAS product, retrieve() on 10k chunks used 2-5x the CPU of
    embedding the question; einsum's own loop is as fast here and stays on one core)."""
    return np.einsum("ij,j->i", matrix, vector)


class DenseScorer:
    """Chunk and sentence vectors of an index, scored against a question vector."""

    def __init__(self, chunk_matrix: np.ndarray, sentence_matrix: np.ndarray, sentence_ranges: list[range],
                 languages: list[str]):
        self.chunk_matrix = chunk_matrix
        self.sentence_matrix = sentence_matrix
        self.sentence_ranges = sentence_ranges
        self.starts = np.array([ids.start for ids in sentence_ranges], dtype=np.int64)
        self.stops = np.array([ids.stop for ids in sentence_ranges], dtype=np.int64)
        self.languages = np.array(languages)
        self.by_language = {language: np.flatnonzero(self.languages == language)
                            for language in sorted(set(languages))}

    def chunk_score(self, position: int, query: np.ndarray) -> tuple[float, np.ndarray]:
        """Raw dense score of one chunk, and the cosine of each of its sentences."""
        ids = self.sentence_ranges[position]
        vectors = self.sentence_matrix[ids.start:ids.stop]
        if not len(vectors):
            return 0.0, np.zeros(0, dtype=np.float32)
        scores = vectors @ query
        return float(self.chunk_matrix[position] @ query) + float(scores.max()), scores

    def search(self, query: np.ndarray, depth: int, allowed: np.ndarray | None = None,
               calibrate: bool = True) -> tuple[dict[int, float], dict[int, np.ndarray], dict[str, float]]:
        """The best `depth` chunks of each language with their calibrated scores, each
        one's sentence cosines, and for each language the mean best-sentence cosine of
        its best chunks (what a sentence of that language typically scores for this
        question; the answerer compares sentences across languages with it). Only
        chunks that `allowed` (a mask) lets through are searched."""
        coarse = _matvec(self.chunk_matrix, query)
        calibrated: dict[int, float] = {}
        sentences: dict[int, np.ndarray] = {}
        baselines: dict[str, float] = {}
        for language, positions in self.by_language.items():
            if allowed is not None:
                positions = positions[allowed[positions]]
            if not len(positions):
                continue
            take = min(len(positions), 2 * depth)
            best = positions[np.argpartition(-coarse[positions], take - 1)[:take]] if take < len(positions) \
                else positions
            raw = self._rescore_many(best, coarse, query, sentences)
            ranked = sorted(raw, key=lambda p: (-raw[p], p))
            # The language's bias for this question: twice (a chunk's score is two
            # cosines) the median coarse score of all its chunks, most of which are
            # about something else whatever the question.
            baseline = 2 * float(np.median(coarse[positions])) if calibrate else 0.0
            baselines[language] = float(np.mean([sentences[p].max() for p in ranked[:CALIBRATION_DEPTH]
                                                 if len(sentences[p])] or [0.0]))
            for position in ranked[:depth]:
                calibrated[position] = raw[position] - baseline
        return calibrated, sentences, baselines

    def _rescore_many(self, positions: np.ndarray, coarse: np.ndarray, query: np.ndarray,
                      sentences: dict[int, np.ndarray]) -> dict[int, float]:
        """Raw dense scores of many chunks at once (one matrix product over all their
        sentences), storing each one's sentence cosines in `sentences`."""
        positions = positions[self.stops[positions] > self.starts[positions]]
        if not len(positions):
            return {}
        lengths = self.stops[positions] - self.starts[positions]
        rows = np.concatenate([np.arange(start, stop) for start, stop in
                               zip(self.starts[positions], self.stops[positions])])
        cosines = _matvec(self.sentence_matrix[rows], query)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        best = np.maximum.reduceat(cosines, offsets)
        raw = {}
        for index, position in enumerate(positions.tolist()):
            sentences[position] = cosines[offsets[index]:offsets[index] + lengths[index]]
            raw[position] = float(coarse[position]) + float(best[index])
        return raw

    def rescore(self, position: int, query: np.ndarray) -> np.ndarray:
        """Sentence cosines of a chunk that the dense search did not bring."""
        return self.chunk_score(position, query)[1]
