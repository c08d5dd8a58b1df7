"""Answers with verified citations.

Design choice: the default `Answerer` is extractive and offline. It reads the
sentences of the retrieved passages, already scored against the question by the
same vectors retrieval used (no extra model call), and quotes the best one. For a
question that asks for a date, person, number, amount or place, the quoted sentence
must hold such a fact, found as a span of the quote, and the answer puts it first.
It refuses, listing the closest passages, when no sentence is close enough to the
question or none holds the kind of fact asked for. Plans are flagged as of the
release date. Every quote is checked to be the exact span of its passage before the
answer is returned. Another answerer (a generative model) can take the same
`Evidence` and must return the same `Answer`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable, Protocol

import numpy as np

from .conversation import resolve
from .clauses import best_fact, clause, event_words
from ..errors import QAError
from .facts import DATE, GENERAL, VOCABULARY, Fact, find_facts, is_earliest, is_plan, latin_names, numbered_names, \
    question_kind
from .framing import compose, refusal_text
from ..ingest.language import detect_language
from ..ingest.normalize import squash
from ..records import Answer, Citation, Hit
from ..search.question import clean_question
from .terms import anchors_of, focus_terms, overlap, shares_anchor

# A sentence is close enough to answer when its relevance reaches a floor. Relevance
# is the sentence's cosine with the question plus 0.1 x the share of the question's
# content words it contains. Across languages (an English question, a Japanese
# passage) cosines run lower and shared words are few, so the floor is lower, and
# lower still when the sentence must also hold the kind of fact asked for (a date,
# a name, a figure), which is itself strong evidence. Chosen on the development
# questions plus tests/data/extra_qa.jsonl (22 answerable, 22 unanswerable); the
# README has the sweep.
MIN_RELEVANCE_SAME_LANGUAGE = 0.85
MIN_RELEVANCE_CROSS_LANGUAGE = 0.84
MIN_RELEVANCE_CROSS_LANGUAGE_TYPED = 0.77
# Passages whose sentences the answerer reads.
PASSAGES_READ = 3
# A second sentence is quoted for a general question when it is this close to the first.
SECOND_QUOTE_MARGIN = 0.02
_RELEASE_ITSELF = re.compile(r"この(プレス)?リリース|本リリース|このニュース|\bth(is|e) (press )?release\b|\bthis announcement\b",
                             re.IGNORECASE)
# A heading line: no sentence-ending mark (■…のコメント, ◼…について).
_HEADING = re.compile(r"[^。.!?！？」』)\]”\"]$")



@dataclass(frozen=True)
class Evidence:
    question: str           # as asked
    resolved_question: str  # follow-ups rewritten into full questions
    language: str
    hits: list[Hit]
    sentences: list[tuple[tuple, np.ndarray]]  # per hit: sentence spans, cosine of each
    heads: list[Hit | None] = field(default_factory=list)  # per hit: its document's first chunk
    in_corpus: Callable[[str], bool] = lambda term: True
    # For each romaji name of the question (Takasago), the Japanese words it spells (高砂).
    romaji_names: tuple[tuple[str, ...], ...] = ()

    @functools.cached_property
    def spelled(self) -> frozenset[str]:
        """The Japanese words the question's romaji names stand for."""
        return frozenset(japanese for forms in self.romaji_names for japanese in forms)

    @functools.cached_property
    def terms(self) -> set[str]:
        """The question's content words, with Japanese equivalents (see `terms`)."""
        return focus_terms(self.resolved_question, self.spelled)

    @functools.cached_property
    def name_terms(self) -> frozenset[str]:
        """Words of the question that name something in the index: its Latin-script
        words the index knows (ispace) and the Japanese words of its romaji names."""
        latin = {word for word in re.findall(r"[a-z][a-z0-9-]+", self.resolved_question.lower())
                 if self.in_corpus(word)}
        return frozenset(latin) | self.spelled

    @functools.cached_property
    def names(self) -> list[tuple[str, ...]]:
        """The names a quote must hold, each as the forms it may take: Latin-script
        names (RESILIENCE, SpaceX, CFO), as written or in their Japanese form
        (CFO: 最高財務責任者), and romaji names in Japanese (Takasago: 高砂). A name
        that no passage holds ("the CFO of ispace" over a release that names only its
        CEO) leaves nothing to quote."""
        names = []
        for name in latin_names(self.resolved_question):
            lowered = name.lower()
            names.append((lowered, *(word.lower() for word in VOCABULARY.get(lowered, ()))))
        return names + list(self.romaji_names)


