"""Three outcomes, the confidence model, and the defects seen on releases no one tuned for.

The defects' cases are in tests/data/minato: an invented logistics company whose
releases were written for them (a header line glued to the body, a hyphenated
compound, durations and distances, several figures side by side, revenue of other
years, a partner written in katakana in one language only)."""

from __future__ import annotations

import dataclasses
import json
import shutil

import numpy as np
import pytest

import qa
from qa.answer import confidence
from qa.answer.answering import ExtractiveAnswerer
from qa.answer.binding import Subject
from qa.answer.stating import Scored, may_state, stateable
from qa.answer.facts import find_facts
from qa.answer.features import FEATURES
from qa.evaluation import evaluate, read_questions, table
from qa.records import ANSWER, NOT_FOUND, PASSAGE
from qa.scoring import judge, summary
from qa.search.question import question_kind
from qa.search.translate import name_forms

from conftest import DATA
from conftest import train_confidence as bench_train_confidence

MINATO = DATA / "minato"


@pytest.fixture(scope="module")
def minato_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("minato")
    for path in MINATO.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return qa.build_index([folder], tmp_path_factory.mktemp("minato-index"), settings=qa.Settings())


def test_every_answer_is_one_of_three_outcomes(sample_index):
    # Stated at a lower precision target: the shipped model (target 0.95) quotes this one.
    stated = sample_index.answer("ミッション2の打ち上げ日は？", answerer=ExtractiveAnswerer(precision=0.8))
    assert stated.outcome == ANSWER and stated.found and stated.fact == "2025年1月15日"
    assert 0.0 < stated.confidence <= 1.0
    closest = sample_index.answer("高砂熱学工業の主な事業は何ですか？",
                                  answerer=ExtractiveAnswerer(precision=0.99))  # never confident enough
    assert closest.outcome == PASSAGE and not closest.found and closest.fact == ""
    assert closest.text.startswith("確実な答えは見つかりませんでした。リリースの最も近い箇所:「") and len(closest.citations) == 1
    nothing = sample_index.answer("Who is the CEO of Mitsubishi Electric?")
    assert nothing.outcome == NOT_FOUND and not nothing.found and not nothing.citations and nothing.hits
    english = sample_index.answer("What technology do ispace and Takasago plan to demonstrate on the Moon?",
                                  answerer=ExtractiveAnswerer(precision=0.99))
    assert english.text.startswith("No confident answer. The closest passage says: \u201c")
    assert json.loads(json.dumps(stated.to_dict()))["outcome"] == "answer"


def test_found_and_outcome_cannot_disagree():
    with pytest.raises(ValueError, match="contradicts"):
        qa.Answer("x", True, outcome=PASSAGE)
    assert qa.Answer("x", False).outcome == NOT_FOUND and qa.Answer("x", True).outcome == ANSWER


def test_the_model_file_matches_the_features_and_its_thresholds_grow_with_the_target():
    model = confidence.load()
    assert model.features == FEATURES and len(model.holds.coef) == len(FEATURES)
    rows = np.zeros((3, len(FEATURES)))
    assert model.right.probability(rows).shape == (3,)  # a logistic head, trees or their mean
    targets = sorted(model.thresholds)
    assert [model.thresholds[target] for target in targets] == sorted(model.thresholds[target] for target in targets)
    # the default is the threshold of the target the model was fitted for, at least 0.95
    assert model.notes["target_precision"] >= 0.95
    assert model.threshold_for(None) == model.answer_threshold == \
        model.thresholds[f"{model.notes['target_precision']:.2f}"]
    assert model.threshold_for(0.85) == model.thresholds["0.90"] and model.threshold_for(0.999) == 1.0
    notes = model.notes["leave_one_company_out"]  # measured without each question's company
    assert {"company ispace", "company toyota", "company minato", "company fixture"} <= set(notes)
    # 37 companies' out-of-company predictions at the default target: 0.95 reached, no
    # unanswerable question answered (docs/quality.md, "The eighth session")
    # The issue asks 0.90 of unanswerable questions refused; out of company the model answered 1 of 396.
    assert notes["all"]["precision"] >= 0.95 and notes["all"]["refused"] >= 0.99 * notes["all"]["unanswerable"]


def test_judging_reads_what_is_stated_first(sample_index):
    answer = sample_index.answer("ミッション2の打ち上げ日は？", answerer=ExtractiveAnswerer(precision=0.8))
    assert judge(answer, ["2025年1月15日"]).label == "right"
    assert judge(answer, ["2025年6月6日"]).label == "wrong"  # the quote holds it; the fact is not it
    refused = sample_index.answer("Who is the CEO of Mitsubishi Electric?")
    assert judge(refused, (), unanswerable=True).label == "refused"
    counts = summary([judge(answer, ["2025年1月15日"]), judge(answer, ["nope"]), judge(refused, (), unanswerable=True)])
    assert counts["right"] == 1 and counts["wrong"] == 1 and counts["precision"] == 0.5 and counts["refused"] == 1


def test_qa_eval_counts_the_three_outcomes(sample_index):
    lines = table(evaluate(sample_index, read_questions(DATA / "dev_qa.jsonl")))
    header = next(line for line in lines if line.startswith("answers"))
    assert all(word in header for word in ("right", "wrong", "passage", "not found", "precision", "refused"))
    assert any(line.startswith("lang en") for line in lines) and any(line.startswith("quotes verbatim") for line in lines)


def test_a_hyphenated_compound_is_not_a_name_the_releases_never_mention(minato_index, stating):
    evidence = minato_index.evidence("How long did the Velora-led truck trial last?")
    assert evidence.subject.unknown == ()
    assert any("velora" in forms for forms in evidence.subject.names + evidence.subject.loose)
    answer = minato_index.answer("How many autonomous trucks does the Velora-led consortium operate?", answerer=stating)
    assert answer.found and answer.fact == "40", answer.text
    # A company the releases never mention is still named in the refusal, without its suffix.
    # (Osaka too: the minato releases do not write it, in either script.)
    assert "do not mention Toyota, Osaka." in minato_index.answer(
        "How many trucks did the Toyota-funded pilot in Osaka use?").text


def test_a_header_line_glued_to_the_body_gives_no_number():
    glued = "2022-04-11\n株式会社湊ロジスティクスは普通株式3,200,000株を発行しました。"
    assert [fact.text for fact in find_facts("number", glued)] == ["3,200,000株"]
    assert [fact.text for fact in find_facts("number", glued.replace("\n", ""))] == ["3,200,000株"]
    assert [fact.text for fact in find_facts("money", "1株1万6300円から1万8800円へ")] == ["1万6300円", "1万8800円"]


def test_how_long_is_a_duration_and_how_far_a_distance_of_the_thing_asked(minato_index, stating):
    long = minato_index.answer("How long did the Velora-led truck trial last?", answerer=stating)
    assert long.fact in ("90 days", "90日間"), long.text  # not the trial's start date
    days = minato_index.answer("実証実験の期間は何日間でしたか？", answerer=stating)
    assert days.fact in ("90日間", "90 days"), days.text
    assert "より新しい" not in days.text and "newer release" not in long.text  # 90 days and 90日間 agree
    far = minato_index.answer("How far is the route between Yokohama and Sendai used in the trial?", answerer=stating)
    assert far.fact == "350 km", far.text  # not the 42,000 km the trucks drove


@pytest.mark.parametrize("question", [
    "What was the value of Minato's contract with Nordlink?",  # two other contracts' values are given
    "What was Minato Logistics' revenue in fiscal 2024?",      # revenue of 2021 and 2022 is given
    "湊ロジスティクスの2020年度の売上高はいくらですか？",
    "ノルドリンクとの提携の契約金額はいくらですか？",
])
def test_an_unanswerable_figure_is_not_answered_with_another_figure(minato_index, question):
    answer = minato_index.answer(question)
    assert answer.outcome != ANSWER, answer.text


