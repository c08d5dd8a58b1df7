"""Facts moved between Japanese and English by rule, for the scripted answers of
`bench/scripted_answers.py`: dates (2025年6月6日 <-> June 6, 2025), amounts with their
multipliers and currencies (約80億円 <-> about 8 billion yen; $2.4 billion <-> 24億ドル),
counts with their units (4万5000人 <-> 45,000 people), percentages, and katakana names
into Latin letters (ローラ・メンデス -> Rora Mendesu). Design choice: plain rules of this
module only, no reader of qa's, so the answers they help write are not shaped by the
check they measure; a fact no rule knows is left as the record gives it.
"""

from __future__ import annotations

import re
import unicodedata

_MONTHS = "January February March April May June July August September October November December".split()
_KANA = dict(zip("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポ",
                 "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "
                 "ya yu yo ra ri ru re ro wa n ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu pe po".split()))
_SMALL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo"}


def _en_number(value: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{value / size:.4f}".rstrip("0").rstrip(".") + " " + word
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def _ja_number(value: float) -> str:
    if value >= 1e4 and value == int(value):
        parts, value = [], int(value)
        for size, mark in ((10 ** 12, "兆"), (10 ** 8, "億"), (10 ** 4, "万")):
            if value >= size:
                parts.append(f"{value // size}{mark}")
                value %= size
        return "".join(parts) + (str(value) if value else "")
    return f"{value:g}"


def _ja_value(text: str) -> float | None:
    total, matched = 0.0, False
    for digits, mark in re.findall(r"([\d.,]+)\s*(兆|億|万|千)?", text):
        if not re.search(r"\d", digits):
            continue
        total += float(digits.replace(",", "")) * {"兆": 1e12, "億": 1e8, "万": 1e4, "千": 1e3}.get(mark, 1)
        matched = True
    return total if matched else None


_EN_UNITS = {"人": "people", "名": "people", "個": "units", "台": "vehicles", "か国": "countries", "社": "companies",
             "株": "shares", "km": "km", "エーカー": "acres", "平方メートル": "square meters"}
_JA_UNITS = {"people": "人", "employees": "人", "jobs": "人", "countries": "か国", "shares": "株", "acres": "エーカー",
             "square meters": "平方メートル", "km": "km", "percent": "%"}


def to_english(form: str) -> str | None:
    """A Japanese date, amount or count in English, or None."""
    text = unicodedata.normalize("NFKC", form).replace(" ", "")
    approx = "about " if re.match(r"^(約|およそ)", text) else ""
    text = re.sub(r"^(約|およそ|最大)", "", text)
    if match := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text):
        return f"{_MONTHS[int(match[2]) - 1]} {int(match[3])}, {match[1]}"
    if match := re.fullmatch(r"(\d{4})年(\d{1,2})月", text):
        return f"{_MONTHS[int(match[2]) - 1]} {match[1]}"
    if match := re.fullmatch(r"(\d{1,2})月(\d{1,2})日", text):
        return f"{_MONTHS[int(match[1]) - 1]} {int(match[2])}"
    if match := re.fullmatch(r"(\d{4})年?", text):
        return match[1]
    if match := re.fullmatch(r"([\d.,兆億万千]+)(円|ドル|米ドル|ユーロ)", text):
        value = _ja_value(match[1])
        unit = {"円": "yen", "ユーロ": "euros"}.get(match[2], "")
        if value is None:
            return None
        return f"{approx}${_en_number(value)}" if not unit else f"{approx}{_en_number(value)} {unit}"
    if match := re.fullmatch(r"([\d.,兆億万千]+)(人|名|個|台|か国|社|株|km|エーカー|平方メートル)", text):
        value = _ja_value(match[1])
        return None if value is None else f"{approx}{_en_number(value)} {_EN_UNITS[match[2]]}"
    if match := re.fullmatch(r"([\d.]+)[%％]", text):
        return f"{match[1]} percent"
    return None


def to_japanese(form: str) -> str | None:
    """An English date, amount or count in Japanese, or None."""
    text = form.strip()
    approx = "約" if re.match(r"^(about|approximately|around|roughly) ", text, re.I) else ""
    text = re.sub(r"^(about|approximately|around|roughly|up to|more than|at least) ", "", text, flags=re.I)
    months = "|".join(_MONTHS)
    if match := re.fullmatch(rf"({months}) (\d{{1,2}}),? (\d{{4}})", text):
        return f"{match[3]}年{_MONTHS.index(match[1]) + 1}月{match[2]}日"
    if match := re.fullmatch(rf"(\d{{1,2}}) ({months}) (\d{{4}})", text):
        return f"{match[3]}年{_MONTHS.index(match[2]) + 1}月{match[1]}日"
    if match := re.fullmatch(rf"({months}) (\d{{4}})", text):
        return f"{match[2]}年{_MONTHS.index(match[1]) + 1}月"
    if match := re.fullmatch(rf"({months}) (\d{{1,2}})", text):
        return f"{_MONTHS.index(match[1]) + 1}月{match[2]}日"
    scale = {"trillion": 1e12, "billion": 1e9, "million": 1e6, "bn": 1e9, "trn": 1e12}
    if match := re.fullmatch(r"(\$|USD ?|EUR ?|JPY ?)?([\d.,]+) ?(trillion|billion|million|bn|trn)?"
                             r" ?(yen|dollars|euros|Canadian)?(?: (people|employees|jobs|countries|shares|acres|km))?",
                             text):
        if not re.search(r"\d", match[2]):
            return None
        value = float(match[2].replace(",", "")) * scale.get(match[3] or "", 1)
        currency = match[1] or match[4] or ""
        mark = ("円" if currency.strip() in ("yen", "JPY") else "ユーロ" if currency.strip() in ("EUR", "euros")
                else "カナダドル" if currency == "Canadian" else "ドル" if currency else "")
        unit = _JA_UNITS.get(match[5] or "", "")
        if not mark and not unit and not match[3]:
            return None
        return f"{approx}{_ja_number(value)}{mark or unit}"
    if match := re.fullmatch(r"([\d.]+) ?(%|percent)", text):
        return f"{match[1]}%"
    return None


def romanize(katakana: str) -> str:
    """A katakana name in Latin letters, each word capitalized (ローラ・メンデス -> Rora Mendesu)."""
    words = []
    for word in re.split(r"[・=＝\s]", katakana.replace("ヴ", "ブ")):
        letters = ""
        for position, character in enumerate(word):
            if character in _SMALL and letters:
                small = _SMALL[character]
                if small[0] == "y" and re.search(r"(sh|ch|j)i$", letters):  # ジャ: ja, シュ: shu
                    letters = letters[:-1] + small[1]
                elif small[0] == "y" and letters.endswith("i"):           # キャ: kya
                    letters = letters[:-1] + small
                elif letters[-1] in "aiueo":                               # ファ: fa, ティ: ti
                    letters = letters[:-1] + small
                else:
                    letters += small
            elif character == "ー":
                continue
            elif character == "ッ":
                following = _KANA.get(word[position + 1:position + 2], "")
                letters += following[:1]
            else:
                letters += _KANA.get(character, "")
        words.append(letters.capitalize())
    return " ".join(word for word in words if word)


