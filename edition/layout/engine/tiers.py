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

An apparatus too long for its page (the last resort: the lemmas' lines stand there
already) has its last entries reported to the next page, where they are laid out first;
the first of them begins with its `data-cont` term, "(cont.)" in the edition's language
(`mark_continued`), and the preflight warns of it (inspect.py, preflight.py).

A lemma of several words that runs onto the next page is cited by both ends, "28–p. 5,
2" (`[apparatus] across`, in the slot's `data-across`): once the page's text is laid
out, the lemmas its break falls inside are known (the path of the body's resume point),
and the page's last layout of its note area widens those entries' line-number slots
(`widen`), kept only where the area comes out no taller (footnotes.py), so that the text
laid out against the area still fits; pdf/lines.py fills the slot.
"""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes

from edition.model import ids

# The width a citation's character may take at most, in ems of the entry (figures and
# letters of the book's faces are narrower; spaces and stops narrower still): the
# slot's room for the citation's end.
CHARACTER_EM = 0.55
NARROW_EM = 0.3
NARROW = frozenset(" .,;:")
# The folio's figures the room is made for.
FOLIO_DIGITS = 3

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


def is_entries(child: Any) -> bool:
    """Whether a child of the note area is the anonymous block of the inline entries."""
    return getattr(child, "element", None) is not None and not first_tier(child) \
        and tier_of(child)


def mark_continued(area: Any, reported: tuple) -> None:
    """Put the term "(cont.)" before the first entry of the area's apparatus that was
    reported to this page from the one before (`reported`: the elements of the notes
    reported to the page). `area` is the copy about to be laid out, changed in place."""
    if not area.children:
        return
    # The entries' line: the area's own when it holds entries only, else in the
    # anonymous block that wraps them.
    first = area.children[0]
    lines = [first] if isinstance(first, boxes.LineBox) else first.children if \
        is_entries(first) else []
    for line in lines:
        for index, entry in enumerate(line.children):
            element = getattr(entry, "element", None)
            if any(element is other for other in reported):
                term = element.get("data-cont")
                if term:
                    mark = boxes.TextBox.anonymous_from(entry, f"{term} ")
                    line.children = [*line.children[:index], mark, *line.children[index:]]
                return


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


def across_em(form: str) -> float:
    """The room (ems) a slot needs beyond its line number for the end of a lemma that
    runs onto the next page, cited as `form` says."""
    text = form.format(line="", page="0" * FOLIO_DIGITS, end="00")
    return sum(NARROW_EM if char in NARROW else CHARACTER_EM for char in text)


def crossing_lemmas(root: Any, resume_at: Any) -> set[str]:
    """The ids of the lemmas the page's break falls inside: the lemma spans on the path
    from the page's root box to where the text resumes."""
    found: set[str] = set()
    box, stack = root, resume_at
    while isinstance(stack, dict) and len(stack) == 1 and not isinstance(box, boxes.TextBox):
        (index, stack), = stack.items()
        children = getattr(box, "children", None) or []
        if index >= len(children):
            break
        box = children[index]
        element = getattr(box, "element", None)
        ident = (element.get("id") or "") if element is not None else ""
        if ident.startswith(ids.APPARATUS) and ids.apparatus_of(ident) is None:
            found.add(ident)
    return found


def widen(context: Any, box: Any, lemmas: set[str]) -> bool:
    """Widen, in the note area copy `box` (changed in place), the line-number slots of
    the entries of `lemmas` by their citation's end; whether any was widened."""
    slots = {ids.apparatus_line(lemma) for lemma in lemmas}
    widened = False
    for child in getattr(box, "children", None) or []:
        element = getattr(child, "element", None)
        if (element is not None and element.get("id") in slots and element.get("data-across")
                and not isinstance(child, boxes.TextBox)):
            child.style = _wide(context, child.style, element.get("data-across"))
            widened = True
        elif widen(context, child, lemmas):
            widened = True
    return widened


def _wide(context: Any, style: Any, form: str) -> Any:
    """The slot's style made wider by `form`'s end, made once per style and form."""
    made = getattr(context, "edition_wide_slots", None)
    if made is None:
        made = context.edition_wide_slots = {}
    key = (id(style), form)
    if key not in made:
        wide = style.copy()
        width = style["width"]
        wide["width"] = type(width)(width.value + across_em(form) * style["font_size"], "px")
        made[key] = (style, wide)
    return made[key][1]
