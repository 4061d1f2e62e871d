"""The note area's tiers: a critical apparatus above the footnotes.

WeasyPrint lays a page's notes out in the order their calls are met. An apparatus entry
(`.app-entry`, see edition/model/ids.py) goes instead after the page's other entries and
before its footnotes, so the entries run on as one paragraph at the head of the area and
the footnotes follow as their own tier, whatever the order of lemmas and calls.
"""

from __future__ import annotations

from typing import Any

from edition.model import ids


def first_tier(footnote: Any) -> bool:
    """Whether the note box is an apparatus entry."""
    element = getattr(footnote, "element", None)
    ident = element.get("id", "") if element is not None else ""
    return ident.startswith(ids.APPARATUS_ENTRY)


def place(notes: list[Any], footnote: Any) -> None:
    """Insert `footnote` into the page's notes at its tier's end."""
    if not first_tier(footnote):
        notes.append(footnote)
        return
    index = len(notes)
    while index and not first_tier(notes[index - 1]):
        index -= 1
    notes.insert(index, footnote)
