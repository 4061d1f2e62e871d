"""The index of places (issue 26, point 4): a TEI register of places (`listPlace` in
`back` or `standOff`) and the mentions that point at it (`placeName @ref/@key`,
`rs type="place"`) make an index after the index of names, page-exact like it.

Each test reads the built PDF: the pages each place's mentions landed on (the PDF's
named destinations of their `name-<k>` ids, with the PDF's page labels) are compared
with the locators printed in the index of places.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

import edition.build
from edition.backmatter.render import _without_final_stop
from edition.build import build
from edition.cli import main

CORPUS_LETTERS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "letters"

# A sentence of filler: enough of it makes a letter run over several pages.
FILLER = ("Die Freundschaft der Schauspielerinnen und die Theaterkritik beschäftigen mich "
          "sehr, und ich schreibe dir davon ausführlich, wie du weißt. ")

LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title level="a">{title}</title></titleStmt>
      <publicationStmt><publisher>Probe</publisher></publicationStmt>
      <sourceDesc><msDesc><msIdentifier><repository>Archiv</repository>
        <idno>{idno}</idno></msIdentifier></msDesc></sourceDesc>
    </fileDesc>
    <profileDesc><langUsage><language ident="de">German</language></langUsage>
    </profileDesc>
  </teiHeader>
  {stand_off}
  <text>
    <body>
      <div type="writingSession">
        {paragraphs}
      </div>
    </body>
    {back}
  </text>
</TEI>
"""

# The first letter's register stands in `standOff`, the second's in `back`; the places
# are mentioned by `placeName @ref`, `placeName @key`, `rs type="place"`, once in a note.
REGISTER_A = """<standOff><listPlace>
    <place xml:id="vie"><placeName>Wien</placeName><placeName type="alternative-name">Vienna
      </placeName><location type="located_in_place"><placeName>Österreich</placeName>
      </location></place>
    <place xml:id="isc"><placeName>Bad Ischl</placeName><country>Österreich</country></place>
    <place xml:id="nev"><placeName>Nirgendheim</placeName><note>nie erwähnt</note></place>
  </listPlace></standOff>"""
REGISTER_B = """<back><listPlace>
    <place xml:id="ber"><placeName>Berlin</placeName><desc>Hauptstadt</desc></place>
    <place xml:id="vie"><placeName>Wien</placeName></place>
  </listPlace></back>"""


def _paragraphs(mentions: list[str], filler: int) -> str:
    """A paragraph per mention, each after `filler` sentences of filler."""
    return "\n".join(f"<p>{FILLER * filler}{mention} und weiter.</p>" for mention in mentions)


def write_letters(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    first = _paragraphs([
        'Ich war in <placeName ref="#vie">Wien</placeName>',
        'Dann fuhr ich nach <rs type="place" ref="#isc">Ischl</rs>'
        '<note place="foot">In <placeName key="vie">Wien</placeName> erst später.</note>',
        'Zurück in <placeName ref="#vie">Wien</placeName> sah ich '
        '<placeName ref="https://example.org/place/1">Linz</placeName>',
    ], filler=14)
    second = _paragraphs([
        'Aus <placeName ref="#ber">Berlin</placeName> grüße ich',
        'Und aus <rs type="place" ref="#vie">der Residenzstadt</rs> auch',
    ], filler=10)
    (folder / "a.xml").write_text(LETTER.format(
        title="Erster Brief", idno="A 1", stand_off=REGISTER_A, paragraphs=first, back=""),
        encoding="utf-8")
    (folder / "b.xml").write_text(LETTER.format(
        title="Zweiter Brief", idno="B 2", stand_off="", paragraphs=second, back=REGISTER_B),
        encoding="utf-8")
    return folder


# ---------------------------------------------------------------- reading the PDF


def destination_labels(pdf: bytes) -> dict[str, str]:
    """Every named destination of the PDF (an HTML id) → the page label it lands on."""
    reader = PdfReader(io.BytesIO(pdf))
    labels = reader.page_labels
    return {name: labels[reader.get_destination_page_number(dest)]
            for name, dest in reader.named_destinations.items()}


def part_text(pdf: bytes, first: int, count: int, columns: bool = True) -> str:
    """The text of pages `first`… of the PDF as one line (a turnover line joined to its
    entry); with `columns`, the two columns of an index read one after the other, its
    title (the first line of its first page, across both) first."""
    texts = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages[first:first + count]):
            if not columns:
                texts.append(page.extract_text() or "")
                continue
            below = 0
            if number == 0:
                title = page.extract_text_lines()[0]
                texts.append(title["text"])
                below = title["bottom"]
            # The middle of the text block (the margins are mirrored, the page's middle
            # is not the columns'), folios at the foot left out.
            chars = [c for c in page.chars if below < c["top"] < page.height * 0.9]
            middle = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
            for left in (True, False):
                texts.append(_column(page, below, middle, left).extract_text() or "")
    return " ".join(" ".join(texts).split()).replace("\u2010 ", "")


def _column(page, below: float, middle: float, left: bool):
    """The page's objects below `below` in its left (or right) column."""
    def keep(obj: dict) -> bool:
        centre = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        return obj.get("top", 0) > below and (centre < middle) == left
    return page.filter(keep)


