"""The words the program adds print in the volume's language (issue 26, edition/terms.py):
a German letters volume says "Dokument Nr.", "[Quelle: …]", "Inhalt", "Personenregister",
"Seite 1 von 2", and none of the English words; `[terms]` overrides a word, and an
unknown term is refused in one line.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.build import build
from edition.cli import main

LETTERS = Path(__file__).parent / "fixtures" / "tei" / "letters"
# Every English word the program adds that a German volume could print.
ENGLISH = ["Document No.", "Source:", "Contents", "Index", "page ", " of ", "See",
           "Edited by", "Typeset in", "Index of Places"]


def pdf_words(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def outline(pdf: bytes) -> list[str]:
    def titles(items) -> list[str]:
        out = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out
    return titles(PdfReader(io.BytesIO(pdf)).outline)


def german_letters(folder: Path, toml: str = "") -> Path:
    """The fixture letters (langUsage de-AT) with editors and a register of places."""
    shutil.copytree(LETTERS, folder)
    (folder / "edition.toml").write_text(
        'title = "Briefwechsel"\neditors = ["Anna Muster", "Bernd Beispiel"]\n' + toml,
        encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def german_book(tmp_path_factory):
    folder = german_letters(tmp_path_factory.mktemp("terms") / "briefe")
    return build(folder, folder / "output" / "b.pdf", cache=False, jobs=1)


def test_a_german_volume_prints_german_words_and_no_english(german_book):
    text = pdf_words(german_book.pdf)
    flat = " ".join(text.split())
    assert "Dokument Nr. 2: Hugo von Hofmannsthal" in flat
    assert "[Quelle: Theatermuseum, Wien, HS AM 23325 Ba]" in flat
    assert "Inhalt" in text and "Personenregister" not in text  # one index: "Register"
    assert re.search(r"^Register$", text, re.M)
    assert "Herausgegeben von Anna Muster und Bernd Beispiel" in flat
    assert "Gesetzt in Linux Libertine" in flat
    found = [word for word in ENGLISH if word in text]
    assert not found, found
    # Running heads and the outline too.
    assert any(t.startswith("Dokument Nr. 1: ") for t in outline(german_book.pdf))
    assert not [t for t in outline(german_book.pdf) if "Document" in t or t == "Index"]


def test_a_german_handout_counts_seite_x_von_y(tmp_path):
    folder = german_letters(tmp_path / "briefe", "[handout]\nindex = true\n")
    out = tmp_path / "h.pdf"
    assert main(["handout", "1", "2", "-s", str(folder), "-o", str(out), "-q",
                 "--jobs", "1"]) == 0
    pages = [p.extract_text() or "" for p in PdfReader(out).pages]
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert f"Seite {number} von {len(pages)}" in page
        assert f"page {number} of" not in page


def test_terms_setting_overrides_a_word_and_refuses_an_unknown_term(tmp_path, capsys):
    folder = german_letters(tmp_path / "briefe", '[terms]\ndocument = "Brief"\n')
    book = build(folder, folder / "output" / "b.pdf", cache=False, jobs=1)
    flat = " ".join(pdf_words(book.pdf).split())
    assert "Brief 2: Hugo von Hofmannsthal" in flat and "Dokument Nr." not in flat
    (folder / "edition.toml").write_text('[terms]\ndocument = "Brief"\ndokument = "x"\n',
                                         encoding="utf-8")
    assert main(["build", str(folder), "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("edition: ") and "edition.toml:3:" in err
    assert "unknown term 'dokument'" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_french_volume_says_document_n_and_source(tmp_path):
    folder = german_letters(tmp_path / "lettres", 'language = "fr"\n')
    book = build(folder, folder / "output" / "l.pdf", cache=False, jobs=1)
    flat = " ".join(pdf_words(book.pdf).split())
    assert "Document n° 2" in flat and "[Source : " not in flat
    assert "[Source: Theatermuseum" in flat and "Table des matières" in flat
