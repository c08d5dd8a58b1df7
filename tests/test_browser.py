"""The app in headless Chromium: ask, read the citation, upload, and no script runs."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import qa

from app_server import RunningApp
from conftest import SAMPLE_PDF

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# The README's screenshot is refreshed only on request (QA_UPDATE_SCREENSHOT=1).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs"

pytestmark = [
    pytest.mark.browser,
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
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE_PDF, corpus / SAMPLE_PDF.name)
    hostile = "2025年8月1日\n攻撃テスト株式会社\n" + "".join(
        f"攻撃テスト株式会社の月面倉庫の名前は{payload}クレーターです。\n" for payload in PAYLOADS[:1]) + \
        "月面倉庫の扉の色は" + PAYLOADS[1] + "赤色です。\n月面倉庫の鍵は" + PAYLOADS[2] + PAYLOADS[3] + "金庫にあります。\n"
    (corpus / "hostile.txt").write_text(hostile, encoding="utf-8")
    index_dir = root / "index"
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    app = RunningApp(index_dir, corpus)
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


def _ask(driver, url, question, expect, timeout=60):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    box = WebDriverWait(driver, timeout).until(
        expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, timeout).until(lambda d: expect in d.find_element(By.ID, "chat").text)
    return driver.find_element(By.ID, "chat").text


def _no_script_ran(driver):
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert driver.execute_script("return window.__pwned === undefined")


def test_question_shows_answer_citation_and_highlighted_source(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    chat = _ask(browser, server.url, "When does Mission 2 land?", "[1]")
    assert "June 6, 2025" in chat
    sources = browser.find_element(By.ID, "sources")
    assert "ispace-2025-05-09-thermal-mining.pdf | page 1" in sources.text
    highlighted = sources.find_elements(By.CSS_SELECTOR, ".highlighted")
    assert highlighted and highlighted[0].is_displayed()
    assert "2025年6月6日" in highlighted[0].text and "[1]" in highlighted[0].text
    folder = SCREENSHOTS if os.environ.get("QA_UPDATE_SCREENSHOT") else tmp_path
    folder.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(folder / "screenshot.png"))
    assert (folder / "screenshot.png").stat().st_size > 10_000


def test_document_text_never_runs_as_script(server, browser):
    from selenium.webdriver.common.by import By

    chat = _ask(browser, server.url, "月面倉庫の扉の色は何ですか？", "[1]")
    time.sleep(1)
    _no_script_ran(browser)
    page_text = browser.find_element(By.ID, "chat").text + browser.find_element(By.ID, "sources").text
    assert "onerror" in page_text  # shown as text
    assert not browser.find_elements(By.CSS_SELECTOR, "#chat img[src='x'], #sources img, #chat iframe, #sources iframe")
    assert not browser.find_elements(By.CSS_SELECTOR, "#chat a[href^='javascript'], #sources a[href^='javascript']")
    for question in ("月面倉庫の名前は何ですか？", "月面倉庫の鍵はどこにありますか？"):
        _ask(browser, server.url, question, "リリース")
        time.sleep(0.5)
        _no_script_ran(browser)
        assert not browser.find_elements(By.CSS_SELECTOR, "#chat script, #sources script, #chat iframe")
    assert chat


def test_upload_a_release_then_ask_about_it(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    release = tmp_path / "lunar-garden.txt"
    release.write_text("2025年9月1日\n月面農園株式会社\n月面農園株式会社は月面で育てる野菜の名前をルナトマトに決定しました。",
                       encoding="utf-8")
    browser.get(server.url)
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#question textarea"))
    for button in browser.find_elements(By.CSS_SELECTOR, "button"):
        if "Add releases" in button.text:
            button.click()
            break
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#upload input[type=file]"))
    browser.find_element(By.CSS_SELECTOR, "#upload input[type=file]").send_keys(str(release))
    WebDriverWait(browser, 60).until(lambda d: "lunar-garden" in d.find_element(By.ID, "upload").text)
    browser.find_element(By.ID, "add").click()
    WebDriverWait(browser, 180).until(
        lambda d: "Added" in (d.find_element(By.CSS_SELECTOR, "#upload-result textarea").get_attribute("value") or ""))
    status = browser.find_element(By.CSS_SELECTOR, "#status textarea").get_attribute("value")
    assert "3 document(s)" in status
    chat = _ask(browser, server.url, "月面で育てる野菜の名前は？", "[1]")
    assert "ルナトマト" in chat
    assert "lunar-garden.txt" in browser.find_element(By.ID, "sources").text
