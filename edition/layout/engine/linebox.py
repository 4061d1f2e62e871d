"""WeasyPrint 70.0's `_linebox_layout` (`weasyprint/layout/block.py`), ported.

The function below is WeasyPrint's own (BSD-3-Clause, © Simon Sapin and contributors),
copied verbatim except inside *hunks*. A hunk is the run of lines between a comment line
`# edition: begin <why>` and the next comment line `# edition: end` (any indentation, no
nesting); it holds our replacement for the upstream lines at that place, or our addition.
Outside the hunks every line is upstream's, comments included, so that
`edition.layout.engine.ported.check_port` can diff this copy against the installed
WeasyPrint (tests/test_engine_seam.py does) and an upgrade shows exactly what must be
ported again. The names the function uses are imported from where upstream's module
gets them, so that its text need not change.

The hunks:

1. Orphans/widows branch: upstream "reports" (pushes to the next page) notes already
   placed on the page to make room for a line that cannot otherwise break; we never do,
   and break as the orphans and widows allow, which may move the paragraph.
2. Footnote branch: a note that does not fit below its call is split when at least two
   of its lines fit (`footnotes.split_note`), instead of being moved whole; the split
   leaves room below the call line for the lines the paragraph's orphans keep with it
   (`orphan_room`), else the paragraph would move all the same; a note that fits only
   without those lines is split too.

When a note that does not fit is not split, its call line moves to the next page: that
is upstream's own `footnote-policy: line` branch, which styles/base.css selects for every
note (`.fn`); an earlier copy forced it with a third hunk.
"""

# The copy keeps upstream's unused loop index (`for i, …`): its text is upstream's.
# ruff: noqa: B007

from weasyprint.layout.block import _break_line, collapse_margin, remove_placeholders
from weasyprint.layout.inline import iter_line_boxes

from edition.layout.engine.footnotes import split_note

__all__ = ["_linebox_layout", "orphan_room"]


def orphan_room(box, new_children, line, resume_at) -> float:
    """The height the lines after `line` that `orphans` keeps with it on this page need
    (as tall as `line`): none when the paragraph ends with it."""
    if resume_at is None:
        return 0.0
    return max(0, box.style["orphans"] - len(new_children) - 1) * line.height


