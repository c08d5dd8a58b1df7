"""Library speed: adding and removing one release on an index of 30, and the app's
upload-to-answerable time.

Usage: python bench/library_speed.py [--documents 29] [--repeat 3] [--no-app]

Builds an index of N documents: the real releases in ../shared/releases when that
folder is there (benchmarks may read it; the project never does at run time), then
manpages-ja pages up to N. Then, `--repeat` times:
1. `Index.add` of the sample release (corpus/, a 5-page Japanese PDF) as the 30th
   document: read it, embed its sentences (only those), rebuild FAISS and BM25 over all
   chunks, write and publish;
2. `Index.remove` of it (nothing embedded);
3. for comparison, a full `build_index` of the same 30 documents with every vector
   reused (what the app did before on each upload).
Then starts the app on that index and times, through gradio_client, the upload of
the sample release (/add_documents) until /ask answers a question from it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import qa  # noqa: E402

from build_speed import machine  # noqa: E402
from corpus import write_corpus  # noqa: E402

SAMPLE = ROOT / "corpus" / "ispace-2025-05-09-thermal-mining.pdf"
SHARED_RELEASES = ROOT.parent / "shared" / "releases"


def corpus_of(folder: Path, documents: int) -> str:
    folder.mkdir(parents=True)
    releases = sorted(SHARED_RELEASES.glob("*.txt"))[:documents] if SHARED_RELEASES.is_dir() else []
    for release in releases:
        shutil.copy(release, folder / release.name)
    needed = documents - len(releases)
    if needed > 0:  # manual pages, each with other content (at, atq and atrm share one page)
        seen = set()
        for page in write_corpus(folder / "manpages", needed + 20):
            if len(seen) == needed or page.read_bytes() in seen:
                page.unlink()
            else:
                seen.add(page.read_bytes())
    return f"{len(releases)} real releases + {max(needed, 0)} manpages-ja pages"


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=29)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-app", action="store_true")
    arguments = parser.parse_args()
    settings = qa.Settings()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        what = corpus_of(scratch / "corpus", arguments.documents)
        index_dir = scratch / "index"
        started = time.monotonic()
        index = qa.build_index([scratch / "corpus"], index_dir, settings=settings)
        print(f"index: {what}: {len(index.documents())} documents, {len(index)} chunks, "
              f"{index.report.sentences} sentences, built in {time.monotonic() - started:.1f} s")
        for failure in index.report.failures:
            print(f"  not indexed: {Path(failure.path).name}: {failure.reason}")
        for duplicate in index.report.duplicates:
            print(f"  duplicate: {Path(duplicate.path).name} = {Path(duplicate.same_as).name}")
        adds, embeds, removes, rebuilds = [], [], [], []
        for _ in range(arguments.repeat):
            report = index.add([SAMPLE])
            assert [outcome.outcome for outcome in report.outcomes] == ["added"], report.outcomes
            adds.append(report.seconds)
            embeds.append(report.embed_seconds)
            report = index.remove([SAMPLE.name])
            removes.append(report.seconds)
        both = scratch / "both"
        shutil.copytree(scratch / "corpus", both)
        shutil.copy(SAMPLE, both)
        qa.build_index([both], index_dir, settings=settings)  # vectors of all 30 now in the previous build
        for _ in range(arguments.repeat):
            rebuilds.append(qa.build_index([both], index_dir, settings=settings).report.seconds)
        print(f"add one release (the 30th: {SAMPLE.name}, 5 pages): {median(adds)}; "
              f"of which embedding its sentences {median(embeds)}")
        print(f"remove it again: {median(removes)}")
        print(f"full rebuild of the 30, every vector reused: {median(rebuilds)}")
        if not arguments.no_app:
            app_upload(index_dir, scratch)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")


def app_upload(index_dir: Path, scratch: Path) -> None:
    from gradio_client import Client, handle_file

    from app_server import RunningApp

    index = qa.load_index(index_dir)
    if SAMPLE.name in {document.name for document in index.documents()}:
        index.remove([SAMPLE.name])
    running = RunningApp(index_dir, scratch / "corpus")
    try:
        client = Client(running.url, verbose=False)
        client.predict("warm-up question", api_name="/ask")
        started = time.monotonic()
        outcomes = client.predict([handle_file(str(SAMPLE))], api_name="/add_documents")
        uploaded = time.monotonic() - started
        text, sources = client.predict("高砂熱学工業とispaceは何を締結しましたか？", api_name="/ask")
        answerable = time.monotonic() - started
        assert outcomes[0]["outcome"] == "added", outcomes
        assert sources and sources[0]["file"] == SAMPLE.name, (text, sources)
        print(f"app: upload of {SAMPLE.name} to /add_documents returned in {uploaded:.2f} s; "
              f"answered from it {answerable:.2f} s after the upload started")
    finally:
        running.stop()


if __name__ == "__main__":
    main()
