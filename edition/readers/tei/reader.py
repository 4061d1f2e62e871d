"""The reader's state and its walk: TEI text → parts → divisions → documents.

`TeiReader` holds what the walk needs across elements (the file, the document being
read, heading depth, cross-reference targets, notices given) and dispatches each element
to its rule in `blocks.BLOCK_RULES` or `inlines.INLINE_RULES`. The walk itself decides
what a division is: a document, a chapter, a persons or terms list, the source's index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.languages import two_letter
from edition.model import (
    Block,
    Document,
    FrontPage,
    Heading,
    Inline,
    NameRef,
    Note,
    Notice,
    Paragraph,
    Pos,
    Span,
    Text,
    plain_text,
    walk,
)
from edition.readers.base import ReaderResult
from edition.readers.speakers import run_in_speakers
from edition.readers.tei.apparatus import (
    APPARATUS_LISTS,
    attached_apps,
    attached_entries,
    read_witnesses,
    spread_attached,
)
from edition.readers.tei.blocks import ATTACHMENT_TYPES, BLOCK_RULES, block_paragraph
from edition.readers.tei.colophon import SOURCE_PREFIX, _strip_source, _unwrap
from edition.readers.tei.glyphs import read_glyphs
from edition.readers.tei.header import _header_settings
from edition.readers.tei.inlines import INLINE_RULES, inline_unknown, note_blocks
from edition.readers.tei.notes import detached_notes, is_note_list
from edition.readers.tei.parallel import division_keys, is_paired, link_translation, sectioned
from edition.readers.tei.persons import (
    read_list_person,
    read_list_place,
    read_persons,
    read_terms,
)
from edition.readers.tei.run import MakeParagraph, Run
from edition.readers.tei.single import (
    archive_signature,
    correspondence_title,
    correspondents,
    is_single_document,
    piece_title,
)
from edition.readers.tei.source_index import read_index
from edition.readers.tei.whitespace import _tidy
from edition.readers.tei.xml import (
    XML_ID,
    XML_LANG,
    _children,
    _descendants,
    _first,
    _local,
    _text,
)
from edition.readers.typography import quote_runs, quotes_for

# Divisions that are read as data, not printed as text.
PERSONS_IDS = ("persons",)
TERMS_IDS = ("terms", "abbreviations")
INDEX_IDS = ("index",)
# An editorial note first in a document is its headnote.
HEADNOTE_TYPES = ("editorial", "summary", "headnote")
# Heads that are a document's short title, not its title.
SHORT_HEAD_TYPES = ("short", "shortened", "shortened-for-running-head", "sub")
# A source's registers (in `back` or `standOff`): read as data, never printed as text.
REGISTER_LISTS = ("listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym",
                  "listRelation", "listObject")
# Elements standing loose in a part that print nothing on their own.
MARKERS = ("pb", "anchor", "milestone", "fw", "cb")
_DATE_IN_TEXT = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}, \d{4}\b")


@dataclass
class _DocState:
    """What the walk collects for the document being read."""

    notes: dict[str, Note] = field(default_factory=dict)
    colophon: list[Block] = field(default_factory=list)
    generated: int = 0


class TeiReader:
    """One TEI file being read: the walk's state and the dispatch to the rules."""

    def __init__(self, path: Path, root: etree._Element, lang: str) -> None:
        self.path = path
        self.file = str(path)
        self.root = root
        self.lang = lang
        self.result = ReaderResult()
        self._warned: set[str] = set()
        self.doc: _DocState | None = None
        # Heading level of divisions nested in the current document.
        self.depth = 1
        self._counts: dict[str, int] = {}
        # xml:id → model Ref target, filled before the walk so forward references resolve.
        self.targets: dict[str, str] = {}
        # gloss/term xml:id → the abbreviation, for gloss targets.
        self.term_ids: dict[str, str] = {}
        # Abbreviation → expansion from the terms lists (printed as their front page).
        self.terms: dict[str, str] = {}
        # The critical apparatus: the base witness's siglum (a setting) and each
        # witness's xml:id → its siglum (readers/tei/apparatus.py).
        self.apparatus_base = ""
        self.witness_sigla: dict[str, str] = {}
        # Every explicit person reference (key, where), for checks against the register.
        self.person_refs: list[tuple[str, Pos]] = []
        # Divisions (chapters, compilations) being read around the current one, and
        # whether any of them holds a document: a documentary volume's grouping.
        self.units = 0
        self.grouped_documents = False
        # The documents (`div type="document"`) the file holds: two or more are a
        # series' volume (or an excerpt of one), whatever its division structure.
        self.document_divs = 0
        # charDecl: glyph id → (the glyph as written, its standard form), for `g`.
        self.glyphs: dict[str, tuple[str, str]] = read_glyphs(root)
        # Anchor or element id → notes kept apart from the text (in back, standOff, a
        # noteGrp) that point at it: each is called there.
        self.detached: dict[str, list[etree._Element]] = {}
        # Apparatus attached by end points (readers/tei/apparatus.py): the entries by
        # the id where their lemma starts, and each entry's lemma text.
        self.attached: dict[str, list[etree._Element]] = {}
        self.cited: dict[etree._Element, str] = {}
        # The file transcribes one document (a letter): its body is that document.
        self.header: etree._Element | None = None
        self.single = False

    # ------------------------------------------------------------ positions and notices

    def pos(self, el: etree._Element) -> Pos:
        return Pos(self.file, el.sourceline or 0)

    def notice(self, pos: Pos, message: str) -> None:
        self.result.notices.append(Notice(message, pos))

    def warn(self, el: etree._Element, message: str, name: str | None = None) -> None:
        """A notice given once per `name` (the element's name unless told otherwise)."""
        name = name or _local(el)
        if name not in self._warned:
            self._warned.add(name)
            self.notice(self.pos(el), message)

    def unknown(self, el: etree._Element) -> None:
        self.warn(el, f"unknown TEI element <{_local(el)}> (its text is kept)")

    # ------------------------------------------------------------ dispatch to the rules

    def block(self, el: etree._Element) -> list[Block]:
        blocks = BLOCK_RULES.get(_local(el), block_paragraph)(self, el)
        if lang := self.changed_lang(el):
            # Every run of the element's blocks is in its language (an inner element
            # in yet another language keeps its own: the innermost span wins).
            for run, setter, _ in walk.runs(blocks):
                if setter is not None and run:
                    setter([Span("", run, lang)])
        return blocks

    def inline(self, el: etree._Element) -> list[Inline]:
        inlines = INLINE_RULES.get(_local(el), inline_unknown)(self, el)
        if self.detached and el.get(XML_ID) in self.detached and self.doc is not None:
            # A commentary note kept apart: called at its anchor, after the span it names.
            for note in self.detached.pop(el.get(XML_ID)):
                inlines.extend(INLINE_RULES["note"](self, note))
        if self.attached and el.get(XML_ID) in self.attached:
            inlines.extend(attached_entries(self, el))
        lang = self.changed_lang(el)
        if not lang or not inlines:
            return inlines
        if len(inlines) == 1 and isinstance(inlines[0], Span) and not inlines[0].lang:
            inlines[0].lang = lang  # `<foreign xml:lang="fr">`: one span, its language
            return inlines
        return [Span("", inlines, lang)]

    def changed_lang(self, el: etree._Element) -> str:
        """The element's xml:lang when it differs from the language around it, else ""
        (a division's own language is its document's: `new_document`)."""
        lang = el.get(XML_LANG, "")
        if not lang or (_local(el) == "div" and self.doc is None):
            return ""
        around = next((a.get(XML_LANG) for a in el.iterancestors() if a.get(XML_LANG)),
                      self.lang)
        return lang if two_letter(lang).lower() != two_letter(around or "").lower() else ""

    def lang_at(self, el: etree._Element) -> str:
        """The language of the element's text: its own or nearest xml:lang, or the file's."""
        return next((a.get(XML_LANG) for a in (el, *el.iterancestors()) if a.get(XML_LANG)),
                    self.lang)

    def inlines_of(self, el: etree._Element | None) -> list[Inline]:
        """The inline content of an element (its text and its children with their tails)."""
        if el is None:
            return []
        out: list[Inline] = []
        if self.attached and el.get(XML_ID) in self.attached:
            out.extend(attached_entries(self, el))  # a lemma starting with `el`
        if el.text:
            out.append(Text(el.text))
        for child in _children(el):
            out.extend(self.inline(child))
            if child.tail:
                out.append(Text(child.tail))
        return spread_attached(out) if self.cited else out

    def blocks_of(self, elements: list[etree._Element]) -> list[Block]:
        """Blocks of a sequence of sibling elements (no running text between them)."""
        holder = Run(self)
        for el in elements:
            holder.child(el, in_division=True)
            if el.tail and el.tail.strip():
                holder.run.append(Text(el.tail))
        return holder.finish()

    def container_blocks(self, el: etree._Element, in_division: bool = False,
                         paragraph: MakeParagraph | None = None) -> list[Block]:
        """Blocks of an element with mixed content: running text becomes paragraphs."""
        holder = Run(self, paragraph)
        holder.start(el)
        for child in _children(el):
            holder.child(child, in_division)
            if child.tail:
                holder.run.append(Text(child.tail))
        return holder.finish()

    # ------------------------------------------------------------ the whole file

    def read(self) -> ReaderResult:
        header = _first(self.root, "teiHeader")
        text = _first(self.root, "text")
        self.result.settings = _header_settings(header, text, self.root)
        self.header, self.single = header, is_single_document(header, text)
        for person_list in _descendants(self.root, "listPerson"):
            read_list_person(self, person_list)
        for place_list in _descendants(self.root, "listPlace"):
            read_list_place(self, place_list)
        read_witnesses(self)
        if text is None:
            return self.result
        self.collect_targets(text)
        self.detached = detached_notes(self.root)
        self.attached = attached_apps(self, text)
        self.read_text(text)
        for apps in self.attached.values():
            self.notice(self.pos(apps[0]), "an apparatus entry's lemma starts outside any "
                        "document's text: it is not printed")
        for target, notes in self.detached.items():
            self.notice(self.pos(notes[0]), f"a note points at '#{target}', which is in no "
                        "document's text: it is not printed")
        if self.numbers_notes_per_document():
            self.result.settings.setdefault("note_numbering", "source")
        if self.grouped_documents or self.document_divs > 1:
            # A file of documents is printed as the series prints them, one after another,
            # a chapter (if any) opening a page (FRUS, and documentary series generally),
            # whether they stand in chapters and compilations or straight in the body:
            # not a page per document, which suits a file per document (a letter).
            self.result.settings.setdefault("document_start", "run-on")
        return self.result

    def numbers_notes_per_document(self) -> bool:
        """Whether the source's note numbers (`@n`) restart in each document, as FRUS's
        do: two documents at least print the same note number."""
        seen: dict[str, int] = {}
        for index, doc in enumerate(self.result.documents):
            for note in doc.notes.values():
                if note.source_number.isdigit():
                    if seen.setdefault(note.source_number, index) != index:
                        return True
        return False

    def collect_targets(self, text: etree._Element) -> None:
        """Ref targets of every xml:id a reference may point at: documents, notes, terms."""
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

    def read_text(self, text: etree._Element) -> None:
        parts = [c for c in _children(text) if _local(c) in ("front", "body", "back", "group")]
        if not parts:
            self.warn(text, "TEI <text> has no <front>, <body> or <back>")
        for part in parts:
            if self.single and _local(part) == "body":
                self.read_document(part, "document")
                continue
            if _local(part) == "group":
                for sub in _children(part, "text"):
                    self.read_text(sub)
                continue
            self.read_part(part, front=_local(part) == "front")

    def read_part(self, part: etree._Element, front: bool) -> None:
        """front/body/back: divisions become documents; loose content a chapter of its own.

        Loose paragraphs just before a document (a single-document file's `Source: …` and
        context lines) belong to that document: its colophon and headnote.
        """
        loose: list[etree._Element] = []
        for child in _children(part):
            name = _local(child)
            if _local(part) == "back" and (self.is_register(child) or is_note_list(child)):
                continue  # persons and notes were read where they belong; the rest is data
            if name == "div":
                if loose and child.get("type") == "document":
                    self.read_division(child, front)
                    self.attach_loose(loose, self.result.documents[-1])
                    continue
                self.flush_loose(loose)
                self.read_division(child, front)
            elif name == "titlePage":
                self.read_title_page(child)
            elif name == "listPerson" or name in APPARATUS_LISTS:
                continue  # read with the header's lists, or not printed
            else:
                loose.append(child)
        self.flush_loose(loose)

    @staticmethod
    def is_register(el: etree._Element) -> bool:
        """A register list, or a division holding only register lists (and a head)."""
        if _local(el) in REGISTER_LISTS:
            return True
        content = [c for c in _children(el) if _local(c) != "head"]
        return _local(el) == "div" and bool(content) and all(
            _local(c) in REGISTER_LISTS for c in content)

    def flush_loose(self, loose: list[etree._Element]) -> None:
        """Content standing directly in body/back (an article without divs) → one chapter."""
        if not loose:
            return
        elements = list(loose)
        loose.clear()
        if all(_local(e) in MARKERS for e in elements):
            return
        title = self.result.settings.get("title", "")
        doc = self.new_document(elements[0], kind="chapter", number="", title=[Text(title)])
        self.doc = _DocState()
        doc.body = self.blocks_of(elements)
        self.finish_document(doc)

    def attach_loose(self, loose: list[etree._Element], doc: Document) -> None:
        """Loose paragraphs before `doc`: `Source: …` lines its colophon, others its headnote."""
        self.doc = _DocState(notes=doc.notes)
        blocks = self.blocks_of(list(loose))
        loose.clear()
        doc.colophon[:0] = self.doc.colophon
        self.doc = None
        headnote: list[Block] = []
        marks: list[Inline] = []
        for block in blocks:
            if walk.marks_only(block):
                # A `pb` before the document: set in its title (at the end, as a division's
                # own marks are: the title's first words may be its own number).
                marks += block.inlines
            elif (isinstance(block, Paragraph)
                    and SOURCE_PREFIX.match(plain_text(block.inlines, " ", one_line=True))):
                doc.colophon[:0] = _strip_source([_unwrap(block)])
            else:
                headnote.append(block)
        doc.headnote[:0] = headnote
        doc.title += marks

    def read_title_page(self, page: etree._Element) -> None:
        """The title page is rebuilt from the settings; its subtitle fills a gap there."""
        header = self.result.settings
        sub = next((t for t in _descendants(page, "titlePart")
                    if t.get("type") in ("sub", "subtitle")), None)
        if sub is not None and not header.get("subtitle"):
            header["subtitle"] = _text(sub)

    # ------------------------------------------------------------ divisions

    def read_division(self, div: etree._Element, front: bool) -> None:
        kind, ident = div.get("type", ""), div.get(XML_ID, "")
        if ident in PERSONS_IDS or kind == "persons":
            read_persons(self, div)
            self.add_front_page(div)
        elif ident in INDEX_IDS or kind == "index":
            self.result.source_index.extend(read_index(div))
        elif ident in TERMS_IDS or kind in TERMS_IDS:
            read_terms(self, div)
            if front:
                self.add_front_page(div)
            else:
                self.read_document(div, "chapter")
        elif kind == "document":
            self.grouped_documents |= self.units > 0
            self.document_divs += 1
            self.read_document(div, "document")
        elif self.holds_units(div):
            # A part or compilation: its title as a document of its own, then its units.
            self.read_document(div, "chapter", include_divs=False)
            self.units += 1
            try:
                for child in _children(div, "div"):
                    self.read_division(child, front)
            finally:
                self.units -= 1
        else:
            self.read_document(div, "chapter")

    def holds_units(self, div: etree._Element) -> bool:
        for child in _children(div, "div"):
            if child.get("type") in ("document", "chapter") or self.holds_units(child):
                return True
        return False

    def add_front_page(self, div: etree._Element) -> None:
        """A persons or terms list kept as a page of the front matter, as printed."""
        saved, self.doc = self.doc, _DocState()
        head = _first(div, "head")
        content = [c for c in _children(div) if _local(c) != "head"]
        blocks = self.blocks_of(content)
        quote_runs((blocks,), quotes_for(self.lang))
        if self.doc.notes:
            self.warn(div, "notes in a front-matter list are not printed", "front-page-note")
        self.doc = saved
        title = _text(head) or div.get(XML_ID, "")
        self.result.front_pages.append(FrontPage(title, blocks, self.path))

    def division_blocks(self, div: etree._Element, heading: bool = True) -> list[Block]:
        """A division nested in a document: its head as a Heading, then its content."""
        blocks: list[Block] = []
        self.depth += 1
        try:
            content = []
            for child in _children(div):
                if _local(child) != "head":
                    content.append(child)
                elif heading:
                    blocks.append(Heading(min(self.depth, 6), _tidy(self.inlines_of(child)),
                                          self.pos(child)))
            blocks.extend(self.blocks_of(content))
        finally:
            self.depth -= 1
        return blocks

    # ------------------------------------------------------------ documents

    def new_document(self, el: etree._Element, kind: str, number: str,
                     title: list[Inline]) -> Document:
        """A Document numbered `n`, `3` or `chapter-3` when the source gives no number."""
        self._counts[kind] = self._counts.get(kind, 0) + 1
        # The source's number is unique in its file at most (numbering decides).
        scope = "file" if number else "none"
        if not number:
            count = self._counts[kind]
            number = str(count) if kind == "document" else f"{kind}-{count}"
        lang = next((a.get(XML_LANG) for a in (el, *el.iterancestors()) if a.get(XML_LANG)), "")
        return Document(number=number, title=title, source=self.path, pos=self.pos(el),
                        lang=lang or self.lang, kind=kind, number_scope=scope)

    def read_document(self, div: etree._Element, kind: str, include_divs: bool = True) -> None:
        self.doc = _DocState()
        number = div.get("n") or (div.get(XML_ID, "") if kind != "document" else "")
        heads = list(_children(div, "head"))
        main = next((h for h in heads if h.get("type") not in SHORT_HEAD_TYPES), None)
        title = _tidy(self.inlines_of(main)) if main is not None else []
        if not title and self.single:
            # A letter: the header's title of it, else its sender, addressee, place, date.
            title = self.name_correspondents(
                piece_title(self.header) or correspondence_title(self.header, self.lang)
                or self.result.settings.get("title", ""), div)
        elif not title and div.getparent() is not None and _local(div.getparent()) == "body":
            # A file holding one untitled article: the header's title is its title.
            title = [Text(self.result.settings.get("title", ""))]
        doc = self.new_document(div, kind, number, title)
        for head in heads:
            if head is not main and head.get("type", "").startswith("short"):
                doc.short_title = _text(head)
        body = self.document_parts(div, doc, heads, include_divs)
        doc.date = self.document_date(div) if include_divs else ""
        self.depth = 1
        doc.keys = division_keys(div, self.file)
        if is_paired(div):
            # A text set in step with its translation: its divisions are its sections.
            link_translation(doc, div, self.file)
            doc.body, doc.sections = sectioned(body, self.blocks_of, self.file)
        else:
            doc.body = self.blocks_of(body)
        if kind == "document":
            doc.body = run_in_speakers(doc.body)
        if self.single and (archive := archive_signature(self.header)):
            self.doc.colophon.append(Paragraph([Text(archive)], self.pos(div)))
        self.finish_document(doc)

    def name_correspondents(self, title: str, el: etree._Element) -> list[Inline]:
        """The title with each sender and addressee it names (`correspDesc` persons with
        a key) as an occurrence for the index: a correspondent is on the letter's page."""
        out: list[Inline] = [Text(title)]
        for name, key in correspondents(self.header):
            last = out[-1]
            if not isinstance(last, Text) or name not in last.text:
                continue
            before, _, after = last.text.partition(name)
            self.person_refs.append((key, self.pos(el)))
            out[-1:] = [Text(before), NameRef(key, [Text(name)], self.pos(el), explicit=True),
                        Text(after)]
        return [n for n in out if not isinstance(n, Text) or n.text]

    def document_parts(self, div: etree._Element, doc: Document, heads: list[etree._Element],
                       include_divs: bool) -> list[etree._Element]:
        """Read the headnote into `doc`; return the elements of the body."""
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
                doc.headnote.extend(note_blocks(self, child))
                continue
            body.append(child)
        return body

    def document_date(self, div: etree._Element) -> str:
        """The date of the first dateline: its `date/@when`, its text, or a date in it.

        A value for machines: what prints is the dateline itself (render: no added
        date line when the document has one)."""
        for dateline in _descendants(div, "dateline"):
            date = next(_descendants(dateline, "date"), None)
            if date is not None:
                return date.get("when") or _text(date)
            m = _DATE_IN_TEXT.search(_text(dateline))
            return m.group(0) if m else ""
        return ""

    def finish_document(self, doc: Document) -> None:
        assert self.doc is not None
        doc.notes = self.doc.notes
        doc.colophon = self.doc.colophon
        self.doc = None
        quote_runs((*walk.document_groups(doc), *(n.blocks for n in doc.notes.values())),
                   quotes_for(doc.lang))
        self.result.documents.append(doc)
