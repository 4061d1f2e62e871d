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

::: speech Vorsitzender
Alpha eröffnet die Sitzung.[^o1]
:::

## Bericht

Beta berichtet ausführlich. {LONG} Vogel stimmt zu.

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

::: speech Chairman
Alpha opens the meeting.[^t1]
:::

## Report

Beta reports at length.

## Close

Gamma closes the meeting.[^t2] Vogel agrees.

[^t1]: A note on the translation, first.
[^t2]: A note on the translation, second.
"""


REGISTER = """[vogel]
name = "Vogel, Ludmila"
forms = ["Vogel"]
"""


def _markdown_pair(folder: Path, translation: str = TRANSLATION) -> Path:
    """The pair in a folder, the translation's file first by name."""
    folder.mkdir(exist_ok=True)
    (folder / "a-translation.md").write_text(translation, encoding="utf-8")
    (folder / "b-original.md").write_text(ORIGINAL, encoding="utf-8")
    (folder / "persons.toml").write_text(REGISTER, encoding="utf-8")
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
        (7, 7), (13, 13), (17, 17)]


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
        TRANSLATION.replace("## Close\n\nGamma closes the meeting.[^t2] Vogel agrees.\n",
                            "").replace("[^t2]: A note on the translation, second.\n", ""),
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


def _body_pages(pdf: Path) -> list[tuple[str, str, list[dict]]]:
    """Each page's folio, its text and its words (pdfplumber)."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(extra_attrs=["size"])
            folio = [w["text"] for w in words if w["top"] > page.height - 60]
            out.append((folio[-1] if folio else "", page.extract_text() or "", words))
    return out


def _page_of(pages, words: str, after: int = 0) -> int:
    """The first page from `after` on that holds `words`."""
    return next(k for k, (_, text, _) in enumerate(pages)
                if k >= after and words in text.replace("\n", " "))


def test_book_sets_the_markdown_pair_on_facing_pages_section_by_section(tmp_path, capsys):
    output = tmp_path / "book.pdf"
    code, err = _build(capsys, _markdown_pair(tmp_path / "src"), output, "--strict")
    assert code == 0, err
    pages = _body_pages(output)
    spreads = [("Alpha eröffnet", "Alpha opens"), ("Beta berichtet", "Beta reports"),
               ("Gamma schließt", "Gamma closes")]
    where = [(_page_of(pages, o), _page_of(pages, t)) for o, t in spreads]
    for verso, recto in where:
        # The original on a verso (an even folio), the translation on the recto facing it.
        assert int(pages[verso][0]) % 2 == 0 and recto == verso + 1, (verso, recto)
    # The long second section of the original runs over three versos; the rectos facing
    # the two after the first stay blank: no text of the next section stands there.
    (_, report), (close, _) = where[1], where[2]
    for k in range(report + 1, close):
        folio, text, _ = pages[k]
        if int(folio or 0) % 2 == 0 or not folio:
            continue
        assert text.strip() in ("", folio), (k, text)
    assert close - report >= 4
    versos = [text for _, text, _ in pages[report + 1:close - 1] if "original runs on" in text]
    assert len(versos) >= 2
    # Notes at the foot of their call's page, on each side.
    assert "Anmerkung zum Original, erste" in pages[where[0][0]][1]
    assert "A note on the translation, first" in pages[where[0][1]][1]
    assert "Anmerkung zum Original, zweite" in pages[where[2][0]][1]
    assert "A note on the translation, second" in pages[where[2][1]][1]
    # Speaker labels in the outer margin: left of the text on the verso, right of it
    # on the recto.
    for name, page, outer in (("Vorsitzender", where[0][0], "left"),
                              ("Chairman", where[0][1], "right")):
        words = pages[page][2]
        label = next(w for w in words if w["text"].startswith(name[:6].upper())
                     or w["text"].startswith(name[:6]))
        text = next(w for w in words if w["text"] == "Alpha")
        assert (label["x1"] < text["x0"]) if outer == "left" else (label["x0"] > text["x1"])
    # The index cites the folios where the name stands, on either side.
    vogel = sorted({int(folio) for folio, text, _ in pages
                    if "Vogel" in text and "Vogel, Ludmila" not in text})
    assert len(vogel) == 2
    index = next(text for _, text, _ in pages if "Vogel, Ludmila" in text)
    assert f"Vogel, Ludmila, {vogel[0]}, {vogel[1]}" in index.replace("\n", " "), index


def test_book_sets_the_pta_greek_on_versos_and_english_on_rectos(tmp_path, capsys):
    source = _pta(tmp_path / "src")
    volume = load_volume(source)
    output = tmp_path / "book.pdf"
    code, err = _build(capsys, source, output, "--strict")
    assert code == 0, err
    from edition.model import plain_text

    def opening(doc, section) -> str:
        return " ".join(plain_text(doc.body[section.start].inlines).split()[:3])

    pages = _body_pages(output)
    pair = volume.pairs[0]
    verso, numbered = 0, {"verso": 0, "recto": 0}
    for original, translation in pair.sections:
        assert translation is not None
        verso = _page_of(pages, opening(pair.original, original), verso)
        recto = _page_of(pages, opening(pair.translation, translation), verso)
        assert int(pages[verso][0]) % 2 == 0 and recto == verso + 1
        # Line numbers on both sides: small figures beside the text (every fifth line:
        # not on a page of four lines).
        for side, page in (("verso", verso), ("recto", recto)):
            numbered[side] += any(w["text"] == "5" and w["size"] < 8 for w in pages[page][2])
    assert numbered["verso"] >= 4 and numbered["recto"] >= 4, numbered
    # The apparatus (`lemma]reading P`) under the Greek only: on versos, never rectos.
    body = [(int(folio), text) for folio, text, _ in pages[_page_of(pages, "Ἀκούσατε"):]
            if folio.isdigit()]
    assert sum("]" in text for folio, text in body if folio % 2 == 0) >= 5
    assert not [folio for folio, text in body if folio % 2 == 1 and "]" in text]


# ---------------------------------------------------------------- the handout


def _columns(pdf: Path) -> dict[str, list[tuple[int, float, str]]]:
    """The words of the text block's two columns, (page, top, word) in reading order:
    `o` left of the page's middle, `t` right of it (running heads and notes left out)."""
    out: dict[str, list[tuple[int, float, str]]] = {"o": [], "t": []}
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            middle = page.width / 2
            words = [w for w in page.extract_words()
                     if 45 < w["top"] < page.height - 120]
            for word in sorted(words, key=lambda w: (w["x0"] >= middle, w["top"], w["x0"])):
                side = "t" if word["x0"] >= middle else "o"
                out[side].append((number, word["top"], word["text"]))
    return out


