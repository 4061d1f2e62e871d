"""Documentary TEI beyond FRUS (issue 26): letters one file each, their identity, their
language, their transcription conventions and their registers.

Every test builds a PDF or reads the model a build reads, and asserts on the PDF's words,
the index, the exit status or the notices. The fixtures are small letters of our own
(tests/fixtures/tei/letters/, conventions/); the corpus tests read
../shared/corpus/letters and frus-old and skip when they are absent.
"""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree
from pypdf import PdfReader

from edition.build import build, load
from edition.cli import main
from edition.model import plain_text

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
LETTERS = FIXTURES / "letters"


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def letters_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("letters") / "letters.pdf"
    return build(LETTERS, out, cache=False, jobs=1)


# ---------------------------------------------------------------- a folder of letters


def test_a_folder_of_letters_each_numbered_1_builds_in_reading_order(letters_book):
    """Every letter's division says n="1" (and one gives no number): the volume numbers
    them in reading order, no error."""
    docs = letters_book.volume.documents
    assert [d.number for d in docs] == ["1", "2"]
    front = "\n".join(pdf_text(letters_book.pdf)[:6])
    assert "Arthur Schnitzler an Hermann Bahr, 7. 2. 1896" in front
    # The letters are German (langUsage): the program's words are too (edition/terms.py).
    assert "Dokument Nr. 2: Hugo von Hofmannsthal" in "\n".join(pdf_text(letters_book.pdf))


def test_source_numbers_that_repeat_are_renumbered_with_a_note(tmp_path):
    for name in ("a.xml", "b.xml"):
        text = (FIXTURES / "frus-sample.xml").read_text(encoding="utf-8")
        (tmp_path / name).write_text(text, encoding="utf-8")
    volume, _ = load(tmp_path)
    numbers = [d.number for d in volume.documents if d.kind == "document"]
    assert len(numbers) == len(set(numbers))
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]
    assert any("reading order" in str(n) for n in volume.notices)
    # Unique through the volume, the source's numbers are kept.
    alone, _ = load(FIXTURES / "frus-sample.xml")
    assert not any("reading order" in str(n) for n in alone.notices)


# ---------------------------------------------------------------- a letter's identity


def test_letter_title_from_header_else_correspdesc_and_archive_in_colophon(letters_book):
    titles = [plain_text(d.title) for d in letters_book.volume.documents]
    assert titles == ["Arthur Schnitzler an Hermann Bahr, 7. 2. 1896",
                      "Hugo von Hofmannsthal und Hermine Benedict an Arthur Schnitzler, "
                      "Bad Fusch, 21. August 1896"]
    text = " ".join(" ".join(pdf_text(letters_book.pdf)).split())
    assert "[Quelle: Theatermuseum, Wien, HS AM 23325 Ba]" in text


def test_one_letter_alone_is_no_document_no_1(tmp_path):
    book = build(LETTERS / "a-bahr.xml", tmp_path / "one.pdf", cache=False, jobs=1)
    text = "\n".join(pdf_text(book.pdf))
    assert "Arthur Schnitzler an Hermann Bahr" in text
    assert "Dokument Nr." not in text and "Document No." not in text


# ---------------------------------------------------------------- registers


def test_registers_in_back_are_not_printed_and_rs_persons_are_indexed(letters_book):
    text = "\n".join(pdf_text(letters_book.pdf))
    assert "Residenzstadtregister" not in text and "48,2" not in text
    assert "Registerwerk" not in text
    index = next(p for p in letters_book.parts if p.name == "index")
    index_text = "\n".join(pdf_text(letters_book.pdf)[-len(index.labels):])
    assert "Peschkau, Emil" in index_text
    page = letters_book.body.labels[0]
    assert f"Peschkau, Emil, {page}" in index_text
    # A writer named only in the title made from correspDesc, by another name than the
    # register's: her letter's page.
    assert f"Schaffgotsch, Hermine von, {letters_book.body.labels[-1]}" in index_text


# ---------------------------------------------------------------- language


def _broken_words(pages: list[str]) -> list[tuple[str, str]]:
    """(before the hyphen, after it) for every word the PDF breaks at a line's end."""
    lines = [line.strip() for page in pages for line in page.splitlines() if line.strip()]
    found = []
    for line, following in zip(lines, lines[1:], strict=False):
        if line.endswith("\u2010") and following:
            head = line[:-1].split()[-1]
            tail = following.split()[0]
            found.append((head, tail))
    return found


