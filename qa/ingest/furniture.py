"""Page furniture: running heads and feet, page numbers, and a table of contents'
page numbers, told from the text around them and dropped.

Design choice: a reader knows furniture by where it stands and by what repeats, so
the rules look at a page's edges (its first and last two lines) and compare pages:

- page numbers alone at an edge, in arabic or roman numerals ("- 12 -", "12 / 40",
  "xii", "Page 3 of 9", "3ページ"), and URL-only edge lines;
- edge lines that repeat with their numbers masked (digits, and a roman numeral at
  either end, glued or not: "Debianリファレンスii" is "Debianリファレンス#") at the
  edges of most pages, of most odd or most even pages (heads that alternate), or of
  three or more nearby pages of the same parity (a chapter's running head);
- a running head or foot that carries the page's own number (its folio): the
  documents' folios run with the page index at a constant offset ("… 31 / 63" on
  the 37th page, "1 イントロダクション 5" on the 5th), so an edge line whose leading
  or trailing number matches an offset that three pages or more share, and whose
  other words stand at another page's edge too with a folio at that offset, or
  whose place (last line, number at its end) is where 30% of the pages (8 at least)
  have their folio, is furniture (unless its words end a sentence, as a footnote's do) even when its chapter or section is too short for the
  repetition rule ("File b: plexpl3.dtx 6", "4.3. ドキュメント化 17");
- on a table-of-contents page (three lines or more with leaders), the page number
  that PDFium set apart by a wide gap (a tab, see `pdf_text`) at the end of an entry
  without leaders ("第3章 Debian開発者の責務\t9"), which would otherwise be glued to
  the title once spaces next to Japanese are removed ("…責務9").

A page that would lose every line (identical pages, a one-line page) is content and
is kept whole.
"""

from __future__ import annotations

import re
from collections import Counter

_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"^(?:-\s*(?:\d+|{_ROMAN})\s*-|\d+\s*/\s*\d+|\d+|{_ROMAN}|page\s+\d+(?:\s+of\s+\d+)?|\d+ページ"
    rf"|\d+\s*(?:頁|ページ)?\s*/\s*\d+)$",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^\(?(https?://|www\.)\S+\)?$", re.IGNORECASE)
_EDGE_ROMAN = re.compile(rf"^{_ROMAN}(?=\s)|(?<![A-Za-z]){_ROMAN}$")  # lower case: "MC", "Part II" are words
_LEADING_NUMBER = re.compile(r"^(\d{1,4})(?=\D|$)")
_TRAILING_NUMBER = re.compile(r"(?<![\d.,/])(\d{1,4})$")
_FRACTION = re.compile(r"(?<![\d.])(\d{1,4})\s*/\s*\d{1,4}$")
_TOC_PAGE = re.compile(r"\t\s*(?:[A-Za-z]?\d+|[ivxlcdm]+)\s*$", re.IGNORECASE)
_ENTRY_START = re.compile(r"^\s*(?:\d|第|(?i:chapter|appendix|part)\s|付録|[A-Z](?:\s|\.\d))")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
EDGE_LINES = 2
_NEIGHBOURHOOD = 4  # same-parity pages on each side that a chapter's running head spans
_LOCAL_REPEATS = 3
_FOLIO_PAGES = 3  # pages that must share a folio offset
_MAXIMUM_HEAD = 120
_USUAL_PLACE = 0.3  # share of the pages that give their folio one place (last line, at its end)
_USUAL_PAGES = 8  # and pages at least (in a short document, section n may start page n)
_SENTENCE_END = re.compile(r"[。.!?！？]\s*$")  # a head is no sentence; a footnote often is


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))


def roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[character] for character in numeral.lower()]
    return sum(-value if index + 1 < len(values) and value < values[index + 1] else value
               for index, value in enumerate(values))


def furniture_key(line: str) -> str:
    """A line with its numbers masked: digits, and a roman numeral at either end."""
    return _EDGE_ROMAN.sub("#", re.sub(r"\d+", "#", line.strip()))


def strip_toc_page_numbers(pages: list[list[str]], is_leader_line) -> list[list[str]]:
    """On pages with three leader lines or more, the tab-separated page number at the
    end of an entry is dropped (raw lines, before normalization). The page's first and
    last lines keep theirs unless they start like an entry (a number, 第, Chapter, an
    appendix letter): they may be its running head or foot, told by their folio."""
    cleaned = []
    for lines in pages:
        if sum(1 for line in lines if is_leader_line(line)) >= 3:
            content = [position for position, line in enumerate(lines) if line.strip()]
            edges = {content[0], content[-1]} if content else set()
            lines = [_TOC_PAGE.sub("", line) if re.search(r"[^\W\d_]", _TOC_PAGE.sub("", line))
                     and (position not in edges or _ENTRY_START.match(line)) else line
                     for position, line in enumerate(lines)]
        cleaned.append(lines)
    return cleaned


def _edge_positions(lines: list[str]) -> list[int]:
    content = [position for position, line in enumerate(lines) if line]
    return sorted(set(content[:EDGE_LINES] + content[-EDGE_LINES:]))


