"""One make-up for every profile (issue 24): handouts of real and generated documents keep
every note on its call's page and leave no page under half full but a document's last.

The pages are judged twice: by the layout report (where each call and note landed,
which page ends a document) and by the PDF itself (how much of each page's text block
its lines cover, tests/proof.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from edition.build import load, typeset
from edition.cli import main
from edition.layout.preflight import check_layout
from tests.proof import page_fill, pdf_lines

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synthetic import VOLUME_SPEAKERS, write_volume  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(),
                                  reason=f"shared corpus not found at {CORPUS}")
# The handout's options that change its pages: line numbers, notes from 1, an index.
EVERYTHING = {"handout_line_numbers": True, "handout_notes": "restart",
              "handout_index": True}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """Four documents of speeches, long notes (some over half a page) and calls near
    page feet, whose handouts, set 1.15 times the book's size on A4, met WeasyPrint's
    rounding in the note area (engine/footnotes.py `_cut_off`) on almost every page."""
    return write_volume(tmp_path_factory.mktemp("makeup") / "source", pages=26, seed=24,
                        speakers=VOLUME_SPEAKERS)


def _judge(tmp_path: Path, book) -> tuple[list, list]:
    """The displaced notes, and the pages under half full that end no document."""
    report = book.body.laid.report
    displaced = [(n.number, report.label_of(n.call_page), report.label_of(n.note_page))
                 for n in report.notes if n.note_page != n.call_page]
    displaced += [f.message for f in book.findings if f.rule == "note-displaced"]
    path = tmp_path / "out.pdf"
    path.write_bytes(book.pdf)
    fill = page_fill(path)
    thin = [(page.label, round(fill[page.index], 2)) for page in report.pages
            if fill[page.index] < 0.5 and not page.before_break]
    return displaced, thin


@pytest.mark.parametrize("documents", [["1", "2"], ["3", "4"]])
@pytest.mark.parametrize("options", [{}, EVERYTHING], ids=["plain", "numbered-indexed"])
def test_handouts_of_generated_documents(tmp_path, generated, documents, options):
    book = typeset(generated, profile="handout", documents=documents, **options)
    report = book.body.laid.report
    assert len(report.notes) > 30 and len(report.pages) > 6
    assert _judge(tmp_path, book) == ([], [])


@needs_corpus
@pytest.mark.parametrize("documents", [["96", "97"], ["180", "181"], ["219", "238"],
                                       ["1", "96", "97", "98", "99"], None])
def test_handouts_of_frus_documents(tmp_path, documents):
    """None: all ten documents of the excerpt, with the volume's note numbers (before
    the rounding fix: 17 pages, page 11 a third full before the next document)."""
    source = CORPUS / "frus1955-57v26-excerpt.xml"
    options = EVERYTHING
    if documents is None:
        volume, _ = load(source)
        documents = [doc.number for doc in volume.documents if doc.kind != "chapter"]
        options = {**EVERYTHING, "handout_notes": "volume"}
    book = typeset(source, profile="handout", documents=documents, **options)
    assert book.body.laid.report.notes
    assert _judge(tmp_path, book) == ([], [])



def test_every_page_of_a_handout_with_an_index_has_one_folio(tmp_path, generated):
    """The index's pages print the handout's "page x of y", where the documents' pages
    do, and nothing else at the foot (they printed the book's folio in the corner too,
    and their footer 7 pt lower)."""
    book = typeset(generated, profile="handout", documents=["2"], **EVERYTHING)
    path = tmp_path / "handout.pdf"
    path.write_bytes(book.pdf)
    lines = pdf_lines(path)
    count = max(line.page for line in lines) + 1
    assert book.part("index") is not None
    places = set()
    for page in range(count):
        on_page = [line for line in lines if line.page == page]
        foot = max(line.top for line in on_page)
        # The foot's margin: below the text block's last line by more than this.
        folios = [line for line in on_page if line.top > foot - 12]
        assert [line.text for line in folios] == [f"page {page + 1} of {count}"], page + 1
        places.add((round(folios[0].top, 1), round(folios[0].x0, 1)))
    assert len(places) == 1, "the index's footer stands where the documents' does"


# ------------------------------------------------------------------ the preflight's make-up


def _laid_out(body: str, **options):
    """A document's text laid out as the body is (made up), and its report."""
    from edition.layout import paginate
    from edition.render import STYLES_DIR, font_config, stylesheets
    from edition.settings import load_settings

    fonts = font_config()
    css = stylesheets(load_settings(None), "book", fonts)
    html = (f'<html lang="en"><body><section class="document"><div class="doc-text">'
            f'{body}</div></section></body></html>')
    return paginate(html, css, STYLES_DIR.as_uri() + "/", font_config=fonts,
                    level=True, **options).report


