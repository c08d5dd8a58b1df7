"""The chunks of an index: a list while building, a memory-mapped file once loaded.

Design choice: at a million chunks, Chunk objects (text, sentence spans, strings)
would take gigabytes of heap. A loaded index keeps `chunks.jsonl` memory-mapped,
with the byte offset of every line (`chunk_offsets.npy`), and parses a chunk only
when it is asked for (a few dozen per question, the last 4,096 kept). What a search
needs of every chunk (its sentence range, language, release date and document) is
kept as columns: `chunk_columns.npy` (five int64 columns: first and end sentence,
codes of language, date and path) with the code tables in `chunk_codes.json`. A
table of chunks in memory (a build, an add) has the same interface.
"""

from __future__ import annotations

import functools
import json
import mmap
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .ingest.chunking import Chunk

CHUNKS_NAME = "chunks.jsonl"
OFFSETS_NAME = "chunk_offsets.npy"
COLUMNS_NAME = "chunk_columns.npy"
CODES_NAME = "chunk_codes.json"


class ChunkTable(Sequence):
    """Chunks by position, plus columns over all of them."""

    def __init__(self, columns: np.ndarray, codes: dict, *, chunks: list[Chunk] | None = None,
                 data=None, offsets: np.ndarray | None = None, tail: list[Chunk] | None = None):
        self._chunks = chunks
        self._data = data
        self._offsets = offsets
        # Chunks after those of the file (an add, before it is written).
        self._tail = tail or []
        self._base = len(offsets) - 1 if offsets is not None else 0
        self.columns, self.codes = columns, codes
        self.starts = np.asarray(columns[:, 0], dtype=np.int64)
        self.stops = np.asarray(columns[:, 1], dtype=np.int64)
        self.languages = np.array(codes["languages"] or [""])[columns[:, 2]] if len(columns) else np.array([])
        self.dates = np.array(codes["dates"] + [None], dtype=object)[columns[:, 3]] if len(columns) \
            else np.array([], dtype=object)
        self.date_codes = np.asarray(columns[:, 3], dtype=np.int64)
        self.date_table = list(codes["dates"])
        paths = codes["paths"]
        self.path_codes = np.asarray(columns[:, 4], dtype=np.int64)
        unique, first = np.unique(self.path_codes, return_index=True)
        self.first_chunk = {paths[code]: int(position) for code, position in zip(unique.tolist(), first.tolist())}
        # Per path code, the position of its document's first chunk.
        self.first_positions = np.full(len(paths), -1, dtype=np.int64)
        self.first_positions[unique] = first
        self._parse = functools.lru_cache(maxsize=4096)(self._read)

    @classmethod
    def of(cls, chunks: list[Chunk]) -> "ChunkTable":
        columns, codes = _columns(chunks)
        return cls(columns, codes, chunks=list(chunks))

    @classmethod
    def load(cls, folder: Path) -> "ChunkTable":
        """The chunks written by `write`, memory-mapped."""
        codes = json.loads((folder / CODES_NAME).read_text(encoding="utf-8"))
        columns = np.load(folder / COLUMNS_NAME, allow_pickle=False)
        offsets = np.load(folder / OFFSETS_NAME, allow_pickle=False, mmap_mode="r")
        if len(offsets) != len(columns) + 1:
            raise ValueError(f"{len(offsets) - 1} chunk offsets for {len(columns)} chunks")
        with open(folder / CHUNKS_NAME, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if offsets[-1] else b""
        if len(data) != int(offsets[-1]):
            raise ValueError(f"{CHUNKS_NAME} has {len(data)} bytes, its offsets say {int(offsets[-1])}")
        return cls(columns, codes, data=data, offsets=offsets)

    def extended(self, chunks: list[Chunk]) -> "ChunkTable":
        """This table followed by `chunks` (an add: nothing of this table is parsed)."""
        if self._chunks is not None:
            return ChunkTable.of(self._chunks + list(chunks))
        columns, codes = _columns(chunks, self.codes)
        return ChunkTable(np.concatenate([self.columns, columns]), codes, data=self._data, offsets=self._offsets,
                          tail=self._tail + list(chunks))

    def write(self, folder: Path) -> None:
        """Write the chunks (JSON lines) and their offsets, columns and codes. The
        lines of a loaded table are copied as bytes, not parsed again."""
        offsets = [0]
        with open(folder / CHUNKS_NAME, "wb") as handle:
            if self._data is not None:
                size = int(self._offsets[-1])
                for start in range(0, size, 1 << 26):
                    handle.write(self._data[start:min(size, start + (1 << 26))])
                offsets = np.asarray(self._offsets, dtype=np.int64).tolist()
            for chunk in self._tail if self._data is not None else self:
                line = (json.dumps(chunk.to_record(), ensure_ascii=False) + "\n").encode("utf-8")
                handle.write(line)
                offsets.append(offsets[-1] + len(line))
        np.save(folder / OFFSETS_NAME, np.array(offsets, dtype=np.int64), allow_pickle=False)
        np.save(folder / COLUMNS_NAME, np.asarray(self.columns, dtype=np.int64), allow_pickle=False)
        (folder / CODES_NAME).write_text(json.dumps(self.codes, ensure_ascii=False), encoding="utf-8")

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[number] for number in range(*position.indices(len(self)))]
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        if self._chunks is not None:
            return self._chunks[position]
        return self._parse(position) if position < self._base else self._tail[position - self._base]

    def __iter__(self) -> Iterator[Chunk]:
        if self._chunks is not None:
            return iter(self._chunks)
        return (self._read(position) if position < self._base else self._tail[position - self._base]
                for position in range(len(self)))

    def _read(self, position: int) -> Chunk:
        line = self._data[int(self._offsets[position]):int(self._offsets[position + 1])]
        return Chunk.from_record(json.loads(line))


def _columns(chunks, codes: dict | None = None) -> tuple[np.ndarray, dict]:
    """The columns of `chunks`, with codes continuing `codes` (a table's)."""
    tables: dict[str, dict] = {name: {value: number for number, value in enumerate((codes or {}).get(name, []))}
                               for name in ("languages", "dates", "paths")}
    rows = np.zeros((len(chunks), 5), dtype=np.int64)
    for position, chunk in enumerate(chunks):
        ids = chunk.sentence_ids
        date = -1 if chunk.doc_date is None else tables["dates"].setdefault(chunk.doc_date, len(tables["dates"]))
        rows[position] = (ids.start, ids.stop, tables["languages"].setdefault(chunk.language, len(tables["languages"])),
                          date, tables["paths"].setdefault(chunk.path, len(tables["paths"])))
    return rows, {name: list(table) for name, table in tables.items()}
