"""Unit tests of search's parts: time frames, the dictionary, translation, calibration."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from qa.search import dictionary
from qa.search.dense import DenseScorer
from qa.search.fusion import reciprocal_rank_fusion
from qa.search.timeframe import TimeFrame, allowed_dates, day_numbers, read_timeframe, time_ranking, without_time
from qa.search.quantities import quantities


@pytest.mark.parametrize("question, kind, start, end", [
    ("As of December 7, 2022, when was the landing scheduled?", "as_of", "2022-12-07", "2022-12-07"),
    ("2021年6月時点で、ミッション2の打ち上げは何年の予定でしたか？", "as_of", "2021-06-01", "2021-06-30"),
    ("What was announced in June 2021?", "during", "2021-06-01", "2021-06-30"),
    ("according to the September 2025 report", "during", "2025-09-01", "2025-09-30"),
    ("2022年7月のシンジケートローンの銀行は？", "during", "2022-07-01", "2022-07-31"),
    ("Before 2023, when was Mission 2 planned?", "before", "2023-01-01", "2023-12-31"),
    ("What is the latest cause of the failure?", "latest", None, None),
    ("ミッション1の最新の状況は？", "latest", None, None),
    ("現在の従業員数は？", "latest", None, None),
    # where a state begins: what holds since then is what the newest release says
    ("Who has been the company's president since April 2022?", "latest", None, None),
    ("2026年3月26日以降、代表取締役社長に就く予定なのは誰ですか？", "latest", None, None),
    ("2023年1月から子会社の社長を務めているのは誰ですか？", "latest", None, None),
    ("What changed from April 2022 onwards?", "latest", None, None),
    ("2022年4月から何を始めましたか？", "during", "2022-04-01", "2022-04-30"),  # an event's start, not a state
    ("Sales from April 2022 to March 2023?", "during", "2022-04-01", "2022-04-30"),
])
def test_time_frames(question, kind, start, end):
    frame = read_timeframe(question)
    assert frame.kind == kind
    if start:
        assert frame.start == datetime.date.fromisoformat(start) and frame.end == datetime.date.fromisoformat(end)


@pytest.mark.parametrize("question", [
    "2025年3月期の売上高はいくらですか？",                        # a fiscal period is no release date
    "What was revenue in the fiscal year ending March 2025?",
    "What were net sales for the fiscal year ended March 2021?",   # results come out in May, not March
    "What net income did it expect for the year ending March 2024?",
    "What revenue did it record in its fiscal year to June 2022?",
    "What were its net sales for the fiscal year ended March 31, 2019?",
    "What was operating income in FY2025/3?",
    "What was the last launch date announced before the landing?",  # "last ... before X" is not "latest"
    "How much did 2,023 shares cost?",
])
def test_no_time_frame(question):
    assert not read_timeframe(question)


def test_a_fiscal_period_is_written_as_the_other_language_writes_it():
    from qa.search.periods import fiscal_periods, in_other_language

    assert in_other_language("What were net sales for the fiscal year ended June 2025?", "en") == ["2025年6月期"]
    assert in_other_language("the year to March 2023, FY3/2024 and FY2025/3", "en") == \
        ["2023年3月期", "2024年3月期", "2025年3月期"]
    assert in_other_language("What was revenue in fiscal 2024?", "en") == ["2024年度"]  # no month is guessed
    assert in_other_language("2025年3月期と25年12月期の売上高", "ja") == \
        ["fiscal year ended March 2025", "fiscal year ended December 2025"]
    assert in_other_language("2024年度の旅客数", "ja") == ["fiscal 2024", "FY2024"]
    assert fiscal_periods("2022年4月に発表した") == [] and fiscal_periods("in June 2025") == []
    assert in_other_language("2025年13月期", "ja") == []


def test_a_fiscal_period_stays_a_word_of_the_question(sample_index):
    """"The fiscal year ended March 2021" once set a frame of March 2021 and left the
    search: the results came out in May, and 2021年3月期 in a Japanese release was not met."""
    question = sample_index.read_question("What were net sales for the fiscal year ended March 2021?")
    assert not question.timeframe
    assert "2021年3月期" in question.embedded and "march" in question.tokens
    assert "3" in {token for token, _ in question.translations}  # the month, as 2021年3月期 writes it


def test_dates_leave_the_text_that_is_searched():
    assert without_time("As of December 7, 2022, when was the landing scheduled?") == "when was the landing scheduled?"
    assert without_time("2021年6月時点で、ミッション2の打ち上げは何年の予定でしたか？") == "ミッション2の打ち上げは何年の予定でしたか？"


def test_frames_admit_and_order_releases():
    dates = ["2021-06-08", "2022-12-07", None, "2023-04-12"]
    days = day_numbers(dates)
    as_of = TimeFrame("as_of", datetime.date(2022, 12, 1), datetime.date(2022, 12, 31))
    assert allowed_dates(as_of, days).tolist() == [True, True, True, False]
    assert allowed_dates(TimeFrame("latest"), days) is None
    assert time_ranking(TimeFrame("latest"), [0, 1, 2, 3], dates) == [[3], [1], [0]]
    assert time_ranking(as_of, [0, 1, 3], dates)[0] == [1]
    during = TimeFrame("during", datetime.date(2021, 6, 1), datetime.date(2021, 6, 30))
    assert time_ranking(during, [0, 1, 3], dates)[0] == [0]


def test_fusion_counts_tiers_as_one_rank():
    fused = reciprocal_rank_fusion([([[1], [2]], 1.0), ([[2, 3]], 1.0)], k=10)
    assert fused[2] > fused[1] == fused[3] == pytest.approx(1 / 11)


def test_dictionary_both_ways():
    found = dictionary.load()
    if found is None:
        pytest.skip("jamdict-data is not installed")
    assert "landing" in found.english("着陸")
    assert "着陸" in dict(found.japanese("landing"))
    assert "超純水" in dict(found.japanese("ultrapure water"))
    assert "Hakamada" in found.romanizations("袴田") and "三菱" in found.name_forms("Mitsubishi")


def test_calibration_compares_passages_across_languages():
    """English passages score higher for an English question whatever they say; after
    calibration the Japanese passage that answers ranks first."""
    generator = np.random.default_rng(0)
    english, japanese, topic = np.eye(16)[:3]  # a direction per language, one for the topic
    query = english + 0.3 * topic
    rows = [english + 0.1 * generator.standard_normal(16) for _ in range(10)]
    rows += [japanese + 0.1 * generator.standard_normal(16) for _ in range(9)] + [japanese + 1.5 * topic]
    sentences = np.array([row / np.linalg.norm(row) for row in rows], dtype=np.float32)
    query = (query / np.linalg.norm(query)).astype(np.float32)
    scorer = DenseScorer(sentences, sentences, np.arange(20), np.arange(1, 21), np.array(["en"] * 10 + ["ja"] * 10))
    raw, _, _ = scorer.search(query, depth=20, calibrate=False)
    calibrated, _, baselines = scorer.search(query, depth=20)
    assert max(raw, key=raw.get) < 10 and max(calibrated, key=calibrated.get) == 19
    assert set(baselines) == {"en", "ja"}


def test_quantities_meet_across_notations():
    assert quantities("about 1.4 million km") & quantities("約140万km")
    assert quantities("総額約38.8億円") == quantities("3,880,000,000 yen") == quantities("3.88 billion")
    assert not quantities("in 2023, Mission 2")


def test_ranking_of_many_scores_equals_a_full_stable_sort():
    from qa.search.fusion import ranking

    generator = np.random.default_rng(3)
    scores = generator.integers(0, 40, 20_000).astype(np.float32) / 7  # many ties, many zeros
    candidates = np.flatnonzero(generator.random(20_000) < 0.8)
    picked = scores[candidates]
    expected = candidates[picked > 0][np.argsort(-picked[picked > 0], kind="stable")][:50]
    assert ranking(scores, candidates, 50) == expected.tolist()
    assert ranking(scores, candidates, 5000) == candidates[picked > 0][
        np.argsort(-picked[picked > 0], kind="stable")][:5000].tolist()
    # Every chunk a candidate (no filter): the same as listing them all.
    assert ranking(scores, None, 50) == ranking(scores, np.arange(len(scores)), 50)
    assert ranking(np.zeros(10, dtype=np.float32), None, 5) == []
    sparse = np.where(generator.random(20_000) < 0.002, scores, 0).astype(np.float32)  # fewer than 50 in the sample
    assert ranking(sparse, None, 50) == ranking(sparse, np.arange(len(sparse)), 50)
    assert ranking(scores, None, 5000) == ranking(scores, np.arange(len(scores)), 5000)


def test_a_passage_in_the_other_language_is_never_marked_down():
    from qa.answer.candidates import language_shift
    assert language_shift({"en": 0.80, "ja": 0.78}, "en", "ja") == pytest.approx(0.02)
    assert language_shift({"en": 0.78, "ja": 0.82}, "en", "ja") == 0.0  # its best passages are the relevant ones
    assert language_shift({"en": 0.78, "ja": 0.82}, "ja", "ja") == 0.0
    assert language_shift({"ja": 0.82}, "en", "ja") is None


def test_a_place_or_person_the_question_names_is_not_its_answer():
    from qa.answer.binding import Subject
    from qa.answer.candidates import bound_facts
    from qa.answer.facts import Fact

    sentence = "例えば、アルファベット文字はアメリカ合州国とフランスとでは異なります。"
    france = Fact("place", "フランス", sentence.index("フランス"), sentence.index("フランス") + 4, "France")
    usa = Fact("place", "アメリカ合州国", 14, 21, "United States")
    subject = Subject(loose=(("フランス", "france"),))  # フランスの首都はどこですか？
    assert bound_facts([france, usa], sentence, subject, "place") == (usa,)
    assert bound_facts([france], sentence, Subject(), "place") == (france,)


@pytest.mark.parametrize("question, kind", [
    ("どの国で打ち上げられましたか？", "place"),
    ("どの国に本社がありますか？", "place"),
    ("ルクセンブルクのどの国家宇宙プログラムを通じて出資されましたか？", "general"),  # a programme, not a country
])
def test_which_country_but_not_which_national_programme(question, kind):
    from qa.search.question import question_kind
    assert question_kind(question) == kind


def test_overlapped_work_gives_its_result_and_its_error():
    import pytest

    from qa.search import overlap

    assert overlap.start(sum, [1, 2, 3]).result() == 6
    with pytest.raises(ZeroDivisionError):
        overlap.start(divmod, 1, 0).result()


def test_the_dictionary_cache_is_named_by_jamdict_datas_version_not_its_time(tmp_path, monkeypatch):
    """Each fresh clone's venv installs jamdict-data anew: naming the cache by the file's
    time made one more 151 MB copy in ~/.cache/qa per clone."""
    import os
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "jamdict.db"
    source.write_bytes(b"x" * 100)
    first = dictionary.compact_path(source)
    os.utime(source, (1_000_000, 1_000_000))
    assert dictionary.compact_path(source) == first
    source.write_bytes(b"x" * 101)  # another database: another cache
    assert dictionary.compact_path(source) != first


class _Glossary:
    """A dictionary of a few entries, for the translation's plumbing."""

    def __init__(self, japanese=None, english=None):
        self._japanese, self._english = japanese or {}, english or {}

    def japanese(self, word):
        return tuple(self._japanese.get(word, ()))

    def english(self, word):
        return tuple(self._english.get(word, ()))

    def name_forms(self, word):
        return ()

    def romanizations(self, word):
        return ()


