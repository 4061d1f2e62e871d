"""The index of names, built only from where each occurrence landed after layout.

`build_index` turns the register's persons and cross-references plus the located
occurrences into sorted entries with Chicago-style locators; `render_index` makes the
index part's HTML; `index_rows` is the CSV/JSON export; `verify_locators` is the
preflight that proves every locator against the text extracted from its page.

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
from functools import cache
from pathlib import Path

import pyuca
from jinja2 import Environment, FileSystemLoader, select_autoescape

from edition.model import CrossReference, Person
from edition.register import Occurrence
from edition.settings import Settings

Locate = Callable[[str], tuple[str, int] | None]

TEMPLATES = Path(__file__).parent / "templates"
INDEX_CSS = Path(__file__).parent.parent / "styles" / "index.css"
EN_DASH = "\u2013"


@dataclass
class PageRef:
    """Everything one person has on one page: cited as the page, or page + notes."""

    label: str
    index: int
    in_text: bool = False
    notes: list[int] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)


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


@cache
def _collator() -> pyuca.Collator:
    return pyuca.Collator()  # reads its key table once: cached


def sort_key(heading: str) -> tuple[tuple[int, ...], ...]:
    """Letter-by-letter key, one part per comma-separated part of the heading."""
    parts = heading.split(",")
    return tuple(_collator().sort_key(_letters(part)) for part in parts)


def _letters(text: str) -> str:
    """Only letters and digits: letter-by-letter ignores spaces, hyphens, apostrophes."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if c.isalnum())


@cache
def _letter_of(first: str) -> str:
    """The group heading for a first letter: the A–Z letter of the same primary weight
    (so Ł files under L and Ö under O), else the letter itself in upper case."""
    primary = _collator().sort_key(first)[0]
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if _collator().sort_key(letter)[0] == primary:
            return letter
    return first.upper()


def letter_of(heading: str) -> str:
    letters = _letters(heading)
    return _letter_of(letters[0]) if letters else "#"


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
            _add(entry, occ, *where)
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


def _add(entry: IndexEntry, occ: Occurrence, label: str, index: int) -> None:
    page = next((p for p in entry.pages if p.index == index), None)
    if page is None:
        page = PageRef(label=label, index=index)
        entry.pages.append(page)
    page.occurrences.append(occ)
    if occ.note_number is None:
        page.in_text = True
    elif occ.note_number not in page.notes:
        page.notes.append(occ.note_number)
        page.notes.sort()


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


# ---------------------------------------------------------------- locators


def format_locators(pages: list[PageRef]) -> list[str]:
    """Chicago locators: ascending; runs of arabic pages in the text become ranges;
    a page with the name only in notes is `394n236`, `394nn236–37`, `394nn236, 238`."""
    out: list[str] = []
    run: list[PageRef] = []

    def flush() -> None:
        if run:
            first, last = run[0], run[-1]
            if first is last:
                out.append(first.label)
            else:
                end = abbreviate(int(first.label), int(last.label))
                out.append(f"{first.label}{EN_DASH}{end}")
            run.clear()

    for page in sorted(pages, key=lambda p: p.index):
        if not page.in_text:
            flush()
            out.append(page.label + _notes(page.notes))
        elif run and _continues(run[-1], page):
            run.append(page)
        else:
            flush()
            run.append(page)
    flush()
    return out


def _continues(previous: PageRef, page: PageRef) -> bool:
    """Only arabic folios make ranges: roman front-matter pages are cited singly."""
    return (previous.label.isdigit() and page.label.isdigit()
            and page.index == previous.index + 1
            and int(page.label) == int(previous.label) + 1)


def _notes(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"n{numbers[0]}"
    groups: list[list[int]] = []
    for n in numbers:
        if groups and n == groups[-1][-1] + 1:
            groups[-1].append(n)
        else:
            groups.append([n])
    parts = [str(g[0]) if len(g) == 1 else f"{g[0]}{EN_DASH}{abbreviate(g[0], g[-1])}"
             for g in groups]
    return "nn" + ", ".join(parts)


def abbreviate(first: int, last: int) -> str:
    """The second number of an inclusive range, shortened as Chicago 9.64 says:
    3–10, 71–72, 100–104, 101–8, 321–28, 498–532, 1087–89, 1496–1504."""
    a, b = str(first), str(last)
    if first < 100 or first % 100 == 0 or len(a) != len(b):
        return b
    changed = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
    if len(a) - changed >= 3 and len(a) == 4:
        return b  # three digits change in a four-digit number: give it whole
    keep = len(a) - changed
    if first % 100 >= 10:
        keep = max(keep, 2)
    return b[-keep:]


# ---------------------------------------------------------------- export


ROW_FIELDS = ("name", "key", "identification", "page_label", "page_index", "locator",
              "document_number", "in_note", "note_number", "see")


def index_rows(entries: list[IndexEntry]) -> list[dict]:
    """One row per placed occurrence (and one per See entry), all with ROW_FIELDS."""
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
    return rows


def _row(entry: IndexEntry, **values: object) -> dict:
    row: dict = dict.fromkeys(ROW_FIELDS, None)
    row.update(name=entry.heading, key=entry.key, identification=entry.identification,
               see="")
    row.update(values)
    return row


# ---------------------------------------------------------------- rendering


def render_index(entries: list[IndexEntry], settings: Settings, first_page_number: int,
                 stylesheets: list[str] | None = None) -> str:
    """The index part as one HTML document whose first page prints `first_page_number`.

    `stylesheets` are linked in order (default: styles/index.css as a file URL); the
    page size, margins and folio start come from `settings` in an inline style.
    """
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    width, height = settings.trim_mm
    groups: list[tuple[str, list[IndexEntry]]] = []
    for entry in entries:
        if not groups or groups[-1][0] != entry.letter:
            groups.append((entry.letter, []))
        groups[-1][1].append(entry)
    return env.get_template("index.html").render(
        groups=groups, settings=settings, width=width, height=height,
        # WeasyPrint prints the value `@page :first { counter-reset: page N }` sets.
        first_page_number=first_page_number,
        # An even first folio is a verso: tell WeasyPrint the first page is a left page.
        first_side="left" if first_page_number % 2 == 0 else "right",
        stylesheets=stylesheets if stylesheets is not None else [INDEX_CSS.as_uri()],
    )


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

    A speaker label is set twice (one copy per margin, the recto copy's id ends in
    `-r`); either copy's page is the label's page."""
    def locate(anchor: str) -> tuple[str, int] | None:
        where = anchors.get(anchor) or anchors.get(anchor + "-r")
        if where is None or not 0 <= where[0] < len(labels):
            return None
        return labels[where[0]], where[0]
    return locate
