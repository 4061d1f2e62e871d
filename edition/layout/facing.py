"""An original and its translation on facing pages (the book: `Profile.parallel`
"facing"; docs/facing.md).

Each side of each section pair is laid out on its own, as a run is (layout/runs.py):
the original's section, the translation's. Their pages are then interleaved, the
original's on versos and the translation's on rectos from the same spread on, each page
moved to its folio and side (`LaidOut.move_pages`); where one side has fewer pages its
pages stay blank, so that the next section pair starts on a new spread, on both sides
at the top. Each page becomes a result of its own (`RunResult` of one page), so that the
join (build.py, pdf/merge.py) puts the pages and the blanks between them in order, and
the body's report is joined as the runs' reports are: the index, the preflight and the
contents read the pages where they are printed.

Laid out in this process, without the cache: a pair's pages depend on each other.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from edition.layout import LaidOut
from edition.layout.report import LayoutReport
from edition.layout.runs import Layouter, RunResult, Setup, split_runs
from edition.model import Pair, Volume
from edition.profiles import Profile


def applies(volume: Volume, profile: Profile) -> bool:
    """Whether the body has pairs the profile sets on facing pages."""
    return profile.parallel == "facing" and bool(volume.pairs)


def segments(volume: Volume) -> list[range | Pair]:
    """The runs, with each pair (an original and the translation after it) taken out
    of its run as a segment of its own."""
    pair_of = {id(pair.original): pair for pair in volume.pairs}
    docs = volume.documents
    out: list[range | Pair] = []
    for run in split_runs(volume):
        start = k = run.start
        while k < run.stop:
            pair = pair_of.get(id(docs[k]))
            if pair is None or k + 1 >= run.stop or docs[k + 1] is not pair.translation:
                k += 1
                continue
            if start < k:
                out.append(range(start, k))
            out.append(pair)
            k = start = k + 2
        if start < run.stop or not run:
            out.append(range(start, run.stop))
    return out


def lay_facing(setup: Setup, volume: Volume, recto: bool
               ) -> tuple[list[RunResult], list[int], int]:
    """The body's results in order, the blank pages before each, and how many layouts
    made them (a run, or one side of a section pair, each)."""
    from edition.render import render_segments

    layouter = Layouter(setup)
    parts = segments(volume)
    body = _Body()
    for html in render_segments(volume, parts, setup.profile):
        if isinstance(html, str):
            body.layouts += 1
            laid = layouter.lay(html)
            folio = body.folio + int(recto and body.folio % 2 == 0)
            body.add(layouter.place(laid, folio, folio % 2 == 1, write=True), folio)
            continue
        for original, translation in zip(*html, strict=True):
            _lay_spreads(layouter, body, original, translation)
    return body.results, body.blanks, body.layouts


class _Body:
    """The results gathered so far, the blanks before each, and the next folio."""

    def __init__(self) -> None:
        self.results: list[RunResult] = []
        self.blanks: list[int] = []
        self.folio = 1
        self.layouts = 0

    def add(self, result: RunResult, folio: int) -> None:
        """`result` printed from `folio` on: blank pages before it up to there."""
        self.blanks.append(folio - self.folio)
        self.results.append(result)
        self.folio = folio + result.pages


def _lay_spreads(layouter: Layouter, body: _Body, original: str, translation: str) -> None:
    """One section pair from the next verso on: its sides' pages on versos and rectos."""
    verso = body.folio + body.folio % 2  # folio 1 is a recto: versos are even
    sides = []
    for html, first in ((original, verso), (translation, verso + 1)):
        laid = layouter.lay(html) if html else None
        body.layouts += laid is not None
        pages = _placed_pages(layouter, laid, first) if laid is not None else []
        sides.append([(first + 2 * i, page) for i, page in enumerate(pages)])
    for folio, page in sorted(sides[0] + sides[1], key=lambda item: item[0]):
        body.add(page, folio)


def _placed_pages(layouter: Layouter, laid: LaidOut, first: int) -> list[RunResult]:
    """The side's pages at every other folio from `first`, each written on its own."""
    from edition.pdf.finish import write_part
    from edition.pdf.fonts import FontStore

    right = first % 2 == 1
    laid.move_pages([(first + 2 * i, right) for i in range(len(laid.document.pages))])
    laid.settle()
    # Both sides' lines numbered: the translation is cited by line as its original.
    layouter.number_lines(laid, always=True)
    setup = layouter.setup
    out = []
    for index, page in enumerate(laid.document.pages):
        fonts = FontStore(setup.fonts)
        pdf = write_part(laid.document.copy([page]), setup.settings, setup.profile, fonts)
        out.append(RunResult(1, page_report(laid.report, index), pdf,
                             levels=[mark[0] for mark in page.bookmarks],
                             refused=list(layouter.fetcher.refused) if index == 0 else [],
                             fonts=sorted(fonts.named)))
    return out


def page_report(report: LayoutReport, index: int) -> LayoutReport:
    """The report of one page of a side, as if the page began its part: what stands on
    it, and the pages of the same side it refers to (a note continued) two pages on for
    each, where the interleaving puts them."""
    def local(page: int) -> int:
        return 2 * (page - index) if page >= 0 else page

    out = LayoutReport(levelled=report.levelled)
    out.pages = [replace(copy.deepcopy(report.pages[index]), index=0)]
    for note in report.notes:
        if note.call_page == index:
            out.notes.append(replace(note, call_page=0, note_page=local(note.note_page),
                                     continued_on=[local(p) for p in note.continued_on]))
    for entry in report.entries:
        if entry.lemma_page == index:
            out.entries.append(replace(entry, lemma_page=0,
                                       entry_page=local(entry.entry_page)))
    out.labels = [replace(label, page=0) for label in report.labels if label.page == index]
    out.anchors = {anchor: (0, x, y) for anchor, (page, x, y) in report.anchors.items()
                   if page == index}
    out.findings = [replace(finding, page=local(finding.page)) for finding in report.findings
                    if finding.page == index or (finding.page < 0 and index == 0)]
    out.page_texts = {0: report.page_texts.get(index, "")}
    return out
