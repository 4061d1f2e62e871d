"""Ids and numbers for a whole volume: documents, notes, note calls and speaker turns.

Runs after the readers and before rendering. Note numbers follow the reading order of the
first call (title, headnote, body, colophon), either continuously through the volume from
`settings.note_start` (CWIHP/CEU: Document 53 carries notes 235–242) or restarting at 1
in each document (FRUS). Reader-independent checks live here too, so a TEI document gets
the same errors as a Markdown one.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from edition.errors import EditionError
from edition.model import (
    Apparatus,
    Document,
    Inline,
    Note,
    NoteCall,
    Notice,
    Pos,
    Ref,
    Text,
    Volume,
    ids,
    walk,
)


def number_volume(volume: Volume) -> None:
    """Set Document.id, Note/NoteCall numbers and anchors, SpeakerTurn and apparatus
    entry anchors."""
    _document_ids(volume)
    mode = volume.settings.note_numbering
    per_document = mode in ("per-document", "source")
    next_number = volume.settings.note_start
    turns = 0
    for doc in volume.documents:
        _source_notes_to_colophon(doc, keep=mode == "source")
        first = 1 if per_document else next_number
        next_number = _number_notes(doc, first, per_document, keep=mode == "source")
        # Turns of the headnote, body and colophon; the title holds none.
        for turn in walk.turns(*walk.document_groups(doc)):
            turns += 1
            turn.anchor = ids.turn(turns)
    entries = 0
    for doc in volume.documents:
        for entry in walk.of_type(Apparatus, *walk.document_groups(doc)):
            entries += 1
            entry.anchor = ids.apparatus(entries)
    _rewrite_note_references(volume)


def _document_ids(volume: Volume) -> None:
    _number_in_reading_order(volume)
    seen: dict[str, Document] = {}
    for doc in volume.documents:
        doc.id = ids.document(doc.number)
        _take_own_number(doc)
        if doc.id in seen:
            raise EditionError(f"document number {doc.number!r} is used twice "
                               f"(also in {seen[doc.id].pos})", doc.pos.file, doc.pos.line)
        seen[doc.id] = doc
    used = set(seen)
    for page in volume.front_pages:
        page.id = _unique(ids.front_page(page.source.stem), used)
    _hide_invented_number(volume.documents)


def _number_in_reading_order(volume: Volume) -> None:
    """Numbers a source gives per file (TEI `@n`, or a count where it gives none) are
    kept when they are unique through the volume; where two files share one (a folder
    of letters, each `n="1"`), those documents are numbered in reading order, and
    chapters take unique keys. Numbers the author gave the volume (Markdown front
    matter) are kept unless two documents share one: then they identify nothing, and
    every document is numbered in reading order, with a notice naming the number."""
    counts = Counter(ids.document(d.number) for d in volume.documents)
    repeated = [d for d in volume.documents if d.number_scope == "volume"
                and d.kind == "document" and counts[ids.document(d.number)] > 1]
    local = [d for d in volume.documents if d.number_scope != "volume" or repeated]
    clashing = [d for d in local if counts[ids.document(d.number)] > 1]
    if not clashing:
        return
    given = [d for d in clashing if d.number_scope == "file"]
    if repeated:
        files = ", ".join(Path(d.pos.file).name for d in repeated[:2])
        volume.notices.append(Notice(
            f"document number {repeated[0].number!r} is used twice ({files}): the volume "
            "numbers its documents in reading order", repeated[1].pos))
    elif given:
        files = sorted({Path(d.pos.file).name for d in given})
        volume.notices.append(Notice(
            f"the sources number their documents each on its own ({', '.join(files[:3])}"
            f"{', …' if len(files) > 3 else ''} repeat a number): the volume numbers "
            "them in reading order", given[0].pos))
    used = {ids.document(d.number) for d in volume.documents if d not in local}
    renamed: dict[tuple[str, str], str] = {}
    position = 0
    for doc in volume.documents:
        if doc.kind == "document":
            position += 1
        if doc not in local or (doc.kind != "document" and doc not in clashing):
            used.add(ids.document(doc.number))
            continue
        new = _unused(str(position) if doc.kind == "document" else doc.number, used)
        renamed[(doc.pos.file, doc.number)] = new
        doc.number = new
    # A number that was unique still names its document from any file: `doc:7` follows it.
    moved = {old: new for (_, old), new in renamed.items()
             if counts[ids.document(old)] == 1}
    _retarget_document_links(volume, renamed, moved)


def _unused(number: str, used: set[str]) -> str:
    """`number`, or `number-2`, `number-3` … whose document id no document has yet."""
    candidate, k = number, 1
    while ids.document(candidate) in used:
        k += 1
        candidate = f"{number}-{k}"
    used.add(ids.document(candidate))
    return candidate


def _retarget_document_links(volume: Volume, renamed: dict[tuple[str, str], str],
                             moved: dict[str, str]) -> None:
    """A link to `doc:3` in a source file means that file's document 3, else the one
    document numbered 3 in the volume (`moved`), now renumbered."""
    for doc in volume.documents:
        def rule(node: Inline, pos: Pos | None, file: str = doc.pos.file) -> list[Inline] | None:
            if isinstance(node, Ref) and node.target.startswith("doc:"):
                old = node.target[len("doc:"):]
                new = renamed.get((file, old)) or moved.get(old)
                if new is not None:
                    node.target = f"doc:{new}"
            return None
        doc.title = walk.rewrite_inlines(doc.title, rule)
        for group in _groups(doc):
            walk.rewrite_blocks(group, rule)


def _hide_invented_number(documents: list[Document]) -> None:
    """The one document of a volume whose source numbers nothing prints no number: a
    letter, a single transcript is not "Document No. 1"."""
    numbered = [d for d in documents if d.kind == "document"]
    if len(numbered) == 1 and numbered[0].number_scope == "none":
        numbered[0].numbered = False


def _take_own_number(doc: Document) -> None:
    """A title that begins with the document's own number (`152. Memorandum…`, FRUS
    heads) loses it to `own_number`, so that nothing prints the number twice."""
    first = doc.title[0] if doc.title else None
    if doc.kind != "document" or not doc.number or not isinstance(first, Text):
        return
    m = re.match(rf"\s*({re.escape(doc.number)}\.?)(?:\s+|$)", first.text)
    if m is None or not (m.group(1).endswith(".") or len(first.text) > m.end()):
        return
    doc.own_number = m.group(1)
    first.text = first.text[m.end():]
    if not first.text:
        del doc.title[0]


def _unique(candidate: str, used: set[str]) -> str:
    base, k = candidate, 1
    while candidate in used:
        k += 1
        candidate = f"{base}-{k}"
    used.add(candidate)
    return candidate


def _source_notes_to_colophon(doc: Document, keep: bool) -> None:
    """A source note keyed to the heading (FRUS `note[@type='source']`) is the colophon,
    unless the book keeps the source's note numbers (`keep`) and the source numbers it
    (FRUS: `n="1"`): then it is the first footnote, as the series prints it. A source
    note the source leaves unnumbered, the others counting from 1, stays the colophon."""
    sources = {label for label, note in doc.notes.items() if note.kind == "source"
               and not (keep and note.source_number.isdigit())}
    if not sources:
        return

    def drop(node: Inline, pos: Pos | None) -> list[Inline] | None:
        return [] if isinstance(node, NoteCall) and node.label in sources else None
    doc.title = walk.rewrite_inlines(doc.title, drop)
    moved = [block for label in sources for block in doc.notes.pop(label).blocks]
    doc.colophon[:0] = moved


def _number_notes(doc: Document, first: int, per_document: bool, keep: bool = False) -> int:
    """Number `doc`'s notes from `first`; return the number after the last one.

    With `keep` ("source" numbering) a note keeps the number its source prints (FRUS:
    `@n` restarts in each document); a note without one takes the next number."""
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
        if keep and note.source_number.isdigit():
            number = int(note.source_number)
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


# ---------------------------------------------------------------- references to notes

# "footnote 5", "note 5", "notes 3 and 4", "n. 5": a note named by its number in the text.
_NOTE_WORDS = r"(?:[Ff]oot-?notes?|[Nn]otes?|[Nn]\.)\s*"
_NOTE_REFERENCE = re.compile(_NOTE_WORDS + r"(\d+)\b")


def _notes_by_label(volume: Volume) -> dict[str, Note]:
    return {label: note for doc in volume.documents for label, note in doc.notes.items()}


def _groups(doc: Document) -> list[list[Any]]:
    return [doc.headnote, doc.body, doc.colophon, *(n.blocks for n in doc.notes.values())]


def _rewrite_note_references(volume: Volume) -> None:
    """`<ref target="#d180fn5">footnote 5, supra</ref>` prints the book's number when it
    differs from the source's: the reference's text names the number it links to."""
    notes = _notes_by_label(volume)

    def rule(node: Inline, pos: Pos | None) -> list[Inline] | None:
        if not isinstance(node, Ref) or not node.target.startswith("note:"):
            return None
        note = notes.get(node.target[len("note:"):])
        if note is None or note.number is None or not note.source_number:
            return None
        if str(note.number) != note.source_number:
            _renumber_text(node.children, note.source_number, str(note.number))
        return [node]

    for doc in volume.documents:
        doc.title = walk.rewrite_inlines(doc.title, rule)
        for group in _groups(doc):
            walk.rewrite_blocks(group, rule)


def _renumber_text(children: list[Inline], old: str, new: str) -> None:
    """The source's number → the book's, after a note word or standing alone."""
    words = re.compile(rf"({_NOTE_WORDS}){re.escape(old)}\b")
    for node in walk.texts(children):
        if node.text.strip() == old:
            node.text = node.text.replace(old, new)
        else:
            node.text = words.sub(lambda m: m.group(1) + new, node.text)


def unverified_note_references(volume: Volume) -> list[str]:
    """"see footnote 3 above" with no reference: `FILE:LINE: …` for `edition check`.

    Only in documents whose notes carry the source's numbers: a number in running text
    the book cannot link to a note, or that names a note the book numbers otherwise.
    """
    problems: list[str] = []
    for doc in volume.documents:
        if any(n.source_number for n in doc.notes.values()):
            problems.extend(_unverified_in(doc))
    return problems


def _unverified_in(doc: Document) -> list[str]:
    kept = {n.source_number for n in doc.notes.values()
            if n.source_number and str(n.number) == n.source_number}
    problems: list[str] = []

    def rule(node: Inline, pos: Pos | None) -> list[Inline] | None:
        if isinstance(node, Ref):
            return [node]  # a reference the book resolves and renumbers
        if isinstance(node, Text):
            for m in _NOTE_REFERENCE.finditer(node.text):
                if m.group(1) not in kept:
                    where = pos or doc.pos
                    problems.append(
                        f"{where.file}:{where.line}: \"{m.group(0)}\" names a note by its "
                        "number without a <ref>: the book cannot check or renumber it")
        return None

    for group in _groups(doc):
        walk.rewrite_blocks(group, rule)
    return problems
