"""Figures of the right kind that answer another question: a target for a result, the
day something was announced for the day it happens, a product's figure for its maker's.

Design choice: like the other gates of `stating`, these are rules on the fact's own
clause, not features: each names a reading that is never the answer, however close the
sentence is to the question. They were written from a held-out set of invented
releases (batteries, ferries, drugs) where the confidence model stated each of them
first (see docs/quality.md, "The sixth session"):
- "2024年3月期の売上高はいくらでしたか" answered with the 2019 release's target
  (2024年3月期に売上高500億円…を目指してまいります);
- "SR-NA20の量産開始は、最新の計画ではいつ" answered with 2024年5月15日に公表した, the
  day an earlier plan was announced;
- "萌葱製薬の2024年3月期の売上収益" answered with MGD-045の…売上収益は6億円, one drug's.
"""

from __future__ import annotations

import datetime
import re

from ..ingest.normalize import squash
from ..search.question import DATE, MONEY, NUMBER
from .clauses import NOW, clause, event_words, fact_is_plan
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
    as of a deed, and is left to the model) and the fact is what a plan aims at: its clause, or the sentence's
    last clause that governs a clause without a verb, names a plan and not a result."""
    if not asks_past(asked) or _PLAN_ASKED.search(asked) or not _FISCAL.search(asked):
        return False
    if _DONE.search(clause(sentence, fact.start)):
        return False
    own = clause(sentence, fact.start)
    if NOW.search(own) and not _aims(own):
        return False  # 現在の従業員数は45名で、…60名体制とする計画です: 45 is so now
    if fact_is_plan(sentence, fact) or _aims(clause(sentence, fact.start, with_predicate=True)):
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


# A product code: letters, an optional hyphen, digits (MGD-045, SR-NA20, HB-10), not a
# fiscal year (FY2024) or a pandemic (COVID-19).
_CODE = re.compile(r"(?<![A-Za-z0-9-])(?!(?:FY|CY|COVID|Q|H)[-\s]?\d)(?:[A-Z]{2,6}(?:-[A-Z]{1,4})?-?|[A-Z]-)\d{1,5}[A-Za-z]?(?![A-Za-z0-9-])")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_PARENTHESES = re.compile(r"[(（][^()（）]*[)）]")


def another_product(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the fact's clause, before the fact, names a product code (MGD-045の…売上収益は
    6億円) that the question does not name: that figure is the product's, not the
    company's or another product's. A code in parentheses is an aside."""
    before = sentence[max(sentence.rfind(mark, 0, fact.start) for mark in "、,;") + 1:fact.start]
    question = squash(asked).casefold()
    return any(squash(code).casefold() not in question for code in _CODE.findall(_PARENTHESES.sub(" ", before)))


# Markets a figure is of, each by its words in either language: a question about one
# is not answered by a figure the sentence gives for another.
_MARKETS = {
    "domestic": r"国内|全国|日本国内|\bdomestic\b|\bnationwide\b|\bin japan\b",
    "overseas": r"海外|国外|\boverseas\b|\babroad\b|\boutside (?:of )?japan\b|\binternational(?:ly)?\b",
    "worldwide": r"全世界|世界(?!初|最|一|的|観|中の)|\bworldwide\b|\bglobal(?:ly)?\b",
}


def _markets(text: str) -> set[str]:
    return {market for market, words in _MARKETS.items() if re.search(words, text, re.IGNORECASE)}


