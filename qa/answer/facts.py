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

from ..ingest.dates import find_dates

DATE, PERSON, NUMBER, MONEY, PLACE, GENERAL = "date", "person", "number", "money", "place", "general"

_ENGLISH_KINDS = [
    (MONEY, re.compile(r"\bhow much\b.*\b(money|cost|costs|worth|price|pay|paid|spend|spent|invest\w*|fund\w*|value|fee|valued)\b"
                       r"|\b(price|cost|value|amount|revenue|sales|profit|income|earnings|valuation|budget)\b")),
    (DATE, re.compile(r"\bwhen\b|\bwhat (date|day|year|month|time)\b|\bwhich (date|day|year|month)\b|\bhow long ago\b")),
    (PERSON, re.compile(r"\bwho\b|\bwhom\b|\bwhose\b|\bwhat is the name of the (ceo|president|founder|chairman)\b")),
    (NUMBER, re.compile(r"\bhow (many|much|long|far|heavy|big|large|tall)\b|\bwhat (number|percentage|share)\b"
                        r"|\bnumber of\b|\bweigh")),
    (PLACE, re.compile(r"\bwhere\b|\bwhich (city|country|prefecture|region|ward)\b|\bheadquartered\b")),
]
_JAPANESE_KINDS = [
    (MONEY, re.compile(r"いくら|金額|費用|価格|値段|何円|資金|出資額|契約額|投資額|売上|利益|収益|株価|予算")),
    (DATE, re.compile(r"いつ|何日|何年|何月|日付|日程|時期|期日|日時|(発表|打ち?上げ|着陸|設立|実行|開始|完了|予定)日")),
    (PERSON, re.compile(r"誰|だれ|どなた|何者|氏名|(社長|CEO|代表者?|創業者|会長)は(誰|だれ|どなた|何)")),
    (NUMBER, re.compile(r"何人|何名|いくつ|何社|何チーム|何段階|何か所|何カ所|何拠点|何機|何件|何回|何倍|何%|何kg|何キロ|"
                        r"何トン|何メートル|数は|重さ|重量|大きさ|距離|期間")),
    (PLACE, re.compile(r"どこ|場所|所在地|本社は|拠点は|どの(国|都市|地域)")),
]

