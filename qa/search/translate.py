"""A question's words in the other language, weighted, through the dictionary.

Design choice: translation is word by word, not by a model, and only into words the
index holds. An English question's words (and phrases of up to three words, longest
first, so "ultrapure water" is 超純水 and not 超 + 水) are looked up in JMdict; a
Japanese question's words (and runs of adjacent nouns, longest first, so 局 + 長 is
局長, "bureau director") get their English glosses, and its proper nouns their
romanizations (JMnedict, and SudachiPy's reading in Hepburn). Every translation that
the index does not contain is dropped, and the rest share their source word's
weight, in proportion to the dictionary's weight (common words and first senses
first). So one question word never counts for more than one word, however many
glosses it has, and a wrong gloss can only add a fraction of a word.
"""

from __future__ import annotations

import re
from typing import Callable

from ..ingest.dates import MONTHS
from .romaji import hepburn

# English words that ask, not say: they are never translated.
_ENGLISH_SKIP = frozenset(
    "a an and are as at be been by can could did do does for from had has have how i in into is it its "
    "much many of on or over that the their there these this those to was were what when where which who "
    "whom whose why will with would about after before since than then under until up via latest current "
    "currently now new according report reported time date year years month day total "
    # Pronouns, auxiliaries and words of conversation: their glosses are noise (me -> 様, hi -> 水素).
    "me my mine you your yours he him his she her hers we our ours they them theirs there here hi hello hey "
    "thanks thank please tell more most less ok okay yes no not test testing say said says show give know want "
    "need like get let also just very really so too any some all each every other such only same once again ever "
    "never always often should shall may might must am be being been one ones thing things something anything "
    "lorem ipsum".split())
# Capitalized words that are no names: a month or a weekday has no romaji spelling and
# sounds like nothing ("March" was looked up as a name and gave ミルク).
_NOT_NAMES = frozenset(MONTHS) | frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]")
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile("[a-z]{2}")
_HIRAGANA_ONLY = re.compile("[\u3040-\u309f]+")
# Parts of speech whose words carry content.
_CONTENT = ("名詞", "動詞", "形容詞", "形状詞", "接尾辞")
_JAPANESE_SKIP = frozenset("何 いつ どこ 誰 だれ どう どれ どの いくら いくつ 為る 有る 居る 成る 事 物 時点 最新 現在 "
                           "ため よう こと もの 場合 月 年 日 際する 際し".split())
_PHRASE_WORDS = 3
_RUN_WORDS = 4


def english_lemmas(word: str) -> list[str]:
    """The word and the forms it may come from (shares -> share, landed -> land)."""
    word = word.lower()
    forms = [word]
    rules = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""), ("'s", ""))
    for suffix, replacement in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + replacement)
    return forms


def _share(found: list[tuple[str, float]], known: Callable[[str], bool], tokenize,
           script: re.Pattern, forms: dict[str, float] | None = None) -> dict[str, float]:
    """Split one source word's weight over its translations that the index knows
    (and that are written in the other language's `script`); each translation kept,
    as written, is added to `forms` with its share."""
    weights: dict[str, float] = {}
    kept: dict[str, float] = {}
    for form, weight in found:
        # A word on its own may be read otherwise than in a sentence (打ち上げ alone is
        # the verb 打ち上げる): the form as written counts when the index holds it.
        whole = form.lower()
        tokens = [whole] if known(whole) and script.search(whole) else \
            [token for token in tokenize(form) if known(token) and script.search(token)]
        for token in tokens:
            weights[token] = max(weights.get(token, 0.0), weight / len(tokens))
        if tokens:
            kept[form] = max(kept.get(form, 0.0), weight)
    total = sum(weights.values())
    if forms is not None and total:
        whole = sum(kept.values())
        for form, weight in kept.items():
            forms[form] = forms.get(form, 0.0) + weight / whole
    return {token: weight / total for token, weight in weights.items()} if total else {}


