"""Linear cost (edition/layout/engine/scale.py): the work of one layout grows with its
pages and notes, not with their square.

Not timed: the tests count the work the replaced steps did. Upstream's list of notes to
place is scanned, comparing boxes, for every box of every line; upstream's page styles
walk every page type's cascaded styles for every page; upstream's make_page reads every
earlier page back. The counts come from the same
layouts with the scale patches in place and (in a test's own check) without them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint import layout as wp_layout
from weasyprint.css import StyleFor
from weasyprint.formatting_structure import boxes

from edition.build import load
from edition.layout import engine
from edition.layout.engine import scale, seam
from edition.render import STYLES_DIR, font_config, render_body, stylesheets

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synthetic import write_single  # noqa: E402


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[int, tuple[str, list]]:
    """One long document of the benchmark's mix at two sizes: its HTML and styles."""
    fonts = font_config()
    out = {}
    for notes in (20, 60):
        source = write_single(tmp_path_factory.mktemp(f"single-{notes}"), notes=notes)
        volume, _ = load(source)
        out[notes] = render_body(volume), stylesheets(volume.settings, "book", fonts), fonts
    return out


class _CountingStyles(dict):
    """The cascaded styles of a StyleFor, counting the entries iterated over."""

    walked = 0

    def __iter__(self):
        for key in dict.__iter__(self):
            _CountingStyles.walked += 1
            yield key


class _CountingPages(list):
    """`context.page_maker`, counting the items its slices hand out."""

    sliced = 0

    def __getitem__(self, index):
        item = super().__getitem__(index)
        if isinstance(index, slice):
            _CountingPages.sliced += len(item)
            return _CountingPages(item)
        return item


def _work(monkeypatch, html: str, css: list, fonts, *, stock: bool = False) -> dict:
    """Lay `html` out as edition does (or without the scale patches) and count: box
    equality tests (a list of notes scanned), cascaded styles walked, and pages read
    from the page maker."""
    if stock:
        monkeypatch.setattr(seam, "PATCHES", tuple(
            p for p in seam.PATCHES if not p.replacement.__module__.endswith(".scale")))
    compared = [0]

    def counting_eq(self, other):
        compared[0] += 1
        return NotImplemented

    stock_init = StyleFor.__init__

    def counting_init(self, *args, **kwargs):
        stock_init(self, *args, **kwargs)
        self._cascaded_styles = _CountingStyles(self._cascaded_styles)

    stock_page_maker = wp_layout.initialize_page_maker

    def counting_page_maker(context, root_box):
        stock_page_maker(context, root_box)
        context.page_maker = _CountingPages(context.page_maker)

    monkeypatch.setattr(boxes.Box, "__eq__", counting_eq)
    monkeypatch.setattr(StyleFor, "__init__", counting_init)
    monkeypatch.setattr(wp_layout, "initialize_page_maker", counting_page_maker)
    _CountingStyles.walked = _CountingPages.sliced = 0
    with engine.patched():
        document = HTML(string=html, base_url=STYLES_DIR.as_uri() + "/").render(
            stylesheets=css, font_config=fonts)
    monkeypatch.undo()
    return {"pages": len(document.pages), "compared": compared[0],
            "walked": _CountingStyles.walked, "sliced": _CountingPages.sliced}


def test_notes_to_place_are_not_scanned_per_box(monkeypatch, documents):
    """Three times the notes, at most three times the box comparisons (upstream: nine)."""
    small, large = (_work(monkeypatch, *documents[n]) for n in (20, 60))
    assert large["pages"] > 2 * small["pages"]
    assert large["compared"] <= 3 * small["compared"], (small, large)
    # The check can fail: without the patches the same layouts compare quadratically.
    before = [_work(monkeypatch, *documents[n], stock=True) for n in (20, 60)]
    assert before[1]["compared"] > 6 * before[0]["compared"], before


def test_page_styles_are_not_walked_per_page(monkeypatch, documents):
    """No page walks the cascaded styles of the pages before it."""
    after = _work(monkeypatch, *documents[60])
    assert after["walked"] <= after["pages"], after
    before = _work(monkeypatch, *documents[60], stock=True)
    assert before["walked"] > 5 * before["pages"], before


def test_pages_do_not_gather_the_anchors_of_the_pages_before_them(monkeypatch, documents):
    """Without page-based counter look-ups, no page reads back the pages before it;
    upstream's make_page reads them all, for every page."""
    after = _work(monkeypatch, *documents[60])
    # What remains: make_all_pages keeping the page maker's items once per layout pass.
    assert after["sliced"] <= 2 * (after["pages"] + 1), after
    before = _work(monkeypatch, *documents[60], stock=True)
    assert before["sliced"] > 5 * before["pages"], before


def test_a_page_based_look_up_keeps_upstreams_anchor_bookkeeping():
    """`target-counter()` in the flow: the bookkeeping decides the printed number."""
    html = """<html><head><style>@page { size: 200px 200px; margin: 20px }
    p { margin: 0; height: 150px } a::after { content: target-counter(attr(href), page) }
    </style></head><body><p><a href="#far">see page </a></p><p>two</p>
    <p id="far">far</p></body></html>"""

    def printed(document) -> str:
        first = document.pages[0]._page_box
        return "".join(b.text for b in first.descendants() if isinstance(b, boxes.TextBox))

    stock = printed(HTML(string=html).render())
    with engine.patched():
        ours = printed(HTML(string=html).render())
    assert ours == stock and "see page 3" in ours


def test_the_notes_queue_is_a_list_with_membership_by_identity():
    one, two, three = (boxes.BlockBox("div", None, None, []) for _ in range(3))
    queue = scale.NoteQueue([one, two])
    assert queue == [one, two] and one in queue and three not in queue and None not in queue
    queue.append(three)
    queue.remove(three)  # the last: no scan
    assert three not in queue and queue == [one, two]
    queue.remove(one)
    assert one not in queue and two in queue
    copy = queue.copy()
    assert isinstance(copy, scale.NoteQueue) and copy == [two]
    copy.append(one)
    assert one in copy and one not in queue
    with pytest.raises(ValueError):
        queue.remove(one)
    queue.insert(0, one)
    queue.extend([three])
    assert queue == [one, two, three] and all(b in queue for b in (one, two, three))
    assert queue.pop() is three and three not in queue
    queue.clear()
    assert not queue and one not in queue
    with pytest.raises(TypeError):
        queue[0:0] = [one]


FIXED = """<html><head><style>@page { size: 200px 200px; margin: 20px }
.mark { position: fixed; top: 0; left: 0 } p { margin: 0; height: 150px }</style></head>
<body><div class="mark">MARK</div><p>one</p><p>two</p><p>three</p></body></html>"""


def _marked_pages(document) -> list[bool]:
    return [any(isinstance(b, boxes.TextBox) and b.text == "MARK"
                for b in page._page_box.descendants(placeholders=True))
            for page in document.pages]


def test_fixed_boxes_are_still_drawn_on_every_page():
    stock = _marked_pages(HTML(string=FIXED).render())
    with engine.patched():
        ours = _marked_pages(HTML(string=FIXED).render())
    assert len(ours) == 3 and ours == stock == [True, True, True]
