"""A line-breaking fix for WeasyPrint 70.0: a hanging space must not force a hyphen.

When a text run ends in a space because an inline element follows (`… over to <span>`),
Pango lays the run out on one line and lets the space hang past the edge, but
`split_first_line` measures the line with that space. Finding it "too wide", it goes
on to hyphenate the run's *first* word, and the paragraph gets a line holding only
`dissatis‐` (seen in note 238 of the sample). The fix: when the run without its trailing
spaces fits, lay it out unconstrained; the inline layout already discounts trailing
spaces when it checks for overflow, and breaks the following element as usual.

It replaces `weasyprint.layout.inline.split_first_line` (the name the inline layout
calls) inside `edition.layout.engine.patched()` only.
"""

from __future__ import annotations

from math import inf

from weasyprint.layout import inline as wp_inline

# WeasyPrint's own function, captured before anything is patched.
STOCK = {"split_first_line": wp_inline.split_first_line}

# Spaces that collapse, so that a browser lets them hang at a line end.
_COLLAPSING = ("normal", "nowrap", "pre-line")


def split_first_line(text, style, context, max_width, justification_spacing,
                     is_line_start=True, minimum=False):
    original = STOCK["split_first_line"]
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
