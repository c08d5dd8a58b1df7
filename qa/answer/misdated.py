"""Figures and dates of another time: a target or a forecast for a result, a figure
from a release written before the period asked or dated years before it, another fiscal
year's end, the day a plan was announced, a plan for what actually happened, a planned
date already past when its release was written.

Design choice: like the other gates of `stating`, these are rules on the fact's own
clause and its release's date, not features: each names a reading that is never the
answer, however close the sentence is to the question. They were written from held-out
sets of invented releases where the confidence model stated each of them first (see
docs/quality.md, "The sixth session"): "2024年3月期の売上高はいくらでしたか" answered with
a 2019 target; "SR-NA20の量産開始は、最新の計画ではいつ" with 2024年5月15日に公表した, the
day an earlier plan was announced; "when was the deal expected to close" (asked of a
December 2022 release) with May 2021.
"""

from __future__ import annotations

import datetime
import re

from ..ingest.dates import MONTH_NAMES, MONTHS
from ..search.question import DATE, MONEY, NUMBER
from .clauses import NOW, clause, event_words, lacks_qualifier
from .facts import Fact, is_plan
from .features import asks_past

# A question about a plan, a forecast or a target, whatever its tense.
_PLAN_ASKED = re.compile(r"予定|計画|目指|見込|見通|方針|めど|目標|想定|予想|予測|\b(?:plan\w*|schedul\w*|expect\w*|aim\w*|"
                         r"target\w*|goals?|forecast\w*|project(?:ed|ion|ions|ing)|outlook|guidance|intend\w*|would|"
                         r"will)\b", re.IGNORECASE)
# What a plan, a target or a forecast aims at (`facts.is_plan`, and forecasts: 予想, 見込み).
_FORECAST = re.compile(r"予想|予測|見込|見通し|\b(?:forecast\w*|projects?|projected|outlook|guidance)\b",
                       re.IGNORECASE)


def _aims(text: str) -> bool:
    return is_plan(text) or bool(_FORECAST.search(text))


# What a clause says is so, not planned: "rose to", 達成, 実績.
_DONE = re.compile(r"実績|達成|確定|計上|となりました|でした|rose|fell|grew|reached|recorded|posted|achieved|"
                   r"totaled|totalled|amounted", re.IGNORECASE)


def _governed_by_end(sentence: str, fact: Fact) -> bool:
    """Whether the fact's clause has no verb of its own (…2024年3月期に売上高500億円、), so
    the sentence's last clause governs it (…を目指してまいります。)."""
    own = clause(sentence, fact.start)
    rest = own[own.find(fact.text) + len(fact.text):] if fact.text in own else own
    return not re.sub(r"[\s、,;。.)）」』]", "", rest)


# A fiscal period, whose results a release reports: 2024年3月期, 2023年度, "fiscal 2024", FY2024.
_FISCAL = re.compile(r"\d{4}年\d{1,2}月期|\d{4}年度|年度|期の|四半期|決算|\d{4}年\d{1,2}\s*[～~〜\-－]\s*\d{1,2}月|半期|"
                     r"\bfiscal\b|\bFY\s?\d|\bquarter\b|\bfull[- ]year\b|\b(?:first|second) half\b", re.IGNORECASE)


