"""The sample volume judged on the printed page: read back from the PDF alone.

These tests do not trust the layout report: they find calls, notes, labels, fonts and
folios in the PDF's text and geometry, as a proofreader holding the printout would.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from edition.build import build

ROOT = Path(__file__).resolve().parents[1]
MM = 72 / 25.4
NOTE_SIZE = 8.2  # points: 82 % of the 10 pt text


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "sample.pdf"
    book = build(ROOT / "source", out)
    return book, out


@pytest.fixture(scope="module")
def pages(sample):
    """Per PDF page: (label, words with size and font, page width, words by size only).

    Words split where the font changes; the second list keeps a roman call glued to the
    italic word it follows.
    """
    book, out = sample
    labels = PdfReader(out).page_labels
    with pdfplumber.open(out) as pdf:
        return [(labels[i], page.extract_words(extra_attrs=["size", "fontname"]),
                 page.width, page.extract_words(extra_attrs=["size"]))
                for i, page in enumerate(pdf.pages)]


def _body_pages(pages):
    return [(label, words, width) for label, words, width, _ in pages if label.isdigit()]


def _calls_and_notes(words):
    """Note numbers starting lines at the foot, and call numbers glued to body words."""
    notes = {int(w["text"]) for w in words
             if abs(w["size"] - NOTE_SIZE) < 0.3 and w["text"].isdigit()
             and w["x0"] < min(x["x0"] for x in words if x["size"] > 9.5) + 1}
    calls = set()
    for w in words:
        if w["size"] > 9.5:
            calls.update(int(m) for m in re.findall(r"(?<=[^\d\s(\[])(\d{3})(?!\d)", w["text"]))
    return calls, notes


def test_notes_235_to_242_stand_at_the_foot_of_their_calls_page(pages):
    found = {}
    for label, _, _, words in pages:
        if not label.isdigit():
            continue
        calls, notes = _calls_and_notes(words)
        for number in calls:
            found.setdefault(number, {})["call"] = label
        for number in notes:
            found.setdefault(number, {}).setdefault("note", label)
    for number in range(235, 243):
        assert number in found, f"note {number} not found in the PDF"
        assert found[number].get("call") == found[number].get("note"), (number, found[number])
    # The volume continues the numbering into documents 54 and 55.
    later = [n for n in found if n > 242]
    assert later and all(found[n].get("call") == found[n].get("note") for n in later)


def test_labels_stand_in_the_outer_margin_on_recto_and_verso(sample, pages):
    book, _ = sample
    settings = book.volume.settings
    sides = set()
    body = set(book.body.labels)
    for label, words, width in _body_pages(pages):
        if label not in body:
            continue
        recto = int(label) % 2 == 1
        inner, outer = settings.margin_inner * MM, settings.margin_outer * MM
        left, right = (inner, width - outer) if recto else (outer, width - inner)
        top, bottom = settings.margin_top * MM, settings.trim_mm[1] * MM - \
            settings.margin_bottom * MM
        for w in words:
            if w["size"] > 9.5 or abs(w["size"] - 9.0) > 0.3:
                continue  # labels are 9 pt; text 10 pt, notes 8.2 pt
            if not top <= w["top"] <= bottom:
                continue  # running heads and folios
            if recto:
                assert w["x0"] >= right - 0.5, (label, w["text"])
            else:
                assert w["x1"] <= left + 0.5, (label, w["text"])
            sides.add(recto)
    assert sides == {True, False}, "labels on both recto and verso pages"


def test_headnote_is_italic_with_reverse_italics(pages):
    words = [w for _, ws, _, _ in pages for w in ws]
    opening = next(i for i, w in enumerate(words) if w["text"] == "Presidium"
                   and words[i - 1]["text"] == "31")
    assert "Italic" in words[opening]["fontname"]
    # A book title inside a headnote flips to roman (Document 54).
    title = [w for w in words if w["text"] == "Hungarian" and w["size"] > 9.5]
    assert any("Italic" not in w["fontname"] for w in title)


def test_each_document_ends_with_its_bracketed_colophon(sample, pages):
    book, _ = sample
    starts = [label for label, words, _ in _body_pages(pages)
              if any(w["text"] == "Document" for w in words[:3])]
    colophons = [label for label, words, _ in _body_pages(pages)
                 if any(w["text"].startswith("[Source:") for w in words)]
    assert len(starts) == len(book.volume.documents) == len(colophons)
    # Each colophon stands on the page before the next document opens.
    for colophon, next_start in zip(colophons, starts[1:], strict=False):
        assert int(colophon) < int(next_start)


def test_only_the_bundled_fonts_are_embedded(sample):
    _, out = sample
    reader = PdfReader(out)
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"].get("/Font", {})
        for ref in resources.values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert fonts and all(f.startswith("Linux-Libertine") for f in fonts), fonts


def test_text_is_hyphenated(pages):
    ends = [w["text"] for _, words, _ in _body_pages(pages) for w in words
            if w["text"].endswith("\u2010") and len(w["text"]) > 2]
    assert len(ends) >= 3


def test_contents_folios_match_the_page_labels_and_outline(sample):
    book, out = sample
    reader = PdfReader(out)
    labels = reader.page_labels
    contents = next(i for i, p in enumerate(reader.pages)
                    if (p.extract_text() or "").lstrip().startswith("Contents"))
    text = reader.pages[contents].extract_text()
    outline = {o.title: reader.get_destination_page_number(o)
               for o in reader.outline if not isinstance(o, list)}
    for doc in book.volume.documents:
        folio = re.search(rf"(?m)^{doc.number} .*?(?:\n(?!\d\d ).*?)*?[ .](\d+)$", text).group(1)
        first = labels.index(folio)
        assert any(w == "Document" for w in (reader.pages[first].extract_text() or "").split()[:3])
        title = next(t for t in outline if t.startswith(f"Document No. {doc.number}:"))
        assert outline[title] == first
    assert labels[:2] == ["i", "ii"] and "1" in labels
    assert labels.index("1") % 2 == 0, "document 1 opens on a recto"


def _fold(text: str) -> str:
    text = text.replace("\u2010\n", "").replace("-\n", "").replace("\n", " ")
    return unicodedata.normalize("NFC", text)


def test_index_locators_are_proved_by_the_pdf_pages(sample):
    book, out = sample
    reader = PdfReader(out)
    labels = reader.page_labels
    checked = 0
    occurrences = {}
    for occ in book.occurrences:
        occurrences.setdefault(occ.key, []).append(occ)
    for entry in book.index_entries:
        if entry.key is None:
            continue
        forms = {o.text for o in occurrences[entry.key]}
        for page in entry.pages:
            text = _fold(reader.pages[labels.index(page.label)].extract_text() or "")
            assert any(form in text for form in forms), (entry.heading, page.label, forms)
            checked += 1
    assert checked > 40
