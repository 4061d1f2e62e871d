"""Bounded inputs and settings (issue 27, point 3): small inputs whose cost grew faster
than their size, and settings no page can have.

Each case ends in a PDF or one line `edition: FILE:LINE: message` with exit 2. Speed
itself is measured by bench/bounds.py, not asserted here: these tests pin what makes
the cost linear (how often the expensive step runs), so they hold on a loaded machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from weasyprint import HTML
from weasyprint.layout import inline as wp_inline

import edition.build
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


def test_the_ported_break_waiting_children_is_upstream_except_in_its_hunks():
    """On a WeasyPrint upgrade this lists what must be ported again (engine/waiting.py)."""
    import inspect

    from edition.layout.engine import ported, waiting

    ours = inspect.getsource(waiting._break_waiting_children)
    upstream = inspect.getsource(seam.stock("weasyprint.layout.inline._break_waiting_children"))
    assert ported.check_port(ours, upstream) == []
    # Three hunks: the loop over the untried children, the children before the one
    # broken, and what is remembered when none breaks.
    assert len(ported.replaced(ours, upstream)) == 3


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


def tei_edition(tmp_path: Path, body: str) -> Path:
    """A folder of one TEI document whose division holds `body`."""
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "a.xml").write_text(TEI_HEAD + '<div type="document" n="1">' + body + "</div>"
                                  + TEI_TAIL)
    return folder


@pytest.mark.parametrize("element", ["<lb/>", '<pb n="1"/>x'])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_tei_file_of_a_million_elements_is_refused(tmp_path, capsys, element, command):
    """1,000,000 `<lb/>` (6 MB) reached MemoryError at 6 GB after 134 s."""
    folder = tei_edition(tmp_path, "<head>A</head><p>x" + element * 1_000_000 + "</p>")
    code, _, err = run(capsys, command, str(folder), *(["-o", str(tmp_path / "o.pdf")]
                                                        if command == "build" else []))
    assert_one_line_error(code, err, "a.xml:", f"more than {tei_xml.MAX_ELEMENTS:,} elements")
    assert not (tmp_path / "o.pdf").exists()


def test_a_tei_file_under_the_element_limit_is_read(tmp_path, capsys):
    folder = tei_edition(tmp_path, "<head>A</head><p>x" + "<lb/>" * 50_000 + "</p>")
    code, out, err = run(capsys, "check", str(folder))
    assert code == 0 and not err, err


def test_the_element_limit_is_far_above_the_largest_corpus_file():
    largest = (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "frus-history"
               / "frus-history.xml")
    if not largest.exists():
        pytest.skip("the shared corpus is absent")
    from lxml import etree
    tree = etree.parse(str(largest), etree.XMLParser(resolve_entities=False, huge_tree=True))
    assert sum(1 for _ in tree.iter()) * 10 < tei_xml.MAX_ELEMENTS


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_markdown_file_of_a_million_lines_is_refused(tmp_path, capsys, command):
    """1,000,000 list items (4 MB) ran `check` past 180 s and 2.2 GB in markdown-it."""
    folder = settings_edition(tmp_path / "ed", "", "- a\n" * 1_000_000)
    code, _, err = run(capsys, command, str(folder), *(["-o", str(tmp_path / "o.pdf")]
                                                        if command == "build" else []))
    assert_one_line_error(code, err, "001.md:100001: ", "more than 100,000 lines")
    assert not (tmp_path / "o.pdf").exists()


# ---------------------------------------------------------------- settings


def settings_edition(folder: Path, toml: str, body: str = "Some text.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    # `toml` from line 2; its tables end with the front matter's.
    (folder / "edition.toml").write_text('title = "T"\n' + toml
                                         + "\n[front_matter]\nenabled = false\n", encoding="utf-8")
    (folder / "001.md").write_text(f'+++\nnumber = "1"\ntitle = "Test"\n+++\n\n{body}\n',
                                   encoding="utf-8")
    return folder


NO_MARGINS = "margin_top = 0\nmargin_bottom = 0\nmargin_inner = 0\nmargin_outer = 0"


@pytest.mark.parametrize("toml, line, fragment", [
    ("[handout]\nmargin_left = -100", 3, "margin_left must be a length"),
    ("[handout]\nmargin_right = 1e9", 3, "margin_right must be a length"),
    ("[handout]\nmargin_left = nan", 3, "not nan"),
    ("[handout]\nmargin_right = inf", 3, "not inf"),
    ("[handout]\nmargin_left = 110\nmargin_right = 110", 3, "no room for text on a "
     "handout's page"),
    ("[handout]\nmargin_left = 90\nmargin_right = 90", 3, "text block of 30 × "),
    ("[page]\ntrim = \"0.001x0.001mm\"\n" + NO_MARGINS, 3, "text block of 0.001 × 0.001 mm"),
    ("[page]\ntrim = \"30x30mm\"\n" + NO_MARGINS, 3, "less than 5 lines of 10 ems"),
    ("[page]\nmargin_top = 110\nmargin_bottom = 110", 3, "text block of"),
    ("[notes]\nstart = -5", 3, "notes start must be 1 or more, not -5"),
    ("[notes]\nstart = 0", 3, "notes start must be 1 or more, not 0"),
    ("[print]\nbleed = nan", 3, "bleed must be from 0 to 25 mm"),
    ("[print]\nbleed = -3", 3, "bleed must be from 0 to 25 mm"),
    ("subtitle = \"" + "Word " * 400 + "\"", 2, "subtitle longer than 1,000 characters"),
])
def test_settings_no_page_can_have_are_one_line_errors(tmp_path, capsys, toml, line, fragment):
    """Issue 27: these built (a page 2.8e9 pt wide, '−5' as a note number, 40 textless
    pages on a page of 0.001 mm); they stop before layout, naming the setting's line."""
    folder = settings_edition(tmp_path / "ed", toml)
    out = tmp_path / "o.pdf"
    code, _, err = run(capsys, "build", str(folder), "-o", str(out), "-q",
                       "--profile", "print" if "bleed" in toml else "book")
    assert_one_line_error(code, err, f"edition.toml:{line}: ", fragment)
    assert not out.exists()


