"""Reading real-world PDFs: garbage guard, word spaces, superscripts, tables, titles,
dates, cleaning, progress, deduplication, `qa inspect`, and poppler on real PDFs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import qa
from qa.errors import DocumentError
from qa.ingest.chunking import split_sentences
from qa.ingest.cleaning import drop_footnote_markers, repair_characters, strip_leader
from qa.ingest.documents import load_document, load_documents
from qa.ingest.garbage import UNREADABLE_REASON, score_text
from qa.ingest.normalize import assemble_pages
from qa.ingest.progress import EMBEDDING, READING
from qa.ingest.titles import choose_date, largest_font_line, meaningful_metadata_title

from conftest import SAMPLE_PDF, make_text_pdf
from pdf_fixtures import text_lines, write_pdf

BODY = ["The lander carries a rover and a water electrolysis unit to the Moon.",
        "Launch is planned for January 2025 on a Falcon 9 rocket."]


# --- the garbage guard -------------------------------------------------------------

@pytest.mark.parametrize("base, kind", [(0xE000, "private-use"), (0x80, "Latin-1 mojibake")])
def test_a_pdf_whose_fonts_map_to_the_wrong_code_points_fails_with_a_clear_reason(tmp_path, base, kind):
    path = write_pdf(tmp_path / "broken.pdf", [text_lines(BODY, font=b"F2")] * 3, broken_map_base=base)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert caught.value.reason == UNREADABLE_REASON, kind
    loaded = load_documents([path])
    assert loaded.documents == [] and loaded.failures[0].reason == UNREADABLE_REASON
    assert any("garbage" in warning for warning in loaded.failures[0].warnings)


def test_a_garbage_page_is_left_out_and_the_rest_is_indexed(tmp_path):
    pages = [text_lines(BODY), text_lines(BODY, font=b"F2"), text_lines(["Mission 3 follows in 2026."])]
    document = load_document(write_pdf(tmp_path / "mixed.pdf", pages, broken_map_base=0xE000))
    assert document.skipped_pages == (2,)
    assert document.page_text(2).strip() == "" and "Mission 3 follows in 2026." in document.page_text(3)
    assert document.page_scores[1] >= 0.9 and document.page_scores[0] == 0.0
    assert any("page(s) 2 not indexed" in warning for warning in document.warnings)
    assert not re.search("[\ue000-\uf8ff]", document.text)


def test_garbage_score_cases():
    assert score_text("月面着陸は2025年6月6日の予定です。").score == 0.0
    assert score_text("Café Müller, naïve résumé, 1,234.56 ¥").score < 0.2
    assert score_text("\ufffd" * 30).garbage
    assert score_text("ã\x81\x82ã\x81\x84ã\x81\x86ã\x81\x88ã\x81\x8a ã\x81\x8bã\x81\x8d").garbage
    assert not score_text("1.2 Installation .......................... 17").garbage  # leaders are not garbage


# --- geometry: word spaces, tables, superscripts ------------------------------------

def test_word_spaces_tables_and_superscripts_from_glyph_positions(tmp_path):
    content = (
        b"BT /F1 11 Tf 72 700 Td [(The)-333(package)-333(maintainer)-333(uploads)] TJ ET\n"
        b"BT /F1 11 Tf 72 680 Td (Name) Tj 200 0 Td (Value) Tj ET\n"
        b"BT /F1 11 Tf 72 660 Td (The rover) Tj ET BT /F1 6 Tf 120 665 Td (1) Tj ET "
        b"BT /F1 11 Tf 124 660 Td ( lands, 10) Tj ET BT /F1 6 Tf 178 665 Td (6) Tj ET "
        b"BT /F1 11 Tf 182 660 Td ( km away.) Tj ET\n"
        b"BT /F1 11 Tf 72 640 Td (Use L) Tj ET BT /F1 8 Tf 96.5 643 Td (A) Tj ET "
        b"BT /F1 11 Tf 101.8 640 Td (TeX here.) Tj ET"
    )
    text = load_document(write_pdf(tmp_path / "geometry.pdf", [content])).text
    assert "The package maintainer uploads" in text  # DBLaTeX-style positioned words keep their spaces
    assert "Name Value" in text  # table cells are not fused
    assert "The rover lands, 10^6 km away." in text  # a footnote marker dropped, an exponent kept
    assert "Use LATeX here." in text  # a raised letter inside a word (the LaTeX logo) stays


def test_words_positioned_without_space_glyphs(tmp_path):
    words = [b"Debian", b"package", b"maintainer", b"uploads", b"source"]
    content = b"BT /F1 11 Tf 72 700 Td " + b"".join(b"(%s) Tj 60 0 Td " % word for word in words) + b"ET"
    text = load_document(write_pdf(tmp_path / "positioned.pdf", [content])).text
    assert text.split() == [word.decode() for word in words]


# --- cleaning -----------------------------------------------------------------------

def test_leader_lines_are_reduced_to_their_title():
    assert strip_leader("1.2 Installation .......... 17") == "1.2 Installation"
    assert strip_leader("はじめに・・・・・・・・ 3") == "はじめに"
    assert strip_leader("Index . . . . . . . . xii") == "Index"
    assert strip_leader(". . . . . . . .") == ""
    assert strip_leader("The launch is planned.") == "The launch is planned."


def test_no_sentence_is_punctuation_or_digits_alone():
    toc = "\n".join(f"{n}.{m} Section title {n}{m} {'.' * 30} {n * 10 + m}" for n in range(1, 4) for m in range(1, 4))
    text, _ = assemble_pages([toc + "\n.\n. .\n12\n3. The rover lands in June."])
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences and all(any(character.isalpha() for character in sentence) for sentence in sentences)
    assert "3. The rover lands in June." in sentences
    assert "....." not in text


def test_running_heads_page_numbers_and_roman_numerals_are_removed():
    pages = []
    bodies = ["The shell", "Virtual consoles", "How to leave", "Shutdown", "Recovery", "Packages", "Networking",
              "Printing"]
    for number, body in enumerate(bodies, start=1):
        head = "Debian Reference" if number % 2 else "Chapter 1. GNU/Linux tutorials"
        foot = ["iii", "iv", "v", "vi", "- 7 -", "8 / 40", "Page 9 of 40", "10"][number - 1]
        pages.append(f"{head}\n{body} is explained on this page.\n{foot}")
    text, offsets = assemble_pages(pages)
    assert "Debian Reference" not in text and "tutorials" not in text
    for furniture in ("iii", "- 7 -", "8 / 40", "Page 9"):
        assert furniture not in text
    assert text.count("is explained on this page.") == 8 and len(offsets) == 8


def test_ligatures_soft_hyphens_zero_width_and_hyphenation():
    assert repair_characters("the \x0crst of\x0cce e\x0bect") == "the first office effect"
    assert repair_characters("soft\u00adware zero\u200bwidth\u200c\ufeff") == "software zerowidth"
    wide = "x" * 60
    text, _ = assemble_pages([f"{wide} the ﬁrst ofﬁcial hyphen-\nated word and well-\nknown {wide}\nend."])
    assert "the first official hyphenated word" in text
    assert "ﬁ" not in text and "\x0c" not in text


def test_body_font_footnote_markers_are_dropped_when_the_footnote_exists():
    pages = [["ミッション3は2026年i、ミッション4は2027年にii打ち上げ予定。", "約20億円(*1)を調達。", "3x faster"],
             ["i 2025年5月時点の想定", "ii 2025年5月時点の想定", "(*1) 税込"]]
    cleaned = drop_footnote_markers(pages)
    assert cleaned[0][:2] == ["ミッション3は2026年、ミッション4は2027年に打ち上げ予定。", "約20億円を調達。"]
    assert cleaned[0][2] == "3x faster" and cleaned[1] == pages[1]
    document = load_document(SAMPLE_PDF)
    assert "ミッション3は2026年、" in document.text and "2026年i" not in document.text


# --- title and date -----------------------------------------------------------------

def test_metadata_title_is_used_only_when_meaningful():
    assert meaningful_metadata_title("Debian Reference", "debian-reference.en.pdf") == "Debian Reference"
    for bad in ("", "untitled", "Untitled-3", "Microsoft Word - release.docx", "release-0509.pdf", "release-0509",
                "Title", "1234"):
        assert meaningful_metadata_title(bad, "release-0509.pdf") is None, bad


def test_largest_font_line_is_the_title_and_a_title_on_two_lines_is_joined():
    lines = [("2025年5月9日", 9.5), ("ispace、月面での水資源の", 18.0), ("採掘に向けた覚書を締結", 18.0),
             ("株式会社ispace(東京都中央区)は本日、", 9.5), ("覚書を締結しました。", 9.5)]
    assert largest_font_line(lines) == "ispace、月面での水資源の採掘に向けた覚書を締結"
    assert largest_font_line([("Body text all the same size", 10.0)] * 4) is None


def test_pdf_title_rules_end_to_end(tmp_path):
    big_title = (b"BT /F1 24 Tf 72 740 Td (Lunar Rover Program Update) Tj ET\n"
                 + text_lines(BODY, top=700))
    placeholder = write_pdf(tmp_path / "a.pdf", [big_title], info={"Title": "Microsoft Word - a.docx"})
    assert load_document(placeholder).title == "Lunar Rover Program Update"
    declared = write_pdf(tmp_path / "b.pdf", [big_title], info={"Title": "ACME Quarterly Mission Report"})
    assert load_document(declared).title == "ACME Quarterly Mission Report"
    plain = write_pdf(tmp_path / "c.pdf", [text_lines(["Short", *BODY])], info={"Title": "untitled"})
    assert load_document(plain).title == BODY[0]


def test_date_from_text_else_file_name_else_creation_date(tmp_path):
    created = {"CreationDate": "D:20240301120000+09'00'"}
    undated = write_pdf(tmp_path / "rover.pdf", [text_lines(BODY)], info=created)
    document = load_document(undated)
    assert (document.date, document.date_source) == ("2024-03-01", "metadata")
    dated = write_pdf(tmp_path / "dated.pdf", [text_lines(["May 9, 2025", *BODY])], info=created)
    assert (load_document(dated).date, load_document(dated).date_source) == ("2025-05-09", "text")
    named = write_pdf(tmp_path / "acme-2023-12-01.pdf", [text_lines(BODY)], info=created)
    assert (load_document(named).date, load_document(named).date_source) == ("2023-12-01", "filename")
    assert choose_date("no date", "x.pdf") == (None, None)


# --- progress, deduplication, warnings, read_document, inspect ----------------------

def test_build_reports_progress_over_pages_then_sentences_and_embeds_identical_sentences_once(tmp_path):
    notice = "This notice repeats on every release."
    make_text_pdf(tmp_path / "a.pdf", [f"2025年5月9日\n{notice}\nThe rover lands in June.", "Page two text here."])
    make_text_pdf(tmp_path / "b.pdf", [f"2025年6月1日\n{notice}\nThe orbiter launches in July.",
                                       "Another page.", "Third page."])
    events = []
    index = qa.build_index([tmp_path], tmp_path / "index", progress=events.append, settings=qa.Settings())
    reading = [event for event in events if event.stage == READING]
    embedding = [event for event in events if event.stage == EMBEDDING]
    assert reading and embedding and events.index(embedding[0]) > events.index(reading[-1])
    assert {event.total for event in reading} == {5}  # pages counted before reading
    assert [event.done for event in reading] == sorted(event.done for event in reading)
    assert reading[-1].done == 5 and reading[-1].files_done == 2 and reading[-1].unit == "page"
    assert any(event.file and event.file.endswith("b.pdf") for event in reading)
    assert embedding[-1].done == embedding[-1].total == index.manifest["embedding"]["embedded"]
    stats = index.manifest["embedding"]
    assert stats["sentences"] == stats["distinct"] + 1 == index.report.sentences
    positions = [position for chunk in index.chunks for (a, b), position in zip(chunk.sentences, chunk.sentence_ids)
                 if chunk.text[a:b] == notice]
    assert len(positions) == 2
    assert np.array_equal(index.sentence_matrix[positions[0]], index.sentence_matrix[positions[1]])
    assert [document["date_source"] for document in index.manifest["documents"]] == ["text", "text"]


def test_progress_callback_sees_a_failed_file_too(tmp_path):
    make_text_pdf(tmp_path / "good.pdf", ["2025年5月9日\nThe rover lands in June."] * 3)
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    events = []
    loaded = load_documents([tmp_path], progress=events.append)
    assert len(loaded.documents) == 1 and len(loaded.failures) == 1
    assert events[-1].done == events[-1].total == 4 and events[-1].files_done == 2


def test_engine_warnings_are_kept_per_file(tmp_path):
    data = bytearray(SAMPLE_PDF.read_bytes())
    start = data.rindex(b"startxref")
    data[start:] = b"startxref\n123\n%%EOF\n"  # a wrong xref pointer: pypdf warns and repairs
    path = tmp_path / "repaired.pdf"
    path.write_bytes(bytes(data))
    document = load_document(path)
    assert document.page_count == 5
    assert document.warnings and all("\n" not in warning for warning in document.warnings)


def test_read_document_and_qa_inspect(tmp_path):
    document = qa.read_document(SAMPLE_PDF)
    assert isinstance(document, qa.Document)
    assert len(document.pages) == 5 and document.language == "ja" and document.date_source == "text"
    result = subprocess.run([sys.executable, "-m", "qa.cli", "inspect", str(SAMPLE_PDF), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == document.title and len(record["page_texts"]) == 5
    assert all(page["garbage_score"] == 0.0 for page in record["page_texts"])
    text = subprocess.run([sys.executable, "-m", "qa.cli", "inspect", str(SAMPLE_PDF), "--page", "2", "--chars", "50"],
                          capture_output=True, text=True, timeout=120).stdout
    assert "--- page 2  garbage score 0.00" in text and "--- page 1" not in text and "(from text)" in text
    broken = write_pdf(tmp_path / "broken.pdf", [text_lines(BODY, font=b"F2")], broken_map_base=0xE000)
    failed = subprocess.run([sys.executable, "-m", "qa.cli", "inspect", str(broken)], capture_output=True, text=True,
                            timeout=120)
    assert failed.returncode == 1 and UNREADABLE_REASON in failed.stderr


# --- real PDFs against poppler ------------------------------------------------------

REAL_PDFS = Path(os.environ.get("QA_REAL_PDFS", "/tmp/qa-real-pdfs"))
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# A sample that keeps the suite fast: Japanese pLaTeX manuals with non-embedded CID
# fonts, an English one, and both Debian Reference PDFs (bench/pdf_quality.py reads all).
SAMPLE_NAMES = ["jlreq-ja.pdf", "platex.pdf", "ptex-manual.pdf", "jsclasses.pdf", "pxrubrica.pdf", "platex-en.pdf",
                "debian-reference.en.pdf", "debian-reference.ja.pdf", "maint-guide.ja.pdf",
                "developers-reference.ja.pdf", "mendex.pdf"]
# Furniture that these PDFs once left in the text (issue 18), and words around it that stay.
FURNITURE_GONE = {
    "debian-reference.ja.pdf": ["Debianリファレンスii", "Debianリファレンスxix", "1 GNU/Linuxチュートリアル1\n",
                                "See項", "see項"],
    "debian-reference.en.pdf": ["Debian Reference ii", "GNU/Linux tutorials1\n"],
    "developers-reference.ja.pdf": ["第3章Debian開発者の責務9", "16第4章"],
    "maint-guide.ja.pdf": ["26override_dh_auto_build", "Debian新メンテナーガイドii", "2はじめの一歩6"],
    "mendex.pdf": [". . . .", "35, 146 A"],
}
FURNITURE_KEPT = {
    "debian-reference.ja.pdf": ["See 項", "GNU/Linuxチュートリアル"],
    "developers-reference.ja.pdf": ["第3章Debian開発者の責務"],
    "maint-guide.ja.pdf": ["override_dh_auto_build", "はじめの一歩"],
    "mendex.pdf": ["enumerate環境"],
}


def _real(name: str) -> Path:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run `make real-pdfs` as root")
    found = sorted(REAL_PDFS.rglob(name)) if REAL_PDFS.is_dir() else []
    if not found:
        pytest.skip(f"{name} not found under {REAL_PDFS}: run `make real-pdfs` as root (apt-get download "
                    "texlive-lang-japanese debian-reference-en debian-reference-ja maint-guide-ja "
                    "developers-reference-ja)")
    return found[0]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_real_pdf_text_matches_poppler(name):
    path = _real(name)
    document = load_document(path, time_limit=300)
    poppler = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                             timeout=300).stdout
    ours, theirs = len(JAPANESE.findall(document.text)), len(JAPANESE.findall(poppler))
    if theirs:
        assert abs(ours - theirs) <= 0.1 * theirs, (ours, theirs)
    bad = sum(1 for character in document.text if character == "\ufffd" or "\ue000" <= character <= "\uf8ff")
    assert bad < 0.005 * len(document.text)
    sentences = [document.text[a:b] for a, b in split_sentences(document.text)]
    assert all(any(character.isalpha() for character in sentence) for sentence in sentences)
    assert not re.search(r"[^\W\d_][^\n]*?(?:[.·・‥…]\s*){4,}\s*\d+\s*$", document.text, re.MULTILINE)
    assert document.title and document.date and not document.skipped_pages
    text = document.text + "\n"
    assert not [furniture for furniture in FURNITURE_GONE.get(name, []) if furniture in text]
    assert all(kept in text for kept in FURNITURE_KEPT.get(name, []))
    if name == "mendex.pdf":
        assert "version" not in document.title.lower() and "mendex" in document.title
    if name == "debian-reference.en.pdf":
        words = re.findall(r"[A-Za-z]+", document.text)
        assert 1000 * sum(len(word) >= 25 for word in words) / len(words) < 5
        assert document.title == "Debian Reference"
