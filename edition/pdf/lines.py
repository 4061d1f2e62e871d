"""Line numbers in the margin, every 5 lines (handouts, and any text with an apparatus),
and the line numbers of the critical apparatus's entries.

A counted line is a line of the text block with some text: paragraphs, verse, headnote,
speeches, datelines, the source colophon; not the headings and titles (the document's
title and date, `h1`–`h6`, sub-headings), the notes, the speaker labels or the running
heads. Lines are counted per page, per document or per section (`[lines] count`: a
section starts at each heading), from 1; a verse line (`.verse .line`) with a number of
its own (`data-n`, the source's `l/@n`) is counted by that number, and the lines after it
go on from there. A verse line that runs over is one line: its second line is not
counted, and a lemma on it cites the verse. Every `[lines] every`-th number is printed,
in the margin `[lines] margin` names (by default the one the speaker labels leave
free), each on the baseline of the line it counts.

WeasyPrint cannot number lines, so after pagination a small second HTML document of the
same page size is laid out with one absolutely positioned number per numbered line; each
number is moved so that its baseline is the line's baseline, and the number's boxes are
grafted into the body page, which draws them as its own. The preflight then reads the
numbers' drawn positions back and compares them with the lines (and the labels).

An apparatus entry has an empty slot of fixed width for its line number (render/html.py):
the number of the line its lemma's first word landed on is drawn into that slot the same
way, so filling it never changes the layout. A lemma on a line not counted (a heading's)
cites the next counted line of its page, else the one before. The number drawn is read
back into the report's entry, and the preflight compares it with the lemma's line.

A one-word lemma whose word occurs again in its block has a second slot after the lemma
(render/html.py): where the word occurs more than once on the printed line its lemma
starts on, the lemma's place among them is drawn there as a superior figure (ἡμέραν¹,
ἡμέραν²), counted from the line's words in order (model/text.py `words`).

A lemma whose last word stands on a later page than its first is cited by both ends,
as `[apparatus] across` says ("28–p. 5, 2": the folio and the line its last word is
on), in a slot the layout widened for it (layout/engine/tiers.py); where it could not
be widened, the entry cites the first line only and the preflight warns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from weasyprint import CSS, HTML

from edition.layout import LaidOut
from edition.layout.engine import boxes, tiers
from edition.layout.report import EntryPlacement, Finding, LabelPlacement, PageInfo
from edition.model import ids
from edition.model.text import words

EVERY = 5
# Between the text block's edge and the numbers (CSS px; 4 mm).
GAP_PX = 4 * 96 / 25.4
# The box a number left of the text block is set in, right-aligned (CSS px).
LEFT_BOX_PX = 40.0
# A number is on its line when the baselines agree within this (CSS px).
TOLERANCE = 0.5
# Elements whose lines are not counted: headings and titles.
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HEADING_CLASSES = frozenset({"doc-head", "doc-date", "subhead"})
# A translation set beside its original (render/parallel.py): the lines counted are the
# original's, which the apparatus cites.
UNCOUNTED_CLASSES = frozenset({"parallel-translation"})
COUNTS = ("page", "document", "section")
MARGINS = ("auto", "outer", "inner", "left", "right")

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
.ln.left { text-align: right; }
.app-ln { text-align: left; }
.app-ln[id^="sp-"] { text-align: center; }
.app-ln.across { text-align: right; }
.app-ln[id^="sw-"] { font-variant-position: super; font-variant-numeric: lining-nums; }
"""


@dataclass
class LineRule:
    """How lines are numbered: every how many, counted from where, in which margin
    (`auto`: the one the speaker labels leave free; `labels` is their side)."""

    every: int = EVERY
    count: str = "page"
    margin: str = "auto"
    labels: str = "outer"

    def side(self, page: PageInfo | None) -> str:
        """"left" or "right" on this page."""
        margin = self.margin
        if margin == "auto":
            margin = "right" if self.labels == "left" else "inner"
        if margin in ("left", "right"):
            return margin
        recto = page.recto if page is not None else True
        return "right" if (margin == "outer") == recto else "left"


