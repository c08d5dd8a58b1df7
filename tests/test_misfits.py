"""Figures of the right kind that answer another question (qa.answer.misfits), and the
readings fixed with them: counters such as 本, a year inside a plan's name, "what
dividend" asked as an amount. The sentences are invented, in the style of the held-out
releases where each was stated first."""

from __future__ import annotations

import datetime

import pytest

import qa
from qa.answer.answering import ExtractiveAnswerer
from qa.answer.changes import change_roles
from qa.answer.clauses import event_share, event_words
from qa.answer.facts import Fact, find_facts
from qa.answer.misdated import (announcement_for_event, another_start, another_year_end, before_the_period,
                                plan_already_past, plan_for_actual_date, plan_for_result, stale_figure,
                                stale_release, years_too_early)
from qa.answer.misfits import (another_companys_figure, another_counter, another_kind_counted,
                               another_market, another_measure, another_product, officer_of_another_company,
                               spelled_count_for_japanese, total_for_part)
from qa.answer.stating import of_another_year
from qa.search.question import DATE, GENERAL, MONEY, NUMBER, question_kind
from qa.search.timeframe import TimeFrame

from conftest import DATA


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
    assert [f.text for f in find_facts(DATE, "Sales in FY 2024 rose.")] == ["FY 2024"]
    assert [f.text for f in find_facts(DATE, "The trial starts in fiscal 2026.")] == ["fiscal 2026"]


def test_a_japanese_dates_fiscal_period_and_reach_travel_with_it():
    """Held-out set h16: 2022年3月期 was stated as "2022年3月" (a month, not the fiscal
    year ending then) and 2023年度以降 as "2023年度" (a year, not "from then on")."""
    [period] = find_facts(DATE, "減価償却費の増加は2022年3月期から本格化する見込みです。")
    assert period.text == "2022年3月期" and period.english.startswith("the fiscal year ending March 2022")
    [reach] = find_facts(DATE, "第2充填ラインは2023年度以降に設置する予定です。")
    assert reach.text == "2023年度以降" and reach.english.startswith("fiscal 2023 or later")
    assert [f.text for f in find_facts(DATE, "2021年以前の実績と2024年4月中旬の開始")] == ["2021年以前", "2024年4月中旬"]
    assert [f.text for f in find_facts(DATE, "2022年3月期間中に")] == ["2022年3月"]
    assert [f.text for f in find_facts(DATE, "営業運転は2021年春に、2023年秋頃には全線で")] == ["2021年春", "2023年秋"]
    assert [f.text for f in find_facts(DATE, "2021年秋田県に新工場")] == ["2021年"]
    assert [f.english for f in find_facts(DATE, "Service starts in autumn 2023.")] == ["autumn 2023"]


def test_a_dividend_is_an_amount():
    assert question_kind("What year-end dividend did Kasumi pay for the fiscal year ended March 2021?") == MONEY
    assert question_kind("期末配当は？") == MONEY
    assert question_kind("What year did it open?") == DATE


def test_the_parents_president_is_not_the_subsidiarys():
    sentence = ("株式会社霞ホールディングス（本社：愛知県名古屋市中区、代表取締役社長：霞宗一郎、以下「当社」）は、"
                "当社子会社の株式会社霞百貨店が運営する本店を改装いたします。")
    person = fact(sentence, "霞宗一郎", "person")
    assert officer_of_another_company(sentence, person, "株式会社霞百貨店の代表取締役社長は誰ですか？")
    assert not officer_of_another_company(sentence, person, "霞ホールディングス株式会社の社長は誰？")
    assert not officer_of_another_company(sentence, person, "霞の社長は誰？")  # no company named in full


def test_a_qualified_count_is_not_another_things():
    asked = "How many department stores did the Kasumi group operate as of June 2025?"
    plan = "expanding the Kasumi Marche supermarket chain, including through M&A, to 70 stores; and more"
    assert another_kind_counted(plan, fact(plan, "70", NUMBER), asked)
    count = "As of today, the group operates 9 department stores and 53 supermarkets."
    assert not another_kind_counted(count, fact(count, "9", NUMBER), asked)
    assert not another_kind_counted(plan, fact(plan, "70", NUMBER), "How many stores will the chain have?")


