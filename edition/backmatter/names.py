"""The index of names, built only from where each occurrence landed after layout.

The index of places is built and proved by the same functions: a `Place` has the
fields of a `Person`, and build.py hands each index its register and its occurrences.

`build_index` turns the register's persons and cross-references plus the located
occurrences into sorted entries with Chicago-style locators (edition/backmatter/
locators.py); `index_rows` is the CSV/JSON export; `verify_locators` is the preflight that
proves every locator against the text extracted from its page. The part's HTML is made
by edition/backmatter/render.py.

Sorting (Chicago 16.58–61, letter by letter): the heading is cut at its commas (surname,
then forenames, then anything after); within each part spaces and punctuation are
dropped and the letters compared with the Unicode Collation Algorithm (pyuca), primary
weights first, so diacritics and case count only to break an exact tie: `Gerő` sorts as
`Gero`, `Łukasz` as `Lukasz`, and `McCarthy` stays between `Mazur` and `Mead`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from edition.backmatter.locators import (
    PageRef,
    add_to_page,
    collator,
    format_locators,
    letter_of,
    letters,
)
from edition.model import CrossReference, Person, ids
from edition.transform.names import Occurrence

Locate = Callable[[str], tuple[str, int] | None]


@dataclass
class IndexEntry:
    heading: str  # the inverted index form, or a variant for a See entry
    key: str | None = None  # the person; None for a See entry
    identification: str = ""
    pages: list[PageRef] = field(default_factory=list)
    see: list[str] = field(default_factory=list)  # headings this entry points to
    see_also: list[str] = field(default_factory=list)
    letter: str = ""
    # Occurrences the layout could not place: verify_locators reports them.
    unplaced: list[Occurrence] = field(default_factory=list)

    @property
    def locators(self) -> list[str]:
        return format_locators(self.pages)


# ---------------------------------------------------------------- sorting


def sort_key(heading: str) -> tuple[tuple[int, ...], ...]:
    """Letter-by-letter key, one part per comma-separated part of the heading."""
    parts = heading.split(",")
    return tuple(collator().sort_key(letters(part)) for part in parts)


# ---------------------------------------------------------------- building


def build_index(persons: dict[str, Person], cross_refs: list[CrossReference],
                occurrences: Iterable[Occurrence], locate: Locate) -> list[IndexEntry]:
    """Entries for every person with at least one placed occurrence, plus See entries
    pointing to them; sorted, with letters set. Persons never placed get no entry and no
    cross-reference points to them (a blind See is worse than none)."""
    entries: dict[str, IndexEntry] = {}
    for occ in occurrences:
        person = persons.get(occ.key)
        if person is None:
            continue
        entry = entries.setdefault(occ.key, IndexEntry(
            heading=person.index_form, key=occ.key, identification=person.identification))
        where = locate(occ.anchor) if occ.anchor else None
        if where is None:
            entry.unplaced.append(occ)
        else:
            label, index = where
            add_to_page(entry.pages, label, index, occ.note_number, occurrence=occ)
    result = [e for e in entries.values() if e.pages]
    placed = {e.key for e in result}
    for entry in result:
        entry.pages.sort(key=lambda p: p.index)
        targets = [persons[k].index_form for k in persons[entry.key].see_also if k in placed]
        entry.see_also = sorted(targets, key=sort_key)
    result.extend(_see_entries(persons, cross_refs, placed))
    for entry in result:
        entry.letter = letter_of(entry.heading)
    result.sort(key=lambda e: (sort_key(e.heading), e.key is None, sort_key(e.identification)))
    return result


def _see_entries(persons: dict[str, Person], cross_refs: list[CrossReference],
                 placed: set[str | None]) -> list[IndexEntry]:
    by_form: dict[str, IndexEntry] = {}
    for ref in cross_refs:
        if ref.target_key not in placed:
            continue
        target = persons[ref.target_key].index_form
        entry = by_form.setdefault(ref.form, IndexEntry(heading=ref.form))
        if target not in entry.see:
            entry.see.append(target)
    for entry in by_form.values():
        entry.see.sort(key=sort_key)
    return list(by_form.values())


# ---------------------------------------------------------------- export


ROW_FIELDS = ("name", "key", "identification", "page_label", "page_index", "locator",
              "document_number", "in_note", "note_number", "see")


def index_rows(entries: list[IndexEntry]) -> list[dict]:
    """One row per entry and place it is cited at (page, document, note), and one per See
    entry, all with ROW_FIELDS: a name twice in one paragraph is one locator, so one
    row, not two identical ones."""
    rows: list[dict] = []
    for entry in entries:
        if entry.key is None:
            rows.append(_row(entry, see="; ".join(entry.see)))
            continue
        for page in entry.pages:
            locator = format_locators([page])[0]
            for occ in page.occurrences:
                rows.append(_row(entry, page_label=page.label, page_index=page.index,
                                 locator=locator, document_number=occ.document_number,
                                 in_note=occ.note_number is not None,
                                 note_number=occ.note_number))
    unique = {tuple(row.items()): row for row in rows}
    return list(unique.values())


def _row(entry: IndexEntry, **values: object) -> dict:
    row: dict = dict.fromkeys(ROW_FIELDS, None)
    row.update(name=entry.heading, key=entry.key, identification=entry.identification,
               see="")
    row.update(values)
    return row


# ---------------------------------------------------------------- preflight


def verify_locators(entries: list[IndexEntry], occurrences: Iterable[Occurrence],
                    page_texts: dict[int, str]) -> list[str]:
    """Problems with the index, empty when every locator is proved by its page's text.

    For each page an entry cites, every occurrence it was built from must appear in
    the text extracted from that page (notes included); every occurrence of an indexed
    person must have been placed.
    """
    problems: list[str] = []
    cited: set[int] = set()
    normalised: dict[int, tuple[str, str]] = {}
    for entry in entries:
        for page in entry.pages:
            if page.index not in page_texts:
                problems.append(f"{entry.heading}: page {page.label} (index {page.index}) "
                                "has no extracted text")
                continue
            texts = normalised.setdefault(page.index, _page_variants(page_texts[page.index]))
            for occ in page.occurrences:
                cited.add(id(occ))
                wanted = normalise_page_text(occ.text)
                if not any(wanted in text for text in texts):
                    problems.append(f"{entry.heading}: {occ.text!r} ({occ.anchor}) is cited on "
                                    f"page {page.label} but not found in that page's text")
        for occ in entry.unplaced:
            cited.add(id(occ))
            problems.append(f"{entry.heading}: {occ.text!r} ({occ.anchor}) was not placed "
                            "on any page")
    indexed = {e.key for e in entries if e.key}
    for occ in occurrences:
        if occ.key in indexed and id(occ) not in cited:
            problems.append(f"{occ.key}: {occ.text!r} ({occ.anchor}) is missing from the index")
    return problems


def normalise_page_text(text: str, keep_hyphens: bool = False) -> str:
    """Undo what layout and extraction do to words: compatibility forms (ligatures),
    soft hyphens, hyphenation at line ends, line breaks, small caps or upper case.

    A hyphen at a line end is dropped (hyphenation) unless `keep_hyphens`: then it is
    kept as a hard hyphen (a name like `Szent-Györgyi` broken after its own hyphen).
    """
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    joined = r"\1-\2" if keep_hyphens else r"\1\2"
    text = re.sub(r"(\w)[\u2010-][ \t]*\n\s*(\w)", joined, text)
    return re.sub(r"\s+", " ", text).casefold()


def _page_variants(text: str) -> tuple[str, str]:
    return normalise_page_text(text), normalise_page_text(text, keep_hyphens=True)


def locate_from_report(anchors: dict[str, tuple[int, float, float]],
                       labels: list[str]) -> Locate:
    """A `locate` function over a LayoutReport's `anchors` and its pages' labels.

    A speaker label is set twice (one copy per margin, the recto copy's id is
    `ids.recto` of the other's); either copy's page is the label's page."""
    def locate(anchor: str) -> tuple[str, int] | None:
        where = anchors.get(anchor) or anchors.get(ids.recto(anchor))
        if where is None or not 0 <= where[0] < len(labels):
            return None
        return labels[where[0]], where[0]
    return locate
