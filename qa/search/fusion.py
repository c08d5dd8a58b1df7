"""Fusing the dense, lexical and time rankings.

Design choice: weighted reciprocal-rank fusion. Ranks, not raw scores, are fused,
because calibrated cosines, BM25 scores and release dates live on unrelated scales.
A ranking is a list of tiers: chunks in one tier share a rank (all chunks of one
release date are equally "latest"). `RRF_K` is small, so a chunk that one ranking
puts first keeps most of its lead when the other ranking disagrees: with the usual
k=60 a lexical first place and a dense 16th place sum to little more than two 8th
places, and a passage that BM25 alone finds by its exact name (ispace EUROPE's CEO)
fell out of the top 3. The README has the sweep.
"""

from __future__ import annotations

import numpy as np

RRF_K = 10


def ranking(scores: np.ndarray, candidates: np.ndarray | None, limit: int) -> list[int]:
    """The `limit` best of `candidates` (None: every chunk) by score, best first;
    zero scores dropped."""
    if candidates is None:  # every chunk: no gather of a million scores
        candidates = np.flatnonzero(scores >= _floor(scores, limit))
        candidate_scores = scores[candidates]
    else:
        if len(candidates) == 0:
            return []
        candidate_scores = scores[candidates]
        keep = candidate_scores > 0
        candidates, candidate_scores = candidates[keep], candidate_scores[keep]
    if 0 < limit < len(candidates) // 4:
        # At scale most chunks share some common word: keep those scoring at least the
        # limit-th best (ties included) before sorting; the same result as sorting all.
        threshold = np.partition(candidate_scores, len(candidate_scores) - limit)[len(candidate_scores) - limit]
        keep = candidate_scores >= threshold
        candidates, candidate_scores = candidates[keep], candidate_scores[keep]
    order = np.argsort(-candidate_scores, kind="stable")[:limit]
    return [int(position) for position in candidates[order]]


def _floor(scores: np.ndarray, limit: int, stride: int = 64) -> float:
    """A score the `limit` best are sure to reach, found cheaply: the limit-th best of
    every `stride`-th score (at least `limit` scores reach it, so the limit best do),
    and never below the smallest positive score. At 1M chunks, most of which share a
    common word, this cut the ranking from 2.3 to 0.5 ms a question."""
    sample = scores[::stride]
    if 0 < limit < len(sample):
        cut = float(np.partition(sample, len(sample) - limit)[len(sample) - limit])
        if cut > 0:
            return cut
    return float(np.finfo(np.float32).tiny)


def as_tiers(ranked: list[int]) -> list[list[int]]:
    return [[position] for position in ranked]


def reciprocal_rank_fusion(rankings: list[tuple[list[list[int]], float]], k: int = RRF_K) -> dict[int, float]:
    """Sum of weight / (k + rank) over every ranking a chunk appears in; rank counts
    tiers from 1."""
    fused: dict[int, float] = {}
    for tiers, weight in rankings:
        if weight <= 0:
            continue
        for rank, tier in enumerate(tiers, start=1):
            for position in tier:
                fused[position] = fused.get(position, 0.0) + weight / (k + rank)
    return fused


# A passage whose sentences are at least this share of another release's passage
# ranked above it is a reprint of it.
DUPLICATE_SHARE = 0.6


def collapse_duplicates(positions: list[int], chunks: list) -> list[int]:
    """`positions` (best first, with their `chunks`), reprints moved to the end: the
    same news carried by two releases or a news site must not fill the top places
    while another release holds the answer. Sentences are compared after NFKC without
    white space; passages of one release are never each other's reprints."""
    from ..ingest.normalize import squash

    kept, later, seen = [], [], []
    for position, chunk in zip(positions, chunks):
        sentences = {squash(chunk.text[start:end]) for start, end in chunk.sentences if end - start >= 20}
        duplicate = sentences and any(path != chunk.path and len(sentences & other) >= DUPLICATE_SHARE * len(sentences)
                                      for path, other in seen)
        (later if duplicate else kept).append(position)
        seen.append((chunk.path, sentences))
    return kept + later


# The other language's best passage is shown among the first three (see
# `balance_languages`); with `days`, only when its release is dated within that many
# days of one of the best passages' (the same event told in both languages).
BALANCED_TOP = 3


def balance_languages(positions: list[int], chunks: list, top: int = BALANCED_TOP,
                      days: int | None = None) -> list[int]:
    """`positions` (best first, with their `chunks`), with the best passage in the
    other language moved to place `top` when the first `top` are all in one language
    (and, with `days`, when its release is dated within `days` of one of the first
    `top - 1`): the same fact is often told in only one language's release, and e5
    ranks passages in the question's language first whatever they say. On the 18
    development sets (2,075 questions) the date rule of a week gave recall@3 0.755
    (cross-lingual 0.54) and no date rule 0.785 (0.68); docs/quality.md has the table."""
    if len(positions) <= top or len({chunk.language for chunk in chunks[:top]}) > 1:
        return positions
    import datetime

    def day(chunk):
        return datetime.date.fromisoformat(chunk.doc_date[:10]) if chunk.doc_date else None

    leading = [day(chunk) for chunk in chunks[:top - 1] if chunk.doc_date]
    language = chunks[0].language
    for index in range(top, len(positions)):
        chunk = chunks[index]
        if chunk.language == language:
            continue
        when = day(chunk)
        if days is None or (when is not None and any(abs((when - other).days) <= days for other in leading)):
            moved = positions[index]
            rest = positions[:index] + positions[index + 1:]
            return rest[:top - 1] + [moved] + rest[top - 1:]
        return positions  # the best passage in the other language is about something else
    return positions
