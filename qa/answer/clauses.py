"""Which fact of a sentence a question is about.

Design choice: a quoted sentence often holds several facts of the asked kind (two
dates, two places), so the fact is chosen by how the question's words sit around it
in the sentence, not by order. Japanese puts the verb after the date it governs
(最短2025年6月6日に、月面着陸へ再挑戦の予定です), so a date's clause is read with the
clause that follows when it ends in a particle. Event words (landing, launch) come
first, then numbered names (Mission 4), then the question's names (ispace, 高砂) just
before the fact, then any of its words, then shared words.
"""

from __future__ import annotations

import functools
import re

from ..ingest.language import JAPANESE_LETTER
from ..search.question import DATE, Question, numbered_names
from .facts import ENGLISH_EVENTS, EVENT_WORDS, Fact, is_plan
from .terms import Terms


def clause(sentence: str, position: int, *, with_predicate: bool = False) -> str:
    """The clause (between 、 , ; marks) around `position`. With `with_predicate`, the
    following clause too: in Japanese the verb comes after the date it governs
    (最短2025年6月6日に、月面着陸へ再挑戦の予定です)."""
    start = max(sentence.rfind(mark, 0, position) for mark in "、,;") + 1
    end = position
    for _ in range(2 if with_predicate else 1):
        ends = [index for index in (sentence.find(mark, end) for mark in "、,;。") if index >= 0]
        end = (min(ends) + 1) if ends else len(sentence)
        if not _NEEDS_PREDICATE.search(sentence[start:end]):
            break
    return sentence[start:end]


# What is so now: 現在の従業員数は45名で、…60名体制とする計画です states 45 as today's
# number and only 60 as the plan.
NOW = re.compile(r"現在|現時点|現状|これまで|既に|すでに|\b(?:currently|now|to date|so far|already)\b", re.IGNORECASE)


def fact_is_plan(sentence: str, fact: Fact) -> bool:
    """Whether the fact is what a plan aims at. Its clause is read with the clause that
    governs it (…6日に、…予定です), unless its own clause says it is so now and names no
    plan (現在の従業員数は45名で、…計画です)."""
    own = clause(sentence, fact.start)
    if NOW.search(own) and not is_plan(own):
        return False
    return is_plan(clause(sentence, fact.start, with_predicate=True))


# A clause ending in an adverbial particle (…6日に、) leaves its verb to the next one.
_NEEDS_PREDICATE = re.compile(r"(に|には|で|では|まで|から|頃|ごろ|以降|日|月|年)[、,;]$")


@functools.lru_cache(maxsize=256)
def _english_event(form: str) -> re.Pattern:
    """An English event word at a word start; a form written with a trailing space
    ("land ") is a whole word ("land?" and "land." too, never "landmark")."""
    if form.endswith(" "):
        return re.compile(r"(?<![a-z])" + re.escape(form.rstrip()) + r"(?![a-z])")
    return re.compile(r"(?<![a-z])" + re.escape(form))


def event_words(question: str, terms: set[str]) -> set[str]:
    """The events (着陸, 打ち上げ, 設立: landing, launch, founding) a question is about,
    in either language. An event the question qualifies with a noun written just before
    it (量産開始, 営業運転開始) is kept whole: the start of sample shipments
    (サンプル出荷を開始) is not the start of mass production."""
    lowered = question.lower()
    found = {event for event in EVENT_WORDS if event in question or any(event in term for term in terms)
             or any(_english_event(form).search(lowered) for form in ENGLISH_EVENTS.get(event, ()))}
    for event in list(found):
        qualified = re.search(rf"([一-龥ァ-ヶー]{{2,}}?){re.escape(event)}", question)
        if qualified and qualified.group(1)[-2:] not in EVENT_WORDS:
            found.discard(event)
            found.add(qualified.group(1)[-2:] + "|" + event)
    return found


def names_event(events: set[str], text: str) -> bool:
    """Whether `text` names one of the events, in Japanese or English."""
    return event_share(events, text) > 0


def lacks_qualifier(event: str, text: str) -> bool:
    """Whether `event` is a qualified one (量産|開始, see `event_words`) and the Japanese
    `text` does not name its qualifier: サンプル出荷を開始 tells of no 量産開始."""
    qualifier = event.rpartition("|")[0]
    return bool(qualifier) and bool(JAPANESE_LETTER.search(text)) and qualifier not in text


def _names_one(event: str, text: str, lowered: str) -> bool:
    base = event.rpartition("|")[2]
    if lacks_qualifier(event, text):
        return False  # a Japanese sentence that tells of the event must name its qualifier
    return bool(re.search(re.escape(base) + _NOT_A_VEHICLE, text)) or \
        any(_english_event(form).search(lowered) for form in ENGLISH_EVENTS.get(base, ()))


def event_share(events: set[str], text: str) -> float:
    if not events:
        return 0.0
    lowered = text.lower()
    return sum(_names_one(event, text, lowered) for event in events) / len(events)


# 着陸船 (a lander) and 打ち上げ機 name vehicles, not events.
_NOT_A_VEHICLE = "(?![船機])"


def nearness(fact: Fact, sentence: str, literal_terms: set[str]) -> float:
    """How closely a term the question itself uses precedes the fact (ispace(東京都中央区)."""
    lowered = sentence.lower()
    best = 0.0
    for term in literal_terms:
        if len(term) < 2:
            continue
        end = lowered.rfind(term, 0, fact.start)
        if end >= 0:
            best = max(best, 1.0 / (1 + fact.start - (end + len(term))))
    return best


def best_fact(facts: tuple[Fact, ...], sentence: str, question: Question, terms: Terms,
              literal: frozenset[str], names: frozenset[str] = frozenset()) -> Fact:
    """The fact the question is about: for a date, the one in the clause with the
    question's event word (launch, landing); otherwise the one that a name of the
    question (ispace, 高砂) most closely precedes, then any word of it, then the one
    whose clause shares most words. ispaceの本社 is ispace(東京都中央区, not the
    本社:東京都新宿区 of the other company in the same sentence."""
    numbered = numbered_names(question)
    events = event_words(question.text, set(terms.all)) if question.kind == DATE else set()

    def weight(fact):
        governed = clause(sentence, fact.start, with_predicate=True)  # with its verb
        return (event_share(events, governed), sum(bool(name.search(governed)) for name in numbered),
                nearness(fact, sentence, names), nearness(fact, sentence, literal),
                terms.overlap(clause(sentence, fact.start)), -fact.start)

    return max(facts, key=weight)
