"""Romanized readings of Japanese names, for readers of English answers.

Design choice: an English reader gets 袴田武史 with its reading, "Takeshi Hakamada",
given name first as English writes it. People are SudachiPy's person-name runs that
hold a surname (姓, then 名); companies are noun runs ending in a word that makes a
company name (工業, 銀行, 電機, …: 高砂熱学工業, 三井住友銀行). Each part's reading is
SudachiPy's (the reading the text most likely has), written in Hepburn without
macrons (コウギョウ -> Kogyo); where JMnedict romanizes that name the same way up to
spelling (Hakamada, not Hakamata), JMnedict's spelling is used. A reading is a
reading, not a translation: 栗田工業 is "Kurita Kogyo", whose English name (Kurita
Water Industries) no dictionary here knows.
"""

from __future__ import annotations

import functools

from ..search.lexical import sudachi_morphemes
from ..search.romaji import hepburn, spelling_key

_COMPANY_ENDS = frozenset("工業 銀行 電機 電気 商事 重工 重工業 建設 製作所 産業 自動車 化学 製薬 証券 保険 物産 電工 "
                          "航空 通信 電力 製鉄 ホールディングス グループ".split())
_SKIPPED = frozenset(("株式", "会社", "有限", "合同"))
MAX_READINGS = 4


def _romaji(katakana: str) -> str:
    """Hepburn without macrons: コウギョウ -> kogyo, ユウジ -> yuji."""
    letters = hepburn(katakana)
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        letters = letters.replace(long, short)
    return letters


def _part(surface: str, reading: str, dictionary) -> str:
    spelled = _romaji(reading)
    if not spelled:
        return ""
    if dictionary is not None:
        for latin in dictionary.romanizations(surface):
            if spelling_key(latin) == spelling_key(spelled):
                return latin[:1].upper() + latin[1:]
    return spelled.capitalize()


@functools.lru_cache(maxsize=4096)
def _names(text: str) -> tuple[tuple[str, str, str], ...]:
    """(name, kind, reading katakana parts joined by '|') found in `text`."""
    found = []
    morphemes = list(sudachi_morphemes(text))
    position = 0
    while position < len(morphemes):
        morpheme = morphemes[position]
        part_of_speech = morpheme.part_of_speech()
        if part_of_speech[2] == "人名" and part_of_speech[3] == "姓":
            parts = [morpheme]
            if position + 1 < len(morphemes) and morphemes[position + 1].part_of_speech()[3] == "名" and \
                    morphemes[position + 1].begin() == morpheme.end():
                parts.append(morphemes[position + 1])
            following = morphemes[position + len(parts)] if position + len(parts) < len(morphemes) else None
            if following is not None and following.surface() in _COMPANY_ENDS:
                pass  # 栗田工業: a company, read below
            elif len(parts) == 2:
                found.append(("".join(part.surface() for part in parts), "person",
                              "|".join(f"{part.surface()}:{part.reading_form()}" for part in parts)))
                position += len(parts)
                continue
        if morpheme.surface() in _COMPANY_ENDS:
            start = position
            while start > 0 and position - start < 3 and morphemes[start - 1].part_of_speech()[0] == "名詞" \
                    and morphemes[start - 1].surface() not in _SKIPPED and not morphemes[start - 1].surface().isascii() \
                    and morphemes[start - 1].end() == morphemes[start].begin():
                start -= 1
            if start < position:
                parts = morphemes[start:position + 1]
                found.append(("".join(part.surface() for part in parts), "company",
                              "|".join(f"{part.surface()}:{part.reading_form()}" for part in parts)))
        position += 1
    return tuple(dict.fromkeys(found))


def readings(text: str, dictionary=None) -> dict[str, str]:
    """Japanese person and company names of `text` -> their romanized readings, at
    most `MAX_READINGS`, in order of appearance."""
    result: dict[str, str] = {}
    for name, kind, parts in _names(text):
        words = [_part(*part.split(":", 1), dictionary) for part in parts.split("|")]
        if not all(words):
            continue
        if kind == "person":
            words = words[::-1]  # given name first, as English writes it
        result[name] = " ".join(words)
        if len(result) >= MAX_READINGS:
            break
    return result
