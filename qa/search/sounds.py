"""Names across scripts in an index's vocabulary: Thales finds タレス, ウーブン finds Woven.

Design choice: a company or product is written in Latin letters in one language's
release and in katakana in the other's, and no dictionary lists them (POSCO, MerMec,
Woven City). Whether two spellings are one name is decided by `transliterate`
(the sound of the katakana against the spellings a katakana writer could have
heard for the Latin word, e2k's among them). To look a name up without comparing
it with every word of the index, the index's katakana words and Latin words are
grouped once, on first use, by their consonant skeleton (タレス and Thales: trs);
a name is compared only with the words of its skeletons, and kept when
`transliterate.same_name` agrees. Words of fewer than three letters, and Latin
words the index's English text holds as common words, are not names.
"""

from __future__ import annotations

import bisect
import re
import threading

from .transliterate import consonants, fold, kana_key, latin_keys, same_name

_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]{3,}")
_LATIN = re.compile(r"[a-z]{3,}")
# Skeletons this short match too many words to look up.
MIN_SKELETON = 2


_V_SOUNDS = (("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"))


def _plain(katakana: str) -> str:
    """The katakana as the other spellings of it sound (ヴェローラ and ベローラ)."""
    for written, heard in _V_SOUNDS:
        katakana = katakana.replace(written, heard)
    return katakana


def _latin_skeletons(word: str, with_model: bool) -> set[str]:
    """The skeletons a Latin word may have in katakana: its own and, with the model,
    those of every spelling a katakana writer could have heard."""
    keys = latin_keys(word) if with_model else (fold(word), fold(word + "s"))
    return {consonants(key) for key in keys} | {consonants(word), consonants(word.replace("th", "t"))}


class SoundTable:
    """The katakana and Latin words of a vocabulary, grouped by skeleton."""

    def __init__(self, vocabulary):
        self._vocabulary = vocabulary
        self._katakana: dict[str, list[str]] | None = None
        self._latin: dict[str, list[str]] | None = None
        self._sorted_katakana: list[str] = []
        self._lock = threading.Lock()

    def _tables(self) -> tuple[dict, dict]:
        if self._katakana is None:
            with self._lock:
                if self._katakana is None:
                    katakana: dict[str, list[str]] = {}
                    latin: dict[str, list[str]] = {}
                    for word in self._vocabulary:
                        if _KATAKANA.fullmatch(word):
                            katakana.setdefault(consonants(kana_key(_plain(word))), []).append(word)
                        elif _LATIN.fullmatch(word):
                            for skeleton in _latin_skeletons(word, with_model=False):
                                latin.setdefault(skeleton, []).append(word)
                    self._sorted_katakana = sorted(word for words in katakana.values() for word in words)
                    self._latin, self._katakana = latin, katakana
        return self._katakana, self._latin

    def katakana_for(self, latin: str) -> tuple[str, ...]:
        """The index's katakana words that spell the Latin name `latin` (Thales -> タレス)."""
        word = latin.lower()
        if not _LATIN.fullmatch(word):
            return ()
        katakana, _ = self._tables()
        found = [candidate for skeleton in _latin_skeletons(word, with_model=True) if len(skeleton) >= MIN_SKELETON
                 for candidate in katakana.get(skeleton, ()) if same_name(word, _plain(candidate))]
        return tuple(dict.fromkeys(found))

    def latin_for(self, katakana_word: str) -> tuple[str, ...]:
        """The index's Latin words that the katakana name spells (ウーブン -> woven)."""
        if not _KATAKANA.fullmatch(katakana_word):
            return ()
        _, latin = self._tables()
        plain = _plain(katakana_word)
        skeleton = consonants(kana_key(plain))
        if len(skeleton) < MIN_SKELETON:
            return ()
        return tuple(dict.fromkeys(word for word in latin.get(skeleton, ()) if same_name(word, plain)))

    def longer_katakana(self, prefix: str, limit: int = 3) -> tuple[str, ...]:
        """The index's katakana words that begin with `prefix` (パナ -> パナソニック): a
        Japanese abbreviation of a name the releases write in full."""
        if len(prefix) < 2 or not _KATAKANA.fullmatch(prefix + "ーー"[:max(0, 3 - len(prefix))]):
            return ()
        self._tables()
        words = self._sorted_katakana
        start = bisect.bisect_left(words, prefix)
        found = []
        while start < len(words) and words[start].startswith(prefix) and len(found) < limit:
            if words[start] != prefix:
                found.append(words[start])
            start += 1
        return tuple(found)
