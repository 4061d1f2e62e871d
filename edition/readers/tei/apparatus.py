"""The critical apparatus in TEI: `app`, `lem`, `rdg`, `rdgGrp`, `witDetail`, `note` in an
`app`, `lacunaStart/End`, `witStart/End`, and the witnesses of `listWit`.

Parallel segmentation (the variants stand in the text, `app` around them) is read into
`Apparatus` spans: the text prints the lemma only. An `app` without `lem` prints the
reading of the edition's base witness (`[apparatus] base`), else its first reading, which
then stands as the lemma. Double end-point attachment (`app @from/@to`, kept apart in a
`listApp`) is read as entries anchored at the `from` anchor. Location-referenced
encoding, whose readings name a place only by a canonical reference, cannot be attached
to words: a file declaring it is refused with its line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from edition.errors import EditionError
from edition.model import (
    Apparatus,
    Inline,
    NoteCall,
    Reading,
    ReadingGroup,
    Text,
    Witness,
    plain_text,
    walk,
)
from edition.readers.tei.whitespace import _tidy
from edition.readers.tei.xml import XML_ID, _children, _descendants, _first, _local, _text

if TYPE_CHECKING:
    from edition.readers.tei.reader import TeiReader

# `rdg/@type` values the apparatus prints as a label; others are kept in the model.
KINDS = frozenset({"omission", "addition", "transposition", "illegible", "lacuna"})
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
    """An `app` in the text (parallel segmentation) → one Apparatus span."""
    if el.get("from"):
        r.warn(el, "double end-point apparatus (app @from) is not printed yet", "app@from")
        return []
    return [_entry(r, el)]


def _entry(r: TeiReader, el: etree._Element) -> Apparatus:
    lemma: Reading | None = None
    readings: list[Reading | ReadingGroup] = []
    remarks: dict[str, list[list[Inline]]] = {}
    notes: list[list[Inline]] = []
    for child in _children(el):
        name = _local(child)
        if name == "lem":
            lemma = _reading(r, child)
        elif name == "rdg":
            readings.append(_reading(r, child))
        elif name == "rdgGrp":
            group, grouped_lemma = _group(r, child)
            lemma = lemma or grouped_lemma
            readings.append(group)
        elif name == "witDetail":
            for target in child.get("target", "").split() or [""]:
                remarks.setdefault(target.removeprefix("#"), []).append(
                    _words(r, child))
        elif name == "note":
            notes.append(_words(r, child))
    _attach_remarks(el, readings, remarks, notes)
    if lemma is None:
        lemma = _base_reading(r, readings)
    entry = Apparatus(lemma, [g for g in readings if not _empty_group(g)], notes, r.pos(el))
    _derive_kinds(entry)
    return entry


def _reading(r: TeiReader, el: etree._Element) -> Reading:
    lemma = _local(el) == "lem"
    # A lemma's white space is the text's, collapsed with its paragraph; a reading's
    # stands alone.
    words = _words(r, el, keep_notes=lemma)
    reading = Reading(words if lemma else _tidy(words), _sigla(r, el),
                      (el.get("type") or "").lower())
    reading.remarks = [[Text(MARKS[_local(m)])] for m in el.iter()
                       if isinstance(m.tag, str) and _local(m) in MARKS]
    source = el.get("source", "").split()
    if source:
        reading.remarks.append([Text(" ".join(s.removeprefix("#") for s in source))])
    reading.id = el.get(XML_ID, "")
    return reading


def _group(r: TeiReader, el: etree._Element) -> tuple[ReadingGroup, Reading | None]:
    """A `rdgGrp`: its readings, and its `lem` if the editor grouped the lemma in it."""
    group = ReadingGroup([], (el.get("type") or "").lower())
    lemma = None
    for child in _children(el):
        name = _local(child)
        if name == "lem":
            lemma = _reading(r, child)
        elif name == "rdg":
            group.readings.append(_reading(r, child))
        elif name == "rdgGrp":
            inner, inner_lemma = _group(r, child)
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


def _derive_kinds(entry: Apparatus) -> None:
    """An empty reading against words omits them; words against an empty lemma add."""
    lemma = plain_text(entry.children, " ", one_line=True)
    for reading in entry.all_readings():
        if reading.kind in KINDS:
            continue
        words = plain_text(reading.children, " ", one_line=True)
        if not words and lemma and not reading.remarks:
            reading.kind = "omission"
        elif words and not lemma:
            reading.kind = "addition"


def inline_mark(r: TeiReader, el: etree._Element) -> list[Inline]:
    """`lacunaStart` and the like print nothing in the text: the reading carries them."""
    return []
