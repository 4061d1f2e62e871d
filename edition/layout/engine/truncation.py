"""Margins at unforced page breaks: truncated, also between pages of one name.

css-break-3: "when an unforced break occurs between block-level boxes, any margins
adjoining the break are truncated to zero" after it; after a forced break they are kept.
WeasyPrint 70 counts a break as forced whenever the next page has a name
(`remake_page`: `forced_break = break != 'any' or next_page['page']`), and every page
of the body has one (`section.document { page: document }`): no margin was ever
truncated, and a document run on after another opened a page 3.9em low, a sub-heading
its space above it. A page is named by what begins on it; where that name is the
previous page's and no break property forced the break, it is unforced.

Only where the page begins with a document (a child of <body>, run on after another):
truncating every block's margin is right too, but it moves lines across pages inside
speeches, and the label passes do not yet handle a label broken across pages there
(its first piece alone is measured against its room).
"""

from __future__ import annotations


def unforced(context, page_number: int) -> bool:
    """Whether the break before page `page_number` (1-based) is unforced: no
    `break-before`/`break-after` forced it and the page keeps the previous page's name."""
    maker = context.page_maker
    if page_number < 2 or len(maker) < page_number:
        return False
    this, before = maker[page_number - 1][1], maker[page_number - 2][1]
    return this["break"] == "any" and bool(this["page"]) and this["page"] == before["page"]


def at_document_start(resume_at) -> bool:
    """Whether a page resuming at `resume_at` begins with one of <body>'s children
    (html → body → child k, at its start): a document, not a block inside one."""
    if not isinstance(resume_at, dict) or len(resume_at) != 1:
        return False
    (body,) = resume_at.values()
    if not isinstance(body, dict) or len(body) != 1:
        return False
    (inner,) = body.values()
    return inner is None
