"""Answers and retrieval on every development set, per set, company, language and kind.

    .venv/bin/python bench/answer_quality.py [--sets sample,fixture,minato,agri,releases,more] [--rebuild]
                                             [--json out.json] [--misses]

Sets (each built once into bench/results/<set>-index and reused; --rebuild rebuilds):
- sample: the bundled sample release (tests/data) with tests/data/dev_qa.jsonl + extra_qa.jsonl (ispace);
- fixture: the invented bilingual releases of the tests (tests/data/releases, Lunaris and its partner);
- minato: a second invented company (tests/data/minato), written for the defects seen on releases no one tuned for;
- agri: three invented companies of a new-user session (tests/data/agri: Hokuto Linear Transit, Mikazuki
  Battery, Shizuku Agri), with tests/data/agri_qa.jsonl written after the session's fixes;
- releases: ../shared/releases, ispace's real releases (skipped when ../shared is absent);
- more: ../shared/releases-more, Toyota, Honda, Panasonic and Hitachi;
- heldout6 … heldout14, heldout18 … heldout20, heldout23, heldout24: the helper-written sets of
  bench/heldout (42 invented companies, three a set; heldout15–17, 21 and 22 were kept outside the
  repository), each held out once and read since (bench/heldout_quality.py); the company is the id's middle part.
The real releases are read from ../shared at run time and never copied into the project.

Every answer is judged by `qa.scoring` (right, wrong, passage, not found, refused,
precision of stated facts). The confidence model is fitted leave-one-company-out by
bench/train_confidence.py; this script measures the code as it is.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402
from qa.evaluation import evidence_rank, read_questions  # noqa: E402
from qa.scoring import HEADER, judge, row, summary  # noqa: E402

SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "tests" / "data"
# A question with no `doc` (an unanswerable one) belongs to the company it names.
COMPANY_WORDS = (
    ("toyota", r"toyota|トヨタ|豊田|woven|ウーブン|tico|織機"),
    ("honda", r"honda|ホンダ|本田|nissan|日産"),
    ("panasonic", r"panasonic|パナソニック|パナ|blue yonder|ブルーヨンダー"),
    ("hitachi", r"hitachi|日立|abb|thales|タレス"),
    ("lunaris", r"lunaris|ルナリス|orbita|hopper|flight|フライト"),
    ("hoshino", r"hoshino|星野"),
    ("hokuto", r"hokuto|ホクト|北斗|hl-\d"),
    ("mikazuki", r"mikazuki|三日月|mb-\d|kikuyo|菊陽"),
    ("shizuku", r"shizuku|しずく|sa-\d|kameoka|亀岡|marukoshi"),
)


def sets() -> dict[str, tuple[list[Path], list]]:
    found = {
        "sample": ([DATA / "ispace-2025-05-09-thermal-mining.pdf"],
                   read_questions(DATA / "dev_qa.jsonl") + read_questions(DATA / "extra_qa.jsonl")),
        "fixture": ([DATA / "releases"], read_questions(DATA / "releases_qa.jsonl")),
        "minato": ([DATA / "minato"], read_questions(DATA / "minato_qa.jsonl")),
        # three invented companies of a new-user session, in one index (leave one company out)
        "agri": ([DATA / "agri"], read_questions(DATA / "agri_qa.jsonl")),
    }
    for folder in sorted((ROOT / "bench" / "heldout").glob("heldout*")):
        found[folder.name] = ([folder / "releases"], read_questions(folder / "qa.jsonl"))
    if (SHARED / "releases").is_dir():
        found["releases"] = ([SHARED / "releases"], read_questions(SHARED / "eval/releases_dev_qa.jsonl"))
        found["more"] = (sorted((SHARED / "releases-more").glob("*.txt")),
                         read_questions(SHARED / "eval/releases_more_qa.jsonl"))
    else:
        print("../shared is absent: only the project's own sets are measured", file=sys.stderr)
    return found


def company(set_name: str, question) -> str:
    """The company a question is about, for leave-one-company-out: ispace for the
    sample release and ispace's releases, else the company its document or its words name."""
    if set_name in ("sample", "releases"):
        return "ispace"
    if set_name in ("fixture", "minato"):
        return set_name  # each fixture set is one invented company (Lunaris with its partner; Minato)
    if set_name.startswith("heldout"):
        return question.id.split("-", 1)[1].rsplit("-", 1)[0]  # h14-aoba-green-007: aoba-green
    text = f"{question.doc} {question.q}".lower()
    for name, pattern in COMPANY_WORDS:
        if re.search(pattern, text):
            return name
    return "other"


