"""`qa eval`: retrieval (and answer) quality on a JSONL file of questions.

Design choice: the file format is the development set's (`id`, `q`, `lang`,
`answer`, `evidence`, `unanswerable`), and every comparison is made after NFKC and
removing all white space, so extraction artefacts never decide a score. A hit counts
when its passage contains the evidence string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QAError
from .ingest.normalize import squash


@dataclass(frozen=True)
class Question:
    id: str
    q: str
    lang: str
    answer: tuple[str, ...] = ()
    evidence: str = ""
    unanswerable: bool = False


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
            questions.append(Question(
                id=str(record.get("id", number)), q=record["q"], lang=record.get("lang", "en"),
                answer=tuple(record.get("answer") or ()), evidence=record.get("evidence") or "",
                unanswerable=bool(record.get("unanswerable", False)),
            ))
        except (ValueError, KeyError, TypeError) as error:
            raise QAError(f"{path}:{number}: not a question record ({error})") from None
    return questions


@dataclass
class RetrievalScores:
    count: int = 0
    recall: dict[int, float] = field(default_factory=lambda: {1: 0.0, 3: 0.0, 5: 0.0})
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


def evaluate_retrieval(index, questions: list[Question], k: int = 5) -> dict:
    """Recall@1/3/5 and MRR per language (and overall) over answerable questions."""
    depth = max(k, 5)
    by_language: dict[str, RetrievalScores] = {}
    overall = RetrievalScores()
    details = []
    for question in questions:
        if question.unanswerable or not question.evidence:
            continue
        hits = index.search(question.q, k=depth)
        rank = evidence_rank(hits, question.evidence)
        by_language.setdefault(question.lang, RetrievalScores()).add(rank)
        overall.add(rank)
        details.append({"id": question.id, "lang": question.lang, "rank": rank})
    return {
        "by_language": {language: scores.summary() for language, scores in sorted(by_language.items())},
        "overall": overall.summary(),
        "questions": details,
    }


def citations_valid(answer, evidence: str = "") -> bool:
    """Every quote is the exact span of its passage that its offsets name, and (when
    evidence is given) some cited passage holds the evidence."""
    for citation in answer.citations:
        if citation.hit.text[citation.quote_start:citation.quote_end] != citation.quote or not citation.quote:
            return False
    if evidence and answer.found:
        target = squash(evidence)
        return any(target in squash(citation.hit.text) for citation in answer.citations)
    return True


def evaluate_answers(index, questions: list[Question], k: int = 3) -> dict:
    """Answer accuracy, refusal accuracy, false answers and refusals, citation validity."""
    answerable = correct = unanswerable = refused_right = valid = total = false_refusals = 0
    details = []
    for question in questions:
        answer = index.answer(question.q, k=max(k, 3))
        total += 1
        citation_ok = citations_valid(answer, "" if question.unanswerable else question.evidence)
        valid += citation_ok
        if question.unanswerable:
            unanswerable += 1
            ok = not answer.found
            refused_right += ok
            problem = "" if ok else "answered an unanswerable question"
        else:
            answerable += 1
            text = squash(answer.text)
            ok = answer.found and any(squash(option) in text for option in question.answer)
            correct += ok
            if not answer.found:
                false_refusals += 1
            problem = "" if ok else ("refused" if not answer.found else "wrong answer")
        if not citation_ok:
            ok, problem = False, "invalid citation"
        details.append({"id": question.id, "lang": question.lang, "ok": ok, "problem": problem,
                        "text": answer.text, "found": answer.found})
    summary = {
        "answer_accuracy": round(correct / answerable, 4) if answerable else None,
        "refusal_accuracy": round(refused_right / unanswerable, 4) if unanswerable else None,
        "false_refusals": false_refusals,
        "false_answers": unanswerable - refused_right,
        "citation_validity": round(valid / total, 4) if total else None,
        "questions": total,
    }
    return {"summary": summary, "questions": details}


def evaluate(index, questions: list[Question], k: int = 3, answers: bool = True) -> dict:
    report = {"retrieval": evaluate_retrieval(index, questions, k=k)}
    if answers:
        report["answers"] = evaluate_answers(index, questions, k=k)
    return report
