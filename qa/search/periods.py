"""Fiscal periods a question names, and how the other language writes them.

Design choice: a fiscal period ("the fiscal year ended March 2025", FY2024,
2025年3月期, 2024年度) names the period a figure is about, not when a release came
out (its results come out months after it ends, its forecasts before), so the time
frame ignores it (`timeframe`) and search treats it as words of the question. The two
languages write it differently and no dictionary links them: "the fiscal year ended
March 2025" is 2025年3月期 in a Japanese release, 2024年度 is "fiscal 2024" or FY2024 in
an English one. So each period is also written the other way, exactly, from its year
and closing month; a year alone maps only to a year alone (2024年度 is FY2024 whatever
month the company's year ends, so no month is guessed).
"""

from __future__ import annotations

import calendar
import re

from ..ingest.dates import MONTH_NAMES, MONTHS

_MONTH = f"({MONTH_NAMES})"
# "the fiscal year ended March 31, 2025", "the year to March 2023", "period ending June 2025"
_ENDING = re.compile(rf"\b(?:(?:fiscal|financial|business)\s+)?(?:year|period|term)\s+(?:ending|ended|to|through)\s+"
                     rf"{_MONTH}\.?\s+(?:\d{{1,2}},?\s+)?(\d{{4}})\b", re.IGNORECASE)
# "fiscal 2024", "fiscal year 2024", "FY2024", "FY 2024", "FY24"
_FISCAL_YEAR = re.compile(r"\bfiscal\s+(?:year\s+)?(\d{4})\b|\bFY\s?(\d{4}|\d{2})\b(?!/)", re.IGNORECASE)
# "FY2025/3", "FY3/2025"
_FY_MONTH = re.compile(r"\bFY\s?(?:(\d{4})/(\d{1,2})|(\d{1,2})/(\d{4}))\b", re.IGNORECASE)
# 2025年3月期, 25年12月期, 2024年度
_JAPANESE_ENDING = re.compile(r"(?<!\d)(\d{4}|\d{2})年(\d{1,2})月期")
_JAPANESE_YEAR = re.compile(r"(?<!\d)(\d{4})年度")

FISCAL = re.compile("|".join(pattern.pattern for pattern in (_ENDING, _FISCAL_YEAR, _FY_MONTH))
                    + "|" + _JAPANESE_ENDING.pattern + "|" + _JAPANESE_YEAR.pattern, re.IGNORECASE)


def _year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def fiscal_periods(text: str) -> list[tuple[int, int | None]]:
    """(year, closing month or None) of each fiscal period `text` names, in order."""
    found: list[tuple[int, tuple[int, int | None]]] = []
    for match in _ENDING.finditer(text):
        found.append((match.start(), (int(match.group(2)), MONTHS[match.group(1).lower()])))
    for match in _FY_MONTH.finditer(text):
        year, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        if 1 <= int(month) <= 12:
            found.append((match.start(), (int(year), int(month))))
    for match in _FISCAL_YEAR.finditer(text):
        found.append((match.start(), (_year(match.group(1) or match.group(2)), None)))
    for match in _JAPANESE_ENDING.finditer(text):
        if 1 <= int(match.group(2)) <= 12:
            found.append((match.start(), (_year(match.group(1)), int(match.group(2)))))
    for match in _JAPANESE_YEAR.finditer(text):
        found.append((match.start(), (int(match.group(1)), None)))
    return list(dict.fromkeys(period for _, period in sorted(found)))


def in_other_language(text: str, language: str) -> list[str]:
    """The fiscal periods of `text` (in `language`) as the other language writes them:
    "the fiscal year ended March 2025" -> 2025年3月期; 2025年3月期 -> "fiscal year
    ended March 2025"; 2024年度 -> "fiscal 2024", "FY2024"."""
    forms: list[str] = []
    for year, month in fiscal_periods(text):
        if language == "en":
            forms.append(f"{year}年{month}月期" if month else f"{year}年度")
        elif month:
            forms.append(f"fiscal year ended {calendar.month_name[month]} {year}")
        else:
            forms += [f"fiscal {year}", f"FY{year}"]
    return list(dict.fromkeys(forms))
