"""The TEI P5 reader: a TEI file (a FRUS-style volume, an article, a monograph) → model.

lxml parses the file with entities, DTDs and the network switched off; anything that is
not well-formed (or declares entities) is an EditionError naming the file and line. The
walk maps TEI elements onto the document model:

- `div[@type="document"]` → Document; in books, top-level divisions (chapter, section,
  part, …) → Document(kind="chapter"); divisions nested inside either → Heading blocks.
- `div[@xml:id="persons"]` / `listPerson` → Person entries; `div[@xml:id="terms"]` (and
  `abbreviations`) → terms; `div[@type="index"]` → the source's own IndexEntry list.
- notes → NoteCall + Note (labels only; numbering is a later stage); `note[@type="source"]`
  → the colophon; a leading editorial note or `div[@type="headnote"]` → the headnote.

Elements the reader does not know keep their text and give one warning per element name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.errors import EditionError, line_of
from edition.model import (
    Attachment,
    Block,
    CrossReference,
    Document,
    Emph,
    FrontPage,
    Heading,
    IndexAnchor,
    Inline,
    LineBreak,
    ListBlock,
    NameRef,
    Note,
    NoteCall,
    PageMarker,
    Paragraph,
    Person,
    Pos,
    Quote,
    Ref,
    Span,
    Speaker,
    SpeakerTurn,
    Strong,
    Table,
    TableCell,
    Text,
    Verse,
)
from edition.settings import Settings

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Divisions that are read as data, not printed as text.
PERSONS_IDS = ("persons",)
TERMS_IDS = ("terms", "abbreviations")
INDEX_IDS = ("index",)
# An editorial note first in a document is its headnote.
HEADNOTE_TYPES = ("editorial", "summary", "headnote")
# Divisions inside a document printed as an enclosure with its own title.
ATTACHMENT_TYPES = ("attachment", "enclosure")

# Elements that stand as blocks wherever they occur (a list inside a <p> splits the <p>).
ALWAYS_BLOCK = frozenset({
    "list", "listBibl", "table", "lg", "sp", "figure", "div", "head", "dateline", "opener",
    "closer", "salute", "signed", "byline", "docAuthor", "trailer", "postscript", "ab",
    "stage", "p", "argument", "epigraph", "listPerson", "docDate", "titlePage"})
# Elements that are blocks when they stand in a division, inlines inside running text.
BLOCK_IN_DIVISION = frozenset({"quote", "cit", "bibl", "l", "label", "q", "said"})
DIVISION_PARENTS = frozenset({"div", "body", "front", "back", "text", "sp", "opener",
                              "closer", "postscript", "epigraph", "argument"})

# Inline elements whose text is printed as is, without styling of their own.
TRANSPARENT = frozenset({
    "placeName", "orgName", "name", "date", "time", "num", "measure", "rs", "seg", "q",
    "said", "cit", "bibl", "term", "s", "w", "c", "pc", "geogName", "country", "settlement",
    "region", "roleName", "forename", "surname", "addName", "genName", "nameLink",
    "address", "addrLine", "street", "postCode", "idno", "docDate", "docAuthor",
    "titlePart", "docTitle", "docImprint", "publisher", "pubPlace", "author", "editor",
    "mentioned", "soCalled", "distinct", "expan", "corr", "reg", "orig", "add", "damage",
    "unclear", "persName", "email", "quote", "l", "label", "item", "cell", "p", "ab", "head",
    "dateline", "salute", "signed", "byline", "trailer", "opener", "closer", "postscript",
    "lg", "list", "listBibl", "row", "table", "sp", "speaker", "stage", "epigraph",
    "argument", "biblScope", "listPerson", "person"})
# Inline elements with nothing to print.
SILENT = frozenset({"fw", "index", "milestone", "cb", "space", "figDesc", "interp",
                    "interpGrp", "link", "linkGrp", "ptr", "del", "surplus", "graphic"})

HI_ROLES = {"smallcaps": "smallcaps", "sc": "smallcaps", "small-caps": "smallcaps",
            "superscript": "sup", "sup": "sup", "subscript": "sub", "sub": "sub"}
ITALIC = frozenset({"italic", "italics", "i", "it", "em"})
BOLD = frozenset({"bold", "strong", "b"})
ALIGN = {"right": "right", "center": "center", "centre": "center", "left": "left",
         "flushleft": "left", "justify": "justify"}
SECTION_TITLE_RENDS = ("sectiontitle",)

_WS = re.compile(r"[ \t\r\n]+")
_ENTITY_DECL = re.compile(rb"<!ENTITY")
_RANGE = re.compile(r"#range\(\s*([^,\s)]+)\s*,\s*([^,\s)]+)\s*\)")
_SOURCE_PREFIX = re.compile(r"^\s*\[?\s*Source\s*:\s*", re.IGNORECASE)
_DATE_IN_TEXT = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}, \d{4}\b")
# `SECRETARY KISSINGER: …` opening a paragraph of minutes that give speakers inline.
_INLINE_SPEAKER = re.compile(r"^([A-Z][A-Z.'’\- ]{1,40}[A-Z.]):\s+")


# ---------------------------------------------------------------- results


@dataclass
class IndexEntry:
    """An entry of the source's own index; page numbers come from where its anchors land."""

    term: str
    # (start anchor id, end anchor id or None for a point)
    targets: list[tuple[str, str | None]] = field(default_factory=list)
    subentries: list[IndexEntry] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    # The entry's own xml:id, which other entries' See references point at.
    id: str = ""


