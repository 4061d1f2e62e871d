"""The document model: node types, the one walk over them, their text, and HTML ids.

Readers (Markdown, TEI) build these objects; numbering, the register, rendering, layout,
the index and PDF finishing read them. Nothing here knows a source format.

- `nodes`: Volume → Document → blocks → inlines; Note, Person, the source's index.
- `walk`: reading order over blocks, inline runs, note calls, turns; rewriting inlines.
- `text`: `plain_text`, the one flattener.
- `ids`: every HTML id and its prefix.
"""

from edition.model import ids, walk
from edition.model.nodes import (
    Align,
    Apparatus,
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
    Notice,
    PageMarker,
    Pair,
    Paragraph,
    Person,
    Place,
    Pos,
    Quote,
    Reading,
    ReadingGroup,
    Ref,
    Section,
    SourceIndexEntry,
    Span,
    Speaker,
    SpeakerTurn,
    Strong,
    Table,
    TableCell,
    Text,
    Verse,
    Volume,
    Witness,
)
from edition.model.text import plain_text

__all__ = [
    "Align", "Apparatus", "Attachment", "Block", "CrossReference", "Document", "Emph", "FrontPage",
    "Heading", "IndexAnchor", "Inline", "LineBreak", "ListBlock", "NameRef", "Note",
    "NoteCall", "Notice", "PageMarker", "Pair", "Paragraph", "Person", "Place", "Pos", "Quote",
    "Reading",
    "ReadingGroup", "Ref",
    "Section", "SourceIndexEntry", "Span", "Speaker", "SpeakerTurn", "Strong", "Table", "TableCell",
    "Text", "Verse", "Volume", "Witness", "ids", "plain_text", "walk",
]
