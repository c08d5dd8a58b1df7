"""Figures of the right kind that answer another question (qa.answer.misfits), and the
readings fixed with them: counters such as 本, a year inside a plan's name, "what
dividend" asked as an amount. The sentences are invented, in the style of the held-out
releases where each was stated first."""

from __future__ import annotations

import datetime

from qa.answer.clauses import event_share, event_words
from qa.answer.facts import Fact, find_facts
from qa.answer.misfits import (announcement_for_event, another_market, another_product, another_start,
                               before_the_period, plan_for_result, stale_figure)
from qa.answer.stating import of_another_year
from qa.search.question import DATE, MONEY, NUMBER, question_kind
from qa.search.timeframe import TimeFrame


def fact(sentence: str, text: str, kind: str = MONEY) -> Fact:
    start = sentence.index(text)
    return Fact(kind, text, start, start + len(text), text)


class Asked:
    """The parts of a read question the gates look at."""

    def __init__(self, text: str, kind: str, frame: TimeFrame = TimeFrame()):
        self.text, self.kind, self.timeframe = text, kind, frame


def test_a_target_is_no_result_of_a_fiscal_year():
    target = "当社は、新工場の稼働を前提として、2024年3月期に売上高500億円、海外売上比率60%を目指してまいります。"
    asked = "2024年3月期の売上高はいくらでしたか？"
    assert plan_for_result(target, fact(target, "500億円"), asked)
    forecast = "Kasumi forecasts net sales of 27.0 billion yen and operating income of 5.5 billion yen for the year."
    assert plan_for_result(forecast, fact(forecast, "5.5 billion yen"),
                           "What operating income did Kasumi report for the fiscal year ended March 2025?")
    # asked for the target, or a result that the clause reports, or with no fiscal period
    assert not plan_for_result(target, fact(target, "500億円"), "2024年3月期の売上高の目標はいくらでしたか？")
    result = "2024年3月期の連結業績は、売上高512億円となり、過去最高を更新いたしました。"
    assert not plan_for_result(result, fact(result, "512億円"), asked)
    plan = "菊陽工場への投資額は約650億円を予定しています。"
    assert not plan_for_result(plan, fact(plan, "約650億円"), "How much did Kasumi invest in the Kikuyo plant?")
    # what is so now, beside a plan: 現在の従業員数は45名で、…計画です
    now = "2023年度の現在の従業員数は45名で、2025年度までに60名体制とする計画です。"
    assert not plan_for_result(now, fact(now, "45名", NUMBER), "2023年度の従業員数は何人でしたか？")


def test_the_day_a_plan_was_announced_is_not_the_day_it_happens():
    sentence = "当社は、2024年5月15日に公表した新型電池「KB-20」の量産開始時期を変更いたしました。"
    assert announcement_for_event(sentence, fact(sentence, "2024年5月15日", DATE), "KB-20の量産開始はいつですか？")
    assert not announcement_for_event(sentence, fact(sentence, "2024年5月15日", DATE), "計画はいつ公表されましたか？")
    english = "The schedule announced on May 15, 2024 has been revised."
    assert announcement_for_event(english, fact(english, "May 15, 2024", DATE), "When will mass production start?")


def test_a_products_figure_is_not_its_makers():
    sentence = "KD-045の2024年3月期の売上収益は6億円、2025年3月期は45億円を見込んでおります。"
    assert another_product(sentence, fact(sentence, "6億円"), "霞製薬の2024年3月期の売上収益はいくらでしたか？")
    assert not another_product(sentence, fact(sentence, "6億円"), "KD-045の2024年3月期の売上収益は？")
    aside = "富山工場(KD-045の原薬を製造)の建設費は72億円です。"
    assert not another_product(aside, fact(aside, "72億円"), "富山工場の建設費はいくら？")
    fiscal = "FY2024 revenue was 128.8 billion yen."
    assert not another_product(fiscal, fact(fiscal, "128.8 billion yen"), "What was revenue in fiscal 2024?")


