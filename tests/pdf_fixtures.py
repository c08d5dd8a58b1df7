"""PDFs written byte by byte for the reading tests: exact fonts, positions and maps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# A ToUnicode CMap that sends every single-byte code to the wrong code point:
# `base` + code (a private-use base gives unmapped glyphs, 0xC0 gives Latin-1 mojibake).


def wrong_to_unicode(base: int) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
             b"/CMapName /Broken def /CMapType 2 def",
             b"1 begincodespacerange <00> <FF> endcodespacerange",
             b"1 beginbfrange <20> <7E> <%04X> endbfrange" % (base + 0x20),
             b"endcmap CMapName currentdict /CMap defineresource pop end end"]
    return b"\n".join(lines)


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def write_pdf(path: Path, pages: list[bytes], *, broken_map_base: int | None = None, info: dict | None = None,
              size=(612, 792)) -> Path:
    """A PDF whose pages draw `pages` (content streams). Font /F1 is Helvetica; /F2 is
    Helvetica with a ToUnicode map to the wrong code points (when `broken_map_base`)."""
    objects: dict[int, bytes] = {}
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    fonts = b"/F1 3 0 R"
    next_number = 4
    if broken_map_base is not None:
        objects[next_number] = _stream(wrong_to_unicode(broken_map_base))
        objects[next_number + 1] = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                                    b"/Encoding /WinAnsiEncoding /ToUnicode %d 0 R >>" % next_number)
        fonts += b" /F2 %d 0 R" % (next_number + 1)
        next_number += 2
    kids = []
    for content in pages:
        objects[next_number] = _stream(content)
        objects[next_number + 1] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                                    b"/Resources << /Font << %s >> >> /Contents %d 0 R >>"
                                    % (size[0], size[1], fonts, next_number))
        kids.append(b"%d 0 R" % (next_number + 1))
        next_number += 2
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info_number = None
    if info:
        info_number = next_number
        entries = b" ".join(b"/%s (%s)" % (key.encode(), value.encode("latin-1")) for key, value in info.items())
        objects[info_number] = b"<< " + entries + b" >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    table = len(out)
    count = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    out += b"".join(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
                    for number in range(1, count))
    trailer = b"/Size %d /Root 1 0 R" % count + (b" /Info %d 0 R" % info_number if info_number else b"")
    out += b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, table)
    path.write_bytes(bytes(out))
    return path


def text_lines(lines, font=b"F1", size=11, top=740, left=72, leading=16) -> bytes:
    """A content stream drawing plain lines of Latin-1 text."""
    out = [b"BT /%s %d Tf %d TL %d %d Td" % (font, size, leading, left, top)]
    for line in lines:
        escaped = line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        out.append(b"(%s) Tj T*" % escaped)
    out.append(b"ET")
    return b"\n".join(out)


# --- laid-out pages: runs of text at known positions, for the viewer's boxes ---------

A4 = (595.28, 841.89)
_WIDTH_SHARE = {"J": 1.0, "C": 0.6}  # the CID font's DW 1000 (no /W): every glyph is 1 em; Courier 0.6 em
_FONT_NAMES = {"H": b"F1", "C": b"F4", "J": b"F3"}


@dataclass(frozen=True)
class Run:
    """Text drawn from (x, y) (its baseline) in one font: "J" a Japanese CID font
    (HeiseiKakuGo-W5, not embedded, every glyph 1 em wide), "C" Courier (inline code),
    "H" Helvetica."""
    text: str
    x: float
    y: float
    size: float = 10.0
    font: str = "J"

    def advance(self, text: str) -> float:
        if self.font == "H":
            from reportlab.pdfbase.pdfmetrics import stringWidth

            return stringWidth(text, "Helvetica", self.size)
        return _WIDTH_SHARE[self.font] * self.size * len(text)

    @property
    def right(self) -> float:
        return self.x + self.advance(self.text)

    def span(self, start: int, end: int) -> tuple[float, float]:
        """Left and right x of text[start:end]."""
        return self.x + self.advance(self.text[:start]), self.x + self.advance(self.text[:end])

    def content(self) -> bytes:
        if self.font == "J":
            shown = b"<" + self.text.encode("utf-16-be").hex().upper().encode() + b">"
        else:
            escaped = self.text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            shown = b"(" + escaped + b")"
        return b"BT /%s %.2f Tf %.2f %.2f Td %s Tj ET" % (_FONT_NAMES[self.font], self.size, self.x, self.y, shown)


def line(parts, x: float, y: float, size: float = 10.0) -> list[Run]:
    """Runs set one after the other on one line: parts are (font, text)."""
    runs = []
    for font, text in parts:
        run = Run(text, x, y, size, font)
        runs.append(run)
        x = run.right
    return runs


def layout_pdf(path: Path, pages: list[list[Run]], *, size=A4, inherit_media_box: bool = True,
               rotate: int = 0) -> Path:
    """A PDF of pages made of runs. With `inherit_media_box` the MediaBox is on the
    page tree's root only (pages inherit it, as in DBLaTeX's PDFs)."""
    media_box = b"/MediaBox [0 0 %.2f %.2f]" % size
    objects = {
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
        5: b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiKakuGo-W5 /Encoding /UniJIS-UCS2-H "
           b"/DescendantFonts [6 0 R] >>",
        6: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 /DW 1000 "
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
        7: b"<< /Type /FontDescriptor /FontName /HeiseiKakuGo-W5 /Flags 4 /FontBBox [-92 -250 1010 922] "
           b"/ItalicAngle 0 /Ascent 752 /Descent -221 /CapHeight 737 /StemV 114 >>",
    }
    kids, number = [], 8
    for runs in pages:
        objects[number] = _stream(b"\n".join(run.content() for run in runs))
        objects[number + 1] = (b"<< /Type /Page /Parent 2 0 R %s /Rotate %d "
                               b"/Resources << /Font << /F1 3 0 R /F4 4 0 R /F3 5 0 R >> >> /Contents %d 0 R >>"
                               % (b"" if inherit_media_box else media_box, rotate, number))
        kids.append(b"%d 0 R" % (number + 1))
        number += 2
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d %s >>" % (b" ".join(kids), len(kids),
                                                                   media_box if inherit_media_box else b"")
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for object_number in sorted(objects):
        offsets[object_number] = len(out)
        out += b"%d 0 obj\n" % object_number + objects[object_number] + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (max(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[object_number] for object_number in range(1, max(objects) + 1))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (max(objects) + 1, table)
    path.write_bytes(bytes(out))
    return path
