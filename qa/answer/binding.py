"""What a fact must belong to: the names, roles, counted things and ordinals a question names.

Design choice: a fact is only an answer when it belongs to the thing the question
names. Asked for the CTO, the CEO's name in the same sentence is no answer; asked
for a number of shares, a money amount is none; asked about Mitsubishi's employees,
ispace's are none. So the question's subject is read into a `Subject`:

- names (read by `asked_names`): Latin-script names (RESILIENCE, SpaceX, Hoshino Electric), romaji names
  (Takasago), Japanese proper nouns (栗田, 星野), each with every form the index
  writes it in (the dictionary's and the romaji table's other-language forms). A
  quote must hold one form of each; a name that no form of which the index holds is
  `unknown`, and a question about something the releases never mention is refused.
  A name in parentheses ("the SME Support organization (SMRJ)") is an aside and
  binds nothing.
- roles (CEO, CTO, 局長…): the quote must name the role, and a person must stand
  next to it.
- a counted noun (shares, employees, milestones): a number must carry its unit.
- ordinals (第4回, the 4th round): the quote must name the same one.
- numbers the question states ("ten milestones", 50億円): they are never the answer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable

from ..search.lexical import latin_form
from ..search.question import MONEY, NUMBER, Question
from .asked_names import FUNCTION_WORDS, capitalized_words, compound_forms, english_names, joined_forms, unknown_word
from .measures import (COUNT_QUESTION, CURRENCY, HOW_MANY, INDIVIDUAL, NOT_COUNTED, ROLE_PATTERNS, COUNTED,
                       MONEY_TOPICS, ROLES, roles_of)

_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100}
_JAPANESE_ORDINAL = re.compile(r"第\s*(\d+)\s*(回|期|弾|号|次)")
_ENGLISH_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINAL_WORDS) + r"|\d+(?:st|nd|rd|th))\s+(round|tranche|issuance|issue|"
                              r"closing|phase|mission|launch)\b", re.IGNORECASE)
_FORMER = re.compile(r"前社長|前任|元社長|前(?:代表|CEO|会長)|退任|\b(?:former|previous|predecessor|outgoing|ex-)",
                     re.IGNORECASE)
_STATED_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A Latin word in lower case, which a Japanese question writes only for a name (ispace).
_LOWER_LATIN = re.compile(r"(?<![A-Za-z])[a-z][A-Za-z]{2,}(?![A-Za-z])")
# What a name may or may not be written with between its parts (ホンダ・カナダ, ホンダカナダ).
_SEPARATORS = re.compile(r"[\s・･\-‐–]+")
_SHORT_ACRONYM = re.compile(r"[a-z]{1,3}")
_ACRONYM = re.compile(r"[A-Z]{2,6}s?")


@dataclass(frozen=True)
class Subject:
    names: tuple[tuple[str, ...], ...] = ()    # each: the forms a quote may name it by
    loose: tuple[tuple[str, ...], ...] = ()    # names a general answer's passage (not its quote) must hold
    unknown: tuple[str, ...] = ()              # names the index never mentions
    roles: tuple[str, ...] = ()                # role keys (see ROLES)
    units: tuple[str, ...] = ()                # the counted noun's units
    counted: str = ""                          # "how many alternative landing sites": site
    topic: tuple[str, ...] = ()                # what an amount of money is for (revenue, price)
    individual: bool = False                   # one party's share is asked, not a total
    ordinals: tuple[re.Pattern, ...] = ()      # 第4回 / fourth round
    stated: frozenset[str] = field(default_factory=frozenset)  # numbers the question states
    former: bool = False  # it asks who held a role before (前社長, the former CEO)
    # Money may answer the question: it is no how-many question ("how much did it raise")
    # or it names a currency ("how many yen"); "how many jobs" is answered by no amount.
    money_asked: bool = True

    def holds_names(self, text: str, language: str | None = None, loose: bool = False) -> bool:
        """Whether `text` names each name of the question (with `loose`, also the
        loosely bound ones), in one of its forms. In a passage of `language`, a loose
        name with no spelling in that language's script cannot be asked for and is not."""
        lowered = text.lower()
        if not all(any(form in lowered for form in forms) for forms in self.names):
            return False  # acronyms, CamelCase and romaji names: named in every quote
        for forms in self.loose if loose else ():
            if any(form in lowered for form in forms):
                continue
            if language is not None and not any(form.isascii() == (language == "en") for form in forms):
                continue
            return False
        return True

    def names_share(self, text: str) -> float:
        """The share of the question's names (strict and loose) that `text` names in
        one of their forms; 1.0 when it names none. An acronym of three letters or
        fewer (EV, NC, GTS) is not counted: releases spell those out, in either language.
        A name none of whose forms `text` writes counts as not named, whatever the
        script: a Japanese sentence that cannot spell "Orbital Bakery" does not stand for it (a
        new-user session had another company's founding year at P = 0.93 for it;
        leave-one-company-out the leniency this replaces gave 24 right against 23)."""
        every = [forms for forms in self.names + self.loose if not _SHORT_ACRONYM.fullmatch(forms[0])]
        if not every:
            return 1.0
        lowered = text.lower()
        joined = _SEPARATORS.sub("", lowered)  # ホンダ・カナダ is ホンダカナダ, Hitachi-Rail is Hitachi Rail
        held = sum(any(form in lowered or _SEPARATORS.sub("", form) in joined or _initials_in(form, text)
                       for form in forms)
                   for forms in every)
        return held / len(every)

    def holds_roles(self, text: str) -> bool:
        return all(ROLE_PATTERNS[role].search(text) for role in self.roles)

    def holds_ordinals(self, text: str) -> bool:
        return all(pattern.search(text) for pattern in self.ordinals)

    def role_positions(self, text: str) -> list[int]:
        return [match.start() for role in self.roles for match in ROLE_PATTERNS[role].finditer(text)]