@dataclass
class TeiResult:
    documents: list[Document] = field(default_factory=list)
    persons: dict[str, Person] = field(default_factory=dict)
    cross_references: list[CrossReference] = field(default_factory=list)
    # Keys named like Settings fields, for a volume without edition.toml.
    settings_from_header: dict = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    index_entries: list[IndexEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Front-matter lists kept as pages (persons, abbreviations) for the front matter.
    front_pages: list[FrontPage] = field(default_factory=list)
    # Every explicit person reference (key, where), for checks against the register.
    person_refs: list[tuple[str, Pos]] = field(default_factory=list)


# ---------------------------------------------------------------- public API


def read_tei(path: Path, settings: Settings | None = None) -> TeiResult:
    """Read one TEI file into documents, persons, terms, index entries and header settings."""
    path = Path(path)
    root = _parse(path)
    lang = root.get(XML_LANG) or (settings.language if settings else "")
    reader = _Reader(path, root, lang)
    return reader.read()


def check_tei(path: Path, known_persons: Collection[str] = ()) -> list[str]:
    """Problems for `edition check`: unresolved person and internal targets, unknown elements.

    `known_persons` are keys the volume's register (persons.toml) defines besides the
    file's own persons list: a TEI document in a Markdown volume refers to those.
    """
    path = Path(path)
    result = read_tei(path)
    problems = list(result.warnings)
    for key, pos in result.person_refs:
        if key not in result.persons and key not in known_persons:
            problems.append(f"{pos}: person reference '#{key}' has no entry in the persons list")
    root = _parse(path)
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    for el in root.iter("{*}ref", "ref"):
        for target in _internal_targets(el.get("target", "")):
            if target not in ids:
                problems.append(f"{path}:{el.sourceline}: reference to '#{target}' points "
                                "at no xml:id in the file")
    return problems


# ---------------------------------------------------------------- parsing


def _parse(path: Path) -> etree._Element:
    """Parse safely: no DTD, no entities, no network; every failure is an EditionError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise EditionError("file not found", path) from None
    except OSError as exc:
        raise EditionError(f"cannot read file ({exc.strerror})", path) from None
    # Entity declarations are how XXE and entity bombs get in; TEI sources never need them.
    if b"<!DOCTYPE" in data and (m := _ENTITY_DECL.search(data)):
        raise EditionError("malformed XML: entity declarations are not allowed in TEI sources",
                           path, line_of(data.decode("latin-1"), m.start()))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser, base_url=str(path))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        # libxml2 may append the offending source text on further lines: keep one line.
        first = (exc.msg or str(exc)).split("\n", 1)[0].strip()
        message = re.sub(r", line \d+, column \d+$", "", first)
        raise EditionError(f"malformed XML: {message}", path, line) from None
    except ValueError as exc:  # e.g. an encoding declaration lxml refuses
        raise EditionError(f"malformed XML: {exc}", path, 1) from None
    # The byte check above cannot see `<!ENTITY` in UTF-16; the parsed DTD can.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(dtd.iterentities(), None) is not None:
        raise EditionError("malformed XML: entity declarations are not allowed in TEI sources",
                           path, 1)
    if _local(root) != "TEI":
        raise EditionError(f"not a TEI document: the root element is <{_local(root)}>", path,
                           root.sourceline or 1)
    return root


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(el: etree._Element, name: str | None = None) -> Iterator[etree._Element]:
    for child in el:
        if isinstance(child.tag, str) and (name is None or _local(child) == name):
            yield child


def _first(el: etree._Element, *names: str) -> etree._Element | None:
    return next((c for c in _children(el) if _local(c) in names), None)


def _descendants(el: etree._Element, name: str) -> Iterator[etree._Element]:
    return (d for d in el.iter() if isinstance(d.tag, str) and _local(d) == name)


def _text(el: etree._Element | None) -> str:
    """Plain text of an element, XML whitespace collapsed, notes left out."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in _children(node):
            if _local(child) != "note":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return _WS.sub(" ", "".join(parts)).strip()


def _key(target: str) -> str:
    """`#p_DJF1` → `p_DJF1`; a bare key stays; only the first of several targets counts."""
    first = target.split()[0] if target.split() else ""
    return first.rpartition("#")[2] if "#" in first else first


def _internal_targets(target: str) -> list[str]:
    if m := _RANGE.fullmatch(target.strip()):
        return [m.group(1), m.group(2)]
    return [t[1:] for t in target.split() if t.startswith("#") and len(t) > 1]


# ---------------------------------------------------------------- whitespace


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
            text = _WS.sub(" ", node.text)
            if state[0] and text.startswith(" "):
                text = text[1:]
            if not text:
                continue
            state[0] = text.endswith(" ")
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + text)
            else:
                out.append(Text(text))
        elif isinstance(node, LineBreak):
            _rstrip(out)
            out.append(node)
            state[0] = True
        elif isinstance(node, NoteCall):
            # Indentation before a note in pretty-printed XML is not a space before the call.
            _rstrip(out)
            out.append(node)
            state[0] = False
        elif isinstance(node, Emph | Strong | Span | NameRef | Ref):
            node.children = _collapse(node.children, state)
            if node.children or isinstance(node, NameRef | Ref):
                out.append(node)
        else:
            out.append(node)
    return out


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
        elif isinstance(node, Emph | Strong | Span | NameRef | Ref):
            _rstrip(node.children)
            if node.children:
                return
        elif not isinstance(node, PageMarker | IndexAnchor | NoteCall):
            return
        i -= 1


def _visible(inlines: list[Inline]) -> bool:
    """Whether a run prints anything (markers alone do not make a paragraph)."""
    for node in inlines:
        if isinstance(node, Text) and node.text.strip():
            return True
        if isinstance(node, NoteCall | LineBreak):
            return True
        if isinstance(node, Emph | Strong | Span | NameRef | Ref) and _visible(node.children):
            return True
    return False


def _plain(inlines: list[Inline]) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Emph | Strong | Span | NameRef | Ref):
            parts.append(_plain(node.children))
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return _WS.sub(" ", "".join(parts)).strip()


# ---------------------------------------------------------------- the reader


@dataclass
class _DocState:
    """What the walk collects for the document being read."""

    notes: dict[str, Note] = field(default_factory=dict)
    colophon: list[Block] = field(default_factory=list)
    generated: int = 0


