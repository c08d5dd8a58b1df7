"""Japanese-aware lexical scoring with bm25s.

Design choice: two tokenizers, chosen by name and recorded in the manifest.
`sudachi` (the default) segments Japanese with SudachiPy's core dictionary and
indexes each word's normalized form, so 打上げ and 打ち上げ meet; particles,
auxiliaries and punctuation are dropped. `bigram` indexes overlapping character
pairs of every Japanese run, needing no dictionary. Latin text is lower-cased words
in both. `qa eval` compared the two; the README has the numbers.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path

import numpy as np

from ..ingest.language import CJK_CHARACTERS
from . import kanji
from .postings import B, K1, Background, Postings, build_postings, extend_postings
from .romaji import capitalized_words, spelling_key, spelling_table
from .sounds import SoundTable

TOKENIZERS = ("sudachi", "bigram")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[.'-][a-z0-9]+)*")
_JAPANESE_RUN = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SCRIPT_RUN = re.compile(f"[{CJK_CHARACTERS}]+|[^{CJK_CHARACTERS}]+")
_ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be by did do does for from has have how i in is it its of on or "
    "the their this to was were what when where which who whom whose why will with".split()
)
_DROPPED_PARTS_OF_SPEECH = {"助詞", "助動詞", "補助記号", "空白", "記号"}
COUNTS_NAME = "counts.npy"
LENGTHS_NAME = "lengths.npy"
# A token in more than this share of the chunks is added as a dense row of impacts
# (a scatter costs about 12 times a pass per chunk it touches; measured at 1M chunks).
DENSE_SHARE = 0.1
# Dense rows kept, least recently used dropped (64 rows of a million chunks: 256 MB).
DENSE_KEPT = 64


@functools.lru_cache(maxsize=1)
def _english_stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=200_000)
def latin_form(word: str) -> str:
    """The indexed form of a Latin word: lower case, Snowball-stemmed (scheduled and
    schedule meet; measured on the development releases, see README)."""
    return _english_stemmer().stemWord(word.lower())


def _latin_tokens(text: str) -> list[str]:
    return [latin_form(word) for word in _LATIN_WORD.findall(text.lower()) if word not in _ENGLISH_STOPWORDS]


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[position:position + 2] for position in range(len(run) - 1)]


_THREAD_LOCAL = threading.local()


@functools.lru_cache(maxsize=1)
def _sudachi_dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


def _sudachi():
    """This thread's SudachiPy tokenizer: one instance cannot be used by two threads
    at once (the app answers several users concurrently)."""
    from sudachipy import SplitMode

    tokenizer = getattr(_THREAD_LOCAL, "tokenizer", None)
    if tokenizer is None:
        dictionary = _sudachi_dictionary()
        make = getattr(dictionary, "tokenizer", None) or dictionary.create
        tokenizer = _THREAD_LOCAL.tokenizer = make(SplitMode.B)
    return tokenizer, SplitMode.B


def sudachi_morphemes(text: str):
    """SudachiPy morphemes of `text` (offsets are positions in `text`)."""
    analyzer, mode = _sudachi()
    return analyzer.tokenize(text[:4000], mode)


def tokenize(text: str, tokenizer: str) -> list[str]:
    """Tokens of `text` for the named tokenizer."""
    text = text.lower()
    tokens: list[str] = []
    for run_match in _SCRIPT_RUN.finditer(text):
        run = run_match.group()
        if not _JAPANESE_RUN.search(run):
            tokens.extend(_latin_tokens(run))
        elif tokenizer == "bigram":
            for japanese in _JAPANESE_RUN.findall(run):
                tokens.extend(_bigrams(japanese))
        elif tokenizer == "sudachi":
            analyzer, mode = _sudachi()
            # Sudachi refuses inputs over ~49 KB; runs are split to stay well below.
            for start in range(0, len(run), 4000):
                for morpheme in analyzer.tokenize(run[start:start + 4000], mode):
                    if morpheme.part_of_speech()[0] in _DROPPED_PARTS_OF_SPEECH:
                        continue
                    tokens.append(morpheme.normalized_form().lower())
        else:
            raise ValueError(f"unknown lexical tokenizer {tokenizer!r}; use one of {TOKENIZERS}")
    return tokens


def reading(word: str) -> str:
    """SudachiPy's katakana reading of a word (高砂 -> タカサゴ)."""
    return "".join(morpheme.reading_form() for morpheme in sudachi_morphemes(word))


