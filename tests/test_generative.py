"""The generative path against a scripted OpenAI-compatible server (tests/fake_llm.py):
plumbing, streaming, the check, every way the server can fail, settings, CLI, app.
The real llama.cpp server is in tests/test_llm_server.py (make test-llm)."""

from __future__ import annotations

import json
import time

import pytest

import qa
from qa.answer.generative import Draft, GenerativeAnswerer, passages_of, prompt
from qa.evaluation import evaluate, read_questions, table

from conftest import DEV_QUESTIONS, shows_landing
from fake_llm import FakeLLM, Reply, free_port

LANDING = "Mission 2 is scheduled to land on the Moon on June 6, 2025 at the earliest [1]."


def ask(index, question: str, *replies, timeout: float = 10.0, **options):
    """(the drafts, the answer, the server) for one question through a fake server."""
    with FakeLLM(*replies) as server:
        answerer = GenerativeAnswerer(server.url, timeout=timeout, dictionary=index.dictionary, **options)
        events = list(index.answer_stream(question, answerer=answerer))
    assert isinstance(events[-1], qa.Answer) and all(isinstance(event, Draft) for event in events[:-1])
    return events[:-1], events[-1], server


def test_plumbing_end_to_end(sample_index):
    drafts, answer, server = ask(sample_index, "When does Mission 2 land?",
                                 LANDING + " It launched on January 15, 2025 [1].")
    assert answer.found and answer.generator == "fake-model" and not answer.dropped and not answer.note
    assert answer.text == LANDING + " It launched on January 15, 2025 [1]."
    assert len(answer.citations) == 1  # both sentences hold their facts in the same passage sentence
    citation = answer.citations[0]
    assert citation.hit.text[citation.quote_start:citation.quote_end] == citation.quote
    assert "2025年6月6日" in citation.quote and "2025年1月15日" in citation.quote
    request = server.requests[0]
    assert request["stream"] is True and request["model"] == "fake-model" and request["temperature"] == 0.0
    content = request["messages"][-1]["content"]
    assert "When does Mission 2 land?" in content and "[1] (release of 2025-05-09" in content
    assert "End every sentence with the number of the passage" in content and "The releases do not say" in content


def passage_number(index, question: str, needle: str) -> int:
    """The number [n] the model is shown for the passage that holds `needle` (the
    order is retrieval's; the plumbing tests must not depend on it)."""
    hits = index.evidence(question).hits
    return next(number for number, hit in enumerate(hits, start=1) if needle in hit.text)


def test_japanese_questions_get_japanese_instructions_and_history(sample_index):
    number = passage_number(sample_index, "ミッション3は？", "ミッション3は2026年")
    reply = f"ミッション3は2026年に実行される計画です[{number}]。"
    _, answer, server = ask(sample_index, "ミッション3は？", reply, timeout=10.0)
    messages = server.requests[0]["messages"]
    assert "日本語で" in messages[-1]["content"]
    # the one passage cited is renumbered [1] in the answer
    assert answer.generator == "fake-model" and answer.text == "ミッション3は2026年に実行される計画です[1]。"
    history = [("ミッション2の打ち上げ日は？", "2025年1月15日 [1]。")]
    with FakeLLM("ミッション3は2026年に実行される計画です[1]。") as server:
        answerer = GenerativeAnswerer(server.url, dictionary=sample_index.dictionary)
        sample_index.answer("ミッション3は？", history=history, answerer=answerer)
    sent = server.requests[0]["messages"]
    assert sent[0] == {"role": "user", "content": "ミッション2の打ち上げ日は？"}
    assert sent[1] == {"role": "assistant", "content": "2025年1月15日 [1]。"}


def test_streaming_shows_only_checked_sentences_and_masks_the_one_being_written(sample_index):
    text = LANDING + " It carries a water electrolysis device developed by Takasago [1]."
    drafts, answer, _ = ask(sample_index, "When does Mission 2 land?", Reply(text, piece=3))
    assert len(drafts) > 10  # the answer arrives piece by piece
    assert drafts[0].text == "" and drafts[-1].text == LANDING  # the last sentence is checked at the end
    for draft in drafts:
        assert answer.text.startswith(draft.text)  # what was shown is never taken back
        assert not any(character.isdigit() for character in draft.pending)  # unchecked facts are hidden
        assert "Takasago" not in draft.pending
    assert any(draft.pending.startswith("… … is scheduled") for draft in drafts)