def test_german_letter_is_hyphenated_with_german_patterns_only(letters_book):
    """The language is given only in langUsage: no break German patterns would not make
    (English patterns give "Fre-und", "Residen-zstadt")."""
    import pyphen
    german = pyphen.Pyphen(lang="de_AT")
    body = pdf_text(letters_book.pdf)[-len(letters_book.body.labels) - 1:]
    broken = _broken_words(body)
    assert broken, "the fixture should break some words"
    for head, tail in broken:
        word = "".join(c for c in head if c.isalpha()) + "".join(
            c for c in tail if c.isalpha())
        letters = sum(1 for c in head if c.isalpha())
        assert letters in german.positions(word), f"{head}-{tail}"


def test_xml_lang_per_element_quotes_and_unhyphenated_latin(tmp_path):
    book = build(FIXTURES / "languages.xml", tmp_path / "lang.pdf", cache=False, jobs=1)
    text = " ".join(" ".join(pdf_text(book.pdf)).split())
    assert "„Die Freundschaft ist das Höchste“" in text
    assert "«c’est la vie»" in text
    latin = [line for page in pdf_text(book.pdf) for line in page.splitlines()
             if any(w in line for w in ("Catilina", "consul", "nostrum", "senatus"))]
    assert latin and not any(line.rstrip().endswith("\u2010") for line in latin)
    said = [str(n) for n in book.volume.notices if "not hyphenated" in str(n)]
    assert said == ["text in 'la' is not hyphenated: there are no hyphenation patterns "
                    "for that language"]


# ---------------------------------------------------------------- transcription conventions

CONVENTIONS = FIXTURES / "conventions" / "letter.xml"


def _conventions_book(tmp_path: Path, style: str | None):
    folder = tmp_path / (style or "default")
    folder.mkdir()
    shutil.copy(CONVENTIONS, folder / "letter.xml")
    if style:
        (folder / "edition.toml").write_text(
            f'title = "Konventionen"\nlanguage = "de"\n[documents]\ntranscription = "{style}"\n',
            encoding="utf-8")
    book = build(folder, folder / "output" / "k.pdf", cache=False, jobs=1)
    # Words broken at a line's end are joined again.
    return book, " ".join(" ".join(pdf_text(book.pdf)).split()).replace("\u2010 ", "")


def test_diplomatic_transcription_prints_the_text_as_written(tmp_path):
    book, text = _conventions_book(tmp_path, None)
    assert "Ich weiß selbst nicht, ob es so ist." in text  # <space/> glues nothing
    assert "Streichwort1 Ersatz" in text and "↑Zusatzwort↓" in text
    assert "Altform↑Neuform↓" in text
    assert "Lücke […] und [Dunkelwort?], dazu [Ergänzung]" in text
    assert "Fehlerwort, Hr., Thür, Exꝑiment, langes S." in text
    assert "„Komm bald“" in text and "„Alles fließt“" in text
    assert "Richtigwort" not in text and "Herr," not in text
    with pdfplumber.open(io.BytesIO(book.pdf)) as pdf:
        page = next(p for p in pdf.pages if "Streichwort" in (p.extract_text() or ""))
        assert _ruled(page, "Streichwort") == "through"
        assert _ruled(page, "Unterstrichen") == "under"
        assert _ruled(page, "Ersatz") is None
        assert _letter_gap(page, "Gesperrt") > _letter_gap(page, "Unterstrichen") + 0.5


def test_reading_transcription_prints_the_text_as_meant(tmp_path):
    _, text = _conventions_book(tmp_path, "reading")
    assert "Streichwort" not in text and "Altform" not in text
    assert "Er schrieb1 Ersatz und Zusatzwort dazu, dann Neuform," in text
    assert "Richtigwort, Herr, Tür, Experiment, langes S." in text
    assert "↑" not in text and "Fehlerwort" not in text
    # A note on a deleted word is still called where the word stood.
    assert "1 Gestrichen, doch lesbar." in text