def test_a_word_whose_own_form_the_index_lacks_is_translated_by_its_lemma():
    from qa.search.translate import from_english

    glossary = _Glossary(japanese={"countries": [("国々", 1.0)], "country": [("国", 1.0), ("国家", 1.0)]})
    known = {"国", "国家"}.__contains__
    written: dict[str, float] = {}
    weights = from_english("How many countries?", glossary, known, lambda text: [text], forms=written)
    assert set(weights) == {"国", "国家"}  # 国々 is in no release: "country" is looked up
    assert set(written) == {"国", "国家"} and sum(written.values()) == pytest.approx(1.0)


def test_a_month_is_no_name_to_spell():
    """Thirteenth session: "March" at a sentence's middle was looked up as a name, and its
    sound gave ミルク (milk) as a translation of every question about March."""
    from qa.search.translate import from_english

    glossary = _Glossary(japanese={"march": [("三月", 1.0)]})
    known = {"月", "ミルク"}.__contains__
    weights = from_english("What was forecast for the year ending March 2019?", glossary, known,
                           lambda text: ["三", "月"] if text == "三月" else [text], sounds=lambda word: ("ミルク",))
    assert "ミルク" not in weights and "月" in weights
    assert "ミルク" in from_english("Who founded Marchio?", glossary, known, lambda text: [text],
                                  sounds=lambda word: ("ミルク",))  # a name still sounds like its katakana


