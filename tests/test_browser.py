"""The app in headless Chromium: ask, open a citation on its page, the document library,
and no script from a document ever runs."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import qa

from app_server import RunningApp
from conftest import SAMPLE_PDF, copy_index, make_text_pdf, shows_landing

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The README's screenshot is refreshed only on request (QA_UPDATE_SCREENSHOT=1).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver (make test installs them)"),
]

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    "<img src=x onerror=\"window.__pwned=1;alert(1)\">",
    "<iframe src=\"javascript:window.__pwned=1\"></iframe>",
    "[click me](javascript:window.__pwned=1)",
]


@pytest.fixture(scope="module")
def server(built_index_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    index_dir = copy_index(built_index_dir, root)
    hostile = "2025年8月1日\n攻撃テスト株式会社\n" + "".join(
        f"攻撃テスト株式会社の月面倉庫の名前は{payload}クレーターです。\n" for payload in PAYLOADS[:1]) + \
        "月面倉庫の扉の色は" + PAYLOADS[1] + "赤色です。\n月面倉庫の鍵は" + PAYLOADS[2] + PAYLOADS[3] + "金庫にあります。\n"
    (root / "hostile.txt").write_text(hostile, encoding="utf-8")
    qa.load_index(index_dir).add([root / "hostile.txt"])
    app = RunningApp(index_dir, root / "corpus")
    app.index_dir = index_dir
    yield app
    app.stop()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1400,1000", "--lang=en-US"):
        options.add_argument(argument)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _wait(driver, condition, timeout=60):
    """Wait until `condition` holds. An element Gradio re-renders between finding it and
    reading it (a streamed answer does this several times a second) is stale: the
    condition is simply tried again, as it is when the element is not there yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException)).until(condition)


def _open(driver, url):
    from selenium.webdriver.common.by import By

    driver.get(url)
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#question textarea"))


def _ask(driver, question, expect, timeout=60):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#question textarea"))
    answers = len(driver.find_elements(By.CSS_SELECTOR, "#chat .message-row, #chat .message"))
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    _wait(driver, lambda d: expect in d.find_element(By.ID, "chat").text and
          len(d.find_elements(By.CSS_SELECTOR, "#chat .message-row, #chat .message")) > answers, timeout)
    time.sleep(0.5)
    return driver.find_element(By.ID, "chat").text


def _value(driver, element_id):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f"#{element_id} textarea, #{element_id} input").get_attribute("value")


def _tab(driver, label):
    from selenium.webdriver.common.by import By

    _wait(driver, lambda d: [button for button in d.find_elements(By.CSS_SELECTOR, "button[role=tab]")
                             if label in button.text])[0].click()


def _page_image(driver):
    """The viewer's page image as a PIL image (fetched the way the browser did)."""
    from PIL import Image
    from selenium.webdriver.common.by import By

    source = _wait(driver, lambda d: [image.get_attribute("src") for image in
                                      d.find_elements(By.CSS_SELECTOR, "#viewer-page img") if image.is_displayed()])
    with urllib.request.urlopen(source[0], timeout=30) as response:
        return Image.open(io.BytesIO(response.read())).convert("RGB")


def _highlighted_share(image) -> float:
    import numpy as np

    pixels = np.asarray(image).reshape(-1, 3).astype(int)
    yellow = (pixels[:, 0] > 200) & (pixels[:, 1] > 160) & (pixels[:, 2] < 150)
    return float(yellow.mean())


def _shown(driver, element_id) -> bool:
    from selenium.webdriver.common.by import By

    return any(element.is_displayed() for element in driver.find_elements(By.ID, element_id))


def _lines_of_headers_and_short_values(driver) -> set[int]:
    """How many lines each header of the sources table, and each of its short values
    ([n] or "closest", page, date, rank), is drawn on."""
    return set(driver.execute_script("""
        const lines = (element) => {
            const range = document.createRange();
            range.selectNodeContents(element);
            return new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top))).size;
        };
        const cells = Array.from(document.querySelectorAll('#sources th span.header')).concat(
            Array.from(document.querySelectorAll('#sources [role=gridcell]'))
                .filter((cell) => ['0', '3', '4', '5'].includes(cell.getAttribute('data-col')))
                .map((cell) => cell.querySelector('span')));
        return cells.filter((span) => span && span.innerText.trim()).map(lines);
    """))


