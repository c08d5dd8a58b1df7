"""Who holds a role now: the release that hands it over decides, not an older profile.

Design choice: releases restate a company's officers in every profile ("President and
CEO: Ryosuke Takasugi", 代表者：代表取締役社長 高杉亮介), and a profile is often written
before a change it announces takes effect. So a person is never stated as the holder
of the role asked when a sentence of the same or a newer release read says the person
moves to another role (高杉亮介は代表取締役会長に就任), leaves one (退任する, steps down),
is its former holder ("former Managing Director Thomas Reed", 前社長の…) or is
succeeded (succeeding …, …の後任). That sentence is quoted as the closest passage
instead: it is the one that tells who holds the role. The check reads only the
sentences the answerer already has (the passages read and the newer releases'
passages), compares people across scripts by their reading, words in any order, and
applies only to who holds a role now or at the time asked, never to a question about
a former holder. (A new-user session's releases had the old president stated from an
older English profile and from the handover release's own company profile.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterable

from ..ingest.normalize import squash
from ..search.question import PERSON
from ..search.timeframe import TimeFrame
from .binding import Subject
from .evidence import Evidence
from .candidates import LEAVING_JA, Candidate, takes_another_role
from .facts import Fact
from .measures import ROLE_PATTERNS
from .misfits import officer_of_another_company
from .stating import Scored

# How far (characters) the role left may stand from the person.
_REACH = 40
_FORMER_BEFORE = re.compile(r"\b(?:former|previous|outgoing|retiring)\b[^,.;]{0,40}$"
                            r"|(?:(?<![午以事直目生空])前|(?<![A-Za-z\d])元)[^\s、。]{0,12}$", re.IGNORECASE)
# "succeeding X", "replaces X", "takes over from X" (never "succeeded by X": the successor).
_SUCCEEDS_BEFORE = re.compile(r"\b(?:succeed(?:s|ing)?|succeeded(?!\s+by)|replac(?:es|ing)|replaced(?!\s+by)|"
                              r"takes over from|taking over from|took over from)\s+[^,.;]{0,40}$", re.IGNORECASE)
_LEAVES_AFTER = re.compile(r"^\s*(?:氏|さん)?(?:は|が)[^、。]{0,20}?(?:を|から)(?:" + LEAVING_JA + r")|^\s*(?:氏|さん)?の後任"
                           r"|^,?\s*(?:who\s+)?(?:will\s+|is\s+to\s+|has\s+)?(?:steps?|stepped|stepping)\s+down"
                           r"|^,?\s*(?:who\s+)?(?:will\s+|has\s+)?(?:retires?|retired|retiring|resigns?|resigned)",
                           re.IGNORECASE)


def _names_role(subject: Subject, text: str) -> bool:
    return any(ROLE_PATTERNS[role].search(text) for role in subject.roles)


# A personnel table: a header naming the new and the current (or former) post, in any
# order (氏名 新役職 現役職; 新職名 氏名 現職名; | Name | New position | Current position |).
_NEW_POST = re.compile(r"新(?:役職|職名|職)|\bnew (?:position|title|post|role)\b", re.IGNORECASE)
_OLD_POST = re.compile(r"(?:現|旧|前)(?:役職|職名|職)|\b(?:current|previous|former) (?:position|title|post|role)\b",
                       re.IGNORECASE)
_CELL = re.compile(r"\s*[|／/\t]\s*|(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in _CELL.split(line) if cell.strip()]


def moves_in_table(above: str, text: str, fact: Fact, subject: Subject) -> bool:
    """Whether `text` is a row of a personnel table (its header among the lines `above`)
    that puts the person `fact` names in the role asked only in the current column, not
    in the new one (坂口義隆 取締役会長 代表取締役社長 under 氏名 新役職 現役職)."""
    header = next((line for line in reversed(above.splitlines()[-8:])
                   if _NEW_POST.search(line) and _OLD_POST.search(line)), None)
    if header is None:
        return False
    columns, row = _cells(header), _cells(text)
    if len(columns) != len(row) or not any(fact.text in cell for cell in row):
        return False
    new = next((index for index, cell in enumerate(columns) if _NEW_POST.search(cell)), None)
    old = next((index for index, cell in enumerate(columns) if _OLD_POST.search(cell)), None)
    if new is None or old is None:
        return False
    return _names_role(subject, row[old]) and not _names_role(subject, row[new])


def leaves_role(text: str, fact: Fact, subject: Subject, above: str = "") -> bool:
    """Whether the sentence says the person `fact` names no longer holds (or gives up)
    the role asked: moves to another role (in a sentence, or in a personnel table's row
    whose header is among the lines `above`), leaves it, is its former holder, or is
    succeeded in it."""
    if above and moves_in_table(above, text, fact, subject):
        return True
    moved = takes_another_role(text, fact.end)
    if moved is not None and not _names_role(subject, text[moved[0]:moved[1]]):
        return True  # 高杉亮介は代表取締役会長に就任: he moves on from the role asked
    before = text[max(0, fact.start - _REACH):fact.start]
    after = text[fact.end:fact.end + _REACH]
    near = before + after
    if not _names_role(subject, near):
        return False  # a role named nowhere near the person: another matter
    if _FORMER_BEFORE.search(before) and _names_role(subject, before):
        return True
    return bool(_SUCCEEDS_BEFORE.search(before) or _LEAVES_AFTER.search(after))


def _same_person(first: str, second: str) -> bool:
    """Names compared by their words in any order, after case (Ryosuke Takasugi,
    TAKASUGI Ryosuke), or as written (高杉亮介)."""
    if first == second:
        return True
    words = lambda name: frozenset(re.findall(r"[a-z]+", name.lower()))
    return len(words(first)) >= 2 and words(first) == words(second)


def _departures(others: Iterable[Candidate], subject: Subject,
                reading: Callable[[Candidate, Fact], str]) -> list[tuple[set[str], str, Candidate]]:
    """Every person a sentence of `others` says no longer holds the role asked: their
    name's forms, the sentence's release date and the sentence, in the order of `others`."""
    return [({other.text, reading(candidate, other)}, candidate.hit.doc_date or "", candidate)
            for candidate in others for other in candidate.all_facts
            if other.kind == PERSON and leaves_role(candidate.text, other, subject, candidate.above)]


def handed_over(fact: Fact, chosen: Candidate, departures: list[tuple[set[str], str, Candidate]],
                frame: TimeFrame, reading: Callable[[Candidate, Fact], str]) -> Candidate | None:
    """The sentence of the same or a newer release (and, for a question set in time, one
    of then or earlier) that says the person `fact` names in `chosen` no longer holds the
    role asked (among `departures`, see `_departures`), or None. `reading(candidate,
    fact)` gives a person's name in Latin letters when it has one (高杉亮介 -> Ryosuke
    Takasugi)."""
    date = chosen.hit.doc_date or ""
    latest = frame.end.isoformat() if frame and frame.kind in ("as_of", "during") and frame.end else None
    if frame and frame.kind == "before" and frame.start:
        latest = frame.start.isoformat()
    names = {fact.text, reading(chosen, fact)}
    for forms, released, candidate in departures:
        if released < date or (latest is not None and released[:10] > latest):
            continue
        if any(_same_person(a, b) for a in names for b in forms):
            return candidate
    return None


def not_handed_over(rows: list[Scored], others: list[Candidate], evidence: Evidence) -> list[Scored]:
    """`rows` with each person that a sentence of `others` says no longer holds the role
    asked (see `handed_over`) marked as not owned: never stated. For a question about
    who holds a role (`evidence.subject.roles`), not about a former holder."""
    readings: dict[str, dict[str, str]] = {}

    def reading(candidate: Candidate, fact: Fact) -> str:
        if candidate.text not in readings:
            readings[candidate.text] = evidence.romanize(candidate.text) if not candidate.text.isascii() else {}
        return readings[candidate.text].get(fact.text, fact.english)

    departures = _departures(others, evidence.subject, reading)
    if not departures:
        return rows
    frame = evidence.question.timeframe
    return [replace(item, owned=False) if item.fact is not None and item.fact.kind == PERSON and item.owned
            and handed_over(item.fact, item.candidate, departures, frame, reading) is not None else item
            for item in rows]


def not_officers_of_another(rows: list[Scored], asked: str) -> list[Scored]:
    """The rows, with a person that some sentence gives as another company's officer
    (see `misfits.officer_of_another_company`) marked as no answer wherever named: the
    parent's president, blocked in the release's first sentence, is no answer in its
    profile block (代表者：代表取締役社長 花邑宗一郎) either."""
    others = {squash(item.fact.text) for item in rows
              if item.fact is not None and officer_of_another_company(item.candidate.text, item.fact, asked)}
    return [replace(item, owned=False) if item.fact is not None and squash(item.fact.text) in others else item
            for item in rows] if others else rows
