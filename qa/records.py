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
    score: float  # the reranker's P(holds the answer) (see search.rerank), or the fused score with rerank off
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


# What an answer is: a fact stated first ("answer", only when qa is confident), the
# closest passage quoted with no fact claimed ("passage"), or "not_found" (the
# releases do not say; the closest passages are listed).
ANSWER, PASSAGE, NOT_FOUND = "answer", "passage", "not_found"
OUTCOMES = (ANSWER, PASSAGE, NOT_FOUND)


@dataclass(frozen=True)
class Answer:
    """`found` is true only for the outcome "answer"; `outcome` defaults to what
    `found` says. `fact` is what is stated first (the fact as shown, or for a general
    question the quoted sentence), empty unless the outcome is "answer"; `confidence`
    is the estimated probability that it is right (see `qa.answer.confidence`)."""
    text: str
    found: bool
    citations: list[Citation] = field(default_factory=list)
    language: str = "en"
    question: str = ""
    hits: list[Hit] = field(default_factory=list)
    # Which answerer wrote the text: "extractive", or the language model's name when
    # its sentences passed the check (see qa.answer.generative).
    generator: str = "extractive"
    # The model's sentences that the check dropped (never shown), and a note for the
    # user: what was dropped and why, or why the extractive answer stands in.
    dropped: tuple[str, ...] = ()
    note: str = ""
    outcome: str = ""
    fact: str = ""
    confidence: float | None = None

    def __post_init__(self):
        outcome = self.outcome or (ANSWER if self.found else NOT_FOUND)
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
        if self.found != (outcome == ANSWER):
            raise ValueError(f"found={self.found} contradicts outcome {outcome!r}")
        object.__setattr__(self, "outcome", outcome)

    def to_dict(self) -> dict:
        return {"question": self.question, "text": self.text, "found": self.found, "outcome": self.outcome,
                "fact": self.fact, "confidence": self.confidence,
                "language": self.language, "citations": [citation.to_dict() for citation in self.citations],
                "hits": [hit.to_dict() for hit in self.hits], "generator": self.generator,
                "dropped": list(self.dropped), "note": self.note}


@dataclass(frozen=True)
class DocumentInfo:
    """One document of an index's library: the file kept in the index folder under
    its sha256 (`path`, relative to the index folder), and what was read from it."""
    id: str                 # the sha256 of the file's bytes
    name: str               # the file name it was added under
    title: str
    date: str | None        # the release date
    pages: int | None       # None for an unpaged text file
    language: str           # "ja" or "en": the language of most of its chunks
    size: int               # bytes
    added: str              # when it was added (ISO 8601, UTC)
    chunks: int
    path: str               # the stored copy, relative to the index folder
    # "build": one of the files a build was given; "add": added one at a time (qa add,
    # Index.add, an upload in the app), so the index's copy may be the only one.
    origin: str = "build"

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def kind(self) -> str:
        """"pdf", "txt" or "md"."""
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""

    def to_dict(self) -> dict:
        return asdict(self)


def document_infos(manifest: dict) -> list[DocumentInfo]:
    """The documents a manifest lists, as records (older manifests lack some fields:
    a document without an origin is taken to come from a build)."""
    infos = []
    for record in manifest.get("documents", []):
        name = record.get("name") or record.get("source") or record.get("path", "").rsplit("/", 1)[-1]
        infos.append(DocumentInfo(
            id=record.get("id") or record.get("sha256", ""), name=name, title=record.get("title") or name,
            date=record.get("date"), pages=record.get("pages"), language=record.get("language") or "",
            size=int(record.get("size") or 0), added=record.get("added_at") or manifest.get("built_at", ""),
            chunks=int(record.get("chunks") or 0), path=record.get("path", ""),
            origin=record.get("origin") or "build"))
    return infos


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file given to `Index.add` or one name given to
    `Index.remove`: "added", "replaced", "duplicate", "conflict" (a different file
    under a name already indexed; add it with replace), "rejected" (it could not be
    read; `reason` says why), "removed" or "not found"."""
    name: str
    outcome: str
    reason: str = ""
    document_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Retrieved:
    """What a search hands the answerer: the hits, each hit's sentence spans with the
    cosine of each sentence with the question, and per language the question's
    typical best-sentence cosine (see `qa.search.dense`)."""

    hits: list[Hit]
    sentences: list[tuple]
    baselines: dict[str, float] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)  # per hit: the text of the chunk before it in its document
