"""The approximate dense stage above a size: PQ codes of each language's chunk vectors.

Design choice: up to `EXACT_LIMIT` chunks the dense stage scans every chunk vector
(exact: a 50,000 x 384 product costs a few milliseconds). Above it, `plan` chooses,
for each language of more than `scan` chunks, a 4-bit product-quantized copy of its
chunk vectors (FAISS fast-scan PQ, 128 codes of 3 dimensions: 64 bytes a chunk) that
is scanned whole for every question; its best `shortlist` (one in 300 of the
language's chunks, at least 2,000) are then re-scored exactly from the chunk
vectors. The choice is recorded in the manifest, with each language's mean chunk
vector (the dense stage corrects its median sample with it).

Why a scan of codes and not a partition of the space (IVF, HNSW): what decides
recall is how many of the exact top 10 a partition misses, and it misses the chunks
of small topics (a release of two chunks is noise to k-means). At 1M synthetic
chunks the best IVF (one per language, 29,479 + 3,853 lists, a sixteenth probed)
found 0.960 of a scan's top 10 in 6.7 ms, after 22 minutes of k-means. The PQ scan
trains in seconds (an add never retrains; a remove retrains in seconds) and holds
64 MB instead of 768.

Why 3 dimensions a code and not 4 (96 codes, the first plan): what the stage misses
is the noise-level end of a top 10 (a question whose release has fewer than 10
chunks), where a code's error reorders chunks whose cosines differ in the third
decimal. At 1M (804k Japanese chunks) 96 codes with a 2,679 shortlist left the dense
stage at 0.980-0.984 of a scan's top 10 and needed 6,000 to reach 0.990; 128 codes
reach 0.994 at 2,679 (0.9965 with the median corrected) for a scan 0.3-0.5 ms
longer. Codes of 2 dimensions find 1.000 but scan in 4.9 ms. `docs/benchmarks.md`
has every variant. The scan grows with the index (about 3 ms for 804k Japanese
chunks): past a few million chunks, the Milvus store.

One index per language (`vectors-ja.faiss`, ...; ids are chunk positions): the dense
stage takes each language's candidates separately. A date filter is applied inside
the scan. Builds that used IVF (one per language, or one `vectors.faiss` for every
language), or codes of another size, are read and searched as before; their next
add or build makes these codes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ANN_NAME = "vectors.faiss"
# Chunks above which the chunk vectors are searched through PQ codes rather than scanned.
EXACT_LIMIT = 50_000
# Dimensions of a vector each 4-bit PQ code stands for (384 dimensions: 128 codes).
DIMENSIONS_PER_CODE = 3
# A language's best by PQ re-scored exactly: one in `SHORTLIST_SHARE` of its chunks,
# at least `SHORTLIST` (see `shortlist_for` and the module docstring).
SHORTLIST = 2000
SHORTLIST_SHARE = 300
# Rows the PQ codebooks are trained on (4,096 for each of the 16 centroids of a code).
TRAIN_ROWS = 65_536


def plan(count: int, limit: int = EXACT_LIMIT, languages: dict[str, int] | None = None) -> dict:
    """The dense structure for `count` chunks (`languages`: chunks of each language),
    as recorded in the manifest."""
    if count <= limit:
        return {"kind": "exact", "limit": limit}
    # "scan": a language (or date range) with at most this many chunks is scanned.
    scan = min(10_000, limit // 5)
    return {"kind": "pq", "limit": limit, "scan": scan,
            "languages": {language: {"dimensions_per_code": DIMENSIONS_PER_CODE, "bits": 4,
                                     "shortlist": shortlist_for(number)}
                          for language, number in sorted((languages or {"": count}).items()) if number > scan}}


def shortlist_for(count: int) -> int:
    """How many of a language's best by PQ are re-scored exactly: a fixed share of its
    chunks (a code's error ranks a chunk among the chunks of its score, so a share
    keeps recall as the language grows), at least `SHORTLIST` and at most 5 times it."""
    return min(5 * SHORTLIST, max(SHORTLIST, count // SHORTLIST_SHARE))


def extend_anns(matrix: np.ndarray, layout: dict, languages: np.ndarray, previous: dict | None,
                kept: int) -> tuple[dict | None, dict]:
    """The PQ indexes of a build whose first `kept` chunks are those of a previous
    build with indexes `previous` (an add), and its plan as built. A language whose
    index held exactly its kept chunks keeps its trained codebooks: its new chunks are
    encoded and appended, unless it has grown fourfold since or its codes are not of
    the planned size (then, like a new language, or after a remove, it is trained:
    seconds, see `train_pq`). Each language's record also holds its mean chunk vector
    (see `means_of`)."""
    import faiss

    if layout["kind"] != "pq":
        return None, layout
    indexes, records = {}, {}
    for language, record in layout["languages"].items():
        positions = np.flatnonzero(languages == language)
        old = (previous or {}).get(language)
        before = int(np.searchsorted(positions, kept))
        if isinstance(old, faiss.IndexIVFPQFastScan) and old.ntotal == before and 4 * before >= len(positions) \
                and old.pq.M == subquantizers_for(matrix.shape[1]):
            index = faiss.clone_index(old)
            add_to_ann(index, matrix, positions[before:])
        else:
            index = train_pq(matrix, positions)
        indexes[language] = index
        records[language] = {**record, "dimensions_per_code": matrix.shape[1] // int(index.pq.M),
                             "subquantizers": int(index.pq.M), "mean": mean_vector(matrix, positions)}
    return indexes, {**layout, "languages": records}


def mean_vector(matrix: np.ndarray, positions: np.ndarray, block: int = 65_536) -> list[float]:
    """The mean of the rows `positions` of `matrix` (summed in float64, block by block),
    as float32 values for the manifest."""
    total = np.zeros(matrix.shape[1], dtype=np.float64)
    for start in range(0, len(positions), block):
        total += np.asarray(matrix[positions[start:start + block]], dtype=np.float32).sum(axis=0, dtype=np.float64)
    return [float(value) for value in (total / max(len(positions), 1)).astype(np.float32)]


def means_of(layout: dict) -> dict[str, np.ndarray]:
    """Each language's mean chunk vector as its build recorded it (builds before it
    recorded none). The dense stage corrects its median sample with it."""
    return {language: np.asarray(record["mean"], dtype=np.float32)
            for language, record in layout.get("languages", {}).items() if record.get("mean")}


def subquantizers_for(dim: int) -> int:
    """Codes of `DIMENSIONS_PER_CODE` dimensions each (else of 4, 2 or 1, the first
    that divides `dim`)."""
    return next(dim // size for size in (DIMENSIONS_PER_CODE, 4, 2, 1) if dim % size == 0)


def train_pq(matrix: np.ndarray, positions: np.ndarray, progress=None):
    """A 4-bit fast-scan PQ index of the rows `positions` of `matrix`, ids = positions:
    FAISS's IVF form with one list (an IVF of one list is a flat scan of the codes,
    and the IVF form takes ids, a filter and removals, which the plain form does not).
    Codebooks are trained on up to `TRAIN_ROWS` evenly spaced rows."""
    import faiss

    dim = matrix.shape[1]
    index = faiss.IndexIVFPQFastScan(faiss.IndexFlatIP(dim), dim, 1, subquantizers_for(dim), 4,
                                     faiss.METRIC_INNER_PRODUCT)
    index.by_residual = False
    index.cp.min_points_per_centroid = index.pq.cp.min_points_per_centroid = 1  # no warning on stderr
    sample = positions[np.linspace(0, len(positions) - 1, min(len(positions), TRAIN_ROWS)).astype(np.int64)]
    rows = np.ascontiguousarray(matrix[sample], dtype=np.float32)
    if len(rows) < 16:  # a code's 16 centroids need 16 rows: repeated (a tiny language is re-scored whole)
        rows = np.resize(rows, (16, dim))
    index.train(rows)
    add_to_ann(index, matrix, positions, progress)
    return index


def add_to_ann(index, matrix: np.ndarray, positions: np.ndarray, progress=None, block: int = 65_536) -> None:
    """Append the rows `positions` of `matrix` to a trained index, ids = positions."""
    for start in range(0, len(positions), block):
        chosen = np.asarray(positions[start:start + block], dtype=np.int64)
        index.add_with_ids(np.ascontiguousarray(matrix[chosen], dtype=np.float32), chosen)
        if progress is not None:
            progress(len(chosen))


def probes_of(layout: dict) -> dict[str, int]:
    """Probes per language key of `load_anns` ("*": one index for every language);
    a PQ index is one list."""
    if "languages" in layout:
        return {language: int(record.get("probes", 1)) for language, record in layout["languages"].items()}
    return {"*": int(layout.get("probes", 0))}


def shortlists_of(layout: dict) -> dict[str, int]:
    """How many of each language's approximate best are re-scored exactly (0: none)."""
    return {language: int(record.get("shortlist", 0)) for language, record in layout.get("languages", {}).items()}


