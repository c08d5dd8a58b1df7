"""BM25 postings built from a stream of tokenized chunks, in bm25s's own format.

Design choice: bm25s takes the whole corpus as Python lists of tokens, which at a
million chunks (about 110 million tokens) needs more memory than the machine has. Here
each chunk's tokens become (chunk, token id, count) rows in numpy buffers as they come,
and the BM25 impacts are computed once at the end, in the order and precision bm25s
uses for its "lucene" method (float64 arithmetic, float32 result): an index built
here scores exactly as one built by bm25s. The result is saved as bm25s saves it, so
`bm25s.BM25.load(..., mmap=True)` reads it, plus the raw counts and chunk lengths, so
later builds (a delta segment, a compaction) can recompute impacts without
tokenizing again.

Corpus statistics can come from outside (`Background`): a delta segment added to a
large index is scored with the document frequencies, chunk count and average length
of the whole index, as if it had been built with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

K1 = 1.5
B = 0.75
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Background:
    """Statistics of the rest of an index: chunk count, total tokens, and the
    document frequency of a token (0 when absent)."""
    documents: int
    tokens: int
    frequency: Callable[[str], int]


@dataclass
class Postings:
    vocabulary: dict[str, int]
    data: np.ndarray      # float32 impacts, column by column (token by token)
    indices: np.ndarray   # int32 chunk numbers
    indptr: np.ndarray    # int32 (or int64) column starts
    counts: np.ndarray    # uint16 term counts, aligned with data
    lengths: np.ndarray   # int32 tokens per chunk

    @property
    def size(self) -> int:
        return len(self.lengths)


class _Buffer:
    """A growing numpy array filled block by block."""

    def __init__(self, dtype):
        self.blocks: list[np.ndarray] = []
        self.current = np.empty(_BLOCK, dtype=dtype)
        self.used = 0

    def extend(self, values: np.ndarray) -> None:
        while len(values):
            room = len(self.current) - self.used
            if room == 0:
                self.blocks.append(self.current)
                self.current = np.empty(_BLOCK, dtype=self.current.dtype)
                self.used, room = 0, _BLOCK
            take = values[:room]
            self.current[self.used:self.used + len(take)] = take
            self.used += len(take)
            values = values[room:]

    def array(self) -> np.ndarray:
        return np.concatenate(self.blocks + [self.current[:self.used]])


def idf(frequency: int, documents: int) -> float:
    """bm25s's "lucene" inverse document frequency."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def build_postings(token_lists: Iterable[list[str]], background: Background | None = None,
                   progress: Callable[[int], None] | None = None) -> Postings:
    """Postings of chunks given as token lists (an empty chunk counts the empty token,
    as bm25s does)."""
    vocabulary: dict[str, int] = {}
    chunk_numbers, token_ids, counts, lengths = _count_rows(token_lists, vocabulary, 0, progress)
    return impacts(vocabulary, chunk_numbers, token_ids, counts, np.array(lengths, dtype=np.int32), background)


def _count_rows(token_lists: Iterable[list[str]], vocabulary: dict[str, int], start: int,
                progress: Callable[[int], None] | None = None):
    """The (chunk, token id, count) rows of chunks numbered from `start`, and each
    chunk's length; new tokens are added to `vocabulary`. Counts are capped at 65,535."""
    chunk_numbers, token_ids, counts = _Buffer(np.int32), _Buffer(np.int32), _Buffer(np.uint16)
    lengths: list[int] = []
    for number, tokens in enumerate(token_lists, start=start):
        tokens = tokens or [""]
        local: dict[int, int] = {}
        for token in tokens:
            identifier = vocabulary.setdefault(token, len(vocabulary))
            local[identifier] = local.get(identifier, 0) + 1
        chunk_numbers.extend(np.full(len(local), number, dtype=np.int32))
        token_ids.extend(np.fromiter(local.keys(), dtype=np.int32, count=len(local)))
        counts.extend(np.minimum(np.fromiter(local.values(), dtype=np.int64, count=len(local)), 65535))
        lengths.append(len(tokens))
        if progress is not None and (number - start) % 1000 == 999:
            progress(1000)
    return chunk_numbers.array(), token_ids.array(), counts.array(), lengths


