"""Follow-up questions: "What about Mission 3?" after "When does Mission 2 land?".

Design choice: rewrite, then retrieve. A follow-up that names only a new subject is
turned back into a full question by putting that subject in place of the matching
one in the previous question (same stem, other number: Mission 2 -> Mission 3,
ミッション2 -> ミッション3; a name for the previous question's one name: Kameoka -> Uji),
or, failing that, by adding it to the previous question.
A question with a pronoun ("When was it launched?") is searched together with the
previous question. The rewritten question is kept on the answer, so a chain of
follow-ups keeps its subject.
"""

from __future__ import annotations

import re

_ENGLISH_FOLLOW_UP = re.compile(
    r"^(?:and\s+)?(?:what|how)\s+about\s+(?:the\s+)?(?P<subject>.+?)\s*[?？.]*$"
    r"|^and\s+(?:for\s+|in\s+|of\s+)?(?:the\s+)?(?P<subject_and>.+?)\s*[?？.]*$",
    re.IGNORECASE,
)
_JAPANESE_FOLLOW_UP = re.compile(
    r"^(?:では|じゃあ|それでは|それなら|なら|で)?[、,]?\s*(?P<subject>[^?？、。]{1,30}?)"
    r"(?:は|では|の場合は|については|はどう)(?:どう)?(?:ですか|でしょうか|なの|ですか)?\s*[?？]*$"
)
_QUESTION_WORDS = re.compile(r"いつ|どこ|誰|だれ|何|なに|どの|どう|いくら|いくつ|どれ|なぜ")
_PRONOUN = re.compile(r"\b(it|its|they|them|their|that|this|he|she|his|her)\b|それ|その|そこ|同社|彼|彼女", re.IGNORECASE)
_STEM_NUMBER = re.compile(r"^(?P<stem>.*?)\s*(?P<number>\d+)$")


def _previous_question(history) -> str | None:
    if not history:
        return None
    turn = history[-1]
    if isinstance(turn, str):
        return turn
    question, answer = turn[0], (turn[1] if len(turn) > 1 else None)
    # An Answer keeps the question as it was understood; prefer that.
    return getattr(answer, "question", None) or question


def conversation(history) -> tuple[tuple[str, str], ...]:
    """The earlier turns as (question, answer text) pairs, whatever form they came
    in: questions alone, (question, Answer) or (question, text)."""
    turns = []
    for turn in history or ():
        if isinstance(turn, str):
            turns.append((turn, ""))
        elif turn:
            answer = turn[1] if len(turn) > 1 else ""
            turns.append((str(turn[0]), str(getattr(answer, "text", answer) or "")))
    return tuple(turns)


def follow_up_subject(question: str) -> str | None:
    """The new subject if `question` only names one ("What about Mission 3?")."""
    match = _ENGLISH_FOLLOW_UP.match(question.strip())
    if match:
        return (match.group("subject") or match.group("subject_and")).strip()
    match = _JAPANESE_FOLLOW_UP.match(question.strip())
    if match and not _QUESTION_WORDS.search(match.group("subject")):
        return match.group("subject").strip()
    return None


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_NAME_RUN = re.compile(r"(?<![\w’'-])[A-Z][a-z][A-Za-z]*(?:\s+[A-Z][a-z][A-Za-z]*)*")


def _replace_name(previous: str, subject: str) -> str | None:
    """The previous English question with its one name put in place of by `subject`, a
    name too: "And Uji?" after "When did Shizuku Farm Kameoka begin operation?" asks
    about Shizuku Farm Uji (a one-word name takes the place of the run's last word),
    "And Honda?" after "When did Toyota announce the plant?" about Honda. None when
    the subject is no capitalized name or the previous question names none or several
    (then the subject is added to it)."""
    if _japanese(previous) or not _NAME_RUN.fullmatch(subject):
        return None
    runs = [match for match in _NAME_RUN.finditer(previous) if match.start() > 0]
    if len(runs) != 1:
        return None
    run = runs[0]
    words = run.group().split()
    start = run.start() if len(words) == 1 or len(subject.split()) > 1 else run.end() - len(words[-1])
    return previous[:start] + subject + previous[run.end():]


def _japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


def resolve(question: str, history=None) -> str:
    """The question to search for, given the earlier turns. A question in the other
    language than the previous one starts a new subject ("ispaceの証券コードは？" after
    "What is thermal mining?"), and so does a Japanese one that names whose thing it
    asks about (「XのYは？」 is whole by itself; 「ミッション3は？」 is not)."""
    previous = _previous_question(history)
    if not previous or _japanese(question) != _japanese(previous):
        return question
    subject = follow_up_subject(question)
    if subject and _japanese(question) and "の" in subject:
        return question
    if subject:
        numbered = _STEM_NUMBER.match(subject)
        if numbered and numbered.group("stem"):
            pattern = re.compile(re.escape(numbered.group("stem")) + r"\s*\d+", re.IGNORECASE)
            if pattern.search(previous):
                return pattern.sub(lambda _: subject, previous, count=1)
        replaced = _replace_name(previous, subject)
        return replaced or f"{previous} {subject}"
    if _PRONOUN.search(question):
        return f"{question} ({previous})"
    return question
