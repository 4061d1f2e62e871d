"""Each note laid out once per page, not once per note added after it.

WeasyPrint 70.0 lays the whole note area out again every time a note joins the page,
leaves it or is limited (`LayoutContext._update_footnote_area`, and our splits and
trials in footnotes.py), and once more at the end of the page: with k notes on a page
the first is laid out k + 1 times or more. At about ten notes a page that re-layout
was half the build (a 3,000-note document: 64 s of 118 under the profiler).

A note's layout in the area depends only on the note and the inputs below, and not on
where the area puts it, when nothing breaks inside it: laid out once, it is copied and
moved down (`Box.translate`) to wherever the area puts it next. So a layout is reused
only when

- the note starts whole (no skip stack: a continuation is always laid out afresh);
- nothing it was laid out with differs: its style, the area's width and left edge, the
  margins adjoining its top, whether the page is empty, discard, max lines;
- it comes out whole and its bottom, where it lands now, lies a point or more above the
  limit it is laid out against (with no limit, always): laid out there, no line of it
  would break, so it would come out the same;
- its layout added no absolutely positioned or fixed box, and it has no `clear`, no
  first-letter or first-line style.

The layouts are kept for one page (its number); a page laid out again starts with none,
so each page's layout is the same whichever pages a process laid out before it.
"""

from __future__ import annotations

from math import inf
from typing import Any

from weasyprint.formatting_structure import boxes

from edition.layout.engine import relayout

# A reused layout must end at least this far (CSS px) above its limit.
MARGIN = 1.0


def block_level_layout(context, box, bottom_space, skip_stack, containing_block,
                       page_is_empty=True, absolute_boxes=None, fixed_boxes=None,
                       adjoining_margins=None, first_letter_style=None,
                       first_line_style=None, discard=False, max_lines=None):
    """`block_level_layout` for each in-flow child, its page recorded (relayout.record),
    a note in the note area taken from the page's earlier layout of it where that is
    the same."""
    args = (page_is_empty, absolute_boxes, fixed_boxes, adjoining_margins,
            first_letter_style, first_line_style, discard, max_lines)
    # Recorded here rather than in a wrapper: a frame more per level of nesting would cost
    # deeply nested sources their last levels below Python's recursion limit.
    relayout.record(context, box)
    layout = relayout.STOCK_BLOCK_LEVEL_LAYOUT
    if (first_letter_style is not None or first_line_style is not None
            or not _cacheable(box, skip_stack, containing_block)):
        return layout(context, box, bottom_space, skip_stack, containing_block, *args)
    layouts = _layouts(context)
    key = (box.element, box.element_tag, id(box.style), containing_block.width,
           containing_block.content_box_x(), box.position_x, tuple(adjoining_margins or ()),
           page_is_empty, context.current_page > 1, context.forced_break, discard, max_lines)
    kept = layouts.get(key)
    if kept is not None and kept.style is box.style:
        dy = box.position_y - kept.position_y
        if kept.fits(context, bottom_space, dy):
            return kept.reuse(dy)
    absolute_count = len(absolute_boxes) if absolute_boxes is not None else 0
    fixed_count = len(fixed_boxes) if fixed_boxes is not None else 0
    position_y = box.position_y
    result = layout(context, box, bottom_space, skip_stack, containing_block, *args)
    added = ((absolute_boxes is not None and len(absolute_boxes) != absolute_count)
             or (fixed_boxes is not None and len(fixed_boxes) != fixed_count))
    laid = _Laid(box.style, position_y, result)
    if not added and result[0] is not None and result[1] is None \
            and laid.fits(context, bottom_space, 0):
        layouts[key] = laid
    return result


def _cacheable(box, skip_stack, containing_block) -> bool:
    # Every child of the note area is a note (its `float: footnote` is gone by now).
    return (skip_stack is None and isinstance(containing_block, boxes.FootnoteAreaBox)
            and box.style["clear"] == "none"
            and getattr(box, "element", None) is not None)


def _layouts(context) -> dict:
    """The note layouts of the page being laid out."""
    kept = getattr(context, "edition_note_layouts", None)
    if kept is None or kept[0] != context.current_page:
        kept = context.edition_note_layouts = (context.current_page, {})
    return kept[1]


class _Laid:
    """One note's layout: its block_level_layout result and the y it was laid out at."""

    __slots__ = ("style", "position_y", "result")

    def __init__(self, style: Any, position_y: float, result: tuple) -> None:
        self.style, self.position_y, self.result = style, position_y, result

    def fits(self, context, bottom_space: float, dy: float) -> bool:
        if bottom_space == -inf:
            return True
        new_box = self.result[0]
        bottom = new_box.position_y + dy + new_box.margin_height()
        return bottom + MARGIN <= context.page_bottom - bottom_space

    def reuse(self, dy: float) -> tuple:
        new_box, resume_at, next_page, adjoining, collapsing_through, max_lines = self.result
        copy = new_box.deepcopy()
        copy.translate(0, dy)
        return (copy, resume_at, dict(next_page), list(adjoining), collapsing_through,
                max_lines)
