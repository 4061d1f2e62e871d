"""The one way to flatten inlines to their words (running heads, contents, checks)."""

from __future__ import annotations

import re
import unicodedata
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


def words(text: str) -> list[str]:
    """The words of a text as the apparatus compares them (the same word twice on one
    line, edition/pdf/lines.py): split at white space, the punctuation and symbols at
    either end of each stripped, soft hyphens dropped, in one Unicode form (NFC)."""
    found = []
    for token in unicodedata.normalize("NFC", text.replace("\u00ad", "")).split():
        start, end = 0, len(token)
        while start < end and unicodedata.category(token[start])[0] in "PS":
            start += 1
        while end > start and unicodedata.category(token[end - 1])[0] in "PS":
            end -= 1
        if start < end:
            found.append(token[start:end])
    return found


# The most characters a printed line holds (a wide measure in small type): a word farther
# than this from a lemma never stands on the lemma's line.
LINE_REACH = 150


def lemmas_near_their_word(runs: Iterable[Iterable[Inline]]) -> frozenset[int]:
    """The ids of the apparatus entries in the runs whose lemma is one word that occurs
    again within LINE_REACH characters of it: only these may share a printed line with
    their own word (each run is cut into lines of its own, as a verse's lines are)."""
    found: set[int] = set()
    for run in runs:
        parts: list[str] = []
        starts: list[tuple[Apparatus, int]] = []
        _flatten_marking(run, parts, starts, [0])
        text = "".join(parts)
        for node, start in starts:
            cited = words(plain_text(node.cited_words()))
            reach = text[max(0, start - LINE_REACH):start + LINE_REACH]
            if len(cited) == 1 and words(reach).count(cited[0]) > 1:
                found.add(id(node))
    return frozenset(found)


def _flatten_marking(inlines: Iterable[Inline], parts: list[str],
                     starts: list[tuple[Apparatus, int]], length: list[int]) -> None:
    """`_flatten`'s text, with where each apparatus entry's lemma starts in it."""
    for node in inlines:
        if isinstance(node, Apparatus):
            starts.append((node, length[0]))
        if isinstance(node, Text | LineBreak):
            text = node.text if isinstance(node, Text) else "\n"
            parts.append(text)
            length[0] += len(text)
        elif isinstance(node, Emph | Strong | Span | Ref | NameRef | Apparatus):
            _flatten_marking(node.children, parts, starts, length)


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
