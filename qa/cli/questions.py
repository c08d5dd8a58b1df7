"""`qa search`, `ask` and `eval`: questions against an index.

Design choice: `ask` prints the answer, its note, its outcome said plainly (what the
confidence measures) and its sources; `eval` prints the per-language and per-kind
table of `qa.evaluation`. `--json` prints the records instead.
"""

from __future__ import annotations

import json

from .common import progress, question_of, settings_of


def command_search(arguments) -> int:
    from ..loading import load_index

    settings = settings_of(arguments)
    index = load_index(settings.index_dir, settings=settings)
    hits = index.search(question_of(arguments), k=arguments.k)
    if arguments.json:
        print(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no passages found")
    for rank, hit in enumerate(hits, start=1):
        print(f"[{rank}] {hit.source}  page {hit.page_label}  date {hit.doc_date or '-'}  score {hit.score:.4f}")
        print("    " + hit.text.replace("\n", "\n    "))
    return 0


OUTCOME_WORDS = {"answer": "answer (a fact stated first)",
                 "passage": "passage (the closest passage quoted; no fact stated)",
                 "not_found": "not found (the releases do not say)"}


def _outcome_words(answer) -> str:
    """The outcome said plainly; "not found" with nothing quoted (a question in a language
    qa does not answer, never searched) does not claim the releases were read."""
    if answer.outcome == "not_found" and not answer.citations and not answer.hits:
        return "not answered (nothing quoted)"
    return OUTCOME_WORDS[answer.outcome]


def _confidence_words(answer) -> str:
    """What `Answer.confidence` measures, said plainly: for a stated fact, how likely it is
    right; for the closest passage, how likely it holds the answer (a passage at 0.91
    read as "not confident ... (confidence 0.91)")."""
    if answer.confidence is None or answer.outcome == "not_found":
        return ""
    if answer.outcome == "answer":
        return f" (the model puts the chance that this fact is right at {answer.confidence:.2f})"
    return f" (the model puts the chance that this passage holds the answer at {answer.confidence:.2f})"


def command_ask(arguments) -> int:
    from ..loading import load_index

    settings = settings_of(arguments)
    index = load_index(settings.index_dir, settings=settings)
    answer = index.answer(question_of(arguments), k=arguments.k)
    if arguments.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.note:
        print(f"\nNote: {answer.note}")
    print(f"\nOutcome: {_outcome_words(answer)}" + _confidence_words(answer))
    print()
    if settings.llm_url:
        print(f"Answered by: {answer.generator}" + (" (every sentence checked against its citation)"
                                                    if answer.generator != "extractive" else ""))
    if answer.citations:
        print("Sources:")  # the quotes are in the answer above; here, where each one is
        for citation in answer.citations:
            hit = citation.hit
            print(f"[{citation.n}] {hit.title} | {hit.source}, page {hit.page_label}, {hit.doc_date or 'undated'}")
    elif answer.hits:
        print("Closest passages:")
        for rank, hit in enumerate(answer.hits, start=1):
            print(f"- {hit.source}, page {hit.page_label}, {hit.doc_date or 'undated'}: {hit.text[:160]}")
    return 0


def command_eval(arguments) -> int:
    from ..evaluation import evaluate, read_questions, table
    from ..loading import load_index

    settings = settings_of(arguments)
    index = load_index(settings.index_dir, settings=settings)
    questions = read_questions(arguments.questions)
    steps = len(questions) * (1 if arguments.retrieval_only else 2)
    with progress(not arguments.json and not arguments.quiet, steps, "evaluating", "question") as bar:
        report = evaluate(index, questions, k=arguments.k, answers=not arguments.retrieval_only,
                          progress=bar.update if bar is not None else None,
                          answerer=index.answerer() if settings.llm_url else None)
    if arguments.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"index: {index}")
    for line in table(report):
        print(line)
    return 0
