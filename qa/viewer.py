"""The source viewer: a citation shown where it stands, on its page.

Design choice: the viewer reads the document the index keeps (never the file the
user once added) and finds the quote again rather than trusting stored offsets into
a page image. For a PDF, PDFium (pypdfium2) renders the page and its text page gives
every character's box; the quote is located in the page's characters after the same
NFKC and white-space folding the index used, piece by piece when extraction joined
or split words differently, and the matched characters' boxes are merged into one
rectangle per line and drawn over the page image. For a text file, the passage is
shown inside its document with the quoted span marked. PDFium is not thread-safe, so
every call into it holds one lock.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

RENDER_SCALE = 1.6          # 72 dpi x 1.6 = 115 dpi: a readable A4 page in the app
_MINIMUM_PIECE = 3          # characters a quote piece must match to be highlighted
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


def stored_file(index_root, path: str) -> Path | None:
    """The file a chunk's `path` names: kept in the index folder (`documents/…`), or,
    for indexes built before documents were kept, the path as recorded."""
    for candidate in (Path(index_root) / path, Path(path)):
        if path and candidate.is_file():
            return candidate
    return None


def fold(text: str) -> tuple[str, list[int]]:
    """`text` after NFKC with white space removed, and for each character kept the
    position in `text` it came from."""
    folded, origin = [], []
    for position, character in enumerate(text):
        for part in unicodedata.normalize("NFKC", character):
            if not part.isspace() and unicodedata.category(part) not in ("Cc", "Cf"):
                folded.append(part)
                origin.append(position)
    return "".join(folded), origin


def locate(quote: str, text: str) -> list[int]:
    """Positions in `text` of the characters of `quote`, found exactly when possible,
    else as the longest pieces in order (at least `_MINIMUM_PIECE` characters each)."""
    needle, _ = fold(quote)
    haystack, origin = fold(text)
    if not needle or not haystack:
        return []
    found = haystack.find(needle)
    if found >= 0:
        return sorted({origin[position] for position in range(found, found + len(needle))})
    positions: set[int] = set()
    at_needle = at_haystack = 0
    while at_needle < len(needle):
        low, high, best = _MINIMUM_PIECE, len(needle) - at_needle, -1
        if high < low:
            break
        while low <= high:  # the longest piece of the quote that occurs from here on
            middle = (low + high) // 2
            where = haystack.find(needle[at_needle:at_needle + middle], at_haystack)
            if where >= 0:
                best, best_at, low = middle, where, middle + 1
            else:
                high = middle - 1
        if best < 0:
            at_needle += 1
            continue
        positions.update(origin[position] for position in range(best_at, best_at + best))
        at_needle += best
        at_haystack = best_at + best
    return sorted(positions)


def merge_boxes(boxes: list[tuple[float, float, float, float]], gap: float = 6.0) -> list[tuple]:
    """Character boxes (left, bottom, right, top) merged into one rectangle per run of
    characters on a line."""
    merged: list[list[float]] = []
    for left, bottom, right, top in boxes:
        if right <= left or top <= bottom:
            continue
        if merged:
            last = merged[-1]
            overlap = min(top, last[3]) - max(bottom, last[1])
            height = min(top - bottom, last[3] - last[1])
            if overlap > 0.5 * height and -gap <= left - last[2] <= gap * 3:
                last[0], last[1] = min(last[0], left), min(last[1], bottom)
                last[2], last[3] = max(last[2], right), max(last[3], top)
                continue
        merged.append([left, bottom, right, top])
    return [tuple(box) for box in merged]


def page_count(path: Path) -> int:
    import pypdfium2

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()


@functools.lru_cache(maxsize=32)
def _render(path: str, modified: float, page: int, quote: str, scale: float) -> PageImage:
    import pypdfium2
    from PIL import Image, ImageDraw

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(path)
        try:
            pages = len(document)
            page = max(1, min(page, pages))
            pdf_page = document[page - 1]
            image = pdf_page.render(scale=scale).to_pil().convert("RGB")
            boxes, matched = [], 0.0
            if quote and pdf_page.get_rotation() == 0:
                text_page = pdf_page.get_textpage()
                count = text_page.count_chars()
                text = text_page.get_text_range(0, count)
                if len(text) != count:  # characters outside UCS-2: read them one by one
                    import pypdfium2.raw as pdfium_c

                    text = "".join(chr(pdfium_c.FPDFText_GetUnicode(text_page.raw, index)) for index in range(count))
                positions = locate(quote, text)
                matched = len(positions) / max(1, len(fold(quote)[0]))
                left, _, _, top = pdf_page.get_cropbox()
                for box in merge_boxes([text_page.get_charbox(position) for position in positions]):
                    boxes.append(((box[0] - left) * scale - 2, (top - box[3]) * scale - 2,
                                  (box[2] - left) * scale + 2, (top - box[1]) * scale + 2))
        finally:
            document.close()
    if boxes:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for box in boxes:
            draw.rectangle(box, fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_EDGE, width=2)
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    return PageImage(image=image, page=page, pages=pages, boxes=tuple(boxes), matched=round(matched, 3))


def render_page(path, page: int, quote: str = "", *, scale: float = RENDER_SCALE) -> PageImage:
    """Page `page` (1-based) of the PDF at `path` as an image, with the characters of
    `quote` highlighted when they are on it."""
    path = Path(path)
    return _render(str(path), path.stat().st_mtime, page, quote, scale)


def render_citation(path, pages: tuple[int, ...], quote: str, *, scale: float = RENDER_SCALE) -> PageImage:
    """The page of `pages` (a passage's pages) that holds most of `quote`, highlighted."""
    best = None
    for page in pages or (1,):
        view = render_page(path, page, quote, scale=scale)
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
