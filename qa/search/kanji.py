"""A kanji name's Latin spellings, read kanji by kanji and kept only when the index holds them.

Design choice: a company's name in a Japanese release (隼友海運, 龍北鋼商, 峰風) is often
one no dictionary lists, and SudachiPy reads it as common words (隼 ハヤブサ, 友海 ユミ),
while its English release writes Hayatomo Kaiun, Ryuhoku Kosho, Minekaze. Every reading
KANJIDIC2 gives each kanji (on, kun and the name readings, nanori: 隼 はや) is combined
over a piece of two or three kanji, romanized with long vowels folded as English writes
them (リュウホク -> ryuhoku, コウショウ -> kosho), the later kanji also voiced (rendaku:
kaze/gaze), and a spelling is kept only when the index holds it as a word: the index
decides among the hundreds of combinations, so a spelling no release writes adds nothing.
Only pieces of two kanji or more are read: a single kanji's readings meet too many short
words. KANJIDIC2 comes with `jamdict-data`; without it there are no spellings.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
import threading
from typing import Callable

from .romaji import hepburn

_KANJI_RUN = re.compile(r"[\u4e00-\u9fff々]{2,}")
_LONGEST_PIECE = 3
_MOST_SPELLINGS = 400  # combinations read per piece at most (three kanji of seven readings each)
_VOICED = str.maketrans("カキクケコサシスセソタチツテトハヒフヘホ", "ガギグゲゴザジズゼゾダヂヅデドバビブベボ")
_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    """Every kanji's readings, read from KANJIDIC2 once (13,000 kanji, a fraction of a
    second; a query per kanji took 10 ms, as the table has no index on the kanji)."""
    from .dictionary import source_path

    source = source_path()
    if source is None:
        return {}
    connection = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
    try:
        rows = connection.execute(
            "SELECT c.literal, r.value FROM character c JOIN rm_group g ON g.cid = c.ID JOIN reading r ON r.gid = g.ID "
            "WHERE r.r_type IN ('ja_on', 'ja_kun') "
            "UNION ALL SELECT c.literal, n.value FROM character c JOIN nanori n ON n.cid = c.ID").fetchall()
    finally:
        connection.close()
    found: dict[str, list[str]] = {}
    for character, value in rows:
        reading = _katakana(value.split(".")[0].strip("-"))
        if reading:
            found.setdefault(character, []).append(reading)
    return {character: tuple(dict.fromkeys(values)) for character, values in found.items()}


def _katakana(text: str) -> str:
    return "".join(chr(ord(character) + 0x60) if "ぁ" <= character <= "ゖ" else character for character in text)


def readings(character: str) -> tuple[str, ...]:
    """A kanji's readings in katakana (on, kun without its okurigana, nanori), most
    usual first; () without KANJIDIC2."""
    with _lock:
        table = _table()
    return table.get(character, ())


def without_long_vowels(romaji: str) -> str:
    """Hepburn as English prints it: ryuuhoku -> ryuhoku, koushou -> kosho (a spelling,
    with its double consonants, not `transliterate.fold`'s comparison key)."""
    return romaji.replace("ou", "o").replace("uu", "u").replace("oo", "o")


def _piece_spellings(piece: str) -> list[str]:
    options = []
    for position, character in enumerate(piece):
        found = readings(character)
        if not found:
            return []
        if position:  # rendaku: 峰風 may be minegaze as well as minekaze
            found = tuple(dict.fromkeys(found + tuple(reading[:1].translate(_VOICED) + reading[1:]
                                                      for reading in found)))
        options.append(found)
    spellings = []
    for combination in itertools.islice(itertools.product(*options), _MOST_SPELLINGS):
        romaji = hepburn("".join(combination))
        if romaji:
            spellings += [without_long_vowels(romaji), romaji]
    return list(dict.fromkeys(spellings))


def spellings(text: str, holds: Callable[[str], bool], held: dict | None = None) -> tuple[str, ...]:
    """The Latin words the index holds (`holds(word)`) that read a piece of two or
    three kanji of `text`'s kanji runs (隼友海運 -> hayatomo, kaiun); `held` keeps each
    piece's words between calls (one index's)."""
    found: list[str] = []
    for run in _KANJI_RUN.findall(text):
        for size in range(2, _LONGEST_PIECE + 1):
            for start in range(0, len(run) - size + 1):
                piece = run[start:start + size]
                words = held.get(piece) if held is not None else None
                if words is None:
                    words = tuple(word for word in _cached_piece(piece) if holds(word))
                    if held is not None:
                        held[piece] = words
                found += words
    return tuple(dict.fromkeys(found))


@functools.lru_cache(maxsize=8192)
def _cached_piece(piece: str) -> tuple[str, ...]:
    return tuple(_piece_spellings(piece))
