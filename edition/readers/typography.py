"""Typographic quotes by language, shared by the readers.

The Markdown reader lets markdown-it's smartquotes apply `QUOTES`; the TEI reader runs
`smart_quotes` over each block's text, carrying the previous character across inlines so a
quote opened in one element closes in the next.
"""

from __future__ import annotations

from typing import Any

from edition.model import Inline, LineBreak, Span, Text, walk

# Typographic quotes by language (double open/close, single open/close), as printed.
QUOTES = {"en": "“”‘’", "de": "„“‚‘", "hu": "„”»«", "pl": "„”«»", "ru": "«»„“",
          "cs": "„“‚‘", "fr": "«»‹›", "it": "«»“”", "es": "«»“”"}
# After these (or at the start of a run) a straight quote opens.
_OPENING_CONTEXT = frozenset(" \t\n([{<—–-/\u00a0“‘„‚«‹")


def quotes_for(lang: str) -> str:
    return QUOTES.get((lang or "en").split("-")[0].lower(), QUOTES["en"])


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
        elif isinstance(node, walk.CONTAINER_INLINES):
            _quote_inlines(node.children, quotes, previous)
        elif isinstance(node, LineBreak):
            previous[0] = " "
