"""A 1,000-page PDF: reading it stays bounded in memory. Prints time and peak RSS.

Usage: python bench/big_pdf.py [--pages 1000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import make_text_pdf  # noqa: E402
from qa.ingest.documents import load_document  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = make_text_pdf(Path(scratch) / "big.pdf", [
            f"2025年5月{page % 28 + 1}日\n第{page}ページ: 月面輸送サービスの計画について説明します。\n"
            + "ミッションの進捗と今後の予定を記載しています。\n" * 30 for page in range(arguments.pages)])
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        document = load_document(path, time_limit=600)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        reader_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{document.page_count} pages, {len(document.text):,} characters, {path.stat().st_size / 1e6:.1f} MB file, "
              f"read in {seconds:.1f} s; peak RSS {peak:.0f} MB in the builder (before reading {before:.0f} MB), "
              f"{reader_peak:.0f} MB in the PDF reader process")


if __name__ == "__main__":
    main()
