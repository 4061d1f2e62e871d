"""The critical apparatus in TEI: `app`, `lem`, `rdg`, `rdgGrp`, `witDetail`, `note` in an
`app`, `lacunaStart/End`, `witStart/End`, and the witnesses of `listWit`.

Parallel segmentation (the variants stand in the text, `app` around them) is read into
`Apparatus` spans: the text prints the lemma only. An `app` without `lem` prints the
reading of the edition's base witness (`[apparatus] base`), else its first reading, which
then stands as the lemma.

Double end-point attachment (`app @from/@to`, in the text or kept apart in a `listApp`):
the lemma is the base text between the two points, wherever it runs (across blocks,
overlapping another lemma). A point is an `anchor`, or an element with content (its
start as `from`, its end as `to`); a missing `@to` or `@from` is the `app`'s own place
in the text (an in-line `app` marks one end itself). The entry stands where the lemma
starts, spanning its first word only, and cites the whole lemma (`Apparatus.cited`).

Location-referenced encoding, whose readings name a place only by a canonical reference,
cannot be attached to words: a file declaring it is refused with its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from lxml import etree

from edition.errors import EditionError
from edition.model import (
    Apparatus,
    Block,
    Heading,
    Inline,
    NoteCall,
    Paragraph,
    Reading,
    ReadingGroup,
    Text,
    Verse,
    Witness,
    walk,
)
from edition.model.text import derive_kinds
from edition.readers.tei.whitespace import _tidy
from edition.readers.tei.xml import XML_ID, _children, _descendants, _first, _local, _text

if TYPE_CHECKING:
    from edition.readers.tei.reader import TeiReader

# Lists of apparatus entries kept apart from the text (double end-point, location
# referenced): data, never printed as a division.
APPARATUS_LISTS = ("listApp",)
# Where a witness's text ends or resumes inside a reading: printed as the field's Latin.
MARKS = {"lacunaStart": "lac. inc.", "lacunaEnd": "lac. des.",
         "witStart": "inc.", "witEnd": "des."}


# ---------------------------------------------------------------- witnesses


def read_witnesses(r: TeiReader) -> None:
    """Every `listWit` of the file → the witnesses register; a nested list with an id
    is a group whose siglum stands for its members. Also refuses location-referenced
    encoding, which cannot be attached to the text's words."""
    _check_encoding(r)
    r.witness_sigla = {}
    for top in _descendants(r.root, "listWit"):
        if not any(_local(a) == "listWit" for a in top.iterancestors()):
            _read_list(r, top)


def _check_encoding(r: TeiReader) -> None:
    for el in _descendants(r.root, "variantEncoding"):
        if el.get("method") == "location-referenced":
            raise EditionError(
                "location-referenced apparatus (variantEncoding) cannot be attached to "
                "the text's words; encode it by parallel segmentation or double end-point "
                "attachment", r.file, el.sourceline or 0)


def _read_list(r: TeiReader, lst: etree._Element) -> list[str]:
    """The sigla of the witnesses in `lst` (groups included, with their members)."""
    sigla: list[str] = []
    for child in _children(lst):
        name = _local(child)
        if name == "witness":
            sigla.append(_add_witness(r, child, _siglum(child), _description(child), []))
        elif name == "listWit":
            members = _read_list(r, child)
            if child.get(XML_ID):
                head = _first(child, "head")
                sigla.append(_add_witness(r, child, _siglum(child), _text(head), members))
            sigla.extend(members)
    return sigla


def _add_witness(r: TeiReader, el: etree._Element, siglum: str, description: str,
                 members: list[str]) -> str:
    ident = el.get(XML_ID) or siglum
    r.witness_sigla[ident] = siglum
    r.result.witnesses[siglum] = Witness(siglum, description, members, r.pos(el))
    return siglum


def _siglum(el: etree._Element) -> str:
    abbr = next((a for a in _children(el, "abbr") if a.get("type") == "siglum"), None)
    return (_text(abbr) if abbr is not None else "") or el.get("n") or el.get(XML_ID) or "?"


def _description(el: etree._Element) -> str:
    """The witness's words without its siglum (`name`, date, shelfmark or plain text)."""
    parts = [_text(c) for c in _children(el)
             if not (_local(c) == "abbr" and c.get("type") == "siglum")]
    if el.text and el.text.strip():
        parts.insert(0, el.text.strip())
    return ", ".join(p for p in parts if p)


