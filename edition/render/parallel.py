"""An original and its translation set side by side (a handout: `Profile.parallel`
"columns"): one table, a row per section pair, so that each pair starts at the same
height; a row's cells break across pages (docs/facing.md).

Each side of a row is marked at its start and end (`ids.parallel`): the preflight
finds the pages of every section's side by these marks.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from edition.model import Document, Pair, ids
from edition.render.html import HtmlRenderer

Values = dict[str, object]


def section_pieces(renderer: HtmlRenderer, doc: Document) -> list[Markup]:
    """The HTML of each of the document's sections, in order."""
    return [renderer.blocks(doc.body[section.start:section.end])
            for section in doc.sections]


def columns(number: int, pair: Pair, original: Values, translation: Values) -> Markup:
    """The pair's text as a two-column table; `original` and `translation` are the two
    documents' template values, their `body` the list of their sections' HTML."""
    pieces = {"o": original["body"], "t": translation["body"]}
    position = {id(section): k for k, section in enumerate(pair.translation.sections)}
    rows = [_row("", f'<h2 class="parallel-title">{translation["title"]}</h2>',
                 translation, "parallel-head")]
    for k, (left, right) in enumerate(pair.sections):
        original_html = pieces["o"][pair.original.sections.index(left)]
        translation_html = pieces["t"][position[id(right)]] if right is not None else ""
        rows.append(_row(_marked(number, "o", k, original_html),
                         _marked(number, "t", k, translation_html), translation))
    return Markup('<table class="parallel">\n<colgroup><col class="parallel-original">'
                  '<col class="parallel-translation"></colgroup>\n<tbody>\n'
                  + "\n".join(rows) + "\n</tbody>\n</table>")


def _row(left: str, right: str, translation: Values, kind: str = "parallel-row") -> str:
    return (f'<tr class="{kind}"><td class="parallel-side parallel-original">{left}</td>'
            f'<td class="parallel-side parallel-translation" '
            f'lang="{escape(translation["lang"])}">{right}</td></tr>')


def _marked(number: int, side: str, k: int, html: str) -> str:
    """A side's HTML between its start and end marks (empty blocks the layout finds)."""
    start, end = ids.parallel(number, side, k), ids.parallel(number, side, k, end=True)
    return (f'<div class="parallel-mark" id="{start}"></div>{html}'
            f'<div class="parallel-mark" id="{end}"></div>')


def facing_sides(number: int, pair: Pair, original: Values | None,
                 translation: Values | None
                 ) -> tuple[list[Values | None], list[Values | None]]:
    """The template values of each side of each section pair, for facing pages: the
    original's sections and the translation's (None where it has none), in the
    original's order. A side's first section carries its document's head and headnote,
    its last the colophon; the others are `continued` (no head, only the strings of the
    running heads)."""
    assert original is not None and translation is not None
    position = {id(section): k for k, section in enumerate(pair.translation.sections)}
    left = _sides(original, pair.original.sections.index, [o for o, _ in pair.sections],
                  (number, "o"))
    right = _sides(translation, lambda section: position[id(section)],
                   [t for _, t in pair.sections], (number, "t"))
    return left, right


def _sides(values: Values, index, sections: list, mark: tuple[int, str]
           ) -> list[Values | None]:
    """Each section's values; `mark`: the pair's number and the side, for the marks."""
    pieces = values["body"]
    assert isinstance(pieces, list)
    out: list[Values | None] = []
    for row, section in enumerate(sections):
        if section is None:
            out.append(None)
            continue
        k = index(section)
        side = dict(values, body=Markup(_marked(*mark, row, pieces[k])))
        if k > 0:
            side.update(continued=True, headnote="", date="")
        if k < len(pieces) - 1:
            side["colophon"] = ""
        out.append(side)
    return out
