"""Text normalization for extracted release text.

Design choice: normalize once, at ingestion, and make every later offset point into
the normalized text. The steps:

1. NFKC (full-width digits and letters become ASCII), control characters and lone
   surrogates dropped, runs of white space folded to one space.
2. Spaces next to a Japanese character are removed ("2025 年 5 月" -> "2025年5月"),
   except a table's column gap (two or more spaces inside a line), kept as one space;
   spaces between Latin words are kept. Where the Latin word beside the space is an
   English function word ("See 項1.1.4", "described in 第3章", "。 The"), the space is
   a word space and is kept (and a line join there puts one back); beside a name
   ("Debian パッケージ") it is layout and goes.
3. Cleaning (see `cleaning` and `furniture`): ligature and invisible characters
   repaired and superscript footnote markers dropped before the page is split into
   lines; a table of contents' tab-set page numbers dropped; leader lines reduced to
   their title; page furniture (page numbers, running heads and feet) dropped.
4. Line breaks are joined. A PDF wraps lines at a fixed width, so a line that reaches
   (nearly) that width and does not end a sentence continues on the next line; the
   join inserts nothing inside Japanese and one space between Latin words, and a
   word hyphenated at the line end ("hyphen-" + "ated") is joined. Short lines (headings, dates, the end of a paragraph) keep a hard break ("\n").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .cleaning import (drop_footnote_markers, drop_superscript_markers, is_leader_line, repair_characters,
                       strip_leader)
from .furniture import remove_furniture, strip_toc_page_numbers
from .language import CJK_CHARACTERS, is_cjk

_WHITESPACE = re.compile(r"\s+")
# Two or more spaces inside a line, between two letters or digits, are a table's column gap
# (代表取締役会長　　　水堀 康介　　 代表取締役社長; 半導体材料事業 売上高　　1,000億円　　1,250億円): kept
# as one space even between Japanese characters, so a row's cells do not run together
# (水堀康介 read as 堀康介).
_COLUMN_GAP = re.compile(r"[ \t\u3000\u00a0]{2,}")
_GAP_MARK = "\ue000"
_LAYOUT_GAP = re.compile(f"(?<!\\w){_GAP_MARK}|{_GAP_MARK}(?!\\w)")
_SPACE_NEXT_TO_CJK = re.compile(f"(?<=[{CJK_CHARACTERS}]) | (?=[{CJK_CHARACTERS}])")
_LATIN_WORDS = re.compile("[A-Za-z]+")
_FUNCTION_WORDS = frozenset("see also for the of in on at by to from with and or is are be as this that via into "
                            "using use refer described shown an".split())
_HYPHENATED = re.compile(r"[a-z]-$")
# A line ending a sentence (closing brackets and quotes may follow the terminator).
_SENTENCE_END = re.compile(r"[。！？!?.:][」』)\]”\"']*$")
_HARD_START = tuple("■◼□●○◆◇▼▲・※*#-•>|")
# A wrapped line reaches at least this share of the document's wrap width.
_WRAP_SHARE = 0.8


def clean_characters(text: str) -> str:
    """NFKC, then drop control characters (but line breaks and tabs) and surrogates."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        character
        for character in text
        if character in "\n\t" or unicodedata.category(character) not in ("Cc", "Cs", "Co")
    )


def squash(text: str) -> str:
    """NFKC with all white space removed: the form every comparison of quotes,
    answers and evidence uses."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_english(latin: str, *, at_end: bool) -> bool:
    """Whether Latin text next to Japanese reads as English prose there: its word next to
    the Japanese one (its last word when `at_end`, else its first) is an English
    function word ("See 項1.1.4", "described in 第3章"); a name is not ("Debian パッケージ",
    "Panasonic Energy of North America の")."""
    words = _LATIN_WORDS.findall(latin)
    return bool(words) and words[-1 if at_end else 0].lower() in _FUNCTION_WORDS


def _space_next_to_japanese(match: re.Match) -> str:
    """The space between Japanese and Latin text is layout (removed) unless the Latin
    side reads as English prose there (see `is_english`)."""
    line, at = match.string, match.start()
    before, after = line[at - 1:at], line[at + 1:at + 2]
    if is_cjk(before) and is_cjk(after):
        return ""
    if is_cjk(before):
        return " " if is_english(line[at + 1:], at_end=False) else ""
    return " " if is_english(line[:at], at_end=True) else ""


def normalize_line(line: str) -> str:
    """One line of text: whitespace folded, spaces next to Japanese removed (but a word
    space between English and a Japanese word: "See 項1.1.4")."""
    line = _COLUMN_GAP.sub(_GAP_MARK, clean_characters(line).strip())
    # a gap beside punctuation ("(VCS)  を", "代表者　　：") is layout: an ordinary space
    line = _LAYOUT_GAP.sub(" ", line)
    line = _WHITESPACE.sub(" ", line).strip()
    line = _SPACE_NEXT_TO_CJK.sub(_space_next_to_japanese, line)
    return line.replace(_GAP_MARK, " ")


def display_width(line: str) -> int:
    """Width in columns: Japanese characters count two, the rest one."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in line)


