"""What a question asks for, and finding that kind of fact in a quoted sentence.

Design choice: rules, not a model. The question's wording decides the kind of fact
(date, person, number, money, place, or a general statement); the fact is then found
inside the quoted sentence itself (dates by pattern, people and places by SudachiPy's
proper-noun tags, amounts by number-and-unit patterns), so every fact shown is a
span of the quote and none is invented. A small press-release vocabulary links
English question words to the Japanese words releases use (land -> 着陸), so an
English question can pick the right clause of a Japanese sentence.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Callable

from ..ingest.dates import find_dates

from ..search.question import DATE, MONEY, NUMBER, PERSON, PLACE

# Words of events: for a when-question they pick the clause whose date is meant.
EVENT_WORDS = ("着陸", "打ち上げ", "打上げ", "発表", "締結", "設立", "創業", "開始", "完了", "実行", "実施",
               "発売", "提供", "開発", "参画", "成功", "公開", "開催", "契約", "上場", "実証")
# The same events in English (word starts, lower case): a landing is 着陸 in either language.
ENGLISH_EVENTS = {
    "着陸": ("landing", "land ", "lands ", "landed", "touchdown", "touch down"),
    "打ち上げ": ("launch", "liftoff", "lift off", "lift-off"), "打上げ": ("launch", "liftoff", "lift off"),
    "発表": ("announce",), "締結": ("sign",), "設立": ("found", "establish"), "創業": ("found",),
    "開始": ("start", "begin", "began", "commence"), "完了": ("complet",), "実行": ("conduct", "carr", "perform"),
    "実施": ("conduct", "carr", "perform"), "発売": ("release",), "提供": ("provid", "suppl"), "開発": ("develop",),
    "参画": ("join", "participat"), "成功": ("succe",), "公開": ("publish", "unveil"), "開催": ("held", "hold"),
    "契約": ("contract", "agreement"), "上場": ("listing", "listed", "ipo"), "実証": ("demonstrat",),
}

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]
# Parts of a year or month: 2024年4月中旬, 2023年末, the first half of 2024, early 2025.
# A season is no part of a place's name: 2021年秋 is autumn, 2021年秋田県 is Akita.
_JAPANESE_PART = r"(?:上旬|中旬|下旬|初旬|末|前半|後半|上半期|下半期|中|頃|ごろ|(?:春|夏|秋|冬)(?=頃|季|[^\u4e00-\u9fff]|$))?"
# A date's reach travels with it: 2023年度以降 is "FY2023 or later", not FY2023.
_REACH = r"(?:以降|以前)?"
# 2022年3月期 is the fiscal year that ends in March 2022, not March 2022.
_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?!\d)(?:期(?!間))?" + _JAPANESE_PART + _REACH)
_YEAR = re.compile(r"(?<![\d.])(\d{4})年(?:度)?" + _JAPANESE_PART + _REACH)
_MONTH_DAY = re.compile(r"(?<![\d年])(?:来年|今年|昨年|同年)?(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日|(?P<part>上旬|中旬|下旬|初旬|末))")
_ENGLISH_MONTH_DAY = re.compile(r"\b(?:" + "|".join(_MONTH_NAMES) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+"
                                r"\d{1,2}(?:st|nd|rd|th)?\b(?!,?\s*\d{4})")
_TIME_OF_DAY = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])(?:\s?(?:[ap]\.?m\.?|UTC|JST|GMT|EST|EDT|ET))?|"
                          r"(?<!\d)\d{1,2}時\d{1,2}分|(?:午前|午後)\d{1,2}時(?:\d{1,2}分)?", re.IGNORECASE)
_ENGLISH_PART = (r"(?:(?:the\s+)?(?:first|second|1st|2nd)\s+half\s+of\s+|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+|"
                 r"(?:early|mid|late)[\s-]+|(?:Q[1-4]|H[12])\s+|fiscal\s+(?:year\s+)?|FY\s?|"
                 r"(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?)?")
_ENGLISH_YEAR_MONTH = re.compile(r"\b" + _ENGLISH_PART + r"(" + "|".join(_MONTH_NAMES) + r")\s+(\d{4})\b",
                                 re.IGNORECASE)
_ENGLISH_YEAR = re.compile(r"\b" + _ENGLISH_PART + r"((?:19|20)\d\d)\b(?![\d,.]?\d|年)")
_UNITS = (r"億円|万円|円|米ドル|ドル|ユーロ|名|人|社|チーム|段階|拠点|か所|カ所|箇所|%|％|パーセント|倍|カ国|か国|ヵ国|件|機|基|台|両|隻|株|個|つ|本|枚|冊|店舗|店|館|席|室|戸|棟|便|校|点|種類|品目|駅|路線|世帯|"
          r"日間|週間|か月|カ月|ヶ月|ヵ月|年間|時間|分間|エーカー|平方メートル|ヘクタール|マイル|ポイント|"
          r"kg|トン|km|キログラム|キロメートル|キロワット時|キロワット|キロリットル|リットル|キロ|メートル|グラム|GWh|MWh|kWh|GW|MW|kW|m²|m2|回|million|billion|trillion|thousand|percent|pct|people|employees|"
          r"staff|teams|companies|yen|dollars|shares|common shares|persons|jobs|units|vehicles|trucks|cars|EVs|"
          r"batteries|lines|plants|stores|shops|outlets|countries|acres|hectares|square meters|square metres|kilograms|kilometers|kilometres|"
          r"meters|metres|grams|miles|tons|tonnes|"
          r"days|weeks|months|years|hours|minutes")
# What "million", "billion" … counts, kept with the number as a Japanese figure keeps its
# unit (612万トン): "about 42 million tons" is the demand asked, "about 42 million" is not.
_COUNTED = (r"yen|dollars|euros|pounds|baht|dong|won|yuan|rupees|tons|tonnes|units|cases|shares|common shares|"
            r"people|persons|employees|users|members|customers|subscribers|visitors|passengers|households|"
            r"vehicles|cars|trucks|EVs|batteries|copies|downloads|barrels|liters|litres|kilograms|kilometers|"
            r"kilometres|meters|metres|miles|square (?:meters|metres|feet|kilometers|kilometres)|"
            r"cubic (?:meters|metres|feet)|m2|m²|hours|kWh|MWh|GWh")
# A number: digits, with Japanese multipliers inside it (1万6300円, 12億9000万ドル,
# 5兆9000億円), never the tail of a date or a code (2025-10-06, 10:12) and never read
# across a line break (a header's date glued to the body's first line is no figure).
_GAP = r"[ \t\u3000]*"
_AMOUNT = (r"\d[\d,]*(?:\.\d+)?(?:" + _GAP + r"(?:兆|億|千万|百万|万|千)" + _GAP + r"\d[\d,]*(?:\.\d+)?)*" + _GAP +
           r"(?:兆|億|千万|百万|万|千)?")  # 百万 and 千万 as tables write them (単位:百万円; 8百万米ドル)
_CURRENCY_BEFORE = r"(?:US\$|C\$|A\$|[$€¥£]|EUR\s?|USD\s?|JPY\s?|CHF\s?)"
_MULTIPLIER_WORD = r"(?:\s?(?:million|billion|trillion|thousand|bn|mn|m)\b)?"
# A bound written after a value is part of it, as 最大 and "up to" before it are: a PUE
# target of 1.3以下 is not a target of 1.3.
_BOUND = r"以下|以上|未満|超(?![\u4e00-\u9fff])|\s+or\s+(?:less|lower|fewer|below|more|higher|greater|above)\b"
_NUMBER = re.compile(rf"(?:約|およそ|最大|最短|第|over |about |approximately |nearly |up to |more than )?(?<![\d\-/.,])(?<!\d:)"
                     rf"(?:{_CURRENCY_BEFORE}{_AMOUNT}{_MULTIPLIER_WORD}(?:{_GAP}(?:yen|dollars|euros|円|ドル))?"
                     rf"|{_AMOUNT}{_GAP}(?:(?:million|billion|trillion|thousand)(?:\s+(?:{_COUNTED}))?|{_UNITS}))"
                     rf"(?![A-Za-z])(?:{_BOUND})?", re.IGNORECASE)
# A number with no unit after it (its noun may follow an adjective), for how-many
# questions; never part of a date, a time, a code or a year.
_BARE_NUMBER = re.compile(r"(?<![\d\-/.,$€¥])(?<!\d:)\d+(?:,\d{3})*(?:\.\d+)?(?:[万億兆](?!円))?(?![\d\-/:%％]|[.,]\d|\s*(?:年|月|日|時|分))"
                          rf"(?:{_BOUND})?", re.IGNORECASE)
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|a dozen|"
                          r"dozens of|hundreds of)\b", re.IGNORECASE)
_MONEY = re.compile(r"円|ドル|ユーロ|ポンド|[$€¥£]|\byen\b|\bdollars?\b|\beuros?\b|\bpounds\b|\busd|\bjpy|\beur|\bchf",
                    re.IGNORECASE)
# A run of capitalized words (O’Neill, Neuenschwander, Mare Crisium), for English
# people and places.
# (a word's capital tail is part of it: "GmbH" is one word, not "Gmb")
_CAPITALIZED_RUN = re.compile(r"(?<![\w’'-])(?:[A-Z][a-z]+[A-Z]?(?![a-z])(?:[’'-][A-Z]?[a-z]+)*|[A-Z]’[A-Z][a-z]+|[A-Z]\.)"
                              r"(?:\s+(?:[A-Z][a-z]+[A-Z]?(?![a-z])(?:[’'-][A-Z]?[a-z]+)*|[A-Z]’[A-Z][a-z]+|[A-Z]\.|de|van|"
                              r"von|der))*")
# Words that make a capitalized run a title, an organization or a document, not a person.
_NOT_PERSON = frozenset("""
the a an of and for in on at to by with from as after before during over
director president officer chief executive financial technical technology operating manager founder chairman ceo
program programme lander rover mission space agency exploration robotic human science project group company inc co
ltd corporation corp bank banking holdings electric engineering industries university institute centre center office
station force national international global united states kingdom republic japan europe european america american
moon lunar earth mars crater sea ocean mare today news press release business development operations sales
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday tokyo osaka luxembourg colorado denver
city prefecture county province state district town village region island bay valley street avenue road airport port
plant factory motor motors foods products systems rail railway energy solutions technologies partners capital
securities logistics ministry government council committee association foundation services automotive mobility
governor mayor minister secretary senator ambassador professor dr mr ms mrs spokesman spokeswoman spokesperson
vice senior deputy head general
automation robotics ventures labs pharma pharmaceuticals biosciences therapeutics networks semiconductor materials
chemicals construction insurance trading airlines airways aerospace electronics devices instruments machinery
software digital media entertainment games studios interactive retail stores hotels resorts railways transit
transport ab ag gmbh plc llc
pharmaceutical department division communications relations affairs corporate investor public
unit laboratories laboratory medical health healthcare clinic hospital shipping lines line ferry ferries marine
power battery batteries chemical steel metals paper textile textiles
kaiun kogyo seiyaku denki sangyo shoji kensetsu ginko tetsudo jidosha seiki denko kagaku shoten unyu sekiyu
tech tec techno works manufacturing precision net network telecom realty estate
diagnostics aviation petrochem petrochemical petrochemicals biotech clinical resources trust finance asset assets management
regional authority metropolitan municipal prefectural commission board bureau transportation utilities
""".split())
_ORGANIZATION = frozenset("inc co ltd corporation corp bank banking holdings company group agency university "
                          "institute electric industries engineering".split())
_EARLIEST = re.compile(r"最短|早ければ|at the earliest|as early as")
_PLAN = re.compile(r"予定|計画|目指|見込み|見通し|方針|めど|目標|想定|\bplan(s|ned)?\b|\bscheduled\b|\bexpect(s|ed)?\b"
                   r"|\baim(s|ed)?\b|\bwill\b|\bintends?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Fact:
    kind: str
    text: str
    start: int
    end: int
    english: str  # how an English answer shows it


# What went as planned is done, not a plan: "launched as scheduled", 予定通り完了した.
_AS_PLANNED = re.compile(r"(予定|計画|想定|見込み)(通り|どおり)|\bas (planned|scheduled|expected|intended)\b",
                         re.IGNORECASE)


def is_money(text: str) -> bool:
    """Whether a number is written as an amount of money (円, $, yen, EUR…)."""
    return bool(_MONEY.search(text))


def is_plan(sentence: str) -> bool:
    """The sentence tells of a plan (a schedule, an aim, a forecast), not of what went
    as planned."""
    return bool(_PLAN.search(_AS_PLANNED.sub(" ", sentence)))


def is_earliest(sentence: str) -> bool:
    return bool(_EARLIEST.search(sentence))


def _english_date(date: datetime.date) -> str:
    return f"{_MONTH_NAMES[date.month - 1]} {date.day}, {date.year}"


_JAPANESE_PARTS = {"上旬": "early ", "初旬": "early ", "中旬": "mid-", "下旬": "late ", "末": "the end of ",
                   "前半": "the first half of ", "後半": "the second half of ", "頃": "around ", "ごろ": "around ",
                   "春": "spring ", "夏": "summer ", "秋": "autumn ", "冬": "winter "}


def _reach(text: str) -> tuple[str, str]:
    """A Japanese date's text without its reach (以降, 以前), and the reach in English."""
    for word, english in (("以降", " or later"), ("以前", " or earlier")):
        if text.endswith(word):
            return text[:-len(word)], english
    return text, ""


