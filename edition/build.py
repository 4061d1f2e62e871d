"""The whole pipeline: sources → model → HTML → pages → index → finished PDF.

Parts are laid out in the order their dependencies demand: the body first (its folios
are fixed: arabic from 1), then the index (its locators come from the body's pages), then
the front matter (its contents list needs the body's folios). Each part is laid out once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import HTML

from edition.fetcher import EditionFetcher, make_url_fetcher, raise_refusals
from edition.index import build_index, render_index, verify_locators
from edition.layout import LaidOut, paginate
from edition.layout.preflight import check_layout
from edition.layout.report import Finding
from edition.model import Volume
from edition.numbering import number_volume
from edition.output import atomic_path
from edition.pdf.finish import PartPages, finish_pdf
from edition.profiles import get_profile
from edition.readers import load_volume
from edition.register import Occurrence, apply_register
from edition.render import (
    STYLES_DIR,
    font_config,
    plain_text,
    render_body,
    render_front_matter,
    stylesheets,
)

Progress = Callable[[str], None]


@dataclass
class Part:
    name: str  # "front", "body", "index"
    laid: LaidOut
    labels: list[str]
    blanks_after: int = 0  # blank pages appended to reach the next recto


@dataclass
class Book:
    volume: Volume
    parts: list[Part]
    occurrences: list[Occurrence]
    index_entries: list
    findings: list[Finding] = field(default_factory=list)
    pdf: bytes = b""

    @property
    def page_count(self) -> int:
        return sum(len(p.labels) + p.blanks_after for p in self.parts)


def load(source: Path, **overrides) -> tuple[Volume, list[Occurrence]]:
    """Read, number and match names: the model every later stage works on."""
    volume = load_volume(source, **overrides)
    number_volume(volume)
    occurrences = apply_register(volume)
    return volume, occurrences


def typeset(source: Path, *, profile: str = "book", progress: Progress | None = None,
            allow_remote: bool = False, **overrides) -> Book:
    """Build the book in memory; nothing is written."""
    say = progress or (lambda _msg: None)
    chosen = get_profile(profile)
    say("reading sources")
    volume, occurrences = load(source, **overrides)
    settings = volume.settings
    fonts = font_config()
    css = stylesheets(settings, chosen.name, fonts)
    base_url = STYLES_DIR.as_uri() + "/"
    # Sources are untrusted: WeasyPrint reads only the edition's and the package's files.
    folder = Path(source) if Path(source).is_dir() else Path(source).parent
    fetcher = make_url_fetcher([folder, STYLES_DIR], allow_remote)

    say(f"laying out {len(volume.documents)} documents")
    body = paginate(render_body(volume, chosen.name), css, base_url,
                    labels=chosen.label_side, font_config=fonts, url_fetcher=fetcher)
    body_labels = [str(i + 1) for i in range(len(body.document.pages))]
    body_part = Part("body", body, body_labels)
    parts = [body_part]

    entries: list = []
    if settings.index and chosen.index and volume.persons:
        say("making the index")
        entries, index_part = _index_part(volume, occurrences, body_part, css, fonts,
                                         base_url, fetcher)
        if index_part is not None:
            parts.append(index_part)

    if settings.front_matter and chosen.front_matter:
        say("making the front matter")
        parts.insert(0, _front_part(volume, body_part, css, fonts, base_url, fetcher))

    book = Book(volume, parts, occurrences, entries)
    for part in parts:
        _set_labels(part)
        book.findings.extend(check_layout(part.laid.report, chosen.label_side))
    say("writing the PDF")
    book.pdf = finish_pdf(_join(parts), [PartPages(p.name, p.labels, p.blanks_after)
                                         for p in parts], volume, chosen)
    raise_refusals(fetcher, volume.sources)
    if entries:
        book.findings.extend(_check_index(book, entries, occurrences))
    return book


def build(source: Path, output: Path, **kwargs) -> Book:
    """Typeset and write `output` atomically."""
    book = typeset(source, **kwargs)
    with atomic_path(output) as tmp:
        tmp.write_bytes(book.pdf)
    return book


# ------------------------------------------------------------------ parts


def _index_part(volume: Volume, occurrences: list[Occurrence], body: Part, css, fonts,
                base_url: str, fetcher: EditionFetcher) -> tuple[list, Part | None]:
    report = body.laid.report

    def locate(anchor: str) -> tuple[str, int] | None:
        where = report.anchors.get(anchor)
        return (body.labels[where[0]], where[0]) if where else None

    entries = build_index(volume.persons, volume.cross_references, occurrences, locate)
    if not entries:
        return entries, None
    # The index opens on a recto: a blank verso ends the body when needed.
    body.blanks_after = len(body.labels) % 2
    first = len(body.labels) + body.blanks_after + 1
    html = render_index(entries, volume.settings, first_page_number=first)
    # The base type and fonts and the settings' page; the index's own look is index.css.
    laid = paginate(html, [css[0], css[-1]], base_url, font_config=fonts, url_fetcher=fetcher)
    labels = [str(first + i) for i in range(len(laid.document.pages))]
    return entries, Part("index", laid, labels)


def _front_part(volume: Volume, body: Part, css, fonts, base_url: str,
                fetcher: EditionFetcher) -> Part:
    anchors = body.laid.report.anchors
    toc = []
    for doc in volume.documents:
        where = anchors.get(doc.id)
        toc.append((doc.number, plain_text(doc.title), body.labels[where[0]] if where else ""))
    laid = paginate(render_front_matter(volume, toc), css, base_url, font_config=fonts,
                    url_fetcher=fetcher)
    count = len(laid.document.pages)
    labels = [_roman(i + 1) for i in range(count)]
    # Document 1 opens on a recto numbered 1: the front matter has an even page count.
    return Part("front", laid, labels, blanks_after=count % 2)


def _set_labels(part: Part) -> None:
    for info, label in zip(part.laid.report.pages, part.labels, strict=False):
        info.label = label
    for finding in part.laid.report.findings:
        finding.message = f"{part.name}: {finding.message}"


def _join(parts: list[Part]):
    """All pages of all parts in one WeasyPrint document, blanks where a recto is due."""
    first = parts[0].laid.document
    pages = []
    for part in parts:
        pages.extend(part.laid.document.pages)
        if part.blanks_after:
            pages.extend(_blank_pages(part, part.blanks_after))
    return first.copy(pages)


def _blank_pages(part: Part, count: int):
    """Truly blank pages of the part's page size: no running head, no folio."""
    size = part.laid.document.pages[-1]
    css = f"@page {{ size: {size.width}px {size.height}px; margin: 0 }}"
    html = "<html><body>" + "<div style='break-after: page'></div>" * (count - 1)
    return HTML(string=html + "</body></html>").render(
        stylesheets=[_css(css)]).pages[:count]


def _css(text: str):
    from weasyprint import CSS

    return CSS(string=text)


def _roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


# ------------------------------------------------------------------ checks


def _check_index(book: Book, entries: list, occurrences: list[Occurrence]) -> list[Finding]:
    """Every locator proved by the text drawn on the body page it cites."""
    body = next(p for p in book.parts if p.name == "body")
    texts = body.laid.report.page_texts
    return [Finding("index-locator", -1, problem)
            for problem in verify_locators(entries, occurrences, texts)]


def quiet_weasyprint(verbose: bool = False) -> None:
    """WeasyPrint logs CSS it ignores; users see our findings instead, unless verbose."""
    logging.getLogger("weasyprint").setLevel(logging.WARNING if verbose else logging.ERROR)