# English question words -> the Japanese words releases use for them.
VOCABULARY = {
    "land": ("着陸",), "landing": ("着陸",), "lands": ("着陸",), "touch": ("着陸",),
    "launch": ("打ち上げ", "打上げ"), "launched": ("打ち上げ", "打上げ"), "launches": ("打ち上げ", "打上げ"),
    "announce": ("発表",), "announced": ("発表",), "publish": ("発表",), "published": ("発表",),
    "release": ("発表", "発売"), "released": ("発表", "発売"),
    "sign": ("締結",), "signed": ("締結",), "found": ("設立", "創業"), "founded": ("設立", "創業"),
    "establish": ("設立",), "established": ("設立",), "start": ("開始",), "begin": ("開始",),
    "complete": ("完了",), "completed": ("完了",), "carry": ("実行", "実施"), "conduct": ("実施", "実行"),
    "execute": ("実行",), "fly": ("実行",), "plan": ("計画", "予定"), "planned": ("計画", "予定"),
    "scheduled": ("予定",), "develop": ("開発",), "developed": ("開発",), "demonstrate": ("実証",),
    "demonstration": ("実証",), "succeed": ("成功",), "success": ("成功",), "headquartered": ("本社", "所在地"),
    "headquarters": ("本社", "所在地"), "ceo": ("代表取締役", "CEO"), "president": ("社長", "代表取締役"),
    "founder": ("Founder", "創業者"), "employees": ("スタッフ", "従業員", "社員"), "staff": ("スタッフ",),
    "mission": ("ミッション",), "lander": ("ランダー",), "rover": ("ローバー", "探査車"), "moon": ("月面", "月"),
    "lunar": ("月面", "月"), "water": ("水",), "partner": ("パートナー",), "team": ("チーム",),
    "business": ("事業",), "first": ("初", "最初"), "securities": ("証券",), "code": ("コード",), "stock": ("証券", "株式"), "economy": ("経済圏",), "technology": ("技術",), "milestone": ("マイルストーン", "Success"),
    # Words common to space-industry releases in general.
    "agreement": ("契約", "覚書", "合意", "締結"), "memorandum": ("覚書",), "contract": ("契約",),
    "partnership": ("パートナーシップ", "提携"), "collaboration": ("協業", "連携", "協力"),
    "purpose": ("目的",), "goal": ("目標", "目的"), "aim": ("目指", "目的"), "vision": ("ビジョン",),
    "company": ("会社", "企業", "社"), "service": ("サービス",), "services": ("サービス",), "data": ("データ",),
    "customer": ("顧客",), "customers": ("顧客",), "investment": ("出資", "投資"), "funding": ("資金", "調達"),
    "revenue": ("売上", "収益"), "government": ("政府",), "payload": ("ペイロード",), "payloads": ("ペイロード",),
    "spacecraft": ("宇宙機",), "orbit": ("軌道",), "satellite": ("衛星",), "hydrogen": ("水素",),
    "oxygen": ("酸素",), "electrolysis": ("電気分解", "水電解"), "mining": ("マイニング", "採掘"),
    "thermal": ("サーマル", "熱"), "exploration": ("探査",), "program": ("プログラム",),
    "programme": ("プログラム",), "comment": ("コメント",), "comments": ("コメント",), "space": ("宇宙",),
    "resources": ("資源",), "resource": ("資源",), "transportation": ("輸送",), "transport": ("輸送",),
    "equipment": ("装置",), "device": ("装置",), "engineering": ("工学", "エンジニアリング"),
    "environment": ("環境",), "results": ("結果", "成果"), "result": ("結果", "成果"), "office": ("拠点", "オフィス"),
    "offices": ("拠点", "オフィス"), "sponsor": ("スポンサー",), "sponsors": ("スポンサー",), "rocket": ("ロケット",),
    # Acronyms a Japanese release may spell out.
    "us": ("米国", "アメリカ"), "usa": ("米国", "アメリカ"), "uk": ("英国", "イギリス"), "eu": ("欧州",),
    "cfo": ("最高財務責任者",), "cto": ("最高技術責任者",), "coo": ("最高執行責任者",), "ipo": ("上場",),
    "jaxa": ("宇宙航空研究開発機構",), "esa": ("欧州宇宙機関",), "nasa": ("アメリカ航空宇宙局",),
}
# Words of events: for a when-question they pick the clause whose date is meant.
EVENT_WORDS = ("着陸", "打ち上げ", "打上げ", "発表", "締結", "設立", "創業", "開始", "完了", "実行", "実施",
               "発売", "提供", "開発", "参画", "成功", "公開", "開催", "契約", "上場", "実証")

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]
_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?!\d)")
_YEAR = re.compile(r"(?<![\d.])(\d{4})年(?:度)?")
_ENGLISH_YEAR_MONTH = re.compile(r"\b(" + "|".join(_MONTH_NAMES) + r")\s+(\d{4})\b")
_UNITS = (r"億円|万円|円|ドル|ユーロ|名|人|社|チーム|段階|拠点|か所|カ所|箇所|%|パーセント|倍|カ国|か国|件|機|基|台|"
          r"kg|トン|km|個|回|million|billion|thousand|percent|people|employees|staff|teams|companies|yen|dollars")
_NUMBER = re.compile(rf"(?:約|およそ|最大|最短|over |about |approximately )?[$€¥]?\d[\d,]*(?:\.\d+)?\s*(?:億|万|千)?\s*(?:{_UNITS})",
                     re.IGNORECASE)
_MONEY = re.compile(r"円|ドル|ユーロ|[$€¥]|\byen\b|\bdollars?\b|\busd\b|\bjpy\b|\beur\b", re.IGNORECASE)
_ENGLISH_PERSON = re.compile(r"\b(?:Mr\.|Ms\.|Dr\.)?\s?[A-Z][a-z]+(?:\s[A-Z][a-z]+)+\b")
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


# "Mission 2", "ミッション3", "Success 8": a name with a number. A question about one
# can only be answered by a passage that names it.
_NUMBERED_NAME = re.compile(r"([A-Za-z][A-Za-z-]*|[\u30a0-\u30ff]+)\s*(\d{1,3})(?![\d年月日.,:])")
_NOT_NAMES = {"in", "on", "at", "of", "by", "for", "to", "from", "since", "until", "before", "after", "than",
              "about", "over", "under", "and", "or", "the", "top", "first", "last", "page"}
_LATIN_NAME = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*|[A-Z][a-z]+[A-Z][A-Za-z]*)(?![\w-])")


