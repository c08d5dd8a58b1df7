"""The source viewer: a citation shown where it stands, on its page.

Design choice: the viewer reads the document the index keeps (never the file the
user once added) and finds the quote again among the page's characters as PDFium
(pypdfium2) gives them, rather than trusting stored offsets into a page image:

- locating: the page's characters and the quote are compared after the same NFKC
  and white-space folding the index used. The quote is taken with a little of the
  passage around it, so that where the same words stand twice on a page (a running
  head, a table of contents line) the occurrence inside the passage is chosen. When
  extraction or cleaning made the texts differ (a footnote marker dropped, a word
  joined at a line end), every three-character piece of the quote found on the
  page votes for where the quote starts; around the place with most votes the
  longest common blocks are aligned in order. A three-letter piece elsewhere on the
  page is never highlighted.
- boxes: the matched characters are cut into runs, a run ending where PDFium's text
  breaks the line, where the next character is not on the same line (its box does
  not overlap vertically) or lies far to the right or left (another column); each
  run becomes one rectangle, the union of its characters' boxes, so every rectangle
  lies inside the quote's characters.
- drawing: character boxes are in PDF user space; PDFium's own page-to-device
  transform (FPDF_PageToDevice, for the rendered image's size) turns them into
  pixels, so an inherited or offset MediaBox/CropBox and a /Rotate are handled as the
  renderer handles them. (Reading the boxes from pypdfium2's get_cropbox() put them
  50 pt too high on pages whose MediaBox is inherited from the page tree, as in
  Debian's maint-guide.ja.pdf: that accessor falls back to US Letter.)

For a text file, the passage is shown inside its document with the quoted span
marked. PDFium is not thread-safe, so every call into it holds one lock.
"""

from __future__ import annotations

import ctypes
import difflib
import functools
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

RENDER_SCALE = 1.6          # 72 dpi x 1.6 = 115 dpi: a readable A4 page in the app
_MINIMUM_PIECE = 3          # characters a quote piece must match to be highlighted
_LEAST_SHARE = 0.25         # pieces covering less of the quote than this are not it
_CONTEXT = 40               # characters of the passage on each side of the quote used to place it
_COLUMN_GAP = 1.5           # a gap wider than this many line heights parts two columns
_PADDING = 2                # pixels a rectangle reaches beyond its characters
_DROPPED = {"\ufffe", "\uffff"}
_PDFIUM_LOCK = threading.RLock()
HIGHLIGHT_FILL = (255, 214, 0, 110)
HIGHLIGHT_EDGE = (230, 120, 0, 255)


@dataclass(frozen=True)
class PageImage:
    image: object             # PIL.Image.Image, RGB
    page: int                 # 1-based
    pages: int                # pages in the document
    boxes: tuple              # highlighted rectangles, in image pixels (left, top, right, bottom)
    matched: float            # share of the quote's characters found on this page
    characters: tuple = ()    # the boxes of the quote's characters found, in image pixels


def stored_file(index_root, path: str) -> Path | None:
    """The file a chunk's `path` names: kept in the index folder (`documents/…`), or,
    for indexes built before documents were kept, the path as recorded."""
    for candidate in (Path(index_root) / path, Path(path)):
        if path and candidate.is_file():
            return candidate
    return None


def fold(text: str) -> tuple[str, list[int]]:
    """`text` after NFKC with white space removed (and PDFium's line-end hyphen mark
    U+FFFE, whose word the index joined), and for each character kept the position in
    `text` it came from."""
    folded, origin = [], []
    for position, character in enumerate(text):
        for part in unicodedata.normalize("NFKC", character):
            if not part.isspace() and part not in _DROPPED and unicodedata.category(part) not in ("Cc", "Cf"):
                folded.append(part)
                origin.append(position)
    return "".join(folded), origin


def _context_score(haystack: str, start: int, end: int, before: str, after: str) -> int:
    """How many characters of the passage around the quote match around haystack[start:end]."""
    score = 0
    while score < len(before) and score < start and before[-1 - score] == haystack[start - 1 - score]:
        score += 1
    ahead = 0
    while ahead < len(after) and end + ahead < len(haystack) and after[ahead] == haystack[end + ahead]:
        ahead += 1
    return score + ahead