def _no_script_ran(driver):
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert driver.execute_script("return window.__pwned === undefined")


def _upload(driver, paths, finished):
    from selenium.webdriver.common.by import By

    _tab(driver, "Documents")
    field = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#upload input[type=file]"))
    field.send_keys("\n".join(str(path) for path in paths))
    _wait(driver, lambda d: all(Path(path).stem in d.find_element(By.ID, "upload").text for path in paths))
    driver.find_element(By.ID, "add").click()
    _wait(driver, lambda d: finished(d.find_element(By.ID, "outcomes").text), 180)
    return driver.find_element(By.ID, "outcomes").text


def test_clicking_a_citation_shows_its_page_with_the_quote_highlighted(server, browser):
    from selenium.webdriver.common.by import By

    _open(browser, server.url)
    chat = _ask(browser, "When does Mission 2 land?", "[1]")
    assert shows_landing(chat)
    assert _lines_of_headers_and_short_values(browser) == {1}  # no "pag e", no "clo ses t"
    _ask(browser, "月面倉庫の扉の色は何ですか？", "赤色")
    text_header = _value(browser, "viewer-header")
    assert "hostile.txt" in text_header and "| page" not in text_header  # a text file has no pages
    assert not any(_shown(browser, element) for element in ("next-page", "previous-page", "page-label"))
    first = browser.find_elements(By.CSS_SELECTOR, "#chat a.qa-cite")[0]  # [1] of the first answer
    first.click()
    _wait(browser, lambda d: SAMPLE_PDF.name in _value(d, "viewer-header"))
    assert _shown(browser, "next-page") and _shown(browser, "page-label")
    header = _value(browser, "viewer-header")
    shown = re.fullmatch(r"page ([1-4]) of 5", _value(browser, "page-label"))  # the quoted passage's first page
    assert shown, _value(browser, "page-label")
    page = int(shown.group(1))
    pages = re.search(r"\| page (\d)(?:-(\d))? \|", header)  # the passage's pages; the quote is on one of them
    assert pages and int(pages.group(1)) <= page <= int(pages.group(2) or pages.group(1)), header
    assert "2025-05-09" in header and "relevance rank" in header and "score" not in header
    assert _highlighted_share(_page_image(browser)) > 0.005
    assert "2025年6月6日" in browser.find_element(By.ID, "passage").text
    # the sources table follows the clicked citation's answer, so it and the viewer agree
    # (it kept the latest answer's sources: "[1] … hostile.txt … 2 of 5" beside the PDF's page)
    sources = browser.find_element(By.ID, "sources").text
    assert SAMPLE_PDF.name in sources and "hostile.txt" not in sources, sources
    assert "rank" in sources and "score" not in sources
    browser.find_element(By.ID, "next-page").click()
    _wait(browser, lambda d: _value(d, "page-label") == f"page {page + 1} of 5")
    browser.find_element(By.ID, "previous-page").click()
    _wait(browser, lambda d: _value(d, "page-label") == f"page {page} of 5")


def test_the_readme_screenshot_shows_a_fresh_clones_index(built_index_dir, browser, tmp_path):
    """docs/screenshot.png: the bundled corpus freshly indexed (what a fresh clone's
    `make chat` shows), one answer, its first citation on its page. Written to docs/
    only when QA_UPDATE_SCREENSHOT=1."""
    bundled = sorted((ROOT / "corpus").iterdir())
    assert [path.name for path in bundled] == [SAMPLE_PDF.name] and bundled[0].read_bytes() == SAMPLE_PDF.read_bytes()
    index_dir = copy_index(built_index_dir, tmp_path)  # built from exactly that file
    app = RunningApp(index_dir, ROOT / "corpus")
    folder = SCREENSHOTS if os.environ.get("QA_UPDATE_SCREENSHOT") else tmp_path
    browser.set_window_size(1400, 1900)  # tall enough for the boxed quote on the page
    try:
        _open(browser, app.url)
        assert _value(browser, "status").startswith("1 document(s)")
        _ask(browser, "When does Mission 2 land?", "[1]")
        _wait(browser, lambda d: re.fullmatch(r"page \d of 5", _value(d, "page-label")))
        time.sleep(1.5)
        browser.execute_script("window.scrollTo(0, 0)")
        assert browser.save_screenshot(str(folder / "screenshot.png"))
    finally:
        browser.set_window_size(1400, 1000)
        app.stop()
    assert (folder / "screenshot.png").stat().st_size > 10_000


