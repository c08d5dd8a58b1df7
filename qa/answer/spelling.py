"""How a passage's Japanese words are spelled in Latin letters, for checking names.

Design choice: a model answering in English writes 中央区 as Chuo, 東京 as Tokyo and
ルナテック as Lunatech. Each Japanese word of a passage is read by SudachiPy, the
reading put in Hepburn romaji and folded (long vowels, doubled consonants, l/r: the
spellings that vary: chuuou, Chuo and Chuou meet), with the place suffixes (-ku,
-shi, -to) taken off as well; each katakana word is also reduced to its consonants,
the way a katakana spelling keeps an English word's (Lunatech and ルナテック are both
rntk). A Latin word of the answer is found when its folded spelling or its
consonants are among them.
"""

from __future__ import annotations

import functools
import re

from ..search.lexical import sudachi_morphemes
from ..search.romaji import hepburn

PLACE_SUFFIXES = frozenset("ku shi ken gun cho machi mura to fu do".split())
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_KATAKANA = re.compile("[\u30a1-\u30fa\u30fc]{3,}")


def fold(romaji: str) -> str:
    """A romanization without the spellings that vary: long vowels (chuuou, Ohno ->
    chuo, ono), doubled consonants, and one of l/r (the same kana)."""
    folded = romaji.lower().replace("l", "r").replace("oh", "o")
    folded = re.sub(r"([aeiou])\1+|ou", lambda match: "o" if match.group() == "ou" else match.group(1), folded)
    return re.sub(r"([^aeiou])\1+", r"\1", folded)


def skeleton(word: str) -> str:
    """The consonants of an English word or of a katakana word's romaji, the way a
    katakana spelling keeps them (Lunatech and ルナテック: rntk; Artemis and アルテミス: rtms)."""
    key = word.lower().replace("th", "s").replace("ph", "f").replace("ch", "k").replace("x", "ks").replace("tsu", "t")
    key = key.translate(str.maketrans("lvcqfj", "rbkkhz"))
    key = re.sub(r"[aeiouyhw'’-]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)


@functools.lru_cache(maxsize=2048)
def spelled_words(passage: str) -> frozenset[str]:
    """How the Japanese words of a passage are spelled in Latin letters: each word's
    reading in Hepburn, folded (see `fold`), and each katakana word's consonants
    (see `skeleton`, marked with a leading "~")."""
    keys = set()
    for morpheme in sudachi_morphemes(passage):
        surface = morpheme.surface()
        if _JAPANESE.search(surface):
            spelled = hepburn(morpheme.reading_form())
            if len(spelled) >= 3:
                keys.add(fold(spelled))
                for suffix in PLACE_SUFFIXES:  # 中央区 is one word, chuoku: Chuo names it too
                    if spelled.endswith(suffix) and len(spelled) - len(suffix) >= 3:
                        keys.add(fold(spelled[:-len(suffix)]))
    for run in _KATAKANA.findall(passage):
        key = skeleton(hepburn(run))
        if len(key) >= 3:
            keys.add("~" + key)
    return frozenset(keys)
