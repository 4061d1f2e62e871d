"""TEI sources through the whole book: fixtures, the sample volume, the shared corpus.

Every test builds a PDF and asserts on the layout report, the PDF's text or the preflight,
not on HTML. Tests that read ../shared/corpus skip when it is absent; the monograph is
marked `slow` (deselect with `-m "not slow"`).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.backmatter.names import verify_locators
from edition.backmatter.source import build_source_index, verify_source_index
from edition.build import build, typeset
from edition.layout.report import LayoutReport, NotePlacement, PageInfo, Rect
from edition.model import SourceIndexEntry as IndexEntry
from edition.model import ids
from edition.readers import load_volume

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "tei"
SAMPLE = FIXTURES / "frus-sample.xml"
SOURCE = ROOT / "source"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "frus-history"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(),
                                  reason=f"shared corpus not found at {CORPUS}")


def body_of(book):
    return book.body


def part_of(book, name):
    return next(p for p in book.parts if p.name == name)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def notes_on_call_page(book) -> list[str]:
    """Notes whose start is not on their call's page, as readable cases."""
    return [f"note {n.number}: call on page index {n.call_page}, note on {n.note_page}"
            for n in body_of(book).laid.report.notes if n.note_page != n.call_page]


def errors(book) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in book.findings if f.severity == "error"]


# ---------------------------------------------------------------- the FRUS-shaped fixture


@pytest.fixture(scope="module")
def sample_book():
    return typeset(SAMPLE)


def test_fixture_builds_with_colophons_at_each_documents_end(sample_book):
    report = body_of(sample_book).laid.report
    texts = {i: " ".join(t.split()) for i, t in report.page_texts.items()}
    # (document, its last words, words of its source note)
    cases = (("1", "Bohlen", "661.00/7–2055"), ("2", "meet at any time", "Whitman File"))
    for number, last_words, source in cases:
        first = report.anchors[f"doc-{number}"][0]
        next_doc = report.anchors.get(f"doc-{int(number) + 1}", (max(texts),))[0]
        pages = [i for i in range(first, next_doc + 1) if source in texts.get(i, "")]
        assert pages, f"colophon of document {number} not printed"
        text = texts[pages[0]]
        assert "[Source:" in text
        # Body text first, then the colophon: the source note ends the document.
        assert last_words in text and text.index(source) > text.index(last_words)
    assert not errors(sample_book)


def test_fixture_persons_list_is_the_register_and_its_locators_pass(sample_book):
    body = body_of(sample_book)
    entries = sample_book.index_entries
    headings = {e.heading for e in entries if e.key}
    assert {"Khrushchev, Nikita S.", "Bulganin, Nikolai A.", "Dulles, John Foster"} <= headings
    assert any(e.heading == "Krushchev" and e.see for e in entries)
    problems = verify_locators(entries, sample_book.occurrences, body.laid.report.page_texts)
    assert problems == []
    index_text = " ".join(pdf_pages(part_of(sample_book, "index").laid.document.write_pdf()))
    assert "Khrushchev, Nikita S." in index_text


def test_fixture_every_note_on_its_calls_page(sample_book):
    notes = body_of(sample_book).laid.report.notes
    assert len(notes) == 8
    assert notes_on_call_page(sample_book) == []


def test_fixture_persons_and_terms_print_in_the_front_matter(sample_book):
    front = " ".join(pdf_pages(part_of(sample_book, "front").laid.document.write_pdf()))
    assert "Persons" in front and "Abbreviations and Terms" in front
    assert "Deptel" in front


def test_documents_in_a_chapter_run_on_as_the_series_prints_them(sample_book, tmp_path):
    """FRUS sets a chapter's documents one after another, not a page each: the default
    for TEI holding several documents, in chapters or compilations or straight in the
    body (issue 24: an excerpt's documents are printed run on too); the settings may say
    otherwise, and a file of one document keeps its page."""
    report = body_of(sample_book).laid.report
    pages = [report.anchors[f"doc-{n}"] for n in "123"]
    assert sample_book.volume.settings.document_start == "run-on"
    # Document 2 begins on the page document 1 ends on, below its last words.
    assert pages[1][0] == pages[0][0] and pages[1][2] > pages[0][2]
    own_pages = typeset(SAMPLE, document_start="new-page").body.laid.report
    assert len({own_pages.anchors[f"doc-{n}"][0] for n in "123"}) == 3
    assert len(own_pages.pages) > len(report.pages)
    straight = load_volume(FIXTURES / "frus-print.xml")  # documents straight in the body
    assert straight.settings.document_start == "run-on"
    one = (FIXTURES / "frus-print.xml").read_text(encoding="utf-8")
    first = one.index('<div type="document"')
    second = one.index('<div type="document"', first + 1)
    end = one.rindex("</div>", first, one.index("</body>"))
    single = tmp_path / "one-document.xml"
    single.write_text(one[:second] + one[end + len("</div>"):], encoding="utf-8")
    assert load_volume(single).settings.document_start == "new-page"