def test_a_sentence_sharing_only_the_name_is_never_stated(minato_index):
    evidence = minato_index.evidence("Why did Minato delay its nationwide rollout?")
    scored = ExtractiveAnswerer().scored(evidence)
    beyond = FEATURES.index("overlap_beyond_names")
    only_name = [item for item in scored if item.row[beyond] == 0 and "minato" in item.candidate.text.lower()]
    assert only_name and not any(stateable(item, "general") for item in only_name)
    shares = [item for item in scored if item.row[beyond] > 0 and item.candidate.passage_names == 1.0]
    assert shares and all(stateable(item, "general") for item in shares)


def test_a_name_in_katakana_is_found_from_latin_letters_and_back(minato_index):
    sounds = minato_index.lexical.sounds
    assert "ヴェローラ" in sounds.katakana_for("Velora") and "velora" in sounds.latin_for("ヴェローラ")
    assert sounds.katakana_for("Mitsubishi") == ()
    evidence = minato_index.evidence("Which consortium did Velora lead?")
    assert "ヴェローラ" in dict(evidence.question.translations)


def test_leave_one_company_out_never_fits_on_the_company_it_reports(monkeypatch):
    """The training script's folds, on synthetic records: each company's decisions
    come from heads fitted without it (plumbing; the real data is in ../shared)."""
    train_confidence = bench_train_confidence()

    rng = np.random.default_rng(0)
    records = []
    for company in ("a", "b", "c"):
        for number in range(12):
            rows = [{"x": list(rng.normal(size=len(FEATURES))), "stateable": True, "right": False, "holds": False}
                    for _ in range(4)]
            rows[0]["x"][0] += 3.0
            rows[0]["right"] = rows[0]["holds"] = number % 3 != 0
            records.append({"set": "s", "company": company, "id": f"{company}{number}", "lang": "en", "kind": "fact",
                            "unanswerable": number % 3 == 0, "rule": "", "rows": rows})
    fitted = []
    original = train_confidence.fit

    def recording(training, keep, c, model="logistic"):
        fitted.append({record["company"] for record in training})
        return original(training, keep, c, model)

    monkeypatch.setattr(train_confidence, "fit", recording)
    decided = train_confidence.out_of_company(records, np.ones(len(FEATURES), bool), 0.3, 0.95, model="logistic")
    assert len(decided) == len(records) and {"a", "b", "c"} not in fitted
    figures = train_confidence.tables(decided)
    assert figures["all"]["n"] == 36 and set(figures) >= {"company a", "company b", "company c"}
    gated = train_confidence.out_of_company(records, np.ones(len(FEATURES), bool), 0.3, 0.95, inner=False,
                                            model="gate")
    assert len(gated) == len(records) and {"a", "b", "c"} not in fitted


def test_a_decision_redone_at_other_thresholds_is_the_decision_made_at_them():
    """`--outer-only` decides at threshold 0, chooses the thresholds, then decides again
    from what it recorded; the first version turned only answers into passages, so a
    passage below the passage threshold stayed a passage (23 "not found" reported for 136)."""
    train_confidence = bench_train_confidence()
    from qa.answer.confidence import Head

    rng = np.random.default_rng(1)
    width = len(FEATURES)
    heads = tuple(Head(np.zeros(width), np.ones(width), rng.normal(size=width), 0.0) for _ in range(3))
    keep = np.ones(width, bool)
    records = []
    for number in range(60):
        rows = [{"x": list(rng.normal(size=width)), "stateable": bool(rng.random() < 0.5),
                 "right": bool(rng.random() < 0.5), "holds": bool(rng.random() < 0.5)}
                for _ in range(int(rng.integers(0, 4)))]
        records.append({"rule": ["", "", "", "right", "not_found"][number % 5], "rows": rows})
    outcomes = set()
    for answer_at, passage_at in ((0.6, 0.4), (0.9, 0.8), (0.3, 0.95)):
        for record in records:
            again = train_confidence.decided_at(train_confidence.decide(record, heads, keep, 0.0, 0.0),
                                                answer_at, passage_at)
            direct = train_confidence.decide(record, heads, keep, answer_at, passage_at)
            assert {key: again[key] for key in ("outcome", "right", "quoted")} == \
                {key: direct[key] for key in ("outcome", "right", "quoted")}
            outcomes.add(direct["outcome"])
    assert outcomes == {"answer", "passage", "not_found"}


def test_a_figure_in_millions_keeps_what_it_counts():
    """"about 42 million tons" is the demand asked for; "about 42 million" was stated and
    judged wrong (a Japanese figure keeps its unit: 約4,200万トン)."""
    assert [fact.text for fact in find_facts("number", "Demand was about 42 million tons in FY2018.")] == \
        ["about 42 million tons"]
    assert [fact.text for fact in find_facts("number", "It injected 1.16 million cubic meters.")] == \
        ["1.16 million cubic meters"]
    assert [fact.text for fact in find_facts("number", "It sold 2.4 million shares.")] == ["2.4 million shares"]
    assert [fact.text for fact in find_facts("money", "Sales rose to 34.12 billion yen.")] == ["34.12 billion yen"]
    assert [fact.text for fact in find_facts("number", "It was about 42 million in 2020.")] == ["about 42 million"]


def test_stateable_needs_a_fact_and_the_names_asked_about(sample_index):
    evidence = sample_index.evidence("When does Mission 2 land?")
    scored = ExtractiveAnswerer().scored(evidence)
    assert any(stateable(item, "date") for item in scored)
    assert not any(stateable(item, "date") for item in scored if item.fact is None)
    numbered = dataclasses.replace(scored[0].candidate, numbered=False)
    assert not stateable(Scored(numbered, scored[0].fact, scored[0].row), "date")


def test_a_fact_belongs_to_the_numbered_thing_named_before_it(sample_index, stating):
    """Regression: ミッション3は2026年、ミッション4(旧ミッション6)は2027年 gave 2026 for Mission 4."""
    from qa.answer.numbered import numbered_owner

    question = sample_index.read_question("ミッション4はいつ打ち上げる予定ですか？")
    sentence = "ミッション3は2026年、ミッション4(旧ミッション6)は2027年に打ち上げを行う予定。"
    assert not numbered_owner(question, sentence, sentence.index("2026"))
    assert numbered_owner(question, sentence, sentence.index("2027"))
    answer = sample_index.answer("ミッション4はいつ打ち上げる予定ですか？", answerer=stating)
    assert answer.fact.startswith("2027"), answer.text


@pytest.mark.parametrize("question, sentence, asked, other", [
    # Japanese puts the date before the name it belongs to.
    ("When is Mission 4 planned?",
     "続く2026年には米国法人が主導するミッション3を実行していく計画で、2027年には、開発中のランダーを用いた"
     "ミッション4（旧ミッション6）を予定しています。", "2027", "2026"),
    ("When is Mission 3 planned?",
     "続く2026年には米国法人が主導するミッション3を実行していく計画で、2027年には、開発中のランダーを用いた"
     "ミッション4（旧ミッション6）を予定しています。", "2026", "2027"),
    # A fronted time phrase belongs to the clause after it, in English too.
    ("When will Mission 4 fly?", "In 2026, Mission 3 will fly, and in 2027, Mission 4 will follow.", "2027", "2026"),
    ("When will Mission 4 fly?", "Mission 3 is planned for 2026 and Mission 4 for 2027.", "2027", "2026"),
])
def test_a_fact_belongs_to_the_numbered_thing_of_its_clause(sample_index, question, sentence, asked, other):
    """Regression (twelfth session): 'the last name before the fact' gave 2026年 to Mission 4 in
    続く2026年には…ミッション3…、2027年には、…ミッション4を予定."""
    from qa.answer.numbered import numbered_owner

    read = sample_index.read_question(question)
    assert numbered_owner(read, sentence, sentence.index(asked))
    assert not numbered_owner(read, sentence, sentence.index(other))


