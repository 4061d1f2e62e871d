"""Locators and letter groups: what the index of names and the source's index share.

A locator cites a page by its printed folio. Each index gathers what it cites on one page
into a `PageRef` (`add_to_page`); `format_locators` turns the pages into Chicago locators:
ascending, runs of arabic folios in the text as ranges abbreviated as Chicago 9.64 says
(`101–8`), a page cited only for notes as `394n236`, `394nn236–37` or `394nn236, 238`.
Entries are grouped under the A–Z letter their heading files under (`letter_of`,
`letter_groups`), and an index part opens on a recto (`opening_side`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, TypeVar

import pyuca

EN_DASH = "\u2013"


@dataclass
class PageRef:
    """Everything one entry cites on one page: cited as the page, or page + notes."""

    label: str
    index: int
    in_text: bool = False
    notes: list[int] = field(default_factory=list)
    # What was found on the page (the index of names keeps its occurrences here).
    occurrences: list[Any] = field(default_factory=list)


def add_to_page(pages: list[PageRef], label: str, index: int, note: int | None = None,
                occurrence: object | None = None) -> PageRef:
    """Cite page `index` in `pages`: in its text when `note` is None, else in that note.

    A page is cited once however often it is added; `occurrence`, when given, is kept
    with the page's other occurrences.
    """
    page = next((p for p in pages if p.index == index), None)
    if page is None:
        page = PageRef(label=label, index=index)
        pages.append(page)
    if occurrence is not None:
        page.occurrences.append(occurrence)
    if note is None:
        page.in_text = True
    elif note not in page.notes:
        page.notes.append(note)
        page.notes.sort()
    return page


# ---------------------------------------------------------------- locators


def format_locators(pages: list[PageRef]) -> list[str]:
    """Chicago locators: ascending; runs of arabic pages in the text become ranges;
    a page with the entry only in notes is `394n236`, `394nn236–37`, `394nn236, 238`."""
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
            out.append(page.label + note_locator(page.notes))
        elif run and continues_range(run[-1], page):
            run.append(page)
        else:
            flush()
            run.append(page)
    flush()
    return out


def continues_range(previous: PageRef, page: PageRef) -> bool:
    """Only arabic folios make ranges: roman front-matter pages are cited singly."""
    return (previous.label.isdigit() and page.label.isdigit()
            and page.index == previous.index + 1
            and int(page.label) == int(previous.label) + 1)


def note_locator(numbers: list[int]) -> str:
    """What follows the folio of a page cited for its notes: `n236`, `nn236–37, 240`."""
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


# ---------------------------------------------------------------- letters


@cache
def collator() -> pyuca.Collator:
    """The Unicode Collation Algorithm; reads its key table once."""
    return pyuca.Collator()


def letters(text: str) -> str:
    """Only letters and digits: letter-by-letter ignores spaces, hyphens, apostrophes."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if c.isalnum())


@cache
def _letter_of(first: str) -> str:
    """The group heading for a first letter: the A–Z letter of the same primary weight
    (so Ł files under L and Ö under O), else the letter itself in upper case."""
    primary = collator().sort_key(first)[0]
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if collator().sort_key(letter)[0] == primary:
            return letter
    return first.upper()


def letter_of(heading: str) -> str:
    """The letter a heading files under; `#` for one without letters or digits."""
    found = letters(heading)
    return _letter_of(found[0]) if found else "#"


class Lettered(Protocol):
    letter: str


E = TypeVar("E", bound=Lettered)


def letter_groups(entries: Iterable[E]) -> list[tuple[str, list[E]]]:
    """Consecutive entries of one `letter`, in order: (letter, entries) per group."""
    groups: list[tuple[str, list[E]]] = []
    for entry in entries:
        if not groups or groups[-1][0] != entry.letter:
            groups.append((entry.letter, []))
        groups[-1][1].append(entry)
    return groups


# ---------------------------------------------------------------- the opening page


def opening_side(first_page_number: int) -> str:
    """The side an index part's first page is on, for CSS `break-before`: an odd folio
    is a recto (`right`); an even one, where a handout runs straight on, a verso."""
    return "left" if first_page_number % 2 == 0 else "right"
