"""A kanji name's Latin spellings read kanji by kanji (qa/search/kanji.py): a company no
dictionary lists is found in its English releases from a Japanese question."""

from __future__ import annotations

import qa
from qa.search import kanji


def test_readings_come_from_kanjidic_with_name_readings():
    assert "ハヤ" in kanji.readings("隼")  # a nanori, the reading of names
    assert "トモ" in kanji.readings("友") and "ユウ" in kanji.readings("友")
    assert kanji.without_long_vowels("ryuuhoku") == "ryuhoku" and kanji.without_long_vowels("koushou") == "kosho"


def test_only_spellings_the_index_holds_are_kept():
    held = {"hayatomo", "kaiun", "ryuhoku", "kosho", "minekaze"}.__contains__
    assert kanji.spellings("隼友海運の社長は誰ですか？", held) == ("hayatomo", "kaiun")
    assert kanji.spellings("龍北鋼商の売上高", held) == ("ryuhoku", "kosho")
    assert kanji.spellings("峰風ロボティクス", held) == ("minekaze",)  # 峰 みね + 風 かぜ
    assert kanji.spellings("社長は誰ですか", held) == ()
    assert kanji.spellings("隼", lambda word: True) == ()  # one kanji alone meets too many words


def test_a_japanese_question_finds_the_english_release_of_a_company_no_dictionary_lists(tmp_path):
    """隼友海運 is read ハヤブサ・ユミ by SudachiPy and is in no dictionary; its English
    release writes Hayatomo Kaiun. The question's translations and its subject's forms
    now hold "hayatomo", so the English profile is found and bound to the company. (Off by
    default: it cost precision, docs/quality.md.)"""
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "2021-12-10-ja-ferry.txt").write_text(
        "隼友海運、新造フェリーの就航日を決定\n2021年12月10日\n隼友海運株式会社は、新造フェリー「しまなみ翠」を"
        "2022年4月1日に就航させることを決定しました。\n", encoding="utf-8")
    (folder / "2026-01-20-en-contract.txt").write_text(
        "Hayatomo Kaiun Signs Electric Ferry Contract\nJanuary 20, 2026\nHayatomo Kaiun Co., Ltd. today signed a "
        "contract for an electric ferry.\nAbout Hayatomo Kaiun Co., Ltd.\nHayatomo Kaiun operates ferry routes in "
        "the Seto Inland Sea. Employees: 212 (as of December 31, 2025).\n", encoding="utf-8")
    (folder / "2024-03-01-en-other.txt").write_text(
        "Seto Marine Announces Results\nMarch 1, 2024\nSeto Marine Co., Ltd. operates ferry routes in the Seto "
        "Inland Sea. Employees: 540 (as of December 31, 2023).\n", encoding="utf-8")
    qa.build_index([folder], tmp_path / "index")
    index = qa.load_index(tmp_path / "index", settings=qa.Settings(kanji_readings=True))  # off by default (measured)
    question = "隼友海運の従業員数は何名ですか？"
    assert "hayatomo" in dict(index.read_question(question).translations)
    assert "hayatomo" in index.other_forms("隼友海運")
    for setting, expected in ((True, True), (False, False)):
        searched = qa.load_index(tmp_path / "index", settings=qa.Settings(kanji_readings=setting))
        lexical = {hit.source: hit.lexical_score for hit in searched.search(question, k=3)}
        assert (lexical["2026-01-20-en-contract.txt"] > lexical["2024-03-01-en-other.txt"]) == expected
    off = qa.load_index(tmp_path / "index", settings=qa.Settings(kanji_readings=False))
    assert "hayatomo" not in dict(off.read_question(question).translations)
