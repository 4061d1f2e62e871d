"""Ids and numbers for a whole volume: documents, notes, note calls and speaker turns.

Runs after the readers and before rendering. Note numbers follow the reading order of the
first call (title, headnote, body, colophon), either continuously through the volume from
`settings.note_start` (CWIHP/CEU: Document 53 carries notes 235–242) or restarting at 1
in each document (FRUS). Reader-independent checks live here too, so a TEI document gets
the same errors as a Markdown one.
"""

from __future__ import annotations

from typing import Any

from edition.errors import EditionError
from edition.model import Document, NoteCall, Pos, Volume, ids, walk


def number_volume(volume: Volume) -> None:
    """Set Document.id, Note/NoteCall numbers and anchors, SpeakerTurn anchors."""
    _document_ids(volume)
    per_document = volume.settings.note_numbering == "per-document"
    next_number = volume.settings.note_start
    turns = 0
    for doc in volume.documents:
        first = 1 if per_document else next_number
        next_number = _number_notes(doc, first, per_document)
        # Turns of the headnote, body and colophon; the title holds none.
        for turn in walk.turns(*walk.document_groups(doc)):
            turns += 1
            turn.anchor = ids.turn(turns)


def _document_ids(volume: Volume) -> None:
    seen: dict[str, Document] = {}
    for doc in volume.documents:
        doc.id = ids.document(doc.number)
        if doc.id in seen:
            raise EditionError(f"document number {doc.number!r} is used twice "
                               f"(also in {seen[doc.id].pos})", doc.pos.file, doc.pos.line)
        seen[doc.id] = doc
    used = set(seen)
    for page in volume.front_pages:
        page.id = _unique(ids.front_page(page.source.stem), used)


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
    for call in walk.calls(*walk.document_groups(doc)):
        note = doc.notes.get(call.label)
        if note is None:
            _fail(f"note [^{call.label}] is called but never defined", call.pos, doc)
        if call.label in called:
            _fail(f"note [^{call.label}] is called twice (first at line "
                  f"{called[call.label].pos.line}); a note has one call", call.pos, doc)
        called[call.label] = call
        call.number = note.number = number
        call.anchor = ids.note(number, doc.number if per_document else None)
        number += 1
    for note in doc.notes.values():
        if note.label not in called:
            _fail(f"note [^{note.label}] is defined but never called", note.pos, doc)
        # A call inside a note would need a note of a note; editions refer with
        # "see note 236" instead. This also rules out a note calling itself.
        for inner in walk.calls(note.blocks):
            _fail(f"note [^{inner.label}] is called inside note [^{note.label}]; "
                  "notes cannot call notes", inner.pos, doc)
        # A speaker's label stands in the page's outer margin, which a note at the foot
        # of the page cannot reach.
        for turn in walk.turns(note.blocks):
            _fail(f"note [^{note.label}] holds a speech; speeches stand in the text, "
                  "not in notes", turn.pos or note.pos, doc)
    return number


def _fail(message: str, pos: Pos | None, doc: Document) -> Any:
    where = pos or doc.pos
    raise EditionError(message, where.file, where.line)