def _wrap_width(pages: list[list[str]]) -> float:
    widths = sorted(display_width(line) for lines in pages for line in lines if line)
    if not widths:
        return 0.0
    if len(widths) < 10:
        return float(widths[-1])
    return float(widths[int(0.9 * (len(widths) - 1))])


def _continues(previous: str, following: str, wrap_width: float) -> bool:
    """Whether the line break between two lines is a soft wrap."""
    if following.startswith(_HARD_START) or _SENTENCE_END.search(previous):
        return False
    return display_width(previous) >= _WRAP_SHARE * wrap_width


def _glue(previous: str, following: str) -> str:
    """What goes between two lines joined into one: "" inside Japanese and after a
    hyphen, one space between Latin words, and "\b" (the hyphen is taken back)
    where a word was hyphenated at the line end."""
    if _HYPHENATED.search(previous) and following[:1].islower():
        return "\b"
    if previous.endswith("-"):
        return ""
    if is_cjk(previous[-1]) and following[0].isascii() and following[0].isalpha() and \
            is_english(following, at_end=False):
        return " "  # English goes on after a Japanese word
    if previous[-1].isascii() and previous[-1].isalpha() and is_cjk(following[0]) and \
            is_english(previous, at_end=True):
        return " "  # English ends in a word before a Japanese one ("See" + "項1.1.4")
    if is_cjk(previous[-1]) or is_cjk(following[0]):
        return ""
    return " "


def _usual_gap(pages: list[list[str]]) -> int:
    """The most common number of blank lines between two text lines. It is 0 for
    ordinary text and 1 for double-spaced extractions, where only a longer gap marks
    a paragraph."""
    gaps: Counter[int] = Counter()
    for lines in pages:
        blank = None
        for line in lines:
            if line:
                if blank is not None:
                    gaps[blank] += 1
                blank = 0
            elif blank is not None:
                blank += 1
    return gaps.most_common(1)[0][0] if gaps else 0


def assemble_pages(raw_pages: list[str], *, drop_furniture: bool = True) -> tuple[str, list[int]]:
    """Normalize raw page texts into one text.

    Returns the text and the offset at which each page starts in it. The text of page
    n (1-based) is `text[offsets[n - 1]:offsets[n]]`; a chunk's offsets relative to
    its first page can run on into the following pages.
    """
    raw_lines = [repair_characters(raw).splitlines() for raw in raw_pages]
    raw_lines = drop_superscript_markers(strip_toc_page_numbers(raw_lines, is_leader_line))
    pages = [[strip_leader(normalize_line(line)) for line in lines] for lines in raw_lines]
    if drop_furniture:
        pages = remove_furniture(pages)
    pages = drop_footnote_markers(pages)
    wrap_width = _wrap_width(pages)
    usual_gap = _usual_gap(pages)
    parts: list[str] = []
    length = 0
    offsets: list[int] = []
    previous: str | None = None
    blank_since_previous = 0
    for lines in pages:
        page_start: int | None = None
        for line in lines:
            if not line:
                blank_since_previous += 1
                continue
            if previous is not None:
                if blank_since_previous > usual_gap or not _continues(previous, line, wrap_width):
                    separator = "\n"
                else:
                    separator = _glue(previous, line)
                if separator == "\b":  # a hyphenated word: drop its hyphen, join the halves
                    parts[-1] = parts[-1][:-1]
                    length -= 1
                    separator = ""
                    offsets = [min(offset, length) for offset in offsets]  # empty pages between
                parts.append(separator)
                length += len(separator)
            if page_start is None:
                page_start = length
            parts.append(line)
            length += len(line)
            previous = line
            blank_since_previous = 0
        offsets.append(length if page_start is None else page_start)
    return "".join(parts), offsets
