"""The apparatus paragraph's lines broken once per page, not once per note added.

The entries of a page run on as one paragraph in the note area (`footnote-display:
inline`, tiers.py): an anonymous block holding one line box whose children are the
entries. WeasyPrint lays the whole note area out again each time a note or an entry
joins the page (`LayoutContext._update_footnote_area`), and notearea.py cannot reuse
that block (it has no element): with k entries and n notes on a page, the paragraph was
broken into lines k + n times, each time from its first entry. On a dense critical text
that was most of the build (a 58-page volume of ~10 entries a page: 48 s of 82 under the
profiler), and it grew with the square of the entries a page holds.

Line breaking is greedy: a line takes what fits and breaks at the last opportunity
before what does not, so a line followed by text already there comes out the same when
entries are added after that text. The lines of the page's last layout of the
paragraph are kept, and a new layout whose entries begin with the same entries

- replays, copied and moved to where the paragraph now starts, every kept line that was
  followed by more of the paragraph (all of them when the entries are the same, as when
  a footnote joined the page), and
- breaks the rest afresh from where the last replayed line ended: the old last line, now
  justified and longer, and the new entries.

A replayed stretch ends before a line that ends hyphenated (linebreak.py counts
hyphenated lines in a row from the start of its own iteration, which starts at zero
here), or before a line with no height (a phantom line, whose break may depend on what
follows). Kept only for the page being laid out (its number), only for a paragraph of
entries laid from its start, without first-letter or first-line style, floats, or
absolutely positioned boxes; anything else is laid out as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from edition.layout.engine import linebreak, tiers


@dataclass
class _Lines:
    """The lines of one layout of the apparatus paragraph, as laid out (untouched copies),
    each with its resume_at, whether it ends hyphenated, and the y its layout began at."""

    entries: tuple  # (element, id of its style) of each entry, in order
    lines: list[tuple[Any, Any, bool, float]] = field(default_factory=list)
    complete: bool = False  # the layout ran to the paragraph's end


def iter_line_boxes(context, box, position_y, bottom_space, skip_stack, containing_block,
                    absolute_boxes, fixed_boxes, first_letter_style, first_line_style
                    ) -> Iterator[tuple[Any, Any]]:
    """`linebreak.iter_line_boxes`, the apparatus paragraph's stable lines replayed."""
    args = (bottom_space, skip_stack, containing_block, absolute_boxes, fixed_boxes,
            first_letter_style, first_line_style)
    if (skip_stack is not None or first_letter_style is not None
            or first_line_style is not None or context.excluded_shapes
            or not _entries_only(box)):
        yield from linebreak.iter_line_boxes(context, box, position_y, *args)
        return
    key = (id(box.style), containing_block.width, containing_block.content_box_x())
    kept_lines = _kept(context)
    entries = tuple((child.element, id(child.style)) for child in box.children)
    old = kept_lines.get(key)
    replay = _stable(old, entries) if old is not None else []
    new = kept_lines[key] = _Lines(entries)
    skip, start = None, position_y
    for line, resume_at, hyphenated, origin_y in replay:
        copy = line.deepcopy()
        copy.translate(0, position_y - origin_y)
        new.lines.append((line, resume_at, hyphenated, origin_y))
        # Where upstream starts the next line (iter_line_boxes), read before the consumer
        # may move the copy.
        skip, start = resume_at, copy.position_y + copy.height
        yield copy, resume_at
    if replay and skip is None:  # the paragraph ended there
        new.complete = True
        return
    absolutes = len(absolute_boxes) if absolute_boxes is not None else 0
    fixed = len(fixed_boxes) if fixed_boxes is not None else 0
    for line, resume_at in linebreak.iter_line_boxes(
            context, box, start, bottom_space, skip, *args[2:]):
        if ((absolute_boxes is not None and len(absolute_boxes) != absolutes)
                or (fixed_boxes is not None and len(fixed_boxes) != fixed)):
            kept_lines.pop(key, None)  # a positioned box is laid out with its line
        elif kept_lines.get(key) is new:
            new.lines.append((line.deepcopy(), resume_at, linebreak.ends_hyphenated(line),
                              position_y))
        yield line, resume_at
    new.complete = True


def _entries_only(box) -> bool:
    """Whether the line box holds apparatus entries only (the tier's paragraph)."""
    return bool(box.children) and all(tiers.first_tier(child) for child in box.children)


def _stable(old: _Lines, entries: tuple) -> list[tuple[Any, Any, bool, float]]:
    """The kept lines that come out the same for `entries`: none unless the kept layout's
    entries begin them; else those followed by more of the kept paragraph (every line,
    when the entries are the same and that layout ran to the end), less any stretch at
    the end that stops after a hyphenated line or before a line with no height."""
    count = len(old.entries)
    if entries[:count] != old.entries:
        return []
    lines = old.lines
    stable = len(lines) - 1 if old.complete and len(entries) > count else len(lines)
    stable = max(stable, 0)
    while stable and (lines[stable - 1][2]
                      or (stable < len(lines) and lines[stable][0].height == 0)):
        stable -= 1
    return lines[:stable]


def _kept(context) -> dict:
    """The apparatus paragraph's kept lines on the page being laid out."""
    kept = getattr(context, "edition_tier_lines", None)
    if kept is None or kept[0] != context.current_page:
        kept = context.edition_tier_lines = (context.current_page, {})
    return kept[1]
