"""Cleaning extracted page text: what a reader does not read as text is removed.

Design choice: clean with rules a reader would state, each on its own, before lines
are joined (so a page number never glues onto a sentence):

- characters: the control characters TeX fonts leave for ligatures (a form feed
  for "fi", as pypdf gives them) become the letters; soft hyphens and zero-width
  characters (U+200B-U+200D, U+2060, U+FEFF) go; NFKC later turns the ligature
  code points (ﬁ ﬂ ﬀ ﬃ) into letters.
- leader lines: a table-of-contents or index line with leaders, spaced or not
  (". . . .", "....", "・・・・"), and a page reference ("17", "xii", "g4", "35, 146",
  "30–32") is reduced to its title; leaders with nothing after them go too.
- page furniture (running heads and feet, page numbers, a table of contents' page
  numbers): see `furniture`.
- footnote markers in superscript characters, as some PDFs map them ("ます⁴。",
  "2⁶override": a marker 26 whose second digit is a superscript code point): on a
  page that has a footnote line starting with the same marker, the marker is dropped
  from the body and from the footnote's start (NFKC would make "26override"); a
  superscript run right after a digit that is no footnote is an exponent ("10⁶" ->
  "10^6", as `pdf_text` writes raised digits).
- footnote markers set in the body font (no size or rise to tell them by, as in
  "2026年i" or "約20億円(*1)"): a roman numeral, "*1", "(*1)" or "※1" glued to the
  end of a Japanese word or a number is dropped when the document has a footnote
  line that starts with that marker ("i 2025年5月時点の想定").
"""

from __future__ import annotations

import re
import unicodedata

from .furniture import is_page_number, remove_furniture  # noqa: F401  (re-exported)

# TeX's OT1 ligature slots: 0x0B ff, 0x0C fi, 0x0E ffi, 0x0F ffl (0x0D, fl, is a
# carriage return everywhere else, so it is left alone).
_LIGATURE_CONTROLS = {"\x0b": "ff", "\x0c": "fi", "\x0e": "ffi", "\x0f": "ffl"}
_LIGATURE_CONTROL = re.compile(r"(?<=[A-Za-z])[\x0b\x0c\x0e\x0f](?=[A-Za-z])|(?<=\s)[\x0b\x0c\x0e\x0f](?=[a-z])")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe]")

_REFERENCE = r"(?:[A-Za-z]?\d+|[ivxlcdm]+)(?:\s*[-–—]\s*\d+)?"
_LEADER = re.compile(rf"^(?P<title>.*?\S)?\s*(?:[.·・‥…_]\s*){{4,}}\s*(?P<page>{_REFERENCE}(?:\s*,\s*{_REFERENCE})*,?)?$",
                     re.IGNORECASE)
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_MARKER = re.compile(f"\\d*[{_SUPERSCRIPTS}]+")
_SUPERSCRIPT_DIGIT = re.compile(f"[{_SUPERSCRIPTS}]")
_SUPERSCRIPT_AFTER_DIGIT = re.compile(f"(?<=\\d)[{_SUPERSCRIPTS}]+")
_FOOTNOTE_LINE = re.compile(r"^(?P<marker>x{0,3}(?:ix|iv|v?i{0,3})|\(?[*※]\d{1,2}\)?)\s+\S")
_CJK_OR_DIGIT = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\\d"


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


def is_leader_line(line: str) -> bool:
    return bool(_LEADER.match(line.strip()))


def drop_superscript_markers(pages: list[list[str]]) -> list[list[str]]:
    """Footnote markers in superscript code points dropped (see above); raw lines."""
    cleaned = []
    for lines in pages:
        if not any(_SUPERSCRIPT_DIGIT.search(line) for line in lines):
            cleaned.append(lines)
            continue
        markers = {match.group() for line in lines for match in [_SUPERSCRIPT_MARKER.match(line.strip())] if match}
        if markers:
            pattern = re.compile("|".join(re.escape(marker) for marker in sorted(markers, key=len, reverse=True)))
            lines = [pattern.sub("", line, count=1) if _SUPERSCRIPT_MARKER.match(line.strip()) else
                     pattern.sub("", line) for line in lines]
        lines = [_SUPERSCRIPT_AFTER_DIGIT.sub(lambda match: "^" + unicodedata.normalize("NFKC", match.group()), line)
                 for line in lines]
        cleaned.append(lines)
    return cleaned


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
