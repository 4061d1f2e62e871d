"""Speaker labels in the outer margin.

WeasyPrint has no `float: outside` (upstream #276). The renderer therefore sets every
label twice, once in each margin; after pagination, when each page's side is known, the
copy on the inner side is taken out of the box tree before drawing.
"""

from __future__ import annotations

from weasyprint.document import Document as WeasyDocument
from weasyprint.formatting_structure import boxes

RECTO_SUFFIX = "-r"


def is_recto(page) -> bool:
    return page._page_box.page_type.side == "right"


def place_labels(document: WeasyDocument, mode: str = "outer") -> None:
    """Keep one label per turn: the outer one ("outer"), or the left one ("left")."""
    for page in document.pages:
        keep_right = mode == "outer" and is_recto(page)
        _drop_labels(page._page_box, drop_recto_copy=not keep_right)


def _drop_labels(box, drop_recto_copy: bool) -> None:
    children = getattr(box, "children", None)
    if not children:
        return
    kept = []
    for child in children:
        target = getattr(child, "_box", child)  # absolute placeholders wrap their box
        label_id = _label_id(target)
        if label_id is not None and label_id.endswith(RECTO_SUFFIX) == drop_recto_copy:
            continue
        _drop_labels(target, drop_recto_copy)
        kept.append(child)
    if len(kept) != len(children):
        box.children = kept


def _label_id(box) -> str | None:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) != "span":
        return None
    if isinstance(box, boxes.LineBox) or box.style["position"] != "absolute":
        return None
    ident = element.get("id") or ""
    return ident if ident.startswith("label-") else None
