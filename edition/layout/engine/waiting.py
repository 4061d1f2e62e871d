"""WeasyPrint 70.0's `_break_waiting_children` (`weasyprint/layout/inline.py`), ported.

Upstream's text (BSD-3-Clause, © Simon Sapin and contributors) except inside its hunks,
marked and checked as in linebox.py (`edition.layout.engine.ported`).

Upstream calls this function each time a child of an inline box overflows the line, and
it tries every child waiting since the line's last break opportunity, from the end. In a
run of text with no break opportunity between its inline boxes (`*a*b` repeated: one
word of thousands of emphasised letters) every later child overflows too, so each call
tried all the children before it again: a cost that grew with the square of the run
(20 KB of such Markdown took a minute). The hunks keep, per waiting list, how many of
its children were tried in vain, and try only those added since: the waiting list only
ever grows (upstream appends to it, or starts a new one), and whether a child breaks
depends on the child alone (its own position and width), so a child that could not
break before cannot now. The children before the one broken are moved to the line by
index rather than from a copy of the list, for the same reason.
"""

from weasyprint.formatting_structure import boxes
from weasyprint.layout.inline import can_break_inside, split_inline_level

__all__ = ["_break_waiting_children", "tried", "remember"]

# Waiting lists remembered per layout context: a line's own list and those of the inline
# boxes open inside it (nesting is bounded by the readers), with room to spare.
KEPT_LISTS = 64


def _memory(context) -> dict[int, tuple[list, int]]:
    memory = getattr(context, "edition_waiting_tried", None)
    if memory is None:
        memory = context.edition_waiting_tried = {}
    return memory


def tried(context, waiting_children: list) -> int:
    """How many of the first children of `waiting_children` an earlier call tried in vain.

    The list itself is kept with its count, so its id cannot be reused while kept."""
    kept = _memory(context).get(id(waiting_children))
    if kept is None or kept[0] is not waiting_children:
        return 0
    return min(kept[1], len(waiting_children))


def remember(context, waiting_children: list) -> None:
    """No child of `waiting_children` (as it is now) can break."""
    memory = _memory(context)
    memory.pop(id(waiting_children), None)
    memory[id(waiting_children)] = (waiting_children, len(waiting_children))
    while len(memory) > KEPT_LISTS:
        del memory[next(iter(memory))]  # the oldest: lists of lines already set


def _break_waiting_children(context, box, max_x, bottom_space, initial_skip_stack,
                            absolute_boxes, fixed_boxes, line_placeholders,
                            waiting_floats, line_children, children, waiting_children,
                            first_letter_style, first_line_style):
    if waiting_children:
        # Too wide, try to cut inside waiting children, starting from the end.
        # TODO: we should take care of children added into absolute_boxes,
        # fixed_boxes and other lists.
        # edition: begin only the children added since the last call on this list
        index = len(waiting_children)
        first_untried = tried(context, waiting_children)
        while index > first_untried:
            index -= 1
            child_index, child, original_child = waiting_children[index]
            # edition: end
            if not child.is_in_normal_flow() or not can_break_inside(child):
                continue

            if initial_skip_stack and child_index in initial_skip_stack:
                child_skip_stack = initial_skip_stack[child_index]
            else:
                child_skip_stack = None

            # Break the waiting child at its last possible breaking point.
            # TODO: The dirty solution chosen here is to decrease the
            # actual size by 1 and render the waiting child again with this
            # constraint. We may find a better way.
            max_x = child.position_x + child.margin_width() - 1
            while max_x > child.position_x:
                new_child, child_resume_at, _, _, _, _ = split_inline_level(
                    context, original_child, child.position_x, max_x,
                    bottom_space, child_skip_stack, box, absolute_boxes,
                    fixed_boxes, line_placeholders, waiting_floats,
                    line_children, first_letter_style, first_line_style)
                if child_resume_at:
                    break
                max_x -= 1
            else:
                # No line break found
                continue

            # edition: begin the children before the one broken, from the list itself
            children.extend(waiting_children[:index])
            # edition: end
            if new_child is None:
                # May be None where we have an empty TextBox.
                assert isinstance(child, boxes.TextBox)
            else:
                children.append((child_index, new_child, child))

            return {child_index: child_resume_at}
        # edition: begin none of them breaks: not to be tried again
        remember(context, waiting_children)
        # edition: end

    if children:
        # Too wide, can't break waiting children and the inline is
        # non-empty: put child entirely on the next line.
        return {children[-1][0] + 1: None}
