"""The whole pipeline: sources → model → HTML → pages → index → finished PDF.

Parts are laid out in the order their dependencies demand: the body first (its folios
are fixed: arabic from 1), then the index (its locators come from the body's pages), then
the front matter (its contents list needs the folios of both). `Job` holds what they share.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from edition.backmatter.names import build_index, locate_from_report, verify_locators
from edition.backmatter.render import render_index, render_source_index
from edition.backmatter.source import (
    anchors_in_notes,
    build_source_index,
    verify_source_index,
)
from edition.errors import EditionError
from edition.fetcher import EditionFetcher, make_url_fetcher, raise_refusals
from edition.layout import LaidOut, paginate
from edition.layout.preflight import check_layout
from edition.layout.report import Finding
from edition.model import Volume, ids
from edition.output import atomic_path
from edition.pdf.finish import PartPages, finish_pdf
from edition.pdf.lines import number_lines
from edition.profiles import Profile, padded_count, resolve
from edition.readers import load_volume
from edition.render import (
    STYLES_DIR,
    font_config,
    one_line,
    render_body,
    render_front_matter,
    stylesheets,
)
from edition.render.css import marks_css
from edition.transform.links import dead_links
from edition.transform.names import Occurrence, apply_register
from edition.transform.numbering import number_volume
from edition.transform.selection import select_documents

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
    # Blank pages added at the end to reach a multiple of [print] pad_to.
    padding: int = 0
    # The TEI source's own index with this book's pages (edition/backmatter/source.py).
    source_index: list = field(default_factory=list)
    # The profile it was built with, resolved (edition/profiles.py).
    profile: Profile | None = None

    @property
    def page_count(self) -> int:
        return sum(len(p.labels) + p.blanks_after for p in self.parts)

    @property
    def body(self) -> Part:
        """The documents (every book has them)."""
        return self.part("body")

    def part(self, name: str) -> Part | None:
        """The part called `name` ("front", "body", "index", "source-index"), if any."""
        return next((p for p in self.parts if p.name == name), None)


def load(source: Path, documents: list[str] | None = None,
         **overrides) -> tuple[Volume, list[Occurrence]]:
    """Read, number and match names: the model every later stage works on.

    `documents` selects documents by number (handouts): the rest are dropped after the
    whole volume is numbered, before names are matched.
    """
    volume = load_volume(source, **overrides)
    number_volume(volume)
    volume.dead_links = dead_links(volume)
    if documents:
        select_documents(volume, documents, volume.settings.handout_notes)
    occurrences = apply_register(volume)
    return volume, occurrences


@dataclass
class Job:
    """What every part of one build shares: the model, the profile, styles and fetcher."""

    volume: Volume
    occurrences: list[Occurrence]
    profile: Profile
    css: list[CSS]
    fonts: FontConfiguration
    fetcher: EditionFetcher
    say: Progress
    base_url: str = STYLES_DIR.as_uri() + "/"

    @property
    def settings(self):
        return self.volume.settings

    def paginate(self, html: str, css: list[CSS] | None = None, **options) -> LaidOut:
        return paginate(html, self.css if css is None else css, self.base_url,
                        font_config=self.fonts, url_fetcher=self.fetcher, **options)

    def back_matter_css(self, extra: list[CSS] | None = None) -> list[CSS]:
        """Indexes take the base type and fonts and the settings' page; their own look is
        index.css, which their HTML links."""
        return [self.css[0], self.css[-1], *(extra or [])]


def typeset(source: Path, *, profile: str | None = None, documents: list[str] | None = None,
            progress: Progress | None = None, allow_remote: bool = False,
            **overrides) -> Book:
    """Build the book in memory; nothing is written.

    `profile` overrides the settings' (edition.toml `profile`, "book" by default).
    """
    say = progress or (lambda _msg: None)
    say("reading sources")
    if profile:
        overrides["profile"] = profile
    volume, occurrences = load(source, documents, **overrides)
    chosen = resolve(volume.settings)
    # The pages are set on the profile's paper; the indexes and the job ticket read it
    # from the settings.
    volume.settings.trim = chosen.paper
    fonts = font_config()
    # Sources are untrusted: WeasyPrint reads only the edition's and the package's files.
    folder = Path(source) if Path(source).is_dir() else Path(source).parent
    fetcher = make_url_fetcher([folder, STYLES_DIR], allow_remote)
    # The stylesheets are parsed (and their @font-face fonts fetched) through it too.
    job = Job(volume, occurrences, chosen,
              stylesheets(volume.settings, chosen, fonts, fetcher), fonts, fetcher, say)
    raise_refusals(fetcher, volume.sources)

    parts, entries = _body_and_index(job)
    book = Book(volume, parts, occurrences, entries, profile=chosen)
    if chosen.index and volume.source_index:
        say("regenerating the source's index")
        book.source_index, source_part = _source_index_part(job, book)
        parts.append(source_part)
    if chosen.front_matter:
        say("making the front matter")
        parts.insert(0, _front_part(job, book))

    if chosen.pad_to:
        book.padding = _pad(parts, chosen.pad_to)
    _finish(job, book)
    return book


def _finish(job: Job, book: Book) -> None:
    """Preflight every part, write the PDF, then the checks that need the whole book."""
    for part in book.parts:
        _set_labels(part)
        book.findings.extend(check_layout(part.laid.report, job.profile.label_side))
    job.say("writing the PDF")
    pages = [PartPages(p.name, p.labels, p.blanks_after) for p in book.parts]
    book.pdf = finish_pdf(_join(book.parts, marks_css(job.profile)), pages, job.volume,
                          job.profile)
    raise_refusals(job.fetcher, job.volume.sources)
    book.findings.extend(Finding("dead-link", -1, problem)
                         for problem in job.volume.dead_links)
    body = book.body
    if book.index_entries:
        book.findings.extend(
            Finding("index-locator", -1, problem) for problem in verify_locators(
                book.index_entries, book.occurrences, body.laid.report.page_texts))
    if book.source_index:
        book.findings.extend(
            Finding("source-index-locator", -1, problem)
            for problem in verify_source_index(book.source_index, body.laid.report))


def build(source: Path, output: Path, **kwargs) -> Book:
    """Typeset and write `output` atomically."""
    book = typeset(source, **kwargs)
    try:
        with atomic_path(output) as tmp:
            tmp.write_bytes(book.pdf)
    except OSError as exc:  # the CLI checked the place; a full disk is still possible
        raise EditionError(f"cannot write the PDF ({exc.strerror or exc})", output) from None
    return book


# ------------------------------------------------------------------ parts


def _body_and_index(job: Job) -> tuple[list[Part], list]:
    """The documents, and the index of names placed from where its names landed."""
    profile = job.profile
    job.say(f"laying out {len(job.volume.documents)} documents")
    html = render_body(job.volume, profile)

    def lay_body(extra: list[CSS]) -> Part:
        laid = job.paginate(html, job.css + extra, labels=profile.label_side,
                           level=True)
        if profile.line_numbers:
            laid.report.findings.extend(number_lines(laid, job.css[0], job.fonts))
        return Part("body", laid, [str(i + 1) for i in range(len(laid.document.pages))])

    body = lay_body([])
    if not (profile.index and job.volume.persons):
        return [body], []
    job.say("making the index")
    recto = profile.index_on_recto
    entries, index = _index_part(job, body, recto)
    if index is not None and profile.page_x_of_y:
        # "page x of y" must count the index too: both parts get the whole total. The
        # footer is a margin box, so the body's pages come out the same.
        footer = [_total_pages_css(len(body.labels) + len(index.labels))]
        body = lay_body(footer)
        entries, index = _index_part(job, body, recto, footer)
    return [body] + ([index] if index is not None else []), entries


def _total_pages_css(total: int) -> CSS:
    return CSS(string='@page { @bottom-center { content: "page " counter(page) '
                      f'" of {total}" }} }}', url_fetcher=make_url_fetcher([STYLES_DIR]))


def _index_part(job: Job, body: Part, recto: bool = True,
                extra: list[CSS] | None = None) -> tuple[list, Part | None]:
    volume = job.volume
    locate = locate_from_report(body.laid.report.anchors, body.labels)
    entries = build_index(volume.persons, volume.cross_references, job.occurrences, locate)
    if not entries:
        return entries, None
    body.blanks_after = len(body.labels) % 2 if recto else 0
    first = len(body.labels) + body.blanks_after + 1
    html = render_index(entries, volume.settings, first_page_number=first)
    laid = job.paginate(html, job.back_matter_css(extra))
    labels = [str(first + i) for i in range(len(laid.document.pages))]
    return entries, Part("index", laid, labels)


def _source_index_part(job: Job, book: Book) -> tuple[list, Part]:
    body, previous = book.body, book.parts[-1]
    volume = job.volume
    lines = build_source_index(volume.source_index, body.laid.report, body.labels,
                               anchors_in_notes(volume))
    # Like the index of names it opens on a recto, after the body or after that index.
    previous.blanks_after = int(previous.labels[-1]) % 2
    first = int(previous.labels[-1]) + previous.blanks_after + 1
    title = "Index" if previous is body else "Index of Subjects"
    html = render_source_index(lines, volume.settings, first, title)
    laid = job.paginate(html, job.back_matter_css())
    labels = [str(first + i) for i in range(len(laid.document.pages))]
    return lines, Part("source-index", laid, labels)


def _front_part(job: Job, book: Book) -> Part:
    """Half title to the last front page; its contents list every part with its folio.

    The front pages' own folios are known only once the front matter is laid out, so it
    is laid out twice when it has such pages; the second pass changes only folios.
    """
    volume = job.volume
    body = book.body
    anchors = body.laid.report.anchors
    documents = []
    for doc in volume.documents:
        where = anchors.get(doc.id)
        # Chapters of a book are listed by title; their "numbers" are only ids.
        number = doc.number if doc.kind == "document" else ""
        documents.append((number, one_line(doc.title),
                          body.labels[where[0]] if where else ""))
    index = book.part("index")
    back = [("", "Index", index.labels[0])] if index else []
    front = [("", page.title, "") for page in volume.front_pages]
    laid = None
    for _ in range(2 if front else 1):
        laid = job.paginate(render_front_matter(volume, front + documents + back,
                                                job.profile))
        front = [(n, title, _roman(page + 1)) for (n, title, _), page
                 in zip(front, _front_page_starts(laid), strict=False)]
    count = len(laid.document.pages)
    labels = [_roman(i + 1) for i in range(count)]
    # Document 1 opens on a recto numbered 1: the front matter has an even page count.
    return Part("front", laid, labels, blanks_after=count % 2)


def _front_page_starts(laid: LaidOut) -> list[int]:
    """Page index of each front page (editorial principles, …), in order."""
    starts = [(where[0], where[2]) for anchor, where in laid.report.anchors.items()
              if ids.is_front_page(anchor)]
    return [page for page, _ in sorted(starts)]


def _set_labels(part: Part) -> None:
    for info, label in zip(part.laid.report.pages, part.labels, strict=False):
        info.label = label
    for finding in part.laid.report.findings:
        finding.message = f"{part.name}: {finding.message}"


def _pad(parts: list[Part], pad_to: int) -> int:
    """Blank pages at the end, so the page count is a multiple of `pad_to`."""
    total = sum(len(p.labels) + p.blanks_after for p in parts)
    extra = padded_count(total, pad_to) - total
    parts[-1].blanks_after += extra
    return extra


def _join(parts: list[Part], page_css: str = ""):
    """All pages of all parts in one WeasyPrint document, blanks where a recto is due.

    `page_css` gives the blank pages the bleed and marks of the others.
    """
    first = parts[0].laid.document
    pages = []
    for part in parts:
        pages.extend(part.laid.document.pages)
        if part.blanks_after:
            pages.extend(_blank_pages(part, part.blanks_after, page_css))
    return first.copy(pages)


def _blank_pages(part: Part, count: int, page_css: str = ""):
    """Truly blank pages of the part's page size: no running head, no folio."""
    size = part.laid.document.pages[-1]
    css = f"@page {{ size: {size.width}px {size.height}px; margin: 0 }}" + page_css
    # One empty block per page, each after a forced break (a trailing break-after on
    # the last block would give no page of its own).
    html = "<html><body><div></div>" + "<div style='break-before: page'></div>" * (count - 1)
    pages = HTML(string=html + "</body></html>").render(stylesheets=[CSS(string=css)]).pages
    assert len(pages) == count, (len(pages), count)
    return pages


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


def quiet_weasyprint(verbose: bool = False) -> None:
    """WeasyPrint logs CSS it ignores; users see our findings instead, unless verbose."""
    logging.getLogger("weasyprint").setLevel(logging.WARNING if verbose else logging.ERROR)
