"""Answers with verified citations.

Design choice: the default `Answerer` is extractive and offline. It reads the
sentences of the retrieved passages (see `candidates`), already scored against the
question by the same vectors retrieval used (no extra model call), and every answer
is exactly one of three outcomes (`Answer.outcome`):

- "answer": a fact stated first (for a question that asks for a date, person,
  number, amount or place), only when the confidence model (see `confidence`, fitted
  leave-one-company-out for a target precision) is confident that it is right; a
  general question (what a company does, why) asks no fact and is never answered so;
- "passage": "The closest passage says:", the sentence most likely to hold the
  answer quoted, and no fact claimed;
- "not_found": the releases do not say (the question names something they never
  mention, asks nothing, or no sentence is close); the closest passages are listed.

A wrong fact stated first is the worst thing qa can do, so uncertainty falls back to
the passage, never to a guess. Plans are flagged as of their release date, and a
newer release that states the fact differently is cited too (see `timeline`). Every
quote is checked to be the exact span of its passage before the answer is returned.
Another answerer (a generative model) can take the same `Evidence` and must return
the same `Answer`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol

import numpy as np

from ..ingest.dates import find_dates
from ..ingest.normalize import squash
from ..records import ANSWER, Answer, Citation, Retrieved
from ..search.question import DATE, GENERAL, PERSON
from . import confidence
from .candidates import Candidate, candidates
from .numbered import numbered_owner
from .clauses import best_fact, clause
from .facts import Fact, find_facts, is_earliest, is_plan
from .changes import asks_for_first
from .features import FEATURES, context_of, features
from .handover import not_handed_over, not_officers_of_another
from .latest import newest_close, superseding
from .framing import compose
from .evidence import PASSAGES_READ, Evidence
from .misfits import profile_owner
from .outcomes import passage, refusal, verify_citations
from .stating import Scored, may_state, rival_values, stateable, stated_text, statements, value_key
from .terms import anchors_of
from .timeline import about_the_same, fact_value, newer_statement, older_statement, true_when_asked

_RELEASE_ITSELF = re.compile(r"この(プレス)?リリース|本リリース|このニュース|\bth(is|e) (press )?release\b|\bthis announcement\b",
                             re.IGNORECASE)

_FACT_EVENT = FEATURES.index("fact_event")


class Answerer(Protocol):
    def answer(self, evidence: Evidence) -> Answer: ...


class ExtractiveAnswerer:
    """Quotes the sentence that answers; never writes a claim of its own."""

    def __init__(self, model: confidence.ConfidenceModel | None = None, precision: float | None = None):
        """`model`: the confidence model (the shipped one by default); `precision`:
        the target precision of stated facts that sets the answer threshold (the
        model's default target when None)."""
        self._model = model
        self.precision = precision

    @property
    def model(self) -> confidence.ConfidenceModel:
        return self._model or confidence.load()

    def candidates(self, evidence: Evidence, retrieved: Retrieved | None = None,
                   passages: int = PASSAGES_READ) -> list[Candidate]:
        retrieved = retrieved or evidence.retrieved
        question = evidence.question
        return candidates(retrieved.hits, retrieved.sentences, question=question, terms=evidence.terms,
                          subject=evidence.subject, baselines=retrieved.baselines, passages=passages,
                          common=evidence.common, before=retrieved.before,
                          heads=evidence.heads if retrieved is evidence.retrieved else None)

    def _fact_of(self, evidence: Evidence, facts: tuple[Fact, ...], text: str) -> Fact:
        return best_fact(facts, text, evidence.question, evidence.terms, evidence.literal, evidence.names)

    def scored(self, evidence: Evidence, retrieved: Retrieved | None = None, passages: int = PASSAGES_READ,
               model: confidence.ConfidenceModel | None = None) -> list[Scored]:
        """Every candidate answer of the passages read, with its features, scored by
        `model` (the shipped one by default; False leaves them unscored, for fitting)."""
        found = self.candidates(evidence, retrieved, passages)
        context = context_of(evidence, found)
        stating = statements(found)
        facts = [(candidate, fact) for candidate in found for fact in candidate.all_facts]
        rows = []
        for rank, candidate in enumerate(found):
            # Each fact of the asked kind is a candidate of its own; the one the
            # question's words point to (`best_fact`) is marked among the features.
            pool = candidate.facts or candidate.all_facts
            preferred = self._fact_of(evidence, pool, candidate.text) if pool else None
            sentence_rows, own = [], squash(candidate.text)
            # A label line of a company profile (設立：1961年7月) speaks for its block's company:
            # when that company is none of the names asked (in any of their forms, either
            # script), its facts are not the asked thing's (Tessera's founding year is not
            # its parent's 設立).
            owner = profile_owner(candidate.above, candidate.text)
            foreign = bool(owner) and evidence.subject.names_share(owner) == 0.0
            for fact in candidate.all_facts or (None,):
                same = stating.get(value_key(fact), set()) if fact is not None else set()
                sentence_rows.append(Scored(candidate, fact, tuple(features(
                    evidence, context, candidate, fact, rank, preferred=fact is not None and fact == preferred,
                    support=len({path for path, _ in same} - {candidate.hit.path}),
                    rivals=rival_values(candidate, fact, facts),
                    restated=len({sentence for _, sentence in same} - {own}))),
                    owned=fact is None or not foreign and numbered_owner(evidence.question, candidate.text,
                                                                           fact.start)))
            # A date belongs to the event asked about: when the event (landing, 着陸) is in
            # the clause of some of a sentence's dates, the others are another event's.
            if any(item.row[_FACT_EVENT] > 0 for item in sentence_rows):
                sentence_rows = [item if item.row[_FACT_EVENT] > 0 else replace(item, owned=False)
                                 for item in sentence_rows]
            rows += sentence_rows
        if evidence.question.kind == PERSON and evidence.subject.roles and not evidence.subject.former:
            rows = self._not_handed_over(evidence, rows, found, retrieved)
        if evidence.question.kind == PERSON:
            rows = not_officers_of_another(rows, evidence.question.given)
        model = self.model if model is None else model
        if model and rows:
            matrix = np.asarray([item.row for item in rows], dtype=float)
            rights, holds = model.right.probability(matrix), model.holds.probability(matrix)
            sure = model.gate.probability(matrix) if model.gate is not None else rights
            order = model.order.probability(matrix) if model.order is not None else holds
            rows = [replace(item, right=float(right), holds=float(held), sure=float(gated), order=float(place))
                    for item, right, held, gated, place in zip(rows, rights, holds, sure, order)]
        return rows

    def _not_handed_over(self, evidence: Evidence, rows: list[Scored], found: list[Candidate],
                         retrieved: Retrieved | None) -> list[Scored]:
        """The rows, with a person whom the same or a newer release read says no longer
        holds the role asked marked as no answer (see `handover`)."""
        others = list(found)
        if retrieved is None and evidence.updates is not None and evidence.updates.hits:
            others += self.candidates(evidence, evidence.updates, passages=len(evidence.updates.hits))
        return not_handed_over(rows, others, evidence)

    def _release_date_answer(self, evidence: Evidence) -> Answer | None:
        """"When was this release published?": quote the date line of the top document."""
        for head in evidence.heads[:1]:
            if head is None or not head.doc_date:
                continue
            for mention in find_facts(DATE, head.text):
                dates = find_dates(mention.text)
                if mention.start < 200 and dates and dates[0].iso == head.doc_date:
                    end = head.text.find("\n", mention.end)
                    end = len(head.text) if end < 0 else end
                    start = head.text.rfind("\n", 0, mention.start) + 1
                    citation = Citation(1, head, head.text[start:end], start, end)
                    return self._found(evidence, DATE, mention, [citation], plan_text="", confidence=None)
        return None

    def ruled(self, evidence: Evidence) -> Answer | None:
        """The answer a rule gives before any candidate is weighed, or None: the date
        of "this release", and "the releases do not say" for a question that asks
        about nothing or names something the releases never mention."""
        question = evidence.question
        if question.kind == DATE and _RELEASE_ITSELF.search(question.asked):
            answer = self._release_date_answer(evidence)
            if answer is not None:
                return answer
        if not anchors_of(question):  # nothing asked about: "?", "🚀", "いつ？" with no earlier turn
            return refusal(evidence, None)
        if evidence.subject.unknown:  # "Mitsubishi": the releases never mention it
            return refusal(evidence, None)
        return None

    def answer(self, evidence: Evidence) -> Answer:
        ruled = self.ruled(evidence)
        if ruled is not None:
            return ruled
        question = evidence.question
        kind = question.kind
        model = self.model
        threshold = model.threshold_for(self.precision)
        scored = self.scored(evidence, model=model)
        candidates = [item for item in scored if may_state(item, question)]
        best = max(candidates, key=lambda item: item.right, default=None)
        if best is not None and best.sure >= threshold:
            if kind == GENERAL:
                # A general question (what a company does, why) asks no fact: the sentence the
                # model is sure of is quoted as the closest passage, never stated. Nested
                # leave-one-company-out, 5 of the 10 wrong facts were such sentences; without
                # them 150 right / 5 wrong (docs/quality.md, the thirteenth session).
                return passage(evidence, best.candidate, best.holds)
            update = self.update_of(evidence, best, model)
            instead = self.overruled(evidence, best, candidates, scored, model, update)
            if instead is not None:
                return passage(evidence, *instead)
            return self._stated(evidence, best, scored, model, threshold, update)
        # The closest passage is about what is asked: a sentence about Mission 2 is not
        # the closest passage to a question about Mission 7.
        about = [item for item in scored if item.candidate.numbered]
        picked = confidence.closest([item.order for item in about], [item.holds for item in about])
        closest = about[picked] if picked is not None else None
        if (closest is None or closest.holds < model.passage_threshold) and best is not None:
            # Nothing reads as close, but a sentence may be stated: it states a fact of the kind
            # asked, bound to what is asked ("開発費は総額3億5千万円です。" for the development cost
            # of a product its previous sentence names), or, for a general question, shares a
            # word with it beyond the names. It is quoted as the closest passage, never stated,
            # rather than "the releases do not say" (leave-one-company-out: answerable questions
            # not found 26 -> 13 for facts, then 14 -> 1 with general questions; of the 13
            # general ones, 3 quote the answer; 1 of 27 unanswerable "not found" becomes a passage).
            closest = best
        if closest is not None and closest.holds >= model.passage_threshold:
            closest = newest_close(evidence, closest, scored, model.passage_threshold)
        if closest is None or closest.holds < model.passage_threshold and closest is not best:
            return refusal(evidence, kind if kind != GENERAL and scored and not any(item.fact for item in scored)
                            else None)
        return passage(evidence, closest.candidate, closest.holds)

    def overruled(self, evidence: Evidence, best: Scored, candidates: list[Scored], scored: list[Scored],
                  model: confidence.ConfidenceModel, update) -> tuple[Candidate, float] | None:
        """What to quote as the closest passage instead of stating `best`'s fact (the
        model is sure of it), with its P(holds), or None to state it. `candidates`: the
        sentences that may be stated; `update`: a newer release's statement (`update_of`).
        bench/train_confidence.py replays this for every candidate it fits on."""
        newer = superseding(evidence, best, candidates, model.passage_threshold)
        if newer is not None:  # "the latest": an older release's figure is never stated first
            return newer.candidate, newer.holds
        if update is not None and true_when_asked(evidence.question, update[0]):
            # A newer release changed the fact: the older value is never stated first for
            # what is so now, or as of a date on or after the newer release; the newer
            # statement is quoted as the closest passage (a new-user session found 2024年12月
            # stated for 「最新のリリースでは…いつ？」, and 2021's figures "as of August 2023").
            return update[0], best.holds
        if asks_for_first(evidence.question.text):
            first = self._older(evidence, best, scored, model)
            if first is not None:  # "originally": an older release said otherwise first
                return first[0], best.holds
        return None

    def _stated(self, evidence: Evidence, best: Scored, scored: list[Scored],
                model: confidence.ConfidenceModel, threshold: float, update) -> Answer:
        # Only a fact is stated: `best` has one (a general question's sentence is quoted,
        # see `answer`, and `stateable` admits no other candidate without a fact); a newer
        # release's `update` that is not true when asked is cited after it.
        kind = evidence.question.kind
        chosen, fact = [best.candidate], best.fact
        confident = [item for item in scored if item.sure >= threshold and item is not best
                     and may_state(item, evidence.question)]
        chosen += self._same_fact_elsewhere(evidence, best.candidate, fact, [item.candidate for item in confident])
        citations = [Citation(number, candidate.hit, candidate.text, candidate.start, candidate.end)
                     for number, candidate in enumerate(chosen, start=1)]
        plan_text = clause(chosen[0].text, fact.start, with_predicate=True)
        stated = stated_text(evidence, best)
        if update is not None:
            candidate, newer_fact = update
            citations.append(Citation(len(citations) + 1, candidate.hit, candidate.text, candidate.start,
                                      candidate.end))
            return self._found(evidence, kind, fact, citations, plan_text, update=newer_fact, stated=stated,
                               confidence=best.sure)
        return self._found(evidence, kind, fact, citations, plan_text, stated=stated, confidence=best.sure)

    def _same_fact_elsewhere(self, evidence: Evidence, chosen: Candidate, fact: Fact,
                             relevant: list[Candidate]) -> list[Candidate]:
        """The same fact stated in another passage about the same thing, cited too, so
        the user sees every place the releases give it. "About the same thing": the
        quote shares as many of the question's words; 2026 for a rover's launch is not
        confirmed by 2026 for Mission 3's."""
        same = squash(fact.text)
        needed = evidence.terms.overlap(chosen.text)
        return [candidate for candidate in relevant
                if candidate.hit.chunk_id != chosen.hit.chunk_id and candidate.text != chosen.text
                and any(squash(other.text) == same for other in candidate.facts)
                and evidence.terms.overlap(candidate.text) >= needed][:1]

    def updates_scored(self, evidence: Evidence, model: confidence.ConfidenceModel) -> list[Scored]:
        """The sentences of the newer releases' passages (`Evidence.updates`), scored."""
        if evidence.updates is None or not evidence.updates.hits:
            return []
        return self.scored(evidence, evidence.updates, passages=len(evidence.updates.hits), model=model)

    def update_of(self, evidence: Evidence, chosen: Scored, model: confidence.ConfidenceModel,
                  others: list[Scored] | None = None):
        """A newer release's different statement of the same fact, if any: one the
        model would hold to give the answer (P(holds) at least the passage threshold).
        `others`: `updates_scored`, when already scored."""
        others = self.updates_scored(evidence, model) if others is None else others
        if not others:
            return None
        question = evidence.question
        # (stateable, not `may_state`: a newer release is after the period asked, by design)
        others = about_the_same(evidence, chosen, others, model, lambda item: bool(item.candidate.facts) and
                                 stateable(item, question.kind, question.given))
        return newer_statement(chosen.candidate, fact_value(chosen.fact.text), others, -1.0,
                               lambda candidate: self._fact_of(evidence, candidate.facts, candidate.text))

    def _older(self, evidence: Evidence, chosen: Scored, scored: list[Scored], model: confidence.ConfidenceModel):
        """An older release's different statement of the same fact, among the passages
        read, held as closely as a newer one must be (see `update_of`)."""
        others = about_the_same(evidence, chosen, scored, model,
                                 lambda item: item.fact is not None and may_state(item, evidence.question))
        return older_statement(chosen.candidate, fact_value(chosen.fact.text), others,
                               lambda candidate: self._fact_of(evidence, candidate.facts, candidate.text))

    def _found(self, evidence: Evidence, kind: str, fact: Fact | None, citations: list[Citation],
               plan_text: str, update: Fact | None = None, stated: str = "",
               confidence: float | None = None) -> Answer:
        earliest = kind == DATE and fact is not None and is_earliest(clause(citations[0].quote, fact.start))
        readings = {}
        if evidence.question.language == "en":
            for citation in citations:
                readings.update(evidence.romanize(citation.quote))
        text = compose(evidence.question.language, fact, citations, plan=is_plan(plan_text), earliest=earliest,
                       update=update, readings=readings)
        if not stated and fact is not None:
            stated = fact.english if evidence.question.language == "en" else fact.text
        answer = Answer(text=text, found=True, outcome=ANSWER, citations=citations,
                        language=evidence.question.language, question=evidence.question.text,
                        hits=list(evidence.hits), fact=stated,
                        confidence=None if confidence is None else round(confidence, 4))
        verify_citations(answer)
        return answer