def test_a_figure_of_another_market():
    sentence = "公開時の全国約320館から上映館数を拡大し、最終的に興行収入48.6億円を記録いたしました。"
    assert another_market(sentence, fact(sentence, "48.6億円"), "劇場版の海外での興行収入はいくらでしたか？")
    assert not another_market(sentence, fact(sentence, "48.6億円"), "劇場版の国内興行収入は？")
    assert not another_market(sentence, fact(sentence, "48.6億円"), "劇場版の興行収入は？")
    first = "世界初の技術で、売上高は12億円となりました。"
    assert not another_market(first, fact(first, "12億円"), "国内の売上高は？")


def test_a_release_before_the_period_cannot_report_its_result():
    asked = Asked("What operating income did Kasumi report for the fiscal year ended March 2025?", MONEY,
                  TimeFrame("during", datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)))
    assert before_the_period(asked, "2021-05-13")
    assert not before_the_period(asked, "2025-05-13")
    planned = Asked("What operating income did Kasumi expect for the fiscal year ended March 2025?", MONEY,
                    asked.timeframe)
    assert not before_the_period(planned, "2021-05-13")


def test_a_figure_dated_years_before_the_date_asked_is_stale():
    asked = Asked("How many units had been sold by the end of 2025?", NUMBER,
                  TimeFrame("as_of", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
    assert stale_figure("The game has sold 2.3 million units worldwide as of April 30, 2021.", asked)
    assert stale_figure("国内の予約数は2021年1月末時点で約38万本となっております。", asked)
    assert not stale_figure("The game has sold 4.1 million units worldwide as of December 31, 2025.", asked)
    assert not stale_figure("The game has sold 4.1 million units worldwide.", asked)


def test_a_qualified_event_is_not_the_bare_one():
    events = event_words("KB-20の量産開始は、最新の計画ではいつですか？", set())
    assert events == {"量産|開始"}
    assert event_share(events, "量産開始時期を2027年1月に変更いたします。") == 1.0
    assert event_share(events, "計画どおり2025年10月20日にサンプル出荷を開始いたしました。") == 0.0
    assert another_start("計画どおり2025年10月20日にサンプル出荷を開始いたしました。", "KB-20の量産開始はいつですか？")
    assert not another_start("量産は2027年1月に開始する予定です。", "KB-20の量産開始はいつですか？")
    assert event_words("ミッション2の着陸はいつ？", set()) == {"着陸"}


def test_a_year_is_dated_by_the_clauses_before_the_figure_not_after():
    results = "2025年3月期の連結業績は、売上高412億円、営業利益96億円となりました。"
    assert of_another_year(results, fact(results, "96億円"), "2024年12月期の営業利益はいくらでしたか？")
    assert not of_another_year(results, fact(results, "96億円"), "2025年3月期の営業利益はいくら？")
    staff = "Kasumi now employs 520 people, up from 350 in June 2021."
    assert not of_another_year(staff, fact(staff, "520 people", NUMBER), "How many people did Kasumi employ in 2023?")


def test_counters_and_ten_thousands_are_read_whole():
    assert [f.text for f in find_facts(NUMBER, "国内の予約数は約38万本となっております。")] == ["約38万本"]
    assert "38万" in [f.text for f in find_facts(NUMBER, "予約は38万を超えた。")]
    assert [f.text for f in find_facts(NUMBER, "年間生産能力は2,000キロリットルです。")] == ["2,000キロリットル"]


def test_a_year_in_a_plans_name_is_no_date():
    assert [f.text for f in find_facts(DATE, "中期経営計画「KASUMI 2026」の数値目標を修正いたします。")] == []
    assert [f.text for f in find_facts(DATE, "Under Vision 2027 the group opens stores in 2025.")] == ["2025"]
    assert [f.text for f in find_facts(DATE, "Sales in FY 2024 rose.")] == ["2024"]


def test_a_dividend_is_an_amount():
    assert question_kind("What year-end dividend did Kasumi pay for the fiscal year ended March 2021?") == MONEY
    assert question_kind("期末配当は？") == MONEY
    assert question_kind("What year did it open?") == DATE
