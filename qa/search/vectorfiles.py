"""The vector files of an index: memory-mapped arrays, and an IVF index above a size.

Design choice: sentence vectors are only read (the exact rescoring of a few hundred
candidates' sentences), never searched, so they are stored as one float16 array
(`sentences.npy`, half of float32; the embedder itself is 4-bit) and memory-mapped:
a million chunks' 17 million sentence vectors (13 GB) stay on disk and only the
rows of the candidates are paged in. Chunk vectors are one float32 array
(`chunk_vectors.npy`), memory-mapped too. Chunk vectors are always computed from the
float16-rounded sentence vectors, so a full build and an add give the same numbers.

Up to `EXACT_LIMIT` chunks the dense stage scans every chunk vector (exact, as
before: a 50,000 x 384 product costs a few milliseconds). Above it, `plan` chooses an
inverted-file index (FAISS IVF, fp16 scalar-quantized lists, inner product) and the
choice, its list count and probe count are recorded in the manifest. IVF over HNSW:
it trains in about a minute at a million chunks where HNSW takes many, and new
vectors are added to the trained lists without retraining (an added release costs
an assignment, not a rebuild); probes are widened when a filter (language, dates)
lets few chunks through.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

SENTENCES_NAME = "sentences.npy"
CHUNK_VECTORS_NAME = "chunk_vectors.npy"
ANN_NAME = "vectors.faiss"
# Chunks above which the chunk vectors are searched through IVF rather than scanned.
EXACT_LIMIT = 50_000


def plan(count: int, limit: int = EXACT_LIMIT) -> dict:
    """The dense structure for `count` chunks, as recorded in the manifest."""
    if count <= limit:
        return {"kind": "exact", "limit": limit}
    lists = max(1, min(int(2 ** round(math.log2(4 * math.sqrt(count)))), count // 39))
    # "scan": a language (or date range) with at most this many chunks is scanned.
    return {"kind": "ivf", "limit": limit, "lists": lists, "probes": min(lists, max(64, lists // 16)),
            "quantizer": "fp16", "scan": min(10_000, limit // 5)}


def half(vectors: np.ndarray) -> np.ndarray:
    """Sentence vectors as stored (float16)."""
    return np.asarray(vectors, dtype=np.float16)


def save_array(path: Path, array: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def load_array(path: Path) -> np.ndarray:
    """A saved array, memory-mapped read-only."""
    return np.load(path, mmap_mode="r", allow_pickle=False)


def build_ann(matrix: np.ndarray, layout: dict, progress=None):
    """The trained IVF index of `matrix` (float32 rows, normalized), or None when the
    plan is exact. Rows are added in blocks (`progress(count)` after each)."""
    if layout["kind"] != "ivf":
        return None
    import faiss

    count, dim = matrix.shape
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dim, layout["lists"], faiss.ScalarQuantizer.QT_fp16,
                                          faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = 10
    sample = min(count, 40 * layout["lists"])
    rows = np.linspace(0, count - 1, sample).astype(np.int64)
    index.train(np.ascontiguousarray(matrix[rows], dtype=np.float32))
    index.nprobe = layout["probes"]
    add_to_ann(index, matrix, progress)
    return index


def add_to_ann(index, matrix: np.ndarray, progress=None, block: int = 65_536) -> None:
    """Append rows to a trained IVF index (ids continue from `index.ntotal`)."""
    for start in range(0, len(matrix), block):
        part = np.ascontiguousarray(matrix[start:start + block], dtype=np.float32)
        index.add(part)
        if progress is not None:
            progress(len(part))


def save_ann(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_ann(path: Path):
    import faiss

    return faiss.read_index(str(path))


def ann_search(index, query: np.ndarray, k: int, mask: np.ndarray | None, probes: int,
               allowed_count: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The approximate best `k` rows (ids, inner products) among those `mask` lets
    through. Probes widen in proportion to how few rows the mask allows."""
    import faiss

    total = index.ntotal
    if mask is not None:
        allowed_count = int(mask.sum()) if allowed_count is None else allowed_count
        widened = int(probes * total / max(allowed_count, 1))
        bits = np.packbits(mask, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
        parameters = faiss.SearchParametersIVF(sel=selector, nprobe=min(index.nlist, max(probes, widened)))
    else:
        parameters = faiss.SearchParametersIVF(nprobe=probes)
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=parameters)
    found = ids[0] >= 0
    return ids[0][found], scores[0][found]
