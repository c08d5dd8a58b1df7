"""Reading a question once: cleaned text, language, words, names, time and kind.

Design choice: a question is read into a frozen `Question` record before anything
searches or answers, so search and answering see the same reading and nothing
re-tokenizes it on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QuestionError
from ..ingest.language import detect_language
from ..ingest.normalize import clean_characters
from .conversation import follow_up_subject
from .periods import in_other_language
from .timeframe import TimeFrame, read_timeframe, without_time
from .vocabulary import VOCABULARY

# Questions longer than this are cut before embedding and scoring.
MAX_QUESTION_CHARACTERS = 2000


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    cleaned = " ".join(clean_characters(question).split())
    if not cleaned:
        raise QuestionError("the question is empty")
    return cleaned[:MAX_QUESTION_CHARACTERS]


DATE, PERSON, NUMBER, MONEY, PLACE, GENERAL = "date", "person", "number", "money", "place", "general"

_ENGLISH_KINDS = [
    # "Why", "for what reason": a statement is asked for, whatever words follow.
    (GENERAL, re.compile(r"\bwhy\b|\bfor what reason\b|\bwhat (?:was|is) the reason\b|"
                         r"\bwhat (?:prompted|triggered|led to|caused|drove)\b")),
    (MONEY, re.compile(r"\bhow much\b.*\b(money|cost|costs|worth|price|pay|paid|spend|spent|invest\w*|fund\w*|value|fee|valued)\b"
                       r"(?! chain)|\b(price|cost|value|amount|revenue|sales|profit|income|earnings|valuation|budget|dividends?|fares?)\b"
                       r"(?! chain| margin| ratio| share| rate)")),
    (DATE, re.compile(r"\bwhen\b|\b(what|which)(\s+[a-z-]+){0,3}?\s+(dates?|days?|years?|months?)\b(?!-)|\bwhat time\b"
                      r"|\bhow long ago\b|\buntil what\b")),
    (PERSON, re.compile(r"\bwho\b|\bwhom\b|\bwhose\b|\bwhat is the name of the (ceo|president|founder|chairman)\b")),
    (NUMBER, re.compile(r"\bhow (many|much|long|far|heavy|big|large|tall|fast)\b|\bwhat (number|percentage|share)\b|\bratio\b"
                        r"|\bnumber of\b|\bweigh|\b(?:top|maximum|max|cruising|design) speed\b|\b(?:head)?count\b")),
    (PLACE, re.compile(r"\bwhere\b|\bwhich (city|country|prefecture|region|ward)\b|\bheadquartered\b"
                       r"|\bname of the (city|town|country|prefecture|region)\b")),
]
# A Japanese question's interrogative decides before the nouns it asks about:
# 販売比率100％を何年に達成する asks for a year, not for a ratio.
_JAPANESE_ASKING = [
    (GENERAL, re.compile(r"なぜ|なんで|どうして")),
    (DATE, re.compile(r"いつ|何日(?!間)|何年(?!間|度)|何月")),
    (PERSON, re.compile(r"誰|だれ|どなた")),
    (MONEY, re.compile(r"いくら|何(?:[十百千万億兆]+)?(?:円|ドル|ユーロ)")),
    # 何 and a counter: 何人, 何株, 何万台, 何か所, 何エーカー.
    (NUMBER, re.compile(r"いくつ|何(?:[十百千万億]+)?(?:[%％]|パーセント|人|名|社|倍|件|回|機|台|基|個|株|店|隻|棟|本|枚|"
                        r"戸|か所|カ所|ヶ所|拠点|日間|週間|か月|カ月|ヶ月|年間|時間|キロ|トン|メートル|エーカー|"
                        r"ヘクタール|平方|GWh|MW|kW)")),
    (PLACE, re.compile(r"どこ")),
]
# Then the nouns a question without an interrogative above asks about (売上高は？ 本社の所在地は),
# in a fixed order.
_JAPANESE_KINDS = [
    (GENERAL, re.compile(r"理由|狙い|目的は|背景|きっかけ|契機|要因|原因")),
    (NUMBER, re.compile(r"(利益|収益)率|割合|比率")),
    (MONEY, re.compile(r"金額|費用|価格|値段|資金|出資額|契約額|投資額|売上|利益|収益|株価|予算|資本金|料金|調達額|買収額|配当")),
    (DATE, re.compile(r"何年度|日付|日程|時期|期日|日時|(発表|打ち?上げ|着陸|設立|実行|開始|完了|予定)日")),
    # 「…の社長は？」: a role asked with nothing after it asks who holds it.
    (PERSON, re.compile(r"何者|氏名|(社長|CEO|代表者?|創業者|会長)は何|(社長|CEO|代表取締役|代表者?|創業者|会長)は[?？]?$")),
    (NUMBER, re.compile(r"何チーム|何段階|何kg|数は|[者人件台社員株回]数|重さ|重量|大きさ|距離|期間|面積|規模|速度|時速|速さ")),
    (PLACE, re.compile(r"場所|所在地|本社は|拠点は|どの(国|都市|地域)(?![\u30a0-\u30ff\u4e00-\u9fff])"
                       r"|(国|都市|町|地域|県)の(名前|名称)")),
]


# The Japanese "how much / how long / how far": a quantity, whatever its unit (質量はどれくらい
# 2.9kg, どの程度短縮 1週間, どの程度進んで 28%), unless a noun above says it is money or a date.
_HOW_MUCH = re.compile(r"どれくらい|どのくらい|どれぐらい|どのぐらい|どれほど|どの程度|どのような規模")


# "Mission 2", "ミッション3", "Success 8": a name with a number. A question about one
# can only be answered by a passage that names it.
_NUMBERED_NAME = re.compile(r"([A-Za-z][A-Za-z-]*|[\u30a0-\u30ff]+)\s*(\d{1,3})(?![\d年月日.,:])")
_NOT_NAMES = {"in", "on", "at", "of", "by", "for", "to", "from", "since", "until", "before", "after", "than",
              "about", "over", "under", "and", "or", "the", "top", "first", "last", "page"}
_LATIN_NAME = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*|[A-Z][a-z]+[A-Z][A-Za-z]*)(?![\w-])")


# "Series B", "シリーズC", "Class A": a capitalized name with a capital letter for its
# number (never I, a pronoun), as funding rounds, share classes and phases are named; a
# question about the Series B round is not answered by the Series A one.
_LETTERED_NAME = re.compile(r"((?<![\w-])[A-Z][a-z]+|[\u30a0-\u30ff]+)[ \t]?([A-HJ-Z])(?![A-Za-z0-9-])")
_QUESTION_WORDS = {"is", "was", "are", "were", "did", "does", "do", "will", "can", "could", "should", "has", "have",
                   "had", "how", "what", "when", "which", "who", "where", "why"}


def numbered_stems(question: str) -> list[tuple[str, str]]:
    """(stem, number) of each numbered name of a question, in order: Mission 2,
    ミッション3, and a letter for a number: Series B."""
    found = [(match.start(), match.group(1), match.group(2)) for match in _NUMBERED_NAME.finditer(question)
             if match.group(1).lower() not in _NOT_NAMES]
    found += [(match.start(), match.group(1), match.group(2)) for match in _LETTERED_NAME.finditer(question)
              if match.group(1).lower() not in _NOT_NAMES | _QUESTION_WORDS]
    return [(stem, number) for _, stem, number in sorted(found)]


def designation(number: str) -> str:
    """The pattern of a numbered name's number after its stem (Mission 2, Series B)."""
    return rf"{number}(?!\d)" if number.isdigit() else rf"(?-i:{number})(?![A-Za-z0-9])"


