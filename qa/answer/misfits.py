"""Figures of the right kind that belong to another thing: another product, market,
company, measure of results, counter or kind of counted thing, the total of phases for
one, one period's figure for a running total.

Design choice: like the other gates of `stating`, these are rules on the fact's own
clause, not features: each names a reading that is never the answer, however close the
sentence is to the question. They were written from held-out sets of invented releases
where the confidence model stated each of them first (see docs/quality.md, "The sixth
session"): "萌葱製薬の2024年3月期の売上収益" answered with MGD-045の…売上収益は6億円, one
drug's; "What was Aokawa's net income" with its operating income; 6カ国 for 何拠点.
Figures and dates of another time are `misdated`'s.
"""

from __future__ import annotations

import re

from ..ingest.language import JAPANESE_LETTER as _JAPANESE
from ..ingest.normalize import squash
from .candidates import open_parenthesis
from .clauses import clause
from .facts import Fact

# A product code: letters, an optional hyphen, digits (MGD-045, SR-NA20, HB-10), not a
# fiscal year (FY2024) or a pandemic (COVID-19).
_CODE = re.compile(r"(?<![A-Za-z0-9-])(?!(?:FY|CY|COVID|Q|H)[-\s]?\d)(?:[A-Z]{2,6}(?:-[A-Z]{1,4})?-?|[A-Z]-)\d{1,5}[A-Za-z]?(?![A-Za-z0-9-])")
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
    opening = open_parenthesis(sentence, fact.start)
    if opening < 0:
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


# A profile block's owner: its heading (■株式会社ハルネの概要, "About Hanamura Holdings") or
# its company-name line (会社名：株式会社花邑ホールディングス, "Company name: Hanamura Holdings").
_PROFILE_HEADING = re.compile(r"^[■□●◆◇【\[\s]*(?:(.{2,40}?)の(?:会社|企業)?概要|(?:about|profile of|overview of)\s+(.{2,60}?))"
                              r"[】\]\s]*$", re.IGNORECASE)
_NAME_LINE = re.compile(r"^[-•・\s]*(?:会社名|商号|社名|company(?: name)?)\s*[:：]\s*(.+)$", re.IGNORECASE)
# A heading's owner is a company only when it says so (■新工場の概要 is a plant's block).
_FIRM = re.compile(r"株式会社|有限会社|ホールディングス|グループ|\b(?:inc|corp|corporation|co|ltd|llc|gmbh|holdings|group)\b\.?",
                   re.IGNORECASE)
_LABEL_LINE = re.compile(r"^[-•・\s]*[^:：。.]{1,30}[:：]")
_LATIN_NAME = re.compile(r"\b[A-Z][\w&'-]{2,}")


def profile_owner(above: str, sentence: str) -> str:
    """The company whose profile block a label line (設立：1962年5月, "Employees: 3,420")
    stands in: walking up from it through label lines to the block's company-name line
    or heading. Empty when the sentence is no label line or the block names no company."""
    if not _LABEL_LINE.match(sentence):
        return ""
    lines = above.split("\n")
    for line in reversed(lines[:-1] if lines and not lines[-1].strip() else lines):
        line = line.strip()
        named = _NAME_LINE.match(line)
        if named:
            return named.group(1).strip()
        heading = _PROFILE_HEADING.match(line)
        if heading:
            owner = (heading.group(1) or heading.group(2) or "").strip()
            return owner if _FIRM.search(owner) else ""
        if not _LABEL_LINE.match(line):
            return ""
    return ""


def profile_of_another(above: str, sentence: str, asked: str) -> bool:
    """Whether a label line of a company profile belongs to a company the question does
    not name: a joint release ends with both companies' profiles, and the parent's
    従業員数：9,870名 is no answer about its subsidiary 白波. Names are compared in their
    own script only (an English question says nothing of 株式会社ハルネ), and a question
    that names nothing in the owner's script says nothing either."""
    owner = profile_owner(above, sentence)
    core = squash(_LEGAL.sub("", owner.replace("株式会社", "").replace("有限会社", ""))).casefold()
    if len(core) < 2:
        return False
    if re.search(r"[a-z]", core):
        words = _LATIN_NAME.findall(asked)
        if words and asked.lstrip().startswith(words[0]):
            words = words[1:]  # "How", "What": the question's first word, capitalized
        runs = [word.casefold() for word in words]
    else:
        runs = [run for run in _NAME_RUN.findall(asked) if len(run) >= 2 and _JAPANESE.search(run)]
    return bool(runs) and not any(run in core or core in run for run in runs)
