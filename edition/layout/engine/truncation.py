"""Margins at unforced page breaks: truncated, also between pages of one name.

css-break-3: "when an unforced break occurs between block-level boxes, any margins
adjoining the break are truncated to zero" after it; after a forced break they are kept.
WeasyPrint 70 counts a break as forced whenever the next page has a name
(`remake_page`: `forced_break = break != 'any' or next_page['page']`), and every page
of the body has one (`section.document { page: document }`): no margin was ever
truncated, and a document run on after another opened a page 3.9em low, a sub-heading
its space above it. A page is named by what begins on it; where that name is the
previous page's and no break property forced the break, it is unforced.

The handout's pages have no name: it truncated all along, and now the book does too.
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

