"""Make-up: pages of running text made level, as a press does it, by feathering.

WeasyPrint ends a page where the next line, or a block kept with it (a heading and its
first line, a paragraph's widows, a call line and its note), no longer fits, and leaves
the rest of the text block empty. After pagination, on each page that is followed by
more of the same flow (not the last page of the part, not a page before a forced break),
the slack between the last line of text and the foot of the text block (the top of the
note area when the page has notes) is shared out among the spaces between its blocks:
between paragraphs, and, with more weight, around headings and other spaced blocks.
The blocks below each space are moved down (`Box.translate`), with the labels, calls
and original page numbers that belong to them; the notes stay at the foot. A page whose
slack exceeds MAX_FEATHER_LINES is left as it is: the preflight reports it.
"""

from __future__ import annotations

from weasyprint.document import Document as WeasyDocument

from edition.layout.engine import boxes, gather_anchors

# More slack than this many lines is not hidden by spacing: the page stays short.
MAX_FEATHER_LINES = 4.0
# Less than this (CSS px) is rounding, not slack.
EPSILON = 0.5
# A space that already separates blocks (a heading's, a headnote's) takes this much
# more of the slack than a boundary between two paragraphs set solid.
SPACED_WEIGHT = 3.0
FORCED = ("page", "left", "right", "recto", "verso")


def make_up(document: WeasyDocument, only: range | None = None) -> None:
    """Feather every page of running text that ends short before more of its flow
    (`only`: the pages of these indexes, the others being made up already)."""
    pages = document.pages
    forced = forced_break_before(document)
    for index, page in enumerate(pages[:-1]):
        if index + 1 in forced or (only is not None and index not in only):
            continue
        page_box = page._page_box
        if broken_at_foot(page_box):
            continue
        slack = foot_of_text(page_box) - last_line_bottom(page_box)
        pitch = line_pitch(page_box)
        if EPSILON < slack <= MAX_FEATHER_LINES * pitch and _feather(page_box, slack):
            page.anchors.clear()
            page.links.clear()
            page.bookmarks.clear()
            page.forms = {None: []}
            gather_anchors(page_box, page.anchors, page.links, page.bookmarks, page.forms)


def forced_break_before(document: WeasyDocument) -> set[int]:
    """Indexes of the pages that begin with a block forcing a page break before it,
    and of the blank pages such a break leaves (`break-before: recto`)."""
    found = set()
    seen: set[int] = set()
    for index, page in enumerate(document.pages):
        if page._page_box.page_type.blank:
            found.add(index)
        for box in _flow_blocks(page._page_box):
            element = getattr(box, "element", None)
            key = id(element)
            if element is None or key in seen:
                continue
            seen.add(key)
            if index and box.style["break_before"] in FORCED:
                found.add(index)
    return found


def foot_of_text(page_box) -> float:
    """Where the text may end: the top of the note area (its separating space
    included), else the foot of the text block."""
    bottom = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox) and child.children:
            bottom = min(bottom, child.position_y)
    return bottom


def last_line_bottom(page_box) -> float:
    """The bottom of the page's running text: of its last line, table or image (the
    top of the text block if there is none)."""
    bottoms = [_ink_bottom(leaf) for leaf in _leaves(page_box)]
    return max(bottoms, default=page_box.content_box_y())


# What the preflight counts as a heading (base.css): document and attachment titles,
# index letters, and in-text sub-headings.
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SUBHEAD_CLASS = "subhead"


def ends_with_heading(page_box) -> bool:
    """Whether the last block of the page's running text is a heading or sub-heading,
    with what it heads on the next page."""
    # Not an empty block (a paragraph of hidden page markers): a table or an image is
    # text that follows the heading.
    leaves = [leaf for leaf in _leaves(page_box) if leaf.border_height() > EPSILON]
    if not leaves:
        return False
    element = getattr(leaves[-1], "element", None)
    if element is None:
        return False
    return (getattr(leaves[-1], "element_tag", "") in HEADINGS
            or SUBHEAD_CLASS in (element.get("class") or "").split())


def broken_at_foot(page_box) -> bool:
    """Whether the page's text runs on in a block broken at its foot: WeasyPrint
    stretched that block's box below its last line. Such a page is not feathered: what
    is left below its last line is less than the next line (or what widows, a note
    or a label kept with it), and spacing it out would not hide a short page."""
    leaves = _leaves(page_box)
    if not leaves:
        return False
    last = leaves[-1]
    return last.border_box_y() + last.border_height() > _ink_bottom(last) + EPSILON