class Answerer(Protocol):
    def answer(self, evidence: Evidence) -> Answer: ...


@dataclass(frozen=True)
class _Candidate:
    hit: Hit
    hit_rank: int
    start: int
    end: int
    text: str
    relevance: float
    event_in_sentence: bool
    facts: tuple[Fact, ...]


def _names_all(names: list[tuple[str, ...]], text: str) -> bool:
    """Whether `text` holds each name, in one of its forms."""
    lowered = text.lower()
    return all(any(form in lowered for form in forms) for forms in names)


class ExtractiveAnswerer:
    """Quotes the sentence that answers; never writes a claim of its own."""

    def candidates(self, evidence: Evidence, kind: str) -> list[_Candidate]:
        question = evidence.resolved_question
        terms = evidence.terms
        numbered = numbered_names(question)
        names = evidence.names
        events = event_words(question, terms) if kind == DATE else set()
        found = []
        for rank, (hit, (spans, scores)) in enumerate(zip(evidence.hits[:PASSAGES_READ], evidence.sentences)):
            for position, ((start, end), cosine) in enumerate(zip(spans, scores)):
                relevance = float(cosine) + 0.1 * overlap(terms, hit.text[start:end])
                if kind == GENERAL and _HEADING.search(hit.text[start:end]) and position + 1 < len(spans):
                    # A heading answers nothing by itself: quote it with what follows it.
                    end = spans[position + 1][1]
                    relevance = max(relevance, float(scores[position + 1]) +
                                    0.1 * overlap(terms, hit.text[spans[position + 1][0]:end]))
                text = hit.text[start:end]
                # A quote is only about the thing asked for (Mission 2, 高砂, the US) when
                # it names it: Mission 3's place is no answer to where Mission 2 lands.
                if not (all(pattern.search(text) for pattern in numbered) and _names_all(names, text)):
                    continue
                facts = tuple(find_facts(kind, text)) if kind != GENERAL else ()
                event = any(word in text for word in events)
                found.append(_Candidate(hit, rank, start, end, text, relevance, event, facts))
        # For a when-question, a sentence naming the event asked about (landing) comes
        # first; then relevance.
        return sorted(found, key=lambda candidate: (-candidate.event_in_sentence, -candidate.relevance,
                                                    candidate.hit_rank, candidate.start))

    def _release_date_answer(self, evidence: Evidence) -> Answer | None:
        """"When was this release published?": quote the date line of the top document."""
        for head in evidence.heads[:1]:
            if head is None or not head.doc_date:
                continue
            for mention in find_facts(DATE, head.text):
                if mention.start < 200 and _english_iso(mention) == head.doc_date:
                    end = head.text.find("\n", mention.end)
                    end = len(head.text) if end < 0 else end
                    start = head.text.rfind("\n", 0, mention.start) + 1
                    citation = Citation(1, head, head.text[start:end], start, end)
                    return self._found(evidence, DATE, mention, [citation], plan_text="")
        return None

    def answer(self, evidence: Evidence) -> Answer:
        kind = question_kind(evidence.question)
        if kind == GENERAL:
            kind = question_kind(evidence.resolved_question)
        if kind == DATE and _RELEASE_ITSELF.search(evidence.question):
            answer = self._release_date_answer(evidence)
            if answer is not None:
                return answer
        cross_language = any(hit.language != evidence.language for hit in evidence.hits[:1])
        if not cross_language:
            floor = MIN_RELEVANCE_SAME_LANGUAGE
        else:
            floor = MIN_RELEVANCE_CROSS_LANGUAGE if kind == GENERAL else MIN_RELEVANCE_CROSS_LANGUAGE_TYPED
        anchors = anchors_of(evidence.resolved_question, evidence.spelled)
        if not anchors:  # nothing asked about: "?", "🚀", "いつ？" with no earlier turn
            return _refusal(evidence, None)
        candidates = self.candidates(evidence, kind)
        relevant = [candidate for candidate in candidates if candidate.relevance >= floor]
        if kind == GENERAL:
            # A general answer has no fact type to check, so its quote must share a word
            # with the question; a cosine alone is not enough evidence.
            relevant = [candidate for candidate in relevant if shares_anchor(anchors, candidate.text)]
        if kind != GENERAL:
            typed = [candidate for candidate in relevant if candidate.facts]
            if not typed:
                return _refusal(evidence, kind if relevant else None)
            relevant = typed
        if not relevant:
            return _refusal(evidence, None)
        chosen = [relevant[0]]
        if kind == GENERAL:
            # The best sentence of another passage, when nearly as relevant, is quoted
            # too: a general question is often answered in a second place.
            others = [candidate for candidate in relevant[1:] if candidate.hit.chunk_id != chosen[0].hit.chunk_id
                      and candidate.text not in chosen[0].text and chosen[0].text not in candidate.text]
            if others and chosen[0].relevance - others[0].relevance <= SECOND_QUOTE_MARGIN:
                chosen.append(others[0])
        fact = None
        if chosen[0].facts:
            fact = best_fact(chosen[0].facts, chosen[0].text, evidence.resolved_question, kind, evidence.spelled,
                              evidence.name_terms)
        if fact is not None:
            # The same fact stated elsewhere (another passage) about the same thing is
            # cited too, so the user sees every place the releases give it. "About the
            # same thing": the quote shares as many of the question's words; 2026 for a
            # rover's launch is not confirmed by 2026 for Mission 3's.
            same = squash(fact.text)
            focus = evidence.terms
            needed = overlap(focus, chosen[0].text)
            chosen += [candidate for candidate in relevant[1:]
                       if candidate.hit.chunk_id != chosen[0].hit.chunk_id and candidate.text != chosen[0].text
                       and any(squash(other.text) == same for other in candidate.facts)
                       and overlap(focus, candidate.text) >= needed][:1]
        citations = []
        for candidate in chosen:
            citations.append(Citation(len(citations) + 1, candidate.hit, candidate.text, candidate.start, candidate.end))
        plan_text = clause(chosen[0].text, fact.start, with_predicate=True) if fact is not None else chosen[0].text
        return self._found(evidence, kind, fact, citations, plan_text)

    def _found(self, evidence: Evidence, kind: str, fact: Fact | None, citations: list[Citation],
               plan_text: str) -> Answer:
        earliest = kind == DATE and fact is not None and is_earliest(clause(citations[0].quote, fact.start))
        text = compose(evidence.language, fact, citations, plan=is_plan(plan_text), earliest=earliest)
        answer = Answer(text=text, found=True, citations=citations, language=evidence.language,
                        question=evidence.resolved_question, hits=list(evidence.hits))
        verify_citations(answer)
        return answer


