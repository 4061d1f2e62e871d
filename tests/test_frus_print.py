"""Real FRUS TEI printed the way the series prints it (issue 11).

On `tests/fixtures/tei/frus-print.xml` (cut from FRUS 1955–57, vol. XXVI, public domain)
and on the shared corpus's excerpt of that volume (skipped when ../shared is absent).
Every test asserts on the built PDF's text, its words' positions or its outline.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from edition.build import typeset
from edition.model import PageMarker, Paragraph, Span, walk
from edition.readers import load_volume
from edition.render import one_line
from edition.transform import numbering
from tests.pages import only_a_title

FIXTURE = Path(__file__).parent / "fixtures" / "tei" / "frus-print.xml"
EXCERPT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "frus1955-57v26-excerpt.xml"
needs_excerpt = pytest.mark.skipif(not EXCERPT.is_file(), reason=f"{EXCERPT} not found")


def texts(pdf: bytes) -> list[str]:
    # A note number is followed by an en space in the PDF text.
    return [(page.extract_text() or "").replace("\u2002", " ")
            for page in PdfReader(io.BytesIO(pdf)).pages]


def lines_of(pdf: bytes, page_text: str) -> list[tuple[float, float, str]]:
    """(top, x0, text) of each line of the first page holding `page_text`."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = next(p for p in doc.pages if page_text in (p.extract_text() or ""))
        rows: dict[float, list] = {}
        for word in page.extract_words():
            rows.setdefault(round(word["top"], 0), []).append(word)
    return [(top, min(w["x0"] for w in ws), " ".join(w["text"] for w in ws))
            for top, ws in sorted(rows.items())]


def line(lines: list[tuple[float, float, str]], start: str) -> tuple[float, float, str]:
    return next(entry for entry in lines if entry[2].startswith(start))


@pytest.fixture(scope="module")
def fixture_book():
    return typeset(FIXTURE)


@pytest.fixture(scope="module")
def excerpt_book():
    return typeset(EXCERPT)


# ---------------------------------------------------------------- 1. numbers once


@needs_excerpt
def test_document_number_printed_once_in_heading_contents_and_outline(excerpt_book):
    pages = texts(excerpt_book.pdf)
    whole = "\n".join(pages)
    assert "96. Memorandum of a Conversation, Department of State," in whole
    # The running heads name the number once: "Document No. 96: Memorandum…" (the
    # documents run on, so the heads fall where they fall: each is checked).
    heads = re.findall(r"Document No\. (\d+): (\S+)", whole)
    assert len(heads) > 5 and ("Memorandum" in {word for _number, word in heads})
    assert not [number for number, word in heads if word.startswith(number)]
    assert "96. 96." not in whole and "96 96." not in whole
    contents = next(p for p in pages if p.lstrip().startswith("Contents"))
    # The contents' number column holds the number; the title does not repeat it.
    assert "96 Memorandum of a Conversation" in " ".join(contents.split())
    reader = PdfReader(io.BytesIO(excerpt_book.pdf))
    titles = [o.title for o in _flatten(reader.outline)]
    assert any(t.startswith("Document No. 96: Memorandum of a Conversation") for t in titles)
    assert not [t for t in titles if ": 96." in t or ": 180." in t]


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


# ---------------------------------------------------------------- 2. datelines


def test_dateline_as_the_source_writes_it_and_no_added_date(fixture_book):
    whole = "\n".join(texts(fixture_book.pdf))
    assert "1956-11-22" not in whole and "T23:00" not in whole
    assert whole.count("November 22, 1956") == 1  # the dateline, not an added line
    assert whole.count("Berlin, November 22, 1956—11 p.m.") == 1
    # Document 97's head carries its date; the dateline is the one date line.
    page = next(t for t in texts(fixture_book.pdf) if "97. Memorandum" in t)
    assert page.count("March 7, 1957") == 2


@needs_excerpt
def test_excerpt_prints_no_machine_dates(excerpt_book):
    whole = "\n".join(texts(excerpt_book.pdf))
    for raw in ("1955-09-30", "1956-11-23T", "T12:05", "1957-03-05"):
        assert raw not in whole


# ---------------------------------------------------------------- 3. lists


