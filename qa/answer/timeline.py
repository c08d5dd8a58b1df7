"""Which release's statement to give, and what a newer release changed.

Design choice: releases restate and revise the same facts (a landing "at the end of
April 2023" becomes "April 25, 2023"), so the answer says which release a fact is
from and whether a newer one says otherwise. Among candidates nearly as relevant as
the best (`LATEST_MARGIN`), a question about the latest or current state takes the
newest release's, and a question set in a period takes one from that period. After
the answer is chosen, the passages of releases newer than its own are read for the
same kind of fact about the same thing (same subject, same event word, relevant
enough); a different value there is reported with its own citation. Values are
compared after NFKC and without spaces, dates by the day they name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from ..ingest.dates import find_dates
from ..ingest.normalize import squash
from ..search.quantities import quantities
from ..search.timeframe import TimeFrame
from .candidates import Candidate
from .changes import roles
from .facts import Fact
from .evidence import Evidence
from .features import FEATURES, asks_past

if TYPE_CHECKING:  # stating reads fact values from here
    from .stating import Scored

_OVERLAP_RARE = FEATURES.index("overlap_rare")

# Candidates within this relevance of the best compete on their release date.
LATEST_MARGIN = 0.03


def prefer_in_time(candidates: list[Candidate], frame: TimeFrame) -> list[Candidate]:
    """Reorder relevant candidates for the question's time frame: the newest release
    first for "latest", releases in the period first for a period. Candidates that
    are not within `LATEST_MARGIN` of the best keep their place after the others."""
    if not frame or not candidates:
        return candidates
    # Only the leading group competes: candidates naming the event asked about (a
    # landing) stay ahead of the others, whatever their dates.
    group = [candidate for candidate in candidates if candidate.event_in_sentence == candidates[0].event_in_sentence]
    best = max(candidate.relevance for candidate in group)
    close = [candidate for candidate in group if candidate.relevance >= best - LATEST_MARGIN]
    rest = [candidate for candidate in candidates if candidate not in close]
    if frame.kind in ("latest", "as_of", "before"):  # the newest statement the frame admits
        close.sort(key=lambda candidate: (candidate.hit.doc_date or ""), reverse=True)
    else:
        close.sort(key=lambda candidate: not frame.contains(candidate.hit.doc_date))
    return close + rest


# Units written differently in the two languages, one name each (90 days and 90日間 are
# the same fact; an amount of money is compared by its value, see `quantities`).
_UNIT_NAMES = (("day", ("日間", "days", "day")), ("week", ("週間", "weeks")), ("month", ("か月", "カ月", "ヶ月", "months")),
               ("year", ("年間", "years")), ("hour", ("時間", "hours")), ("km", ("km", "キロ", "kilometers")),
               ("person", ("名", "人", "people", "employees", "persons", "staff", "jobs")),
               ("percent", ("%", "％", "percent", "パーセント")), ("share", ("株", "shares")))
_FIRST_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def fact_value(text: str) -> str:
    """A fact's value for comparison: the day a date names; a number with its unit
    (90 days and 90日間 alike); an amount by its value (80億円, 8 billion yen); else
    its squashed text."""
    dates = find_dates(text)
    if dates:
        return dates[0].iso
    amounts = quantities(text)
    if amounts and re.search(r"[億万兆]|million|billion|trillion", text, re.IGNORECASE):
        return "amount:" + ",".join(str(value) for value in sorted(amounts))
    number = _FIRST_NUMBER.search(text)
    if number:
        lowered = text.lower()
        for name, forms in _UNIT_NAMES:
            if any(form in lowered for form in forms):
                return f"{number.group().replace(',', '')} {name}"
    return squash(text).lower()


def _restatements(chosen: Candidate, value: str, others: list[Candidate], fact_of: Callable[[Candidate], Fact],
                  later: bool, floor: float = float("-inf")) -> list[tuple[Candidate, Fact]]:
    """The candidates of other releases, after `chosen`'s (`later`) or before it, that
    state a different value of the same kind of fact about the same thing, with that fact."""
    date = chosen.hit.doc_date
    if not date:
        return []
    found = []
    for candidate in others:
        released = candidate.hit.doc_date
        if not candidate.facts or not released or (released <= date if later else released >= date):
            continue
        if candidate.relevance < floor or candidate.event_in_sentence < chosen.event_in_sentence:
            continue
        if candidate.hit.path == chosen.hit.path:
            continue
        # In a sentence that tells a change, its new value is the restatement (売上高は従来予想の
        # 410億円から392億円に引き下げた restates 392億円, not the 410億円 it replaces).
        fact = next((fact for fact in candidate.facts if roles(candidate.hit.text, candidate.start, candidate.text,
                                                              candidate.facts, fact)[1]), None) or fact_of(candidate)
        if fact_value(fact.text) != value:
            found.append((candidate, fact))
    return found


def newer_statement(chosen: Candidate, value: str, others: list[Candidate], floor: float,
                    fact_of: Callable[[Candidate], Fact]) -> tuple[Candidate, Fact] | None:
    """The newest candidate, from a release after `chosen`'s, that states a different
    value of the same kind of fact about the same thing, with that fact."""
    return max(_restatements(chosen, value, others, fact_of, later=True, floor=floor),
               key=lambda pair: (pair[0].hit.doc_date, pair[0].relevance), default=None)


def older_statement(chosen: Candidate, value: str, others: list[Candidate],
                    fact_of: Callable[[Candidate], Fact]) -> tuple[Candidate, Fact] | None:
    """The oldest candidate, from a release before `chosen`'s, that states a different
    value of the same kind of fact about the same thing: for a question about the
    original value ("originally", 当初), the first statement, not a later one's "from"."""
    return min(_restatements(chosen, value, others, fact_of, later=False),
               key=lambda pair: (pair[0].hit.doc_date, -pair[0].relevance), default=None)


def asks_of_now(question) -> bool:
    """Whether a question asks what is so now: the latest, or no date and no past tense."""
    frame = question.timeframe
    return (bool(frame) and frame.kind == "latest") or (not frame and not asks_past(question.text))


def true_when_asked(question, newer: Candidate) -> bool:
    """Whether a newer release's statement is the one true at the time asked: now, or
    as of (or before) a date on or after that release."""
    frame = question.timeframe
    if asks_of_now(question):
        return True
    released = (newer.hit.doc_date or "")[:10]
    if frame and frame.kind == "as_of" and frame.end is not None:
        return bool(released) and released <= frame.end.isoformat()
    if frame and frame.kind == "before" and frame.start is not None:
        return bool(released) and released < frame.start.isoformat()
    return False


def about_the_same(evidence: Evidence, chosen: Scored, items: list[Scored], model, gate) -> list[Candidate]:
    """The sentences of `items` that pass `gate` and may restate `chosen`'s fact: the
    model holds them to give the answer (P(holds) at least the passage threshold), they
    hold at least half of the question's rare words the answer holds (by idf weight:
    another company's Mission 4 in 2027, which shares only 打ち上げ, 0.22 against 1.0,
    is no update of this company's rover), and their passage names what the answer's
    passage names, in the passage itself (a Japanese passage does not stand for
    "Orbital Bakery" because it cannot spell it: a new-user session got another
    company's founding year as the "newer release")."""
    needed = 0.5 * chosen.row[_OVERLAP_RARE]
    subject = evidence.subject
    named = subject.names_share(chosen.candidate.hit.text)
    return [item.candidate for item in items if item.holds >= model.passage_threshold and gate(item)
            and item.row[_OVERLAP_RARE] >= needed and subject.names_share(item.candidate.hit.text) >= named]
