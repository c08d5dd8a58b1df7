"""Milvus as the search engine of an index (a cluster, or a milvus-lite file).

Design choice: Milvus serves the candidates, qa keeps the scoring. Two collections
per index hold what grows with the corpus: chunks (position, language, release day,
float32 chunk vector, BM25 over the chunk's tokens) and sentences (number, float16-rounded
vector). A question asks Milvus for each language's best chunks by vector (with the
language and the question's dates as a filter), for the best chunks by BM25, and
for the sentence vectors of the candidates; qa then computes the same exact scores,
calibration and fusion as with the local store (`dense`), so both stores give the
same hits. The language's median is taken over a sample of its chunk vectors read
once (all of them up to 4,097, as the local store does above its exact limit).

Japanese: milvus-lite has no Japanese analyzer (its `lindera` tokenizer is not
implemented), so the text Milvus indexes is qa's own tokens (SudachiPy), each
written as the hex of its UTF-8 bytes: the standard analyzer keeps such a word
whole, so a cluster and the test see exactly qa's tokens. A query token's weight is
sent as repeats (Milvus counts repeated query terms); BM25 uses qa's k1 and b, and its
scores are divided by k1 + 1 to read as qa's.

The local index folder stays the catalog and a full replica (manifest, chunk table,
vocabulary for reading questions, vectors for adds). Every build, add and remove
writes new collections (the previous build keeps its own until it is removed):
milvus-lite keeps BM25 statistics per insert batch (measured: the same rows inserted
in two batches score differently from one batch, even after compaction), so rows
appended to a collection would not score as a fresh build does.
"""

from __future__ import annotations

import contextlib

import numpy as np

from ..errors import StoreError
from .dense import CALIBRATION_DEPTH, MEDIAN_SAMPLE, _matvec
from .postings import B, K1

_BATCH = 2000
REPEATS = 60  # query weights in sixtieths (see `lexical_search`)


def is_milvus(store: str | None) -> bool:
    return bool(store) and store != "local"


_CLIENTS: dict[str, object] = {}


def connect(uri: str):
    """A client of the Milvus at `uri` (one per URI and process, made again once if
    it stopped answering)."""
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise StoreError(f"the Milvus store {uri!r} needs pymilvus (pip install 'qa[milvus]')") from None
    client = _CLIENTS.get(uri)
    if client is not None:
        try:
            client.list_collections()
            return client
        except Exception:  # noqa: BLE001 - a dropped connection: make a new client
            _CLIENTS.pop(uri, None)
    last = None
    for _ in range(2):
        try:
            _CLIENTS[uri] = MilvusClient(uri)
            return _CLIENTS[uri]
        except Exception as error:  # noqa: BLE001 - pymilvus raises many kinds
            last = error
    raise StoreError(f"cannot reach Milvus at {uri!r}: {last}") from None


def encode(tokens: list[str]) -> str:
    """qa's tokens as Milvus indexes them (hex words, kept whole by its analyzer)."""
    return " ".join(token.encode("utf-8").hex() for token in tokens if token) or "00"


def create(client, name: str, dim: int) -> None:
    """The two collections of an index named `name`."""
    from pymilvus import DataType, Function, FunctionType

    chunks = client.create_schema(auto_id=False)
    chunks.add_field("position", DataType.INT64, is_primary=True)
    chunks.add_field("language", DataType.VARCHAR, max_length=16)
    chunks.add_field("day", DataType.INT64)
    chunks.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    chunks.add_field("tokens", DataType.VARCHAR, max_length=65535, enable_analyzer=True,
                     analyzer_params={"tokenizer": "standard"})
    chunks.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    chunks.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["tokens"],
                                 output_field_names=["sparse"]))
    parameters = client.prepare_index_params()
    parameters.add_index("vector", index_type="AUTOINDEX", metric_type="IP")
    parameters.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                         params={"bm25_k1": K1, "bm25_b": B})
    client.create_collection(f"{name}_chunks", schema=chunks, index_params=parameters)
    sentences = client.create_schema(auto_id=False)
    sentences.add_field("number", DataType.INT64, is_primary=True)
    # float32 holding the float16-rounded values qa stores (milvus-lite has no
    # FLOAT16_VECTOR; a cluster could use it)
    sentences.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    parameters = client.prepare_index_params()
    parameters.add_index("vector", index_type="AUTOINDEX", metric_type="IP")
    client.create_collection(f"{name}_sentences", schema=sentences, index_params=parameters)


