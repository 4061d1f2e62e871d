"""Notes kept apart from the text they comment on, attached by a pointer.

Commentary is often encoded away from the text: `<note target="#a12">` or
`corresp="#a12"` in the `back`, in a `noteGrp`, in `standOff` (`listAnnotation`),
pointing at an `anchor` or at an element (a `seg`, a `rs`) of the text by its xml:id.
Such a note is a footnote called at what it points at: after the anchor, or after the
element (the end of the passage it names). A note standing in the text keeps its place
whatever it points at.
"""

from __future__ import annotations

from lxml import etree

from edition.readers.tei.xml import _children, _descendants, _internal_targets, _local

# Where notes kept apart from the text stand.
APART = ("back", "standOff", "noteGrp", "listAnnotation")


def detached_notes(root: etree._Element) -> dict[str, list[etree._Element]]:
    """xml:id → the notes kept apart that point at it, in the order they are written."""
    found: dict[str, list[etree._Element]] = {}
    for note in _descendants(root, "note"):
        if not any(_local(a) in APART for a in note.iterancestors()):
            continue
        if any(_local(a) == "note" for a in note.iterancestors()):
            continue  # a note inside a note travels with it
        targets = _internal_targets(note.get("target") or note.get("corresp") or "")
        if not targets and (note.get("corresp") or "").strip():
            targets = [note.get("corresp", "").strip()]  # `corresp="K_1"` without its #
        if targets:
            found.setdefault(targets[-1], []).append(note)
    return found


def is_note_list(el: etree._Element) -> bool:
    """A division or group holding only notes (and a head): commentary kept apart."""
    content = [c for c in _children(el) if _local(c) != "head"]
    return (_local(el) in ("div", "noteGrp", "listAnnotation") and bool(content)
            and all(_local(c) in ("note", "noteGrp") for c in content))