def _sigla(r: TeiReader, el: etree._Element, attr: str = "wit") -> list[str]:
    """The sigla `@wit` names; a pointer to no declared witness is an error."""
    out = []
    for token in el.get(attr, "").split():
        key = token.removeprefix("#")
        if key not in r.witness_sigla:
            raise EditionError(f"<{_local(el)} {attr}=\"{el.get(attr)}\">: '{token}' "
                               "names no witness of the file's listWit", r.file,
                               el.sourceline or 0)
        out.append(r.witness_sigla[key])
    return out


# ---------------------------------------------------------------- app


def inline_app(r: TeiReader, el: etree._Element) -> list[Inline]:
    """An `app` in the text: parallel segmentation → one Apparatus span; an attached
    `app` prints nothing here, unless its lemma starts here (no `@from`)."""
    if not _attached(el):
        return [_entry(r, el)]
    return attached_entries(r, el) if not el.get("from") else []


def _entry(r: TeiReader, el: etree._Element, cited: list[Inline] | None = None,
           ) -> Apparatus:
    lemma: Reading | None = None
    readings: list[Reading | ReadingGroup] = []
    remarks: dict[str, list[list[Inline]]] = {}
    notes: list[list[Inline]] = []
    for child in _children(el):
        name = _local(child)
        if name == "lem":
            lemma = _reading(r, child, words=cited is None)
        elif name == "rdg":
            readings.append(_reading(r, child))
        elif name == "rdgGrp":
            group, grouped_lemma = _group(r, child, lemma_words=cited is None)
            lemma = lemma or grouped_lemma
            readings.append(group)
        elif name == "witDetail":
            for target in child.get("target", "").split() or [""]:
                remarks.setdefault(target.removeprefix("#"), []).append(
                    _words(r, child))
        elif name == "note":
            notes.append(_words(r, child))
    _attach_remarks(el, readings, remarks, notes)
    if cited is not None:
        # Attached: the text prints the base text; a `lem` given is cited as given.
        given = next((_plain(c) for c in el.iter() if isinstance(c.tag, str)
                      and _local(c) == "lem"), "")
        cited = [Text(given)] if given else cited
        lemma = lemma or Reading()
    elif lemma is None:
        lemma = _base_reading(r, readings)
    entry = Apparatus(lemma, [g for g in readings if not _empty_group(g)], notes, r.pos(el),
                      cited=cited)
    derive_kinds(entry)
    return entry


def _reading(r: TeiReader, el: etree._Element, words: bool = True) -> Reading:
    """A `lem` or `rdg`; `words=False`: a lemma the text prints elsewhere (its sigla and
    remarks only)."""
    lemma = _local(el) == "lem"
    if not words:
        reading = Reading([], _sigla(r, el), (el.get("type") or "").lower())
        reading.remarks = _remarks(el)
        return reading
    # A lemma's white space is the text's, collapsed with its paragraph; a reading's
    # stands alone.
    words = _words(r, el, keep_notes=lemma)
    reading = Reading(words if lemma else _tidy(words), _sigla(r, el),
                      (el.get("type") or "").lower())
    reading.remarks = _remarks(el)
    reading.id = el.get(XML_ID, "")
    return reading


def _remarks(el: etree._Element) -> list[list[Inline]]:
    """Where the witness's text ends or resumes, and the reading's `@source`."""
    remarks: list[list[Inline]] = [[Text(MARKS[_local(m)])] for m in el.iter()
                                   if isinstance(m.tag, str) and _local(m) in MARKS]
    source = el.get("source", "").split()
    if source:
        remarks.append([Text(" ".join(s.removeprefix("#") for s in source))])
    return remarks


def _group(r: TeiReader, el: etree._Element, lemma_words: bool = True,
           ) -> tuple[ReadingGroup, Reading | None]:
    """A `rdgGrp`: its readings, and its `lem` if the editor grouped the lemma in it."""
    group = ReadingGroup([], (el.get("type") or "").lower())
    lemma = None
    for child in _children(el):
        name = _local(child)
        if name == "lem":
            lemma = _reading(r, child, words=lemma_words)
        elif name == "rdg":
            group.readings.append(_reading(r, child))
        elif name == "rdgGrp":
            inner, inner_lemma = _group(r, child, lemma_words)
            group.readings.extend(inner.readings)
            lemma = lemma or inner_lemma
    return group, lemma


def _words(r: TeiReader, el: etree._Element, keep_notes: bool = False) -> list[Inline]:
    """The inline content of a reading or remark. A note inside a reading is the
    editor's remark on it, not a footnote of the text: its call is taken out."""
    inlines = r.inlines_of(el)
    if keep_notes or r.doc is None:
        return inlines
    for call in walk.of_type(NoteCall, inlines):
        r.doc.notes.pop(call.label, None)
    return walk.rewrite_inlines(
        inlines, lambda node, _pos: [] if isinstance(node, NoteCall) else None)


