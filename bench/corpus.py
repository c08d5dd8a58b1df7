"""A real Japanese benchmark corpus: Debian's manpages-ja, roff markup stripped.

`apt-get install manpages-ja` provides ~1,100 Japanese manual pages. Each page
becomes one .txt release-like document (its first line a title), written to a
folder the caller names.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

MANPAGES = Path("/usr/share/man/ja")
_ESCAPES = re.compile(r"\\f[BIRP]|\\f\(..|\\\(..|\\[-&e|^]|\\s[+-]?\d")


def manpage_text(path: Path) -> str:
    lines = []
    for line in gzip.open(path, "rt", encoding="utf-8", errors="replace"):
        if line.startswith((".\\\"", "'\\\"")):
            continue
        if line.startswith("."):
            words = line.split(None, 1)
            if len(words) == 2 and words[0] in (".SH", ".SS", ".TH", ".B", ".I", ".BR", ".IR", ".IP", ".TP"):
                lines.append(words[1].replace('"', ""))
            continue
        lines.append(line)
    return _ESCAPES.sub("", "".join(lines)).strip()


def write_corpus(folder: Path, documents: int) -> list[Path]:
    if not MANPAGES.is_dir():
        raise SystemExit("the benchmark corpus needs Debian's manpages-ja: apt-get install manpages-ja")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(MANPAGES.rglob("*.gz")):
        text = manpage_text(source)
        if len(text) < 2000 or sum(1 for c in text if "\u3040" <= c <= "\u30ff") < 200:
            continue
        target = folder / (source.name[:-3].replace(".", "-") + ".txt")
        target.write_text(text, encoding="utf-8")
        written.append(target)
        if len(written) >= documents:
            break
    return written
