"""The checkable claims of a sentence a model wrote: dates, numbers, amounts and names.

Design choice: a generated sentence is trusted only as far as its facts can be found
again in the passage it cites, so a claim is read into a value that does not depend
on how it is written. A date is a (year, month, day) with any part missing (2025年6月6日,
June 6, 2025 and 2025-06-06 are one date; "June 2025" and 2025年6月 one month; in a
passage, a day or month without a year takes the release's year, and 来年1月 or
今月20日 are read from the release's date); a number is an `amounts.Amount`: its
value with its multiplier (1.4 million = 140万; 50億円 = 5 billion yen), the currency
and unit it names, and whether it is a label (Mission 2); a name is a run of
capitalized Latin words, a Japanese proper noun (SudachiPy's 固有名詞, with a lone
kanji glued to it), a katakana word SudachiPy does not know, or katakana words
joined by ・, checked later (see `names`). The same readers take a passage apart, so
claim and passage are compared as values, never as strings. Small counts in words
(two … twelve) are numbers too; kanji numerals are read in passages only, before a
counter (三社).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..ingest.dates import MONTH_NAMES, MONTHS as _MONTHS, find_dates
from ..ingest.normalize import clean_characters
from .amounts import Amount, read_amounts, supported

DATE, NUMBER, NAME = "date", "number", "name"

_YEAR_MONTH = re.compile(r"(?<!\d)(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?!\s*\d{1,2}\s*日)"
                         rf"|\b(?P<month_name>{MONTH_NAMES})\.?,?\s+(?:of\s+)?(?P<year2>\d{{4}})\b"
                         r"|(?<!\d)(?P<year3>\d{4})[-/](?P<month3>\d{1,2})(?![-/\d])", re.IGNORECASE)
_MONTH_DAY = re.compile(r"(?<!\d)(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
                        rf"|\b(?P<month_name>{MONTH_NAMES})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})"
                        rf"|\b(?P<day3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month_name3>{MONTH_NAMES})\b(?!\.?,?\s+\d{{4}})",
                        re.IGNORECASE)
_MONTH_ALONE = re.compile(r"(?<![\d年])(?P<month>\d{1,2})\s*月(?!\s*\d)(?!期)|(?<![\w])(?P<month_name>January|February|March|"
                          r"April|May|June|July|August|September|October|November|December)(?![\w])")
_YEAR = re.compile(r"(?<![\d.,])(?:FY\s?)?(?P<year>(?:19|20)\d\d)(?!\d|,\d|\.\d)(?!\s*(?:[兆億万千円人名個台社株%％]|ドル"
                   r"|km|GWh|エーカー|平方|(?:thousand|million|billion|trillion|yen|dollars|euros|people|employees|"
                   r"jobs|units|shares|percent)\b))\s*(?:年度?)?")
# A range of months (4〜6月, 10-12月): both ends are months.
_MONTH_RANGE = re.compile(r"(?<![\d年])(?P<first>\d{1,2})\s*[〜~～\-–]\s*(?P<last>\d{1,2})\s*月(?!\s*\d)")
# A month of a year named relative to the release's (来年1月, 昨年12月).
_RELATIVE_YEAR = {"来年": 1, "翌年": 1, "今年": 0, "本年": 0, "昨年": -1, "去年": -1, "前年": -1}
_RELATIVE_MONTH = re.compile(r"(来年|翌年|今年|本年|昨年|去年|前年)度?\s*(\d{1,2})\s*月")
# A day of a month named relative to the release's (今月20日, 来月3日).
_RELATIVE_MONTHS = {"今月": 0, "本月": 0, "来月": 1, "翌月": 1, "先月": -1, "前月": -1}
_RELATIVE_DAY = re.compile(r"(今月|本月|来月|翌月|先月|前月)\s*(\d{1,2})\s*日")
# Latin words that start a sentence or stand capitalized without naming anything.
_NOT_NAMES = frozenset("""
a an the this that these those it its in on at of for to by with from as and or but if when where who what which
how why there here he she they we i you our their his her also however according yes no not both each all
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday q1 q2 q3 q4 h1 h2 fy
""".split())
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_’'&.-]*[A-Za-z0-9]|[A-Za-z]")
_CONNECTORS = frozenset(("of", "de", "du", "van", "von", "der", "and", "&", "x"))
_LATIN_IN_JAPANESE = re.compile(r"[A-Za-z][A-Za-z0-9’'&-]*[A-Za-z0-9]|[A-Z]")
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_KATAKANA_WORD = re.compile("[\u30a1-\u30fa\u30fc]{2,}")
_LONE_KANJI = re.compile("(?![氏様殿君社長等的製産側家])[\u3400-\u4dbf\u4e00-\u9fff]")
_KATAKANA_COMPOUND = re.compile("[\u30a1-\u30fa\u30fc]+(?:・[\u30a1-\u30fa\u30fc]+)+")


@dataclass(frozen=True)
class Claim:
    kind: str
    text: str
    start: int
    end: int
    # DATE: (year, month, day), any of them None; NUMBER: (value, currency or "", the Amount).
    value: tuple = ()


def _month(groups: dict, *names: str) -> int | None:
    for name in names:
        if groups.get(name):
            raw = groups[name]
            return _MONTHS[raw.lower().rstrip(".")] if not raw.isdigit() else int(raw)
    return None


def date_claims(text: str) -> list[Claim]:
    """Full dates, months of a year, days of a month and years, each once (the
    longest reading of a span wins)."""
    claims = [Claim(DATE, text[mention.start:mention.end], mention.start, mention.end,
                    (mention.date.year, mention.date.month, mention.date.day)) for mention in find_dates(text)]

    def free(start: int, end: int) -> bool:
        return all(end <= claim.start or start >= claim.end for claim in claims)

    for match in _YEAR_MONTH.finditer(text):
        groups = match.groupdict()
        year = int(groups["year"] or groups["year2"] or groups["year3"])
        month = _month(groups, "month", "month_name", "month3")
        if free(*match.span()) and month and 1 <= month <= 12:
            claims.append(Claim(DATE, match.group(), *match.span(), (year, month, None)))
    for match in _MONTH_DAY.finditer(text):
        groups = match.groupdict()
        month = _month(groups, "month", "month_name", "month_name3")
        day = int(groups["day"] or groups["day2"] or groups["day3"])
        if free(*match.span()) and month and 1 <= month <= 12 and 1 <= day <= 31:
            claims.append(Claim(DATE, match.group(), *match.span(), (None, month, day)))
    for match in _MONTH_RANGE.finditer(text):
        if free(*match.span()) and all(1 <= int(match.group(end)) <= 12 for end in ("first", "last")):
            claims.append(Claim(DATE, match.group(), *match.span(), (None, int(match.group("first")), None)))
            claims.append(Claim(DATE, match.group(), *match.span(), (None, int(match.group("last")), None)))
    for match in _MONTH_ALONE.finditer(text):
        month = _month(match.groupdict(), "month", "month_name")
        if free(*match.span()) and month and 1 <= month <= 12:
            claims.append(Claim(DATE, match.group(), *match.span(), (None, month, None)))
    for match in _YEAR.finditer(text):
        if free(*match.span()):
            claims.append(Claim(DATE, match.group().strip(), match.start(), match.start() + len(match.group().strip()),
                                (int(match.group("year")), None, None)))
    return sorted(claims, key=lambda claim: claim.start)


def number_claims(text: str, taken: list[tuple[int, int]] = ()) -> list[Claim]:
    """Numbers outside the spans `taken` (dates), each with its currency, unit and role
    (see `amounts`); the value is (number, currency, the `Amount`)."""
    return [Claim(NUMBER, amount.text, amount.start, amount.end, (amount.value, amount.currency, amount))
            for amount in read_amounts(text) if not any(start <= amount.start < end for start, end in taken)
            and (amount.currency or not re.match(r"[A-Za-z]", text[amount.start - 1:amount.start]))]  # H3: a name


def _capitalized_runs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, starts the sentence) of each run of capitalized Latin words, joined
    by single spaces or connectors (Bank of Japan), without a leading function word."""
    runs: list[list[int]] = []  # [start, end of the last capital word, end of the last word taken]
    open_run = False
    for match in _LATIN_WORD.finditer(text):
        word = match.group().rstrip(".")
        start, end = match.start(), match.start() + len(word)
        joined = open_run and text[runs[-1][2]:start] == " "
        if word[0].isupper():
            if joined:
                runs[-1][1:] = [end, end]
            else:
                runs.append([start, end, end])
            open_run = True
        elif joined and word.lower() in _CONNECTORS:
            runs[-1][2] = end
        else:
            open_run = False
    found = []
    for start, end, _ in runs:
        while True:
            first = _LATIN_WORD.match(text, start)
            if first is None or first.group().rstrip(".").lower().strip("’'") not in _NOT_NAMES:
                break
            following = _LATIN_WORD.search(text, first.end(), end)
            if following is None:
                start = end
                break
            start = following.start()
        if end > start:
            initial = not text[:start].strip(" \t\n-*•#>0123456789.)")
            found.append((start, end, initial))
    return found


