"""A document's title and release date, and where each came from.

Design choice: prefer what the author declared, when it says something, then what
the page shows most prominently, then the first line that reads like a title:

- Title: the PDF's /Title when it is meaningful (not empty, not a file name, not
  "Microsoft Word - ...", not "untitled" or another placeholder); else the
  largest-font line of the first page with text, when it is larger than the
  page's usual line (a title set over two or three lines of the same size is
  joined); else the first substantial line of the text. A version line
  ("version 3.6 [19-Sep-2021]", "v1.2a") is never the title, however large its font.
- Date: the release date near the top of the text; else a date in the file name;
  else the PDF's /CreationDate. `date_source` says which: "text", "filename" or
  "metadata" (None when there is no date), so a citation can say how sure it is.
"""

from __future__ import annotations

import re

from .dates import find_dates, find_release_date
from .normalize import normalize_line

MINIMUM_TITLE_CHARACTERS = 12
_MAXIMUM_TITLE = 200
_PLACEHOLDERS = {"untitled", "no title", "title", "document", "unknown", "none", "null", "slide 1", "presentation",
                 "powerpoint presentation", "無題", "タイトルなし", "(anonymous)", "anonymous"}
_APPLICATION_PREFIX = re.compile(r"^(microsoft\s+(word|powerpoint|excel)|word|powerpoint|excel)\s*-\s*", re.IGNORECASE)
_FILE_NAME = re.compile(r"^[\w\-. ()\[\]~]+\.(pdf|docx?|pptx?|xlsx?|txt|md|tex|dvi|ps|indd|rtf|odt|html?)$",
                        re.IGNORECASE)
# A line of the title font: within this many points of the largest size.
_SAME_SIZE = 0.5
# The title font is at least this much larger than the page's median line.
_DISTINCT = 1.15
_VERSION = re.compile(r"^(?:(?:version|ver\.?|rev(?:ision)?\.?|release|リリース|バージョン)\s*)?v?\d+(?:\.\d+)*[a-z]?"
                      r"$|^第?\d+(?:\.\d+)*版$", re.IGNORECASE)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)|（[^）]*）")


def _letters(text: str) -> int:
    return sum(1 for character in text if character.isalpha())


def meaningful_metadata_title(title: str | None, source: str = "") -> str | None:
    """The /Title when a reader would accept it as the document's title, else None."""
    if not title:
        return None
    title = " ".join(title.split())
    lowered = title.lower()
    stem = source.rsplit(".", 1)[0].lower() if source else ""
    if (_letters(title) < 3 or lowered in _PLACEHOLDERS or _APPLICATION_PREFIX.match(title)
            or _FILE_NAME.match(title) or (stem and lowered in (stem, source.lower()))
            or lowered.startswith(("untitled", "microsoft word"))):
        return None
    return title[:_MAXIMUM_TITLE]


def is_version_line(line: str) -> bool:
    """A version or revision line, dates and brackets aside ("version 3.6 [19-Sep-2021]",
    "v1.2a", "Release 12.18", "第2.100版")."""
    return bool(_VERSION.match(" ".join(_without_dates(_BRACKETED.sub(" ", line)).split())))


def _without_dates(text: str) -> str:
    """`text` with each date it names replaced by a space."""
    for mention in reversed(find_dates(text)):
        text = text[:mention.start] + " " + text[mention.end:]
    return text


