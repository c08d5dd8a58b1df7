"""What a language model is asked: the question, the conversation, the numbered passages.

Design choice: one user message that any OpenAI-compatible server takes as it is
(no system role, which some chat templates drop: llama.cpp's Gemma format does):
the instructions in the question's language, the passages numbered [1]..[n] each
with its release date (and its release's title once), then the question. Earlier
turns go before it as user and assistant messages. The instructions ask for what
the check will verify: every sentence ending with its [n], facts copied as the
passage gives them, and one fixed sentence when the releases do not say. The model
is stopped at the prompt's own headings (a small base model goes on to write them).
"""

from __future__ import annotations

from ..records import Hit
from .evidence import PASSAGES_READ, Evidence

# Passages of newer releases added to the prompt (they may change a fact).
NEWER_PASSAGES = 2
# The model stops at these: a model that goes on to write the prompt's own headings
# is no longer answering (a small base model does exactly that).
STOP = ["Passages:", "抜粋:", "\nQuestion:", "\n質問:"]
REFUSALS = {"en": "The releases do not say.", "ja": "リリースには記載がありません。"}
INSTRUCTIONS = {
    "en": ("Answer the question using only the numbered press-release passages below. Answer in English, in one to "
           "three short sentences. End every sentence with the number of the passage it comes from, like [1]. Copy "
           "numbers, dates, amounts and names exactly as the passage gives them. If the passages do not answer the "
           "question, reply only: The releases do not say."),
    "ja": ("以下の番号付きプレスリリースの抜粋だけを使って質問に答えてください。日本語で、1〜3文で簡潔に答えてください。"
           "各文の末尾に、根拠とした抜粋の番号を[1]のように付けてください。数値・日付・金額・名前は抜粋の表記どおりに書いてください。"
           "抜粋から答えられない場合は「リリースには記載がありません。」とだけ答えてください。"),
}
_LABELS = {
    "en": {"passages": "Passages:", "question": "Question: ", "release": "release of", "unknown": "unknown date",
           "page": "page"},
    "ja": {"passages": "抜粋:", "question": "質問: ", "release": "発表日", "unknown": "不明", "page": "ページ"},
}


def passages_of(evidence: Evidence, count: int = PASSAGES_READ) -> list[Hit]:
    """The passages the model is given: the best `count`, then a few of newer
    releases that are not among them."""
    passages = list(evidence.hits[:count])
    seen = {hit.chunk_id for hit in passages}
    newer = [hit for hit in (evidence.updates.hits if evidence.updates else []) if hit.chunk_id not in seen]
    return passages + newer[:NEWER_PASSAGES]


def prompt(evidence: Evidence, passages: list[Hit], instructions: str | None = None) -> list[dict]:
    """The chat messages: earlier turns, then one user message with the instructions,
    the numbered passages (release date, title, page) and the question."""
    language = evidence.question.language
    labels = _LABELS[language]
    lines = [instructions or INSTRUCTIONS[language], "", labels["passages"]]
    title = None
    for number, hit in enumerate(passages, start=1):
        page = f", {labels['page']} {hit.page_label}" if hit.pages else ""
        named = f": {hit.title}" if hit.title != title else ""  # a release's title once, for its first passage
        title = hit.title
        lines += [f"[{number}] ({labels['release']} {hit.doc_date or labels['unknown']}{named}{page})",
                  " ".join(hit.text.split()), ""]
    lines.append(labels["question"] + evidence.question.asked)
    messages = []
    for question, answer in evidence.history[-3:]:
        messages += [{"role": "user", "content": question}, {"role": "assistant", "content": answer or "-"}]
    return messages + [{"role": "user", "content": "\n".join(lines)}]
