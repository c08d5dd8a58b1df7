"""Which questions qa can read: English and Japanese, and nothing it would misread.

Design choice: decided by script and a few function words, not by a model, like
`qa.ingest.language`. A question in another script (Hangul, Cyrillic, Arabic, Thai,
…) is named by its script. Chinese shares its characters with Japanese, so a
question counts as Chinese only when it has no kana and uses Chinese-only forms
(什么, 吗, 时, 务, characters Shift_JIS cannot encode) or Chinese question words.
A Latin-script question is another language only when it has at least two function
words of French, Spanish, German, Italian or Portuguese and no English one, so an
English question full of names (Luxembourg, ispace EUROPE) stays English.
"""

from __future__ import annotations

import re

_SCRIPTS = [
    ("Korean", re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")),
    ("Russian or another Cyrillic-script language", re.compile("[\u0400-\u04ff]")),
    ("Arabic", re.compile("[\u0600-\u06ff\u0750-\u077f]")),
    ("Hebrew", re.compile("[\u0590-\u05ff]")),
    ("Greek", re.compile("[\u0370-\u03ff]")),
    ("Thai", re.compile("[\u0e00-\u0e7f]")),
    ("Hindi or another Devanagari-script language", re.compile("[\u0900-\u097f]")),
]
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CHINESE_WORDS = re.compile("什么|什麼|甚麼|为什么|為什麼|怎么|怎麼|哪里|哪裡|哪儿|吗|嗎|呢|谁|誰的|几|幾時|多少|是否|有没有|没有|這|这")
_ENGLISH = frozenset("the a an is are were do does did when what who whom whose where which why how of "
                     "in on to for and with will has have it its this that".split())
_OTHER_LATIN = frozenset(
    # French
    "le la les est sont quand qui quel quelle quels où une des du au aux avec pour dans sur "
    # Spanish
    "el los las es son cuándo cuando qué quién quiénes dónde cuál cuáles una del con para por "
    # German
    "der die das ist sind wann wer wo was welche welcher eine einen mit für und wird werden "
    # Italian and Portuguese
    "il gli è chi dove quale quando sono uma um é são onde quem qual".split())
_WORD = re.compile(r"[^\W\d_]+")


def _chinese(question: str) -> bool:
    if _KANA.search(question) or not _HAN.search(question):
        return False
    if _CHINESE_WORDS.search(question):
        return True
    for character in _HAN.findall(question):
        try:
            character.encode("cp932")
        except UnicodeEncodeError:
            return True  # a simplified form Japanese does not use (时, 务, 发)
    return False


def unsupported_language(question: str) -> str | None:
    """The language of `question` when it is neither English nor Japanese (as a name
    to show the user), else None."""
    for name, pattern in _SCRIPTS:
        if len(pattern.findall(question)) >= 2:
            return name
    if _chinese(question):
        return "Chinese"
    words = [word.lower() for word in _WORD.findall(question)]
    if words and not _HAN.search(question) and not _KANA.search(question):
        other = sum(word in _OTHER_LATIN for word in words)
        english = sum(word in _ENGLISH for word in words)
        if other >= 2 and english == 0:
            return "a language other than English"
    return None


def unsupported_reply(language: str) -> str:
    return (f"qa answers questions in English and Japanese; this question looks like {language}. "
            "Please ask it in English or Japanese. / qaは英語と日本語の質問にお答えします。英語か日本語で質問してください。")
