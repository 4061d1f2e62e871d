"""The rules a laid-out part must keep, judged on the LayoutReport.

The report already carries line overflows found while reading the boxes; this adds the
rules about notes, apparatus entries and labels.
"""

from __future__ import annotations

from edition.layout.inspect import EPSILON
from edition.layout.parallel import check_parallel
from edition.layout.report import Finding, LabelPlacement, LayoutReport, PageInfo, Rect


def check_layout(report: LayoutReport, label_side: str = "outer",
                 spreads: bool = True) -> list[Finding]:
    """Add the note, label and make-up findings to `report.findings` and return them
    all. `spreads`: the pages face each other (a book; not a handout's one-sided
    pages), so facing pages must end level."""
    findings = report.findings
    findings.extend(_note_findings(report))
    findings.extend(_entry_findings(report))
    findings.extend(_label_findings(report, label_side))
    findings.extend(check_parallel(report, spreads))
    if report.levelled:
        findings.extend(makeup_findings(report, spreads))
    return findings


# A page is short from two lines short; facing pages are uneven beyond one line; a page
# whose type covers less than this share of the text block is under half full.
SHORT_LINES = 2.0
UNEVEN_LINES = 1.0
HALF_FULL = 0.5
# The make-up's findings that `--strict=makeup` fails on (the others are always only
# worth a look): pages short (under half full the more so) and unlevel spreads.
STRICT_MAKEUP = frozenset({"short-page", "half-empty-page", "uneven-spread"})


def failing(findings: list[Finding], makeup: bool = False) -> list[Finding]:
    """What fails `--strict`: the errors, and with `makeup` (`--strict=makeup`) the
    pages that end short and the spreads that end unlevel too."""
    return [f for f in findings
            if f.severity == "error" or (makeup and f.rule in STRICT_MAKEUP)]


def makeup_findings(report: LayoutReport, spreads: bool = True) -> list[Finding]:
    """Pages of running text ending short or under half full, pages of notes alone,
    headings left at a page's foot, and spreads whose pages end unlevel.

    Warnings, not errors: the book is correct (every note on its page, every label in
    its margin) and a page the make-up could not level is the keep rules' choice
    (a heading with its first lines, a call line with its note); a proofreader looks
    at it, --strict does not refuse it unless asked (`failing`, --strict=makeup).
    """
    found = []
    pages = report.pages
    for page in pages:
        found.extend(_page_findings(page))
    if not spreads:
        return found
    for verso, recto in zip(pages, pages[1:], strict=False):
        if verso.recto or not recto.recto or verso.before_break or recto.before_break:
            continue
        pitch = max(verso.line_pitch, recto.line_pitch)
        if pitch and abs(verso.ends_at - recto.ends_at) > UNEVEN_LINES * pitch + EPSILON:
            found.append(Finding(
                "uneven-spread", verso.index,
                f"pages {verso.label} and {recto.label} end "
                f"{abs(verso.ends_at - recto.ends_at) / pitch:.1f} lines apart", "warning"))
    return found


def _page_findings(page: PageInfo) -> list[Finding]:
    """One page's make-up: a page before a forced break (a document's or the part's
    last) may end where it ends."""
    found = []
    if page.notes_only:
        found.append(Finding("notes-only-page", page.index,
                             f"page {page.label} holds notes only", "warning"))
    elif not page.before_break and page.fill < HALF_FULL:
        found.append(Finding(
            "half-empty-page", page.index,
            f"page {page.label} is under half full ({100 * page.fill:.0f} % of the "
            f"text block), {page.short_by:.1f} lines short", "warning"))
    elif not page.before_break and page.short_by >= SHORT_LINES - 0.05:
        found.append(Finding(
            "short-page", page.index,
            f"page {page.label} ends {page.short_by:.1f} lines short", "warning"))
    if page.ends_with_heading:
        found.append(Finding("heading-at-foot", page.index,
                             f"page {page.label} ends with a heading", "warning"))
    return found