def _english_iso(fact: Fact) -> str | None:
    from ..ingest.dates import find_dates

    mentions = find_dates(fact.text)
    return mentions[0].iso if mentions else None


def _refusal(evidence: Evidence, missing_kind: str | None) -> Answer:
    return Answer(text=refusal_text(evidence.language, missing_kind), found=False, citations=[],
                  language=evidence.language, question=evidence.resolved_question, hits=list(evidence.hits))


def verify_citations(answer: Answer) -> None:
    """Every quote must be the exact span of its passage that its offsets name, and
    every [n] in the text must name a citation."""
    for citation in answer.citations:
        if not citation.quote or citation.hit.text[citation.quote_start:citation.quote_end] != citation.quote:
            raise QAError(f"internal error: citation [{citation.n}] is not a verbatim span of its passage")
    for number in range(1, len(answer.citations) + 1):
        if f"[{number}]" not in answer.text:
            raise QAError(f"internal error: citation [{number}] is not referred to in the answer")


def answer_from_index(index, question: str, *, history=None, k: int = 5,
                      answerer: Answerer | None = None) -> Answer:
    question = clean_question(question)
    language = detect_language(question)
    resolved = clean_question(resolve(question, history))
    vector = index.embed_question(resolved)
    depth = max(k, PASSAGES_READ)
    hits, sentences = index.search_with_vector(resolved, vector, k=depth, language=detect_language(resolved))
    evidence = Evidence(question, resolved, language, hits, sentences,
                        heads=[index.first_hit_of(hit.path) for hit in hits],
                        in_corpus=index.lexical.knows, romaji_names=index.lexical.romaji_names(resolved))
    return (answerer or ExtractiveAnswerer()).answer(evidence)
