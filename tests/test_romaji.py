"""Romaji names reach Japanese text: "Takasago" finds 高砂."""

from __future__ import annotations

from qa.search.romaji import _SINGLE, hepburn, spelling_key, spelling_table


def test_hepburn_readings():
    assert len(_SINGLE) == 81
    assert [hepburn(reading) for reading in ("タカサゴ", "ハカマダ", "ミツビシ", "キョウト", "ニッポン", "マッチャ", "シンバシ")] == \
        ["takasago", "hakamada", "mitsubishi", "kyouto", "nippon", "matcha", "shinbashi"]
    assert hepburn("ABC") == "" and hepburn("コーヒー") == "koohii"


def test_spelling_keys_fold_the_usual_variants():
    assert spelling_key("Kyoto") == spelling_key(hepburn("キョウト"))
    assert spelling_key("Itoh") == spelling_key("Ito") == spelling_key(hepburn("イトウ"))
    assert spelling_key("Ohno") == spelling_key("Ono") == spelling_key("Oono")
    assert spelling_key("Shimbashi") == spelling_key(hepburn("シンバシ"))
    assert spelling_key("Kōbe") == spelling_key("Kobe")


def test_spelling_table_keeps_only_long_readings():
    readings = {"高砂": "タカサゴ", "都": "ト", "ispace": "アイスペース", "鹿島": "カジマ"}
    table = spelling_table(readings, readings.get)
    assert table == {"takasago": ("高砂",), "kajima": ("鹿島",)}


def test_romaji_names_in_questions_find_the_japanese_words(sample_index, stating):
    assert sample_index.lexical.japanese_for("Takasago") == ("高砂",)
    assert sample_index.lexical.japanese_for("Hakamada") == ("袴田",)
    assert sample_index.lexical.japanese_for("ispace") == ()  # known as written
    assert sample_index.lexical.japanese_for("Mitsubishi") == ()
    top = sample_index.search("Takasago", k=1)[0]
    assert "高砂" in top.text
    answer = sample_index.answer("Who is the president of Takasago?", answerer=stating)
    assert answer.found and answer.text.startswith("小島和人 ("), answer.text  # with its reading
