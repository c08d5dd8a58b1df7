"""Retrieval and answer quality on several question sets, for several search variants.

    .venv/bin/python bench/release_quality.py [--sets releases,sample,distractors,fixture]
                                              [--variants default,no-dictionary,...] [--answers]

Sets (each built once into bench/results/<set>-index and reused):
- releases: ../shared/releases with ../shared/eval/releases_dev_qa.jsonl (skipped when
  ../shared is absent: that text is not ours and is never copied into the project);
- sample: the bundled sample release with tests/data/dev_qa.jsonl + extra_qa.jsonl;
- distractors: the sample release among 150 manpages-ja pages (Debian's manpages-ja),
  same questions;
- fixture: the invented bilingual multi-release fixture of the tests
  (tests/data/releases, tests/data/releases_qa.jsonl).

Variants are settings overrides (see qa.Settings); each prints recall@3 per language
and per kind, and with --answers the answer accuracy and refusals.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa  # noqa: E402
from qa.evaluation import evaluate, read_questions  # noqa: E402
from answer_quality import index_for  # noqa: E402

SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results"
VARIANTS = {
    "default": {},
    "no-dictionary": {"dictionary": False},
    "no-time": {"time_weight": 0.0, "time_filter": False},
    "no-calibration": {"calibrate_dense": False},
    "translation-0.5": {"translation_weight": 0.5},
    "translation-2": {"translation_weight": 2.0},
    "lexical-0.5": {"lexical_weight": 0.5},
    "lexical-2": {"lexical_weight": 2.0},
    "time-0.5": {"time_weight": 0.5},
    "time-2": {"time_weight": 2.0},
    "rrf-k-30": {"rrf_k": 30},
    "rrf-k-60": {"rrf_k": 60},
    "no-vocabulary": {"hand_vocabulary": False},
}


def _sample_questions() -> list:
    return read_questions(ROOT / "tests/data/dev_qa.jsonl") + read_questions(ROOT / "tests/data/extra_qa.jsonl")


def _corpus(name: str) -> tuple[list[Path], list] | None:
    if name == "releases":
        if not (SHARED / "releases").is_dir():
            print("releases: ../shared/releases is absent; skipped", file=sys.stderr)
            return None
        return [SHARED / "releases"], read_questions(SHARED / "eval/releases_dev_qa.jsonl")
    if name == "sample":
        return [ROOT / "tests/data/ispace-2025-05-09-thermal-mining.pdf"], _sample_questions()
    if name == "distractors":
        from corpus import write_corpus

        folder = RESULTS / "manpages-150"
        if not folder.is_dir() or len(list(folder.glob("*.txt"))) < 150:
            write_corpus(folder, 150)
        return [ROOT / "tests/data/ispace-2025-05-09-thermal-mining.pdf", folder], _sample_questions()
    if name == "fixture":
        return [ROOT / "tests/data/releases"], read_questions(ROOT / "tests/data/releases_qa.jsonl")
    raise SystemExit(f"unknown set {name!r}")


def _row(label: str, report: dict, answers: bool) -> str:
    retrieval = report["retrieval"]
    cells = [f"{label:24}"]
    for group, key in (("by_language", "en"), ("by_language", "ja"), ("by_kind", "fact"),
                       ("by_kind", "cross-lingual"), ("by_kind", "temporal")):
        scores = retrieval[group].get(key)
        cells.append(f"{scores['recall@3']:>6.2f}" if scores and scores.get("questions") else f"{'-':>6}")
    cells.append(f"{retrieval['overall'].get('recall@3', 0):>6.2f}")
    if answers:
        summary = report["answers"]["summary"]
        accuracy = summary["right_rate"]
        cells.append(f"{accuracy:>7.2f}" if accuracy is not None else f"{'-':>7}")
        cells.append(f"{summary['refused']:>3}/{summary['unanswerable']:<3}")
    return " ".join(cells)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="releases,sample,distractors,fixture")
    parser.add_argument("--variants", default="default")
    parser.add_argument("--answers", action="store_true", help="also answer every question")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the indexes")
    parser.add_argument("--misses", action="store_true", help="list the retrieval misses of each variant")
    arguments = parser.parse_args(argv)
    variants = list(VARIANTS) if arguments.variants == "all" else arguments.variants.split(",")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in arguments.sets.split(","):
        corpus = _corpus(name)
        if corpus is None:
            continue
        paths, questions = corpus
        index_dir = index_for(name, paths, arguments.rebuild)
        header = f"{'':24} {'en':>6} {'ja':>6} {'fact':>6} {'cross':>6} {'time':>6} {'all':>6}"
        if arguments.answers:
            header += f" {'answers':>7} refused"
        print(f"\n{name}: {len(questions)} questions, recall@3" + (" and answers" if arguments.answers else ""))
        print(header)
        for variant in variants:
            settings = dataclasses.replace(qa.Settings(), **VARIANTS[variant])
            index = qa.load_index(index_dir, settings=settings)
            started = time.monotonic()
            report = evaluate(index, questions, answers=arguments.answers)
            print(_row(variant, report, arguments.answers) + f"   ({time.monotonic() - started:.1f} s)")
            if arguments.misses:
                for item in report["retrieval"]["questions"]:
                    if item["rank"] is None or item["rank"] > 3:
                        print(f"    miss {item['id']} rank {item['rank'] or '>10'}: {item['q']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
