"""Inline rules: one function per TEI element inside running text, and their table.

Each rule takes the reader state and the element and returns the inlines it stands
for. Elements printed as their bare text (`placeName`, `date`…) and elements with
nothing to print (`fw`, `del`…) are in the table too; any other element keeps its text
and gives one notice per element name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from edition.model import (
    Block,
    Emph,
    IndexAnchor,
    Inline,
    LineBreak,
    NameRef,
    Note,
    NoteCall,
    PageMarker,
    Ref,
    Span,
    Strong,
    Text,
)
from edition.readers.tei.apparatus import MARKS, inline_app, inline_mark
from edition.readers.tei.colophon import _strip_source
from edition.readers.tei.run import is_inline_source
from edition.readers.tei.xml import XML_ID, _children, _key, _local, _text
from edition.readers.typography import quotes_for

if TYPE_CHECKING:
    from edition.readers.tei.reader import TeiReader

InlineRule = Callable[["TeiReader", etree._Element], list[Inline]]

# Inline elements whose text is printed as is, without styling of their own.
TRANSPARENT = frozenset({
    "placeName", "orgName", "name", "date", "time", "num", "measure", "rs", "seg", "q",
    "said", "cit", "bibl", "term", "s", "w", "c", "pc", "geogName", "country", "settlement",
    "region", "roleName", "forename", "surname", "addName", "genName", "nameLink",
    "address", "addrLine", "street", "postCode", "idno", "docDate", "docAuthor",
    "titlePart", "docTitle", "docImprint", "publisher", "pubPlace", "author", "editor",
    "mentioned", "soCalled", "distinct", "damage", "subst", "persName", "email", "quote",
    "l", "label", "item", "cell", "p", "ab", "head",
    "dateline", "salute", "signed", "byline", "trailer", "opener", "closer", "postscript",
    "lg", "list", "listBibl", "row", "table", "sp", "speaker", "stage", "epigraph",
    "argument", "biblScope", "listPerson", "person"})
# Inline elements with nothing to print.
SILENT = frozenset({"fw", "index", "milestone", "cb", "figDesc", "interp", "handShift",
                    "interpGrp", "link", "linkGrp", "ptr", "surplus", "graphic"})

# `@rend` words → the model's roles (styled in base.css), whatever a source calls them.
HI_ROLES = {"smallcaps": "smallcaps", "sc": "smallcaps", "small-caps": "smallcaps",
            "superscript": "sup", "sup": "sup", "subscript": "sub", "sub": "sub",
            "underline": "underline", "u": "underline", "ul": "underline",
            "underlined": "underline", "double-underline": "underline-double",
            "latintype": "latintype", "latin": "latintype", "antiqua": "latintype",
            "spaced": "spaced", "letter-spacing": "spaced", "letterspaced": "spaced",
            "gesperrt": "spaced", "spaced_out": "spaced", "strikethrough": "struck",
            "line-through": "struck", "overstrike": "struck",
            "pre-print": "printed", "preprint": "printed", "printed": "printed"}
ITALIC = frozenset({"italic", "italics", "i", "it", "em"})
BOLD = frozenset({"bold", "strong", "b"})
# The readings a `choice` offers; the transcription style picks one (transform/conventions).
CHOICE_READINGS = ("sic", "corr", "abbr", "expan", "orig", "reg", "seg", "unclear")


# ---------------------------------------------------------------- text as is, or nothing


def inline_transparent(r: TeiReader, el: etree._Element) -> list[Inline]:
    return r.inlines_of(el)


def inline_silent(r: TeiReader, el: etree._Element) -> list[Inline]:
    return []


def inline_unknown(r: TeiReader, el: etree._Element) -> list[Inline]:
    r.unknown(el)
    return r.inlines_of(el)


# ---------------------------------------------------------------- styled runs


def inline_hi(r: TeiReader, el: etree._Element) -> list[Inline]:
    children = r.inlines_of(el)
    # `rend="bold italic"`: the first token is the outermost.
    for token in reversed(el.get("rend", "").split() or ["italic"]):
        if token in ITALIC:
            children = [Emph(children)]
        elif token in BOLD:
            children = [Strong(children)]
        else:
            children = [Span(HI_ROLES.get(token, token), children)]
    return children


def inline_emph(r: TeiReader, el: etree._Element) -> list[Inline]:
    return [Emph(r.inlines_of(el))]


def _span(role: str) -> InlineRule:
    """A rule printing the element's content as a Span with `role`."""
    def rule(r: TeiReader, el: etree._Element) -> list[Inline]:
        return [Span(role, r.inlines_of(el))]
    rule.__name__ = f"inline_{role}"
    return rule


def inline_supplied(r: TeiReader, el: etree._Element) -> list[Inline]:
    return [Span("supplied", [Text("["), *r.inlines_of(el), Text("]")])]


# ---------------------------------------------------------------- transcription
# The source's interventions as spans with a role: what prints of them is the
# transcription style's (transform/conventions.py), their look base.css's.


