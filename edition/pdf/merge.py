"""Parts written one by one (runs laid out in workers, the front matter, the indexes),
joined into one PDF.

The document-level parts come from a shell: a one-page PDF WeasyPrint writes with every
option of the profile (metadata, XMP, PDF/A or PDF/X parts, attachments); its page is
dropped. Then the parts' pages in order, and what spans the parts is made again for
the whole: the named destinations (links from one part to another: each part names the
targets it lacks with a placeholder, replaced here), the outline (from every part's
bookmarks with their levels, so a chapter holds the documents of later runs) and the page
labels.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from edition.pdf.fonts import FontStore, stub_digest


@dataclass
class WrittenPart:
    """One part's PDF, the anchors it really holds, its bookmarks' levels and labels."""

    pdf: bytes
    anchors: set[str]
    levels: list[int]
    labels: list[str]  # the printed folio of each page ("" for a blank page)
    roman: bool = False  # front matter: lower-case roman page labels


def merge(shell: bytes, parts: list[WrittenPart], fonts: FontStore) -> bytes:
    """The shell's document-level parts and the parts' pages; `fonts` holds the font
    files the parts name (pdf/fonts.py)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(shell)))
    dummy = len(writer.pages)
    destinations: dict[str, ArrayObject] = {}
    outline: list[tuple[int, str, int, float, float]] = []
    for part in parts:
        reader = PdfReader(io.BytesIO(part.pdf))
        first = len(writer.pages) - dummy
        added = [writer.add_page(page) for page in reader.pages]
        for name, dest in reader.named_destinations.items():
            if name in part.anchors and name not in destinations:
                page = added[reader.get_destination_page_number(dest)]
                destinations[name] = _xyz(page, dest)
        marks = list(_flat(reader, reader.outline))
        for level, (title, page, left, top) in zip(part.levels, marks, strict=False):
            outline.append((level, title, first + page, left, top))
    for _ in range(dummy):
        del writer.pages[0]
    _names(writer, destinations)
    _outline(writer, outline)
    _labels(writer, parts)
    share_fonts(writer, fonts)
    # The copies of the fonts no descriptor points at any more.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _xyz(page, dest) -> ArrayObject:
    return ArrayObject([page.indirect_reference, NameObject("/XYZ"),
                        FloatObject(dest.left or 0), FloatObject(dest.top or 0),
                        NumberObject(0)])


def _flat(reader: PdfReader, items):
    """(title, page index, left, top) of every outline item, in reading order."""
    for item in items:
        if isinstance(item, list):
            yield from _flat(reader, item)
        else:
            yield (item.title, reader.get_destination_page_number(item),
                   float(item.left or 0), float(item.top or 0))


def _names(writer: PdfWriter, destinations: dict[str, ArrayObject]) -> None:
    """The /Dests name tree of the whole book, sorted as a name tree must be."""
    names = ArrayObject()
    for name in sorted(destinations, key=lambda n: n.encode("utf-16-be")):
        names.extend([TextStringObject(name), destinations[name]])
    tree = DictionaryObject({NameObject("/Names"): names})
    catalog = writer.root_object
    if "/Names" not in catalog:
        catalog[NameObject("/Names")] = DictionaryObject()
    catalog["/Names"][NameObject("/Dests")] = writer._add_object(tree)


def _outline(writer: PdfWriter, items: list[tuple[int, str, int, float, float]]) -> None:
    from pypdf.generic import Fit

    if "/Outlines" in writer.root_object:
        del writer.root_object["/Outlines"]
    parents: list[tuple[int, object]] = []
    for level, title, page, left, top in items:
        while parents and parents[-1][0] >= level:
            parents.pop()
        parent = parents[-1][1] if parents else None
        item = writer.add_outline_item(title=title, page_number=page, parent=parent,
                                       fit=Fit.xyz(left, top, 0))
        parents.append((level, item))


