"""The checkable claims of a sentence a model wrote: dates, numbers, amounts and names.

Design choice: a generated sentence is trusted only as far as its facts can be found
again in the passage it cites, so a claim is read into a value that does not depend
on how it is written. A date is a (year, month, day) with any part missing (2025年6月6日,
June 6, 2025 and 2025-06-06 are one date; "June 2025" and 2025年6月 one month); a
number is a plain value with its multiplier (1.4 million = 140万 = 1,400,000; 50億円 =
5 billion yen) and the currency it names; a name is a run of capitalized Latin
words or a Japanese proper noun (SudachiPy's 固有名詞), checked later word by word
through the dictionary. The same readers take a passage apart, so claim and passage
are compared as values, never as strings. Small counts in words (two … twelve) are
numbers too; kanji numerals are read in passages only, before a counter (三社).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..ingest.dates import find_dates
from ..ingest.normalize import clean_characters

DATE, NUMBER, NAME = "date", "number", "name"

_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR_MONTH = re.compile(r"(?<!\d)(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月(?!\s*\d{1,2}\s*日)"
                         rf"|\b(?P<month_name>{_MONTH})\.?,?\s+(?:of\s+)?(?P<year2>\d{{4}})\b"
                         r"|(?<!\d)(?P<year3>\d{4})[-/](?P<month3>\d{1,2})(?![-/\d])", re.IGNORECASE)
_MONTH_DAY = re.compile(r"(?<!\d)(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
                        rf"|\b(?P<month_name>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})"
                        rf"|\b(?P<day3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month_name3>{_MONTH})\b(?!\.?,?\s+\d{{4}})",
                        re.IGNORECASE)
_MONTH_ALONE = re.compile(r"(?<![\d年])(?P<month>\d{1,2})\s*月(?!\s*\d)(?!期)|(?<![\w])(?P<month_name>January|February|March|"
                          r"April|May|June|July|August|September|October|November|December)(?![\w])")
_YEAR = re.compile(r"(?<![\d.,])(?:FY\s?)?(?P<year>(?:19|20)\d\d)(?!\d|,\d|\.\d)\s*(?:年度?)?")
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "千": 1e3, "万": 1e4, "億": 1e8,
                "兆": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,])(?P<digits>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<fraction>\.\d+)?"
                     r"(?:\s*(?P<multiplier>thousand|million|billion|trillion|bn\b|k\b|m\b|千|万|億|兆))?", re.IGNORECASE)
_WORD_NUMBERS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if value >= 2}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.IGNORECASE)
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"([〇一二三四五六七八九十百]+)(?=つ|社|名|人|回|機|基|台|件|か国|カ国|ヶ国|段階|拠点|年|か月|カ月|ヶ月)")
_CURRENCIES = {"yen": ("円", "yen", "¥", "jpy"), "dollar": ("ドル", "dollar", "$", "usd"),
               "euro": ("ユーロ", "euro", "€", "eur")}
_CURRENCY = re.compile(r"^\s*(円|ドル|ユーロ|yen|dollars?|euros?|usd|jpy|eur)\b|^\s*(円|ドル|ユーロ)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"([$¥€])\s*$")
# Latin words that start a sentence or stand capitalized without naming anything.
_NOT_NAMES = frozenset("""
a an the this that these those it its in on at of for to by with from as and or but if when where who what which
how why there here he she they we i you our their his her also however according yes no not both each all
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday q1 q2 q3 q4 h1 h2 fy
""".split())
_LATIN_WORD = re.compile(r"[A-Za-z][\w’'&.-]*[A-Za-z0-9]|[A-Za-z]")
_CONNECTORS = frozenset(("of", "de", "du", "van", "von", "der", "and", "&", "x"))
_LATIN_IN_JAPANESE = re.compile(r"[A-Za-z][A-Za-z0-9’'&-]*[A-Za-z0-9]|[A-Z]")
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Claim:
    kind: str
    text: str
    start: int
    end: int
    # DATE: (year, month, day), any of them None; NUMBER: (value, currency or "").
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
    for match in _MONTH_ALONE.finditer(text):
        month = _month(match.groupdict(), "month", "month_name")
        if free(*match.span()) and month and 1 <= month <= 12:
            claims.append(Claim(DATE, match.group(), *match.span(), (None, month, None)))
    for match in _YEAR.finditer(text):
        if free(*match.span()):
            claims.append(Claim(DATE, match.group().strip(), match.start(), match.start() + len(match.group().strip()),
                                (int(match.group("year")), None, None)))
    return sorted(claims, key=lambda claim: claim.start)


def _currency(text: str, start: int, end: int) -> str:
    after = _CURRENCY.match(text[end:end + 10])
    before = _CURRENCY_BEFORE.search(text[max(0, start - 3):start])
    mark = (after.group(1) or after.group(2)) if after else (before.group(1) if before else "")
    mark = mark.lower()
    for currency, forms in _CURRENCIES.items():
        if mark and any(mark.startswith(form) for form in forms):
            return currency
    return ""


def number_claims(text: str, taken: list[tuple[int, int]] = ()) -> list[Claim]:
    """Numbers outside the spans `taken` (dates), with their multipliers summed over a
    Japanese compound (1億4,000万 = 140,000,000) and the currency that follows."""
    claims: list[Claim] = []
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        multiplier = (match.group("multiplier") or "").lower()
        if multiplier in ("k", "m", "bn") and not _CURRENCY_BEFORE.search(text[max(0, match.start() - 3):match.start()]):
            multiplier = ""  # 5k and 3m only as amounts ($5k); otherwise units (3 m, 5 km)
        value = float(match.group("digits").replace(",", "") + (match.group("fraction") or ""))
        value *= _MULTIPLIERS.get(multiplier, 1.0)
        end = match.end() if multiplier else match.start() + len(match.group("digits") + (match.group("fraction") or ""))
        if claims and multiplier in ("万", "千") and claims[-1].end == match.start() and \
                claims[-1].text[-1:] in ("億", "兆", "万"):
            previous = claims.pop()  # 1億 + 4,000万
            claims.append(Claim(NUMBER, text[previous.start:end], previous.start, end,
                                (round(previous.value[0] + value, 3), _currency(text, previous.start, end))))
            continue
        claims.append(Claim(NUMBER, text[match.start():end], match.start(), end,
                            (round(value, 3), _currency(text, match.start(), end))))
    for match in _WORD_NUMBER.finditer(text):
        claims.append(Claim(NUMBER, match.group(), *match.span(), (float(_WORD_NUMBERS[match.group().lower()]), "")))
    return sorted(claims, key=lambda claim: claim.start)


def _kanji_value(numeral: str) -> int | None:
    total, current = 0, 0
    for character in numeral:
        if character in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[character] if current else _KANJI_DIGITS[character]
        elif character == "十":
            total += (current or 1) * 10
            current = 0
        elif character == "百":
            total += (current or 1) * 100
            current = 0
    return total + current or None


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
    a month) and Japanese proper nouns."""
    from ..search.lexical import sudachi_morphemes

    claims = []
    for start, end, initial in _capitalized_runs(text):
        if not any(a <= start < b for a, b in taken):
            claims.append(Claim(NAME, text[start:end], start, end, ("initial",) if initial else ()))
    if _JAPANESE.search(text):
        run: list[int] | None = None
        for morpheme in sudachi_morphemes(text):
            proper = morpheme.part_of_speech()[1] == "固有名詞" and _JAPANESE.search(morpheme.surface())
            if proper and run is not None and run[1] == morpheme.begin():
                run[1] = morpheme.end()
                continue
            if run is not None:
                claims.append(Claim(NAME, text[run[0]:run[1]], run[0], run[1]))
                run = None
            if proper:
                run = [morpheme.begin(), morpheme.end()]
        if run is not None:
            claims.append(Claim(NAME, text[run[0]:run[1]], run[0], run[1]))
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
    """What a passage states, as values: its dates (with the release date), its
    numbers with their currencies, and its text for names."""
    dates: frozenset[tuple]
    numbers: frozenset[tuple]
    currencies: frozenset[str]
    text: str    # NFKC, lower case
    squashed: str  # the same without white space


