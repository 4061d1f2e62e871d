"""The footnote engine: zero displaced notes, split notes, and guards on WeasyPrint internals.

The synthetic volume is the benchmark's generator at a smaller size; its long notes
(over half a page) force splits, and its calls near page feet force moved lines.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest
import weasyprint
from weasyprint import layout as wp_layout
from weasyprint.layout import LayoutContext
from weasyprint.layout import block as wp_block
from weasyprint.layout import inline as wp_inline
from weasyprint.layout import page as wp_page

from edition.build import typeset
from edition.layout import engine
from edition.layout.engine import footnotes, inflow, linebox, linebreak, seam

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synthetic import write_volume  # noqa: E402

LINEBOX_PARAMETERS = [
    "context", "box", "index", "child", "new_children", "page_is_empty",
    "absolute_boxes", "fixed_boxes", "adjoining_margins", "bottom_space",
    "position_y", "skip_stack", "first_letter_style", "first_line_style",
    "draw_bottom_decoration", "max_lines"]


def test_pinned_weasyprint_internals_are_what_the_patch_adapts():
    """Fails loudly on a WeasyPrint upgrade: re-check engine/ against the new source
    (the ported _linebox_layout has its own diff test in test_engine_seam.py)."""
    assert weasyprint.__version__ == engine.SUPPORTED_VERSION
    original = footnotes.STOCK["make_page"]
    assert list(inspect.signature(original).parameters) == [
        "context", "root_box", "page_type", "resume_at", "page_number", "page_state"]
    assert list(inspect.signature(linebox._linebox_layout).parameters) == LINEBOX_PARAMETERS
    upstream = seam.stock("weasyprint.layout.block._linebox_layout")
    assert list(inspect.signature(upstream).parameters) == LINEBOX_PARAMETERS
    for name in ("layout_footnote", "unlayout_footnote", "report_footnote",
                 "_update_footnote_area", "overflows_page"):
        assert hasattr(LayoutContext, name)
    for name in ("_break_line", "remove_placeholders", "collapse_margin"):
        assert hasattr(wp_block, name)
    source = inspect.getsource(footnotes.STOCK["block_level_layout"])
    assert "def block_level_layout(context, box, bottom_space, skip_stack" in source
    assert list(inspect.signature(linebreak.STOCK["split_first_line"]).parameters) == [
        "text", "style", "context", "max_width", "justification_spacing", "is_line_start",
        "minimum"]


def test_every_patched_name_is_weasyprints_own_and_used_by_that_name():
    """Each replaced name is defined where it is replaced, and upstream calls it by that
    name (a module global looked up at call time, or a method), so replacing it works."""
    # Seven for true footnotes and the hanging space; one for hyphenate-limit-lines; one
    # for a note split to make room for a block refused a break; four for linear cost
    # (scale.py); one recording the first page that reaches each element, so that a
    # label pass resumes there (relayout.py); one trying each inline box of a line once
    # for a break (waiting.py).
    assert len(seam.PATCHES) == 15
    for patch in seam.PATCHES:
        assert patch.name in vars(patch.owner), patch.where
        assert patch.stock.__module__.startswith("weasyprint."), patch.where
        assert patch.replacement.__module__.startswith("edition.layout.engine."), patch.where
    # The stages wrap stock functions, captured before anything was patched.
    assert footnotes.STOCK["block_level_layout"].__module__ == "weasyprint.layout.block"
    assert seam.stock("weasyprint.layout.page.block_level_layout") is wp_block.block_level_layout
    assert seam.stock("weasyprint.layout.block_level_layout") is wp_block.block_level_layout
    assert footnotes.STOCK["make_page"] is seam.stock("weasyprint.layout.page.make_page")
    assert linebreak.STOCK["split_first_line"] is seam.stock(
        "weasyprint.layout.inline.split_first_line")
    # Who calls them by these names: block_container_layout, make_page and
    # LayoutContext._update_footnote_area, remake_page, split_text_box.
    calls = [
        (wp_block.block_container_layout, "_linebox_layout"),
        (wp_block.block_container_layout, "_in_flow_layout"),
        (footnotes.STOCK["make_page"], "block_level_layout"),
        (LayoutContext._update_footnote_area, "block_level_layout"),
        (wp_page.remake_page, "make_page"),
        (wp_inline.split_text_box, "split_first_line"),
        (wp_page.remake_page, "set_page_type_computed_styles"),
        (wp_layout.layout_document, "layout_fixed_boxes"),
        (wp_page.make_all_pages, "remake_page"),
        (wp_inline.split_inline_box, "_break_waiting_children"),
    ]
    for caller, name in calls:
        assert name in caller.__code__.co_names, (caller.__qualname__, name)


def test_the_ported_copy_uses_upstreams_own_helpers():
    """The copy's free names are the very objects upstream's module uses."""
    upstream_globals = vars(wp_block)
    for name in linebox._linebox_layout.__code__.co_names:
        if name in vars(linebox) and name not in ("split_note", "orphan_room"):
            assert vars(linebox)[name] is upstream_globals[name], name
    assert linebox.split_note is footnotes.split_note
    for name in inflow._in_flow_layout.__code__.co_names:
        if name in vars(inflow) and name not in ("make_room", "refused_break", "fits"):
            assert vars(inflow)[name] is upstream_globals[name], name
    assert inflow.make_room is footnotes.make_room


def test_patched_installs_the_stages_only_inside():
    assert wp_block._linebox_layout is seam.stock("weasyprint.layout.block._linebox_layout")
    with engine.patched():
        assert wp_block._linebox_layout is linebox._linebox_layout
        assert wp_block._in_flow_layout is inflow._in_flow_layout
        assert wp_page.make_page is footnotes.make_page
        assert wp_page.block_level_layout is footnotes.block_level_layout
        assert weasyprint.layout.block_level_layout is footnotes.block_level_layout
        assert LayoutContext.layout_footnote is footnotes.layout_footnote
        assert LayoutContext.unlayout_footnote is footnotes.unlayout_footnote
        assert wp_inline.split_first_line is linebreak.split_first_line
    for patch in seam.PATCHES:
        assert getattr(patch.owner, patch.name) is patch.stock, patch.where


@pytest.fixture(scope="module")
def synthetic_book(tmp_path_factory):
    source = write_volume(tmp_path_factory.mktemp("synthetic") / "source", pages=45, seed=7)
    return typeset(source)


def _body(book):
    return book.body.laid.report


def test_every_note_starts_on_its_calls_page(synthetic_book):
    report = _body(synthetic_book)
    assert len(report.notes) > 100
    displaced = [n for n in report.notes if n.note_page != n.call_page]
    assert displaced == []
    assert not [f for f in synthetic_book.findings if f.rule == "note-displaced"]


def test_long_notes_are_split_onto_the_next_page(synthetic_book):
    report = _body(synthetic_book)
    split = [n for n in report.notes if n.continued_on]
    assert split, "the synthetic volume has notes over half a page: some must split"
    for note in split:
        assert note.continued_on[0] == note.note_page + 1


def test_notes_keep_their_order_on_every_page(synthetic_book):
    """A continuation comes first on its page, and numbers never go backwards."""
    report = _body(synthetic_book)
    pages: dict[int, list[int]] = {}
    for note in report.notes:
        for page in [note.note_page, *note.continued_on]:
            pages.setdefault(page, []).append(note.number)
    for numbers in pages.values():
        assert numbers == sorted(numbers)


def _lines_of(html: str) -> list[str]:
    from weasyprint import HTML

    from edition.layout.engine import boxes
    from edition.render import STYLES_DIR, font_config, stylesheets
    from edition.settings import load_settings

    fonts = font_config()
    document = HTML(string=html, base_url=STYLES_DIR.as_uri() + "/").render(
        stylesheets=stylesheets(load_settings(None), "book", fonts), font_config=fonts)
    return ["".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
            for page in document.pages for line in page._page_box.descendants()
            if isinstance(line, boxes.LineBox)]


NOTE_238 = (
    '<html lang="en"><body><p style="width:398px;font-size:8.2pt;text-indent:0;'
    'text-align:justify;hyphens:auto"><span>238 </span>The “propaganda side” involved '
    "preparing the documents that were to be issued at the start of military operations. "
    "See also attached resolution in this document. Probably dissatisfied with their work, "
    "the CPSU Presidium on November 3 handed the task over to <span>Mikoyan</span>, "
    "<span>Suslov</span> and <span>Shepilov</span>. See Document No. 78.</p></body></html>")


def test_a_hanging_space_before_an_inline_element_does_not_force_a_hyphen():
    with engine.patched():
        lines = _lines_of(NOTE_238)
    assert "dissatis\u2010" not in lines
    assert any(line.startswith("dissatisfied with their work") for line in lines)
    # Stock WeasyPrint 70.0 sets the word alone on its line: the fix is what prevents it.
    assert "dissatis\u2010" in _lines_of(NOTE_238)


STOCK_RENDER = """
import sys
from pathlib import Path
from weasyprint import HTML
from edition.build import load
from edition.layout.inspect import collect_report
from edition.render import STYLES_DIR, font_config, render_body, stylesheets
volume, _ = load(Path(sys.argv[1]))
fonts = font_config()
document = HTML(string=render_body(volume), base_url=STYLES_DIR.as_uri() + "/").render(
    stylesheets=stylesheets(volume.settings, "book", fonts), font_config=fonts)
