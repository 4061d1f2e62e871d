"""Make-up by looseness: a short page filled with lines, not with space.

A page of running text can end short before more of its flow for reasons that no spacing
on the page removes: the next line calls a note that will not fit under it, a paragraph's
widows go over together, the next document's head, dateline and source note need more
room than is left. Feathering (makeup.py) spreads up to a few lines of such slack between
the page's blocks; beyond that, or where the page breaks inside a paragraph, the page is
left short.

A compositor fills such a page by setting one or more of its paragraphs a little looser,
so that each makes one line more ("looseness", TeX's `\\looseness=1`). Only paragraphs
that begin and end on the page, or on the REACH pages before it (their lines then run on
to it), are loosened, and together by no more lines than the page has to spare, so the
page still ends where it ended: the next page begins as before and the rest of the part
is kept (engine/relayout.py lays out again only the pages near each loosened one).

How loose a paragraph must be set to make one line more is estimated from its last line
(the room left in it, shared out among the paragraph's word spaces) and bounded
(MAX_WORD_SPACING). The estimate is checked on the pages laid out again: a loosening
that did not leave its page ending where it did, or left it no fuller, is withdrawn and
the pages laid out again without it (two more layouts of those pages at most). Only
pages 2 lines short or more after feathering are loosened: what a page short by less
shows is feathered away.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import CSS

from edition.layout import makeup
from edition.layout.engine import boxes
from edition.layout.engine.relayout import MARK
from edition.layout.report import LayoutReport

# No paragraph is set looser than this much added to each word space (em).
MAX_WORD_SPACING = 0.12
# Less than this does not change a line break often enough to be worth a layout (em).
MIN_WORD_SPACING = 0.04
# The room the estimate asks for beyond the last line's, as a share: the last word
# pushed over must fit whole, and justified lines absorb part of what is added.
MARGIN = 1.6
# A page this many lines short (or more) before more of its flow, after feathering, is
# worth loosening (the preflight's short page).
SHORT_LINES = 2.0
# Pages before a short page whose paragraphs may be loosened to run lines on to it.
REACH = 2
# A paragraph of fewer lines has too few spaces to take a line more unseen.
MIN_LINES = 3


def mark(root) -> None:
    """Give every paragraph of the documents a key that a rule can select."""
    for count, element in enumerate(root.iter("p")):
        if element.get(MARK) is None:
            element.set(MARK, f"p{count}")


@dataclass(frozen=True)
class Loosening:
    """One paragraph set looser by `em` per word space, to fill page `page`."""

    key: str
    page: int
    em: float

    def rule(self) -> str:
        return f'[{MARK}="{self.key}"] {{ word-spacing: {self.em:.3f}em }}'


def css(plan_: list[Loosening]) -> CSS:
    return CSS(string="\n".join(one.rule() for one in plan_))


def plan(document, report: LayoutReport) -> list[Loosening]:
    """The paragraphs to set looser: for every short page, as many as it has whole lines
    to spare, those that need the least loosening, on the page itself or on the REACH
    pages before it (their lines then run on to it; none before an earlier short
    page, nor before a forced break)."""
    pages_of = _pages_of(document)
    found: list[Loosening] = []
    after = 0  # the first page the next short page's paragraphs may be on
    for info in report.pages:
        if info.before_break or info.notes_only or info.short_by < SHORT_LINES:
            if info.before_break:
                after = info.index + 1
            continue
        region = range(max(after, info.index - REACH), info.index + 1)
        after = info.index + 1
        options = []
        for page in region:
            page_box = document.pages[page]._page_box
            options += [(em, key) for key, em in _candidates(page_box, region, pages_of)]
        spare = int(info.short_by + 0.05)
        found += [Loosening(key, info.index, em) for em, key in sorted(options)[:spare]]
    return found


def withdrawn(plan_: list[Loosening], before: LayoutReport, after: LayoutReport,
              ends_before: list, ends_after: list) -> set[Loosening]:
    """The loosenings that did not do what they were for: those whose page no longer
    ends where it ended (`ends_*`: where each page's text resumes; too loose, or the
    pages moved: the first such page's and all after it), and those whose page is no
    fuller (too slight)."""
    bad: set[Loosening] = set()
    moved = False
    for one in sorted(plan_, key=lambda p: p.page):
        page = one.page
        if moved or page + 1 >= len(ends_after) or ends_after[page + 1] != ends_before[page + 1]:
            bad.add(one)
            moved = True
        elif _newly_short(before, after, page) or \
                after.pages[page].short_by > before.pages[page].short_by - 0.5:
            bad.add(one)
    return bad


def _newly_short(before: LayoutReport, after: LayoutReport, page: int) -> bool:
    """Whether a page before `page`, in its reach, ends shorter now than before."""
    return any(now.short_by >= SHORT_LINES and now.short_by > then.short_by + 0.5
               for then, now in zip(before.pages[max(page - REACH, 0):page],
                                    after.pages[max(page - REACH, 0):page], strict=True))


def _pages_of(document) -> dict[str, set[int]]:
    """For each marked paragraph, the pages it has boxes on."""
    found: dict[str, set[int]] = {}
    for index, page in enumerate(document.pages):
        for block in makeup._leaves(page._page_box):
            element = getattr(block, "element", None)
            key = element.get(MARK) if element is not None else None
            if key:
                found.setdefault(key, set()).add(index)
    return found


def _candidates(page_box, region: range, pages_of: dict[str, set[int]]):
    """(key, em) for each paragraph of the page, wholly within `region`, that can take
    a line more."""
    for block in makeup._leaves(page_box):
        element = getattr(block, "element", None)
        key = element.get(MARK) if element is not None else None
        if not key or not pages_of.get(key, {-1}) <= set(region):
            continue
        if block.style["text_align_all"] != "justify":
            continue
        em = _loosening(block)
        if em is not None:
            yield key, em


def _loosening(block) -> float | None:
    """The word spacing (em) that should make the paragraph one line longer, if within
    bounds."""
    lines = [child for child in block.children if isinstance(child, boxes.LineBox)]
    if len(lines) < MIN_LINES:
        return None
    last = lines[-1]
    right = max((child.position_x + child.margin_width() for child in last.children),
                default=last.position_x)
    room = block.content_box_x() + block.width - right
    spaces = sum(text.text.count(" ") for line in lines[:-1]
                 for text in line.descendants() if isinstance(text, boxes.TextBox))
    size = block.style["font_size"]
    if spaces < 4 or not size:
        return None
    em = max(room * MARGIN / spaces / size, MIN_WORD_SPACING)
    return em if em <= MAX_WORD_SPACING else None
