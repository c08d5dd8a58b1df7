"""Ingestion: pages, titles, dates, normalization, and every kind of bad file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from qa.ingest.dates import find_dates, find_release_date
from qa.ingest.documents import decode_text, load_document, load_documents
from qa.errors import DocumentError
from qa.ingest.normalize import assemble_pages, normalize_line
from qa.ingest.pdf_reader import PdfReaderProcess

from conftest import SAMPLE_PDF, SAMPLE_TXT, make_slow_pdf, make_text_pdf

TITLE = "ispace、高砂熱学工業と月面におけるサーマルマイニング技術実証に向けた計画検討に関する覚書を締結"


def test_sample_pdf_pages_title_and_date():
    document = load_document(SAMPLE_PDF)
    assert document.page_count == 5
    assert document.paged
    assert document.title == TITLE
    assert document.date == "2025-05-09"
    assert len(document.sha256) == 64
    # Page 5 starts with the end of the sentence that page 4 began.
    assert document.page_text(5).startswith("バックされている。")
    assert document.page_at(document.text.index("バックされている")) == 5
    assert document.page_at(document.text.index("RESILIENCEランダー")) == 1
    assert document.page_at(document.text.index("アルテミス計画")) == 5


def test_sample_text_file_title_and_date():
    document = load_document(SAMPLE_TXT)
    assert document.title == TITLE
    assert document.date == "2025-05-09"
    assert not document.paged and document.page_at(10) is None


def test_normalization_joins_japanese_lines_without_spaces_and_keeps_latin_spaces():
    text = load_document(SAMPLE_PDF).text
    assert "2025年1月15日に打ち上げを完了" in text  # full-width １ and spaces removed
    assert "コーポレートパートナー" in text  # joined across a PDF line break
    assert "ランダー(月着陸船)" in text  # joined across a page break
    assert "Mission 2 “SMBC x HAKUTO-R VENTURE MOON”" in text  # Latin spaces kept
    assert "Falcon 9を使用" in text
    assert "https://ir.ispace-inc.com/jpn/news/" not in text  # footer URL dropped
    assert "https://ispace-inc.com/jpn/\n" not in text


def test_normalize_line_cases():
    assert normalize_line(" 2025 年 5 月 9 日 ") == "2025年5月9日"
    assert normalize_line("ＡＢＣ　１２３") == "ABC 123"
    assert normalize_line("Expand  our\tplanet.") == "Expand our planet."
    assert normalize_line("bad\x00control\ud800") == "badcontrol"


def test_repeated_page_furniture_is_dropped():
    bodies = ["月面着陸は六月の予定です。", "打ち上げは一月に完了しました。", "水の電気分解に挑戦します。", "次の計画は米国で進めます。"]
    pages = [f"ACME NEWS\n{body}\nwww.example.com\n- {number} -" for number, body in enumerate(bodies, start=1)]
    text, offsets = assemble_pages(pages)
    assert "ACME NEWS" not in text and "example.com" not in text and "- 2 -" not in text
    assert text.split("\n") == bodies
    assert len(offsets) == 4


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025年5月9日", "2025-05-09"),
        ("2025 年 5 月 9 日", "2025-05-09"),
        ("May 9, 2025", "2025-05-09"),
        ("9 May 2025", "2025-05-09"),
        ("Sept. 3rd, 2024", "2024-09-03"),
        ("2025-05-09", "2025-05-09"),
        ("2025/5/9", "2025-05-09"),
        ("令和7年5月9日", "2025-05-09"),
    ],
)
def test_release_date_forms(text, expected):
    assert find_release_date(normalize_line(text)) == expected


def test_release_date_absent_and_invalid():
    assert find_release_date("no date here") is None
    assert find_dates("2025年2月30日") == []
    assert find_release_date("本文のみ", "ispace-2024-12-01-news.pdf") == "2024-12-01"


def test_text_encodings(tmp_path):
    japanese = "2025年5月9日\n株式会社ispaceのプレスリリースです。月面着陸の予定を発表しました。"
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp932"):
        path = tmp_path / f"release-{encoding}.txt"
        path.write_bytes(japanese.encode(encoding))
        document = load_document(path)
        assert "月面着陸の予定を発表しました。" in document.text, encoding
        assert document.date == "2025-05-09"


def test_markdown_heading_is_the_title(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# Lunar lander update\n\nPublished May 9, 2025. The lander is on its way.\n", encoding="utf-8")
    document = load_document(path)
    assert document.title == "Lunar lander update"
    assert document.date == "2025-05-09"


def test_the_title_is_the_headline_not_the_issuer_a_byline_or_a_dateline():
    """A new-user session: a Japanese .txt of date, company and headline lines was titled
    with the company's name; news items were titled "By Kosaku Narioka", "Credit: ispace",
    "Wednesday, 1 November 2023, 09:15 HKT/SGT" or "date 2024-07-25 Micro Rover…"."""
    from qa.ingest.titles import first_substantial_line

    assert first_substantial_line("2024年3月15日\n月見ロボティクス株式会社\n\n月見ロボティクス、ローバーの開発完了を発表\n") \
        == "月見ロボティクス、ローバーの開発完了を発表"
    assert first_substantial_line("株式会社ispaceは4月26日、同社の月面探査プログラムの着陸を確認できなかったと発表した。") \
        .startswith("株式会社ispaceは")  # a sentence that begins with the company is no issuer line
    for header in ("By Kosaku Narioka", "Credit: ispace", "Source: Hitachi, Ltd.", "PRESS RELEASE",
                   "Wednesday, 1 November 2023, 09:15 HKT/SGT", "Orbital Bakery Inc.", "ニュースリリース"):
        assert first_substantial_line(f"{header}\n\nHitachi Rail secures clearance for the acquisition\n") \
            == "Hitachi Rail secures clearance for the acquisition", header
    assert first_substantial_line("date 2024-07-25 Micro Rover named TENACIOUS to fly on Mission 2\n") \
        == "Micro Rover named TENACIOUS to fly on Mission 2"


def test_a_markdown_release_is_read_as_it_renders(tmp_path):
    """A new-user session found `**`, `#` and list dashes in quoted passages of .md files."""
    from qa.ingest.markdown import visible_text

    path = tmp_path / "release.md"
    path.write_text("# Kameoka **Begins** Operation\n\n**KYOTO, January 15, 2026** — The farm *opened*.\n\n"
                    "## Revised plan\n\n- Start: October 2025 (previously April 2024)\n* Fare: 4,500 yen\n\n---\n\n"
                    "> See [our site](https://example.com) and ![logo](logo.png).\n\n| item | value |\n|---|---|\n"
                    "| fare | 4,500 yen |\n\nsnake_case_name and 2 * 3 stay.\n", encoding="utf-8")
    document = load_document(path)
    assert document.title == "Kameoka Begins Operation" and document.date == "2026-01-15"
    for mark in ("**", "#", "- Start", "* Fare", "---", "](", "|"):
        assert mark not in document.text, mark
    assert "KYOTO, January 15, 2026 — The farm opened." in document.text
    assert "Start: October 2025" in document.text and "See our site and logo." in document.text
    assert "snake_case_name and 2 * 3 stay." in document.text and "fare 4,500 yen" in document.text
    assert visible_text("line one\n\nline three").split("\n") == ["line one", "", "line three"]


def _encrypted_pdf(path, user_password):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(SAMPLE_PDF).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    writer.write(path)
    return path


def _blank_pdf(path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(path)
    return path


BAD_FILES = {
    "corrupt.pdf": (lambda path: path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8), "corrupt"),
    "truncated.pdf": (lambda path: path.write_bytes(SAMPLE_PDF.read_bytes()[:600]), "corrupt"),
    "locked.pdf": (lambda path: _encrypted_pdf(path, "secret"), "password"),
    "empty.pdf": (lambda path: path.write_bytes(b""), "empty"),
    "scanned.pdf": (_blank_pdf, "no text layer"),
    "junk.txt": (lambda path: path.write_bytes(bytes(range(256)) * 40), "binary"),
    "undecodable.txt": (lambda path: path.write_bytes(b"\x82\xa0\xff\xfe\xfd" * 50 + b"\x81"), "undecodable"),
    "blank.md": (lambda path: path.write_text("   \n\n  "), "empty"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_a_clear_error(tmp_path, name):
    make, reason = BAD_FILES[name]
    path = tmp_path / name
    make(path)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert reason in caught.value.reason.lower()
    assert caught.value.path == str(path)


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path):
    document = load_document(_encrypted_pdf(tmp_path / "open.pdf", ""))
    assert document.title == TITLE and document.page_count == 5


def test_load_documents_skips_bad_files_walks_folders_and_reports_duplicates(tmp_path):
    folder = tmp_path / "releases"
    (folder / "nested").mkdir(parents=True)
    (folder / "nested" / "a.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    (folder / "copy-of-a.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "ignored.docx").write_bytes(b"whatever")
    (folder / ".hidden.txt").write_text("secret")
    make_text_pdf(folder / "english.pdf", ["May 9, 2025\nACME announces a new lunar rover for science."])
    loaded = load_documents([folder, tmp_path / "missing.pdf"])
    sources = sorted(document.source for document in loaded.documents)
    assert sources == ["copy-of-a.pdf", "english.pdf"]  # the first of two equal files, in path order
    assert {failure.reason for failure in loaded.failures} >= {"no such file or folder"}
    assert any("binary" in failure.reason for failure in loaded.failures)
    assert [(duplicate.path.endswith("nested/a.pdf"), duplicate.same_as.endswith("copy-of-a.pdf"))
            for duplicate in loaded.duplicates] == [(True, True)]


def test_decode_text_rejects_nul_bytes():
    with pytest.raises(ValueError, match="binary"):
        decode_text(b"abc\x00def" * 10)


def test_per_file_time_limit(tmp_path):
    path = make_text_pdf(tmp_path / "slow.pdf", ["2025年5月9日\n長い文書です。"] * 30)
    with pytest.raises(DocumentError, match="longer than"):
        load_document(path, time_limit=0.0)
    assert load_document(path, time_limit=60).page_count == 30


def test_a_page_that_keeps_the_parser_busy_is_cut_off_and_the_build_goes_on(tmp_path):
    """One page that pypdf needs a minute or more for: a check between pages could
    not stop it; the reader process is killed at the limit and the next file loads."""
    slow = make_slow_pdf(tmp_path / "a-slow.pdf")
    make_text_pdf(tmp_path / "b-good.pdf", ["2025年5月9日\nこれは普通のリリースです。"])
    started = time.monotonic()
    loaded = load_documents([tmp_path], time_limit=1.0)
    elapsed = time.monotonic() - started
    assert [failure.path for failure in loaded.failures] == [str(slow)]
    assert "longer than 1 s" in loaded.failures[0].reason
    assert [document.source for document in loaded.documents] == ["b-good.pdf"]
    assert elapsed < 10, elapsed


def test_a_reader_process_that_dies_costs_only_its_file(tmp_path):
    slow = make_slow_pdf(tmp_path / "slow.pdf")
    good = make_text_pdf(tmp_path / "good.pdf", ["2025年5月9日\n普通のページ。"])
    with PdfReaderProcess() as reader:
        reader.read_pages(good, time_limit=30)  # starts the child
        threading.Timer(0.5, lambda: os.kill(reader._process.pid, signal.SIGKILL)).start()
        with pytest.raises(DocumentError, match="reader process stopped"):
            reader.read_pages(slow, time_limit=30)
        assert "普通のページ" in reader.read_pages(good, time_limit=30)[0]


def test_a_reader_process_that_cannot_start_is_a_per_file_message(tmp_path, monkeypatch):
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'no module named pypdf' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))
    good = make_text_pdf(tmp_path / "good.pdf", ["2025年5月9日\n普通のページ。"])
    loaded = load_documents([good], time_limit=30)
    assert loaded.failures[0].reason == "the PDF reader process could not start (exit code 3: no module named pypdf)"


def test_the_reader_process_exits_when_its_parent_is_killed(tmp_path):
    slow = make_slow_pdf(tmp_path / "slow.pdf")
    script = (
        "import sys, threading\n"
        "from qa.ingest.pdf_reader import PdfReaderProcess\n"
        "reader = PdfReaderProcess()\n"
        "reader._start('slow')\n"
        "print(reader._process.pid, flush=True)\n"
        "reader.read_pages(sys.argv[1], time_limit=600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(slow)], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    time.sleep(0.5)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.2)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_identical_pages_are_not_all_dropped_as_furniture(tmp_path):
    """Regression: repeated-line furniture removal emptied a PDF whose pages were identical."""
    document = load_document(make_text_pdf(tmp_path / "same.pdf", ["2025年5月9日\n同じ内容のページです。"] * 4))
    assert "同じ内容のページです。" in document.text and document.date == "2025-05-09"


def test_a_file_with_very_little_text_is_read_with_a_warning(tmp_path):
    """A new-user session added a file holding only "Hello" as a release, with no word said."""
    path = tmp_path / "tiny.txt"
    path.write_text("Hello\n", encoding="utf-8")
    document = load_document(path)
    assert document.text == "Hello" and any("very little text" in warning for warning in document.warnings)
    assert not load_document(SAMPLE_TXT).warnings


def test_a_headline_date_does_not_beat_the_dateline_the_file_name_agrees_with(tmp_path):
    """A new-user session: a release headlined "… Starbound Requiem for November 17, 2022"
    above "KYOTO, June 8, 2022 —" was dated 2022-11-17."""
    path = tmp_path / "2022-06-08-en-hibana-announce.md"
    path.write_text("# Hibana to Release Starbound Requiem for November 17, 2022\n\n"
                    "**KYOTO, June 8, 2022 —** Hibana Interactive Inc. today announced its new game.\n", encoding="utf-8")
    assert load_document(path).date == "2022-06-08"
    other = tmp_path / "release.md"
    other.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_document(other).date == "2022-11-17"  # no name to agree with: the first date