def test_document_text_never_runs_as_script(server, browser):
    from selenium.webdriver.common.by import By

    _open(browser, server.url)
    _ask(browser, "月面倉庫の扉の色は何ですか？", "[1]")
    time.sleep(1)
    _no_script_ran(browser)
    shown = browser.find_element(By.ID, "chat").text + browser.find_element(By.ID, "passage").text
    assert "onerror" in shown  # shown as text
    everywhere = "#chat, #sources, #passage, #viewer-header, #documents"
    assert not browser.find_elements(By.CSS_SELECTOR, ", ".join(
        f"{place} img[src='x'], {place} iframe, {place} script" for place in everywhere.split(", ")))
    assert not browser.find_elements(By.CSS_SELECTOR, "#chat a[href^='javascript'], #passage a[href^='javascript']")
    for question in ("月面倉庫の名前は何ですか？", "月面倉庫の鍵はどこにありますか？"):
        _ask(browser, question, "リリース")
        time.sleep(0.5)
        _no_script_ran(browser)
        assert not browser.find_elements(By.CSS_SELECTOR, "#chat script, #passage script, #chat iframe")
    _tab(browser, "Documents")  # the release's title, with its <script>, in the table
    _wait(browser, lambda d: "hostile.txt" in d.find_element(By.ID, "documents").text)
    title = [document.title for document in qa.load_index(server.index_dir).documents()
             if document.name == "hostile.txt"][0]
    assert title[:30] in browser.find_element(By.ID, "documents").text.replace("\n", "")  # shown as text
    time.sleep(0.5)
    _no_script_ran(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "#documents script, #documents img, #documents iframe")


def test_examples_submit_when_clicked_and_clear_resets(server, browser):
    from selenium.webdriver.common.by import By

    _open(browser, server.url)
    examples = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#examples button.gallery-item"))
    examples[0].click()
    _wait(browser, lambda d: shows_landing(d.find_element(By.ID, "chat").text))
    browser.find_element(By.ID, "clear").click()
    _wait(browser, lambda d: not shows_landing(d.find_element(By.ID, "chat").text))
    assert _value(browser, "viewer-header") == "" and "[1]" not in browser.find_element(By.ID, "sources").text
    chat = _ask(browser, "여기서 무엇을 합니까?", "English and Japanese")
    assert "Korean" in chat