def _text(seed: int):
    from synthetic import Writer

    writer = Writer(seed)
    return lambda sentences=5: "<p>" + writer.paragraph([], (sentences, sentences)) + "</p>"


def _rules(findings) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in findings]


def test_a_sub_heading_left_at_a_pages_foot_is_reported():
    paragraph = _text(3)
    # Its keep (base.css: break-after: avoid) undone, as a source's own style could.
    body = ("".join(paragraph() for _ in range(5))
            + '<p class="subhead" style="break-after: auto">On the Situation</p>'
            + '<p style="break-inside: avoid">' + paragraph(12)[3:] + paragraph())
    report = _laid_out(body)
    assert report.pages[0].ends_with_heading
    assert _rules(check_layout(report)) == [("heading-at-foot", "warning")]


def test_a_heading_over_a_table_is_not_at_the_foot():
    """What follows a heading on its page may be a table: the heading has its text,
    below it (a table's box holds no lines of its own)."""
    rows = "".join(f"<tr><td>{year}</td><td>{year % 7}</td></tr>"
                   for year in range(1861, 1871))
    body = f"<h2>Appendix B: Production Chart</h2><table><tbody>{rows}</tbody></table>"
    report = _laid_out(body)
    assert not report.pages[0].ends_with_heading
    assert "heading-at-foot" not in [f.rule for f in check_layout(report)]


def test_a_page_under_half_full_is_reported():
    """Three lines, then a block too tall for the rest of the page: no forced break
    follows, the page is under half full."""
    paragraph = _text(3)
    body = (paragraph(3) + paragraph(3) + '<div style="height: 6.5in; break-inside: avoid">'
            '</div>' + paragraph())
    report = _laid_out(body)
    findings = check_layout(report, spreads=False)
    assert _rules(findings) == [("half-empty-page", "warning")]
    assert findings[0].page == 0 and report.pages[0].fill < 0.5


def test_a_page_of_notes_only_is_reported():
    """A note of two pages called on the first: its continuation takes the second whole
    (engine/footnotes.py), and the page has no text."""
    from synthetic import Writer

    writer = Writer(5)
    note = ('<span class="fn" id="note-1" data-n="1">'
            + " ".join(writer.sentence(12, 18) for _ in range(90)) + "</span>")
    paragraph = _text(5)
    body = (f"<p>{writer.sentence()}{note} {writer.paragraph([], (4, 4))}</p>"
            + "".join(paragraph() for _ in range(8)))
    report = _laid_out(body)
    assert [page.notes_only for page in report.pages][:3] == [False, True, False]
    assert ("notes-only-page", "warning") in _rules(check_layout(report))


