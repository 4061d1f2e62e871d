"""The tagged PDF (the archive profile) as PDF/UA-1 expects it, while WeasyPrint 70 writes it.

WeasyPrint builds the structure tree from the HTML element names (weasyprint/pdf/tags.py):
a footnote is a `Span`, its call and number `NonStruct`, the page-margin boxes' text
marked content kept out of the tree, a leader's dots text, a word broken at a line's end
two spans ("offen‐", "sive."). What each of these is, is known only from the laid-out
boxes, which a pass over the finished PDF no longer has; so while a tagged PDF is written
(`with tagging(document): document.write_pdf(…)`), three names of WeasyPrint are replaced:

- `Stream.marked`: the text of the page-margin boxes (running heads, folios) and of
  leaders is drawn as an `/Artifact`, outside the structure (PDF/UA: pagination and
  layout are artifacts, never untagged content).
- `tags._build_box_tree`: a footnote (`float: footnote`) is a `Note`, its call
  (`::footnote-call`) a `Reference`, its number (`::footnote-marker`) a `Lbl`; an element
  with `data-pdf-tag` takes that standard type (the headings' levels, which render sets
  from the document model); margin boxes and leaders have no element.
- `pdf.add_tags`, then: each Note gets a unique `ID` (Matterhorn 19-003/004) and each
  Reference a `Ref` naming the Note(s) of its call; the span holding the first half of a
  hyphenated word gets `ActualText` with the whole word, the span of the second half the
  rest of its text, so that the structure reads the word once and whole.

Outside the block WeasyPrint is stock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pydyf
import weasyprint.pdf as wp_pdf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as wp_tags
from weasyprint.pdf.stream import Stream

# What `data-pdf-tag` may ask for: standard structure types of PDF 1.7 that an element of
# edition's HTML can be (anything else is ignored, WeasyPrint's own choice stands).
STRUCTURE_TYPES = frozenset({"H1", "H2", "H3", "H4", "H5", "H6", "Note", "Reference",
                             "Lbl", "Caption", "Quote", "Span", "Div", "P"})

# The pseudo-elements of a footnote and the type each takes.
_FOOTNOTE_PARTS = {"::footnote-call": "Reference", "::footnote-marker": "Lbl"}

# The end of a word's first half, and the start of its second (letters, digits, marks).
_WORD_HEAD = re.compile(r"\w+$")
_WORD_TAIL = re.compile(r"^\w+")


@dataclass
class _Plan:
    """What the boxes say about the tree, gathered before the PDF is drawn, and the
    structure elements noted while it is built."""

    artifacts: set[int] = field(default_factory=set)  # id() of boxes drawn as artifacts
    # A text box of a hyphenated word → the ActualText of its span.
    actual_text: dict[int, str] = field(default_factory=dict)
    # id() of a text box with ActualText → (its page's stream, its MCID).
    marked: dict[int, tuple[Any, int]] = field(default_factory=dict)
    # A footnote's HTML element → its Note elements (one per page it is on), its References.
    notes: dict[Any, list[pydyf.Dictionary]] = field(default_factory=dict)
    calls: dict[Any, list[pydyf.Dictionary]] = field(default_factory=dict)
    # The boxes being built, outermost first.
    open_boxes: list[Any] = field(default_factory=list)


def _walk(box) -> Iterator:
    """A box and its descendants in document order (absolute boxes where they stand)."""
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(getattr(child, "_box", child))


def _plan(document) -> _Plan:
    plan = _Plan()
    flow: list[boxes.TextBox] = []
    for page in document.pages:
        for part in page._page_box.children:
            if isinstance(part, boxes.MarginBox):
                plan.artifacts.update(id(box) for box in _walk(part))
                continue
            for box in _walk(part):
                if getattr(box, "is_leader", False):
                    plan.artifacts.update(id(dot) for dot in _walk(box))
                elif isinstance(box, boxes.TextBox) and id(box) not in plan.artifacts:
                    flow.append(box)
    _hyphenated_words(flow, plan)
    return plan


def _hyphenated_words(flow: list[boxes.TextBox], plan: _Plan) -> None:
    """ActualText for each word WeasyPrint hyphenated: the text box ending with the
    hyphenate character, whose word goes on in the next text box of the same element
    (the next line, perhaps on the next page), and whose whole word is in the source."""
    for index, box in enumerate(flow):
        hyphen = box.style["hyphenate_character"]
        if box.style["hyphens"] == "none" or not hyphen or not box.text.endswith(hyphen):
            continue
        # A line may both end a word begun on the line before (its text is then what
        # is left of it) and begin one.
        first = plan.actual_text.get(id(box), box.text)[:-len(hyphen)].rstrip("\xad")
        after = next((flow[k] for k in range(index + 1, len(flow))
                      if flow[k].element is box.element), None)
        head, tail = _WORD_HEAD.search(first), after and _WORD_TAIL.match(after.text)
        if not (head and tail) or not _in_source(head[0] + tail[0], box.element):
            continue
        plan.actual_text[id(box)] = _printed(first + tail[0])
        plan.actual_text[id(after)] = _printed(after.text[len(tail[0]):])


def _printed(text: str) -> str:
    """The text as printed: without the invisible format characters (the WORD JOINER
    before a note call, a soft hyphen) that the boxes' text holds."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _in_source(word: str, element) -> bool:
    """Whether the word stands whole in the element's text: a hyphen the source wrote
    (U+2010 at a line's end) is not WeasyPrint's and joins nothing."""
    text = "".join(element.itertext()).replace("\xad", "") if element is not None else ""
    return word in text


