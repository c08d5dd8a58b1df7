"""Candidate sentences: every sentence of the retrieved passages, with what it shows.

Design choice: every sentence of the passages read is a candidate, scored by its
*relevance*: its cosine with the question (the vectors retrieval already computed,
no model call) plus 0.1 x the share of the question's words, or their translations,
that it holds. Cosines are not comparable across languages (multilingual-e5 scores a
sentence in the question's language higher whatever it says), so a sentence in the
other language is moved by the gap between the two languages' typical cosines for
this question (`Retrieved.baselines`): the same calibration retrieval uses.

Nothing is dropped here by a rule written against one company's sentences: whether
the sentence names what the question names (see `binding`), the numbered thing and
ordinal asked about, the role, and which of its facts of the asked kind belong to
the subject are recorded on the candidate as signals, and the confidence model
(`confidence`, fitted on question sets of several companies) weighs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..records import Hit
from ..search.timeframe import names_period
from ..search.lexical import latin_form
from ..search.question import DATE, GENERAL, MONEY, NUMBER, PERSON, PLACE, Question, numbered_names, stem_pattern
from .binding import Subject
from .clauses import event_words, names_event
from .facts import Fact, find_facts, is_money
from ..search.quantities import quantities, shares_quantity
from .terms import Terms

# A heading line: no sentence-ending mark (■…のコメント, ◼…について).
_HEADING = re.compile(r"[^。.!?！？」』)\]”\"]$")
# How far (in characters) a person may stand from the role asked about.
ROLE_REACH = 30
# A sentence that states a quantity the question states (1.4 million km: 約140万km), or
# names the period it asks about (2023年 for "in 2023").
QUANTITY_BONUS = 0.05
# A sentence this short may take its subject from the sentence before it.
CONTINUATION_LENGTH = 40
# Where the clause before a fact begins: "As of May 31, ispace's total amount of bank
# loans reached $20 million" gives the total of its clause, not one bank's share.
_CLAUSE_BREAK = re.compile(r"[。；;、]|,(?!\d)")
# A role's organization follows it: "CEO of Lunaris Robotics", "president at Honda".
_ROLE_OF = re.compile(r"\b(?:officer|ceo|cto|cfo|coo|president|chairman|chairperson|founder|director|manager|head|"
                      r"chief|spokesman|spokeswoman|spokesperson)\s*,?\s+(?:of|at)\s+(?:the\s+)?$", re.IGNORECASE)
# A number that is the denominator of a rate: 1セルあたり, 1株当たり, 1人につき.
_DENOMINATOR = re.compile(r"[^\s\d、。,.]{0,4}?(?:あたり|当たり|につき)")
_TOTAL = re.compile(r"total|combined|aggregate|in all|総額|合計|総計|累計|計", re.IGNORECASE)
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A release speaking of its issuer without naming it: 当社, 同社, 弊社, the Company.
_ISSUER = re.compile(r"当社|弊社|同社|\bthe Company\b")
# How much of a release's first chunk names its issuer (its title and header lines).
ISSUER_LEAD = 200


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    hit_rank: int
    start: int
    end: int
    text: str
    relevance: float
    event_in_sentence: bool
    facts: tuple[Fact, ...]      # facts of the asked kind that belong to the subject
    cross_language: bool  # in another language than the question, with no baseline to compare by
    cosine: float = 0.0
    all_facts: tuple[Fact, ...] = ()  # every fact of the asked kind, bound or not
    names: float = 1.0           # share of the question's names the sentence (or its lead-in) holds
    passage_names: float = 1.0   # share of them its passage holds
    roles: bool = True           # the passage names the role asked about
    numbered: bool = True        # it is about the numbered thing asked (Mission 2), and the ordinal
    heading: bool = False        # a heading line, quoted with what follows it
    above: str = ""              # the passage's text before the sentence, with the chunk before it


def language_shift(baselines: dict[str, float], question_language: str, passage_language: str) -> float | None:
    """What to add to a cosine of a sentence in `passage_language` to put it on the
    question language's scale; None when either language has no baseline. Never
    negative: e5 favours the question's language, never the other, and a negative
    shift only means the other language's best passages are the relevant ones (a
    Japanese release among Japanese manual pages whose English lines are off-topic):
    measured there, English questions' answers 0.80 with the signed shift, 0.88
    without a negative one, the release sets unchanged."""
    if passage_language == question_language:
        return 0.0
    if question_language in baselines and passage_language in baselines:
        return max(0.0, baselines[question_language] - baselines[passage_language])
    return None


def bound_facts(facts: list[Fact], text: str, subject: Subject, kind: str) -> tuple[Fact, ...]:
    """The facts that belong to the subject: a person next to the role asked about, a
    number with the counted noun's unit, never a number, a place or a person the
    question itself names (asked for the capital of France, フランス is no answer)."""
    kept = []
    named = {form for forms in subject.names + subject.loose for form in forms} if kind in (PERSON, PLACE) else set()
    asked = subject.role_positions(text) if kind == PERSON and subject.roles else []  # where the role asked stands
    for fact in facts:
        if named and (fact.text.lower() in named or fact.english.lower() in named):
            continue
        if kind in (NUMBER, MONEY) and subject.stated:
            digits = {match.group().replace(",", "") for match in _DIGITS.finditer(fact.text)}
            if digits and digits <= subject.stated:
                continue
        if subject.individual and _TOTAL.search(_CLAUSE_BREAK.split(text[:fact.start])[-1]):
            continue  # asked what one party gave, the sentence gives the total
        if subject.topic and not any(word in text.lower() for word in subject.topic):
            continue  # asked for revenue, the sentence gives another amount
        if kind == NUMBER and _DENOMINATOR.match(text, fact.end):
            continue  # 1セルあたり, 1株当たり: "per one cell" counts nothing
        if kind == NUMBER and not subject.money_asked and is_money(fact.text):
            continue  # "how many jobs": an amount of money counts nothing
        if kind == NUMBER and subject.counted and not _counts(fact, text, subject.counted):
            continue  # "how many landing sites": a number of sites, not of something else
        if kind == NUMBER and subject.units and not _carries_unit(fact, text, subject.units):
            continue
        if kind in (PERSON, PLACE) and named and _aside_of_another(fact, text, named):
            continue  # 高砂熱学工業株式会社（本社：新宿区、社長：小島和人）: Takasago's, not ispace's
        if kind == PERSON and named and fact.english.split()[0].lower() in named:
            continue  # "Shizuku Agri", the company asked about, is no person of it
        if kind == PERSON and _ROLE_OF.search(text[max(0, fact.start - 40):fact.start]):
            continue  # "Kenichi Morita, CEO of Lunaris Robotics": the company the role is of
        if kind == PERSON and subject.roles:
            if not asked:
                # A role asked about is named next to its holder: "Shizuku Farm Uji" in a
                # sentence with no CEO is no CEO (a new-user session had it stated).
                continue
            if not _near(fact, asked):
                continue  # the sentence names the role: the person is the one next to it
            if not subject.former and _left_role(text, fact, asked):
                continue  # 前社長の大森健一, "the former CEO", 社長を退任し: not who holds it now
            if named and _role_of_another(text, fact, asked, named):
                continue  # "Daniel Hartley, CEO of Veltrane" for Shiramine's CEO
        kept.append(fact)
    if asked and kept:
        kept = [min(kept, key=lambda fact: _distance(fact, _nearest(fact, asked)))]
    return tuple(kept)


# A number written with its Japanese counter (個, 台, 株; not 万 or 億, which scale it).
_COUNTER_END = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff](?<![万億兆千百十])$")
# A label before a value: "Employees: 2,400", "Number of employees (consolidated): 2,400".
_LABEL = re.compile(r"(?:^|\n|[-•・]\s?)([A-Za-z][A-Za-z ]{0,40}?)\s*(?:\([^)]{0,30}\)\s*)?:\s*$")
# Up to two words between a number and its unit: "3,200,000 new shares", "4,200 existing jobs".
_WORDS_AFTER = re.compile(r"\s*((?:[A-Za-z-]+\s+){0,2}[A-Za-z-]+)")


def _carries_unit(fact: Fact, text: str, units: tuple[str, ...]) -> bool:
    """Whether a number is written with one of `units`: in it or right after it
    (3,200,000株, 45名, "4,200 jobs"), or as one of the two words after the next
    ("3,200,000 new shares")."""
    lowered = fact.text.lower()
    if not _COUNTER_END.search(fact.text):  # 110,000個の新株予約権 counts 個, not 株
        lowered += text[fact.end:fact.end + 3].lower()
    if any(unit in lowered for unit in units):
        return True
    label = _LABEL.search(text, 0, fact.start)
    if label and set(label.group(1).lower().split()) & set(units):
        return True  # a profile line: "Employees: 2,400"
    after = _WORDS_AFTER.match(text, fact.end)
    return bool(after) and bool(set(after.group(1).lower().split()) & set(units))


def _counts(fact: Fact, text: str, counted: str) -> bool:
    """Whether the words right after a number (within four) name the counted thing; a
    number of things in Japanese (60億個) counts whatever an English question names."""
    if fact.text.endswith("個"):
        return True
    following = re.findall(r"[A-Za-z-]+", text[fact.start:fact.end + 40])[:5]
    return any(latin_form(word) == counted for word in following)


_COMPANY = re.compile(r"株式会社|有限会社|\b(?:inc|corp|corporation|co\., ltd|ltd|llc|gmbh|s\.a)\b")


def open_parenthesis(text: str, position: int) -> int:
    """Where the parenthesis `position` stands in opens (株式会社霞（…、社長：霞康介）), or -1."""
    opening = max(text.rfind("（", 0, position), text.rfind("(", 0, position))
    if opening < 0 or max(text.rfind("）", opening, position), text.rfind(")", opening, position)) >= 0:
        return -1
    return opening


def _aside_of_another(fact: Fact, text: str, named: set[str]) -> bool:
    """Whether a person or a place belongs to a company that is none of the question's names:
    in the parentheses after it (株式会社 ispace（代表取締役：袴田武史）is ispace's,
    高砂熱学工業株式会社（社長：小島和人）is not), or right after it with its role."""
    opening = open_parenthesis(text, fact.start)
    if opening >= 0:
        # the words right before the parenthesis: "Veltrane Biosciences, Inc. (…)" (the
        # period of "Inc." and the comma before it are no boundary of the owner)
        start = max(text.rfind(mark, 0, opening) for mark in "）)、。;；") + 1
        owner = " ".join(text[start:opening].split()[-4:]).lower()
    else:  # ■高砂熱学工業株式会社代表取締役社長小島和人氏のコメント: the company right before the role
        start = max(text.rfind(mark, 0, fact.start) for mark in "）)、。,") + 1
        owner = text[start:fact.start].lower()
        if not _COMPANY.search(owner):
            return False
    return bool(owner.strip()) and not any(form in owner for form in named)


# A role its holder no longer holds: 前社長, 元CEO, "former president", 社長を退任.
_FORMER_BEFORE = re.compile(r"(?:前|元|旧)\s*(?:代表取締役)?\s*$|(?:former|previous|outgoing|ex-|then-)\s*"
                            r"(?:[A-Z][a-z]+\s+)?$", re.IGNORECASE)
# Verbs of leaving a post (also read by `handover`).
LEAVING_JA = "退任|辞任|退き|退く|離れ"
_LEFT_AFTER = re.compile(r"^[^、。,.]{0,8}?(?:を|から)?(?:" + LEAVING_JA + r")|^\S*\s*(?:steps?|stepped) down"
                         r"|^\S*\s*(?:resign|retire)", re.IGNORECASE)


# A person taking another role: 「…の高杉亮介は代表取締役会長に就任いたします」, "Ryosuke
# Takasugi will become Chairman".
_TAKES_ANOTHER = re.compile(r"\s*(?:氏|さん)?(?:は|が)([^、。]{1,16}?)(?:に|へ)(?:就任|昇格|異動)|,?\s*(?:who\s+)?(?:will\s+)?"
                            r"(?:become|becomes|became|moves? to|moved to|(?:will\s+)?assumes? the (?:role|post|position) of)"
                            r"\s+([^,.;]{1,40})", re.IGNORECASE)


def takes_another_role(text: str, end: int) -> tuple[int, int] | None:
    """The span of the role a person named up to `end` takes (会長 in 高杉亮介は代表取締役会長に
    就任; "Chairman" in "Takasugi will become Chairman"), or None."""
    moved = _TAKES_ANOTHER.match(text, end)
    if moved is None:
        return None
    group = 1 if moved.group(1) is not None else 2
    return moved.start(group), moved.end(group)


def _distance(fact: Fact, position: int) -> int:
    return min(abs(fact.start - position), abs(position - fact.end))


def _nearest(fact: Fact, positions: list[int]) -> int:
    """The role occurrence nearest to a person."""
    return min(positions, key=lambda position: _distance(fact, position))


def _left_role(text: str, fact: Fact, positions: list[int]) -> bool:
    """Whether the role occurrence nearest to a person is one they left or no longer
    hold: written as former (前社長の大森健一, "former CEO John Smith"), followed by its
    leaving (西田陽翔が代表取締役社長を退任し), or the person takes another role, at none
    of the asked role's `positions` (高杉亮介は代表取締役会長に就任)."""
    position = _nearest(fact, positions)
    if _FORMER_BEFORE.search(text[max(0, position - 30):position]):
        return True
    moved = takes_another_role(text, fact.end)
    if moved and not any(moved[0] <= at < moved[1] for at in positions):
        return True  # 高杉亮介は代表取締役会長に就任: he moves on from the role asked
    role = re.match(r"[^\s、。,.を]{0,10}", text[position:])
    return bool(_LEFT_AFTER.search(text[position + (role.end() if role else 0):position + 40]))


