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
