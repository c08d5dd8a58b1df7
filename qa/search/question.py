"""Reading a question once: cleaned text, language, words, names, time and kind.

Design choice: a question is read into a frozen `Question` record before anything
searches or answers, so search and answering see the same reading and nothing
re-tokenizes it on the way.
"""

from __future__ import annotations

from ..errors import QuestionError
from ..ingest.normalize import clean_characters

# Questions longer than this are cut before embedding and scoring.
MAX_QUESTION_CHARACTERS = 2000


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    cleaned = " ".join(clean_characters(question).split())
    if not cleaned:
        raise QuestionError("the question is empty")
    return cleaned[:MAX_QUESTION_CHARACTERS]
