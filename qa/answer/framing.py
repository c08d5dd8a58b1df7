"""Wording answers in the question's language.

Design choice: the answerer decides what to say (the fact, the quotes, whether it is
a plan); this module only words it, English for an English question and Japanese for
a Japanese one. Quotes stay in the document's language. Every [n] in the text names
`citations[n-1]`.
"""

from __future__ import annotations

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
            update: Fact | None = None) -> str:
    """The fact first (when there is one), then the quotes with their markers. With
    `update`, the last citation is a newer release that gives the fact differently."""
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
        head = f"{fact.english}{', at the earliest' if earliest else ''} [1]."
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
    return "\n".join(lines)


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
