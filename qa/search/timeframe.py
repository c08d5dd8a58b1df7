"""Time in a question: which releases it is about.

Design choice: every chunk carries its release date, so a question's time is read
into a `TimeFrame` and turned into one more ranking for the fusion, never a filter
(a date in a question may name an event rather than a release, and a frame that
matches nothing must cost nothing). The kinds:

- `during`: a period the question names ("in June 2021", "on December 11, 2022",
  "the September 2025 report", "2022年7月の", "2023年4月12日の発表で"): releases
  dated in it first, then by distance from it.
- `as_of`: the state at a time ("as of December 7, 2022", "by December 15, 2022",
  "2021年6月時点で"): releases on or before its end, the latest first, then later ones.
- `latest`: "latest", "most recent", "current", "now", 最新, 現在, 最終的に: the
  newest releases first.
- `before`: "before 2023" / 2023年より前: releases before its start, latest first.

A fiscal period (2025年3月期, "the fiscal year ended March 2025", FY2024; see
`periods`) names no release date (its results come out months later), so it gives
no frame. "The last
… before X" with no date is not "latest" either.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

import numpy as np

from ..ingest.dates import MONTH_NAMES as _MONTH_NAMES, MONTHS as _MONTHS, find_dates
from .periods import FISCAL

_ENGLISH_MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_JAPANESE_YEAR_MONTH = re.compile(r"(\d{4})年(\d{1,2})月(?!\d|期)")
_YEAR = re.compile(r"(?<![\d.,$¥€])(19[5-9]\d|20\d\d)(?![\d,.]?\d)(?!年?\d{1,2}月期)(?!年度?期)")
_AS_OF = re.compile(r"\bas (?:of|at)\b|\bby (?=(?:the end of )?(?:" + _MONTH_NAMES + r"|\d))|時点|現在で|までに|の段階",
                    re.IGNORECASE)
_BEFORE = re.compile(r"\bbefore\b|\bprior to\b|より前|以前", re.IGNORECASE)
_LATEST = re.compile(r"\b(?:latest|most recent(?:ly)?|newest|current(?:ly)?|now|as of (?:today|now)|to date|"
                     r"so far|still)\b|最新|現在|現時点|最終的|直近|今の|いま", re.IGNORECASE)
# "since April 2022", "2022年4月以降", "2023年1月から…務めている": the state from then on,
# which the newest release tells (it may be the one that announced the change, or later).
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+)?(?:end of\s+)?$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:end of\s+)?$", re.IGNORECASE)
_ONWARD_AFTER = re.compile(r"^\s*(?:on|onwards?)\b", re.IGNORECASE)
_SINCE_AFTER = re.compile(r"^(?:年|月|日|末|度)*(?:以降|以来|から(?=[^。？?]*てい(?:る|ます)))")
_LAST_BEFORE = re.compile(r"\blast\b.*\bbefore\b|\bbefore\b.*\blast\b|直前", re.IGNORECASE)


@dataclass(frozen=True)
class TimeFrame:
    kind: str | None = None  # "during", "as_of", "latest", "before", "after" (internal) or None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def __bool__(self) -> bool:
        return self.kind is not None

    def contains(self, iso: str | None) -> bool:
        date = _parse(iso)
        return date is not None and self.start is not None and self.start <= date <= self.end

    def describe(self) -> str:
        if self.kind is None:
            return "no time"
        if self.kind == "latest":
            return "latest"
        return f"{self.kind} {self.start.isoformat()}..{self.end.isoformat()}"


def _parse(iso: str | None) -> datetime.date | None:
    if not iso:
        return None
    try:
        return datetime.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _month(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _periods(question: str) -> list[tuple[int, datetime.date, datetime.date]]:
    """(position, first day, last day) of each date, month or year the question names."""
    found, taken = [], []

    def free(span):
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for span in (match.span() for match in FISCAL.finditer(question)):
        taken.append(span)  # a fiscal period is no release date
    for mention in find_dates(question):
        if free((mention.start, mention.end)):
            found.append((mention.start, mention.date, mention.date))
            taken.append((mention.start, mention.end))
    for pattern in (_ENGLISH_MONTH_YEAR, _JAPANESE_YEAR_MONTH):
        for match in pattern.finditer(question):
            if not free(match.span()):
                continue
            if pattern is _ENGLISH_MONTH_YEAR:
                year, month = int(match.group(2)), _MONTHS[match.group(1).lower()]
            else:
                year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12:
                found.append((match.start(), *_month(year, month)))
                taken.append(match.span())
    for match in _YEAR.finditer(question):
        if free(match.span()):
            year = int(match.group(1))
            found.append((match.start(), datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
            taken.append(match.span())
    return sorted(found)


_LEAD = re.compile(r"(?:\b(?:as of|as at|by|in|on|during|since|until|before|after|from|at)\s+(?:the\s+)?(?:end of\s+)?)$",
                   re.IGNORECASE)
_TRAIL = re.compile(r"^年?(?:時点で?|現在で?|の段階で?|までに|の|に|で|には|では)?[、,]?\s*")


def without_time(question: str) -> str:
    """The question with the dates and periods it names taken out, with their
    "as of"/"時点で" markers: what the dense stage should match once the time
    ranking has taken care of when ("As of December 7, 2022, when was the landing
    scheduled?" -> "when was the landing scheduled?")."""
    spans = []
    for position, _, _ in _periods(question):
        match = next((m for m in (_ENGLISH_MONTH_YEAR, _JAPANESE_YEAR_MONTH, _YEAR)
                      if m.match(question, position)), None)
        mentions = [mention for mention in find_dates(question) if mention.start == position]
        end = mentions[0].end if mentions else match.match(question, position).end()
        lead = _LEAD.search(question[:position])
        start = lead.start() if lead else position
        end += _TRAIL.match(question[end:]).end()
        spans.append((start, end))
    kept, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            kept.append(question[last:start])
            last = end
    kept.append(question[last:])
    stripped = " ".join("".join(kept).split()).strip(" ,、")
    return stripped or question


def names_period(frame: TimeFrame, text: str) -> bool:
    """Whether `text` names a date, month or year within the frame's period (a
    sentence saying 2023年 answers a question about what happened in 2023)."""
    if frame.kind not in ("during", "as_of") or frame.start is None:
        return False
    return any(start <= frame.end and end >= frame.start and (end - start).days <= (frame.end - frame.start).days
               for _, start, end in _periods(text))


def read_timeframe(question: str) -> TimeFrame:
    """The time frame a question sets, or an empty one."""
    periods = _periods(question)
    if periods:
        position, start, end = periods[0]
        before = _BEFORE.search(question)
        if before and before.start() < position + 12 and before.end() <= position + 12:
            return TimeFrame("before", start, end)
        if _since(question, position):
            return TimeFrame("latest")
        as_of = _AS_OF.search(question)
        if as_of:
            return TimeFrame("as_of", start, end)
        return TimeFrame("during", start, end)
    if _LATEST.search(question) and not _LAST_BEFORE.search(question):
        return TimeFrame("latest")
    return TimeFrame()


def _since(question: str, position: int) -> bool:
    """Whether the first period the question names is where a state begins ("since
    April 2022", "2022年4月以降"): what holds since then is what the newest release says."""
    before, after = question[:position], _after(question, position)
    return bool(_SINCE_BEFORE.search(before) or _SINCE_AFTER.match(after)
                or (_FROM_BEFORE.search(before) and _ONWARD_AFTER.match(after)))


def _after(question: str, position: int) -> str:
    """The question after the period that starts at `position`."""
    mentions = [mention for mention in find_dates(question) if mention.start == position]
    if mentions:
        return question[mentions[0].end:]
    for pattern in (_ENGLISH_MONTH_YEAR, _JAPANESE_YEAR_MONTH, _YEAR):
        match = pattern.match(question, position)
        if match:
            return question[match.end():]
    return question[position:]


def day_numbers(dates: list[str | None]) -> np.ndarray:
    """Release dates as day numbers (proleptic ordinals), 0 for undated chunks: made
    once per index, so a frame is applied with one comparison per chunk."""
    return np.array([(_parse(date) or datetime.date.min).toordinal() - 1 for date in dates], dtype=np.int64)


def allowed_dates(frame: TimeFrame, days: np.ndarray, grace: int = 0) -> np.ndarray | None:
    """Which chunks a frame admits at all (`days` from `day_numbers`): "as of" a time
    rules out releases more than `grace` days after it (they tell a later state; a
    release soon after may report the state as of then, and the time ranking puts it
    after those of then), "before" a time those from it on. Undated chunks are
    admitted. None when the frame rules out nothing."""
    if frame.kind == "after":
        return days > frame.end.toordinal() - 1
    if frame.kind not in ("as_of", "before"):
        return None
    limit = frame.end + datetime.timedelta(days=grace) if frame.kind == "as_of" \
        else frame.start - datetime.timedelta(days=1)
    return (days <= limit.toordinal() - 1) | (days == 0)


def time_ranking(frame: TimeFrame, candidates: list[int], dates: list[str | None]) -> list[list[int]]:
    """The candidates (chunk positions) in the order the frame prefers, as tiers:
    chunks of one release date share a tier. Undated chunks come last."""
    if not frame or frame.kind == "after":
        return []
    keyed = []
    for position in candidates:
        date = _parse(dates[position])
        if date is None:
            continue
        if frame.kind == "latest":
            key = -date.toordinal()
        elif frame.kind == "during":
            distance = 0 if frame.start <= date <= frame.end else min(abs((date - frame.start).days),
                                                                        abs((date - frame.end).days))
            key = distance
        elif frame.kind == "as_of":
            key = (frame.end - date).days if date <= frame.end else 100_000 + (date - frame.end).days
        else:  # before
            key = (frame.start - date).days if date < frame.start else 100_000 + (date - frame.start).days
        keyed.append((key, position))
    tiers: list[list[int]] = []
    last = None
    for key, position in sorted(keyed):
        if key != last:
            tiers.append([])
            last = key
        tiers[-1].append(position)
    return tiers
