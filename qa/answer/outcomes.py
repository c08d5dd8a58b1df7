"""The three outcomes as records: a passage quoted, a refusal, and the check every
answer passes before it is returned.

Design choice: an `Answer` is built in one place per outcome, so the extractive and the
generative answerer say "the closest passage" and "the releases do not say" the same
way, and no answer leaves the answer stage with a quote that is not the exact span of
its passage (`verify_citations`).
"""

from __future__ import annotations

from ..errors import QAError
from ..records import NOT_FOUND, PASSAGE, Answer, Citation
from .candidates import Candidate
from .evidence import Evidence
from .facts import is_plan
from .framing import passage_text, refusal_text


def passage(evidence: Evidence, candidate: Candidate, holds: float) -> Answer:
    """"The closest passage says: …": `candidate`'s sentence quoted, no fact claimed."""
    question = evidence.question
    citation = Citation(1, candidate.hit, candidate.text, candidate.start, candidate.end)
    answer = Answer(text=passage_text(question.language, citation, plan=is_plan(candidate.text)), found=False,
                    outcome=PASSAGE, citations=[citation], language=question.language, question=question.text,
                    hits=list(evidence.hits), confidence=round(holds, 4))
    verify_citations(answer)
    return answer


def refusal(evidence: Evidence, missing_kind: str | None) -> Answer:
    question = evidence.question
    return Answer(text=refusal_text(question.language, missing_kind, unknown=evidence.subject.unknown),
                  found=False, outcome=NOT_FOUND, citations=[], language=question.language, question=question.text,
                  hits=list(evidence.hits))


def verify_citations(answer: Answer) -> None:
    """Every quote must be the exact span of its passage that its offsets name, and
    every [n] in the text must name a citation."""
    for citation in answer.citations:
        if not citation.quote or citation.hit.text[citation.quote_start:citation.quote_end] != citation.quote:
            raise QAError(f"internal error: citation [{citation.n}] is not a verbatim span of its passage")
    for number in range(1, len(answer.citations) + 1):
        if f"[{number}]" not in answer.text:
            raise QAError(f"internal error: citation [{number}] is not referred to in the answer")
