"""Latin spellings of the corpus's Japanese words: "Takasago" finds 高砂.

Design choice: an English question names Japanese companies and people in romaji
(Takasago, Hakamada, Mitsubishi) while the release writes them in kanji or katakana.
SudachiPy knows each word's reading in katakana; turned into Hepburn romaji and
loosened (long vowels and Itoh/Ito spellings folded), the readings of the index's
vocabulary give a table from spelling to word. A Latin word of the question that
the index does not know is looked up there, and the Japanese word joins the search
and the answerer's word matching. Only words of four or more romaji letters are kept,
so short readings (to, ka) cannot match English words by chance.
"""

from __future__ import annotations

import re

_DIGRAPHS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho", "シェ": "she",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo", "リャ": "rya",
    "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju",
    "ジョ": "jo", "ジェ": "je", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu",
    "ピョ": "pyo", "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "ティ": "ti", "ディ": "di",
    "デュ": "dyu", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo",
}
_SINGLE = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョヮ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "
    "ya yu yo ra ri ru re ro wa o n ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu pe po "
    "vu a i u e o ya yu yo wa".split(),
))
_MINIMUM_LETTERS = 4
# A romaji name is written capitalized (Takasago, Hakamada); lower-case words are
# never looked up, so "make" or "take" cannot turn into 負け or 竹.
_CAPITALIZED_WORD = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{3,}(?![A-Za-z])")


def hepburn(katakana: str) -> str:
    """Hepburn romaji of a katakana reading (タカサゴ -> takasago, ミツビシ -> mitsubishi)."""
    letters: list[str] = []
    position, double_next = 0, False
    while position < len(katakana):
        pair, character = katakana[position:position + 2], katakana[position]
        if pair in _DIGRAPHS:
            syllable, position = _DIGRAPHS[pair], position + 2
        elif character in _SINGLE:
            syllable, position = _SINGLE[character], position + 1
        elif character == "ッ":
            double_next, position = True, position + 1
            continue
        elif character == "ー":
            syllable, position = (letters[-1][-1] if letters else ""), position + 1
        else:
            return ""  # not a katakana reading (Latin, digits, symbols)
        if double_next and syllable:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double_next = False
        letters.append(syllable)
    return "".join(letters)


def capitalized_words(text: str) -> list[str]:
    """The capitalized Latin words of `text`, lower-cased: the candidates for romaji names."""
    return [word.lower() for word in _CAPITALIZED_WORD.findall(text)]


def spelling_key(latin: str) -> str:
    """A loose key that spellings of one name share: Ohno, Ono and Oono; Itoh and Ito;
    Shimbashi and Shinbashi; Kyōto and Kyoto."""
    key = latin.lower()
    key = key.translate(str.maketrans("āēīōūâêîôû", "aeiouaeiou"))
    key = re.sub(r"[^a-z]", "", key)
    key = re.sub(r"m(?=[bp])", "n", key)
    key = re.sub(r"(?<=o)h(?![aeiouy])", "", key)
    key = re.sub(r"ou|oo", "o", key)
    key = re.sub(r"uu", "u", key)
    key = re.sub(r"ei(?![aeiou])", "e", key)
    return key


def spelling_table(words, reading_of) -> dict[str, tuple[str, ...]]:
    """Spelling key -> the words that read so. `reading_of(word)` gives a katakana
    reading, or "" when it has none."""
    table: dict[str, set[str]] = {}
    for word in words:
        if word.isascii():
            continue
        letters = hepburn(reading_of(word))
        if len(letters) >= _MINIMUM_LETTERS:
            table.setdefault(spelling_key(letters), set()).add(word)
    return {key: tuple(sorted(found)) for key, found in table.items()}