def test_reporting_terms_take_their_reporting_sense():
    """JMdict gives "operating income" as 経常利益 (ordinary income) and "forecast" as
    予報 (the weather's) first: a release's 営業利益 and 業績予想 are what is asked."""
    from qa.search.translate import from_english
    from qa.search.vocabulary import VOCABULARY

    glossary = _Glossary(japanese={"operating income": [("経常利益", 1.0)], "forecast": [("予報", 1.0)]})
    known = {"営業利益", "経常利益", "予報", "予想", "業績予想"}.__contains__
    weights = from_english("What is the operating income forecast?", glossary, known, lambda text: [text],
                           vocabulary=VOCABULARY)
    assert set(weights) == {"営業利益", "予想", "業績予想"}
    assert VOCABULARY["revenue"][:2] == ("売上", "収益")  # the press-release words it held are kept


def test_the_translations_are_kept_as_written_for_the_dense_stage():
    from qa.search.translate import from_english

    glossary = _Glossary(japanese={"ultrapure water": [("超純水", 1.0)], "plant": [("工場", 1.0), ("植物", 0.5)]})
    known = {"超純水", "工場"}.__contains__
    written: dict[str, float] = {}
    from_english("Where is the ultrapure water plant?", glossary, known, lambda text: [text], forms=written)
    assert written == {"超純水": 1.0, "工場": 1.0}  # 植物 is in no release: dropped