def name_claims(text: str, taken: list[tuple[int, int]] = ()) -> list[Claim]:
    """Runs of capitalized Latin words (not a sentence's opening function word, not
    a month) and Japanese names: SudachiPy's proper nouns, the katakana words it does
    not know (アストロボティック), and katakana words joined by ・ (コカ・コーラ)."""
    from ..search.lexical import sudachi_morphemes

    claims = []
    for start, end, initial in _capitalized_runs(text):
        if not any(a <= start < b for a, b in taken):
            claims.append(Claim(NAME, text[start:end], start, end, ("initial",) if initial else ()))
    if _JAPANESE.search(text):
        joined = [match.span() for match in _KATAKANA_COMPOUND.finditer(text)]
        claims += [Claim(NAME, text[start:end], start, end) for start, end in joined]
        morphemes = list(sudachi_morphemes(text))
        runs: list[list[int]] = []  # [first, last + 1] morpheme of each run of proper nouns
        for position, morpheme in enumerate(morphemes):
            surface = morpheme.surface()
            proper = (morpheme.part_of_speech()[1] == "固有名詞" and _JAPANESE.search(surface)
                      or morpheme.is_oov() and _KATAKANA_WORD.fullmatch(surface)) and \
                not any(start <= morpheme.begin() < end for start, end in joined)
            if proper and runs and runs[-1][1] == position and morphemes[position - 1].end() == morpheme.begin():
                runs[-1][1] = position + 1
            elif proper:
                runs.append([position, position + 1])
        for first, last in runs:  # a lone kanji glued to the name is part of it (三 and 林 in 三林住友)
            while first > 0 and _LONE_KANJI.fullmatch(morphemes[first - 1].surface()):
                first -= 1
            while last < len(morphemes) and _LONE_KANJI.fullmatch(morphemes[last].surface()):
                last += 1
            start, end = morphemes[first].begin(), morphemes[last - 1].end()
            claims.append(Claim(NAME, text[start:end], start, end))
    return sorted(claims, key=lambda claim: claim.start)