def insert(client, name: str, *, start: int, languages, days, chunk_vectors: np.ndarray, token_lists,
           sentence_start: int, sentence_vectors: np.ndarray, progress=None) -> None:
    """Insert chunks from position `start` and sentences from `sentence_start` on."""
    rows = []
    for offset, (language, day, vector, tokens) in enumerate(zip(languages, days, chunk_vectors, token_lists)):
        rows.append({"position": start + offset, "language": str(language), "day": int(day),
                     "vector": np.asarray(vector, dtype=np.float32).tolist(), "tokens": encode(tokens)})
        if len(rows) == _BATCH:
            client.insert(f"{name}_chunks", rows)
            rows = []
    if rows:
        client.insert(f"{name}_chunks", rows)
    for offset in range(0, len(sentence_vectors), _BATCH):
        block = np.asarray(sentence_vectors[offset:offset + _BATCH], dtype=np.float16)
        client.insert(f"{name}_sentences", [{"number": sentence_start + offset + row, "vector": vector.tolist()}
                                            for row, vector in enumerate(block.astype(np.float32))])
    client.flush(f"{name}_chunks")
    client.flush(f"{name}_sentences")


def drop(client, name: str) -> None:
    for suffix in ("_chunks", "_sentences"):
        if client.has_collection(f"{name}{suffix}"):
            client.drop_collection(f"{name}{suffix}")


def date_filter(allowed: np.ndarray | None, days: np.ndarray) -> str | None:
    """A Milvus filter admitting exactly the chunks `allowed` admits (days as in
    `timeframe.day_numbers`, 0 undated); None when it admits every chunk."""
    if allowed is None:
        return None
    dated = allowed & (days > 0)
    if not dated.any():
        clause = "day == 0"
    else:
        low, high = int(days[dated].min()), int(days[dated].max())
        clause = f"(day >= {low} and day <= {high})"
        if allowed[days == 0].any():
            clause += " or day == 0"
    return f"({clause})"


