"""Checking what a model wrote, sentence by sentence, against the passages it cites.

Design choice: a generated sentence is shown only when it cites a passage that
exists and every claim in it (see `claims`: dates, numbers, amounts, names) is found
again in a passage it cites, as a value whatever the notation: a date in either
language (2025年6月6日 = June 6, 2025), each figure on its own with its multiplier,
currency and unit (see `amounts`: 1.4 million km = 約140万km, and 7百万米ドル is not
vouched for by the sentence's other amount), a name in either script (see `names`:
Hakamada = 袴田, Carver = カーバー, CFO = Chief Financial Officer). What the
question itself says is not held against the sentence: its names may be repeated, its
dates and figures too, beside a fact the passage holds. A sentence with no claim must
share a content word (or a translation of one) with its passage, so filler ("I hope
this helps [1].") is not passed off as cited. A sentence that fails is dropped with
the reason, never repaired. A sentence that says the releases do not say, and states
nothing, needs no citation. For each citation that passes, the quote is the sentence
of the passage that holds the most of the checked claims: a verbatim span the viewer
can highlight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..ingest.chunking import split_sentences
from ..records import Hit
from ..search.lexical import latin_form, tokenize
from ..search.translate import english_lemmas
from ..search.vocabulary import VOCABULARY
from .sentences import cited_numbers, is_refusal, plain
from .claims import DATE, NAME, NUMBER, Claim, date_supported, find_claims, number_supported, passage_facts
from .names import NameFinder, aliases_of
from .terms import IGNORED_TERMS, terms_of

# A sentence with nothing to check must hold this share of its content words in the
# passage it cites (as written or translated): a third, because a word-by-word
# dictionary misses some translations ("carries" is not 搭載 in JMdict's first words).
MIN_WORD_SHARE = 0.34
_FUNCTION_WORDS = frozenset("""the and for are was were has have had will would can could this that these those with from
into about also its their there here which what when where who whom whose how why than then been being not but
says said say according""".split())
_KATAKANA_RUN = re.compile("(?<![\u30a1-\u30fa\u30fc・])[\u30a1-\u30fa\u30fc]{4,}(?![\u30a1-\u30fa\u30fc・])")
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Verdict:
    sentence: str                       # as the model wrote it, markers included
    cited: tuple[int, ...] = ()         # the passage numbers it cites, as written
    quotes: tuple[tuple[int, int, int], ...] = ()  # (passage number, quote start, end) of each citation kept
    problem: str = ""    # why it was dropped ("" when it passed): uncited, no passage, date, number, name, unrelated
    detail: str = ""     # the same for a developer, with the value that failed
    refusal: bool = False  # it says the releases do not say, and claims nothing

    @property
    def ok(self) -> bool:
        return not self.problem


class Checker:
    """Checks sentences against numbered passages (`passages[n-1]` is [n]).
    `forms(name)` gives a name's other-language forms (the index's romaji table and
    dictionary); `common(word)` says whether an English word is a common word."""

    def __init__(self, passages: list[Hit], *, dictionary=None,
                 forms: Callable[[str], tuple[str, ...]] = lambda name: (),
                 common: Callable[[str], bool] | None = None, question: str = ""):
        self.passages = list(passages)
        self.dictionary = dictionary
        self.forms = forms
        self.common = common or self._common
        self.question = question
        self.names = NameFinder(dictionary, forms, self.common)
        # Names the passages pair in parentheses (危機の海(Mare Crisium)), from every passage.
        self.aliases = aliases_of([hit.text for hit in self.passages] + [hit.title for hit in self.passages])
        self._cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def check(self, sentence: str) -> Verdict:
        cited = tuple(cited_numbers(sentence))
        text = plain(sentence)
        claims = self.claims(text)
        if not claims and is_refusal(text):
            return Verdict(sentence, cited, refusal=True)
        if not cited:
            return Verdict(sentence, cited, problem="uncited", detail="it cites no passage")
        missing = [number for number in cited if not 1 <= number <= len(self.passages)]
        if missing:
            return Verdict(sentence, cited, problem="no passage", detail=f"it cites [{missing[0]}], and there are "
                                                                           f"only {len(self.passages)} passages")
        supporting: dict[int, list[Claim]] = {number: [] for number in cited}
        echoed = []
        for claim in claims:
            found = [number for number in cited if self.supports(claim, self.passages[number - 1])]
            if not found and self.asked(claim):
                echoed.append(claim)  # the question's own name, date or figure
                continue
            if not found:
                where = ", ".join(f"[{number}]" for number in cited)
                return Verdict(sentence, cited, problem=claim.kind,
                               detail=f"{claim.text!r} is not in the cited passage {where}")
            for number in found:
                supporting[number].append(claim)
        if echoed and not any(supporting.values()) and any(claim.kind != NAME for claim in echoed):
            claim = next(claim for claim in echoed if claim.kind != NAME)  # it only says the question back
            return Verdict(sentence, cited, problem=claim.kind,
                           detail=f"{claim.text!r} is the question's, and nothing else it says is in the passage")
        claims = [claim for claim in claims if claim not in echoed]
        if claims:
            kept = [number for number in cited if supporting[number]]
        else:
            kept = [number for number in cited if self.word_share(text, self.passages[number - 1].text) >= MIN_WORD_SHARE]
            if not kept:
                return Verdict(sentence, cited, problem="unrelated",
                               detail="too few of its words are in the passage it cites")
        quotes = tuple((number, *self.quote(self.passages[number - 1], supporting[number], text)) for number in kept)
        return Verdict(sentence, cited, quotes=quotes)

    # --- claims -------------------------------------------------------------------------

    def claims(self, text: str) -> list[Claim]:
        """The sentence's claims; a capitalized common word that only starts the
        sentence ("Founded in 2010", "Mission 2 will…") is grammar, not a name; a
        katakana word the dictionary does not know (ブライトライン) is a name."""
        claims = []
        if self.dictionary is not None:
            found = find_claims(text)
            for match in _KATAKANA_RUN.finditer(text):
                if not any(claim.start < match.end() and match.start() < claim.end for claim in found) and \
                        not self.dictionary.knows(match.group()):
                    claims.append(Claim(NAME, match.group(), *match.span()))
        for claim in find_claims(text):
            if claim.kind == NAME and claim.value == ("initial",):
                words = claim.text.split()
                if self.common(words[0]):
                    if len(words) == 1:
                        continue
                    rest = claim.text[len(words[0]):].lstrip()
                    start = claim.start + len(claim.text) - len(rest)
                    claim = Claim(NAME, rest, start, claim.end)
            claims.append(claim)
        return sorted(claims, key=lambda claim: claim.start)

    def supports(self, claim: Claim, hit: Hit, text: str | None = None) -> bool:
        facts = passage_facts(hit.text if text is None else text, hit.doc_date if text is None else None)
        if claim.kind == DATE:
            return date_supported(claim, facts)
        if claim.kind == NUMBER:
            return number_supported(claim, facts)
        named = hit.text + "\n" + hit.title if text is None else text  # the prompt gives the release's title
        return self.names.found(claim.text, named, self.aliases)

    def asked(self, claim: Claim) -> bool:
        """Whether the question itself states the claim (a name, a date, a figure
        the sentence repeats from it)."""
        if not self.question:
            return False
        if claim.kind == NAME:
            return self.names.found(claim.text, self.question, self.aliases)
        facts = passage_facts(self.question)
        return date_supported(claim, facts) if claim.kind == DATE else number_supported(claim, facts)

    def _common(self, word: str) -> bool:
        if self.dictionary is None:
            return False
        return any(weight >= 0.7 for lemma in english_lemmas(word.lower()) for _, weight in
                   self.dictionary.japanese(lemma))

    # --- words --------------------------------------------------------------------------

    def word_share(self, text: str, passage: str) -> float:
        """The share of `text`'s content words that `passage` holds, as written or
        through a translation (the hand vocabulary, JMdict's first three words)."""
        found = terms_of(passage)
        lowered = passage.lower()
        matched = total = 0
        english = {}
        for word in re.findall(r"[a-z][a-z-]{2,}", text.lower()):
            stem = latin_form(word)
            if stem not in IGNORED_TERMS and word not in _FUNCTION_WORDS:
                english.setdefault(stem, word)
        for stem, word in english.items():
            total += 1
            matched += stem in found or any(form in lowered or set(tokenize(form, "sudachi")) & found
                                            for form in self._translations(word))
        for term in sorted(set(terms_of(text)) - IGNORED_TERMS):
            if term.isascii():
                continue
            total += 1
            if term in found or (len(term) > 1 and term in lowered):
                matched += 1
            elif self.dictionary is not None:
                matched += any(latin_form(word) in found for gloss in self.dictionary.english(term)[:3]
                               for word in gloss.split() if len(word) > 2)
        return matched / total if total else 0.0

    def _translations(self, word: str) -> tuple[str, ...]:
        if ("word", word) not in self._cache:
            forms = list(VOCABULARY.get(word, ()))
            if self.dictionary is not None:
                for lemma in english_lemmas(word):
                    forms += [form for form, _ in self.dictionary.japanese(lemma)[:3]]
            self._cache[("word", word)] = tuple(dict.fromkeys(forms))
        return self._cache[("word", word)]

    def quote(self, hit: Hit, claims: list[Claim], text: str) -> tuple[int, int]:
        """The span of the passage that holds the checked claims: its sentence that
        supports the most of them, then shares the most words with `text`."""
        spans = split_sentences(hit.text) or [(0, len(hit.text))]

        def score(span: tuple[int, int]):
            sentence = hit.text[span[0]:span[1]]
            held = sum(self.supports(claim, hit, sentence) for claim in claims)
            return held, self.word_share(text, sentence), -span[0]

        return max(spans, key=score)
