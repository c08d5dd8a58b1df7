"""`qa eval`: retrieval and answer quality on a JSONL file of questions.

Design choice: the file format is the development sets' (`id`, `q`, `lang`,
`answer`, `evidence`, `unanswerable`, and optionally `kind` and `doc`), and every
comparison is made after NFKC and removing all white space, so extraction artefacts
never decide a score. A hit counts when its passage contains the evidence string.
Every figure is given per language and per kind (`fact`, `cross-lingual`,
`temporal`, `unanswerable`, or `-` when the file has no kinds), with the misses.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import QAError
from .ingest.normalize import squash
from .scoring import HEADER, judge, row, summary

CUTOFFS = (1, 3, 5, 10)


@dataclass(frozen=True)
class Question:
    id: str
    q: str
    lang: str
    answer: tuple[str, ...] = ()
    evidence: str = ""
    unanswerable: bool = False
    kind: str = "-"
    doc: str = ""


def read_questions(path) -> list[Question]:
    questions = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise QAError(f"cannot read questions file {str(path)!r}: {error.strerror or error}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            unanswerable = bool(record.get("unanswerable", False))
            questions.append(Question(
                id=str(record.get("id", number)), q=record["q"], lang=record.get("lang", "en"),
                answer=tuple(record.get("answer") or ()), evidence=record.get("evidence") or "",
                unanswerable=unanswerable,
                kind=record.get("kind") or ("unanswerable" if unanswerable else "-"), doc=record.get("doc") or "",
            ))
        except (ValueError, KeyError, TypeError) as error:
            raise QAError(f"{path}:{number}: not a question record ({error})") from None
    return questions


@dataclass
class RetrievalScores:
    count: int = 0
    recall: dict[int, float] = field(default_factory=lambda: {cutoff: 0.0 for cutoff in CUTOFFS})
    reciprocal_rank: float = 0.0

    def add(self, rank: int | None) -> None:
        self.count += 1
        for cutoff in self.recall:
            if rank is not None and rank <= cutoff:
                self.recall[cutoff] += 1
        if rank is not None:
            self.reciprocal_rank += 1.0 / rank

    def summary(self) -> dict:
        if not self.count:
            return {"questions": 0}
        result = {f"recall@{cutoff}": round(hits / self.count, 4) for cutoff, hits in self.recall.items()}
        result["mrr"] = round(self.reciprocal_rank / self.count, 4)
        result["questions"] = self.count
        return result


def evidence_rank(hits, evidence: str) -> int | None:
    target = squash(evidence)
    for rank, hit in enumerate(hits, start=1):
        if target in squash(hit.text):
            return rank
    return None


def _groups(question: Question) -> list[str]:
    return [f"lang:{question.lang}", f"kind:{question.kind}", "all"]


def evaluate_retrieval(index, questions: list[Question], k: int = 5,
                       progress: Callable[[int], None] | None = None) -> dict:
    """Recall@1/3/5/10 and MRR per language, per kind and overall, over answerable
    questions."""
    depth = max(k, max(CUTOFFS))
    groups: dict[str, RetrievalScores] = {}
    details = []
    for question in questions:
        if question.unanswerable or not question.evidence:
            if progress:
                progress(1)
            continue
        hits = index.search(question.q, k=depth)
        rank = evidence_rank(hits, question.evidence)
        for group in _groups(question):
            groups.setdefault(group, RetrievalScores()).add(rank)
        details.append({"id": question.id, "lang": question.lang, "kind": question.kind, "rank": rank,
                        "q": question.q, "top": [hit.source for hit in hits[:3]], "doc": question.doc})
        if progress:
            progress(1)
    summaries = {group: scores.summary() for group, scores in groups.items()}
    return {
        "by_language": {group[5:]: summary for group, summary in sorted(summaries.items()) if group.startswith("lang:")},
        "by_kind": {group[5:]: summary for group, summary in sorted(summaries.items()) if group.startswith("kind:")},
        "overall": summaries.get("all", {"questions": 0}),
        "questions": details,
    }


def evaluate_answers(index, questions: list[Question], k: int = 3,
                     progress: Callable[[int], None] | None = None, answerer=None) -> dict:
    """Per language, per kind and overall: answered right, answered wrong, the closest
    passage, not found, unanswerable questions refused, the precision of stated facts
    and verbatim quotes (see `qa.scoring`). With a generative `answerer`, also what
    the check did (see `generation_summary`)."""
    details, judged = [], []
    for question in questions:
        started = time.perf_counter()
        answer = index.answer(question.q, k=max(k, 3), answerer=answerer)
        seconds = time.perf_counter() - started
        judgement = judge(answer, question.answer, question.evidence, question.unanswerable)
        judged.append((question, judgement))
        details.append({"id": question.id, "lang": question.lang, "kind": question.kind, "ok": judgement.label in
                        ("right", "refused"), "label": judgement.label, "outcome": answer.outcome,
                        "fact": answer.fact, "confidence": answer.confidence, "text": answer.text,
                        "found": answer.found, "unanswerable": question.unanswerable,
                        "quoted": judgement.quoted, "evidence_cited": judgement.evidence_cited,
                        "verbatim": judgement.verbatim, "q": question.q, "doc": question.doc,
                        "generator": answer.generator, "kept": kept_sentences(answer),
                        "dropped": len(answer.dropped), "dropped_sentences": list(answer.dropped),
                        "note": answer.note, "seconds": round(seconds, 3)})
        if progress:
            progress(1)

    def group(test) -> dict:
        return summary([judgement for question, judgement in judged if test(question)])

    report = {"summary": group(lambda question: True),
              "by_language": {language: group(lambda question, language=language: question.lang == language)
                              for language in sorted({question.lang for question in questions})},
              "by_kind": {kind: group(lambda question, kind=kind: question.kind == kind)
                          for kind in sorted({question.kind for question in questions})},
              "questions": details}
    if answerer is not None:
        report["generation"] = generation_summary(details)
    return report


def kept_sentences(answer) -> int:
    """How many of a generated answer's sentences the check let through (0 for an
    extractive answer, a fallback included)."""
    if answer.generator == "extractive":
        return 0
    from .answer.sentences import split_finished

    return len(split_finished(answer.text, final=True)[0])


def generation_summary(details: list[dict]) -> dict:
    """What the generative path did: answers the model wrote, answers where the
    extractive one stood in (by reason), sentences written and dropped by the check,
    and the time per answer."""
    seconds = sorted(item["seconds"] for item in details)
    written = sum(item["kept"] + item["dropped"] for item in details)
    dropped = sum(item["dropped"] for item in details)
    fallbacks: dict[str, int] = {}
    for item in details:
        if item["generator"] == "extractive":
            reason = re.split(r"\s*\(|;|。", item["note"])[0] or "extractive"
            fallbacks[reason] = fallbacks.get(reason, 0) + 1
    models = sorted({item["generator"] for item in details if item["generator"] != "extractive"})

    def percentile(share: float) -> float:
        return seconds[min(len(seconds) - 1, int(share * len(seconds)))] if seconds else 0.0

    return {"models": models, "answers_by_model": sum(item["generator"] != "extractive" for item in details),
            "fallbacks": sum(fallbacks.values()), "fallback_reasons": fallbacks, "sentences_written": written,
            "sentences_dropped": dropped, "dropped_share": round(dropped / written, 4) if written else 0.0,
            "seconds_mean": round(sum(seconds) / len(seconds), 3) if seconds else 0.0,
            "seconds_p50": round(percentile(0.5), 3), "seconds_p90": round(percentile(0.9), 3),
            "seconds_max": round(seconds[-1], 3) if seconds else 0.0, "questions": len(details)}


def evaluate(index, questions: list[Question], k: int = 3, answers: bool = True,
             progress: Callable[[int], None] | None = None, answerer=None) -> dict:
    report = {"retrieval": evaluate_retrieval(index, questions, k=k, progress=progress)}
    if answers:
        report["answers"] = evaluate_answers(index, questions, k=k, progress=progress, answerer=answerer)
    return report


def table(report: dict) -> list[str]:
    """The report as text: retrieval per language and kind, then answers per language
    and kind (right, wrong, passage, not found, precision, refused), then the misses."""
    retrieval = report["retrieval"]
    answers = report.get("answers")
    lines = [f"{'retrieval':18}{'n':>4} {'r@1':>5} {'r@3':>5} {'r@5':>5} {'r@10':>5} {'mrr':>5}"]
    rows = [(f"lang {name}", name, "by_language") for name in retrieval["by_language"]]
    rows += [(f"kind {name}", name, "by_kind") for name in retrieval["by_kind"]]
    for label, name, group in rows + [("all", None, None)]:
        scores = retrieval["overall"] if group is None else retrieval[group].get(name, {"questions": 0})
        line = f"{label:18}{scores.get('questions', 0):>4}"
        line += "".join(f" {scores[f'recall@{cutoff}']:>5.2f}" if scores.get("questions") else f" {'-':>5}"
                        for cutoff in CUTOFFS)
        line += f" {scores['mrr']:>5.2f}" if scores.get("questions") else f" {'-':>5}"
        lines.append(line)
    if answers:
        lines.append(f"{'answers':18}" + HEADER)
        rows = [(f"lang {name}", scores) for name, scores in answers["by_language"].items()]
        rows += [(f"kind {name}", scores) for name, scores in answers["by_kind"].items()]
        lines += [f"{label:18}" + row(scores) for label, scores in rows + [("all", answers["summary"])]]
        verbatim = answers["summary"]["verbatim"]
        if verbatim is not None:
            lines.append(f"quotes verbatim: {verbatim:.0%}")
    misses = [item for item in retrieval["questions"] if item["rank"] is None or item["rank"] > 3]
    if misses:
        lines.append("retrieval misses (evidence not in the top 3):")
        lines += [f"  {item['id']} [{item['lang']}, {item['kind']}] rank {item['rank'] or '>10'}: {item['q']}"
                  for item in misses]
    generation = (answers or {}).get("generation")
    if generation:
        lines.append(f"generative ({', '.join(generation['models']) or 'no answer from the model'}): "
                     f"{generation['answers_by_model']}/{generation['questions']} answers written by the model, "
                     f"{generation['fallbacks']} extractive instead; "
                     f"{generation['sentences_dropped']} of {generation['sentences_written']} sentences dropped by the "
                     f"check ({generation['dropped_share']:.0%}); seconds per answer: mean {generation['seconds_mean']:.1f}, "
                     f"p50 {generation['seconds_p50']:.1f}, p90 {generation['seconds_p90']:.1f}, "
                     f"max {generation['seconds_max']:.1f}")
        lines += [f"  extractive instead, {count}x: {reason}" for reason, count in generation["fallback_reasons"].items()]
    if answers:
        wrong = [item for item in answers["questions"] if not item["ok"]]
        if wrong:
            lines.append("answer misses (wrong, passage, not found; unanswerable answered):")
            lines += [f"  {item['id']} [{item['lang']}, {item['kind']}] {item['label']}: "
                      f"{item['text'][:140]!r}" for item in wrong]
    return lines
