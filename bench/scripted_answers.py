"""Answers a careful model would write, and the same answers with one fact altered,
made by rules from a question record at run time (for `bench/claim_check.py`).

Design choice: the question sets of ../shared are real text that must never be
copied into the project, so their scripted answers are not files: they are built
here, when the bench runs, from the record (its answer strings, its evidence, its
language) and the cited passage's language. The fact is taken in the question's
language from the record's answer strings, or translated by rule when the passage
is in the other language (2025年6月6日 -> June 6, 2025; 約80億円 -> about 8 billion
yen; 4万5000人 -> 45,000 people; $2.4 billion -> 24億ドル; katakana names to Latin
letters), and set in a sentence made from the question (Japanese: the question word
replaced by the fact; English: "X is A" for who/what-is questions, else the question
restated). A phrase answer (why, what happened) restates the evidence. Each altered
version changes exactly one fact: a digit, a multiplier, a currency, a date's day,
month or year, or a name (one letter or kana changed, or another name), and is kept
only when the altered value is not in the passage. The sample release's and the
fixtures' answers are hand-written (tests/data/scripted_answers.jsonl). The rules
here do not use qa's own readers (no SudachiPy, no qa.answer), so what they write is
not shaped by the check they measure; kanji names are left to the record's own
Latin forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from fact_translation import _MONTHS, romanize, to_english, to_japanese

_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_OTHER_NAMES = {"latin": ["Hiroshi Tanaka", "Mitsubishi Heavy Industries", "Brightline Systems", "Sapporo"],
                "japanese": ["田中博", "三菱重工業", "ブライトライン", "札幌"]}
_LETTER_SWAP = str.maketrans("bcdfgklmnprstvBCDFGKLMNPRSTV", "dgbvkgnnmbsrdbDGBVKGNNMBSRDB")
_KANA_SWAP = str.maketrans("カキクケコサシスセソタチテトナニヌネノハヒフヘホマミムメモラリルレロ",
                           "サシスセソカキクケコナニネノタチツテトマミムメモハヒフヘホナニヌネノ")
_KANJI_SWAP = {"田": "川", "川": "田", "野": "山", "山": "野", "中": "上", "上": "中", "藤": "原", "原": "藤",
               "佐": "加", "和": "正", "明": "秋", "一": "二", "太": "大", "大": "太", "西": "東", "東": "西",
               "吉": "喜", "郎": "男", "子": "美", "美": "子", "井": "林", "林": "井", "木": "本", "本": "木"}


@dataclass(frozen=True)
class Script:
    answer: str                                  # with "[n]" where the cited passage's number goes
    altered: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (fact altered, answer)
    fact: str = ""                               # the fact as the answer gives it


def is_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _in_language(form: str, language: str) -> bool:
    neutral = not re.search(r"[A-Za-z]", form) and not is_japanese(form)
    return neutral or (is_japanese(form) if language == "ja" else not is_japanese(form))


def fact_in(record: dict, language: str, passage_language: str) -> str:
    """The fact, in the question's language: translated by rule from the passage's
    language when the passage is in the other one, else the record's own form."""
    forms = [form for form in record.get("answer") or [] if form]
    if not forms:
        return ""
    if passage_language != language:
        for form in forms:
            if _in_language(form, passage_language) and not _in_language(form, language):
                translated = to_english(form) if language == "en" else to_japanese(form)
                if translated:
                    return translated
    own = [form for form in forms if _in_language(form, language)]
    if own:
        return max(own, key=len)
    first = forms[0]
    if language == "en" and re.fullmatch(r"[\u30a0-\u30ff・ー]+", first):
        return romanize(first)
    return (to_english(first) if language == "en" else to_japanese(first)) or first


# --- the sentence ---------------------------------------------------------------------------