def test_a_fabricated_number_is_dropped_and_never_shown(sample_index):
    text = LANDING + " The lander will carry 4 rovers [1]. It launched on January 15, 2025 [1]."
    drafts, answer, _ = ask(sample_index, "When does Mission 2 land?", text)
    assert answer.generator == "fake-model"
    assert answer.dropped == ("The lander will carry 4 rovers [1].",)
    assert "4 rovers" not in answer.text and "June 6, 2025" in answer.text and "January 15, 2025" in answer.text
    assert "1 sentence of the model's answer was dropped by the check" in answer.note
    assert "figure" in answer.note and "4" not in answer.note  # the note never repeats what failed
    assert not any("4 rovers" in draft.text for draft in drafts)


def test_every_sentence_dropped_gives_the_extractive_answer_with_a_note(sample_index):
    _, answer, _ = ask(sample_index, "When does Mission 2 land?",
                       "Mission 2 will land on July 9, 2031 [1]. It is the best lander ever built.")
    assert answer.generator == "extractive" and answer.citations
    assert shows_landing(answer.text)  # the extractive answer
    assert len(answer.dropped) == 2 and "extractive answer" in answer.note and "2031" not in answer.note


@pytest.mark.parametrize("reply, why", [
    (Reply(LANDING + " It launched on January 15, 2025 [1].", cut_after=6), "stopped mid-answer"),
    (Reply(LANDING, delay=30.0), "did not finish within 1.5 s"),
    (Reply(LANDING, piece_delay=0.5, piece=2), "did not finish within 1.5 s"),  # a slow trickle (20 s)
    (Reply(status=404), "refused the request (HTTP 404 from"),
    (Reply(""), "gave no answer"),
])
def test_server_failures_give_the_extractive_answer_with_a_note(sample_index, reply, why):
    started = time.monotonic()
    _, answer, _ = ask(sample_index, "When does Mission 2 land?", reply, timeout=1.5)
    assert time.monotonic() - started < 15  # not the 20-30 s the server would take (a loaded machine: slack)
    assert answer.generator == "extractive" and answer.citations and shows_landing(answer.text)
    assert why in answer.note and answer.note.endswith("this is qa's extractive answer.")


def test_a_server_that_is_not_there(sample_index):
    answerer = GenerativeAnswerer(f"http://127.0.0.1:{free_port()}/v1", "some-model", timeout=30)
    started = time.monotonic()
    answer = sample_index.answer("ミッション2の打ち上げ日は？", answerer=answerer)
    assert time.monotonic() - started < 15  # refused at once, not after the time limit
    assert answer.generator == "extractive" and "2025年1月15日" in answer.text
    assert answer.note.startswith("言語モデルに接続できませんでした") and answerer.last_error.kind == "unreachable"


def test_refusals_checks_of_the_kind_asked_and_of_the_subject(sample_index):
    _, refusal, _ = ask(sample_index, "How much money is the MOU worth?", "The releases do not say.")
    assert not refusal.found and refusal.generator == "fake-model" and not refusal.citations
    assert refusal.text.startswith("The indexed releases do not say.")
    # a checked sentence that gives no date is no answer to "when"
    named = 1 + next(number for number, hit in enumerate(sample_index.search("When does Mission 2 land?", k=5))
                     if "RESILIENCE" in hit.text)  # the passage that names the lander
    _, undated, _ = ask(sample_index, "When does Mission 2 land?", f"Mission 2 carries the RESILIENCE lander [{named}].")
    assert undated.generator == "extractive" and "did not give a date" in undated.note
    # a checked sentence about something else is no answer either
    _, elsewhere, _ = ask(sample_index, "ミッション3はいつ実行される予定ですか？", "2027年には日本で開発中のシリーズ3ランダーを用います[1]。")
    assert elsewhere.generator == "extractive" and "質問の対象に触れていませんでした" in elsewhere.note


def test_echoes_of_the_prompt_and_loops_are_dropped(sample_index):
    echo = ("If the passages do not answer the question, reply only: The releases do not say. "
            "Question: When does Mission 2 land [1]? " + LANDING + " " + LANDING + " " + LANDING)
    _, answer, _ = ask(sample_index, "When does Mission 2 land?", echo)
    assert answer.generator == "fake-model" and answer.text == LANDING  # the loop stopped at the repeat
    assert answer.found  # the echoed instruction was not taken for a refusal
    assert "2 because it repeated the prompt" in answer.note