def another_market(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question asks a figure of one market (海外の興行収入, domestic
    pre-orders) and the fact's clause gives it for another (全国…興行収入48.6億円): the
    nationwide box office is no answer about the box office abroad."""
    wanted = _markets(asked)
    if not wanted:
        return False
    given = _markets(clause(sentence, fact.start, with_predicate=True)) or _markets(sentence)
    return bool(given) and not given & wanted


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
    if not _JAPANESE.search(sentence):
        return False
    for event in event_words(asked, set()):
        qualifier, _, base = event.rpartition("|")
        if qualifier and base in sentence and qualifier not in sentence:
            return True
    return False


# "how many department stores did…": the counted noun and the words before it.
_HOW_MANY = re.compile(r"\bhow many ((?:[a-z-]+\s+){1,3}?)([a-z-]+)\s+(?:did|do|does|are|is|were|was|has|have|had|will|"
                       r"would|can|could|in|at|of|for)\b")
_NOT_MODIFIERS = frozenset("the a an of new more additional total overall other such its their his her our".split())


def another_kind_counted(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether an English question counts a qualified noun ("how many department
    stores") and the words after an English sentence's number name none of its
    qualifiers ("…the supermarket chain, to 70 stores"): those are other stores."""
    if _JAPANESE.search(sentence):
        return False
    match = _HOW_MANY.search(asked.lower())
    if not match:
        return False
    # a name ("how many Shiojiri households") says where, not what kind: only lower-case words qualify
    written = asked[match.start(1):match.end(1)].split()
    modifiers = [word.lower() for word in written
                 if word.islower() and word not in _NOT_MODIFIERS and len(word) > 2]
    if not modifiers:
        return False
    near = sentence[fact.end:fact.end + 40].lower()
    return not any(word[:5] in near for word in modifiers)


# A company the question names in full: 株式会社花邑百貨店, 花邑百貨店株式会社, "Kasumi Foods Inc.".
_COMPANY_ASKED = re.compile(r"株式会社\s*([^\s、。,（(]+?)(?=の|は|が|を|に|と|[\s、。,?？]|$)|([^\s、。,「」（(]+?)株式会社|"
                            r"([A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)*),?\s+(?:Inc\.|Co\.,?\s?Ltd\.|Corporation|Corp\.|Ltd\.)|"
                            r"\b(?:CEO|president|chairman|chairperson|head|founder)\s+of\s+(?:the\s+)?"
                            r"([A-Z][\w&'-]*(?:\s+[A-Z][\w&'-]*)+)")
_LEGAL = re.compile(r"株式会社|有限会社|,?\s*(?:inc\.?|co\.,?\s?ltd\.?|corporation|corp\.?|ltd\.?)$", re.IGNORECASE)


def officer_of_another_company(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question names a company in full (株式会社花邑百貨店の社長) and the person
    is given in the parentheses after another company's name (株式会社花邑ホールディングス
    （…代表取締役社長：花邑宗一郎）): the parent's president is not the subsidiary's."""
    asked_companies = [squash(next(part for part in match.groups() if part)).casefold()
                       for match in _COMPANY_ASKED.finditer(asked)]
    if not asked_companies:
        return False
    opening = max(sentence.rfind("（", 0, fact.start), sentence.rfind("(", 0, fact.start))
    if opening < 0 or max(sentence.rfind("）", opening, fact.start), sentence.rfind(")", opening, fact.start)) >= 0:
        return False
    start = max(sentence.rfind(mark, 0, opening) for mark in "）)、。;；「」") + 1
    owner = squash(_LEGAL.sub("", sentence[start:opening].strip())).casefold()
    owner = squash(_LEGAL.sub("", owner)).casefold()
    if not owner or not _LEGAL.search(sentence[start:opening].strip()):
        return False
    # a name is compared in its own script only: "Takasago Thermal Engineering" asked says
    # nothing about 高砂熱学工業株式会社（社長：小島和人）
    latin = bool(re.search(r"[a-z]", owner))
    comparable = [company for company in asked_companies if bool(re.search(r"[a-z]", company)) == latin]
    return bool(comparable) and not any(company in owner or owner in company for company in comparable)


# The measures of a company's results, each by its words in either language.
_MEASURES = {
    "sales": r"売上高|売上収益|営業収益|売上|\bnet sales\b|\brevenues?\b|\bsales\b|\bturnover\b",
    "operating": r"営業利益|営業損失|営業赤字|\boperating (?:income|profit|loss)\b",
    "ordinary": r"経常利益|経常損失|\bordinary (?:income|profit|loss)\b",
    "net": r"純利益|純損失|\bnet (?:income|profit|loss)\b|\bprofit attributable\b",
    "investment": r"投資額|総投資|設備投資|事業費|建設費|\binvestment\b|\bcapital expenditure\b|\bproject cost\b|"
                  r"\bconstruction cost\b",
}


def _measures(text: str) -> list[tuple[int, str]]:
    found = []
    for name, words in _MEASURES.items():
        found += [(match.end(), name) for match in re.finditer(words, text, re.IGNORECASE)]
    # 営業利益 is no 売上 and "net sales" no net income: the longest word at a place wins
    return sorted(found)


def another_measure(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question asks one measure of results (net income, 営業利益) and the
    measure named right before the amount is another ("…net sales of 118.6 billion
    yen…, and operating income of 3.1 billion yen" asked for net income)."""
    wanted = {name for _, name in _measures(asked)}
    if len(wanted) != 1:
        return False
    before = sentence[max(0, fact.start - 40):fact.start]
    cut = max((match.end() for match in re.finditer(r"\d[\d,.]*\s*(?:億|万|兆)?\s*(?:円|ドル|yen|dollars|million|billion)",
                                                    before, re.IGNORECASE)), default=0)
    named = [name for end, name in _measures(before[cut:])]
    return bool(named) and named[-1] not in wanted


# A company named as the subject of a figure: 青川マリンエンジニアリング株式会社（…）の…売上高は142億円.
_COMPANY_SUBJECT = re.compile(r"(?:株式会社\s*([^\s、。,（(「」]+?)|([^\s、。,（(「」]+?)株式会社)\s*(?:[（(][^）)]*[）)])?\s*(?:の|は)")
_NAME_RUN = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffA-Za-z]+")


