"""A part laid out again from the first page a change of style can reach.

Speaker labels are fitted by laying a part out again with a few rules by id, for the
turns concerned (layout/__init__.py, `LabelFixes`). The rules change the style of those
turns' subtrees only, so a page whose layout never laid out a box of such a turn cannot
change: `resume` keeps the previous layout's pages before the first page that laid out
one (`touch` records, per element id, the first page whose layout reached it; a turn
pushed from the foot of a page counts for that page too) and lays out the rest anew.

What it takes from the previous layout, the state at the top of that page:

- WeasyPrint's own (`context.page_maker[k]`: where the text resumes, the page's side and
  name, the page counters), which WeasyPrint itself uses to lay one page out again.
  The skip stack leads to a box before the changed turns, so it holds in the new box
  tree even where a rule changes the structure inside a turn (`display: none`).
- The notes' (footnotes.PageEntry, kept on every page box): those reported to the page
  and its continuation, found in the new tree by element. The notes still to place
  are the part's notes less those in the note areas of the kept pages and those
  reported; a note whose call was laid out already is never looked up again.

After the loop, as `layout_document` does: the page counts, the strings set, the margin
boxes of every page (the total may have changed) and the backgrounds. Should a later
page begin where the previous layout's did, past every changed turn and with the same
notes carried in, its pages are the previous layout's from there on: they are reused.

A turn that the first page reaches is laid out again from the top, in the same way:
only the pages past it that begin as before are kept. WeasyPrint's progress messages
are logged as `make_all_pages` logs them ("Page N", or "(up-to-date)" for one kept).

Anything this does not carry over makes `resume` return None, and the part is laid out
whole: page-based counter look-ups (`target-counter()`, `counter(pages)` in the flow),
running elements, fixed boxes, a float broken across the page's top, WeasyPrint's
re-pagination in either layout.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from weasyprint import DEFAULT_OPTIONS
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.layout import block as wp_block
from weasyprint.layout import page as wp_page
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import make_margin_boxes
from weasyprint.logger import PROGRESS_LOGGER
from weasyprint.text.fonts import FontConfiguration

from edition.layout.engine import footnotes, scale

STOCK_BLOCK_LEVEL_LAYOUT = wp_block.block_level_layout


# The attribute the make-up gives the paragraphs it may set looser (layout/looseness.py):
# a key like an id, which a rule can select and a later layout can find.
MARK = "data-mk"


def key(element) -> str | None:
    """The name a change of style refers to an element by: its id, else its mark."""
    return element.get("id") or element.get(MARK)


def record(context, box) -> None:
    """Record the page being laid out as the first to reach `box`'s element, if it has
    an id and no earlier page did (notearea.py calls it for each in-flow child the
    ported `_in_flow_layout` lays out)."""
    element = getattr(box, "element", None)
    if element is not None and not box.element_tag.endswith(("::before", "::after")):
        ident = key(element)
        if ident:
            touched = getattr(context, "edition_touched", None)
            if touched is None:
                touched = context.edition_touched = {}
            touched.setdefault(ident, context.current_page)


@dataclass
class Resumed:
    document: Document
    context: object
    laid: list[int]  # the indexes of the pages laid out anew


def first_page(context, changed: set[str]) -> int | None:
    """The index of the first page whose layout reached one of the `changed` ids."""
    touched = getattr(context, "edition_touched", None) or {}
    pages = [touched.get(ident) for ident in changed]
    if not pages or None in pages:
        return None
    return min(pages) - 1


def unbroken(document, context, idents: set[str]) -> set[str]:
    """Of the elements `idents`, those that no page break of this layout reached: every
    box of theirs on one page, the first page whose layout reached them (not tried at
    the foot of the page before and pushed on). A rule that acts only where a page
    breaks inside them (orphans) cannot change their layout."""
    touched = getattr(context, "edition_touched", None) or {}
    held: dict[str, set[int]] = {ident: set() for ident in idents}
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and (ident := element.get("id")) in held:
                held[ident].add(number)
    return {ident for ident, pages in held.items()
            if len(pages) == 1 and touched.get(ident) == min(pages)}


def pages_made() -> int:
    """How many pages the engine has laid out in this process (a count for tests)."""
    return footnotes.pages_made


def resume(html, stylesheets, font_config, before: Document, context_before,
           changed: set[str], forced=None) -> Resumed | None:
    """Lay `html` out with `stylesheets` as a whole render would, keeping the pages of
    `before` (rendered with `context_before`) that no element of `changed` (ids whose
    style differs) can reach. None when it cannot be done (see the module).

    `forced(document)`: the indexes of the pages that begin with a forced break, which
    the make-up of the page before reads (layout/makeup.py): a kept page's make-up
    holds only if the page after it begins as before."""
    first = first_page(context_before, changed)
    if first is None or context_before is None or not _resumable(before, context_before):
        return None
    old_boxes = [page._page_box for page in before.pages]
    entry = getattr(old_boxes[first], "_edition_entry", None)
    if entry is None or entry.broken_out_of_flow:
        return None

    if font_config is None:
        font_config = FontConfiguration()
    options = {**DEFAULT_OPTIONS, "stylesheets": stylesheets}
    counter_style = CounterStyle()
    context = Document._build_layout_context(html, font_config, counter_style, {}, options)
    root_box = build_formatting_structure(
        html.etree_element, context.style_for, context.get_image_from_uri, html.base_url,
        context.target_collector, counter_style, context.footnotes)
    if context.target_collector.counter_lookup_items:
        return None
    notes = {}
    for note in context.footnotes:
        if note.element in notes:
            return None
        notes[note.element] = note
    if len(notes) != context_before.edition_notes_count:
        return None

    # The state at the top of page `first`, as the previous layout had it.
    context.style_for.initial_page_sizes.update(
        context_before.style_for.initial_page_sizes)
    context.page_maker = [_fresh(item) for item in context_before.page_maker[:first + 1]]
    touched = context.edition_touched = {
        ident: page for ident, page in context_before.edition_touched.items()
        if page <= first}
    context.edition_notes_count = context_before.edition_notes_count
    if not _restart(context, old_boxes, notes, first):
        return None

    # The changed elements where the new tree has them, the notes they call, and the
    # first page of the previous layout that reached each: a later page may be kept when
    # it begins as before and no changed element begins before it and goes on past it;
    # the layout starts again at the next page a changed element reaches.
    paths, their_notes = _changed(root_box, changed)
    starts = sorted({page - 1 for ident, page in context_before.edition_touched.items()
                     if ident in changed})
    path_starts = _starts_of(paths, root_box, context_before)

    new: dict[int, object] = {}
    for kept in range(first):  # WeasyPrint's progress messages, as make_all_pages logs
        PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d (up-to-date)", kept + 1)
    index = first
    reused_from = None
    while True:
        PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d", index + 1)
        remake_state = context.page_maker[index][-1]
        remake_state.update(content_changed=False, pages_wanted=False, anchors=[],
                            content_lookups=[])
        new[index], resume_at = wp_page.remake_page(index, context, root_box, html)
        index += 1
        if resume_at is None and not context.reported_footnotes:
            context.page_maker = context.page_maker[:index + 1]
            context.broken_out_of_flow.clear()
            context.reported_footnotes.clear()
            break
        if index >= len(old_boxes):
            continue
        later = [page for page in starts if page >= index]
        begun = [path for path, page in zip(paths, path_starts, strict=True) if page < index]
        if not _same_top(context, context_before, old_boxes[index], index, begun,
                         their_notes):
            continue
        if not later:
            reused_from = index
            break
        jump = later[0]
        if jump > index and _restartable(old_boxes, jump):
            # The pages up to the next changed element are the previous layout's.
            for kept in range(index, jump):
                PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d (up-to-date)",
                                     kept + 1)
            context.page_maker = (context.page_maker[:index]
                                  + [_fresh(item) for item in
                                     context_before.page_maker[index:jump + 1]])
            for ident, page in context_before.edition_touched.items():
                if index < page <= jump:
                    touched.setdefault(ident, page)
            if not _restart(context, old_boxes, notes, jump):
                return None
            index = jump
    state = footnotes._state(context)
    # What make_page flags for WeasyPrint's next loop, on the items of the pages laid out
    # (the item after the last one laid out is new, to be made: not a flag).
    if state.remade or any(context.page_maker[i][-1]["content_changed"]
                           or context.page_maker[i][-1]["pages_wanted"] for i in new):
        return None  # a whole render would lay pages out again (re-pagination)

    end = reused_from if reused_from is not None else max(new) + 1
    all_boxes = [new[i] if i in new else old_boxes[i] for i in range(end)]
    if reused_from is not None:
        for kept in range(reused_from, len(old_boxes)):
            PROGRESS_LOGGER.info("Step 5 - Creating layout - Page %d (up-to-date)", kept + 1)
        all_boxes += old_boxes[reused_from:]
        context.page_maker = (context.page_maker[:reused_from]
                              + context_before.page_maker[reused_from:])
        for ident, page in context_before.edition_touched.items():
            if page > reused_from:
                touched.setdefault(ident, page)
    state.made.update(i + 1 for i in range(len(all_boxes)) if i not in new)
    if any(getattr(page_box, "fixed_boxes", None) for page_box in all_boxes):
        return None
    _finish(html, context, all_boxes, set(new), context_before, len(old_boxes))

    forced_before = forced(before) if forced else set()
    pages = [Page(new[i]) if i in new else before.pages[i] for i in range(end)]
    if reused_from is not None:
        pages += before.pages[reused_from:]
    document = Document(pages, before.metadata, html.url_fetcher, font_config,
                        before.color_profiles, before.output_intent)
    document._html = html
    if forced:
        # A kept page's make-up holds if the page after it begins as before: where the
        # pages are kept, and where a changed element is first reached (each began as
        # before).
        same = {i for i in range(len(pages) + 1) if i not in new} | {first, *starts}
        forced_now = forced(document)
        if {i for i in forced_before if i in same} != {i for i in forced_now if i in same}:
            return None
    return Resumed(document, context, sorted(new))


def _restartable(old_boxes: list, index: int) -> bool:
    entry = getattr(old_boxes[index], "_edition_entry", None)
    return entry is not None and not entry.broken_out_of_flow


def _restart(context, old_boxes: list, notes: dict, index: int) -> bool:
    """Set the notes' state at the top of page `index` as the previous layout had it:
    those placed on the pages before, those reported to the page and its continuation.
    False when the new tree lacks one of them."""
    entry = old_boxes[index]._edition_entry
    placed = set()
    for page_box in old_boxes[:index]:
        for child in page_box.children:
            if isinstance(child, boxes.FootnoteAreaBox):
                placed.update(note.element for note in child.children)
    try:
        reported = [notes[element] for element in entry.reported]
        carry = notes[entry.carry] if entry.carry is not None else None
    except KeyError:
        return False
    placed.update(entry.reported)
    if carry is not None:
        placed.add(entry.carry)
        footnotes._state(context).carries[index + 1] = (carry, entry.carry_skip)
    context.footnotes = scale.NoteQueue(
        note for element, note in notes.items() if element not in placed)
    context.reported_footnotes = reported
    context.rendered_notes = []
    context.broken_out_of_flow.clear()
    return True


def _starts_of(paths, root_box, context_before) -> list[int]:
    """The first page (index) of the previous layout reaching each changed path's box."""
    touched = context_before.edition_touched
    found = []
    for path in paths:
        box = root_box
        for i in path:
            box = box.children[i]
        found.append(touched.get(key(box.element), 1) - 1)
    return found


