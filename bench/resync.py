"""Resync: does a layout begun mid-document meet the whole document's pages again?

    python bench/resync.py [--notes 1500] [--fractions 0.25 0.5 0.75]

One dense synthetic document (synthetic.write_single, about ten notes a page) is laid
out whole, and again with the first `fraction` of its text's blocks removed, so that
the rest begins on a fresh page. Pages are compared by the text of their flow and note
area (not their margin boxes: running heads and folios differ by place). The line per
fraction says from which page of the part (and of the whole) every following page is
the same to the end, or that none is. Where they meet, one long document could be laid
out in parallel with the pages of one layout: a worker begun at a block further on
gives the pages from the meeting point, the worker before it stops there.
The last line is one JSON object: {"pages": …, "blocks": …, "parts": [{"fraction",
"pages", "meets": [whole page, part page] or null}]} (pages counted from 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def _pages(html: str, css: list, fonts) -> list[str]:
    """The text of each page's flow and note area."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from edition.layout import engine
    from edition.render import STYLES_DIR

    with engine.patched():
        document = HTML(string=html, base_url=STYLES_DIR.as_uri() + "/").render(
            stylesheets=css, font_config=fonts)
    return [" ".join(box.text for child in page._page_box.children
                     if not isinstance(child, boxes.MarginBox)
                     for box in child.descendants() if isinstance(box, boxes.TextBox))
            for page in document.pages]


def _without_first(html: str, fraction: float) -> str:
    """The document with the first `fraction` of its text's blocks removed."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    text = tree.find_class("doc-text")[0]
    for block in list(text)[: int(len(text) * fraction)]:
        text.remove(block)
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def meets(whole: list[str], part: list[str]) -> tuple[int, int] | None:
    """(whole page, part page) from which the part's pages are the whole's to the end."""
    for start in range(len(part)):
        tail = part[start:]
        if len(tail) <= len(whole) and whole[len(whole) - len(tail):] == tail:
            return len(whole) - len(tail), start
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=1500)
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 0.75])
    args = parser.parse_args()

    import lxml.html
    from synthetic import write_single

    from edition.build import load
    from edition.render import font_config, render_body, stylesheets

    fonts = font_config()
    with tempfile.TemporaryDirectory() as tmp:
        volume, _ = load(write_single(Path(tmp), notes=args.notes, dense=True))
        html = render_body(volume)
    css = stylesheets(volume.settings, "book", fonts)
    start = time.perf_counter()
    whole = _pages(html, css, fonts)
    blocks = len(lxml.html.fromstring(html).find_class("doc-text")[0])
    print(f"whole: {len(whole)} pages, {blocks} blocks, "
          f"{time.perf_counter() - start:.1f} s", flush=True)
    out = {"pages": len(whole), "blocks": blocks, "parts": []}
    for fraction in args.fractions:
        part = _pages(_without_first(html, fraction), css, fonts)
        found = meets(whole, part)
        out["parts"].append({"fraction": fraction, "pages": len(part),
                             "meets": list(found) if found else None})
        where = (f"meets the whole from its page {found[1] + 1} (the whole's "
                 f"{found[0] + 1})" if found else "never meets the whole")
        print(f"without the first {fraction:.0%}: {len(part)} pages; {where}", flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
