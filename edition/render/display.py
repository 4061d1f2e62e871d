"""Display text (title pages, contents) cut into runs that must not break inside.

A display line turns over by sense: never inside a year range ("1955–1957", which
Pango would break after the dash) nor inside a person's name. The templates set each
kept run in a `.keep` span (styles/base.css: `white-space: nowrap`).
"""

from __future__ import annotations

import re

__all__ = ["Run", "display_runs"]

# A run of text and whether it must stay on one line.
Run = tuple[str, bool]

# A range of numbers (years, pages, documents) joined by an en dash or a hyphen.
_RANGE = re.compile(r"\d+\s?[\u2013\u2014-]\s?\d+")


def display_runs(text: str) -> list[Run]:
    """`"Relations, 1955–1957"` → `[("Relations, ", False), ("1955–1957", True)]`."""
    runs: list[Run] = []
    at = 0
    for match in _RANGE.finditer(text):
        if match.start() > at:
            runs.append((text[at:match.start()], False))
        runs.append((match.group(), True))
        at = match.end()
    if at < len(text):
        runs.append((text[at:], False))
    return runs

