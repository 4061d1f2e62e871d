"""Block rules: one function per TEI element that stands as blocks, and their table.

In the style of markdown-it's rules, each rule takes the reader state and the element
and returns the blocks it stands for; `BLOCK_RULES` maps element names to rules, and an
element without a rule (`q`, `said` standing in a division) is one paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from edition.errors import EditionError
from edition.model import (
    Attachment,
    Block,
    Heading,
    IndexAnchor,
    Inline,
    LineBreak,
    ListBlock,
    PageMarker,
    Paragraph,
    Pos,
    Quote,
    Span,
    Speaker,
    SpeakerTurn,
    Strong,
    Table,
    TableCell,
    Text,
    Verse,
    plain_text,
)
from edition.readers.tei.apparatus import block_app
from edition.readers.tei.run import Run, is_inline_source
from edition.readers.tei.whitespace import _tidy
from edition.readers.tei.xml import _children, _descendants, _first, _key, _local, _text

if TYPE_CHECKING:
    from edition.readers.tei.reader import TeiReader

BlockRule = Callable[["TeiReader", etree._Element], list[Block]]

# Divisions inside a document printed as an enclosure with its own title.
ATTACHMENT_TYPES = ("attachment", "enclosure")
ALIGN = {"right": "right", "center": "center", "centre": "center", "left": "left",
         "flushleft": "left", "justify": "justify"}
SECTION_TITLE_RENDS = ("sectiontitle",)


def _heading(r: TeiReader, el: etree._Element, level: int) -> Heading:
    return Heading(min(level, 6), _tidy(r.inlines_of(el)), r.pos(el))


# ---------------------------------------------------------------- paragraphs


def block_p(r: TeiReader, el: etree._Element) -> list[Block]:
    rend = el.get("rend", "")
    if any(rend.startswith(s) for s in SECTION_TITLE_RENDS):
        return [_heading(r, el, r.depth + 1)]
    tokens = rend.split()
    align = next((ALIGN[t] for t in tokens if t in ALIGN), "justify")
    roles = [t for t in tokens if t not in ALIGN or t == "flushleft"]
    roles = ["noindent" if t == "flushleft" else t for t in roles]

    def make(inlines: list[Inline], pos: Pos, first: bool) -> Paragraph:
        extra = [] if first else ["noindent"]  # the text after a list inside a <p>
        if _is_subhead(inlines):
            extra.append("subhead")
        if any(isinstance(n, LineBreak) for n in inlines):
            extra.append("lines")  # every line after an <lb/> aligned with the first
        return Paragraph(inlines, pos, align, roles + extra)  # type: ignore[arg-type]
    return r.container_blocks(el, paragraph=make)


# A paragraph that is one short bold run (`<p><hi rend="strong">Enclosure</hi></p>`) is
# an in-text sub-heading: space above, kept with what follows (base.css `p.subhead`).
SUBHEAD_CHARS = 80


def _is_subhead(inlines: list[Inline]) -> bool:
    shown = [n for n in inlines if not isinstance(n, PageMarker | IndexAnchor)]
    return (len(shown) == 1 and isinstance(shown[0], Strong)
            and 0 < len(plain_text(shown, " ", one_line=True)) <= SUBHEAD_CHARS)


def _paragraphs(r: TeiReader, el: etree._Element, align: str = "justify",
                roles: list[str] | None = None) -> list[Block]:
    """The element's running text as paragraphs with one alignment and roles; an
    alignment the source gives (`rend="center"` on a salute, `right` on a line) wins
    over the element's usual one."""
    align = _rend_align(el) or align

    def make(inlines: list[Inline], pos: Pos, first: bool) -> Paragraph:
        lines = ["lines"] if any(isinstance(n, LineBreak) for n in inlines) else []
        return Paragraph(inlines, pos, align,  # type: ignore[arg-type]
                         [*(roles or []), *lines])
    return r.container_blocks(el, paragraph=make)


