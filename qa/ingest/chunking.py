"""Sentence-aware chunking with citations attached at birth.

Design choice: a chunk is a run of whole sentences of one document, at most
`size` characters long, and it knows where it came from: source, title, release
date, page range and character offsets. `text` is always exactly the slice of the
normalized page text that the offsets name, so a quote found in it can be located
on the page. Consecutive chunks share `overlap` whole sentences. A sentence longer
than `size` is cut at a clause boundary (、，, ; or a space), or hard at `size`.
A chunk also lists its sentences (spans in its text, and the position of the
first one in the index's sentence table), because sentences are what is embedded.
A sentence needs at least one letter or kanji: a list number or section number
("2.", "1.2.") on the same line joins the sentence it starts; digits or punctuation
alone (a lone "." or page number) are never a sentence, so they are never embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Document
from .language import detect_language

# 2: no sentence break after an abbreviation or an initial (U.S., Inc., J.).
# 3: no sentence without a letter (a list number joins the sentence it starts).
# 4: a quotation that the sentence goes on after (「…きりひらく。」のもと、…) ends no sentence.
CHUNKING_VERSION = 4

# A sentence ends after a terminator (and any closing brackets or quotes), or at a
# line break. A Latin full stop ends a sentence only before white space or the end.
_SENTENCE_END = re.compile(r"[。！？!?]+[」』)\]”\"']*|\.(?=\s|$)[」』)\]”\"']*|\n")
# A full stop that ends an abbreviation or an initial, not a sentence: "U.S. Lander
# Program Director", "Hoshino Electric Co., Ltd. is", "J. Smith".
_ABBREVIATION = re.compile(r"(?:(?<![A-Za-z])[A-Z]|\b(?:U\.S|U\.K|Inc|Co|Ltd|Corp|Mr|Ms|Mrs|Dr|Prof|St|No|Nos|Vol|vs|"
                           r"approx|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))\.$")
# A Japanese quotation closed and followed by a particle: the sentence around it goes on
# (「環境革新で、地球の未来をきりひらく。」のもと、… ; 「…です。」と述べた).
_QUOTE_GOES_ON = re.compile(r"[」』](?=[のとをはがにでもへや])")
_CLAUSE_BREAK = re.compile(r"[、，,;；:：]\s*|\s+")


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    text: str
    source: str
    path: str
    title: str
    doc_date: str | None
    page: int | None
    pages: tuple[int, ...]
    start: int
    end: int
    language: str
    sentences: tuple[tuple[int, int], ...] = ()
    first_sentence: int = 0

    @property
    def header(self) -> str:
        """Title and date: the context that embedding and lexical scoring see."""
        return f"{self.title} ({self.doc_date})" if self.doc_date else self.title

    def to_record(self) -> dict:
        return {
            "chunk_id": self.chunk_id,
            "text": self.text,
            "source": self.source,
            "path": self.path,
            "title": self.title,
            "doc_date": self.doc_date,
            "page": self.page,
            "pages": list(self.pages),
            "start": self.start,
            "end": self.end,
            "language": self.language,
            "sentences": [list(span) for span in self.sentences],
            "first_sentence": self.first_sentence,
        }

    @classmethod
    def from_record(cls, record: dict) -> "Chunk":
        return cls(**{**record, "pages": tuple(record["pages"]),
                      "sentences": tuple(tuple(span) for span in record.get("sentences", ()))})

    @property
    def sentence_ids(self) -> range:
        return range(self.first_sentence, self.first_sentence + len(self.sentences))


def _split_long(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Cut one over-long span into pieces of at most `size`, preferring clause breaks."""
    pieces = []
    while end - start > size:
        limit = start + size
        cut = None
        for match in _CLAUSE_BREAK.finditer(text, start + size // 2, limit):
            cut = match.end() if match.end() <= limit else match.start()
        if cut is None or cut <= start:
            cut = limit
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > start:
            pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def _has_letter(text: str, start: int, end: int) -> bool:
    return any(character.isalpha() for character in text[start:end])


def _letters_only(text: str, spans: list[tuple[int, int]], size: int | None) -> list[tuple[int, int]]:
    """Drop spans without a letter; one followed on the same line by a sentence
    that starts there joins it (when the two fit in `size`)."""
    kept = []
    pending: int | None = None  # start of a letterless span waiting for its sentence
    for start, end in spans:
        if not _has_letter(text, start, end):
            pending = start if pending is None else pending
            if "\n" in text[pending:end]:
                pending = start
            continue
        if pending is not None and "\n" not in text[pending:start] and (size is None or end - pending <= size):
            start = pending
        pending = None
        kept.append((start, end))
    return kept


def _continues_lower_or_name(text: str, position: int) -> bool:
    """After an abbreviation, the sentence goes on unless a line break follows."""
    following = text[position:position + 2]
    return not following.startswith("\n") and following.strip() != ""


def split_sentences(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`, trimmed of surrounding white space,
    each with at least one letter. With `size`, no span is longer than `size`."""
    return _letters_only(text, _raw_sentences(text, size), size)


def _raw_sentences(text: str, size: int | None) -> list[tuple[int, int]]:
    spans = []
    position = 0
    boundaries = [match.end() for match in _SENTENCE_END.finditer(text)
                  if not (match.group() == "." and _ABBREVIATION.search(text, max(0, match.end() - 8), match.end())
                          and _continues_lower_or_name(text, match.end()))
                  and not _QUOTE_GOES_ON.match(text, match.end() - 1)] + [len(text)]
    for boundary in boundaries:
        start, end = position, boundary
        position = boundary
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if size is not None and end - start > size:
            spans.extend(_split_long(text, start, end, size))
        else:
            spans.append((start, end))
    return spans


def pack_sentences(sentences: list[tuple[int, int]], size: int, overlap: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into windows of at most `size` characters (from the
    first sentence's start to the last one's end). Each window after the first starts
    with up to `overlap` sentences of the previous one, as many as fit. Returns
    (first, last) sentence indexes, inclusive."""
    windows = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= size:
            last += 1
        windows.append((first, last))
        if last + 1 >= len(sentences):
            break
        following = last + 1
        carried = min(overlap, last - first)
        while carried > 0 and sentences[following][1] - sentences[following - carried][0] > size:
            carried -= 1
        first = following - carried
    return windows


def chunk_document(document: Document, size: int = 500, overlap: int = 1) -> tuple[list[Chunk], list[str]]:
    """Chunks of one document in reading order, and the texts of its sentences.
    Each chunk's `first_sentence` indexes that sentence list."""
    sentences = split_sentences(document.text, size)
    chunks = []
    for number, (first, last) in enumerate(pack_sentences(sentences, size, overlap)):
        start, end = sentences[first][0], sentences[last][1]
        first_page = document.page_at(start)
        last_page = document.page_at(end - 1)
        page_start = document.page_offsets[first_page - 1] if first_page else 0
        text = document.text[start:end]
        chunks.append(
            Chunk(
                chunk_id=f"{document.sha256[:12]}-{number:05d}",
                text=text,
                source=document.source,
                path=document.path,
                title=document.title,
                doc_date=document.date,
                page=first_page,
                pages=tuple(range(first_page, last_page + 1)) if first_page else (),
                start=start - page_start,
                end=end - page_start,
                language=detect_language(text),
                sentences=tuple((a - start, b - start) for a, b in sentences[first:last + 1]),
                first_sentence=first,
            )
        )
    return chunks, [document.text[a:b] for a, b in sentences]