@functools.lru_cache(maxsize=4096)
def passage_facts(text: str, release_date: str | None = None) -> PassageFacts:
    text = clean_characters(text)
    dates = set()
    for claim in date_claims(text):
        year, month, day = claim.value
        dates |= {(year, month, day), (year, month, None), (None, month, day), (year, None, None), (None, month, None)}
    if release_date:
        year, month, day = (int(part) for part in release_date[:10].split("-"))
        dates |= {(year, month, day), (year, month, None), (None, month, day), (year, None, None), (None, month, None)}
    numbers = {claim.value for claim in number_claims(text)}
    numbers |= {(float(_kanji_value(match.group(1)) or 0), "") for match in _KANJI_NUMBER.finditer(text)}
    for claim in date_claims(text):  # a year or day is also a number the passage states
        numbers |= {(float(part), "") for part in claim.value if part is not None}
    currencies = {currency for currency, forms in _CURRENCIES.items()
                  if any(form in text.lower() for form in forms)}
    lowered = text.lower()
    return PassageFacts(frozenset(dates), frozenset(numbers), frozenset(currencies), lowered, "".join(lowered.split()))


def date_supported(claim: Claim, facts: PassageFacts) -> bool:
    return claim.value in facts.dates


def number_supported(claim: Claim, facts: PassageFacts) -> bool:
    value, currency = claim.value
    values = {number for number, _ in facts.numbers}
    if value not in values:
        return False
    return not currency or currency in facts.currencies


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