def locate(quote: str, text: str, before: str = "", after: str = "") -> list[int]:
    """Positions in `text` of the characters of `quote` (see the module's docstring).
    `before` and `after` are the passage's text around the quote: they choose between
    several occurrences and anchor a quote that is found only in pieces."""
    needle, _ = fold(quote)
    haystack, origin = fold(text)
    if not needle or not haystack:
        return []
    before, after = fold(before)[0][-_CONTEXT:], fold(after)[0][:_CONTEXT]
    found, at = [], haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)
    if found:
        best = max(found, key=lambda start: (_context_score(haystack, start, start + len(needle), before, after),
                                             -start))
        return sorted({origin[position] for position in range(best, best + len(needle))})
    # Pieces: every short piece of the quote (and its context) found on the page votes
    # for where the quote starts; the best place wins, and there the longest common
    # blocks of page and quote, in order, are the quote's characters.
    extended = before + needle + after
    low, high = len(before), len(before) + len(needle)
    where: dict[str, list[int]] = {}
    for at in range(len(extended) - _MINIMUM_PIECE + 1):
        where.setdefault(extended[at:at + _MINIMUM_PIECE], []).append(at)
    votes: Counter[int] = Counter()
    for at in range(len(haystack) - _MINIMUM_PIECE + 1):
        for quote_at in where.get(haystack[at:at + _MINIMUM_PIECE], ()):
            votes[at - quote_at] += 2 if low <= quote_at < high else 1
    if not votes:
        return []
    slack = max(4 * _MINIMUM_PIECE, len(needle) // 4)
    shifts = sorted(votes)
    best, best_votes, first, running = shifts[0], -1, 0, 0
    for shift in shifts:  # the band of shifts `slack` wide with the most votes
        running += votes[shift]
        while shift - shifts[first] > slack:
            running -= votes[shifts[first]]
            first += 1
        if running > best_votes:
            best, best_votes = shifts[first], running
    window_start = max(0, best + low - slack)
    window = haystack[window_start:best + slack + high + slack]
    positions = set()
    for page_at, quote_at, size in difflib.SequenceMatcher(None, window, extended, autojunk=False).get_matching_blocks():
        start, end = max(quote_at, low), min(quote_at + size, high)
        if end - start >= _MINIMUM_PIECE:
            positions.update(origin[window_start + page_at + start - quote_at + offset] for offset in range(end - start))
    if len(positions) < _LEAST_SHARE * len(needle):
        return []  # scattered syllables, not the quote
    return sorted(positions)


def _same_line(previous: tuple, box: tuple) -> bool:
    """Whether two characters' (loose) boxes sit side by side on one line of one column."""
    height = min(previous[3] - previous[1], box[3] - box[1])
    overlap = min(previous[3], box[3]) - max(previous[1], box[1])
    gap = box[0] - previous[2]
    return height > 0 and overlap > 0.5 * height and -0.5 * height <= gap <= _COLUMN_GAP * height


def character_runs(positions: list[int], text: str, loose: dict) -> list[list[int]]:
    """The located characters cut into runs that each become one rectangle: a run ends
    at a line break of PDFium's text, at a character of the page that the quote does
    not have (a dropped footnote marker), and where the next character's box is not
    beside the last one on the same line (another line or column)."""
    runs: list[list[int]] = []
    for position in positions:
        if runs:
            last = runs[-1][-1]
            between = text[last + 1:position]
            if (not any(not character.isspace() or character in "\r\n" for character in between)
                    and _same_line(loose[last], loose[position])):
                runs[-1].append(position)
                continue
        runs.append([position])
    return runs


def page_count(path: Path) -> int:
    import pypdfium2

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()


def _page_characters(text_page) -> str:
    count = text_page.count_chars()
    text = text_page.get_text_range(0, count)
    if len(text) != count:  # characters outside UCS-2: read them one by one
        import pypdfium2.raw as pdfium_c

        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(text_page.raw, index)) for index in range(count))
    return text


