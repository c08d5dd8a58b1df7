"""Stated-fact precision on the helper-written sets of invented releases (bench/heldout).

    .venv/bin/python bench/heldout_quality.py [--sets heldout6,heldout7] [--wrong] [--save out.json]
                                              [--folder /work/heldout15-parent]   (a new set, outside the repo)

Each set (bench/heldout/<name>/releases + qa.jsonl) holds about 15 releases of three
invented companies and 180 questions, written by a helper who never saw the code. They
were held out once each (docs/quality.md, "The sixth session"): measured on the code of
the day before anyone read their errors. Since then they are development sets like the
others; a figure on them is a regression check, not a held-out result. Write a new set
for that.

An answer is judged on what it states first (`Answer.fact`): right when an acceptable
string occurs in it after NFKC, without white space, case-folded; an answer to an
unanswerable question is wrong. Passages and "not found" are counted apart, with the
passages whose first citation holds the evidence.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402

SETS = ROOT / "bench" / "heldout"
RESULTS = ROOT / "bench" / "results"
COLUMNS = ("right", "wrong", "passage", "passage(holds)", "not_found", "refused")


def squashed(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def judge(record: dict, answer) -> str:
    if record["unanswerable"]:
        return "wrong" if answer.outcome == "answer" else "refused"
    if answer.outcome == "answer":
        return "right" if any(form and squashed(form) in squashed(answer.fact) for form in record["answer"]) \
            else "wrong"
    if answer.outcome == "passage" and answer.citations and record["evidence"] and \
            squashed(record["evidence"])[:40] in squashed(answer.citations[0].hit.text):
        return "passage(holds)"
    return answer.outcome


def measure(name: str, sets: Path = SETS) -> list[dict]:
    folder = sets / name
    index_dir = RESULTS / f"{name}-index"
    try:
        qa.load_index(index_dir)
    except qa.QAError:
        print(f"{name}: building the index…", file=sys.stderr)
        qa.build_index([folder / "releases"], index_dir, settings=qa.Settings())
    rows = []
    for line in (folder / "qa.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            answer = qa.answer(record["q"], index_dir)
            rows.append(record | {"set": name, "outcome": judge(record, answer), "fact": answer.fact,
                                  "confidence": answer.confidence})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=SETS, help="the folder that holds the sets")
    parser.add_argument("--sets", help="the sets to measure (default: every folder there)")
    parser.add_argument("--wrong", action="store_true", help="list the wrong answers")
    parser.add_argument("--save", type=Path, help="write every judged answer to this JSON file")
    arguments = parser.parse_args(argv)
    names = arguments.sets.split(",") if arguments.sets else \
        sorted(path.name for path in arguments.folder.iterdir() if (path / "qa.jsonl").is_file())
    rows = [row for name in names for row in measure(name, arguments.folder)]
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for row in rows:
        for key in ("all", f"set {row['set']}", f"kind {row['kind']}", f"lang {row['lang']}"):
            table[key][row["outcome"]] += 1
    print(f"{'':24}" + "".join(f"{column:>16}" for column in COLUMNS) + "  precision")
    for key in sorted(table, key=lambda key: (key != "all", key)):
        counts = table[key]
        stated = counts["right"] + counts["wrong"]
        precision = f"{counts['right'] / stated:.2f}" if stated else "-"
        print(f"{key:24}" + "".join(f"{counts[column]:>16}" for column in COLUMNS) + f"  {precision:>9}")
    if arguments.wrong:
        for row in rows:
            if row["outcome"] == "wrong":
                print(f"WRONG {row['id']} [{row['kind']}] {row['q']} -> {row['fact'][:60]!r} (want {row['answer'][:2]})")
    if arguments.save:
        arguments.save.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
