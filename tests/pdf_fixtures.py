"""PDFs written byte by byte for the reading tests: exact fonts, positions and maps."""

from __future__ import annotations

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
