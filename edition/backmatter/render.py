"""Both indexes' HTML through one template (edition/templates/index.html), one look.

The index of names and the source's regenerated index are set alike by index.css: the
same classes, letter groups, hanging turnovers and See/See also in italic. Python only
prepares what the template prints: each entry becomes a `Line` (heading, locators,
cross-references, classes), the letter groups and the part's first folio and side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from edition.backmatter.locators import letter_groups, opening_side
from edition.backmatter.names import IndexEntry
from edition.backmatter.source import SourceEntry
from edition.model import ids
from edition.render.lang import typeset_lang
from edition.resources import styles_dir, templates_dir
from edition.settings import Settings
from edition.terms import terms_for

TEMPLATES = templates_dir()
INDEX_CSS = styles_dir() / "index.css"

# Turnover lines hang 1.5em (index.css); each sub-entry level is indented one step more.
HANGING_INDENT_EM = 1.5
SUB_INDENT_EM = 1.0


@dataclass
class Line:
    """One printed entry, whichever index it belongs to."""

    heading: str
    classes: str = "index-entry"
    key: str | None = None  # data-person or data-place: the register key of the entry
    identification: str = ""
    locators: list[str] = field(default_factory=list)
    # ("see", targets) and ("see_also", targets), those that have targets: the terms
    # (edition/terms.py) the template prints in the volume's language.
    refs: list[tuple[str, list[str]]] = field(default_factory=list)
    letter: str = ""


@dataclass
class Group:
    letter: str
    id: str | None  # the group's HTML id, if it has one
    lines: list[Line]


def render_index(entries: list[IndexEntry], settings: Settings, first_page_number: int,
                 stylesheets: list[str] | None = None, title: str | None = None,
                 kind: str = "person") -> str:
    """The index of names (or, `kind="place"`, of places) as one HTML document whose
    first page prints `first_page_number`.

    `stylesheets` are linked in order (default: styles/index.css as a file URL); the
    page size, margins and folio start come from `settings` in an inline style. Only
    the index of names gives its letter groups ids (`index-K`): ids are the book's.
    """
    lines = [_name_line(entry) for entry in entries]
    names = kind == "person"
    groups = [Group(letter, ids.index_letter(letter) if names else None, members)
              for letter, members in letter_groups(lines)]
    return _render(groups, settings, first_page_number,
                   title=title or terms_for(settings)["index"],
                   section_id=ids.INDEX if names else ids.PLACES_INDEX,
                   section_class="index" if names else "index places-index",
                   stylesheets=stylesheets, key_attribute=f"data-{kind}")


def render_source_index(lines: list[SourceEntry], settings: Settings,
                        first_page_number: int, title: str = "Index") -> str:
    """The source's index: the classes of the index of names, sub-entries indented one
    step per level. Its letter groups have no ids (the index of names has those)."""
    printed = [_source_line(line) for line in lines]
    groups = [Group(letter, None, members) for letter, members in letter_groups(printed)]
    depth = max((line.level for line in lines), default=0)
    return _render(groups, settings, first_page_number, title=title,
                   section_id=ids.SOURCE_INDEX, section_class="index source-index",
                   sub_levels=list(range(1, depth + 1)))


def _name_line(entry: IndexEntry) -> Line:
    if entry.key is None:
        return Line(entry.heading, "index-entry index-xref", refs=[("see", entry.see)],
                    letter=entry.letter)
    return Line(entry.heading, key=entry.key,
                identification=_without_final_stop(entry.identification),
                locators=entry.locators, refs=_refs([], entry.see_also),
                letter=entry.letter)


def _without_final_stop(identification: str) -> str:
    """"Ambassador in Russia." → "Ambassador in Russia": the locators follow after a
    comma, never a doubled stop. An abbreviation keeps its point ("Jr.", "U.S.A.")."""
    last = identification.rsplit(None, 1)[-1] if identification.strip() else ""
    if last.endswith(".") and len(last) > 4 and "." not in last[:-1]:
        return identification[:-1]
    return identification


def _source_line(line: SourceEntry) -> Line:
    classes = "index-entry" + (f" index-sub index-sub-{line.level}" if line.level else "")
    return Line(line.term, classes, locators=line.locators,
                refs=_refs(line.see, line.see_also), letter=line.letter)


def _refs(see: list[str], see_also: list[str]) -> list[tuple[str, list[str]]]:
    return [(word, targets) for word, targets in (("see", see), ("see_also", see_also))
            if targets]


def _render(groups: list[Group], settings: Settings, first_page_number: int, *, title: str,
            section_id: str, section_class: str, stylesheets: list[str] | None = None,
            sub_levels: list[int] | None = None, key_attribute: str = "data-person") -> str:
    return _environment().get_template("index.html").render(
        groups=groups, settings=settings, title=title, key_attribute=key_attribute,
        terms=terms_for(settings),
        lang=typeset_lang(settings.language),
        section_id=section_id, section_class=section_class,
        # WeasyPrint prints the value `@page :first { counter-reset: page N }` sets.
        first_page_number=first_page_number,
        # An even first folio is a verso: tell WeasyPrint the first page is a left page.
        first_side=opening_side(first_page_number),
        stylesheets=stylesheets if stylesheets is not None else [INDEX_CSS.as_uri()],
        # Sub-entry level → its left padding: the hanging indent plus one step a level.
        sub_indents=[(k, HANGING_INDENT_EM + k * SUB_INDENT_EM) for k in sub_levels or ()],
    )


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES),
                       autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)
