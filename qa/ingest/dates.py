"""Finding dates in release text.

Design choice: plain regular expressions over normalized text (NFKC has already made
full-width digits ASCII) for the forms releases use: 2025年5月9日, 令和7年5月9日,
May 9, 2025, 9 May 2025, 2025-05-09 and 2025/05/09. Every match is validated as a
calendar date and returned with its span, so callers can quote it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# English month names and abbreviations -> month number (one table for qa).
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))  # longest first, for a regex

_JAPANESE = re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
_REIWA = re.compile(r"令和\s*(?P<era_year>\d{1,2}|元)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
_NUMERIC = re.compile(r"(?<!\d)(?P<year>\d{4})(?P<separator>[-/.])(?P<month>\d{1,2})(?P=separator)(?P<day>\d{1,2})(?!\d)")
_ENGLISH_MONTH_FIRST = re.compile(
    rf"\b(?P<month_name>{MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_ENGLISH_DAY_FIRST = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month_name>{MONTH_NAMES})\.?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_PATTERNS = (_JAPANESE, _REIWA, _NUMERIC, _ENGLISH_MONTH_FIRST, _ENGLISH_DAY_FIRST)


@dataclass(frozen=True)
class DateMention:
    date: datetime.date
    start: int
    end: int

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def _to_date(match: re.Match) -> datetime.date | None:
    groups = match.groupdict()
    if groups.get("era_year") is not None:
        era_year = groups["era_year"]
        year = 2018 + (1 if era_year == "元" else int(era_year))
    else:
        year = int(groups["year"])
    if groups.get("month_name"):
        month = MONTHS[groups["month_name"].lower()]
    else:
        month = int(groups["month"])
    try:
        return datetime.date(year, month, int(groups["day"]))
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    """Every full date (year, month and day) in the text, in order of position."""
    mentions = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            date = _to_date(match)
            if date is not None:
                mentions.append(DateMention(date, match.start(), match.end()))
    mentions.sort(key=lambda mention: (mention.start, -mention.end))
    # Drop mentions nested inside an earlier, longer one.
    kept: list[DateMention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def find_release_date(text: str, file_name: str = "", *, head_characters: int = 400) -> str | None:
    """The release date as an ISO string: the first date near the top of the text,
    else a date in the file name, else None."""
    mentions = find_dates(text[:head_characters])
    if mentions:
        return mentions[0].iso
    mentions = find_dates(file_name)
    return mentions[0].iso if mentions else None
