"""Numbers read with what they count: the value, its currency, its unit, its role.

Design choice: a figure in a model's sentence is vouched for only by the same figure
in the passage, not by the same digits somewhere else in it. Each number is read
into an `Amount`: the value with its multiplier applied (9百万 = 9 million; 4兆2000億
= 4.2 trillion; 2万800 = 20,800), the currency written before or after it ($, US$,
USD, EUR, ¥; 円, 米ドル, カナダドル, yen, dollars), the unit that follows it as a
category that both languages share (名 and staff are people, か国 and countries are
countries, % and percent are percent), or else the English word that follows it,
and its role: a quantity, a label (Mission 2, Falcon 9, Success8, 第1回), or a part
of a date (in a passage). A sentence's amount is supported (`supported`) by a
passage amount of the same value (a value rounded to the sentence's own significant
digits counts: 2.35 trillion for 2兆3456億) that has the same currency when the
sentence names one, and the same unit when both name one; an amount that counts
something must be matched by a quantity, never by a label or a date's day; only a
bare number (a code, a label) may match any of them. Times of day (10:12, 2:38 a.m.,
16時38分) are values in minutes, matched with or without the twelve hours.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

QUANTITY, LABEL, DATE_PART = "quantity", "label", "date"

_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "千": 1e3, "万": 1e4, "億": 1e8,
                "兆": 1e12, "百万": 1e6, "千万": 1e7, "百億": 1e10, "千億": 1e11, "k": 1e3, "m": 1e6, "mn": 1e6,
                "bn": 1e9, "b": 1e9, "tn": 1e12, "trn": 1e12}
_NUMBER = re.compile(r"(?<![0-9.,])(?P<digits>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<fraction>\.\d+)?"
                     r"(?:\s*(?P<multiplier>thousand|million|billion|trillion|百万|千万|百億|千億|千|万|億|兆"
                     r"|(?:bn|trn|tn|mn|k|m|b)\b))?", re.IGNORECASE)
_WORD_NUMBERS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if value >= 2}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.IGNORECASE)
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = re.compile(r"([〇一二三四五六七八九十百]+)(?=つ|社|名|人|回|機|基|台|件|か国|カ国|ヶ国|段階|拠点|年間|か月|カ月|ヶ月|輪)")
_CLOCK = re.compile(r"(?<![\d:])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?![\d:])(?:\s*(?P<half>[ap])\.?\s?m\.?)?"
                    r"|(?P<ja_half>午前|午後)?(?P<ja_hour>\d{1,2})時(?:(?P<ja_minute>\d{1,2})分|(?P<ja_half_hour>半))?",
                    re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"\s*(?:\((?P<code_in>USD|JPY|EUR)\)|(?P<word>円|米ドル|カナダドル|豪ドル|ドル|ユーロ"
                             r"|yen|(?:US |U\.S\. |Canadian |Australian )?dollars?|euros?|Canadian|USD|JPY|EUR)(?![A-Za-z]))",
                             re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:(?P<sign>US\s?\$|C\$|CA\$|A\$|\$|¥|￥|€|£)|(?P<code>USD|JPY|EUR|GBP|CAD)\s?)$")
_CURRENCIES = {"円": "yen", "yen": "yen", "jpy": "yen", "¥": "yen", "￥": "yen", "€": "euro", "eur": "euro",
               "ユーロ": "euro", "euro": "euro", "euros": "euro", "£": "pound", "gbp": "pound"}
# Units, as categories both languages share; the first word or counter after the number.
_UNITS = {"percent": "% ％ percent pct パーセント", "people": "名 人 people persons employees staff workers members jobs "
          "job hires employee person", "companies": "社 companies firms", "countries": "か国 カ国 ヶ国 ケ国 countries nations",
          "teams": "チーム teams team", "km": "km キロ kilometers kilometres", "acres": "エーカー acres acre",
          "square meters": "平方メートル square ㎡ m2", "gwh": "gwh", "shares": "株 shares", "units": "個 台 基 機 units cells "
          "batteries vehicles cars pieces", "stages": "段階 stages milestones steps phases", "times": "回 times",
          "years": "年間 年 years year", "months": "か月 カ月 ヶ月 months month", "weeks": "週間 weeks", "days": "日間 days",
          "hours": "時間 hours", "fields": "面 fields", "wheels": "輪 wheels wheeled", "lines": "ライン lines",
          "sites": "拠点 sites locations bases", "cases": "件 cases"}
_UNIT_OF = {form: unit for unit, forms in _UNITS.items() for form in forms.split()}
_JA_UNIT = re.compile("|".join(sorted((re.escape(form) for form in _UNIT_OF if not form.isascii()), key=len,
                                      reverse=True)))
_EN_WORD = re.compile(r"\s*(?:-\s*)?([A-Za-z]+)(?:\s+([A-Za-z]+))?")
# What makes a number a label (Mission 2, Falcon 9, Success8, ミッション2, 第1回): a
# capitalized word before it (not one that starts a sentence or counts), a letter or
# katakana right before it, 第, No. or #.
_LABEL_BEFORE = re.compile(r"(?:\b(?!(?:The|A|An|About|All|Some|Over|Nearly|Approximately|Around|Roughly|Almost|Only|Just|"
                           r"Up|To|Of|In|On|At|By|And|Or|For|With|From|Than|Its|Their|Our|His|Her|More|Less|Under|"
                           r"Below|Above|Top|First|Last|Each|Every|Per|Some|Another|Another)\b)[A-Z][A-Za-z]*[ -]?"
                           r"|[A-Za-z]|[\u30a1-\u30fa\u30fc]|第|No\.\s?|#)$")


@dataclass(frozen=True)
class Amount:
    value: float
    currency: str = ""   # yen, dollar, euro, pound; "" when none is written
    unit: str = ""       # a category of `_UNITS`, "clock" for a time of day; "" when none is known
    noun: str = ""       # the English word after it when it is no known unit ("finalists")
    role: str = QUANTITY  # QUANTITY, LABEL, DATE_PART
    digits: int = 0      # significant digits as written (0: exact, e.g. a word number)
    start: int = 0
    end: int = 0
    text: str = ""


def _currency_of(mark: str) -> str:
    mark = mark.lower().strip()
    if mark in _CURRENCIES:
        return _CURRENCIES[mark]
    return "dollar" if "$" in mark or "ドル" in mark or "dollar" in mark or mark in ("usd", "cad", "canadian") else ""


def _significant(digits: str) -> int:
    core = digits.replace(",", "")
    if "." in core:
        return len(core.replace(".", "").lstrip("0"))
    return len(core.lstrip("0").rstrip("0")) or 1


def _unit_after(text: str, end: int) -> tuple[str, str]:
    """(unit category, English noun) of what follows a number."""
    following = text[end:end + 24]
    japanese = _JA_UNIT.match(following.lstrip())
    if japanese:
        return _UNIT_OF[japanese.group()], ""
    if following[:1] and following[:1] in "%％":
        return "percent", ""
    words = _EN_WORD.match(following)
    if not words:
        return "", ""
    for word in filter(None, words.groups()):
        if word.lower() in _UNIT_OF:
            return _UNIT_OF[word.lower()], ""
    first = words.group(1)
    return "", first if first.islower() and len(first) > 2 else ""


def _clocks(text: str) -> list[Amount]:
    found = []
    for match in _CLOCK.finditer(text):
        hour = int(match.group("hour") or match.group("ja_hour"))
        minute = int(match.group("minute") or match.group("ja_minute") or (30 if match.group("ja_half_hour") else 0))
        half = (match.group("half") or "").lower() or {"午前": "a", "午後": "p"}.get(match.group("ja_half") or "", "")
        if hour > 24 or minute > 59 or (match.group("ja_hour") and not (match.group("ja_minute") or half)):
            continue  # 3時 alone is too often a count (3時間) to read as a time
        hour = hour % 12 + (12 if half == "p" else 0) if half else hour
        found.append(Amount(hour * 60 + minute, unit="clock", noun="" if half else "12h", start=match.start(),
                            end=match.end(), text=match.group()))
    return found


def read_amounts(text: str, dates: list[tuple[int, int]] = (), kanji: bool = False) -> list[Amount]:
    """The amounts of a text. Numbers inside the spans `dates` are parts of dates;
    `kanji` reads kanji numerals before a counter (三社) too (passages)."""
    amounts = _clocks(text)
    taken = [(amount.start, amount.end) for amount in amounts]
    for match in _NUMBER.finditer(text):
        start = match.start()
        if any(a <= start < b for a, b in taken):
            continue
        multiplier = (match.group("multiplier") or "").lower()
        before = text[max(0, start - 6):start]
        sign = _CURRENCY_BEFORE.search(before)
        if multiplier in ("k", "m", "mn", "b", "bn", "tn", "trn") and not sign and multiplier not in ("bn", "trn"):
            multiplier = ""  # 5k and 3m only as amounts ($5k); otherwise units (3 m, 5 km)
        written = match.group("digits") + (match.group("fraction") or "")
        value = float(written.replace(",", "")) * _MULTIPLIERS.get(multiplier, 1.0)
        end = match.end() if multiplier else start + len(written)
        previous = amounts[-1] if amounts and amounts[-1].role != DATE_PART else None
        if previous is not None and previous.end == start and previous.text[-1:] in "兆億万" and \
                value < _MULTIPLIERS[previous.text[-1]]:  # 3兆 + 7000億, 1万 + 2000
            amounts[-1] = Amount(previous.value + value, start=previous.start, end=end, text=text[previous.start:end],
                                 digits=previous.digits + len(written.replace(",", "").rstrip("0")))
            continue
        amounts.append(Amount(value, start=start, end=end, text=text[start:end], digits=_significant(written)))
    for match in _WORD_NUMBER.finditer(text):
        amounts.append(Amount(float(_WORD_NUMBERS[match.group().lower()]), start=match.start(), end=match.end(),
                              text=match.group()))
    if kanji:
        for match in _KANJI_NUMBER.finditer(text):
            value = _kanji_value(match.group(1))
            if value:
                amounts.append(Amount(float(value), start=match.start(), end=match.end(), text=match.group()))
    return sorted((_finish(text, amount, dates) for amount in amounts), key=lambda amount: amount.start)


def _finish(text: str, amount: Amount, dates) -> Amount:
    """The amount with its currency, unit and role read from around it."""
    if amount.unit == "clock":
        return amount
    sign = _CURRENCY_BEFORE.search(text[max(0, amount.start - 6):amount.start])
    after = _CURRENCY_AFTER.match(text, amount.end)
    currency = _currency_of(sign.group()) if sign else ""
    if after and not currency:
        currency = _currency_of(after.group("code_in") or after.group("word"))
    unit, noun = _unit_after(text, after.end() if after else amount.end)
    if currency:
        unit, noun = "", ""
    role = QUANTITY
    if any(a <= amount.start < b for a, b in dates):
        role = DATE_PART
    elif not currency and not unit and _LABEL_BEFORE.search(text[max(0, amount.start - 16):amount.start]):
        role, noun = LABEL, ""
    return Amount(amount.value, currency, unit, noun, role, amount.digits, amount.start, amount.end, amount.text)


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


def same_value(claim: Amount, held: Amount) -> bool:
    if math.isclose(claim.value, held.value, rel_tol=1e-9, abs_tol=1e-9):
        return True
    if claim.unit == "clock" and held.unit == "clock":
        return (claim.noun or held.noun) and claim.value % 720 == held.value % 720
    if claim.digits >= 2 and held.value:  # 2.35 trillion for 2兆3456億; not "about 8 billion" for 8.4 billion
        scale = 10 ** (math.floor(math.log10(abs(held.value))) - claim.digits + 1)
        return math.isclose(round(held.value / scale) * scale, claim.value, rel_tol=1e-9)
    return False


def supported(claim: Amount, passage: list[Amount]) -> bool:
    """Whether one of the passage's amounts vouches for the sentence's amount `claim`."""
    for held in passage:
        if not same_value(claim, held):
            continue
        if claim.role == LABEL:  # Mission 2: the passage names it, whatever the form
            return True
        if claim.currency:
            if held.currency == claim.currency:
                return True
            continue
        if claim.unit == "clock" or held.unit == "clock":
            if claim.unit == held.unit:
                return True
            continue
        if claim.unit or claim.noun:  # it counts something: a quantity must say so
            if held.role == QUANTITY and (not claim.unit or not held.unit or held.unit == claim.unit):
                return True
            continue
        return True  # a bare number: a code, a label, a count without its noun
    return False