@needs_corpus
def test_strict_makeup_fails_on_short_pages_plain_strict_does_not(tmp_path, capsys):
    """The FRUS excerpt's book has pages ending 8.6 and 9 lines short (documents run on:
    the next one's head, dateline and source note do not fit): warnings, which only
    --strict=makeup refuses. A document number after a plain --strict stays one."""
    source = str(CORPUS / "frus1955-57v26-excerpt.xml")
    out = str(tmp_path / "book.pdf")
    assert main(["build", source, "-o", out, "-q", "--strict"]) == 0
    capsys.readouterr()
    assert main(["build", source, "-o", out, "-q", "--strict=makeup"]) == 1
    refused = capsys.readouterr().err
    assert "short-page" in refused and "notes-only-page" not in refused
    handout = str(tmp_path / "handout.pdf")
    assert main(["handout", source, "--strict", "96", "97", "-o", handout,
                 "-q"]) == 0


@needs_corpus
def test_the_makeup_setting_makes_plain_strict_fail_on_short_pages(tmp_path, capsys):
    """`[makeup] strict = true` in the edition's settings: a plain --strict refuses the
    FRUS excerpt's short pages, as --strict=makeup does."""
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "edition.toml").write_text(
        '[documents]\nstart = "run-on"\n[makeup]\nstrict = true\n', encoding="utf-8")
    (folder / "volume.xml").write_bytes((CORPUS / "frus1955-57v26-excerpt.xml").read_bytes())
    out = str(tmp_path / "book.pdf")
    assert main(["build", str(folder), "-o", out, "-q", "--strict"]) == 1
    assert "short-page" in capsys.readouterr().err


def test_a_page_break_of_the_original_between_divisions_adds_no_space(tmp_path):
    """A TEI `pb` between a division's head and its first document (FRUS: a chapter,
    then page 215, then document 96) is set with the division's title: the document's
    title stands where it stands without the `pb` (it stood a line lower)."""
    fixture = (Path(__file__).parent / "fixtures" / "tei" / "openings.xml").read_text(
        encoding="utf-8")
    assert '<pb n="1"/>' in fixture
    tops = []
    for name, text in (("with", fixture), ("without", fixture.replace('<pb n="1"/>', ""))):
        source = tmp_path / f"{name}.xml"
        source.write_text(text, encoding="utf-8")
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(typeset(source, front_matter=False).pdf)
        tops.append([(line.page, round(line.top, 1)) for line in pdf_lines(path)
                     if line.text.startswith("1. Memorandum")])
    assert tops[0] and tops[0] == tops[1]


def test_a_short_page_is_filled_by_setting_its_paragraphs_looser(monkeypatch):
    """Five paragraphs, then one that may not break (`break-inside: avoid`) and goes
    over whole: the first page would end about ten lines short. Paragraphs of the page
    whose last line is nearly full are set looser, each making one line more; the page
    still ends where it did (the next one begins with the same paragraph)."""
    from edition.layout import looseness

    def body() -> str:
        paragraph = _text(7)
        return ("".join(paragraph(4) for _ in range(5)) + '<p style="break-inside: avoid">'
                + paragraph(14)[3:] + paragraph())

    loosened = _laid_out(body())
    with monkeypatch.context() as patch:
        patch.setattr(looseness, "plan", lambda document, report: [])
        plain = _laid_out(body())
    assert loosened.pages[0].short_by <= plain.pages[0].short_by - 1
    assert loosened.page_texts[1][:80] == plain.page_texts[1][:80]
    assert len(loosened.pages) == len(plain.pages)


