"""The one walk over the model: reading order, for every stage after the readers.

Blocks hold blocks (lists, quotes, turns, attachments) and runs of inlines (paragraphs,
headings, verse lines, table cells, attachment titles); inlines hold inlines (emphasis,
spans, references, names). Everything here goes depth first in reading order, so a
note's number, a name's anchor and a turn's label come out the same whichever stage
asks. Notes are not inside the blocks that call them: `document_groups` and
`note_groups` name the parts of a document in the order a reader meets them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from edition.model.nodes import (
    Apparatus,
    Attachment,
    Block,
    Document,
    Emph,
    Heading,
    IndexAnchor,
    Inline,
    ListBlock,
    NameRef,
    Note,
    NoteCall,
    PageMarker,
    Paragraph,
    Pos,
    Quote,
    Ref,
    Span,
    SpeakerTurn,
    Strong,
    Table,
    Text,
    Verse,
)

BLOCK_TYPES = (Paragraph, Heading, ListBlock, Quote, Verse, Table, SpeakerTurn, Attachment)
# Inlines whose `children` are inlines of the same run (an apparatus entry's are its
# lemma: the text prints the lemma only, and so does everything that reads the text).
CONTAINER_INLINES = (Emph, Strong, Span, Ref, NameRef, Apparatus)
# What a run of text may hold and still print nothing of its own: the source's page
# markers and index anchors.
MARKS = (PageMarker, IndexAnchor)

N = TypeVar("N")
# A list of blocks or a list of inlines (a document's title is a run of inlines).
Group = list[Any]
Setter = Callable[[list[Inline]], None]


# ---------------------------------------------------------------- the parts of a document


def document_groups(doc: Document) -> tuple[Group, ...]:
    """The document's own parts in reading order: title, headnote, body, colophon."""
    return (doc.title, doc.headnote, doc.body, doc.colophon)


def notes_of(doc: Document) -> list[Note]:
    """The document's notes in the order they are defined."""
    return list(doc.notes.values())


def has_own_text(doc: Document) -> bool:
    """Whether the document prints words besides its title: in its headnote, its body
    or its colophon. A division that is only its head (perhaps with a note called from
    it, a page marker or an index anchor beside it) has none."""
    return any(isinstance(node, Text) and node.text.strip()
               for node in inlines(doc.headnote, doc.body, doc.colophon))


def marks_only(block: Block) -> bool:
    """Whether `block` is a paragraph of page markers and anchors alone (a TEI `pb`
    standing between two divisions): set in a paragraph of its own it prints nothing,
    and yet keeps the spaces around it from collapsing, a line's worth more."""
    return (isinstance(block, Paragraph) and bool(block.inlines)
            and all(isinstance(node, MARKS) for node in block.inlines))


def openings(documents: Sequence[Document]) -> list[Document | None]:
    """For each document, the one whose first page it opens, or None.

    A chapter with no text of its own (a part, a FRUS chapter or compilation: only its
    title) is an opening: it takes no page of its own but heads the page of what follows
    it, the next division's heading or the first document. Several openings in a row
    (a chapter, then its compilation) open the page of the first document after them.
    An opening that nothing follows (the volume's, or the selection's, last) opens
    nothing and stands as any chapter does.
    """
    out: list[Document | None] = [None] * len(documents)
    following: Document | None = None
    for index in reversed(range(len(documents))):
        doc = documents[index]
        if doc.kind == "chapter" and not has_own_text(doc):
            out[index] = following
        else:
            following = doc
    return out


# ---------------------------------------------------------------- blocks


def child_blocks(block: Block) -> list[list[Block]]:
    """The lists of blocks directly inside `block` (a list's items, a quote's blocks…)."""
    if isinstance(block, ListBlock):
        return block.items
    if isinstance(block, Quote | SpeakerTurn | Attachment):
        return [block.blocks]
    return []


