"""What may be stated: a scored candidate, the gates it must pass before the
confidence model is asked, and the text it would state first.

Design choice: the model weighs; these rules decide what can never be a fact, however
confident the model is (a fact of another kind, one that belongs to another
numbered thing or event, a passage that does not name what the question names). The
training script (`bench/train_confidence.py`) uses the same gates and the same
stated text, so the model is fitted on exactly what the answerer may say.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..ingest.normalize import squash
from ..search.quantities import quantities
from ..search.question import DATE, GENERAL, MONEY, NUMBER, PERSON
from ..search.timeframe import read_timeframe
from .asked_names import names_a_sibling, names_another_edition
from .candidates import Candidate
from .clauses import clause
from .evidence import Evidence
from .facts import Fact
from .misdated import (announcement_for_event, another_start, another_year_end, before_the_period,
                       plan_already_past, plan_for_actual_date, plan_for_result, stale_figure, stale_release,
                       years_too_early)
from .milestones import another_milestone
from .misfits import (another_companys_figure, another_counter, another_kind_counted, another_market,
                      another_measure, another_product, period_for_cumulative,
                      product_above, profile_of_another, spelled_count_for_japanese, total_for_part)
from .features import FEATURES, YEAR
from .timeline import asks_of_now, fact_value

# Sentences this close in relevance compete (see `rival_values`).
RIVAL_MARGIN = 0.03

@dataclass(frozen=True)
class Scored:
    """A candidate answer: a sentence, the fact it would state first (None for a
    general question or a sentence without one), the model's features of the pair,
    and, once scored, P(the stated fact is right) and P(the sentence holds the answer)."""
    candidate: Candidate
    fact: Fact | None
    row: tuple[float, ...]
    right: float = 0.0
    holds: float = 0.0
    # P(the stated fact is right) by the model's gate head, which decides whether it is
    # stated (the right head's when the model has no gate; see `confidence`).
    sure: float = 0.0
    # Its place among the sentences as the closest passage: the model's order head (the
    # holds head's probability when it has none; see `confidence`).
    order: float = 0.0
    # The fact belongs to the numbered thing asked (see `numbered.numbered_owner`) and,
    # for a date, to the event asked about.
    owned: bool = True


_BEYOND_NAMES = FEATURES.index("overlap_beyond_names")
_CHANGE_OLD = FEATURES.index("fact_change_old")
_WHY = re.compile(r"\bwhy\b|\bfor what reason\b|\bwhat (?:was|is|were|are) the reasons?\b|なぜ|なんで|どうして|理由は",
                  re.IGNORECASE)
# What gives a reason or a cause, in either language.
# Words that also mean "from" or "after" (から, since, following) are left out: 2026年から
# 2027年に変更 tells of a change, not of its reason.
_CAUSE = re.compile(r"\b(?:because|due to|owing to|as a result|caused by|reasons?|in order to|so that|to allow|amid)\b|"
                    r"ため|ので|ことから|により|によって|を受け|受けて|理由|背景|影響|要因|原因|に伴い|を踏まえ",
                    re.IGNORECASE)


# A whole asked for ("in total", 総額) and a price or count per unit ("20,600 yen per share",
# 1株1万6300円): the second is never the first.
_TOTAL = re.compile(r"\b(?:in total|total|overall|altogether|in all)\b|総額|合計|総計|総投資|総事業費|総費用|全体で",
                    re.IGNORECASE)
_PER_ASKED = re.compile(r"\bper\b|\beach\b|\ba share\b|[1一](?:株|台|人|個)|当たり|あたり|につき", re.IGNORECASE)
_PER_AFTER = re.compile(r"\s*(?:\([^)]{0,24}\)\s*)?(?:(?:per|a|each|/)\s*(?:share|unit|person|vehicle|car|ton|kwh)\b"
                        r"|apiece\b|each\b)", re.IGNORECASE)
_PER_BEFORE = re.compile(r"(?:[1一](?:株|台|人|個|トン)(?:当たり|あたり|につき)?|\bper \w+(?: of)?)\s*$", re.IGNORECASE)


# An increment ("an additional $8 billion", "increase by 500 billion yen", 100億ドルの追加投資,
# 新たに約1,000人) is never the whole either, unless the question asks for one.
# What there is ("the existing jobs", 既存の雇用, the current headcount) is no increment either.
_STOCK = re.compile(r"\b(?:existing|current|currently|now)\b|既存|現在|現状|現時点", re.IGNORECASE)
_INCREMENT_ASKED = re.compile(r"\b(?:additional|another|further|extra|more|increase[ds]?|raised?|add(?:ed|s)?)\b|"
                              r"追加|新た|さらに|増|上積み|引き上げ", re.IGNORECASE)
# "After the additional investment, how much in total…?", 追加投資のあと、総額いくら: an
# increment that only sets the time asks for none.
_AFTER_CLAUSE = re.compile(r"\b(?:after|following|since)\b[^,?]*,|^[^？?]*?(?:のあと|の後|以降|を受けて)[、,]?",
                           re.IGNORECASE)
_INCREMENT_BEFORE = re.compile(r"(?:\b(?:an? )?(?:additional|further|extra|incremental)\s+(?:(?:up to|about|around|some|"
                               r"approximately|nearly|roughly|over)\s+)?|\bby\s+(?:(?:about|around|some|approximately|"
                               r"nearly|roughly|over)\s+)?|新たに(?:約|最大)?|追加で(?:約|最大)?|さらに(?:約|最大)?)$",
                               re.IGNORECASE)
_INCREMENT_AFTER = re.compile(r"\s*(?:more\b|of additional\b|の追加|を追加|追加|の増|増|上積み|を上積み)", re.IGNORECASE)


def part_for_whole(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question asks for a whole ("in total", 総額) and the fact is a value
    per unit ("20,600 yen per share", 1株1万6300円) or an increment ("an additional $8
    billion", 100億ドルの追加投資), which is never that whole; or for what there is
    (既存の雇用, the current headcount) and the fact is an increment (新たに約1,000人)."""
    total = bool(_TOTAL.search(asked))
    if not total and not _STOCK.search(asked):
        return False
    before = sentence[max(0, fact.start - 30):fact.start]
    if total and not _PER_ASKED.search(asked) and (_PER_AFTER.match(sentence, fact.end) or
                                                   _PER_BEFORE.search(before[-12:])):
        return True
    return not _INCREMENT_ASKED.search(_AFTER_CLAUSE.sub(" ", asked)) and bool(
        _INCREMENT_BEFORE.search(before) or _INCREMENT_AFTER.match(sentence, fact.end))