def test_single_file_without_settings_takes_the_header_title(tmp_path):
    single = tmp_path / "alone.xml"
    shutil.copy(SAMPLE, single)  # a folder with no edition.toml and no persons.toml
    book = build(single, tmp_path / "alone.pdf")
    assert book.volume.settings.title.startswith("Foreign Relations of the United States")
    first_pages = " ".join(pdf_pages(book.pdf)[:4])
    assert "Soviet Union (Sample)" in first_pages
    assert (tmp_path / "alone.pdf").read_bytes()[:5] == b"%PDF-"


# ---------------------------------------------------------------- the sample volume


def test_sample_volume_numbers_notes_across_markdown_and_tei():
    book = typeset(SOURCE)
    docs = book.volume.documents
    tei = [d for d in docs if d.source.suffix == ".xml"]
    markdown = [d for d in docs if d.source.suffix == ".md"]
    assert [d.number for d in tei] == ["56"] and markdown
    last_markdown = max(n.number for d in markdown for n in d.notes.values())
    tei_numbers = sorted(n.number for n in tei[0].notes.values())
    assert tei_numbers == list(range(last_markdown + 1, last_markdown + 1 + len(tei_numbers)))
    report = body_of(book).laid.report
    # The numbers are printed: the TEI document's first note is on its call's page.
    placed = {n.number: n for n in report.notes}
    first = placed[tei_numbers[0]]
    assert first.note_page == first.call_page
    assert f"{tei_numbers[0]}" in report.page_texts[first.note_page]
    assert notes_on_call_page(book) == []
    # Its persName keys are the register's: the index cites document 56's pages.
    lodge = next(e for e in book.index_entries if e.key == "lodge")
    doc56 = report.anchors["doc-56"][0]
    assert any(p.index >= doc56 for p in lodge.pages)
    assert not errors(book)


# ---------------------------------------------------------------- edition check


def test_check_lists_unresolved_corresp_and_unknown_elements_by_line():
    unknown = FIXTURES / "unknown.xml"
    run = subprocess.run([sys.executable, "-m", "edition.cli", "check", str(unknown)],
                         capture_output=True, text=True, cwd=ROOT)
    out = run.stdout
    assert run.returncode == 1, run.stderr
    assert f"{unknown}:20: unknown TEI element <frobnicate>" in out
    assert f"{unknown}:21: unknown TEI element <wibble>" in out
    assert f"{unknown}:22: person reference '#nobody'" in out


def test_check_accepts_register_keys_used_by_a_tei_document():
    run = subprocess.run([sys.executable, "-m", "edition.cli", "check", "source"],
                         capture_output=True, text=True, cwd=ROOT)
    assert "056-" not in run.stdout, run.stdout


# ---------------------------------------------------------------- the source's own index