class _Reader:
    def __init__(self, path: Path, root: etree._Element, lang: str) -> None:
        self.path = path
        self.file = str(path)
        self.root = root
        self.lang = lang
        self.result = TeiResult()
        self._warned: set[str] = set()
        self.doc: _DocState | None = None
        # Heading level of divisions nested in the current document.
        self.depth = 1
        self._counts: dict[str, int] = {}
        # xml:id → model Ref target, filled before the walk so forward references resolve.
        self.targets: dict[str, str] = {}
        # gloss/term xml:id → the abbreviation, for gloss targets.
        self.term_ids: dict[str, str] = {}

    def pos(self, el: etree._Element) -> Pos:
        return Pos(self.file, el.sourceline or 0)

    def warn(self, el: etree._Element, message: str, name: str | None = None) -> None:
        name = name or _local(el)
        if name not in self._warned:
            self._warned.add(name)
            self.result.warnings.append(f"{self.pos(el)}: {message}")

    def unknown(self, el: etree._Element) -> None:
        self.warn(el, f"unknown TEI element <{_local(el)}> (its text is kept)")

    # ------------------------------------------------------------ the whole file

    def read(self) -> TeiResult:
        header = _first(self.root, "teiHeader")
        text = _first(self.root, "text")
        self.result.settings_from_header = _header_settings(header, text, self.root)
        for person_list in _descendants(self.root, "listPerson"):
            self.read_list_person(person_list)
        if text is None:
            return self.result
        self.collect_targets(text)
        self.read_text(text)
        return self.result

    def read_text(self, text: etree._Element) -> None:
        parts = [c for c in _children(text) if _local(c) in ("front", "body", "back", "group")]
        if not parts:
            self.unknown_content(text)
        for part in parts:
            if _local(part) == "group":
                for sub in _children(part, "text"):
                    self.read_text(sub)
                continue
            self.read_part(part, front=_local(part) == "front")

    def unknown_content(self, text: etree._Element) -> None:
        self.warn(text, "TEI <text> has no <front>, <body> or <back>")

    def read_part(self, part: etree._Element, front: bool) -> None:
        """front/body/back: divisions become documents; loose content a chapter of its own.

        Loose paragraphs just before a document (a single-document file's `Source: …` and
        context lines) belong to that document: its colophon and headnote.
        """
        loose: list[etree._Element] = []
        for child in _children(part):
            name = _local(child)
            if name == "div":
                if loose and child.get("type") == "document":
                    self.read_division(child, front)
                    self.attach_loose(loose, self.result.documents[-1])
                    continue
                self.flush_loose(loose, part)
                self.read_division(child, front)
            elif name == "titlePage":
                self.read_title_page(child)
            elif name == "listPerson":
                continue  # read with the header's lists
            else:
                loose.append(child)
        self.flush_loose(loose, part)

    def flush_loose(self, loose: list[etree._Element], part: etree._Element) -> None:
        """Content standing directly in body/back (an article without divs) → one chapter."""
        if not loose:
            return
        elements = list(loose)
        loose.clear()
        if all(_local(e) in ("pb", "anchor", "milestone", "fw", "cb") for e in elements):
            return
        title = self.result.settings_from_header.get("title", "")
        doc = self.new_document(elements[0], kind="chapter", number="", title=[Text(title)])
        self.doc = _DocState()
        doc.body = self.blocks_of(elements)
        self.finish_document(doc)

    def attach_loose(self, loose: list[etree._Element], doc: Document) -> None:
        self.doc = _DocState(notes=doc.notes)
        blocks = self.blocks_of(list(loose))
        loose.clear()
        doc.colophon[:0] = self.doc.colophon
        self.doc = None
        headnote: list[Block] = []
        for block in blocks:
            if isinstance(block, Paragraph) and _SOURCE_PREFIX.match(_plain(block.inlines)):
                doc.colophon[:0] = _strip_source([_unwrap(block)])
            else:
                headnote.append(block)
        doc.headnote[:0] = headnote

    def read_title_page(self, page: etree._Element) -> None:
        """The title page is rebuilt from the settings; its subtitle fills a gap there."""
        header = self.result.settings_from_header
        sub = next((t for t in _descendants(page, "titlePart")
                    if t.get("type") in ("sub", "subtitle")), None)
        if sub is not None and not header.get("subtitle"):
            header["subtitle"] = _text(sub)

    # ------------------------------------------------------------ divisions

    def read_division(self, div: etree._Element, front: bool) -> None:
        kind, ident = div.get("type", ""), div.get(XML_ID, "")
        if ident in PERSONS_IDS or kind == "persons":
            self.read_persons(div)
            self.add_front_page(div)
        elif ident in INDEX_IDS or kind == "index":
            self.result.index_entries.extend(self.read_index(div))
        elif ident in TERMS_IDS or kind in TERMS_IDS:
            self.read_terms(div)
            if front:
                self.add_front_page(div)
            else:
                self.read_document(div, "chapter")
        elif kind == "document":
            self.read_document(div, "document")
        elif self.holds_units(div):
            # A part or compilation: its title as a document of its own, then its units.
            self.read_document(div, "chapter", include_divs=False)
            for child in _children(div, "div"):
                self.read_division(child, front)
        else:
            self.read_document(div, "chapter")

    def holds_units(self, div: etree._Element) -> bool:
        for child in _children(div, "div"):
            if child.get("type") in ("document", "chapter") or self.holds_units(child):
                return True
        return False

    def new_document(self, el: etree._Element, kind: str, number: str,
                     title: list[Inline]) -> Document:
        self._counts[kind] = self._counts.get(kind, 0) + 1
        if not number:
            count = self._counts[kind]
            number = str(count) if kind == "document" else f"{kind}-{count}"
        lang = ""
        for anc in (el, *el.iterancestors()):
            if anc.get(XML_LANG):
                lang = anc.get(XML_LANG)
                break
        return Document(number=number, title=title,
                        source=self.path, pos=self.pos(el), lang=lang or self.lang, kind=kind)

    def read_document(self, div: etree._Element, kind: str, include_divs: bool = True) -> None:
        self.doc = _DocState()
        number = div.get("n") or (div.get(XML_ID, "") if kind != "document" else "")
        heads = [h for h in _children(div, "head")]
        main = next((h for h in heads if h.get("type") not in ("short", "shortened",
                                                                "shortened-for-running-head",
                                                                "sub")), None)
        title = _tidy(self.inlines_of(main)) if main is not None else []
        if not title and div.getparent() is not None and _local(div.getparent()) == "body":
            # A file holding one untitled article: the header's title is its title.
            title = [Text(self.result.settings_from_header.get("title", ""))]
        doc = self.new_document(div, kind, number, title)
        for head in heads:
            if head is not main and head.get("type", "").startswith("short"):
                doc.short_title = _text(head)
        body: list[etree._Element] = []
        for child in _children(div):
            name = _local(child)
            if name == "head" and child in heads:
                continue
            if name == "div" and not include_divs:
                continue
            if name == "div" and child.get("type") == "headnote":
                doc.headnote.extend(self.division_blocks(child, heading=False))
                continue
            if name == "note" and child.get("type") in HEADNOTE_TYPES and not body:
                doc.headnote.extend(self.note_blocks(child))
                continue
            body.append(child)
        doc.date = self.document_date(div) if include_divs else ""
        self.depth = 1
        doc.body = self.blocks_of(body)
        if kind == "document":
            doc.body = _inline_speakers(doc.body)
        self.finish_document(doc)

    def finish_document(self, doc: Document) -> None:
        assert self.doc is not None
        doc.notes = self.doc.notes
        doc.colophon = self.doc.colophon
        self.doc = None
        self.result.documents.append(doc)

    def document_date(self, div: etree._Element) -> str:
        for dateline in _descendants(div, "dateline"):
            date = next(_descendants(dateline, "date"), None)
            if date is not None:
                return date.get("when") or _text(date)
            m = _DATE_IN_TEXT.search(_text(dateline))
            return m.group(0) if m else ""
        return ""

    def division_blocks(self, div: etree._Element, heading: bool = True) -> list[Block]:
        """A division nested in a document: its head as a Heading, then its content."""
        blocks: list[Block] = []
        self.depth += 1
        try:
            content = []
            for child in _children(div):
                if _local(child) == "head":
                    if heading:
                        blocks.append(Heading(min(self.depth, 6), _tidy(self.inlines_of(child)),
                                              self.pos(child)))
                else:
                    content.append(child)
            blocks.extend(self.blocks_of(content))
        finally:
            self.depth -= 1
        return blocks

    def add_front_page(self, div: etree._Element) -> None:
        saved, self.doc = self.doc, _DocState()
        head = _first(div, "head")
        content = [c for c in _children(div) if _local(c) != "head"]
        blocks = self.blocks_of(content)
        if self.doc.notes:
            self.warn(div, "notes in a front-matter list are not printed", "front-page-note")
        self.doc = saved
        title = _text(head) or div.get(XML_ID, "")
        self.result.front_pages.append(FrontPage(title, blocks, self.path))

    # ------------------------------------------------------------ cross-reference targets

    def collect_targets(self, text: etree._Element) -> None:
        for el in text.iter():
            ident = el.get(XML_ID) if isinstance(el.tag, str) else None
            if not ident:
                continue
            name = _local(el)
            if name == "div" and el.get("type") == "document" and el.get("n"):
                self.targets[ident] = f"doc:{el.get('n')}"
            elif name == "div" and el.get("type") not in ATTACHMENT_TYPES:
                self.targets[ident] = f"doc:{el.get('n') or ident}"
            elif name == "note":
                self.targets[ident] = f"note:{ident}"
            elif name == "term":
                self.term_ids[ident] = _text(el)

    # ------------------------------------------------------------ blocks

    def blocks_of(self, elements: list[etree._Element]) -> list[Block]:
        """Blocks of a sequence of sibling elements (no running text between them)."""
        holder = _Run(self)
        for el in elements:
            holder.child(el, in_division=True)
            if el.tail and el.tail.strip():
                holder.run.append(Text(el.tail))
        return holder.finish()

    def container_blocks(self, el: etree._Element, in_division: bool = False,
                         paragraph: Callable[[list[Inline], Pos, bool], Paragraph] | None = None,
                         ) -> list[Block]:
        """Blocks of an element with mixed content: running text becomes paragraphs."""
        holder = _Run(self, paragraph)
        holder.start(el)
        for child in _children(el):
            holder.child(child, in_division)
            if child.tail:
                holder.run.append(Text(child.tail))
        return holder.finish()

    def is_block(self, el: etree._Element, in_division: bool) -> bool:
        name = _local(el)
        if name in ALWAYS_BLOCK:
            return True
        if name == "quote":
            rend = el.get("rend", "")
            return ("block" in rend or in_division
                    or any(_local(c) in ("p", "lg", "list", "table") for c in _children(el)))
        return name in BLOCK_IN_DIVISION and in_division

    def block(self, el: etree._Element) -> list[Block]:
        name, pos = _local(el), self.pos(el)
        handler = getattr(self, f"block_{name}", None)
        if handler is not None:
            return handler(el)
        if name in ("dateline", "docDate"):
            return self.paragraphs(el, align="right", roles=["dateline"])
        if name == "signed":
            return self.paragraphs(el, align="right", roles=["signature"])
        if name in ("salute", "byline", "docAuthor", "trailer", "stage", "bibl", "label",
                    "argument", "epigraph"):
            return self.paragraphs(el, roles=[name.lower()])
        if name in ("opener", "closer", "postscript", "ab", "cit", "titlePage"):
            return self.container_blocks(el, in_division=True)
        if name == "listPerson":
            return []
        return [Paragraph(_tidy(self.inlines_of(el)), pos)]

    def paragraphs(self, el: etree._Element, align: str = "justify",
                   roles: list[str] | None = None) -> list[Block]:
        def make(inlines: list[Inline], pos: Pos, first: bool) -> Paragraph:
            return Paragraph(inlines, pos, align, list(roles or []))  # type: ignore[arg-type]
        return self.container_blocks(el, paragraph=make)

    def block_p(self, el: etree._Element) -> list[Block]:
        rend = el.get("rend", "")
        if any(rend.startswith(r) for r in SECTION_TITLE_RENDS):
            return [Heading(min(self.depth + 1, 6), _tidy(self.inlines_of(el)), self.pos(el))]
        tokens = rend.split()
        align = next((ALIGN[t] for t in tokens if t in ALIGN), "justify")
        roles = [t for t in tokens if t not in ALIGN or t == "flushleft"]
        roles = ["noindent" if t == "flushleft" else t for t in roles]

        def make(inlines: list[Inline], pos: Pos, first: bool) -> Paragraph:
            extra = [] if first else ["noindent"]  # the text after a list inside a <p>
            return Paragraph(inlines, pos, align, roles + extra)  # type: ignore[arg-type]
        return self.container_blocks(el, paragraph=make)

    def block_head(self, el: etree._Element) -> list[Block]:
        return [Heading(min(self.depth + 1, 6), _tidy(self.inlines_of(el)), self.pos(el))]

    def block_div(self, el: etree._Element) -> list[Block]:
        kind = el.get("type", "")
        if kind in ATTACHMENT_TYPES:
            head = _first(el, "head")
            title = _tidy(self.inlines_of(head)) if head is not None else []
            content = [c for c in _children(el) if c is not head]
            return [Attachment(title, self.blocks_of(content), self.pos(el))]
        return self.division_blocks(el)

    def block_quote(self, el: etree._Element) -> list[Block]:
        return [Quote(self.container_blocks(el, in_division=True), self.pos(el))]

    def block_list(self, el: etree._Element) -> list[Block]:
        rend = f"{el.get('rend', '')} {el.get('type', '')}"
        ordered = any(w in rend for w in ("numbered", "ordered", "decimal", "arabic"))
        blocks: list[Block] = []
        head = _first(el, "head")
        if head is not None:
            blocks.append(Paragraph(_tidy(self.inlines_of(head)), self.pos(head),
                                    roles=["list-head"]))
        items: list[list[Block]] = []
        label: list[Inline] = []
        for child in _children(el):
            name = _local(child)
            if name == "label":
                label = _tidy(self.inlines_of(child))
            elif name == "item":
                item = self.container_blocks(child)
                if label:
                    _prefix(item, [Span("label", label), Text(" ")], self.pos(child))
                    label = []
                items.append(item)
            elif name != "head":
                items.append(self.blocks_of([child]))
        start = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
        blocks.append(ListBlock(ordered, items, start, self.pos(el)))
        return blocks

    def block_listBibl(self, el: etree._Element) -> list[Block]:  # noqa: N802 (TEI name)
        items = [self.container_blocks(b) for b in _children(el) if _local(b) != "head"]
        return [ListBlock(False, items, 1, self.pos(el))]

    def block_table(self, el: etree._Element) -> list[Block]:
        rows: list[list[TableCell]] = []
        caption: list[Inline] = []
        for child in _children(el):
            name = _local(child)
            if name == "head":
                caption = _tidy(self.inlines_of(child))
            elif name == "row":
                header_row = child.get("role") == "label"
                rows.append([self.cell(c, header_row) for c in _children(child, "cell")])
            else:
                self.unknown(child)
        return [Table(rows, caption, self.pos(el))]

    def cell(self, el: etree._Element, header_row: bool) -> TableCell:
        def span(attr: str) -> int:
            value = el.get(attr, "1")
            return int(value) if value.isdigit() and int(value) > 0 else 1
        return TableCell(_tidy(self.inlines_of(el)), header_row or el.get("role") == "label",
                         span("cols"), span("rows"))

    def block_lg(self, el: etree._Element) -> list[Block]:
        lines = [_tidy(self.inlines_of(line)) for line in _descendants(el, "l")]
        return [Verse(lines, self.pos(el))]

    def block_l(self, el: etree._Element) -> list[Block]:
        return [Verse([_tidy(self.inlines_of(el))], self.pos(el))]

    def block_sp(self, el: etree._Element) -> list[Block]:
        speaker_el = _first(el, "speaker")
        speakers = self.speakers(el, speaker_el)
        content = [c for c in _children(el) if c is not speaker_el]
        holder = _Run(self)
        if speaker_el is not None and speaker_el.tail:
            holder.run.append(Text(speaker_el.tail))
        for child in content:
            holder.child(child, in_division=True)
            if child.tail:
                holder.run.append(Text(child.tail))
        return [SpeakerTurn(speakers, holder.finish(), self.pos(el))]

    def speakers(self, sp: etree._Element, speaker: etree._Element | None) -> list[Speaker]:
        label = _text(speaker).rstrip(":").strip() if speaker is not None else ""
        who = [_key(w) for w in sp.get("who", "").split()]
        if speaker is not None:
            who += [_key(p.get("corresp") or p.get("ref", ""))
                    for p in _descendants(speaker, "persName")
                    if p.get("corresp") or p.get("ref")]
        who = list(dict.fromkeys(w for w in who if w))
        for key in who:
            self.result.person_refs.append((key, self.pos(speaker if speaker is not None
                                                          else sp)))
        labels = [part.strip() for part in label.split(",")] if len(who) > 1 else [label]
        if len(who) > 1 and len(labels) == len(who):
            return [Speaker(lab, key) for lab, key in zip(labels, who, strict=True)]
        return [Speaker(label, who[0] if len(who) == 1 else None)]

    def block_figure(self, el: etree._Element) -> list[Block]:
        if next(_descendants(el, "graphic"), None) is not None:
            self.warn(el, "<figure> images are not supported; the caption is kept", "graphic")
        blocks: list[Block] = []
        for child in _children(el):
            name = _local(child)
            if name in ("head", "p", "figDesc"):
                if name == "figDesc":
                    continue
                blocks.append(Paragraph(_tidy(self.inlines_of(child)), self.pos(child),
                                        roles=["caption"]))
            elif name != "graphic":
                blocks.extend(self.blocks_of([child]))
        return blocks

    def note_blocks(self, note: etree._Element) -> list[Block]:
        return self.container_blocks(note, in_division=False)

    # ------------------------------------------------------------ inlines

    def inlines_of(self, el: etree._Element | None) -> list[Inline]:
        """The inline content of an element (its text and its children with their tails)."""
        if el is None:
            return []
        out: list[Inline] = []
        if el.text:
            out.append(Text(el.text))
        for child in _children(el):
            out.extend(self.inline(child))
            if child.tail:
                out.append(Text(child.tail))
        return out

    def inline(self, el: etree._Element) -> list[Inline]:
        name = _local(el)
        handler = getattr(self, f"inline_{name}", None)
        if handler is not None:
            return handler(el)
        if name in SILENT:
            return []
        if name in TRANSPARENT:
            return self.inlines_of(el)
        self.unknown(el)
        return self.inlines_of(el)

    def inline_hi(self, el: etree._Element) -> list[Inline]:
        children = self.inlines_of(el)
        for token in reversed(el.get("rend", "").split() or ["italic"]):
            if token in ITALIC:
                children = [Emph(children)]
            elif token in BOLD:
                children = [Strong(children)]
            else:
                children = [Span(HI_ROLES.get(token, token), children)]
        return children

    def inline_emph(self, el: etree._Element) -> list[Inline]:
        return [Emph(self.inlines_of(el))]

    def inline_title(self, el: etree._Element) -> list[Inline]:
        return [Span("title", self.inlines_of(el))]

    def inline_foreign(self, el: etree._Element) -> list[Inline]:
        return [Span("foreign", self.inlines_of(el))]

    def inline_supplied(self, el: etree._Element) -> list[Inline]:
        return [Span("supplied", [Text("["), *self.inlines_of(el), Text("]")])]

    def inline_gap(self, el: etree._Element) -> list[Inline]:
        return [Text("[…]")]

    def inline_sic(self, el: etree._Element) -> list[Inline]:
        return [Span("sic", self.inlines_of(el))]

    def inline_abbr(self, el: etree._Element) -> list[Inline]:
        return [Span("abbr", self.inlines_of(el))]

    def inline_choice(self, el: etree._Element) -> list[Inline]:
        # Print the corrected, then the abbreviated, then the regularised reading.
        for name in ("corr", "abbr", "reg", "orig", "expan", "sic"):
            chosen = _first(el, name)
            if chosen is not None:
                return self.inline(chosen) if name in ("abbr", "sic") else self.inlines_of(chosen)
        return self.inlines_of(el)

    def inline_gloss(self, el: etree._Element) -> list[Inline]:
        children = self.inlines_of(el)
        shown = _text(el)
        target = _key(el.get("target", ""))
        if target and shown:
            abbr = self.term_ids.get(target)
            if abbr and abbr in self.result.terms and shown not in self.result.terms:
                self.result.terms[shown] = self.result.terms[abbr]
            elif not abbr:
                self.warn(el, f"gloss target '#{target}' is not in the terms list",
                          f"gloss#{target}")
        return [Span("abbr", children)]

    def inline_ref(self, el: etree._Element) -> list[Inline]:
        target = el.get("target", "")
        children = self.inlines_of(el)
        if target.startswith("#") and not target.startswith("#range("):
            key = target[1:].split()[0] if target[1:].split() else ""
            target = self.targets.get(key, target)
        if not children and not target:
            return []
        return [Ref(target, children or [Text(target)])]

    def inline_persName(self, el: etree._Element) -> list[Inline]:  # noqa: N802 (TEI name)
        children = self.inlines_of(el)
        target = el.get("corresp") or el.get("ref") or ""
        key = _key(target)
        if not key or target.startswith(("http:", "https:")):
            return children
        pos = self.pos(el)
        self.result.person_refs.append((key, pos))
        return [NameRef(key, children, pos, explicit=True)]

    def inline_lb(self, el: etree._Element) -> list[Inline]:
        return [LineBreak()]

    def inline_pb(self, el: etree._Element) -> list[Inline]:
        return [PageMarker(el.get("n", ""))] if el.get("n") else []

    def inline_anchor(self, el: etree._Element) -> list[Inline]:
        ident = el.get(XML_ID)
        return [IndexAnchor(ident)] if ident else []

    def inline_speaker(self, el: etree._Element) -> list[Inline]:
        return [Span("speaker", self.inlines_of(el))]

    def inline_note(self, el: etree._Element) -> list[Inline]:
        kind = el.get("type", "")
        if self.doc is None:
            self.warn(el, "a note outside any document is not printed", "note-outside")
            return []
        if kind == "source":
            self.doc.colophon.extend(_strip_source(self.note_blocks(el)))
            return []
        label = self.note_label(el)
        pos = self.pos(el)
        # Reserve the label before reading the content: a note may contain notes.
        self.doc.notes[label] = Note(label, [], pos)
        self.doc.notes[label].blocks = self.note_blocks(el)
        return [NoteCall(label, pos)]

    def note_label(self, el: etree._Element) -> str:
        assert self.doc is not None
        label = el.get(XML_ID) or el.get("n") or ""
        if not label or label in self.doc.notes:
            base = label or "n"
            while True:
                self.doc.generated += 1
                label = f"{base}-{self.doc.generated}" if base != "n" else \
                    f"n{self.doc.generated}"
                if label not in self.doc.notes:
                    break
        return label

    # ------------------------------------------------------------ persons

    def read_persons(self, div: etree._Element) -> None:
        """FRUS persons list: items `persName[@xml:id]` followed by an identification."""
        for item in _descendants(div, "item"):
            name = next((p for p in _descendants(item, "persName") if p.get(XML_ID)), None)
            if name is None:
                self.cross_reference(item)
                continue
            index_form = _text(name)
            full = _text(item)
            at = full.find(index_form)
            rest = full[at + len(index_form):] if at >= 0 else ""
            identification = rest.lstrip(" ,;:").strip()
            self.add_person(name.get(XML_ID), index_form, identification, self.pos(item))

    def cross_reference(self, item: etree._Element) -> None:
        """`Münich. See Münnich, Ferenc` in a persons list."""
        text = _text(item)
        ref = next((r for r in _descendants(item, "ref") if r.get("target")), None)
        m = re.match(r"(.+?)[.,]?\s+See\s+", text)
        if m and ref is not None:
            self.result.cross_references.append(
                CrossReference(m.group(1).strip(), _key(ref.get("target", ""))))

    def read_list_person(self, person_list: etree._Element) -> None:
        for person in _children(person_list, "person"):
            key = person.get(XML_ID)
            names = list(_children(person, "persName"))
            if not key or not names:
                continue
            index_form = _index_form(names[0])
            note = _first(person, "note")
            ident = _text(note) if note is not None else ", ".join(
                _text(e) for e in _children(person) if _local(e) in ("occupation", "roleName"))
            self.add_person(key, index_form, ident, self.pos(person))
            extra = [_text(n) for n in names[1:]]
            self.result.persons[key].forms.extend(f for f in extra if f)

    def add_person(self, key: str, index_form: str, identification: str, pos: Pos) -> None:
        if key in self.result.persons:
            self.warn_at(pos, f"person '{key}' is listed twice; the first entry is kept")
            return
        self.result.persons[key] = Person(key, index_form, identification,
                                          _forms(index_form), pos=pos)

    def warn_at(self, pos: Pos, message: str) -> None:
        self.result.warnings.append(f"{pos}: {message}")

    # ------------------------------------------------------------ terms

    def read_terms(self, div: etree._Element) -> None:
        for lst in _descendants(div, "list"):
            label: etree._Element | None = None
            for child in _children(lst):
                if _local(child) == "label":
                    label = child
                elif _local(child) == "item":
                    self.read_term_item(child, label)
                    label = None

    def read_term_item(self, item: etree._Element, label: etree._Element | None) -> None:
        full = _text(item)
        if label is not None:
            keys, expansion = [_text(label)], full
        else:
            first = next(_children(item), None)
            if first is None:
                return
            terms = [first] if _local(first) == "term" else list(_descendants(first, "term"))
            keys = [_text(t) for t in terms] or [_text(first)]
            shown = _text(first)
            expansion = full[full.find(shown) + len(shown):] if shown in full else full
            for term in terms:
                if term.get(XML_ID):
                    self.term_ids[term.get(XML_ID)] = _text(term)
        expansion = expansion.lstrip(" ,;:").strip()
        for key in keys:
            key = key.strip().rstrip(",;:").strip()
            if key and expansion:
                self.result.terms.setdefault(key, expansion)

    # ------------------------------------------------------------ the source's index

    def read_index(self, div: etree._Element) -> list[IndexEntry]:
        entries: list[IndexEntry] = []
        for lst in _children(div, "list"):
            entries.extend(e for e in map(_index_item, _children(lst, "item")) if e)
        return entries