# A share someone holds (株式を7.7%保有, "a 9.1% stake"), and a question about one.
_STAKE_AFTER = re.compile(r"\s*(?:を|の)?\s*(?:保有|所有|持つ|持ち|出資)|\s*(?:stake|owned|held|holding|ownership)\b",
                          re.IGNORECASE)
_STAKE_ASKED = re.compile(r"保有|所有|持って|持ち|持つ|出資比率|株主|\b(?:stake|own|owns|owned|hold|holds|held|holding"
                          r"|ownership|shareholder)\b", re.IGNORECASE)


def stake_for_another_share(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether a percentage is a stake someone holds (株式を7.7%保有し, "a 9.1% stake")
    while the question asks another share (how much of a tender offer was accepted, a
    growth rate): asked what share the offer drew, the fund's 7.7% holding is no answer."""
    return ("%" in fact.text or "％" in fact.text or "percent" in fact.text.lower()) and \
        bool(_STAKE_AFTER.match(sentence, fact.end)) and not _STAKE_ASKED.search(asked)


@functools.lru_cache(maxsize=256)
def _years_asked(asked: str) -> frozenset[str]:
    """The years a question asks a figure of. "As of September 2022" or "before 2023"
    sets a point in time instead: a figure then may be dated by its plan's year (a total
    of $3.8 billion by 2025), so such a question asks of no year here."""
    if read_timeframe(asked).kind in ("as_of", "before", "after"):
        return frozenset()
    return frozenset(YEAR.findall(asked))


def of_another_year(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether a figure's own clause dates it to a year the question does not ask
    about, when the question names one (see `_years_asked`): "revenue of ¥3.2 billion for the fiscal year
    2021" asked "in fiscal 2024"; 当社の2022年度の売上高は51億円. A clause without a year is
    dated by the clauses before it (2025年3月期の連結業績は、売上高412億円、営業利益96億円となり),
    not by those after it ("now employs 520 people, up from 350 in June 2021"); without
    a year there, nothing is said against it."""
    asked_years = _years_asked(asked)
    if not asked_years:
        return False
    own = clause(sentence, fact.start).replace(fact.text, " ")
    years = set(YEAR.findall(own)) or set(YEAR.findall(sentence[:fact.start].replace(own.strip(), " ")))
    return bool(years) and not years & asked_years


def asks_why(asked: str) -> bool:
    return bool(_WHY.search(asked))


def gives_cause(sentence: str) -> bool:
    """Whether a sentence gives a reason (because, due to, ため, を受け…)."""
    return bool(_CAUSE.search(sentence))


def repeats_question(fact: Fact, asked: str) -> bool:
    """Whether the fact only repeats what the question gives: "Honda Canada" for "Who
    is the Honda Canada spokesman?", 2023年 for a question "as of November 2023". A
    bare number of one or two digits is left alone (the 2 of "Mission 2" is read as
    the numbered thing's, see `numbered.numbered_owner`)."""
    question = squash(asked).casefold()
    for form in {fact.text, fact.english}:
        value = squash(form).casefold()
        if value and (len(value) >= 3 or not value.isdigit()) and value in question:
            return True
    return False


def stateable(scored: Scored, kind: str, asked: str = "") -> bool:
    """Whether a candidate may be stated as a fact at all, whatever the model's
    confidence: it has a fact of the asked kind that belongs to what is asked (a
    duration for "how long", a number of the counted thing, the role's person; a
    general question: its sentence shares a word with the question beyond the names
    it asks about, so a sentence that shares only the company's name is never the
    answer, and for a why-question it gives a reason), it is not a value the question itself gives (`asked`, see
    `repeats_question`), and its passage names every name and numbered thing the
    question names (Mission 2's date is no answer about Mission 3)."""
    if kind == GENERAL:
        if scored.row[_BEYOND_NAMES] <= 0:
            return False
        if asked and asks_why(asked) and not gives_cause(scored.candidate.text):
            return False  # "why did it delay?": the sentence that tells of the delay gives no reason
    elif scored.fact is None or scored.fact not in scored.candidate.facts or not scored.owned:
        return False  # no fact, or one that belongs to something else (see `candidates.bound_facts`)
    elif asked and repeats_question(scored.fact, asked):
        return False  # the question's own words are no answer to it
    elif asked and names_another_edition(scored.candidate.text, scored.fact, asked):
        return False  # the HB-10 Pro's sales are no answer about the HB-10
    elif asked and names_a_sibling(scored.candidate.text, asked):
        return False  # Shizuku Farm Kameoka's output is no answer about Shizuku Farm Uji
    elif kind in (NUMBER, MONEY) and asked and of_another_year(scored.candidate.text, scored.fact, asked):
        return False  # revenue "in fiscal 2024" is not the revenue "for the fiscal year 2021"
    elif kind in (NUMBER, MONEY) and asked and part_for_whole(scored.candidate.text, scored.fact, asked):
        return False  # a price per share or an increase is not what the deal costs in total
    elif kind in (NUMBER, MONEY) and asked and stake_for_another_share(scored.candidate.text, scored.fact, asked):
        return False  # a fund's 7.7% holding is not the share of the offer tendered
    elif kind in (NUMBER, MONEY) and asked and plan_for_result(scored.candidate.text, scored.fact, asked):
        return False  # a 2019 target for fiscal 2024 is not what fiscal 2024 was
    elif kind in (NUMBER, MONEY) and asked and another_product(scored.candidate.text, scored.fact, asked):
        return False  # one drug's sales are not the company's
    elif kind in (NUMBER, MONEY) and asked and another_year_end(scored.candidate.text, scored.fact, asked):
        return False  # the year ended March 2020 is not the year ending March 2019
    elif kind == DATE and asked and plan_for_actual_date(scored.candidate.text, scored.fact, asked):
        return False  # when it actually started is not when it was planned to
    elif kind in (NUMBER, MONEY) and asked and period_for_cumulative(scored.candidate.text, scored.fact, asked):
        return False  # one year's sales are not the running total asked
    elif kind in (NUMBER, MONEY, DATE) and asked and product_above(scored.candidate.above, scored.candidate.text, asked):
        return False  # the KC-E900's spec block gives no KC-E700 price
    elif kind in (NUMBER, MONEY) and asked and total_for_part(scored.candidate.text, scored.fact, asked):
        return False  # phases 1 and 2 together are not phase 2
    elif kind == NUMBER and asked and spelled_count_for_japanese(scored.fact, asked):
        return False  # "two" in an English sentence is no count of the rooms asked in Japanese
    elif kind == DATE and asked and plan_already_past(scored.fact, asked, scored.candidate.hit.doc_date):
        return False  # a release's plan lies ahead of it
    elif kind == NUMBER and asked and another_counter(scored.candidate.text, scored.fact, asked):
        return False  # six countries are no count of sites
    elif kind == MONEY and asked and another_measure(scored.candidate.text, scored.fact, asked):
        return False  # operating income is not the net income asked
    elif kind in (NUMBER, MONEY) and asked and another_companys_figure(scored.candidate.text, scored.fact, asked):
        return False  # the subsidiary's sales are not the group's
    elif kind in (NUMBER, MONEY) and asked and another_market(scored.candidate.text, scored.fact, asked):
        return False  # the nationwide box office is not the box office abroad
    elif kind == DATE and asked and announcement_for_event(scored.candidate.text, scored.fact, asked):
        return False  # the day a plan was announced is not the day it happens
    elif kind == NUMBER and asked and another_kind_counted(scored.candidate.text, scored.fact, asked):
        return False  # the supermarkets' 70 stores are not the department stores asked
    elif kind == DATE and asked and another_start(scored.candidate.text, asked):
        return False  # sample shipments began on a day; mass production is asked
    elif kind == DATE and asked and another_milestone(scored.candidate.text, scored.fact, asked):
        return False  # 営業運転開始：2020年10月 is no answer to when construction starts
    elif asked and profile_of_another(scored.candidate.above, scored.candidate.text, asked):
        return False  # the parent's profile line 従業員数：9,870名 is no answer about 白波
    return scored.candidate.passage_names >= 1.0 and scored.candidate.numbered


def true_then(scored: Scored, question) -> bool:
    """Whether a candidate's release could say what was so in the question's period: as
    of a date or before it, only a release of then or earlier; who held a role in a
    period, only a release of then or earlier (a later release names who holds it when
    it is written: asked for the CEO in 2022, a 2026 release's CEO is no answer); any
    other fact, a release of then or earlier, or a later one whose sentence names a
    year of the period."""
    frame = question.timeframe
    date = scored.candidate.hit.doc_date
    if not frame or frame.kind not in ("as_of", "before", "during") or not date or frame.end is None:
        return True
    if date[:10] <= frame.end.isoformat():
        return True
    if question.kind != PERSON:
        # A later release may report a period's figure (fiscal 2022's revenue, told in
        # 2023; the store count "as of August 31, 2023" in an October release) when its
        # sentence names a year of the period; an undated figure of a later
        # release is what was so when it was written (asked the project cost in 2021, the
        # 2023 release's "Total project cost: 310 billion yen" is none).
        own = scored.candidate.text.replace(scored.fact.text, " ") if scored.fact else scored.candidate.text
        return any(frame.start.year <= int(year) <= frame.end.year for year in YEAR.findall(own))
    return False


def may_state(scored: Scored, question) -> bool:
    """`stateable` for `question`, and true in its period (`true_then`), from a release
    that could report it (`misfits.before_the_period`, `misfits.stale_figure`); for what
    is so now, never a value its sentence or table marks as the earlier one (the
    修正前 column, "had targeted")."""
    if scored.fact is not None and scored.row[_CHANGE_OLD] > 0 and asks_of_now(question):
        return False
    return stateable(scored, question.kind, question.given) and true_then(scored, question) and \
        not before_the_period(question, scored.candidate.hit.doc_date) and \
        not years_too_early(question, scored.candidate.hit.doc_date) and \
        not stale_figure(scored.candidate.text, question) and \
        not stale_release(question, scored.candidate.hit.doc_date)


def value_key(fact: Fact):
    """A fact's value, the same in any notation: the day a date names, the values of
    an amount (8 billion and 80億), else its squashed text."""
    if fact.kind == DATE:
        return fact_value(fact.text)
    return quantities(fact.text) or fact_value(fact.text)


def rival_values(candidate: Candidate, fact: Fact | None, facts: list[tuple[Candidate, Fact]]) -> int:
    """How many other values of the asked kind sentences about as close to the
    question state (within `RIVAL_MARGIN` of this one's relevance): a figure restated
    differently from release to release, or several figures side by side."""
    if fact is None:
        return 0
    own = value_key(fact)
    return len({value_key(other) for rival, other in facts if abs(rival.relevance - candidate.relevance) <= RIVAL_MARGIN}
               - {own})


def statements(found: list[Candidate]) -> dict:
    """Each fact value -> (document, sentence) for every candidate sentence that states
    it, the sentence after NFKC without white space: the documents that support a value,
    and the sentences that restate it (a release that gives a date in its summary and
    again in its body)."""
    stating: dict = {}
    for candidate in found:
        sentence = squash(candidate.text)
        for fact in candidate.all_facts:
            stating.setdefault(value_key(fact), set()).add((candidate.hit.path, sentence))
    return stating


def stated_text(evidence: Evidence, scored: Scored) -> str:
    """What an answer from `scored` states first: the fact as shown (in an English
    answer, a Japanese name with its reading), or the sentence."""
    if scored.fact is None:
        return scored.candidate.text
    if evidence.question.language != "en":
        return scored.fact.text
    reading = evidence.romanize(scored.candidate.text).get(scored.fact.text)
    return f"{scored.fact.english} ({reading})" if reading else scored.fact.english