def test_a_server_that_does_not_stream_and_model_html_is_escaped(sample_index):
    from qa.rendering import answer_html

    _, answer, _ = ask(sample_index, "When does Mission 2 land?",
                       Reply("Mission 2 <b>lands</b> on June 6, 2025 [1].", stream=False))
    assert answer.generator == "fake-model" and answer.text == "Mission 2 <b>lands</b> on June 6, 2025 [1]."
    html = answer_html(answer, 1)
    assert "&lt;b&gt;lands&lt;/b&gt;" in html and "<b>" not in html and 'href="#cite-1-1"' in html


def test_settings_and_the_key(sample_index, built_index_dir, monkeypatch):
    with FakeLLM(LANDING) as server:
        monkeypatch.setenv("QA_LLM", server.url)
        monkeypatch.setenv("QA_LLM_MODEL", "my-model")
        monkeypatch.setenv("QA_LLM_KEY", "sk-secret-123")
        settings = qa.Settings.from_environment()
        assert settings.llm_url == server.url and settings.llm_model == "my-model"
        assert "sk-secret" not in repr(settings)
        index = qa.load_index(built_index_dir, settings=settings)
        answer = index.answer("When does Mission 2 land?")
    assert answer.generator == "my-model" and answer.text == LANDING
    assert server.requests[0]["authorization"] == "Bearer sk-secret-123" and server.requests[0]["model"] == "my-model"
    assert sample_index.answer("When does Mission 2 land?").generator == "extractive"  # the default


def test_prompt_numbers_passages_with_their_release_dates(sample_index):
    evidence = sample_index.evidence("When does Mission 2 land?")
    passages = passages_of(evidence)
    content = prompt(evidence, passages)[-1]["content"]
    for number, hit in enumerate(passages, start=1):
        assert f"[{number}] (release of {hit.doc_date}" in content
        assert " ".join(hit.text.split()) in content
    assert content.count(passages[0].title) == 1  # a release's title once
    assert content.rstrip().endswith("Question: When does Mission 2 land?")


def test_cli_ask_and_eval_with_llm(built_index_dir, capsys, tmp_path):
    from qa.cli import main

    with FakeLLM(LANDING) as server:
        assert main(["ask", "When does Mission 2 land?", "--index", str(built_index_dir), "--llm", server.url,
                     "--llm-model", "cli-model"]) == 0
        printed = capsys.readouterr().out
        assert LANDING in printed and "Answered by: cli-model" in printed
        assert main(["ask", "When does Mission 2 land?", "--index", str(built_index_dir), "--llm", server.url,
                     "--json"]) == 0
        record = json.loads(capsys.readouterr().out)
        assert record["generator"] == "fake-model" and record["dropped"] == [] and record["note"] == ""
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(DEV_QUESTIONS.read_text(encoding="utf-8").splitlines()[:2]), encoding="utf-8")
    with FakeLLM("ispace demonstrates thermal mining on the Moon [1]. It is great.") as server:
        assert main(["eval", str(questions), "--index", str(built_index_dir), "--llm", server.url, "-q"]) == 0
    printed = capsys.readouterr().out
    assert "generative (fake-model): 1/2 answers written by the model, 1 extractive instead; " \
           "2 of 3 sentences dropped by the check" in printed


def test_evaluate_reports_the_check(sample_index):
    questions = read_questions(DEV_QUESTIONS)[:1]
    with FakeLLM("ispace and Takasago plan to demonstrate thermal mining on the Moon [1]. Bananas [1].") as server:
        answerer = GenerativeAnswerer(server.url, dictionary=sample_index.dictionary)
        report = evaluate(sample_index, questions, answerer=answerer)
    generation = report["answers"]["generation"]
    assert generation["sentences_written"] == 2 and generation["sentences_dropped"] == 1
    assert generation["answers_by_model"] == 1 and generation["seconds_max"] > 0
    item = report["answers"]["questions"][0]
    assert item["generator"] == "fake-model" and item["dropped_sentences"] == ["Bananas [1]."] and item["kept"] == 1
    assert any(line.startswith("generative (fake-model)") for line in table(report))


