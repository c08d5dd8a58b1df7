"""The claim check measured on answers a good model would give, and on lying ones.

    .venv/bin/python bench/claim_check.py [--sets sample,fixtures,releases,more] [--json PATH] [--show]

A scripted model (an OpenAI-compatible server on loopback, tests/fake_llm.py with a
responder) reads the prompt qa sends, finds the passage [n] that holds the
question's evidence, and answers with a scripted sentence ending in [n]: first the
correct answer (paraphrased, in the question's language, the fact translated when
the passage is in the other language), then each version with one fact altered.
Every reply goes through the real generative path (qa/answer/generative.py with
checking.py and claims.py). Sets: `sample` (the bundled release, tests/data/dev_qa
and extra_qa) and `fixtures` (tests/data/releases), whose answers are hand-written
in tests/data/scripted_answers.jsonl; `releases` and `more` (../shared/releases and
../shared/releases-more with their development questions, read at run time and
never copied), whose answers `scripted_answers.script` builds by rule.

Prints, per set and split by same-language / other-language question and passage:
correct answers kept (the extractive stand-in counts as lost), sentences dropped by
the check's reason, altered facts shown; then each lost answer and each altered fact
shown (with --show, every dropped sentence). Questions whose evidence is not in the
prompt (a retrieval miss) are counted apart: they measure retrieval, not the check.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

import qa  # noqa: E402
from qa.answer.checking import Checker  # noqa: E402
from qa.answer.framing import FALLBACK_NOTES  # noqa: E402
from qa.answer.generative import GenerativeAnswerer, passages_of  # noqa: E402
from qa.answer.prompting import REFUSALS  # noqa: E402
from qa.answer.sentences import MARKER  # noqa: E402
from fake_llm import FakeLLM, Reply  # noqa: E402
from scripted_answers import Script, is_japanese, script  # noqa: E402

SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "tests" / "data"
MODEL = "scripted-model"
NAME_FACTS = ("name", "person", "organisation", "place", "product")


def plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def sets(names: list[str]) -> list[tuple[str, list[Path], list[Path], bool]]:
    """(name, sources, question files, hand-written) for each set asked for and present."""
    found = []
    if "sample" in names:
        found.append(("sample", [DATA / "ispace-2025-05-09-thermal-mining.pdf"],
                      [DATA / "dev_qa.jsonl", DATA / "extra_qa.jsonl"], True))
    if "fixtures" in names:
        found.append(("fixtures", [DATA / "releases"], [DATA / "releases_qa.jsonl"], True))
    if "releases" in names and (SHARED / "releases").is_dir():
        found.append(("releases", [SHARED / "releases"], [SHARED / "eval" / "releases_dev_qa.jsonl"], False))
    if "more" in names and (SHARED / "releases-more").is_dir():
        found.append(("more", [SHARED / "releases-more"], [SHARED / "eval" / "releases_more_qa.jsonl"], False))
    return found


def index_of(name: str, sources: list[Path]) -> qa.Index:
    folder = RESULTS / f"claim-{name}-index"
    try:
        return qa.load_index(folder, settings=qa.Settings())
    except qa.errors.IndexNotFoundError:
        return qa.build_index(sources, folder, settings=qa.Settings())


def hand_written() -> dict[str, dict]:
    rows = [json.loads(line) for line in (DATA / "scripted_answers.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return {row["id"]: row for row in rows}


class ScriptedModel:
    """The server's replies: the text set for the question asked, its [n] the number
    of the first passage in the prompt that holds the evidence."""

    def __init__(self):
        self.evidence, self.text, self.language = "", "", "en"

    def respond(self, request: dict) -> Reply:
        prompt = request["messages"][-1]["content"]
        for number, passage in enumerate(prompt_passages(prompt), start=1):
            if plain(self.evidence) in plain(passage):
                return Reply(self.text.replace("[n]", f"[{number}]"), piece=12)
        return Reply(REFUSALS[self.language], piece=12)


def prompt_passages(prompt: str) -> list[str]:
    """The passages' texts as qa's prompt numbers them ("[n] (release of …)" then the text)."""
    lines = prompt.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines[:-1]) if re.match(r"\[\d+\] \(", line)]


def fallback_reason(note: str, language: str) -> str:
    for why, template in FALLBACK_NOTES[language].items():
        head = template.split("{")[0]
        if why != "tail" and head and note.startswith(head):
            return f"fallback: {why}"
    return "fallback"


def run_one(answerer, model: ScriptedModel, evidence, text: str, checker: Checker) -> dict:
    model.text = text
    answer = answerer.answer(evidence)
    reasons = []
    for sentence in answer.dropped:
        verdict = checker.check(sentence)
        reasons.append((verdict.problem or "echo/question", verdict.detail))
    kept = answer.generator == MODEL and answer.found
    if not kept and not reasons:
        reasons.append((fallback_reason(answer.note, evidence.question.language), answer.note))
    return {"kept": kept, "text": answer.text, "reasons": reasons}


def measure(name: str, index: qa.Index, questions: list[dict], scripts: dict | None, model: ScriptedModel,
            url: str) -> list[dict]:
    answerer = GenerativeAnswerer(url, MODEL, timeout=30, dictionary=index.dictionary)
    results = []
    for record in questions:
        if record.get("unanswerable") or not record.get("answer"):
            continue
        evidence = index.evidence(record["q"])
        if isinstance(evidence, qa.Answer):
            continue
        passages = passages_of(evidence, answerer.passages)
        holding = [hit for hit in passages if plain(record["evidence"]) in plain(hit.text)]
        item = {"set": name, "id": record["id"], "lang": record["lang"], "kind": record.get("kind", "")}
        if not holding:
            results.append({**item, "in_prompt": False})
            continue
        passage = holding[0]
        passage_language = "ja" if is_japanese(passage.text) and \
            sum(map(is_japanese, passage.text)) > len(passage.text) / 5 else "en"
        if scripts is not None:
            row = scripts.get(record["id"])
            if row is None:
                continue
            made = Script(row["answer"], tuple((alt["fact"], alt["text"]) for alt in row.get("altered", ())))
        else:
            made = script(record, passage.text)
            if made is None:
                continue
        model.evidence, model.language = record["evidence"], record["lang"]
        checker = Checker(passages, dictionary=index.dictionary, forms=evidence.forms, common=evidence.common,
                          question=evidence.question.asked)
        correct = run_one(answerer, model, evidence, made.answer, checker)
        altered = []
        for fact, text in made.altered:
            outcome = run_one(answerer, model, evidence, text, checker)
            shown = outcome["kept"] and plain(text.split("[n]")[0]) in plain(MARKER.sub("", outcome["text"]))
            altered.append({"fact": fact, "text": text, "shown": shown, "reasons": outcome["reasons"]})
        results.append({**item, "in_prompt": True, "passage_lang": passage_language,
                        "pair": "same" if passage_language == record["lang"] else "other",
                        "answer": made.answer, "correct": correct, "altered": altered})
    return results


def summary(results: list[dict], label: str) -> list[str]:
    asked = [item for item in results if item["in_prompt"]]
    lines = []
    for pair in ("all", "same", "other"):
        chosen = [item for item in asked if pair == "all" or item["pair"] == pair]
        if not chosen:
            continue
        kept = sum(item["correct"]["kept"] for item in chosen)
        altered = [alt for item in chosen for alt in item["altered"]]
        shown = sum(alt["shown"] for alt in altered)
        reasons = Counter(reason for item in chosen if not item["correct"]["kept"]
                          for reason, _ in item["correct"]["reasons"][:1])
        lines.append(f"| {label} | {pair} | {len(chosen)} | {kept} ({kept / len(chosen):.2f}) | "
                     + (", ".join(f"{reason} {count}" for reason, count in reasons.most_common()) or "-")
                     + f" | {shown} of {len(altered)} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="sample,fixtures,releases,more")
    parser.add_argument("--json", type=Path, default=RESULTS / "claim_check.json")
    parser.add_argument("--show", action="store_true", help="every dropped sentence, with the check's detail")
    parser.add_argument("--without-e2k", action="store_true", help="katakana compared without e2k's readings")
    arguments = parser.parse_args()
    if arguments.without_e2k:
        from qa.search import transliterate
        transliterate._e2k = lambda: None
    RESULTS.mkdir(parents=True, exist_ok=True)
    model = ScriptedModel()
    everything = []
    started = time.monotonic()
    with FakeLLM(model=MODEL, respond=model.respond) as server:
        for name, sources, files, own in sets(arguments.sets.split(",")):
            index = index_of(name, sources)
            questions = [json.loads(line) for path in files for line in path.read_text(encoding="utf-8").splitlines()
                         if line.strip()]
            everything += measure(name, index, questions, hand_written() if own else None, model, server.url)
    print(f"{len(everything)} questions in {time.monotonic() - started:.0f} s; "
          f"evidence not in the prompt (retrieval misses, not counted): "
          f"{sum(not item['in_prompt'] for item in everything)}")
    print("| set | question/passage language | questions | correct answers kept | lost, by the check's reason "
          "| altered facts shown |\n|---|---|---|---|---|---|")
    for name in dict.fromkeys(item["set"] for item in everything):
        for line in summary([item for item in everything if item["set"] == name], name):
            print(line)
    for line in summary(everything, "**all**"):
        print(line)
    print("\nAll sentences dropped, by reason (correct answers / altered):")
    for which in ("correct", "altered"):
        counted = Counter(reason for item in everything if item["in_prompt"]
                          for outcome in ([item["correct"]] if which == "correct" else item["altered"])
                          for reason, _ in outcome["reasons"])
        print(f"  {which}: " + (", ".join(f"{reason} {count}" for reason, count in counted.most_common()) or "none"))
    kinds = Counter(alt["fact"] for item in everything if item["in_prompt"] for alt in item["altered"])
    shown = Counter(alt["fact"] for item in everything if item["in_prompt"] for alt in item["altered"] if alt["shown"])
    print("  altered facts shown, by what was altered: "
          + ", ".join(f"{kind} {shown[kind]}/{count}" for kind, count in kinds.most_common()))
    names = [item for item in everything if item["in_prompt"]]
    print(f"  names: false drops (correct answers lost for a name) "
          f"{sum(not item['correct']['kept'] and item['correct']['reasons'][:1] and item['correct']['reasons'][0][0] == 'name' for item in names)}"
          f" of {len(names)}; false passes (altered names shown) "
          f"{sum(shown[kind] for kind in kinds if kind in NAME_FACTS)} of {sum(kinds[kind] for kind in kinds if kind in NAME_FACTS)}")
    print("\nCorrect answers lost:")
    for item in everything:
        if item["in_prompt"] and not item["correct"]["kept"]:
            print(f"  {item['id']} ({item['pair']}): {item['answer']}")
            for reason, detail in item["correct"]["reasons"]:
                print(f"      {reason}: {detail}")
    print("\nAltered facts shown:")
    for item in everything:
        for alt in item["altered"] if item["in_prompt"] else ():
            if alt["shown"] or arguments.show:
                print(f"  {item['id']} ({alt['fact']}{', shown' if alt['shown'] else ''}): {alt['text']}"
                      + ("" if alt["shown"] else f"  <- {alt['reasons'][:1]}"))
    arguments.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
