"""Whether a name a model wrote is a name a passage gives, in either script.

Design choice: a name is checked as a value, like a date: the same name whatever the
script, and never a neighbour of it. A Latin name is found word by word: as written
(Lunatech), as an acronym of a name the passage spells out (CFO: Chief Financial
Officer), through the readings of the passage's Japanese words (Chuo: 中央区, read
チュウオウ), as the sound of a katakana word (Carver: カーバー, see
qa.search.transliterate), or through the dictionary, whose forms must be whole words
of the passage (Hakamada: 袴田, never 広 inside 広げ) and, for a name the passage's
reading confirms, be read that way (袴田 is read ハカマダ here, so Hamada is not it).
Common words in a name (Thermal, Heavy) need not be found when the passage writes
the name in Japanese, but must be when it writes it in Latin letters (Falcon Heavy is
not Falcon 9). A Japanese name is found whole, or part by part: each katakana part
as the sound of a Latin word, each kanji part through its readings, romanizations and
English glosses; a single kanji never on its own (北川 is not in 北星). Pairs the
passages give in parentheses, 危機の海(Mare Crisium), Kitaboshi Systems (北星システムズ),
are aliases: either side finds the other.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from ..ingest.normalize import clean_characters
from ..search.lexical import reading, sudachi_morphemes
from ..search.romaji import hepburn
from ..search.translate import english_lemmas
from ..search.transliterate import fold, same_name
from ..search.vocabulary import VOCABULARY
from .spelling import PLACE_SUFFIXES, spelled_words

_CONNECTORS = frozenset(("of", "de", "du", "van", "von", "der", "and", "&", "x", "the"))
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_KATAKANA = re.compile("^[\u30a1-\u30fa\u30fc]+$")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9’'&.-]*[A-Za-z0-9]|[A-Za-z]")
_CAPITALIZED_RUN = re.compile(r"[A-Z][A-Za-z]*(?:\s+(?:of|and|&|the|for|de)?\s*[A-Z][A-Za-z]*)+")
_ALIAS = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff・ー]{2,})\s*[(（]([A-Za-z][A-Za-z0-9 .&'’-]{1,60})[)）]"
                    r"|([A-Z][A-Za-z0-9 .&'’-]{1,60}?)\s*[(（]([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff・ー]{2,})[)）]")
_COMPANY_WORDS = ("株式会社", "有限会社", "合同会社")


@dataclass(frozen=True)
class Text:
    """A text as names are looked up in it."""
    lowered: str
    squashed: str
    words: frozenset[str]            # its morphemes and runs of two or three, lower case
    readings: dict                   # each of those -> its reading in folded romaji
    katakana: tuple[str, ...]
    latin: tuple[str, ...]           # its Latin words, lower case
    acronyms: frozenset[str]


@functools.lru_cache(maxsize=2048)
def text_of(raw: str) -> Text:
    text = clean_characters(raw)
    lowered = text.lower()
    morphemes = [(m.surface(), m.reading_form()) for m in sudachi_morphemes(text) if m.surface().strip()]
    words, readings = set(), {}
    for size in (1, 2, 3):
        for start in range(len(morphemes) - size + 1):
            surface = "".join(surface for surface, _ in morphemes[start:start + size]).lower()
            words.add(surface)
            spelled = hepburn("".join(read for _, read in morphemes[start:start + size]))
            if spelled and _JAPANESE.search(surface):
                readings.setdefault(surface, fold(spelled))
    acronyms = set()
    for run in _CAPITALIZED_RUN.findall(text):
        initials = "".join(word[0] for word in run.split() if word.lower() not in _CONNECTORS)
        acronyms.add(initials.lower())
    return Text(lowered, "".join(lowered.split()), frozenset(words), readings,
                tuple(re.findall("[\u30a1-\u30fa\u30fc]{2,}", text)),
                tuple(word.lower() for word in _LATIN_RUN.findall(text)), frozenset(acronyms))


def aliases_of(texts: list[str]) -> tuple[tuple[str, str], ...]:
    """(Japanese, Latin) pairs the texts give in parentheses."""
    pairs = []
    for raw in texts:
        for match in _ALIAS.finditer(clean_characters(raw)):
            japanese, latin = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
            japanese = re.sub(r"^.*[はがをにでともへや、。「」]", "", japanese)  # the name, not its sentence
            if len(japanese) >= 2:
                pairs.append((japanese.strip(), latin.strip()))
    return tuple(dict.fromkeys(pairs))


def _squash(text: str) -> str:
    return "".join(clean_characters(text).lower().split())


class NameFinder:
    """Finds names in texts. `forms(name)` gives a name's other-language forms (the
    index's romaji table and dictionary); `common(word)` says whether an English word
    is a common word."""

    def __init__(self, dictionary=None, forms: Callable[[str], tuple[str, ...]] = lambda name: (),
                 common: Callable[[str], bool] = lambda word: False):
        self.dictionary, self.forms, self.common = dictionary, forms, common
        self._cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def found(self, name: str, raw: str, aliases: tuple[tuple[str, str], ...] = ()) -> bool:
        text = text_of(raw)
        squashed = _squash(name)
        if squashed in text.squashed:
            return True
        for japanese, latin in aliases:
            if squashed in (_squash(japanese), _squash(latin)) and \
                    (_squash(japanese) in text.squashed or _squash(latin) in text.squashed):
                return True
        if _JAPANESE.search(name):
            return self._japanese_found(name, text, aliases)
        words = [word for word in name.split() if word.lower() not in _CONNECTORS]
        words = self._katakana_compounds(words, text)  # Nova Venture: ノヴァベンチャー
        distinctive = [word for word in words if not self.common(word)] or words
        if not all(self.latin_found(word, text) for word in distinctive):
            return False
        written = any(re.search(r"(?<![a-z])" + re.escape(word.lower()) + r"(?![a-z])", text.lowered)
                      for word in distinctive)
        return not written or all(self.latin_found(word, text) for word in words)  # Falcon Heavy, not Falcon 9

    @staticmethod
    def _katakana_compounds(words: list[str], text: Text) -> list[str]:
        """The words, without those that together sound like one katakana word of the text."""
        for size in range(len(words), 1, -1):
            for start in range(len(words) - size + 1):
                joined = "".join(words[start:start + size])
                if joined.isalpha() and any(same_name(joined, katakana) for katakana in text.katakana):
                    return words[:start] + words[start + size:]
        return words

    # --- a Latin word ------------------------------------------------------------------------

    def latin_found(self, word: str, text: Text) -> bool:
        lowered = word.lower().strip("’'.")
        if not lowered:
            return True
        if re.search(r"(?<![a-z])" + re.escape(lowered) + r"(?![a-z])", text.lowered):
            return True
        if lowered.endswith(("’s", "'s")):
            return self.latin_found(lowered[:-2], text)
        if word.isupper() and 2 <= len(word) <= 6 and lowered in text.acronyms:  # CFO
            return True
        if "-" in lowered.strip("-"):  # Chuo-ku, HAKUTO-R's parts
            parts = [part for part in lowered.split("-") if part and part not in PLACE_SUFFIXES]
            return bool(parts) and all(self.latin_found(part, text) for part in parts)
        if len(lowered) >= 4 and fold(lowered) in spelled_words(text.lowered):  # Chuo: 中央 read チュウオウ
            return True
        if len(lowered) >= 3 and any(same_name(lowered, katakana) for katakana in text.katakana):  # カーバー
            return True
        return any(self._form_found(form, lowered, text, name) for form, name in self._forms(word))

    def _form_found(self, form: str, word: str, text: Text, name: bool) -> bool:
        """A dictionary form of `word` found as a whole word of the text; a name's
        form read as the word is spelled, where the text's reading is one the
        dictionary confirms."""
        key = "".join(form.lower().split())
        if key not in text.words:
            return False
        read = text.readings.get(key)
        if not name or not read or read == fold(word) or self.dictionary is None:
            return True
        known = {fold(latin) for latin in self.dictionary.romanizations(form)}
        return fold(word) in known and read not in known  # the text's reading is no name the dictionary knows

    def _forms(self, word: str) -> tuple[tuple[str, bool], ...]:
        """Other-language forms of a Latin word, each with whether it is a name's: the
        hand vocabulary and JMdict words (translations), JMnedict names and the
        index's own forms (names)."""
        if ("latin", word) not in self._cache:
            lowered = word.lower()
            forms = [(form, False) for form in VOCABULARY.get(lowered, ())]
            if self.dictionary is not None:
                forms += [(form, True) for form in self.dictionary.name_forms(word[:1].upper() + word[1:].lower())]
                for lemma in english_lemmas(lowered):
                    forms += [(form, False) for form, _ in self.dictionary.japanese(lemma)[:8]]
            forms += [(form, True) for form in self.forms(word)]
            self._cache[("latin", word)] = tuple(dict.fromkeys((form, name) for form, name in forms if form))
        return self._cache[("latin", word)]

    # --- a Japanese name -------------------------------------------------------------------

    def _japanese_found(self, name: str, text: Text, aliases) -> bool:
        bare = name
        for word in _COMPANY_WORDS:
            bare = bare.replace(word, "")
        if bare and _squash(bare) in text.squashed:
            return True
        for part in re.split(r"[・=＝\s]+", bare):
            for piece in re.findall(r"[A-Za-z][A-Za-z0-9’'&.-]*|[^A-Za-z]+", part):
                if piece.isascii():
                    if not self.latin_found(piece, text):
                        return False
                elif not self._japanese_part_found(piece, text, aliases):
                    return False
        return True

    def _japanese_part_found(self, part: str, text: Text, aliases) -> bool:
        if _squash(part) in text.squashed:
            return True
        if any(_squash(japanese) == _squash(part) and _squash(latin) in text.squashed for japanese, latin in aliases):
            return True
        if _KATAKANA.match(part):
            return any(same_name(latin, part) for latin in self._latin_runs(text))
        pieces = [morpheme.surface() for morpheme in sudachi_morphemes(part) if morpheme.surface().strip()]
        position = 0
        while position < len(pieces):
            for end in range(len(pieces), position, -1):  # the longest run of pieces found whole
                joined = "".join(pieces[position:end])
                if (len(joined) >= 2 or len(part) == 1) and _squash(joined) in text.squashed:
                    position = end
                    break
            else:
                piece = pieces[position]
                if not any(re.search(r"(?<![a-z])" + re.escape(form) + r"(?![a-z])", text.lowered)
                           for form in self._latin_forms(piece)):
                    return False
                position += 1
        return True

    @staticmethod
    def _latin_runs(text: Text) -> list[str]:
        """The text's Latin words, and each two together (Nova Venture: ノヴァベンチャー)."""
        words = list(text.latin)
        return words + [first + second for first, second in zip(words, words[1:])]

    def _latin_forms(self, piece: str) -> tuple[str, ...]:
        """Latin forms of a Japanese word: JMnedict's romanizations, its reading in
        Hepburn, its first English glosses, the index's forms."""
        if ("japanese", piece) not in self._cache:
            forms = []
            if self.dictionary is not None:
                forms += [latin.lower() for latin in self.dictionary.romanizations(piece)]
                forms += [gloss.lower() for gloss in self.dictionary.english(piece)[:3]]
            spelled = hepburn(reading(piece))
            if spelled:
                forms += [spelled, fold(spelled)]
            forms += [form.lower() for form in self.forms(piece) if form.isascii()]
            self._cache[("japanese", piece)] = tuple(dict.fromkeys(form for form in forms if len(form) >= 2))
        return self._cache[("japanese", piece)]