def _indexed_tei(paragraphs: int = 40) -> str:
    """A book with anchors, a range over several pages, an anchor in a note, an index."""
    filler = ("The committee returned to the question of access to the records and to the "
              "time the volumes took to prepare, and agreed to take it up again. ")
    body = []
    for k in range(paragraphs):
        marks = {2: '<anchor xml:id="a_point"/>', 5: '<anchor xml:id="a_from"/>',
                 30: '<anchor xml:id="a_to"/>'}.get(k, "")
        note = ('<note n="1">A note about <anchor xml:id="a_note"/>indexing.</note>'
                if k == 12 else "")
        body.append(f"<p>{marks}{filler * 3}{note}</p>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
<teiHeader><fileDesc><titleStmt><title>An Indexed Book</title></titleStmt>
<publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Test.</p></sourceDesc>
</fileDesc></teiHeader>
<text><body>
<div type="chapter" xml:id="c1"><head>The Only Chapter</head>{''.join(body)}</div>
</body><back>
<div type="section" xml:id="index"><head>Index</head><list>
<item><term>access to records</term>, <ref target="#a_point">3</ref>, <ref
 target="#range(a_from,a_to)">5–9</ref>; <term>indexing of</term>, <ref
 target="#a_note">7n</ref></item>
<item><term xml:id="in1">committee</term>, <ref target="#a_to">9</ref>. <hi
 rend="italic">See also</hi> <ref target="#in2">access to records</ref></item>
<item><term>records</term>. <hi rend="italic">See</hi> <ref target="#in1">access to
 records</ref></item>
</list></div></back></text></TEI>
"""


def test_source_index_is_regenerated_with_this_books_pages(tmp_path):
    source = tmp_path / "indexed.xml"
    source.write_text(_indexed_tei(), encoding="utf-8")
    book = typeset(source)
    body = body_of(book)
    anchors, labels = body.laid.report.anchors, body.labels
    lines = {line.term: line for line in book.source_index}
    access, sub = lines["access to records"], lines["indexing of"]
    assert sub.level == 1 and access.level == 0
    # The anchors' HTML ids are in the sources' namespace (model/ids.py).
    def page_of(anchor: str) -> int:
        return anchors[ids.source_anchor(anchor)][0]

    start, end = page_of("a_from"), page_of("a_to")
    assert end > start, "the range should cover several pages"
    assert f"{labels[start]}–" in ", ".join(access.locators)
    note_number = book.volume.documents[0].notes["1"].number
    assert sub.locators == [f"{labels[page_of('a_note')]}n{note_number}"]
    assert lines["records"].see == ["access to records"]
    assert not [f for f in book.findings if f.rule == "source-index-locator"]
    index = part_of(book, "source-index")
    assert int(index.labels[0]) % 2 == 1  # opens on a recto
    text = " ".join(pdf_pages(index.laid.document.write_pdf()))
    assert "access to records" in text and "See also" in text
    for locator in access.locators:
        assert locator in text


def test_source_index_preflight_reports_anchors_not_found():
    page = PageInfo(0, "1", True, 400, 600, Rect(40, 40, 320, 520), Rect(360, 40, 30, 520))
    # The report holds the anchors' HTML ids, in the sources' namespace (model/ids.py).
    report = LayoutReport(pages=[page], anchors={"src-here": (0, 50, 60),
                                                 "src-gone": (0, 50, 900)},
                          notes=[NotePlacement(4, "note-4", 0, 0)])
    entry = IndexEntry("topic", targets=[("here", None), ("missing", None), ("gone", None)])
    lines = build_source_index([entry], report, ["1"], {"here": 5})
    problems = verify_source_index(lines, report)
    assert any("'missing' was not placed" in p for p in problems)
    assert any("'gone' lies outside page 1" in p for p in problems)
    assert any("note 5" in p for p in problems)


# ---------------------------------------------------------------- the shared corpus


@needs_corpus
@pytest.mark.parametrize("name", ["foundation-of-frus", "1976-11-12-hac-meeting-with-kissinger"])
def test_corpus_article_and_minutes_build_without_findings(name, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        book = build(CORPUS / f"{name}.xml", tmp_path / f"{name}.pdf")
    notices = [str(w.message) for w in caught if "unknown TEI element" not in str(w.message)]
    assert notices == []
    assert errors(book) == []
    assert notes_on_call_page(book) == []
    assert len(PdfReader(tmp_path / f"{name}.pdf").pages) == book.page_count


@needs_corpus
@pytest.mark.slow
def test_monograph_builds_complete_with_its_index(tmp_path):
    book = build(CORPUS / "frus-history.xml", tmp_path / "frus-history.pdf")
    report = body_of(book).laid.report
    source_notes = sum(len(d.notes) for d in book.volume.documents)
    assert source_notes >= 1080
    assert len(report.notes) == source_notes
    assert notes_on_call_page(book) == []
    assert errors(book) == []  # overflow, tables outside the text block, index locators
    assert len(book.source_index) > 400
    cited = sum(len(line.cited) for line in book.source_index)
    missing = [a for line in book.source_index for a in line.missing]
    assert cited > 1500 and missing == []


def _page_markers(pdf: bytes) -> list[tuple[str, str, float, float, float]]:
    """(folio, marker text, x0, x1, page width) for every `[n]` set in a margin."""
    import pdfplumber

    labels = PdfReader(io.BytesIO(pdf)).page_labels
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            for word in page.extract_words():
                text = word["text"]
                if text.startswith("[") and text.endswith("]") and text[1:-1].isdigit():
                    found.append((labels[index], text, word["x0"], word["x1"], page.width))
    return found


def test_original_page_numbers_stand_in_the_inner_margin_when_asked(sample_book):
    mm = 72 / 25.4
    book = typeset(FIXTURES / "frus-sample.xml", show_original_pages=True)
    markers = _page_markers(book.pdf)
    settings = book.volume.settings
    assert sorted(m[1] for m in markers) == ["[12]", "[13]"]  # one copy each, no more
    for folio, _, x0, x1, width in markers:
        inner = settings.margin_inner * mm
        if int(folio) % 2:  # recto: the inner margin is on the left
            assert x1 <= inner + 0.5
        else:
            assert x0 >= width - inner - 0.5
    assert not [f for f in book.findings if f.severity == "error"]
    # Off by default.
    assert _page_markers(sample_book.pdf) == []