# A year written after a capitalised word that is no month or time word is part of a
# name (the plan 「SORYO 2026」, "Vision 2027"), not a date.
_TIME_WORDS = ("|".join(_MONTH_NAMES) + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|FY|CY|Fiscal|In|By|Since|Until|"
               "Till|From|Of|End|Early|Mid|Late|Spring|Summer|Autumn|Fall|Winter|Q[1-4]|H[12]|Half|Year|Before|After")
_NAME_BEFORE_YEAR = re.compile(rf"(?<![A-Za-z])(?!(?:{_TIME_WORDS})\b)[A-Z][A-Za-z]*[\s-]?$")


def _date_facts(sentence: str) -> list[Fact]:
    facts = []
    for mention in find_dates(sentence):
        text = sentence[mention.start:mention.end]
        english = _english_date(mention.date)
        facts.append(Fact(DATE, text, mention.start, mention.end, english if english == text else f"{english} ({text})"))
    taken = [(fact.start, fact.end) for fact in facts]

    def free(start, end):
        return all(end <= a or start >= b for a, b in taken)

    def add(match, english: str | None = None) -> None:
        """The match as a fact, unless an earlier (longer) one holds it; shown in
        English as `english` with the original, or as written."""
        if free(*match.span()):
            text = match.group()
            facts.append(Fact(DATE, text, *match.span(), f"{english} ({text})" if english else text))
            taken.append(match.span())

    for match in _YEAR_MONTH.finditer(sentence):
        if 1 <= int(match.group(2)) <= 12:
            part, reach = _reach(match.group()[match.group().index("月") + 1:])
            fiscal = part.startswith("期")
            part = part[1:] if fiscal else part
            add(match, f"{_JAPANESE_PARTS.get(part, '')}{'the fiscal year ending ' if fiscal else ''}"
                       f"{_MONTH_NAMES[int(match.group(2)) - 1]} {match.group(1)}{reach}")
    for match in _ENGLISH_YEAR_MONTH.finditer(sentence):
        add(match)
    for match in _YEAR.finditer(sentence):
        part, reach = _reach(match.group()[match.group().index("年") + 1:].removeprefix("度"))
        add(match, f"{_JAPANESE_PARTS.get(part, '')}{'fiscal ' if '年度' in match.group() else ''}{match.group(1)}{reach}")
    for match in _ENGLISH_YEAR.finditer(sentence):
        if not _NAME_BEFORE_YEAR.search(sentence[max(0, match.start() - 24):match.start()]):
            add(match)
    # A day or a part of a month with no year (3月15日, 来年1月末, 7月初旬, March 16): the
    # release's own year is implied, and the quote shows it.
    for match in _MONTH_DAY.finditer(sentence):
        if 1 <= int(match.group("month")) <= 12:
            month = _MONTH_NAMES[int(match.group("month")) - 1]
            day, part = match.group("day"), match.group("part") or ""
            add(match, f"{month} {int(day)}" if day else f"{_JAPANESE_PARTS.get(part, '')}{month}")
    for pattern in (_ENGLISH_MONTH_DAY, _TIME_OF_DAY):
        for match in pattern.finditer(sentence):
            add(match)
    return sorted(facts, key=lambda fact: fact.start)


