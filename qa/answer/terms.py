"""The question's words, and whether a passage holds them.

Design choice: one place decides what counts as a word of a question (the lexical
index's tokens: SudachiPy normalized forms and stemmed Latin words, without question
words and verbs of asking) and adds the question's translations (the dictionary's
other-language words that the index holds, see `qa.search.translate`), so an English
question's "landing" meets a Japanese quote's 着陸. The answerer uses these to weigh
sentences, to pick among facts and to require that a general answer shares a word
with the question.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..search.lexical import latin_form, tokenize
from ..search.question import Question

_IGNORED = {"何", "いつ", "どこ", "誰", "だれ", "どう", "どれ", "いくら", "いくつ", "です", "ます", "する", "為る",
            "ある", "いる", "居る", "有る", "成る", "なる", "よう", "名前", "時点", "最新", "現在",
            "name", "called", "does", "do", "latest", "current", "currently", "now", "report", "reported"}
IGNORED_TERMS = frozenset(_IGNORED | {latin_form(word) for word in _IGNORED if word.isascii()})


@functools.lru_cache(maxsize=4096)
def terms_of(text: str) -> frozenset[str]:
    """Content words of `text`, cached: the same sentences come back question after
    question, and one question is looked at several times."""
    terms = {token.removesuffix("'s") for token in tokenize(text, "sudachi")}  # ispace's -> ispace
    return frozenset(terms - IGNORED_TERMS)


@dataclass(frozen=True)
class Terms:
    """A question's content words (`own`) and their translations. A text's overlap
    with them is the larger of two shares, so a sentence in either language can hold
    all of the question's words: the share of its own words, and the share of its
    words whose translation the text holds (`translated_share`)."""

    own: frozenset[str]
    translated: frozenset[str]
    # Each translation's weight: a question word's weight shared among its translations.
    weights: tuple[tuple[str, float], ...] = ()

    @property
    def all(self) -> frozenset[str]:
        return self.own | self.translated

    def overlap(self, text: str) -> float:
        return _terms_overlap(self, text)

    def translated_share(self, text: str) -> float:
        """The share of the question's words whose translations `text` holds: each
        held translation counts its weight, over the number of the question's words.
        One gloss the index happens to hold (事業 -> venture) is a fifth of a
        five-word question, never the whole of it."""
        if not self.translated:
            return 0.0
        weights = dict(self.weights) or {term: 1.0 for term in self.translated}
        held = sum(weight for term, weight in weights.items() if term in self.translated and holds_term(term, text))
        return min(1.0, held / max(len(self.own), sum(weights.values()), 1.0))


@functools.lru_cache(maxsize=16384)
def _terms_overlap(terms: Terms, text: str) -> float:
    """`Terms.overlap`, cached: the answerer asks it of the same sentences for every
    fact and every check (a fifth of the answer stage's time before)."""
    return max(overlap(terms.own, text), terms.translated_share(text))


def question_terms(question: Question) -> Terms:
    """The question's own content words (with the Japanese words its romaji names
    spell) and their translations."""
    own = terms_of(question.dense_text or question.text) | {word for forms in question.romaji for word in forms}
    translated = frozenset({token for token, _ in question.translations} - IGNORED_TERMS)
    return Terms(frozenset(own), translated,
                 tuple((token, weight) for token, weight in question.translations if token in translated))


def _related_stems(term: str, found: frozenset[str]) -> bool:
    """English stems of one word family that Snowball keeps apart (failur / fail,
    announc / announcement): one is a prefix of the other, four letters at least."""
    if not term.isascii() or len(term) < 4:
        return False
    return any(token.isascii() and len(token) >= 4 and (token.startswith(term) or term.startswith(token))
               for token in found)


@functools.lru_cache(maxsize=65536)
def holds_term(term: str, text: str) -> bool:
    """Whether `text` holds `term`, as a word or inside a longer one, or a word of its
    family; cached, since one question asks it of the same sentences many times."""
    found = terms_of(text)
    return term in found or (len(term) > 1 and term in text.lower()) or _related_stems(term, found)


def overlap(terms: set[str] | frozenset[str], text: str, weight=None) -> float:
    """The share of `terms` that `text` holds, as a word or inside a longer one; with
    `weight(term)`, the share of their weight (a rare word counts for more)."""
    if not terms:
        return 0.0
    if weight is None:
        return sum(holds_term(term, text) for term in terms) / len(terms)
    total = sum(weight(term) for term in terms)
    held = sum(weight(term) for term in terms if holds_term(term, text))
    return held / total if total else 0.0


def anchors_of(question: Question) -> set[str]:
    """The question's words a general answer must share with its quote: content words
    and their translations, bare numbers and single letters aside. Without one, a
    heading such as "PRESS RELEASE" is close in cosine to "hello" or "<script>"
    (measured: 0.84-0.87)."""
    return {term for term in question_terms(question).all
            if not term.isdigit() and not (term.isascii() and len(term) < 2)}


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