def test_a_fact_of_the_kind_asked_is_quoted_rather_than_not_found(tmp_path):
    """A short sentence that states the amount asked without naming the product (its
    previous sentence does) read as not close, and the answer was "the releases do not
    say" while it was in the first passage: it is the closest passage now, never stated
    unless the model is confident."""
    release = tmp_path / "docs" / "kumo-shokudo-2025-11-20.txt"
    release.parent.mkdir()
    release.write_text("2025年11月20日\n雲食堂株式会社、宇宙食「雲カレー」の販売開始を発表\n"
                       "雲食堂株式会社(本社:大阪府大阪市、代表取締役社長:空野一郎)は、宇宙食「雲カレー」の販売を"
                       "2026年4月1日から開始すると発表しました。\n雲カレーは1食あたり重さ120グラムで、初回の出荷数は800食を予定しています。\n"
                       "開発費は総額2億4千万円です。\n", encoding="utf-8")
    index = qa.build_index([release.parent], tmp_path / "index", settings=qa.Settings())
    for question in ("雲カレーの開発費はいくらですか？", "How much did the space curry cost to develop?"):
        answer = index.answer(question)
        assert answer.outcome in (ANSWER, PASSAGE), (question, answer.text)
        assert "2億4千万円" in answer.citations[0].quote
    assert index.answer("Who is the CEO of Mitsubishi Electric?").outcome == NOT_FOUND


def test_amounts_in_millions_as_japanese_tables_write_them():
    """百万 and 千万 were no multiplier: 「350百万円」 and 「8百万米ドル」 were no amount at all."""
    for sentence, amount in (("総額350百万円です。", "350百万円"), ("8百万米ドルを調達しました。", "8百万米ドル"),
                             ("売上収益は1,234百万円となりました。", "1,234百万円"), ("開発費は3億5千万円です。", "3億5千万円")):
        assert [fact.text for fact in find_facts("money", sentence)] == [amount]


def test_another_companys_newer_plan_is_no_update_of_this_one(tmp_path):
    """With the refitted model the rover's launch year was stated, and ispace's newer
    "ミッション4は2027年に打ち上げ" was cited as the newer release that changed it."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "ispace-2025-05-09-thermal-mining.pdf", folder)
    (folder / "rover.txt").write_text("2025年3月1日\n見本株式会社\n見本株式会社の新型ローバーは2026年に打ち上げる予定です。\n",
                                      encoding="utf-8")
    index = qa.build_index([folder], tmp_path / "index", settings=qa.Settings())
    answer = index.answer("新型ローバーはいつ打ち上げる予定ですか？")
    assert "2026年" in answer.text and "2027年" not in answer.text, answer.text
    assert all("rover.txt" == citation.hit.source for citation in answer.citations), answer.text


def test_what_went_as_planned_is_no_plan():
    """A passage telling what was done as scheduled was tagged "(a plan, as of …)"."""
    from qa.answer.facts import is_plan

    for done in ("The Orbis lander launched as scheduled on January 15, 2025.",
                 "月面着陸は予定通り2025年6月6日に完了しました。", "工事は計画どおりに終わった。"):
        assert not is_plan(done), done
    for plan in ("Orbis plans to land in 2027.", "The rover will be launched as planned in 2026.",
                 "2026年に打ち上げる予定です。", "着陸は予定通り来年行う予定です。"):
        assert is_plan(plan), plan


def test_the_earlier_and_the_new_value_of_a_change():
    """"Raise the price to 20,600 yen from 18,800 yen": the current price was answered
    with the earlier one; a superseded plan (としていたが) was stated as the date."""
    from qa.answer.changes import asks_for_earlier, change_roles
    from qa.answer.facts import find_facts

    def roles(kind, sentence):
        return {fact.text: change_roles(sentence, fact) for fact in find_facts(kind, sentence)}

    assert roles("money", "Orbis Motors will raise its offer for Keel Works to 3,100 yen from 2,750 yen a share.") \
        == {"3,100 yen": (0.0, 1.0), "2,750 yen": (1.0, 0.0)}
    assert roles("money", "これまでの買付価格は1株2750円でしたが、今回3100円に引き上げます。") \
        == {"2750円": (1.0, 0.0), "3100円": (0.0, 1.0)}
    assert roles("date", "開業時期を2027年から2028年に変更しました。") == {"2027年": (1.0, 0.0), "2028年": (0.0, 1.0)}
    assert roles("date", "The ferry had been scheduled for May 2026, but it was moved to July 2026.") \
        == {"May 2026": (1.0, 0.0), "July 2026": (0.0, 1.0)}
    assert roles("date", "稼働開始は2026年度中になるとしていたが、これを前倒しした。")["2026年度中"] == (1.0, 0.0)
    # a span is no change, and a plain plan is no superseded one
    assert set(roles("date", "The pilot runs from April 2026 to March 2027.").values()) == {(0.0, 0.0)}
    assert set(roles("date", "The ferry is scheduled to sail in May 2026.").values()) == {(0.0, 0.0)}
    assert asks_for_earlier("What was the original offer price?") and asks_for_earlier("当初の開業予定はいつ？")
    assert not asks_for_earlier("What is the current offer price?")


def test_a_fact_the_question_gives_is_no_answer():
    """"Who is the Honda Canada spokesman?" was answered "Honda Canada"; a question "as of
    November 2023" was answered 2023年."""
    from qa.answer.facts import Fact
    from qa.answer.stating import repeats_question

    assert repeats_question(Fact("organization", "Keel Works", 0, 10, "Keel Works"), "Who is the Keel Works spokesperson?")
    assert repeats_question(Fact("date", "2023年", 0, 5, "2023"), "As of November 2023, when was Flight 1 due?")
    assert not repeats_question(Fact("date", "2024年4月", 0, 7, "April 2024"), "As of November 2023, when was it due?")
    assert not repeats_question(Fact("number", "2", 0, 1, "2"), "How many landers does Mission 2 carry?")
    assert not repeats_question(Fact("person", "Ken Ito", 0, 7, "Ken Ito"), "Who is the Keel Works spokesperson?")


def test_a_general_question_gets_its_closest_passage_not_nothing(sample_index):
    """"What technology do ispace and Takasago plan to demonstrate on the Moon?" was
    answered "the releases do not say" on the release about exactly that; a question
    that shares only a digit and a letter with the release ("<img src=x …(2)>") still is."""
    answer = sample_index.answer("What technology do ispace and Takasago plan to demonstrate on the Moon?")
    assert answer.outcome == "passage" and answer.citations
    assert sample_index.answer("<script>alert(1)</script><img src=x onerror=alert(2)>").outcome == "not_found"


def test_a_general_question_is_answered_by_a_quoted_passage_never_a_stated_one(sample_index, stating):
    """Thirteenth session: nested leave-one-company-out, 5 of the 10 wrong facts were sentences
    stated for general questions (what a company does, why); even an answerer stating
    whatever its confidence quotes the sentence as the closest passage."""
    for question in ("What technology do ispace and Takasago plan to demonstrate on the Moon?",
                     "高砂熱学工業はどのような事業を行っていますか？"):
        answer = sample_index.answer(question, answerer=stating)
        assert sample_index.read_question(question).kind == "general"
        assert answer.outcome == PASSAGE and not answer.found and answer.citations, answer.text
    assert sample_index.answer("When does Mission 2 land?", answerer=stating).outcome == ANSWER