def _entry_findings(report: LayoutReport) -> list[Finding]:
    """Every apparatus entry on its lemma's page, printing the line its lemma is on."""
    found = []
    continued: dict[tuple[int, int], int] = {}  # (lemma page, entry page) → entries
    for entry in report.entries:
        lemma = report.label_of(entry.lemma_page)
        if entry.continued:  # a warning, below; its line is checked all the same
            key = (entry.lemma_page, entry.entry_page)
            continued[key] = continued.get(key, 0) + 1
        if entry.entry_page != entry.lemma_page and not entry.continued:
            where = (f"stands on page {report.label_of(entry.entry_page)}"
                     if entry.entry_page >= 0 else "is missing")
            found.append(Finding("apparatus-displaced", entry.lemma_page,
                                 f"the apparatus entry of {entry.anchor} (page {lemma}) "
                                 f"{where}"))
        elif entry.printed != entry.line or not entry.line:
            found.append(Finding("apparatus-line", entry.lemma_page,
                                 f"the apparatus entry of {entry.anchor} (page {lemma}) "
                                 f"prints line {entry.printed or 'no number'}, its lemma "
                                 f"is on line {entry.line or '(none counted)'}"))
    for (lemma_page, entry_page), count in continued.items():
        found.append(Finding("apparatus-continued", lemma_page,
                             f"the apparatus of page {report.label_of(lemma_page)} continues "
                             f"on page {report.label_of(entry_page)} ({count} "
                             f"entr{'y' if count == 1 else 'ies'}, marked as continued)",
                             severity="warning"))
    return found


def _note_findings(report: LayoutReport) -> list[Finding]:
    found = []
    for note in report.notes:
        if note.note_page == note.call_page:
            continue
        call = report.pages[note.call_page].label
        if note.note_page < 0:
            message = f"note {note.number} (called on page {call}) is missing from the page"
        else:
            where = report.pages[note.note_page].label
            message = f"note {note.number} starts on page {where}, its call is on page {call}"
        found.append(Finding("note-displaced", note.call_page, message))
    return found


def _label_findings(report: LayoutReport, label_side: str) -> list[Finding]:
    found = []
    by_page: dict[int, list[LabelPlacement]] = {}
    for label in report.labels:
        page = report.pages[label.page]
        by_page.setdefault(label.page, []).append(label)
        margin = _margin_for(page, label_side)
        box = label.box
        if box.x < margin.x - EPSILON or box.right > margin.right + EPSILON:
            found.append(Finding(
                "label-outside-margin", label.page,
                f"label {label.text!r} on page {page.label} leaves the "
                f"{'outer' if label_side == 'outer' else 'left'} margin"))
        if box.bottom > page.text_block.bottom + EPSILON:
            found.append(Finding(
                "label-outside-margin", label.page,
                f"label {label.text!r} on page {page.label} runs below the text block"))
    pages_of: dict[str, list[int]] = {}
    for label in report.labels:
        pages_of.setdefault(label.anchor, []).append(label.page)
    for anchor, pages in pages_of.items():
        if len(pages) > 1:
            found.append(Finding(
                "label-broken", pages[0],
                f"label {anchor} is broken across pages "
                f"{', '.join(report.pages[p].label for p in pages)}"))
    for index, labels in by_page.items():
        ordered = sorted(labels, key=lambda lab: lab.box.y)
        for above, below in zip(ordered, ordered[1:], strict=False):
            if above.box.overlaps(below.box):
                found.append(Finding(
                    "label-collision", index,
                    f"labels {above.text!r} and {below.text!r} overlap on page "
                    f"{report.pages[index].label}"))
    return found


def _margin_for(page: PageInfo, label_side: str):
    if label_side == "left":
        return Rect(0, page.text_block.y, page.text_block.x, page.text_block.height)
    return page.outer_margin