def _quote_boxes(pdf_page, size: tuple[int, int], quote: str, before: str, after: str):
    """(rectangles, each matched character's box, share of the quote matched), in pixels."""
    import pypdfium2.raw as pdfium_c

    text_page = pdf_page.get_textpage()
    try:
        text = _page_characters(text_page)
        positions = locate(quote, text, before, after)
        matched = len(positions) / max(1, len(fold(quote)[0]))
        tight = {position: text_page.get_charbox(position) for position in positions}
        loose = {position: text_page.get_charbox(position, loose=True) for position in positions}
    finally:
        text_page.close()
    x, y = ctypes.c_int(), ctypes.c_int()

    def to_pixels(box) -> tuple[int, int, int, int]:
        corners = []
        for page_x, page_y in ((box[0], box[1]), (box[2], box[3])):
            pdfium_c.FPDF_PageToDevice(pdf_page.raw, 0, 0, size[0], size[1], 0, page_x, page_y, x, y)
            corners.append((x.value, y.value))
        (x1, y1), (x2, y2) = corners
        return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)

    def visible(position: int) -> bool:
        left, bottom, right, top = tight[position]
        return right > left and top > bottom

    characters = [to_pixels(tight[position]) for position in positions if visible(position)]
    rectangles = []
    for run in character_runs(positions, text, loose):
        shown = [tight[position] for position in run if visible(position)]
        if shown:
            left, top, right, bottom = to_pixels((min(box[0] for box in shown), min(box[1] for box in shown),
                                                  max(box[2] for box in shown), max(box[3] for box in shown)))
            rectangles.append((left - _PADDING, top - _PADDING, right + _PADDING, bottom + _PADDING))
    return rectangles, characters, matched


@functools.lru_cache(maxsize=32)
def _render(path: str, modified: float, page: int, quote: str, scale: float, before: str, after: str) -> PageImage:
    import pypdfium2
    from PIL import Image, ImageDraw

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(path)
        try:
            pages = len(document)
            page = max(1, min(page, pages))
            pdf_page = document[page - 1]
            image = pdf_page.render(scale=scale).to_pil().convert("RGB")
            boxes, characters, matched = [], [], 0.0
            if quote:
                boxes, characters, matched = _quote_boxes(pdf_page, image.size, quote, before, after)
        finally:
            document.close()
    if boxes:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for box in boxes:
            draw.rectangle(box, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE, width=2)
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    return PageImage(image=image, page=page, pages=pages, boxes=tuple(boxes), matched=round(matched, 3),
                     characters=tuple(characters))


def render_page(path, page: int, quote: str = "", *, scale: float = RENDER_SCALE,
                context: tuple[str, str] = ("", "")) -> PageImage:
    """Page `page` (1-based) of the PDF at `path` as an image, with the characters of
    `quote` highlighted when they are on it. `context` is the passage's text before
    and after the quote (it picks the right occurrence)."""
    path = Path(path)
    before, after = fold(context[0])[0][-_CONTEXT:], fold(context[1])[0][:_CONTEXT]
    return _render(str(path), path.stat().st_mtime, page, quote, scale, before, after)


def render_citation(path, pages: tuple[int, ...], quote: str, *, scale: float = RENDER_SCALE,
                    context: tuple[str, str] = ("", "")) -> PageImage:
    """The page of `pages` (a passage's pages) that holds most of `quote`, highlighted."""
    best = None
    for page in pages or (1,):
        view = render_page(path, page, quote, scale=scale, context=context)
        if best is None or view.matched > best.matched:
            best = view
        if view.matched >= 0.9:
            break
    return best


def passage_in_document(text: str, passage: str, start: int, quote_start: int, quote_end: int, *,
                        context: int = 1200) -> list[tuple[str, str | None]]:
    """Segments for a text viewer: the document around `passage` (found at `start`, or
    searched for), the passage labelled "passage" and the quote labelled "quote"."""
    if text[start:start + len(passage)] != passage:
        start = text.find(passage)
    if start < 0:
        return [(passage[:quote_start], "passage"), (passage[quote_start:quote_end], "quote"),
                (passage[quote_end:], "passage")]
    before_start = max(0, start - context)
    line_start = text.rfind("\n", before_start, start)
    before_start = line_start + 1 if line_start >= 0 else before_start
    after_end = min(len(text), start + len(passage) + context)
    line_end = text.find("\n", start + len(passage), after_end)
    after_end = line_end if line_end >= 0 else after_end
    segments = [("…" if before_start > 0 else "", None), (text[before_start:start], None),
                (passage[:quote_start], "passage"), (passage[quote_start:quote_end], "quote"),
                (passage[quote_end:], "passage"), (text[start + len(passage):after_end], None),
                ("…" if after_end < len(text) else "", None)]
    return [(segment, label) for segment, label in segments if segment]
