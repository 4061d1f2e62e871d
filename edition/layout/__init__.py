"""Pagination: WeasyPrint with true footnotes, labels in the outer margin, and a report.

WeasyPrint lays out with edition's changes (engine/) only inside `engine.patched()`.

`paginate` is a pure function of (HTML, stylesheets, where the part starts): runs of
documents can be laid out separately and joined later.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from weasyprint import CSS, HTML
from weasyprint.document import Document as WeasyDocument

from edition.layout import engine, looseness, makeup
from edition.layout.inspect import collect_report
from edition.layout.makeup import make_up
from edition.layout.margins import place_labels, restore_labels
from edition.layout.report import LabelPlacement, LayoutReport
from edition.model import ids

# Labels are fitted by laying a part out again with rules for the turns concerned, rules
# that act only where a page breaks, so they hold wherever the turn lands: a label of
# more than two lines keeps as many lines of its speech with it (orphans). A label taller
# than its speech hangs below it, beside what follows, as far as the next label (or the
# foot of the text block) leaves room; where there is no room it is run in at the head
# of its speech instead, never given blank lines of text beside it. Rare; a few passes.
MAX_LABEL_PASSES = 3


@dataclass
class LaidOut:
    document: WeasyDocument
    report: LayoutReport
    # While the part may still be moved to its place (`move_to`): WeasyPrint's parsed
    # HTML and layout context, and how it was laid out.
    html: HTML | None = None
    context: object = None
    labels: str = "outer"
    level: bool = False
    page_labels: list[str] | None = None

    def move_to(self, first_folio: int, first_right: bool,
                total: int | None = None) -> None:
        """Give the part its place in the book: folios from `first_folio`, the first
        page a recto or a verso, and `total` pages in the book for "page x of y".
        Pagination is unchanged (engine/placement.py)."""
        if first_folio == 1 and first_right and not total:
            return
        restore_labels(self.document)
        engine.placement.place(self.document, self.html, self.context, first_folio,
                               first_right, total)
        place_labels(self.document, mode=self.labels)
        self.report = collect_report(self.document, page_labels=self.page_labels,
                                     levelled=self.level)

    def move_pages(self, places: list[tuple[int, bool]]) -> None:
        """As `move_to`, each page to its own folio and side (`places`): one side of
        texts set on facing pages (layout/facing.py)."""
        restore_labels(self.document)
        engine.placement.place_pages(self.document, self.html, self.context, places)
        place_labels(self.document, mode=self.labels)
        self.report = collect_report(self.document, page_labels=self.page_labels,
                                     levelled=self.level)

    def settle(self) -> None:
        """The part stays where it is: let go of what moving it needs."""
        self.html = self.context = None


def paginate(html: str, stylesheets: list[CSS], base_url: str, *,
             labels: str = "outer", url_fetcher=None, font_config=None,
             page_labels: list[str] | None = None, level: bool = False,
             relayout: bool = True) -> LaidOut:
    """Lay out one part of the book, as if it began the book (folio 1, a recto).

    `labels` is "outer" (recto right, verso left) or "left" (handouts: always left).
    `page_labels` names the printed folio of each page for the report, when known.
    `level`: make the pages of running text level (makeup.py), for the documents.
    A part that begins elsewhere is then moved there (`LaidOut.move_to`).
    `relayout`: a label pass lays out again only from the first page it can change
    (False: the whole part, each pass; the same pages, for tests and measurements).
    """
    engine.check_version()
    kwargs = {"url_fetcher": url_fetcher} if url_fetcher else {}
    parsed = HTML(string=html, base_url=base_url, **kwargs)
    if level:
        looseness.mark(parsed.etree_element)
    fixes = LabelFixes()
    laying = Laying(parsed, font_config, labels, page_labels, level, relayout)
    for _ in range(MAX_LABEL_PASSES + 1):
        sheets = stylesheets + ([fixes.css()] if fixes else [])
        laying.lay(sheets, fixes.changed)
        unbroken = (partial(engine.relayout.unbroken, laying.document, laying.context)
                    if relayout else None)
        if not fixes.learn(laying.report, unbroken):
            break
    if level:
        _loosen(laying, sheets)
    return LaidOut(laying.document, laying.report, parsed, laying.context, labels, level,
                   page_labels)


@dataclass
class Laying:
    """A part being laid out, pass after pass, each with a few rules changed."""

    parsed: HTML
    font_config: object
    labels: str
    page_labels: list[str] | None
    level: bool
    relayout: bool
    document: WeasyDocument | None = None
    context: object = None
    report: LayoutReport | None = None

    def lay(self, sheets: list[CSS], changed: set[str]) -> None:
        """Lay the part out with `sheets`, from the first page `changed` (ids or marks
        whose rules changed) can reach when it can (relayout); make up, place the
        labels, report."""
        resumed = None
        if self.document is not None and self.relayout:
            # A pass changes the style of a few elements only: the pages before the
            # first one their layout reaches are kept (engine/relayout.py).
            with engine.patched():
                resumed = engine.relayout.resume(
                    self.parsed, sheets, self.font_config, self.document, self.context,
                    changed, forced=makeup.forced_break_before if self.level else None)
        if resumed is not None:
            self.document, self.context, laid = (resumed.document, resumed.context,
                                                 resumed.laid)
        else:
            if self.document is not None:
                # The previous pass's pages go before the next is laid out: one layout
                # in memory at a time, not two. Its boxes hold reference cycles.
                self.document = self.report = self.context = None
                gc.collect()
            with engine.patched():
                self.document = self.parsed.render(stylesheets=sheets,
                                                   font_config=self.font_config)
            self.context = engine.placement.take_context()
            laid = range(len(self.document.pages))
        # Make-up before the labels: both copies of each move with their block, so the
        # part can still change sides (move_to). Only the pages laid out in this pass:
        # the kept ones are as a whole layout would have made them.
        if self.level:
            make_up(self.document, laid)
        place_labels(self.document, mode=self.labels, pages=laid)
        self.report = collect_report(self.document, page_labels=self.page_labels,
                                     levelled=self.level)

    def ends(self) -> list:
        """Where the text resumes at the top of each page (WeasyPrint's skip stacks)."""
        return [item[0] for item in self.context.page_maker]


def _loosen(laying: Laying, sheets: list[CSS]) -> None:
    """Fill the short pages by setting paragraphs looser (looseness.py); keep only the
    loosenings that left their page ending where it did, and fuller."""
    plan = looseness.plan(laying.document, laying.report)
    if not plan:
        return
    before, ends_before = laying.report, laying.ends()
    laying.lay(sheets + [looseness.css(plan)], {one.key for one in plan})
    bad = looseness.withdrawn(plan, before, laying.report, ends_before, laying.ends())
    if bad and not looseness.kept_whole(plan, bad, before, laying.report):
        kept = [one for one in plan if one not in bad]
        laying.lay(sheets + ([looseness.css(kept)] if kept else []),
                   {one.key for one in bad})


@dataclass
class LabelFixes:
    """Per-turn rules that keep speaker labels clear of each other and on their page."""

    orphans: dict[str, int] = field(default_factory=dict)
    # Turns whose label is run in at the head of the speech (label id → turn id).
    run_in: dict[str, str] = field(default_factory=dict)
    # The ids of the turns whose rules the last `learn` added or changed.
    changed: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.orphans or self.run_in)

    def learn(self, report: LayoutReport,
              unbroken: Callable[[set[str]], set[str]] | None = None) -> bool:
        """Add rules for the labels of this layout; False when none changes it.

        `unbroken` tells which turns no page break reached in this layout: an orphans
        rule for them is kept for later passes but calls for none, for it would lay the
        same pages (orphans act only where a page breaks inside the turn)."""
        self.changed = set()
        kept_lines: set[str] = set()
        pages_of: dict[str, set[int]] = {}
        for label in report.labels:
            pages_of.setdefault(label.anchor, set()).add(label.page)
        for label in report.labels:
            turn = _turn(label)
            if label.lines > 2 and self.orphans.get(turn, 2) < label.lines:
                self.orphans[turn] = label.lines
                kept_lines.add(turn)
            # A label broken across pages had no room on its page; its first piece alone
            # would be measured against that room, and seem to fit.
            broken = len(pages_of[label.anchor]) > 1
            if (broken or label.box.height > _room(report, label) + LABEL_TOLERANCE) \
                    and ids.without_recto(label.anchor) not in self.run_in:
                self.run_in[ids.without_recto(label.anchor)] = turn
                self.changed.add(turn)
        if unbroken is not None:
            kept_lines -= unbroken(kept_lines - self.changed)
        self.changed |= kept_lines
        return bool(self.changed)

    def css(self) -> CSS:
        return CSS(string=self.rules())

    def rules(self) -> str:
        """The rules as CSS text."""
        rules = [f"#{turn} {{ orphans: {lines} }}" for turn, lines in self.orphans.items()]
        for label in self.run_in:
            # One copy, out of the margin: a float at the head of the speech's first
            # line, which the text runs around (the look: .speaker-run-in in base.css
            # cannot be chosen by a class here, so the few properties are set by id).
            rules.append(f"#{ids.recto(label)} {{ display: none }}")
            rules.append(f"#{label} {{ position: static; float: left; width: auto; "
                         f"margin: 0 0.5em 0 0; top: auto; right: auto; left: auto; "
                         f"font-size: 1em; line-height: inherit; text-align: left; "
                         f"white-space: nowrap }}")
            rules.append(f"#{label}::after {{ content: \":\" }}")
            # The float stands in a line of its own before the speech: never left at a
            # page's foot with the speech on the next page.
            rules.append(f"#{self.run_in[label]} > p:first-of-type {{ break-before: avoid }}")
        return "\n".join(rules)


# CSS px: sub-pixel rounding when a label is compared with the room it has.
LABEL_TOLERANCE = 0.5


def _room(report: LayoutReport, label: LabelPlacement) -> float:
    """How tall the label may be: down to the next label of its page, or to the foot of
    the text block; a label beside its speech only, the speech's height at least."""
    page = report.pages[label.page]
    below = [other.box.y for other in report.labels
             if other.page == label.page and other.box.y > label.box.y + LABEL_TOLERANCE]
    limit = min(below, default=page.text_block.bottom)
    return max(limit - label.box.y, label.turn_height)


def _turn(label: LabelPlacement) -> str:
    return ids.turn_of_label(label.anchor)
