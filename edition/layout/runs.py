"""Runs: the documents between two breaks that start a new page, laid out one by one.

A document that starts on a new page (`documents.start` "new-page" or "recto", or a
chapter's page when documents run on) does not depend on the pages before it, except
for its first folio and side; its note numbers are in its HTML already. So the body is
laid out run by run, in worker processes (workers.py) or here, each run as if it began
the book, and then moved to its place (`LaidOut.move_to`). A run is described by a
picklable `Setup` (what builds the stylesheets) and its HTML.
"""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

from edition.fetcher import make_url_fetcher
from edition.layout import LaidOut, paginate
from edition.layout.report import Finding, LayoutReport, PageInfo
from edition.layout.store import Folder
from edition.model import Document, Volume, walk
from edition.profiles import Profile
from edition.settings import Settings


def split_runs(volume: Volume) -> list[range]:
    """Indexes of the volume's documents, cut where a document starts a new page.

    An opening (model.walk.openings: a chapter with no text of its own) shares its page
    with what follows it: never a cut after it. When documents run on, a cut where the
    named page changes, and before an opening that follows a document (base.css)."""
    start = volume.settings.document_start
    opens = walk.openings(volume.documents)
    # A translation shares its original's run: a profile may set the two side by side.
    translations = {id(pair.translation) for pair in volume.pairs}
    runs: list[list[int]] = []
    for index, doc in enumerate(volume.documents):
        if index == 0 or (opens[index - 1] is None and id(doc) not in translations
                          and _starts_page(
                volume.documents[index - 1], doc, opens[index], start)):
            runs.append([])
        runs[-1].append(index)
    # No documents: one empty run, laid out as an empty body (one blank page).
    return [range(run[0], run[-1] + 1) for run in runs] or [range(0)]


def _starts_page(previous: Document, doc: Document, onto: Document | None,
                 start: str) -> bool:
    """Whether `doc` (an opening of `onto`'s page, if `onto`) starts a page after
    `previous`, which is no opening."""
    if start != "run-on":
        return True
    if onto is not None and previous.kind != "chapter":
        return True
    return _page(onto or doc) != _page(previous)


def _page(doc: Document) -> str:
    """The named page a document is set on (book.css: `section.chapter { page: chapter }`;
    an opening is set on the page of what it opens): WeasyPrint starts a new page where
    the name changes, also when documents run on."""
    return "chapter" if doc.kind == "chapter" else "document"


def run_name(volume: Volume, run: range) -> str:
    """"Document 53", "Documents 12–14", "Chapter 2": what a run holds, for messages."""
    docs = [volume.documents[i] for i in run]
    if not docs:
        return "the empty body"
    # A run is named by what its openings open: "Document 1", not "Chapters comp1–1".
    docs = [doc for doc, onto in zip(docs, walk.openings(docs), strict=True)
            if onto is None] or docs
    kind = "Chapter" if docs[0].kind == "chapter" else "Document"
    first, last = docs[0].number, docs[-1].number
    return f"{kind} {first}" if len(docs) == 1 else f"{kind}s {first}–{last}"


@dataclass(frozen=True)
class Setup:
    """What a worker needs to lay out the runs of one build (all of it picklable)."""

    settings: Settings
    profile: Profile
    folder: Path  # the edition's folder: the only files besides the styles it may read
    allow_remote: bool
    base_url: str
    fonts: Folder  # the build's font store (pdf/fonts.py): not part of what lays a run out
    # The styles and fonts folder, when not the package's: a cluster worker's copy of the
    # main process's (layout/cluster.py).
    styles: Path | None = None

    def fingerprint(self) -> bytes:
        # Where the runs are laid out (`[build] scheduler`) does not change them.
        settings = replace(self.settings, build_scheduler="", given=[
            name for name in self.settings.given if name != "build_scheduler"])
        return pickle.dumps((settings, self.profile, self.allow_remote))


@dataclass
class RunResult:
    """A run laid out and placed: what the join and the checks need (picklable)."""

    pages: int
    report: LayoutReport
    pdf: bytes = b""  # the run's pages, written (empty while the document is kept)
    levels: list[int] = field(default_factory=list)  # its bookmarks' levels, in order
    refused: list[tuple[str, str]] = field(default_factory=list)  # URLs refused
    fonts: list[str] = field(default_factory=list)  # the font files its PDF names
    laid: LaidOut | None = None  # in-process only: the pages themselves

    def to_data(self) -> dict:
        """All but the PDF and the pages themselves, as JSON can hold it (the cache)."""
        return {"pages": self.pages, "report": self.report.to_data(),
                "levels": self.levels, "refused": self.refused, "fonts": self.fonts}

    @classmethod
    def from_data(cls, data: dict, pdf: bytes) -> RunResult:
        """The result `to_data` gave; TypeError, KeyError or ValueError when it is not."""
        return cls(int(data["pages"]), LayoutReport.from_data(data["report"]), pdf,
                   [int(level) for level in data["levels"]],
                   [(str(url), str(why)) for url, why in data["refused"]],
                   [str(font) for font in data["fonts"]])