def index_for(name: str, paths: list[Path], rebuild: bool = False) -> Path:
    index_dir = RESULTS / f"{name}-index"
    if rebuild and index_dir.exists():
        shutil.rmtree(index_dir)
    try:
        qa.load_index(index_dir)
    except qa.QAError:
        print(f"{name}: building the index…", file=sys.stderr)
        qa.build_index(paths, index_dir, settings=qa.Settings())
    return index_dir


def measure(name: str, index, questions) -> list[dict]:
    """Each question asked: its retrieval rank, its answer and the judgement."""
    items = []
    for question in questions:
        started = time.perf_counter()
        hits = index.search(question.q, k=10)
        searched = time.perf_counter()
        answer = index.answer(question.q)
        answered = time.perf_counter()
        judgement = judge(answer, question.answer, question.evidence, question.unanswerable)
        items.append({"set": name, "company": company(name, question), "id": question.id, "lang": question.lang,
                      "kind": question.kind, "q": question.q, "unanswerable": question.unanswerable,
                      "ranked": not question.unanswerable and bool(question.evidence),
                      "rank": evidence_rank(hits, question.evidence) if question.evidence else None,
                      "top5": bool(question.evidence) and evidence_rank(answer.hits[:5], question.evidence) is not None,
                      "retrieve_ms": (searched - started) * 1000, "answer_ms": (answered - searched) * 1000,
                      "judgement": judgement, "text": answer.text, "fact": answer.fact,
                      "confidence": answer.confidence})
    return items


def recall(items: list[dict], cutoff: int = 3) -> str:
    ranked = [item for item in items if item["ranked"]]
    if not ranked:
        return f"{'-':>5}"
    return f"{sum(item['rank'] is not None and item['rank'] <= cutoff for item in ranked) / len(ranked):>5.2f}"


def print_tables(items: list[dict]) -> None:
    groups = [("set", sorted({item["set"] for item in items})), ("company", sorted({item["company"] for item in items})),
              ("lang", ["en", "ja"]), ("kind", sorted({item["kind"] for item in items}))]
    print(f"{'':22}{'n':>4} {'r@3':>5} {'top5':>5} " + HEADER)
    for field, values in groups:
        for value in values:
            chosen = [item for item in items if item[field] == value]
            if not chosen:
                continue
            answerable = [item for item in chosen if item["ranked"]]
            top5 = f"{sum(item['top5'] for item in answerable) / len(answerable):>5.2f}" if answerable else f"{'-':>5}"
            print(f"{field + ' ' + value:22}{len(chosen):>4} {recall(chosen)} {top5} "
                  + row(summary([item["judgement"] for item in chosen])))
    everything = summary([item["judgement"] for item in items])
    print(f"{'all':22}{len(items):>4} {recall(items)} {'':5} " + row(everything))
    cross = [item for item in items if item["kind"] == "cross-lingual"]
    print(f"cross-lingual r@3: {recall(cross).strip()}   quotes verbatim: {everything['verbatim']:.0%}")
    times = sorted(item["answer_ms"] for item in items), sorted(item["retrieve_ms"] for item in items)
    print(f"p50 answer {times[0][len(items) // 2]:.1f} ms, retrieve {times[1][len(items) // 2]:.1f} ms")


def variant(overrides: list[str]) -> qa.Settings:
    """The settings of a variant: the defaults with `NAME=VALUE` overrides."""
    values = dict(override.partition("=")[::2] for override in overrides)
    return dataclasses.replace(qa.Settings.from_environment(),
                               **{name: qa.Settings.parse(name, raw) for name, raw in values.items()})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="sample,fixture,minato,agri,releases,more")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", help="write every question's result here")
    parser.add_argument("--misses", action="store_true", help="list what was not right")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a settings override for this run (a variant), e.g. hand_vocabulary=0")
    arguments = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    available = sets()
    items = []
    for name in arguments.sets.split(","):
        if name not in available:
            continue
        paths, questions = available[name]
        index = qa.load_index(index_for(name, paths, arguments.rebuild), settings=variant(arguments.setting))
        items += measure(name, index, questions)
    print_tables(items)
    if arguments.misses:
        for item in items:
            label = item["judgement"].label
            if label not in ("right", "refused") or (item["rank"] or 0) > 3:
                print(f"  {item['id']:10} {item['company']:9} {item['kind']:13} {label:9} rank {item['rank']}: "
                      f"{item['q'][:70]} -> {item['text'][:90]!r}")
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(
            [item | {"judgement": item["judgement"].to_dict()} for item in items], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
