"""What the confidence model reads of a question and one candidate answer.

Design choice: a candidate answer is a sentence of a retrieved passage and, for a
question that asks for a date, name, figure, amount or place, the one fact of that
kind in it that the question is most likely about (see `clauses.best_fact`). It is
described by a few dozen plain numbers, each of which means the same thing for any
company's releases: how close the sentence is to the question (its cosine, moved
onto the question language's scale, and how far it stands above the question's
typical best sentence), how many of the question's words or their translations it
holds, the words other than the names (a sentence that shares only the company's
name answers nothing), whether it names the things, roles and numbered names asked
about, whether the fact belongs to them (units, what the amount is for, the number
is not one the question states), how closely the question's words stand to the fact,
whether its release is in the question's time frame or the newest one, whether the
fact is the earlier or the new value of a change its sentence tells (`changes`), how
many other documents and other sentences read give the same value (a release that repeats
a date in its summary and its body restates it), and where its passage ranked. No word list of one company's releases enters here; the weights are
fitted on several companies' questions (bench/train_confidence.py). Whether the
sentence is in the question's language is deliberately not a feature: the question
sets ask a quarter of their questions across languages by design, and a model that
learnt to prefer the other language would have learnt the sets, not the releases.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..search.question import DATE, GENERAL, MONEY, NUMBER, PERSON, PLACE, numbered_names
from .candidates import Candidate
from .changes import asks_for_earlier, roles
from .clauses import clause, event_share, event_words, fact_is_plan, nearness
from .facts import Fact, is_plan
from .misfits import profile_owner
from .terms import overlap

KINDS = (DATE, PERSON, NUMBER, MONEY, PLACE, GENERAL)
FEATURES = (
    "relevance", "above_best", "above_baseline", "rank_in_question", "overlap_own", "overlap_translated",
    "overlap_rare",
    "overlap_beyond_names", "clause_overlap", "fact_near_name", "fact_near_word", "fact_preferred",
    "fact_event", "fact_numbered", "fact_plan", "fact_first", "fact_window", "fact_word_before",
    "fact_word_after", "fact_numbered_before", "fact_in_parentheses", "fact_support", "fact_restated", "fact_rivals",
    "fact_change_old", "fact_change_new", "fact_plan_unasked", "hit_rank",
    "lexical_match", "names", "passage_names", "roles", "numbered",
    "event", "has_fact", "fact_bound", "facts_in_sentence", "in_time_frame", "out_of_time_frame",
    "newest_for_latest", "year_elsewhere", "heading", "length", "question_has_names",
) + tuple(f"kind_{kind}" for kind in KINDS)
# Characters either side of a fact read for the question's words ("従業員は約9,000人").
WINDOW = 24
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # a year written in digits
_TRIVIAL = re.compile(r"\d+|[A-Za-z]")


@dataclass(frozen=True)
class Context:
    """What the features of one candidate compare against: the question and its
    other candidates."""
    kind: str
    language: str
    best_relevance: float
    baseline: float            # the question language's typical best-sentence cosine
    frame_kind: str | None
    newest_with_fact: str      # the newest release date among candidates holding a fact
    question_years: frozenset[str]
    has_names: bool
    events: frozenset[str]     # the events a when-question is about (launch, 着陸)
    numbered: tuple            # patterns of the numbered names it asks about (Mission 2)
    # The question's words beyond the subject's names (ABB, トヨタ and their forms), not
    # beyond every word the index knows: "power grid" is what is asked of ABB.
    beyond: frozenset[str] = frozenset()
    translated_beyond: frozenset[str] = frozenset()
    asks_earlier: bool = False  # "the original price", 当初の予定 (see `changes`)
    # The question asks about a plan ("how many does it plan to hire"); a date question
    # about the future ("when does it land?") asks about one without saying so.
    asks_plan: bool = False
    # "When did it actually start?", いつ開始した: what happened is asked, not a plan.
    asks_past: bool = False
    # Per candidate sentence, what does not depend on the fact (filled as rows are made).
    sentences: dict = field(default_factory=dict)


def context_of(evidence, candidates: list[Candidate]) -> Context:
    question, terms = evidence.question, evidence.terms
    subject = [form for forms in evidence.subject.names + evidence.subject.loose for form in forms]

    def beyond(words):
        # A word, not a digit or a lone Latin letter: "<img src=x …alert(2)>" shares "x" and
        # "2" with "SMBC x HAKUTO-R" and "Mission 2", which asks nothing of them.
        return frozenset(term for term in words if not _TRIVIAL.fullmatch(term)
                         and not any(term in name or name in term for name in subject))

    with_fact = [candidate.hit.doc_date or "" for candidate in candidates
                 if candidate.all_facts or question.kind == GENERAL]
    return Context(kind=question.kind, language=question.language,
                   best_relevance=max((candidate.relevance for candidate in candidates), default=0.0),
                   baseline=evidence.retrieved.baselines.get(question.language, 0.0),
                   frame_kind=question.timeframe.kind, newest_with_fact=max(with_fact, default=""),
                   question_years=frozenset(YEAR.findall(question.text)),
                   has_names=bool(evidence.subject.names or evidence.subject.loose),
                   events=frozenset(event_words(question.text, set(evidence.terms.all))
                                    if question.kind == DATE else ()),
                   numbered=tuple(numbered_names(question)), beyond=beyond(terms.own),
                   translated_beyond=beyond(terms.translated), asks_earlier=asks_for_earlier(question.text),
                   asks_plan=asks_plan(question.text), asks_past=asks_past(question.text))


_FUTURE = re.compile(r"\b(?:would|going to|targets?|targeted)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:did|was|were|had)\b|(?:[しっいえけべめれきちぎびみにり]た|でした|だった)(?:の|か|\s*[？?]|\s*$)",
                   re.IGNORECASE)


def asks_plan(question: str) -> bool:
    """The question asks about a plan: "when will it land", "was expected", 予定."""
    return is_plan(question) or bool(_FUTURE.search(question))


def asks_past(question: str) -> bool:
    """The question is in the past tense: "when did it start", いつ開始したのか."""
    return bool(_PAST.search(question))


def features(evidence, context: Context, candidate: Candidate, fact: Fact | None, rank: int,
             preferred: bool = False, support: int = 0, rivals: int = 0, restated: int = 0) -> list[float]:
    """The feature row of `candidate` with `fact` (or None), in the order of
    `FEATURES`; `preferred`: the fact is the one the question's words point to;
    `support`: how many other documents' candidate sentences state the same value;
    `restated`: how many other sentences read (of any document) state it;
    `rivals`: how many other values sentences about as close state."""
    question, terms = evidence.question, evidence.terms
    names = evidence.names
    beyond, translated_beyond = context.beyond, context.translated_beyond
    sentence = context.sentences.get(id(candidate))
    if sentence is None:
        sentence = context.sentences[id(candidate)] = _sentence_features(evidence, context, candidate)
    if fact is not None:
        around = clause(candidate.text, fact.start, with_predicate=True)
        clause_overlap = terms.overlap(around)
        near_name = nearness(fact, candidate.text, names)
        near_word = nearness(fact, candidate.text, evidence.literal)
        fact_event = event_share(context.events, around)
        fact_numbered = float(any(pattern.search(around) for pattern in context.numbered)) if context.numbered else 1.0
        fact_plan = float(fact_is_plan(candidate.text, fact))
        fact_first = float(fact == candidate.all_facts[0]) if candidate.all_facts else 0.0
        window = candidate.text[max(0, fact.start - WINDOW):fact.start] + " " + \
            candidate.text[fact.end:fact.end + WINDOW]
        fact_window = max(overlap(beyond, window) if beyond else 0.0,
                          overlap(translated_beyond, window) if translated_beyond else 0.0)
        lowered = candidate.text.lower()
        words = [term for term in beyond | translated_beyond if len(term) > 1]
        word_before = _closeness([lowered.rfind(term, 0, fact.start) + len(term) for term in words
                                  if lowered.rfind(term, 0, fact.start) >= 0], fact.start)
        word_after = _closeness([lowered.find(term, fact.end) for term in words if lowered.find(term, fact.end) >= 0],
                                fact.end)
        numbered_before = _closeness([match.end() for pattern in context.numbered
                                      for match in pattern.finditer(candidate.text[:fact.start])], fact.start)
        parenthesized = _in_parentheses(candidate.text, fact.start)
        change_old, change_new = roles(candidate.hit.text, candidate.start, candidate.text, candidate.facts, fact)
        if context.asks_earlier:  # "the original price": the earlier value is the one asked
            change_old, change_new = change_new, change_old
    else:
        fact_window = word_before = word_after = numbered_before = parenthesized = 0.0
        change_old = change_new = 0.0
        clause_overlap, near_name, near_word = terms.overlap(candidate.text), 0.0, 0.0
        fact_event = fact_numbered = fact_plan = fact_first = 0.0
    row = dict(sentence)
    row.update({
        "rank_in_question": math.log1p(rank),
        "clause_overlap": clause_overlap,
        "fact_near_name": near_name,
        "fact_near_word": near_word,
        "fact_preferred": float(preferred),
        "fact_event": fact_event,
        "fact_numbered": fact_numbered,
        "fact_plan": fact_plan,
        "fact_first": fact_first,
        "fact_window": fact_window,
        "fact_word_before": word_before,
        "fact_word_after": word_after,
        "fact_numbered_before": numbered_before,
        "fact_in_parentheses": parenthesized,
        "fact_support": math.log1p(support),
        "fact_restated": math.log1p(restated),
        "fact_rivals": math.log1p(rivals),
        "fact_change_old": change_old,
        "fact_change_new": change_new,
        "fact_plan_unasked": fact_plan * float((context.kind != DATE or context.asks_past) and not context.asks_plan),
        "has_fact": float(fact is not None or question.kind == GENERAL),
        "fact_bound": float(fact is not None and fact in candidate.facts),
    })
    return [row[name] for name in FEATURES]


def _as_read(candidate: Candidate) -> str:
    """A sentence as a reader reads it for the question's words: a label line of a
    company profile (従業員数：205名 under 株式会社アトリエ・ミズナギの概要) with the name of
    the company it stands for, which its block gives once for all its lines."""
    owner = profile_owner(candidate.above, candidate.text)
    return f"{owner} {candidate.text}" if owner else candidate.text


def _sentence_features(evidence, context: Context, candidate: Candidate) -> dict[str, float]:
    """The features of a candidate sentence that do not depend on its fact."""
    question, terms = evidence.question, evidence.terms
    beyond, translated_beyond = context.beyond, context.translated_beyond
    frame = question.timeframe
    date = candidate.hit.doc_date
    in_frame = bool(frame) and frame.kind in ("during", "as_of", "before") and frame.contains(date)
    out_frame = bool(frame) and frame.kind in ("during", "as_of", "before") and not frame.contains(date)
    newest = context.frame_kind == "latest" and bool(date) and date == context.newest_with_fact
    years = frozenset(YEAR.findall(candidate.text))
    read = _as_read(candidate)
    year_elsewhere = bool(context.question_years) and bool(years) and not (years & context.question_years)
    row = {
        "relevance": candidate.relevance,
        "above_best": candidate.relevance - context.best_relevance,
        "above_baseline": candidate.cosine - context.baseline if context.baseline else 0.0,
        "overlap_own": overlap(terms.own, read),
        "overlap_translated": terms.translated_share(read),
        "overlap_rare": max(overlap(beyond, read, evidence.rarity) if beyond else 0.0,
                            overlap(translated_beyond, read, evidence.rarity) if translated_beyond else 0.0),
        "overlap_beyond_names": max(overlap(beyond, read) if beyond else 0.0,
                                    overlap(translated_beyond, read) if translated_beyond else 0.0),
        "hit_rank": float(candidate.hit_rank),
        "lexical_match": float(candidate.hit.lexical_score > 0),
        "names": candidate.names,
        "passage_names": candidate.passage_names,
        "roles": float(candidate.roles),
        "numbered": float(candidate.numbered),
        "event": float(candidate.event_in_sentence),
        "facts_in_sentence": math.log1p(len(candidate.all_facts)),
        "in_time_frame": float(in_frame),
        "out_of_time_frame": float(out_frame),
        "newest_for_latest": float(newest),
        "year_elsewhere": float(year_elsewhere),
        "heading": float(candidate.heading),
        "length": math.log1p(len(candidate.text)) / 6.0,
        "question_has_names": float(context.has_names),
    }
    row.update({f"kind_{kind}": float(question.kind == kind) for kind in KINDS})
    return row



def _closeness(positions: list[int], anchor: int) -> float:
    """1 / (1 + the distance in characters from `anchor` to the nearest position); 0 with none."""
    return max((1.0 / (1 + abs(anchor - position)) for position in positions), default=0.0)


def _in_parentheses(text: str, position: int) -> float:
    """Whether `position` lies inside parentheses (従来予想3200億円, (2025年9月)): an aside."""
    depth = 0
    for character in text[:position]:
        if character in "(（":
            depth += 1
        elif character in ")）" and depth:
            depth -= 1
    return float(depth > 0)
