"""The generative path on the development questions: latency per answer and what the
check dropped, through a real llama.cpp server with the small model of `make test-llm`.

    .venv/bin/python bench/llm_quality.py [--sets sample,releases] [--url URL --model NAME]
                                          [--timeout 60] [--passages 5]

Without --url it starts llama-cpp-python's server (the [llm] extra) with Gemma 3 270M
on a free loopback port and stops it at the end. Sets: `sample` (the bundled release,
tests/data/dev_qa.jsonl and extra_qa.jsonl) and `releases` (../shared/releases with
../shared/eval/releases_dev_qa.jsonl, when ../shared is here; that text is never
copied into the project). Prints, per question file, the `qa eval` table with the
generative line, and writes bench/results/llm_quality.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402
from qa.answer.generative import GenerativeAnswerer  # noqa: E402
from qa.evaluation import evaluate, read_questions, table  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from llm_server import start_server, stop_server  # noqa: E402

SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results"


def index_of(name: str, sources: list[Path]) -> qa.Index:
    folder = RESULTS / f"{name}-index"
    try:
        return qa.load_index(folder, settings=qa.Settings())
    except qa.errors.IndexNotFoundError:
        return qa.build_index(sources, folder, settings=qa.Settings())


def dropped_reasons(items: list[dict]) -> dict[str, int]:
    """The check's reasons, counted, read back from each answer's note ("… dropped by
    the check (4 because it repeated the prompt; it cited no passage)")."""
    counted: dict[str, int] = {}
    for item in items:
        note = item["note"]
        if "(" not in note or not item["dropped"]:
            continue
        inside = note[note.index("(") + 1:note.rindex(")")] if ")" in note else ""
        for part in inside.replace("、", "; ").split("; "):
            count, _, reason = part.partition(" because ")
            if not reason:
                count, reason = "1", part
            if ": " in reason:  # Japanese: "引用がない: 3文"
                reason, _, count = reason.partition(": ")
            digits = "".join(character for character in count if character.isdigit())
            counted[reason.strip()] = counted.get(reason.strip(), 0) + int(digits or 1)
    return dict(sorted(counted.items(), key=lambda pair: -pair[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="sample,releases")
    parser.add_argument("--url", help="an OpenAI-compatible server already running")
    parser.add_argument("--model", help="its model's name")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--passages", type=int, default=5)
    arguments = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    sets = []
    if "sample" in arguments.sets:
        sample = index_of("sample", [ROOT / "tests" / "data" / "ispace-2025-05-09-thermal-mining.pdf"])
        sets += [("dev_qa", sample, ROOT / "tests" / "data" / "dev_qa.jsonl"),
                 ("extra_qa", sample, ROOT / "tests" / "data" / "extra_qa.jsonl")]
    if "releases" in arguments.sets and (SHARED / "releases").is_dir():
        sets.append(("releases_dev_qa", index_of("releases", [SHARED / "releases"]),
                     SHARED / "eval" / "releases_dev_qa.jsonl"))
    process = None
    url = arguments.url
    if url is None:
        try:
            process, url = start_server(RESULTS / "llm-server.log")
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
    results = {}
    try:
        for name, index, path in sets:
            answerer = GenerativeAnswerer(url, arguments.model, timeout=arguments.timeout,
                                          dictionary=index.dictionary, passages=arguments.passages)
            started = time.monotonic()
            report = evaluate(index, read_questions(path), answerer=answerer)
            print(f"\n== {name} ({len(read_questions(path))} questions, {time.monotonic() - started:.0f} s) "
                  f"through {answerer.describe()}")
            for line in table(report):
                print(line)
            generation = report["answers"]["generation"]
            reasons = dropped_reasons(report["answers"]["questions"])
            print("dropped, by reason: " + ", ".join(f"{reason}: {count}" for reason, count in reasons.items()))
            results[name] = {"summary": report["answers"]["summary"], "generation": generation,
                             "dropped_reasons": reasons,
                             "questions": [{key: item[key] for key in ("id", "lang", "kind", "ok", "generator",
                                                                        "kept", "dropped", "note", "seconds")}
                                           for item in report["answers"]["questions"]]}
    finally:
        if process is not None:
            stop_server(process)
    (RESULTS / "llm_quality.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