class _Run:
    """Collects running text into paragraphs and passes block children to the reader."""

    def __init__(self, reader: _Reader,
                 paragraph: Callable[[list[Inline], Pos, bool], Paragraph] | None = None):
        self.reader = reader
        self.paragraph = paragraph or (lambda inl, pos, first: Paragraph(inl, pos))
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
        if self.reader.is_block(el, in_division):
            self.flush()
            blocks = self.reader.block(el)
            if self.pending and blocks and isinstance(blocks[0], Paragraph | Heading):
                blocks[0].inlines[:0] = self.pending
                self.pending = []
            self.blocks.extend(blocks)
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


def _unwrap(block: Paragraph) -> Paragraph:
    """A paragraph wholly in one styled run (`<p><hi>Source: …</hi></p>`) as its content."""
    inlines = block.inlines
    while len(inlines) == 1 and isinstance(inlines[0], Emph | Strong):
        inlines = inlines[0].children
    block.inlines = inlines
    return block


def _inline_speakers(blocks: list[Block]) -> list[Block]:
    """Minutes that name speakers inline (`PROFESSOR OLIVER: …`) → SpeakerTurns.

    Only when the labels recur (two speakers at least twice each), so a memorandum's
    `SUBJECT:` line is never taken for a speaker. Following paragraphs without a label
    continue the turn; a parenthesised paragraph is a stage direction and ends it.
    """
    labels = [_speaker_label(b) for b in blocks]
    counts: dict[str, int] = {}
    for label in labels:
        if label:
            counts[label] = counts.get(label, 0) + 1
    if sum(1 for n in counts.values() if n >= 2) < 2:
        return blocks
    out: list[Block] = []
    turn: SpeakerTurn | None = None
    for block, label in zip(blocks, labels, strict=True):
        if label and isinstance(block, Paragraph):
            _drop_label(block)
            turn = SpeakerTurn([Speaker(_title_case(label))], [block], block.pos)
            out.append(turn)
        elif (turn is not None and isinstance(block, Paragraph) and not block.roles
              and not _plain(block.inlines).startswith("(")):
            turn.blocks.append(block)
        else:
            if isinstance(block, Paragraph) and _plain(block.inlines).startswith("("):
                block.roles.append("stage")
            turn = None
            out.append(block)
    return out


