"""Script helpers: which characters are Japanese, and which language a text is in.

Design choice: language is decided by script, not by a model. A text is Japanese when
at least a fifth of its letters are kana or kanji. That is all fusion, chunk
labelling and answer framing need, and it is exact on short questions where
statistical detectors guess.
"""

from __future__ import annotations

import re

# Kana, kanji, CJK punctuation and the half/full-width block (what NFKC leaves of it).
CJK_CHARACTERS = (
    "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
)
CJK_PATTERN = re.compile(f"[{CJK_CHARACTERS}]")
JAPANESE_LETTER = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_cjk(character: str) -> bool:
    return bool(CJK_PATTERN.match(character))


def detect_language(text: str) -> str:
    """Return "ja" when kana or kanji make up at least 20% of the letters, else "en"."""
    letters = [character for character in text if character.isalpha()]
    if not letters:
        return "en"
    japanese = sum(1 for character in letters if JAPANESE_LETTER.match(character))
    return "ja" if japanese / len(letters) >= 0.2 else "en"