def _attach_remarks(el: etree._Element, readings: list[Reading | ReadingGroup],
                    remarks: dict[str, list[list[Inline]]], notes: list[list[Inline]]) -> None:
    """`witDetail target="#r1"` goes with the reading r1; one without a known target
    with the entry's notes."""
    flat = [rd for item in readings for rd in
            (item.readings if isinstance(item, ReadingGroup) else [item])]
    by_id = {rd.id: rd for rd in flat if rd.id}
    for target, texts in remarks.items():
        if target in by_id:
            by_id[target].remarks.extend(texts)
        else:
            notes.extend(texts)


def _base_reading(r: TeiReader, readings: list[Reading | ReadingGroup]) -> Reading:
    """The reading an `app` without `lem` prints: the base witness's, else the first."""
    flat = [(item, rd) for item in readings for rd in
            (item.readings if isinstance(item, ReadingGroup) else [item])]
    if not flat:
        return Reading()
    base = r.apparatus_base
    owner, chosen = next(((i, rd) for i, rd in flat if base and base in rd.witnesses),
                         flat[0])
    if isinstance(owner, ReadingGroup):
        owner.readings.remove(chosen)
    else:
        readings.remove(chosen)
    return chosen


def _empty_group(item: Reading | ReadingGroup) -> bool:
    return isinstance(item, ReadingGroup) and not item.readings


def inline_mark(r: TeiReader, el: etree._Element) -> list[Inline]:
    """`lacunaStart` and the like print nothing in the text: the reading carries them."""
    return []


# ---------------------------------------------------------------- double end-point

# Elements whose text is not the base text: readings, remarks, notes, the header.
NOT_BASE_TEXT = frozenset({"rdg", "witDetail", "note", "teiHeader"})
# Elements that are blocks: words on either side of their edges are apart.
BLOCKS = frozenset({"p", "ab", "l", "lg", "head", "div", "item", "list", "sp", "speaker",
                    "cell", "row", "table", "salute", "signed", "dateline", "closer",
                    "opener", "trailer", "byline", "epigraph"})


def _attached(el: etree._Element) -> bool:
    return bool(el.get("from") or el.get("to"))


def attached_apps(r: TeiReader, text: etree._Element) -> dict[str, list[etree._Element]]:
    """Every attached `app` (double end-point) of the file, by the id of the point its
    lemma starts at (an `app` without `@from` starts at itself: not listed), each with
    its lemma's text computed once (`r.cited`)."""
    apps = [el for el in _descendants(r.root, "app") if _attached(el)]
    if not apps:
        return {}
    flow, offsets = _base_text(text)
    by_id = {el.get(XML_ID): el for el in text.iter() if isinstance(el.tag, str)
             and el.get(XML_ID)}
    starts: dict[str, list[etree._Element]] = {}
    for app in apps:
        start = _point(r, app, "from", by_id)
        end = _point(r, app, "to", by_id)
        first = offsets[start][1 if _is_mark(start, app) else 0]
        last = offsets[end][0 if _is_mark(end, app) else 1]
        if last < first:
            raise EditionError(f"<app from=\"{app.get('from', '')}\" to=\""
                               f"{app.get('to', '')}\">: the lemma ends before it starts",
                               r.file, app.sourceline or 0)
        r.cited[app] = " ".join(flow[first:last].split())
        if app.get("from"):
            starts.setdefault(app.get("from", "").removeprefix("#"), []).append(app)
    return starts


def _point(r: TeiReader, app: etree._Element, attr: str,
           by_id: dict[str, etree._Element]) -> etree._Element:
    """The element `@from`/`@to` points at; the `app` itself when it has none."""
    value = app.get(attr, "").strip()
    if not value:
        return app
    target = by_id.get(value.removeprefix("#"))
    if target is None or " " in value:
        raise EditionError(f"<app {attr}=\"{value}\">: '{value}' is no anchor or element "
                           "of the text", r.file, app.sourceline or 0)
    return target


def _is_mark(el: etree._Element, app: etree._Element) -> bool:
    """Whether the point is a place (an `anchor`, an empty element, the `app` itself)
    rather than an element whose content starts or ends the lemma."""
    return el is app or _local(el) == "anchor" or not (len(el) or (el.text or "").strip())


def _plain(el: etree._Element) -> str:
    """The base text inside `el`, in one line."""
    return " ".join("".join(v for k, v in _flow(el) if k == "text").split())


