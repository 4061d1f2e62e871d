"""Things set in the margins: speaker labels (outer) and original page numbers (inner).

WeasyPrint has no `float: outside` (upstream #276). The renderer therefore sets each such
element twice, `ID` in the left margin and `ID-r` in the right one (`ids.recto`); after
pagination, when each page's side is known, the copy on the wrong side is taken out of
the box tree before drawing.
"""

from __future__ import annotations

from weasyprint.document import Document as WeasyDocument

from edition.layout.engine import boxes
from edition.model import ids


def is_recto_page(page) -> bool:
    return page._page_box.page_type.side == "right"


def place_labels(document: WeasyDocument, mode: str = "outer",
                 pages: range | None = None) -> None:
    """Keep one copy of each margin element per page (`pages`: of these indexes only).

    `mode` "outer" mirrors (books); "left" puts labels on the left of every page and
    what belongs in the inner margin on the right (handouts).
    """
    for index, page in enumerate(document.pages):
        if pages is not None and index not in pages:
            continue
        keep_right = {}
        for prefix, margin in ids.MARGIN_ELEMENTS.items():
            if mode == "left":
                keep_right[prefix] = margin == "inner"
            else:
                keep_right[prefix] = is_recto_page(page) == (margin == "outer")
        _drop_copies(page._page_box, keep_right)


def _drop_copies(box, keep_right: dict[str, bool]) -> None:
    children = getattr(box, "children", None)
    if not children:
        return
    kept = []
    for child in children:
        target = getattr(child, "_box", child)  # absolute placeholders wrap their box
        ident = margin_id(target)
        if ident is not None:
            if ids.is_recto(ident) != keep_right[ids.margin_kind(ident)]:
                continue
        _drop_copies(target, keep_right)
        kept.append(child)
    if len(kept) != len(children):
        # The whole list is kept: a part moved to the other side takes its other copies.
        if not hasattr(box, "_edition_copies"):
            box._edition_copies = children
        box.children = kept


def restore_labels(document: WeasyDocument) -> None:
    """Both copies of every margin element back, as before `place_labels`."""
    for page in document.pages:
        _restore(page._page_box)


def _restore(box) -> None:
    children = getattr(box, "_edition_copies", None)
    if children is not None:
        box.children = children
        del box._edition_copies
    for child in getattr(box, "children", None) or ():
        _restore(getattr(child, "_box", child))


def margin_id(box) -> str | None:
    """The id of a margin element's own box (not of its lines or text), else None."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) != "span":
        return None
    if isinstance(box, boxes.LineBox) or box.style["position"] != "absolute":
        return None
    ident = element.get("id") or ""
    return ident if ids.margin_kind(ident) is not None else None