@pytest.mark.xfail(reason="the holds heads fitted on 37 and on 46 companies quote the Mission 2 sentence (it names neither "
                          "company); the one fitted on 10 quoted a sentence about Takasago", strict=False)
def test_the_closest_passage_of_a_general_question_names_what_it_asks_about(sample_index):
    answer = sample_index.answer("What technology do ispace and Takasago plan to demonstrate on the Moon?")
    assert "高砂熱学工業" in answer.citations[0].quote


def test_a_how_many_question_is_not_answered_with_money_and_a_headline_amount_reads_as_prose():
    """"How many jobs will the restructuring cut?" was answered with 1800億円; a headline's
    "$30 Million" was stated as written."""
    from qa.answer.candidates import bound_facts
    from qa.answer.facts import find_facts

    sentence = "構造改革費用は1800億円に拡大し、削減人員は1万2000人となる。"
    facts = find_facts("number", sentence)
    counted = bound_facts(facts, sentence, Subject(money_asked=False), "number")
    assert [fact.text for fact in counted] == ["1万2000人"]
    assert "1800億円" in [fact.text for fact in bound_facts(facts, sentence, Subject(), "number")]  # "how much"
    [amount] = find_facts("money", "Keel Works Raises $45 Million in Series C Funding")
    assert amount.text == "$45 Million" and amount.english == "$45 million"


def test_a_clause_before_the_interrogative_does_not_set_the_kind_asked():
    """"After the March 2026 price hike, until what date was the offer extended?" was
    read as a question about money and answered with the price."""
    from qa.search.question import DATE, MONEY, question_kind

    assert question_kind("After the March 2026 price hike, until what date was the Keel Works offer extended?") == DATE
    assert question_kind("What was the Keel Works offer price after the hike?") == MONEY
    assert question_kind("Tell me the revenue of Keel Works") == MONEY


def test_a_number_said_to_be_so_now_is_no_plan_and_a_past_question_asks_no_plan():
    """"How many people did Lunaris employ as of March 2021?" was answered with the
    planned 60 of 現在の従業員数は45名で、2021年末までに60名体制とする計画です; "When
    did Panasonic actually start mass production?" with the date a plan aimed at."""
    from qa.answer.clauses import fact_is_plan
    from qa.answer.features import asks_past, asks_plan

    sentence = "現在の従業員数は45名で、2021年末までに60名体制とする計画です。"
    plans = {fact.text: fact_is_plan(sentence, fact) for fact in find_facts("number", sentence)}
    assert plans["45名"] is False and plans["60名"] is True
    english = "Orbis currently employs 120 people, and it plans to reach 200 by 2027."
    plans = {fact.text: fact_is_plan(english, fact) for fact in find_facts("number", english)}
    assert plans["120 people"] is False and plans["200"] is True
    scheduled = "The lander for Flight 1 is now scheduled to launch in the first half of 2024."
    assert all(fact_is_plan(scheduled, fact) for fact in find_facts("date", scheduled))
    for past in ("When did Keel Works actually start mass production?", "量産を開始したのはいつ？", "いつ着陸した？"):
        assert asks_past(past) and not asks_plan(past), past
    for plan in ("When does Mission 2 land?", "いつ着陸する予定ですか？"):
        assert not asks_past(plan), plan
    assert asks_plan("As of June 2022, when was Flight 1 expected to launch?")


def test_units_bind_a_number_to_the_thing_counted_in_either_language():
    """"In how many countries…" skipped 42か国 (no English word after it); 4,200 jobs
    were no people; "how much more productive than…" was answered with 73 GWh; a
    取締役 (a board director) was answered with the president next to him."""
    from qa.search.question import PERSON
    from qa.answer.binding import Subject, roles_of
    from qa.answer.candidates import bound_facts

    def bound(question_units_from, sentence, kind="number"):
        from qa.answer.binding import COUNTED

        units = next(family for pattern, family in COUNTED if pattern.search(question_units_from.lower()))
        return [fact.text for fact in bound_facts(find_facts(kind, sentence), sentence, Subject(units=units), kind)]

    assert bound("In how many countries did the Keel Works rail business operate?",
                 "鉄道事業は4事業で構成され、世界42か国に拠点がある。") == ["42か国"]
    assert bound("How many jobs will the restructuring cut?",
                 "The cuts of 10,000 jobs are about 4 percent of the workforce.") == ["10,000 jobs"]
    assert bound("How many people work at the Alliston plant?",
                 "The plant will keep its existing 4,200 jobs and add 1,000 more.") == ["4,200 jobs"]
    assert bound("How much more productive is the new plant than the old one?",
                 "The plant, with a capacity of 73 GWh, is expected to be approximately 20 percent more productive.") \
        == ["approximately 20 percent"]
    # a weight in words is a weight, whole (a new-user session got 12キロ from 12キログラム)
    assert bound("How heavy is the SpaceOven?", "The SpaceOven weighs 48 kilograms and bakes at 260 degrees.") \
        == ["48 kilograms"]
    assert bound("かぐやIIの重量は？", "「かぐやII」の重量は12キログラムで、最大走行速度は毎時0.5キロメートルです。")[0] \
        == "12キログラム"
    roles = roles_of("早期退職について会見で説明した取締役は誰？")
    sentence = "楠田社長は報酬を返上し、和田明取締役は会見で人員削減について説明した。"
    facts = [fact for fact in find_facts(PERSON, sentence)]
    assert [fact.text for fact in bound_facts(facts, sentence, Subject(roles=roles), PERSON)] == ["和田明"]


def test_a_why_question_is_never_answered_with_a_sentence_that_gives_no_reason():
    """"Why did Minato delay its rollout?" was answered with the sentence that tells of
    the delay, not with the one that gives its cause."""
    from qa.answer.stating import asks_why, gives_cause

    assert asks_why("Why did Minato Logistics delay its nationwide rollout?") and asks_why("なぜ延期したのか？")
    assert not asks_why("What did Minato Logistics delay?")
    assert gives_cause("安全認証の取得に時間を要するため、開始時期を2027年に変更した。")
    assert gives_cause("The rollout was delayed because the safety certification took longer.")
    assert not gives_cause("株式会社湊ロジスティクスは、全国展開の開始時期を2026年から2027年に変更することを決定しました。")


def test_a_japanese_interrogative_decides_before_the_nouns_it_asks_about():
    """販売比率100％を何年に達成する目標？ was read as a question about a ratio (比率) and
    answered with the "1" of 第1弾; 年間何台 was no number question."""
    from qa.search.question import DATE, GENERAL, MONEY, NUMBER, question_kind

    assert question_kind("オルビスはEVの販売比率100％を何年に達成する目標？") == DATE
    assert question_kind("新工場は年間何台まで作れる？") == NUMBER
    assert question_kind("上場時に発行した新株は何株ですか？") == NUMBER  # 何 and any counter
    assert question_kind("80.1％の取得に何ドル投じる計画だった？") == MONEY
    assert question_kind("何を発表した？") == GENERAL
    assert question_kind("営業利益率は何％？") == NUMBER
    assert question_kind("売上高はいくら？") == MONEY
    assert question_kind("提携先の銀行はどこ？") == GENERAL


