"""Pagination: WeasyPrint with true footnotes, labels in the outer margin, and a report.

WeasyPrint lays out with edition's changes (engine/) only inside `engine.patched()`.

`paginate` is a pure function of (HTML, stylesheets, where the part starts): runs of
documents can be laid out separately and joined later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from weasyprint import CSS, HTML
from weasyprint.document import Document as WeasyDocument

from edition.layout import engine
from edition.layout.inspect import collect_report
from edition.layout.margins import place_labels
from edition.layout.report import LabelPlacement, LayoutReport
from edition.model import ids

# Labels are fitted by laying a part out again with rules for the turns concerned, rules
# that act only where a page breaks, so they hold wherever the turn lands: a label of
# more than two lines keeps as many lines of its speech with it (orphans), and a speech
# shorter than its label gets the label's height and is never broken. Rare; a few passes.
MAX_LABEL_PASSES = 3


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
    engine.check_version()
    kwargs = {"url_fetcher": url_fetcher} if url_fetcher else {}
    parsed = HTML(string=html, base_url=base_url, **kwargs)
    fixes = LabelFixes()
    for _ in range(MAX_LABEL_PASSES + 1):
        sheets = stylesheets + ([fixes.css()] if fixes else [])
        with engine.patched():
            document = parsed.render(stylesheets=sheets, font_config=font_config)
        place_labels(document, mode=labels)
        report = collect_report(document, page_labels=page_labels)
        if not fixes.learn(report):
            break
    return LaidOut(document, report)


@dataclass
class LabelFixes:
    """Per-turn rules that keep speaker labels clear of each other and on their page."""

    orphans: dict[str, int] = field(default_factory=dict)
    heights: dict[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.orphans or self.heights)

    def learn(self, report: LayoutReport) -> bool:
        """Add rules for the labels of this layout; False when there is nothing new."""
        new = False
        for label in report.labels:
            turn = _turn(label)
            if label.lines > 2 and self.orphans.get(turn, 2) < label.lines:
                self.orphans[turn] = label.lines
                new = True
            # A little air below the label, as between paragraphs.
            height = label.box.height + 2
            if label.turn_height and label.turn_height < height - 0.5 \
                    and self.heights.get(turn, 0) < height:
                self.heights[turn] = height
                new = True
        return new

    def css(self) -> CSS:
        rules = [f"#{turn} {{ orphans: {lines} }}" for turn, lines in self.orphans.items()]
        rules += [f"#{turn} {{ min-height: {height:.1f}px; break-inside: avoid }}"
                  for turn, height in self.heights.items()]
        return CSS(string="\n".join(rules))


def _turn(label: LabelPlacement) -> str:
    return ids.turn_of_label(label.anchor)
