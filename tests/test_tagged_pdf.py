"""The archive PDF's tags as PDF/UA-1 expects them (issue 28, point 12), read back from the
built sample with pikepdf: notes and their calls, heading levels, artifacts, hyphenated
words. (veraPDF is not available here: these are the checks it would make that can be
made from the tree.)"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from edition.build import typeset
from edition.errors import EditionError

SOURCE = Path(__file__).resolve().parents[1] / "source"
HYPHEN = "\u2010"  # WeasyPrint's hyphenate character


@dataclass
class Element:
    kind: str  # "/Note", "/H2" …
    node: pikepdf.Dictionary
    text: str = ""  # the text of its own marked content
    kids: list[Element] = field(default_factory=list)

    def all_text(self) -> str:
        """Its text as the structure reads it (ActualText stands for the content)."""
        if "/ActualText" in self.node:
            return str(self.node["/ActualText"])
        return self.text + "".join(kid.all_text() for kid in self.kids)


def _marked_text(path: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) → the text marked with it."""
    texts: dict[tuple[int, int], str] = {}
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (index, char["mcid"])
                    texts[key] = texts.get(key, "") + char["text"]
    return texts


def _tree(path: Path) -> list[Element]:
    """The structure elements in reading order (the Document's descendants)."""
    texts = _marked_text(path)
    out: list[Element] = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def walk(node, page: int | None) -> Element:
            if "/Pg" in node:
                page = pages[node.Pg.objgen]
            element = Element(str(node.S), node)
            out.append(element)
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    element.text += texts.get((page, kid), "")
                elif kid.get("/Type") != "/OBJR":
                    element.kids.append(walk(kid, page))
            return element

        walk(pdf.Root.StructTreeRoot.K[0], None)
        # Keep what the tests read while the file is open.
        for element in out:
            element.node = {k: element.node[k] for k in ("/ID", "/ActualText")
                            if k in element.node} | {
                "/Ref": [str(ref.ID) for ref in element.node.get("/Ref", [])]}
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("tagged") / "archive.pdf"
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SOURCE_DATE_EPOCH", raising=False)
        made = datetime.now(UTC).replace(microsecond=0)
        path.write_bytes(typeset(SOURCE, profile="archive").pdf)
    return path, _tree(path), (made, datetime.now(UTC))


def test_notes_are_note_elements_each_with_its_own_id(archive):
    _, tree, _ = archive
    notes = [e for e in tree if e.kind == "/Note"]
    assert len(notes) >= 20  # the sample's 20 notes, 3 continued on the next page
    ids = [e.node["/ID"] for e in notes]
    assert all(ids) and len(set(ids)) == len(ids)
    # Each note's number is its label (a note's part continued from the page before
    # has none).
    assert sum(any(k.kind == "/Lbl" for k in n.kids) for n in notes) == 20


def test_calls_are_references_linked_to_their_notes(archive):
    _, tree, _ = archive
    notes = {str(e.node["/ID"]): e for e in tree if e.kind == "/Note"}
    calls = [e for e in tree if e.kind == "/Reference"]
    assert len(calls) == 20
    for call in calls:
        number = call.all_text().strip()
        assert call.node["/Ref"], number
        first = notes[call.node["/Ref"][0]]
        label = next(k for k in first.kids if k.kind == "/Lbl")
        assert label.all_text().strip() == number


def test_an_apparatus_entry_is_a_note_whose_empty_call_is_no_reference(tmp_path):
    """An apparatus entry is a footnote whose call prints nothing: a Note, with no empty
    Reference (the critical fixture: one footnote, one apparatus entry)."""
    path = tmp_path / "critical.pdf"
    path.write_bytes(typeset(Path(__file__).parent / "fixtures" / "critical-md",
                             profile="archive").pdf)
    tree = _tree(path)
    calls = [e for e in tree if e.kind == "/Reference"]
    assert [call.all_text().strip() for call in calls] == ["1"]
    # The footnote and both entries are Notes; an entry set over two lines of the
    # apparatus may be two parts of one (its id with "-2").
    ids = [str(e.node["/ID"]) for e in tree if e.kind == "/Note"]
    assert {"note-1", "appe-10", "appe-11"} <= set(ids)
    assert all(re.fullmatch(r"(note-1|appe-10|appe-11)(-\d+)?", i) for i in ids), ids


def test_headings_follow_the_model_and_never_skip_a_level(archive):
    _, tree, _ = archive
    heads = [(int(e.kind[2]), e.all_text()) for e in tree if re.fullmatch(r"/H[1-6]", e.kind)]
    assert heads[0][0] == 1
    for (before, _), (level, text) in zip(heads, heads[1:], strict=False):
        assert level <= before + 1, (before, level, text)
    levels = {text.strip(): level for level, text in heads}
    assert levels["Contents"] == 2
    # A document's title H2, its heading (`##` in the source) H3 under it.
    assert any(level == 2 and "Presidium Meeting" in text for level, text in heads)
    assert levels["On Hungary"] == 3


