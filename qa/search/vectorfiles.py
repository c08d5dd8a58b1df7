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
new vectors are added to the trained lists without retraining (an added release
costs an assignment, not a rebuild), and HNSW found 0.68-0.95 of a scan's top 10
where IVF found 1.000 (250k synthetic chunks, see the README).

One IVF index per language (`vectors-ja.faiss`, ...; ids are chunk positions): the
dense stage takes each language's candidates separately, and with one index for all
languages a language of 10% of the chunks had to probe 10 times the lists through a
filter (at 1M chunks its search took 6.1 ms against 2.9 ms for the other). A
language of at most `scan` chunks has no index: it is scanned. Probes are widened
only when a date filter lets few chunks through. Indexes of format 3 (one
`vectors.faiss` for every language, `"lists"` in the manifest) are read as before.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

SENTENCES_NAME = "sentences.npy"
# The sentence-vector files of a build, in order (an add links the previous build's
# files and writes one more for its new sentences).
SENTENCE_PARTS_NAME = "sentence_parts.json"
CHUNK_VECTORS_NAME = "chunk_vectors.npy"
ANN_NAME = "vectors.faiss"
# Chunks above which the chunk vectors are searched through IVF rather than scanned.
EXACT_LIMIT = 50_000


def plan(count: int, limit: int = EXACT_LIMIT, languages: dict[str, int] | None = None) -> dict:
    """The dense structure for `count` chunks (`languages`: chunks of each language),
    as recorded in the manifest."""
    if count <= limit:
        return {"kind": "exact", "limit": limit}
    # "scan": a language (or date range) with at most this many chunks is scanned.
    scan = min(10_000, limit // 5)
    return {"kind": "ivf", "limit": limit, "quantizer": "fp16", "scan": scan,
            "languages": {language: lists_and_probes(lists_for(number))
                          for language, number in sorted((languages or {"": count}).items()) if number > scan}}


def lists_for(count: int) -> int:
    """About 32 chunks a list: a list then mixes few releases' topics (4·√N lists, 244
    chunks a list at 1M, found 0.70 of a scan's top 10 with 256 probes; see the README)."""
    return max(1, min(int(2 ** round(math.log2(max(count / 32, 1)))), count // 30, 65_536))


def lists_and_probes(lists: int) -> dict:
    """A sixteenth of the lists probed, at least 256: at 1M synthetic chunks in 32,768
    lists, 256 / 1,024 / 2,048 probes found 0.946 / 0.973 / 0.983 of a scan's top 10."""
    return {"lists": lists, "probes": min(lists, max(256, lists // 16))}


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


def extend_anns(matrix: np.ndarray, layout: dict, languages: np.ndarray, previous: dict | None,
                kept: int) -> tuple[dict | None, dict]:
    """The IVF indexes of a build whose first `kept` chunks are those of a previous
    build with indexes `previous` (an add), and its plan as built. A language whose
    index held exactly its kept chunks keeps it: its new chunks are added to the
    trained lists (its list count stays, recorded in the plan), unless it has grown
    fourfold since (then, like a new language, it is trained)."""
    if layout["kind"] != "ivf":
        return None, layout
    indexes, records = {}, {}
    for language, record in layout["languages"].items():
        positions = np.flatnonzero(languages == language)
        old = (previous or {}).get(language)
        before = int(np.searchsorted(positions, kept))
        if old is not None and old.ntotal == before and 4 * before >= len(positions):
            import faiss

            index = faiss.clone_index(old)
            add_to_ann(index, matrix, positions[before:])
            record = lists_and_probes(index.nlist)
        else:
            index = train_ann(matrix, positions, record["lists"])
        indexes[language], records[language] = index, record
    return indexes, {**layout, "languages": records}


def train_ann(matrix: np.ndarray, positions: np.ndarray, lists: int, progress=None):
    """An IVF index of `lists` lists (k-means of up to 32 rows a list) holding the rows
    `positions` of `matrix`, with their positions as ids."""
    import faiss

    dim = matrix.shape[1]
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(quantizer, dim, lists, faiss.ScalarQuantizer.QT_fp16,
                                          faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = 10
    index.cp.min_points_per_centroid = 1  # about 32 rows a list, by design: no warning on stderr
    sample = positions[np.linspace(0, len(positions) - 1, min(len(positions), 32 * lists)).astype(np.int64)]
    index.train(np.ascontiguousarray(matrix[sample], dtype=np.float32))
    add_to_ann(index, matrix, positions, progress)
    return index


def add_to_ann(index, matrix: np.ndarray, positions: np.ndarray, progress=None, block: int = 65_536) -> None:
    """Append the rows `positions` of `matrix` to a trained IVF index, ids = positions."""
    for start in range(0, len(positions), block):
        chosen = np.asarray(positions[start:start + block], dtype=np.int64)
        index.add_with_ids(np.ascontiguousarray(matrix[chosen], dtype=np.float32), chosen)
        if progress is not None:
            progress(len(chosen))


def probes_of(layout: dict) -> dict[str, int]:
    """Probes per language key of `load_anns` ("*": one index for every language)."""
    if "languages" in layout:
        return {language: int(record["probes"]) for language, record in layout["languages"].items()}
    return {"*": int(layout.get("probes", 0))}


def ann_name(language: str) -> str:
    return ANN_NAME if language == "*" else f"vectors-{language or 'und'}.faiss"


def save_anns(indexes: dict, folder: Path) -> None:
    import faiss

    for language, index in indexes.items():
        faiss.write_index(index, str(folder / ann_name(language)))


def load_anns(folder: Path, layout: dict) -> dict | None:
    """The IVF indexes a build's plan names, by language ("*": one index for every
    language, format 3); None for an exact plan."""
    import faiss

    if layout.get("kind") != "ivf":
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
