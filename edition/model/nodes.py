"""The document model's node types: the one contract between readers and what follows.

Readers (Markdown, TEI) build these objects; numbering, the register, rendering, layout,
the index and PDF finishing read them. Nothing here knows a source format. Every node
that a user can get wrong carries a `Pos` so errors can name the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Pos:
    """Where a node came from: the source file and its 1-based line."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


# ---------------------------------------------------------------- inlines


@dataclass
class Text:
    text: str


@dataclass
class Emph:
    """Italic. Inside italic context (headnote) it is rendered roman: reverse italics."""

    children: list[Inline]


@dataclass
class Strong:
    children: list[Inline]


@dataclass
class Span:
    """A styled run without its own semantics in the model.

    `role` names what it is, and the stylesheet decides how it looks: `title` (a title of
    a work, reverse italics in italic context), `foreign`, `supplied` (editorial
    insertion, printed in brackets by the reader's text), `smallcaps`, `sic`, `abbr`, …
    """

    role: str
    children: list[Inline]
    # The language of the run when it is not its document's (TEI `xml:lang` on any
    # element): its hyphenation and quotation marks. A run that only changes language
    # has the role "".
    lang: str = ""


@dataclass
class NoteCall:
    """A call of a footnote. `label` is the source's key; `number` is set by numbering."""

    label: str
    pos: Pos
    number: int | None = None
    # Unique per call, set by numbering: the HTML id the layout report finds it by.
    anchor: str = ""


@dataclass
class NameRef:
    """An occurrence of an entry of a register, explicit or found by matching: a person
    (the index of names) or a place (the index of places, `kind="place"`)."""

    key: str
    children: list[Inline]
    pos: Pos | None = None
    explicit: bool = False
    # Unique per occurrence, set by the register: the HTML id the index locates.
    anchor: str = ""
    kind: str = "person"


@dataclass
class LineBreak:
    pass


@dataclass
class Ref:
    """A cross-reference to a document (`doc:54`) or note (`note:n3`) inside the volume."""

    target: str
    children: list[Inline]
    # Where the reference is written (Markdown: its own line), for `edition check`.
    pos: Pos | None = None


@dataclass
class PageMarker:
    """A page break of the original (TEI `pb`), shown in the margin only when asked."""

    n: str


@dataclass
class IndexAnchor:
    """A point or range end an index of the source refers to (TEI `anchor`)."""

    id: str


@dataclass
class Reading:
    """One reading of an apparatus entry: its words and the witnesses that have them.

    `witnesses` are sigla as printed (`O`, `Con`); `kind` is what the reading does to the
    lemma (`omission`, `addition`, `transposition`, …, or "" for a plain variant); the
    remarks are the editor's words on it (`c. rec.`, a note), printed after the sigla.
    """

    children: list[Inline] = field(default_factory=list)
    witnesses: list[str] = field(default_factory=list)
    kind: str = ""
    remarks: list[list[Inline]] = field(default_factory=list)
    # The source's id of the reading, which a remark may point at.
    id: str = ""
    # Where the reading is written (its sigla are checked against the witnesses there).
    pos: Pos | None = None


@dataclass
class ReadingGroup:
    """Readings the editor groups (TEI `rdgGrp`): printed together, in source order."""

    readings: list[Reading]
    kind: str = ""


@dataclass
class Apparatus:
    """An apparatus entry: an inline span over the lemma (the text as established, which
    is all the body prints) with the readings of the witnesses that differ.

    `children` is the lemma's words, so every walk and flattener treats the entry as the
    lemma alone; the readings are not inlines of the text.
    """

    lemma: Reading
    readings: list[Reading | ReadingGroup] = field(default_factory=list)
    # The editor's notes on the entry as a whole.
    notes: list[list[Inline]] = field(default_factory=list)
    pos: Pos | None = None
    # Unique per entry, set by numbering: the HTML id the layout finds the lemma by.
    anchor: str = ""
    # An entry attached by its lemma's end points (TEI double end-point) stands where
    # its lemma starts and spans the first word only (lemmas may overlap and cross
    # blocks): `cited` is the whole lemma as the entry cites it. None: the children.
    cited: list[Inline] | None = None

    @property
    def children(self) -> list[Inline]:
        return self.lemma.children

    @children.setter
    def children(self, value: list[Inline]) -> None:
        self.lemma.children = value

    def cited_words(self) -> list[Inline]:
        """The lemma as the entry cites it."""
        return self.children if self.cited is None else self.cited

    def all_readings(self) -> list[Reading]:
        """The readings with the groups opened, in source order."""
        out: list[Reading] = []
        for item in self.readings:
            out.extend(item.readings if isinstance(item, ReadingGroup) else [item])
        return out