def from_english(question: str, dictionary, known: Callable[[str], bool], tokenize,
                 names: Callable[[str], tuple[str, ...]] = lambda word: (),
                 vocabulary: dict[str, tuple[str, ...]] | None = None,
                 sounds: Callable[[str], tuple[str, ...]] = lambda word: (),
                 forms: dict[str, float] | None = None, groups: list | None = None) -> dict[str, float]:
    """Japanese index words for an English question's words, each with its weight.
    `vocabulary` (a hand list, word -> Japanese words) is checked before the
    dictionary; a capitalized word's romaji spellings (`names`) and the katakana
    words that sound like it (`sounds`: Thales -> タレス) are its forms too. The
    translations as written, with their weights, are added to `forms` when given, and
    each source word's translations (token -> weight) to `groups`. A word whose own
    form gives no word the index holds is looked up by its lemma (countries: 国々 is in
    no release, 国 may be)."""
    # Words of one or two letters are only translated by the hand vocabulary (US, UK, EU).
    words = [word for word in _LATIN_WORD.findall(question)
             if len(word) > 2 or (vocabulary and word.lower() in vocabulary)]
    result: dict[str, float] = {}
    position = 0
    while position < len(words):
        taken = 0
        for size in range(min(_PHRASE_WORDS, len(words) - position), 0, -1):
            phrase = words[position:position + size]
            if size == 1 and phrase[0].lower() in _ENGLISH_SKIP:
                break
            found: list[tuple[str, float]] = []
            candidates = [" ".join(phrase).lower()] if size > 1 else english_lemmas(phrase[0])
            for candidate in candidates:
                if vocabulary and candidate in vocabulary:
                    found = [(form, 1.0) for form in vocabulary[candidate]]
                elif dictionary is not None:
                    found = list(dictionary.japanese(candidate))
                if found and _share(found, known, tokenize, _JAPANESE):
                    break
            if size == 1 and phrase[0][:1].isupper() and phrase[0].lower() not in _NOT_NAMES:
                spellings = list(names(phrase[0])) + (list(dictionary.name_forms(phrase[0])) if dictionary else [])
                spellings += list(sounds(phrase[0]))
                found += [(form, 1.0) for form in spellings]
            shared = _share(found, known, tokenize, _JAPANESE, forms)
            if shared:
                for token, weight in shared.items():
                    result[token] = result.get(token, 0.0) + weight
                if groups is not None:
                    groups.append(shared)
                taken = size
                break
        position += max(taken, 1)
    return result


def from_japanese(morphemes, dictionary, known: Callable[[str], bool], tokenize,
                  sounds: Callable[[str], tuple[str, ...]] = lambda word: (),
                  forms: dict[str, float] | None = None, groups: list | None = None) -> dict[str, float]:
    """English index words for a Japanese question's words (SudachiPy morphemes),
    each with its weight; a katakana word's Latin spellings in the index (`sounds`:
    ウーブン -> woven) are among them. The glosses as written ("business
    integration", not the index's stems), with their weights, are added to `forms`,
    and each source word's translations (token -> weight) to `groups`."""
    units = [(m.surface(), m.normalized_form(), m.part_of_speech(), m.reading_form()) for m in morphemes]
    result: dict[str, float] = {}
    position = 0
    while position < len(units):
        surface, normal, part_of_speech, reading = units[position]
        if part_of_speech[0] not in _CONTENT or normal in _JAPANESE_SKIP or surface.isascii():
            position += 1
            continue
        taken, shared = 1, {}
        for size in range(min(_RUN_WORDS, len(units) - position), 0, -1):
            run = units[position:position + size]
            if any(unit[2][0] not in _CONTENT for unit in run):
                continue
            form = "".join(unit[0] for unit in run) if size > 1 else normal
            found = _glosses(form, dictionary) if dictionary is not None else []
            if size == 1 and part_of_speech[1] == "固有名詞":
                latin = [(name.lower(), 1.0) for name in (dictionary.romanizations(surface) if dictionary else ())]
                latin.append((hepburn(reading), 1.0))
                found += latin
            if size == 1:
                found += [(latin, 1.0) for latin in sounds(surface)]
            shared = _share(found, known, tokenize, _LATIN, forms)
            if shared:
                taken = size
                break
        for token, weight in shared.items():
            result[token] = result.get(token, 0.0) + weight
        if shared and groups is not None:
            groups.append(shared)
        position += taken
    return result


