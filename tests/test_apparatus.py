"""The critical apparatus: the model, the TEI reader, the entries at the foot of the
lemma's page with the lemma's line number, read back from the PDF.

Tests that read ../shared/corpus/critical skip when it is absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from edition.errors import EditionError
from edition.model import Apparatus, Reading, Text, plain_text, walk
from edition.readers.tei import check_tei, read_tei
from edition.settings import Settings

CRITICAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "critical"
needs_corpus = pytest.mark.skipif(not CRITICAL.is_dir(),
                                  reason=f"shared corpus not found at {CRITICAL}")

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Critical test</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt>
<sourceDesc><listWit>
  <witness xml:id="wO"><abbr type="siglum">O</abbr><name>Oxoniensis</name></witness>
  <listWit xml:id="grp" n="β"><head>recentiores</head>
    <witness xml:id="M">Marcianus</witness>
    <witness xml:id="V">Vaticanus</witness>
  </listWit>
</listWit></sourceDesc></fileDesc>
<encodingDesc><variantEncoding method="{method}" location="internal"/></encodingDesc>
</teiHeader><text><body><div type="chapter" n="1"><head>Title
<app><lem wit="#wO">ἡμέραν</lem><rdg wit="#M">ἡμέρα</rdg></app></head>
{body}
</div></body></text></TEI>
"""


def tei(tmp_path: Path, body: str, method: str = "parallel-segmentation") -> Path:
    path = tmp_path / "critical.xml"
    path.write_text(HEADER.replace("{method}", method).replace("{body}", body),
                    encoding="utf-8")
    return path


def entries(result) -> list[Apparatus]:
    return [e for d in result.documents
            for e in walk.of_type(Apparatus, *walk.document_groups(d))]


# ---------------------------------------------------------------- the model


def test_an_entry_flattens_to_its_lemma_only():
    entry = Apparatus(Reading([Text("lemma")]), [Reading([Text("variant")], ["A"])])
    run = [Text("before "), entry, Text(" after")]
    assert plain_text(run) == "before lemma after"
    assert [t.text for t in walk.texts(run)] == ["before ", "lemma", " after"]


# ---------------------------------------------------------------- TEI


def test_tei_prints_the_lemma_and_keeps_readings_and_sigla(tmp_path):
    result = read_tei(tei(tmp_path, """<p>Ἀκούσατε <app>
      <lem wit="#wO">ἐγκωμιάσαι ἡμέραν</lem>
      <rdg wit="#M #V" xml:id="r1">ἡμέραν ἐγκωμιᾶσαι</rdg>
      <rdgGrp><rdg wit="#grp" type="transposition">x</rdg></rdgGrp>
      <witDetail target="#r1" wit="#M">in marg.</witDetail>
      <note>an editor's note</note></app> πάντες.</p>"""))
    doc = result.documents[0]
    text = plain_text(doc.body[0].inlines, one_line=True)
    assert text == "Ἀκούσατε ἐγκωμιάσαι ἡμέραν πάντες."
    assert plain_text(doc.title, one_line=True) == "Title ἡμέραν"
    entry = entries(result)[1]
    assert entry.lemma.witnesses == ["O"]
    first, grouped = entry.all_readings()
    assert (first.witnesses, plain_text(first.remarks[0])) == (["M", "V"], "in marg.")
    assert (grouped.witnesses, grouped.kind) == (["β"], "transposition")
    assert plain_text(entry.notes[0]) == "an editor's note"
    assert not doc.notes, "a note inside an app is the entry's, not a footnote"
    assert (result.witnesses["β"].members, result.witnesses["β"].description) == (
        ["M", "V"], "recentiores")
    assert result.witnesses["O"].description == "Oxoniensis"


def test_an_app_without_lemma_prints_the_base_witness_or_the_first_reading(tmp_path):
    body = """<p>a <app><rdg wit="#M">one</rdg><rdg wit="#V">two</rdg></app>
      <app><rdg wit="#M">three</rdg><rdg wit="#V"/></app> b</p>"""
    path = tei(tmp_path, body)
    first = read_tei(path)
    assert plain_text(first.documents[0].body[0].inlines, one_line=True) == "a one three b"
    based = read_tei(path, Settings(apparatus_base="V"))
    assert plain_text(based.documents[0].body[0].inlines, one_line=True) == "a two b"
    omitted = entries(based)[2]
    assert [(r.witnesses, r.kind) for r in omitted.readings] == [(["M"], "addition")]


def test_an_undeclared_witness_is_an_error_with_its_line(tmp_path):
    path = tei(tmp_path, '<p>a\n<app><lem>x</lem>\n<rdg wit="#Q">y</rdg></app></p>')
    with pytest.raises(EditionError) as caught:
        read_tei(path)
    assert (caught.value.line, "'#Q'" in caught.value.message) == (17, True)


def test_location_referenced_encoding_is_refused_in_one_line(tmp_path):
    path = tei(tmp_path, "<p>x</p>", method="location-referenced")
    run = subprocess.run([sys.executable, "-m", "edition.cli", "check", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert run.stderr.startswith(f"edition: {path}:12: location-referenced apparatus")


def test_check_no_longer_calls_app_lem_rdg_unknown(tmp_path):
    path = tei(tmp_path, '<p><app><lem>x</lem><rdg wit="#M"><lacunaStart/></rdg></app></p>')
    assert not [p for p in check_tei(path) if "unknown" in p]


@needs_corpus
@pytest.mark.parametrize("name", ["pta0039.pta001.pta-grc2.xml", "pta0001.pta036.pta-grc1.xml",
                                  "pta0029.pta002.pta-grc2.xml", "wbp-parallel-segmentation.xml",
                                  "propertius-1-15-line-variation.xml"])
def test_corpus_texts_read_with_every_reading_kept_out_of_the_text(name):
    result = read_tei(CRITICAL / name)
    found = entries(result)
    assert found and result.witnesses
    for entry in found:
        for reading in entry.all_readings():
            assert set(reading.witnesses) <= set(result.witnesses)
