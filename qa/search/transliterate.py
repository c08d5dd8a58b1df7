"""Whether a name in Latin letters and a name in katakana are the same name.

Design choice: a katakana name is a Japanese hearing of a foreign name (カーバー
is Carver, ルナール is Renard, バッキ is Bacchi), so the two are compared as
sounds, never as letters. The katakana is read in Hepburn (qa.search.romaji); the
Latin word gets the spellings a katakana writer could have heard: e2k's English
reading of it (a small RNN shipped with its weights on PyPI, numpy only; when e2k is
not installed this spelling is simply missing), the word as written, as English
sounds it (a post-vocalic r dropped, Carver -> cave; s voiced between a vowel, n or r and
a vowel, Denise -> denize), and as French or German do (au, eu, ea, sch, w; a final consonant
silent: Renard -> renar, Rousseau -> roseo). Two spellings are the same name when their keys agree:
the full key (`fold`: long vowels, doubled consonants and l/r folded) for a short
name, or, for a name of three consonants or more, the consonant skeleton
(`consonants`: Lunatech and ルナテック are both rntk), which is what survives a
katakana spelling's vowels. Nothing is close enough: a key differs or it does not,
so Mendoza is not メンデス and Hamada is not ハカマダ.

API (also for retrieval): `fold(romaji)`, `consonants(word)`, `katakana_of(latin)`,
`latin_keys(latin)`, `kana_key(katakana)`, `same_name(latin, katakana)`.
"""

from __future__ import annotations

import functools
import re

from .romaji import hepburn

_VOWELS = "aeiou"
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]+")
# Short names are compared with their vowels: three consonants say enough, two do not.
MIN_SKELETON = 3


def fold(romaji: str) -> str:
    """A romanization without the spellings that vary: long vowels (chuuou, Ohno ->
    chuo, ono), doubled consonants, and one of l/r (the same kana)."""
    folded = romaji.lower().replace("l", "r").replace("oh", "o")
    folded = re.sub(r"([aeiou])\1+|ou", lambda match: "o" if match.group() == "ou" else match.group(1), folded)
    return re.sub(r"([^aeiou])\1+", r"\1", folded)


def consonants(word: str) -> str:
    """The consonants of a word or a katakana word's romaji, the way a katakana
    spelling keeps them (Lunatech and ルナテック: rntk; Artemis and アルテミス: rtms)."""
    key = word.lower().replace("th", "s").replace("ph", "f").replace("cch", "k").replace("ch", "k")
    key = key.replace("x", "ks").replace("tsu", "t").replace("ck", "k")
    key = key.translate(str.maketrans("lvcqj", "rbkkz"))
    key = re.sub(r"[aeiouyhw'’-]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)


@functools.lru_cache(maxsize=1)
def _e2k():
    try:
        from e2k import C2K
    except ImportError:
        return None
    return C2K()


@functools.lru_cache(maxsize=8192)
def katakana_of(latin: str) -> str:
    """e2k's katakana for an English word ("" without e2k, or for a non-word)."""
    model = _e2k()
    word = latin.lower()
    if model is None or not word.isalpha() or not word.isascii():
        return ""
    return model(word)


def kana_key(katakana: str) -> str:
    """A katakana word's romaji, folded (カーバー -> kaba)."""
    return fold(hepburn(katakana.replace("ヴ", "ブ")).replace("fuyu", "fyu"))


@functools.lru_cache(maxsize=8192)
def latin_keys(latin: str) -> tuple[str, ...]:
    """The folded spellings a katakana writer could have heard for a Latin word."""
    word = re.sub(r"[^a-z]", "", latin.lower())
    if not word:
        return ()
    keys = {fold(word)}
    english = re.sub(r"(?<=[aeiou])r(?![aeiouy])", "", word)            # Carver: cave
    english = re.sub(r"(?<=[aeiounr])s(?=[aeiou])", "z", english)       # Denise: denize
    english = re.sub(r"ture\b", "chua", english)                         # Future: fuchua
    keys.add(fold(english))
    continental = word.replace("sch", "sh").replace("cch", "k").replace("au", "o").replace("eu", "oi").replace("ea", "a")
    continental = re.sub(r"(?<=[aeiour])[cdstxz]$", "", continental).replace("w", "v")  # Renard: renar
    keys.add(fold(continental))
    keys.add(fold(re.sub(r"(?<=[aeiou])r(?![aeiouy])", "", continental)))  # Schroeder: shroede
    spelled = katakana_of(word)
    if spelled:
        keys.add(kana_key(spelled))
    return tuple(sorted(key for key in keys if key))


def _bare(key: str) -> str:
    """A key without the vowels katakana adds after a consonant (ルナール: rnar),
    its letters as katakana hears them (c as k or s, ch before a consonant as k)."""
    key = re.sub(r"(?<=[^aeiou])u(?=[^aeiou]|$)|(?<=[td])o(?=[^aeiou]|$)", "", key)
    key = re.sub(r"ch(?![aeiou])|ck", "k", key.replace("ph", "f").replace("th", "s")).replace("ch", "C")
    key = re.sub(r"c(?=[eiy])", "s", key).replace("c", "k").replace("q", "k").replace("x", "ks")
    return key.replace("v", "b").replace("C", "ch")


def _distance(first: str, second: str) -> int:
    row = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        previous, row[0] = row[0], i
        for j, b in enumerate(second, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (a != b))
    return row[-1]


def same_name(latin: str, katakana: str) -> bool:
    """Whether a Latin word and a katakana word spell the same name: a key the same,
    or, for three consonants or more, the same consonants and the vowels all but
    one in four the same (Mendes is メンデス, not メンドーサ)."""
    heard = kana_key(katakana)
    if not heard or not latin_keys(latin):
        return False
    skeleton = consonants(heard)
    for key in latin_keys(latin):
        if key == heard:
            return True
        if len(skeleton) >= MIN_SKELETON and consonants(key) == skeleton and \
                _distance(_bare(key), _bare(heard)) <= max(1, len(_bare(heard)) // 4):
            return True
    return False


def katakana_words(text: str) -> list[str]:
    """The katakana words of a text, split at ・ (ローラ・メンデス -> ローラ, メンデス)."""
    return _KATAKANA_WORD.findall(text)
