"""Answers written by a language model the user runs, every sentence checked first.

Design choice: the model only writes; qa decides what may be shown. The prompt gives
the question, the conversation so far and the retrieved passages numbered [1]..[n]
with their release dates, and asks for an answer in the question's language whose
every sentence ends with the [n] it comes from, or "the releases do not say". The
reply streams in; each finished sentence goes through `checking.Checker` before it
joins the answer (a sentence that fails is dropped, never repaired), its [n] are
renumbered into the answer's own citations, each with the verbatim span of its
passage that holds the checked fact. While a sentence is being written, its claims
are masked (`claims.mask`), so nothing unchecked is ever on screen. When the server
is down, slow or cut off, when no sentence passes, or when what passes does not give
the kind of fact asked for (a date for "when"), the extractive answer stands in,
with a note saying why. The `Answer` says which path wrote it (`generator`) and
which sentences were dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator

from ..errors import LLMError
from ..records import Answer, Citation, Hit
from ..search.question import DATE, GENERAL, MONEY, NUMBER, PERSON, PLACE
from .answering import ExtractiveAnswerer
from .outcomes import verify_citations
from .evidence import PASSAGES_READ, Evidence
from .checking import Checker
from .prompting import INSTRUCTIONS, REFUSALS, STOP, passages_of, prompt
from .sentences import plain, split_finished
from .claims import mask
from .endpoint import Endpoint
from .framing import FALLBACK_NOTES, KIND_WORDS, dropped_note, reasons_note, refusal_text
from .facts import find_facts
from .terms import anchors_of, shares_anchor
from ..ingest.normalize import squash

# Reading stops when the model repeats a sentence, or has written this many
# sentences and none passed the check: it is not answering, and time is the user's.
GIVE_UP_AFTER = 6
_ECHO_LABELS = ("Question:", "Passages:", "質問:", "抜粋:", "(release of", "(発表日")
@dataclass(frozen=True)
class Draft:
    """What may be shown while the model writes: the sentences that passed the check
    (numbered as in the final answer) and the one being written, its claims masked."""
    text: str
    pending: str = ""
    dropped: int = 0
    generator: str = ""


class _Assembly:
    """The answer as it is checked, sentence by sentence."""

    def __init__(self, checker: Checker, passages: list[Hit], language: str, frame: str = ""):
        self.checker, self.passages, self.language = checker, passages, language
        self.frame = squash(frame).lower()  # the prompt but its passages: instructions, question
        self.seen: set[str] = set()
        self.looping = False
        self.parts: list[str] = []
        self.citations: list[Citation] = []
        self.numbers: dict[tuple[int, int, int], int] = {}
        self.dropped: list[tuple[str, str]] = []
        self.cited = 0       # sentences kept with a citation
        self.refusals = 0    # sentences kept that say the releases do not say
        self.kept: list[str] = []     # the kept cited sentences, plain

    def add(self, sentence: str) -> None:
        key = squash(plain(sentence)).lower()
        if key in self.seen:  # the model repeats itself: it is looping
            self.looping = True
            return
        self.seen.add(key)
        verdict = self.checker.check(sentence)
        if not verdict.ok:
            self.dropped.append((sentence, verdict.problem))
            return
        echo = self.echo(sentence)  # checked first: a false claim is dropped for that, even when echoed
        if echo:
            self.dropped.append((sentence, echo))
            return
        text = plain(sentence)
        if verdict.refusal:
            self.refusals += 1
            self.parts.append(text)
            return
        markers = []
        for number, start, end in verdict.quotes:
            key = (number, start, end)
            if key not in self.numbers:
                self.numbers[key] = len(self.citations) + 1
                hit = self.passages[number - 1]
                self.citations.append(Citation(self.numbers[key], hit, hit.text[start:end], start, end))
            markers.append(f"[{self.numbers[key]}]")
        self.kept.append(text)
        body = text.rstrip()
        tail = re.search(r"[。．.!?！？]+$", body)
        cut = tail.start() if tail else len(body)
        space = " " if self.language == "en" or body[:cut][-1:].isascii() else ""
        self.parts.append(body[:cut].rstrip() + space + "".join(markers) + body[cut:])
        self.cited += 1

    def echo(self, sentence: str) -> str:
        """"echo" when the sentence repeats the prompt (its instructions, the question,
        a heading), "question" when it asks instead of answering; else ""."""
        text = plain(sentence)
        key = squash(text).lower()
        if key in {squash(refusal).lower() for refusal in REFUSALS.values()}:
            return ""
        if len(key) >= 12 and key in self.frame or any(label in text for label in _ECHO_LABELS):
            return "echo"
        if text.rstrip().endswith(("?", "？")):
            return "question"
        return ""

    @property
    def given_up(self) -> bool:
        return self.looping or (not self.cited and not self.refusals and len(self.dropped) >= GIVE_UP_AFTER)

    @property
    def text(self) -> str:
        return (" " if self.language == "en" else "").join(self.parts)


class GenerativeAnswerer:
    """Answers through an OpenAI-compatible server, every sentence checked; falls
    back to `ExtractiveAnswerer` (with a note) whenever the model's answer cannot
    stand."""

    def __init__(self, url: str, model: str | None = None, *, key: str | None = None, timeout: float = 60.0,
                 max_tokens: int = 400, temperature: float = 0.0, dictionary=None, instructions: str | None = None,
                 passages: int = PASSAGES_READ):
        self.endpoint = Endpoint(url, model, key, timeout)
        self.max_tokens, self.temperature = max_tokens, temperature
        self.dictionary = dictionary
        self.instructions = instructions
        self.passages = passages
        self.fallback = ExtractiveAnswerer()
        self.last_error: LLMError | None = None  # the last failure, for a status line

    @property
    def url(self) -> str:
        return self.endpoint.url

    @property
    def model(self) -> str:
        """The model's name as the answers give it (a file path shortened to its name)."""
        name = self.endpoint.model_name()
        return name.replace("\\", "/").rsplit("/", 1)[-1] if name.endswith(".gguf") else name

    def describe(self) -> str:
        return f"{self.model} at {self.url}"

    def answer(self, evidence: Evidence) -> Answer:
        result = None
        for result in self.stream(evidence):
            pass
        return result

    def stream(self, evidence: Evidence) -> Iterator[Draft | Answer]:
        """Drafts while the model writes, then the `Answer` (always last)."""
        language = evidence.question.language
        passages = passages_of(evidence, self.passages)
        if not passages:
            yield self.fallback.answer(evidence)
            return
        checker = Checker(passages, dictionary=self.dictionary, forms=evidence.forms, common=evidence.common,
                          question=evidence.question.asked)
        frame = "\n".join([self.instructions or INSTRUCTIONS[language], evidence.question.asked])
        assembly = _Assembly(checker, passages, language, frame)
        model = self.model
        buffer = ""
        try:
            for piece in self.endpoint.chat(prompt(evidence, passages, self.instructions), stop=STOP,
                                            max_tokens=self.max_tokens, temperature=self.temperature):
                buffer += piece
                finished, buffer = split_finished(buffer)
                for sentence in finished:
                    assembly.add(sentence)
                if assembly.given_up:
                    buffer = ""
                    break
                yield Draft(assembly.text, mask(plain(buffer)), len(assembly.dropped), model)
        except LLMError as error:
            self.last_error = error
            yield self._fallback(evidence, error.kind, detail=str(error), assembly=assembly)
            return
        self.last_error = None
        finished, _ = split_finished(buffer, final=True)
        for sentence in finished:
            assembly.add(sentence)
        yield self._finish(evidence, assembly, model)

    def _finish(self, evidence: Evidence, assembly: _Assembly, model: str) -> Answer:
        question = evidence.question
        language = question.language
        dropped = tuple(sentence for sentence, _ in assembly.dropped)
        if not assembly.cited:
            if not assembly.dropped and not assembly.refusals:
                return self._fallback(evidence, "empty", assembly=assembly)
            if assembly.refusals:
                return Answer(text=refusal_text(language, None), found=False, language=language,
                              question=question.text, hits=list(evidence.hits), generator=model, dropped=dropped,
                              note=dropped_note(assembly.dropped, language))
            return self._fallback(evidence, "unchecked", reasons=reasons_note(assembly.dropped, language), assembly=assembly)
        if question.kind != GENERAL and not any(_gives(question.kind, sentence, assembly.checker)
                                                for sentence in assembly.kept):
            return self._fallback(evidence, "no fact", kind=KIND_WORDS[language][question.kind], assembly=assembly)
        anchors = anchors_of(question)
        if anchors and not any(shares_anchor(anchors, sentence) for sentence in assembly.kept):
            return self._fallback(evidence, "off topic", assembly=assembly)
        answer = Answer(text=assembly.text, found=True, citations=list(assembly.citations), language=language,
                        question=question.text, hits=list(evidence.hits), generator=model, dropped=dropped,
                        note=dropped_note(assembly.dropped, language))
        verify_citations(answer)
        return answer

    def _fallback(self, evidence: Evidence, why: str, *, assembly: _Assembly, **values) -> Answer:
        language = evidence.question.language
        words = FALLBACK_NOTES[language]
        values.setdefault("seconds", self.endpoint.timeout)
        values.setdefault("detail", "")
        note = words[why].format(**values) + words["tail"]
        answer = self.fallback.answer(evidence)
        dropped = tuple(sentence for sentence, _ in assembly.dropped)
        return replace(answer, generator="extractive", dropped=dropped, note=note)