def _resumable(before: Document, context) -> bool:
    state = getattr(context, "edition_notes", None)
    return (state is not None and not state.remade
            and hasattr(context, "edition_notes_count")
            and not context.target_collector.counter_lookup_items
            and not any(context.running_elements.values())
            and len(context.page_maker) == len(before.pages) + 1)


def _fresh(item):
    """A `page_maker` item as the first loop of a layout has it: the page count not yet
    known (0), nothing to remake."""
    resume_at, next_page, right_page, page_state, _ = item
    page_state = copy.deepcopy(page_state)
    page_state[1]["pages"] = [0]
    remake_state = {"content_changed": False, "pages_wanted": False, "anchors": [],
                    "content_lookups": []}
    return (copy.deepcopy(resume_at), copy.deepcopy(next_page), right_page, page_state,
            remake_state)


def _changed(root_box, changed: set[str]) -> tuple[list[list[int]], set]:
    """The skip-stack paths of the boxes of the `changed` ids, and the elements of the
    notes called inside them."""
    paths, notes = [], set()
    stack = [(root_box, [])]
    while stack:
        box, path = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and key(element) in changed:
            paths.append(path)
            for inner in box.descendants():
                if getattr(inner, "footnote", None) is not None:
                    notes.add(inner.footnote.element)
            continue
        for i, child in enumerate(getattr(box, "children", None) or ()):
            stack.append((child, [*path, i]))
    return paths, notes