def test_a_ratio_asks_for_a_percentage_and_stores_for_stores():
    """Held-out set h16: "What overseas sales ratio does … aim for?" was answered with
    a sales figure (150.0 billion yen), いくつの店舗に配送 with 30台 (the trucks)."""
    from qa.answer.binding import COUNTED, Subject
    from qa.answer.candidates import bound_facts
    from qa.search.question import MONEY, NUMBER, question_kind

    assert question_kind("What overseas sales ratio does Kuroha Vision 2025 aim for?") == NUMBER
    assert question_kind("海外売上高比率の目標は？") == NUMBER
    assert question_kind("What were the sales of the new plant?") == MONEY

    def bound(question, sentence):
        units = next(family for pattern, family in COUNTED if pattern.search(question.lower()))
        facts = find_facts(NUMBER, sentence)
        return [fact.text for fact in bound_facts(facts, sentence, Subject(units=units), NUMBER)]

    assert bound("What overseas sales ratio does it aim for?",
                 "It aims for sales of 150.0 billion yen with an overseas ratio of more than 60%.") == ["more than 60%"]
    assert bound("富士物流センターはいくつの店舗に配送しますか。",
                 "富士物流センターは保冷車30台で県東部の52店舗に配送します。") == ["52店舗"]
    assert bound("How many stores does the center serve?", "Its 30 trucks serve 52 stores.") == ["52 stores"]


def test_a_figure_of_another_year_is_no_answer_for_the_year_asked():
    """"What was Minato Logistics' revenue in fiscal 2024?" (the releases do not say) was
    answered with the revenue "for the fiscal year 2021"."""
    from qa.answer.stating import of_another_year

    def dated(sentence, question, kind="money"):
        return {fact.text: of_another_year(sentence, fact, question) for fact in find_facts(kind, sentence)}

    assert dated("Keel Works reported revenue of ¥3.2 billion for the fiscal year 2021.",
                 "What was Keel Works' revenue in fiscal 2024?") == {"¥3.2 billion": True}
    assert dated("当社の2022年度の売上高は51億円となりました。", "2024年度の売上高は？") == {"51億円": True}
    assert dated("In fiscal 2024, revenue rose to ¥5 billion.", "What was revenue in fiscal 2024?") \
        == {"¥5 billion": False}
    assert dated("当社の2022年度の売上高は51億円となりました。", "売上高は？") == {"51億円": False}  # no year asked
    # "as of" sets a point in time: the year in the clause may be the plan's
    assert dated("Keel Works now expects to spend a total of $3.8 billion by 2025.",
                 "As of September 2022, how much did Keel Works expect to spend?") == {"$3.8 billion": False}
    assert dated("現在の従業員数は45名で、2021年末までに60名体制とする計画です。",
                 "How many people did Lunaris employ as of March 2021?", "number") == {"45名": False, "60名": False}


def test_the_dates_that_set_the_time_frame_are_no_words_of_the_question(sample_index):
    """"…as of March 2021?" made 2021年末までに60名 the number nearest a word of the
    question: the year had set the time frame, and retrieval matches it as a release date."""
    evidence = sample_index.evidence("As of March 2021, how many people did ispace employ?")
    assert "2021" not in evidence.literal and "march" not in evidence.literal and "employ" in evidence.literal
    from qa.answer.terms import terms_of

    assert {"2021", "march"} <= terms_of("As of March 2021, how many people did ispace employ?")  # as read before


def test_a_part_is_no_whole_and_a_city_is_no_person():
    """"How much was the tender offer expected to cost in total?" was answered with the
    offer's price per share, 総額いくら with an additional investment, "the existing jobs"
    with the new ones; "Who is the governor…?" with "Susono City"."""
    from qa.answer.stating import part_for_whole

    def per_unit(sentence, question, kind="money"):
        return {fact.text: part_for_whole(sentence, fact, question) for fact in find_facts(kind, sentence)}

    assert per_unit("Keel Works will raise its offer to 2,060 yen per share from 1,880 yen.",
                    "How much will the offer cost in total?") == {"2,060 yen": True, "1,880 yen": False}
    assert per_unit("買付価格は1株1630円、買付総額は約3700億円を見込む。", "買付の総額はいくら？") \
        == {"1630円": True, "約3700億円": False}
    assert per_unit("The price is ¥1,630 per share.", "What is the price per share?") == {"¥1,630": False}
    assert per_unit("The price is ¥1,630 per share.", "What is the offer price?") == {"¥1,630": False}
    # an increment is no total, nor what there is, unless an increment is asked
    assert per_unit("Keel Works will invest an additional $8 billion, raising the cost by $1 billion to $9 billion.",
                    "How much will Keel Works spend in total?") \
        == {"$8 billion": True, "$1 billion": True, "$9 billion": False}
    assert per_unit("最大100億ドルの追加投資を決めた。", "総額いくら投じる？") == {"最大100億ドル": True}
    assert per_unit("最大100億ドルの追加投資を決めた。", "2022年の追加投資のあと、総額いくら投じる？") == {"最大100億ドル": True}
    assert per_unit("Keel Works will invest an additional $8 billion.",
                    "After the additional investment, how much will Keel Works spend in total?") == {"$8 billion": True}
    assert per_unit("新たに約1,000人を雇用し、既存の4,200人の雇用も維持する。", "既存の雇用は何人？", "number") \
        == {"約1,000人": True, "4,200人": False}
    assert per_unit("Keel Works will invest an additional $8 billion.", "How much additional money in total?") \
        == {"$8 billion": False}
    people = [fact.text for fact in find_facts(
        "person", "Guests included the people of Kamo City, Governor Taro Yamane of Kamo Prefecture and Keel Motor.")]
    assert people == ["Taro Yamane"]
    assert [fact.text for fact in find_facts("place", "The plant is in Kamo City.")] == ["Kamo City"]


def test_a_number_binds_its_unit_across_an_adjective_and_a_name_is_found_as_written(sample_index):
    """"3,200,000 new shares" did not count shares (the unit two words on); "how many are
    in Japan?" counted "are"; 60億個 counted no battery cells; the UK did not name 英国,
    nor ホンダ・カナダ ホンダカナダ: each answer was in the passage and never stated."""
    from qa.answer.binding import Subject, read_subject
    from qa.answer.candidates import bound_facts

    def bound(question, sentence, kind="number"):
        subject = read_subject(sample_index.read_question(question), knows=lambda form: False,
                               other_forms=lambda name: ())
        return [fact.text for fact in bound_facts(find_facts(kind, sentence), sentence, subject, kind)]

    assert bound("How many new shares did Keel Works issue at its listing?",
                 "Keel Works issued 3,200,000 new shares at ¥1,450 per share.") == ["3,200,000"]
    assert bound("How many people will Keel Works hire?", "Keel Works will keep its 4,200 existing jobs.") == ["4,200"]
    assert bound("Of the 10,000 job cuts, how many are in Japan?",
                 "This means 5,000 job cuts in Japan and 5,000 overseas.") == ["5,000"]  # the one with its unit
    assert bound("How many battery cells had the plant shipped?", "工場はこれまでに60億個の電池セルを出荷した。") == ["60億個"]
    assert bound("How many landing sites were studied?", "着陸地点として3カ所を検討した。") == []
    assert Subject(names=(("united kingdom", "英国"),)).names_share("The UK’s regulator approved the deal.") == 1.0
    assert Subject(names=(("united kingdom", "英国"),)).names_share("It is the ukulele's day.") == 0.0
    assert Subject(names=(("ホンダカナダ",),)).names_share("ホンダ・カナダの社長は") == 1.0


