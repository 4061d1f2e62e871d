"""XML white space → model text: what a browser would print of pretty-printed TEI.

Indentation and line ends in the source are not spaces the author typed: runs collapse
to one space, and a block's ends, the space before a line break and the space before a
note call are trimmed, looking through markers and styled runs.
"""

from __future__ import annotations

from edition.model import (
    Apparatus,
    Emph,
    IndexAnchor,
    Inline,
    LineBreak,
    NameRef,
    NoteCall,
    PageMarker,
    Ref,
    Span,
    Strong,
    Text,
    walk,
)
from edition.readers.tei.xml import WS

# Inlines whose children are part of the same run of text (an apparatus entry's are
# its lemma, which the text prints).
STYLED = (Emph, Strong, Span, NameRef, Ref, Apparatus)


def _tidy(inlines: list[Inline]) -> list[Inline]:
    """Collapse XML whitespace as a browser would and trim it at the block's ends."""
    state = [True]  # "the last printed character was a space (or the block start)"
    out = _collapse(inlines, state)
    _rstrip(out)
    return out


def _collapse(inlines: list[Inline], state: list[bool]) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            _append_text(out, node.text, state)
        elif isinstance(node, LineBreak):
            _rstrip(out)
            out.append(node)
            state[0] = True
        elif isinstance(node, NoteCall):
            # Indentation before a note in pretty-printed XML is not a space before the call.
            _rstrip(out)
            out.append(node)
            state[0] = False
        elif isinstance(node, STYLED):
            node.children = _collapse(node.children, state)
            # An empty reference or name still carries its target; an empty lemma its
            # readings (an addition).
            if node.children or isinstance(node, NameRef | Ref | Apparatus):
                out.append(node)
        else:
            out.append(node)
    return out


def _append_text(out: list[Inline], raw: str, state: list[bool]) -> None:
    """Add collapsed text to the run, merged into a Text it follows."""
    text = WS.sub(" ", raw)
    if state[0] and text.startswith(" "):
        text = text[1:]
    if not text:
        return
    state[0] = text.endswith(" ")
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + text)
    else:
        out.append(Text(text))


def _rstrip(inlines: list[Inline]) -> None:
    """Trim trailing whitespace, looking through invisible markers and styled runs."""
    i = len(inlines) - 1
    while i >= 0:
        node = inlines[i]
        if isinstance(node, Text):
            node.text = node.text.rstrip(" ")
            if node.text:
                return
            del inlines[i]
        elif isinstance(node, STYLED):
            _rstrip(node.children)
            if node.children:
                return
        elif not isinstance(node, PageMarker | IndexAnchor | NoteCall):
            return
        i -= 1


def _visible(inlines: list[Inline]) -> bool:
    """Whether a run prints anything (markers alone do not make a paragraph)."""
    return any(isinstance(node, NoteCall | LineBreak)
               or (isinstance(node, Text) and bool(node.text.strip()))
               for node in walk.inlines(inlines))
