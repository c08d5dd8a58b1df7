"""What the answer stage asks of search about words and names (see
`qa.answer.evidence.Searcher`): whether the index holds a word, how rare it is, whether
an English word is a common word, and a name's forms in the other script.

Design choice: a mixin of the index, reading only its lexical index, its dictionary and
its settings (`lexical`, `dictionary`, `settings`, and `chunks` for the count), so the
answer stage asks the index these questions without reading its insides, and the
index module keeps to searching.
"""

from __future__ import annotations

import functools
import math

from .lexical import latin_form, reading, tokenize
from .translate import name_forms
from .vocabulary import VOCABULARY


class Lexicon:
    """The index's words and names, for the answer stage (mixed into `qa.index.Index`)."""

    def holds(self, form: str) -> bool:
        """Whether the index holds a word or name, in every token of it."""
        return self.lexical.holds(form)

    def knows(self, token: str) -> bool:
        return self.lexical.knows(token)

    @functools.lru_cache(maxsize=8192)
    def rarity(self, token: str) -> float:
        """A word's inverse document frequency in the index, log((N + 1) / (n + 1)) + 1
        (a word of no chunk counts as the rarest); cached per index."""
        count = self.lexical.frequency(token) if token in self.lexical.vocab_dict else \
            self.lexical.frequency(latin_form(token)) if token.isascii() else 0
        return math.log((len(self.chunks) + 1) / (count + 1)) + 1.0

    def common_word(self, word: str) -> bool:
        """Whether an English word is a common word (a frequent JMdict gloss), not a name."""
        dictionary = self.dictionary
        return dictionary is not None and any(weight >= 0.7 for _, weight in dictionary.japanese(word.lower()))

    def other_forms(self, name: str) -> tuple[str, ...]:
        """A name's forms in the other script that the index may hold (Takasago -> 高砂)."""
        return name_forms(name, self.dictionary, self.lexical.knows,
                          lambda text: tokenize(text, self.lexical.tokenizer), romaji=self.lexical.spelled,
                          vocabulary=VOCABULARY if self.settings.hand_vocabulary else None, reading=reading,
                          only_known=False, sounds=self._sounds, kanji_spellings=self._kanji_spellings)

    def _kanji_spellings(self, name: str) -> tuple[str, ...]:
        if not self.settings.kanji_readings:
            return ()
        return self.lexical.kanji_spellings(name)

    def _sounds(self, name: str) -> tuple[str, ...]:
        if not self.settings.transliterate:
            return ()
        table = self.lexical.sounds
        if name.isascii():
            return table.katakana_for(name)
        return table.latin_for(name) + table.longer_katakana(name)