def test_a_person_of_another_company_is_no_answer(sample_index):
    """「ispaceの社長は誰ですか？」 was answered 小島和人, the president of the partner
    company named in parentheses and in a comment heading (a browser session found it):
    a Latin name in a Japanese question is a name, and a person belongs to the company
    next to it."""
    answer = sample_index.answer("ispaceの社長は誰ですか？")
    assert "小島" not in (answer.fact or "")
    assert sample_index.answer("高砂熱学工業の社長は誰ですか？").fact == "小島和人"
    assert "袴田" in sample_index.answer("Who is the CEO of ispace?").fact


@pytest.fixture(scope="module")
def tsukimi_index(tmp_path_factory):
    """A new-user session's invented releases (tests/data/tsukimi): two of 月見ロボティクス
    and one of ムーンメール, in Japanese, and one of Orbital Bakery, in English."""
    return qa.build_index([DATA / "tsukimi"], tmp_path_factory.mktemp("tsukimi") / "index", settings=qa.Settings())


def test_a_value_a_newer_release_changed_is_never_stated_first_for_the_latest(tsukimi_index):
    """A new-user session: 「最新のリリースでは…いつ？」 and "When will KAGUYA II launch?"
    stated the 2022 release's 2024年12月 first, then "a newer release gives 2025年10月"."""
    index = tsukimi_index
    for question in ("最新のリリースでは、かぐやIIの打ち上げはいつですか？", "かぐやIIの打ち上げはいつですか？",
                     "When will KAGUYA II launch?"):
        answer = index.answer(question)
        assert "2024年12月" not in (answer.fact or "") and "December 2024" not in (answer.fact or ""), answer.text
    answer = index.answer("2023年時点で、かぐやIIの打ち上げはいつの予定でしたか？")
    assert "2025年10月" not in (answer.fact or ""), answer.text


def test_another_companys_fact_is_no_newer_release(tsukimi_index):
    """A new-user session: "When was Orbital Bakery founded?" was answered 2020, then "a
    newer release gives 2019", 月見ロボティクス's founding year. A Japanese sentence that
    cannot spell a name the question asks about does not stand for it."""
    answer = tsukimi_index.answer("When was Orbital Bakery founded?")
    assert answer.outcome == "answer" and "2020" in answer.fact, answer.text
    assert "2019" not in answer.text and all("tsukimi" not in citation.hit.source for citation in answer.citations)
    assert Subject(loose=(("orbital",),)).names_share("月見ロボティクスは2019年に設立され、従業員数は45名です。") == 0.0


def test_a_name_written_in_hiragana_is_known(tsukimi_index):
    """A new-user session: "When will Kaguya II launch?" was refused, "the releases do not
    mention Kaguya", because the release writes かぐやII in hiragana."""
    answer = tsukimi_index.answer("When will Kaguya II launch?")
    assert answer.outcome != "not_found" and "2025年10月" in answer.citations[0].quote, answer.text
    assert name_forms("Kaguya", None, lambda token: True, lambda text: [text], romaji=lambda word: ("かぐや",)) \
        == ("かぐや",)
    # a particle the name happens to spell is no name ("Made in Japan": まで)
    assert name_forms("Made", None, lambda token: True, lambda text: [text], romaji=lambda word: ("まで",)) == ()


def test_a_name_of_two_words_written_as_one_and_a_thing_never_mentioned(tsukimi_index):
    """A new-user session: "When does the Luna Post service start?" was refused ("the
    releases do not mention Luna") though the release writes ルナポスト; and "the Mars Post
    service", which no release mentions, was then answered with the Luna Post's start."""
    answer = tsukimi_index.answer("When does the Luna Post service start?")
    assert answer.outcome != "not_found" and "2026年1月15日" in answer.citations[0].quote, answer.text
    answer = tsukimi_index.answer("When does the Mars Post service start?")
    assert answer.outcome == "not_found" and "Mars" in answer.text, answer.text
    # one Latin word of two English ones, written in katakana (Moonmail -> ムーンメール)
    for name in ("Moonmail", "MoonMail"):
        evidence = tsukimi_index.evidence(f"When was {name} founded?")
        assert evidence.subject.unknown == () and any("ムーンメール" in forms for forms in
                                                     evidence.subject.names + evidence.subject.loose), name
    assert tsukimi_index.evidence("When was Sunmail founded?").subject.unknown == ("Sunmail",)


@pytest.fixture(scope="module")
def agri_index(tmp_path_factory):
    """A second new-user session's invented releases (tests/data/agri): three companies,
    2021-2026, Japanese and English, whose CEO, fare, cost and output change over time."""
    return qa.build_index([DATA / "agri"], tmp_path_factory.mktemp("agri") / "index", settings=qa.Settings())


def test_who_held_a_role_then_is_read_from_a_release_of_then(agri_index):
    """That session had "Who was the CEO of Shizuku Agri in 2022?" answered Aya Morikawa
    (CEO from June 2024, in a 2026 release), and "As of 2022, …" answered "Shizuku Farm
    Uji", a farm in a sentence that names no CEO."""
    for question in ("Who was the CEO of Shizuku Agri in 2022?", "As of 2022, who was the CEO of Shizuku Agri?",
                     "Who was the CEO of Shizuku Agri in January 2022?", "2022年のしずくアグリの社長は誰ですか？",
                     "Who was CEO of Shizuku Agri when Shizuku Farm Uji opened?"):
        answer = agri_index.answer(question)
        assert answer.outcome != "answer" or answer.fact in ("Haruto Nishida", "西田陽翔"), (question, answer.text)
    now = agri_index.answer("Who is the CEO of Shizuku Agri?")
    assert now.outcome != "answer" or now.fact == "Aya Morikawa", now.text
    # the president now, not the one 前社長 names
    assert "大森" not in (agri_index.answer("Who is the current president of Hokuto Linear Transit?").fact or "")
    # a person named and asked who they are is no answer to it
    assert "大森" not in (agri_index.answer("Who is Kenichi Omori?").fact or "")


def test_the_closest_passage_on_who_holds_a_role_now_is_the_newest(agri_index):
    """xfail in the eleventh session (the 2022 profile line 'CEO: Haruto Nishida' was quoted);
    it passes since a profile's label line reads with its company's name (twelfth session)."""
    now = agri_index.answer("Who is the CEO of Shizuku Agri?")  # stated, or the profile line quoted
    assert now.fact == "Aya Morikawa" or (now.outcome == "passage" and "Aya Morikawa" in now.citations[0].quote)


def test_a_figure_of_a_sibling_or_of_a_later_release_is_not_stated(agri_index):
    """That session: Uji's 95% less water was stated for Shizuku Farm Kameoka, Kameoka's
    7.5 tons for Uji, and the 2023 release's project cost for the cost "in 2021"."""
    assert "95" not in (agri_index.answer("What percentage less water does Shizuku Farm Kameoka use?").fact or "")
    assert "7.5" not in (agri_index.answer("How much lettuce does Shizuku Farm Uji produce per day?").fact or "")
    assert "310" not in (agri_index.answer("What was the total project cost of the Hokuto Liner in 2021?").fact or "")


def test_a_follow_up_asks_its_own_question_about_the_previous_subject(agri_index):
    """That session: "What is its top speed?" after the HL-8's introduction was answered
    2028, and "And Uji?" after Shizuku Farm Kameoka's start with Kameoka's date."""
    first = agri_index.answer("When will the HL-8 be introduced?")
    answer = agri_index.answer("What is its top speed?", history=[("When will the HL-8 be introduced?", first)])
    assert "2028" not in (answer.fact or "") and (answer.outcome != "answer" or "360" in answer.fact), answer.text
    first = agri_index.answer("When did Shizuku Farm Kameoka begin operation?")
    answer = agri_index.answer("And Uji?", history=[("When did Shizuku Farm Kameoka begin operation?", first)])
    assert answer.question == "When did Shizuku Farm Uji begin operation?"
    assert "2026" not in (answer.fact or ""), answer.text


