"""Which value of a change a fact is: the earlier one or the new one.

Design choice: releases report changes in one sentence, the old value beside the new
("raise the tender offer price to 20,600 yen from 18,800 yen", 「これまでの価格は1万8800円
でしたが、今回2万600円に引き上げる」, 「開始時期を2026年から2027年に変更」). Both values are
of the kind asked and sit next to the question's words, so nothing else tells them
apart. The markers here are grammar (from / to, から / に + a verb of change, 従来 /
当初 / previously, としていたが / had been scheduled for), not any company's words; they become two features of the
confidence model (`features.FEATURES`), swapped when the question asks for the
earlier value ("the original price", 当初の計画), and the weights are fitted.
"""

from __future__ import annotations

import re

from .facts import Fact

_CHANGE_JA = r"変更|延期|前倒し|引き上げ|引上げ|引き下げ|引下げ|拡大|縮小|修正|膨ら|増加|減少|上昇|低下|増額|減額|見直"
# A verb of change somewhere in the sentence: without one, "from April to June" is a span.
_CHANGE = re.compile(
    _CHANGE_JA + r"|\b(rais|lower|revis|postpon|delay|push(ed|es|ing)? back|mov|chang|increas|decreas|cut|grow|grew"
    r"|ris|ros|expand|reduc|boost|hik|trim|narrow|widen)\w*", re.IGNORECASE)
# Just before the fact, a word that marks it as the earlier value.
_OLD_BEFORE = re.compile(
    r"(?:\b(?:from|previously|originally|initially|formerly|earlier|prior|up from|down from|compared with)"
    r"(?:\s+(?:a|an|the|its|about|around|approximately|roughly|some|forecast of|estimate of|plan of))*\s*"
    r"|(?:従来|当初|これまで|前回|以前|元々|もともと|旧)[^、。0-9０-９]{0,8}|[（(]同)$", re.IGNORECASE)
# Just after the fact, a particle that marks it as the earlier value.
_OLD_AFTER = re.compile(r"^(?:から|より|でしたが|だったが|であったが)")
# A statement reported as superseded, with or without a verb of change: 「量産開始が2025年度中に
# なるとしていたが」, 「売上高1,000億円…を目標としてまいりました」, "had been scheduled for 2024".
_SUPERSEDED_AFTER = re.compile(r"^[^、。]{0,16}?(?:としていた|としてまいりました|としてきました|としてきた|予定だった|予定でした|予定であった|計画だった|計画でした"
                               r"|見込みだった|見通しだった|目標だった)")
_SUPERSEDED_BEFORE = re.compile(r"\bhad (?:been )?(?:plann|expect|schedul|target|forecast|aim|project)\w*"
                                r"(?:\s+\w+){0,4}\s*$", re.IGNORECASE)
# Just after the fact, the new value's particle and a verb of change (2万600円に引き上げる).
_NEW_AFTER = re.compile(r"^(?:に|へ|まで)[^、。]{0,6}?(?:" + _CHANGE_JA + ")")
_NEW_BEFORE = re.compile(r"\b(?:to|now|currently)(?:\s+(?:a|an|the|about|around|approximately|roughly|some))*\s*$",
                         re.IGNORECASE)
# The question asks for the earlier value: "the original plan", 当初の予定.
_ASKS_EARLIER = re.compile(r"\b(original(ly)?|initial(ly)?|previous(ly)?|earlier|former(ly)?|first announced|"
                           r"before the (change|revision|increase|delay)|at (?:the )?launch|when (?:it was )?launched)\b|当初|従来|これまで|元々|"
                           r"もともと|以前|前回|変更前|引き上げ前|発売時|発売当初|開始時",
                           re.IGNORECASE)


def change_roles(sentence: str, fact: Fact) -> tuple[float, float]:
    """(old, new): whether `fact` is the earlier value of a change its sentence tells,
    or the new one. Both 0 when the sentence tells no change."""
    before, after = sentence[max(0, fact.start - 40):fact.start], sentence[fact.end:fact.end + 32]
    if _SUPERSEDED_AFTER.search(after) or _SUPERSEDED_BEFORE.search(before):
        return 1.0, 0.0
    if not _CHANGE.search(sentence):
        return 0.0, 0.0
    old = bool(_OLD_BEFORE.search(before) or _OLD_AFTER.search(after))
    new = not old and bool(_NEW_AFTER.search(after) or _NEW_BEFORE.search(before))
    return float(old), float(new)


# The question asks for the first value of all: "originally", 当初 (not "before the change").
_ASKS_FIRST = re.compile(r"\b(original(ly)?|initial(ly)?|first announced|at first|at the outset)\b|当初|元々|もともと|最初に?発表",
                         re.IGNORECASE)


def asks_for_first(question: str) -> bool:
    return bool(_ASKS_FIRST.search(question))


def asks_for_earlier(question: str) -> bool:
    return bool(_ASKS_EARLIER.search(question))


# A revision table: a header line naming the old column before the new one (項目 修正前
# 修正後; 前回予想 今回予想; "Previous Revised"). Its rows give the old value first and the
# new one last ("半導体材料事業 売上高 1,000億円 1,250億円").
_OLD_COLUMN = r"修正前|変更前|前回(?:予想|発表)?|従来(?:予想)?|\bprevious\b|\bbefore\b|\boriginal\b|\bold\b"
_NEW_COLUMN = r"修正後|変更後|今回(?:予想|発表)?|\brevised\b|\bafter\b|\bnew\b"
_REVISION_HEADER = re.compile(rf"(?:{_OLD_COLUMN})[^\n]{{0,40}}?(?:{_NEW_COLUMN})", re.IGNORECASE)


def table_roles(passage: str, row_start: int, facts: tuple[Fact, ...], fact: Fact) -> tuple[float, float]:
    """(old, new) for a value in a row of a revision table whose header line stands at
    most eight lines above the row (`row_start`, the row's offset in `passage`); `facts`
    are the row's values of the kind asked. Both 0 elsewhere."""
    if len(facts) < 2 or fact not in facts:
        return 0.0, 0.0
    above = passage[max(0, row_start - 600):row_start].splitlines()[-8:]
    if not any(_REVISION_HEADER.search(line) for line in above):
        return 0.0, 0.0
    ordered = sorted(facts, key=lambda other: other.start)
    return float(fact.start == ordered[0].start), float(fact.start == ordered[-1].start)


def roles(passage: str, row_start: int, sentence: str, facts: tuple[Fact, ...], fact: Fact) -> tuple[float, float]:
    """`change_roles` of the sentence, or else `table_roles` of its row."""
    old, new = change_roles(sentence, fact)
    if old or new:
        return old, new
    return table_roles(passage, row_start, facts, fact)