def another_companys_figure(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the figure's sentence makes another company its subject (株式会社X（…）の
    2025年3月期の売上高は142億円) while the question names a different company sharing
    its first character (青川重工業 asked, 青川マリンエンジニアリング given): the
    subsidiary's sales are not the group's. A question that names neither says nothing."""
    subjects = [match for match in _COMPANY_SUBJECT.finditer(sentence, 0, fact.start)]
    if not subjects:
        return False
    core = subjects[-1].group(1) or subjects[-1].group(2)
    if len(core) < 3 or core in asked:
        return False
    for match in _NAME_RUN.finditer(asked):
        run = match.group()
        if run[0] == core[0] and len(run) >= 2 and not core.startswith(run) and not run.startswith(core):
            return True
    return False


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
    return fact_is_plan(sentence, fact) or is_plan(own) or bool(_TOWARD.search(own))


# A total of parts: 約31,000m2（第1期・第2期合計）, "combined", 合わせて.
_TOTAL_NEAR = re.compile(r"合計|合算|総計|合わせて|\b(?:combined|in total|altogether|total)\b", re.IGNORECASE)
_TOTAL_ASKED = re.compile(r"合計|合算|総計|総額|合わせ|全体|\b(?:combined|in total|altogether|total|overall|all)\b",
                          re.IGNORECASE)
_PART_ASKED = re.compile(r"第\s?\d+\s?(?:期|弾|段階|工区|号)|\b(?:phase|stage|unit|block)\s+\d+\b|\d+(?:号機|番船|期棟)",
                         re.IGNORECASE)


def total_for_part(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question asks about one part (第2期, phase 2) and the figure is the
    total of several (延床面積：約31,000m2（第1期・第2期合計）)."""
    if not _PART_ASKED.search(asked) or _TOTAL_ASKED.search(asked):
        return False
    return bool(_TOTAL_NEAR.search(sentence[fact.end:fact.end + 24]) or
                _TOTAL_NEAR.search(sentence[max(0, fact.start - 12):fact.start]))


# Japanese counters, and the ones that count the same thing.
_COUNTERS = sorted(("名 人 社 カ国 か国 ヶ国 ヵ国 か所 カ所 ヶ所 箇所 拠点 店舗 店 件 契約 世帯 戸 室 隻 台 機 基 両 本 枚 冊 "
                    "館 席 棟 便 校 種類 品目 駅 路線 回 倍 段階 チーム 株 個").split(), key=len, reverse=True)
_SAME_COUNTER = {"人": "名", "店舗": "店", "か国": "カ国", "ヶ国": "カ国", "ヵ国": "カ国", "か所": "カ所", "ヶ所": "カ所",
                 "箇所": "カ所", "契約": "件"}