def test_a_release_two_years_before_the_fiscal_year_cannot_report_it():
    asked = Asked("2023年2月期の親会社株主に帰属する当期純利益はいくらでしたか？", MONEY)
    assert years_too_early(asked, "2020-02-06")
    assert not years_too_early(asked, "2023-04-14")
    assert not years_too_early(Asked("2023年2月期の当期純利益の予想はいくらでしたか？", MONEY), "2020-02-06")


def test_a_trigger_is_asked_as_a_statement():
    assert question_kind("公開買付価格を引き上げたきっかけは何でしたか？") == GENERAL
    assert question_kind("What prompted the price increase?") == GENERAL


def test_a_target_the_company_had_set_is_the_earlier_value():
    sentence = "当社は、2025年度の売上高目標を1,000億円としてまいりましたが、これを1,250億円に上方修正いたします。"
    assert change_roles(sentence, fact(sentence, "1,000億円")) == (1.0, 0.0)


@pytest.fixture(scope="module")
def kasumi_index(tmp_path_factory):
    """tests/data/kasumi: an invented holding company whose 2019 release sets a sales
    target for the year to February 2024 and whose 2024 release reports the result; its
    president is named in all of them, its department-store subsidiary's never; an
    English 2025 forecast that a Japanese news item cuts six months later."""
    path = tmp_path_factory.mktemp("kasumi") / "index"
    qa.build_index([DATA / "kasumi"], path, settings=qa.Settings())
    return path


def test_the_target_and_the_parents_president_are_never_stated(kasumi_index):
    result = qa.answer("2024年2月期の連結売上高はいくらでしたか？", kasumi_index)
    assert "500億円" not in result.fact
    assert result.outcome != "answer" or "462億円" in result.fact
    subsidiary = qa.answer("株式会社霞百貨店の代表取締役社長は誰ですか？", kasumi_index)
    assert "霞宗一郎" not in subsidiary.fact
    parent = qa.answer("霞ホールディングスの代表取締役社長は誰ですか？", kasumi_index)
    assert parent.outcome in ("answer", "passage") and ("霞宗一郎" in parent.text or "Soichiro Kasumi" in parent.text)


def test_another_measure_of_results_is_no_answer():
    english = ("For the fiscal year ended March 31, 2020, Kasumi recorded consolidated net sales of 118.6 billion yen, "
               "up 4.2% year on year, and operating income of 3.1 billion yen.")
    assert another_measure(english, fact(english, "3.1 billion yen"), "What was Kasumi's net income for that year?")
    assert not another_measure(english, fact(english, "3.1 billion yen"), "What was Kasumi's operating income?")
    assert not another_measure(english, fact(english, "118.6 billion yen"), "What were Kasumi's net sales?")
    japanese = "2018年5月に公表した業績予想（売上高1,150億円、営業利益42億円）に変更はありません。"
    assert not another_measure(japanese, fact(japanese, "42億円"), "営業利益の予想はいくら？")
    assert another_measure(japanese, fact(japanese, "1,150億円"), "営業利益の予想はいくら？")


def test_a_subsidiarys_figure_is_not_the_groups():
    sentence = "霞マリンエンジニアリング株式会社（代表取締役社長：大西亜希子）の2025年3月期の売上高は142億円でした。"
    amount = fact(sentence, "142億円")
    assert another_companys_figure(sentence, amount, "霞重工業の2025年3月期の連結売上高はいくらでしたか。")
    assert not another_companys_figure(sentence, amount, "霞マリンエンジニアリングの売上高は？")
    assert not another_companys_figure(sentence, amount, "霞の売上高は？")  # no other company named
    assert not another_companys_figure(sentence, amount, "What were Kasumi's sales?")


def test_an_event_joined_by_no_is_not_qualified():
    assert event_words("霞リニア交通の設立はいつですか？", set()) == {"設立"}


def test_a_fiscal_year_end_names_the_year_not_its_label():
    sentence = ("For the fiscal year ended March 31, 2020 (FY2019), Kasumi recorded operating income of "
                "3.1 billion yen.")
    amount = fact(sentence, "3.1 billion yen")
    assert another_year_end(sentence, amount, "What operating income did Kasumi forecast for the fiscal year ending March 2019?")
    assert not another_year_end(sentence, amount, "What was operating income for the fiscal year ended March 2020?")
    assert not another_year_end(sentence, amount, "What was operating income in FY2019?")