_JA_QUESTION_WORD = re.compile(r"約?(?:何年何月何日|何月何日|何日何時|何年|何月|何日|何人くらい|何人|何台|何[％%]|何km|何エーカー|何面|何輪"
                               r"|何か国|何ドル|いくら|いつ頃|いつまでに|いつ|誰|どこ|どの[\u30a0-\u30ff\u4e00-\u9fff]*"
                               r"|どれくらいの|どれくらい|どれだけの|どれだけ|何)")
_JA_COUNTERS = ("年", "月", "日", "人", "台", "%", "km", "エーカー", "面", "輪", "か国", "ドル")
_EN_IS = re.compile(r"^(Who|What|Which [\w'’-]+(?: [\w'’-]+)?)(?: (is|are|was|were)|['’]s) (.+?)\??$")


def _japanese_sentence(question: str, fact: str) -> str:
    text = re.sub(r"[（(][^）)]*[）)]\s*$", "", question.strip())
    text = re.sub(r"[？?]\s*$", "", text)
    match = _JA_QUESTION_WORD.search(text)
    if match:
        word = match.group()
        filled = fact
        for prefix in ("約", "最大", "およそ"):
            if text[:match.start()].endswith(prefix) and fact.startswith(prefix):
                filled = fact[len(prefix):]
        counter = next((counter for counter in _JA_COUNTERS if word.endswith(counter)), "")
        if counter and fact[-1:].isdigit():
            filled = fact + counter
        if word.endswith(("までに", "頃", "の")):
            filled += word[-3:] if word.endswith("までに") else word[-1]
        text = text[:match.start()] + filled + text[match.end():]
    elif text.endswith("は"):
        text += fact
    else:
        text += f"、{fact}"
    for ending, plain in (("でしたか", "でした"), ("ましたか", "ました"), ("ますか", "ます"), ("ですか", "です")):
        if text.endswith(ending):
            text = text[:-len(ending)] + plain
            break
    else:
        if text.endswith(fact) or text.endswith(fact + "の"):
            text = text.rstrip("の") + "です"
    return text + "[n]。"


def _english_sentence(question: str, fact: str) -> str:
    text = question.strip()
    match = _EN_IS.match(text)
    if match:
        verb = match.group(2) or "is"
        rest = match.group(3)
        return f"{rest[:1].upper()}{rest[1:]} {verb} {fact} [n]."
    text = re.sub(r"\?\s*$", "", text)
    return f"As for {text[:1].lower()}{text[1:]}: {fact} [n]."


def _phrase_sentence(record: dict, language: str) -> str:
    """A phrase answer (why, what happened): the question's subject, then the evidence."""
    evidence = record["evidence"].strip().rstrip("。.")
    no = any(form.lower() in ("no", "いいえ") for form in record.get("answer") or [])
    question = re.sub(r"[？?]\s*$", "", re.sub(r"[（(][^）)]*[）)]\s*$", "", record["q"].strip()))
    if language == "ja":
        return ("いいえ、" if no else "") + f"「{question}」について、リリースでは{evidence}とされています[n]。"
    return f"As for {question[:1].lower()}{question[1:]}: " + ("no; " if no else "") + f"{evidence} [n]."


# --- altering one fact ---------------------------------------------------------------------