def test_leaders_and_running_heads_are_not_in_the_structure(archive):
    path, tree, _ = archive
    text = "".join(e.text for e in tree)
    assert ". . ." not in text and ". ." not in text.replace(" ", " ")
    assert "Editorial Principles" in text  # the contents' entries are
    with pdfplumber.open(path) as pdf:
        # Page 2 of the body: its running head and folio, and nothing else, unmarked.
        page = pdf.pages[9]
        unmarked = "".join(c["text"] for c in page.chars if c.get("mcid") is None)
        assert unmarked == "Soviet Decision-Making and the Hungarian Revolution, 19562"
    _assert_all_text_tagged_or_artifact(path)


def _assert_all_text_tagged_or_artifact(path: Path) -> None:
    """Every text-showing operator lies in marked content with an MCID or in an
    /Artifact (PDF/UA: no content is neither)."""
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            stack: list[str] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "BMC":
                    stack.append(str(operands[0]))
                elif op == "BDC":
                    mcid = "/MCID" in operands[1] if isinstance(
                        operands[1], pikepdf.Dictionary) else False
                    stack.append("mcid" if mcid else str(operands[0]))
                elif op == "EMC":
                    stack.pop()
                elif op in ("Tj", "TJ", "'", '"'):
                    assert "mcid" in stack or "/Artifact" in stack, (number, operands)


def test_a_hyphenated_word_is_one_word_in_the_structure(archive):
    _, tree, _ = archive
    split = [e for e in tree if e.text.rstrip().endswith(HYPHEN)]
    assert split  # the sample hyphenates "offen-sive" on page 10
    for span in split:
        whole = span.node.get("/ActualText")
        assert whole is not None and not str(whole).endswith(HYPHEN), span.text
    reading = " ".join(e.all_text() for e in tree if not e.kids)
    assert "offensive" in reading and "offen" + HYPHEN not in reading
    # Nothing read twice or lost: the structure reads the printed characters, less the
    # hyphens that broke words (a line both ending one word and beginning another too).
    printed = "".join(e.text.removesuffix(HYPHEN) if "/ActualText" in e.node else e.text
                      for e in tree if not e.kids)
    assert sorted(reading.replace(" ", "")) == sorted(printed.replace(" ", ""))


def test_heading_levels_come_from_the_nesting_not_the_source_numbers():
    """`###` right under a document's title is H3; a deeper jump in the source (`##`
    then `####`) is one level down; an attachment's title opens a level of its own."""
    from edition.model import Attachment, Document, Heading, Pos, Text
    from edition.render.html import HtmlRenderer

    renderer = HtmlRenderer([])
    renderer.begin_document(Document(number="1", title=[Text("T")], source=Path("1.md"),
                                     pos=Pos("1.md")))
    assert [renderer.heading_tag(level) for level in (3, 2, 4, 2)] == ["H3", "H3", "H4", "H3"]
    html = renderer.attachment(Attachment(title=[Text("Annex")], blocks=[
        Heading(level=2, inlines=[Text("A")])]))
    assert 'data-pdf-tag="H3">Annex' in html and 'data-pdf-tag="H4">A' in html
    assert renderer.heading_tag(3) == "H4"  # under the document's last `##` again


# ------------------------------------------------------------------ XMP dates


def _dates(path: Path) -> tuple[list[str], list[str], list[str]]:
    """The XMP CreateDate and ModifyDate, the Info dict's, and dc:date."""
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        xmp = [meta["xmp:CreateDate"], meta["xmp:ModifyDate"]]
        info = [str(pdf.docinfo.CreationDate), str(pdf.docinfo.ModDate)]
        return xmp, info, list(meta["dc:date"])


def test_xmp_dates_are_the_files_and_the_volumes_year_is_dc_date(archive):
    path, _, (start, end) = archive
    xmp, info, year = _dates(path)
    made = datetime.strptime(xmp[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert start <= made <= end and xmp[1] == xmp[0]
    assert info == [made.strftime("D:%Y%m%d%H%M%SZ")] * 2
    assert year == ["2025"]  # the sample's `year`, which dated the file before


def test_source_date_epoch_dates_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "epoch.pdf"
    path.write_bytes(typeset(SOURCE, profile="archive", documents=["53"]).pdf)
    xmp, info, year = _dates(path)
    assert xmp == ["2023-11-14T22:13:20Z"] * 2
    assert info == ["D:20231114221320Z"] * 2
    assert year == ["2025"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(EditionError, match="SOURCE_DATE_EPOCH"):
        typeset(SOURCE, profile="archive", documents=["53"])
