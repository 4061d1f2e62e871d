"""Read the laid-out box tree back: where every call, note, label and line landed.

This is what the preflight judges, so it reads the same boxes that are drawn, after the
labels have been moved, never the HTML.
"""

from __future__ import annotations

from weasyprint.document import Document as WeasyDocument

from edition.layout import makeup
from edition.layout.engine import boxes
from edition.layout.margins import margin_id
from edition.layout.report import (
    EntryPlacement,
    Finding,
    LabelPlacement,
    LayoutReport,
    NotePlacement,
    PageInfo,
    Rect,
)
from edition.model import ids

# A justified line (not a paragraph's last) filled to less than this is underfull: WeasyPrint
# sometimes breaks a line early before an inline element (upstream #1614).
UNDERFULL = 0.5
# Tolerance in CSS px for "inside the margin / text block": sub-pixel rounding only.
EPSILON = 0.5


def collect_report(document: WeasyDocument, page_labels: list[str] | None = None,
                   levelled: bool = False) -> LayoutReport:
    report = LayoutReport(levelled=levelled)
    calls: dict[str, int] = {}
    turn_heights: dict[str, float] = {}
    note_pages: dict[str, list[int]] = {}
    reported: set[tuple[str, int]] = set()  # (note id, page) it was reported to
    forced = makeup.forced_break_before(document)
    for index, page in enumerate(document.pages):
        page_box = page._page_box
        info = _page_info(index, page_box, page_labels)
        info.text_bottom = makeup.last_line_bottom(page_box)
        info.text_foot = makeup.foot_of_text(page_box)
        info.line_pitch = makeup.line_pitch(page_box)
        info.has_notes = info.text_foot < info.text_block.bottom - EPSILON
        info.before_break = index + 1 in forced or index == len(document.pages) - 1
        info.ends_with_heading = makeup.ends_with_heading(page_box)
        info.runs_on = makeup.broken_at_foot(page_box)
        report.pages.append(info)
        entry = getattr(page_box, "_edition_entry", None)  # footnotes.PageEntry
        for element in getattr(entry, "reported", ()):
            reported.add((element.get("id") or "", index))
        for anchor, (x, y, *_) in page.anchors.items():
            report.anchors.setdefault(anchor, (index, x, y))
        lines: list[str] = []
        for box, in_label, in_notes in _walk(page_box):
            if (footnote := getattr(box, "footnote", None)) is not None and not in_notes:
                ident = _element_id(footnote)
                if ident:
                    calls.setdefault(ident, index)
            if isinstance(box, boxes.FootnoteAreaBox):
                for ident in _area_notes(box):
                    if index not in note_pages.setdefault(ident, []):
                        note_pages[ident].append(index)
            label = _label(box, index)
            if label is not None:
                report.labels.append(label)
            ident = _element_id(box)
            if ids.is_turn(ident) and isinstance(box, boxes.BlockBox):
                turn_heights.setdefault(ident, box.margin_height())
            if not in_label and any(isinstance(c, boxes.LineBox) for c in box.children or ()):
                _check_underfull(report, box, info)
            if isinstance(box, boxes.LineBox):
                lines.append("".join(t.text for t in box.descendants()
                                     if isinstance(t, boxes.TextBox)))
                if not in_label:
                    _check_line(report, box, info, in_notes)
        report.page_texts[index] = "\n".join(lines)
    for label in report.labels:
        label.turn_height = turn_heights.get(ids.turn_of_label(label.anchor), 0.0)
    for ident, call_page in calls.items():
        pages = note_pages.get(ident, [])
        lemma = ids.apparatus_of(ident)
        if lemma is not None:
            page = pages[0] if pages else -1
            report.entries.append(EntryPlacement(
                lemma, call_page, page, continued=page > call_page and (ident, page) in reported))
            continue
        report.notes.append(NotePlacement(
            number=ids.note_number(ident),
            anchor=ident,
            call_page=call_page,
            note_page=pages[0] if pages else -1,
            continued_on=pages[1:]))
    return report


