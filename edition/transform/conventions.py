"""The transcription style: what prints of the source's interventions.

The readers keep every intervention as a span with a role (TEI `del`, `add`, `choice`
with its readings `sic`/`corr`, `abbr`/`expan`, `orig`/`reg`, `unclear`, `gap`); this
stage decides, by `[documents] transcription`, which of them print:

- `diplomatic` (the default): the text as written. Deletions stay (struck through),
  additions stay (between ↑ ↓), a choice prints the source's form (`sic`, `abbr`, `orig`).
- `reading`: the text as meant. Deletions go, additions are plain text, a choice prints
  the editor's form (`corr`, `expan`, `reg`).

How each role looks is base.css's. It runs before numbering, so that a note called
only in a deletion the reading text drops is no note of the volume.
"""

from __future__ import annotations

from edition.model import (
    IndexAnchor,
    Inline,
    NoteCall,
    PageMarker,
    Paragraph,
    Pos,
    Span,
    Volume,
    walk,
)

__all__ = ["STYLES", "apply_conventions"]

# The readings of a choice each style prefers, in order; the first one present prints.
STYLES = {
    "diplomatic": ("sic", "abbr", "orig", "corr", "expan", "reg", "seg", "unclear"),
    "reading": ("corr", "expan", "reg", "sic", "abbr", "orig", "seg", "unclear"),
}
# Roles the reading text leaves out, and those it prints as plain text.
_READING_DROPS = ("del",)
_READING_PLAIN = ("add",)


def apply_conventions(volume: Volume) -> None:
    """Resolve choices and deletions in every document and note by the volume's style."""
    style = volume.settings.transcription
    order = STYLES[style]

    def rule(node: Inline, pos: Pos | None) -> list[Inline] | None:
        if not isinstance(node, Span):
            return None
        if node.role == "choice":
            chosen = _choose(node.children, order)
            left = [r for r in node.children if not any(r is c for c in chosen)]
            return walk.rewrite_inlines(chosen, rule, pos) + _markers(left)
        if style == "reading" and node.role in _READING_DROPS:
            return _markers([node])
        if style == "reading" and node.role in _READING_PLAIN:
            return walk.rewrite_inlines(node.children, rule, pos)
        return None

    for doc in volume.documents:
        doc.title = walk.rewrite_inlines(doc.title, rule)
        for group in (doc.headnote, doc.body, doc.colophon,
                      *(note.blocks for note in doc.notes.values())):
            walk.rewrite_blocks(group, rule)


def _markers(dropped: list[Inline]) -> list[Inline]:
    """What a passage left out still carries: its note calls (a note on a deleted word
    is still the volume's note), original page breaks and index anchors."""
    return [n for n in walk.inlines([Paragraph(dropped)])
            if isinstance(n, NoteCall | PageMarker | IndexAnchor)]


def _choose(readings: list[Inline], order: tuple[str, ...]) -> list[Inline]:
    """The reading the style prefers (as its span, so its role is styled)."""
    spans = [r for r in readings if isinstance(r, Span)]
    for role in order:
        found = next((r for r in spans if r.role == role), None)
        if found is not None:
            return [found]
    return readings[:1]