def inline_runs(block: Block) -> Iterator[tuple[list[Inline], Setter]]:
    """Each run of inlines a block holds itself, with a function that replaces it."""
    if isinstance(block, Paragraph | Heading):
        yield block.inlines, lambda new: setattr(block, "inlines", new)
    elif isinstance(block, Verse):
        for i, line in enumerate(block.lines):
            yield line, lambda new, i=i: block.lines.__setitem__(i, new)
    elif isinstance(block, Table):
        # The caption is printed above the rows, so it is read (and its calls numbered)
        # first.
        yield block.caption, lambda new: setattr(block, "caption", new)
        for row in block.rows:
            for cell in row:
                yield cell.inlines, lambda new, cell=cell: setattr(cell, "inlines", new)
    elif isinstance(block, Attachment):
        yield block.title, lambda new: setattr(block, "title", new)


def blocks(*groups: Group) -> Iterator[Block]:
    """Every block in the groups and inside them, depth first (a block before its own)."""
    for group in groups:
        for item in group:
            if isinstance(item, BLOCK_TYPES):
                yield item
                for child in child_blocks(item):
                    yield from blocks(child)


def turns(*groups: Group) -> Iterator[SpeakerTurn]:
    return (b for b in blocks(*groups) if isinstance(b, SpeakerTurn))


# ---------------------------------------------------------------- inlines


def runs(*groups: Group, pos: Pos | None = None,
         ) -> Iterator[tuple[list[Inline], Setter | None, Pos | None]]:
    """Every run of inlines in reading order, with its setter and a position.

    The position is the run's block's, else the nearest enclosing block's, else `pos`.
    The inlines standing loose in a group (a title) are one run without a setter.
    """
    for group in groups:
        loose = [item for item in group if not isinstance(item, BLOCK_TYPES)]
        if loose:
            yield loose, None, pos
        for block in group:
            if isinstance(block, BLOCK_TYPES):
                here = getattr(block, "pos", None) or pos
                for run, setter in inline_runs(block):
                    yield run, setter, here
                for child in child_blocks(block):
                    yield from runs(child, pos=here)


def inlines(*groups: Group) -> Iterator[Inline]:
    """Every inline, depth first in reading order (a container before its children)."""
    for run, _, _ in runs(*groups):
        yield from _inline_tree(run)


def _inline_tree(run: Iterable[Inline]) -> Iterator[Inline]:
    for node in run:
        yield node
        if isinstance(node, CONTAINER_INLINES):
            yield from _inline_tree(node.children)


def of_type(kind: type[N], *groups: Group) -> list[N]:
    """Every inline of one type, in reading order."""
    return [node for node in inlines(*groups) if isinstance(node, kind)]


def calls(*groups: Group) -> list[NoteCall]:
    return of_type(NoteCall, *groups)


def texts(*groups: Group) -> list[Text]:
    return of_type(Text, *groups)


# ---------------------------------------------------------------- rewriting

# A rule sees one inline and the position of its block; it returns the inlines that
# replace it (and are not walked again), or None to keep it and walk its children.
Rule = Callable[[Inline, Pos | None], list[Inline] | None]


def rewrite_inlines(run: list[Inline], rule: Rule, pos: Pos | None = None) -> list[Inline]:
    """`run` with every inline the rule answers for replaced, depth first."""
    out: list[Inline] = []
    for node in run:
        replaced = rule(node, pos)
        if replaced is not None:
            out.extend(replaced)
            continue
        if isinstance(node, CONTAINER_INLINES):
            node.children = rewrite_inlines(node.children, rule, pos)
        out.append(node)
    return out


def rewrite_blocks(group: list[Block], rule: Rule, pos: Pos | None = None,
                   visit: Callable[[Block, Pos | None], None] | None = None) -> None:
    """Apply `rule` to every run of inlines in the blocks, in reading order, in place.

    A block without a position takes its parent's (`pos` for the top level). `visit`
    sees each block before its runs, so a stage can handle what is not an inline (a
    turn's speakers) at its place in the text.
    """
    for block in group:
        if not isinstance(block, BLOCK_TYPES):
            continue
        here = getattr(block, "pos", None) or pos
        if visit is not None:
            visit(block, here)
        for run, setter in inline_runs(block):
            setter(rewrite_inlines(run, rule, here))
        for child in child_blocks(block):
            rewrite_blocks(child, rule, here, visit)
