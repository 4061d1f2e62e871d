"""Ids and numbers for a whole volume: documents, notes, note calls and speaker turns.

Runs after the readers and before rendering. Note numbers follow the reading order of the
first call (title, headnote, body, colophon), either continuously through the volume from
`settings.note_start` (CWIHP/CEU: Document 53 carries notes 235–242) or restarting at 1
in each document (FRUS). Reader-independent checks live here too, so a TEI document gets
the same errors as a Markdown one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from edition.errors import EditionError
from edition.model import (
    Attachment,
    Document,
    Heading,
    ListBlock,
    NoteCall,
    Paragraph,
    Pos,
    SpeakerTurn,
    Text,
    Volume,
)


def number_volume(volume: Volume) -> None:
    """Set Document.id, Note/NoteCall numbers and anchors, SpeakerTurn anchors."""
    _document_ids(volume)
    per_document = volume.settings.note_numbering == "per-document"
    next_number = volume.settings.note_start
    turns = 0
    for doc in volume.documents:
        first = 1 if per_document else next_number
        next_number = _number_notes(doc, first, per_document)
        for turn in _turns(doc):
            turns += 1
            turn.anchor = f"turn-{turns}"


def html_id(text: str) -> str:
    """A valid, readable HTML id fragment: letters, digits, `-`, `_` and `.` only."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip()).strip("-")
    return cleaned or "x"


def _document_ids(volume: Volume) -> None:
    seen: dict[str, Document] = {}
    for doc in volume.documents:
        doc.id = f"doc-{html_id(doc.number)}"
        if doc.id in seen:
            raise EditionError(f"document number {doc.number!r} is used twice "
                               f"(also in {seen[doc.id].pos})", doc.pos.file, doc.pos.line)
        seen[doc.id] = doc
    used = set(seen)
    for page in volume.front_pages:
        page.id = _unique(f"front-{html_id(page.source.stem)}", used)


def _unique(candidate: str, used: set[str]) -> str:
    base, k = candidate, 1
    while candidate in used:
        k += 1
        candidate = f"{base}-{k}"
    used.add(candidate)
    return candidate


def _number_notes(doc: Document, first: int, per_document: bool) -> int:
    """Number `doc`'s notes from `first`; return the number after the last one."""
    number = first
    called: dict[str, NoteCall] = {}
    for call in iter_calls(doc.title, doc.headnote, doc.body, doc.colophon):
        note = doc.notes.get(call.label)
        if note is None:
            _fail(f"note [^{call.label}] is called but never defined", call.pos, doc)
        if call.label in called:
            _fail(f"note [^{call.label}] is called twice (first at line "
                  f"{called[call.label].pos.line}); a note has one call", call.pos, doc)
        called[call.label] = call
        call.number = note.number = number
        prefix = f"{html_id(doc.number)}-" if per_document else ""
        call.anchor = f"note-{prefix}{number}"
        number += 1
    for note in doc.notes.values():
        if note.label not in called:
            _fail(f"note [^{note.label}] is defined but never called", note.pos, doc)
        # A call inside a note would need a note of a note; editions refer with
        # "see note 236" instead. This also rules out a note calling itself.
        for inner in iter_calls(note.blocks):
            _fail(f"note [^{inner.label}] is called inside note [^{note.label}]; "
                  "notes cannot call notes", inner.pos, doc)
    return number


def _fail(message: str, pos: Pos | None, doc: Document) -> Any:
    where = pos or doc.pos
    raise EditionError(message, where.file, where.line)


def _turns(doc: Document) -> list[SpeakerTurn]:
    found: list[SpeakerTurn] = []
    for group in (doc.headnote, doc.body, doc.colophon):
        for block in group:
            _collect_turns(block, found)
    return found


def _collect_turns(block: Any, found: list[SpeakerTurn]) -> None:
    if isinstance(block, SpeakerTurn):
        found.append(block)
    for child in getattr(block, "blocks", []):
        _collect_turns(child, found)
    for item in getattr(block, "items", []):
        for child in item:
            _collect_turns(child, found)


# ---------------------------------------------------------------- walking the model
# Shared with the readers: one definition of reading order.


def iter_inlines(*groups: list[Any]) -> Iterator[Any]:
    """Every inline in blocks or inline lists, depth first, in reading order."""
    for group in groups:
        for item in group:
            yield from _walk(item)


def _walk(item: Any) -> Iterator[Any]:
    if isinstance(item, Paragraph | Heading):
        for inline in item.inlines:
            yield from _walk(inline)
    elif isinstance(item, ListBlock):
        for blocks in item.items:
            yield from iter_inlines(blocks)
    elif isinstance(item, Attachment):
        yield from iter_inlines(item.title, item.blocks)
    elif hasattr(item, "blocks"):
        yield from iter_inlines(item.blocks)
    elif hasattr(item, "lines"):
        for line in item.lines:
            yield from iter_inlines(line)
    elif hasattr(item, "rows"):
        for row in item.rows:
            for cell in row:
                yield from iter_inlines(cell.inlines)
        yield from iter_inlines(item.caption)
    else:
        yield item
        for child in getattr(item, "children", []):
            yield from _walk(child)


def iter_calls(*groups: list[Any]) -> list[NoteCall]:
    return [i for i in iter_inlines(*groups) if isinstance(i, NoteCall)]


def iter_texts(*groups: list[Any]) -> list[Text]:
    return [i for i in iter_inlines(*groups) if isinstance(i, Text)]
