"""The preflight of texts set in step (docs/facing.md): an original and its translation.

Each side of a section pair is marked at its start and end (`ids.parallel`); the report
knows the page of every mark. Two rules: the two sides of a pair start on the same
spread (the same page where pages do not face each other: a handout), and no spread
shows on one side text of other sections than the other side's text on it.
"""

from __future__ import annotations

from collections import defaultdict

from edition.layout.report import Finding, LayoutReport
from edition.model import ids

# (pair, section) → side → [first page, last page]
Spans = dict[tuple[int, int], dict[str, list[int]]]


def check_parallel(report: LayoutReport, spreads: bool = True) -> list[Finding]:
    """The findings of both rules on the laid-out part."""
    spans = _spans(report)
    return [*_start_findings(report, spans, spreads), *_mix_findings(report, spans, spreads)]


def _spans(report: LayoutReport) -> Spans:
    spans: Spans = defaultdict(dict)
    for anchor, (page, _x, _y) in report.anchors.items():
        if (mark := ids.parallel_mark(anchor)) is None:
            continue
        pair, side, section, end = mark
        span = spans[(pair, section)].setdefault(side, [page, page])
        span[1 if end else 0] = page
    return spans


def _spread(report: LayoutReport, page: int, spreads: bool) -> int:
    """The spread a page belongs to, named by its first page: a recto faces the verso
    before it; without spreads each page is its own."""
    if spreads and 0 < page < len(report.pages) and report.pages[page].recto:
        return page - 1
    return page


def _start_findings(report: LayoutReport, spans: Spans, spreads: bool) -> list[Finding]:
    found = []
    for (_pair, section), sides in sorted(spans.items()):
        if "o" not in sides or "t" not in sides:
            continue
        original, translation = sides["o"][0], sides["t"][0]
        if _spread(report, original, spreads) != _spread(report, translation, spreads):
            found.append(Finding(
                "parallel-start", original,
                f"section {section + 1} starts on page {report.label_of(original)} in the "
                f"original and on page {report.label_of(translation)} in the translation"))
    return found


def _mix_findings(report: LayoutReport, spans: Spans, spreads: bool) -> list[Finding]:
    """A spread where the sections of one side's text and of the other's do not overlap:
    one side shows text that belongs to another section."""
    shown: dict[tuple[int, int], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for (pair, section), sides in spans.items():
        for side, (first, last) in sides.items():
            for page in range(first, last + 1):
                shown[(pair, _spread(report, page, spreads))][side].add(section)
    found = []
    for (_pair, spread), sides in sorted(shown.items()):
        original, translation = sides.get("o"), sides.get("t")
        if not original or not translation:
            continue
        if max(original) < min(translation) or max(translation) < min(original):
            found.append(Finding(
                "parallel-mixed", spread,
                f"page {report.label_of(spread)}: the original shows section "
                f"{_names(original)}, the translation section {_names(translation)}"))
    return found


def _names(sections: set[int]) -> str:
    return ", ".join(str(section + 1) for section in sorted(sections))