def _repeated_keys(page_keys: list[set[str]], pages: list[int]) -> set[str]:
    """Keys at the edges of at least half of `pages` (and of two of them at least)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update(page_keys[page])
    needed = max(2, (len(pages) + 1) // 2)
    return {key for key, count in counts.items() if count >= needed}


def _furniture_keys(pages: list[list[str]]) -> list[set[str]]:
    """For each page, the edge-line keys that are running heads or feet there."""
    page_keys = [{furniture_key(lines[position]) for position in _edge_positions(lines)} for lines in pages]
    everywhere = _repeated_keys(page_keys, list(range(len(pages))))
    odd = _repeated_keys(page_keys, list(range(0, len(pages), 2)))
    even = _repeated_keys(page_keys, list(range(1, len(pages), 2)))
    result = []
    for number in range(len(pages)):
        neighbours = range(max(number % 2, number - 2 * _NEIGHBOURHOOD),
                           min(len(pages), number + 2 * _NEIGHBOURHOOD + 1), 2)
        local = Counter(key for other in neighbours for key in page_keys[other])
        nearby = {key for key in page_keys[number] if local[key] >= _LOCAL_REPEATS}
        result.append(everywhere | (odd if number % 2 == 0 else even) | nearby)
    return result


def _folio_candidates(line: str) -> list[tuple[str, str, int, str]]:
    """(kind, end, number, the rest of the line masked) for each number at an end
    ("start" or "end") of an edge line that could be its page's folio."""
    if len(line) > _MAXIMUM_HEAD:
        return []
    found = []
    for end, pattern in (("end", _FRACTION), ("end", _TRAILING_NUMBER), ("start", _LEADING_NUMBER)):
        match = pattern.search(line)
        if match:
            rest = line[:match.start()] + line[match.end():]
            found.append(("arabic", end, int(match.group(1)), furniture_key(rest)))
    match = _EDGE_ROMAN.search(line)
    if match:
        rest = line[:match.start()] + line[match.end():]
        found.append(("roman", "start" if match.start() == 0 else "end", roman_value(match.group()),
                      furniture_key(rest)))
    return found


def _folio_lines(pages: list[list[str]]) -> list[set[int]]:
    """For each page, the positions of edge lines that carry the page's folio: its
    number at an offset from the page's that three pages or more share, and either
    its other words beside a folio at that offset on another page too, or its place
    (first or last line, number at the start or end) one where 30% of the pages, and 8
    at least, have their folio; and its words no sentence (footnotes numbered one a page, "7 訳注：…
    でもよい．", have an offset too)."""
    offsets: Counter[tuple[str, int]] = Counter()
    rests: Counter[tuple[str, int, str]] = Counter()
    places: Counter[tuple[str, int, int, str]] = Counter()
    candidates = []
    for number, lines in enumerate(pages, start=1):
        content = [position for position, line in enumerate(lines) if line]
        rank = {position: index if index < EDGE_LINES else index - len(content)
                for index, position in enumerate(content)}
        found = [(position, kind, value - number, rest, (kind, value - number, rank[position], end))
                 for position in _edge_positions(lines)
                 for kind, end, value, rest in _folio_candidates(lines[position])]
        offsets.update({(kind, offset) for _, kind, offset, _, _ in found})
        rests.update({(kind, offset, rest) for _, kind, offset, rest, _ in found})
        places.update({place for *_, place in found})
        candidates.append(found)
    shared = {key for key, count in offsets.items() if count >= _FOLIO_PAGES}
    usual = {place for place, count in places.items() if count >= max(_USUAL_PAGES, _USUAL_PLACE * len(pages))}
    return [{position for position, kind, offset, rest, place in found
             if (kind, offset) in shared and not _SENTENCE_END.search(rest)
             and (place in usual or rests[kind, offset, rest] >= 2 and re.search(r"[^\W\d_]", rest))}
            for found in candidates]


def remove_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop header and footer lines (see the module's docstring). Lines are already
    normalized; a dropped line is taken out (not left blank), so that a sentence that
    runs on over the page's foot and the next page's head joins as it would without
    them."""
    repeated = _furniture_keys(pages) if len(pages) >= 2 else [set() for _ in pages]
    folios = _folio_lines(pages) if len(pages) >= _FOLIO_PAGES else [set() for _ in pages]
    cleaned = []
    for lines, keys, folio in zip(pages, repeated, folios):
        original = list(lines)
        lines = list(lines)
        # Drop from the edges inwards, so a footer made of two lines goes entirely.
        for position in reversed(_edge_positions(lines)):
            line = lines[position]
            if (_URL_ONLY.match(line) or is_page_number(line) or furniture_key(line) in keys
                    or position in folio):
                lines[position] = ""
        dropped = {position for position, line in enumerate(lines) if original[position] and not line}
        kept = [line for position, line in enumerate(lines) if position not in dropped]
        cleaned.append(kept if any(kept) else original)
    return cleaned
