"""The whole pipeline: sources → model → HTML → pages → index → finished PDF.

Parts are laid out in the order their dependencies demand: the body first (its folios
are fixed: arabic from 1), then the index (its locators come from the body's pages), then
the front matter (its contents list needs the folios of both). `Job` holds what they share.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from edition.backmatter.names import (
    IndexEntry,
    build_index,
    locate_from_report,
    verify_locators,
)
from edition.backmatter.render import render_index, render_source_index
from edition.backmatter.source import (
    anchors_in_notes,
    build_source_index,
    verify_source_index,
)
from edition.fetcher import EditionFetcher, make_url_fetcher, raise_refusals
from edition.layout import LaidOut, facing, paginate
from edition.layout.cache import RunCache
from edition.layout.preflight import check_layout
from edition.layout.report import Finding
from edition.layout.runs import (
    Layouter,
    RunResult,
    Setup,
    blanks_before,
    join_reports,
    run_name,
    split_runs,
    starts,
)
from edition.layout.store import Folder
from edition.layout.workers import RunProgress, RunStats, lay_runs
from edition.model import Notice, Span, Volume, walk
from edition.output import write_atomic
from edition.pdf.finish import PartPages, finish_pdf, fonts_dated, source_date, write_part
from edition.pdf.fonts import FontStore
from edition.pdf.merge import WrittenPart, merge
from edition.profiles import Profile, padded_count, resolve
from edition.readers import load_volume
from edition.render import (
    STYLES_DIR,
    font_config,
    one_line,
    render_front_matter,
    render_runs,
    stylesheets,
)
from edition.render.css import marks_css
from edition.render.lang import unhyphenated
from edition.terms import terms_for
from edition.transform.apparatus_check import check_apparatus
from edition.transform.conventions import apply_conventions
from edition.transform.links import dead_links
from edition.transform.names import Occurrence, apply_register, of_kind
from edition.transform.numbering import number_volume
from edition.transform.selection import select_documents
from edition.transform.witnesses import add_conspectus

Progress = Callable[[str], None]
# Laid-out runs are kept here, under the output's folder, between builds.
CACHE_FOLDER = ".edition-cache"


# The indexes built from where the registers' mentions landed: register → part name,
# and the term (edition/terms.py) of its title beside the other.
INDEX_PARTS = {"person": "index", "place": "places-index"}
INDEX_TITLES = {"person": "index_of_names", "place": "index_of_places"}


@dataclass
class Part:
    name: str  # "front", "body", "index", "places-index", "source-index"
    laid: LaidOut  # the body's has no WeasyPrint document of its own: see `runs`
    labels: list[str]
    blanks_after: int = 0  # blank pages appended to reach the next recto
    # The body: its runs of documents (layout/runs.py), in order, and the blank versos
    # before each (documents that open on a recto).
    runs: list[RunResult] = field(default_factory=list)
    blanks: list[int] = field(default_factory=list)
    layouter: Layouter | None = None  # while runs wait for their place
    title: str = ""  # an index's title, for the contents


@dataclass
class Book:
    volume: Volume
    parts: list[Part]
    occurrences: list[Occurrence]
    index_entries: list
    # The index of places, when the sources have a register of places with mentions.
    place_entries: list = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pdf: bytes = b""
    # Blank pages added at the end to reach a multiple of [print] pad_to.
    padding: int = 0
    # The TEI source's own index with this book's pages (edition/backmatter/source.py).
    source_index: list = field(default_factory=list)
    # The profile it was built with, resolved (edition/profiles.py).
    profile: Profile | None = None
    # How the body's runs were laid out: worker processes, from the cache.
    runs: RunStats = field(default_factory=RunStats)

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
    check_apparatus(volume)
    apply_conventions(volume)
    number_volume(volume)
    volume.notices.extend(_unhyphenated_notices(volume))
    add_conspectus(volume)
    volume.dead_links = dead_links(volume)
    if documents:
        select_documents(volume, documents, volume.settings.handout_notes)
    occurrences = apply_register(volume)
    return volume, occurrences


def _unhyphenated_notices(volume: Volume) -> list[Notice]:
    """One notice per language of the text that Pyphen has no patterns for: it is set
    without hyphenation (never with another language's patterns)."""
    tags = {volume.settings.language}
    for doc in volume.documents:
        tags.add(doc.lang)
        groups = (*walk.document_groups(doc), *(n.blocks for n in doc.notes.values()))
        tags.update(span.lang for span in walk.of_type(Span, *groups))
    return [Notice(f"text in '{tag}' is not hyphenated: there are no hyphenation patterns "
                   "for that language") for tag in unhyphenated(tags)]


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
    setup: Setup
    jobs: int = 1
    cache_dir: Folder | None = None
    on_runs: RunProgress | None = None  # the body's runs as they come in (a progress bar)
    scheduler: str = ""  # a Dask scheduler's address: the runs are laid out there
    base_url: str = STYLES_DIR.as_uri() + "/"
    stats: RunStats = field(default_factory=RunStats)

    @property
    def settings(self):
        return self.volume.settings

    @property
    def font_store(self) -> FontStore:
        return FontStore(self.setup.fonts)

    def paginate(self, html: str, css: list[CSS] | None = None, **options) -> LaidOut:
        return paginate(html, self.css if css is None else css, self.base_url,
                        font_config=self.fonts, url_fetcher=self.fetcher, **options)

    def back_matter_css(self, extra: list[CSS] | None = None) -> list[CSS]:
        """Indexes take the base type and fonts and the settings' page; their own look is
        index.css, which their HTML links, and what the profile changes in it
        (`styles/<profile>-index.css`: a handout's footer)."""
        own = STYLES_DIR / f"{self.profile.name}-index.css"
        sheets = [CSS(filename=str(own), font_config=self.fonts, url_fetcher=self.fetcher)
                  ] if own.is_file() else []
        return [self.css[0], self.css[-1], *sheets, *(extra or [])]


def typeset(source: Path, *, profile: str | None = None, documents: list[str] | None = None,
            progress: Progress | None = None, allow_remote: bool = False,
            jobs: int | None = None, cache_dir: Folder | None = None,
            on_runs: RunProgress | None = None, scheduler: str | None = None,
            **overrides) -> Book:
    """Build the book in memory; nothing but the cache is written.

    `profile` overrides the settings' (edition.toml `profile`, "book" by default).
    `jobs`: worker processes laying out the body's runs (default: the machine's cores).
    `cache_dir`: where laid-out runs are kept between builds (none: no cache).
    `on_runs`: told (runs done, runs in all, pages so far) as the body's runs come in.
    `scheduler`: the address of a Dask scheduler whose workers lay the runs out
    (default: the settings' `[build] scheduler`; "": worker processes here).
    """
    say = progress or (lambda _msg: None)
    say("reading sources")
    if profile:
        overrides["profile"] = profile
    volume, occurrences = load(source, documents, **overrides)
    scheduler = volume.settings.build_scheduler if scheduler is None else scheduler
    chosen = resolve(volume.settings)
    # The pages are set on the profile's paper; the indexes and the job ticket read it
    # from the settings.
    volume.settings.trim = chosen.paper
    fonts = font_config()
    # Sources are untrusted: WeasyPrint reads only the edition's and the package's files.
    folder = Path(source) if Path(source).is_dir() else Path(source).parent
    fetcher = make_url_fetcher([folder, STYLES_DIR], allow_remote)
    with _connected(scheduler), _font_folder(cache_dir) as font_folder:
        # The stylesheets are parsed (and their @font-face fonts fetched) through it too.
        setup = Setup(volume.settings, chosen, folder, allow_remote,
                      STYLES_DIR.as_uri() + "/", font_folder)
        job = Job(volume, occurrences, chosen,
                  stylesheets(volume.settings, chosen, fonts, fetcher), fonts, fetcher, say,
                  setup, _jobs(jobs, scheduler), cache_dir, on_runs, scheduler=scheduler)
        raise_refusals(fetcher, volume.sources)
        return _typeset(job)


# What one layout worker may take (a 500-page volume's run peaks near 250 MB): more workers
# than memory holds swap, and --jobs 64 on 2 cores took 61 s and 5.3 GB against 2.8 s.
WORKER_MB = 300


def usable_jobs(requested: int | None) -> int:
    """Worker processes: `requested` (default: the machine's cores), capped at the cores
    and at the available memory over WORKER_MB, with a one-line note when capped."""
    cores = os.cpu_count() or 1
    cap = max(1, min(cores, _available_mb() // WORKER_MB))
    if requested is None:
        return cap
    if requested > cap:
        warnings.warn(f"--jobs {requested} capped at {cap}: the machine has {cores} "
                      f"core(s) and memory for {_available_mb() // WORKER_MB} workers of "
                      f"{WORKER_MB} MB", stacklevel=2)
        return cap
    return requested


def _jobs(requested: int | None, scheduler: str) -> int:
    """The runs laid out at once: on a cluster, `requested` or every worker it has;
    here, `usable_jobs`."""
    if not scheduler:
        return usable_jobs(requested)
    from edition.layout.cluster import worker_count

    return requested or worker_count(scheduler)


def _available_mb() -> int:
    """Memory available for new processes (MemAvailable), in MB; very large if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 1 << 30


@contextmanager
def _connected(scheduler: str) -> Iterator[None]:
    """Connected to the Dask scheduler while the book is built, if there is one."""
    if not scheduler:
        yield
        return
    from edition.layout.cluster import connected

    with connected(scheduler):
        yield


@contextmanager
def _font_folder(cache_dir: Folder | None) -> Iterator[Folder]:
    """Where the parts' font files are kept (pdf/fonts.py): with the cached runs that
    name them, or for this build only."""
    if cache_dir is not None and (fonts := cache_dir.child("fonts")).usable():
        yield fonts
        return
    # A cache that cannot be written only costs time.
    with tempfile.TemporaryDirectory(prefix="edition-fonts-") as folder:
        yield Folder(Path(folder))


def _typeset(job: Job) -> Book:
    volume, chosen, say = job.volume, job.profile, job.say
    with fonts_dated(source_date(volume)):  # the workers' font subsets dated too
        parts, entries = _body_and_index(job)
    book = Book(volume, parts, job.occurrences, entries.get("person", []),
                place_entries=entries.get("place", []), profile=chosen, runs=job.stats)
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
        book.findings.extend(check_layout(part.laid.report, job.profile.label_side,
                                          spreads=job.profile.mirrored))
    job.say("writing the PDF")
    if job.profile.pdf_tags:
        pages = [PartPages(p.name, p.labels, p.blanks_after) for p in book.parts]
        book.pdf = finish_pdf(_join(book.parts, marks_css(job.profile)), pages,
                              job.volume, job.profile)
    else:
        book.pdf = _merged(job, book.parts)
    raise_refusals(job.fetcher, job.volume.sources)
    book.findings.extend(Finding("dead-link", -1, problem)
                         for problem in job.volume.dead_links)
    body = book.body
    # Every locator of both indexes is proved by its page's text.
    for rule, kind, entries in (("index-locator", "person", book.index_entries),
                                ("places-index-locator", "place", book.place_entries)):
        book.findings.extend(Finding(rule, -1, problem) for problem in verify_locators(
            entries, of_kind(book.occurrences, kind), body.laid.report.page_texts))
    if book.source_index:
        book.findings.extend(
            Finding("source-index-locator", -1, problem)
            for problem in verify_source_index(book.source_index, body.laid.report))


def cache_folder(output: Path) -> Folder:
    """Where the runs of the PDF `output` are cached: one folder per PDF, so that the
    book and its handouts built into one folder keep their own. The output folder is
    the user's; the two below it may have come with the edition: never followed."""
    return Folder(output.parent, (CACHE_FOLDER, output.stem))


def build(source: Path, output: Path, *, cache: bool = True, **kwargs) -> Book:
    """Typeset and write `output` atomically; laid-out runs are cached beside it
    (`.edition-cache/<name>/`) unless `cache` is False."""
    if cache:
        kwargs.setdefault("cache_dir", cache_folder(output))
    book = typeset(source, **kwargs)
    write_atomic(output, book.pdf)  # the CLI checked the place; a disk may still fill up
    return book


# ------------------------------------------------------------------ parts


def _body_and_index(job: Job) -> tuple[list[Part], dict[str, list[IndexEntry]]]:
    """The documents, and the indexes of names and of places placed from where their
    names and places landed; the entries by register ("person", "place").

    "page x of y" counts every page, the index's too, which is laid out after the body:
    then the body's runs are laid out first and placed once the total is known (placing
    makes only the margin boxes again: nothing is laid out twice).
    """
    profile = job.profile
    total_wanted = profile.page_x_of_y
    body = _body_unplaced(job) if total_wanted else _body(job)
    entries = _index_entries(job, body) if profile.index else {}
    indexes: list[Part] = []
    words = terms_for(job.settings)
    for kind, found in entries.items():
        job.say("making the index" + (" of places" if kind == "place" else ""))
        # Alone, the index of names is the "Index"; beside the index of places, each
        # is named for what it lists.
        title = words["index" if list(entries) == ["person"] else INDEX_TITLES[kind]]
        indexes.append(_index_part(job, found, kind, title, indexes[-1] if indexes else body,
                                   profile.index_on_recto))
    if total_wanted:
        total = len(body.labels) + sum(len(part.labels) for part in indexes)
        _place_unplaced(job, body, total)
        for part in indexes:
            part.laid.move_to(1, True, total)
            part.laid.settle()
    return [body, *indexes], entries


def _body(job: Job) -> Part:
    """The documents, run by run (layout/runs.py): in worker processes, from the cache
    where a run and its place are unchanged, joined in order."""
    volume, profile = job.volume, job.profile
    if facing.applies(volume, profile) and not profile.pdf_tags:
        return _facing_body(job)
    runs = split_runs(volume)
    job.say(f"laying out {len(volume.documents)} documents ({len(runs)} runs)")
    # A tagged PDF is written in one piece (its structure tree spans the parts), so its
    # runs are laid out here and kept; every other PDF is joined from written runs.
    write = not profile.pdf_tags
    # Remote resources may change between builds: nothing fetched from afar is cached.
    cached = job.cache_dir and write and not job.setup.allow_remote
    cache = RunCache.open(job.cache_dir, job.setup) if cached else None
    results, stats = lay_runs(job.setup, render_runs(volume, runs, profile),
                              [run_name(volume, run) for run in runs], jobs=job.jobs,
                              cache=cache, write=write, recto=_recto(job),
                              progress=job.on_runs, scheduler=job.scheduler)
    if cache:
        cache.prune()
    job.stats = stats
    return _body_part(job, results)


def _facing_body(job: Job) -> Part:
    """The documents with originals and translations on facing pages (layout/facing.py):
    laid out here, page by page of each side, not from the cache."""
    job.say(f"laying out {len(job.volume.documents)} documents, "
            f"{len(job.volume.pairs)} on facing pages")
    results, blanks, layouts = facing.lay_facing(job.setup, job.volume, _recto(job))
    # Each run, and each side of each section pair, is laid out once.
    job.stats = RunStats(jobs=1, total=layouts, laid=[f"layout {k + 1}" for k in range(layouts)])
    return _body_part(job, results, blanks)


def _recto(job: Job) -> bool:
    return job.settings.document_start == "recto"


def _body_part(job: Job, results: list[RunResult], blanks: list[int] | None = None) -> Part:
    for result in results:
        job.fetcher.refused.extend(result.refused)
    if blanks is None:
        blanks = blanks_before([r.pages for r in results], _recto(job))
    report = join_reports(results, blanks)
    return Part("body", LaidOut(None, report),
                [str(i + 1) for i in range(len(report.pages))], runs=results,
                blanks=blanks)


def _body_unplaced(job: Job) -> Part:
    """The runs laid out here and kept where they were laid (folio 1, a recto): their
    pages and notes are final, their folios and sides not yet (_place_unplaced)."""
    volume = job.volume
    runs = split_runs(volume)
    job.say(f"laying out {len(volume.documents)} documents ({len(runs)} runs)")
    layouter = Layouter(job.setup)
    htmls = render_runs(volume, runs, job.profile)
    laid: list[LaidOut] = []
    _tell_runs(job, laid, len(htmls))
    for html in htmls:
        laid.append(layouter.lay(html))
        _tell_runs(job, laid, len(htmls))
    job.stats = RunStats(jobs=1, total=len(runs),
                         laid=[run_name(volume, run) for run in runs])
    body = _body_part(job, [RunResult(len(one.document.pages), one.report, laid=one)
                            for one in laid])
    body.layouter = layouter
    return body


def _tell_runs(job: Job, laid: list[LaidOut], total: int) -> None:
    """The runs laid out so far, of `total`, and their pages, to the progress bar."""
    if job.on_runs is not None:
        job.on_runs(len(laid), total, sum(len(one.document.pages) for one in laid))


def _place_unplaced(job: Job, body: Part, total: int) -> None:
    """Each run of `body` at its place, `total` pages in the book."""
    counts = [run.pages for run in body.runs]
    places = starts(counts, _recto(job))
    write = not job.profile.pdf_tags
    results = [body.layouter.place(run.laid, *place, write=write, total=total)
               for run, place in zip(body.runs, places, strict=True)]
    placed = _body_part(job, results)
    body.laid, body.runs = placed.laid, placed.runs


def _index_entries(job: Job, body: Part) -> dict[str, list[IndexEntry]]:
    """The entries of the index of names ("person") and of places ("place"), each from
    where its register's mentions landed in `body`; an index with no entry is left out.
    The index of places prints when `[index] places` allows and the sources have a
    register of places with a mention."""
    volume = job.volume
    locate = locate_from_report(body.laid.report.anchors, body.labels)
    registers = {"person": (volume.persons, volume.cross_references)}
    if job.settings.index_places:
        registers["place"] = (volume.places, [])
    found = {kind: build_index(entries, refs, of_kind(job.occurrences, kind), locate)
             for kind, (entries, refs) in registers.items() if entries}
    return {kind: entries for kind, entries in found.items() if entries}


def _index_part(job: Job, entries: list[IndexEntry], kind: str, title: str,
                previous: Part, recto: bool = True,
                extra: list[CSS] | None = None) -> Part:
    """An index laid out after `previous` (the body, or the index before it)."""
    last = int(previous.labels[-1])
    previous.blanks_after = last % 2 if recto else 0
    first = last + previous.blanks_after + 1
    html = render_index(entries, job.settings, first_page_number=first, title=title,
                        kind=kind)
    laid = job.paginate(html, job.back_matter_css(extra))
    labels = [str(first + i) for i in range(len(laid.document.pages))]
    return Part(INDEX_PARTS[kind], laid, labels, title=title)


def _source_index_part(job: Job, book: Book) -> tuple[list, Part]:
    body, previous = book.body, book.parts[-1]
    volume = job.volume
    lines = build_source_index(volume.source_index, body.laid.report, body.labels,
                               anchors_in_notes(volume))
    # Like the index of names it opens on a recto, after the body or after that index.
    previous.blanks_after = int(previous.labels[-1]) % 2
    first = int(previous.labels[-1]) + previous.blanks_after + 1
    words = terms_for(volume.settings)
    title = words["index" if previous is body else "index_of_subjects"]
    html = render_source_index(lines, volume.settings, first, title)
    laid = job.paginate(html, job.back_matter_css())
    labels = [str(first + i) for i in range(len(laid.document.pages))]
    return lines, Part("source-index", laid, labels)


def _front_part(job: Job, book: Book) -> Part:
    """Half title to the last front page; its contents list every part with its folio.

    Laid out once: the documents' and the index's folios are known (those parts are laid
    out), and the front pages' own folios are given by the layout itself
    (`target-counter()`, render_front_matter), which makes again only the contents'
    pages once it knows them.
    """
    volume = job.volume
    body = book.body
    anchors = body.laid.report.anchors
    documents = []
    for doc in volume.documents:
        where = anchors.get(doc.id)
        # Chapters of a book are listed by title; their "numbers" are only ids.
        number = doc.number if doc.kind == "document" and doc.numbered else ""
        documents.append((number, one_line(doc.title),
                          body.labels[where[0]] if where else ""))
    back = [("", part.title, part.labels[0]) for part in book.parts
            if part.name in INDEX_PARTS.values()]
    laid = job.paginate(render_front_matter(volume, documents + back, job.profile))
    count = len(laid.document.pages)
    labels = [_roman(i + 1) for i in range(count)]
    # Document 1 opens on a recto numbered 1: the front matter has an even page count.
    return Part("front", laid, labels, blanks_after=count % 2)


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
    pages = []
    for part in parts:
        if part.runs:
            for result, blank in zip(part.runs, part.blanks, strict=True):
                pages.extend(_blank_pages(part, blank, page_css))
                pages.extend(result.laid.document.pages)
        else:
            pages.extend(part.laid.document.pages)
        pages.extend(_blank_pages(part, part.blanks_after, page_css))
    part = parts[0]
    first = part.runs[0].laid.document if part.runs else part.laid.document
    return first.copy(pages)


def _merged(job: Job, parts: list[Part]) -> bytes:
    """The parts written one by one (the body's runs by the workers) and joined."""
    settings, profile = job.settings, job.profile
    page_css = marks_css(profile)
    written: list[WrittenPart] = []
    for part in parts:
        roman = part.name == "front"
        labels = iter(part.labels + _labels_after(part))
        if part.runs:
            for result, blank in zip(part.runs, part.blanks, strict=True):
                if blank:
                    written.append(_blank_part(part, blank, page_css, labels, job))
                written.append(WrittenPart(result.pdf, set(result.report.anchors),
                                           result.levels,
                                           [next(labels) for _ in range(result.pages)]))
        else:
            document = part.laid.document
            written.append(WrittenPart(
                write_part(document, settings, profile, job.font_store),
                set(part.laid.report.anchors),
                [mark[0] for page in document.pages for mark in page.bookmarks],
                [next(labels) for _ in document.pages], roman))
        if part.blanks_after:
            written.append(_blank_part(part, part.blanks_after, page_css, labels, job,
                                       roman))
    shell = HTML(string="<html><body></body></html>").render(
        stylesheets=[CSS(string=_page_size_css(parts[0]) + page_css)])
    return merge(finish_pdf(shell, [PartPages("shell", ["1"])], job.volume, profile),
                 written, job.font_store)


def _labels_after(part: Part) -> list[str]:
    """The folios of the blank pages after a part (counted, not printed)."""
    if not part.blanks_after:
        return []
    if part.name == "front":
        return [_roman(len(part.labels) + i + 1) for i in range(part.blanks_after)]
    last = int(part.labels[-1]) if part.labels and part.labels[-1].isdigit() else 0
    return [str(last + i + 1) for i in range(part.blanks_after)]


def _blank_part(part: Part, count: int, page_css: str, labels, job: Job,
                roman: bool = False) -> WrittenPart:
    pdf = write_part(_blank_document(part, count, page_css), job.settings, job.profile,
                     job.font_store)
    return WrittenPart(pdf, set(), [], [next(labels) for _ in range(count)], roman)


def _page_size_css(part: Part) -> str:
    size = part.laid.report.pages[-1]
    return f"@page {{ size: {size.width}px {size.height}px; margin: 0 }}"


def _blank_document(part: Part, count: int, page_css: str = ""):
    """Truly blank pages of the part's page size: no running head, no folio."""
    # One empty block per page, each after a forced break (a trailing break-after on
    # the last block would give no page of its own).
    html = "<html><body><div></div>" + "<div style='break-before: page'></div>" * (count - 1)
    document = HTML(string=html + "</body></html>").render(
        stylesheets=[CSS(string=_page_size_css(part) + page_css)])
    assert len(document.pages) == count, (len(document.pages), count)
    return document


def _blank_pages(part: Part, count: int, page_css: str = "") -> list:
    return _blank_document(part, count, page_css).pages if count else []


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
