"""Make-up by looseness: a short page filled with lines, not with space.

A page of running text can end short before more of its flow for reasons that no spacing
on the page removes: the next line calls a note that will not fit under it, a paragraph's
widows go over together, the next document's head, dateline and source note need more
room than is left. Feathering (makeup.py) spreads up to a few lines of such slack between
the page's blocks; beyond that, or where the page breaks inside a paragraph, the page is
left short.

A compositor fills such a page by setting one or more of its paragraphs a little looser,
so that each makes one line more ("looseness", TeX's `\\looseness=1`). Paragraphs that
begin and end on the page, or on the REACH pages before it (their lines then run on to
it), are loosened, and together by no more lines than the page has to spare, so the page
still ends where it ended: the next page begins as before and the rest of the part is
kept (engine/relayout.py lays out again only the pages near each loosened one). So may the
paragraph broken at the page's foot: the page then ends a line further into it, the next
page begins with as many of its lines as before (its widows, the call line whose note
held the page short), and the page after that as before.

How loose a paragraph must be set to make one line more is estimated from its last line
(the room left in it, shared out among all the paragraph's word spaces) and bounded
(MAX_WORD_SPACING). The estimate is checked on the pages laid out again: the loosenings of
a page whose text no longer resumes where it did after them, or that left it no fuller,
are withdrawn and the pages laid out again without them (two more layouts of those pages
at most). Where a loosening did move the pages after it (the widows and their note now
fit), those pages were laid out anew: the whole layout is kept when it has fewer make-up
faults than the withdrawal is expected to leave (`kept_whole`). Only pages 2 lines short
or more after feathering are loosened: what a page short by less shows is feathered away.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import CSS

from edition.layout import makeup
from edition.layout.engine import boxes
from edition.layout.engine.relayout import MARK
from edition.layout.preflight import makeup_findings
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
    """One paragraph set looser by `em` per word space, to fill page `page`; its last
    line stands on page `until` (the page itself, or the next, when the paragraph is
    broken at the page's foot)."""

    key: str
    page: int
    em: float
    until: int

    def rule(self) -> str:
        return f'[{MARK}="{self.key}"] {{ word-spacing: {self.em:.3f}em }}'


def css(plan_: list[Loosening]) -> CSS:
    return CSS(string="\n".join(one.rule() for one in plan_))


def plan(document, report: LayoutReport) -> list[Loosening]:
    """The paragraphs to set looser: for every short page, as many as it has whole lines
    to spare, those that need the least loosening, on the page itself or on the REACH
    pages before it (their lines then run on to it; none before an earlier short
    page, nor before a forced break), or broken at its foot (the page then ends a line
    further into it, and the next page begins with as many of its lines as before)."""
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
        within = set(region) | {info.index + 1}
        options = sorted((em, key) for key, em in _candidates(document, region, within,
                                                               pages_of))
        spare = int(info.short_by + 0.05)
        found += [Loosening(key, info.index, em, max(pages_of[key]))
                  for em, key in options[:spare]]
    return found


def withdrawn(plan_: list[Loosening], before: LayoutReport, after: LayoutReport,
              ends_before: list, ends_after: list) -> set[Loosening]:
    """The loosenings that did not do what they were for, page by page: those of a page
    whose text no longer resumes where it did after the last page they reach (`ends_*`:
    where each page's text resumes; too loose, or the pages moved: theirs and all after
    them), and those of a page no fuller (too slight) or that left a page they reach
    short."""
    bad: set[Loosening] = set()
    moved = False
    by_page: dict[int, list[Loosening]] = {}
    for one in plan_:
        by_page.setdefault(one.page, []).append(one)
    for page, ones in sorted(by_page.items()):
        until = max(one.until for one in ones)
        end = until + 1
        if moved or end >= len(ends_after) or ends_after[end] != ends_before[end]:
            bad.update(ones)
            moved = True
        elif _newly_short(before, after, range(max(page - REACH, 0), until + 1)) or \
                after.pages[page].short_by > before.pages[page].short_by - 0.5:
            bad.update(ones)
    return bad


def kept_whole(plan_: list[Loosening], bad: set[Loosening], before: LayoutReport,
               after: LayoutReport) -> bool:
    """Whether to keep the layout with the whole plan, though `bad` would be withdrawn:
    where a loosening moved a page's end (the widows of a paragraph broken at the foot
    now fit, with their notes) the pages after it were laid out anew, and the part may
    be better so. Kept when it has fewer make-up faults (short pages, unlevel spreads,
    headings at a foot) than the withdrawal is expected to leave (those before, less the
    pages the good loosenings filled): as many is no gain for paragraphs set looser."""
    good_pages = {one.page for one in plan_ if one not in bad}
    filled = sum(after.pages[page].short_by < SHORT_LINES for page in good_pages)
    return len(makeup_findings(after)) < len(makeup_findings(before)) - filled


def _newly_short(before: LayoutReport, after: LayoutReport, pages: range) -> bool:
    """Whether one of `pages` (those a loosening reached) ends short now, and shorter
    than before."""
    return any(after.pages[i].short_by >= SHORT_LINES
               and after.pages[i].short_by > before.pages[i].short_by + 0.5 for i in pages)


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


def _candidates(document, region: range, within: set[int], pages_of: dict[str, set[int]]):
    """(key, em) for each paragraph on the pages of `region`, and on none but `within`,
    that can take a line more: one per paragraph, however many pages it stands on."""
    pieces: dict[str, list] = {}
    for page in region:
        for block in makeup._leaves(document.pages[page]._page_box):
            element = getattr(block, "element", None)
            key = element.get(MARK) if element is not None else None
            if key and pages_of.get(key, {-1}) <= within \
                    and block.style["text_align_all"] == "justify":
                pieces.setdefault(key, []).append(block)
    for key, blocks in pieces.items():
        em = _loosening(blocks)
        if em is not None:
            yield key, em


def _loosening(pieces: list) -> float | None:
    """The word spacing (em) that should make a paragraph one line longer, if within
    bounds; `pieces`: its boxes, page after page.

    The room to fill is that of its last line (a piece broken at a page's foot ends in
    a full line), shared out among the word spaces of all its other lines."""
    lines = [child for block in pieces for child in block.children
             if isinstance(child, boxes.LineBox)]
    if len(lines) < MIN_LINES:
        return None
    block, last = pieces[-1], lines[-1]
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