def impacts(vocabulary: dict[str, int], chunk_numbers: np.ndarray, token_ids: np.ndarray, counts: np.ndarray,
            lengths: np.ndarray, background: Background | None = None) -> Postings:
    """The BM25 impact of every (chunk, token) row, sorted into columns."""
    frequencies = np.bincount(token_ids, minlength=len(vocabulary)).astype(np.int64)
    documents = len(lengths)
    total = int(lengths.astype(np.int64).sum())
    if background is not None:
        tokens = list(vocabulary)
        frequencies = frequencies + np.array([background.frequency(token) for token in tokens], dtype=np.int64)
        documents += background.documents
        total += background.tokens
    # As bm25s: the mean length is a numpy float64, the idf a float32 per token, and
    # the term-frequency part is computed in float64 before the float32 result.
    average = np.float64(total) / np.float64(documents) if documents else np.float64(1.0)
    idf_array = np.array([idf(int(frequency), documents) if frequency else 0.0 for frequency in frequencies],
                         dtype=np.float32)
    chunk_lengths = lengths.astype(np.float64)[chunk_numbers]
    tf = counts.astype(np.float64)
    part = tf / (K1 * ((1 - B) + B * chunk_lengths / average) + tf)
    data = (idf_array[token_ids].astype(np.float64) * part).astype(np.float32)
    order = np.lexsort((chunk_numbers, token_ids))
    column_sizes = np.bincount(token_ids, minlength=len(vocabulary))
    index_type = np.int32 if len(order) < 2 ** 31 else np.int64
    indptr = np.concatenate([[0], np.cumsum(column_sizes)]).astype(index_type)
    return Postings(vocabulary, data[order], chunk_numbers[order].astype(np.int32), indptr,
                    counts[order].astype(np.uint16), lengths)


def extend_postings(old: Postings, token_lists: Iterable[list[str]]) -> Postings:
    """The postings of `old`'s chunks followed by new ones, without tokenizing the old
    chunks again: their raw counts and lengths are kept (`counts`, `lengths`), the new
    rows are merged into each token's column without sorting the old ones, and all
    impacts are recomputed with the new corpus statistics. The same arrays as a build
    over all the chunks in this order (tested)."""
    vocabulary = dict(old.vocabulary)
    new_chunks, new_tokens, new_counts, lengths = _count_rows(token_lists, vocabulary, old.size)
    columns = len(vocabulary)
    old_pointers = np.asarray(old.indptr, dtype=np.int64)
    old_sizes = np.zeros(columns, dtype=np.int64)
    old_sizes[:len(old_pointers) - 1] = np.diff(old_pointers)
    new_sizes = np.bincount(new_tokens, minlength=columns).astype(np.int64)
    pointers = np.concatenate([[0], np.cumsum(old_sizes + new_sizes)])
    total = int(pointers[-1])
    # Old rows move by the new rows of the columns before theirs; new rows follow the
    # old ones of their column, in chunk order (they come in chunk order).
    old_rows = len(old.indices)
    old_tokens = np.repeat(np.arange(columns, dtype=np.int64), old_sizes)
    old_starts = np.concatenate([[0], np.cumsum(old_sizes)[:-1]])
    old_destination = np.arange(old_rows, dtype=np.int64) + (pointers[:-1] - old_starts)[old_tokens]
    order = np.argsort(new_tokens, kind="stable")
    sorted_tokens = new_tokens[order].astype(np.int64)
    new_starts = np.concatenate([[0], np.cumsum(new_sizes)[:-1]])
    rank = np.arange(len(order), dtype=np.int64) - new_starts[sorted_tokens]
    new_destination = pointers[sorted_tokens] + old_sizes[sorted_tokens] + rank
    indices = np.empty(total, dtype=np.int32)
    indices[old_destination] = old.indices
    indices[new_destination] = new_chunks[order]
    merged_counts = np.empty(total, dtype=np.uint16)
    merged_counts[old_destination] = old.counts
    merged_counts[new_destination] = new_counts[order]
    all_lengths = np.concatenate([np.asarray(old.lengths, dtype=np.int32), np.array(lengths, dtype=np.int32)])
    row_tokens = np.repeat(np.arange(columns, dtype=np.int64), old_sizes + new_sizes)
    data = _impact_values(old_sizes + new_sizes, row_tokens, indices, merged_counts, all_lengths)
    index_type = np.int32 if total < 2 ** 31 else np.int64
    return Postings(vocabulary, data, indices, pointers.astype(index_type), merged_counts, all_lengths)


def _impact_values(frequencies: np.ndarray, row_tokens: np.ndarray, row_chunks: np.ndarray, counts: np.ndarray,
                   lengths: np.ndarray) -> np.ndarray:
    """BM25 impacts of rows (as `impacts` computes them, with no background)."""
    documents = len(lengths)
    average = np.float64(int(lengths.astype(np.int64).sum())) / np.float64(documents) if documents \
        else np.float64(1.0)
    idf_array = np.array([idf(int(frequency), documents) if frequency else 0.0 for frequency in frequencies],
                         dtype=np.float32)
    tf = counts.astype(np.float64)
    part = tf / (K1 * ((1 - B) + B * lengths.astype(np.float64)[row_chunks] / average) + tf)
    return (idf_array[row_tokens].astype(np.float64) * part).astype(np.float32)