def inline_gap(r: TeiReader, el: etree._Element) -> list[Inline]:
    return [Span("gap", [Text("[…]")])]


def inline_space(r: TeiReader, el: etree._Element) -> list[Inline]:
    """A space the writer left: never words glued together."""
    return [Text(" ")]


def inline_choice(r: TeiReader, el: etree._Element) -> list[Inline]:
    """Every reading, each a span named by its element (`sic`, `corr`, `abbr`…)."""
    readings = [Span(_local(c), r.inlines_of(c)) for c in _children(el)
                if _local(c) in CHOICE_READINGS]
    return [Span("choice", readings)] if readings else r.inlines_of(el)


def inline_glyph(r: TeiReader, el: etree._Element) -> list[Inline]:
    """`g`: its own text, else the glyph its `@ref` names in the header's charDecl: the
    glyph as written and its standard form, a choice like `orig`/`reg`."""
    own = r.inlines_of(el)
    if _text(el):
        return own
    glyph = r.glyphs.get(_key(el.get("ref", "")))
    if glyph is None:
        return own
    written, standard = glyph
    return [Span("choice", [Span("orig", [Text(written)]), Span("reg", [Text(standard)])])]


def inline_gloss(r: TeiReader, el: etree._Element) -> list[Inline]:
    children = r.inlines_of(el)
    shown = _text(el)
    target = _key(el.get("target", ""))
    if target and shown:
        abbr = r.term_ids.get(target)
        if abbr and abbr in r.terms and shown not in r.terms:
            r.terms[shown] = r.terms[abbr]
        elif not abbr:
            r.warn(el, f"gloss target '#{target}' is not in the terms list", f"gloss#{target}")
    return [Span("abbr", children)]


# Marks a source may write around a quotation itself (»›…‹«): then none are added.
QUOTE_MARKS = "\"'“”„‚‘’«»‹›"
QUOTED = ("quote", "said", "q")


def inline_quoted(r: TeiReader, el: etree._Element) -> list[Inline]:
    """A quotation or speech in running text between the language's quotation marks
    (single ones inside another), unless the source writes its own marks around it or
    it is indirect speech (`said direct="false"`)."""
    inner = r.inlines_of(el)
    if el.get("direct") == "false" or _marked(el):
        return inner
    depth = sum(1 for a in el.iterancestors() if _local(a) in QUOTED and not _marked(a))
    marks = quotes_for(r.lang_at(el))[2:] if depth % 2 else quotes_for(r.lang_at(el))[:2]
    # The source's spaces at the quotation's edges stand outside the marks ("«Ὁδοὶ …
    # ἀκάνθαις,\n  </quote>" is not "ἀκάνθαις, »").
    before = " " if _edge_space(inner, 0) else ""
    after = " " if _edge_space(inner, -1) else ""
    return [Text(before + marks[0]), *inner, Text(marks[1] + after)]


def _edge_space(inlines: list[Inline], end: int) -> bool:
    """Strip the white space at the start (`end` 0) or end (-1) of `inlines`, through
    nested spans and texts of white space only; whether there was any."""
    return _strip_edge(inlines, end)[0]


def _strip_edge(inlines: list[Inline], end: int) -> tuple[bool, bool]:
    """(white space stripped, visible text reached) at one end of `inlines`."""
    stripped = False
    for node in inlines if end == 0 else reversed(inlines):
        if isinstance(node, Text):
            text = node.text.lstrip() if end == 0 else node.text.rstrip()
            stripped |= text != node.text
            node.text = text
            if text:
                return stripped, True
        elif hasattr(node, "children"):
            inner, reached = _strip_edge(node.children, end)
            stripped |= inner
            if reached:
                return stripped, True
        else:
            return stripped, True  # a call, a break: content of its own
    return stripped, False


def _marked(el: etree._Element) -> bool:
    """Whether the source puts quotation marks right around the element."""
    previous = el.getprevious()
    before = (previous.tail if previous is not None else el.getparent().text
              if el.getparent() is not None else "") or ""
    inside = (el.text or "").lstrip()
    return before.rstrip()[-1:] in tuple(QUOTE_MARKS) or inside[:1] in tuple(QUOTE_MARKS)


# ---------------------------------------------------------------- references and names


def inline_ref(r: TeiReader, el: etree._Element) -> list[Inline]:
    target = el.get("target", "")
    children = r.inlines_of(el)
    if target.startswith("#") and not target.startswith("#range("):
        key = target[1:].split()[0] if target[1:].split() else ""
        target = r.targets.get(key, target)
    if not children and not target:
        return []
    return [Ref(target, children or [Text(target)])]


def inline_pers_name(r: TeiReader, el: etree._Element) -> list[Inline]:
    children = r.inlines_of(el)
    target = el.get("corresp") or el.get("ref") or el.get("key") or ""
    key = _key(target)
    if not key or target.startswith(("http:", "https:")):
        return children
    if target == el.get("key") and key not in r.result.persons:
        # A @key is a name in some authority file (a biblical person, a GND entry), not
        # a pointer into this edition's register: only a key the register has is indexed.
        return children
    pos = r.pos(el)
    r.person_refs.append((key, pos))
    return [NameRef(key, children, pos, explicit=True)]


