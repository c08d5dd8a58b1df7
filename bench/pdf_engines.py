"""Reading speed of the PDF engines installed here, in pages/s, and whether their
Japanese text is right (Japanese characters against poppler's pdftotext).

Usage: python bench/pdf_engines.py [--pdfs /tmp/qa-real-pdfs/texlive-lang-japanese] [--pages 1000]

Engines, each in this process, one file after another:
- pypdfium2: PDFium's page string (`get_text_range`), the engine's raw speed;
- pypdfium2 + glyphs: what qa runs (`qa.ingest.pdf_text`: every glyph's box,
  baseline and font size, for word spaces, superscripts and titles);
- pypdf: `extract_text()`;
- pdfminer.six: `extract_text()` (only if installed; it is not a dependency).
on the texlive-lang-japanese PDFs and on a generated 1,000-page Japanese PDF.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from build_speed import machine  # noqa: E402

JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def pdfium_raw(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return [document[number].get_textpage().get_text_range() for number in range(len(document))]
    finally:
        document.close()


def pdfium_glyphs(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    from qa.ingest.pdf_text import page_text

    document = pdfium.PdfDocument(str(path))
    try:
        return [page_text(document[number]).text for number in range(len(document))]
    finally:
        document.close()


def pypdf_pages(path: Path) -> list[str]:
    import logging

    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    return [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]


def pdfminer_pages(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(str(path)).split("\f")


ENGINES = {"pypdfium2": pdfium_raw, "pypdfium2 + glyphs (qa)": pdfium_glyphs, "pypdf": pypdf_pages,
           "pdfminer.six": pdfminer_pages}


def run(engine, files: list[Path]) -> tuple[int, float, int]:
    pages = japanese = 0
    started = time.perf_counter()
    for path in files:
        try:
            texts = engine(path)
        except Exception as error:  # an engine that fails on a file is reported, not fatal
            print(f"    {path.name}: {type(error).__name__}: {error}")
            continue
        pages += len(texts)
        japanese += sum(len(JAPANESE.findall(text)) for text in texts)
    return pages, time.perf_counter() - started, japanese


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", default="/tmp/qa-real-pdfs/texlive-lang-japanese")
    parser.add_argument("--pages", type=int, default=1000)
    arguments = parser.parse_args()
    try:
        import pdfminer  # noqa: F401
    except ImportError:
        del ENGINES["pdfminer.six"]
    print(f"machine: {machine()}")
    files = sorted(Path(arguments.pdfs).rglob("*.pdf"))
    reference = sum(len(JAPANESE.findall(subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                                        capture_output=True, text=True).stdout)) for path in files)
    print(f"\n{len(files)} texlive-lang-japanese PDFs; poppler finds {reference:,} Japanese characters")
    for name, engine in ENGINES.items():
        pages, seconds, japanese = run(engine, files)
        print(f"  {name:26s} {pages:5d} pages in {seconds:6.1f} s = {pages / seconds:6.1f} pages/s; "
              f"Japanese characters {japanese:,} ({japanese / max(reference, 1):.3f} of poppler's)")
    from conftest import make_text_pdf

    with tempfile.TemporaryDirectory() as scratch:
        big = make_text_pdf(Path(scratch) / "big.pdf", [
            f"2025年5月{page % 28 + 1}日\n第{page}ページ: 月面輸送サービスの計画について説明します。\n"
            + "ミッションの進捗と今後の予定を記載しています。\n" * 30 for page in range(arguments.pages)])
        print(f"\na generated {arguments.pages}-page Japanese PDF ({big.stat().st_size / 1e6:.1f} MB)")
        for name, engine in ENGINES.items():
            pages, seconds, _ = run(engine, [big])
            print(f"  {name:26s} {pages:5d} pages in {seconds:6.1f} s = {pages / seconds:6.1f} pages/s")


if __name__ == "__main__":
    main()
