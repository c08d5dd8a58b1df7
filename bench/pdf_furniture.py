"""Page furniture left in the text qa reads from real PDFs, counted per kind, with
poppler's pdftotext (-layout) as the reference for what the page shows.

Usage: python bench/pdf_furniture.py [--save FILE.json] [--compare BEFORE.json] [PDF or FOLDER ...]
(default: every PDF under /tmp/qa-real-pdfs, which `make real-pdfs` fills)

Kinds, each counted in qa's text of each page (`Document.page_text`):

- heads: poppler's first or last line of a page of four lines or more (digits and
  roman numerals masked, three letters at least) that repeats on three or more pages
  is a running head or foot; counted when qa's first or last two lines of that page
  still hold it ("Debianリファレンスii").
- page_numbers: the same, for edge lines that are a page number alone ("12", "iv",
  "31 / 63", "- 7 -"); counted when qa's first or last line is that number, or its
  last line ends a sentence with it glued on ("...します。12").
- toc_numbers: on poppler's table-of-contents and index pages (three or more lines
  with leaders), an entry's title and page number ("第3章 Debian開発者の責務 … 9",
  leaders or a wide gap between them); counted when a line of qa's page has the title
  with the number glued on ("第3章Debian開発者の責務9").
- leaders: runs of four or more leader dots left in qa's text, spaced (". . . .") or
  not ("....") when a page number follows.
- footnote_markers: a marker poppler shows in superscript digits ("2⁶override"),
  counted when qa's text still has it glued to the words around it ("26override").
- lost_spaces: a space in poppler's text between a Japanese character and a Latin
  word that is an English function word (see, for, the, of, ...): a word space of
  English prose ("See 項1.1.4"); counted when qa's text has the two glued
  ("See項1.1.4"). Beside a name in Japanese text ("Debian パッケージ") the space is
  typesetting and is not counted.
- version_titles: documents whose title is a version or date line.

Content kept, against poppler: Japanese characters and Latin letters (ratios), and
the words (Latin words of 3+ letters, Japanese character pairs) of each poppler page
that qa's page does not have. With --compare, the words missing now but not before
are listed: they show what a cleaning change removed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.ingest.documents import load_documents  # noqa: E402

DEFAULT = Path("/tmp/qa-real-pdfs")
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
JAPANESE = re.compile(f"[{CJK}]")
LATIN = re.compile("[A-Za-z]")
ROMAN = re.compile(r"(?<![A-Za-z])[ivxlcdm]{1,7}(?![A-Za-z])", re.IGNORECASE)
PAGE_NUMBER_KEYS = {"#", "#/#", "-#-", "page#", "page#of#", "#ページ"}
LEADER_LINE = re.compile(r"^\s*(?P<title>\S.*?\S)\s*(?:[.·・]\s*){3,}\s*(?P<page>\d+|[ivxlc]+)\s*$")
GAP_LINE = re.compile(r"^\s*(?P<title>\S.*?\S)\s{3,}(?P<page>\d+|[ivxlc]+)\s*$")
SPACED_LEADERS = re.compile(r"(?:[.·・] ){3,}[.·・]")
NUMBERED_LEADERS = re.compile(r"[.·・‥…_]{4,}\s*(?:\d+|[ivxlc]+)\b")
SUPERSCRIPT = re.compile(r"(\S{0,8}?)([0-9]*[⁰¹²³⁴⁵⁶⁷⁸⁹]+)(\S{0,8})")
LATIN_THEN_JAPANESE = re.compile(rf"([A-Za-z][A-Za-z0-9.,:;)'’\"-]{{0,5}}) +([{CJK}][^\s]{{0,2}})")
JAPANESE_THEN_LATIN = re.compile(rf"([{CJK}]) +([A-Za-z][A-Za-z0-9]{{0,4}})")
VERSION = re.compile(r"^(?:version|ver\.?|v|rev\.?|release)\s*\d|^\d+(?:\.\d+)+\b|\[\d{1,2}-[A-Za-z]{3}-\d{4}\]",
                     re.IGNORECASE)
FUNCTION_WORDS = set("see also for the of in on at by to from with and or is are be as this that via into using use "
                     "refer described shown an".split())
WORD = re.compile(rf"[A-Za-z]{{3,}}|[{CJK}]+")
KINDS = ["heads", "page_numbers", "toc_numbers", "leaders", "footnote_markers", "lost_spaces", "version_titles"]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    return "".join(nfkc(text).split())


def poppler_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         timeout=600).stdout
    return out.split("\f")


def edge_key(line: str) -> str:
    return squash(ROMAN.sub("#", re.sub(r"\d+", "#", nfkc(line)))).lower()


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def words(text: str) -> set[str]:
    found = set()
    for word in WORD.findall(nfkc(text)):
        if JAPANESE.match(word):
            found.update(word[at:at + 2] for at in range(max(1, len(word) - 1)))
        else:
            found.add(word.lower())
    return found


def measure_document(document, reference: list[str]) -> dict:
    ours = [document.page_text(number) for number in range(1, document.page_count + 1)]
    counts: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)

    def left(kind: str, example: str) -> None:
        counts[kind] += 1
        if len(examples[kind]) < 3:
            examples[kind].append(example[:80])
    # Running heads, feet and page numbers.
    edges = []
    for page in reference[:len(ours)]:
        lines = lines_of(page)
        edges.append([lines[0], lines[-1]] if len(lines) > 3 else [])  # not a title or part page
    keys = Counter(key for page_edges in edges for key in {edge_key(line) for line in page_edges})
    for number, page_edges in enumerate(edges):
        our_lines = [squash(line) for line in lines_of(ours[number])]
        our_edges = [" ".join(our_lines[:2]), " ".join(our_lines[-2:])]
        for line in page_edges:
            key = edge_key(line)
            if keys[key] < 3:
                continue
            if key in PAGE_NUMBER_KEYS:
                totals["page_numbers"] += 1
                folio = squash(line)
                if our_lines and (folio in (our_lines[0], our_lines[-1]) or re.search(
                        rf"[。.!?]{re.escape(folio)}$", our_lines[-1])):
                    left("page_numbers", folio)
            elif sum(1 for character in key if character.isalpha()) >= 3:
                totals["heads"] += 1
                if any(squash(line) in edge for edge in our_edges):
                    left("heads", squash(line))
    # Table-of-contents and index entries with their page numbers (the page's first and
    # last lines, its running head and foot, left out).
    for number, page in enumerate(reference[:len(ours)]):
        lines = lines_of(page)[1:-1]
        if sum(1 for line in lines if LEADER_LINE.match(line)) < 3:
            continue
        our_lines = [squash(line) for line in lines_of(ours[number])]
        for line in lines:
            match = LEADER_LINE.match(line) or GAP_LINE.match(line)
            if not match or not LATIN.search(match.group("title")) and not JAPANESE.search(match.group("title")):
                continue
            totals["toc_numbers"] += 1
            glued = re.compile(re.escape(squash(match.group("title")) + match.group("page")) + r"(?![0-9.])")
            if any(glued.search(our_line) for our_line in our_lines):
                left("toc_numbers", squash(match.group("title")) + match.group("page"))
    text = document.text
    for match in list(SPACED_LEADERS.finditer(text)) + list(NUMBERED_LEADERS.finditer(text)):
        left("leaders", text[max(0, match.start() - 20):match.end() + 10].replace("\n", "⏎"))
    # Footnote markers and lost spaces, from poppler's lines.
    for number, page in enumerate(reference[:len(ours)]):
        ours_squashed, ours_text = squash(ours[number]), nfkc(ours[number])
        for match in SUPERSCRIPT.finditer(page):
            before, marker, after = match.groups()
            if not before and not after:
                continue
            totals["footnote_markers"] += 1
            if squash(before + marker + after) in ours_squashed:
                left("footnote_markers", squash(before + marker + after))
        for line in page.split("\n"):
            for match in list(LATIN_THEN_JAPANESE.finditer(line)) + list(JAPANESE_THEN_LATIN.finditer(line)):
                if JAPANESE.match(match.group(2)):  # the Latin word next to the space
                    beside = re.findall("[A-Za-z]+", line[:match.start(2)])[-1:]
                else:
                    beside = re.findall("[A-Za-z]+", line[match.start(2):])[:1]
                if not beside or beside[0].lower() not in FUNCTION_WORDS:
                    continue  # beside a name the space is typesetting, not a word space
                first, second = nfkc(match.group(1)), nfkc(match.group(2))
                totals["lost_spaces"] += 1
                if first + second in ours_text and f"{first} {second}" not in ours_text:
                    left("lost_spaces", first + second)
    if VERSION.search(document.title or ""):
        left("version_titles", document.title)
    poppler_text = "\n".join(reference)
    missing = {}
    for number, page in enumerate(reference[:len(ours)], start=1):
        gone = sorted(words(page) - words(ours[number - 1]))
        if gone:
            missing[str(number)] = gone
    return {
        "pages": document.page_count, "title": document.title,
        "counts": {kind: counts[kind] for kind in KINDS}, "totals": {kind: totals[kind] for kind in KINDS},
        "japanese": len(JAPANESE.findall(document.text)), "poppler_japanese": len(JAPANESE.findall(poppler_text)),
        "latin": len(LATIN.findall(document.text)), "poppler_latin": len(LATIN.findall(poppler_text)),
        "missing": missing, "examples": dict(examples),
    }


def group(name: str) -> str:
    for prefix in ("debian-reference.en", "debian-reference.ja", "maint-guide.ja", "developers-reference.en",
                   "developers-reference.ja"):
        if name.startswith(prefix):
            return prefix
    return "texlive-lang-japanese"


def measure(paths) -> dict:
    loaded = load_documents(paths, time_limit=600)
    results = {}
    for document in loaded.documents:
        results[Path(document.path).name] = measure_document(document, poppler_pages(Path(document.path)))
    for failure in loaded.failures:
        results[Path(failure.path).name] = {"failed": failure.reason}
    return results


def table(results: dict, before: dict | None = None) -> str:
    groups: dict[str, Counter] = defaultdict(Counter)
    earlier: dict[str, Counter] = defaultdict(Counter)
    seen: dict[str, Counter] = defaultdict(Counter)
    for name, row in results.items():
        if "failed" in row:
            continue
        seen[group(name)].update(row["totals"])
        groups[group(name)].update({**row["counts"], "files": 1, "pages": row["pages"], "japanese": row["japanese"],
                                    "poppler_japanese": row["poppler_japanese"], "latin": row["latin"],
                                    "poppler_latin": row["poppler_latin"],
                                    "missing": sum(len(words) for words in row["missing"].values())})
        if before and name in before and "failed" not in before[name]:
            earlier[group(name)].update({**before[name]["counts"], "japanese": before[name]["japanese"],
                                         "latin": before[name]["latin"],
                                         "missing": sum(len(words) for words in before[name]["missing"].values())})
    header = ["PDFs", "files", "pages", *KINDS, "ja/poppler", "latin/poppler", "words missing"]
    # A kind counted against poppler shows "left of seen": how many poppler shows.
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in sorted(groups, key=lambda name: (name == "texlive-lang-japanese", name)):
        row, old = groups[name], earlier.get(name)
        cells = [name, str(row["files"]), str(row["pages"])]
        for kind in KINDS + ["japanese", "latin", "missing"]:
            if kind in ("japanese", "latin"):
                value = f"{row[kind] / max(row['poppler_' + kind], 1):.3f}"
                previous = f"{old[kind] / max(row['poppler_' + kind], 1):.3f}" if old else None
            else:
                value, previous = str(row[kind]), (str(old[kind]) if old else None)
            cell = value if previous is None or previous == value else f"{previous} → {value}"
            cells.append(cell + (f" of {seen[name][kind]}" if seen[name][kind] else ""))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def newly_missing(results: dict, before: dict, limit: int = 12) -> str:
    out = []
    for name, row in sorted(results.items()):
        if "failed" in row or name not in before or "failed" in before[name]:
            continue
        gone = Counter()
        for page, words_now in row["missing"].items():
            gone.update(set(words_now) - set(before[name]["missing"].get(page, [])))
        if gone:
            out.append(f"{name}: {sum(gone.values())} words no longer found, e.g. "
                       + ", ".join(word for word, _ in gone.most_common(limit)))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--save", type=Path, help="write the measurements (JSON) here")
    parser.add_argument("--compare", type=Path, help="measurements saved before a change, to compare against")
    parser.add_argument("--examples", action="store_true", help="show what is left, per file and kind")
    arguments = parser.parse_args()
    folders = arguments.paths or [DEFAULT]
    paths = sorted(path for folder in folders for path in ([folder] if folder.is_file() else folder.rglob("*.pdf")))
    results = measure(paths)
    if arguments.save:
        arguments.save.parent.mkdir(parents=True, exist_ok=True)
        arguments.save.write_text(json.dumps(results, ensure_ascii=False, indent=0), encoding="utf-8")
    before = json.loads(arguments.compare.read_text(encoding="utf-8")) if arguments.compare else None
    print(table(results, before))
    for name, row in sorted(results.items()):
        if "failed" in row:
            print(f"FAILED {name}: {row['failed']}")
        elif row["counts"]["version_titles"]:
            print(f"{name}: title {row['title']!r}")
    if arguments.examples:
        for name, row in sorted(results.items()):
            for kind, shown in row.get("examples", {}).items():
                print(f"{name} {kind} ({row['counts'][kind]}): " + " | ".join(shown))
    if before:
        print(newly_missing(results, before))


if __name__ == "__main__":
    main()