def _find(words: list[tuple[int, float, str]], phrase: str, after: int = 0) -> int:
    """The index of the first word of `phrase` at or after `after`."""
    wanted = phrase.split()
    for k in range(after, len(words) - len(wanted) + 1):
        if all(words[k + i][2].startswith(w) for i, w in enumerate(wanted)):
            return k
    raise AssertionError(f"{phrase!r} not found")


def _assert_in_step(columns, starts: list[tuple[str, str]]) -> None:
    """Each pair of openings on the same page at the same height (the same line), in
    order."""
    where = {"o": 0, "t": 0}
    for original, translation in starts:
        k, j = _find(columns["o"], original, where["o"]), _find(columns["t"], translation,
                                                               where["t"])
        (page_o, top_o, _), (page_t, top_t, _) = columns["o"][k], columns["t"][j]
        # Within half a line: the Greek face's glyphs stand higher than the book face's.
        assert page_o == page_t and abs(top_o - top_t) < 6, (original, page_o, top_o,
                                                            translation, page_t, top_t)
        where = {"o": k + 1, "t": j + 1}


def _handout(capsys, source: Path, output: Path, number: str) -> None:
    code = main(["handout", str(source), number, "-o", str(output), "-q", "--no-cache"])
    assert code == 0, capsys.readouterr().err


def test_handout_sets_the_markdown_pair_side_by_side_in_step(tmp_path, capsys):
    output = tmp_path / "handout.pdf"
    _handout(capsys, _markdown_pair(tmp_path / "src"), output, "7")
    columns = _columns(output)
    _assert_in_step(columns, [("Alpha eröffnet", "Alpha opens"),
                              ("Beta berichtet", "Beta reports"),
                              ("Gamma schließt", "Gamma closes")])
    # The original's long section runs over a page: the translation's next section
    # waits for it, on the page where the original's next one starts.
    gamma = columns["t"][_find(columns["t"], "Gamma closes")][0]
    assert columns["o"][_find(columns["o"], "Beta berichtet")][0] < gamma
    assert not any(text.startswith("Gamma") for page, _, text in columns["t"] if page < gamma)
    # Each side's notes at the foot of the page of its call.
    notes = _page_texts(output)
    assert "Anmerkung zum Original, erste" in notes[0]
    assert "A note on the translation, first" in notes[0]
    assert "A note on the translation, second" in notes[gamma]
    assert "Anmerkung zum Original, zweite" in notes[gamma]


def test_handout_sets_the_pta_greek_and_english_section_by_section(tmp_path, capsys):
    source = _pta(tmp_path / "src")
    volume = load_volume(source)
    output = tmp_path / "handout.pdf"
    _handout(capsys, source, output, volume.pairs[0].original.number)
    from edition.model import plain_text

    def opening(doc, section) -> str:
        return " ".join(plain_text(doc.body[section.start].inlines).split()[:2])

    pair = volume.pairs[0]
    starts = [(opening(pair.original, o), opening(pair.translation, t))
              for o, t in pair.sections]
    assert len(starts) == 7
    _assert_in_step(_columns(output), starts)


# ---------------------------------------------------------------- the preflight


def test_preflight_reports_a_pair_out_of_step(tmp_path):
    from edition.build import typeset
    from edition.layout.parallel import check_parallel

    book = typeset(_markdown_pair(tmp_path / "src"), profile="handout", documents=["7"],
                   jobs=1)
    assert not [f for f in book.findings if f.rule.startswith("parallel")]
    report = book.body.laid.report
    marks = {anchor: where for anchor, where in report.anchors.items()
             if anchor.startswith("par-")}
    # Three sections, each side marked at its start and its end.
    assert len(marks) == 12
    assert check_parallel(report, spreads=False) == []
    # The translation's third section moved one page on: it starts on another page
    # than the original's, and that page shows its text beside the original's second.
    first = marks["par-0-t2"][0]
    report.anchors["par-0-t2"] = (first - 1, *marks["par-0-t2"][1:])
    report.anchors["par-0-t2-end"] = (first - 1, *marks["par-0-t2-end"][1:])
    found = {(f.rule, f.page) for f in check_parallel(report, spreads=False)}
    assert found == {("parallel-start", first), ("parallel-mixed", first - 1)}