def plan_for_result(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question asks what a figure of a fiscal period was (past tense, no
    plan, target or forecast asked; "how much did it invest" asks of a plan as often
    as of a deed, and is left to the model) and the fact is what a plan aims at: its
    clause, or the sentence's last clause that governs a clause without a verb, names a
    plan and not a result."""
    if not asks_past(asked) or _PLAN_ASKED.search(asked) or not _FISCAL.search(asked):
        return False
    own = clause(sentence, fact.start)
    if _DONE.search(own):
        return False
    if NOW.search(own) and not _aims(own):
        return False  # 現在の従業員数は45名で、…60名体制とする計画です: 45 is so now
    if _aims(clause(sentence, fact.start, with_predicate=True)):  # (what fact_is_plan reads, and forecasts)
        return True
    if _governed_by_end(sentence, fact):
        last = sentence[max(sentence.rfind(mark, 0, len(sentence) - 1) for mark in "、,;") + 1:]
        return fact.end <= len(sentence) - len(last) and _aims(last) and not _DONE.search(last)
    return False


# A date that tells when something was announced: 2024年5月15日に公表した, "announced on May 15".
_ANNOUNCED_AFTER = re.compile(r"\s*(?:付け?で?|に)\s*(?:公表|発表|開示|お知らせ|リリース)|\s*(?:announcement|release)\b",
                              re.IGNORECASE)
_ANNOUNCED_BEFORE = re.compile(r"\b(?:announced|published|disclosed|released|unveiled)\s+(?:on\s+)?$", re.IGNORECASE)
_ANNOUNCEMENT_ASKED = re.compile(r"公表|発表|開示|お知らせ|リリース|\b(?:announc\w*|publish\w*|disclos\w*|release[ds]?)\b",
                                 re.IGNORECASE)


def announcement_for_event(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether a date is the day something was announced (2024年5月15日に公表した計画,
    "the plan announced on May 15, 2024") while the question asks about another event."""
    if _ANNOUNCEMENT_ASKED.search(asked):
        return False
    return bool(_ANNOUNCED_AFTER.match(sentence, fact.end) or _ANNOUNCED_BEFORE.search(sentence[:fact.start]))


def before_the_period(question, doc_date: str | None) -> bool:
    """Whether the question asks what a figure or a date was in a period (past tense,
    no plan asked: "what operating income did it report for the fiscal year ended March
    2025") and the release was written before that period began: what it says of the
    period can only be a plan or a forecast."""
    frame = question.timeframe
    if question.kind not in (NUMBER, MONEY, DATE) or not doc_date or not frame or frame.kind != "during" \
            or frame.start is None:
        return False
    if not asks_past(question.text) or _PLAN_ASKED.search(question.text):
        return False
    return doc_date[:10] < frame.start.isoformat()


def years_too_early(question, doc_date: str | None) -> bool:
    """Whether the question asks a fiscal period's result by its year (2023年2月期の純利益は
    いくらでしたか, with no time frame read) and the release is from two or more years
    before it: a 2020 release cannot report the year to February 2023."""
    if question.kind not in (NUMBER, MONEY) or not doc_date or not asks_past(question.text) or \
            _PLAN_ASKED.search(question.text) or not _FISCAL.search(question.text):
        return False
    years = [int(year) for year in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", question.text)]
    return bool(years) and int(doc_date[:4]) <= min(years) - 2


# A figure's own date: "as of April 30, 2021", 2020年1月末時点, 2025年12月31日現在.
_OWN_DATE = re.compile(r"\bas of (?:[A-Za-z]+\.? (?:\d{1,2}, )?)?((?:19|20)\d\d)\b|((?:19|20)\d\d)年[^、。,]{0,8}?(?:時点|現在)",
                       re.IGNORECASE)


def stale_figure(sentence: str, question) -> bool:
    """Whether the question asks a figure as of a time ("by the end of 2025", 2022年時点)
    and the sentence dates its figure to an earlier year (2.3 million units "as of April
    30, 2021"): what was so then is no answer for the later date."""
    frame = question.timeframe
    if question.kind not in (NUMBER, MONEY) or not frame or frame.kind != "as_of" or frame.start is None \
            or _PLAN_ASKED.search(question.text):
        return False
    years = [int(a or b) for a, b in _OWN_DATE.findall(sentence)]
    return bool(years) and max(years) < frame.start.year


def another_start(sentence: str, asked: str) -> bool:
    """Whether a date question asks about an event it qualifies (量産開始, 営業運転開始;
    see `clauses.event_words`) and a Japanese sentence tells of the bare event without the
    qualifier (サンプル出荷を開始いたしました): that is another event's date."""
    return any(event.rpartition("|")[2] in sentence and lacks_qualifier(event, sentence)
               for event in event_words(asked, set()))


# The end of a fiscal year: "the fiscal year ended March 31, 2020", "ending March 2019", 2025年3月期.
_YEAR_END = re.compile(r"\b(?:ended|ending)\s+(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},\s+)?((?:19|20)\d\d)\b|((?:19|20)\d\d)年\d{1,2}月期")


def another_year_end(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question names the end of the fiscal year it asks about ("ending
    March 2019") and the sentence, before the figure, names another ("the fiscal year
    ended March 31, 2020 (FY2019)"): the label FY2019 may name either, the year end one."""
    wanted = {a or b for a, b in _YEAR_END.findall(asked)}
    given = {a or b for a, b in _YEAR_END.findall(sentence[:fact.start])}
    return bool(wanted) and bool(given) and not wanted & given


# A question about what actually happened: 実際に, "actually", "in fact".
_ACTUAL = re.compile(r"実際|\bactual(?:ly)?\b|\bin fact\b", re.IGNORECASE)
# A sentence that tells of a plan being worked toward or moved (…に向けて…まいりましたが, 変更いたします).
_TOWARD = re.compile(r"に向け|を目指|変更いたします|変更します|延期|postpon|delay|\bmoved?\b|\bpushed back\b|\bon track\b|"
                     r"\bon schedule\b|\bslated\b|\bset to\b|\bdue to (?:begin|start|open)", re.IGNORECASE)


def plan_for_actual_date(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question asks when something actually happened (実際に稼働を開始したのは
    いつ) and the date is a plan, an old target or a new schedule (2021年4月の稼働開始に向けて
    建設を進めてまいりましたが; 稼働開始時期を2022年1月に変更いたします)."""
    if not _ACTUAL.search(asked):
        return False
    own = clause(sentence, fact.start, with_predicate=True)
    return is_plan(own) or bool(_TOWARD.search(own))


def stale_release(question, doc_date: str | None) -> bool:
    """Whether a figure is asked as of a date (2025年12月末時点の契約数) and its release is
    more than a year older than that date: a count of then is not a count of later."""
    frame = question.timeframe
    if question.kind not in (NUMBER, MONEY) or not doc_date or not frame or frame.kind != "as_of" \
            or frame.start is None or _PLAN_ASKED.search(question.text):
        return False  # a plan asked ("what was it aiming for by 2026") is the plan as stated then
    return (frame.start - datetime.date.fromisoformat(doc_date[:10])).days > 366


_JA_PERIOD = re.compile(r"((?:19|20)\d\d)年(?:度|(\d{1,2})月)?")
_EN_PERIOD = re.compile(rf"(?:\b({MONTH_NAMES})\.?\s+(?:\d{{1,2}},\s+)?)?((?:19|20)\d\d)", re.IGNORECASE)


def _period_end(text: str) -> datetime.date | None:
    """The last day of the period a date fact names: 2021年5月 -> 2021-05-31, "May 2021"
    -> 2021-05-31, 2023年度 or "fiscal 2023" -> 2024-03-31 (a Japanese fiscal year), 2024 -> 2024-12-31."""
    match = _JA_PERIOD.search(text)
    if match:
        year, month = int(match.group(1)), match.group(2)
        if "年度" in match.group(0):
            return datetime.date(year + 1, 3, 31)
    else:
        match = _EN_PERIOD.search(text)
        if not match:
            return None
        year = int(match.group(2))
        month = MONTHS[match.group(1).lower()] if match.group(1) else None
        if month is None and re.search(r"\b(?:fiscal|FY)", text, re.IGNORECASE):
            return datetime.date(year + 1, 3, 31)
    if month is None:
        return datetime.date(year, 12, 31)
    month = int(month)
    if not 1 <= month <= 12:
        return None
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def plan_already_past(fact: Fact, asked: str, doc_date: str | None) -> bool:
    """Whether the question asks what was planned or expected ("when was it expected to
    close", 達成時期は何年度とされていましたか) and the date ended before the release that
    states it was written: a release's plan lies ahead of it (May 2021 in a December 2022
    release is a date already past, not the deal's expected closing)."""
    if not doc_date or not _PLAN_ASKED.search(asked):
        return False
    end = _period_end(fact.text)
    return end is not None and end < datetime.date.fromisoformat(doc_date[:10])
