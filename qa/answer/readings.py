"""Romanized readings of Japanese names, for readers of English answers.

Design choice: an English reader gets 袴田武史 with its reading, "Takeshi Hakamada",
given name first as English writes it. Each part's reading is SudachiPy's (the
reading the text most likely has), written in Hepburn without macrons (コウギョウ ->
Kogyo); where JMnedict romanizes that name the same way up to spelling (Hakamada,
not Hakamata), JMnedict's spelling is used. A reading is a reading, not a
translation: 栗田工業 is "Kurita Kogyo", whose English name (Kurita Water
Industries) no dictionary here knows.

A reading is given only for a name that is a person's or a company's, and read as
what it is:

- a person: a SudachiPy 人名 run of a surname (姓) then a given name (名), that is
  not a company by its text (below), whose surname is written with a kanji (a
  surname in kana is a company or a product: あおい宇宙), whose given name is not a
  common JMdict word given an unusual reading only because it follows a surname (宇宙
  read ソラ, where the word alone is ウチュウ; this costs the reading of a few real
  names such as 正義 read マサヨシ), and, when JMnedict knows a part, that
  JMnedict lists it as a person's name (surname, given, fem, masc, person, unclass)
  with that reading. Anything else gets no reading: a wrong person's reading
  ("Sora Aoi" for a company) misleads more than none.
- a company: a noun run ending in a word that makes a company name (工業, 銀行,
  電機, …: 高砂熱学工業, 三井住友銀行), or a run that the text marks as a company
  (株式会社 or (株) before or after it, or "(本社" after it); its parts are read as
  words (あおい宇宙 -> "Aoi Uchu"), in the text's order.
"""

from __future__ import annotations

import functools
import re

from ..search.lexical import sudachi_morphemes
from ..search.romaji import hepburn, spelling_key

_COMPANY_ENDS = frozenset("工業 銀行 電機 電気 商事 重工 重工業 建設 製作所 産業 自動車 化学 製薬 証券 保険 物産 電工 "
                          "航空 通信 電力 製鉄 ホールディングス グループ".split())
_SKIPPED = frozenset(("株式", "会社", "有限", "合同"))
_COMPANY_BEFORE = ("株式会社", "有限会社", "合同会社", "(株)", "㈱")
_COMPANY_AFTER = ("株式会社", "(株)", "㈱", "(本社", "社は", "社が", "社の")
_PERSON_KINDS = frozenset(("surname", "given", "fem", "masc", "person", "unclass"))
_KANJI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
# JMnedict spellings kept out of a reading: long vowels doubled or with macrons, and
# the apostrophe of n' (Taroo, Tarō, Kounosuke, Shin'ya; the reading says Taro, Shinya).
_LONG_VOWEL_SPELLING = re.compile(r"ou|oo|uu|[āēīōūâêîôû']", re.IGNORECASE)
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
            if spelling_key(latin) == spelling_key(spelled) and not _LONG_VOWEL_SPELLING.search(latin):
                return latin[:1].upper() + latin[1:]
    return spelled.capitalize()


def _word_reading(surface: str) -> str:
    """The reading SudachiPy gives `surface` alone, as one word ("" when it splits)."""
    morphemes = list(sudachi_morphemes(surface))
    return morphemes[0].reading_form() if len(morphemes) == 1 else ""


def _reads_as_a_word(surface: str, reading: str, dictionary) -> bool:
    """Whether a given name is a common word (JMdict marks it common) that SudachiPy
    reads otherwise when it stands alone: 宇宙 is ウチュウ alone and ソラ only after a
    surname. (和人, ワジン alone, is no common word: カズト stands.)"""
    if dictionary is None or len(surface) < 2 or dictionary.form_weight(surface) < 1.0:
        return False
    alone = list(sudachi_morphemes(surface))
    return len(alone) == 1 and alone[0].part_of_speech()[1] == "普通名詞" and alone[0].reading_form() != reading


def _marked_company(text: str, begin: int, end: int) -> bool:
    return text[:begin].endswith(_COMPANY_BEFORE) or text[end:].startswith(_COMPANY_AFTER)


def _joined(parts, readings=None) -> str:
    readings = readings or [part.reading_form() for part in parts]
    return "|".join(f"{part.surface()}:{reading}" for part, reading in zip(parts, readings))


@functools.lru_cache(maxsize=4096)
def _names(text: str) -> tuple[tuple[str, str, str], ...]:
    """(name, kind, "surface:katakana" parts joined by '|') found in `text`; kind is
    "person" (still to be checked against JMnedict) or "company"."""
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
            name = "".join(part.surface() for part in parts)
            if following is not None and following.surface() in _COMPANY_ENDS:
                pass  # 栗田工業: a company, read below
            elif len(parts) == 2 and _marked_company(text, parts[0].begin(), parts[-1].end()):
                readings = [_word_reading(part.surface()) for part in parts]
                if all(readings):
                    found.append((name, "company", _joined(parts, readings)))
                position += len(parts)
                continue
            elif len(parts) == 2:
                if _KANJI.search(parts[0].surface()):
                    found.append((name, "person", _joined(parts)))
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
                found.append(("".join(part.surface() for part in parts), "company", _joined(parts)))
        position += 1
    return tuple(dict.fromkeys(found))


def _a_persons_name(surface: str, reading: str, dictionary) -> bool:
    """Whether JMnedict, when it knows `surface`, lists it as a person's name read so."""
    if dictionary is None:
        return True
    kinds = dictionary.name_kinds(surface)
    if not kinds:
        return True  # a name JMnedict does not list: SudachiPy's word stands
    spelled = spelling_key(_romaji(reading))
    return any(spelling_key(latin) == spelled and _PERSON_KINDS & set(kind.split()) for latin, kind in kinds)


def readings(text: str, dictionary=None) -> dict[str, str]:
    """Japanese person and company names of `text` -> their romanized readings, at
    most `MAX_READINGS`, in order of appearance."""
    result: dict[str, str] = {}
    for name, kind, parts in _names(text):
        pairs = [part.split(":", 1) for part in parts.split("|")]
        if kind == "person" and (_reads_as_a_word(*pairs[-1], dictionary) or not all(
                _a_persons_name(surface, reading, dictionary) for surface, reading in pairs)):
            continue
        words = [_part(surface, reading, dictionary) for surface, reading in pairs]
        if not all(words):
            continue
        if kind == "person":
            words = words[::-1]  # given name first, as English writes it
        result[name] = " ".join(words)
        if len(result) >= MAX_READINGS:
            break
    return result