report = collect_report(document)
print(sum(1 for n in report.notes if n.note_page != n.call_page))
"""


def test_stock_weasyprint_displaces_notes_in_the_same_volume(synthetic_book):
    """The volume is hard enough: unpatched WeasyPrint, in a fresh process, leaves notes
    away from their calls where the engine leaves none."""
    import subprocess

    source = synthetic_book.volume.sources[0].parent
    result = subprocess.run([sys.executable, "-c", STOCK_RENDER, str(source)],
                            capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert int(result.stdout.strip().splitlines()[-1]) > 0


def test_notes_over_a_page_long_get_pages_of_their_own(tmp_path, monkeypatch):
    """A continuation that would leave under a fifth of the page for text takes the page
    (text resumes after it), so no later call on that page has to wait."""
    import synthetic

    from edition.layout.engine import boxes

    def long_notes(self) -> str:
        roll = self.rng.random()
        count = self.rng.randint(20, 60) if roll < 0.08 else self.rng.randint(1, 4)
        return " ".join(self.sentence(6, 18) for _ in range(count))

    monkeypatch.setattr(synthetic.Writer, "note_text", long_notes)
    # The archive's tagged PDF is written in one piece: its runs keep their pages.
    book = typeset(write_volume(tmp_path / "source", pages=70, seed=3), front_matter=False,
                   index=False, profile="archive")
    body = _body(book)
    assert [n for n in body.notes if n.note_page != n.call_page] == []
    assert any(len(n.continued_on) >= 2 for n in body.notes), "a note runs over 2+ pages"
    pages = [page for run in book.body.runs for page in run.laid.document.pages]
    notes_only = [i for i, page in enumerate(pages)
                  if not any(isinstance(b, boxes.LineBox)
                             for b in page._page_box.children[0].descendants())]
    assert notes_only
    assert all(body.page_texts[i].strip() for i in notes_only)  # the notes are there


def test_tall_labels_stay_whole_and_clear_of_each_other(tmp_path):
    """Four speakers to one-line speeches: labels taller than their speeches, often at the
    foot of a page. No label may be broken across pages, leave its margin or collide."""
    import random

    rng = random.Random(1)
    words = "the of and to in that was for on with as by at from his it which this".split()

    def sentence(count: int) -> str:
        return " ".join(rng.choice(words) for _ in range(count)).capitalize() + "."

    parts = ['+++\nnumber = "1"\ntitle = "Labels"\n+++\n']
    for _ in range(120):
        if rng.random() < 0.5:
            parts.append("::: speech Zhukov, Voroshilov, Bulganin, Kaganovich\n"
                         f"{sentence(rng.randint(3, 12))}\n:::\n")
        else:
            parts.append(" ".join(sentence(rng.randint(5, 15))
                                  for _ in range(rng.randint(1, 4))) + "\n")
    (tmp_path / "001.md").write_text("\n".join(parts), encoding="utf-8")
    book = typeset(tmp_path, front_matter=False, index=False)
    report = _body(book)
    # Every label on one page only (a broken label shows as two placements).
    assert len({lab.anchor for lab in report.labels}) == len(report.labels)
    assert not [f for f in book.findings if f.rule.startswith("label")]


# A block that does not fit goes to page 2 through an unforced break; its top margin is
# truncated there (css-break-3), on a named page as on an unnamed one.
_MARGIN_HTML = """<style>
@page {{ size: 200px 200px; margin: 0 }}
html, body {{ margin: 0 }}
section {{ {page} }}
.a {{ height: 150px }}
.b {{ margin-top: 40px; height: 30px }}
</style>
<section><div class="a"></div><div class="b" id="b"></div></section>"""


@pytest.mark.parametrize("page", ["page: document", ""])
def test_a_margin_after_an_unforced_break_is_truncated_on_named_pages(page):
    with engine.patched():
        document = weasyprint.HTML(string=_MARGIN_HTML.format(page=page)).render()
    assert len(document.pages) == 2
    assert document.pages[1].anchors["b"][1] == 0  # at the top of page 2, not 40px down


def test_a_margin_after_a_forced_break_is_kept():
    html = _MARGIN_HTML.format(page="page: document").replace(
        "height: 30px }", "height: 30px; break-before: page }")
    with engine.patched():
        document = weasyprint.HTML(string=html).render()
    assert document.pages[1].anchors["b"][1] == 40


def test_abbreviations_are_never_hyphenated():
    """USAREUR, FedRep: no automatic hyphen inside a word with a capital after its first
    letter (Chicago 7.40); an ordinary word in the same narrow column still breaks."""
    html = ("<p lang='en-US' style='width: 62px; hyphens: auto; font-size: 14px; "
            "text-align: justify'>{}</p>")
    with engine.patched():
        for word, breaks in (("USAREUR", False), ("FedRepublic", False),
                             ("administration", True)):
            document = weasyprint.HTML(string=html.format(f"{word} {word} {word}")).render()
            text = "".join(box.text for page in document.pages
                           for box in _text_boxes(page._page_box))
            assert ("\u2010" in text) is breaks, (word, text)


def _text_boxes(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)