def test_library_add_two_list_remove_one_ask_the_other(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    garden = tmp_path / "lunar-garden.txt"
    garden.write_text("2025年9月1日\n月面農園株式会社\n月面農園株式会社は月面で育てる野菜の名前をルナトマトに決定しました。",
                      encoding="utf-8")
    hotel = make_text_pdf(tmp_path / "orbit-hotel.pdf", [
        "2025年10月1日\n軌道ホテル株式会社\n軌道ホテル株式会社は月周回ホテルの名前をルナリゾートに決定しました。",
        "2ページ目のお知らせです。"])
    _open(browser, server.url)
    started = time.monotonic()
    outcomes = _upload(browser, [garden, hotel], lambda text: text.count("added") == 2)
    print(f"upload of two documents to answerable: {time.monotonic() - started:.1f} s")
    table = browser.find_element(By.ID, "documents").text
    assert "lunar-garden.txt" in table and "orbit-hotel.pdf" in table and "2025-10-01" in table
    assert "updated" in _value(browser, "status")
    names = lambda: [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#documents [role=gridcell]")
                     if cell.get_attribute("data-col") == "1"]  # noqa: E731
    assert names()[-2:] == ["lunar-garden.txt", "orbit-hotel.pdf"]  # in the order they were added
    header = [cell for cell in browser.find_elements(By.CSS_SELECTOR, "#documents th[role=columnheader]")
              if cell.get_attribute("title") == "file"][0]
    browser.execute_script("arguments[0].click()", header.find_element(By.CSS_SELECTOR, "button.cell-menu-button"))
    _wait(browser, lambda d: [item for item in d.find_elements(By.CSS_SELECTOR, "[role=menu] button")
                              if item.text == "Sort descending"])[0].click()
    _wait(browser, lambda d: names() == sorted(names(), reverse=True))  # sortable
    cell = [element for element in browser.find_elements(By.CSS_SELECTOR, "#documents [role=gridcell]")
            if element.text.strip() == "lunar-garden.txt"][0]
    cell.click()
    _wait(browser, lambda d: _value(d, "remove-choice") == "lunar-garden.txt")
    browser.find_element(By.ID, "remove").click()
    _wait(browser, lambda d: d.switch_to.alert).accept()
    _wait(browser, lambda d: "removed: lunar-garden.txt" in _value(d, "library-message"))
    assert "lunar-garden.txt" not in browser.find_element(By.ID, "documents").text
    _tab(browser, "Ask")
    chat = _ask(browser, "月周回ホテルの名前は何ですか？", "ルナリゾート")
    browser.find_elements(By.CSS_SELECTOR, "#chat a.qa-cite")[-1].click()
    _wait(browser, lambda d: "orbit-hotel.pdf" in _value(d, "viewer-header"))
    assert _value(browser, "page-label") == "page 1 of 2"
    assert _highlighted_share(_page_image(browser)) > 0.001
    assert "ルナリゾート" in chat
    assert "ルナトマト" not in _ask(browser, "月面で育てる野菜の名前は？", "[")


def test_an_upload_shows_each_files_progress_on_its_row_and_no_overlay(server, browser, tmp_path):
    """A many-page PDF and a .txt: the per-file table is the one progress display;
    each row counts its own file's pages, then its sentences, then says its outcome;
    no progress overlay covers the Documents tab."""
    from selenium.webdriver.common.by import By

    pages = [f"2025年12月{1 + number % 28}日\n深宇宙通信株式会社\n深宇宙通信株式会社の{number}番目の中継局は"
             f"月の裏側の第{number}クレーターに置かれ、毎秒{number + 10}メガビットで地球と交信します。" +
             "中継局は太陽電池と蓄電池で動き、夜の間も止まらずに交信を続ける予定です。" * 6 for number in range(60)]
    manual = make_text_pdf(tmp_path / "relay-stations.pdf", pages)
    notes = tmp_path / "relay-notes.txt"
    notes.write_text("2025年12月2日\n深宇宙通信株式会社\n深宇宙通信株式会社の中継局の愛称はリレーボックスです。",
                     encoding="utf-8")
    _open(browser, server.url)
    _tab(browser, "Documents")
    field = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#upload input[type=file]"))
    field.send_keys(f"{manual}\n{notes}")
    _wait(browser, lambda d: "relay-notes" in d.find_element(By.ID, "upload").text)
    browser.find_element(By.ID, "add").click()
    seen, overlays = [], 0
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        rows, shown = browser.execute_script("""
            const rows = Array.from(document.querySelectorAll('#outcomes [role=row]')).map((row) =>
                Array.from(row.querySelectorAll('[role=gridcell]')).map((cell) => cell.innerText.trim()));
            const trackers = Array.from(document.querySelectorAll(
                '#documents-tab [data-testid=status-tracker]')).filter((tracker) =>
                !tracker.classList.contains('hide') && tracker.getBoundingClientRect().height > 0 &&
                (tracker.querySelector('.progress-text, .eta-bar, .progress-bar, .loader, .progress-level') ||
                 tracker.innerText.trim()));
            return [rows.filter((row) => row.length === 3), trackers.length];
        """)
        overlays += shown
        if rows and (not seen or rows != seen[-1]):
            seen.append(rows)
        if rows and all(row[1] in ("added", "duplicate", "rejected", "conflict") for row in rows):
            break
        time.sleep(0.05)
    assert overlays == 0  # no Gradio progress overlay anywhere on the tab
    states = {name: [tuple(row[1:]) for rows in seen for row in rows if row[0] == name]
              for name in ("relay-stations.pdf", "relay-notes.txt")}
    pdf, text = states["relay-stations.pdf"], states["relay-notes.txt"]
    assert pdf[-1][0] == "added" and text[-1][0] == "added", seen
    reading = [detail for stage, detail in pdf if stage == "reading…"]
    assert reading and all(detail.endswith("/60 pages") for detail in reading), pdf  # its own pages
    assert any(stage == "embedding…" for stage, _ in pdf), pdf
    assert all("pages" not in detail for _, detail in text), text  # never the PDF's (or the upload's) count
    order = ["waiting", "reading…", "read", "embedding…", "embedded", "added"]
    for states_of_one in (pdf, text):
        ranks = [order.index(stage) for stage, _ in states_of_one if stage in order]
        assert ranks == sorted(ranks), states_of_one
    while_the_pdf_embeds = [rows for rows in seen if rows[0][1] == "embedding…"]
    assert all(rows[1][1] == "read" for rows in while_the_pdf_embeds), while_the_pdf_embeds


def test_duplicate_and_junk_uploads_are_reported(server, browser, tmp_path):
    duplicate = tmp_path / "same-as-sample.pdf"
    shutil.copy(SAMPLE_PDF, duplicate)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 not really a pdf" + bytes(range(256)))
    _open(browser, server.url)
    outcomes = _upload(browser, [duplicate, junk], lambda text: "duplicate" in text and "rejected" in text)
    assert f"already indexed as {SAMPLE_PDF.name}" in outcomes and "junk.pdf" in outcomes
    assert "same-as-sample.pdf" not in {document.name for document in qa.load_index(server.index_dir).documents()}


def test_the_app_notices_an_index_published_by_qa_add(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    release = tmp_path / "from-the-terminal.txt"
    release.write_text("2025年11月1日\n端末テスト株式会社\n端末テスト株式会社の新しい探査機の名前はターミナル号です。",
                       encoding="utf-8")
    _open(browser, server.url)
    _tab(browser, "Documents")
    subprocess.run([str(Path(sys.executable).with_name("qa")), "add", str(release), "--index", str(server.index_dir),
                    "-q"], check=True, capture_output=True)
    _wait(browser, lambda d: "from-the-terminal.txt" in d.find_element(By.ID, "documents").text, 30)
    assert "by another process" in _value(browser, "status")
    _tab(browser, "Ask")
    assert "ターミナル号" in _ask(browser, "新しい探査機の名前は何ですか？", "ターミナル号")


def test_a_language_model_answer_streams_in_checked_sentence_by_sentence(built_index_dir, browser, tmp_path):
    """The app with --llm: the draft shows while the model writes (facts hidden until
    checked), then the checked answer, who wrote it, the note; the status line says
    which answerer is in use; the model's markup never runs."""
    from selenium.webdriver.common.by import By

    from fake_llm import FakeLLM, Reply

    index_dir = copy_index(built_index_dir, tmp_path)
    text = ("Mission 2 is scheduled to land on the Moon on June 6, 2025 at the earliest [1]. "
            "The lander will carry 4 rovers [1]. <img src=x onerror=\"window.__pwned=1\"> It launched on "
            "January 15, 2025 [1].")
    with FakeLLM(Reply(text, piece=2, piece_delay=0.08)) as model:
        app = RunningApp(index_dir, tmp_path / "corpus", "--llm", model.url, "--llm-model", "fake-model")
        try:
            _open(browser, app.url)
            assert "answers: fake-model at " + model.url in _value(browser, "status")
            box = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#question textarea"))
            box.send_keys("When does Mission 2 land?\n")
            pending = _wait(browser, lambda d: [element.text for element in
                                                d.find_elements(By.CSS_SELECTOR, "#chat .qa-pending")
                                                if element.text.strip(" …")], 60)
            assert not any(character.isdigit() for character in pending[0])  # unchecked facts are hidden
            _wait(browser, lambda d: "Written by fake-model" in d.find_element(By.ID, "chat").text, 60)
            shown = browser.find_element(By.ID, "chat").text
            assert "June 6, 2025" in shown and "January 15, 2025" in shown and "4 rovers" not in shown
            assert "dropped by the check" in shown and not browser.find_elements(By.CSS_SELECTOR, "#chat .qa-pending")
            _no_script_ran(browser)
        finally:
            app.stop()