def numbered_names(question: str) -> list[re.Pattern]:
    """Patterns for the numbered names in a question, in English and Japanese spelling."""
    patterns = []
    for stem, number in _NUMBERED_NAME.findall(question):
        if stem.lower() in _NOT_NAMES:
            continue
        spellings = [stem, *VOCABULARY.get(stem.lower(), ())]
        alternatives = "|".join(re.escape(spelling) for spelling in spellings)
        patterns.append(re.compile(rf"(?:{alternatives})\s*{number}(?!\d)", re.IGNORECASE))
    return patterns


_SHOUTED_OR_COMMON = {"I", "CEO", "MOU", "OK", "WHAT", "WHEN", "WHERE", "WHO", "WHY", "HOW", "WHICH", "DOES", "DID",
                      "IS", "ARE", "WAS", "THE", "AND", "OF", "TO", "IN", "ON", "FOR"}


def latin_names(question: str) -> list[str]:
    """Names written in Latin capitals in the question: SpaceX, NASA, RESILIENCE. A
    question typed in capitals throughout has none: its capitals say nothing."""
    letters = [character for character in question if character.isascii() and character.isalpha()]
    if letters and sum(character.isupper() for character in letters) > 0.6 * len(letters):
        return []
    return [name for name in _LATIN_NAME.findall(question) if name.upper() not in _SHOUTED_OR_COMMON]


def question_kind(question: str) -> str:
    lowered = question.lower()
    for kind, pattern in _ENGLISH_KINDS:
        if pattern.search(lowered):
            return kind
    for kind, pattern in _JAPANESE_KINDS:
        if pattern.search(question):
            return kind
    return GENERAL


def is_plan(sentence: str) -> bool:
    return bool(_PLAN.search(sentence))


def is_earliest(sentence: str) -> bool:
    return bool(_EARLIEST.search(sentence))


def _english_date(date: datetime.date) -> str:
    return f"{_MONTH_NAMES[date.month - 1]} {date.day}, {date.year}"


def _date_facts(sentence: str) -> list[Fact]:
    facts = []
    for mention in find_dates(sentence):
        text = sentence[mention.start:mention.end]
        english = _english_date(mention.date)
        facts.append(Fact(DATE, text, mention.start, mention.end, english if english == text else f"{english} ({text})"))
    taken = [(fact.start, fact.end) for fact in facts]

    def free(start, end):
        return all(end <= a or start >= b for a, b in taken)

    for match in _YEAR_MONTH.finditer(sentence):
        if free(*match.span()) and 1 <= int(match.group(2)) <= 12:
            english = f"{_MONTH_NAMES[int(match.group(2)) - 1]} {match.group(1)}"
            facts.append(Fact(DATE, match.group(), *match.span(), f"{english} ({match.group()})"))
            taken.append(match.span())
    for match in _ENGLISH_YEAR_MONTH.finditer(sentence):
        if free(*match.span()):
            facts.append(Fact(DATE, match.group(), *match.span(), match.group()))
            taken.append(match.span())
    for match in _YEAR.finditer(sentence):
        if free(*match.span()):
            facts.append(Fact(DATE, match.group(), *match.span(), f"{match.group(1)} ({match.group()})"))
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


_NAME_CONTINUES = re.compile("[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


_URL = re.compile(r"https?://\S+|www\.\S+")


def find_facts(kind: str, sentence: str) -> list[Fact]:
    """Every fact of `kind` in the sentence, as spans of it (never inside a URL)."""
    urls = [match.span() for match in _URL.finditer(sentence)]
    return [fact for fact in _find_facts(kind, sentence)
            if not any(start <= fact.start < end for start, end in urls)]


def _find_facts(kind: str, sentence: str) -> list[Fact]:
    if kind == DATE:
        return _date_facts(sentence)
    if kind in (NUMBER, MONEY):
        facts = [Fact(kind, match.group().strip(), match.start(), match.end(), match.group().strip())
                 for match in _NUMBER.finditer(sentence)]
        if kind == MONEY:
            facts = [fact for fact in facts if _MONEY.search(fact.text)]
        return facts
    if kind in (PERSON, PLACE):
        tag = "人名" if kind == PERSON else "地名"
        facts = [Fact(kind, sentence[start:end], start, end, sentence[start:end])
                 for start, end in _tagged_runs(sentence, tag) if end - start >= 2]
        if kind == PERSON:
            facts += [Fact(kind, match.group().strip(), match.start(), match.end(), match.group().strip())
                      for match in _ENGLISH_PERSON.finditer(sentence)
                      if not any(match.start() < fact.end and fact.start < match.end() for fact in facts)]
        return sorted(facts, key=lambda fact: fact.start)
    return []