def relative_groups(groups: list[dict[str, float]], own) -> tuple[tuple[tuple[str, float], ...], ...]:
    """Each source word's translations (`groups`, as `from_english` and `from_japanese`
    give them), without the question's `own` tokens, each with its weight over the
    word's likeliest translation's; words left with none are dropped."""
    kept = []
    for shares in groups:
        top = max(shares.values(), default=0.0)
        group = tuple((token, round(weight / top, 4)) for token, weight
                      in sorted(shares.items(), key=lambda item: -item[1]) if token not in own) if top > 0 else ()
        if group:
            kept.append(group)
    return tuple(kept)


def _glosses(form: str, dictionary) -> list[tuple[str, float]]:
    """English glosses of a Japanese word, weighted by sense order."""
    glosses = dictionary.english(form)
    return [(gloss, 1.0 / (1 + rank)) for rank, gloss in enumerate(glosses[:6])]


def name_forms(name: str, dictionary, known: Callable[[str], bool], tokenize,
               romaji: Callable[[str], tuple[str, ...]] = lambda word: (),
               vocabulary: dict[str, tuple[str, ...]] | None = None,
               reading: Callable[[str], str] = lambda word: "", only_known: bool = True,
               sounds: Callable[[str], tuple[str, ...]] = lambda word: (),
               kanji_spellings: Callable[[str], tuple[str, ...]] = lambda name: ()) -> tuple[str, ...]:
    """The other-script forms of a name (that the index holds, with `only_known`): a
    Latin name's Japanese spellings (Takasago -> 高砂, Mitsubishi -> 三菱, CFO ->
    最高財務責任者), a Japanese name's romanizations (星野 -> hoshino, 袴田 -> hakamada;
    `kanji_spellings`: 隼友 -> hayatomo, read kanji by kanji)."""
    found: list[str] = []
    spelled_hiragana: set[str] = set()
    if name.isascii():
        lowered = name.lower()
        # A hiragana word of the index that the name spells is the name when it is long
        # enough to be no particle (Kaguya -> かぐや, Daichi -> だいち; Made -> まで is not).
        spelled_hiragana = {word for word in romaji(lowered) if len(word) >= 3}
        candidates = list((vocabulary or {}).get(lowered, ())) + list(romaji(lowered))
        acronym = name.isupper()
        if dictionary is not None and not (acronym and len(name) <= 3):
            # An acronym is no romanized Japanese name, and a short one's glosses are
            # common words (US: 我ら): only the hand vocabulary spells those.
            candidates += [form for form, _ in dictionary.japanese(lowered)[:8]]
            candidates += [] if acronym else list(dictionary.name_forms(name))
    else:
        candidates = [latin.lower() for latin in (dictionary.romanizations(name) if dictionary is not None else ())]
        candidates += [gloss for gloss in (dictionary.english(name)[:3] if dictionary is not None else ())]
        spelled = hepburn(reading(name)) if reading else ""
        if spelled:
            candidates.append(spelled)
        candidates += list(kanji_spellings(name))
    candidates += list(sounds(name))  # Thales <-> タレス: the same name heard in the other script
    for candidate in candidates:
        tokens = tokenize(candidate)
        if tokens and (not only_known or all(known(token) for token in tokens)) and candidate not in found \
                and candidate != name and (candidate in spelled_hiragana or not _HIRAGANA_ONLY.fullmatch(candidate)):
            found.append(candidate)
    return tuple(found)
