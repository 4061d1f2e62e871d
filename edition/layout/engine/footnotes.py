"""True footnotes for WeasyPrint 70.0: every note starts on its call's page.

Stock WeasyPrint moves a note that does not fit below its call to a later page, and never
splits a note (upstream #1833). With the stages below in place (only inside
`edition.layout.engine.patched()`), and the ported `_linebox_layout` (linebox.py):

1. A note that does not fit below its call line is *split*: at least two of its lines stay
   under the call and the rest is carried to the top of the next page's note area.
2. When fewer than two lines would fit, the call line itself moves to the next page:
   WeasyPrint's own `footnote-policy: line`, which styles/base.css sets on every note.
3. When orphans/widows forbid a break, the paragraph moves instead of already placed notes
   being pushed to the next page.
4. When a block cannot begin on the page and would leave it short (a heading that must
   keep its first lines, a paragraph its orphans), the page's last note is split
   (`make_room`, called from the ported `_in_flow_layout`, inflow.py) so that the block
   fits; only if two lines of the note leave no room does the block move.
5. A carried continuation is laid out first on the next page (a page is added at the end
   when one is still pending). One that would leave less than a fifth of the page for
   text takes the whole page; the text resumes after it.

The carried state is kept per page number, not on the context alone, so that
WeasyPrint's re-pagination (for `counter(pages)`) lays a page out again from the same
start. The stages here wrap WeasyPrint's functions (captured at import, before anything
is patched) rather than copy them; tests/test_layout_engine.py fails loudly if the
internals they rely on change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext
from weasyprint.layout import block as wp_block
from weasyprint.layout import page as wp_page

from edition.layout.engine import placement, tiers, truncation

# A note fragment left under its call must have at least this many lines.
MIN_NOTE_LINES = 2
# A continuation may fill at most this share of a page's text block, so that the page
# still carries some text.
MAX_CONTINUATION_SHARE = 0.8
# Added to a note area's height limit so that rounding never drops a line it should hold.
ROUNDING = 0.01

# WeasyPrint's own functions, which the stages below wrap.
STOCK = {
    "block_level_layout": wp_block.block_level_layout,
    "make_page": wp_page.make_page,
    "layout_footnote": LayoutContext.layout_footnote,
    "unlayout_footnote": LayoutContext.unlayout_footnote,
}


@dataclass
class PageNotes:
    """Footnote state of the page being laid out."""

    carry: Any = None  # footnote box continued from the previous page
    carry_skip: Any = None  # its skip stack
    split: Any = None  # footnote box split at the foot of this page
    limit: float | None = None  # maximum margin height of the note area
    area_resume: Any = None  # resume_at of the last note-area layout
    area_box: Any = None  # the note area as last laid out
    notes_only: bool = False  # the page is given wholly to a long continuation
    reported: tuple = ()  # the elements of the notes reported to the page
    # The lemmas the page's break falls inside, once its text is laid out (tiers.py).
    crossing: set | None = None


@dataclass
class NoteState:
    """Per-document state: what each page receives from the previous one."""

    carries: dict[int, tuple[Any, Any]] = field(default_factory=dict)
    page: PageNotes = field(default_factory=PageNotes)
    in_area: bool = False  # the note area is being laid out
    made: set[int] = field(default_factory=set)  # the page numbers laid out
    remade: bool = False  # a page was laid out twice (WeasyPrint's re-pagination)


def _state(context) -> NoteState:
    state = getattr(context, "edition_notes", None)
    if state is None:
        state = context.edition_notes = NoteState()
    return state


# ------------------------------------------------------------------ the note area


def block_level_layout(context, box, bottom_space, skip_stack, containing_block,
                       *args, **kwargs):
    """Lay out the note area with the page's continuation and height limit.

    The page's root box passes here too: on a page given wholly to a continuation it is
    laid out empty, and the text resumes on the next page where it would have begun.
    """
    original = STOCK["block_level_layout"]
    page = _state(context).page
    if not isinstance(box, boxes.FootnoteAreaBox):
        if page.notes_only and getattr(box, "element_tag", None) == "html":
            result = original(context, box.copy_with_children([]), bottom_space, None,
                              containing_block, *args, **kwargs)
            return (result[0], skip_stack, *result[2:])
        result = original(context, box, bottom_space, skip_stack, containing_block,
                          *args, **kwargs)
        if getattr(box, "element_tag", None) == "html":
            # The page's text is laid out: the note area's next layout is its last.
            page.crossing = tiers.crossing_lemmas(box, result[1])
        return result
    tiers.rule_between(context, box)
    area_skip = {0: page.carry_skip} if page.carry is not None and box.children else skip_stack
    if area_skip is None and page.reported:
        tiers.mark_continued(box, page.reported)
    limit = page.limit
    if limit is None and page.carry is not None:
        share = 1.0 if page.notes_only else MAX_CONTINUATION_SHARE
        limit = _page_text_height(context) * share
    area_bottom = bottom_space
    if limit is not None:
        # The area is laid out downwards from box.position_y; it may grow to `limit`.
        area_bottom = context.page_bottom - box.position_y - limit
    state = _state(context)
    inside, state.in_area = state.in_area, True  # notes' own blocks never make room
    try:
        result = _area_layout(context, page, box, area_bottom, area_skip, containing_block,
                              *args, **kwargs)
    finally:
        state.in_area = inside
    if (page.carry is not None and page.limit is None and not page.notes_only
            and result[1] and 0 in result[1]):
        # The continuation would leave less than a fifth of the page for text, and a call
        # in that fifth could not have its note here: the page is given to the notes.
        page.notes_only = True
        return block_level_layout(context, box, bottom_space, skip_stack, containing_block,
                                  *args, **kwargs)
    page.area_resume = result[1]
    page.area_box = result[0]
    return result


def _area_layout(context, page: PageNotes, box, bottom_space, skip_stack, containing_block,
                 *args, **kwargs):
    """The note area laid out; on the page's last layout of it, with the slots of the
    entries whose lemmas run onto the next page widened for their citation's end
    (tiers.py), where the area comes out no taller and ends where it did."""
    original = STOCK["block_level_layout"]
    wide = None
    if page.crossing:
        wide = box.deepcopy()
        if not tiers.widen(context, wide, page.crossing):
            wide = None
    result = original(context, box, bottom_space, skip_stack, containing_block,
                      *args, **kwargs)
    if wide is None or result[0] is None:
        return result
    # Laid out afresh: the page's kept layouts of its notes and of the apparatus's lines
    # (notearea.py, inlinetier.py) know the entries by their own style, not their slots'.
    context.edition_note_layouts = context.edition_tier_lines = None
    widened = original(context, wide, bottom_space, skip_stack, containing_block,
                       *args, **kwargs)
    if (widened[0] is not None and widened[1] == result[1]
            and widened[0].height <= result[0].height + ROUNDING):
        return widened
    return result


def _page_text_height(context) -> float:
    """The height of the page's text block (its page box's content height)."""
    return context.current_footnote_area.page.height


def layout_footnote(self, footnote) -> bool:
    """Add a note to the page; True when it does not fit whole.

    With a height limit in force (a continuation, or a split), a note that the limit cuts
    off is not on the page even though the area did not grow past it.
    """
    if tiers.first_tier(footnote):
        # WeasyPrint's own steps, with the entry put at its tier's end (tiers.py).
        self.footnotes.remove(footnote)
        tiers.place(self.current_page_footnotes, footnote)
        overflow = self._update_footnote_area()
    else:
        overflow = STOCK["layout_footnote"](self, footnote)
    page = _state(self).page
    if overflow and page.area_box is not None and page.area_box.children:
        overflow = _cut_off(page.area_box)
    return overflow or page.area_resume is not None


def _cut_off(area) -> bool:
    """Whether the note area's last note runs past the area: WeasyPrint's own test
    (`LayoutContext._update_footnote_area`) less its floating-point noise.

    Upstream compares the last note's bottom with the area's, two sums of the same
    heights added in another order: with some line heights (the handout's type, 1.15
    times the book's, on A4) the note ends 2e-13 px below the area that holds it, the
    note "does not fit", and its call line moves to the next page, leaving a page of
    two lines (issue 24)."""
    last = area.children[-1]
    last_bottom = last.position_y + last.margin_height() - last.margin_bottom
    area_bottom = area.position_y + area.margin_height() - area.margin_bottom
    return last_bottom > area_bottom + ROUNDING


def unlayout_footnote(self, footnote):
    page = _state(self).page
    if footnote is page.split:
        page.split = None
        page.limit = None
    return STOCK["unlayout_footnote"](self, footnote)


def split_note(context, footnote, bottom_space: float, line_bottom: float) -> bool:
    """Keep the head of `footnote` under its call line and carry the rest.

    Called when the note, just added to the page, does not fit. Returns False (and
    leaves the area as it was) when fewer than MIN_NOTE_LINES lines would stay.
    """
    page = _state(context).page
    if (page.split is not None or context.in_column or context.reported_footnotes
            or not context.current_page_footnotes
            or context.current_page_footnotes[-1] is not footnote):
        return False
    area = context.current_footnote_area
    original_bottom = context.page_bottom + area.margin_height()
    limit = original_bottom - bottom_space - line_bottom
    index = len(context.current_page_footnotes) - 1
    for _ in range(3):
        page.limit = limit
        context._update_footnote_area()
        resume = page.area_resume
        if not resume or list(resume) != [index]:
            break
        if _lines_of_child(page.area_box, index) < MIN_NOTE_LINES:
            break
        if not context.overflows_page(bottom_space, line_bottom):
            page.split = footnote
            return True
        # Rounding left the area a hair too tall: shrink and try again.
        limit -= 1
    page.limit = None
    context._update_footnote_area()
    return False


def make_room(context, fits: Callable[[], bool]) -> bool:
    """Split the page's last note so that a block refused a break here begins here.

    `fits()` lays the block out as a trial and undoes it. The note keeps as many of its
    lines under its call as the block allows, never fewer than MIN_NOTE_LINES; the
    rest is carried to the next page as for a long note (`make_page`). Returns False
    (and leaves the area as it was) when even the smallest head leaves no room.
    """
    state = _state(context)
    page = state.page
    notes = context.current_page_footnotes
    if (state.in_area or page.notes_only or context.in_column or context.reported_footnotes
            or not notes or notes[-1] is page.carry):
        return False
    footnote, index = notes[-1], len(notes) - 1
    # A note split already (under its call line) may keep fewer lines still; any other
    # height limit (a continuation's) is not this rule's to change.
    before = page.split, page.limit
    if page.split not in (None, footnote) or (page.split is None and page.limit is not None):
        return False
    height = context.current_footnote_area.margin_height()
    bottoms = _line_bottoms(page.area_box, index)
    # Keeping k lines (MIN_NOTE_LINES <= k < all of them) frees what lies below line k.
    limits = [height - (bottoms[-1] - bottoms[k - 1]) + ROUNDING
              for k in range(MIN_NOTE_LINES, len(bottoms))]
    page.split = footnote  # while trying: a note called in the block is not split too
    best = None
    if limits and _try_limit(context, page, index, limits[0]) and fits():
        # The most lines that still let the block in: the frees grow as k falls.
        low, high = 0, len(limits) - 1
        best = 0
        while low < high:
            middle = (low + high + 1) // 2
            if _try_limit(context, page, index, limits[middle]) and fits():
                best, low = middle, middle
            else:
                high = middle - 1
    if best is None or not _try_limit(context, page, index, limits[best]):
        page.split, page.limit = before
        context._update_footnote_area()
        return False
    return True


def _try_limit(context, page: PageNotes, index: int, limit: float) -> bool:
    """Lay the note area out within `limit`; True when it cuts the last note only, and
    leaves it at least MIN_NOTE_LINES lines."""
    page.limit = limit
    context._update_footnote_area()
    resume = page.area_resume
    return (bool(resume) and list(resume) == [index]
            and _lines_of_child(page.area_box, index) >= MIN_NOTE_LINES)


def _line_bottoms(area_box, index: int) -> list[float]:
    """The bottoms of the lines of the area's `index`th note, top to bottom."""
    if area_box is None or len(area_box.children) <= index:
        return []
    return sorted(b.position_y + b.height for b in area_box.children[index].descendants()
                  if isinstance(b, boxes.LineBox))


def _lines_of_child(area_box, index: int) -> int:
    if area_box is None or len(area_box.children) <= index:
        return 0
    return sum(isinstance(b, boxes.LineBox) for b in area_box.children[index].descendants())


# ------------------------------------------------------------------ pages


@dataclass(frozen=True)
class PageEntry:
    """What a page received from the one before, kept on its page box
    (`_edition_entry`) so that a later layout may resume there (relayout.py): the
    elements of the notes reported to it, its continuation's element and skip stack,
    and whether an out-of-flow box was broken across its top."""

    reported: tuple = ()
    carry: Any = None
    carry_skip: Any = None
    broken_out_of_flow: bool = False


# Pages laid out in this process (every make_page call): what tests count.
pages_made = 0


def make_page(context, root_box, page_type, resume_at, page_number, page_state):
    global pages_made
    pages_made += 1
    placement.remember(context)
    state = _state(context)
    carry = state.carries.get(page_number)
    if page_number in state.made:
        state.remade = True  # WeasyPrint's re-pagination: pages of two loops
    state.made.add(page_number)
    if not hasattr(context, "edition_notes_count"):
        # All the part's notes are still to place (or reported) on its first page.
        context.edition_notes_count = len(context.footnotes) + len(context.reported_footnotes)
    entry = PageEntry(tuple(note.element for note in context.reported_footnotes),
                      carry[0].element if carry else None, carry[1] if carry else None,
                      bool(context.broken_out_of_flow))
    state.page = PageNotes(reported=entry.reported)
    if carry is not None:
        state.page.carry, state.page.carry_skip = carry
        # Laid out first by make_page, like a note reported from the previous page; the
        # previous page queued it already unless only this page is being laid out again.
        if not context.reported_footnotes or context.reported_footnotes[0] is not carry[0]:
            context.reported_footnotes.insert(0, carry[0])
    if context.forced_break and truncation.unforced(context, page_number):
        context.forced_break = False
    page, resume_at, next_page = STOCK["make_page"](
        context, root_box, page_type, resume_at, page_number, page_state)
    page._edition_entry = entry
    resume = state.page.area_resume
    state.carries.pop(page_number + 1, None)
    if resume:
        (index, skip), = resume.items()
        placed = context.current_page_footnotes
        box = placed[index]
        state.carries[page_number + 1] = (box, skip)
        # Notes after the split one were never drawn here: they follow it.
        context.reported_footnotes[:0] = placed[index:]
    return page, resume_at, next_page
