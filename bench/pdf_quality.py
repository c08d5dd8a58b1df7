"""How well qa reads real PDFs, against poppler's pdftotext.

Usage: python bench/pdf_quality.py [FOLDER ...]   (default: the Debian documentation
PDFs that `make real-pdfs` unpacks under /tmp/qa-real-pdfs)

For each PDF: pages, the Japanese characters qa stores against `pdftotext -layout`
(ratio), the share of replacement / private-use / unassigned characters, sentences
without a letter, leader lines left, words of 25+ Latin letters per 1,000 words, and
whether a title and a date were found. Totals at the end, with the sentences a build
would embed before and after identical-sentence deduplication.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.ingest.chunking import chunk_document, split_sentences  # noqa: E402
from qa.ingest.documents import load_documents  # noqa: E402

DEFAULT = Path("/tmp/qa-real-pdfs")
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
LEADER = re.compile(r"[^\W\d_][^\n]*?(?:[.·・‥…]\s*){4,}\s*\d+\s*$", re.MULTILINE)  # a title, leaders, a page
WORD = re.compile(r"[A-Za-z]+")


def bad_characters(text: str) -> int:
    return sum(1 for character in text
               if character == "\ufffd" or unicodedata.category(character) in ("Co", "Cn", "Cs"))


def poppler_text(path: Path) -> str | None:
    try:
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              timeout=300).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None


def long_words_per_thousand(text: str) -> float:
    words = WORD.findall(text)
    return 1000 * sum(len(word) >= 25 for word in words) / max(len(words), 1)


def measure(paths) -> list[dict]:
    started = time.perf_counter()
    loaded = load_documents(paths, time_limit=600)
    seconds = time.perf_counter() - started
    rows = []
    embedded = []
    for document in loaded.documents:
        embedded += chunk_document(document)[1]
    distinct = len({" ".join(sentence.split()) for sentence in embedded})
    print(f"sentences to embed: {len(embedded):,} before deduplication, {distinct:,} after "
          f"({100 * (1 - distinct / max(len(embedded), 1)):.1f}% less embedding)")
    for document in loaded.documents:
        reference = poppler_text(Path(document.path)) or ""
        ours, theirs = len(JAPANESE.findall(document.text)), len(JAPANESE.findall(reference))
        sentences = [document.text[a:b] for a, b in split_sentences(document.text)]
        rows.append({
            "file": Path(document.path).name, "pages": document.page_count, "characters": len(document.text),
            "japanese": ours, "poppler_japanese": theirs, "bad": bad_characters(document.text),
            "letterless_sentences": sum(not any(c.isalpha() for c in sentence) for sentence in sentences),
            "leader_lines": len(LEADER.findall(document.text)), "long_words": long_words_per_thousand(document.text),
            "title": document.title, "date": document.date, "date_source": document.date_source,
            "skipped": len(document.skipped_pages), "warnings": len(document.warnings),
        })
    for failure in loaded.failures:
        rows.append({"file": Path(failure.path).name, "failed": failure.reason})
    print(f"read {len(loaded.documents)} documents ({len(loaded.duplicates)} duplicates, {len(loaded.failures)} failed) "
          f"in {seconds:.1f} s ({sum(row.get('pages', 0) for row in rows) / seconds:.1f} pages/s)")
    return rows


def main() -> None:
    folders = [Path(argument) for argument in sys.argv[1:]] or [DEFAULT]
    paths = sorted(path for folder in folders for path in ([folder] if folder.is_file() else folder.rglob("*.pdf")))
    rows = measure(paths)
    good = [row for row in rows if "failed" not in row]
    for row in rows:
        if "failed" in row:
            print(f"FAILED {row['file']}: {row['failed']}")
            continue
        ratio = row["japanese"] / row["poppler_japanese"] if row["poppler_japanese"] else None
        print(f"{row['file'][:34]:34s} p={row['pages']:4d} ja={row['japanese']:7d} poppler={row['poppler_japanese']:7d} "
              f"ratio={'-' if ratio is None else f'{ratio:.3f}'} bad={100 * row['bad'] / max(row['characters'], 1):.3f}% "
              f"letterless={row['letterless_sentences']} leaders={row['leader_lines']} long/1000={row['long_words']:.1f} "
              f"date={row['date']}({row['date_source']}) title={row['title'][:40]!r}")
    japanese = sum(row["japanese"] for row in good)
    reference = sum(row["poppler_japanese"] for row in good)
    worst = min((row["japanese"] / row["poppler_japanese"], row["file"]) for row in good if row["poppler_japanese"])
    characters = sum(row["characters"] for row in good)
    print(f"\n{len(good)} files, {sum(row['pages'] for row in good)} pages")
    print(f"Japanese characters: {japanese:,} vs poppler {reference:,} (ratio {japanese / max(reference, 1):.3f}; "
          f"lowest file {worst[0]:.3f} {worst[1]})")
    print(f"replacement/private-use/unassigned characters: {100 * sum(row['bad'] for row in good) / characters:.4f}% "
          f"(worst file {max(100 * row['bad'] / max(row['characters'], 1) for row in good):.3f}%)")
    print(f"sentences without a letter: {sum(row['letterless_sentences'] for row in good)}; "
          f"leader lines left: {sum(row['leader_lines'] for row in good)}")
    print(f"pages left out as garbage: {sum(row['skipped'] for row in good)}; files with warnings: "
          f"{sum(1 for row in good if row['warnings'])}")
    print(f"titles: {sum(1 for row in good if row['title'])} of {len(good)}; dates: "
          f"{sum(1 for row in good if row['date'])} of {len(good)} "
          f"({sum(1 for row in good if row['date_source'] == 'text')} from the text, "
          f"{sum(1 for row in good if row['date_source'] == 'metadata')} from /CreationDate)")
    for row in good:
        if row["file"].startswith("debian-reference.en"):
            print(f"debian-reference.en.pdf: {row['long_words']:.2f} words of 25+ letters per 1,000 words")


if __name__ == "__main__":
    main()
