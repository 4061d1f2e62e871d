"""Openings: a division with no text of its own shares its page with what follows.

A chapter that is only its head (a FRUS chapter, then its compilation with a note in
its head) takes no page of its own: its title, the next division's and the first
document's heading stand on one page, as the printed volumes set them; a chapter with a
paragraph of its own keeps its page. On `tests/fixtures/tei/openings.xml` (made-up
text) and on a Markdown chapter that is only a title. The tests read the built PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from edition.build import build, typeset
from edition.layout.runs import split_runs
from edition.model import Document, PageMarker, Paragraph, Pos, Text, walk
from edition.render import one_line
from tests.pages import only_a_title, whole_body_pdf

FIXTURE = Path(__file__).parent / "fixtures" / "tei" / "openings.xml"
DOC1 = "1. Memorandum of a Conversation, Department of State,"
DOC2 = "2. Telegram From the Embassy in Norway"
DOC3 = "3. Letter From the Ambassador in Finland"
COMPILATION_NOTE = "For earlier documentation on the northern countries"


def body_texts(book, pdf: bytes) -> list[str]:
    """The text of each body page (after the front matter), top to bottom."""
    skip = _front(book)
    return pdf_texts(pdf)[skip:skip + len(book.body.labels)]


def pdf_texts(pdf: bytes) -> list[str]:
    # A note number is followed by an en space in the PDF text.
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [(page.extract_text() or "").replace("\u2002", " ") for page in doc.pages]


def page_with(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if text in page)


def first_lines(page: str, count: int = 1) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()][:count]


@pytest.fixture(scope="module")
def fixture_book():
    # A page per document, said so: the tests below also check that a document after a
    # document, and one after a chapter with text, still starts a page.
    return typeset(FIXTURE, jobs=1, document_start="new-page")


# ---------------------------------------------------------------- the model


def _doc(number: str, kind: str, *body) -> Document:
    return Document(number=number, title=[Text(number)], source=Path("x"), pos=Pos("x"),
                    kind=kind, body=list(body))


def test_openings_are_chapters_without_text_of_their_own():
    marker = Paragraph([PageMarker("1")])  # a <pb/> between the head and the documents
    words = Paragraph([Text("An introduction.")])
    part, compilation, doc = _doc("p", "chapter"), _doc("c", "chapter", marker), \
        _doc("1", "document")
    prose, doc2, last = _doc("q", "chapter", words), _doc("2", "document"), \
        _doc("z", "chapter")
    assert not walk.has_own_text(compilation) and walk.has_own_text(prose)
    opens = walk.openings([part, compilation, doc, prose, doc2, last])
    # Both titles open the document's page; the chapter with prose and the last chapter
    # (nothing follows it) open nothing.
    assert opens == [doc, doc, None, None, None, None]


# ---------------------------------------------------------------- the pages


def test_empty_chapter_and_compilation_share_the_first_documents_page(fixture_book):
    """Norway and its compilation head Document 1's page; Finland, with a paragraph of
    its own, keeps its page."""
    pages = body_texts(fixture_book, fixture_book.pdf)
    first = page_with(pages, DOC1)
    assert first == 0
    page = pages[first]
    assert "Norway" in page and "U.S. Relations with Norway" in page
    # The compilation's note stands at the foot of that page.
    assert COMPILATION_NOTE in page
    with pdfplumber.open(io.BytesIO(fixture_book.pdf)) as pdf:
        words = pdf.pages[_front(fixture_book) + first].extract_words()
    top = {w["text"]: w["top"] for w in reversed(words)}
    assert top["Norway"] < top["Memorandum"] < top["earlier"]
    titles = {one_line(doc.title) for doc in fixture_book.volume.documents}
    assert not [i for i, text in enumerate(pages) if only_a_title(text, titles)]
    # The opening page has no running head; the document's later pages keep theirs.
    assert first_lines(page) == ["Norway"]
    assert first_lines(pages[first + 1]) == ["Openings fixture"]
    assert first_lines(pages[first + 2])[0].startswith("Document No. 1: Memorandum")
    # A chapter with a paragraph of its own keeps its page, as before.
    finland = page_with(pages, "The documents on Finland printed here")
    assert first_lines(pages[finland]) == ["Finland"]
    assert DOC3 not in pages[finland]
    assert pages[finland + 1].lstrip().startswith(DOC3)
    # A document after a document still starts a page (documents.start = "new-page").
    assert pages[page_with(pages, DOC2)].lstrip().startswith(DOC2)


def test_contents_outline_and_anchors_name_the_shared_page(fixture_book):
    report = fixture_book.body.laid.report
    chapter, compilation, doc1 = fixture_book.volume.documents[:3]
    assert report.anchors[chapter.id][0] == report.anchors[compilation.id][0] \
        == report.anchors[doc1.id][0] == 0
    reader = PdfReader(io.BytesIO(fixture_book.pdf))
    marks = {item.title: reader.get_destination_page_number(item)
             for item in reader.outline if not isinstance(item, list)}
    first = _front(fixture_book)
    assert marks["Norway"] == marks["U.S. Relations with Norway"] == first
    assert marks["Document No. 1: Memorandum of a Conversation, May 3, 1955"] == first
    contents = next(page.extract_text() for page in reader.pages
                    if (page.extract_text() or "").lstrip().startswith("Contents"))
    assert "Norway . " in contents and "U.S. Relations with Norway . " in contents
    lines = [" ".join(line.split()) for line in contents.splitlines()]
    assert next(line for line in lines if line.startswith("Norway")).endswith(" 1")


def _front(book) -> int:
    front = book.part("front")
    return len(front.labels) + front.blanks_after if front else 0


# ---------------------------------------------------------------- runs


def _whole_body_texts(source: Path, **overrides) -> list[str]:
    """The body laid out as one HTML, one layout (no runs): the pages runs must give."""
    return pdf_texts(whole_body_pdf(source, **overrides))


@pytest.mark.parametrize("start", ["new-page", "run-on", "recto"])
@pytest.mark.parametrize("profile", ["book", "handout"])
def test_runs_cut_only_where_a_page_starts(start, profile, tmp_path):
    """--jobs 1, --jobs 2 and one layout of the whole body: the same text on every
    page, the opening's page shared (runs are never cut after an opening). The handout
    has no named pages: its breaks between chapters and documents are said outright."""
    options = {"document_start": start, "profile": profile, "cache": False}
    one = build(FIXTURE, tmp_path / "one.pdf", jobs=1, **options)
    two = build(FIXTURE, tmp_path / "two.pdf", jobs=2, **options)
    # The handout's runs are laid out one after another in one process (its
    # "page x of y"), but laid out as runs all the same.
    assert two.runs.jobs == (2 if profile == "book" else 1) and two.runs.total > 1
    mine = body_texts(one, one.pdf)
    assert mine == body_texts(two, two.pdf)
    whole = _whole_body_texts(FIXTURE, document_start=start, profile=profile)
    assert mine == whole
    assert "Norway" in mine[0] and DOC1 in mine[0]
    runs = split_runs(one.volume)
    assert runs[0] == range(0, 3 if start != "run-on" else 4)


# ---------------------------------------------------------------- Markdown


def test_markdown_chapter_of_only_a_title_opens_the_documents_page(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "edition.toml").write_text('title = "Chapters"\n')
    (source / "0001-chapter.md").write_text(
        '+++\nnumber = "c1"\ntitle = "Part One"\nkind = "chapter"\n+++\n')
    (source / "0001.md").write_text(
        '+++\nnumber = "1"\ntitle = "First document"\n+++\n\nThe first text.\n')
    (source / "0002-chapter.md").write_text(
        '+++\nnumber = "c2"\ntitle = "Part Two"\nkind = "chapter"\n+++\n\n'
        'An introduction of its own.\n')
    (source / "0002.md").write_text(
        '+++\nnumber = "2"\ntitle = "Second document"\n+++\n\nThe second text.\n')
    book = build(source, tmp_path / "out" / "a.pdf", jobs=1, cache=False)
    pages = body_texts(book, book.pdf)
    first = pages[page_with(pages, "Part One")]
    assert "Document No. 1: First document" in first and "The first text." in first
    two = page_with(pages, "Part Two")
    assert "Second document" not in pages[two]
    assert "Document No. 2: Second document" in pages[two + 1]


def test_handout_heads_name_documents_never_a_chapters_key(tmp_path):
    """The handout's head names the document ("Document No. 2"); a chapter, having no
    number to print, is named by its short title, never by its internal key."""
    pages = pdf_texts(build(FIXTURE, tmp_path / "handout.pdf", profile="handout").pdf)
    heads = [first_lines(page)[0] for page in pages]
    assert any(head.endswith("Document No. 1") for head in heads)
    numbers = [head.rsplit("Document No. ", 1)[1] for head in heads if "Document No. " in head]
    assert numbers and all(number.isdigit() for number in numbers), numbers


def test_opening_titles_stand_centred_over_the_page(fixture_book):
    """"Norway" and "U.S. Relations with Norway" centred on the text block, as the
    printed volumes set a chapter and its compilation; the document's title flush left."""
    pages = body_texts(fixture_book, fixture_book.pdf)
    with pdfplumber.open(io.BytesIO(fixture_book.pdf)) as pdf:
        page = pdf.pages[_front(fixture_book) + page_with(pages, DOC1)]
        lines: dict[float, list] = {}
        for word in page.extract_words():
            lines.setdefault(round(word["top"]), []).append(word)
    spans = {" ".join(w["text"] for w in ws): (min(w["x0"] for w in ws),
                                                max(w["x1"] for w in ws))
             for ws in lines.values()}
    text_left = spans[next(t for t in spans if t.startswith("1. Memorandum"))][0]
    norway = spans["Norway"]
    relations = spans[next(t for t in spans if t.startswith("U.S. Relations with Norway"))]
    # Both centred on one axis, well right of the document title's flush-left start.
    assert abs((norway[0] + norway[1]) / 2 - (relations[0] + relations[1]) / 2) < 3
    assert norway[0] > text_left + 50 and relations[0] > text_left + 10
