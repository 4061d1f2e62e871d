"""Settings a publisher changes: trim size, where documents start, the standalone index."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from edition.build import typeset
from edition.cli import main

ROOT = Path(__file__).resolve().parents[1]
PT_PER_MM = 72 / 25.4


def _sample_copy(tmp_path: Path, extra_toml: str = "") -> Path:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source", source)
    if extra_toml:
        text = (source / "edition.toml").read_text(encoding="utf-8")
        (source / "edition.toml").write_text(text + "\n" + extra_toml, encoding="utf-8")
    return source


@pytest.mark.parametrize("trim, size_mm", [
    ("a4", (210, 297)), ("letter", (215.9, 279.4)), ("156x234mm", (156, 234))])
def test_trim_sizes(tmp_path, trim, size_mm):
    source = _sample_copy(tmp_path)
    book = typeset(source, trim=trim, front_matter=False, index=False)
    reader = PdfReader(io.BytesIO(book.pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(size_mm[0] * PT_PER_MM, abs=0.5)
    assert float(box.height) == pytest.approx(size_mm[1] * PT_PER_MM, abs=0.5)
    assert not [f for f in book.findings if f.severity == "error"]


def _opening_pages(book) -> list[int]:
    report = book.body.laid.report
    return sorted(report.anchors[doc.id][0] for doc in book.volume.documents)


def test_documents_start_on_a_recto_when_asked(tmp_path):
    book = typeset(_sample_copy(tmp_path), document_start="recto", front_matter=False,
                   index=False)
    openings = _opening_pages(book)
    assert all(page % 2 == 0 for page in openings), openings  # index 0 is folio 1, a recto
    # Where a document ends on a recto, the verso before the next one is truly blank.
    texts = book.body.laid.report.page_texts
    blanks = [page - 1 for page in openings[1:] if not texts[page - 1].strip()]
    assert blanks, "the sample has a document ending on a recto"


def test_documents_run_on_when_asked(tmp_path):
    new_page = typeset(_sample_copy(tmp_path / "a"), front_matter=False, index=False)
    run_on = typeset(_sample_copy(tmp_path / "b"), document_start="run-on",
                     front_matter=False, index=False)
    report = run_on.body.laid.report
    tops = [report.anchors[doc.id][2] for doc in run_on.volume.documents[1:]]
    assert any(top > 200 for top in tops), "a document opens below another's end"
    assert run_on.page_count < new_page.page_count


def test_index_command_writes_pdf_csv_and_json(tmp_path, capsys):
    source = _sample_copy(tmp_path)
    for name in ("index.pdf", "index.csv", "index.json"):
        assert main(["index", str(source), "-o", str(tmp_path / name)]) == 0
    capsys.readouterr()
    with pdfplumber.open(tmp_path / "index.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert text.lstrip().startswith("Index") and "Kádár, János" in text
    rows = list(csv.DictReader((tmp_path / "index.csv").open(encoding="utf-8")))
    data = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert rows and len(rows) == len(data)
    kadar = [r for r in data if r["key"] == "kadar"]
    assert kadar and all(r["page_label"] for r in kadar)
    assert any(r["in_note"] is True for r in data)