def _rend_align(el: etree._Element) -> str:
    """The alignment `@rend` (or `@rendition`'s plain words) gives the element, or ""."""
    words = (el.get("rend", "") + " " + el.get("rendition", "").replace("#", "")).split()
    return next((ALIGN[t] for t in words if t in ALIGN), "")


def block_dateline(r: TeiReader, el: etree._Element) -> list[Block]:
    return _paragraphs(r, el, align="right", roles=["dateline"])


def block_signed(r: TeiReader, el: etree._Element) -> list[Block]:
    return _paragraphs(r, el, align="right", roles=["signature"])


def block_with_role(r: TeiReader, el: etree._Element) -> list[Block]:
    """Salutations, bylines, stage directions…: paragraphs whose role is the element."""
    return _paragraphs(r, el, roles=[_local(el).lower()])


def block_line(r: TeiReader, el: etree._Element) -> list[Block]:
    """A `seg` standing as a line (a letterhead's): aligned as its `@rend` says, its
    type its role. A seg made of segs (a letterhead line with a left and a right part)
    is those lines: its parts are never glued into one word ("jour.Paris")."""
    roles = [el.get("type", "")] if el.get("type") else []
    if next(_children(el, "seg"), None) is not None:
        return r.container_blocks(el, in_division=True)
    return _paragraphs(r, el, align="left", roles=["noindent", *roles])


def block_container(r: TeiReader, el: etree._Element) -> list[Block]:
    """Openers, closers, postscripts…: their parts are blocks of their own."""
    return r.container_blocks(el, in_division=True)


def block_nothing(r: TeiReader, el: etree._Element) -> list[Block]:
    """A listPerson in the text was read with the persons: nothing to print."""
    return []


def block_paragraph(r: TeiReader, el: etree._Element) -> list[Block]:
    """Any other block element: its inline content as one paragraph."""
    return [Paragraph(_tidy(r.inlines_of(el)), r.pos(el))]


def block_head(r: TeiReader, el: etree._Element) -> list[Block]:
    return [_heading(r, el, r.depth + 1)]


def block_div(r: TeiReader, el: etree._Element) -> list[Block]:
    if el.get("type", "") in ATTACHMENT_TYPES:
        return block_attachment(r, el)
    return r.division_blocks(el)


def block_attachment(r: TeiReader, el: etree._Element) -> list[Block]:
    """An enclosure (`div type="attachment"`, FRUS `frus:attachment`, nested too) with
    its own title; the series' label before its head ("[Enclosure 1]") on a line of
    its own above the title, where the series prints it."""
    head = _first(el, "head")
    title = _tidy(r.inlines_of(head)) if head is not None else []
    children = list(_children(el))
    labels = [c for c in children[:children.index(head)]
              if _local(c) == "note" and is_inline_source(c)] if head is not None else []
    for label in reversed(labels):
        title[:0] = [Span("source-inline", _tidy(r.inlines_of(label))), LineBreak()]
    content = [c for c in children if c is not head and c not in labels]
    return [Attachment(title, r.blocks_of(content), r.pos(el))]


def block_inline_source(r: TeiReader, el: etree._Element) -> list[Block]:
    """A source note printed where it stands (a file number, "[Telegram]")."""
    return [Paragraph(_tidy(r.inlines_of(el)), r.pos(el), "right", ["source-inline"])]


def block_quote(r: TeiReader, el: etree._Element) -> list[Block]:
    return [Quote(r.container_blocks(el, in_division=True), r.pos(el))]


# ---------------------------------------------------------------- lists and tables


# `@rend` words that ask for bullets or numbers; without them a list is set plain.
BULLET_RENDS = ("bulleted", "bullets", "bullet", "disc", "dash", "circle", "square")
NUMBER_RENDS = ("numbered", "ordered", "decimal", "arabic")
# An item that begins with its own number or letter: `1.`, `(2)`, `a)`, `IV.`.
_OWN_NUMBER = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\([a-z]\)|[IVX]{1,5}\.)\s")
# Markers standing between items: they belong to the next item's first line.
_LIST_MARKERS = ("pb", "anchor", "milestone", "cb", "fw")