def locator_pages(locators: str) -> set[str]:
    """`2–3, 4n3, 9` → {"2", "3", "4", "9"}: the pages a run of locators cites."""
    pages: set[str] = set()
    for locator in locators.split(", "):
        page = re.match(r"\d+(?:\u2013\d+)?", locator.strip())
        if page is None:
            continue
        first, _, last = page.group(0).partition("\u2013")
        if last:
            # A Chicago range abbreviates its end (101–8): restore its leading digits.
            last = first[:len(first) - len(last)] + last
            pages.update(str(n) for n in range(int(first), int(last) + 1))
        else:
            pages.add(first)
    return pages


def printed_places(book) -> dict[str, set[str]]:
    """Each place's heading → the pages the index of places prints for it."""
    index = book.part("places-index")
    assert index is not None, "no index of places was made"
    first = sum(len(p.labels) + p.blanks_after for p in book.parts[:book.parts.index(index)])
    text = part_text(book.pdf, first, len(index.labels))
    found: dict[str, set[str]] = {}
    for entry in book.place_entries:
        ident = _without_final_stop(entry.identification)
        lead = entry.heading + (f", {ident}" if ident else "") + ", "
        at = text.find(lead)
        assert at >= 0, f"{lead!r} is not printed in the index of places"
        run = re.match(r"[\dn\u2013, ]+", text[at + len(lead):])
        found[entry.heading] = locator_pages(run.group(0).rstrip(", ") if run else "")
    return found


def landed_places(book) -> dict[str, set[str]]:
    """Each place's heading → the pages its mentions landed on in the PDF."""
    where = destination_labels(book.pdf)
    places = book.volume.places
    landed: dict[str, set[str]] = {}
    for occ in book.occurrences:
        if occ.kind == "place":
            landed.setdefault(places[occ.key].index_form, set()).add(where[occ.anchor])
    return landed


# ---------------------------------------------------------------- the fixture


@pytest.fixture(scope="module")
def places_book(tmp_path_factory):
    folder = write_letters(tmp_path_factory.mktemp("places") / "letters")
    return build(folder, folder / "output" / "letters.pdf", cache=False, jobs=1)


def test_each_place_cites_the_pages_its_mentions_landed_on(places_book):
    landed = landed_places(places_book)
    assert set(landed) == {"Wien", "Bad Ischl", "Berlin"}
    # The mentions spread over several pages, so the test proves page-exactness.
    assert len(landed["Wien"]) >= 3
    assert printed_places(places_book) == landed


def test_unmentioned_places_and_other_place_names_are_not_indexed(places_book):
    book = places_book
    headings = [e.heading for e in book.place_entries]
    assert headings == ["Bad Ischl", "Berlin", "Wien"]  # sorted; Nirgendheim never named
    index = book.part("places-index")
    first = sum(len(p.labels) + p.blanks_after for p in book.parts[:book.parts.index(index)])
    text = part_text(book.pdf, first, len(index.labels))
    assert text.startswith("Ortsregister")  # the letters are German (langUsage)
    assert "Nirgendheim" not in text and "Linz" not in text
    assert "Wien, Österreich," in text and "Berlin, Hauptstadt," in text
    # The register is data, never printed as text; the mention in a foreign URI prints.
    body = " ".join(PdfReader(io.BytesIO(book.pdf)).pages[i].extract_text() or ""
                    for i in range(first))
    assert "nie erwähnt" not in body and "Linz" in body


def test_the_contents_list_the_index_of_places(places_book):
    index = places_book.part("places-index")
    front = places_book.part("front")
    text = part_text(places_book.pdf, 0, len(front.labels), columns=False)
    assert re.search(rf"Ortsregister[ .]*{index.labels[0]}", text)


def test_places_setting_false_prints_no_index_of_places(tmp_path):
    folder = write_letters(tmp_path / "letters")
    (folder / "edition.toml").write_text("[index]\nplaces = false\n", encoding="utf-8")
    book = build(folder, folder / "output" / "l.pdf", cache=False, jobs=1)
    assert book.part("places-index") is None and not book.place_entries
    assert "Ortsregister" not in "".join(p.extract_text() or ""
                                            for p in PdfReader(io.BytesIO(book.pdf)).pages)


def test_a_wrong_locator_of_the_index_of_places_fails_the_preflight(tmp_path, monkeypatch,
                                                                     capsys):
    """The preflight proves the index of places' locators against the pages' text as it
    proves the index of names': a place cited on a page it is not on is an error."""
    folder = write_letters(tmp_path / "letters")
    real = edition.build.build_index

    def shifted(entries, refs, occurrences, locate):
        found = real(entries, refs, occurrences, locate)
        for entry in found:
            if entry.heading == "Berlin":
                for page in entry.pages:
                    page.index -= 1
        return found

    monkeypatch.setattr(edition.build, "build_index", shifted)
    out = folder / "output" / "l.pdf"
    assert main(["build", "--strict", "--jobs", "1", str(folder), "-o", str(out)]) == 1
    err = capsys.readouterr()
    assert "places-index-locator" in err.out + err.err
    assert "Berlin: 'Berlin'" in err.out + err.err


@pytest.mark.skipif(not CORPUS_LETTERS.is_dir(), reason="shared corpus not found")
def test_corpus_letters_places_cite_the_pages_their_mentions_landed_on(tmp_path):
    book = build(CORPUS_LETTERS, tmp_path / "output" / "letters.pdf", cache=False, jobs=1)
    landed = landed_places(book)
    assert len(landed) >= 5
    assert printed_places(book) == landed
    assert not [f for f in book.findings if f.rule == "places-index-locator"]