@dataclass
class TextLine:
    """A line of the text block: its baseline, and the number it is counted by (0: not
    counted), or the number a lemma on it cites (a verse's second line: the verse's)."""

    baseline: float
    counted: bool = True
    heading: bool = False
    # The source's own number of the verse line that starts here, if any.
    own: int | None = None
    number: int = 0
    cite: int = 0


@dataclass
class PageLines:
    lines: list[TextLine] = field(default_factory=list)
    # (index into `lines`, "document" | "section"): where a count may start again.
    starts: list[tuple[int, str]] = field(default_factory=list)

    def numbered(self, every: int) -> list[TextLine]:
        return [ln for ln in self.lines if ln.counted and ln.number and not ln.number % every]


@dataclass
class Slot:
    """An apparatus entry's line-number slot: where it is and what it must print."""

    page: int
    lemma: str  # the lemma's id
    x: float
    width: float
    baseline: float
    font_size: float  # the entry's, CSS px
    line: int = 0  # the line its lemma cites (0: none)
    # "line": the number's slot; "sep": the separator's, `bar` where ‖ is drawn in it;
    # "same": the superscript's, `same` the lemma's place among the same words on its
    # line (0: the word is there once), `word` the lemma.
    kind: str = "line"
    bar: bool = False
    same: int = 0
    word: str = ""
    # `[apparatus] across` for a lemma of several words; `text`: what the slot prints
    # when it is not the line alone (a lemma that runs onto a later page).
    across: str = ""
    text: str = ""
    gap: float = 0.0  # the slot's right margin, in `width`: the space before the lemma


@dataclass
class PlacedNumber:
    page: int
    value: int
    x: float
    baseline: float
    width: float = 0.0


def page_lines(page_box) -> PageLines:
    """The page's lines of text, top to bottom, with the headings that start sections."""
    found = PageLines()
    _collect(page_box, found, heading=False, verse=None)
    return found


def counted_baselines(page_box) -> list[float]:
    """The baseline (CSS px from the page top) of every counted line, top to bottom."""
    return [ln.baseline for ln in page_lines(page_box).lines if ln.counted]


def _collect(box, found: PageLines, heading: bool, verse: list[int | None] | None) -> None:
    box = getattr(box, "_box", box)  # absolute placeholders wrap their box
    if isinstance(box, boxes.MarginBox | boxes.FootnoteAreaBox):
        return
    if getattr(box, "style", None) is not None and (
            box.style["position"] == "absolute" or box.style["float"] != "none"):
        return  # speaker labels, also run in (and any other out-of-flow box)
    if isinstance(box, boxes.LineBox):
        text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
        if text.strip():
            _add_line(found, box.position_y + box.baseline, heading, verse)
        return  # an inline-block's lines belong to this line
    element = getattr(box, "element", None)
    classes = set((element.get("class") or "").split()) if element is not None else set()
    if classes & UNCOUNTED_CLASSES:
        return
    if not heading and (getattr(box, "element_tag", "") in HEADING_TAGS
                        or classes & HEADING_CLASSES):
        # The heading starts a section (the document's title, a document); its lines
        # are not counted.
        title = "doc-head" in classes or "doc-title" in classes
        found.starts.append((len(found.lines), "document" if title else "section"))
        heading = True
    if (element is not None and isinstance(box, boxes.BlockBox)
            and "line" in (element.get("class") or "").split()):
        # A verse line: its first line counts by the source's number, if it has one.
        number = element.get("data-n") or ""
        verse = [int(number) if number.isdigit() else None, 1]
    for child in getattr(box, "children", ()) or ():
        _collect(child, found, heading, verse)


def _add_line(found: PageLines, baseline: float, heading: bool,
              verse: list | None) -> None:
    if heading:
        found.lines.append(TextLine(baseline, counted=False, heading=True))
    elif verse is not None:
        first = verse[-1] == 1
        verse[-1] = 0
        found.lines.append(TextLine(baseline, counted=first, own=verse[0] if first else None))
    else:
        found.lines.append(TextLine(baseline))