def _date_altered(fact: str) -> list[str]:
    """The day moved on by one, else the month, else the year."""
    if match := re.search(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(?:(\d{1,2})日)?", fact):
        year, month, day = match.groups()
        if day or month or year:
            if day:
                changed = f"{month}月{int(day) % 28 + 1}日" if month else f"{int(day) % 28 + 1}日"
                old = f"{month}月{day}日" if month else f"{day}日"
            elif month:
                changed, old = f"{int(month) % 12 + 1}月", f"{month}月"
            else:
                changed, old = f"{int(year) + 1}年", f"{year}年"
            return [fact.replace(old, changed, 1)]
    months = "|".join(_MONTHS)
    if match := re.search(rf"({months}) (\d{{1,2}})\b|(\d{{1,2}}) ({months})", fact):
        day = match.group(2) or match.group(3)
        return [fact[:match.start()] + match.group().replace(day, str(int(day) % 28 + 1)) + fact[match.end():]]
    if match := re.search(rf"\b({months})\b", fact):
        following = _MONTHS[(_MONTHS.index(match.group(1)) + 1) % 12]
        return [fact[:match.start()] + following + fact[match.end():]]
    if match := re.search(r"\b(19|20)\d\d\b", fact):
        return [fact[:match.start()] + str(int(match.group()) + 1) + fact[match.end():]]
    return []


def _number_altered(fact: str) -> list[tuple[str, str]]:
    found = []
    digit = re.search(r"[1-9]", fact)
    if digit:
        value = int(digit.group())
        found.append(("number", fact[:digit.start()] + str(value + 2 if value < 7 else value - 2) + fact[digit.end():]))
    for old, new in (("億", "万"), ("兆", "億"), ("万", "億"), ("billion", "million"), ("million", "billion"),
                     ("trillion", "billion")):
        if old in fact:
            found.append(("multiplier", fact.replace(old, new, 1)))
            break
    for old, new in (("円", "ドル"), ("ドル", "円"), (" yen", " dollars"), ("$", "€")):
        if old in fact:
            found.append(("currency", fact.replace(old, new, 1)))
            break
    return found


def _name_altered(fact: str) -> list[tuple[str, str]]:
    found = []
    if re.search(r"[A-Za-z]", fact):
        longest = max(re.findall(r"[A-Za-z’']+", fact), key=len)
        for position in range(1, len(longest)):
            swapped = longest[position].translate(_LETTER_SWAP)
            if swapped != longest[position]:
                found.append(("name", fact.replace(longest, longest[:position] + swapped + longest[position + 1:], 1)))
                break
        others = _OTHER_NAMES["latin"]
    else:
        for position, character in enumerate(fact):
            swapped = _KANJI_SWAP.get(character) or character.translate(_KANA_SWAP)
            if swapped != character:
                found.append(("name", fact[:position] + swapped + fact[position + 1:]))
                break
        others = _OTHER_NAMES["japanese"]
    found.append(("name", others[sum(map(ord, fact)) % len(others)]))
    return found


def altered_facts(fact: str) -> list[tuple[str, str]]:
    """(the kind of change, the altered fact) for one fact."""
    if re.search(r"\d", fact):
        dated = _date_altered(fact) if re.search(r"(\d{4}|月|日|" + "|".join(_MONTHS) + ")", fact) else []
        return [("date", text) for text in dated] or _number_altered(fact)
    if re.search(r"[A-Z\u30a0-\u30ff\u4e00-\u9fff]", fact) and not re.search("[\u3040-\u309f]", fact):
        return _name_altered(fact)
    return []


def script(record: dict, passage: str) -> Script | None:
    """The scripted answers for a record, given the text of the passage that holds its
    evidence; None for a question without an answer."""
    if record.get("unanswerable") or not record.get("answer"):
        return None
    language = record["lang"]
    passage_language = "ja" if is_japanese(record["evidence"]) else "en"
    phrase = record.get("kind") == "general" or any(form.lower() in ("no", "いいえ") or re.search(
        "[\u3040-\u309f]", form) and not re.search(r"\d", form) for form in record["answer"])
    if phrase and passage_language == language:
        return Script(_phrase_sentence(record, language))
    fact = fact_in(record, language, passage_language)
    sentence = (_japanese_sentence if language == "ja" else _english_sentence)(record["q"], fact)
    held = _plain(passage)
    altered = []
    for kind, other in altered_facts(fact):
        if other != fact and _plain(other) not in held and fact in sentence:
            cut = sentence.rindex(fact)  # the fact as the answer gives it, not a word of the question
            altered.append((kind, sentence[:cut] + other + sentence[cut + len(fact):]))
    return Script(sentence, tuple(altered[:3]), fact)
