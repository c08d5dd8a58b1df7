"""Readings of Japanese names in English answers: people's names read as people's,
companies as companies, and no person's reading for a company (あおい宇宙 is not
"Sora Aoi"). The companies and people here are invented."""

from __future__ import annotations

import pytest

import qa
from qa.answer.readings import readings
from qa.search import dictionary

RELEASE = """2025年7月1日
あおい宇宙、小型月面探査機の打ち上げ日を決定
株式会社あおい宇宙(本社:東京都中央区、代表取締役:飯田聡)は本日、小型月面探査機「ルナホタル」の打ち上げを2026年3月に行うと発表しました。
あおい宇宙は、探査機の最終試験を2025年12月までに完了する予定です。
開発責任者の星野美穂は「月の南極で水を探します」と述べています。
"""


@pytest.fixture(scope="module")
def names():
    return dictionary.load()


@pytest.mark.parametrize("text", [
    "あおい宇宙は、探査機の最終試験を2025年12月までに完了する予定です。",  # a surname in kana: a company
    "青空宇宙は本日、新型衛星を発表しました。",  # 宇宙 is ウチュウ alone, ソラ only after a surname
    "飯田宇宙は本日、新型衛星を発表しました。",
])
def test_a_company_read_as_a_person_gets_no_reading(text, names):
    assert readings(text, names) == {}
    if text.startswith("あおい"):
        assert readings(text) == {}  # without the dictionary too


def test_a_company_marked_by_its_text_is_read_as_a_company(names):
    for text in ("株式会社あおい宇宙(本社:東京都中央区)は本日", "あおい宇宙株式会社は本日", "あおい宇宙(本社:東京都)は"):
        assert readings(text, names) == {"あおい宇宙": "Aoi Uchu"}, text
    assert readings("ひかり電機の佐藤太郎社長", names) == {"ひかり電機": "Hikari Denki", "佐藤太郎": "Taro Sato"}


def test_people_keep_their_readings_spelled_without_long_vowels(names):
    assert readings("開発責任者の星野美穂は述べています。", names) == {"星野美穂": "Miho Hoshino"}
    assert readings("創業者の松下幸之助が", names) == {"松下幸之助": "Konosuke Matsushita"}  # not JMnedict's Kounosuke
    assert readings("教授の山中伸弥は", names) == {"山中伸弥": "Shinya Yamanaka"}  # not Shin'ya
    assert readings("星野未来が登壇しました。", names) == {"星野未来": "Mirai Hoshino"}  # 未来 is ミライ either way
    assert readings("代表の大野聡は", names) == {"大野聡": "Satoshi Ono"}


def test_an_english_answer_shows_no_persons_reading_for_a_company(tmp_path, stating):
    (tmp_path / "2025-07-01-aoi.txt").write_text(RELEASE, encoding="utf-8")
    index = qa.build_index([tmp_path], tmp_path / "index", settings=qa.Settings())
    answer = index.answer("When will the final tests of the probe be completed?")
    assert "2025" in answer.text and "Sora" not in answer.text and "Readings: あおい宇宙" not in answer.text
    person = index.answer("Who leads the development at Aoi Uchu?", answerer=stating)  # stated, with its reading
    assert "星野美穂 (Miho Hoshino)" in person.text