class MilvusEngine:
    """The dense and lexical stages of an index whose vectors and BM25 live in Milvus
    (the same interface as `DenseScorer` and the local lexical ranking)."""

    def __init__(self, client, name: str, size: int, starts: np.ndarray, stops: np.ndarray,
                 languages: np.ndarray, days: np.ndarray):
        self.client, self.name, self.size = client, name, size
        self.starts, self.stops = np.asarray(starts, np.int64), np.asarray(stops, np.int64)
        self.languages, self.days = np.asarray(languages), np.asarray(days)
        self.by_language = {language: np.flatnonzero(self.languages == language)
                            for language in sorted(set(self.languages.tolist()))}
        self._samples: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        client.load_collection(f"{name}_chunks")
        client.load_collection(f"{name}_sentences")

    def _filter(self, *clauses: str | None) -> str:
        return " and ".join([f"position < {self.size}"] + [clause for clause in clauses if clause])

    def _vectors(self, collection: str, key: str, ids: np.ndarray) -> np.ndarray:
        """The vectors of the rows whose `key` is in `ids`, in that order."""
        found = {}
        for offset in range(0, len(ids), _BATCH):
            part = ids[offset:offset + _BATCH].tolist()
            for row in self.client.query(f"{self.name}_{collection}", filter=f"{key} in {part}",
                                         output_fields=[key, "vector"]):
                found[int(row[key])] = row["vector"]
        return np.array([found[int(value)] for value in ids], dtype=np.float32)

    def _chunk_vectors(self, positions: np.ndarray) -> np.ndarray:
        return self._vectors("chunks", "position", positions)

    def _sentence_vectors(self, numbers: np.ndarray) -> np.ndarray:
        return self._vectors("sentences", "number", numbers).reshape(len(numbers), -1)

    def _sample(self, language: str) -> tuple[np.ndarray, np.ndarray]:
        """Evenly spaced chunks of a language and their vectors, read once."""
        if language not in self._samples:
            positions = self.by_language[language]
            if len(positions) > MEDIAN_SAMPLE:
                positions = positions[np.linspace(0, len(positions) - 1, MEDIAN_SAMPLE).astype(np.int64)]
            self._samples[language] = (positions, self._chunk_vectors(positions))
        return self._samples[language]

    def search(self, query: np.ndarray, depth: int, allowed: np.ndarray | None = None,
               calibrate: bool = True) -> tuple[dict[int, float], dict[int, np.ndarray], dict[str, float]]:
        """As `DenseScorer.search`."""
        calibrated, sentences, baselines = {}, {}, {}
        dates = date_filter(allowed, self.days)
        for language, positions in self.by_language.items():
            if allowed is not None:
                positions = positions[allowed[positions]]
            if not len(positions):
                continue
            take = min(len(positions), 2 * depth)
            results = self.client.search(f"{self.name}_chunks", data=[np.asarray(query, np.float32).tolist()],
                                         anns_field="vector", limit=take, output_fields=["position", "vector"],
                                         filter=self._filter(f'language == "{language}"', dates),
                                         search_params={"metric_type": "IP"})[0]
            best = np.array([int(result["entity"]["position"]) for result in results], dtype=np.int64)
            vectors = np.array([result["entity"]["vector"] for result in results], dtype=np.float32)
            order = np.argsort(best)
            best, vectors = best[order], vectors[order].reshape(len(best), -1)
            raw = self._rescore_many(best, _matvec(vectors, query) if len(best) else np.zeros(0), query, sentences)
            median = 0.0
            if calibrate:
                sample, sample_vectors = self._sample(language)
                keep = np.ones(len(sample), bool) if allowed is None else allowed[sample]
                median = float(np.median(_matvec(sample_vectors[keep], query))) if keep.any() else 0.0
            ranked = sorted(raw, key=lambda p: (-raw[p], p))
            baselines[language] = float(np.mean([sentences[p].max() for p in ranked[:CALIBRATION_DEPTH]
                                                 if len(sentences[p])] or [0.0]))
            for position in ranked[:depth]:
                calibrated[position] = raw[position] - (2 * median if calibrate else 0.0)
        return calibrated, sentences, baselines

    def _rescore_many(self, positions, coarse, query, sentences) -> dict[int, float]:
        keep = self.stops[positions] > self.starts[positions]
        positions, coarse = positions[keep], coarse[keep]
        if not len(positions):
            return {}
        rows = np.concatenate([np.arange(start, stop) for start, stop in
                               zip(self.starts[positions], self.stops[positions])])
        cosines = _matvec(self._sentence_vectors(rows), query)
        raw, offset = {}, 0
        for index, position in enumerate(positions.tolist()):
            length = int(self.stops[position] - self.starts[position])
            sentences[position] = cosines[offset:offset + length]
            raw[position] = float(coarse[index]) + float(sentences[position].max())
            offset += length
        return raw

    def rescore(self, position: int, query: np.ndarray) -> np.ndarray:
        start, stop = int(self.starts[position]), int(self.stops[position])
        if stop <= start:
            return np.zeros(0, dtype=np.float32)
        return _matvec(self._sentence_vectors(np.arange(start, stop)), query)

    def lexical_search(self, weights: dict[str, float], allowed: np.ndarray | None, depth: int):
        """The best `depth` chunks by BM25, best first, and their scores on qa's scale.
        A token of weight w is sent round(w * REPEATS) times (Milvus counts repeated
        query terms; a translation's share 1/n is exact for n up to 6)."""
        tokens = [token for token, weight in weights.items() for _ in range(int(round(weight * REPEATS)))]
        if not tokens:
            return [], {}
        results = self.client.search(f"{self.name}_chunks", data=[encode(tokens)], anns_field="sparse",
                                     limit=depth, output_fields=["position"],
                                     filter=self._filter(date_filter(allowed, self.days)),
                                     search_params={"metric_type": "BM25"})[0]
        scores = {int(result["entity"]["position"]): abs(float(result["distance"])) / (K1 + 1) / REPEATS
                  for result in results}
        ranked = sorted((position for position in scores if scores[position] > 0),
                        key=lambda position: (-scores[position], position))
        return ranked, scores


def location(store: str) -> str:
    """The URI to record: a milvus-lite file as an absolute path."""
    if "://" in store:
        return store
    from pathlib import Path

    return str(Path(store).expanduser().resolve())


def write_index(store: str, *, dim: int, languages, days, chunk_vectors, tokens_from, sentence_vectors) -> dict:
    """Put an index's chunks and sentences into new collections and return the
    manifest's `store` record. `tokens_from(start)`: the chunks' token lists."""
    import uuid

    uri = location(store)
    client = connect(uri)
    name = f"qa_{uuid.uuid4().hex[:12]}"
    try:
        create(client, name, dim)
        insert(client, name, start=0, languages=languages, days=days, chunk_vectors=chunk_vectors,
               token_lists=tokens_from(0), sentence_start=0, sentence_vectors=sentence_vectors)
    except Exception as error:  # noqa: BLE001 - pymilvus raises many kinds
        with contextlib.suppress(Exception):
            drop(client, name)
        raise StoreError(f"writing to Milvus at {uri!r} failed: {error}") from None
    return {"kind": "milvus", "uri": uri, "collection": name}