def test_lists_unbulleted_hanging_indent_own_numbers_and_page_break(fixture_book):
    pdf = fixture_book.pdf
    whole = "\n".join(texts(pdf))
    assert "•" not in whole
    lines = lines_of(pdf, "PARTICIPANTS")
    gray, rest = line(lines, "Mr. Gray"), line(lines, "the conversation on the Autobahn")
    assert rest[1] > gray[1] + 5  # a hanging indent
    assert line(lines, "1. Soviets")[1] == pytest.approx(gray[1], abs=1)  # number only
    brentano, krekeler = line(lines, "Mr. Von Brentano"), line(lines, "Dr. Krekeler")
    secretary = line(lines, "The Secretary of State")
    # The <lb/> between the sides is a gap; the <pb/> next to it made no item.
    assert secretary[0] - krekeler[0] > 1.4 * (krekeler[0] - brentano[0])
    volume = load_volume(FIXTURE)
    participants = next(b for b in walk.blocks(volume.documents[0].body)
                        if getattr(b, "items", None))
    assert len(participants.items) == 4


@needs_excerpt
def test_excerpt_terms_list_has_no_bullets(excerpt_book):
    pages = texts(excerpt_book.pdf)
    terms = next(p for p in pages if "List of Abbreviations" in p and "ACA," in p)
    assert "•" not in "\n".join(pages)
    assert all(ln.strip() for ln in terms.splitlines())


# ---------------------------------------------------------------- 4. note numbers


def test_source_numbering_keeps_the_sources_numbers(fixture_book):
    first = texts(fixture_book.pdf)[[i for i, t in enumerate(texts(fixture_book.pdf))
                                     if "180. Telegram" in t][0]]
    assert fixture_book.volume.settings.note_numbering == "source"
    # The source note is footnote 1, keyed to the heading; the others keep 2, 3, 5.
    assert "\n1 Source: Department of State, Central Files" in first
    assert "\n5 Not further identified." in first and "\n4 " not in first
    assert "footnote 5, supra" in "\n".join(texts(fixture_book.pdf))


def test_renumbered_notes_rewrite_the_references_that_name_them(tmp_path):
    book = typeset(FIXTURE, note_numbering="continuous")
    note = next(n for d in book.volume.documents for n in d.notes.values()
                if n.label == "d180fn5")
    assert note.number != 5
    whole = " ".join(" ".join(texts(book.pdf)).split())
    assert f"footnote {note.number}, supra" in whole and "footnote 5, supra" not in whole
    # The source note is the colophon when the book renumbers.
    assert "[Source: Department of State, Central Files" in whole


def test_check_lists_note_references_it_cannot_verify():
    volume = load_volume(FIXTURE)
    numbering.number_volume(volume)
    problems = numbering.unverified_note_references(volume)
    assert len(problems) == 1 and '"footnote 3"' in problems[0]
    assert problems[0].startswith(f"{FIXTURE}:36:")


# ---------------------------------------------------------------- 5. speakers and lines


def test_inline_speakers_run_in_small_capitals(fixture_book):
    whole = "\n".join(texts(fixture_book.pdf))
    assert "THE PRESIDENT" not in whole
    assert "The President: NATO is in good shape" in whole
    assert "Brentano: We agree." in whole
    paras = [b for b in walk.blocks(fixture_book.volume.documents[1].body)
             if isinstance(b, Paragraph)]
    runins = [p.inlines[0] for p in paras if isinstance(p.inlines[0], Span)]
    assert [s.role for s in runins] == ["speaker-runin"] * 4


def test_markdown_inline_speakers_take_the_same_style(tmp_path):
    (tmp_path / "01.md").write_text(
        '+++\nnumber = "1"\ntitle = "Minutes"\n+++\n\nTHE CHAIRMAN: We begin.\n\n'
        "Beam: Agreed.\n\nTHE CHAIRMAN: Then we close.\n\nBeam: Yes.\n", encoding="utf-8")
    book = typeset(tmp_path / "01.md")
    whole = "\n".join(texts(book.pdf))
    assert "THE CHAIRMAN" not in whole and "The Chairman: We begin." in whole
    first = book.volume.documents[0].body[0]
    assert isinstance(first, Paragraph) and first.inlines[0].role == "speaker-runin"


def test_lines_after_lb_align_with_the_first(fixture_book):
    lines = lines_of(fixture_book.pdf, "Mr. Harkort")
    first, second = line(lines, "Mr. Harkort"), line(lines, "Mr. Limbourg")
    assert first[1] == pytest.approx(second[1], abs=0.5)


# ---------------------------------------------------------------- 6. typography


def test_typographic_quotes_and_sub_heading(fixture_book):
    whole = "\n".join(texts(fixture_book.pdf))
    assert "“law of gravity”" in whole and "it’s the Soviets’ view" in whole
    assert 'rend="x"' in whole  # code-like content keeps its straight quotes
    lines = lines_of(fixture_book.pdf, "Enclosure")
    before, head = line(lines, "Mr. von Lilienfeld"), line(lines, "Enclosure")
    after = line(lines, "Memorandum From the Joint Chiefs")
    assert head[0] - before[0] > 1.5 * (after[0] - head[0])  # space above
    assert head[1] <= after[1]  # flush left, not indented


