"""The plain records the public API returns.

Design choice: small frozen dataclasses, always the same type whatever happened, so
callers never branch on shape. A `Hit` carries its whole citation (file, pages,
offsets, release date), because the chunk was given it when it was made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    text: str
    source: str
    page: int | None
    pages: tuple[int, ...]
    title: str
    doc_date: str | None
    score: float
    start: int
    end: int
    path: str = ""
    language: str = "ja"
    dense_score: float = 0.0
    lexical_score: float = 0.0

    @property
    def page_label(self) -> str:
        """The pages as a reader cites them: "3", "3-4", or "-" for an unpaged text."""
        if not self.pages:
            return "-"
        return str(self.pages[0]) if len(self.pages) == 1 else f"{self.pages[0]}-{self.pages[-1]}"

    def to_dict(self) -> dict:
        record = asdict(self)
        record["pages"] = list(self.pages)
        return record


@dataclass(frozen=True)
class Citation:
    n: int
    hit: Hit
    quote: str
    quote_start: int
    quote_end: int

    def to_dict(self) -> dict:
        return {"n": self.n, "quote": self.quote, "quote_start": self.quote_start,
                "quote_end": self.quote_end, "hit": self.hit.to_dict()}


@dataclass(frozen=True)
class Answer:
    text: str
    found: bool
    citations: list[Citation] = field(default_factory=list)
    language: str = "en"
    question: str = ""
    hits: list[Hit] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"question": self.question, "text": self.text, "found": self.found,
                "language": self.language, "citations": [citation.to_dict() for citation in self.citations],
                "hits": [hit.to_dict() for hit in self.hits]}


@dataclass(frozen=True)
class Retrieved:
    """What a search hands the answerer: the hits, each hit's sentence spans with the
    cosine of each sentence with the question, and per language the question's
    typical best-sentence cosine (see `qa.search.dense`)."""

    hits: list[Hit]
    sentences: list[tuple]
    baselines: dict[str, float] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)  # per hit: the text of the chunk before it in its document