def count_lines(pages: list[PageLines], count: str) -> None:
    """Give every counted line its number and every line the number a lemma on it
    cites, counting from 1 per page, document or section."""
    number = 0
    for page in pages:
        if count == "page":
            number = 0
        starts = dict(page.starts)
        for index, line in enumerate(page.lines):
            start = starts.get(index)
            if start == "document" and count in ("document", "section") or (
                    start == "section" and count == "section"):
                number = 0
            if line.counted:
                number = line.own if line.own is not None else number + 1
                line.number = line.cite = number
            elif not line.heading:
                line.cite = number  # the second line of a verse that runs over
        _cite_uncounted(page)


def _cite_uncounted(page: PageLines) -> None:
    """A heading's line cites the next counted line of its page, else the one before;
    on a page of headings only (a division without text), its place on the page."""
    for index, line in enumerate(page.lines):
        if line.cite:
            continue
        after = next((ln.cite for ln in page.lines[index + 1:] if ln.counted), 0)
        before = next((ln.cite for ln in reversed(page.lines[:index]) if ln.cite), 0)
        line.cite = after or before or index + 1


def number_lines(laid: LaidOut, base_css: CSS, font_config,
                 rule: LineRule | None = None,
                 first_folio: int | None = None) -> list[Finding]:
    """Draw the numbers on `laid`'s pages; return the preflight's line-number findings.
    `first_folio`: the book's folio of the first page, when the part is one of several
    runs (the report's labels are then the run's own page numbers)."""
    rule = rule or LineRule()
    pages = laid.document.pages
    infos = laid.report.pages
    lines = [page_lines(page._page_box) for page in pages]
    count_lines(lines, rule.count)
    edges = [_edge(page._page_box, rule.side(infos[i] if i < len(infos) else None))
             for i, page in enumerate(pages)]
    lemmas: dict[str, tuple[int, object]] = {}
    reached: dict[str, tuple[int, int]] = {}
    slots = [slot for index, page in enumerate(pages)
             for slot in entry_slots(index, page._page_box, lines[index], lemmas, reached)]
    folios = ([str(first_folio + index) for index in range(len(pages))]
              if first_folio is not None else [info.label for info in infos])
    across = cite_across(slots, reached, folios)
    html = _overlay_html(lines, edges, rule.every, slots)
    size = f"@page {{ size: {pages[0].width}px {pages[0].height}px; margin: 0 }}"
    overlay = HTML(string=html).render(
        stylesheets=[base_css, CSS(string=OVERLAY_CSS + size)], font_config=font_config)
    placed, drawn = _align(overlay, lines, slots)
    for page, over in zip(pages, overlay.pages, strict=False):
        page._page_box.children = [*page._page_box.children, *over._page_box.children[:1]]
    _read_back(laid.report.entries, slots, drawn)
    findings = check_line_numbers(lines, placed, edges, rule.every,
                                  len(overlay.pages) - len(pages))
    return findings + across + check_label_clashes(placed, laid.report.labels)


def _edge(page_box, side: str) -> tuple[str, float]:
    """The side the numbers stand on and the text block's edge there (CSS px)."""
    left = page_box.content_box_x()
    return side, left + page_box.width if side == "right" else left