def _area_notes(area) -> list[str]:
    """The ids of the notes in a note area: its children, and the apparatus entries run
    on inline inside the anonymous blocks WeasyPrint wraps them in."""
    found = []
    for child in area.children:
        ident = _element_id(child)
        if ident:
            found.append(ident)
        else:
            found.extend(_element_id(b) for b in child.descendants()
                         if _element_id(b).startswith(ids.APPARATUS_ENTRY))
    return list(dict.fromkeys(found))


def _walk(box, in_label: bool = False, in_notes: bool = False):
    """Every box of the page, with whether it lies in a label or in the note area."""
    box = getattr(box, "_box", box)
    if isinstance(box, boxes.FootnoteAreaBox):
        in_notes = True
    if margin_id(box) is not None:  # a label or an original page number
        in_label = True
    yield box, in_label, in_notes
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child, in_label, in_notes)


def _page_info(index: int, page_box, page_labels: list[str] | None) -> PageInfo:
    recto = page_box.page_type.side == "right"
    text = Rect(page_box.content_box_x(), page_box.content_box_y(),
                page_box.width, page_box.height)
    if recto:
        outer = Rect(text.right, text.y, page_box.margin_width() - text.right, text.height)
    else:
        outer = Rect(0, text.y, text.x, text.height)
    label = page_labels[index] if page_labels and index < len(page_labels) else str(index + 1)
    return PageInfo(index=index, label=label, recto=recto,
                    width=page_box.margin_width(), height=page_box.margin_height(),
                    text_block=text, outer_margin=outer)


def _element_id(box) -> str:
    element = getattr(box, "element", None)
    return (element.get("id") or "") if element is not None else ""


def _is_label(box) -> bool:
    return ids.is_label(margin_id(box) or "")


def _label(box, index: int) -> LabelPlacement | None:
    if not _is_label(box):
        return None
    anchor = ids.without_recto(_element_id(box))
    text = " ".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
    rect = Rect(box.position_x, box.position_y, box.margin_width(), box.margin_height())
    lines = [b for b in box.descendants() if isinstance(b, boxes.LineBox)]
    # The label's own ink: its line boxes, narrower than the box when text-align is right.
    if lines:
        left = min(_ink_left(line) for line in lines)
        right = max(_ink_right(line) for line in lines)
        rect = Rect(left, rect.y, right - left, rect.height)
    return LabelPlacement(anchor=anchor, text=text, page=index, box=rect,
                          first_line_y=box.position_y, lines=max(len(lines), 1))


def _ink_left(line) -> float:
    texts = [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
    return min((t.position_x for t in texts), default=line.position_x)


def _ink_right(line) -> float:
    texts = [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
    return max((t.position_x + t.width for t in texts), default=line.position_x)


def _check_line(report: LayoutReport, line, info: PageInfo, in_notes: bool) -> None:


    texts = [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
    if not texts:
        return
    right = max(t.position_x + t.width for t in texts)
    left = min(t.position_x for t in texts)
    block = info.text_block
    if right > block.right + EPSILON or left < block.x - EPSILON:
        where = "note area" if in_notes else "text block"
        snippet = "".join(t.text for t in texts)[:40]
        report.findings.append(Finding(
            rule="overflow", page=info.index,
            message=f"page {info.label}: line overflows the {where} by "
                    f"{max(right - block.right, block.x - left):.1f}px: {snippet!r}"))


def _check_underfull(report: LayoutReport, block, info: PageInfo) -> None:
    lines = [c for c in block.children if isinstance(c, boxes.LineBox)]
    for line in lines:
        if line.resume_at is None or line.style["text_align_all"] != "justify":
            continue
        if any(getattr(b, "element_tag", None) == "br" for b in line.descendants()):
            continue
        texts = [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
        if not texts:
            continue
        ink = max(t.position_x + t.width for t in texts) - min(t.position_x for t in texts)
        if ink < UNDERFULL * block.width:
            snippet = "".join(t.text for t in texts)[:40]
            report.findings.append(Finding(
                rule="underfull-line", page=info.index, severity="warning",
                message=f"page {info.label}: a justified line is only "
                        f"{100 * ink / block.width:.0f}% full: {snippet!r}"))