def test_loosened_pages_far_apart_are_laid_out_alone(monkeypatch):
    """Pages filled by looseness, pages apart: the layout starts again at each and keeps
    the pages between them from the layout before (engine/relayout.py), and every page
    is as a whole layout with the same rules makes it."""
    from edition.layout import engine, looseness

    def body() -> str:
        paragraph = _text(7)
        return "".join("".join(paragraph(4) for _ in range(5))
                       + '<p style="break-inside: avoid">' + paragraph(14)[3:] + "</p>"
                       + "".join(paragraph(6) for _ in range(40)) for _ in range(3))

    plans, passes = [], []
    plan, resume = looseness.plan, engine.relayout.resume
    monkeypatch.setattr(looseness, "plan", lambda *args: plans.append(plan(*args))
                        or plans[-1])
    monkeypatch.setattr(engine.relayout, "resume", lambda *args, **kwargs: passes.append(
        resume(*args, **kwargs)) or passes[-1])
    resumed = _laid_out(body())
    whole = _laid_out(body(), relayout=False)
    assert resumed.page_texts == whole.page_texts
    assert [p.short_by for p in resumed.pages] == [p.short_by for p in whole.pages]
    loosened = sorted({one.page for one in plans[0]})
    assert plans[0] == plans[1] and len(loosened) >= 3
    # The first pass laid out again only pages near those loosened: fewer than lie
    # between the first and the last of them, and not all in one stretch.
    laid = passes[0].laid
    assert len(laid) < loosened[-1] - loosened[0]
    assert laid[-1] - laid[0] + 1 > len(laid)


def test_the_plan_sets_each_paragraph_once_from_its_last_line(monkeypatch):
    """A paragraph on two pages of a short page's reach is one candidate, its loosening
    estimated from its last line (the piece broken at a page's foot ends in a full
    line, which would say it needs next to nothing) over all its word spaces."""
    from edition.layout import looseness, makeup
    from edition.layout.engine.relayout import MARK

    paragraph = _text(7)
    body = "".join("".join(paragraph(4) for _ in range(5))
                   + '<p style="break-inside: avoid">' + paragraph(14)[3:] + "</p>"
                   + "".join(paragraph(6) for _ in range(40)) for _ in range(3))
    pieces: dict[str, list] = {}
    plans = []
    plan = looseness.plan

    def spy(document, report):
        for index, page in enumerate(document.pages):
            for block in makeup._leaves(page._page_box):
                key = block.element.get(MARK) if block.element is not None else None
                if key and not plans:
                    pieces.setdefault(key, []).append((index, block))
        plans.append(plan(document, report))
        return plans[-1]

    monkeypatch.setattr(looseness, "plan", spy)
    _laid_out(body)
    keys = [one.key for one in plans[0]]
    assert len(keys) == len(set(keys))
    broken = [one for one in plans[0] if len(pieces[one.key]) > 1]
    assert broken
    for one in broken:
        # Not the floor that the full last line of its first piece would give.
        assert one.em > looseness.MIN_WORD_SPACING
        pages, blocks = zip(*pieces[one.key], strict=True)
        assert one.until == max(pages)
        assert one.em == pytest.approx(looseness._loosening(list(blocks)))


def _short_report(*short: float):
    from edition.layout.report import LayoutReport, PageInfo, Rect

    block = Rect(0, 0, 300, 500)
    return LayoutReport(pages=[
        PageInfo(i, str(i + 1), i % 2 == 0, 400, 600, block, block, text_bottom=500 - 20 * lines,
                 text_foot=500, line_pitch=20) for i, lines in enumerate(short)])


def test_a_plan_that_moved_pages_is_kept_when_it_leaves_fewer_faults():
    """A loosening of a paragraph broken at a page's foot may move the page's end, and
    every page after it is laid out anew: the whole layout is kept when it has fewer
    make-up faults than withdrawing the loosenings that failed would leave."""
    from edition.layout.looseness import Loosening, kept_whole

    plan = [Loosening("p1", 0, 0.05, 1), Loosening("p9", 2, 0.05, 2)]
    bad = {plan[1]}
    before = _short_report(3, 0, 3, 0, 0, 3)
    # The first page filled, the rest shifted: one short page left (withdrawing the
    # second loosening would leave two: the third page's and the last's).
    assert kept_whole(plan, bad, before, _short_report(0, 0, 0, 0, 3, 0))
    # The shift left three pages short: the withdrawal is expected to do better.
    assert not kept_whole(plan, bad, before, _short_report(0, 3, 0, 3, 3, 0))