NBSP = "\u00a0"


def test_page_references_are_tied_in_the_model_whatever_the_reader(tmp_path):
    """"pp. 1717 ff.", "p. 12": no-break spaces after p./pp. and before f./ff., in TEI
    and Markdown alike, also where the number closes a link and "ff." follows it."""
    tei = tmp_path / "tei" / "v.xml"
    tei.parent.mkdir()
    tei.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
        "<title>T</title></titleStmt></fileDesc></teiHeader><text><body>"
        '<div type="document" n="1"><head>1. A telegram</head>'
        '<p>See p. 12 and pp. 40–44.<note n="1" xml:id="n1">See <ref target="x">'
        "<hi rend=\"italic\">Foreign Relations,</hi> vol. VII, pp. 1717</ref> ff.</note>"
        " At 3 p.m. on the ship. 12 men walked 12 feet, 9 f. and ff. The map, p.</p>"
        "<p>Times, p. A29; Record, pp. S16288–S16301; pp. B-2–4.</p>"
        "</div></body></text></TEI>", encoding="utf-8")
    md = tmp_path / "md"
    md.mkdir()
    (md / "001.md").write_text(
        '+++\nnumber = "1"\ntitle = "A telegram, see p. 3"\n+++\n\n'
        "See p. 12 and pp. 40–44.[^a] At 3 p.m. on the ship. 12 men walked 12 feet.\n\n"
        "[^a]: *Foreign Relations*, vol. VII, pp. [1717](doc:1) ff.\n", encoding="utf-8")
    for source in (tei, md):
        doc = load_volume(source).documents[0]
        body = "".join(t.text for t in walk.texts(doc.body))
        note = "".join(t.text for t in walk.texts(*(n.blocks for n in doc.notes.values())))
        assert f"See p.{NBSP}12 and pp.{NBSP}40–44." in body, source
        assert f"pp.{NBSP}1717{NBSP}ff." in note, source
        # Nothing else: "p.m.", a sentence's end before a number, "12 feet".
        assert "At 3 p.m. on the ship. 12 men walked 12 feet" in body, source
    tei_body = "".join(t.text for t in walk.texts(load_volume(tei).documents[0].body))
    assert f"12 feet, 9{NBSP}f. and ff. The map, p." in tei_body
    # A newspaper's or a record's page: a capital before the number.
    assert f"p.{NBSP}A29; Record, pp.{NBSP}S16288–S16301; pp.{NBSP}B-2–4." in tei_body
    assert f"see p.{NBSP}3" in "".join(t.text for t in walk.texts(
        load_volume(md).documents[0].title))


@needs_excerpt
def test_excerpt_page_reference_keeps_its_ff_on_the_line(excerpt_book):
    """The chapter note's "pp. 1717 ff." (the number closes a link) on one line."""
    lines = lines_of(excerpt_book.pdf, "For previous documentation, see")
    start = next(i for i, entry in enumerate(lines) if "previous documentation" in entry[2])
    note = [entry[2] for entry in lines[start:start + 2]]
    holding = [text for text in note if "1717" in text]
    assert holding and "pp. 1717 ff." in holding[0].replace(NBSP, " "), note


# ---------------------------------------------------------------- 7. the real excerpt


@needs_excerpt
def test_excerpt_builds_clean_with_source_numbers(excerpt_book):
    report = excerpt_book.body.laid.report
    assert [f for f in excerpt_book.findings if f.severity == "error"] == []
    # The documents run on: a page may end short only where the next document begins
    # at the head of the next page, its heading, dateline and first lines (with the
    # heading's notes) too tall for what was left; every other page is full.
    opening_pages = {page for name, (page, _x, y) in report.anchors.items()
                     if name.startswith("doc-")
                     and y - report.pages[page].text_block.y < 4 * report.pages[page].line_pitch}
    # A document that begins a page begins at the top of its text block: the gap that
    # separates it from the document before is truncated at the break (css-break-3).
    tops: dict[int, float] = {}
    for name, (page, _x, y) in report.anchors.items():
        if name.startswith("doc-") and page in opening_pages:
            top = y - report.pages[page].text_block.y
            tops[page] = min(top, tops.get(page, top))
    assert tops and max(tops.values()) < 0.5, tops
    short = [f for f in excerpt_book.findings if f.rule == "short-page"]
    assert short and all(f.page + 1 in opening_pages for f in short), short
    assert {f.rule for f in excerpt_book.findings} <= {"short-page", "uneven-spread"}
    assert all(n.note_page == n.call_page for n in report.notes)
    whole = "\n".join(texts(excerpt_book.pdf))
    # Document 1 keeps FRUS's numbers 2, 3, 6 (note 1 is the chapter's).
    assert "\n6 Printed from a copy that bears this typed signature." in whole
    assert "\n2 Source: Department of State, Central Files, 663.001/5–2555" in whole