def test_transcription_setting_is_checked(tmp_path, capsys):
    (tmp_path / "edition.toml").write_text('[documents]\ntranscription = "pretty"\n',
                                           encoding="utf-8")
    shutil.copy(CONVENTIONS, tmp_path / "letter.xml")
    assert main(["build", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("edition: ") and "edition.toml:2:" in err
    assert "transcription must be one of diplomatic, reading" in err
    assert len(err.splitlines()) == 1 and not (tmp_path / "output").exists()


def _word_chars(page, word: str) -> list[dict]:
    chars = page.chars
    text = "".join(c["text"] for c in chars)
    at = text.index(word)
    return chars[at:at + len(word)]


def _ruled(page, word: str) -> str | None:
    """Whether a rule runs under the word, through it, or neither."""
    chars = _word_chars(page, word)
    x0, x1 = chars[0]["x0"], chars[-1]["x1"]
    top, bottom = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
    for rule in [*page.lines, *page.rects]:
        overlap = min(rule["x1"], x1) - max(rule["x0"], x0)
        if overlap > 0.6 * (x1 - x0) and rule["bottom"] - rule["top"] < 2:
            middle = (rule["top"] + rule["bottom"]) / 2
            if top + (bottom - top) * 0.3 < middle < top + (bottom - top) * 0.75:
                return "through"
            if top + (bottom - top) * 0.75 <= middle <= bottom + 3:
                return "under"
    return None


def _letter_gap(page, word: str) -> float:
    """The mean gap between the letters of a word."""
    chars = _word_chars(page, word)
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:], strict=False)]
    return sum(gaps) / len(gaps)


# ---------------------------------------------------------------- one style per role


def test_every_run_in_speaker_is_set_alike_tagged_or_not(tmp_path):
    """`<persName>Dulles</persName>: …` and `Dulles: …` are one speaker in one style
    (small capitals are wider than lower case: the two labels measure the same)."""
    book = build(FIXTURES / "speakers.xml", tmp_path / "s.pdf", cache=False, jobs=1)
    with pdfplumber.open(io.BytesIO(book.pdf)) as pdf:
        page = next(p for p in pdf.pages if "budget is too large" in (p.extract_text() or ""))
        lines = page.extract_text_lines()
    labels = [line["chars"][:6] for line in lines if line["text"].startswith("Dulles:")]
    assert len(labels) == 3
    widths = [chars[-1]["x1"] - chars[0]["x0"] for chars in labels]
    assert max(widths) - min(widths) < 0.1, widths
    index = pdf_text(book.pdf)[-1]
    assert "Dulles, John Foster" in index


# ---------------------------------------------------------------- older FRUS


def test_older_frus_attachments_inline_source_labels_and_identifications(tmp_path):
    book = build(FIXTURES / "frus-old.xml", tmp_path / "old.pdf", cache=False, jobs=1)
    pages = pdf_text(book.pdf)
    body = "\n".join(p for p in pages[:-1] if "Document No. 1" in p)
    lines = [line.strip() for line in body.splitlines()]
    # The series' labels stay where it prints them, not in a colophon.
    assert "[Source:" not in body
    title_at = next(i for i, line in enumerate(lines) if line.startswith("Document No. 1"))
    assert lines.index("File No. 861.00/1234") > title_at
    assert lines.index("[Telegram]") < next(i for i, s in enumerate(lines) if "Petrograd" in s)
    # Each enclosure, the nested one too, has its own title on its own line, its label
    # above it, its list items and signature on lines of their own.
    label = lines.index("[Enclosure—Translation]")
    assert lines[label + 1] == "Declaration of the Council"
    assert "Annex to the Declaration" in lines
    assert any(line.startswith("1. Peace without annexations.") for line in lines)
    assert any(line.startswith("2. Freedom of the seas.") for line in lines)
    assert "The Council" in lines
    assert not [n for n in book.volume.notices if "attachment" in str(n)]
    index = pages[-1]
    assert "Francis, David R., Ambassador in Russia, 1" in " ".join(index.split())


# ---------------------------------------------------------------- anchored commentary


def test_notes_kept_apart_are_called_at_their_anchor(tmp_path):
    book = build(FIXTURES / "anchored-notes.xml", tmp_path / "a.pdf", cache=False, jobs=1)
    page = next(p for p in pdf_text(book.pdf) if "He saw the play" in p)
    flat = " ".join(page.split())
    assert "He saw the play1 on Sunday" in flat
    assert "the director of the theatre2 after it." in flat
    assert "1 The play was Liebelei" in flat and "2 Max Burckhard" in flat
    # Not printed a second time as a chapter of notes.
    assert sum(" ".join(p.split()).count("Max Burckhard") for p in pdf_text(book.pdf)) == 1
    assert [str(n).split(": ", 1)[1] for n in book.volume.notices if "points at" in str(n)] == [
        "a note points at '#nowhere', which is in no document's text: it is not printed"]