def _initials_in(form: str, text: str) -> bool:
    """Whether `text` writes a name of two or more English words by its capital
    initials ("united kingdom" as UK or U.K.), as a word of its own."""
    pattern = _initials(form)
    return pattern is not None and pattern.search(text) is not None


@functools.lru_cache(maxsize=1024)
def _initials(form: str) -> re.Pattern | None:
    words = form.split()
    if len(words) < 2 or not all(word.isascii() and word.isalpha() for word in words):
        return None
    initials = "".join(word[0] for word in words).upper()
    return re.compile(r"(?<![A-Za-z.])(?:" + initials + "|" + r"\.".join(initials) + r"\.)(?![A-Za-z])")


def _ordinal_patterns(question: str) -> list[re.Pattern]:
    patterns = []
    for match in _JAPANESE_ORDINAL.finditer(question):
        number = match.group(1)
        patterns.append(re.compile(rf"第\s*{number}\s*{match.group(2)}|\b{number}(?:st|nd|rd|th)\b"))
    for match in _ENGLISH_ORDINAL.finditer(question):
        word = match.group(1).lower()
        number = _ORDINAL_WORDS.get(word) or int(re.sub(r"\D", "", word))
        patterns.append(re.compile(rf"第\s*{number}\s*(回|期|弾|号|次)|\b{word}\b|\b{number}(?:st|nd|rd|th)\b",
                                   re.IGNORECASE))
    return patterns


def _stated_numbers(question: str) -> frozenset[str]:
    numbers = {match.group().replace(",", "") for match in _STATED_NUMBER.finditer(question)}
    numbers |= {str(value) for word, value in _NUMBER_WORDS.items()
                if re.search(rf"\b{word}\b", question, re.IGNORECASE)}
    return frozenset(numbers)