def block_list(r: TeiReader, el: etree._Element) -> list[Block]:
    """A list as the series sets it: bullets or numbers only where `@rend` asks.

    Persons, abbreviations and participants lists, and items that carry their own
    numbers, are plain lists (no marker, hanging indent). A `<pb/>` between items makes
    no item; an `<lb/>` between items is a gap before the next (participants' sides).
    """
    rend = f"{el.get('rend', '')} {el.get('type', '')}".lower()
    ordered = any(w in rend for w in NUMBER_RENDS)
    blocks: list[Block] = []
    head = _first(el, "head")
    if head is not None:
        blocks.append(Paragraph(_tidy(r.inlines_of(head)), r.pos(head), roles=["list-head"]))
    items: list[list[Block]] = []
    label: list[Inline] = []
    pending: list[Inline] = []
    gap = False
    for child in _children(el):
        name = _local(child)
        if name == "label":
            label = _tidy(r.inlines_of(child))
        elif name in _LIST_MARKERS:
            pending.extend(r.inline(child))
        elif name == "lb":
            gap = bool(items)
        elif name == "item":
            item = r.container_blocks(child)
            if label:
                _prefix(item, [Span("label", label), Text(" ")], r.pos(child))
                label = []
            if pending:
                _prefix(item, pending, r.pos(child))
                pending = []
            if gap and item and isinstance(item[0], Paragraph):
                item[0].roles.append("list-gap")
            gap = False
            items.append(item)
        elif name != "head":
            items.append(r.blocks_of([child]))
    if pending and items:
        _suffix(items[-1], pending)
    start = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
    own = bool(items) and all(_own_number(item) for item in items)
    bulleted = any(w in rend.split() for w in BULLET_RENDS)
    marker = "" if (bulleted or ordered) and not own else "none"
    blocks.append(ListBlock(ordered and not own, items, start, r.pos(el), marker))
    return blocks


def _own_number(item: list[Block]) -> bool:
    first = item[0] if item else None
    return isinstance(first, Paragraph) and bool(
        _OWN_NUMBER.match(plain_text(first.inlines, " ", one_line=True) + " "))


def _suffix(blocks: list[Block], inlines: list[Inline]) -> None:
    last = next((b for b in reversed(blocks) if isinstance(b, Paragraph)), None)
    if last is not None:
        last.inlines.extend(inlines)


def _prefix(blocks: list[Block], inlines: list[Inline], pos: Pos) -> None:
    """Put a list label before an item's first line (a paragraph of its own if need be)."""
    if blocks and isinstance(blocks[0], Paragraph):
        blocks[0].inlines[:0] = inlines
    else:
        blocks.insert(0, Paragraph(inlines, pos))


def block_list_bibl(r: TeiReader, el: etree._Element) -> list[Block]:
    items = [r.container_blocks(b) for b in _children(el) if _local(b) != "head"]
    return [ListBlock(False, items, 1, r.pos(el), "none")]


def block_table(r: TeiReader, el: etree._Element) -> list[Block]:
    rows: list[list[TableCell]] = []
    caption: list[Inline] = []
    for child in _children(el):
        name = _local(child)
        if name == "head":
            caption = _tidy(r.inlines_of(child))
        elif name == "row":
            header_row = child.get("role") == "label"
            rows.append([_cell(r, c, header_row) for c in _children(child, "cell")])
        else:
            r.unknown(child)
    return [Table(rows, caption, r.pos(el))]


# More columns than a page can hold (a column needs a few millimetres), and a row span
# beyond any table of an edition: a span is an allocation in the layout, so
# `cols="100000000"` would ask for gigabytes.
MAX_COLUMN_SPAN = 100
MAX_ROW_SPAN = 1000