def ann_name(language: str) -> str:
    return ANN_NAME if language == "*" else f"vectors-{language or 'und'}.faiss"


def save_anns(indexes: dict, folder: Path) -> None:
    import faiss

    for language, index in indexes.items():
        faiss.write_index(index, str(folder / ann_name(language)))


def load_anns(folder: Path, layout: dict) -> dict | None:
    """The indexes a build's plan names, by language: PQ, or IVF as earlier builds
    made them ("*": one IVF index for every language); None for an exact plan."""
    import faiss

    if layout.get("kind") not in ("pq", "ivf"):
        return None
    languages = list(layout["languages"]) if "languages" in layout else ["*"]
    return {language: faiss.read_index(str(folder / ann_name(language))) for language in languages}


def ann_rows(indexes: dict | None) -> int:
    return sum(index.ntotal for index in (indexes or {}).values())


def ann_search(index, query: np.ndarray, k: int, mask: np.ndarray | None, probes: int,
               allowed_count: int | None = None, bits: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The approximate best `k` rows (ids, inner products) among those `mask` lets
    through (`bits`: the mask already packed). Probes widen in proportion to how few
    rows the mask allows."""
    import faiss

    total = index.ntotal
    if mask is not None:
        allowed_count = int(mask.sum()) if allowed_count is None else allowed_count
        widened = int(probes * total / max(allowed_count, 1))
        bits = np.packbits(mask, bitorder="little") if bits is None else bits
        selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
        parameters = faiss.SearchParametersIVF(sel=selector, nprobe=min(index.nlist, max(probes, widened)))
    else:
        parameters = faiss.SearchParametersIVF(nprobe=probes)
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=parameters)
    found = ids[0] >= 0
    return ids[0][found], scores[0][found]