Inline = (Text | Emph | Strong | Span | NoteCall | NameRef | LineBreak | Ref | PageMarker
          | IndexAnchor | Apparatus)


# ---------------------------------------------------------------- blocks

Align = Literal["justify", "left", "center", "right"]


@dataclass
class Paragraph:
    inlines: list[Inline]
    pos: Pos | None = None
    align: Align = "justify"
    # Free-form roles for the stylesheet: `letterhead`, `classification`, `signature`,
    # `dateline`, `stage` (a direction in minutes), `noindent`, …
    roles: list[str] = field(default_factory=list)


@dataclass
class Heading:
    """A heading inside a document (not the document's own title)."""

    level: int
    inlines: list[Inline]
    pos: Pos | None = None


@dataclass
class ListBlock:
    ordered: bool
    items: list[list[Block]]
    start: int = 1
    pos: Pos | None = None
    # "" prints the list's bullets or numbers; "none" a plain list (persons, terms,
    # participants, items that carry their own numbers): no marker, a hanging indent.
    marker: str = ""


@dataclass
class Quote:
    blocks: list[Block]
    pos: Pos | None = None


@dataclass
class Verse:
    lines: list[list[Inline]]
    pos: Pos | None = None
    # Each line's own number in the source (TEI `l/@n`), "" where it has none: a
    # critical text's verse is numbered, and cited, by these.
    numbers: list[str] = field(default_factory=list)


@dataclass
class TableCell:
    inlines: list[Inline]
    header: bool = False
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    rows: list[list[TableCell]]
    caption: list[Inline] = field(default_factory=list)
    pos: Pos | None = None


@dataclass
class Speaker:
    """One speaker of a turn: the label as printed, and the register key if known."""

    label: str
    person: str | None = None


@dataclass
class SpeakerTurn:
    """A speech in minutes or a transcript; the speakers go into the outer margin."""

    speakers: list[Speaker]
    blocks: list[Block]
    pos: Pos | None = None
    # Unique per turn, set by numbering: the HTML id of the margin label.
    anchor: str = ""


@dataclass
class Attachment:
    """An enclosure printed within a document (the RESOLUTION of Document 53)."""

    title: list[Inline]
    blocks: list[Block]
    pos: Pos | None = None


Block = Paragraph | Heading | ListBlock | Quote | Verse | Table | SpeakerTurn | Attachment

# ---------------------------------------------------------------- notes, documents


@dataclass
class Note:
    label: str
    blocks: list[Block]
    pos: Pos
    number: int | None = None
    # The number the source prints for the note (TEI `@n`), if it gives one: kept by
    # `[notes] numbering = "source"`, and the number a reference's text names.
    source_number: str = ""
    # "source" for a document's source note (FRUS: note 1, keyed to the heading), which
    # numbering keeps as a footnote only with "source" numbering, else the colophon.
    kind: str = ""


@dataclass
class Section:
    """A part of a document's text that a parallel text is paired by: `body[start:end]`.

    `n` is the source's number for it ("" if none), `id` its own identifier, `corresp`
    the original's section (its id or number) a translation's section says it renders.
    """

    start: int
    end: int
    pos: Pos
    n: str = ""
    id: str = ""
    corresp: str = ""