def _tagged_runs(sentence: str, tag: str) -> list[tuple[int, int]]:
    """Spans of consecutive morphemes tagged `tag` (人名, 地名). A person's run must hold
    a surname; a place glued to more kanji or katakana is part of a longer name
    (高砂 in 高砂熱学工業) and is skipped."""
    from ..search.lexical import sudachi_morphemes

    runs: list[list] = []
    for morpheme in sudachi_morphemes(sentence):
        part_of_speech = morpheme.part_of_speech()
        if tag in part_of_speech[:3]:
            if runs and runs[-1][1] == morpheme.begin():
                runs[-1][1] = morpheme.end()
                runs[-1][2] = runs[-1][2] or part_of_speech[3] == "姓"
            else:
                runs.append([morpheme.begin(), morpheme.end(), part_of_speech[3] == "姓"])
    kept = []
    for start, end, has_surname in runs:
        if tag == "人名" and not has_surname:
            continue
        if tag == "地名" and end < len(sentence) and _NAME_CONTINUES.match(sentence[end]):
            continue
        kept.append((start, end))
    return kept


_LEGAL_SUFFIX = frozenset("gmbh inc ltd corp corporation ag plc llc sa nv bv kk holdings group".split())
_NAME_CONTINUES = re.compile("[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _english_runs(kind: str, sentence: str) -> list[Fact]:
    """English people (two or more capitalized words, none a title or organization
    word: Kursten O’Neill, Julien Lamamy, not Lander Program Director) or places
    (capitalized runs that are not organizations: Atlas Crater, Nagoya)."""
    facts = []
    for match in _CAPITALIZED_RUN.finditer(sentence):
        words = match.group().split()
        start = match.start()
        if kind == PERSON:
            # Split the run at title words: "Director Daniel Neuenschwander" -> the name.
            parts, current = [], []
            for word in words:
                if word.lower().strip(".,") in _LEGAL_SUFFIX:
                    current = []  # "Brenner Sensorik GmbH": the words before a legal form name a company
                elif word.lower().strip(".") in _NOT_PERSON:
                    if current:
                        parts.append(current)
                    current = []
                else:
                    current.append(word)
            if current:
                parts.append(current)
            for part in parts:
                if len(part) >= 2 and not (len(part) == 2 and part[0].endswith(".") and part[1].endswith(".")):
                    text = " ".join(part)
                    position = sentence.find(text, start)
                    if position >= 0:
                        facts.append(Fact(kind, text, position, position + len(text), text))
        elif (_PLACE_NOUN.search(match.group()) or _PLACE_BEFORE.search(sentence[:start])) and \
                not any(word.lower().strip(".") in _ORGANIZATION for word in words) and \
                not all(word.lower().strip(".") in _NOT_PERSON - _PLACE_WORDS for word in words):
            text = match.group()
            facts.append(Fact(kind, text, start, start + len(text), text))
    return facts


_PLACE_NOUN = re.compile(r"\b(Crater|Mare|Sea|City|Prefecture|County|State|Bay|Basin|Valley|Station|Island|Region)\b")
_PLACE_BEFORE = re.compile(r"\b(in|at|to|near|from|based in|headquartered in|located in|on)\s+(the\s+)?$")
_PLACE_WORDS = frozenset("united states kingdom japan europe america tokyo osaka luxembourg colorado denver moon "
                         "mars earth crater sea mare".split())


_KATAKANA_PERSON = re.compile(r"([\u30a1-\u30fa\u30fc]{2,}・[\u30a1-\u30fa\u30fc]{2,}(?:・[\u30a1-\u30fa\u30fc]{2,})?)"
                              r"(?=氏|さん|社長|会長|会頭|CEO|最高|副社長|取締役|執行役|代表|大使|首相|大統領)")
_URL = re.compile(r"https?://\S+|www\.\S+")


def find_facts(kind: str, sentence: str, common: Callable[[str], bool] | None = None) -> list[Fact]:
    """Every fact of `kind` in the sentence, as spans of it (never inside a URL).
    `common(word)` says whether an English word is a common word: an English person's
    name does not start with one ("Support Artemis" is no person)."""
    urls = [match.span() for match in _URL.finditer(sentence)]
    facts = [fact for fact in _find_facts(kind, sentence) if not any(start <= fact.start < end for start, end in urls)]
    if kind == PERSON and common is not None:
        facts = [fact for fact in facts if not (fact.text.isascii() and common(fact.text.split()[0]))]
    return facts


_TITLE_SCALE = re.compile(r"\b(Hundred|Thousand|Million|Billion|Trillion)\b")


def _plain_scale(amount: str) -> str:
    """An amount as English prose writes it: a headline's "$30 Million" is "$30 million"."""
    return _TITLE_SCALE.sub(lambda match: match.group().lower(), amount)


def _find_facts(kind: str, sentence: str) -> list[Fact]:
    if kind == DATE:
        return _date_facts(sentence)
    if kind in (NUMBER, MONEY):
        facts = [Fact(kind, match.group().strip(), match.start(), match.end(), _plain_scale(match.group().strip()))
                 for match in _NUMBER.finditer(sentence)]
        if kind == NUMBER:  # "three alternative landing sites", "40 autonomous trucks"
            facts += [Fact(kind, match.group(), match.start(), match.end(), match.group())
                      for match in _NUMBER_WORD.finditer(sentence)]
            taken = [(fact.start, fact.end) for fact in facts] + [(mention.start, mention.end)
                                                                   for mention in find_dates(sentence)]
            facts += [Fact(kind, match.group(), match.start(), match.end(), match.group())
                      for match in _BARE_NUMBER.finditer(sentence)
                      if not any(start <= match.start() < end for start, end in taken)
                      and not _YEAR_LIKE.fullmatch(match.group())]
            facts.sort(key=lambda fact: fact.start)
        if kind == MONEY:
            facts = [fact for fact in facts if _MONEY.search(fact.text)]
        return facts
    if kind in (PERSON, PLACE):
        tag = "人名" if kind == PERSON else "地名"
        facts = [Fact(kind, sentence[start:end], start, end, sentence[start:end])
                 for start, end in _tagged_runs(sentence, tag) if end - start >= 2]
        facts += [fact for fact in _english_runs(kind, sentence)
                  if not any(fact.start < other.end and other.start < fact.end for other in facts)]
        if kind == PERSON:  # クラウディオ・ファキン氏: a foreign name in katakana
            facts += [Fact(kind, match.group(1), match.start(1), match.end(1), match.group(1))
                      for match in _KATAKANA_PERSON.finditer(sentence)
                      if not any(match.start(1) < other.end and other.start < match.end(1) for other in facts)]
        return sorted(facts, key=lambda fact: fact.start)
    return []
