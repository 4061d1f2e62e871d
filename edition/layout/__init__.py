"""Pagination: WeasyPrint with true footnotes, labels in the outer margin, and a report.

`paginate` is a pure function of (HTML, stylesheets, where the part starts): runs of
documents can be laid out separately and joined later.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import CSS, HTML
from weasyprint.document import Document as WeasyDocument

from edition.layout import footnotes
from edition.layout.inspect import collect_report
from edition.layout.margins import place_labels
from edition.layout.report import LayoutReport


@dataclass
class LaidOut:
    document: WeasyDocument
    report: LayoutReport


def paginate(html: str, stylesheets: list[CSS], base_url: str, *,
             labels: str = "outer", url_fetcher=None, font_config=None,
             page_labels: list[str] | None = None) -> LaidOut:
    """Lay out one part of the book.

    `labels` is "outer" (recto right, verso left) or "left" (handouts: always left).
    `page_labels` names the printed folio of each page for the report, when known.
    """
    footnotes.install()
    kwargs = {"url_fetcher": url_fetcher} if url_fetcher else {}
    document = HTML(string=html, base_url=base_url, **kwargs).render(
        stylesheets=stylesheets, font_config=font_config)
    place_labels(document, mode=labels)
    report = collect_report(document, page_labels=page_labels)
    return LaidOut(document, report)