class LexicalIndex:
    """BM25 over chunk texts (bm25s's format, memory-mapped when loaded; see
    `postings`). `weighted_scores(weights)` gives one score per chunk."""

    def __init__(self, tokenizer: str, postings: Postings, *, background: dict | None = None):
        self.tokenizer = tokenizer
        self.postings = postings
        self.vocab_dict = postings.vocabulary
        self.size = postings.size
        # The statistics its impacts were computed with, when they were not its own
        # (a delta segment scored as part of a larger index).
        self.background = background
        self._spellings: dict[str, tuple[str, ...]] | None = None
        self._spellings_lock = threading.Lock()
        self._dense: dict[int, np.ndarray] = {}  # least recently used first
        self._dense_lock = threading.Lock()
        self.sounds = SoundTable(self.vocab_dict)  # names across scripts, grouped on first use
        self._kanji_held: dict[str, tuple[str, ...]] = {}  # kanji piece -> the Latin words it reads here

    def japanese_for(self, word: str) -> tuple[str, ...]:
        """Japanese words of the index that a Latin word unknown to it spells in romaji
        ("takasago" -> 高砂); see `romaji`. The table is made on first use."""
        word = word.lower()
        if self.tokenizer != "sudachi" or not word.isascii() or self.knows(word):
            return ()
        return self.spelled(word)

    def spelled(self, word: str) -> tuple[str, ...]:
        """Japanese words of the index whose reading spells the Latin `word` in romaji
        (kurita -> 栗田, クリタ), known to the index or not."""
        word = word.lower()
        if self.tokenizer != "sudachi" or not word.isascii():
            return ()
        if self._spellings is None:  # the lock is taken only until the table exists
            with self._spellings_lock:
                if self._spellings is None:
                    self._spellings = spelling_table(self.vocab_dict, reading)
        return self._spellings.get(spelling_key(word), ())

    def romaji_names(self, question: str) -> tuple[tuple[str, ...], ...]:
        """For each romaji name of the question (a capitalized word the index does not
        know), the Japanese words of the index it spells: Takasago -> (高砂,)."""
        return tuple(forms for forms in map(self.japanese_for, capitalized_words(question)) if forms)

    def query_tokens(self, question: str) -> list[str]:
        """The question's tokens, and the Japanese words its romaji names spell."""
        return tokenize(question, self.tokenizer) + [
            japanese for forms in self.romaji_names(question) for japanese in forms]

    @classmethod
    def build(cls, texts, tokenizer: str, *, background: Background | None = None,
              progress=None) -> "LexicalIndex":
        """BM25 over `texts` (any iterable; tokenized one at a time). `background`: the
        statistics of the index this one joins (see `postings`)."""
        postings = build_postings((tokenize(text, tokenizer) for text in texts), background, progress)
        recorded = None if background is None else {"documents": background.documents, "tokens": background.tokens}
        return cls(tokenizer, postings, background=recorded)

    def extended(self, texts) -> "LexicalIndex":
        """This index followed by `texts`, only those tokenized (an add)."""
        return LexicalIndex(self.tokenizer, extend_postings(self.postings, (tokenize(text, self.tokenizer)
                                                                             for text in texts)))

    def scores(self, question: str) -> np.ndarray:
        """BM25 of every chunk for the question's own tokens."""
        weights: dict[str, float] = {}
        for token in self.query_tokens(question):
            weights[token] = weights.get(token, 0.0) + 1.0
        return self.weighted_scores(weights)

    def weighted_scores(self, weights: dict[str, float], out: np.ndarray | None = None) -> np.ndarray:
        """BM25 of every chunk for a weighted query: each token's BM25 contribution
        times its weight (1 for a word of the question, less for a translation).
        Only the chunks that hold a token are touched (the index is a sparse
        token-by-chunk matrix). `out`: an array of `size` zeros to add into."""
        scores = np.zeros(self.size, dtype=np.float32) if out is None else out
        postings = self.postings
        data, indices, pointers = postings.data, postings.indices, postings.indptr
        vocabulary = self.vocab_dict
        for token, weight in weights.items():
            identifier = vocabulary.get(token)
            if identifier is None or weight <= 0:
                continue
            start, end = pointers[identifier], pointers[identifier + 1]
            if end - start > DENSE_SHARE * self.size:
                dense = self._dense_impacts(identifier)
                scores += dense if weight == 1 else weight * dense
            else:
                scores[indices[start:end]] += weight * data[start:end]
        return scores

    def _dense_impacts(self, identifier: int) -> np.ndarray:
        """A common token's impacts as one value per chunk (0 where it is absent),
        kept for the `DENSE_KEPT` tokens used last. Adding them is a pass over the
        scores instead of a scatter: at 1M chunks, for 為る (in 892k chunks), 0.6 ms
        against 4.5. The sums are the scatter's, bit for bit (adding 0 changes
        nothing)."""
        with self._dense_lock:
            dense = self._dense.pop(identifier, None)
            if dense is None:
                start, end = self.postings.indptr[identifier], self.postings.indptr[identifier + 1]
                dense = np.zeros(self.size, dtype=np.float32)
                dense[self.postings.indices[start:end]] = self.postings.data[start:end]
                while len(self._dense) >= DENSE_KEPT:
                    self._dense.pop(next(iter(self._dense)))
            self._dense[identifier] = dense
            return dense

    def frequency(self, token: str) -> int:
        """How many chunks hold `token`."""
        identifier = self.vocab_dict.get(token)
        if identifier is None:
            return 0
        return int(self.postings.indptr[identifier + 1] - self.postings.indptr[identifier])

    @property
    def total_tokens(self) -> int:
        return int(self.postings.lengths.astype(np.int64).sum())

    def kanji_spellings(self, text: str) -> tuple[str, ...]:
        """The Latin words of this index that read a piece of `text`'s kanji (隼友 ->
        hayatomo; see `kanji`)."""
        return kanji.spellings(text, self.holds, self._kanji_held)

    def holds(self, form: str) -> bool:
        """Whether the index holds a word or name, in every token of it."""
        tokens = tokenize(form, self.tokenizer)
        return bool(tokens) and all(self.knows(token) for token in tokens)

    def knows(self, term: str) -> bool:
        """Whether a token (or a Latin word, in any form) occurs anywhere in the index."""
        vocabulary = self.vocab_dict
        return term in vocabulary or (term.isascii() and latin_form(term) in vocabulary)

    def save(self, folder: Path) -> None:
        import bm25s

        folder.mkdir(parents=True, exist_ok=True)
        postings = self.postings
        bm25 = bm25s.BM25(k1=K1, b=B)
        bm25.scores = {"data": postings.data, "indices": postings.indices, "indptr": postings.indptr,
                       "num_docs": postings.size}
        bm25.vocab_dict = postings.vocabulary
        bm25.nonoccurrence_array = None
        bm25.save(str(folder), allow_pickle=False, show_progress=False)
        np.save(folder / COUNTS_NAME, postings.counts, allow_pickle=False)
        np.save(folder / LENGTHS_NAME, postings.lengths, allow_pickle=False)
        (folder / "tokenizer.json").write_text(json.dumps({"tokenizer": self.tokenizer, "size": self.size,
                                                           "background": self.background}))

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> "LexicalIndex":
        """Read a saved index; its arrays memory-mapped (bm25s's mmap loading)."""
        import bm25s

        info = json.loads((folder / "tokenizer.json").read_text())
        bm25 = bm25s.BM25.load(str(folder), allow_pickle=False, load_corpus=False, mmap=mmap)
        mode = "r" if mmap else None
        postings = Postings(bm25.vocab_dict, bm25.scores["data"], bm25.scores["indices"], bm25.scores["indptr"],
                            np.load(folder / COUNTS_NAME, allow_pickle=False, mmap_mode=mode),
                            np.load(folder / LENGTHS_NAME, allow_pickle=False, mmap_mode=mode))
        if len(postings.lengths) != int(info["size"]):
            raise ValueError(f"lexical index of {len(postings.lengths)} chunks, recorded {info['size']}")
        return cls(info["tokenizer"], postings, background=info.get("background"))
