"""A full `qa build` of real PDFs: the texlive-lang-japanese documentation (109 PDFs,
2,021 pages; `make real-pdfs` unpacks them) plus the sample release.

Usage: python bench/texlive_build.py [--pdfs /tmp/qa-real-pdfs/texlive-lang-japanese] [--no-separate]

Prints the wall time (with the progress bars on stderr all the way), the sentences
before and after identical-sentence deduplication, and the pipeline overhead ratio:
the build's wall time against embedding the same distinct sentences alone with the
same embedder and batch size (target <= 1.10). The index is left in
/tmp/qa-texlive-index for questions (`qa ask ... --index /tmp/qa-texlive-index`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa  # noqa: E402
from qa.embedding import sentence_key  # noqa: E402
from qa.search.embedders import make_embedder  # noqa: E402

from build_speed import machine  # noqa: E402

INDEX = Path("/tmp/qa-texlive-index")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", default="/tmp/qa-real-pdfs/texlive-lang-japanese")
    parser.add_argument("--no-separate", action="store_true", help="skip the separate embedding-alone run")
    arguments = parser.parse_args()
    pdfs = sorted(Path(arguments.pdfs).rglob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs under {arguments.pdfs}: run `make real-pdfs` first")
    inputs = pdfs + sorted((ROOT / "corpus").glob("*.pdf"))
    settings = qa.Settings()
    embedder = make_embedder(settings.embedder_name)
    embedder.embed_passages(["warm-up"])  # load the model outside both timings
    shutil.rmtree(INDEX, ignore_errors=True)
    started = time.perf_counter()
    index = qa.build_index(inputs, INDEX, embedder=embedder, settings=settings, progress=True)
    build_seconds = time.perf_counter() - started
    report = index.report
    embedding = index.manifest["embedding"]
    print(f"machine: {machine()}")
    print(f"inputs: {len(inputs)} files, {sum(d.pages or 0 for d in index.documents())} pages; "
          f"{report.documents} indexed, {len(report.failures)} failed, {len(report.duplicates)} duplicates")
    print(f"full build wall time: {build_seconds:.1f} s ({build_seconds / 60:.1f} min), of which embedding "
          f"{report.embed_seconds:.1f} s")
    print(f"sentences: {embedding['sentences']} before deduplication, {embedding['distinct']} distinct after "
          f"({100 * (1 - embedding['distinct'] / embedding['sentences']):.1f}% fewer embedded)")
    print(f"overhead ratio (build / its own embedding time): {build_seconds / report.embed_seconds:.3f}")
    if not arguments.no_separate:
        distinct = {}
        for chunk in index.chunks:
            for a, b in chunk.sentences:
                distinct.setdefault(sentence_key(chunk.text[a:b]), chunk.text[a:b])
        texts = list(distinct.values())
        started = time.perf_counter()
        embedder.embed_passages(texts, batch_size=settings.batch_size)
        alone = time.perf_counter() - started
        print(f"embedding the {len(texts)} distinct sentences alone: {alone:.1f} s "
              f"({len(texts) / alone:.1f} sentences/s)")
        print(f"pipeline overhead ratio (build / embedding alone): {build_seconds / alone:.3f} (target <= 1.10)")


if __name__ == "__main__":
    main()