def _speaker_label(block: Block) -> str:
    if not isinstance(block, Paragraph) or not block.inlines:
        return ""
    first = block.inlines[0]
    m = _INLINE_SPEAKER.match(first.text) if isinstance(first, Text) else None
    return m.group(1) if m else ""


def _drop_label(block: Paragraph) -> None:
    first = block.inlines[0]
    assert isinstance(first, Text)
    first.text = _INLINE_SPEAKER.sub("", first.text, count=1)
    if not first.text:
        del block.inlines[0]


def _title_case(label: str) -> str:
    """`MR. AANDAHL` → `Mr. Aandahl`: small caps are set from mixed case."""
    return " ".join(word[:1] + word[1:].lower() for word in label.split())


def _prefix(blocks: list[Block], inlines: list[Inline], pos: Pos) -> None:
    if blocks and isinstance(blocks[0], Paragraph):
        blocks[0].inlines[:0] = inlines
    else:
        blocks.insert(0, Paragraph(inlines, pos))


def _strip_source(blocks: list[Block]) -> list[Block]:
    """Colophon text without `Source:` and brackets: the renderer prints `[Source: …]`."""
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    if not paragraphs:
        return blocks
    first, last = paragraphs[0].inlines, paragraphs[-1].inlines
    if first and isinstance(first[0], Text):
        first[0].text = _SOURCE_PREFIX.sub("", first[0].text)
        if first[0].text.startswith("["):
            first[0].text = first[0].text[1:]
    if last and isinstance(last[-1], Text) and last[-1].text.endswith("]"):
        last[-1].text = last[-1].text[:-1]
    for para in (paragraphs[0], paragraphs[-1]):
        para.inlines = [n for n in para.inlines if not (isinstance(n, Text) and not n.text)]
    return blocks