def _labels(writer: PdfWriter, parts: list[WrittenPart]) -> None:
    """/PageLabels matching the printed folios: roman for the front matter, then arabic;
    a new range only where the style changes or the numbers do not run on."""
    nums = ArrayObject()
    start = 0
    following: tuple[bool, int] | None = None
    for part in parts:
        if not part.labels:
            continue
        first = _number(part.labels[0], part.roman)
        if following != (part.roman, first):
            label = DictionaryObject({NameObject("/S"): NameObject(
                "/r" if part.roman else "/D")})
            if first != 1:
                label[NameObject("/St")] = NumberObject(first)
            nums.extend([NumberObject(start), label])
        start += len(part.labels)
        following = (part.roman, first + len(part.labels))
    writer.root_object[NameObject("/PageLabels")] = DictionaryObject(
        {NameObject("/Nums"): nums})


ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _number(label: str, roman: bool) -> int:
    if not roman:
        return int(label) if label.isdigit() else 1
    values = [ROMAN.get(c, 0) for c in label.lower()]
    return sum(-v if v < w else v for v, w in zip(values, values[1:] + [0], strict=True)) or 1


def share_fonts(writer: PdfWriter, store: FontStore) -> None:
    """Each font once: the parts name the same font file in `store` (or embed it whole:
    engine.whole_fonts); all their descriptors are pointed at one copy, subset to the
    glyphs any part uses. Glyph ids are kept, so the pages' text needs no change."""
    shared: dict[tuple[str, bytes], object] = {}
    used: dict[tuple[str, bytes], set[int]] = {}
    named: dict[tuple[str, bytes], str] = {}  # the stubs' digests
    for page in writer.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            for cid_font in font.get_object().get("/DescendantFonts") or []:
                cid_font = cid_font.get_object()
                descriptor = cid_font["/FontDescriptor"].get_object()
                kind = next((k for k in ("/FontFile3", "/FontFile2") if k in descriptor),
                            None)
                if kind is None:
                    continue
                stream = descriptor[kind].get_object()
                key = (str(descriptor["/FontName"]), _digest(stream))
                if key not in shared and (digest := stub_digest(stream.get_data())):
                    named[key] = digest
                first = shared.setdefault(key, descriptor.raw_get(kind))
                descriptor[NameObject(kind)] = first
                used.setdefault(key, {0}).update(_glyphs(cid_font.get("/W") or []))
    for key, reference in shared.items():
        stream = reference.get_object()
        data = store.get(named[key]) if key in named else stream.get_data()
        stream.set_data(_subset(data, used[key]))
        if "/Length1" in stream:  # a TrueType program's length, decoded
            stream[NameObject("/Length1")] = NumberObject(len(stream.get_data()))


def _digest(stream) -> bytes:
    """What tells one part's font file from another's: the stream as written, not
    decoded. Every part writes a face's stub (or, for a font written whole, its file)
    with the same compressor, so equal files are equal bytes; decoding whole files
    would keep a decoded copy of every part's fonts on its stream until the writer is
    gone."""
    raw = getattr(stream, "_data", None)  # pypdf's encoded bytes, as read
    return hashlib.sha256(raw if isinstance(raw, bytes) else stream.get_data()).digest()


def _glyphs(widths) -> set[int]:
    """The glyph ids a CIDFont's /W array gives widths for: [first [w …] first [w …]]."""
    found: set[int] = set()
    items = list(widths)
    for first, run in zip(items[::2], items[1::2], strict=False):
        found.update(range(int(first), int(first) + len(run)))
    return found


# Tables the PDF never reads (WeasyPrint drops the same ones when it subsets).
DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH",
                  "PCLT", "SVG ")


def _subset(data: bytes, glyphs: set[int]) -> bytes:
    """The font cut down to `glyphs`, their ids kept: what WeasyPrint does per document
    (pdf/fonts.py) done once for the whole book, with HarfBuzz-Subset as WeasyPrint
    prefers it (milliseconds; fontTools takes most of a second per face)."""
    import uharfbuzz as hb

    subset = hb.SubsetInput()
    for glyph in sorted(glyphs):
        subset.glyph_set.add(glyph)
    drop = subset.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROPPED_TABLES:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    subset.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                    | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING
                    | hb.SubsetFlags.NOTDEF_OUTLINE)
    face = hb.subset(hb.Face(data), subset)
    if face is None:
        raise ValueError("HarfBuzz could not subset a font of the book")
    return face.blob.data
