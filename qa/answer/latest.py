"""A question about the latest (最新, 直近, "the latest", "most recent"): the newest
release's statement, stated or quoted.

Design choice: the confidence model weighs a sentence against the question, not against
the other releases, and an older release often says the same thing in words closer to the
question (従業員数は168名(2023年2月末時点)となっております against the 2025 profile line
従業員数：205名). So once the model has spoken, the release dates decide among the
sentences it holds about as likely: a figure is never stated first for "the latest" when
a newer release gives another figure the model holds may answer it (it is quoted as the
closest passage instead), and the passage quoted is the newest among those held at least
`LATEST_SHARE` as likely as the closest. Both only for a question that says "latest"; a
question without a time is left to the model and to the newer-release check of
`answering`. Each sentence must name the question's names as fully as the one it
replaces (another company's newer figure is no update).
"""

from __future__ import annotations

from ..search.question import GENERAL
from .evidence import Evidence
from .stating import Scored
from .timeline import fact_value

# The passages held at least this share as likely to give the answer as the closest one
# compete on their release date: half, set before measuring (0.75 gave one more passage
# holding the answer on the development sets; see docs/quality.md, the twelfth session).
LATEST_SHARE = 0.5
# A newer release's other figure vetoes an older one's when the model holds it at least
# this share of the passage threshold: a sentence in the question's other language scores
# lower (伊吹建設の…最新の開示での配当 held "The annual dividend was 90 yen" at 0.13 against
# a floor of 0.20, and 60円 of 2022 was stated). Half, as LATEST_SHARE; on the 18
# development sets it vetoed no right statement, where no floor at all cost 4 (docs/quality.md).
NEWER_SHARE = 0.5


def _asks_latest(evidence: Evidence) -> bool:
    frame = evidence.question.timeframe
    return bool(frame) and frame.kind == "latest"


def superseding(evidence: Evidence, best: Scored, stateable: list[Scored], floor: float) -> Scored | None:
    """For a question about the latest, the newest of `stateable` (the sentences that may
    be stated) from a release after `best`'s whose different value the model holds may
    answer it (P(holds) ≥ `NEWER_SHARE` × `floor`, the passage threshold); None when there
    is none, or the question does not ask about the latest."""
    date = best.candidate.hit.doc_date
    if not _asks_latest(evidence) or best.fact is None or not date:
        return None
    named = evidence.subject.names_share(best.candidate.hit.text)
    value = fact_value(best.fact.text)
    newer = [item for item in stateable if item.fact is not None and item.holds >= NEWER_SHARE * floor
             and (item.candidate.hit.doc_date or "") > date and fact_value(item.fact.text) != value
             and evidence.subject.names_share(item.candidate.hit.text) >= named]
    return max(newer, key=lambda item: (item.candidate.hit.doc_date, item.holds), default=None)


def newest_close(evidence: Evidence, closest: Scored, scored: list[Scored], floor: float) -> Scored:
    """For a question about the latest, the sentence to quote as the closest passage: the
    newest release's among those held at least `LATEST_SHARE` as likely as `closest` (and
    at least `floor`), about what is asked, with a fact of the asked kind unless the
    closest has none; `closest` otherwise."""
    if not _asks_latest(evidence) or not closest.candidate.hit.doc_date:
        return closest
    named = evidence.subject.names_share(closest.candidate.hit.text)
    least = max(floor, LATEST_SHARE * closest.holds)
    close = [item for item in scored if item.candidate.numbered and item.holds >= least
             and (item.fact is not None or closest.fact is None or evidence.question.kind == GENERAL)
             and evidence.subject.names_share(item.candidate.hit.text) >= named]
    return max(close, key=lambda item: (item.candidate.hit.doc_date or "", item.holds), default=closest)