# ---------------------------------------------------------------- persons' names


def _index_form(name: etree._Element) -> str:
    """A listPerson name as an index heading: `Surname, Forenames` when the parts are tagged."""
    surname = " ".join(_text(s) for s in _children(name, "surname"))
    forenames = " ".join(_text(f) for f in _children(name, "forename"))
    if surname and forenames:
        return f"{surname}, {forenames}"
    return _text(name)


def _forms(index_form: str) -> list[str]:
    """Forms the register matches in running text: the surname and `First Last`."""
    surname, _, given = index_form.partition(",")
    surname, given = surname.strip(), given.strip()
    forms = [surname] if surname else []
    if given:
        forms.append(f"{given} {surname}")
    return forms


# ---------------------------------------------------------------- the source's index


def _index_item(item: etree._Element) -> IndexEntry | None:
    """One index item: `term, refs; subterm, refs (see also …). See …` plus nested lists."""
    main: IndexEntry | None = None
    current: IndexEntry | None = None
    mode = ""  # "", "see" or "see_also"
    collected: list[str] = []

    def close_see() -> None:
        nonlocal mode
        text = _WS.sub(" ", "".join(collected)).strip(" .,;:()")
        if mode and current is not None and text:
            getattr(current, mode).append(text)
        collected.clear()
        mode = ""

    def feed(piece: str | None) -> None:
        nonlocal mode
        # Text between elements: in See mode it is part of the target; `;` or `)` ends it.
        if not piece or not mode:
            return
        rest = piece
        while rest and mode:
            m = re.search(r"[;)]", rest)
            if not m:
                collected.append(rest)
                return
            collected.append(rest[:m.start()])
            # `See A; B` names two targets; `(see also …)` ends with its parenthesis.
            keep = mode if m.group() == ";" else ""
            close_see()
            mode = keep
            rest = rest[m.end():]

    feed(item.text)
    for child in _children(item):
        name = _local(child)
        if name == "term":
            close_see()
            entry = IndexEntry(_text(child), id=child.get(XML_ID, ""))
            if main is None:
                main = entry
            else:
                main.subentries.append(entry)
            current = entry
        elif name == "hi" and _text(child).lower() in ("see", "see also"):
            close_see()
            mode = "see_also" if _text(child).lower() == "see also" else "see"
        elif name == "ref" and mode:
            collected.append(_text(child))
        elif name == "ref" and current is not None:
            target = child.get("target", "")
            if m := _RANGE.fullmatch(target.strip()):
                current.targets.append((m.group(1), m.group(2)))
            elif target.startswith("#") and len(target) > 1:
                current.targets.append((target[1:], None))
        elif name == "list" and main is not None:
            close_see()
            main.subentries.extend(e for e in map(_index_item, _children(child, "item")) if e)
        elif mode:
            collected.append(_text(child))
        feed(child.tail)
    close_see()
    return main