def _gives(kind: str, sentence: str, checker: Checker) -> bool:
    """Whether a checked sentence gives the kind of fact asked for: a date, a number,
    an amount (a number with its currency), a person or a place (as the extractive
    answerer finds them, see `facts`)."""
    claims = checker.claims(sentence)
    if kind == DATE:
        return any(claim.kind == "date" for claim in claims)
    if kind == NUMBER:
        return any(claim.kind == "number" for claim in claims)
    if kind == MONEY:
        return any(claim.kind == "number" and claim.value[1] for claim in claims) or bool(find_facts(MONEY, sentence))
    if find_facts(kind, sentence, common=checker.common):
        return True
    # a checked name of no common word that the question does not give (ローラ・メンデス): a person or a place
    return kind in (PERSON, PLACE) and any(claim.kind == "name" and not checker.asked(claim) and
                                           not any(checker.common(word) for word in claim.text.split())
                                           for claim in claims)


def answerer_from_settings(settings, dictionary=None) -> GenerativeAnswerer | None:
    """The generative answerer the settings ask for (QA_LLM / --llm), or None."""
    if not getattr(settings, "llm_url", None):
        return None
    return GenerativeAnswerer(settings.llm_url, settings.llm_model, key=settings.llm_key,
                              timeout=settings.llm_timeout, max_tokens=settings.llm_max_tokens,
                              dictionary=dictionary)


__all__ = ["Draft", "GenerativeAnswerer", "answerer_from_settings", "prompt", "passages_of"]
