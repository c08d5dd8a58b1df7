"""A Japanese-English dictionary (JMdict and JMnedict) in a compact, indexed file.

Design choice: the `jamdict-data` package ships JMdict and JMnedict as a 311 MB
SQLite database whose English lookups take about a second through jamdict. qa reads
it once, on first use (or `qa prepare`, which `make install`
runs), into a small SQLite file of its own in the user's cache folder: Japanese
form -> English glosses, English gloss -> Japanese forms (with a weight from the
entry's frequency marks and the sense's rank), and names with their romanizations.
Each table is indexed on the column looked up, so a lookup is one B-tree search of
a file the operating system pages in: the resident cost is SQLite's page cache, not
the dictionary. Without `jamdict-data` the dictionary is simply absent (`load()`
returns None) and qa searches without translations.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import sqlite3
import threading
import unicodedata
from pathlib import Path

DICTIONARY_VERSION = 2
# English glosses longer than this (in words) are definitions, not translations.
_MAX_GLOSS_WORDS = 4
# JMdict frequency marks: common words first.
_COMMON = ("news1", "ichi1", "spec1", "gai1")
_FREQUENT = ("news2", "ichi2", "spec2", "gai2")
_PARENTHESES = re.compile(r"\([^)]*\)")
_KATAKANA = re.compile("[\u30a0-\u30ff]+")
_LEADING = re.compile(r"^(?:to be |to |a |an |the )")
# Name types of JMnedict that romanize a reading (not places' translations).
_PERSON_TYPES = ("surname", "given", "fem", "masc", "person", "unclass")


def clean_gloss(gloss: str) -> str:
    """A gloss as a lookup key: lower case, without parenthesized notes or a leading
    "to"/article ("(diplomatic) memorandum" -> "memorandum", "to land" -> "land")."""
    key = _PARENTHESES.sub(" ", gloss.lower())
    key = " ".join(key.replace("'", "'").split())
    return _LEADING.sub("", key).strip(" .,;")


def cache_folder() -> Path:
    configured = os.environ.get("QA_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qa"


def source_path() -> Path | None:
    """jamdict-data's database, or None when that package is not installed."""
    try:
        import jamdict_data
    except ImportError:
        return None
    path = Path(jamdict_data.JAMDICT_DB_PATH)
    return path if path.is_file() else None


def compact_path(source: Path) -> Path:
    """The cache file for `source`, named by its size and jamdict-data's version, not
    its time: every fresh install (a new clone's venv) has a new modification time,
    and naming by it left one more 151 MB copy in the cache per clone."""
    try:
        from importlib.metadata import version
        release = version("jamdict-data")
    except Exception:  # not installed as a distribution: the time is all there is
        release = str(int(source.stat().st_mtime))
    stamp = f"{source.stat().st_size}-{release}"
    return cache_folder() / f"dictionary-v{DICTIONARY_VERSION}-{stamp}.sqlite"


def _priority_weight(tags: str | None) -> float:
    tags = tags or ""
    if any(tag in tags for tag in _COMMON):
        return 1.0
    if any(tag in tags for tag in _FREQUENT) or "nf" in tags:
        return 0.7
    return 0.4


def build_compact(source: Path, target: Path) -> None:
    """Write the compact dictionary for `source` (jamdict's database) to `target`,
    atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".{os.getpid()}.partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(partial)
    try:
        writer.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE gloss (form TEXT NOT NULL, english TEXT NOT NULL, rank INTEGER NOT NULL);
            CREATE TABLE word (english TEXT NOT NULL, form TEXT NOT NULL, weight REAL NOT NULL);
            CREATE TABLE name (form TEXT NOT NULL, latin TEXT NOT NULL, kind TEXT NOT NULL);
        """)
        # The forms of each entry: its kanji spellings; its kana spellings only when it
        # has no kanji or they are katakana (ランディング), since releases write a
        # kanji word in kanji and a hiragana reading (ちゃくりく) would only add noise.
        forms: dict[int, list[tuple[str, str | None]]] = {}
        for table, priority_table in (("Kanji", "KJP"), ("Kana", "KNP")):
            rows = reader.execute(
                f"SELECT f.idseq, f.text, group_concat(p.text, ' ') FROM {table} f "
                f"LEFT JOIN {priority_table} p ON p.kid = f.ID GROUP BY f.ID ORDER BY f.ID")
            for idseq, text, tags in rows:
                text = unicodedata.normalize("NFKC", text)
                if table == "Kana" and idseq in forms and not _KATAKANA.fullmatch(text):
                    continue
                forms.setdefault(idseq, []).append((text, tags))
        senses = reader.execute(
            "SELECT s.idseq, s.ID, g.text FROM Sense s JOIN SenseGloss g ON g.sid = s.ID "
            "WHERE g.lang = 'eng' ORDER BY s.idseq, s.ID, g.rowid")
        gloss_rows, word_rows = [], {}
        current, sense_rank, last_sense = None, -1, None
        for idseq, sense, text in senses:
            if idseq != current:
                current, sense_rank, last_sense = idseq, -1, None
            if sense != last_sense:
                sense_rank, last_sense = sense_rank + 1, sense
            key = clean_gloss(text)
            if not key:
                continue
            for form, tags in forms.get(idseq, ()):
                gloss_rows.append((form, key, sense_rank))
                if len(key.split()) <= _MAX_GLOSS_WORDS:
                    weight = _priority_weight(tags) / (1 + sense_rank)
                    pair = (key, form)
                    word_rows[pair] = max(weight, word_rows.get(pair, 0.0))
        writer.executemany("INSERT INTO gloss VALUES (?, ?, ?)", gloss_rows)
        writer.executemany("INSERT INTO word VALUES (?, ?, ?)",
                           ((english, form, weight) for (english, form), weight in word_rows.items()))
        names = reader.execute(
            "SELECT f.text, g.text, group_concat(t2.text, ' ') FROM ("
            "  SELECT idseq, text FROM NEKanji UNION ALL SELECT idseq, text FROM NEKana) f "
            "JOIN NETranslation t ON t.idseq = f.idseq JOIN NETransGloss g ON g.tid = t.ID "
            "LEFT JOIN NETransType t2 ON t2.tid = t.ID GROUP BY f.text, g.text")
        writer.executemany("INSERT INTO name VALUES (?, ?, ?)",
                           ((unicodedata.normalize("NFKC", form), latin, kinds or "")
                            for form, latin, kinds in names))
        writer.executescript("""
            CREATE INDEX gloss_form ON gloss(form);
            CREATE INDEX word_english ON word(english);
            CREATE INDEX name_form ON name(form);
            CREATE INDEX name_latin ON name(latin COLLATE NOCASE);
        """)
        writer.commit()
    finally:
        reader.close()
        writer.close()
    os.replace(partial, target)