def test_when_it_actually_happened_is_not_a_plan():
    old = "能美工場は2020年2月に着工し、2021年4月の稼働開始に向けて建設を進めてまいりましたが、設備の納入が遅延しております。"
    assert plan_for_actual_date(old, fact(old, "2021年4月", DATE), "能美工場が実際に稼働を開始したのはいつですか。")
    new = "このため、稼働開始時期を2022年1月に変更いたします。"
    assert plan_for_actual_date(new, fact(new, "2022年1月", DATE), "能美工場が実際に稼働を開始したのはいつですか。")
    done = "能美工場は2022年1月17日に稼働を開始しました。"
    assert not plan_for_actual_date(done, fact(done, "2022年1月17日", DATE), "能美工場が実際に稼働を開始したのはいつですか。")
    # "finally rescheduled" asks the last plan, not what happened
    assert not plan_for_actual_date(new, fact(new, "2022年1月", DATE), "稼働開始は最終的にいつに再設定されましたか？")


def test_a_vessel_count_carries_its_counter():
    from qa.answer.measures import COUNTED
    family = next(units for pattern, units in COUNTED if pattern.search("年間引渡し隻数の目標は何隻でしたか"))
    assert "隻" in family and "vessels" in family


def test_the_latest_forecast_is_the_new_value_of_a_revision(kasumi_index):
    # the October news cuts the April forecast (50.0 billion yen) to 480億円: the old
    # value, which the news repeats as its 従来予想, is no longer the latest
    latest = qa.answer("What is Kasumi's most recent net sales forecast for FY2025?", kasumi_index)
    assert "50.0 billion yen" not in latest.fact
    assert latest.outcome != "answer" or "480" in latest.fact or "48.0" in latest.fact


def test_the_total_of_phases_is_not_one_phase():
    line = "延床面積：約31,000m2（第1期・第2期合計）"
    area = fact(line, "約31,000m2", NUMBER)
    assert total_for_part(line, area, "霞データセンター第2期の延床面積はどのくらいですか。")
    assert not total_for_part(line, area, "霞データセンターの延床面積の合計は？")
    assert not total_for_part(line, area, "霞データセンターの延床面積は？")


def test_a_count_by_another_counter():
    sentence = "メリディアンはアジア太平洋地域の6カ国で14拠点のデータセンターを運営しています。"
    asked = "メリディアンはアジア太平洋地域で何拠点のデータセンターを運営していますか。"
    assert another_counter(sentence, fact(sentence, "6カ国", NUMBER), asked)
    assert not another_counter(sentence, fact(sentence, "14拠点", NUMBER), asked)
    staff = "従業員数は約1,200人です。"
    assert not another_counter(staff, fact(staff, "約1,200人", NUMBER), "従業員は何名ですか")


