"""Hits and answers of every development question, saved or compared.

    .venv/bin/python bench/dev_snapshot.py save before.json [--store local|URI|file.db]
    .venv/bin/python bench/dev_snapshot.py compare before.json after.json

Sets: the bundled sample release with tests/data/dev_qa.jsonl + extra_qa.jsonl, the
invented fixture (tests/data/releases, releases_qa.jsonl), and ../shared/releases
with its questions when that folder is there (read, never copied). For each question:
the top 10 hits (chunk id and fused score) and the answer (text, found, cited chunks).
`compare` prints every question whose hits or answer differ, and a count per set and
language. Used to show that a change of engine leaves results as they were.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402
from qa.evaluation import read_questions  # noqa: E402

SHARED = ROOT.parent / "shared"


def sets() -> dict:
    found = {
        "sample": ([ROOT / "tests/data/ispace-2025-05-09-thermal-mining.pdf"],
                   read_questions(ROOT / "tests/data/dev_qa.jsonl") + read_questions(ROOT / "tests/data/extra_qa.jsonl")),
        "fixture": ([ROOT / "tests/data/releases"], read_questions(ROOT / "tests/data/releases_qa.jsonl")),
    }
    if (SHARED / "releases").is_dir():
        found["releases"] = ([SHARED / "releases"], read_questions(SHARED / "eval/releases_dev_qa.jsonl"))
    return found


def snapshot(index, questions) -> list[dict]:
    rows = []
    for question in questions:
        hits = index.search(question.q, k=10)
        answer = index.answer(question.q)
        rows.append({"id": question.id, "q": question.q, "language": question.lang,
                     "hits": [[hit.chunk_id, round(hit.score, 6)] for hit in hits],
                     "answer": answer.text, "found": answer.found,
                     "cited": [citation.hit.chunk_id for citation in answer.citations]})
    return rows


def save(target: Path, store: str | None, only: list[str] | None) -> None:
    settings = qa.Settings.from_environment(**({"store": store} if store else {}))
    result = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, (paths, questions) in sets().items():
            if only and name not in only:
                continue
            index_dir = Path(scratch) / name
            index = qa.build_index(paths, index_dir, settings=settings)
            result[name] = snapshot(index, questions)
            print(f"{name}: {len(questions)} questions", file=sys.stderr)
    target.write_text(json.dumps(result, ensure_ascii=False, indent=1))


def compare(before: Path, after: Path) -> int:
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    differences = 0
    for name in old:
        if name not in new:
            print(f"{name}: not in {after}")
            continue
        changed = {"hits": 0, "answers": 0}
        for first, second in zip(old[name], new[name]):
            if first["hits"] != second["hits"]:
                changed["hits"] += 1
                print(f"  {name} {first['id']} hits differ: {first['q']}")
            if (first["answer"], first["found"], first["cited"]) != (second["answer"], second["found"], second["cited"]):
                changed["answers"] += 1
                print(f"  {name} {first['id']} answer differs: {first['q']}\n    before: {first['answer'][:160]!r}"
                      f"\n    after:  {second['answer'][:160]!r}")
        print(f"{name}: {len(old[name])} questions, hits differ on {changed['hits']}, answers on {changed['answers']}")
        differences += changed["hits"] + changed["answers"]
    return 1 if differences else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    saving = sub.add_parser("save")
    saving.add_argument("target", type=Path)
    saving.add_argument("--store", default=None)
    saving.add_argument("--sets", default=None)
    comparing = sub.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.command == "save":
        save(arguments.target, arguments.store, arguments.sets.split(",") if arguments.sets else None)
        return 0
    return compare(arguments.before, arguments.after)


if __name__ == "__main__":
    sys.exit(main())
