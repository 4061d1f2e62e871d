"""Line numbers in the margin, every 5 lines (handouts, and any text with an apparatus),
and the line numbers of the critical apparatus's entries.

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

An apparatus entry has an empty slot of fixed width for its line number (render/html.py):
the number of the line its lemma's first word landed on is drawn into that slot the same
way, so filling it never changes the layout. The number drawn is read back into the
report's entry, and the preflight compares it with the lemma's line.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import CSS, HTML

from edition.layout import LaidOut
from edition.layout.engine import boxes
from edition.layout.report import EntryPlacement, Finding
from edition.model import ids

EVERY = 5
# Between the text block's right edge and the numbers (CSS px; 4 mm).
GAP_PX = 4 * 96 / 25.4
# A number is on its line when the baselines agree within this (CSS px).
TOLERANCE = 0.5

OVERLAY_CSS = """
html, body { margin: 0; padding: 0; }
.page { position: relative; height: 1px; break-after: page; }
.page:last-child { break-after: auto; }
.ln, .app-ln {
  position: absolute; white-space: nowrap; line-height: 1;
  font-size: 7pt; font-style: normal; font-weight: normal;
  font-variant-numeric: lining-nums tabular-nums;
  color: black;
}
.app-ln { text-align: left; }
"""


@dataclass
class Slot:
    """An apparatus entry's line-number slot: where it is and what it must print."""

    page: int
    lemma: str  # the lemma's id
    x: float
    width: float
    baseline: float
    font_size: float  # the entry's, CSS px
    line: int = 0  # the lemma's line on its page (0: not on a counted line)


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
    slots = [slot for index, page in enumerate(pages)
             for slot in entry_slots(index, page._page_box, lines[index])]
    html = _overlay_html(lines, right, every, slots)
    size = f"@page {{ size: {pages[0].width}px {pages[0].height}px; margin: 0 }}"
    overlay = HTML(string=html).render(
        stylesheets=[base_css, CSS(string=OVERLAY_CSS + size)], font_config=font_config)
    placed, drawn = _align(overlay, lines, slots)
    for page, over in zip(pages, overlay.pages, strict=False):
        page._page_box.children = [*page._page_box.children, *over._page_box.children[:1]]
    _read_back(laid.report.entries, slots, drawn)
    return check_line_numbers(lines, placed, right, every, len(overlay.pages) - len(pages))


def _overlay_html(lines: list[list[float]], right: list[float], every: int,
                  slots: list[Slot]) -> str:
    out = ["<html><body>"]
    for index, baselines in enumerate(lines):
        out.append("<div class='page'>")
        for k in range(every, len(baselines) + 1, every):
            # Placed at the baseline's height; _align moves it onto the baseline.
            out.append(f"<span class='ln' id='ln-{index}-{k}' style='left: "
                       f"{right[index] + GAP_PX:.3f}px; top: {baselines[k - 1]:.3f}px'>"
                       f"{k}</span>")
        for n, slot in enumerate(s for s in slots if s.page == index and s.line):
            out.append(f"<span class='app-ln' id='sl-{index}-{n}' style='left: "
                       f"{slot.x:.3f}px; width: {slot.width:.3f}px; top: "
                       f"{slot.baseline:.3f}px; font-size: {slot.font_size:.3f}px'>"
                       f"{slot.line}</span>")
        out.append("</div>")
    out.append("</body></html>")
    return "".join(out)


def _align(overlay, lines: list[list[float]], slots: list[Slot],
           ) -> tuple[list[PlacedNumber], dict[tuple[int, int], PlacedNumber]]:
    """Move each number so its baseline is its line's (a slot's number: its slot's
    line's); return where each margin number and each slot's number is drawn."""
    placed, drawn = [], {}
    by_page: dict[int, list[Slot]] = {}
    for slot in slots:
        if slot.line:
            by_page.setdefault(slot.page, []).append(slot)
    for index, page in enumerate(overlay.pages):
        for box in _number_boxes(page._page_box):
            kind, _page, value = box.element.get("id").split("-")
            if kind == "sl":
                target = by_page[int(_page)][int(value)].baseline
            else:
                target = lines[int(_page)][int(value) - 1]
            box.translate(0, target - _baseline(box))
            number = PlacedNumber(index, int(_text(box)), _text_x(box), _baseline(box))
            if kind == "sl":
                drawn[(int(_page), int(value))] = number
            else:
                placed.append(number)
    return placed, drawn


def entry_slots(index: int, page_box, baselines: list[float]) -> list[Slot]:
    """The apparatus slots on a page, each with the counted line its lemma starts on
    (lemmas are looked up on this page: an entry stands on its lemma's page)."""
    lemmas: dict[str, float] = {}
    slots: list[Slot] = []
    _find(page_box, None, lemmas, slots, index)
    for slot in slots:
        baseline = lemmas.get(slot.lemma)
        if baseline is not None and baselines:
            # A lemma on a line without words (an addition standing alone, before a
            # block) is cited by the next counted line, where the text goes on.
            slot.line = next((k + 1 for k, b in enumerate(baselines)
                              if b >= baseline - TOLERANCE), len(baselines))
    return slots


def _find(box, line, lemmas: dict[str, float], slots: list[Slot], index: int) -> None:
    box = getattr(box, "_box", box)
    if isinstance(box, boxes.LineBox):
        line = box
    element = getattr(box, "element", None)
    ident = (element.get("id") or "") if element is not None else ""
    if line is not None and ident:
        baseline = line.position_y + line.baseline
        if ident.startswith(ids.APPARATUS_LINE):
            slots.append(Slot(index, ids.apparatus_of(ident) or "", box.position_x,
                              box.margin_width(), baseline, box.style["font_size"]))
        elif ident.startswith(ids.APPARATUS) and ident not in lemmas:
            lemmas[ident] = baseline
    for child in getattr(box, "children", ()) or ():
        _find(child, line, lemmas, slots, index)


def _read_back(entries: list[EntryPlacement], slots: list[Slot],
               drawn: dict[tuple[int, int], PlacedNumber]) -> None:
    """Each entry's lemma line, and the number drawn in its slot where it is drawn
    inside the slot on the slot's line (else 0: the preflight reports it)."""
    by_lemma = {e.anchor: e for e in entries}
    counts: dict[int, int] = {}
    for slot in slots:
        entry = by_lemma.get(slot.lemma)
        if entry is None or not slot.line:
            continue
        n = counts[slot.page] = counts.get(slot.page, -1) + 1
        number = drawn.get((slot.page, n))
        entry.line = slot.line
        inside = number is not None and (
            slot.x - TOLERANCE <= number.x <= slot.x + slot.width
            and abs(number.baseline - slot.baseline) <= TOLERANCE)
        entry.printed = number.value if inside and number is not None else 0


def _number_boxes(box):
    box = getattr(box, "_box", box)
    element = getattr(box, "element", None)
    if (element is not None and not isinstance(box, boxes.LineBox)
            and (element.get("id") or "").startswith(("ln-", "sl-"))):
        yield box
        return
    for child in getattr(box, "children", ()) or ():
        yield from _number_boxes(child)


def _text(box) -> str:
    return "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))


def _text_x(box) -> float:
    return next(t for t in box.descendants() if isinstance(t, boxes.TextBox)).position_x


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