def _marked(plan: _Plan, stock):
    """Stream.marked: an artifact's text outside the structure, else WeasyPrint's MCID
    (noted for the spans that get ActualText)."""
    @contextmanager
    def marked(self, box, tag):
        if self._tags is not None and id(box) in plan.artifacts:
            with self.artifact():
                yield
            return
        with stock(self, box, tag):
            if self._tags is not None and id(box) in plan.actual_text:
                plan.marked[id(box)] = (self, self._tags[box]["mcid"])
            yield
    return marked


def _structure_type(box, plan: _Plan) -> str | None:
    """The type edition gives a box's structure element, or None for WeasyPrint's."""
    tag, element = box.element_tag or "", box.element
    parent = plan.open_boxes[-1] if plan.open_boxes else None
    if element is None or (parent is not None and parent.element is element
                           and parent.element_tag == tag):
        return None  # no element, or an anonymous box inside its element's own
    for suffix, kind in _FOOTNOTE_PARTS.items():
        if tag.endswith(suffix):
            return kind
    if "::" in tag:
        return None  # another pseudo-element
    if isinstance(parent, boxes.FootnoteAreaBox):
        return "Note"  # a footnote, or the part of one continued from the page before
    asked = element.get("data-pdf-tag")
    return asked if asked in STRUCTURE_TYPES else None


def _build_box_tree(plan: _Plan, stock):
    def build(box, parent, pdf, page_number, nums, annotations, tags):
        box = getattr(box, "_box", box)
        if isinstance(box, boxes.MarginBox) or getattr(box, "is_leader", False):
            return  # drawn as artifacts: nothing of them is in the tree
        own = not (box.element_tag in ("html", "body") or isinstance(box, boxes.PageBox))
        kind = _structure_type(box, plan) if own else None
        plan.open_boxes.append(box)
        try:
            for element in stock(box, parent, pdf, page_number, nums, annotations, tags):
                # A call that prints nothing (an apparatus entry's) references nothing.
                if kind and (kind != "Reference" or element["K"]):
                    element["S"] = f"/{kind}"
                    _note(plan, kind, box.element, element)
                yield element
        finally:
            plan.open_boxes.pop()
    return build


def _note(plan: _Plan, kind: str, html_element, element: pydyf.Dictionary) -> None:
    if kind == "Note":
        plan.notes.setdefault(html_element, []).append(element)
    elif kind == "Reference":
        plan.calls.setdefault(html_element, []).append(element)


def _add_tags(plan: _Plan, stock):
    def add_tags(pdf, document, pdf_version, page_streams):
        stock(pdf, document, pdf_version, page_streams)
        _headings_in_order(pdf)
        _link_notes(plan)
        _set_actual_text(plan, pdf, page_streams)
    return add_tags


def _headings_in_order(pdf) -> None:
    """The headings' levels never skip one, from H1 (PDF/UA, Matterhorn 14-002/003): a
    heading deeper than one below the one before it is raised (a volume built without
    its front matter has no H1 above its documents' H2)."""
    previous = 0
    for element in _tree(pdf, pdf.objects[_number(pdf.catalog["StructTreeRoot"])]):
        kind = str(element["S"])
        if re.fullmatch(r"/H[1-6]", kind):
            previous = min(int(kind[2]), previous + 1)
            element["S"] = f"/H{previous}"


def _tree(pdf, element) -> Iterator[pydyf.Dictionary]:
    """The structure elements under `element`, in reading order."""
    for kid in element.get("K", ()):
        if not isinstance(kid, int):
            child = pdf.objects[_number(kid)]
            if child.get("Type") == "/StructElem":
                yield child
                yield from _tree(pdf, child)


def _link_notes(plan: _Plan) -> None:
    """Each Note a unique ID; each Reference its Notes' IDs in `Ref` (PDF 2.0's link from
    a reference to its note, which PDF 1.7 readers ignore)."""
    used: set[str] = set()
    for html_element, notes in plan.notes.items():
        base = html_element.get("id") or f"note-{len(used) + 1}"
        for element in notes:
            name, k = base, 1
            while name in used:
                k += 1
                name = f"{base}-{k}"
            used.add(name)
            element["ID"] = pydyf.String(name)
        for call in plan.calls.get(html_element, ()):
            call["Ref"] = pydyf.Array([note.reference for note in notes])


def _set_actual_text(plan: _Plan, pdf, page_streams) -> None:
    """ActualText on the spans of hyphenated words, found by their MCID in the parent
    tree (its page's array lists the spans by MCID)."""
    pages = {id(stream): number for number, stream in enumerate(page_streams)}
    root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    nums = pdf.objects[_number(root["ParentTree"])]["Nums"]
    for box_id, (stream, mcid) in plan.marked.items():
        span = pdf.objects[_number(nums[2 * pages[id(stream)] + 1][mcid])]
        span["ActualText"] = pydyf.String(plan.actual_text[box_id])


def _number(reference) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    return int(reference.split()[0])


@contextmanager
def tagging(document) -> Iterator[None]:
    """WeasyPrint writing a tagged PDF of `document` as edition tags it (see above)."""
    from edition.layout.engine import _lock

    plan = _plan(document)
    replaced = [(Stream, "marked", _marked(plan, Stream.marked)),
                (wp_tags, "_build_box_tree", _build_box_tree(plan, wp_tags._build_box_tree)),
                (wp_pdf, "add_tags", _add_tags(plan, wp_pdf.add_tags))]
    with _lock:
        saved = [(owner, name, getattr(owner, name)) for owner, name, _ in replaced]
        for owner, name, value in replaced:
            setattr(owner, name, value)
        try:
            yield
        finally:
            for owner, name, value in saved:
                setattr(owner, name, value)