# ---------------------------------------------------------------- the shared corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_FILES = sorted([*(CORPUS / "letters").glob("*.xml"), *(CORPUS / "frus-old").glob("*.xml")])
# The letters as one volume too: a folder of letters, each numbered 1 by its source.
CORPUS_SOURCES = [*CORPUS_FILES, *([CORPUS / "letters"] if CORPUS_FILES else [])]
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
# Elements of the text whose words are not printed, by design: registers, the title
# page (rebuilt from the header), running heads of the original (`fw`), …
UNPRINTED = {"listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym",
             "titlePage", "fw", "figDesc", "interp", "interpGrp", "index", "surplus"}
# The readings of a choice the default (diplomatic) style does not print.
NOT_CHOSEN = {"corr", "expan", "reg"}
# Elements that may stand inside a word; any other element's bounds are word bounds
# (an addition, an unclear or supplied passage print their marks: bounds too).
IN_WORD = {"c", "g", "hi", "del", "subst", "choice", "sic", "corr", "abbr", "expan", "orig",
           "reg", "am", "ex", "damage", "rs", "persName", "placeName", "orgName", "name",
           "date", "foreign", "emph", "term", "pc", "w", "anchor", "pb", "handShift",
           "milestone", "surname", "forename"}
WORD = re.compile(r"\w+")


def source_words(path: Path) -> Counter[str]:
    """The words of the file's text, as the transcription conventions print them."""
    text = etree.parse(str(path)).getroot().find(f"{TEI_NS}text")
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        name = etree.QName(el).localname
        parent = el.getparent()
        hidden = name in UNPRINTED or (name in NOT_CHOSEN and parent is not None
                                       and etree.QName(parent).localname == "choice")
        bound = "" if name in IN_WORD or (name == "lb" and el.get("break") == "no") else " "
        out.append(bound)
        if not hidden:
            out.append(el.text or "")
            for child in el:
                if isinstance(child.tag, str):
                    walk(child)
                out.append(child.tail or "")
        out.append(bound)
    walk(text)
    return Counter(w.lower() for w in WORD.findall("".join(out)))


def printed_words(pdf: bytes) -> tuple[Counter[str], list[str]]:
    """The PDF's words (a word and its note call also as the word alone) and the heads
    of words broken at a line's end whose tail follows elsewhere (after the notes)."""
    raw = "\n".join(pdf_text(pdf))
    words: Counter[str] = Counter()
    for word in WORD.findall(raw.replace("\u2010\n", "")):
        words[word.lower()] += 1
        if m := re.fullmatch(r"(.*\D)(\d+)", word):
            words[m.group(1).lower()] += 1
        elif word.isdigit():
            for cut in range(1, min(3, len(word) - 1) + 1):
                words[word[:-cut]] += 1
    heads = [m.group(1).lower() for m in re.finditer(r"(\w+)\u2010\n", raw)]
    return words, heads