def find_claims(text: str) -> list[Claim]:
    """Every checkable claim of a sentence (its [n] markers removed first)."""
    dates = date_claims(text)
    taken = [(claim.start, claim.end) for claim in dates]
    numbers = number_claims(text, taken)
    taken += [(claim.start, claim.end) for claim in numbers]
    names = [claim for claim in name_claims(text, taken)
             if not any(claim.start < end and start < claim.end for start, end in taken)]
    return sorted(dates + numbers + names, key=lambda claim: claim.start)


@dataclass(frozen=True)
class PassageFacts:
    """What a passage states, as values: its dates (with the release date, and the
    release's year for a day or a month given without one), its amounts (see
    `amounts`), and its text for names."""
    dates: frozenset[tuple]
    numbers: tuple[Amount, ...]
    text: str    # NFKC, lower case
    squashed: str  # the same without white space


def _forms(year, month, day) -> set[tuple]:
    return {(year, month, day), (year, month, None), (None, month, day), (year, None, None), (None, month, None)}


@functools.lru_cache(maxsize=4096)
def passage_facts(text: str, release_date: str | None = None) -> PassageFacts:
    text = clean_characters(text)
    claims = date_claims(text)
    dates = set()
    released = tuple(int(part) for part in release_date[:10].split("-")) if release_date else None
    for claim in claims:
        year, month, day = claim.value
        dates |= _forms(year, month, day)
        if released and year is None and month:  # 4月18日 in a release of 2024: 2024年4月18日 (or 2023's)
            dates |= _forms(released[0], month, day)
            if (month, day or 1) > released[1:]:
                dates |= _forms(released[0] - 1, month, day)
    if released:
        dates |= _forms(*released)
        for match in _RELATIVE_MONTH.finditer(text):
            if 1 <= int(match.group(2)) <= 12:
                dates |= _forms(released[0] + _RELATIVE_YEAR[match.group(1)], int(match.group(2)), None)
        for match in _RELATIVE_DAY.finditer(text):
            month = released[1] + _RELATIVE_MONTHS[match.group(1)]
            year, month = released[0] + (month - 1) // 12, (month - 1) % 12 + 1
            if 1 <= int(match.group(2)) <= 31:
                dates |= _forms(year, month, int(match.group(2)))
    numbers = tuple(read_amounts(text, dates=[(claim.start, claim.end) for claim in claims], kanji=True))
    lowered = text.lower()
    return PassageFacts(frozenset(dates), numbers, lowered, "".join(lowered.split()))


def date_supported(claim: Claim, facts: PassageFacts) -> bool:
    return claim.value in facts.dates


def number_supported(claim: Claim, facts: PassageFacts) -> bool:
    return supported(claim.value[2], list(facts.numbers))


def latin_words(name: str) -> list[str]:
    return _LATIN_IN_JAPANESE.findall(name)


def mask(text: str) -> str:
    """A sentence still being written, with every claim (and every digit) hidden:
    what the check has not seen yet is never shown."""
    spans = [(claim.start, claim.end) for claim in find_claims(text)]
    out, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        out.append(text[position:start])
        out.append("…")
        position = end
    out.append(text[position:])
    return re.sub(r"\d+", "…", "".join(out))