def test_a_count_from_a_release_years_before_the_date_asked():
    asked = Asked("2025年12月末時点の霞モバイルの契約数は何件ですか。", NUMBER,
                  TimeFrame("as_of", datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)))
    assert stale_release(asked, "2023-05-15")
    assert not stale_release(asked, "2025-05-15")
    plan = Asked("What revenue did Kasumi say it was aiming for by 2026?", MONEY,
                 TimeFrame("as_of", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    assert not stale_release(plan, "2021-08-04")


def test_a_price_at_launch_asks_the_earlier_value():
    from qa.answer.changes import asks_for_earlier
    assert asks_for_earlier("How much did Hikari 10G cost per month at launch?")
    assert asks_for_earlier("発売時の価格はいくらでしたか？")


def test_an_area_carries_an_area_unit():
    from qa.answer.measures import COUNTED
    family = next(units for pattern, units in COUNTED if pattern.search("ベトナム工場の土地面積は？"))
    assert "㎡" in family and "acres" in family


def test_an_english_company_asked_owns_its_officers():
    sentence = ('KYOTO, June 12, 2018 – Kasumi Medical Co., Ltd. (Head office: Kyoto; President: Takashi Segawa; '
                '"Kasumi") and Brightwater Medical, Inc. (CEO: Laura Chen) today announced a joint venture.')
    asked = "Who was CEO of Brightwater Medical when the joint venture was announced?"
    assert officer_of_another_company(sentence, fact(sentence, "Takashi Segawa", "person"), asked)
    assert not officer_of_another_company(sentence, fact(sentence, "Laura Chen", "person"), asked)
    japanese = "株式会社霞（代表取締役：袴田武史）は高砂熱学工業株式会社（本社：東京都新宿区、社長：小島和人）と合意しました。"
    # another script says nothing: "Takasago Thermal Engineering" is not compared with 高砂熱学工業
    assert not officer_of_another_company(japanese, fact(japanese, "小島和人", "person"),
                                          "Who is the president of Takasago Thermal Engineering?")


def test_organization_words_end_no_person():
    names = [f.text for f in find_facts("person", "The CEO role passes to Brightwater Diagnostics and Kurebayashi Tech.")]
    assert "Brightwater Diagnostics" not in names and "Kurebayashi Tech" not in names


def test_a_legal_form_ends_a_company_not_a_person():
    assert [f.text for f in find_facts("person", "said Klaus Richter, CEO of Brenner Sensorik GmbH.")] == ["Klaus Richter"]
    assert [f.text for f in find_facts("person", "ドイツのBrenner Sensorik GmbH(以下「Brenner社」)の全株式")] == []


def test_a_plan_in_another_clause_does_not_make_the_deed_a_plan():
    deed = ("The Koshiji Brewery in Nagaoka, whose start was postponed due to the pandemic, began commercial "
            "operations on April 12, 2021.")
    asked = "When did the Koshiji Brewery actually begin commercial operations?"
    assert not plan_for_actual_date(deed, fact(deed, "April 12, 2021", DATE), asked)
    plan = "Construction was 43% complete, and the brewery remains on track to begin operations in October 2020."
    assert plan_for_actual_date(plan, fact(plan, "October 2020", DATE), asked)


def test_a_plan_lies_ahead_of_its_release():
    asked = "When the Kasumi Grain deal was announced in December 2022, when was it expected to close?"
    assert plan_already_past(fact("closed in May 2021", "May 2021", DATE), asked, "2022-12-01")
    assert not plan_already_past(fact("by the end of March 2023", "the end of March 2023", DATE), asked, "2022-12-01")
    japanese = "2020年9月時点で、年間入園者250万人の目標達成時期は何年度とされていましたか？"
    assert plan_already_past(fact("2020年3月に", "2020年3月", DATE), japanese, "2020-09-30")
    assert not plan_already_past(fact("2024年度に", "2024年度", DATE), japanese, "2020-09-30")
    # a question about what happened is not asked of a plan
    assert not plan_already_past(fact("closed in May 2021", "May 2021", DATE), "When did the deal close?", "2022-12-01")


def test_an_english_number_word_counts_nothing_a_japanese_question_asks():
    assert spelled_count_for_japanese(fact("operates two hotels", "two", NUMBER), "ホテルの客室数は合計何室でしたか？")
    assert not spelled_count_for_japanese(fact("operates two hotels", "two", NUMBER), "How many hotels does it operate?")
    assert not spelled_count_for_japanese(fact("客室数は286室", "286室", NUMBER), "ホテルの客室数は合計何室でしたか？")


def test_a_revision_tables_columns_are_the_old_and_the_new_value():
    from qa.answer.changes import table_roles
    passage = "2025年度の目標を以下のとおり上方修正いたします。\n項目 修正前 修正後\n半導体材料事業 売上高 1,000億円 1,250億円\n"
    row_start = passage.index("半導体材料事業")
    row = passage[row_start:].strip()
    old, new = fact(row, "1,000億円"), fact(row, "1,250億円")
    shifted = tuple(Fact(f.kind, f.text, f.start, f.end, f.english) for f in (old, new))
    assert table_roles(passage, row_start, shifted, shifted[0]) == (1.0, 0.0)
    assert table_roles(passage, row_start, shifted, shifted[1]) == (0.0, 1.0)
    plain = "売上高の推移\n半導体材料事業 売上高 1,000億円 1,250億円\n"
    assert table_roles(plain, plain.index("半導体"), shifted, shifted[0]) == (0.0, 0.0)


def test_one_years_sales_are_not_the_running_total():
    from qa.answer.misfits import period_for_cumulative
    sentence = "「KC-E700」の2021年の販売台数は16,200台（2020年は15,100台）と、発売以来の累計販売台数は41,100台に達しております。"
    asked = "2021年末までのKC-E700の累計販売台数は？"
    assert period_for_cumulative(sentence, fact(sentence, "16,200台", NUMBER), asked)
    assert not period_for_cumulative(sentence, fact(sentence, "41,100台", NUMBER), asked)
    assert not period_for_cumulative(sentence, fact(sentence, "16,200台", NUMBER), "2021年のKC-E700の販売台数は？")


def test_a_spec_block_of_another_model():
    from qa.answer.misfits import product_above
    block = "Main specifications:\nModel: KC-E900\nDrive unit: KDU-3 (250 W, 85 Nm)\n"
    asked = "What was the suggested retail price of the KC-E700 when it launched?"
    assert product_above(block, "Suggested retail price: 198,000 yen (excluding tax)", asked)
    assert not product_above("Main specifications:\nModel: KC-E700\n", "Suggested retail price: 148,000 yen", asked)
    prose = "当社は従来機「MS-250」を販売してまいりました。\n■製品の主な特長\n1.軽量:従来機MS-250に比べ約40%軽量化。\n"
    assert not product_above(prose, "3.内蔵バッテリーで連続約3時間の検査が可能です。", "MS-400は連続何時間使えますか？")


def test_revenue_is_no_investment():
    sentence = "Kasumi Hotel Management recorded revenue of 4.1 billion yen in fiscal 2024."
    assert another_measure(sentence, fact(sentence, "4.1 billion yen"), "ホテルの総投資額は最終的にいくらになりましたか？")


def test_a_personnel_tables_row_moves_its_person_out_of_the_current_post():
    from qa.answer.binding import Subject
    from qa.answer.handover import moves_in_table
    above = "(1) 異動の内容\n氏名 新役職 現役職\n吉永浩二 代表取締役社長 取締役常務執行役員\n"
    president = Subject(roles=("president",))
    old_row = "坂口義隆 取締役会長 代表取締役社長"
    assert moves_in_table(above, old_row, fact(old_row, "坂口義隆", "person"), president)
    new_row = "吉永浩二 代表取締役社長 取締役常務執行役員"
    assert not moves_in_table(above, new_row, fact(new_row, "吉永浩二", "person"), president)
    markdown = "| 氏名 | 新役職 | 現役職 |\n|---|---|---|\n"
    assert moves_in_table(markdown, "| 坂口義隆 | 取締役会長 | 代表取締役社長 |",
                          fact("| 坂口義隆 | 取締役会長 | 代表取締役社長 |", "坂口義隆", "person"), president)


def test_a_count_asks_a_number_and_an_authority_is_no_person():
    assert question_kind("What is the latest reported group store count?") == NUMBER
    names = [f.text for f in find_facts("person", "Michael Dorsey said the Cascadia Regional Transit Authority agreed.")]
    assert names == ["Michael Dorsey"]


def test_a_profile_line_of_another_company_is_no_answer():
    """Out of company in the eleventh session, "2019年3月末時点の白波の連結従業員数は？"
    was answered 9,870名 from the profile of the group that announced with it."""
    from qa.answer.misfits import profile_of_another, profile_owner

    above = ("「東海地区を代表する百貨店を目指します。」\n■会社概要\n会社名：株式会社花邑ホールディングス\n"
             "所在地：愛知県名古屋市中区栄三丁目5番12号\n代表者：代表取締役社長 花邑宗一郎\n資本金：200億円\n")
    line = "従業員数：9,870名（連結、2019年2月28日現在）"
    assert profile_owner(above, line) == "株式会社花邑ホールディングス"
    assert profile_of_another(above, line, "2019年3月末時点の白波の連結従業員数は？")
    assert not profile_of_another(above, line, "花邑の連結従業員数は？")  # the owner, by a shorter name
    assert not profile_of_another(above, line, "How many employees does Shiranami have?")  # another script
    assert profile_owner("なお、第2工場の稼働開始時期に変更はありません。\n■株式会社ハルネの概要\n", "設立：1962年5月") == \
        "株式会社ハルネ"
    english = "About the companies\nCompany name: Hanamura Holdings Co., Ltd.\nHeadquarters: Nagoya\n"
    assert profile_of_another(english, "Employees: 9,870", "How many employees does Shiranami have?")
    assert not profile_of_another(english, "Employees: 9,870", "How many employees does Hanamura have?")
    # a line that is no label, or a label line under a paragraph, has no owner
    assert profile_owner(above, "従業員は9,870名です。") == ""
    assert profile_owner("当社は新工場を建設します。\n", "投資額：約210億円") == ""
    # a block of a plant or a product is no company's profile: its lines may answer about the company
    assert profile_owner("■新工場の概要\n所在地：石川県能美市\n", "生産能力：年間4,800万個") == ""
    assert profile_owner("名称：KC-E700\n", "価格：198,000円") == "" and profile_owner("Name: Kenji Sato\n", "Born: 1970") == ""


def test_an_ordinal_keeps_its_dai():
    """"第73回定時株主総会" was read as 73回 (73 times) for "第何回ですか" (which one)."""
    from qa.answer.facts import find_facts

    assert [found.text for found in find_facts(NUMBER, "2024年6月21日開催予定の第73回定時株主総会")] == ["第73回"]


def test_a_date_labelled_with_another_milestone_is_no_answer():
    """Out of company in the eleventh session, the date of 営業運転開始：2020年10月 in a spec
    block was stated for when construction was to begin (着工)."""
    from qa.answer.milestones import another_milestone, milestones

    def dated(sentence: str, text: str) -> Fact:
        return fact(sentence, text, DATE)

    line = "営業運転開始:2020年10月"
    assert another_milestone(line, dated(line, "2020年10月"), "新発電所の着工はいつの予定ですか？")
    assert not another_milestone(line, dated(line, "2020年10月"), "新発電所の営業運転開始はいつですか？")
    assert not another_milestone(line, dated(line, "2020年10月"), "新発電所の計画はいつ発表されましたか？")  # no milestone asked
    english = "Start of operation: October 2021"
    assert another_milestone(english, dated(english, "October 2021"), "醸造所はいつ着工する予定でしたか？")
    both = "工事期間:2019年4月着工、2021年3月完工予定"
    asked = "When was the kiln renewal originally scheduled to be completed?"
    assert another_milestone(both, dated(both, "2019年4月"), asked)
    assert not another_milestone(both, dated(both, "2021年3月"), asked)
    # a date whose label names no milestone is left to the model
    plain = "スケジュール:2021年3月"
    assert not another_milestone(plain, dated(plain, "2021年3月"), "いつ着工しますか？")
    assert milestones("When was construction of the N8 machine scheduled to begin?") == {"construction"}
    assert milestones("When will construction be completed?") == {"completion"}
    assert milestones("新店舗はいつオープンしますか？") == {"opening"}


def test_how_much_in_japanese_asks_a_quantity():
    """Twelfth session: 「八代工場の年間処理能力はどれくらいですか。」 was read as a general
    question, and a whole sentence about the company's total capacity was stated first.
    どれくらい, どのくらい and どの程度 ask a quantity when no noun says money or a date."""
    assert question_kind("八代工場の年間処理能力はどれくらいですか。") == NUMBER
    assert question_kind("タイでの現地生産により供給リードタイムはどの程度まで短縮されますか？") == NUMBER
    assert question_kind("建設費用はどれくらいですか？") == MONEY  # the noun decides first
    assert question_kind("新工場はいつ頃どの程度完成しますか") == DATE
    assert question_kind("どのような事業を展開していますか？") == GENERAL


def test_a_time_asked_how_much_is_a_duration():
    """Twelfth session: 「アキツ8の満載時の飛行時間はどれくらいか。」, read as a number question,
    was answered 1回 (a count of flights). A time asked どれくらい takes a duration's units."""
    from qa.answer.candidates import _carries_unit
    from qa.answer.measures import COUNTED

    def units(question: str) -> tuple[str, ...]:
        return next(family for pattern, family in COUNTED if pattern.search(question.lower()))

    flight = units("アキツ8の満載時の飛行時間はどれくらいか。")
    sentence = "1回の充電で約4.5時間の飛行が可能です。"
    once, hours = find_facts(NUMBER, sentence)
    assert not _carries_unit(once, sentence, flight) and _carries_unit(hours, sentence, flight)
    assert "年間" in units("AGP-BESS 2500の設計寿命はどのくらいですか？")
    assert "名" in units("従業員数はどれくらいですか？")  # a count, not a time


def test_a_profile_line_is_its_own_companys_in_either_script(tmp_path, stating):
    """Thirteenth session, a new held-out set: "In what year was Tessera Robotics founded?" was
    answered July 1961 from 設立：1961年7月, the profile line of the parent that bought it: an
    English question names nothing in the owner's script, so the own-script check passed it.
    The owner is now compared with every form of the names asked (テッセラ for Tessera)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "hatano-2025-06-02-ja.txt").write_text(
        "2025年6月2日\n波多野運輸株式会社\nクオッカ・ロボティクス株式会社の完全子会社化に関するお知らせ\n"
        "波多野運輸株式会社は、物流ロボットを開発するクオッカ・ロボティクス株式会社の全株式を取得し、"
        "完全子会社化することを決定しました。\n取得価額は約48億円です。\n"
        "■会社概要\n会社名：波多野運輸株式会社\n所在地：静岡県浜松市\n設立：1958年4月\n従業員数：3,120名\n",
        encoding="utf-8")
    (folder / "hatano-2020-03-10-en.txt").write_text(
        "March 10, 2020\nHatano Unyu Co., Ltd.\nHatano Unyu invests in Quokka Robotics\n"
        "Hatano Unyu Co., Ltd. today announced a minority investment in Quokka Robotics, a maker of "
        "warehouse robots, which was founded in 2016 in Sapporo.\n", encoding="utf-8")
    index = qa.build_index([folder], tmp_path / "index", settings=qa.Settings())
    for question in ("In what year was Quokka Robotics founded?", "クオッカ・ロボティクスの設立はいつですか？"):
        answer = index.answer(question, answerer=stating)
        assert "1958" not in (answer.fact or ""), (question, answer.text)

    def owned(question: str) -> bool:
        scored = ExtractiveAnswerer().scored(index.evidence(question))
        return next(item.owned for item in scored if item.fact is not None and "1958" in item.fact.text)

    assert not owned("In what year was Quokka Robotics founded?")
    assert owned("波多野運輸の設立はいつですか？") and owned("When was Hatano Unyu founded?")  # the owner's line


def test_who_will_chair_asks_for_the_chairman():
    from qa.answer.measures import ROLE_PATTERNS

    assert ROLE_PATTERNS["chairman"].search("Who will chair the holding company?")
    assert ROLE_PATTERNS["chairman"].search("Kenji Ogata will serve as Chair of the Board.")
    assert not ROLE_PATTERNS["chairman"].search("a wheelchair-accessible station")


def test_the_latest_figure_in_the_other_language_vetoes_an_older_one(tmp_path, stating):
    """Thirteenth session, a new held-out set: for 「…最新の開示でいくらか。」 the 2022 Japanese
    release's 60円 was stated, though a 2025 English release gives 90 yen: the model held the
    English sentence at 0.13, under the passage threshold (0.20) the veto required. End to end
    here (this small index holds the English sentence higher); the floor itself is tested in
    test_outcomes.py (`superseding`)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "sawara-2022-11-08-ja.txt").write_text(
        "2022年11月8日\n佐原建設株式会社\n業績予想の修正に関するお知らせ\n"
        "佐原建設株式会社は、2023年3月期の通期業績予想を修正しました。資材価格の高騰により、売上高は前回予想を下回る見込みです。\n"
        "なお、年間配当予想は1株当たり60円を据え置きます。\n", encoding="utf-8")
    (folder / "sawara-2025-05-14-en.txt").write_text(
        "May 14, 2025\nSawara Construction Co., Ltd.\nSawara Construction announces FY2025 results\n"
        "Sawara Construction Co., Ltd. today announced its results for the fiscal year ended March 31, 2025. "
        "Net sales reached a record 571.3 billion yen, up 6.2% year on year.\n"
        "The annual dividend was 90 yen per share, for a payout ratio of 38%.\n", encoding="utf-8")
    index = qa.build_index([folder], tmp_path / "index", settings=qa.Settings())
    answer = index.answer("佐原建設の1株当たり年間配当は、最新の開示でいくらか。", answerer=stating)
    assert "60円" not in (answer.fact or ""), answer.text