def _overlay_html(lines: list[PageLines], edges: list[tuple[str, float]], every: int,
                  slots: list[Slot]) -> str:
    out = ["<html><body>"]
    for index, page in enumerate(lines):
        out.append("<div class='page'>")
        side, edge = edges[index]
        for k, line in enumerate(page.lines):
            if not (line.counted and line.number and not line.number % every):
                continue
            # Placed at the baseline's height; _align moves it onto the baseline.
            where = (f"left: {edge + GAP_PX:.3f}px" if side == "right" else
                     f"left: {edge - GAP_PX - LEFT_BOX_PX:.3f}px; width: {LEFT_BOX_PX}px")
            out.append(f"<span class='ln {side}' id='ln-{index}-{k}' style='{where}; "
                       f"top: {line.baseline:.3f}px'>{line.number}</span>")
        for n, slot in enumerate(s for s in slots if s.page == index and s.line):
            out.append(_slot_span(f"sl-{index}-{n}", slot, slot.text or str(slot.line)))
        for n, slot in enumerate(s for s in slots if s.page == index and s.bar):
            out.append(_slot_span(f"sp-{index}-{n}", slot, "\u2016"))
        for n, slot in enumerate(s for s in slots if s.page == index and s.same):
            out.append(_slot_span(f"sw-{index}-{n}", slot, str(slot.same)))
        out.append("</div>")
    out.append("</body></html>")
    return "".join(out)


def _slot_span(ident: str, slot: Slot, text: str) -> str:
    # (the text may come from the settings: `[apparatus] across`; set against the lemma,
    # the room left for a longer folio before it)
    kind, width = ("app-ln across", slot.width - slot.gap) if slot.text else \
        ("app-ln", slot.width)
    return (f"<span class='{kind}' id='{ident}' style='left: {slot.x:.3f}px; width: "
            f"{width:.3f}px; top: {slot.baseline:.3f}px; font-size: "
            f"{slot.font_size:.3f}px'>{escape(text)}</span>")


def _align(overlay, lines: list[PageLines], slots: list[Slot],
           ) -> tuple[list[PlacedNumber], dict[tuple[int, int], PlacedNumber]]:
    """Move each number so its baseline is its line's (a slot's number: its slot's
    line's); return where each margin number and each slot's number is drawn."""
    placed, drawn = [], {}
    by_page: dict[int, list[Slot]] = {}
    marks: dict[tuple[str, int], list[Slot]] = {}  # the bars' and superscripts' slots
    for slot in slots:
        if slot.line:
            by_page.setdefault(slot.page, []).append(slot)
        elif slot.bar:
            marks.setdefault(("sp", slot.page), []).append(slot)
        elif slot.same:
            marks.setdefault(("sw", slot.page), []).append(slot)
    for index, page in enumerate(overlay.pages):
        for box in _number_boxes(page._page_box):
            kind, _page, value = box.element.get("id").split("-")
            if kind in ("sp", "sw"):
                target = marks[(kind, int(_page))][int(value)].baseline
                box.translate(0, target - _baseline(box))
                continue
            if kind == "sl":
                target = by_page[int(_page)][int(value)].baseline
            else:
                target = lines[int(_page)].lines[int(value)].baseline
            box.translate(0, target - _baseline(box))
            # (a citation across pages begins with its first line's number)
            number = PlacedNumber(index, int(re.match(r"\d+", _text(box)).group()),
                                  _text_x(box), _baseline(box),
                                  _text_width(box))
            if kind == "sl":
                drawn[(int(_page), int(value))] = number
            else:
                placed.append(number)
    return placed, drawn


def entry_slots(index: int, page_box, page: PageLines,
                earlier: dict[str, tuple[int, object]] | None = None,
                reached: dict[str, tuple[int, int]] | None = None) -> list[Slot]:
    """The apparatus slots on a page, each with the line its lemma starts on, looked up
    on this page (an entry stands on its lemma's page), else in `earlier`: the lemmas of
    the pages before, for an entry reported to this page (an apparatus continued, the
    last resort). The page's lemmas join `earlier`: lemma → (its cited line, line box);
    and `reached`: lemma → (the last page it reaches, the line it ends on there)."""
    lemmas: dict[str, tuple[float, object]] = {}
    ends: dict[str, float] = {}
    slots: list[Slot] = []
    _find(page_box, None, lemmas, slots, index, ends)
    earlier = {} if earlier is None else earlier
    for lemma, (baseline, line_box) in lemmas.items():
        earlier[lemma] = (_cite(page, baseline), line_box)
    if reached is not None:
        for lemma, baseline in ends.items():
            reached[lemma] = (index, _cite(page, baseline))
    for slot in slots:
        cite, line_box = earlier.get(slot.lemma, (0, None))
        if line_box is not None and slot.kind == "same":
            slot.same = same_word_place(line_box, slot.lemma, slot.word)
        if slot.kind == "line":
            slot.line = cite
    _mark_bars(slots)
    return slots