# ---------------------------------------------------------------- the header


def _header_settings(header: etree._Element | None, text: etree._Element | None,
                     root: etree._Element) -> dict:
    """teiHeader → a dict keyed like Settings fields; only what the header states."""
    out: dict = {}
    if header is None:
        return out
    file_desc = _first(header, "fileDesc")
    title_stmt = _first(file_desc, "titleStmt") if file_desc is not None else None
    pub = _first(file_desc, "publicationStmt") if file_desc is not None else None
    if title_stmt is not None:
        _titles(title_stmt, out)
        editors = [_text(e) for e in _children(title_stmt) if _local(e) == "editor"]
        if editors:
            out["editors"] = [e for e in editors if e]
    if file_desc is not None and (ed := next(_descendants(file_desc, "edition"), None)) is not None:
        out["edition_statement"] = _text(ed)
    if pub is not None:
        _publication(pub, out)
    lang = root.get(XML_LANG) or (text.get(XML_LANG) if text is not None else None)
    if not lang:
        language = next(_descendants(header, "language"), None)
        lang = language.get("ident") if language is not None else None
    if lang:
        out["language"] = lang
    keywords = [_text(t) for k in _descendants(header, "keywords") for t in _children(k, "term")]
    if keywords:
        out["keywords"] = keywords
    return out