def _path(skip_stack) -> list[int] | None:
    path = []
    while skip_stack:
        if len(skip_stack) != 1:
            return None
        (index, skip_stack), = skip_stack.items()
        path.append(index)
    return path


def _past(path: list[int], changed: list[int]) -> bool:
    """Whether the resume point `path` lies after the whole box at `changed`."""
    for ours, theirs in zip(path, changed, strict=False):
        if ours != theirs:
            return ours > theirs
    return False


def _same_top(context, context_before, old_box, index: int, paths, their_notes) -> bool:
    """Whether page `index` begins as in the previous layout, past every changed box."""
    new, old = context.page_maker[index], context_before.page_maker[index]
    if new[0] != old[0] or new[1] != old[1] or new[2] != old[2]:
        return False
    if _counters(new[3]) != _counters(old[3]):
        return False
    path = _path(new[0])
    if path is None or not all(_past(path, changed) for changed in paths):
        return False
    entry = getattr(old_box, "_edition_entry", None)
    if entry is None or entry.broken_out_of_flow or context.broken_out_of_flow:
        return False
    reported = tuple(note.element for note in context.reported_footnotes)
    carry = footnotes._state(context).carries.get(index + 1)
    if reported != entry.reported or their_notes.intersection(reported):
        return False
    if (carry[0].element if carry else None) != entry.carry or (
            carry and carry[0].element in their_notes):
        return False
    return not carry or carry[1] == entry.carry_skip