def largest_font_line(sized_lines) -> str | None:
    """The largest-font line (with the lines of the same size right after it, up to
    three), if it has a few letters and is not a date or a version line."""
    candidates = [(text, size) for text, size in sized_lines
                  if _letters(text) >= 3 and size > 0 and not is_version_line(text)]
    if not candidates:
        return None
    largest = max(size for _, size in candidates)
    body = sorted(size for _, size in candidates)[len(candidates) // 2]
    if largest < _DISTINCT * body:
        return None  # one size throughout: no line stands out as the title
    lines = [text for text, _ in sized_lines]
    sizes = [size for _, size in sized_lines]
    start = next(position for position, (text, size) in enumerate(sized_lines)
                 if size == largest and _letters(text) >= 3 and not is_version_line(text))
    end = start + 1
    while (end < len(lines) and end - start < 3 and abs(sizes[end] - largest) <= _SAME_SIZE
           and not is_version_line(lines[end])):
        end += 1
    title = normalize_line(" ".join(lines[start:end]))  # no space inside Japanese
    dates = sum(mention.end - mention.start for mention in find_dates(title))
    if dates > len(title) / 2:
        return None
    return title[:_MAXIMUM_TITLE]


# Lines above a release's headline that are no title: the issuer alone (月見ロボティクス
#株式会社, "Hitachi, Ltd."), the genre ("PRESS RELEASE", 報道関係者各位), a short
# byline or credit ("By Kosaku Narioka", "Credit: ispace", "Source: Hitachi, Ltd."),
# and a dateline ("Wednesday, 1 November 2023, 09:15 HKT/SGT").
_ISSUER = re.compile(r"^(?:株式会社\s*[^\s、。，,はが]{1,20}|[^\s、。，,はが]{1,20}?\s*株式会社|(?:[\w.&'’-]+[\s,]+){1,5}(?:inc|ltd|corp|corporation|co\.,?\s*ltd"
                     r"|k\.\s*k|gmbh|plc|llc|s\.a)\.?)$", re.IGNORECASE)
_GENRE = re.compile(r"^(?:(?:joint\s+)?(?:press|news|media)\s+release|for\s+immediate\s+release|news|"
                    r"プレスリリース|ニュースリリース|報道関係者各位|報道発表資料?|お知らせ)$", re.IGNORECASE)
_LABEL = re.compile(r"^(?:credit|source|photo|image|by|出典|写真|提供)\b\s*[:：]?", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^\s*(?:date|日付|発表日)\s*[:：]?\s*", re.IGNORECASE)
_CLOCK = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|[月火水木金土日]曜日?"
                    r"|\d{1,2}:\d{2}|\b[A-Z]{2,4}(?:/[A-Z]{2,4})+\b|\b(?:JST|GMT|UTC|HKT|SGT|EST|EDT|PST|PDT|CET)\b",
                    re.IGNORECASE)


def _without_leading_date(line: str) -> str:
    """A header's date taken off the front of a line ("date 2024-07-25 Micro Rover named
    …" gives "Micro Rover named …"); the line itself when it does not begin with one."""
    label = _DATE_LABEL.match(line)
    rest = line[label.end():] if label else line
    mentions = find_dates(rest)
    if mentions and mentions[0].start <= 1:
        return rest[mentions[0].end:].strip(" 　-—–|:：,、")
    return line.strip()


def _no_title(line: str) -> bool:
    bare = " ".join(line.split())
    if _ISSUER.match(bare) or _GENRE.match(bare):
        return True
    if _LABEL.match(bare) and len(bare) <= 60 and len(bare.split()) <= 6:
        return True
    return len(re.sub(r"\W", "", _without_dates(_CLOCK.sub(" ", bare)))) < MINIMUM_TITLE_CHARACTERS


def first_substantial_line(text: str) -> str | None:
    """A Markdown heading, or the first line with enough letters that is not mostly a
    date, a URL, a version, the issuer's name, the genre, a byline or a dateline (a
    leading date is taken off)."""
    for line in text.split("\n")[:40]:
        heading = re.match(r"^#+\s*(.+)$", line)
        if heading:
            return heading.group(1).strip()[:_MAXIMUM_TITLE]
        line = _without_leading_date(line)
        if "://" in line or is_version_line(line) or _no_title(line):
            continue
        return line.strip()[:_MAXIMUM_TITLE]
    return None


def choose_title(text: str, source: str, *, metadata_title: str | None = None, sized_lines=()) -> str:
    sized = [(normalize_line(line), size) for line, size in sized_lines]
    return (meaningful_metadata_title(metadata_title, source) or largest_font_line(sized)
            or first_substantial_line(text) or source.rsplit(".", 1)[0])


def choose_date(text: str, source: str, *, creation_date: str | None = None) -> tuple[str | None, str | None]:
    """(ISO date, date_source)."""
    mentions = find_dates(text[:400])
    from_name = find_release_date("", source)
    if from_name and any(mention.iso == from_name for mention in mentions):
        # the file's name and its dateline agree, whatever date a headline names first
        # ("… Starbound Requiem for November 17, 2022" above "KYOTO, June 8, 2022 —")
        return from_name, "text"
    if mentions:
        return mentions[0].iso, "text"
    if from_name:
        return from_name, "filename"
    if creation_date:
        return creation_date, "metadata"
    return None, None