def _linebox_layout(context, box, index, child, new_children, page_is_empty,
                    absolute_boxes, fixed_boxes, adjoining_margins,
                    bottom_space, position_y, skip_stack, first_letter_style,
                    first_line_style, draw_bottom_decoration, max_lines):
    abort = stop = False
    resume_at = None
    new_footnotes = []

    assert len(box.children) == 1, 'line box with siblings before layout'

    if adjoining_margins:
        position_y += collapse_margin(adjoining_margins)
    new_containing_block = box
    lines_iterator = iter_line_boxes(
        context, child, position_y, bottom_space, skip_stack, new_containing_block,
        absolute_boxes, fixed_boxes, first_letter_style, first_line_style)
    for i, (line, resume_at) in enumerate(lines_iterator):
        # Break box if we reached max-lines
        if max_lines is not None:
            if max_lines == 0:
                new_children[-1].block_ellipsis = box.style['block_ellipsis']
                break
            max_lines -= 1

        # Update line resume_at and position_y
        line.resume_at = resume_at
        new_position_y = line.position_y + line.height

        # Add bottom padding and border to the bottom position of the
        # box if needed
        draw_bottom_decoration |= resume_at is None
        if draw_bottom_decoration:
            offset_y = box.border_bottom_width + box.padding_bottom
        else:
            offset_y = 0

        # Allow overflow if the first line of the page is higher than the page itself so
        # that we put *something* on this page and can advance in the context.
        overflow = (
            (new_children or not page_is_empty) and
            context.overflows_page(bottom_space, new_position_y + offset_y))
        if overflow:
            # If we couldn’t break the line before but can break now, first try to
            # report footnotes and see if we don’t overflow.
            could_break_before = can_break_now = True
            needed = box.style['widows'] - 1
            for next_line, _ in lines_iterator:
                needed -= 1
                remove_placeholders(
                    context, next_line.children, absolute_boxes, fixed_boxes)
                # Don’t iterate over all lines as it can be long.
                if needed == -1:
                    break
            if len(new_children) + 1 < box.style['orphans']:
                can_break_now = False
            elif needed >= 0:
                can_break_now = False
            if len(new_children) < box.style['orphans']:
                could_break_before = False
            elif needed > 0:
                could_break_before = False
            needed = max(0, needed)
            report = not context.in_column and can_break_now and not could_break_before
            # edition: begin never push notes already placed on this page on to the next
            # one to make the line fit: `_break_line` below breaks before the line or
            # moves the paragraph, as the orphans and widows ask.
            report = False
            # edition: end
            reported_footnotes = 0
            while report and context.current_page_footnotes:
                context.report_footnote(context.current_page_footnotes[-1])
                reported_footnotes += 1
                if not context.overflows_page(bottom_space, new_position_y + offset_y):
                    new_children.append(line)
                    stop = True
                    break
            else:
                abort, stop, resume_at = _break_line(
                    context, box, line, new_children, needed, page_is_empty, index,
                    skip_stack, resume_at, absolute_boxes, fixed_boxes)

            # Revert reported footnotes, as they’ve been reported starting from the last
            # one.
            if reported_footnotes >= 2:
                extra = context.reported_footnotes[-1:-reported_footnotes-1:-1]
                context.reported_footnotes[-reported_footnotes:] = extra

            break

        # TODO: this is incomplete.
        # See https://drafts.csswg.org/css-page-3/#allowed-pg-brk
        # "When an unforced page break occurs here, both the adjoining
        #  ‘margin-top’ and ‘margin-bottom’ are set to zero."
        # See issue #115.
        elif page_is_empty and context.overflows_page(bottom_space, new_position_y):
            # Remove the top border when a page is empty and the box is
            # too high to be drawn in one page
            new_position_y -= box.margin_top
            line.translate(0, -box.margin_top)
            box.margin_top = 0

        if context.footnotes:
            break_linebox = False
            footnotes = (
                descendant.footnote for descendant in line.descendants()
                if descendant.footnote in context.footnotes)
            for footnote in footnotes:
                overflow = context.layout_footnote(footnote)
                new_footnotes.append(footnote)
                overflow = (
                    overflow or
                    context.reported_footnotes or
                    context.overflows_page(bottom_space, new_position_y + offset_y))
                # edition: begin keep the head of a note that does not fit under its call
                # (at least two lines) and carry the rest to the next page's note area,
                # leaving room for the lines the paragraph's orphans keep with this one:
                # a note that fits only without them is split too.
                kept_bottom = new_position_y + offset_y + orphan_room(
                    box, new_children, line, resume_at)
                if (overflow or context.overflows_page(bottom_space, kept_bottom)) and (
                        split_note(context, footnote, bottom_space, kept_bottom)):
                    continue
                # edition: end
                if overflow:
                    context.report_footnote(footnote)
                    # If we've put other content on this page, then we may want
                    # to push this line or block to the next page. Otherwise,
                    # we can't (and would loop forever if we tried), so don't
                    # even try.
                    if new_children or not page_is_empty:
                        if footnote.style['footnote_policy'] == 'line':
                            if needed := box.style['widows'] - 1:
                                for _ in lines_iterator:
                                    needed -= 1
                                    # Don’t iterate over all lines as it can be long.
                                    if needed == 0:
                                        break
                            abort, stop, resume_at = _break_line(
                                context, box, line, new_children, needed, page_is_empty,
                                index, skip_stack, resume_at, absolute_boxes,
                                fixed_boxes)
                            break_linebox = True
                            break
                        elif footnote.style['footnote_policy'] == 'block':
                            abort = break_linebox = True
                            break
            if break_linebox:
                break

        new_children.append(line)
        position_y = new_position_y
        skip_stack = resume_at

    if new_children:
        resume_at = {index: new_children[-1].resume_at}

    return abort, stop, resume_at, position_y, new_footnotes, max_lines
