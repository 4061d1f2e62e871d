"""Line numbers in the margin, every 5 lines, for classroom reference (handouts).

Lines are counted per page, from 1 at the top of the text block: a reference is "page 3,
line 15". A counted line is a line of the text block with some text: headings, titles,
headnote, speeches, the source colophon; not the notes, the speaker labels or the running
heads. The numbers stand in the margin opposite the labels (the right one), each on the
baseline of the line it counts.

WeasyPrint cannot number lines, so after pagination a small second HTML document of the
same page size is laid out with one absolutely positioned number per counted line; each
number is moved so that its baseline is the line's baseline, and the number's boxes are
grafted into the body page, which draws them as its own. The preflight then reads the
numbers' drawn positions back and compares them with the lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import CSS, HTML

from edition.layout import LaidOut
from edition.layout.engine import boxes
from edition.layout.report import Finding

EVERY = 5
# Between the text block's right edge and the numbers (CSS px; 4 mm).
GAP_PX = 4 * 96 / 25.4
# A number is on its line when the baselines agree within this (CSS px).
TOLERANCE = 0.5

OVERLAY_CSS = """
html, body { margin: 0; padding: 0; }
.page { position: relative; height: 1px; break-after: page; }
.page:last-child { break-after: auto; }
.ln {
  position: absolute; white-space: nowrap; line-height: 1;
  font-size: 7pt; font-style: normal; font-weight: normal;
  font-variant-numeric: lining-nums tabular-nums;
  color: black;
}
"""


@dataclass
class PlacedNumber:
    page: int
    value: int
    x: float
    baseline: float


def counted_baselines(page_box) -> list[float]:
    """The baseline (CSS px from the page top) of every counted line, top to bottom."""
    found: list[float] = []
    _collect(page_box, found)
    return sorted(found)


def _collect(box, found: list[float]) -> None:
    box = getattr(box, "_box", box)  # absolute placeholders wrap their box
    if isinstance(box, boxes.MarginBox | boxes.FootnoteAreaBox):
        return
    if getattr(box, "style", None) is not None and (
            box.style["position"] == "absolute" or box.style["float"] != "none"):
        return  # speaker labels, also run in (and any other out-of-flow box)
    if isinstance(box, boxes.LineBox):
        text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
        if text.strip():
            found.append(box.position_y + box.baseline)
        return  # an inline-block's lines belong to this line
    for child in getattr(box, "children", ()) or ():
        _collect(child, found)


def number_lines(laid: LaidOut, base_css: CSS, font_config, every: int = EVERY,
                 ) -> list[Finding]:
    """Draw the numbers on `laid`'s pages; return the preflight's line-number findings."""
    pages = laid.document.pages
    lines = [counted_baselines(page._page_box) for page in pages]
    right = [page._page_box.content_box_x() + page._page_box.width for page in pages]
    html = _overlay_html(lines, right, every)
    size = f"@page {{ size: {pages[0].width}px {pages[0].height}px; margin: 0 }}"
    overlay = HTML(string=html).render(
        stylesheets=[base_css, CSS(string=OVERLAY_CSS + size)], font_config=font_config)
    placed = _align(overlay, lines)
    for page, over in zip(pages, overlay.pages, strict=False):
        page._page_box.children = [*page._page_box.children, *over._page_box.children[:1]]
    return check_line_numbers(lines, placed, right, every, len(overlay.pages) - len(pages))


def _overlay_html(lines: list[list[float]], right: list[float], every: int) -> str:
    out = ["<html><body>"]
    for index, baselines in enumerate(lines):
        out.append("<div class='page'>")
        for k in range(every, len(baselines) + 1, every):
            # Placed at the baseline's height; _align moves it onto the baseline.
            out.append(f"<span class='ln' id='ln-{index}-{k}' style='left: "
                       f"{right[index] + GAP_PX:.3f}px; top: {baselines[k - 1]:.3f}px'>"
                       f"{k}</span>")
        out.append("</div>")
    out.append("</body></html>")
    return "".join(out)


def _align(overlay, lines: list[list[float]]) -> list[PlacedNumber]:
    """Move each number so its baseline is its line's; return where each one is drawn."""
    placed = []
    for index, page in enumerate(overlay.pages):
        for box in _number_boxes(page._page_box):
            _, _page, value = box.element.get("id").split("-")
            target = lines[int(_page)][int(value) - 1]
            box.translate(0, target - _baseline(box))
            placed.append(PlacedNumber(index, int(value), box.position_x, _baseline(box)))
    return placed


def _number_boxes(box):
    box = getattr(box, "_box", box)
    element = getattr(box, "element", None)
    if (element is not None and not isinstance(box, boxes.LineBox)
            and (element.get("id") or "").startswith("ln-")):
        yield box
        return
    for child in getattr(box, "children", ()) or ():
        yield from _number_boxes(child)


def _baseline(box) -> float:
    text = next(t for t in box.descendants() if isinstance(t, boxes.TextBox))
    return text.position_y + text.baseline


def check_line_numbers(lines: list[list[float]], placed: list[PlacedNumber],
                       right: list[float], every: int = EVERY, extra_pages: int = 0,
                       ) -> list[Finding]:
    """Every printed number k sits on the baseline of line k of its page, and every
    k-th line has its number, in the margin beside the text block."""
    findings = []
    if extra_pages:
        findings.append(Finding("line-number", len(lines) - 1,
                                f"the line numbers ran onto {extra_pages} extra page(s)"))
    by_page: dict[int, dict[int, PlacedNumber]] = {}
    for number in placed:
        by_page.setdefault(number.page, {})[number.value] = number
        baselines = lines[number.page] if number.page < len(lines) else []
        where = f"page {number.page + 1}: line number {number.value}"
        if number.value > len(baselines) or number.value % every:
            findings.append(Finding("line-number", number.page,
                                    f"{where} has no line {number.value} to count"))
        elif abs(number.baseline - baselines[number.value - 1]) > TOLERANCE:
            findings.append(Finding(
                "line-number", number.page,
                f"{where} is {number.baseline - baselines[number.value - 1]:+.1f}px off "
                "its line's baseline"))
        elif number.x < right[number.page]:
            findings.append(Finding("line-number", number.page,
                                    f"{where} stands inside the text block"))
    for index, baselines in enumerate(lines):
        for k in range(every, len(baselines) + 1, every):
            if k not in by_page.get(index, {}):
                findings.append(Finding("line-number", index,
                                        f"page {index + 1}: line {k} has no number"))
    return findings
