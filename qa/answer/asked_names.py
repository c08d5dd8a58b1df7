"""The names a question asks about, as it writes them.

Design choice: a name is read from how the question writes it, and found in the index
in any form; never from a list of names. Latin names are acronyms and CamelCase words
(strict), and of each run of capitalized words its distinctive words; a run the
Japanese releases write as one word is tried joined (Luna Post -> ルナポスト), and one
Latin word of two English ones in katakana (Moonmail -> ムーンメール). Every other
capitalized word is kept too (`capitalized_words`): it binds nothing, but when the
index holds it in no form the question asks about something the releases never
mention. Japanese names are SudachiPy's proper nouns. `qa.answer.binding` turns these
into a question's `Subject`. A sentence that names a sibling of a name asked (Shizuku
Farm Kameoka for Shizuku Farm Uji) or another edition of a product (HB-10 Pro for
HB-10) is told apart here too (`names_a_sibling`, `names_another_edition`).
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from ..search.question import latin_names
from .facts import Fact

# Capitalized English words that are not names: sentence and question words, and
# generic words of company and mission names (the distinctive word is the name).
FUNCTION_WORDS = frozenset("""
a an the what when where who whom whose which why how is are was were does do did has have had will would can could
as of in on at by for to from with and or but if its it this that these those there their""".split())
_CALENDAR = frozenset("january february march april may june july august september october november december "
                      "jan feb mar apr jun jul aug sep sept oct nov dec "
                      "monday tuesday wednesday thursday friday saturday sunday".split())
_GENERIC = FUNCTION_WORDS | _CALENDAR | frozenset("""
inc co ltd corp corporation company group holdings bank banking electric electronics industries industry engineering
technologies technology systems space agency program programme project mission missions lander rover moon lunar
earth mars u.s us japan japanese europe european american international global national office university institute
center centre foundation association ministry government department board committee council series round fund
director president officer chief executive financial technical manager founder chairman ceo cto cfo coo
fy q1 q2 q3 q4 press release news report according
""".split())
# "the Velora-led consortium", "a Toyota-funded pilot": a name with a lower-case
# suffix is the name alone; "HAKUTO-R" and "Honda-Nissan" keep their hyphen.
_HYPHEN_COMPOUND = re.compile(r"(?<=[A-Za-z0-9])-(?=[a-z]+\b)")
_PARENTHESES = re.compile(r"\(([^)]*)\)|（([^）]*)）")
_POSSESSIVE = re.compile(r"['’]s$")  # Takasago's -> Takasago

_CAPITALIZED_RUN = re.compile(r"(?<![\w’'-])[A-Z][A-Za-z]*(?:[-’'][A-Za-z]+)*(?:\s+[A-Z][A-Za-z]*(?:[-’'][A-Za-z]+)*)*")


def english_names(text: str, common: Callable[[str], bool]) -> list[tuple[str, bool, bool, tuple[str, ...]]]:
    """(name, in parentheses, strict, the run's words after it) for the Latin names of a
    question: acronyms and CamelCase (latin_names), and of each run of capitalized words
    (Hoshino Electric, Shizuku Farm Kameoka, Takasago Thermal Engineering) its
    distinctive words: not sentence-initial, not generic, not a `common` English word."""
    text, parenthesized = _prepared(text)
    names = [(name, parenthesized(text.find(name)), True, ()) for name in latin_names(text)]
    seen = {name.lower() for name, *_ in names}
    for run in _CAPITALIZED_RUN.finditer(text):
        offset = run.start()
        words = run.group().split()
        for number, word in enumerate(words):
            position = text.find(word, offset)
            offset = position + len(word)
            word = _POSSESSIVE.sub("", word)
            lowered = word.lower()
            if lowered in seen:
                break  # the run's name is an acronym already taken (HAKUTO-R)
            if position == 0 or lowered in _GENERIC or common(word) or word.isupper() or len(word) < 3:
                continue
            seen.add(lowered)
            # Every distinctive word of the run is a name: "Shizuku Farm Kameoka" is not
            # "Shizuku Farm Uji" (a new-user session had Uji's 95% stated for Kameoka).
            names.append((word, parenthesized(position), False, tuple(words[number + 1:number + 3])))
    return names


def _prepared(text: str) -> tuple[str, Callable[[int], bool]]:
    """A question's text with hyphenated lower-case suffixes split off, and whether a
    position of it is inside parentheses."""
    text = _HYPHEN_COMPOUND.sub(" ", text)
    aside = [match.span() for match in _PARENTHESES.finditer(text)]
    return text, lambda position: any(start < position < end for start, end in aside)


def capitalized_words(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(word, its run of capitalized words) for the capitalized words of a question that
    are not its first word and not in parentheses: a name, or a word written as one
    (Mars, Post in "the Mars Post service")."""
    text, parenthesized = _prepared(text)
    words = []
    for run in _CAPITALIZED_RUN.finditer(text):
        if run.start() == 0 or parenthesized(run.start()):
            continue
        run_words = tuple(_POSSESSIVE.sub("", word) for word in run.group().split())
        words += [(word, run_words) for word in run_words
                  if re.fullmatch(r"[A-Z][a-z]{2,}", word) and word.lower() not in _CALENDAR]
    return words


_KATAKANA_WORD = re.compile("[ァ-ヺー・]+")


def compound_forms(name: str, knows: Callable[[str], bool],
                    other_forms: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """The katakana forms of a one-word Latin name made of two words (Moonmail, MoonMail
    -> ムーンメール) that the index holds; else ()."""
    lowered = name.lower()
    if len(lowered) < 6 or not lowered.isalpha() or not lowered.isascii():
        return ()
    for cut in range(3, len(lowered) - 2):
        left = [form for form in other_forms(lowered[:cut]) if _KATAKANA_WORD.fullmatch(form)]
        right = [form for form in other_forms(lowered[cut:]) if _KATAKANA_WORD.fullmatch(form)] if left else []
        known = [first + second for first in left for second in right if knows(first + second)]
        if known:
            return (lowered, *dict.fromkeys(known))
    return ()


def joined_forms(name: str, following: tuple[str, ...], knows: Callable[[str], bool],
                  other_forms: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
    """The forms of a name of several words that a Japanese release writes as one
    (Luna Post -> ルナポスト), when the index holds one; else ()."""
    for count in range(len(following), 0, -1):
        words = (name, *following[:count])
        known = [form for form in other_forms("".join(words)) if knows(form)]
        if known:
            return (" ".join(words).lower(), "".join(words).lower(), *known)
    return ()


_KATAKANA_WORD = re.compile(r"[ァ-ヺー・]{3,}")


def japanese_names(text: str) -> list[str]:
    """The proper nouns of a Japanese question (SudachiPy: 栗田, 星野, ルクセンブルク),
    adjacent ones joined, and the katakana words SudachiPy does not know (ハルネ,
    ネクサリンク: an invented company or product name is no word of its dictionary);
    Latin words are read by `english_names`."""
    from ..search.lexical import sudachi_morphemes

    names: list[str] = []
    last_end = None
    for morpheme in sudachi_morphemes(text):
        surface = morpheme.surface()
        proper = morpheme.part_of_speech()[1] == "固有名詞" and not surface.isascii()
        if proper or (morpheme.is_oov() and _KATAKANA_WORD.fullmatch(surface)):
            if names and last_end == morpheme.begin():
                names[-1] += surface
            else:
                names.append(surface)
            last_end = morpheme.end()
    # 何輪, 何社: a question word is never a name.
    return [name for name in dict.fromkeys(names) if len(name) >= 2 and "何" not in name]


def unknown_word(name: str) -> bool:
    """Whether a name of `japanese_names` is a katakana word SudachiPy does not know:
    it binds where the releases hold it, but its absence refuses nothing (the
    releases may spell it only in Latin letters that no reading reaches)."""
    from ..search.lexical import sudachi_morphemes

    return bool(_KATAKANA_WORD.fullmatch(name)) and any(morpheme.is_oov() for morpheme in sudachi_morphemes(name))


_NAME_RUN = re.compile(r"(?<![\w’'-])[A-Z][A-Za-z0-9-]*(?:\s+[A-Z][A-Za-z0-9-]*)+")


@functools.lru_cache(maxsize=256)
def _named_runs(asked: str) -> tuple[tuple[str, str, str], ...]:
    """(the name as written, its words but the last, its last word) for each name of two
    or more capitalized words in a question whose last word is a distinctive one (Uji),
    never an acronym (the "Ontario EV plant")."""
    runs = []
    for run in _NAME_RUN.finditer(asked):
        words = run.group().split()
        if run.start() == 0 and len(words) > 2:
            words = words[1:]  # "When Shizuku Farm Uji…": the question word is no part of it
        if len(words) >= 2 and re.fullmatch(r"[A-Z][a-z]+", words[-1]):
            runs.append((run.group(), " ".join(words[:-1]), words[-1]))
    return tuple(runs)


def names_a_sibling(sentence: str, asked: str) -> bool:
    """Whether a sentence names a sibling of a name the question asks about, and not the
    name itself: "Shizuku Farm Kameoka" for a question about "Shizuku Farm Uji" (a
    new-user session had Kameoka's 7.5 tons stated for Uji), the way Mission 3 is no
    answer about Mission 2."""
    for whole, prefix, last in _named_runs(asked):
        if whole in sentence:
            continue
        other = re.search(re.escape(prefix) + r"\s+([A-Z][a-z]+)\b", sentence)
        if other and other.group(1) != last:
            return True
    return False


# A model or edition word after a product's name makes another product (HB-10 Pro,
# Starbound Requiem II).
_EDITION = r"(?:Pro|Max|Plus|Lite|Mini|Ultra|Air|Neo|II|III|IV|2|3|4)"
_PRODUCT = re.compile(rf"([A-Z][\w-]*(?:\s+(?!{_EDITION}\b)[A-Z][\w-]*)*)(?:\s+({_EDITION}))?(?=[\s,.:;?)]|$)")


@functools.lru_cache(maxsize=256)
def _products(asked: str) -> tuple[tuple[re.Pattern, str | None], ...]:
    """For each product a question names (with a number, a hyphen or two words), a
    pattern of its name with any edition word after it, and the edition asked (None)."""
    found = []
    for match in _PRODUCT.finditer(asked):
        base, edition = match.group(1), match.group(2)
        if len(base) >= 3 and re.search(r"[\d-]|\s", base):
            found.append((re.compile(re.escape(base) + rf"(?:\s+({_EDITION})\b)?"), edition))
    return tuple(found)


def names_another_edition(sentence: str, fact: Fact, asked: str) -> bool:
    """Whether the product named nearest before a fact is another edition of the one
    asked: "The HB-10 Pro controller has sold 150,000 units" asked about the HB-10, or
    "Starbound Requiem … 3.1 million" asked about Starbound Requiem II (a new-user
    session had both stated)."""
    before = sentence[:fact.start]
    for pattern, edition in _products(asked):
        mentions = list(pattern.finditer(before))
        if mentions and (mentions[-1].group(1) or None) != edition:
            return True
    return False