_COMPANY_ROLE = re.compile(r"(?:ceo|cto|cfo|coo|president|chairman|chairperson|founder|chief)\b", re.IGNORECASE)
_OF_ORGANIZATION = re.compile(r"[A-Za-z-]*(?:\s+[A-Za-z-]+){0,3}?\s+(?:of|at)\s+(?:the\s+)?"
                              r"([A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*)*)")


def _role_of_another(text: str, fact: Fact, positions: list[int], named: set[str]) -> bool:
    """Whether the role next to a person is said to be of an organization the question
    does not name: "Daniel Hartley, CEO of Veltrane" asked for Shiramine's CEO."""
    position = _nearest(fact, positions)
    if not _COMPANY_ROLE.match(text, position):
        return False  # "Director of Human and Robotic Exploration": a department, not a company
    of = _OF_ORGANIZATION.match(text, position)
    return bool(of) and not any(form in of.group(1).lower() for form in named)


def _near(fact: Fact, positions: list[int]) -> bool:
    return any(-ROLE_REACH <= fact.start - position <= ROLE_REACH or -ROLE_REACH <= position - fact.end <= ROLE_REACH
               for position in positions)


def _names_numbered(numbered: list[re.Pattern], stems: list[re.Pattern], text: str, context: str) -> bool:
    """Whether a sentence is about the numbered things asked (Mission 1): it names
    them, or its passage (with the chunk before it) does and the sentence names no
    other number of the same stem ("the lunar landing" in a Mission 1 passage is
    Mission 1's landing; a sentence naming Mission 3 is not)."""
    for pattern, stem in zip(numbered, stems):
        if pattern.search(text):
            continue
        if stem.search(text) or not pattern.search(context):
            return False
    return True


