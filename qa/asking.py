"""Asking an index a question: the search stage and the answer stage wired together.

Design choice: the index searches; the answer stage reads what search returns (see
`qa.answer.evidence`). This module is the one place that joins them, so neither
stage imports the other's insides: `qa.answer(...)`, `Index.answer`, the CLI, the
app and `qa eval` all come here. The answerer is the one given, else the language
model the settings name (QA_LLM, made once per index), else the extractive one.
"""

from __future__ import annotations

import threading
import weakref

from .answer.answering import Answerer, ExtractiveAnswerer
from .answer.evidence import Evidence, gather
from .languages import unsupported_language, unsupported_reply
from .records import NOT_FOUND, Answer
from .search.question import clean_question

# Per index, the language-model answerer its settings name (made once). Held weakly:
# keyed by id(), a freed index's answerer was handed to the next index given its
# address (`qa ask --llm-model cli-model` then `qa ask` answered as cli-model).
_generative: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_generative_lock = threading.Lock()


def evidence(index, question: str, *, history=None, k: int = 5) -> Evidence | Answer:
    """What an answerer reads for `question`; for a question in a language qa does
    not answer, the `Answer` that says so (see `qa.languages`)."""
    language = unsupported_language(clean_question(question))
    if language:
        return Answer(text=unsupported_reply(language), found=False, outcome=NOT_FOUND, language="en",
                      question=clean_question(question))
    return gather(index, question, history=history, k=k)


def answerer_for(index, answerer: Answerer | None = None) -> Answerer:
    """The answerer to use: the one given, else the settings' language model (made
    once per index), else the extractive one."""
    if answerer is not None:
        return answerer
    if index.settings.llm_url:
        wanted = (index.settings.llm_url, index.settings.llm_model, index.settings.llm_timeout)
        with _generative_lock:
            made = _generative.get(index)
            if made is None or made[0] != wanted:
                from .answer.generative import answerer_from_settings

                made = _generative[index] = (wanted, answerer_from_settings(index.settings,
                                                                            dictionary=index.dictionary))
            return made[1]
    return ExtractiveAnswerer(precision=index.settings.answer_precision)


def answer(index, question: str, *, history=None, k: int = 5, answerer: Answerer | None = None) -> Answer:
    """An answer with citations from `index`: exactly one of the outcomes "answer",
    "passage" or "not_found" (see `qa.answer.answering`)."""
    found = evidence(index, question, history=history, k=k)
    if isinstance(found, Answer):
        return found
    return answerer_for(index, answerer).answer(found)


def answer_stream(index, question: str, *, history=None, k: int = 5, answerer: Answerer | None = None):
    """Like `answer`, for a chat: drafts while a language model writes (see
    `qa.answer.generative.Draft`), then the `Answer`, always last. The extractive
    answerer yields its answer alone."""
    found = evidence(index, question, history=history, k=k)
    if isinstance(found, Answer):
        yield found
        return
    chosen = answerer_for(index, answerer)
    if hasattr(chosen, "stream"):
        yield from chosen.stream(found)
    else:
        yield chosen.answer(found)
