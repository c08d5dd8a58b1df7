"""Which numbered thing a fact belongs to, when a sentence names several of one stem
(ミッション3は2026年、ミッション4は2027年; "In 2026, Mission 3 …, and in 2027, Mission 4").

Design choice: read clause by clause, in both word orders, with no parser. Japanese puts
a date before the name it belongs to (2027年には…ミッション4を予定) as often as after it,
English fronts a time phrase ("In 2027, Mission 4 …"), so "the last name before the fact"
misreads both; the clause that holds the fact decides, and a clause that is only the
fact modifies the clause after it.
"""

from __future__ import annotations

import re

from ..search.question import Question, stem_pattern

_PARENTHESES = re.compile(r"\([^)]*\)|（[^）]*）")


def numbered_owner(question: Question, text: str, position: int) -> bool:
    """Whether the fact at `position` belongs to the numbered thing the question asks
    about, when the sentence names several of the same stem. The owner is read clause
    by clause (clauses end at 、 , ; 。), in both word orders: the name in the fact's own
    clause, the nearest before it (ミッション3は2026年、ミッション4は2027年; Mission 3 in
    2026) or else after it (2026年には…ミッション3を実行); a clause that is only the fact
    (2027年には、 / in 2027,) is fronted and belongs to the first name after it; otherwise
    the last name before. A name in parentheses is an alias (ミッション4(旧ミッション6))
    and names nothing new."""
    asides = [match.span() for match in _PARENTHESES.finditer(text)]
    clause = _clause(text, position)
    for forms, number in question.numbered:
        stem = stem_pattern(forms, number)
        named = [match for match in stem.finditer(text)
                 if not any(start < match.start() < end for start, end in asides)]
        if not any(match.group(1) == number for match in named) or {m.group(1) for m in named} == {number}:
            continue
        owner = _owner(named, clause, position, text)
        if owner is not None and owner.group(1) != number:
            return False
    return True


_CLAUSE_END = re.compile(r"[、，；;。]|,(?!\d)")
_FRONTED = 8  # at most this many other characters make a clause only the fact ('2027年には', 'in 2027')


def _clause(text: str, position: int) -> tuple[int, int]:
    """The span of the clause holding `position`. Not `clauses.clause`, which gives the
    clause's text, not its span, and cuts at every comma, the one of 1,000 included
    (the features read its clauses so; changing it would move them)."""
    start = max((match.end() for match in _CLAUSE_END.finditer(text, 0, position)), default=0)
    end = _CLAUSE_END.search(text, position)
    return start, end.start() if end else len(text)


def _owner(named: list[re.Match], clause: tuple[int, int], position: int, text: str) -> re.Match | None:
    start, end = clause
    inside = [match for match in named if start <= match.start() < end]
    before = [match for match in inside if match.end() <= position]
    if before:
        return before[-1]
    if inside:
        return inside[0]
    rest = re.sub(r"[\d\s.,/:年月日%]", "", text[start:end])
    after = [match for match in named if match.start() >= end]
    if len(rest) <= _FRONTED and after:
        return after[0]
    earlier = [match for match in named if match.end() <= position]
    return earlier[-1] if earlier else None
