"""WeasyPrint 70.0's `_in_flow_layout` (`weasyprint/layout/block.py`), ported.

Upstream's text (BSD-3-Clause, © Simon Sapin and contributors) except inside its one
hunk, marked and checked as in linebox.py (`edition.layout.engine.ported`).

The hunk: when a block child cannot begin on the page (`new_child is None`) and the page
would end short for it, because the break before it is avoided (a heading kept with its
first lines: the heading goes too) or because its orphans refuse the room that is left,
the page's last note is split first (`footnotes.make_room`): it keeps at least two
lines under its call, the rest is continued on the next page as for a long note, and
the child is laid out again in the room this frees. Only when that fails does upstream
go on to break the page before the child (or earlier).
"""

from functools import partial

from weasyprint.formatting_structure import boxes
from weasyprint.layout.block import (
    AbsolutePlaceholder,
    avoid_page_break,
    block_level_layout,
    block_level_page_break,
    collapse_margin,
    find_earlier_page_break,
    find_last_class_a_break_point_child,
    find_last_in_flow_child,
    get_clearance,
    percentage,
    remove_placeholders,
    resolve_percentages,
)
from weasyprint.text.line_break import strut

from edition.layout.engine.footnotes import make_room

__all__ = ["_in_flow_layout", "fits", "refused_break"]

# A page that would end this many lines short of its foot (or more) is worth a split note.
SHORT_LINES = 2


def _in_flow_layout(context, box, index, child, new_children, page_is_empty,
                    absolute_boxes, fixed_boxes, adjoining_margins, bottom_space,
                    position_y, skip_stack, first_letter_style, first_line_style,
                    discard, next_page, max_lines):
    abort = stop = False

    # Resolve percentages and collapsing top margins.
    if not box.is_table_wrapper:
        resolve_percentages(child, box)
        last_in_flow_child = find_last_in_flow_child(new_children)
        if last_in_flow_child is None and box.top_margin_collapses():
            # TODO: add the adjoining descendants' margin top to
            # [child.margin_top].
            old_collapsed_margin = collapse_margin(adjoining_margins)
            # TODO: the margin-top value is set afterwards in
            # block_level_layout, we shouldn’t duplicate this code.
            child_margin_top = child.margin_top
            if child_margin_top == 'auto':
                child_margin_top = 0
            elif context.current_page > 1 and page_is_empty:
                if box.style['margin_break'] == 'discard':
                    child_margin_top = 0
                elif box.style['margin_break'] == 'auto':
                    if not context.forced_break:
                        child_margin_top = 0
            new_collapsed_margin = collapse_margin(
                [*adjoining_margins, child_margin_top])
            collapsed_margin_difference = (
                new_collapsed_margin - old_collapsed_margin)
            for previous_new_child in new_children:
                previous_new_child.translate(dy=collapsed_margin_difference)
            direction = box.style['direction']
            clearance = get_clearance(context, child, direction, new_collapsed_margin)
            if clearance is not None:
                for previous_new_child in new_children:
                    previous_new_child.translate(
                        dy=-collapsed_margin_difference)

                collapsed_margin = collapse_margin(adjoining_margins)
                box.position_y += collapsed_margin - box.margin_top
                # Count box.margin_top as we emptied adjoining_margins
                adjoining_margins = []
                position_y = box.content_box_y()

    # TODO: Merge this with block_container_layout, block_level_layout, _in_flow_layout,
    # and check code above.
    if adjoining_margins:
        if box.is_table_wrapper:  # should not be a special case
            collapsed_margin = collapse_margin(adjoining_margins)
            child.position_y += collapsed_margin
            adjoining_margins = []
        elif not isinstance(child, boxes.BlockBox):  # blocks handle that themselves
            if child.style['margin_top'] == 'auto':
                margin_top = 0
            else:
                margin_top = percentage(
                    child.style['margin_top'], child.style, box.width)
            adjoining_margins.append(margin_top)
            offset_y = collapse_margin(adjoining_margins) - margin_top
            child.position_y += offset_y
            adjoining_margins = []

    page_is_empty_with_no_children = page_is_empty and not any(
        child for child in new_children
        if not isinstance(child, AbsolutePlaceholder))

    child_position = child.position_x, child.position_y
    (new_child, resume_at, next_page, next_adjoining_margins,
     collapsing_through, max_lines) = block_level_layout(
         context, child, bottom_space, skip_stack, box, page_is_empty_with_no_children,
         absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style,
         first_line_style, discard, max_lines)
    # edition: begin a block that cannot begin here and would leave the page short (a
    # break before it avoided, or refused by its orphans with room to spare) first makes
    # room by splitting the page's last note; it is laid out again in that room.
    if (new_child is None and not page_is_empty_with_no_children
            and refused_break(context, child, new_children, bottom_space, position_y)
            and make_room(context, partial(
                fits, context, child, child_position, bottom_space, skip_stack, box,
                absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style,
                first_line_style, discard, max_lines))):
        child.position_x, child.position_y = child_position
        (new_child, resume_at, next_page, next_adjoining_margins,
         collapsing_through, max_lines) = block_level_layout(
             context, child, bottom_space, skip_stack, box,
             page_is_empty_with_no_children, absolute_boxes, fixed_boxes,
             adjoining_margins, first_letter_style, first_line_style, discard,
             max_lines)
    # edition: end

    # Check that child doesn’t overflow and set next position_y.
    if new_child is not None:
        if not collapsing_through:
            # Find content position and check that it doesn’t overflow.
            new_content_position_y = new_child.content_box_y() + new_child.height
            content_page_overflow = context.overflows_page(
                bottom_space, new_content_position_y)

            # Update bottom space to include new child bottom spacing and check that it
            # doesn’t overflow.
            bottom_space += new_child.padding_bottom + new_child.border_bottom_width
            if not box.bottom_margin_collapses():
                bottom_space += new_child.margin_bottom
            new_position_y = new_child.border_box_y() + new_child.border_height()
            border_page_overflow = context.overflows_page(bottom_space, new_position_y)

            can_break = not (page_is_empty_with_no_children or box.is_monolithic())
            if can_break and content_page_overflow:
                # Child content overflows the page area, display it on the next page.
                remove_placeholders(context, [new_child], absolute_boxes, fixed_boxes)
                new_child = None
            elif can_break and border_page_overflow:
                # Child border/padding/margin overflows the page area, do the layout
                # again with a bottom_space value that includes them.
                remove_placeholders(context, [new_child], absolute_boxes, fixed_boxes)
                child.position_x, child.position_y = child_position
                (new_child, resume_at, next_page, next_adjoining_margins,
                 collapsing_through, max_lines) = block_level_layout(
                     context, child, bottom_space, skip_stack, box,
                     page_is_empty_with_no_children, absolute_boxes, fixed_boxes,
                     adjoining_margins, first_letter_style, first_line_style,
                     discard, max_lines)
                if new_child:
                    position_y = new_child.border_box_y() + new_child.border_height()
            else:
                position_y = new_position_y

        # Use the new child adjoining margins.
        adjoining_margins = next_adjoining_margins
        if new_child:
            adjoining_margins.append(new_child.margin_bottom)

        # Handle clearance.
        if new_child and new_child.clearance:
            position_y = new_child.border_box_y() + new_child.border_height()

    if new_child is None:
        # Nothing fits in the remaining space of this page: break.
        page_break = 'auto'
        last_child = find_last_class_a_break_point_child(new_children)
        if last_child is not None:
            page_break = block_level_page_break(last_child, child)
        if avoid_page_break(page_break, context):
            # TODO: fill the blank space at the bottom of the page.
            result = find_earlier_page_break(
                context, new_children, absolute_boxes, fixed_boxes)
            if result:
                new_children, resume_at = result
                stop = True
                return (
                    abort, stop, resume_at, position_y, adjoining_margins,
                    next_page, new_children, max_lines)
            else:
                # We did not find any page break opportunity.
                if not page_is_empty:
                    # The page has content *before* this block: cancel the block and try
                    # to find a break in the parent.
                    abort = True
                    return (
                        abort, stop, resume_at, position_y, adjoining_margins,
                        next_page, new_children, max_lines)
                # else:
                # ignore this 'avoid' and break anyway.

        if all(child.is_absolutely_positioned() for child in new_children):
            # This box has only rendered absolute children, keep them for the next page.
            # This is for example useful for list markers.
            remove_placeholders(context, new_children, absolute_boxes, fixed_boxes)
            new_children = []

        if new_children:
            # We already have children, keep them and stop the box rendering.
            resume_at = {index: None}
            stop = True
        else:
            # This was the first child of this box, cancel the box completly.
            abort = True
        return (
            abort, stop, resume_at, position_y, adjoining_margins, next_page,
            new_children, max_lines)

    # Index in its non-laid-out parent, not in future new parent.
    # May be used in find_earlier_page_break().
    new_child.index = index

    new_children.append(new_child)
    if resume_at is not None:
        resume_at = {index: resume_at}
        stop = True

    return (
        abort, stop, resume_at, position_y, adjoining_margins, next_page,
        new_children, max_lines)