def _cite(page: PageLines, baseline: float) -> int:
    """The line a lemma on `baseline` cites: a lemma on a line without words (an
    addition standing alone, before a block) is cited by the next line, where the text
    goes on."""
    if not page.lines:
        return 0
    line = next((ln for ln in page.lines if ln.baseline >= baseline - TOLERANCE),
                page.lines[-1])
    return line.cite


def cite_across(slots: list[Slot], reached: dict[str, tuple[int, int]],
                labels: list[str]) -> list[Finding]:
    """The text of the line slots whose lemmas end on a later page (`[apparatus]
    across`), where the layout widened the slot for it; a warning where it did not."""
    findings = []
    for slot in slots:
        end_page, end = reached.get(slot.lemma, (slot.page, 0))
        if slot.kind != "line" or not slot.line or end_page <= slot.page or not slot.across:
            continue
        folio = labels[end_page] if end_page < len(labels) else str(end_page + 1)
        if slot.width + TOLERANCE >= tiers.across_em(slot.across) * slot.font_size:
            slot.text = slot.across.format(line=slot.line, page=folio, end=end)
        else:
            findings.append(Finding(
                "apparatus-across", slot.page,
                f"page {labels[slot.page] if slot.page < len(labels) else slot.page + 1}: "
                f"the lemma {slot.lemma} runs onto page {folio}; no room to cite its end",
                severity="warning"))
    return findings


def _mark_bars(slots: list[Slot]) -> None:
    """‖ before each entry of the page citing another line than the entry before it
    (in the order they are set in the note area)."""
    numbers = {s.lemma: s for s in slots if s.kind == "line"}
    previous = None
    for sep in sorted((s for s in slots if s.kind == "sep"), key=lambda s: (s.baseline, s.x)):
        number = numbers.get(sep.lemma)
        line = number.line if number is not None else 0
        sep.bar = previous is not None and line != previous
        previous = line


def same_word_place(line_box, lemma: str, word: str) -> int:
    """The lemma's place (1, 2 …) among the occurrences of its word on its printed line,
    or 0 when the word stands there once: the line's words read in order, the lemma's
    own counted from where its first text begins."""
    before: list[str] = []
    texts: list[str] = []
    for text, inside in _line_texts(line_box, lemma, False):
        if inside and not before:
            before = words("".join(texts)) or [""]
        texts.append(text)
    total = words("".join(texts)).count(word)
    return before.count(word) + 1 if total > 1 and before else 0


def _line_texts(box, lemma: str, inside: bool):
    """Each text of a line in order, and whether it lies inside the lemma's span."""
    box = getattr(box, "_box", box)
    element = getattr(box, "element", None)
    if element is not None and not isinstance(box, boxes.TextBox):
        inside = inside or element.get("id") == lemma
    if isinstance(box, boxes.TextBox):
        yield box.text, inside
    for child in getattr(box, "children", ()) or ():
        yield from _line_texts(child, lemma, inside)


def _find(box, line, lemmas: dict[str, tuple[float, object]], slots: list[Slot],
          index: int, ends: dict[str, float]) -> None:
    box = getattr(box, "_box", box)
    if isinstance(box, boxes.LineBox):
        line = box
    element = getattr(box, "element", None)
    ident = (element.get("id") or "") if element is not None else ""
    if line is not None and ident:
        baseline = line.position_y + line.baseline
        if ident.startswith((ids.APPARATUS_LINE, ids.APPARATUS_SEP, ids.APPARATUS_SAME)):
            kind = ("line" if ident.startswith(ids.APPARATUS_LINE) else
                    "sep" if ident.startswith(ids.APPARATUS_SEP) else "same")
            slots.append(Slot(index, ids.apparatus_of(ident) or "", box.position_x,
                              box.margin_width(), baseline, box.style["font_size"], kind=kind,
                              word=element.get("data-w") or "",
                              across=element.get("data-across") or "",
                              gap=box.margin_right or 0.0))
        elif ident.startswith(ids.APPARATUS):
            lemmas.setdefault(ident, (baseline, line))
            ends[ident] = baseline  # the last line of the page the lemma reaches
    for child in getattr(box, "children", ()) or ():
        _find(child, line, lemmas, slots, index, ends)