def _cell(r: TeiReader, el: etree._Element, header_row: bool) -> TableCell:
    def span(attr: str) -> int:
        value = el.get(attr, "1").strip()
        number = int(value) if value.isascii() and value.isdigit() else 0
        limit = MAX_COLUMN_SPAN if attr == "cols" else MAX_ROW_SPAN
        if number > limit:
            raise EditionError(f"<cell {attr}=\"{value[:20]}\">: a cell spans at most "
                               f"{limit} {'columns' if attr == 'cols' else 'rows'}",
                               r.file, el.sourceline or 0)
        return number or 1
    return TableCell(_tidy(r.inlines_of(el)), header_row or el.get("role") == "label",
                     span("cols"), span("rows"))


# ---------------------------------------------------------------- verse, speech, figures


def block_lg(r: TeiReader, el: etree._Element) -> list[Block]:
    lines = list(_descendants(el, "l"))
    return [Verse([_tidy(r.inlines_of(line)) for line in lines], r.pos(el),
                  [line.get("n", "").strip() for line in lines])]


def block_l(r: TeiReader, el: etree._Element) -> list[Block]:
    return [Verse([_tidy(r.inlines_of(el))], r.pos(el), [el.get("n", "").strip()])]


def block_sp(r: TeiReader, el: etree._Element) -> list[Block]:
    speaker_el = _first(el, "speaker")
    speakers = _speakers(r, el, speaker_el)
    holder = Run(r)
    if speaker_el is not None and speaker_el.tail:
        holder.run.append(Text(speaker_el.tail))
    for child in _children(el):
        if child is speaker_el:
            continue
        holder.child(child, in_division=True)
        if child.tail:
            holder.run.append(Text(child.tail))
    return [SpeakerTurn(speakers, holder.finish(), r.pos(el))]


def _speakers(r: TeiReader, sp: etree._Element,
              speaker: etree._Element | None) -> list[Speaker]:
    """The turn's speakers: `@who` and the speaker's persNames, one label each if given."""
    label = _text(speaker).rstrip(":").strip() if speaker is not None else ""
    who = [_key(w) for w in sp.get("who", "").split()]
    if speaker is not None:
        who += [_key(p.get("corresp") or p.get("ref", ""))
                for p in _descendants(speaker, "persName")
                if p.get("corresp") or p.get("ref")]
    who = list(dict.fromkeys(w for w in who if w))
    for key in who:
        r.person_refs.append((key, r.pos(speaker if speaker is not None else sp)))
    labels = [part.strip() for part in label.split(",")] if len(who) > 1 else [label]
    if len(who) > 1 and len(labels) == len(who):
        return [Speaker(lab, key) for lab, key in zip(labels, who, strict=True)]
    return [Speaker(label, who[0] if len(who) == 1 else None)]


def block_figure(r: TeiReader, el: etree._Element) -> list[Block]:
    if next(_descendants(el, "graphic"), None) is not None:
        r.warn(el, "<figure> images are not supported; the caption is kept", "graphic")
    blocks: list[Block] = []
    for child in _children(el):
        name = _local(child)
        if name in ("head", "p"):
            blocks.append(Paragraph(_tidy(r.inlines_of(child)), r.pos(child),
                                    roles=["caption"]))
        elif name not in ("figDesc", "graphic"):
            blocks.extend(r.blocks_of([child]))
    return blocks


# ---------------------------------------------------------------- the table

BLOCK_RULES: dict[str, BlockRule] = {
    "p": block_p,
    "head": block_head,
    "div": block_div,
    "attachment": block_attachment,
    "note": block_inline_source,
    "quote": block_quote,
    "list": block_list,
    "listBibl": block_list_bibl,
    "table": block_table,
    "lg": block_lg,
    "l": block_l,
    "sp": block_sp,
    "figure": block_figure,
    "dateline": block_dateline,
    "docDate": block_dateline,
    "signed": block_signed,
    "seg": block_line,
    **dict.fromkeys(("salute", "byline", "docAuthor", "trailer", "stage", "bibl", "label",
                     "argument", "epigraph"), block_with_role),
    **dict.fromkeys(("opener", "closer", "postscript", "ab", "cit", "titlePage"),
                    block_container),
    "listPerson": block_nothing,
    "app": block_app,
}
