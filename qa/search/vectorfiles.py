"""The vector files of an index: memory-mapped arrays of chunk and sentence vectors.

Design choice: sentence vectors are only read (the exact rescoring of a few hundred
candidates' sentences), never searched, so they are stored as one float16 array
(`sentences.npy`, half of float32; the embedder itself is 4-bit) and memory-mapped:
a million chunks' 17 million sentence vectors (13 GB) stay on disk and only the
rows of the candidates are paged in. Chunk vectors are one float32 array
(`chunk_vectors.npy`), memory-mapped too. Chunk vectors are always computed from the
float16-rounded sentence vectors, so a full build and an add give the same numbers.

Above a size, each language's chunk vectors also get PQ codes (`search.codes`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

SENTENCES_NAME = "sentences.npy"
# The sentence-vector files of a build, in order (an add links the previous build's
# files and writes one more for its new sentences).
SENTENCE_PARTS_NAME = "sentence_parts.json"
CHUNK_VECTORS_NAME = "chunk_vectors.npy"


class RowStack:
    """Arrays of rows read as one (the sentence vectors of several files): slices and
    integer arrays of row numbers, as numpy would give them."""

    def __init__(self, parts: list):
        self.parts = [part for part in parts if len(part)] or parts[:1]
        self.bounds = np.cumsum([0] + [len(part) for part in self.parts])
        self.shape = (int(self.bounds[-1]), self.parts[0].shape[1])
        self.dtype = self.parts[0].dtype
        self.ndim = 2

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                return self[np.arange(start, stop, step)]
            pieces = [part[max(start - low, 0):max(min(stop - low, len(part)), 0)]
                      for part, low in zip(self.parts, self.bounds[:-1].tolist())
                      if low < stop and low + len(part) > start]
            if not pieces:
                return np.zeros((0, self.shape[1]), dtype=self.dtype)
            return np.concatenate(pieces) if len(pieces) > 1 else np.asarray(pieces[0])
        if np.isscalar(key):
            key = int(key) + (len(self) if key < 0 else 0)
            number = int(np.searchsorted(self.bounds, key, side="right")) - 1
            return self.parts[number][key - self.bounds[number]]
        rows = np.asarray(key, dtype=np.int64)
        out = np.empty((len(rows), self.shape[1]), dtype=self.dtype)
        which = np.searchsorted(self.bounds, rows, side="right") - 1
        for number in np.unique(which).tolist():
            chosen = which == number
            out[chosen] = self.parts[number][rows[chosen] - self.bounds[number]]
        return out

    def __array__(self, dtype=None, copy=None):
        whole = self[0:len(self)]
        return whole if dtype is None else whole.astype(dtype)

    def astype(self, dtype) -> np.ndarray:
        return np.asarray(self, dtype=dtype)

    def copy(self) -> np.ndarray:
        return np.array(self)


def stack(parts: list) -> RowStack:
    """Row arrays (or stacks) read as one."""
    flat = []
    for part in parts:
        flat += part.parts if isinstance(part, RowStack) else [part]
    return RowStack(flat)


@functools.lru_cache(maxsize=1)
def _float16_values() -> np.ndarray:
    return np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)


def as_float32(rows: np.ndarray) -> np.ndarray:
    """Float16 rows (sentence vectors as stored) as float32, by table lookup: numpy's
    cast took 0.9 ms for the 2,000 rows of 384 a question rescores, the lookup 0.5 ms
    on one core. Every float16 is a float32, so the values are the cast's."""
    rows = np.asarray(rows)
    if rows.dtype != np.float16:
        return np.asarray(rows, dtype=np.float32)
    # mode="wrap": every uint16 is a place in the table, and numpy's bounds check costs
    # a quarter of the lookup (1,500 rows: 0.40 ms instead of 0.54).
    return np.take(_float16_values(), np.ascontiguousarray(rows).view(np.uint16), mode="wrap")


def half(vectors):
    """Sentence vectors as stored (float16); memory-mapped float16 parts stay as they are."""
    if isinstance(vectors, RowStack):
        return RowStack([part if part.dtype == np.float16 else np.asarray(part, dtype=np.float16)
                         for part in vectors.parts])
    return np.asarray(vectors, dtype=np.float16)


def save_sentences(folder: Path, vectors) -> None:
    """Write sentence vectors (float16) as one or more files: a part that is a file
    of another build (memory-mapped) is hard-linked (copied where links fail), the
    rest written into one new file. Builds never change a file once written."""
    import os
    import shutil
    import uuid

    parts = vectors.parts if isinstance(vectors, RowStack) else [vectors]
    names, pending = [], []

    def flush() -> None:
        if pending:
            name = SENTENCES_NAME if not names else f"sentences-{uuid.uuid4().hex[:8]}.npy"
            save_array(folder / name, np.concatenate([np.asarray(part, dtype=np.float16) for part in pending]))
            names.append(name)
            pending.clear()

    for part in parts:
        source = getattr(part, "filename", None)
        whole = source is not None and part.dtype == np.float16 and len(part) == np.load(
            source, mmap_mode="r").shape[0] if source else False
        if not whole:
            pending.append(part)
            continue
        flush()
        name = Path(source).name if Path(source).name not in names else f"sentences-{uuid.uuid4().hex[:8]}.npy"
        try:
            os.link(source, folder / name)
        except OSError:
            shutil.copyfile(source, folder / name)
        names.append(name)
    flush()
    if not names:
        save_array(folder / SENTENCES_NAME, np.zeros((0, parts[0].shape[1]), dtype=np.float16))
        names.append(SENTENCES_NAME)
    (folder / SENTENCE_PARTS_NAME).write_text(json.dumps(names))


def load_sentences(folder: Path):
    """The sentence vectors of a build, memory-mapped (one array, or a `RowStack`)."""
    parts_file = folder / SENTENCE_PARTS_NAME
    names = json.loads(parts_file.read_text()) if parts_file.is_file() else [SENTENCES_NAME]
    parts = [load_array(folder / name) for name in names]
    return parts[0] if len(parts) == 1 else RowStack(parts)


def save_array(path: Path, array: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def load_array(path: Path) -> np.ndarray:
    """A saved array, memory-mapped read-only."""
    return np.load(path, mmap_mode="r", allow_pickle=False)