def test_the_app_streams_and_says_which_answerer_is_in_use(built_index_dir, tmp_path):
    import app
    from conftest import copy_index

    index_dir = copy_index(built_index_dir, tmp_path)
    text = LANDING + " It launched on January 15, 2025 [1]. <script>alert(1)</script> [1]."
    with FakeLLM(Reply(text, piece=3)) as server:
        settings = qa.Settings(llm_url=server.url)
        demo = app.build_app(qa.load_index(index_dir, settings=settings), index_dir=index_dir, settings=settings)
        chat = demo.chat_app
        assert "answers: the server's model at " + server.url in chat.status()
        respond = {function.name: function.fn for function in demo.fns.values()}["respond"]
        updates = list(respond("When does Mission 2 land?", [], [], {}, 0))
    assert len(updates) >= 2
    drafts = [update[0][-1]["content"] for update in updates[:-1]]
    assert any('class="qa-pending"' in draft for draft in drafts)
    assert all(not any(character.isdigit() for character in draft.split('class="qa-pending"')[-1]) for draft in drafts)
    final = updates[-1][0][-1]["content"]
    assert "June 6, 2025" in final and 'href="#cite-1-1"' in final and "Written by fake-model" in final
    assert "<script>" not in final and "qa-pending" not in final
    assert "answers: fake-model at" in updates[-1][7]  # the status line after the answer
    # the server goes away: the next answer is extractive, said in the answer and the status line
    updates = list(respond("When does Mission 2 land?", [], [], {}, 0))
    assert "could not be reached" in updates[-1][0][-1]["content"]
    assert "last answer extractive: the model was unreachable" in updates[-1][7]
    extractive = app.build_app(qa.load_index(index_dir), index_dir=index_dir, settings=qa.Settings())
    assert "answers: extractive (offline)" in extractive.chat_app.status()


def test_qa_serve_and_app_take_the_language_model_flags(monkeypatch):
    import app
    from qa.cli import parser, serve_arguments

    arguments = parser().parse_args(["serve", "--index", "idx", "--llm", "http://127.0.0.1:11434/v1",
                                     "--llm-model", "qwen2.5:7b", "--llm-timeout", "30", "--precision", "0.9",
                                     "--store", "vectors.db"])
    argv = serve_arguments(arguments)
    assert argv[argv.index("--llm") + 1] == "http://127.0.0.1:11434/v1"
    assert argv[argv.index("--llm-model") + 1] == "qwen2.5:7b" and argv[argv.index("--llm-timeout") + 1] == "30.0"
    seen = {}
    monkeypatch.setattr(app, "port_in_use", lambda host, port: None)  # a chat already running here is no matter
    monkeypatch.setattr(app, "load_or_build", lambda settings: seen.setdefault("settings", settings) and None)
    monkeypatch.setattr(app, "build_app", lambda *a, **k: (_ for _ in ()).throw(SystemExit(0)))
    with pytest.raises(SystemExit):
        app.main(argv)
    settings = seen["settings"]
    assert (settings.llm_url, settings.llm_model, settings.llm_timeout) == ("http://127.0.0.1:11434/v1", "qwen2.5:7b", 30.0)
    # `qa serve --precision` and `--store` were accepted and dropped on the way to app.py
    assert (settings.answer_precision, settings.store) == (0.9, "vectors.db")


def test_qa_serve_and_app_have_one_command_line(monkeypatch):
    """app.py wrote its own flags beside `qa serve`'s, and they had drifted apart."""
    import argparse

    import app
    from qa.cli import parser

    def options(command_line):
        return {option for action in command_line._actions for option in action.option_strings}

    serve = next(action for action in parser()._actions if isinstance(action, argparse._SubParsersAction)).choices["serve"]
    seen = {}

    def capture(self, args=None, namespace=None):  # app.main's parser, before it reads anything
        seen["app"] = self
        raise SystemExit(0)

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", capture)
    with pytest.raises(SystemExit):
        app.main([])
    assert options(seen["app"]) == options(serve)


def test_each_index_gets_the_language_model_its_own_settings_name(built_index_dir):
    """The answerer was cached by id(index): a freed index's model ("cli-model") answered
    for the next index loaded at the same address, which named no model."""
    import gc

    from qa.asking import answerer_for

    first = qa.load_index(built_index_dir, settings=qa.Settings(llm_url="http://127.0.0.1:9/v1", llm_model="cli-model"))
    assert answerer_for(first).model == "cli-model"
    first.settings = qa.Settings(llm_url="http://127.0.0.1:9/v1", llm_model="renamed")  # the cache follows settings
    assert answerer_for(first).model == "renamed"
    del first
    gc.collect()
    for _ in range(5):  # likely at the freed address; right whatever the address
        second = qa.load_index(built_index_dir, settings=qa.Settings(llm_url="http://127.0.0.1:9/v1", llm_model="other"))
        assert answerer_for(second).model == "other"
        del second
        gc.collect()