@pytest.mark.parametrize("toml", [
    "[page]\ntrim = \"105x148mm\"\nmargin_inner = 10\nmargin_outer = 20",
    "[handout]\nmargin_left = 0\nmargin_right = 0", "[notes]\nstart = 1",
])
def test_small_but_real_pages_build(tmp_path, capsys, toml):
    folder = settings_edition(tmp_path / "ed", toml)
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q")
    assert code == 0 and not err, err


def test_a_document_title_longer_than_a_page_is_an_error(tmp_path, capsys):
    """A title of 6,000 words built 37 pages of heading and contents."""
    folder = settings_edition(tmp_path / "ed", "")
    (folder / "002.md").write_text('+++\nnumber = "2"\ntitle = "' + "Word " * 6000
                                   + '"\n+++\n\nText.\n', encoding="utf-8")
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "002.md:1: ", "title of document 2 is longer than 1,000")


def test_a_tei_head_longer_than_a_page_is_an_error(tmp_path, capsys):
    folder = tei_edition(tmp_path, "\n<head>" + "Word " * 6000 + "</head><p>x</p>")
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "a.xml:2: ", "longer than 1,000 characters")


# ---------------------------------------------------------------- the output profile


def test_an_output_profile_over_ten_megabytes_is_refused_unread(tmp_path, capsys, monkeypatch):
    """A 3 GB sparse file was read whole to look at its first 20 bytes."""
    folder = settings_edition(tmp_path / "ed", '[print]\noutput_profile = "press.icc"')
    with (folder / "press.icc").open("wb") as icc:
        icc.write(b"\0" * 12 + b"prtrCMYK")
        icc.truncate(3 * 2**30)  # sparse: nothing of it is written
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        assert path.name != "press.icc", "the output profile was read whole"
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q",
                       "--profile", "print")
    assert_one_line_error(code, err, "edition.toml:3: ", "larger than 10 MB")


# ---------------------------------------------------------------- --jobs


@pytest.mark.parametrize("memory_mb, expected", [(64_000, 2), (700, 2), (400, 1), (10, 1)])
def test_jobs_are_capped_at_the_cores_and_the_memory(monkeypatch, memory_mb, expected):
    """--jobs 64 on 2 cores took 61 s and 5.3 GB against 2.8 s and 263 MB with 2."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(edition.build, "_available_mb", lambda: memory_mb)
    with pytest.warns(UserWarning, match=f"--jobs 64 capped at {expected}"):
        assert edition.build.usable_jobs(64) == expected
    assert edition.build.usable_jobs(None) == expected
    assert edition.build.usable_jobs(1) == 1


def test_jobs_above_the_cores_build_with_one_note(tmp_path, capsys):
    folder = settings_edition(tmp_path / "ed", "")
    code, _, err = run(capsys, "build", str(folder), "-o", str(tmp_path / "o.pdf"), "-q",
                       "--jobs", "500")
    assert code == 0, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("edition: warning: --jobs 500 capped at")


# ---------------------------------------------------------------- marked-up runs


@pytest.mark.parametrize("fmt", ["md", "xml"])
def test_a_paragraph_of_too_many_marked_runs_is_refused(tmp_path, capsys, fmt):
    """`*a**` × 50,000 (200 KB, one paragraph) took 80 s and 840 MB to lay out, a box for
    each of its runs; a paragraph is refused past 10,000 of them, at its line."""
    runs = 10_001
    if fmt == "md":
        folder = settings_edition(tmp_path / "ed", "", body="*a*b" * runs)
        where = "001.md:6: "
    else:
        folder = tei_edition(tmp_path, "<head>A</head>\n<p>" + "<hi>a</hi>b" * runs + "</p>")
        where = "a.xml:3: "
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, where, "more than 10,000 marked-up runs")


def test_a_paragraph_of_twenty_kilobytes_of_emphasis_is_read(tmp_path, capsys):
    folder = settings_edition(tmp_path / "ed", "", body="*a*b" * 5000)
    code, _, err = run(capsys, "check", str(folder))
    assert code == 0 and not err, err
