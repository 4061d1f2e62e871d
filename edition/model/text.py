"""The one way to flatten inlines to their words (running heads, contents, checks)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from edition.model.nodes import Apparatus, Emph, Inline, LineBreak, NameRef, Ref, Span, Strong, Text


def plain_text(inlines: Iterable[Inline], line_break: str = "\n", *,
               one_line: bool = False,
               name: Callable[[NameRef], str] | None = None) -> str:
    """The words of inlines without markup or note calls.

    `one_line` collapses every run of white space to one space and trims the ends (for
    attributes, running heads and contents lines). `name`, when given, stands in for the
    text of each NameRef (the register's check replaces known names by a placeholder).
    """
    text = _flatten(inlines, line_break, name)
    return re.sub(r"\s+", " ", text).strip() if one_line else text


def _flatten(inlines: Iterable[Inline], line_break: str,
             name: Callable[[NameRef], str] | None) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append(line_break)
        elif isinstance(node, NameRef) and name is not None:
            parts.append(name(node))
        elif isinstance(node, Emph | Strong | Span | Ref | NameRef | Apparatus):
            # An apparatus entry flattens to its lemma: titles, heads, search text.
            parts.append(_flatten(node.children, line_break, name))
    return "".join(parts)


# What a reading may do to the lemma (TEI `rdg/@type`, Markdown `.kind`): printed as a
# label (`om.`, `add.`, …); other types are kept in the model.
READING_KINDS = ("omission", "addition", "transposition", "illegible", "lacuna")


def derive_kinds(entry: Apparatus) -> None:
    """An empty reading against words omits them; words against an empty lemma add them.
    One rule for every reader, so every format prints the same labels."""
    lemma = plain_text(entry.cited_words(), " ", one_line=True)
    for reading in entry.all_readings():
        if reading.kind in READING_KINDS:
            continue
        words = plain_text(reading.children, " ", one_line=True)
        if not words and lemma and not reading.remarks:
            reading.kind = "omission"
        elif words and not lemma:
            reading.kind = "addition"
