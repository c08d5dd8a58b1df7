"""The source viewer's highlight boxes: on the quote's characters and nowhere else, on
pages laid out like real manuals (an A4 MediaBox inherited from the page tree, a
running head, inline code, a footnote marker, two columns, a rotated page), and on the
real page where the boxes once landed on the lines above (maint-guide.ja.pdf p. 37)."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import qa
from qa.ingest.normalize import squash
from qa.viewer import _PADDING, RENDER_SCALE, locate, render_page

from pdf_fixtures import A4, Run, layout_pdf, line

HEIGHT = A4[1]
# Page 1, as maint-guide.ja.pdf p. 37: running head, paragraphs with inline code, a
# footnote marker raised after "、", a code block and the footnote.
HEAD = [Run("ACME Lander Guide", 56, 800, 10, "H"), Run("31 / 63", 500, 800, 10, "H")]
PARAGRAPH = line([("J", "着陸船の"), ("C", "probe"), ("J", "コマンドは設定ファイルで調整できます。")], 56, 760)
QUOTE_LINE_1 = line([("J", "もしもローバーの試験で"), ("C", "Makefile"), ("J", "に"), ("C", "build"),
                     ("J", "ターゲットを指定する必要がある場合、")], 56, 740)
QUOTE_LINE_2_START = line([("J", "これを有効とするため、")], 56, 726)
MARKER = Run("26", QUOTE_LINE_2_START[-1].right + 1, 730, 6, "H")
QUOTE_LINE_2_END = line([("C", "probe_build_target"), ("J", "ターゲットを作ります。")], MARKER.right + 1, 726)
CODE = [Run("probe_build_target:", 56, 700, 9, "C"), Run("probe_build -- build", 80, 688, 9, "C")]
AFTER = line([("C", "probe_build"), ("J", "コマンドは既定の引数に加えて実行されます。")], 56, 664)
FOOTNOTE = line([("H", "26"), ("J", "引数なしの"), ("C", "probe_build"), ("J", "は最初のターゲットを実行します。")],
                56, 80, 8)
PAGE_1 = [*HEAD, *PARAGRAPH, *QUOTE_LINE_1, *QUOTE_LINE_2_START, MARKER, *QUOTE_LINE_2_END, *CODE, *AFTER,
          *FOOTNOTE]

# Page 2: a running head that repeats a heading of the body, and two columns whose
# lines share their baselines.
HEAD_2 = [Run("着陸船の運用手順", 56, 800, 10, "J"), Run("32 / 63", 500, 800, 10, "H")]
HEADING = line([("J", "第2章 着陸船の運用手順")], 56, 770, 14)
LEFT = [line([("J", text)], 56, 740 - 14 * row) for row, text in
        enumerate(["左の段は月面の気温について述べます。", "昼は百度を超えます。", "夜は零下百七十度です。"])]
RIGHT = [line([("J", text)], 320, 740 - 14 * row) for row, text in
         enumerate(["右の段は通信の手順です。", "着陸後に地球局と交信し、", "画像を毎時送ります。"])]
PAGE_2 = [*HEAD_2, *HEADING, *(run for row in LEFT for run in row), *(run for row in RIGHT for run in row)]


def _pixels(region):
    left, bottom, right, top = region
    return (left * RENDER_SCALE, (HEIGHT - top) * RENDER_SCALE, right * RENDER_SCALE, (HEIGHT - bottom) * RENDER_SCALE)


def _region(run: Run, start: int = 0, end: int | None = None):
    """Where text[start:end] of a run is drawn, in image pixels (a glyph stands from a
    quarter em below its baseline to an em above)."""
    left, right = run.span(start, len(run.text) if end is None else end)
    return _pixels((left, run.y - 0.3 * run.size, right, run.y + 1.0 * run.size))


def _lines(runs):
    """One region a line: the union of the regions of the runs sharing a baseline."""
    regions = {}
    for run in runs:
        region = _region(run)
        if run.y in regions:
            region = (min(region[0], regions[run.y][0]), min(region[1], regions[run.y][1]),
                      max(region[2], regions[run.y][2]), max(region[3], regions[run.y][3]))
        regions[run.y] = region
    return list(regions.values())


def _inside(box, region, tolerance=3.0) -> bool:
    return (box[0] >= region[0] - tolerance and box[1] >= region[1] - tolerance
            and box[2] <= region[2] + tolerance and box[3] <= region[3] + tolerance)


def _inside_the_quote_characters(view) -> bool:
    """Every box, without its padding, lies inside the hull of the quote's character
    boxes that it holds (and holds at least one)."""
    for box in view.boxes:
        inner = (box[0] + _PADDING, box[1] + _PADDING, box[2] - _PADDING, box[3] - _PADDING)
        held = [character for character in view.characters if _inside(character, inner, 0.5)]
        if not held:
            return False
        hull = (min(c[0] for c in held), min(c[1] for c in held), max(c[2] for c in held), max(c[3] for c in held))
        if not _inside(inner, hull, 0.5):
            return False
    return True


def _assert_boxes_on(view, regions):
    assert view.boxes and view.matched >= 0.9
    assert _inside_the_quote_characters(view)
    for box in view.boxes:
        assert any(_inside(box, region) for region in regions), (box, regions)
    for region in regions:  # and each part of the quote is covered, edge to edge
        beside = [box for box in view.boxes if box[1] < region[3] and box[3] > region[1]]
        covered = sum(max(0.0, min(box[2], region[2]) - max(box[0], region[0])) for box in beside)
        assert covered >= 0.9 * (region[2] - region[0]), (region, beside)


def _sentence(text: str, word: str) -> tuple[str, str, str]:
    """The sentence of `text` holding `word`, with the text before and after it."""
    at = text.index(word)
    start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
    end = text.index("。", at) + 1
    return text[max(0, start - 60):start], text[start:end], text[end:end + 60]


def test_boxes_lie_on_the_quote_on_a_page_with_an_inherited_a4_media_box(tmp_path):
    path = layout_pdf(tmp_path / "guide.pdf", [PAGE_1, PAGE_2])
    text = qa.read_document(path).text
    before, quote, after = _sentence(text, "probe_build_target")
    assert quote.startswith("もしもローバーの") and "26" not in quote  # the footnote marker is not in the quote
    view = render_page(path, 1, quote, context=(before, after))
    _assert_boxes_on(view, _lines(QUOTE_LINE_1 + QUOTE_LINE_2_START) + _lines(QUOTE_LINE_2_END))
    assert not any(_inside(box, _region(MARKER), 0) for box in view.boxes)  # the marker is not highlighted
    # A quote with inline code at its start, and one in the footnote at the foot.
    before, quote, after = _sentence(text, "既定の引数")
    _assert_boxes_on(render_page(path, 1, quote, context=(before, after)), _lines(AFTER))
    before, quote, after = _sentence(text, "引数なし")
    _assert_boxes_on(render_page(path, 1, quote, context=(before, after)), _lines(FOOTNOTE))


def test_boxes_stay_in_their_column_and_off_the_running_head(tmp_path):
    path = layout_pdf(tmp_path / "columns.pdf", [PAGE_1, PAGE_2])
    quote = "着陸後に地球局と交信し、画像を毎時送ります。"
    view = render_page(path, 2, quote, context=("右の段は通信の手順です。", ""))
    _assert_boxes_on(view, [_region(RIGHT[1][0]), _region(RIGHT[2][0])])
    # The heading's words are also the running head: the passage around the quote
    # chooses the heading.
    heading = render_page(path, 2, "着陸船の運用手順", context=("第2章", "左の段は月面の"))
    _assert_boxes_on(heading, [_region(HEADING[0], 4)])
    head = render_page(path, 2, "着陸船の運用手順")  # without a passage: the first occurrence
    _assert_boxes_on(head, [_region(HEAD_2[0])])


def test_boxes_on_a_rotated_page_and_on_a_page_with_its_own_media_box(tmp_path):
    plain = layout_pdf(tmp_path / "plain.pdf", [PAGE_2], inherit_media_box=False)
    quote = "着陸後に地球局と交信し、画像を毎時送ります。"
    _assert_boxes_on(render_page(plain, 1, quote), [_region(RIGHT[1][0]), _region(RIGHT[2][0])])
    rotated = layout_pdf(tmp_path / "rotated.pdf", [PAGE_2], rotate=90)
    view = render_page(rotated, 1, "左の段は月面の気温について述べます。")  # PDFium reads a rotated page's lines upwards
    assert view.image.size[0] > view.image.size[1] and len(view.boxes) == 1 and _inside_the_quote_characters(view)
    left, top, right, bottom = view.boxes[0]
    assert bottom - top > 5 * (right - left)  # the line stands upright on the turned page
    ink = np.asarray(render_page(rotated, 1, "").image.convert("L"))
    for left, top, right, bottom in (tuple(int(value) for value in box) for box in view.boxes):
        assert (ink[top:bottom, left:right] < 128).mean() > 0.05  # the boxes are on the text


def test_locate_prefers_the_passage_and_keeps_only_pieces_near_the_quote():
    page = "Guide 31 / 63\r\nThe rover lands.\r\nSee the rover lands on the Moon in June.\r\nThe rover lands."
    first = page.index("The rover lands.")
    middle = page.index("the rover lands on")
    assert locate("The rover lands.", page)[0] == first
    assert locate("The rover lands.", page, before="in June.")[0] == page.rindex("The rover lands.")
    # Found in pieces (a marker the index dropped); "The" elsewhere on the page is not taken.
    pieced = "Launch 26 follows in June.\r\nThe launch follows in June."
    positions = locate("The launch follows in June.", "The page.\r\n" + pieced.replace("launch follows", "launch 2 follows"))
    assert positions and min(positions) > len("The page.\r\n") + len("Launch 26 follows in June.")
    assert locate("Nothing of this is there", page) == [] and middle > first


# --- the real page where the boxes were on the lines above -----------------------------

REAL_PDFS = Path(os.environ.get("QA_REAL_PDFS", "/tmp/qa-real-pdfs"))


def _poppler_lines(path: Path, page: int) -> list[tuple[float, float, str]]:
    """(top, bottom, squashed text) of each line poppler finds on the page, in points."""
    import html

    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, timeout=120).stdout
    lines = []
    for match in re.finditer(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>',
                             out, re.S):
        words = re.findall(r">([^<]*)</word>", match.group(3))
        lines.append((float(match.group(1)), float(match.group(2)), squash(html.unescape("".join(words)))))
    return lines


@pytest.fixture(scope="module")
def maint_guide():
    path = next(iter(sorted(REAL_PDFS.rglob("maint-guide.ja.pdf"))), None) if REAL_PDFS.is_dir() else None
    if path is None or shutil.which("pdftotext") is None:
        pytest.skip(f"maint-guide.ja.pdf or pdftotext missing under {REAL_PDFS}: run `make real-pdfs` as root")
    return path, qa.read_document(path)


@pytest.mark.parametrize("word", ["override_dh_auto_build", "FIXES"])
def test_real_page_boxes_sit_on_the_lines_of_the_quote(word, maint_guide):
    path, document = maint_guide
    page_text = document.page_text(37)
    sentences = [sentence for sentence in re.findall(r"[^。\n]*。", page_text) if word in sentence]
    before, quote, after = _sentence(page_text, sentences[-1 if word == "FIXES" else 0])
    view = render_page(path, 37, quote, context=(before, after))
    assert view.boxes and view.matched >= 0.9 and _inside_the_quote_characters(view)
    folded = squash(quote)
    lines = _poppler_lines(path, 37)
    for box in view.boxes:  # poppler's line under the middle of each box shares ten characters with the quote
        middle = (box[1] + box[3]) / 2 / RENDER_SCALE
        under = [text for top, bottom, text in lines if top <= middle <= bottom]
        shared = [difflib.SequenceMatcher(None, text, folded, autojunk=False).find_longest_match().size
                  for text in under]
        assert shared and max(shared) >= 10, (box, under)