# ---------------------------------------------------------------- 8. openings


@needs_excerpt
def test_excerpt_chapter_compilation_and_document_1_share_a_page(excerpt_book):
    """"Austria", "U.S. Relations with Austria" (its note at the foot) and Document 1 on
    one page, as the printed volume sets them: no page holds a title alone."""
    pdf = excerpt_book.pdf
    pages = [page.replace("\u2002", " ") for page in _plumber_texts(pdf)]
    heading = "1. Memorandum From the Secretary of State’s Special"
    index = next(i for i, page in enumerate(pages) if heading in page)
    lines = lines_of(pdf, heading)
    # The opening page: no running head above the chapter's title.
    assert lines[0][2] == "Austria"
    compilation = line(lines, "U.S. Relations with Austria")
    document = line(lines, heading)
    text = line(lines, "Accordingly, the Department believes")
    note = line(lines, "1 For previous documentation, see Foreign Relations")
    assert lines[0][0] < compilation[0] < document[0] < text[0] < note[0]
    titles = {one_line(doc.title) for doc in excerpt_book.volume.documents
              if doc.kind == "chapter"}
    assert "Austria" in titles and "U.S. Relations with Austria" in titles
    assert not only_a_title(pages[index - 1], titles)
    assert not [i for i, page in enumerate(pages) if only_a_title(page, titles)]
    # The contents and the outline give the three the same page.
    reader = PdfReader(io.BytesIO(pdf))
    marks = {item.title: reader.get_destination_page_number(item)
             for item in _flatten(reader.outline)}
    assert marks["Austria"] == marks["U.S. Relations with Austria"] == index
    assert marks["Document No. 1: Memorandum, May 25, 1955"] == index
    # The document's next page keeps its running head.
    assert lines_of(pdf, "(2) The Commanding General, USFA")[0][2].startswith(
        "Foreign Relations of the United States")


def _plumber_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


@needs_excerpt
def test_excerpt_heading_and_dateline_never_end_a_page_alone(excerpt_book):
    """Document 219's head and dateline fell at a page's foot, its SUBJECT on the next
    page: the dateline that opens a document is kept with what follows it."""
    pages = texts(excerpt_book.pdf)
    page = next(p for p in pages if "219. Memorandum of a Conversation" in p)
    assert "Conversations with Foreign Minister Brentano" in page


@needs_excerpt
def test_excerpt_persons_list_never_leaves_its_last_name_alone_on_a_page(excerpt_book):
    """The persons list ended with "Wilson, Charles E." alone at the head of page xi: a
    plain list breaks as a paragraph does, its last item kept with the one before."""
    pages = texts(excerpt_book.pdf)
    page = next(p for p in pages if "Wilson, Charles E., Secretary of Defense" in p)
    assert "Twining, General Nathan F." in page


@needs_excerpt
def test_excerpt_never_divides_an_abbreviation(excerpt_book):
    """"US‐AREUR" and "Fe‐dRep" were broken across lines: an abbreviation stays whole."""
    whole = "\n".join(texts(excerpt_book.pdf))
    assert "USAREUR" in whole and "FedRep" in whole
    broken = re.findall(r"(\w*[A-Z]\w*)\u2010\n(\w+)", whole)  # automatic hyphens only
    assert not [(a, b) for a, b in broken if any(c.isupper() for c in (a + b)[1:])], broken


def test_a_page_break_between_documents_adds_no_space(fixture_book, tmp_path):
    """A `<pb/>` standing between two documents (the source's page begins with the
    second) is set in the second's title: no paragraph of its own before the dateline,
    which would print nothing and yet push the dateline a line and a half down."""
    source = FIXTURE.read_text(encoding="utf-8")
    at = source.index('<div type="document" xml:id="d97"')
    with_pb = tmp_path / "frus-print.xml"
    with_pb.write_text(source[:at] + '<pb n="12"/>\n    ' + source[at:], encoding="utf-8")
    book = typeset(with_pb)
    plain = line(lines_of(fixture_book.pdf, "97. Memorandum"), "Washington, March 7")
    marked = line(lines_of(book.pdf, "97. Memorandum"), "Washington, March 7")
    assert marked[0] == pytest.approx(plain[0], abs=0.5)
    # The marker is kept, in the title: where the source's page 12 begins.
    second = next(doc for doc in book.volume.documents if doc.number == "97")
    assert [node.n for node in second.title if isinstance(node, PageMarker)] == ["12"]
    assert not second.headnote
