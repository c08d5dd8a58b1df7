"""How an answer shows in the chat: HTML that displays exactly the text it is given.

Design choice: document and model text is never rendered as markup. Everything is
HTML-escaped, and the only markup added is what qa makes itself: the `[n]` citation
links the viewer opens, the outcome label, and the notes. Plain functions over plain
records (`Answer`, the source records the app keeps), so the app's look is tested
without a server.
"""

from __future__ import annotations

import html
import re

from .ingest.normalize import squash
from .records import Answer


def as_text(text: str) -> str:
    """Chat content that displays as the given text: the Chatbot renders its messages
    as HTML even with markdown off, so markup characters are escaped."""
    return html.escape(text, quote=False)


def linked_answer(text: str, quotes: list[str], turn: int) -> str:
    """The answer as chat HTML: escaped, with each [n] marker (n up to the number of
    quotes) made a link the viewer opens (`#cite-<turn>-<n>`). Brackets inside the
    quoted release text stay text."""
    protected = [False] * len(text)
    for quote in quotes:
        at = text.find(quote) if quote else -1
        while at >= 0:
            protected[at:at + len(quote)] = [True] * len(quote)
            at = text.find(quote, at + len(quote))
    out, position = [], 0
    for match in re.finditer(r"\[(\d+)\]", text):
        number = int(match.group(1))
        if protected[match.start()] or not 1 <= number <= len(quotes):
            continue
        out.append(as_text(text[position:match.start()]))
        out.append(f'<a href="#cite-{turn}-{number}" class="qa-cite" title="show this source">[{number}]</a>')
        position = match.end()
    out.append(as_text(text[position:]))
    return "".join(out)


# How the chat labels each outcome (see qa.answer.answering): a stated fact, the
# closest passage with no fact claimed, or nothing the releases say.
OUTCOME_LABELS = {"answer": "Answer: the fact is stated first, with its source.",
                  "passage": "Closest passage: qa is not confident it answers the question, so no fact is stated.",
                  "not_found": "Not found: the releases do not say; the closest passages are listed."}
OUTCOME_LABELS_JA = {"answer": "回答: 事実を先に示し、その出典を添えています。",
                     "passage": "最も近い箇所: 質問に答えているか確信がないため、事実は述べていません。",
                     "not_found": "記載なし: リリースには書かれていません。最も近い箇所を示します。"}
# "Not found" with nothing quoted would claim the releases were read: a question in a
# language qa does not answer was never searched.
NOTHING_QUOTED = "Not answered: nothing is quoted."
NOTHING_QUOTED_JA = "回答なし: 引用する箇所はありません。"


def answer_html(answer: Answer, turn: int, asked: str | None = None) -> str:
    """An answer as chat HTML: the linked text (see `linked_answer`), its outcome in the
    answer's language, the question as it was read when a follow-up was rewritten
    (`asked` is what the user typed), then who wrote it when a language model did, and
    the note (what the check dropped, or why the extractive answer stands in). Model
    output is escaped like document text."""
    japanese = answer.language == "ja"
    html_text = linked_answer(answer.text, [citation.quote for citation in answer.citations], turn)
    label = (OUTCOME_LABELS_JA if japanese else OUTCOME_LABELS)[answer.outcome]
    if answer.outcome == "not_found" and not answer.citations and not answer.hits:  # nothing searched (another language)
        label = NOTHING_QUOTED_JA if japanese else NOTHING_QUOTED
    html_text += f'\n<span class="qa-outcome qa-outcome-{answer.outcome}">{label}</span>'
    if asked and answer.question and squash(asked) != squash(answer.question):  # NFKC, no white space
        read_as = "質問の解釈" if japanese else "Read as"
        html_text += f'\n<span class="qa-read-as">{read_as}: {as_text(answer.question)}</span>'
    if answer.generator != "extractive":
        html_text += (f'\n<span class="qa-generator">Written by {as_text(answer.generator)}; every sentence was '
                      f"checked against the passage it cites.</span>")
    if answer.note:
        html_text += f'\n<span class="qa-note">Note: {as_text(answer.note)}</span>'
    return html_text


def draft_html(draft) -> str:
    """A generated answer while it is written: the sentences that passed the check,
    then the one being written with its facts hidden until it is checked."""
    shown = as_text(draft.text)
    pending = f'<span class="qa-pending">{as_text(draft.pending)} …</span>' if draft.pending.strip() else \
        '<span class="qa-pending">…</span>'
    dropped = f' <span class="qa-note">({draft.dropped} dropped by the check)</span>' if draft.dropped else ""
    return f"{shown} {pending}{dropped}".strip()


def source_records(answer: Answer) -> list[dict]:
    """What the app keeps of an answer's sources: for each citation (or, for a
    refusal, each of the closest passages) its document, page, date, relevance rank
    (1 = the passage search ranked first) and the quoted span of its passage."""
    ranks = {hit.chunk_id: rank for rank, hit in enumerate(answer.hits, start=1)}
    records: list[dict] = []
    if answer.citations:
        for citation in answer.citations:
            records.append(_record(citation.hit, citation.n, ranks.get(citation.hit.chunk_id, 0), citation.quote,
                                   citation.quote_start, citation.quote_end))
    else:
        for rank, hit in enumerate(answer.hits[:3], start=1):
            records.append(_record(hit, 0, rank, hit.text, 0, len(hit.text)))
    return [record | {"hits": len(answer.hits)} for record in records]  # "2 of 5" when shown again


def _record(hit, n: int, rank: int, quote: str, quote_start: int, quote_end: int) -> dict:
    return {"n": n, "title": hit.title, "file": hit.source, "page": hit.page_label, "pages": list(hit.pages),
            "date": hit.doc_date, "rank": rank, "quote": quote, "quote_start": quote_start, "quote_end": quote_end,
            "text": hit.text, "start": hit.start, "path": hit.path}


def source_rows(records: list[dict], hits: int | None = None) -> list[list]:
    """The sources table's rows; `hits` defaults to what the records kept of their answer."""
    if hits is None:
        hits = records[0].get("hits", 0) if records else 0
    return [[f"[{record['n']}]" if record["n"] else "closest", record["title"], record["file"], record["page"],
             record["date"] or "undated", f"{record['rank']} of {hits}" if record["rank"] else "-"]
            for record in records]