def _ink_bottom(leaf) -> float:
    """The bottom of a block's last line (and of its padding and border, when it ends
    on this page), else of its box.

    WeasyPrint stretches a block broken at the foot of a page down to the foot
    (css-break-3 box splitting): its box would say the page is full however few of
    its lines the page holds."""
    lines = [child for child in leaf.children if isinstance(child, boxes.LineBox)]
    if not lines:
        return leaf.border_box_y() + leaf.border_height()
    last = max(line.position_y + line.height for line in lines)
    return last + leaf.padding_bottom + leaf.border_bottom_width


def line_pitch(page_box) -> float:
    """The most common height of the page's lines of text: one line of the page."""
    heights: dict[float, int] = {}
    for line in body_lines(page_box):
        key = round(line.height, 1)
        heights[key] = heights.get(key, 0) + 1
    if not heights:
        return 0.0
    return max(heights, key=lambda h: (heights[h], h))


def body_lines(page_box):
    """The line boxes of the running text: not notes, labels, running heads, floats."""
    for block in _flow_blocks(page_box):
        for child in block.children:
            if isinstance(child, boxes.LineBox):
                yield child


def _in_flow(box) -> bool:
    style = getattr(box, "style", None)
    if style is None:
        return True
    return style["position"] not in ("absolute", "fixed") and style["float"] == "none"


def _flow_blocks(box):
    """Every in-flow block of the page's text, top to bottom, outside the note area
    and the margin boxes."""
    for child in getattr(box, "children", ()) or ():
        child = getattr(child, "_box", child)
        if isinstance(child, boxes.FootnoteAreaBox | boxes.MarginBox | boxes.LineBox):
            continue
        if not isinstance(child, boxes.BlockLevelBox) or not _in_flow(child):
            continue
        yield child
        if _is_container(child):
            yield from _flow_blocks(child)


def _is_container(box) -> bool:
    """A block whose in-flow content is blocks only: its gaps are its children's."""
    if type(box) not in (boxes.BlockBox,) or not box.children:
        return False
    flow = [c for c in box.children if _in_flow(getattr(c, "_box", c))]
    return bool(flow) and all(isinstance(c, boxes.BlockLevelBox) and
                              not isinstance(c, boxes.LineBox) for c in flow)


def _leaves(box) -> list:
    """The blocks that move as one: those holding lines, tables, images."""
    out = []
    for block in _flow_blocks(box):
        if not _is_container(block):
            out.append(block)
    return out


def _feather(page_box, slack: float) -> bool:
    leaves = _leaves(page_box)
    if len(leaves) < 2:
        return False
    weights = []
    for above, below in zip(leaves, leaves[1:], strict=False):
        space = below.position_y - (above.position_y + above.margin_height())
        spaced = space > EPSILON or below.margin_top > EPSILON or above.margin_bottom > EPSILON
        weights.append(SPACED_WEIGHT if spaced else 1.0)
    total = sum(weights)
    shifts = {id(leaves[0]): 0.0}
    shift = 0.0
    for leaf, weight in zip(leaves[1:], weights, strict=True):
        shift += slack * weight / total
        shifts[id(leaf)] = shift
    _move(page_box, shifts)
    return True


def _move(box, shifts: dict[int, float]) -> tuple[float, float] | None:
    """Move each leaf by its shift; a container follows its first leaf (its labels and
    other out-of-flow children with it) and grows by what its leaves moved apart.
    Returns the (first, last) shift inside `box`, None when it holds no leaf."""
    first = last = None
    for child in getattr(box, "children", ()) or ():
        inner = getattr(child, "_box", child)
        if id(inner) in shifts:
            dy = shifts[id(inner)]
            inner.translate(0, dy)
            result = (dy, dy)
        elif isinstance(inner, boxes.BlockLevelBox) and _in_flow(inner) \
                and _is_container(inner):
            result = _move(inner, shifts)
        else:
            continue
        if result is None:
            continue
        first = result[0] if first is None else first
        last = result[1]
    if first is None:
        return None
    if isinstance(box, boxes.BlockBox) and not isinstance(box, boxes.PageBox):
        box.position_y += first
        box.height += last - first
        for child in box.children:
            inner = getattr(child, "_box", child)
            if not _in_flow(inner):
                child.translate(0, first)
    return first, last