def _read_back(entries: list[EntryPlacement], slots: list[Slot],
               drawn: dict[tuple[int, int], PlacedNumber]) -> None:
    """Each entry's lemma line, and the number drawn in its slot where it is drawn
    inside the slot on the slot's line (else 0: the preflight reports it)."""
    by_lemma = {e.anchor: e for e in entries}
    counts: dict[int, int] = {}
    for slot in slots:
        entry = by_lemma.get(slot.lemma)
        if entry is not None and slot.kind == "same":
            entry.same = slot.same
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
            and (element.get("id") or "").startswith(("ln-", "sl-", "sp-", "sw-"))):
        yield box
        return
    for child in getattr(box, "children", ()) or ():
        yield from _number_boxes(child)


def _text(box) -> str:
    return "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))


def _text_x(box) -> float:
    return next(t for t in box.descendants() if isinstance(t, boxes.TextBox)).position_x


def _text_width(box) -> float:
    return sum(t.width for t in box.descendants() if isinstance(t, boxes.TextBox))


def _baseline(box) -> float:
    text = next(t for t in box.descendants() if isinstance(t, boxes.TextBox))
    return text.position_y + text.baseline


def check_line_numbers(lines: list[PageLines], placed: list[PlacedNumber],
                       edges: list[tuple[str, float]], every: int = EVERY,
                       extra_pages: int = 0) -> list[Finding]:
    """Every printed number sits on the baseline of a line counted by that number on
    its page, and every line so counted has its number, in the margin beside the text
    block."""
    findings = []
    if extra_pages:
        findings.append(Finding("line-number", len(lines) - 1,
                                f"the line numbers ran onto {extra_pages} extra page(s)"))
    by_page: dict[int, list[PlacedNumber]] = {}
    for number in placed:
        by_page.setdefault(number.page, []).append(number)
        page = lines[number.page] if number.page < len(lines) else PageLines()
        where = f"page {number.page + 1}: line number {number.value}"
        line = next((ln for ln in page.numbered(every)
                     if abs(number.baseline - ln.baseline) <= TOLERANCE), None)
        side, edge = edges[number.page] if number.page < len(edges) else ("right", 0.0)
        if line is None or line.number != number.value:
            findings.append(Finding("line-number", number.page,
                                    f"{where} has no line {number.value} to count"))
        elif (number.x < edge) if side == "right" else (number.x + number.width > edge):
            findings.append(Finding("line-number", number.page,
                                    f"{where} stands inside the text block"))
    for index, page in enumerate(lines):
        printed = by_page.get(index, [])
        for line in page.numbered(every):
            if not any(n.value == line.number and abs(n.baseline - line.baseline)
                       <= TOLERANCE for n in printed):
                findings.append(Finding("line-number", index,
                                        f"page {index + 1}: line {line.number} has no "
                                        "number on its baseline"))
    return findings


def check_label_clashes(placed: list[PlacedNumber], labels: list[LabelPlacement],
                        ) -> list[Finding]:
    """No line number may stand on a speaker label (a margin both use)."""
    findings = []
    for number in placed:
        for label in labels:
            if (label.page == number.page
                    and label.box.x - TOLERANCE < number.x + number.width
                    and number.x < label.box.right + TOLERANCE
                    and label.box.y < number.baseline < label.box.bottom + 7):
                findings.append(Finding(
                    "line-number", number.page, f"page {number.page + 1}: line number "
                    f"{number.value} stands on the speaker label '{label.text}'"))
    return findings