class Layouter:
    """Lays out runs for one `Setup`: stylesheets and fonts built once per process."""

    def __init__(self, setup: Setup):
        from edition.render import STYLES_DIR, font_config, stylesheets

        self.setup = setup
        self.fonts = font_config()
        styles = setup.styles or STYLES_DIR
        self.fetcher = make_url_fetcher([setup.folder, styles], setup.allow_remote)
        self.css = stylesheets(setup.settings, setup.profile, self.fonts, self.fetcher,
                               styles)

    def lay(self, html: str) -> LaidOut:
        """The run as if it began the book."""
        profile = self.setup.profile
        return paginate(html, self.css, self.setup.base_url, labels=profile.label_side,
                        font_config=self.fonts, url_fetcher=self.fetcher, level=True)

    def place(self, laid: LaidOut, first_folio: int, first_right: bool,
              write: bool, total: int | None = None) -> RunResult:
        """Move the run to its place; write its pages as a PDF (`write`) or keep them."""
        from edition.pdf.finish import write_part
        from edition.pdf.fonts import FontStore

        laid.move_to(first_folio, first_right, total)
        laid.settle()
        self.number_lines(laid, first_folio=first_folio)
        levels = [mark[0] for page in laid.document.pages for mark in page.bookmarks]
        result = RunResult(len(laid.document.pages), laid.report, levels=levels,
                           refused=list(self.fetcher.refused))
        if write:
            fonts = FontStore(self.setup.fonts)
            result.pdf = write_part(laid.document, self.setup.settings, self.setup.profile,
                                    fonts)
            result.fonts = sorted(fonts.named)
        else:
            result.laid = laid
        return result

    def number_lines(self, laid: LaidOut, always: bool = False,
                     first_folio: int | None = None) -> None:
        """The lines numbered in the margin of the placed pages, where the profile or
        an apparatus asks for them (`always`: both sides of texts set in step);
        `first_folio`: the book's folio of the run's first page (the report's labels
        count the run's own pages), which a citation across pages names."""
        from edition.pdf.lines import LineRule, number_lines

        if always or self.setup.profile.line_numbers or laid.report.entries:
            # A critical text's lines are numbered in every profile: its apparatus
            # cites them.
            settings = self.setup.settings
            rule = LineRule(settings.lines_every, settings.lines_count,
                            settings.lines_margin, self.setup.profile.label_side)
            laid.report.findings.extend(number_lines(laid, self.css[0], self.fonts, rule,
                                                     first_folio))


def starts(counts: list[int | None], recto: bool) -> list[tuple[int, bool] | None]:
    """Each run's first folio and side, as far as the page counts before it are known.

    `recto`: every run opens on a recto (a blank verso before it where needed)."""
    out: list[tuple[int, bool] | None] = []
    folio = 1
    for count in counts:
        if recto and folio % 2 == 0:
            folio += 1
        out.append((folio, folio % 2 == 1))
        if count is None:
            out.extend([None] * (len(counts) - len(out)))
            break
        folio += count
    return out


def blanks_before(counts: list[int], recto: bool) -> list[int]:
    """The blank versos to insert before each run (documents opening on a recto)."""
    if not recto:
        return [0] * len(counts)
    out, folio = [], 1
    for count in counts:
        blank = int(folio % 2 == 0)
        out.append(blank)
        folio += blank + count
    return out


def _blank_page(following: PageInfo, index: int) -> PageInfo:
    """The blank verso before a run that opens on a recto."""
    return replace(following, index=index, label="", recto=not following.recto,
                   text_bottom=0.0, text_foot=0.0, has_notes=False, before_break=True)


def join_reports(results: list[RunResult], blanks: list[int]) -> LayoutReport:
    """One report for the body: the runs' pages, notes, labels and anchors in order."""
    joined = LayoutReport(levelled=True)
    offset = 0
    for result, blank in zip(results, blanks, strict=True):
        report = copy.deepcopy(result.report)  # a cached result stays as it was
        for _ in range(blank):
            joined.pages.append(_blank_page(report.pages[0], offset))
            joined.page_texts[offset] = ""
            offset += 1
        for page in report.pages:
            page.index += offset
            joined.pages.append(page)
        for note in report.notes:
            note.call_page += offset
            note.note_page += offset
            note.continued_on = [page + offset for page in note.continued_on]
            joined.notes.append(note)
        for entry in report.entries:
            entry.lemma_page += offset
            entry.entry_page += offset
            joined.entries.append(entry)
        for label in report.labels:
            label.page += offset
            joined.labels.append(label)
        for anchor, (page, x, y) in report.anchors.items():
            joined.anchors.setdefault(anchor, (page + offset, x, y))
        for finding in report.findings:
            joined.findings.append(Finding(finding.rule, finding.page + offset
                                           if finding.page >= 0 else finding.page,
                                           finding.message, finding.severity))
        for page, text in report.page_texts.items():
            joined.page_texts[page + offset] = text
        offset += result.pages
    return joined
