"""The note area's tiers: a critical apparatus above the footnotes, or below them.

WeasyPrint lays a page's notes out in the order their calls are met. A note of the first
tier goes instead after the page's other notes of that tier and before the rest, so the
tiers stand apart whatever the order of lemmas and calls. The first tier is the
apparatus's entries (`.app-entry`, see edition/model/ids.py) unless the HTML says
otherwise: with `[apparatus] tier = "below"` the footnotes carry `data-tier="1"`.
"""

from __future__ import annotations

from typing import Any

from edition.model import ids


def first_tier(footnote: Any) -> bool:
    """Whether the note box is of the first tier."""
    element = getattr(footnote, "element", None)
    if element is None:
        return False
    if element.get("data-tier"):
        return element.get("data-tier") == "1"
    return element.get("id", "").startswith(ids.APPARATUS_ENTRY)


def place(notes: list[Any], footnote: Any) -> None:
    """Insert `footnote` into the page's notes at its tier's end."""
    if not first_tier(footnote):
        notes.append(footnote)
        return
    index = len(notes)
    while index and not first_tier(notes[index - 1]):
        index -= 1
    notes.insert(index, footnote)
