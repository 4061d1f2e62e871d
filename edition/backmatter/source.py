"""The source's own index (TEI `div[@type="index"]`) regenerated with this book's pages.

A TEI index cites the source's pages through anchors: `<ref target="#b_447">203</ref>`
points at `<anchor xml:id="b_447"/>` in the text, `#range(a,b)` at a passage between two
anchors. The printed page numbers of the source mean nothing in this book, so every
locator is recomputed from where the renderer's empty `<span id=…>` for each anchor was
laid out (LayoutReport.anchors). Locators are the index of names' (edition/backmatter/
locators.py: Chicago ranges, `124n236` for an anchor inside note 236), and the part is
rendered by edition/backmatter/render.py with the same template and index.css.

`verify_source_index` is the preflight: every anchor an entry cites was placed, on a body
page, inside that page; a range does not end before it starts; a note anchor's note is
printed on the page cited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edition.backmatter.locators import PageRef, add_to_page, format_locators, letter_of
from edition.layout.report import LayoutReport
from edition.model import IndexAnchor, SourceIndexEntry, Volume, ids, walk


@dataclass
class SourceEntry:
    """One printed line of the regenerated index: a main entry or a sub-entry."""

    term: str
    level: int = 0  # 0 for a main entry, 1 for its sub-entries, …
    pages: list[PageRef] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    letter: str = ""
    # Every cited anchor → (page index, note number or None); missing ones are absent.
    cited: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # anchors the layout never placed
    reversed_ranges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def locators(self) -> list[str]:
        return format_locators(self.pages)


# ---------------------------------------------------------------- building


def anchors_in_notes(volume: Volume) -> dict[str, int]:
    """Anchor id → the number of the note it stands in (for `124n236` locators)."""
    found: dict[str, int] = {}
    for doc in volume.documents:
        for note in walk.notes_of(doc):
            if note.number is None:
                continue
            for anchor in walk.of_type(IndexAnchor, note.blocks):
                found.setdefault(anchor.id, note.number)
    return found


def build_source_index(entries: list[SourceIndexEntry], report: LayoutReport,
                       labels: list[str], notes: dict[str, int]) -> list[SourceEntry]:
    """The source's entries (in the source's order) with this book's pages.

    `labels` are the body's printed folios; `notes` maps anchors inside notes to their
    note numbers. The result is flat: each main entry followed by its sub-entries, which
    file under their main entry's letter.
    """
    out: list[SourceEntry] = []
    for entry in entries:
        _flatten(entry, 0, report, labels, notes, out)
    letter = ""
    for line in out:
        if line.level == 0:
            letter = letter_of(line.term)
        line.letter = letter
    return out


def _flatten(entry: SourceIndexEntry, level: int, report: LayoutReport, labels: list[str],
             notes: dict[str, int], out: list[SourceEntry]) -> None:
    line = SourceEntry(entry.term, level, see=list(entry.see), see_also=list(entry.see_also))
    for start, end in entry.targets:
        _cite(line, start, end, report, labels, notes)
    line.pages.sort(key=lambda p: p.index)
    out.append(line)
    for sub in entry.subentries:
        _flatten(sub, level + 1, report, labels, notes, out)


def _cite(line: SourceEntry, start: str, end: str | None, report: LayoutReport,
          labels: list[str], notes: dict[str, int]) -> None:
    """Add the pages one target covers: a point's page, or every page of a range."""
    first = _place(line, start, report, notes)
    last = _place(line, end, report, notes) if end else first
    if first is None or last is None:
        return
    if last < first:
        line.reversed_ranges.append((start, end or start))
        last = first
    for index in range(first, last + 1):
        # An anchor in a note is cited as `page n note` only when the range is one page.
        note = notes.get(start) if index == first == last and not end else None
        add_to_page(line.pages, labels[index], index, note)


def _place(line: SourceEntry, anchor: str, report: LayoutReport,
           notes: dict[str, int]) -> int | None:
    where = report.anchors.get(ids.source_anchor(anchor))
    if where is None:
        line.missing.append(anchor)
        return None
    line.cited[anchor] = (where[0], notes.get(anchor))
    return where[0]


# ---------------------------------------------------------------- preflight


def verify_source_index(lines: list[SourceEntry], report: LayoutReport) -> list[str]:
    """Problems with the regenerated index; empty when every locator's anchor was found
    on the page it cites."""
    problems: list[str] = []
    on_page = _notes_by_page(report)
    for line in lines:
        for anchor in line.missing:
            problems.append(f"{line.term}: anchor '{anchor}' was not placed on any page")
        for start, end in line.reversed_ranges:
            problems.append(f"{line.term}: range '{start}'–'{end}' ends before it starts")
        cited = {p.index for p in line.pages}
        for anchor, (index, note) in line.cited.items():
            problems.extend(_check_anchor(line.term, anchor, index, note, report, cited,
                                          on_page))
    return problems


def _check_anchor(term: str, anchor: str, index: int, note: int | None,
                  report: LayoutReport, cited: set[int],
                  on_page: dict[int, set[int]]) -> list[str]:
    if not 0 <= index < len(report.pages):
        return [f"{term}: anchor '{anchor}' is on page index {index}, outside the body"]
    page = report.pages[index]
    _, x, y = report.anchors[ids.source_anchor(anchor)]
    if not (0 <= x <= page.width and 0 <= y <= page.height):
        return [f"{term}: anchor '{anchor}' lies outside page {page.label}"]
    if index not in cited:
        return [f"{term}: anchor '{anchor}' is on page {page.label}, which is not cited"]
    if note is not None and note not in on_page.get(index, set()):
        return [f"{term}: anchor '{anchor}' is in note {note}, which is not printed on "
                f"page {page.label}"]
    return []


def _notes_by_page(report: LayoutReport) -> dict[int, set[int]]:
    """The notes printed (started or continued) on each page."""
    pages: dict[int, set[int]] = {}
    for note in report.notes:
        for index in (note.note_page, *note.continued_on):
            pages.setdefault(index, set()).add(note.number)
    return pages
