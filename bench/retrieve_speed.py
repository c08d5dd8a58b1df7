"""Query speed: warm retrieve() and answer() against embedding the question alone.

Usage: python bench/retrieve_speed.py [--chunks 10000] [--repeat 5]

Two indexes:
- the bundled sample release, built for real (answer() on real vectors);
- a 10,000-chunk index of real Japanese text (manpages-ja) with real BM25, whose
  sentence vectors are random unit vectors: embedding 40,000 sentences would take
  over an hour here, and search cost depends on the number of vectors, not on their
  values.
Questions: the development questions (English and Japanese), each asked `repeat`
times after one warm-up pass. Prints p50 and p95 in milliseconds and the ratios
(targets: retrieve p50 <= 2x embedding p50; answer p50 <= 1.5x retrieve p50).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa  # noqa: E402
from qa.ingest.chunking import chunk_document  # noqa: E402
from qa.ingest.documents import load_documents  # noqa: E402
from qa.evaluation import read_questions  # noqa: E402
from qa.index import Index, chunk_vectors  # noqa: E402
from qa.search.lexical import LexicalIndex  # noqa: E402

from build_speed import machine  # noqa: E402
from corpus import write_corpus  # noqa: E402
from load import rss_megabytes  # noqa: E402


def interleaved(functions, questions, repeat):
    """Each function timed on each question in turn, back to back, so that load from
    other processes weighs on all of them alike; (p50, p95) per function."""
    for question in questions:  # warm-up
        for function in functions:
            function(question)
    samples = [[] for _ in functions]
    for _ in range(repeat):
        for question in questions:
            for function, found in zip(functions, samples):
                started = time.perf_counter()
                function(question)
                found.append((time.perf_counter() - started) * 1000)
    return [(statistics.median(found), sorted(found)[int(0.95 * (len(found) - 1))]) for found in samples]


def report(index: Index, questions, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Print question-embedding, retrieve() and answer() latency for `index`, measured
    interleaved; return the embedding's and retrieve()'s (p50, p95)."""
    embed, retrieve, answer = interleaved([lambda question: index.embedder.embed_queries([question]),
                                          lambda question: index.search(question, k=5),
                                          lambda question: index.answer(question)], questions, repeat)
    print(f"  embed question alone: p50 {embed[0]:.1f} ms  p95 {embed[1]:.1f} ms")
    print(f"  retrieve():           p50 {retrieve[0]:.1f} ms  p95 {retrieve[1]:.1f} ms")
    print(f"  answer():             p50 {answer[0]:.1f} ms  p95 {answer[1]:.1f} ms")
    print(f"  answer/retrieve p50 ratio: {answer[0] / retrieve[0]:.2f} (target <= 1.5)")
    return embed, retrieve


def synthetic_index(target_chunks: int, embedder, scratch: Path) -> Index:
    corpus = scratch / "manpages"
    write_corpus(corpus, 2000)
    settings = qa.Settings()
    chunks, sentence_count = [], 0
    documents = load_documents([corpus]).documents
    while len(chunks) < target_chunks:
        for document in documents:
            document_chunks, sentences = chunk_document(document, settings.chunk_size, settings.chunk_overlap)
            copy = len(chunks)
            chunks += [dataclasses.replace(chunk, chunk_id=f"{chunk.chunk_id}-{copy}",
                                           first_sentence=sentence_count + chunk.first_sentence)
                       for chunk in document_chunks]
            sentence_count += len(sentences)
            if len(chunks) >= target_chunks:
                break
    chunks = chunks[:target_chunks]
    sentence_count = chunks[-1].sentence_ids.stop
    generator = np.random.default_rng(0)
    vectors = generator.standard_normal((sentence_count, embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors.astype(np.float16)  # as an index stores them
    lexical = LexicalIndex.build([chunk.text for chunk in chunks], settings.lexical_tokenizer)
    manifest = {"documents": [], "built_at": "benchmark"}
    index = Index(folder=scratch, manifest=manifest, chunks=chunks, vectors=chunk_vectors(chunks, vectors),
                  sentence_vectors=vectors, lexical=lexical, embedder=embedder)
    gc.freeze()  # as load_index does
    return index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    questions = [question.q for question in read_questions(ROOT / "tests" / "data" / "dev_qa.jsonl")]
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        sample = qa.build_index([ROOT / "corpus"], scratch / "sample-index", settings=qa.Settings())
        print(f"sample release ({len(sample)} chunks), {len(questions)} questions x {arguments.repeat}:")
        report(sample, questions, arguments.repeat)

        large = synthetic_index(arguments.chunks, sample.embedder, scratch)
        started = time.perf_counter()
        large.lexical.japanese_for("takasago")  # the first unknown romaji word builds the table
        print(f"resident memory with the {len(large)}-chunk index in memory: {rss_megabytes(os.getpid()):.0f} MB")
        print(f"romaji spelling table over {len(large.lexical.vocab_dict):,} vocabulary words: "
              f"built once in {time.perf_counter() - started:.2f} s")
        print(f"{len(large)} chunks ({len(large.sentence_matrix)} sentence vectors), same questions:")
        embed, retrieve = report(large, questions, arguments.repeat)
        print(f"  retrieve/embed p50 ratio: {retrieve[0] / embed[0]:.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
