"""Cutting a model's reply into sentences and their [n] markers, as it streams in.

Design choice: a reply is checked sentence by sentence while it arrives, so the cut
must be safe on a prefix: a terminator (。！？.!? or a line break) ends a sentence
only once what follows it is known, because the [n] often comes after the full stop
("… 2026. [1]"), and a decimal (1.4), an abbreviation (Inc.) or a list number (1.)
is no end. Markers are read in every form a model writes them ([1], [1, 2], 【1】);
markdown emphasis and list bullets are not part of what is checked or shown.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\s*[\[【]\s*(\d{1,2}(?:\s*[,、，]\s*\d{1,2})*)\s*[\]】]")
_PARTIAL_MARKER = re.compile(r"^\s*(?:[\[【]\s*[\d,、，\s]*)?$")
_TERMINATOR = re.compile(r"[。！？!?]+|(?<!\d)\.(?!\d)|(?<=\d)\.(?=\s|$)|\n")
_ABBREVIATION = re.compile(r"(?:(?<![A-Za-z])[A-Z]|\b(?:U\.S|U\.K|Inc|Co|Ltd|Corp|Mr|Ms|Mrs|Dr|Prof|St|No|Nos|Vol|vs|"
                           r"approx|e\.g|i\.e|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$")
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\d{1,2}\.$")
_AFTER = re.compile(r"(?:\s*[\[【]\s*\d{1,2}(?:\s*[,、，]\s*\d{1,2})*\s*[\]】])*[。.]?")
_MARKDOWN = re.compile(r"\*\*|__|^\s*(?:#+|[-*•]|\d{1,2}[.)])\s+", re.MULTILINE)
_REFUSAL = re.compile(
    r"\b(?:releases?|passages?|documents?|sources?|texts?|they|it)\b[^.]{0,40}?\b(?:do|does|did)\s*(?:not|n['’]t)\s+"
    r"(?:say|mention|state|contain|include|provide|specify|give|tell|answer)"
    r"|\bno (?:information|mention)\b|\bnot (?:mentioned|stated|specified|given)\b|\bI (?:do not|don['’]t) know\b"
    r"|\bcannot (?:find|answer|tell)\b|\bunable to (?:find|answer)\b"
    r"|記載(?:が|は)(?:ありません|ない|見当たりません|されていません)|書かれていません|言及(?:が|は)?(?:ありません|されていません)"
    r"|分かりません|わかりません|不明です|情報(?:が|は)(?:ありません|見つかりません)|答えられません",
    re.IGNORECASE)
def split_finished(buffer: str, final: bool = False) -> tuple[list[str], str]:
    """The finished sentences at the start of `buffer`, and the rest. A sentence ends
    at 。！？.!? or a line break, with the [n] markers that follow it; while text is
    still coming (`final` False), a terminator at the very end, or followed only by
    what may be the start of a marker, waits for more."""
    sentences, start = [], 0
    for match in _TERMINATOR.finditer(buffer):
        if match.start() < start:
            continue
        if match.group() == "." and (_ABBREVIATION.search(buffer, max(0, match.end() - 8), match.end())
                                     or _LIST_NUMBER.search(buffer, max(0, match.end() - 6), match.end())):
            continue
        end = _AFTER.match(buffer, match.end()).end()
        rest = buffer[end:]
        if not final and (not rest.strip() or _PARTIAL_MARKER.match(rest)):
            break
        if match.group() == "." and rest[:1] and not rest[:1].isspace() and rest[:1] not in "\"”')":
            continue  # "ispace.com", "v1.5": not an end
        sentence = buffer[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    rest = buffer[start:]
    if final and rest.strip():
        sentences.append(rest.strip())
        rest = ""
    return sentences, rest


def cited_numbers(sentence: str) -> list[int]:
    numbers = []
    for match in MARKER.finditer(sentence):
        numbers += [int(number) for number in re.split(r"\s*[,、，]\s*", match.group(1))]
    return list(dict.fromkeys(numbers))


def plain(sentence: str) -> str:
    """The sentence without its markers and markdown: what is checked and shown."""
    return _MARKDOWN.sub("", MARKER.sub("", sentence)).strip()


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL.search(text))