def designations(number: str) -> str:
    """Any number of the same sort as `number` (digits, or one capital letter), grouped."""
    return r"(\d+)" if number.isdigit() else r"((?-i:[A-Z]))(?![A-Za-z0-9])"


def stem_pattern(forms, number: str) -> re.Pattern:
    """A numbered name's stem with any number of the same sort (Mission 3 for a question
    about Mission 2, Series A for Series B), the number in group 1."""
    return re.compile(rf"(?:{'|'.join(re.escape(form) for form in forms)})\s*{designations(number)}", re.IGNORECASE)


def numbered_pattern(forms, number: str) -> re.Pattern:
    alternatives = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?:{alternatives})\s*{designation(number)}", re.IGNORECASE)


def numbered_names(question: str | "Question") -> list[re.Pattern]:
    """Patterns for the numbered names in a question, in English and Japanese spelling
    (a read `Question` also has the dictionary's spellings: Flight -> フライト)."""
    if isinstance(question, Question):
        return [numbered_pattern(forms, number) for forms, number in question.numbered]
    return [numbered_pattern([stem, *VOCABULARY.get(stem.lower(), ())], number)
            for stem, number in numbered_stems(question)]


_SHOUTED_OR_COMMON = {"I", "CEO", "MOU", "OK", "WHAT", "WHEN", "WHERE", "WHO", "WHY", "HOW", "WHICH", "DOES", "DID",
                      "IS", "ARE", "WAS", "THE", "AND", "OF", "TO", "IN", "ON", "FOR"}


