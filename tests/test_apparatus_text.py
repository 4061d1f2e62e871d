"""The critical apparatus's encodings, line counting and the entry's text: double
end-point attachment, verse numbered by its own numbers, the `[lines]` and
`[apparatus]` settings, read back from the PDF.

Tests that read ../shared/corpus/critical skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.errors import EditionError
from edition.model import plain_text, walk
from edition.readers.tei import read_tei
from tests.test_apparatus import CRITICAL, entries, needs_corpus

WITNESSES = """<listWit><witness xml:id="A">Codex Alpha</witness>
<witness xml:id="B">Codex Beta</witness></listWit>"""


def tei_file(tmp_path: Path, body: str, method: str = "double-end-point",
             lang: str = "en", name: str = "critical.xml") -> Path:
    path = tmp_path / name
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{lang}"><teiHeader><fileDesc>
<titleStmt><title>Apparatus test</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt>
<sourceDesc>{WITNESSES}</sourceDesc></fileDesc>
<encodingDesc><variantEncoding method="{method}" location="external"/></encodingDesc>
</teiHeader><text><body>{body}</body></text></TEI>""", encoding="utf-8")
    return path


def words_of(pdf: Path) -> list[list[dict]]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [p.extract_words(x_tolerance=1, extra_attrs=["size"]) for p in doc.pages]


# ---------------------------------------------------------------- double end-point

OVERLAP = """<div type="chapter" n="1"><head>Overlap</head>
<p>Alpha <anchor xml:id="a1"/>beta gamma <anchor xml:id="a2"/>delta epsilon.</p>
<p>Zeta <anchor xml:id="a3"/>eta theta.</p>
<app from="#a1" to="#a3"><rdg wit="#A">Omnes</rdg></app>
<app from="#a2" to="#a3"><lem wit="#B">delta epsilon. Zeta</lem><rdg wit="#A">Delta</rdg></app>
<p>Iota <app to="#a4"><rdg wit="#B">Kappa</rdg></app>kappa lambda<anchor xml:id="a4"/> mu.</p>
</div>"""


def test_double_end_point_lemmas_overlap_and_cross_paragraphs(tmp_path):
    result = read_tei(tei_file(tmp_path, OVERLAP))
    found = entries(result)
    cited = {plain_text(e.cited_words(), " ", one_line=True): e for e in found}
    # The lemma is the base text between the points, across the paragraph's end; one
    # given by `lem` is cited as given; `@to` alone starts at the app's own place.
    assert set(cited) == {"beta gamma delta epsilon. Zeta", "delta epsilon. Zeta",
                          "kappa lambda"}
    assert cited["delta epsilon. Zeta"].lemma.witnesses == ["B"]
    # The text prints each word once, and no reading.
    doc = result.documents[0]
    text = " ".join(plain_text(i, " ", one_line=True)
                    for i, _, _ in walk.runs(*walk.document_groups(doc)))
    assert "Alpha beta gamma delta epsilon." in text and "Zeta eta theta." in text
    assert "Iota kappa lambda mu." in text
    assert "Omnes" not in text and "Delta" not in text and "Kappa" not in text


def test_double_end_point_pointing_at_nothing_is_an_error_with_its_line(tmp_path):
    body = '<div><p>Alpha <anchor xml:id="a1"/>beta.</p>\n<app from="#a1" to="#zz">' \
           '<rdg wit="#A">x</rdg></app></div>'
    with pytest.raises(EditionError) as caught:
        read_tei(tei_file(tmp_path, body))
    assert caught.value.line == 9 and "#zz" in str(caught.value)


def test_double_end_point_entries_stand_on_their_lemma_page_in_the_pdf(tmp_path):
    """A lemma that starts after many paragraphs: the entry is at the foot of the page
    where its first word lands, with that word's line, and cites the lemma."""
    from edition.build import build

    filler = "".join(f"<p>Filler{k} " + "lorem ipsum dolor sit amet " * 12 + "</p>"
                     for k in range(12))
    body = (f'<div type="chapter" n="1"><head>Far</head>{filler}'
            '<p>Start <anchor xml:id="s"/>Lemmaword runs on</p><p>and ends<anchor xml:id="e"/>'
            ' here.</p><app from="#s" to="#e"><rdg wit="#A">Variantword</rdg></app></div>')
    pdf = tmp_path / "far.pdf"
    book = build(tei_file(tmp_path, body), pdf, cache=False)
    report = book.body.laid.report
    assert len(report.entries) == 1
    entry = report.entries[0]
    assert entry.entry_page == entry.lemma_page and entry.printed == entry.line > 0
    pages = words_of(pdf)
    lemma_page = next(i for i, ws in enumerate(pages)
                      if any(w["text"] == "Lemmaword" and w["size"] >= 9.5 for w in ws))
    foot = " ".join(w["text"] for w in pages[lemma_page] if w["size"] < 9.5)
    assert "Lemmaword … ends]" in foot and "Variantword" in foot
    assert not any(w["text"] == "Variantword" and w["size"] >= 9.5
                   for ws in pages for w in ws)


@needs_corpus
def test_the_guidelines_double_end_point_example_prints_every_entry(tmp_path):
    from edition.build import build

    pdf = tmp_path / "wbp.pdf"
    book = build(CRITICAL / "wbp-double-end-point.xml", pdf, cache=False)
    report = book.body.laid.report
    # Two from the back's lists, one in-line, two overlapping in line 117.
    assert len(report.entries) == 5
    assert all(e.entry_page == e.lemma_page and e.printed == e.line > 0
               for e in report.entries)
    assert not [f for f in book.findings if f.severity == "error"]
    foot = " ".join(w["text"] for ws in words_of(pdf) for w in ws if w["size"] < 9.5)
    assert "of so parfit wys Hg] in what wise was Ha4" in foot
    assert "wys a wight Hg] was a wight El Ha4" in foot
