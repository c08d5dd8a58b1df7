"""Build speed: the whole `build_index` pipeline against embedding alone.

Usage: python bench/build_speed.py [--documents 40]

Reads N Japanese manual pages (manpages-ja), then
1. embeds exactly the sentences the build will embed, with the same embedder and
   batch size (the embedder's raw throughput), and
2. runs the full build into a fresh folder (read, normalize, chunk, embed, BM25,
   FAISS, write, publish).
Prints both times and the pipeline overhead ratio (target: at most 1.10).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import qa  # noqa: E402
from qa.ingest.chunking import chunk_document  # noqa: E402
from qa.ingest.documents import load_documents  # noqa: E402
from qa.search.embedders import make_embedder  # noqa: E402

from corpus import write_corpus  # noqa: E402


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=40)
    arguments = parser.parse_args()
    settings = qa.Settings()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        write_corpus(corpus, arguments.documents)
        embedder = make_embedder(settings.embedder_name)
        embedder.embed_passages(["warm-up"])  # load the model outside both timings

        sentences = []
        for document in load_documents([corpus]).documents:
            sentences += chunk_document(document, settings.chunk_size, settings.chunk_overlap)[1]
        started = time.perf_counter()
        embedder.embed_passages(sentences, batch_size=settings.batch_size)
        embed_seconds = time.perf_counter() - started

        started = time.perf_counter()
        index = qa.build_index([corpus], Path(scratch) / "index", embedder=embedder, settings=settings)
        build_seconds = time.perf_counter() - started

    report = index.report
    print(f"machine: {machine()}")
    print(f"corpus: {report.documents} manpages-ja documents, {report.chunks} chunks, {report.sentences} sentences")
    print(f"embedding alone: {embed_seconds:.1f} s ({len(sentences) / embed_seconds:.1f} sentences/s)")
    print(f"full build:      {build_seconds:.1f} s ({report.chunks / build_seconds:.1f} chunks/s)")
    print(f"pipeline overhead ratio (build / embedding alone): {build_seconds / embed_seconds:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
