"""Judging answers: answered right or wrong, the closest passage, not found, and precision.

Design choice: an answer is judged on what it states first (`Answer.fact`: the fact
as shown, or for a general question the quoted sentence), never on its whole text,
so a wrong date followed by a quote that holds the right one counts as wrong: that
is what a reader takes away. Every comparison is made after NFKC and removing all
white space (`squash`). The precision of stated facts counts every fact qa states:
an answer to an answerable question, right or wrong, and an answer to an
unanswerable one, which is always wrong. A "passage" or "not found" states no fact,
so for an unanswerable question both are a refusal.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .ingest.normalize import squash
from .records import ANSWER, NOT_FOUND, PASSAGE


@dataclass(frozen=True)
class Judgement:
    outcome: str            # "answer", "passage" or "not_found"
    unanswerable: bool
    right: bool             # answerable: the stated fact is an acceptable answer
    quoted: bool            # the quotes hold an acceptable answer (a useful passage)
    evidence_cited: bool    # a cited passage holds the evidence string
    verbatim: bool          # every quote is the exact span of its passage

    @property
    def label(self) -> str:
        """right, wrong, passage, not found (answerable); refused or answered (unanswerable)."""
        if self.unanswerable:
            return "answered" if self.outcome == ANSWER else "refused"
        if self.outcome == ANSWER:
            return "right" if self.right else "wrong"
        return "passage" if self.outcome == PASSAGE else "not found"

    def to_dict(self) -> dict:
        return asdict(self) | {"label": self.label}


def verbatim(answer) -> bool:
    return all(citation.quote and citation.hit.text[citation.quote_start:citation.quote_end] == citation.quote
               for citation in answer.citations)


def stated(answer) -> str:
    """What the answer states first: its fact, else (an answer written by a language
    model, or a record without one) its text."""
    return answer.fact or answer.text


def matches(options, text: str) -> bool:
    target = squash(text)
    return any(squash(option) and squash(option) in target for option in options)


def judge(answer, options=(), evidence: str = "", unanswerable: bool = False) -> Judgement:
    quotes = " ".join(citation.quote for citation in answer.citations)
    cited = bool(evidence) and any(squash(evidence) in squash(citation.hit.text) for citation in answer.citations)
    right = not unanswerable and answer.outcome == ANSWER and matches(options, stated(answer))
    return Judgement(answer.outcome, unanswerable, right, matches(options, quotes), cited, verbatim(answer))


def summary(judgements: list[Judgement]) -> dict:
    """Counts and rates over a group of judged answers."""
    answerable = [item for item in judgements if not item.unanswerable]
    unanswerable = [item for item in judgements if item.unanswerable]
    right = sum(item.label == "right" for item in answerable)
    wrong = sum(item.label == "wrong" for item in answerable)
    falsely = sum(item.label == "answered" for item in unanswerable)
    stated_facts = right + wrong + falsely
    return {
        "questions": len(judgements), "answerable": len(answerable), "unanswerable": len(unanswerable),
        "right": right, "wrong": wrong, "passage": sum(item.label == "passage" for item in answerable),
        "not_found": sum(item.label == "not found" for item in answerable),
        "passage_holds": sum(item.outcome == PASSAGE and item.quoted for item in answerable),
        "refused": len(unanswerable) - falsely, "falsely_answered": falsely,
        "not_found_unanswerable": sum(item.outcome == NOT_FOUND for item in unanswerable),
        "right_rate": round(right / len(answerable), 4) if answerable else None,
        "refused_rate": round((len(unanswerable) - falsely) / len(unanswerable), 4) if unanswerable else None,
        "precision": round(right / stated_facts, 4) if stated_facts else None,
        "verbatim": round(sum(item.verbatim for item in judgements) / len(judgements), 4) if judgements else None,
    }


HEADER = f"{'answerable':>10} {'right':>6} {'wrong':>6} {'passage':>8} {'not found':>9} {'precision':>9} {'refused':>8}"


def row(scores: dict) -> str:
    """One table row: answerable n, right, wrong, passage, not found, precision, refused/unanswerable."""
    if not scores.get("questions"):
        return f"{'-':>10}"
    precision = f"{scores['precision']:.2f}" if scores["precision"] is not None else "-"
    refused = f"{scores['refused']}/{scores['unanswerable']}" if scores["unanswerable"] else "-"
    return (f"{scores['answerable']:>10} {scores['right']:>6} {scores['wrong']:>6} {scores['passage']:>8} "
            f"{scores['not_found']:>9} {precision:>9} {refused:>8}")