@pytest.mark.skipif(not CORPUS_FILES, reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("source", CORPUS_SOURCES, ids=lambda p: p.name)
def test_corpus_file_builds_strict_with_no_text_lost(source, tmp_path):
    out = tmp_path / "output" / "book.pdf"
    assert main(["build", "--strict", "-q", "--jobs", "1", str(source), "-o", str(out)]) == 0
    printed, heads = printed_words(out.read_bytes())
    files = sorted(source.glob("*.xml")) if source.is_dir() else [source]
    expected = sum((source_words(f) for f in files), Counter())
    lost = {word: count - printed[word] for word, count in expected.items()
            if printed[word] < count
            and not any(word.startswith(h) and printed[word[len(h):]] for h in heads)}
    assert not lost


def _minimal_letter_text(tmp_path: Path, words: str) -> str:
    """The printed words of the minimal fixture, its "with   a note." replaced by
    `words` (TEI inline markup), as one line."""
    source = (Path(__file__).parent / "fixtures" / "tei" / "minimal.xml").read_text()
    path = tmp_path / "letter.xml"
    path.write_text(source.replace("with   a note.", words))
    book = build(path, tmp_path / "letter.pdf", cache=False, jobs=1)
    return " ".join(" ".join(pdf_text(book.pdf)).split())


def test_a_key_the_register_lacks_is_printed_not_refused(tmp_path):
    """`persName @key` names a person in some authority (a biblical figure, a GND
    number): indexed when the edition's register has the key, else printed as it is
    (the PTA texts key Γαβριὴλ as 'Gabriel_Dan.8.16'), never an unknown-person error."""
    text = _minimal_letter_text(
        tmp_path, 'with <persName type="biblical" key="Gabriel_Dan.8.16">Gabriel</persName> '
                  'and <persName key="#nobody">Nobody</persName> a note.')
    assert "with Gabriel and Nobody a note." in text


def test_a_quotations_edge_spaces_stand_outside_its_marks(tmp_path):
    """The marks the reader adds close on the quotation's first and last words, however
    the source spaces the element's content (PTA: 'θυσίαν.<ref/>\\n </seg>\\n </quote>')."""
    text = _minimal_letter_text(
        tmp_path, 'with <quote xml:lang="de">\n  Ein <seg>Wort.<ref cRef="x"/>\n   </seg>\n'
                  ' </quote> a note.')
    assert "with „Ein Wort.“ a note." in text


# ---------------------------------------------------------------- letters' details


def _minimal_letter_book(tmp_path: Path, words: str):
    """The minimal fixture built with its "with   a note." replaced by `words`."""
    source = (Path(__file__).parent / "fixtures" / "tei" / "minimal.xml").read_text()
    path = tmp_path / "letter.xml"
    path.write_text(source.replace("with   a note.", words))
    return build(path, tmp_path / "letter.pdf", cache=False, jobs=1)


def test_register_identifications_pick_the_persons_own_form(tmp_path):
    """A register that gives an occupation in both forms ("Schriftsteller/
    Schriftstellerin") prints the person's: the second for a woman, else the first."""
    register = """</p><listPerson>
      <person xml:id="w"><persName>Musterfrau, Anna</persName><sex value="female"/>
        <occupation>Schriftsteller/Schriftstellerin</occupation></person>
      <person xml:id="m"><persName>Mustermann, Bernd</persName><sex value="male"/>
        <occupation>Schriftsteller/Schriftstellerin</occupation>
        <occupation>Mediziner/Medizinerin</occupation></person>
      <person xml:id="u"><persName>Unbekannt, Carl</persName>
        <occupation>Lehrer/Lehrerin, 1914/18</occupation></person>
    </listPerson><p>"""
    book = _minimal_letter_book(tmp_path, '<persName ref="#w">Anna</persName>, <persName '
                                'ref="#m">Bernd</persName> and <persName ref="#u">Carl</persName>'
                                f' wrote.{register}with a note.')
    index = " ".join(pdf_text(book.pdf)[-1].split())
    assert "Musterfrau, Anna, Schriftstellerin, 1" in index
    assert "Mustermann, Bernd, Schriftsteller, Mediziner, 1" in index
    assert "Unbekannt, Carl, Lehrer, 1914/18, 1" in index
    assert "/" not in index.replace("1914/18", "")


def _line_of(page, words: str) -> dict:
    return next(line for line in page.extract_text_lines() if words in line["text"])


def test_letterhead_parts_are_lines_and_rend_aligns_any_block(tmp_path):
    """A letterhead line made of a left and a right `seg` prints both, never glued
    ("jour.Paris"); `rend="center"` on a salute centres it, `rend="right"` on a
    paragraph ranges it right."""
    opener = """x.</p><opener><seg type="letterhead"><seg rend="left">Paraissant trois
      fois par jour.</seg><seg rend="right">Paris, 23. November.</seg></seg>
      <salute rend="center">Mein lieber Freund,</salute></opener>
      <p rend="right">Ganz rechts.</p><p>with a note."""
    book = _minimal_letter_book(tmp_path, opener)
    with pdfplumber.open(io.BytesIO(book.pdf)) as pdf:
        page = next(p for p in pdf.pages if "Freund" in (p.extract_text() or ""))
        text = page.extract_text()
        assert "jour.Paris" not in text and "jour. Paris" not in text
        day, place = _line_of(page, "fois par jour."), _line_of(page, "23. November.")
        assert place["top"] > day["top"]  # two lines
        body = _line_of(page, "The text of the letter")
        left, right = body["x0"], max(ln["x1"] for ln in page.extract_text_lines()
                                      if ln["top"] < page.height * 0.85)
        assert abs(place["x1"] - right) < 1 and abs(day["x0"] - left) < 1
        salute = _line_of(page, "Mein lieber Freund,")
        assert abs((salute["x0"] + salute["x1"]) / 2 - (left + right) / 2) < 1
        assert abs(_line_of(page, "Ganz rechts.")["x1"] - right) < 1