def refused_break(context, child, new_children, bottom_space, position_y) -> bool:
    """Whether `child`, which cannot begin here, would leave the page short: the break
    before it is avoided (it takes what precedes it along), or the room left is at least
    SHORT_LINES of its lines (its orphans, or its `break-inside: avoid`, refused it)."""
    last_child = find_last_class_a_break_point_child(new_children)
    if last_child is not None and avoid_page_break(
            block_level_page_break(last_child, child), context):
        return True
    line_height = strut(child.style)[0]
    room = context.page_bottom - bottom_space - position_y
    return line_height > 0 and room >= SHORT_LINES * line_height


def fits(context, child, child_position, bottom_space, skip_stack, box, absolute_boxes,
         fixed_boxes, adjoining_margins, first_letter_style, first_line_style, discard,
         max_lines) -> bool:
    """Whether `child` begins on the page as the note area stands; a trial, undone."""
    child.position_x, child.position_y = child_position
    new_child = block_level_layout(
        context, child, bottom_space, skip_stack, box, False, absolute_boxes, fixed_boxes,
        list(adjoining_margins), first_letter_style, first_line_style, discard,
        max_lines)[0]
    child.position_x, child.position_y = child_position
    if new_child is None:
        return False
    overflow = context.overflows_page(
        bottom_space, new_child.content_box_y() + new_child.height)
    remove_placeholders(context, [new_child], absolute_boxes, fixed_boxes)
    return not overflow