def latin_names(question: str) -> list[str]:
    """Names written in Latin capitals in the question: SpaceX, NASA, RESILIENCE. A
    question typed in capitals throughout has none: its capitals say nothing."""
    letters = [character for character in question if character.isascii() and character.isalpha()]
    if letters and sum(character.isupper() for character in letters) > 0.6 * len(letters):
        return []
    return [name for name in _LATIN_NAME.findall(question) if name.upper() not in _SHOUTED_OR_COMMON]


# "Which bank", "銀行はどこ": an organization is asked for, not a place; the quote
# names it, so the question is answered as a general one.
_ORGANIZATION_ASKED = re.compile(r"\bwhich (bank|company|companies|firm|organi[sz]ation|agency|partner|investor)s?\b|"
                                 r"(銀行|会社|企業|機関|団体|メーカー|パートナー|相手|取引先|投資家|組織)(は|として)?(どこ|どちら)")


_INTERROGATIVE = re.compile(r"\b(?:until |by |since |in |on |at |for |from |to )?"
                            r"(?:what|when|who|whom|whose|where|which|why|how)\b")


# "Who is Kenichi Omori?": a person named, asked who they are: a description, not a
# name (a new-user session got "大森健一 (Kenichi Omori)" stated as the answer).
_WHO_IS_NAMED = re.compile(r"^\s*(?i:who\s+(?:is|was))\s+(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+\s*[?？]?\s*$")


def question_kind(question: str) -> str:
    """The kind of fact asked for. In English the interrogative that comes first
    decides ("Who did ispace hire when it chose Colorado?" asks for a person); in
    Japanese, where it comes last, the first matching kind in a fixed order does."""
    lowered = question.lower()
    if _ORGANIZATION_ASKED.search(lowered) or _WHO_IS_NAMED.match(question):
        return GENERAL
    # A clause before the interrogative ("After the March 2026 price hike, until what
    # date…") names what the question is about, not what it asks for.
    asking = _INTERROGATIVE.search(lowered)
    start = asking.start() if asking else 0
    found = [(match.start(), order, kind) for order, (kind, pattern) in enumerate(_ENGLISH_KINDS)
             for match in [pattern.search(lowered, start)] if match]
    if found:
        return min(found)[2]
    for kinds in (_JAPANESE_ASKING, _JAPANESE_KINDS):
        for kind, pattern in kinds:
            if pattern.search(question):
                return kind
    if _HOW_MUCH.search(question):  # what no noun above names, どれくらい asks as a quantity
        return NUMBER
    return GENERAL


@dataclass(frozen=True)
class Question:
    """A question as search and answering read it, once."""

    text: str                # what is searched: cleaned, follow-ups rewritten
    asked: str               # as the user asked it, cleaned
    language: str            # "en" or "ja"
    kind: str                # the kind of fact asked for (DATE, PERSON, ..., GENERAL)
    tokens: tuple[str, ...]  # lexical tokens, with the Japanese words its romaji names spell
    translations: tuple[tuple[str, float], ...] = ()  # other-language index words, weighted
    romaji: tuple[tuple[str, ...], ...] = ()  # for each romaji name (Takasago), its Japanese words
    timeframe: TimeFrame = TimeFrame()
    numbered: tuple[tuple[tuple[str, ...], str], ...] = ()  # (spellings of the stem, number): Mission 2
    dense_text: str = ""    # the text without its dates once they set the time
    translated_text: str = ""  # its words in the other language, as written, weightiest first
    # For each of its words that has translations, those tokens with their share of the
    # word relative to its likeliest translation (1.0): 従業員 -> employe 1.0, worker 0.5
    # (`translate.relative_groups`; the reranker's `rerank.coverage` reads them).
    translation_groups: tuple[tuple[tuple[str, float], ...], ...] = ()

    @property
    def embedded(self) -> str:
        """What the dense stage embeds: the question (without its dates) and its words
        in the other language, so that e5, which ranks passages in the question's
        language first, also meets a passage that says it in the other one."""
        return f"{self.dense_text} {self.translated_text}" if self.translated_text else self.dense_text

    @property
    def given(self) -> str:
        """What the question itself gives, as asked and as read (a follow-up rewritten)."""
        return self.asked if self.asked == self.text else f"{self.asked} | {self.text}"

    def lexical_query(self, translation_weight: float = 1.0) -> dict[str, float]:
        """Token -> weight: each of its own tokens counts 1 (as often as it occurs),
        each translation its share of its source word, times `translation_weight`."""
        weights: dict[str, float] = {}
        for token in self.tokens:
            weights[token] = weights.get(token, 0.0) + 1.0
        for token, weight in self.translations:
            weights[token] = weights.get(token, 0.0) + translation_weight * weight
        return weights


