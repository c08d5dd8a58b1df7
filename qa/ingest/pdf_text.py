"""Page text from PDFium (pypdfium2), rebuilt from its characters and their boxes.

Design choice: PDFium is the page-text engine (the engine Chrome uses): it maps
non-embedded Japanese CID fonts through their CMaps, where pypdf gives mojibake, and
it is several times faster than pdfminer.six (see README). We do not take its page
string as it is; we walk its characters, with their boxes, baselines and font sizes,
because the geometry answers what the string cannot:

- a word space missing from the content stream (DBLaTeX sets words apart by
  positioning, not by a space glyph) is put back where the gap between two glyphs'
  advance boxes on a line is wider than a share of the font size (measured on the
  Debian Reference: under 0.1 em inside words, 0.15 em or more between them); table cells are kept apart the
  same way, and a gap of 2.5 em or more becomes a tab, so that cleaning can tell a
  table of contents' right-aligned page number ("第3章 Debian開発者の責務\t9") or a
  second column from a word;
- a footnote or reference marker set as a superscript (smaller and raised above the
  line's baseline, as in "2026年i" or "約20億円*1") is dropped, so it never becomes
  part of a word or a fact; a raised run after a digit is an exponent and is kept
  as "^n"; a raised letter that a word goes on after without a gap (the A of the
  LaTeX logo) is kept as text, but raised digits are a marker even when the next
  word follows without a gap ("、26override" is "、override");
- PDFium's hyphen at a line end (U+FFFE, where it has joined the word) is removed;
  a soft hyphen it keeps as U+0002 ends its line as "-", so that the join of lines
  mends the word ("occa-" + "sionally");
- the lines of page 1 come back with their font sizes, for the title.

Line breaks are PDFium's own (its generated CR LF): its line finding is the part of
the engine we trust. Everything here runs inside the reader child process.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from statistics import median

# A gap wider than this share of the font size between two glyphs is a word space;
# wider than WIDE_GAP, a tab (table cells, columns, a table of contents' page numbers).
WORD_GAP = 0.12
WIDE_GAP = 2.5
# A run this much smaller than its line, whose baseline is raised by this share of the
# line's font size, is a superscript.
SUPERSCRIPT_SIZE = 0.85
SUPERSCRIPT_RISE = 0.2
# After a soft hyphen PDFium keeps (U+0002), a baseline this many font sizes away
# starts a new line.
_LINE_JUMP = 1.0
_MARKER_CHARACTERS = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ*†‡§¶#()[],-")
_MAXIMUM_MARKER = 4


@dataclass
class _Glyph:
    character: str
    left: float
    right: float
    baseline: float
    size: float
    generated: bool


@dataclass(frozen=True)
class PageText:
    text: str
    # (line, font size) for each line: filled for the first page only, for the title.
    sized_lines: tuple[tuple[str, float], ...] = ()
    unicode_map_error: bool = False


def _glyphs(text_page) -> tuple[list[_Glyph], bool]:
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(text_page)
    box = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    glyphs = []
    map_error = False
    for index in range(count):
        code = raw.FPDFText_GetUnicode(text_page, index)
        raw.FPDFText_GetLooseCharBox(text_page, index, box)  # the advance, not the ink
        raw.FPDFText_GetCharOrigin(text_page, index, x, y)
        generated = raw.FPDFText_IsGenerated(text_page, index) == 1
        if not generated and not map_error and raw.FPDFText_HasUnicodeMapError(text_page, index) == 1:
            map_error = True
        try:
            character = chr(code) if code else ""
        except ValueError:
            character = "\ufffd"
        glyphs.append(_Glyph(character, box.left, box.right, y.value,
                             raw.FPDFText_GetFontSize(text_page, index), generated))
    return glyphs, map_error


def _split_lines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """PDFium's lines; and a new line where, after a line-end hyphen that PDFium keeps as
    U+0002 (and so does not break the line), the text goes on on another baseline:
    PDFium would run the page's foot into the last body line ("occa-16 第4章 …")."""
    lines: list[list[_Glyph]] = [[]]
    last: _Glyph | None = None  # the last visible glyph of the current line
    for glyph in glyphs:
        if glyph.character in ("\r", "\n"):
            if glyph.character == "\n" or not glyph.generated:
                lines.append([])
                last = None
            continue
        visible = not glyph.generated and glyph.character.strip() != ""
        size = max(glyph.size, last.size, 1.0) if last is not None else 0.0
        if (visible and last is not None and last.character == "\x02"
                and abs(glyph.baseline - last.baseline) > _LINE_JUMP * size):
            lines.append([])  # after a kept soft hyphen, text on another baseline: a new line
        lines[-1].append(glyph)
        if visible:
            last = glyph
    return _rejoin([line for line in lines if line])


