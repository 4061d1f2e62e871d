"""Every HTML id the pipeline gives an element, and the prefixes the later stages read.

The renderer writes these ids, the layout finds labels and notes by them, the index
locates names by them and the report names them: one module, so a prefix is changed in
one place. See the HTML contract in docs/pipeline.md.
"""

from __future__ import annotations

import re

DOCUMENT = "doc-"
FRONT_PAGE = "front-"
NOTE = "note-"
TURN = "turn-"
LABEL = "label-"
NAME = "name-"
PAGE_BREAK = "pb-"
# An apparatus entry: its lemma in the text, the entry at the foot, the entry's slot
# for the line number (filled once the lemma's line is known).
APPARATUS, APPARATUS_ENTRY, APPARATUS_LINE = "app-", "appe-", "appn-"
# An entry's separator slot (`[apparatus] separator = "bar"`: ‖ before an entry of
# another line than the one before it).
APPARATUS_SEP = "apps-"
# An entry's slot for the superscript telling its one-word lemma from the same word
# elsewhere on its printed line (ἡμέραν¹, ἡμέραν²).
APPARATUS_SAME = "appw-"
INDEX_LETTER = "index-"
# The start and end of each side of a section pair set in step (docs/facing.md):
# `par-7-o3` … `par-7-o3-end`, the original's third section of pair 7; `t` the
# translation's.
PARALLEL = "par-"
PARALLEL_END = "-end"
# A source's own ids (TEI xml:id of the anchors its index cites), apart from all the others.
SOURCE_ANCHOR = "src-"
# A margin element is written twice, once per margin; the right-hand copy's id ends so.
RECTO = "-r"
# Margin elements by id prefix → the margin they belong in.
MARGIN_ELEMENTS = {LABEL: "outer", PAGE_BREAK: "inner"}
# The fixed sections of the front matter and the back.
HALF_TITLE, TITLE_PAGE, COPYRIGHT_PAGE, CONTENTS = (
    "half-title", "title-page", "copyright-page", "contents")
INDEX, SOURCE_INDEX, PLACES_INDEX = "index", "source-index", "places-index"


def fragment(text: str) -> str:
    """A valid, readable id fragment: letters, digits, `-`, `_` and `.` only."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip()).strip("-")
    return cleaned or "x"


def source_anchor(ident: str) -> str:
    """The HTML id of a source's own anchor: never one of the program's ids."""
    return SOURCE_ANCHOR + fragment(ident)


def document(number: str) -> str:
    return DOCUMENT + fragment(number)


def front_page(stem: str) -> str:
    return FRONT_PAGE + fragment(stem)


def note(number: int, document_number: str | None = None) -> str:
    """`note-235`; with per-document numbering `note-53-1`, so ids stay unique."""
    prefix = f"{fragment(document_number)}-" if document_number is not None else ""
    return f"{NOTE}{prefix}{number}"


def note_number(ident: str) -> int:
    """The note number an id `note-…-N` ends in (0 when it ends in none)."""
    tail = ident.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def turn(k: int | str) -> str:
    return f"{TURN}{k}"


def label(k: int | str) -> str:
    return f"{LABEL}{k}"


def turn_key(ident: str) -> str | None:
    """The key shared by a turn and its label (`turn-7`, `label-7` → `7`)."""
    for prefix in (TURN, LABEL):
        if ident.startswith(prefix) and len(ident) > len(prefix):
            return ident[len(prefix):]
    return None


def label_of_turn(turn_id: str) -> str:
    return label(turn_key(turn_id) or "")


def turn_of_label(label_id: str) -> str:
    return turn(turn_key(label_id.removesuffix(RECTO)) or "")


def recto(ident: str) -> str:
    """The id of the right-hand copy of a margin element."""
    return ident + RECTO


def is_recto(ident: str) -> bool:
    return ident.endswith(RECTO)


def without_recto(ident: str) -> str:
    return ident.removesuffix(RECTO)


def is_label(ident: str) -> bool:
    return ident.startswith(LABEL)


def is_turn(ident: str) -> bool:
    return ident.startswith(TURN)


def is_front_page(ident: str) -> bool:
    return ident.startswith(FRONT_PAGE)


def margin_kind(ident: str) -> str | None:
    """The margin prefix an id starts with (LABEL or PAGE_BREAK), else None."""
    return next((p for p in MARGIN_ELEMENTS if ident.startswith(p)), None)


def name(k: int) -> str:
    return f"{NAME}{k}"


def page_break(n: str) -> str:
    return PAGE_BREAK + fragment(n)


def parallel(pair: int, side: str, section: int, end: bool = False) -> str:
    """The mark of a side (`o` original, `t` translation) of a pair's section."""
    return f"{PARALLEL}{pair}-{side}{section}{PARALLEL_END if end else ''}"


def parallel_mark(ident: str) -> tuple[int, str, int, bool] | None:
    """(pair, side, section, end) of a mark's id, or None for any other id."""
    m = re.fullmatch(rf"{PARALLEL}(\d+)-([ot])(\d+)({PARALLEL_END})?", ident)
    return (int(m[1]), m[2], int(m[3]), bool(m[4])) if m else None


def index_letter(letter: str) -> str:
    return INDEX_LETTER + letter


def apparatus(k: int | str) -> str:
    return f"{APPARATUS}{k}"


def apparatus_entry(lemma_id: str) -> str:
    """The entry at the foot of the lemma `app-7`: `appe-7`."""
    return APPARATUS_ENTRY + lemma_id.removeprefix(APPARATUS)


def apparatus_line(lemma_id: str) -> str:
    """The line-number slot of the entry of the lemma `app-7`: `appn-7`."""
    return APPARATUS_LINE + lemma_id.removeprefix(APPARATUS)


def apparatus_sep(lemma_id: str) -> str:
    return APPARATUS_SEP + lemma_id.removeprefix(APPARATUS)


def apparatus_same(lemma_id: str) -> str:
    """The superscript slot of the entry of the lemma `app-7`: `appw-7`."""
    return APPARATUS_SAME + lemma_id.removeprefix(APPARATUS)


def apparatus_of(ident: str) -> str | None:
    """The lemma id an entry's or slot's id belongs to, else None."""
    for prefix in (APPARATUS_ENTRY, APPARATUS_LINE, APPARATUS_SEP, APPARATUS_SAME):
        if ident.startswith(prefix):
            return APPARATUS + ident.removeprefix(prefix)
    return None
