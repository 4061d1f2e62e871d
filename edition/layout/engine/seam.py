"""The fifteen names of WeasyPrint 70.0 that the engine replaces while it lays out.

Imported only by `edition.layout.engine.patched()`, after the version check, so that an
unsupported WeasyPrint gives a one-line error rather than a failed import. `Patch.stock`
is the name's value when this module is first imported, before anything is patched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import weasyprint.layout as wp_layout
from weasyprint.layout import LayoutContext
from weasyprint.layout import block as wp_block
from weasyprint.layout import inline as wp_inline
from weasyprint.layout import page as wp_page

from edition.layout.engine import (
    footnotes,
    inflow,
    inlinetier,
    linebox,
    linebreak,
    notearea,
    scale,
    waiting,
)


@dataclass(frozen=True)
class Patch:
    owner: Any  # a module or a class
    name: str
    replacement: Callable
    stock: Callable = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stock", getattr(self.owner, self.name))

    @property
    def where(self) -> str:
        return f"{getattr(self.owner, '__name__', self.owner)}.{self.name}"


PATCHES: tuple[Patch, ...] = (
    # The ported line layout: notes split under their call, never pushed by orphans.
    Patch(wp_block, "_linebox_layout", linebox._linebox_layout),
    # The ported block layout: a block refused a break here first splits the page's last
    # note to make room.
    Patch(wp_block, "_in_flow_layout", inflow._in_flow_layout),
    # The note area with a height limit and the page's continuation. `page` and the
    # layout package (`LayoutContext._update_footnote_area`) each call it by this name.
    Patch(wp_page, "block_level_layout", footnotes.block_level_layout),
    Patch(wp_layout, "block_level_layout", footnotes.block_level_layout),
    # Continuations carried from page to page.
    Patch(wp_page, "make_page", footnotes.make_page),
    Patch(LayoutContext, "unlayout_footnote", footnotes.unlayout_footnote),
    Patch(LayoutContext, "layout_footnote", footnotes.layout_footnote),
    # A hanging space must not force a hyphen.
    Patch(wp_inline, "split_first_line", linebreak.split_first_line),
    # No more than two hyphenated lines in a row (linebreak.py): the name the ported line
    # layout calls; the apparatus paragraph's lines kept from one layout of the note
    # area to the next on a page (inlinetier.py).
    Patch(linebox, "iter_line_boxes", inlinetier.iter_line_boxes),
    # Linear cost for long parts (scale.py): the notes to place with membership in one
    # look-up, a page's own margin-box styles found by key, fixed boxes looked for only
    # on pages that have them, no earlier pages read back where nothing looks them up.
    Patch(LayoutContext, "__init__", scale.context_init),
    Patch(wp_page, "set_page_type_computed_styles", scale.set_page_type_computed_styles),
    Patch(wp_layout, "layout_fixed_boxes", scale.layout_fixed_boxes),
    Patch(wp_page, "remake_page", scale.remake_page),
    # Each note laid out once per page, not once per note added after it (notearea.py);
    # and the first page whose layout reaches each element with an id: a label pass
    # lays the part out again from the first page one of its turns can change
    # (relayout.record).
    Patch(inflow, "block_level_layout", notearea.block_level_layout),
    # A run of inline boxes with no break opportunity between them (one word of
    # thousands of emphasised letters) tried again from its start at each box that
    # overflows: each box tried once (waiting.py).
    Patch(wp_inline, "_break_waiting_children", waiting._break_waiting_children),
)


def stock(where: str) -> Callable:
    """WeasyPrint's own function for a patched name (`"weasyprint.layout.page.make_page"`)."""
    return next(p.stock for p in PATCHES if p.where == where)
