"""What an answerer reads: the question as read, the passages found, and what search knows of them.

Design choice: the answer stage reads a search result, never the index's insides.
`gather` asks the search stage (any object with the methods of `Searcher`: an
`Index`, or a store behind it) for the question as read, the passages and their
sentences' scores, each passage's document's first chunk, the passages of newer
releases, and dictionary look-ups (whether the index holds a word, a name's forms in
the other script), and assembles them, with the subject the question names (see
`binding`), into one frozen `Evidence`. Any answerer, extractive or generative,
takes the same `Evidence` and returns the same `Answer`.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol

import numpy as np

from ..records import Hit, Retrieved
from ..search.conversation import conversation
from ..search.question import Question
from ..search.timeframe import TimeFrame, without_time
from .asked_names import japanese_names
from .binding import Subject, read_subject
from .readings import readings
from .terms import Terms, question_terms, terms_of

# Passages whose sentences the answerer reads (3, 4, 5 measured: 0.85, 0.89, 0.93 answer
# accuracy on the development releases; the sample and fixture sets unchanged).
PASSAGES_READ = 5
# Passages of newer releases read for "a newer release says otherwise".
UPDATE_PASSAGES = 5


@dataclass(frozen=True)
class Evidence:
    question: Question
    retrieved: Retrieved
    subject: Subject = Subject()
    heads: list[Hit | None] = field(default_factory=list)  # per hit: its document's first chunk
    updates: Retrieved | None = None  # passages of newer releases, for "a newer release says"
    common: Callable[[str], bool] = lambda word: False  # whether an English word is a common word
    knows: Callable[[str], bool] = lambda word: True  # whether the index holds a word
    romanize: Callable[[str], dict] = lambda text: {}  # Japanese names of a text -> their readings
    # The conversation so far, (question, answer text) per earlier turn, and a name's
    # other-language forms (Takasago -> 高砂): for a generative answerer and its check.
    history: tuple[tuple[str, str], ...] = ()
    forms: Callable[[str], tuple[str, ...]] = lambda name: ()
    # How telling a word is in this index: its inverse document frequency (1.0 unknown).
    rarity: Callable[[str], float] = lambda word: 1.0

    @property
    def hits(self) -> list[Hit]:
        return self.retrieved.hits

    @functools.cached_property
    def terms(self) -> Terms:
        """The question's content words, with their translations (see `terms`)."""
        return question_terms(self.question)

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The question's names, to find the fact that follows one (ispaceの本社): its
        Latin words that the index holds, and every form of its names."""
        latin = {word for word in re.findall(r"[a-z][a-z0-9-]+", self.question.text.lower()) if self.knows(word)}
        forms = {form for names in self.subject.names + self.subject.loose for form in names}
        return frozenset(latin | forms)

    @functools.cached_property
    def literal(self) -> frozenset[str]:
        """The words the question itself uses, and the forms of its names. Dates that
        set the question's time frame ("as of March 2021") are no words of it: they are
        matched as release dates, as retrieval matches them."""
        text = self.question.text
        if self.question.timeframe.kind in ("during", "as_of", "before"):
            text = without_time(text)
        return terms_of(text) | self.names




class Searcher(Protocol):
    """What the answer stage asks of search (an `Index` is one)."""
    dictionary: object

    def read_question(self, question: str, history=None) -> Question: ...
    def embed_question(self, question) -> np.ndarray: ...
    def search_with_vector(self, question: Question, vector: np.ndarray, *, k: int) -> Retrieved: ...
    def first_hit_of(self, path: str) -> Hit | None: ...
    def holds(self, form: str) -> bool: ...
    def knows(self, token: str) -> bool: ...
    def common_word(self, word: str) -> bool: ...
    def other_forms(self, name: str) -> tuple[str, ...]: ...
    def rarity(self, token: str) -> float: ...


def _day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso[:10])


def gather(searcher: Searcher, question: str, *, history=None, k: int = 5) -> Evidence:
    """The evidence for `question` (rewritten against `history` when it is a
    follow-up): the passages read, their documents' first chunks, the passages of
    releases newer than those read, and the subject the question names."""
    read = searcher.read_question(question, history)
    vector = searcher.embed_question(read)
    retrieved = searcher.search_with_vector(read, vector, k=max(k, PASSAGES_READ))
    subject = read_subject(read, knows=searcher.holds, other_forms=searcher.other_forms,
                           japanese_names=japanese_names if read.language == "ja" else lambda text: [],
                           common=searcher.common_word)
    dates = [hit.doc_date for hit in retrieved.hits[:PASSAGES_READ] if hit.doc_date]
    updates = None
    if dates:  # passages of releases newer than those read, for "a newer release says"
        later = replace(read, timeframe=TimeFrame("after", _day(min(dates)), _day(min(dates))))
        updates = searcher.search_with_vector(later, vector, k=UPDATE_PASSAGES)
    dictionary = searcher.dictionary
    return Evidence(read, retrieved, subject, heads=[searcher.first_hit_of(hit.path) for hit in retrieved.hits],
                    updates=updates, common=searcher.common_word, knows=searcher.knows,
                    romanize=lambda text: readings(text, dictionary), history=conversation(history),
                    forms=searcher.other_forms, rarity=searcher.rarity)