@dataclass
class Document:
    """One numbered document of the edition, or a chapter of a book."""

    number: str
    title: list[Inline]
    source: Path
    pos: Pos
    short_title: str = ""
    date: str = ""
    lang: str = ""
    headnote: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    colophon: list[Block] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    # `document` for an edited document, `chapter` for a book's prose chapter.
    kind: str = "document"
    # The number as the source's own head prints it (`152.`), taken off the title by
    # numbering: the heading prints it instead of its `Document No.` label, and the
    # running head, contents and outline, which add the number, print it once.
    own_number: str = ""
    # Whose number `number` is: "volume" (the author gave it for the volume: Markdown
    # front matter), "file" (the source file's own, TEI `@n`: unique in its file at
    # most, so numbering renumbers in reading order when two files share one), "none"
    # (the source gives none: a count, printed only when the volume has several).
    number_scope: str = "volume"
    # Set by numbering: whether the number is printed ("Document No. 1" is not, for the
    # one document of a volume whose source numbers nothing).
    numbered: bool = True
    # Set by numbering: a stable id for the HTML (`doc-53`).
    id: str = ""
    # The names a translation may point at to say it renders this document (the
    # source's identifiers of it); and, for a translation, the original's name and
    # where the source gives it (docs/facing.md).
    keys: list[str] = field(default_factory=list)
    translation_of: str = ""
    translation_pos: Pos | None = None
    # The parts of the body a parallel text is paired by (only a paired text has them).
    sections: list[Section] = field(default_factory=list)


@dataclass
class Pair:
    """An original and its translation, section by section (transform/pairing.py): each
    original section with the translation's section that renders it, or None."""

    original: Document
    translation: Document
    sections: list[tuple[Section, Section | None]] = field(default_factory=list)


@dataclass
class Person:
    """An entry of the register of names."""

    key: str
    index_form: str
    identification: str = ""
    forms: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    pos: Pos | None = None


@dataclass
class Place(Person):
    """An entry of the register of places: `index_form` is the place's name as the index
    prints it, `identification` what locates it (the country, a note)."""


@dataclass
class Witness:
    """A witness of a critical text: a manuscript or edition, or a group of witnesses
    (`members` holds the sigla it stands for)."""

    siglum: str
    description: str = ""
    members: list[str] = field(default_factory=list)
    pos: Pos | None = None


@dataclass
class CrossReference:
    """`Münich. See Münnich, Ferenc`: an index entry that only points elsewhere."""

    form: str
    target_key: str


@dataclass
class FrontPage:
    """A page of front matter given as a source file (editorial principles, abbreviations)."""

    title: str
    blocks: list[Block]
    source: Path
    id: str = ""


@dataclass
class Volume:
    settings: Settings
    documents: list[Document]
    persons: dict[str, Person] = field(default_factory=dict)
    cross_references: list[CrossReference] = field(default_factory=list)
    # The register of places (a TEI listPlace), for the index of places.
    places: dict[str, Place] = field(default_factory=dict)
    # The witnesses register of a critical edition, by siglum, in the order declared.
    witnesses: dict[str, Witness] = field(default_factory=dict)
    front_pages: list[FrontPage] = field(default_factory=list)
    # The files the volume was read from, for PDF/A attachments.
    sources: list[Path] = field(default_factory=list)
    # The edition folder they lie in: a source read again later is read from inside it
    # only (edition/safeio.py). None for a volume made in memory.
    folder: Path | None = None
    # A source's own index (TEI `div[@type="index"]`), regenerated with this book's pages.
    source_index: list[SourceIndexEntry] = field(default_factory=list)
    # What the readers noticed but did not refuse (unknown elements, …), in reading order.
    notices: list[Notice] = field(default_factory=list)
    # "FILE:LINE: message" for each link to a document the volume does not contain,
    # found before a handout's selection (a link to a document left out is not dead).
    dead_links: list[str] = field(default_factory=list)
    # Originals and their translations, set in step (transform/pairing.py).
    pairs: list[Pair] = field(default_factory=list)


@dataclass
class SourceIndexEntry:
    """An entry of the source's own index; page numbers come from where its anchors land."""

    term: str
    # (start anchor id, end anchor id or None for a point)
    targets: list[tuple[str, str | None]] = field(default_factory=list)
    subentries: list[SourceIndexEntry] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    # The entry's own xml:id, which other entries' See references point at.
    id: str = ""


@dataclass(frozen=True)
class Notice:
    """A reader's remark on a source that is not an error: `FILE:LINE: message`."""

    message: str
    pos: Pos | None = None

    def __str__(self) -> str:
        return f"{self.pos}: {self.message}" if self.pos else self.message


from edition.settings import Settings  # noqa: E402  (Settings refers to nothing here)
