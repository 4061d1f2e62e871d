"""Linear cost for long parts: four steps of WeasyPrint 70.0 that grow with the square
of the pages (or notes) of one layout, replaced by equivalents that do not.

Measured on one synthetic document (bench/scale.py, CPU time): with them, 10.3 pages
per CPU second at 1,450 pages and 9.4 at 2,902; without them, 5.1 at 2,902 (the build
took 1.85 times as long). Each replacement gives the same result as the step it
replaces; only the cost differs.

1. `LayoutContext.footnotes`, the notes not yet placed, is a list, and the line layout
   asks of every box of every line whether its `footnote` is `in` it: the whole list is
   scanned for every box that calls no note (upstream `block.py` `_linebox_layout`, and
   the ported copy in linebox.py). `NoteQueue` is that list with membership by identity
   from a count of ids, as `in` would find it (boxes compare by identity).
2. `set_page_type_computed_styles` (upstream `layout/page.py`) walks every cascaded
   style of every page type made so far, for each new page, to find the margin boxes
   of the page's own type. Here only the page rules' pseudo types are looked up.
3. `layout_fixed_boxes` (upstream `layout/__init__.py`) is called twice per page with
   all the pages before and after it, and loops over them in Python even when no page
   has a fixed box. Here the pages without one are skipped at C speed.
4. `make_page` (upstream `layout/page.py`), at the end of every page, gathers the
   anchors (ids) of all the pages before it into a list and scans it for each anchor of
   the page. That bookkeeping serves page-based counter look-ups (`target-counter()`,
   `counter(pages)` in the content of a box of the flow): where the document has none
   (no `counter_lookup_items`), it decides nothing, so `remake_page` (which calls
   make_page) shows it no earlier pages to gather from. With a look-up, upstream's
   runs as it is.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

from weasyprint import layout as wp_layout
from weasyprint.layout import LayoutContext
from weasyprint.layout import page as wp_page

# WeasyPrint's own functions, captured before anything is patched.
STOCK = {
    "context_init": LayoutContext.__init__,
    "layout_fixed_boxes": wp_layout.layout_fixed_boxes,
    "remake_page": wp_page.remake_page,
}


# ------------------------------------------------------------------ 1. notes to place


class NoteQueue(list):
    """A list of footnote boxes whose `in` costs one look-up, not a scan.

    The mutating methods WeasyPrint uses (`append`, `remove`, `copy`), and the other
    list methods that add or take items, keep the count of each box's id in step.
    Removing the last item, which `make_page` does for every note carried to the next
    page (appended, then laid out at once), costs no scan either.
    """

    def __init__(self, items=()):
        super().__init__(items)
        self._count = Counter(map(id, self))

    def __contains__(self, item) -> bool:
        return self._count.get(id(item), 0) > 0

    def append(self, item) -> None:
        super().append(item)
        self._count[id(item)] += 1

    def extend(self, items) -> None:
        items = list(items)
        super().extend(items)
        self._count.update(map(id, items))

    def insert(self, index, item) -> None:
        super().insert(index, item)
        self._count[id(item)] += 1

    def remove(self, item) -> None:
        if self and self[-1] is item:
            super().pop()
        else:
            super().remove(item)  # raises ValueError as a list does
        self._forget(item)

    def pop(self, index=-1):
        item = super().pop(index)
        self._forget(item)
        return item

    def clear(self) -> None:
        super().clear()
        self._count.clear()

    def copy(self) -> NoteQueue:
        return NoteQueue(self)

    def __setitem__(self, index, value) -> None:
        raise TypeError("NoteQueue: assign by append/remove only")

    def __delitem__(self, index) -> None:
        raise TypeError("NoteQueue: delete by remove/pop only")

    def __iadd__(self, items):
        self.extend(items)
        return self

    def _forget(self, item) -> None:
        key = id(item)
        self._count[key] -= 1
        if not self._count[key]:
            del self._count[key]


def context_init(self, *args, **kwargs) -> None:
    """`LayoutContext.__init__`, with the notes to place in a NoteQueue."""
    STOCK["context_init"](self, *args, **kwargs)
    self.footnotes = NoteQueue(self.footnotes)


# ------------------------------------------------------------------ 2. page styles


def set_page_type_computed_styles(page_type, html, style_for) -> None:
    """Upstream's function, looking up this page type's margin boxes by key."""
    style_for.add_page_declarations(page_type)
    root = html.etree_element
    # @page inherits from the root element.
    style_for.set_computed_styles(page_type, root=root, parent=root,
                                  base_url=html.base_url)
    cascaded = style_for.get_cascaded_styles()
    for pseudo_type in _page_pseudo_types(style_for):
        if (page_type, pseudo_type) in cascaded:
            # The pseudo-element inherits from the page.
            style_for.set_computed_styles(page_type, pseudo_type=pseudo_type, root=root,
                                          parent=page_type, base_url=html.base_url)


def _page_pseudo_types(style_for) -> tuple[str, ...]:
    """The pseudo types (margin boxes, @footnote) any page rule of the sheets names:
    the only ones `add_page_declarations` can have cascaded for a page type."""
    found = getattr(style_for, "_edition_page_pseudo_types", None)
    if found is None:
        names: dict[str, None] = {}
        for sheet, _origin, _specificity in style_for._sheets:
            for _rule, selector_list, _declarations in sheet.page_rules:
                for _spec, pseudo_type, _page_selector in selector_list:
                    if pseudo_type:
                        names[pseudo_type] = None
        found = style_for._edition_page_pseudo_types = tuple(names)
    return found


# ------------------------------------------------------------------ 3. fixed boxes

_fixed_boxes = attrgetter("fixed_boxes")


def layout_fixed_boxes(context, pages, containing_page):
    """Upstream's generator, given only the pages that have fixed boxes."""
    return STOCK["layout_fixed_boxes"](context, list(filter(_fixed_boxes, pages)),
                                       containing_page)


# ------------------------------------------------------------------ 4. anchors of earlier pages


class _EarlierPagesHidden:
    """`context.page_maker` while one page is remade: every item, `len`, `append` and
    item assignment as they are, but the slice of the pages before the page
    (make_page's `page_maker[:page_number - 1]`) empty."""

    def __init__(self, page_maker: list):
        self._page_maker = page_maker

    def __getitem__(self, index):
        if isinstance(index, slice):
            return []
        return self._page_maker[index]

    def __setitem__(self, index: int, item) -> None:
        self._page_maker[index] = item

    def __len__(self) -> int:
        return len(self._page_maker)

    def append(self, item) -> None:
        self._page_maker.append(item)


def remake_page(index, context, root_box, html):
    """Upstream's, without gathering the anchors of earlier pages when no box's content
    looks up a page-based counter (see the module's docstring, 4).

    What the gathering would have decided: an anchor already seen on an earlier page
    (an element broken across pages) is not cached again for this page, and a look-up
    already refreshed is not refreshed again. Caching an anchor again only updates its
    target item's page, which nothing reads but a look-up; there is none."""
    if context.target_collector.counter_lookup_items:
        return STOCK["remake_page"](index, context, root_box, html)
    page_maker = context.page_maker
    context.page_maker = _EarlierPagesHidden(page_maker)
    try:
        return STOCK["remake_page"](index, context, root_box, html)
    finally:
        context.page_maker = page_maker