def read_question(text: str, *, lexical, dictionary=None, asked: str | None = None,
                  vocabulary: dict | None = VOCABULARY, transliterate: bool = True, kanji_readings: bool = False,
                  translate_dense: bool = True) -> Question:
    """Read a (cleaned) question against an index's lexical vocabulary."""
    from .lexical import sudachi_morphemes, tokenize
    from .translate import from_english, from_japanese, relative_groups

    language = detect_language(text)
    kind = question_kind(asked or text)
    if kind == GENERAL and asked and follow_up_subject(asked) is not None:
        # "What about Mission 3?" asks what the question before it asked; "What is its
        # top speed?" asks its own (a new-user session got the HL-8's date for it).
        kind = question_kind(text)
    romaji = lexical.romaji_names(text)
    timeframe = read_timeframe(text)
    # Once the dates of the question set its time frame, they are matched as release
    # dates, not as words: "December 7, 2022" would otherwise pull every passage that
    # prints that date (headers, datelines) above the one that answers.
    searched = without_time(text) if timeframe.kind in ("during", "as_of", "before") else text
    tokens = tuple(tokenize(searched, lexical.tokenizer)) + tuple(word for forms in romaji for word in forms)

    def tokenized(phrase: str) -> list[str]:
        return tokenize(phrase, lexical.tokenizer)

    written: dict[str, float] = {}  # the translations as written, for the dense stage
    groups: list[dict[str, float]] = []  # each source word's translations
    if language == "en":
        translated = from_english(searched, dictionary, lexical.knows, tokenized, lexical.japanese_for, vocabulary,
                                  sounds=lexical.sounds.katakana_for if transliterate else lambda word: (),
                                  forms=written, groups=groups)
    else:
        translated = from_japanese(sudachi_morphemes(searched), dictionary, lexical.knows, tokenized,
                                   sounds=lexical.sounds.latin_for if transliterate else lambda word: (),
                                   forms=written, groups=groups)
    extra = list(lexical.kanji_spellings(searched)) if language == "ja" and kanji_readings else []
    # 隼友海運 -> hayatomo, kaiun: a name no dictionary lists (see `kanji`); 2025年3月期 <->
    # "fiscal year ended March 2025": each form is a word of its own, fully translated.
    for form in extra + list(in_other_language(searched, language)):
        written[form] = max(written.get(form, 0.0), 1.0)
        known = [token for token in tokenized(form) if lexical.knows(token)]
        for token in known:
            translated[token] = max(translated.get(token, 0.0), 1.0)
        if known:
            groups.append(dict.fromkeys(known, 1.0))
    own_words = set(searched.lower().split())
    translated_text = " ".join(form for form, _ in sorted(written.items(), key=lambda item: (-item[1], item[0]))
                               if form.lower() not in own_words) if translate_dense else ""
    own = set(tokens)
    translations = tuple(sorted(((token, round(weight, 4)) for token, weight in translated.items()
                                 if token not in own), key=lambda item: (-item[1], item[0])))
    def holds(form: str) -> bool:
        found = tokenized(form)
        return bool(found) and all(lexical.knows(token) for token in found)

    numbered = []
    for stem, number in numbered_stems(text):
        forms = [stem, *(vocabulary or {}).get(stem.lower(), ())]
        if dictionary is not None:
            forms += [form for form, _ in dictionary.japanese(stem.lower())[:6]] if stem.isascii() \
                else list(dictionary.english(stem)[:4])
        numbered.append((tuple(form for form in dict.fromkeys(forms) if form == stem or holds(form)), number))
    return Question(text=text, asked=asked or text, language=language, kind=kind, tokens=tokens, numbered=tuple(numbered),
                    translations=translations, romaji=romaji, timeframe=timeframe, dense_text=searched,
                    translated_text=translated_text,
                    translation_groups=relative_groups(groups, own))
