"""Wording answers in the question's language.

Design choice: the answerer decides what to say (the fact, the quotes, whether it is
a plan); this module only words it, English for an English question and Japanese for
a Japanese one. Quotes stay in the document's language. Every [n] in the text names
`citations[n-1]`. The notes on a language model's answer (what the check dropped, why
the extractive answer stands in) are worded here too, and never quote what was
dropped: it holds the claim that failed.
"""

from __future__ import annotations

from ..search.question import DATE, MONEY, NUMBER, PERSON, PLACE
from .facts import Fact
from ..records import Citation, Hit

_MISSING_KIND = {
    "en": {"date": "a date", "person": "a name", "number": "a figure", "money": "an amount of money",
           "place": "a place"},
    "ja": {"date": "日付", "person": "人名", "number": "数値", "money": "金額", "place": "場所"},
}


def release_label(hit: Hit, language: str) -> str:
    if language == "ja":
        return f"{hit.doc_date}発表時点" if hit.doc_date else "発表時点"
    return f"as of the {hit.doc_date} release" if hit.doc_date else "as of the release"


def _dated(hit: Hit, language: str) -> str:
    if language == "ja":
        return f"{hit.doc_date}発表の" if hit.doc_date else ""
    return f"the {hit.doc_date} release" if hit.doc_date else "the release"


def compose(language: str, fact: Fact | None, citations: list[Citation], *, plan: bool, earliest: bool,
            update: Fact | None = None, readings: dict[str, str] | None = None) -> str:
    """The fact first (when there is one), then the quotes with their markers. With
    `update`, the last citation is a newer release that gives the fact differently.
    An English answer gives the romanized `readings` of the Japanese names it shows
    (袴田武史 (Takeshi Hakamada))."""
    readings = dict(readings or {}) if language != "ja" else {}
    first = citations[0]
    newer = citations[-1] if update is not None else None
    others = citations[1:-1] if update is not None else citations[1:]
    lines = []
    if language == "ja":
        if fact is not None:
            head = f"{fact.text}{'(最短)' if earliest else ''} [1]。"
            if plan:
                head += f"{release_label(first.hit, 'ja')}の予定です。"
            lines += [head, f"リリースの記載:「{first.quote}」[1]"]
        else:
            lines.append(f"リリースによると:「{first.quote}」[1]" + (f"({release_label(first.hit, 'ja')}の計画)" if plan else ""))
        lines += [f"「{citation.quote}」[{citation.n}]" for citation in others]
        if newer is not None:
            lines.append(f"ただし、より新しい{_dated(newer.hit, 'ja')}リリースでは{update.text}とされています"
                         f" [{newer.n}]:「{newer.quote}」[{newer.n}]")
        return "\n".join(lines)
    if fact is not None:
        shown = f"{fact.english} ({readings.pop(fact.text)})" if fact.text in readings else fact.english
        head = f"{shown}{', at the earliest' if earliest else ''} [1]."
        if plan:
            head += f" This is a plan, {release_label(first.hit, 'en')}."
        lines += [head, f"The release says: \u201c{first.quote}\u201d [1]"]
    else:
        lines.append(f"The release says: \u201c{first.quote}\u201d [1]" +
                     (f" (a plan, {release_label(first.hit, 'en')})" if plan else ""))
    lines += [f"\u201c{citation.quote}\u201d [{citation.n}]" for citation in others]
    if newer is not None:
        lines.append(f"A newer release, {_dated(newer.hit, 'en')}, gives {update.english} [{newer.n}]: "
                     f"\u201c{newer.quote}\u201d [{newer.n}]")
    if readings:
        lines.append("Readings: " + ", ".join(f"{name} ({reading})" for name, reading in readings.items()) + ".")
    return "\n".join(lines)


def passage_text(language: str, citation: Citation, *, plan: bool) -> str:
    """The closest passage, quoted with no fact claimed: qa is not confident that it
    answers the question, and says so."""
    if language == "ja":
        return (f"確実な答えは見つかりませんでした。リリースの最も近い箇所:「{citation.quote}」[{citation.n}]"
                + (f"({release_label(citation.hit, 'ja')}の計画)" if plan else ""))
    return (f"No confident answer. The closest passage says: \u201c{citation.quote}\u201d [{citation.n}]"
            + (f" (a plan, {release_label(citation.hit, 'en')})" if plan else ""))


