"""Crash safety: kill `qa build`, `qa add` or `qa remove` with SIGKILL at random
moments, then check the index.

Usage: python bench/kill_builds.py [--kills 20] [--seed 1] [--mode build|add|remove|all]

Builds a multi-document corpus once (the sample release plus manpages-ja pages when
installed), records the answers to the development questions, then N times starts
the command in a subprocess and SIGKILLs it after a random delay: `build` rebuilds the
corpus with a new document in it, `add` adds a new document, `remove` removes one of
the documents added at the start. After every kill the current index must load, pass
its checksums, find every document it lists in its document store and, when the kill
came before publication, give the same answers as before; `.partial` folders must
never be current. A final command must succeed and remove the leftovers (old builds,
partial builds, stored files no build lists).
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
import uuid
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


def _processes_running(marker: str, tag: str) -> list[int]:
    """Processes whose command line holds `marker` and that descend from this run
    (they inherit its QA_KILL_RUN=`tag`), not another run's on the same machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace") and \
                        f"QA_KILL_RUN={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def answers(index_dir, questions: int | None = None) -> list[str]:
    index = qa.load_index(index_dir)
    return [index.answer(question.q).text
            for question in read_questions(ROOT / "tests/data/dev_qa.jsonl")[:questions]]


def check_store(index_dir) -> None:
    """Every document the current build lists is in the store with its bytes."""
    manifest = storage.read_manifest(storage.build_folder(index_dir), index_dir)
    for document in manifest["documents"]:
        stored = Path(index_dir) / document["path"]
        assert stored.is_file(), f"{document['name']} is listed but {stored} is missing"
        assert storage.sha256_of(stored) == document["sha256"], f"{stored} does not hold {document['name']}"


def run(kills: int, seed: int, scratch: Path, mode: str = "build", manpages: int = 6,
        questions: int | None = None) -> dict:
    return run_modes(kills, seed, scratch, (mode,), manpages, questions)[0]


def run_modes(kills: int, seed: int, scratch: Path, modes=("build", "add", "remove"), manpages: int = 6,
              questions: int | None = None) -> list[dict]:
    """`kills` SIGKILLs of each command in `modes`, one after the other on one index;
    `questions`: how many development questions to compare (all when None)."""
    generator = random.Random(seed)
    tag = uuid.uuid4().hex
    environment = {**os.environ, "QA_KILL_RUN": tag}
    corpus = scratch / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "ispace-2025-05-09-thermal-mining.pdf", corpus)
    try:
        from corpus import write_corpus

        if manpages:
            write_corpus(corpus / "manpages", manpages)
    except SystemExit:
        pass
    index_dir = scratch / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    qa_command = [str(Path(sys.executable).with_name("qa"))]
    extras = scratch / "extras"
    extras.mkdir()
    results = []
    for mode in modes:
        def command(number: int) -> list[str]:
            if mode == "build":
                return qa_command + ["build", str(corpus), "--index", str(index_dir), "-q"]
            if mode == "add":
                return qa_command + ["add", str(extras / f"add-{number}.txt"), "--index", str(index_dir), "-q"]
            return qa_command + ["remove", f"remove-{number}.txt", "--index", str(index_dir)]

        def prepare(number: int) -> None:
            if mode == "build":
                (corpus / f"build-{number}.txt").write_text(_release(f"追加{number}号"), encoding="utf-8")
            elif mode == "add":
                (extras / f"add-{number}.txt").write_text(_release(f"追加{number}号"), encoding="utf-8")

        if mode == "remove":  # the documents to remove, one per kill, plus one to time (removing embeds nothing)
            (extras / "to-remove").mkdir()
            for number in range(-1, kills):
                (extras / "to-remove" / f"remove-{number}.txt").write_text(
                    f"2025年5月1日\n削除{number}号のお知らせ\n削除{number}号の月面輸送サービスを開始します。", encoding="utf-8")
            qa.load_index(index_dir).add([extras / "to-remove"])
        # Time one uninterrupted run of the same size, so kills land inside runs.
        prepare(-1)
        started = time.monotonic()
        subprocess.run(command(-1), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=environment)
        duration = time.monotonic() - started
        expected = answers(index_dir, questions)
        killed_before_publication = published_during_kill = 0
        for number in range(kills):
            prepare(number)
            before = storage.build_folder(index_dir)
            process = subprocess.Popen(command(number), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=environment)
            time.sleep(generator.uniform(0.05, 1.1 * duration))
            process.send_signal(signal.SIGKILL)
            process.wait()
            current = storage.build_folder(index_dir)
            assert not current.name.endswith(storage.PARTIAL_SUFFIX), current
            qa.load_index(index_dir)  # loads and passes its checksums
            check_store(index_dir)
            if current == before:
                killed_before_publication += 1
                assert answers(index_dir, questions) == expected, f"answers changed after a killed {mode}"
            else:
                published_during_kill += 1
                expected = answers(index_dir, questions)
        results.append({"mode": mode, "kills": kills, "seconds_per_run": round(duration, 2),
                        "killed_before_publication": killed_before_publication,
                        "completed_before_the_kill": published_during_kill})
    time.sleep(2)  # a PDF reader whose build was killed exits within about a second
    orphans = _processes_running("qa.ingest.pdf_reader import serve", tag)
    assert not orphans, f"PDF reader processes outlived their killed builds: {orphans}"
    leftovers = len(list((index_dir / "builds").iterdir()))
    if modes == ("build",):
        qa.build_index([corpus], index_dir, settings=qa.Settings())
    else:
        (extras / "final.txt").write_text(_release("最終"), encoding="utf-8")
        qa.load_index(index_dir).add([extras / "final.txt"])
    partials = [path for path in (index_dir / "builds").iterdir() if path.name.endswith(storage.PARTIAL_SUFFIX)]
    assert not partials, partials
    check_store(index_dir)
    listed = set()
    for folder in (index_dir / "builds").iterdir():
        listed |= {document["path"] for document in storage.read_manifest(folder, index_dir)["documents"]}
    stored = {f"{storage.DOCUMENTS_FOLDER}/{path.name}" for path in (index_dir / storage.DOCUMENTS_FOLDER).iterdir()}
    assert stored == listed, f"stored files no build lists: {sorted(stored - listed)}"
    for result in results:
        result.update(folders_before_cleanup=leftovers, orphaned_pdf_readers=0,
                      folders_after_cleanup=len(list((index_dir / "builds").iterdir())))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=["build", "add", "remove", "all"], default="build")
    arguments = parser.parse_args()
    modes = ("build", "add", "remove") if arguments.mode == "all" else (arguments.mode,)
    with tempfile.TemporaryDirectory() as scratch:
        for result in run_modes(arguments.kills, arguments.seed, Path(scratch), modes):
            print(result)


if __name__ == "__main__":
    main()
