"""Cleaning extracted page text: what a reader does not read as text is removed.

Design choice: clean with rules a reader would state, each on its own, before lines
are joined (so a page number never glues onto a sentence):

- characters: the control characters TeX fonts leave for ligatures (a form feed
  for "fi", as pypdf gives them) become the letters; soft hyphens and zero-width
  characters (U+200B-U+200D, U+2060, U+FEFF) go; NFKC later turns the ligature
  code points (ﬁ ﬂ ﬀ ﬃ) into letters.
- leader lines: a table-of-contents or index line with dot or middle-dot leaders
  and a page number ("1.2 Installation ........ 17") is reduced to its title.
- page furniture: at a page's edges (its first and last two lines), page numbers in
  arabic or roman numerals ("- 12 -", "12 / 40", "xii", "Page 3 of 9", "3ページ"),
  URL-only lines, and lines that repeat (digits aside) at the edges of most pages,
  of most odd or most even pages (running heads that alternate), or of three or
  more nearby pages of the same parity (a chapter's running head).
- footnote markers set in the body font (no size or rise to tell them by, as in
  "2026年i" or "約20億円(*1)"): a roman numeral, "*1", "(*1)" or "※1" glued to the
  end of a Japanese word or a number is dropped when the document has a footnote
  line that starts with that marker ("i 2025年5月時点の想定").
"""

from __future__ import annotations

import re
from collections import Counter

# TeX's OT1 ligature slots: 0x0B ff, 0x0C fi, 0x0E ffi, 0x0F ffl (0x0D, fl, is a
# carriage return everywhere else, so it is left alone).
_LIGATURE_CONTROLS = {"\x0b": "ff", "\x0c": "fi", "\x0e": "ffi", "\x0f": "ffl"}
_LIGATURE_CONTROL = re.compile(r"(?<=[A-Za-z])[\x0b\x0c\x0e\x0f](?=[A-Za-z])|(?<=\s)[\x0b\x0c\x0e\x0f](?=[a-z])")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe]")

_LEADER = re.compile(r"^(?P<title>.*?\S)?\s*(?:[.·・‥…_]\s*){4,}\s*(?P<page>\d+|[ivxlcdmIVXLCDM]+)?$")
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"^(?:-\s*(?:\d+|{_ROMAN})\s*-|\d+\s*/\s*\d+|\d+|{_ROMAN}|page\s+\d+(?:\s+of\s+\d+)?|\d+ページ"
    rf"|\d+\s*(?:頁|ページ)?\s*/\s*\d+)$",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^\(?(https?://|www\.)\S+\)?$", re.IGNORECASE)
_FOOTNOTE_LINE = re.compile(r"^(?P<marker>x{0,3}(?:ix|iv|v?i{0,3})|\(?[*※]\d{1,2}\)?)\s+\S")
_CJK_OR_DIGIT = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\\d"
EDGE_LINES = 2
_NEIGHBOURHOOD = 4  # same-parity pages on each side that a chapter's running head spans
_LOCAL_REPEATS = 3


def repair_characters(raw: str) -> str:
    """Ligature controls to letters; soft hyphens and zero-width characters removed.
    Runs on a raw page, before it is split into lines (a form feed would split it)."""
    raw = _LIGATURE_CONTROL.sub(lambda match: _LIGATURE_CONTROLS[match.group()], raw)
    return _INVISIBLE.sub("", raw)


def strip_leader(line: str) -> str:
    """A table-of-contents or index line reduced to its title ("" when it has none)."""
    match = _LEADER.match(line)
    if not match:
        return line
    return (match.group("title") or "").rstrip(" .·・‥…_")


def drop_footnote_markers(pages: list[list[str]]) -> list[list[str]]:
    """Remove body-font footnote markers that have a footnote line (see above)."""
    markers = set()
    for lines in pages:
        for line in lines:
            match = _FOOTNOTE_LINE.match(line)
            if match and match.group("marker") not in ("", "x"):  # "3x faster" is not a footnote
                markers.add(match.group("marker").strip("()"))
    if not markers:
        return pages
    alternatives = "|".join(
        rf"\(?{re.escape(marker)}\)?" if marker[0] in "*※" else re.escape(marker)
        for marker in sorted(markers, key=len, reverse=True))
    pattern = re.compile(rf"(?<=[{_CJK_OR_DIGIT}])(?:{alternatives})(?![A-Za-z0-9])")
    return [[line if _FOOTNOTE_LINE.match(line) else pattern.sub("", line) for line in lines] for lines in pages]


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line)


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
    page_keys = [{_furniture_key(lines[position]) for position in _edge_positions(lines)} for lines in pages]
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


def remove_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop header and footer lines (see the module's docstring). Lines are already
    normalized; a dropped line becomes ""."""
    repeated = _furniture_keys(pages) if len(pages) >= 2 else [set() for _ in pages]
    cleaned = []
    for lines, keys in zip(pages, repeated):
        original = list(lines)
        lines = list(lines)
        # Drop from the edges inwards, so a footer made of two lines goes entirely.
        for position in reversed(_edge_positions(lines)):
            line = lines[position]
            if _URL_ONLY.match(line) or is_page_number(line) or _furniture_key(line) in keys:
                lines[position] = ""
        # A page that would lose everything (identical pages, a one-line page) is
        # content, not furniture: keep it.
        cleaned.append(lines if any(lines) else original)
    return cleaned
