"""Ten questions of our own about the texlive-lang-japanese manuals, asked of the
index that bench/texlive_build.py leaves in /tmp/qa-texlive-index.

Usage: python bench/texlive_questions.py [--index /tmp/qa-texlive-index]

For each question: the answer, its first citation (file, page) and whether it holds
the expected fact and cites the expected manual. The count is a first pass: read the
answers printed above it before quoting it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.loading import load_index  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="/tmp/qa-texlive-index")
    arguments = parser.parse_args()
    index = load_index(arguments.index)
    questions = [json.loads(line) for line in (ROOT / "bench" / "texlive_questions.jsonl").read_text().splitlines()
                 if line.strip()]
    right = 0
    for question in questions:
        answer = index.answer(question["q"])
        cited = [citation.hit.source for citation in answer.citations]
        fact = any(expected.lower() in answer.text.lower() for expected in question["expect"])
        source = any(question["source"] in name for name in cited)
        ok = answer.found and fact and source
        right += ok
        first = answer.citations[0].hit if answer.citations else None
        where = f"{first.source} p.{first.page_label}" if first else "no citation"
        print(f"[{'right' if ok else 'WRONG'}] {question['id']} {question['q']}\n    -> {answer.text[:220]!r}\n"
              f"    cites {where}; expected fact {'found' if fact else 'missing'}, "
              f"expected manual {'cited' if source else 'not cited'}")
    print(f"\n{right} of {len(questions)} answers right (found, holding the expected fact, citing the manual)")


if __name__ == "__main__":
    main()