class Dictionary:
    """Lookups in the compact dictionary file. Safe to share between threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                         check_same_thread=False)
            self._local.connection = connection
        return connection

    @functools.lru_cache(maxsize=65536)
    def english(self, form: str, senses: int = 3) -> tuple[str, ...]:
        """English glosses of a Japanese word, first sense first ("着陸" -> landing, ...)."""
        rows = self._connection().execute(
            "SELECT english, min(rank) FROM gloss WHERE form = ? AND rank < ? GROUP BY english ORDER BY 2, rowid",
            (form, senses))
        return tuple(english for english, _ in rows)

    @functools.lru_cache(maxsize=65536)
    def japanese(self, english: str) -> tuple[tuple[str, float], ...]:
        """Japanese words glossed exactly as `english` ("landing" -> 着陸, ...), with a
        weight in (0, 1]: common words and first senses weigh most."""
        rows = self._connection().execute(
            "SELECT form, max(weight) FROM word WHERE english = ? GROUP BY form ORDER BY 2 DESC, form",
            (clean_gloss(english),))
        return tuple((form, float(weight)) for form, weight in rows)

    @functools.lru_cache(maxsize=65536)
    def romanizations(self, form: str) -> tuple[str, ...]:
        """How JMnedict romanizes a name written `form` (袴田 -> Hakamata, Hakamada, ...)."""
        rows = self._connection().execute(
            "SELECT latin FROM name WHERE form = ? ORDER BY rowid", (form,))
        return tuple(latin for (latin,) in rows)

    @functools.lru_cache(maxsize=65536)
    def form_weight(self, form: str) -> float:
        """How common a Japanese word is (1.0: JMdict marks it common; 0.0: unknown)."""
        row = self._connection().execute("SELECT max(weight) FROM word WHERE form = ?", (form,)).fetchone()
        return float(row[0] or 0.0)

    @functools.lru_cache(maxsize=65536)
    def name_kinds(self, form: str) -> tuple[tuple[str, str], ...]:
        """JMnedict's romanizations of a name written `form`, each with its kinds
        (surname, given, fem, masc, person, place, company, ...; space-separated)."""
        rows = self._connection().execute(
            "SELECT latin, kind FROM name WHERE form = ? ORDER BY rowid", (form,))
        return tuple((latin, " ".join(sorted(set(kind.split())))) for latin, kind in rows)

    @functools.lru_cache(maxsize=65536)
    def name_forms(self, latin: str) -> tuple[str, ...]:
        """Japanese spellings of a romanized name (Mitsubishi -> 三菱, ...)."""
        rows = self._connection().execute(
            "SELECT DISTINCT form FROM name WHERE latin = ? COLLATE NOCASE ORDER BY rowid", (latin,))
        return tuple(form for (form,) in rows)

    def knows(self, form: str) -> bool:
        return bool(self.english(form)) or bool(self.romanizations(form))


_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _load(path: str | None) -> Dictionary | None:
    source = source_path()
    if source is None:
        return None
    target = Path(path) if path else compact_path(source)
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.with_name(target.name + ".lock"), "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # one process builds; the others wait
            if not target.is_file():
                build_compact(source, target)
    return Dictionary(target)


def load(path: str | None = None) -> Dictionary | None:
    """The dictionary, built into the cache folder on first use; None when the
    `jamdict-data` package is not installed."""
    with _lock:
        return _load(path)