def test_the_other_languages_best_passage_takes_third_place():
    from types import SimpleNamespace

    from qa.search.fusion import balance_languages

    def chunk(language, date):
        return SimpleNamespace(language=language, doc_date=date)

    chunks = [chunk("en", "2025-06-04"), chunk("en", "2025-06-04"), chunk("en", "2021-08-04"),
              chunk("ja", "2021-08-04"), chunk("ja", "2025-06-03")]
    # a figure told only in the Japanese release of another year is still shown third
    assert balance_languages([0, 1, 2, 3, 4], chunks) == [0, 1, 3, 2, 4]
    # with a date rule, only a release of the same event (within a week) is
    assert balance_languages([0, 1, 2, 3, 4], chunks, days=7) == [0, 1, 2, 3, 4]
    chunks[3] = chunk("ja", "2025-06-05")
    assert balance_languages([0, 1, 2, 3, 4], chunks, days=7) == [0, 1, 3, 2, 4]
    # both languages among the first three already: nothing moves
    assert balance_languages([0, 3, 1, 2, 4], [chunks[0], chunks[3], chunks[1], chunks[2], chunks[4]]) == [0, 3, 1, 2, 4]


class _Morpheme:
    """A SudachiPy morpheme's face, for the translation's plumbing."""

    def __init__(self, surface, part):
        self._surface, self._part = surface, part

    def surface(self):
        return self._surface

    def normalized_form(self):
        return self._surface

    def part_of_speech(self):
        return self._part

    def reading_form(self):
        return ""


def test_each_question_word_keeps_its_own_translations():
    """Sixteenth session: the search weighs how many of the question's words a passage
    holds in translation, so each word's translations are kept together."""
    from qa.search.translate import from_japanese, relative_groups

    glossary = _Glossary(english={"従業員": ["employee", "worker", "staff"], "数": ["number"]})
    known = {"employee", "worker", "number"}.__contains__
    groups: list[dict[str, float]] = []
    noun, suffix = ("名詞", "普通名詞", "一般", "*", "*", "*"), ("名詞", "接尾辞", "*", "*", "*", "*")
    from_japanese([_Morpheme("従業員", noun), _Morpheme("数", suffix)], glossary, known, lambda text: [text],
                  groups=groups)
    assert [set(group) for group in groups] == [{"employee", "worker"}, {"number"}]
    assert groups[0]["employee"] > groups[0]["worker"]  # the first sense weighs more
    assert relative_groups(groups, own={"number"}) == ((("employee", 1.0), ("worker", 0.5)),)  # its own word: no group


def test_a_word_held_in_translation_counts_as_the_word():
    from qa.search.question import Question
    from qa.search.rerank import coverage

    question = Question(text="従業員数は？", asked="従業員数は？", language="ja", kind="number", tokens=("従業員", "数"),
                        translation_groups=((("employe", 1.0), ("worker", 0.5)), (("number", 1.0),)))
    assert coverage(question, "Employees: 212") == (0.0, 0.5)  # one of two words, whole
    assert coverage(question, "Workers: 212") == (0.0, 0.25)  # a later sense counts less
    assert coverage(question, "Number of employees: 212") == (0.0, 1.0)
    assert coverage(question, "従業員数：212名") == (1.0, 0.0)


def test_a_question_read_against_an_index_groups_its_translations(sample_index):
    from qa.search.rerank import coverage

    question = sample_index.read_question("When is the lunar landing planned?")
    assert question.translation_groups and all(group[0][1] == 1.0 for group in question.translation_groups)
    assert {token for group in question.translation_groups for token, _ in group} <= \
        {token for token, _ in question.translations}
    own, translated = coverage(question, "2025年6月6日に月面着陸を予定しているミッション2")
    assert translated >= 0.5 and own == 0.0