def test_role_stake_total_and_sibling_rules():
    from qa.answer.candidates import _left_role
    from qa.answer.facts import Fact
    from qa.answer.stating import names_a_sibling, stake_for_another_share
    from qa.search.conversation import resolve
    from qa.search.question import question_kind

    sentence = "前社長の大森健一は代表取締役会長に就任しております。"
    fact = Fact("person", "大森健一", 5, 9, "大森健一")
    assert _left_role(sentence, fact, [1])
    sentence = "創業者の西田陽翔が代表取締役社長を退任し、森川彩が代表取締役社長に就任いたします。"
    assert _left_role(sentence, Fact("person", "西田陽翔", 4, 8, "西田陽翔"), [11])
    assert not _left_role(sentence, Fact("person", "森川彩", 21, 24, "森川彩"), [26])
    held = "投資ファンドは豊田自動織機の株式を7.7%保有している。"
    fact = Fact("number", "7.7%", held.index("7.7%"), held.index("7.7%") + 4, "7.7%")
    assert stake_for_another_share(held, fact, "TOBには最終的に何％の応募があった？")
    assert not stake_for_another_share(held, fact, "ファンドは株式を何％保有している？")
    assert names_a_sibling("Shizuku Farm Kameoka will produce 7.5 tons.", "How much does Shizuku Farm Uji produce?")
    assert not names_a_sibling("Shizuku Farm Uji and Shizuku Farm Kameoka", "How much does Shizuku Farm Uji produce?")
    assert not names_a_sibling("the Ontario Premier said", "What capacity was planned for the Ontario EV plant?")
    assert resolve("And Honda?", ["When did Toyota announce the plant?"]) == "When did Honda announce the plant?"
    assert question_kind("What is its top speed?") == "number" and question_kind("Who is Kenichi Omori?") == "general"


def test_the_founder_is_who_founded_not_the_founders_family():
    """豊田自動織機を創業したのは誰？ was answered with 創業家の豊田章男氏 (the founding
    family), not 豊田佐吉氏が創業しました."""
    from qa.answer.binding import roles_of
    from qa.answer.candidates import bound_facts

    roles = roles_of("豊田自動織機を創業したのは誰？")
    assert "founder" in roles and "founder" in roles_of("Who founded Toyota Industries?")
    family = "持ち株会社には創業家の豊田章男氏などが出資する。"
    assert bound_facts(find_facts("person", family), family, Subject(roles=roles), "person") == ()
    founded = "1926年、豊田章男氏の曽祖父に当たる豊田佐吉氏が創業しました。"
    assert [fact.text for fact in bound_facts(find_facts("person", founded), founded, Subject(roles=roles),
                                              "person")] == ["豊田佐吉"]


def test_one_banks_share_is_not_the_total_of_its_clause():
    """"How much did Resona Bank lend individually?" was answered with the loans' total,
    "total" standing more than 24 characters before the amount."""
    from qa.answer.candidates import bound_facts

    sentence = "As of May 31, ispace's total amount of bank loans reached $20 million (USD)."
    facts = find_facts("money", sentence)
    assert facts and bound_facts(facts, sentence, Subject(individual=True), "money") == ()


def test_the_denominator_of_a_rate_counts_nothing():
    """"How many MB-500 cells has Mikazuki Battery shipped in total?" was answered 1, from
    1セルあたりの重量 (the weight per one cell)."""
    from qa.answer.candidates import bound_facts

    sentence = "MB-500は、1セルあたりの重量が1.2kgで、1時間当たり2,000株を収穫できます。"
    kept = [fact.text for fact in bound_facts(find_facts("number", sentence), sentence, Subject(), "number")]
    assert "1" not in kept and not any(text.startswith("1時間") for text in kept) and "2,000株" in kept


def test_a_person_of_another_company_and_another_edition_are_no_answer():
    """A third new-user session: "Who is the CEO of Shiramine Pharmaceutical?" was answered
    with the licensee's CEO ("Daniel Hartley, CEO of Veltrane"; "Veltrane Biosciences,
    Inc. (Boston, Massachusetts; CEO: Daniel Hartley)"), and the HB-10's sales with the
    HB-10 Pro's."""
    from qa.answer.candidates import bound_facts
    from qa.answer.facts import Fact
    from qa.answer.stating import names_another_edition

    subject = Subject(loose=(("shiramine", "白峰"),), roles=("ceo",))
    for sentence in ("Misaki Hojo, Head of R&D at Shiramine, and Daniel Hartley, CEO of Veltrane, will co-chair it.",
                     "Shiramine signed with Veltrane Biosciences, Inc. (Boston, Massachusetts; CEO: Daniel Hartley)."):
        assert "Daniel Hartley" not in [fact.text for fact in
                                        bound_facts(find_facts("person", sentence), sentence, subject, "person")]
    own = "said Ryosuke Takasugi, President and CEO of Shiramine."
    assert [fact.text for fact in bound_facts(find_facts("person", own), own, subject, "person")] == ["Ryosuke Takasugi"]
    from qa.answer.candidates import _role_of_another

    department = "Daniel Neuenschwander, Director of Human and Robotic Exploration, visited."
    person = find_facts("person", department)[0]
    assert not _role_of_another(department, person, [department.index("Director")], {"esa"})  # a department

    def at(sentence, text):
        return Fact("number", text, sentence.index(text), sentence.index(text) + len(text), text)

    sold = "The HB-10 Pro controller has sold 150,000 units, and the HB-10 has sold 410,000 units."
    assert names_another_edition(sold, at(sold, "150,000 units"), "How many units has the HB-10 sold?")
    assert not names_another_edition(sold, at(sold, "410,000 units"), "How many units has the HB-10 sold?")
    assert not names_another_edition(sold, at(sold, "150,000 units"), "How many HB-10 Pro controllers were sold?")
    game = "Sales of Starbound Requiem reached 3.1 million units."
    assert names_another_edition(game, at(game, "3.1 million units"), "How many units has Starbound Requiem II sold?")


def test_a_person_who_moves_to_another_role_no_longer_holds_the_one_asked():
    """A third new-user session: 「北条美咲が代表取締役社長に就任し、現代表取締役社長の高杉亮介は
    代表取締役会長に就任」 gave 高杉亮介 as the president, and "succeeding former Managing
    Director Thomas Reed" gave Reed as the managing director."""
    from qa.answer.candidates import _left_role
    from qa.answer.facts import Fact

    def at(sentence, text):
        return Fact("person", text, sentence.index(text), sentence.index(text) + len(text), text)

    handover = "北条美咲が代表取締役社長に就任し、現代表取締役社長の高杉亮介は代表取締役会長に就任いたします。"
    roles = [handover.index("社長"), handover.index("社長の高杉")]
    assert _left_role(handover, at(handover, "高杉亮介"), roles)
    assert not _left_role(handover, at(handover, "北条美咲"), roles)
    succeeded = "Claire Dubois became Managing Director, succeeding former Managing Director Thomas Reed."
    roles = [succeeded.index("Director,"), succeeded.index("Director Thomas")]
    assert _left_role(succeeded, at(succeeded, "Thomas Reed"), roles)
    assert not _left_role(succeeded, at(succeeded, "Claire Dubois"), roles)