def candidates(hits: list[Hit], sentences: list[tuple], *, question: Question, terms: Terms,
               subject: Subject, baselines: dict[str, float], passages: int,
               common: Callable[[str], bool] | None = None, before: list[str] | None = None,
               heads: list[Hit | None] | None = None) -> list[Candidate]:
    """The candidate sentences of the first `passages` hits, best first: for a
    when-question a sentence naming the event asked about (landing) comes first, then
    relevance. A passage that speaks of its issuer (当社, the Company) names what the
    first lines of its release (`heads`: each hit's document's first chunk) name."""
    kind, language = question.kind, question.language
    numbered_patterns = numbered_names(question)
    stems = [stem_pattern(forms, number) for forms, number in question.numbered]
    events = event_words(question.text, set(terms.all)) if kind == DATE else set()
    stated = quantities(question.text)
    found = []
    for rank, (hit, (spans, scores)) in enumerate(zip(hits[:passages], sentences)):
        shift = language_shift(baselines, language, hit.language)
        roles = subject.holds_roles(hit.text)
        passage_names = subject.names_share(hit.text)
        head = heads[rank] if heads and rank < len(heads) else None
        if passage_names < 1.0 and head is not None and _ISSUER.search(hit.text):
            passage_names = max(passage_names, subject.names_share(head.text[:ISSUER_LEAD] + "\n" + hit.text))
        context = (before[rank] if before and rank < len(before) else "") + "\n" + hit.text
        lead = len(context) - len(hit.text)  # where the hit's own text starts in `context`
        for position, ((start, end), cosine) in enumerate(zip(spans, scores)):
            relevance = float(cosine) + 0.1 * terms.overlap(hit.text[start:end])
            if shares_quantity(stated, hit.text[start:end]) or names_period(question.timeframe, hit.text[start:end]):
                relevance += QUANTITY_BONUS
            heading = bool(_HEADING.search(hit.text[start:end])) and position + 1 < len(spans)
            if kind == GENERAL and heading:
                # A heading answers nothing by itself: quote it with what follows it.
                end = spans[position + 1][1]
                relevance = max(relevance, float(scores[position + 1]) +
                                0.1 * terms.overlap(hit.text[spans[position + 1][0]:end]))
            text = hit.text[start:end]
            numbered = _names_numbered(numbered_patterns, stems, text, context) and subject.holds_ordinals(text)
            names = subject.names_share(text)
            if names < 1.0 and len(text) <= CONTINUATION_LENGTH and position:
                # A short sentence right after one that names the subject continues it
                # ("…MAGPIEについて…発表した。2028年の打ち上げを目指している。").
                previous = hit.text[spans[position - 1][0]:spans[position - 1][1]]
                names = max(names, subject.names_share(previous + text))
            everything = tuple(find_facts(kind, text, common)) if kind != GENERAL else ()
            facts = bound_facts(list(everything), text, subject, kind) if everything else ()
            event = names_event(events, text)
            found.append(Candidate(hit, rank, start, end, text, relevance + (shift or 0.0), event, facts,
                                   cross_language=shift is None, cosine=float(cosine), all_facts=everything,
                                   names=names, passage_names=passage_names, roles=roles, numbered=numbered,
                                   heading=heading, above=context[max(0, lead + start - 400):lead + start]))
    return sorted(found, key=lambda candidate: (-candidate.event_in_sentence, -candidate.relevance,
                                                candidate.hit_rank, candidate.start))
