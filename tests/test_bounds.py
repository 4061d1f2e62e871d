"""Bounded inputs and settings (issue 27, point 3): small inputs whose cost grew faster
than their size, and settings no page can have.

Each case ends in a PDF or one line `edition: FILE:LINE: message` with exit 2. Speed
itself is measured by bench/bounds.py, not asserted here: these tests pin what makes
the cost linear (how often the expensive step runs), so they hold on a loaded machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.layout import inline as wp_inline

from edition.errors import EditionError
from edition.layout import engine
from edition.layout.engine import seam
from edition.readers import persons
from edition.readers.tei import xml as tei_xml
from tests.test_hostile_inputs import assert_one_line_error, run

TEI_HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            "<title>F</title></titleStmt></fileDesc></teiHeader><text><body>\n")
TEI_TAIL = "\n</body></text></TEI>\n"


# ---------------------------------------------------------------- inline markup


def _line_texts(document) -> list[str]:
    """The text of every line box of every page, in order."""
    def texts(box):
        if isinstance(box, engine.boxes.TextBox):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    def lines(box):
        if isinstance(box, engine.boxes.LineBox):
            yield "".join(texts(box))
        else:
            for child in getattr(box, "children", ()):
                yield from lines(child)

    return [line for page in document.pages for line in lines(page._page_box)]


def _render_counting(html: str, monkeypatch) -> tuple[list[str], int]:
    """The lines of `html` laid out by the engine, and how many times a waiting inline
    box was asked whether it can break."""
    calls = 0
    stock = wp_inline.can_break_inside

    def counting(box):
        nonlocal calls
        calls += 1
        return stock(box)

    from edition.layout.engine import waiting
    monkeypatch.setattr(waiting, "can_break_inside", counting)
    monkeypatch.setattr(wp_inline, "can_break_inside", counting)
    with engine.patched():
        document = HTML(string=html).render()
    return _line_texts(document), calls


# One word of emphasised letters (`*a*b` × N in Markdown) in a narrow column: no break
# opportunity anywhere, so every inline box after the first that overflows overflows too.
EMPHASIS = ("<style>@page {{ size: 120mm 200mm }} p {{ width: 40mm }}</style>"
            "<p>Before it {}, after it.</p>")


def test_an_unbreakable_run_of_inline_boxes_is_tried_once_per_box(monkeypatch):
    """`*a*b` × 5,000 took a minute: each box that overflowed tried every box before it
    again (WeasyPrint's `_break_waiting_children`). Each box is tried once now."""
    boxes = 1200
    lines, calls = _render_counting(EMPHASIS.format("<em>a</em>b" * (boxes // 2)), monkeypatch)
    assert "ab" * 50 in "".join(lines)  # the word was laid out, overflowing its line
    assert calls < 4 * boxes, calls  # stock: about boxes² / 2 (over 700,000)


@pytest.mark.parametrize("html", [
    "<p>Plain words, <em>some emphasised</em> and <strong>some strong</strong> ones, in a "
    "paragraph long enough to break over several lines of a narrow column.</p>",
    "<p>A<em>b</em>c<em>d</em>e<em>f</em>g<em>h</em>i<em>j</em>k<em>l</em>m<em>n</em>o "
    "then <em>x</em>y and a word<em>with</em>boxes<em>inside</em>it too.</p>",
    "<p>" + "<em>a</em>b" * 40 + " tail " + "c<strong>d</strong>" * 30 + "</p>",
])
def test_lines_break_where_upstream_breaks_them(html, monkeypatch):
    """The ported function breaks the same lines as WeasyPrint's own."""
    html = "<style>@page { size: 80mm 200mm } p { width: 30mm }</style>" + html
    ours, _ = _render_counting(html, monkeypatch)
    stock_lines = _stock_lines(html)
    assert ours == stock_lines and len(ours) > 2


def _stock_lines(html: str) -> list[str]:
    """The lines laid out with every engine patch but the ported `_break_waiting_children`
    (WeasyPrint's own is used)."""
    patches = seam.PATCHES
    ours = next(p for p in patches if p.name == "_break_waiting_children")
    try:
        seam.PATCHES = tuple(p for p in patches if p is not ours)
        with engine.patched():
            return _line_texts(HTML(string=html).render())
    finally:
        seam.PATCHES = patches


# ---------------------------------------------------------------- the register


def test_the_register_is_read_in_one_pass(tmp_path, monkeypatch):
    """Each entry's line was found by scanning the file again: `check` on 10,000 entries
    took 73 s. The lines are found in one pass; a scan is left for errors only."""
    entries = 2000
    path = tmp_path / "persons.toml"
    path.write_text("".join(f'[p{i}]\nname = "Person{i}, A"\nforms = ["Person{i}"]\n\n'
                            for i in range(entries)), encoding="utf-8")
    scans = 0
    stock = persons._line_of

    def counting(*args):
        nonlocal scans
        scans += 1
        return stock(*args)

    monkeypatch.setattr(persons, "_line_of", counting)
    register, _ = persons.load_register(path)
    assert len(register) == entries and scans == 0
    assert register["p0"].pos.line == 1 and register["p1999"].pos.line == 4 * 1999 + 1


def test_the_register_still_names_the_line_of_an_error(tmp_path):
    path = tmp_path / "persons.toml"
    path.write_text('[a]\nname = "A"\n\n[b]\nname = "B"\nbogus = 1\n', encoding="utf-8")
    with pytest.raises(EditionError) as info:
        persons.load_register(path)
    assert info.value.line == 6 and "bogus" in str(info.value)


# ---------------------------------------------------------------- TEI elements


@pytest.mark.parametrize("element", ["<lb/>", '<pb n="1"/>x'])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_tei_file_of_a_million_elements_is_refused(tmp_path, capsys, element, command):
    """1,000,000 `<lb/>` (6 MB) reached MemoryError at 6 GB after 134 s."""
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "a.xml").write_text(TEI_HEAD + '<div type="document" n="1"><head>A</head><p>x'
                                  + element * 1_000_000 + "</p></div>" + TEI_TAIL)
    code, _, err = run(capsys, command, str(folder), *(["-o", str(tmp_path / "o.pdf")]
                                                        if command == "build" else []))
    assert_one_line_error(code, err, "a.xml:", f"more than {tei_xml.MAX_ELEMENTS:,} elements")
    assert not (tmp_path / "o.pdf").exists()


def test_a_tei_file_under_the_element_limit_is_read(tmp_path, capsys):
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "a.xml").write_text(TEI_HEAD + '<div type="document" n="1"><head>A</head><p>x'
                                  + "<lb/>" * 50_000 + "</p></div>" + TEI_TAIL)
    code, out, err = run(capsys, "check", str(folder))
    assert code == 0 and not err, err


def test_the_element_limit_is_far_above_the_largest_corpus_file():
    largest = Path("/work/shared/corpus/frus-history/frus-history.xml")
    if not largest.exists():
        pytest.skip("the shared corpus is absent")
    from lxml import etree
    tree = etree.parse(str(largest), etree.XMLParser(resolve_entities=False, huge_tree=True))
    assert sum(1 for _ in tree.iter()) * 10 < tei_xml.MAX_ELEMENTS
