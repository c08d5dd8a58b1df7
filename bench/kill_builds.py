"""Crash safety: kill `qa build` with SIGKILL at random moments, then check the index.

Usage: python bench/kill_builds.py [--kills 20] [--seed 1]

Builds a multi-document corpus once (the sample release plus manpages-ja pages when
installed), records the answers to the development questions, then N times: adds a
new document (so the build has real work), starts `qa build` in a subprocess and
SIGKILLs it after a random delay. After every kill the current index must load, pass
its checksums and, when the kill came before publication, give the same answers as
before; `.partial` folders must never be current. A final build must succeed and
remove the leftovers.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa  # noqa: E402
from qa import storage  # noqa: E402
from qa.evaluation import read_questions  # noqa: E402


def _release(name: str) -> str:
    """A new document of 150 distinct sentences: about two seconds of embedding."""
    return f"2025年5月1日\n{name}のお知らせ\n" + "".join(
        f"{name}の月面輸送サービスでは第{line}便の貨物を予定しています。" for line in range(150))


def _processes_running(marker: str, cwd: str | None = None) -> list[int]:
    """Processes whose command line holds `marker` (and, with `cwd`, that run in that
    folder: on a shared machine another checkout's reader is not ours)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    if cwd is None or os.readlink(entry / "cwd") == cwd:
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


def answers(index_dir) -> list[str]:
    index = qa.load_index(index_dir)
    return [index.answer(question.q).text for question in read_questions(ROOT / "tests/data/dev_qa.jsonl")]


def run(kills: int, seed: int, scratch: Path) -> dict:
    generator = random.Random(seed)
    corpus = scratch / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "ispace-2025-05-09-thermal-mining.pdf", corpus)
    try:
        from corpus import write_corpus

        write_corpus(corpus / "manpages", 6)
    except SystemExit:
        pass
    index_dir = scratch / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    expected = answers(index_dir)
    command = [str(Path(sys.executable).with_name("qa")), "build", str(corpus), "--index", str(index_dir), "-q"]
    # Time one uninterrupted build of the same size, so kills land inside builds.
    (corpus / "extra-timing.txt").write_text(_release("計測用"), encoding="utf-8")
    started = time.monotonic()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    duration = time.monotonic() - started
    expected = answers(index_dir)
    killed_before_publication = published_during_kill = 0
    for number in range(kills):
        (corpus / f"extra-{number}.txt").write_text(_release(f"追加{number}号"), encoding="utf-8")
        before = storage.build_folder(index_dir)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(generator.uniform(0.05, 1.1 * duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        current = storage.build_folder(index_dir)
        assert not current.name.endswith(storage.PARTIAL_SUFFIX), current
        qa.load_index(index_dir)  # loads and passes its checksums
        if current == before:
            killed_before_publication += 1
            assert answers(index_dir) == expected, "answers changed after a killed build"
        else:
            published_during_kill += 1
    time.sleep(2)  # a PDF reader whose build was killed exits within about a second
    orphans = _processes_running("qa.ingest.pdf_reader import serve", cwd=os.getcwd())
    assert not orphans, f"PDF reader processes outlived their killed builds: {orphans}"
    leftovers = len(list((index_dir / "builds").iterdir()))
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    partials = [path for path in (index_dir / "builds").iterdir() if path.name.endswith(storage.PARTIAL_SUFFIX)]
    assert not partials, partials
    return {"kills": kills, "build_seconds": round(duration, 2), "killed_before_publication": killed_before_publication,
            "completed_before_the_kill": published_during_kill, "folders_before_cleanup": leftovers,
            "folders_after_cleanup": len(list((index_dir / "builds").iterdir())), "orphaned_pdf_readers": 0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        print(run(arguments.kills, arguments.seed, Path(scratch)))


if __name__ == "__main__":
    main()
