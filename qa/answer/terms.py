"""The question's words, and whether a passage holds them.

Design choice: one place decides what counts as a word of a question (SudachiPy
normalized forms and lower-cased Latin words, without question words and verbs of
asking) and how an English word reaches Japanese text (`facts.VOCABULARY`). The
answerer uses these to weigh sentences, to pick among facts and to require that a
general answer shares a word with the question.
"""

from __future__ import annotations

import functools
import re

from .facts import VOCABULARY
from ..search.lexical import tokenize

IGNORED_TERMS = {"何", "いつ", "どこ", "誰", "だれ", "どう", "どれ", "いくら", "いくつ", "です", "ます", "する", "為る",
                 "ある", "いる", "居る", "有る", "成る", "なる", "よう", "名前", "name", "called", "does", "do"}


@functools.lru_cache(maxsize=4096)
def terms_of(text: str) -> frozenset[str]:
    """Content words of `text`, cached: the same sentences come back question after
    question, and one question is looked at several times."""
    terms = {token.removesuffix("'s") for token in tokenize(text, "sudachi")}  # ispace's -> ispace
    return frozenset(terms - IGNORED_TERMS)


def focus_terms(question: str, spelled: frozenset[str] = frozenset()) -> set[str]:
    """Content words of the question, with Japanese equivalents of English ones and
    the `spelled` Japanese words its romaji names stand for (see `romaji`)."""
    terms = set(terms_of(question)) | spelled
    for term in list(terms):
        terms.update(word.lower() for word in VOCABULARY.get(term, ()))
    return terms


def overlap(terms: set[str], text: str) -> float:
    """The share of `terms` that `text` holds, as a word or inside a longer one."""
    if not terms:
        return 0.0
    found = terms_of(text)
    lowered = text.lower()
    return sum(term in found or (len(term) > 1 and term in lowered) for term in terms) / len(terms)


def anchors_of(question: str, spelled: frozenset[str] = frozenset()) -> set[str]:
    """The question's words a general answer must share with its quote: content words
    and their Japanese equivalents, bare numbers aside. Without one, a heading such as
    "PRESS RELEASE" is close in cosine to "hello" or "<script>" (measured: 0.84-0.87)."""
    return {term for term in focus_terms(question, spelled) if not term.isdigit()}


def shares_anchor(anchors: set[str], text: str) -> bool:
    """Whether `text` holds one of `anchors`: as one of its words (normalized forms,
    so 打ち上げ meets 打上げ), a Latin word at a word start (lander, landers), or a
    Japanese word anywhere (事業 in 事業内容)."""
    if anchors & terms_of(text):
        return True
    lowered = text.lower()
    for term in anchors:
        if term.isascii():
            if re.search(r"(?<![a-z0-9])" + re.escape(term), lowered):
                return True
        elif term in lowered:
            return True
    return False