def refusal_text(language: str, missing_kind: str | None, unknown: tuple[str, ...] = ()) -> str:
    """Saying plainly that the releases do not hold the answer (or never mention what
    the question is about)."""
    if language == "ja":
        if unknown:
            text = f"登録されているリリースには「{'」「'.join(unknown)}」についての記載がありません。"
        else:
            text = "登録されているリリースには、この質問に答える記載が見つかりませんでした。"
        if missing_kind:
            text += f"近い箇所はありますが、{_MISSING_KIND['ja'][missing_kind]}は書かれていません。"
        return text + "参考までに、最も近い箇所を示します。"
    if unknown:
        text = f"The indexed releases do not mention {', '.join(unknown)}."
    else:
        text = "The indexed releases do not say."
    if missing_kind:
        text += f" The closest passages do not give {_MISSING_KIND['en'][missing_kind]}."
    return text + " The closest passages are listed for you to check."


# Notes on answers a language model wrote (see `generative`): why the extractive
# answer stands in, and what the check dropped.
KIND_WORDS = {"en": {DATE: "a date", NUMBER: "a figure", MONEY: "an amount", PERSON: "a name", PLACE: "a place"},
               "ja": {DATE: "日付", NUMBER: "数値", MONEY: "金額", PERSON: "人名", PLACE: "場所"}}
FALLBACK_NOTES = {
    "en": {"unreachable": "The language model could not be reached ({detail})",
           "slow": "The language model did not finish within {seconds:g} s",
           "interrupted": "The language model stopped mid-answer ({detail})",
           "refused": "The language model's server refused the request ({detail})",
           "garbled": "The language model's server gave no usable answer ({detail})",
           "unchecked": "The check dropped every sentence of the model's answer ({reasons})",
           "empty": "The language model gave no answer",
           "off topic": "The model's checked sentences do not speak of what the question asks about",
           "no fact": "The model's checked sentences did not give {kind}",
           "tail": "; this is qa's extractive answer."},
    "ja": {"unreachable": "言語モデルに接続できませんでした({detail})",
           "slow": "言語モデルが{seconds:g}秒以内に回答を終えませんでした",
           "interrupted": "言語モデルの回答が途中で途切れました({detail})",
           "refused": "言語モデルのサーバーが要求を拒否しました({detail})",
           "garbled": "言語モデルのサーバーから使える回答がありませんでした({detail})",
           "unchecked": "モデルの回答の全文が照合で除かれました({reasons})",
           "empty": "言語モデルから回答がありませんでした",
           "off topic": "照合できたモデルの文は、質問の対象に触れていませんでした",
           "no fact": "照合できたモデルの文に{kind}がありませんでした",
           "tail": "。以下はqaの抽出型の回答です。"},
}
_REASONS = {
    "en": {"uncited": "it cited no passage", "no passage": "it cited a passage that does not exist",
           "date": "it gave a date its passage does not", "number": "it gave a figure its passage does not",
           "name": "it gave a name its passage does not", "unrelated": "its passage does not say it",
           "echo": "it repeated the prompt", "question": "it asked a question"},
    "ja": {"uncited": "引用がない", "no passage": "存在しない抜粋を引用した", "date": "抜粋にない日付を含む",
           "number": "抜粋にない数値を含む", "name": "抜粋にない名前を含む", "unrelated": "抜粋に書かれていない",
           "echo": "指示文の繰り返し", "question": "質問文"},
}


def reasons_note(dropped: list[tuple[str, str]], language: str) -> str:
    """Why sentences were dropped, counted by reason, never quoting them (a dropped
    sentence holds the claim that failed)."""
    words = _REASONS[language]
    counted: dict[str, int] = {}
    for _, problem in dropped:
        counted[words.get(problem, problem)] = counted.get(words.get(problem, problem), 0) + 1
    if language == "ja":
        return "、".join(f"{reason}: {count}文" for reason, count in counted.items())
    return "; ".join(f"{count} because {reason}" if count > 1 else reason for reason, count in counted.items())


def dropped_note(dropped: list[tuple[str, str]], language: str) -> str:
    if not dropped:
        return ""
    if language == "ja":
        return f"モデルの回答のうち{len(dropped)}文を照合で除きました({reasons_note(dropped, language)})。"
    return f"{len(dropped)} sentence{'s' if len(dropped) > 1 else ''} of the model's answer " \
           f"{'were' if len(dropped) > 1 else 'was'} dropped by the check ({reasons_note(dropped, language)})."
