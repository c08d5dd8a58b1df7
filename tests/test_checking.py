"""The claim checker on hand-written model outputs (no model, no index: passages
written here, the real dictionary)."""

from __future__ import annotations

import pytest

from qa.answer.checking import Checker
from qa.answer.sentences import split_finished
from qa.answer.claims import find_claims, mask
from qa.records import Hit
from qa.search import dictionary

JAPANESE = ("株式会社ルナテック(東京都中央区、代表取締役:袴田武史)は、本日、月面ローバーの開発契約を締結しました。"
            "ミッション2の月面着陸は最短で2025年6月6日を予定しています。約300名のスタッフが在籍し、"
            "調達額は50億円です。地球から約140万km離れた地点で試験を行いました。")
ENGLISH = ("Lunatech Inc. said on Friday that its Mission 3 lander will launch in 2026. The company raised "
           "$12 million from three investors. Chief Executive Officer Kazuhito Kojima signed the contract on "
           "June 20, 2025.")


def hit(text: str, date: str, language: str, chunk: str) -> Hit:
    return Hit(chunk_id=chunk, text=text, source=f"{chunk}.txt", page=1, pages=(1,), title=f"release {chunk}",
               doc_date=date, score=1.0, start=0, end=len(text), language=language)


@pytest.fixture(scope="module")
def checker() -> Checker:
    passages = [hit(JAPANESE, "2025-05-09", "ja", "a"), hit(ENGLISH, "2025-06-21", "en", "b")]
    return Checker(passages, dictionary=dictionary.load())


def quoted(checker: Checker, verdict) -> list[str]:
    return [checker.passages[number - 1].text[start:end] for number, start, end in verdict.quotes]


def test_right_citation_passes_and_quotes_the_sentence_that_holds_the_fact(checker):
    verdict = checker.check("Mission 2 will land on the Moon on June 6, 2025 at the earliest [1].")
    assert verdict.ok and verdict.cited == (1,)
    assert quoted(checker, verdict) == ["ミッション2の月面着陸は最短で2025年6月6日を予定しています。"]
    for number, start, end in verdict.quotes:  # a verbatim span of the passage
        assert checker.passages[number - 1].text[start:end] in checker.passages[number - 1].text


def test_a_wrong_number_is_caught(checker):
    verdict = checker.check("Lunatech has about 400 staff [1].")
    assert not verdict.ok and verdict.problem == "number" and "400" in verdict.detail
    assert checker.check("Lunatech has about 300 staff [1].").ok


def assert_verdict(checker, sentence: str, ok: bool, problem: str) -> None:
    """The check keeps `sentence` or not as `ok` says, and names `problem` when not."""
    verdict = checker.check(sentence)
    assert verdict.ok is ok, verdict.detail
    if not ok:
        assert verdict.problem == problem


@pytest.mark.parametrize("sentence, ok", [
    ("ミッション2の着陸は2025年6月6日の予定です[1]。", True),     # the passage's own form
    ("ミッション3の契約は2025年6月20日に署名されました[2]。", True),  # Japanese form, English passage
    ("The landing is planned for 2025-06-06 [1].", True),
    ("The contract was signed on 20 June 2025 [2].", True),
    ("The contract was signed in June 2025 [2].", True),
    ("ミッション3の契約は2025年6月21日に署名されました[2]。", True),  # the release date of [2] counts
    ("ミッション3の契約は2025年6月22日に署名されました[2]。", False),
    ("Mission 2 will land on June 7, 2025 [1].", False),
    ("Mission 2 will land in July [1].", False),
])
def test_dates_are_compared_as_dates_in_either_language(checker, sentence, ok):
    assert_verdict(checker, sentence, ok, "date")


def test_a_sentence_without_a_citation_is_dropped(checker):
    verdict = checker.check("Mission 2 will land on June 6, 2025.")
    assert not verdict.ok and verdict.problem == "uncited"


def test_a_citation_to_a_passage_that_does_not_exist_is_dropped(checker):
    verdict = checker.check("Mission 2 will land on June 6, 2025 [3].")
    assert not verdict.ok and verdict.problem == "no passage"
    assert not checker.check("Mission 2 will land on June 6, 2025 [1][9].").ok


