"""Issue 29: an original and its translation, paired section by section and set in step.

The pairing is read from the sources (TEI `@corresp` or `div type="edition"` and
`"translation"` in one file; Markdown `translation-of`), contradictions are one-line
errors with file and line; the PDF shows each translation after its original, and the
handout sets the two side by side, each section pair starting at the same height.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from edition.cli import main
from edition.readers import load_volume

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "critical"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/critical")
GREEK, ENGLISH = "pta0039.pta001.pta-grc1.xml", "pta0039.pta001.pta-eng1.xml"

LONG = " ".join(["The original runs on here, far beyond its translation, sentence after "
                 "sentence of the long second section."] * 60)

ORIGINAL = f"""+++
number = "7"
title = "Protokoll der Sitzung"
lang = "de"
+++

## Eröffnung

Alpha eröffnet die Sitzung.[^o1]

## Bericht

Beta berichtet ausführlich. {LONG}

## Schluss

Gamma schließt die Sitzung.[^o2]

[^o1]: Anmerkung zum Original, erste.
[^o2]: Anmerkung zum Original, zweite.
"""

TRANSLATION = """+++
number = "7e"
title = "Minutes of the Meeting"
translation-of = "7"
+++

## Opening

Alpha opens the meeting.[^t1]

## Report

Beta reports at length.

## Close

Gamma closes the meeting.[^t2]

[^t1]: A note on the translation, first.
[^t2]: A note on the translation, second.
"""


def _markdown_pair(folder: Path, translation: str = TRANSLATION) -> Path:
    """The pair in a folder, the translation's file first by name."""
    folder.mkdir(exist_ok=True)
    (folder / "a-translation.md").write_text(translation, encoding="utf-8")
    (folder / "b-original.md").write_text(ORIGINAL, encoding="utf-8")
    return folder


def _pta(folder: Path) -> Path:
    if not (CORPUS / GREEK).is_file() or not (CORPUS / ENGLISH).is_file():
        pytest.skip("the shared corpus is absent")
    folder.mkdir(exist_ok=True)
    for name in (GREEK, ENGLISH):
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _build(capsys, source: Path, output: Path, *args: str) -> tuple[int, str]:
    code = main(["build", str(source), "-o", str(output), "-q", "--no-cache", *args])
    return code, capsys.readouterr().err


# ---------------------------------------------------------------- the pairing


def test_markdown_translation_follows_its_original_paired_in_order(tmp_path):
    volume = load_volume(_markdown_pair(tmp_path / "src"))
    assert [doc.number for doc in volume.documents] == ["7", "7e"]
    (pair,) = volume.pairs
    assert (pair.original.number, pair.translation.number) == ("7", "7e")
    assert [(o.pos.line, t.pos.line if t else None) for o, t in pair.sections] == [
        (7, 7), (11, 11), (15, 15)]


def test_pta_translation_pairs_with_the_greek_by_corresp_and_section_numbers(tmp_path):
    volume = load_volume(_pta(tmp_path / "src"))
    assert [doc.source.name for doc in volume.documents] == [GREEK, ENGLISH]
    (pair,) = volume.pairs
    assert [(o.n, t.n if t else None) for o, t in pair.sections] == [
        (str(k), str(k)) for k in range(1, 8)]
    greek_first = pair.original.body[pair.sections[0][0].start:pair.sections[0][0].end]
    english_first = pair.translation.body[pair.sections[0][1].start:pair.sections[0][1].end]
    from edition.model import plain_text
    assert "Ἀκούσατε" in plain_text(greek_first[0].inlines)
    assert "Hear, all brother Christians" in plain_text(english_first[0].inlines)


ONE_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="la">
<teiHeader><fileDesc><titleStmt><title>Epistula</title></titleStmt>
<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>
</teiHeader>
<text><body>
<div type="translation" xml:lang="en">
<div n="1"><p>First part in English.</p></div>
<div n="{n}"><p>Second part in English.</p></div>
</div>
<div type="edition" xml:lang="la">
<div n="1"><p>Pars prima Latine.</p></div>
<div n="2"><p>Pars secunda Latine.</p></div>
</div>
</body></text></TEI>
"""


def test_tei_one_file_edition_and_translation_pair_by_number(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "text.xml").write_text(ONE_FILE.format(n="2"), encoding="utf-8")
    volume = load_volume(folder)
    assert [doc.lang for doc in volume.documents] == ["la", "en"]
    (pair,) = volume.pairs
    assert [(o.n, t.n if t else None) for o, t in pair.sections] == [("1", "1"), ("2", "2")]


CORRESP = ONE_FILE.replace('<div n="1"><p>First', '<div n="a" corresp="#s1"><p>First').replace(
    '<div n="{n}"><p>Second', '<div n="b" corresp="{n}"><p>Second').replace(
    '<div n="1"><p>Pars', '<div n="1" xml:id="s1"><p>Pars')

# name: (the source, the file written, the words of the message, the line)
BAD = {
    "a section numbered as none of the original's": (
        ONE_FILE.format(n="3"), "text.xml", "renders section '3'", 9),
    "two sections rendering one": (CORRESP.format(n="#s1"), "text.xml", "already rendered", 9),
    "a section pointing at no section": (CORRESP.format(n="#s9"), "text.xml", "'s9'", 9),
    "counts that differ where the order pairs": (
        TRANSLATION.replace("## Close\n\nGamma closes the meeting.[^t2]\n", "").replace(
            "[^t2]: A note on the translation, second.\n", ""),
        "a-translation.md", "2 sections and its original 3", 4),
    "a translation of no document": (
        TRANSLATION.replace('translation-of = "7"', 'translation-of = "8"'),
        "a-translation.md", "renders '8'", 4),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_contradicted_pairing_is_one_line_with_file_and_line(case, tmp_path, capsys):
    source, name, words, line = BAD[case]
    folder = tmp_path / "src"
    if name.endswith(".md"):
        _markdown_pair(folder, source)
    else:
        folder.mkdir()
        (folder / name).write_text(source, encoding="utf-8")
    output = tmp_path / "out.pdf"
    output.write_bytes(b"%PDF-previous")
    code, err = _build(capsys, folder, output)
    assert code == 2
    (message,) = err.strip().splitlines()
    assert message.startswith(f"edition: {folder / name}:{line}: "), message
    assert words in message
    assert output.read_bytes() == b"%PDF-previous"


def test_two_translations_of_one_original_are_refused(tmp_path, capsys):
    folder = _markdown_pair(tmp_path / "src")
    (folder / "c-again.md").write_text(TRANSLATION.replace('"7e"', '"7f"'), encoding="utf-8")
    code, err = _build(capsys, folder, tmp_path / "out.pdf")
    assert code == 2
    assert err.startswith(f"edition: {folder / 'c-again.md'}:4: '7' already has a "
                          f"translation ({folder / 'a-translation.md'}:4)"), err


# ---------------------------------------------------------------- the book


def _page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def test_book_prints_the_translation_after_its_original(tmp_path, capsys):
    output = tmp_path / "book.pdf"
    code, err = _build(capsys, _markdown_pair(tmp_path / "src"), output)
    assert code == 0, err
    text = "\n".join(_page_texts(output))
    assert text.index("Alpha eröffnet") < text.index("Alpha opens")