def _base_text(text: etree._Element) -> tuple[str, dict[etree._Element, tuple[int, int]]]:
    """The base text in document order, and where each element opens and closes in it."""
    parts: list[str] = []
    offsets: dict[etree._Element, tuple[int, int]] = {}
    length = 0
    opened: dict[etree._Element, int] = {}
    for kind, value in _flow(text):
        if kind == "text":
            parts.append(value)
            length += len(value)
        elif kind == "open":
            opened[value] = length
        else:
            offsets[value] = (opened.pop(value), length)
    return "".join(parts), offsets


def _flow(el: etree._Element) -> Iterator[tuple[str, etree._Element | str]]:
    """The element in document order: ("open", el), ("text", …), ("close", el)."""
    edge = _local(el) in BLOCKS
    if edge:
        yield "text", " "
    yield "open", el
    if not (_local(el) in NOT_BASE_TEXT or (_local(el) == "app" and _attached(el))):
        if el.text:
            yield "text", el.text
        for child in _children(el):
            yield from _flow(child)
            if child.tail:
                yield "text", child.tail
    yield "close", el
    if edge:
        yield "text", " "


def attached_entries(r: TeiReader, el: etree._Element) -> list[Inline]:
    """The entries whose lemma starts at `el` (an anchor, an element, an `app`)."""
    apps = [el] if _local(el) == "app" else r.attached.pop(el.get(XML_ID, ""), [])
    return [_entry(r, app, [Text(r.cited[app])]) for app in apps]


def spread_attached(inlines: list[Inline]) -> list[Inline]:
    """Each attached entry without words spans the first word after it, where its lemma
    starts (so the layout finds the lemma's line by it); entries at one place nest, the
    first innermost, so that they print in source order."""
    out: list[Inline] = []
    waiting: list[Apparatus] = []
    for node in inlines:
        if isinstance(node, Apparatus) and node.cited is not None and not node.children:
            waiting.append(node)
            continue
        if waiting and not (isinstance(node, Text) and not node.text.strip()):
            node, rest = _first_of(node)
            out.extend(_nest(waiting, node))
            waiting = []
            out.extend(rest)
            continue
        out.append(node)
    out.extend(waiting)
    return out


def _first_of(node: Inline) -> tuple[list[Inline], list[Inline]]:
    """(leading white space, the first word), then the rest of `node`."""
    if not isinstance(node, Text):
        return [node], []
    lead, word, tail = re.match(r"(\s*)(\S*)(.*)", node.text, re.S).groups()
    return [Text(lead), Text(word)] if lead else [Text(word)], [Text(tail)] if tail else []


def _nest(waiting: list[Apparatus], node: list[Inline]) -> list[Inline]:
    lead = node[:-1]
    inner: list[Inline] = node[-1:]
    for entry in waiting:
        entry.children = inner
        inner = [entry]
    return [*lead, *inner]


# ---------------------------------------------------------------- lemmas of whole blocks

# What makes a lemma blocks rather than words: whole verse lines, paragraphs.
BLOCK_CONTENT = frozenset({"l", "lg", "p", "ab", "sp", "list", "table", "div"})


def _block_lemma(el: etree._Element) -> etree._Element | None:
    """The `lem` of an `app` whose lemma is whole lines or paragraphs, else None."""
    if _attached(el):
        return None
    lem = _first(el, "lem")
    for group in _children(el, "rdgGrp"):
        lem = lem if lem is not None else _first(group, "lem")
    if lem is None:
        return None
    return lem if any(_local(c) in BLOCK_CONTENT for c in _children(lem)) else None


def holds_blocks(el: etree._Element) -> bool:
    """Whether the `app` is read as blocks: its lemma is lines or paragraphs."""
    return _block_lemma(el) is not None


def block_app(r: TeiReader, el: etree._Element) -> list[Block]:
    """An `app` whose lemma is whole verse lines or paragraphs: the lemma's blocks print
    (numbered, with their own entries), and the entry stands at its first word, citing
    the whole lemma (first … last word)."""
    lem = _block_lemma(el)
    blocks = r.container_blocks(lem, in_division=True) if lem is not None else []
    # (its `l` lines are one passage of verse: edition/readers/tei/run.py)
    entry = _entry(r, el, [Text(_plain(lem))] if lem is not None else [])
    for inlines, setter in _first_inlines(blocks):
        setter(spread_attached([entry, *inlines]))
        break
    else:
        blocks.append(Paragraph([entry], r.pos(el)))
    return blocks


def _first_inlines(blocks: list[Block]) -> Iterator[tuple[list[Inline], Callable]]:
    """The first run of inlines of the blocks, with a setter to replace it."""
    for block in blocks:
        if isinstance(block, Verse) and block.lines:
            yield block.lines[0], lambda new, b=block: b.lines.__setitem__(0, new)
        elif isinstance(block, Paragraph | Heading):
            yield block.inlines, lambda new, b=block: setattr(b, "inlines", new)