def inline_place_name(r: TeiReader, el: etree._Element) -> list[Inline]:
    """A place of the source's register (`@ref`, `@key`, `@corresp` naming a `place`
    of a listPlace): an occurrence for the index of places. Any other place name (an
    authority's URI, a key no register has) prints as is."""
    children = r.inlines_of(el)
    key = _key(el.get("corresp") or el.get("ref") or el.get("key") or "")
    if key not in r.result.places:
        return children
    return [NameRef(key, children, r.pos(el), explicit=True, kind="place")]


def inline_rs(r: TeiReader, el: etree._Element) -> list[Inline]:
    """`rs` names a person (`type="person"`, or a key of the persons list) or a place
    (`type="place"`, or a key of the places list): an occurrence for its index, as
    `persName` and `placeName` are; a work or an organisation prints as is."""
    kind = el.get("type", "")
    key = _key(el.get("corresp") or el.get("ref") or el.get("key") or "")
    if kind == "person" or (not kind and key in r.result.persons):
        return inline_pers_name(r, el)
    if kind == "place" or (not kind and key in r.result.places):
        return inline_place_name(r, el)
    return r.inlines_of(el)


# ---------------------------------------------------------------- markers


def inline_lb(r: TeiReader, el: etree._Element) -> list[Inline]:
    return [LineBreak()]


def inline_pb(r: TeiReader, el: etree._Element) -> list[Inline]:
    return [PageMarker(el.get("n", ""))] if el.get("n") else []


def inline_anchor(r: TeiReader, el: etree._Element) -> list[Inline]:
    ident = el.get(XML_ID)
    return [IndexAnchor(ident)] if ident else []


# ---------------------------------------------------------------- notes


def inline_note(r: TeiReader, el: etree._Element) -> list[Inline]:
    if r.doc is None:
        r.warn(el, "a note outside any document is not printed", "note-outside")
        return []
    in_head = any(_local(a) == "head" for a in el.iterancestors())
    if is_inline_source(el):
        # Printed where it stands, as the series prints it: never the colophon.
        return [Span("source-inline", r.inlines_of(el))]
    if el.get("type", "") == "source" and not in_head:
        r.doc.colophon.extend(_strip_source(note_blocks(r, el)))
        return []
    label = _note_label(r, el)
    pos = r.pos(el)
    # Reserve the label before reading the content: a note may contain notes.
    note = r.doc.notes[label] = Note(label, [], pos, source_number=el.get("n", "").strip())
    note.blocks = note_blocks(r, el)
    if el.get("type", "") == "source":
        # Keyed to the heading: a footnote with "source" numbering, else the colophon
        # (transform/numbering.py decides, once the settings are known).
        note.kind = "source"
    return [NoteCall(label, pos)]


def note_blocks(r: TeiReader, note: etree._Element) -> list[Block]:
    return r.container_blocks(note, in_division=False)


def _note_label(r: TeiReader, el: etree._Element) -> str:
    """The note's xml:id or @n; a made-up label (`n3`, `1-4`) when absent or taken."""
    assert r.doc is not None
    label = el.get(XML_ID) or el.get("n") or ""
    if not label or label in r.doc.notes:
        base = label or "n"
        while True:
            r.doc.generated += 1
            label = f"{base}-{r.doc.generated}" if base != "n" else f"n{r.doc.generated}"
            if label not in r.doc.notes:
                break
    return label


# ---------------------------------------------------------------- the table

INLINE_RULES: dict[str, InlineRule] = {
    **dict.fromkeys(TRANSPARENT, inline_transparent),
    **dict.fromkeys(SILENT, inline_silent),
    # Rules of their own come last: `persName` and `speaker` are also TRANSPARENT names.
    "hi": inline_hi,
    "emph": inline_emph,
    "title": _span("title"),
    "foreign": _span("foreign"),
    "sic": _span("sic"),
    "abbr": _span("abbr"),
    "speaker": _span("speaker"),
    # Code-like content keeps its straight quotes (see readers/typography.py).
    **dict.fromkeys(("code", "ident", "gi", "att", "val", "tag"), _span("code")),
    "supplied": inline_supplied,
    "gap": inline_gap,
    "space": inline_space,
    "choice": inline_choice,
    "g": inline_glyph,
    **{name: _span(name) for name in ("del", "add", "unclear", "corr", "reg", "orig",
                                      "expan")},
    "gloss": inline_gloss,
    "ref": inline_ref,
    "persName": inline_pers_name,
    "placeName": inline_place_name,
    **dict.fromkeys(QUOTED, inline_quoted),
    "rs": inline_rs,
    "lb": inline_lb,
    "pb": inline_pb,
    "anchor": inline_anchor,
    "note": inline_note,
    # The critical apparatus (readers/tei/apparatus.py).
    "app": inline_app,
    **dict.fromkeys(MARKS, inline_mark),
}
