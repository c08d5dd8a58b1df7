"""What a reader sees of a Markdown release: its text without the markup.

Design choice: a .md release is read as it renders, line by line, with no Markdown
library: heading marks (#), emphasis (**bold**, __bold__, *it*), list bullets, quote
marks (>), rules (---), link and image syntax ([text](url) gives text) and table
pipes are taken off, so quotes never show `**` or `#` (a new-user session found
them in quoted passages). Everything else stays as written, line breaks included,
so pages, offsets and titles work as for a .txt file (whose line joining then applies:
list items without end punctuation read as one line, as in a .txt file). Code spans keep their text.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")


def visible_text(markdown: str) -> str:
    """The text a reader of the rendered Markdown sees, one output line per input line
    (a rule or a table's separator row gives an empty line)."""
    return "\n".join(_visible_line(line) for line in markdown.split("\n"))


def _visible_line(line: str) -> str:
    if _RULE.match(line) or _TABLE_SEPARATOR.match(line) and "-" in line:
        return ""
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(1)
    line = _QUOTE.sub("", line)
    line = _BULLET.sub(r"\1", line)
    if line.strip().startswith("|") and line.strip().endswith("|"):
        line = "  ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    return _EMPHASIS.sub(lambda match: match.group(1) or match.group(2), line)