@pytest.mark.parametrize("sentence, ok", [
    ("Lunatech raised 5 billion yen [1].", True),           # 50億円
    ("Lunatech raised 5 billion dollars [1].", False),      # the passage's amount is in yen
    ("ルナテックは1,200万ドルを調達しました[2]。", True),        # $12 million
    ("ルナテックは1,300万ドルを調達しました[2]。", False),
    ("The test ran about 1.4 million km from Earth [1].", True),  # 約140万km
    ("Three investors took part [2].", True),
    ("Four investors took part [2].", False),
])
def test_amounts_and_numbers_in_any_notation(checker, sentence, ok):
    assert checker.check(sentence).ok is ok


@pytest.mark.parametrize("sentence, ok", [
    ("Lunatech's CEO is Takeshi Hakamada [1].", True),       # 袴田武史
    ("Lunatech is headquartered in Chuo, Tokyo [1].", True),  # 東京都中央区
    ("The contract was signed by Kazuhito Kojima [2].", True),
    ("代表取締役は小島和人です[2]。", True),                      # Kazuhito Kojima, in kanji
    ("The contract was signed with Mitsubishi Electric [1].", False),
    ("代表取締役は山田太郎です[1]。", False),
])
def test_names_across_languages(checker, sentence, ok):
    assert_verdict(checker, sentence, ok, "name")


def test_a_claim_must_be_in_a_passage_the_sentence_cites(checker):
    verdict = checker.check("Mission 3 will launch in 2026 [1].")  # Mission 3 and 2026 are in [2], not [1]
    assert not verdict.ok and verdict.problem in ("number", "date")
    both = checker.check("Mission 3 will launch in 2026 [1][2].")
    assert both.ok and [number for number, _, _ in both.quotes] == [2]  # only the passage that holds it


def test_refusals_and_sentences_with_nothing_to_check(checker):
    assert checker.check("The releases do not say.").refusal
    assert checker.check("リリースには記載がありません。").refusal
    said = checker.check("The releases do not say when Mission 9 lands in 2031.")
    assert not said.ok  # a refusal that states something still needs its citation
    assert checker.check("Lunatech signed a development contract for a lunar rover [1].").ok
    assert checker.check("Bananas are yellow and tasty [1].").problem == "unrelated"


def test_split_finished_waits_for_the_marker_after_a_full_stop():
    assert split_finished("It lands in 2026. [1] Then it") == (["It lands in 2026. [1]"], " Then it")
    assert split_finished("It lands in 2026.") == ([], "It lands in 2026.")
    assert split_finished("It lands in 2026. [") == ([], "It lands in 2026. [")
    assert split_finished("It lands in 2026.", final=True) == (["It lands in 2026."], "")
    assert split_finished("Lunatech Inc. covers 1.4 million km [1]. Next", final=True)[0] == \
        ["Lunatech Inc. covers 1.4 million km [1].", "Next"]
    assert split_finished("着陸は2025年6月6日です[1]。打ち上げは") == (["着陸は2025年6月6日です[1]。"], "打ち上げは")
    assert split_finished("1. Mission 2 lands [1].\n2. Mission 3") == (["1. Mission 2 lands [1]."], "2. Mission 3")


def test_mask_hides_every_claim_of_an_unchecked_sentence():
    shown = mask("Takeshi Hakamada said Mission 2 lands on June 6, 2025 with 300 staff and 50億円")
    assert not any(character.isdigit() for character in shown)
    assert "Hakamada" not in shown and "June" not in shown and "said" in shown
    assert {claim.kind for claim in find_claims("2025年6月6日に約140万kmを飛行した袴田武史")} == {"date", "number", "name"}


# --- issue 19: every number on its own, names across scripts, the question's words ---------

FUNDING = ("株式会社ソラミチ(本社:札幌市、代表取締役:袴田武史)は、シリーズBで9百万米ドル(約13.2億円)を調達しました。"
           "ミッション6の準備を進めており、最終選考に残った5チームの1つです。買収総額は4兆2000億円、1株あたり2万800円で、"
           "従業員は1万3000人です。打ち上げは2025年6月6日16時38分の予定です。最高技術責任者はカーバー氏です。")
PARTNER = ("Kitaboshi Systems (北星システムズ) named Laura Mendes its Chief Financial Officer. The Kestrel 9 rocket "
           "carried the lander; Kitaboshi holds a 9.1% stake.")
PLACES = "着陸地点は危機の海(Mare Crisium)です。"


