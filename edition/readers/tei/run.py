"""Running text and the elements that break it: mixed content → paragraphs and blocks.

TEI lets a list, a table or a block quote stand inside a `<p>`; the model does not. A Run
collects text and inline children into one paragraph and, at each block child, closes
that paragraph and lets the block rules read the child.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from edition.model import Block, Heading, Inline, Paragraph, Pos, Text, Verse
from edition.readers.tei.apparatus import holds_blocks
from edition.readers.tei.whitespace import _tidy, _visible
from edition.readers.tei.xml import _children, _local

if TYPE_CHECKING:
    from edition.readers.tei.reader import TeiReader

# Builds the paragraph for a run of inlines; `first` is False after a block inside it.
MakeParagraph = Callable[[list[Inline], Pos, bool], Paragraph]

# Elements that stand as blocks wherever they occur (a list inside a <p> splits the <p>).
ALWAYS_BLOCK = frozenset({
    "list", "listBibl", "table", "lg", "sp", "figure", "div", "head", "dateline", "opener",
    "closer", "salute", "signed", "byline", "docAuthor", "trailer", "postscript", "ab",
    "stage", "p", "argument", "epigraph", "listPerson", "docDate", "titlePage",
    "attachment"})
# Elements that are blocks when they stand in a division, inlines inside running text.
# A `seg` standing in an opener or closer is one of its lines (a printed letterhead's).
BLOCK_IN_DIVISION = frozenset({"quote", "cit", "bibl", "l", "label", "q", "said", "seg"})


def is_block(el: etree._Element, in_division: bool) -> bool:
    """Whether `el` is read as blocks (else as inlines of the surrounding run)."""
    name = _local(el)
    if name in ALWAYS_BLOCK:
        return True
    if name == "note":
        # A source note the series prints where it stands (FRUS `rend="inline"`:
        # "[Enclosure 1]", a file number under the title), between blocks.
        return in_division and is_inline_source(el)
    if name == "app":
        # A critical entry whose lemma is whole verse lines or paragraphs.
        return holds_blocks(el)
    if name == "quote":
        rend = el.get("rend", "")
        return ("block" in rend or in_division
                or any(_local(c) in ("p", "lg", "list", "table") for c in _children(el)))
    return name in BLOCK_IN_DIVISION and in_division


def is_inline_source(el: etree._Element) -> bool:
    return el.get("type") == "source" and "inline" in el.get("rend", "").split()


def _join_verse(before: list[Block], blocks: list[Block]) -> list[Block]:
    """Verse lines standing one after another (`l` siblings, not in an `lg`) are one
    passage of verse: the first of `blocks` joins a verse just before it."""
    if blocks and before and isinstance(blocks[0], Verse) and isinstance(before[-1], Verse):
        last, first = before[-1], blocks[0]
        numbers = [*last.numbers, *[""] * (len(last.lines) - len(last.numbers))]
        last.numbers = numbers + [*first.numbers,
                                  *[""] * (len(first.lines) - len(first.numbers))]
        last.lines.extend(first.lines)
        return blocks[1:]
    return blocks


def _default_paragraph(inlines: list[Inline], pos: Pos, first: bool) -> Paragraph:
    return Paragraph(inlines, pos)


class Run:
    """Collects running text into paragraphs and passes block children to the reader."""

    def __init__(self, reader: TeiReader, paragraph: MakeParagraph | None = None):
        self.reader = reader
        self.paragraph = paragraph or _default_paragraph
        self.blocks: list[Block] = []
        self.run: list[Inline] = []
        self.run_pos: Pos | None = None
        self.pending: list[Inline] = []  # markers between blocks, kept for the next text
        self.first = True
        self.default_pos = Pos(reader.file)

    def start(self, el: etree._Element) -> None:
        self.default_pos = self.reader.pos(el)
        if el.text:
            self.run.append(Text(el.text))

    def child(self, el: etree._Element, in_division: bool) -> None:
        if is_block(el, in_division):
            self.flush()
            blocks = self.reader.block(el)
            # A page break or anchor just before a block belongs to the block's first line.
            if self.pending and blocks and isinstance(blocks[0], Paragraph | Heading):
                blocks[0].inlines[:0] = self.pending
                self.pending = []
            self.blocks.extend(_join_verse(self.blocks, blocks))
            self.first = False
        else:
            if self.run_pos is None:
                self.run_pos = self.reader.pos(el)
            self.run.extend(self.reader.inline(el))

    def flush(self) -> None:
        inlines = _tidy(self.run)
        self.run = []
        pos, self.run_pos = self.run_pos or self.default_pos, None
        if not _visible(inlines):
            self.pending.extend(n for n in inlines if not isinstance(n, Text))
            return
        self.blocks.append(self.paragraph(self.pending + inlines, pos, self.first))
        self.pending = []
        self.first = False

    def finish(self) -> list[Block]:
        self.flush()
        if self.pending:
            last = next((b for b in reversed(self.blocks) if isinstance(b, Paragraph)), None)
            if last is not None:
                last.inlines.extend(self.pending)
            else:
                self.blocks.append(Paragraph(self.pending, self.default_pos))
        return self.blocks
