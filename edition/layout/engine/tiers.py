"""The note area's tiers: a critical apparatus above the footnotes, or below them.

WeasyPrint lays a page's notes out in the order their calls are met. A note of the first
tier goes instead after the page's other notes of that tier and before the rest, so the
tiers stand apart whatever the order of lemmas and calls. The first tier is the
apparatus's entries (`.app-entry`, see edition/model/ids.py) unless the HTML says
otherwise: with `[apparatus] tier = "below"` the footnotes carry `data-tier="1"`.

Between the two tiers of a page stands the rule the note area stands under (its
`@footnote` margin, padding and background, book.css): the first note of the second
tier is given them (`rule_between`), so the rule takes its room in the layout and looks
like the area's own, and a page with one tier only has the area's rule alone.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes

from edition.model import ids

# What the note area's rule is made of (its `@footnote` style), given to the second tier.
RULE_PROPERTIES = ("margin_top", "padding_top", "background_image", "background_size",
                   "background_position", "background_repeat", "background_origin",
                   "background_clip", "background_attachment")


def first_tier(footnote: Any) -> bool:
    """Whether the note box is of the first tier."""
    element = getattr(footnote, "element", None)
    if element is None:
        return False
    if element.get("data-tier"):
        return element.get("data-tier") == "1"
    return element.get("id", "").startswith(ids.APPARATUS_ENTRY)


def place(notes: list[Any], footnote: Any) -> None:
    """Insert `footnote` into the page's notes at its tier's end."""
    if not first_tier(footnote):
        notes.append(footnote)
        return
    index = len(notes)
    while index and not first_tier(notes[index - 1]):
        index -= 1
    notes.insert(index, footnote)


def tier_of(child: Any) -> bool:
    """Whether a child of the laid-out note area is of the first tier: a note, or the
    anonymous block that runs the inline entries on as one paragraph."""
    if first_tier(child):
        return True
    # The inline entries are wrapped in an anonymous block holding one line box.
    lines = [box for box in getattr(child, "children", ()) if isinstance(box, boxes.LineBox)]
    return any(first_tier(entry) for line in lines for entry in line.children)


def rule_between(context: Any, area: Any) -> None:
    """Give the first child of the note area's second tier the area's rule (margin,
    padding, background), when the page has both tiers. `area` is the copy the layout
    is about to lay out (its anonymous blocks made), changed in place."""
    children = area.children
    for index in range(1, len(children)):
        if tier_of(children[index]) != tier_of(children[index - 1]):
            children[index] = _ruled(context, area.style, children[index])
            return


def _ruled(context: Any, area_style: Any, child: Any) -> Any:
    """`child` with the area's rule, its style made once per style and area style: the
    note area's layouts of a note are kept by the identity of its style (notearea.py)."""
    made = getattr(context, "edition_tier_rules", None)
    if made is None:
        made = context.edition_tier_rules = {}
    key = (id(child.style), id(area_style))
    if key not in made:
        style = child.style.copy()
        for name in RULE_PROPERTIES:
            style[name] = area_style[name]
        # The originals kept alive with it, so that their ids are never reused.
        made[key] = (child.style, area_style, style)
    ruled = child.copy()  # its margin and padding are resolved from the style in layout
    ruled.style = made[key][2]
    return ruled
