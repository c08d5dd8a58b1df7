"""How a passage's Japanese words are spelled in Latin letters, for checking names.

Design choice: a model answering in English writes 中央区 as Chuo and 東京 as Tokyo.
Each Japanese word of a passage is read by SudachiPy, the reading put in Hepburn
romaji and folded (long vowels, doubled consonants, l/r: the spellings that vary:
chuuou, Chuo and Chuou meet; see qa.search.transliterate), with the place suffixes
(-ku, -shi, -to) taken off as well. A Latin word of the answer is found when its
folded spelling is among them. (Katakana words are compared by sound, see
qa.search.transliterate.same_name.)
"""

from __future__ import annotations

import functools
import re

from ..search.lexical import sudachi_morphemes
from ..search.romaji import hepburn
from ..search.transliterate import fold

PLACE_SUFFIXES = frozenset("ku shi ken gun cho machi mura to fu do".split())
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@functools.lru_cache(maxsize=2048)
def spelled_words(passage: str) -> frozenset[str]:
    """How the Japanese words of a passage are spelled in Latin letters: each word's
    reading in Hepburn, folded (see `fold`), with and without a place suffix."""
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
    return frozenset(keys)
