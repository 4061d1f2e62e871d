"""Pagination: WeasyPrint with true footnotes, labels in the outer margin, and a report.

`paginate` is a pure function of (HTML, stylesheets, where the part starts): runs of
documents can be laid out separately and joined later.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import CSS, HTML
from weasyprint.document import Document as WeasyDocument

from edition.layout import footnotes
from edition.layout.inspect import collect_report
from edition.layout.margins import place_labels
from edition.layout.report import LabelPlacement, LayoutReport

# A speech shorter than its label (three speakers, one line of speech) would let the next
# label run into it; such turns get a minimum height and the part is laid out again.
MAX_LABEL_PASSES = 2


@dataclass
class LaidOut:
    document: WeasyDocument
    report: LayoutReport


def paginate(html: str, stylesheets: list[CSS], base_url: str, *,
             labels: str = "outer", url_fetcher=None, font_config=None,
             page_labels: list[str] | None = None) -> LaidOut:
    """Lay out one part of the book.

    `labels` is "outer" (recto right, verso left) or "left" (handouts: always left).
    `page_labels` names the printed folio of each page for the report, when known.
    """
    footnotes.install()
    kwargs = {"url_fetcher": url_fetcher} if url_fetcher else {}
    parsed = HTML(string=html, base_url=base_url, **kwargs)
    heights: dict[str, float] = {}
    for _ in range(MAX_LABEL_PASSES + 1):
        sheets = stylesheets + ([_turn_heights_css(heights)] if heights else [])
        document = parsed.render(stylesheets=sheets, font_config=font_config)
        place_labels(document, mode=labels)
        report = collect_report(document, page_labels=page_labels)
        grown = _turns_to_grow(report.labels)
        if not grown or all(heights.get(k, 0) >= v for k, v in grown.items()):
            break
        for turn, height in grown.items():
            heights[turn] = max(heights.get(turn, 0), height)
    return LaidOut(document, report)


def _turns_to_grow(labels: list[LabelPlacement]) -> dict[str, float]:
    """Turns whose label reaches into the next label on the same page → needed height."""
    grow: dict[str, float] = {}
    by_page: dict[int, list[LabelPlacement]] = {}
    for label in labels:
        by_page.setdefault(label.page, []).append(label)
    for page_labels in by_page.values():
        ordered = sorted(page_labels, key=lambda lab: lab.box.y)
        for above, below in zip(ordered, ordered[1:], strict=False):
            if above.box.bottom > below.box.y:
                turn = above.anchor.replace("label-", "turn-", 1)
                # A little air between the two labels, as between paragraphs.
                grow[turn] = above.box.height + 2
    return grow


def _turn_heights_css(heights: dict[str, float]) -> CSS:
    rules = "".join(f"#{turn} {{ min-height: {height:.1f}px }}\n"
                    for turn, height in heights.items())
    return CSS(string=rules)
