"""Line breaking for WeasyPrint 70.0: a hanging space must not force a hyphen, and no
more than two hyphenated lines in a row.

When a text run ends in a space because an inline element follows (`… over to <span>`),
Pango lays the run out on one line and lets the space hang past the edge, but
`split_first_line` measures the line with that space. Finding it "too wide", it goes
on to hyphenate the run's *first* word, and the paragraph gets a line holding only
`dissatis‐` (seen in note 238 of the sample). The fix: when the run without its trailing
spaces fits, lay it out unconstrained; the inline layout already discounts trailing
spaces when it checks for overflow, and breaks the following element as usual.

No ladders: WeasyPrint has no `hyphenate-limit-lines`. `iter_line_boxes` below wraps
upstream's line iterator of a block: when the block's two previous lines both end in a
hyphen, its next line is laid out with `hyphens: manual` (soft hyphens only, the words
it holds break at spaces or at explicit hyphens), as `hyphenate-limit-lines: 2` asks.
The count runs over the lines of one block as one `_linebox_layout` lays them out.

No abbreviation is divided (Chicago 7.40): a word with a capital after its first letter
(USAREUR, FedRep, NATO's) gets no automatic hyphen; WeasyPrint creates its Pyphen
dictionaries in `context.dictionaries`, and every one stored there is wrapped
(`_Dictionaries`) to offer such a word no break.

It replaces `weasyprint.layout.inline.split_first_line` (the name the inline layout
calls) and the ported line layout's `iter_line_boxes` inside
`edition.layout.engine.patched()` only.
"""

from __future__ import annotations

from math import inf

import pyphen
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline as wp_inline

# WeasyPrint's own functions, captured before anything is patched.
STOCK = {"split_first_line": wp_inline.split_first_line,
         "iter_line_boxes": wp_inline.iter_line_boxes}

# Hyphenated lines allowed in a row (Chicago: two).
HYPHENATE_LIMIT_LINES = 2
# What a line ends with when it ends in a word broken across lines: WeasyPrint's
# hyphenate character (U+2010 by default) or an explicit hyphen.
HYPHENS = ("\u2010", "-", "\xad")

# Set while the line after a ladder is laid out: split_first_line then hyphenates
# nothing. Only the generator below sets it, for the one line.
_no_auto_hyphens = False

# Spaces that collapse, so that a browser lets them hang at a line end.
_COLLAPSING = ("normal", "nowrap", "pre-line")


class _WholeAbbreviations:
    """A Pyphen dictionary that offers no break in an abbreviation."""

    def __init__(self, dictionary):
        self.dictionary = dictionary

    def iterate(self, word: str):
        if any(c.isupper() for c in word[1:]):
            return iter(())
        return self.dictionary.iterate(word)


class _Dictionaries(dict):
    """`context.dictionaries`, whose dictionaries keep abbreviations whole. WeasyPrint
    looks one up with `get` and makes it itself when missing (`split_first_line`:
    `Pyphen(lang, left, right)` for the key `(lang, left, right, total)`); it is made
    here instead, so that the first word it hyphenates is filtered too."""

    def get(self, key, default=None):
        if key not in self:
            lang, left, right, _total = key
            self[key] = _WholeAbbreviations(pyphen.Pyphen(lang=lang, left=left, right=right))
        return super().get(key, default)


def split_first_line(text, style, context, max_width, justification_spacing,
                     is_line_start=True, minimum=False):
    original = STOCK["split_first_line"]
    if not isinstance(context.dictionaries, _Dictionaries):
        context.dictionaries = _Dictionaries(
            (key, _WholeAbbreviations(value)) for key, value in context.dictionaries.items())
    if _no_auto_hyphens and style["hyphens"] == "auto":
        style = style.copy()
        style["hyphens"] = "manual"
    stripped = text.rstrip(" ")
    if (max_width not in (None, inf) and stripped and stripped != text
            and style["white_space"] in _COLLAPSING):
        fits = original(stripped, style, context, max_width, justification_spacing,
                        is_line_start, minimum)
        if fits[2] is None and fits[3] <= max_width:
            return original(text, style, context, inf, justification_spacing,
                            is_line_start, minimum)
    return original(text, style, context, max_width, justification_spacing,
                    is_line_start, minimum)


def iter_line_boxes(context, box, *args, **kwargs):
    """Upstream's lines of `box`, the one after two hyphenated lines without hyphenation."""
    global _no_auto_hyphens
    lines = STOCK["iter_line_boxes"](context, box, *args, **kwargs)
    run = 0
    while True:
        saved = _no_auto_hyphens
        _no_auto_hyphens = run >= HYPHENATE_LIMIT_LINES
        try:
            line, resume_at = next(lines)
        except StopIteration:
            return
        finally:
            _no_auto_hyphens = saved
        run = run + 1 if ends_hyphenated(line) else 0
        yield line, resume_at


def ends_hyphenated(line) -> bool:
    """Whether a laid-out line's last text ends in a hyphen (a word broken there)."""
    text = ""
    for child in line.descendants():
        if isinstance(child, boxes.TextBox) and child.text.strip():
            text = child.text
    return text.rstrip().endswith(HYPHENS)