def _titles(title_stmt: etree._Element, out: dict) -> None:
    titles = list(_children(title_stmt, "title"))
    by_type = {t.get("type", ""): _text(t) for t in reversed(titles)}
    main = next((_text(t) for t in titles if t.get("type") in (None, "", "main", "complete")),
                "")
    sub = by_type.get("sub") or by_type.get("subtitle") or ""
    short = by_type.get("short", "")
    # `Short: the rest` as the complete title is a title and a subtitle.
    if not sub and short and main.startswith(short) and main[len(short):].startswith(":"):
        main, sub = short, main[len(short) + 1:].strip()
    if main or short:
        out["title"] = main or short
    if sub:
        out["subtitle"] = sub


def _publication(pub: etree._Element, out: dict) -> None:
    publisher = _first(pub, "publisher", "distributor", "authority")
    if publisher is not None:
        out["publisher"] = _text(publisher)
    place = _first(pub, "pubPlace")
    if place is not None:
        out["place"] = _text(place)
    dates = [d for d in _children(pub, "date") if d.get("type") != "created"]
    if dates:
        m = re.search(r"\b(\d{4})\b", dates[0].get("when", "") or _text(dates[0]))
        if m:
            out["year"] = m.group(1)
    availability = _first(pub, "availability")
    if availability is not None:
        out["rights"] = _text(availability)
    for idno in _children(pub, "idno"):
        if idno.get("type", "").upper() == "ISBN":
            out["isbn"] = _text(idno)