def _visible(line: list[_Glyph]) -> list[_Glyph]:
    return [glyph for glyph in line if not glyph.generated and not glyph.character.isspace()]


def _rejoin(lines: list[list[_Glyph]]) -> list[list[_Glyph]]:
    """Undo PDFium's line breaks before and after a raised or lowered run that
    continues the same line (a superscript set as its own text object): the next
    piece starts right of where this one ends, on nearly the same baseline."""
    joined: list[list[_Glyph]] = []
    for line in lines:
        if joined:
            before, after = _visible(joined[-1]), _visible(line)
            if before and after:
                size = max(before[-1].size, after[0].size, 1.0)
                if (abs(after[0].baseline - before[-1].baseline) < 0.6 * size
                        and -0.5 <= after[0].left - before[-1].right < 1.5 * size):
                    joined[-1] = joined[-1] + line
                    continue
        joined.append(line)
    return joined


def _is_superscript(glyph: _Glyph, size: float, baseline: float) -> bool:
    return (not glyph.generated and glyph.size < SUPERSCRIPT_SIZE * size
            and glyph.baseline - baseline > SUPERSCRIPT_RISE * size)


def _word_goes_on(line: list[_Glyph], end: int, size: float) -> bool:
    """Whether a Latin letter or digit follows the raised run without a gap: then the
    run is inside a word (the A of the LaTeX logo), not a marker at its end."""
    if end >= len(line):
        return False
    following, run_end = line[end], line[end - 1]
    return (not following.generated and following.character.isascii() and following.character.isalnum()
            and following.left - run_end.right <= WORD_GAP * max(size, 1.0))


def _line_text(line: list[_Glyph]) -> tuple[str, float]:
    """One line's text with word spaces from the gaps and superscript markers handled;
    and the line's font size (the median over its visible glyphs)."""
    visible = [glyph for glyph in line if not glyph.generated and not glyph.character.isspace()]
    if not visible:
        return "", 0.0
    size = median(glyph.size for glyph in visible)
    normal = [glyph for glyph in visible if glyph.size >= SUPERSCRIPT_SIZE * size] or visible
    baseline = median(glyph.baseline for glyph in normal)
    out: list[str] = []
    previous: _Glyph | None = None  # the last visible glyph written
    position = 0
    while position < len(line):
        glyph = line[position]
        if glyph.character == "\ufffe":  # PDFium's line-end hyphen: the word is joined
            position += 1
            continue
        if glyph.character == "\x02":  # a soft hyphen PDFium keeps: a hyphen at the line's end
            if not any(not item.generated and item.character.strip() for item in line[position + 1:]):
                out.append("-")
            position += 1
            continue
        if _is_superscript(glyph, size, baseline):
            end = position
            while end < len(line) and _is_superscript(line[end], size, baseline):
                end += 1
            run = "".join(item.character for item in line[position:end])
            is_marker = len(run) <= _MAXIMUM_MARKER and set(run) <= _MARKER_CHARACTERS
            inside_word = any(character.isalpha() for character in run) and _word_goes_on(line, end, size)
            if is_marker and previous is not None and not inside_word:
                if previous.character.isdigit():
                    while out and out[-1] == " ":
                        out.pop()
                    out.append("^" + run)  # an exponent: 10^6
                position = end  # a footnote marker glued to a word: dropped
                continue
        if glyph.generated or glyph.character.isspace():
            if out and not out[-1].endswith((" ", "\t")):
                out.append(" ")
            position += 1
            continue
        if previous is not None and out:
            gap = glyph.left - previous.right
            if gap > WIDE_GAP * max(size, 1.0):  # a column's or a right-aligned page number's gap
                while out and out[-1] == " ":
                    out.pop()
                out.append("\t")
            elif gap > WORD_GAP * max(size, 1.0) and not out[-1].endswith((" ", "\t")):
                out.append(" ")
        out.append(glyph.character)
        previous = glyph
        position += 1
    return "".join(out).strip(), size


def page_text(page, *, sized: bool = False) -> PageText:
    """The text of one pypdfium2 page: lines joined by "\\n"."""
    text_page = page.get_textpage()
    try:
        glyphs, map_error = _glyphs(text_page)
    finally:
        text_page.close()
    lines = [_line_text(line) for line in _split_lines(glyphs)]
    return PageText(
        text="\n".join(text for text, _ in lines),
        sized_lines=tuple((text, round(size, 2)) for text, size in lines if text) if sized else (),
        unicode_map_error=map_error,
    )
