"""Typographic text rules: quotes by language, shared by the readers; page references.

The Markdown reader lets markdown-it's smartquotes apply `QUOTES`; the TEI reader runs
`smart_quotes` over each block's text, carrying the previous character across inlines so a
quote opened in one element closes in the next. `page_reference_spaces` runs over the
model of every volume once it is read (readers.load_volume), whatever its sources.
"""

from __future__ import annotations

import re
from typing import Any

from edition.languages import primary
from edition.model import IndexAnchor, Inline, LineBreak, PageMarker, Span, Text, walk

# Typographic quotes by language (double open/close, single open/close), as printed.
QUOTES = {"en": "“”‘’", "de": "„“‚‘", "hu": "„”»«", "pl": "„”«»", "ru": "«»„“",
          "cs": "„“‚‘", "fr": "«»‹›", "it": "«»“”", "es": "«»“”", "el": "«»“”",
          "grc": "«»“”", "la": "“”‘’", "nl": "„”‚’", "uk": "«»„“", "da": "»«›‹",
          "sv": "””’’"}
# After these (or at the start of a run) a straight quote opens.
_OPENING_CONTEXT = frozenset(" \t\n([{<—–-/\u00a0“‘„‚«‹")


def quotes_for(lang: str) -> str:
    return QUOTES.get(primary(lang or "en"), QUOTES["en"])


def smart_quotes(text: str, quotes: str, previous: str = " ") -> str:
    """`"a" isn't 'b'` → `“a” isn’t ‘b’` with the language's quotes.

    A quote opens after white space, an opening bracket or dash; elsewhere it closes.
    A single quote between letters, or after a letter, is an apostrophe (’) whatever
    the language, as is one before a digit (`'56`).
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        before = out[-1] if out else previous
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"':
            out.append(quotes[0] if before in _OPENING_CONTEXT else quotes[1])
        elif ch == "'":
            if before.isalnum() or after.isdigit():
                out.append("’")
            else:
                out.append(quotes[2] if before in _OPENING_CONTEXT else quotes[3])
        else:
            out.append(ch)
    return "".join(out)


# Spans whose text is code-like (TEI `code`, `ident`, `gi`…): quotes stay straight there.
CODE_ROLES = frozenset({"code"})


def quote_runs(groups: tuple[list[Any], ...], quotes: str) -> None:
    """Make the straight quotes of every run of inlines in `groups` typographic."""
    for run, _, _ in walk.runs(*groups):
        _quote_inlines(run, quotes, [" "])


def _quote_inlines(run: list[Inline], quotes: str, previous: list[str]) -> None:
    for node in run:
        if isinstance(node, Text):
            if node.text:
                node.text = smart_quotes(node.text, quotes, previous[0])
                previous[0] = node.text[-1]
        elif isinstance(node, Span) and node.role in CODE_ROLES:
            previous[0] = "x"
        elif isinstance(node, Span) and node.lang:
            # A run in another language takes that language's quotation marks.
            _quote_inlines(node.children, quotes_for(node.lang), previous)
        elif isinstance(node, walk.CONTAINER_INLINES):
            _quote_inlines(node.children, quotes, previous)
        elif isinstance(node, LineBreak):
            previous[0] = " "


# ---------------------------------------------------------------- page references

NO_BREAK_SPACE = "\u00a0"
# "p. 12", "pp. 1717–1720", a newspaper's "p. A29", "pp. S16288–S16301": no line break
# between the abbreviation and its number (the match ends before the space) …
_PAGE_BEFORE = re.compile(r"(?<![\w.])pp?\.(?=\s(?:[A-Z]-?)?\d)")
# … and "1717 ff.", "12 f.": none between the number and the pages after it (the match
# is the space).
_PAGE_AFTER = re.compile(r"(?<=\d)\s(?=ff?\.|ff\b)")
# Stands in the joined text for an inline that ends a stretch of words (a note call, a
# line break, a code span): no rule reaches across it.
_BOUNDARY = "\x00"


def page_reference_spaces(groups: tuple[list[Any], ...]) -> None:
    """Tie page references in every run of inlines in `groups`: the space after `p.` or
    `pp.` before a number, and the one between a number and `f.` or `ff.`, become
    no-break spaces. A reference may span inlines (`pp. 1717` closing a link, ` ff.`
    after it): the rule reads the run's words as one text."""
    for run, _, _ in walk.runs(*groups):
        texts: list[Text | None] = []
        _stretch(run, texts)
        joined = "".join(_BOUNDARY if text is None else text.text for text in texts)
        places = [m.end() for m in _PAGE_BEFORE.finditer(joined)]
        places += [m.start() for m in _PAGE_AFTER.finditer(joined)]
        if places:
            _tie(texts, sorted(places))


def _stretch(run: list[Inline], out: list[Text | None]) -> None:
    """The run's texts in reading order, None where an inline interrupts its words."""
    for node in run:
        if isinstance(node, Text):
            out.append(node)
        elif isinstance(node, Span) and node.role in CODE_ROLES:
            out.append(None)
        elif isinstance(node, walk.CONTAINER_INLINES):
            _stretch(node.children, out)
        elif not isinstance(node, PageMarker | IndexAnchor):  # these print in no line
            out.append(None)


def _tie(texts: list[Text | None], places: list[int]) -> None:
    """A no-break space at each place (offsets into the joined text) of the texts."""
    start, wanted = 0, iter(places)
    place = next(wanted, None)
    for text in texts:
        length = 1 if text is None else len(text.text)
        while place is not None and place < start + length:
            if text is not None:
                offset = place - start
                text.text = text.text[:offset] + NO_BREAK_SPACE + text.text[offset + 1:]
            place = next(wanted, None)
        start += length
