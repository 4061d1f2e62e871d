"""A part laid out on its own, then given its place in the book: first folio and side.

Runs of documents are laid out separately (in worker processes) before the page count of
the runs before them is known. What their place changes is not the pagination, which
depends only on the text block, but three things WeasyPrint settles per page:

- the page's side: the page rules that match (`:left`/`:right`: mirrored margins), so
  the content moves across by the difference of the inner and outer margins;
- the folio: the `page` counter the margin boxes print;
- the margin boxes themselves (running heads differ by side).

`place` changes those on a laid-out part, as if the part had been laid out at its place.
WeasyPrint makes the margin boxes after pagination (`layout_document`'s last loop, from
`context.page_maker`), so they are made again here the same way. The layout context of
the most recent render in this thread is kept by the footnote stage's `make_page`.
"""

from __future__ import annotations

import threading

from weasyprint.document import gather_anchors
from weasyprint.formatting_structure import boxes
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import (
    PageType,
    make_margin_boxes,
    page_height,
    page_width,
    set_page_type_computed_styles,
)
from weasyprint.layout.percent import resolve_percentages

_last = threading.local()


def remember(context) -> None:
    """Called by every page the engine makes: the context of the render in progress."""
    _last.context = context


def take_context():
    """The layout context of this thread's most recent render (then forgotten)."""
    context = getattr(_last, "context", None)
    _last.context = None
    return context


def place(document, html, context, first_folio: int, first_right: bool,
          total: int | None = None) -> list[int]:
    """Give the laid-out `document` (rendered from `html`, the WeasyPrint HTML object,
    with `context`) the folios from `first_folio` and a first page on the right or left;
    `total`, when given, is what `counter(pages)` prints ("page x of y" of the book).

    Returns the indexes of the pages whose side changed (their labels must be placed
    again: margins.place_labels).
    """
    places = [(first_folio + index, first_right == (index % 2 == 0))
              for index in range(len(document.pages))]
    return place_pages(document, html, context, places, total)


def place_pages(document, html, context, places: list[tuple[int, bool]],
                total: int | None = None) -> list[int]:
    """As `place`, each page given its own folio and side (`places`, one per page): the
    pages of one side of texts set on facing pages go to every other folio."""
    flipped = []
    for index, (page, (folio, right)) in enumerate(zip(document.pages, places, strict=True)):
        page_box = page._page_box
        flip = _is_right(page) != right
        offset = folio - 1 - index
        if flip:
            _flip(page_box, html, context)
            flipped.append(index)
        if flip or offset or total:
            _remake_margin_boxes(page_box, context, index, offset, total)
            _regather(page, page_box)
    return flipped


def _is_right(page) -> bool:
    return page._page_box.page_type.side == "right"


def _flip(page_box, html, context) -> None:
    """The other side's page rules, and the content moved across with its margins."""
    old = page_box.page_type
    page_type = PageType("left" if old.side == "right" else "right", old.blank, old.name,
                         old.index, old.groups)
    set_page_type_computed_styles(page_type, html, context.style_for)
    style = context.style_for(page_type)
    style["overflow"] = page_box.style["overflow"]
    before_x, before_width = page_box.content_box_x(), page_box.width
    page_box.page_type, page_box.style = page_type, style
    resolve_percentages(page_box, style["size"])
    width, height = style["size"]
    page_width(page_box, context, width)
    page_height(page_box, context, height)
    if abs(page_box.width - before_width) > 0.01:
        raise ValueError("the left and right pages have text blocks of different widths")
    dx = page_box.content_box_x() - before_x
    for child in page_box.children:
        if not isinstance(child, boxes.MarginBox):
            child.translate(dx, 0)


def _remake_margin_boxes(page_box, context, index: int, offset: int,
                         total: int | None) -> None:
    """Margin boxes made again, as layout_document makes them, with the folio moved on."""
    state = context.page_maker[index + 1][3]
    counters = state[1]
    if total:
        counters["pages"] = [total]
    if offset and not getattr(page_box, "_edition_folio_moved", False):
        counters["page"] = [value + offset for value in counters.get("page", [index + 1])]
        page_box._edition_folio_moved = True
    context.current_page = index + 1
    kept = [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]
    page_box.children = tuple(kept) + tuple(make_margin_boxes(context, page_box, state))
    layout_backgrounds(page_box, context.get_image_from_uri)


def _regather(page, page_box) -> None:
    """The page's anchors, links and bookmarks read again from its moved boxes."""
    page.anchors.clear()
    page.links.clear()
    page.bookmarks.clear()
    page.forms = {None: []}
    gather_anchors(page_box, page.anchors, page.links, page.bookmarks, page.forms)