@pytest.fixture(scope="module")
def strict() -> Checker:
    passages = [hit(FUNDING, "2025-05-09", "ja", "f"), hit(PARTNER, "2025-06-21", "en", "p"),
                hit(PLACES, "2025-06-21", "ja", "m"), hit("フライト1は危機の海に着陸しました。", "2025-06-22", "ja", "l")]
    return Checker(passages, dictionary=dictionary.load(), question="How much did Sorami raise in its 2025 Series B?")


@pytest.mark.parametrize("sentence, ok", [
    ("ソラミチは9百万米ドル(約13.2億円)を調達しました[1]。", True),
    ("ソラミチは7百万米ドル(約13.2億円)を調達しました[1]。", False),  # the yen amount does not vouch for it
    ("Sorami raised 9 million dollars [1].", True),
    ("Sorami raised 9 million yen [1].", False),                       # the passage's 9 million are dollars
    ("It was one of five finalist teams [1].", True),                  # 5チーム
    ("It was one of six finalists [1].", False),                       # 6 is only a label and a date here
    ("The deal is worth 4.2 trillion yen, 20,800 yen a share [1].", True),
    ("The company has 13,000 employees [1].", True),                   # 1万3000人
    ("The company has 13,000 shares [1].", False),                     # people, not shares
    ("The launch is set for 4:38 p.m. on June 6, 2025 [1].", True),    # 16時38分
    ("The launch is set for 4:48 p.m. on June 6, 2025 [1].", False),
    ("Kitaboshi holds 9.1 percent of it [2].", True),
    ("Kitaboshi holds 9.1 billion yen of it [2].", False),
])
def test_every_number_on_its_own(strict, sentence, ok):
    assert_verdict(strict, sentence, ok, "number")


@pytest.mark.parametrize("sentence, ok", [
    ("The CEO is Takeshi Hakamada [1].", True),
    ("The CEO is Takeshi Hamada [1].", False),         # JMnedict lists 袴田 as Hamada too; the passage reads ハカマダ
    ("The CEO is Hiroshi Hakamada [1].", False),       # no whole word of the passage is Hiroshi (広 of 広げ is not)
    ("The CTO is Mr. Carver [1].", True),              # カーバー, by sound
    ("The CTO is Mr. Cabot [1].", False),
    ("北星システムズのCFOはローラ・メンデス氏です[2]。", True),  # katakana for Laura Mendes; CFO: Chief Financial Officer
    ("北星システムズのCFOはローラ・メンドーサ氏です[2]。", False),
    ("The lander landed on Mare Crisium [4].", True),  # [3] pairs 危機の海 with Mare Crisium
    ("The Kestrel Heavy rocket carried the lander [2].", False),  # the passage writes the name: Kestrel 9
    ("本社は札幌市です[1]。", True),
    ("本社は札川市です[1]。", False),
    ("同社はブライトラインの1社です[1]。", False),     # a katakana name the dictionary does not know, not in the passage
])
def test_names_across_scripts(strict, sentence, ok):
    assert_verdict(strict, sentence, ok, "name")


def test_a_name_or_figure_of_the_question_does_not_sink_the_sentence(strict):
    assert strict.check("In its 2025 Series B, Sorami raised 9 million dollars [1].").ok  # Sorami: the question's
    verdict = strict.check("Sorami raised money in 2025 [1].")  # the release date gives 2025: fine either way
    assert verdict.ok
    said_back = Checker(strict.passages, dictionary=strict.dictionary, question="Did Sorami raise $50 million in 2024?")
    verdict = said_back.check("Sorami raised $50 million in 2024 [1].")  # only the question's premise, said back
    assert not verdict.ok and verdict.problem in ("number", "date")


def test_japanese_names_the_reader_does_not_tag_are_claims_too():
    names = lambda text: [claim.text for claim in find_claims(text) if claim.kind == "name"]  # noqa: E731
    assert names("取引銀行は三林住友銀行です") == ["三林住友"]          # 三 and 林 glued to 住友: one name
    assert names("社長の小島和夫氏が述べた") == ["小島和夫"]              # 氏 is not part of it
    assert "アストロボティクス" in names("アストロボティクスが月面で試験した")  # a katakana word SudachiPy does not know
    assert "ソカ・コーラ" in names("顧客にはソカ・コーラがある")          # katakana words joined by ・