def _counters(page_state):
    quote_depth, counters, scopes, groups = page_state
    return (quote_depth, {k: v for k, v in counters.items() if k != "pages"}, scopes,
            groups)


def _finish(html, context, page_boxes: list, new: set[int], context_before=None,
            total_before: int = -1) -> None:
    """`layout_document`'s last steps, for every page: the page count, the strings set,
    the bookmarks of boxes broken across pages, the margin boxes and backgrounds.

    A kept page's margin boxes and backgrounds stay as they were when nothing they are
    made of changed: the same page count and the same strings set on every page
    (`context_before`, `total_before`: the previous layout's)."""
    total = len(page_boxes)
    for item in context.page_maker:
        item[3][1]["pages"] = [total]
    watch = {"": [], "::before": [], "::after": []}
    for i, page in enumerate(page_boxes):
        for child in page.descendants():
            if child.bookmark_label:
                tag = child.element_tag
                kind = ("::before" if tag.endswith("::before")
                        else "::after" if tag.endswith("::after") else "")
                if child.element in watch[kind]:
                    child.bookmark_label = ""
                else:
                    watch[kind].append(child.element)
            string_sets = child.string_set
            if string_sets and string_sets != "none":
                for string_name, text in string_sets:
                    context.string_set[string_name][i + 1].append(text)
    unchanged = context_before is not None and total == total_before and \
        _strings(context) == _strings(context_before)
    for i, page in enumerate(page_boxes):
        if i in new:
            root, footnote_area, note_area = page.children
            root.children = list(root.children)
            children = [root]
            if footnote_area.children:
                children.append(footnote_area)
            if note_area.children:
                children.append(note_area)
        else:
            # A kept page: its margin boxes' styles, for this layout's style_for (which
            # placement.py makes them again with when the part is moved).
            wp_page.set_page_type_computed_styles(page.page_type, html, context.style_for)
            if unchanged:
                continue
            children = [c for c in page.children if not isinstance(c, boxes.MarginBox)]
        context.current_page = i + 1
        state = context.page_maker[i + 1][3]
        page.children = tuple(children) + tuple(make_margin_boxes(context, page, state))
        layout_backgrounds(page, context.get_image_from_uri)


def _strings(context) -> dict:
    return {name: {page: texts for page, texts in pages.items() if texts}
            for name, pages in context.string_set.items()}