_COUNTER_ASKED = re.compile(r"何[十百千万億]*(" + "|".join(map(re.escape, _COUNTERS)) + ")")
_COUNTER_END = re.compile(r"(" + "|".join(map(re.escape, _COUNTERS)) + r")$")


def another_counter(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether a Japanese question counts by one counter (何拠点) and the figure by another
    (6カ国): six countries are no count of sites. Counters of the same thing (名 and 人,
    店 and 店舗) agree."""
    match = _COUNTER_ASKED.search(asked)
    end = _COUNTER_END.search(fact.text)
    if not match or not end:
        return False
    return _SAME_COUNTER.get(match.group(1), match.group(1)) != _SAME_COUNTER.get(end.group(1), end.group(1))


def stale_release(question, doc_date: str | None) -> bool:
    """Whether a figure is asked as of a date (2025年12月末時点の契約数) and its release is
    more than a year older than that date: a count of then is not a count of later."""
    frame = question.timeframe
    if question.kind not in (NUMBER, MONEY) or not doc_date or not frame or frame.kind != "as_of" \
            or frame.start is None or _PLAN_ASKED.search(question.text):
        return False  # a plan asked ("what was it aiming for by 2026") is the plan as stated then
    return (frame.start - datetime.date.fromisoformat(doc_date[:10])).days > 366


_MONTHS = ("january february march april may june july august september october november december").split()
_JA_PERIOD = re.compile(r"((?:19|20)\d\d)年(?:度|(\d{1,2})月)?")
_EN_PERIOD = re.compile(r"(?:(" + "|".join(_MONTHS) + r")\s+(?:\d{1,2},\s+)?)?((?:19|20)\d\d)", re.IGNORECASE)


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
        month = _MONTHS.index(match.group(1).lower()) + 1 if match.group(1) else None
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


_SPELLED = re.compile(r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen)$", re.IGNORECASE)


def spelled_count_for_japanese(fact: Fact, asked: str) -> bool:
    """Whether a Japanese question counts something (合計何室) and the fact is an English
    number word ("two"): a word number in an English sentence counts whatever follows it,
    which a Japanese question's counter cannot be checked against."""
    return bool(_SPELLED.match(fact.text.strip())) and bool(_JAPANESE.search(asked))



# A running total: 累計, 発売以来, "cumulative", "to date".
_CUMULATIVE = re.compile(r"累計|累積|通算|発売以来|開業以来|\bcumulative(?:ly)?\b|\bto date\b|"
                         r"\bsince (?:its )?(?:launch|release|opening)\b", re.IGNORECASE)


def period_for_cumulative(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the question asks a running total (累計販売台数, "cumulative sales") and the
    figure's own clause is not one (「KC-E700」の2021年の販売台数は16,200台…と、発売以来の累計
    販売台数は41,100台: 16,200 is one year's)."""
    return bool(_CUMULATIVE.search(asked)) and not _CUMULATIVE.search(clause(sentence, fact.start, with_predicate=True))


# A line that names the product a block is about: "Model: KC-E900", 型式：MS-500, "■ KC-E900 仕様".
_MODEL_LINE = re.compile(r"(?:^|\n)[ \t]*[■●◆◇【#]*[ \t]*(?:(?:Model|Product(?: name)?|型式|型番|製品名|品名|モデル|機種)[ \t]*[:：]"
                         r"[^\n]*|(?=[A-Z]{1,6}-?[A-Z]{0,4}-?\d)[^\n]{0,40}(?:\n|$))", re.IGNORECASE)


def product_above(above: str, sentence: str, asked: str) -> bool:
    """Whether the question names a product code (KC-E700) that the sentence does not,
    and the product named last above the sentence, on a model line or a heading (`above`:
    its passage before it, and the chunk before that), is another (a spec block's
    "Suggested retail price: 198,000 yen" under KC-E900 is not the KC-E700's price)."""
    wanted = {squash(code).casefold() for code in _CODE.findall(asked)}
    if not wanted or {squash(code).casefold() for code in _CODE.findall(sentence)} & wanted:
        return False
    named = [code for line in _MODEL_LINE.findall(above) for code in _CODE.findall(line)[:1]]
    return bool(named) and squash(named[-1]).casefold() not in wanted
