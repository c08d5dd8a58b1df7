"""Quantities a question states, found again in a passage whatever the notation.

Design choice: a question that states a quantity ("about 1.4 million km", 50億円)
points at the sentence that states the same quantity, often in the other language's
notation (約140万km). Numbers are read with their multipliers (million, billion,
thousand; 万, 億, 千) into plain values, and two texts share a quantity when they
share a value. Years and small counts say too little and are left out: a value must
have a multiplier, a decimal or thousands separator, or be at least 100 and not look
like a year.
"""

from __future__ import annotations

import functools
import re

_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(\.\d+)?\s*(million|billion|thousand|trillion|万|億|千|兆)?",
                     re.IGNORECASE)
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "千": 1e3, "万": 1e4, "億": 1e8,
                "兆": 1e12}


@functools.lru_cache(maxsize=8192)
def quantities(text: str) -> frozenset[float]:
    """The telling quantities of `text`, as values (1.4 million and 140万 are 1400000)."""
    found = set()
    for match in _NUMBER.finditer(text):
        digits, fraction, multiplier = match.group(1), match.group(2) or "", match.group(3)
        value = float(digits.replace(",", "") + fraction)
        digits += fraction
        if multiplier:
            value *= _MULTIPLIERS[multiplier.lower()]
        elif "," not in digits and "." not in digits and (value < 100 or (1900 <= value <= 2100 and len(digits) == 4)):
            continue
        found.add(round(value, 3))
    return frozenset(found)


def shares_quantity(question_values: frozenset[float], text: str) -> bool:
    return bool(question_values) and bool(question_values & quantities(text))