def test_a_figure_after_a_labels_colon_is_read():
    # NFKC turns 売上高：… into 売上高:…; only a clock's colon (10:12) stops a number.
    line = "ヘルムカンプ社の2022年12月期売上高:1億1,800万ユーロ"
    assert [fact.text for fact in find_facts("money", line)] == ["1億1,800万ユーロ"]
    assert [fact.text for fact in find_facts("money", "資本金:1億円")] == ["1億円"]
    assert [fact.text for fact in find_facts("number", "従業員数:1,200名")] == ["1,200名"]
    assert [fact.text for fact in find_facts("number", "受付は10:12から")] == []


def test_the_name_of_a_city_is_a_place():
    assert question_kind("「ランタンフォール」の舞台となる都市の名前は何ですか。") == "place"
    assert question_kind("What is the name of the town where the plant stands?") == "place"


def test_a_profile_line_reads_with_its_company_and_a_newer_one_replaces_an_older_figure(tmp_path):
    """Held-out set 7: 「アトリエ・ミズナギの最新の従業員数は？」 stated 168名 of 2023 first, though
    the 2026 release's profile block gives 205名: its line 従業員数：205名 does not repeat the
    company's name, which the block's heading gives once, so it was read as sharing half
    the question's words and was no newer statement of the same fact."""
    from qa.answer.candidates import Candidate
    from qa.answer.features import _as_read

    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "kirishima-2023-03-16.txt").write_text(
        "2023年3月16日\n霧島ゲームス株式会社\n\n新作タイトルの開発体制について\n\n"
        "霧島ゲームスは、新作タイトルの開発を本格化いたします。"
        "制作スタッフの増強に伴い、株式会社スタジオ青凪の従業員数は168名（2023年2月末時点）となっております。\n",
        encoding="utf-8")
    (folder / "kirishima-2026-01-22.txt").write_text(
        "2026年1月22日\n霧島ゲームス株式会社\n\n株式会社スタジオ青凪の完全子会社化に関するお知らせ\n\n"
        "霧島ゲームスは、連結子会社である株式会社スタジオ青凪の残り30％の株式を取得し、"
        "2026年4月1日付で完全子会社といたします。\n\n"
        "■株式会社スタジオ青凪の概要\n所在地：東京都武蔵野市\n設立：2011年\n"
        "従業員数：205名（2025年12月31日現在）\n\n"
        "■霧島ゲームス株式会社の概要\n所在地：東京都中野区\n従業員数：1,460名（連結、2025年12月31日現在）\n",
        encoding="utf-8")
    index = qa.build_index([folder], tmp_path / "index", settings=qa.Settings())
    for question in ("スタジオ青凪の最新の従業員数は？", "スタジオ青凪の従業員数は？"):
        answer = index.answer(question)
        assert "168" not in (answer.fact or ""), answer.text
        assert answer.outcome == NOT_FOUND or "205" in answer.citations[0].quote, answer.text
    line = Candidate.__new__(Candidate)
    object.__setattr__(line, "text", "従業員数：205名（2025年12月31日現在）")
    object.__setattr__(line, "above", "完全子会社といたします。\n■株式会社スタジオ青凪の概要\n所在地：東京都武蔵野市\n")
    assert _as_read(line).startswith("株式会社スタジオ青凪 ")
    object.__setattr__(line, "above", "完全子会社といたします。\n")
    assert _as_read(line) == line.text


def test_for_the_latest_the_newest_plausible_passage_is_quoted_and_no_older_figure_stated():
    """Twelfth session: asked the latest headcount, the 2021 profile line 8,690名 was quoted
    (and, out of company, stated) though a 2023 profile line gave 9,120 ('Employees: 9,120'),
    which the model held nearly as likely."""
    from types import SimpleNamespace

    from qa.answer.latest import newest_close, superseding
    from qa.search.timeframe import read_timeframe

    def item(date: str, text: str, value: str, holds: float, named: float = 1.0):
        hit = SimpleNamespace(doc_date=date, text=text)
        candidate = SimpleNamespace(hit=hit, numbered=True, text=text)
        return SimpleNamespace(candidate=candidate, fact=SimpleNamespace(text=value), holds=holds, named=named)

    def evidence(question: str):
        shares = {}
        subject = SimpleNamespace(names_share=lambda text: shares.get(text, 1.0))
        return SimpleNamespace(question=SimpleNamespace(timeframe=read_timeframe(question), kind="number"),
                               subject=subject), shares

    older = item("2022-01-31", "従業員数:8,690名(連結、2021年12月31日現在)", "8,690名", 0.78)
    newer = item("2023-05-12", "Employees: 9,120 (consolidated, as of March 31, 2023)", "9,120", 0.66)
    other = item("2024-06-01", "The partner has 12,000 employees.", "12,000", 0.50)
    latest, shares = evidence("ヒタカ電子工業の最新の連結従業員数は？")
    shares[other.candidate.hit.text] = 0.0  # names another company
    assert superseding(latest, older, [older, newer, other], 0.19) is newer
    # a newer figure in the other language is held less likely (0.13 on a held-out set,
    # the floor 0.20): it still vetoes the older one, down to half the floor
    across = item("2025-05-14", "The annual dividend was 90 yen per share.", "90 yen", 0.13)
    assert superseding(latest, older, [older, across], 0.2) is across
    faded = item("2025-05-14", "The annual dividend was 90 yen per share.", "90 yen", 0.05)
    assert superseding(latest, older, [older, faded], 0.2) is None
    assert newest_close(latest, older, [older, newer, other], 0.19) is newer
    # held far less likely than the closest, a newer passage is not quoted in its place
    faint = item("2025-01-01", "従業員数は増加しました。", "1名", 0.2)
    assert newest_close(latest, older, [older, faint], 0.19) is older
    # a question that does not say "latest" is left to the model
    plain, _ = evidence("ヒタカ電子工業の連結従業員数は？")
    assert superseding(plain, older, [older, newer], 0.19) is None
    assert newest_close(plain, older, [older, newer], 0.19) is older


def test_the_training_replays_the_vetoes_of_the_answerer(tsukimi_index):
    """bench/train_confidence.py fitted and judged as if the best sentence were always
    stated, while the answerer quotes a newer release's value instead for the latest
    (two of seven nested "wrong" facts were never stated). Each candidate's veto is
    recorded with `ExtractiveAnswerer.overruled`, and a vetoed best is decided as a
    passage and left out of the precision the answer threshold is chosen for."""
    train_confidence = bench_train_confidence()
    answerer = ExtractiveAnswerer()
    evidence = tsukimi_index.evidence("最新のリリースでは、かぐやIIの打ち上げはいつですか？")
    scored = answerer.scored(evidence)
    stateable = [item for item in scored if may_state(item, evidence.question)]
    updates = answerer.updates_scored(evidence, answerer.model)
    older = [item for item in stateable if item.fact is not None and "2024年12月" in item.fact.text]
    assert older
    instead = train_confidence._overruled(answerer, evidence, older[0], stateable, scored, updates)
    assert instead is not None and "2025年10月" in instead[0].text

    width = len(FEATURES)
    row = {"x": [0.0] * width, "stateable": True, "right": False, "holds": False, "vetoed": True, "veto_holds": True}
    row["x"][FEATURES.index("numbered")] = 1.0
    record = {"rule": "", "rows": [row], "unanswerable": False}
    from qa.answer.confidence import Head
    sure = tuple(Head(np.zeros(width), np.ones(width), np.zeros(width), 5.0) for _ in range(3))
    decided = train_confidence.decide(record, sure, np.ones(width, bool), 0.5, 0.2)
    assert decided["outcome"] == "passage" and decided["quoted"] and not decided["right"]
    assert train_confidence.answer_threshold([(record, decided)], 0.95) == 1.0  # nothing stated to count