def read_subject(question: Question, *, knows: Callable[[str], bool], other_forms: Callable[[str], tuple[str, ...]],
                 japanese_names: Callable[[str], list[str]] = lambda text: [],
                 common: Callable[[str], bool] = lambda word: False) -> Subject:
    """The subject of `question`. `knows(form)` says whether the index holds a form;
    `other_forms(name)` gives a name's forms in the other script that the index holds
    (Takasago -> 高砂, 星野 -> hoshino); `japanese_names(text)` the proper nouns of a
    Japanese question."""
    text = question.text
    role_keys = roles_of(text)
    role_forms = {form for role in role_keys for form in ROLES[role]}
    names, loose, unknown = [], [], []
    candidates = english_names(text, common) + [(name, False, False, ()) for name in japanese_names(text)]
    if question.language == "ja":  # a Japanese question writes names in Latin letters, in any case (ispaceの社長)
        found = {name.lower() for name, *_ in candidates}
        candidates += [(word, False, False, ()) for word in _LOWER_LATIN.findall(text)
                       if word.lower() not in found and knows(word.lower()) and not common(word)]
    romaji = {word for forms in question.romaji for word in forms}
    expanded = []
    for name, aside, strict, following in candidates:
        parts = name.split("-")
        if len(parts) > 1 and all(part[:1].isupper() for part in parts) and not knows(name.lower()):
            # Nissan-Honda, the two companies' holding: each name binds on its own.
            expanded += [(part, aside, strict, ()) for part in parts if len(part) > 1]
        else:
            expanded.append((name, aside, strict, following))
    for name, aside, strict, following in expanded:
        lowered = name.lower()
        if lowered in role_forms:
            continue
        forms = tuple(dict.fromkeys([lowered, *(form.lower() for form in other_forms(name))]))
        if not any(knows(form) for form in forms) and following:
            forms = joined_forms(name, following, knows, other_forms) or forms
        if not any(knows(form) for form in forms):
            forms = compound_forms(name, knows, other_forms) or forms
        if any(knows(form) for form in forms):
            # Acronyms and CamelCase names (RESILIENCE, SpaceX) and romaji names
            # (Takasago) bind every quote; other capitalized words and Japanese proper
            # nouns bind a typed fact's quote and a general answer's passage.
            (names if strict or set(forms) & romaji else loose).append(forms)
        elif not aside and not _ACRONYM.fullmatch(name) and not unknown_word(name):
            # An acronym the releases never write (TICO for Toyota Industries) may still
            # name what they spell out: it binds nothing, and refuses nothing.
            unknown.append(name)
    # A capitalized word that is a common word or a generic one (Mars, Post) binds
    # nothing, but when the releases hold it in no form, in neither language, the
    # question asks about something they never mention ("When does the Mars Post service
    # start?" was answered with the Luna Post's start).
    taken = {form for forms in names + loose for form in forms} | {name.lower() for name, *_ in expanded}
    for word, run in capitalized_words(text):
        lowered = word.lower()
        if lowered in taken or lowered in role_forms or lowered in FUNCTION_WORDS:
            continue
        if not knows(lowered) and not any(knows(form) for form in other_forms(word)) \
                and not (len(run) > 1 and joined_forms(run[0], run[1:], knows, other_forms)):  # Blue Yonder
            # named as the question writes it: "Hokuto Linear Systems", not "Systems"
            whole = " ".join(run)
            if whole not in unknown:
                unknown.append(whole)
            taken.update(part.lower() for part in run)
    topic: tuple[str, ...] = ()
    if question.kind in (MONEY, NUMBER):
        for pattern, words in MONEY_TOPICS:
            if pattern.search(text.lower()):
                topic = words
                break
    units: tuple[str, ...] = ()
    counted = ""
    if question.kind == NUMBER:
        for pattern, family in COUNTED:
            if pattern.search(text.lower()):
                units = family
                break
        phrase = HOW_MANY.search(text)
        if phrase and not units and phrase.group(1).split()[-1].lower() not in NOT_COUNTED:
            counted = latin_form(phrase.group(1).split()[-1])
    individual = bool(INDIVIDUAL.search(text))
    return Subject(names=tuple(names), loose=tuple(loose), unknown=tuple(unknown), individual=individual, counted=counted, roles=role_keys, units=units, topic=topic,
                   ordinals=tuple(_ordinal_patterns(text)), stated=_stated_numbers(text),
                   money_asked=not COUNT_QUESTION.search(text) or bool(CURRENCY.search(text)),
                   former=bool(_FORMER.search(text)))
