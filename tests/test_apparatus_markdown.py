"""The critical apparatus in Markdown and the witnesses file: the same model as TEI, errors
with their lines, and a Markdown critical edition built with its entries at the foot of
the lemma's page (tests/fixtures/critical-md)."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from edition.cli import main
from edition.errors import EditionError
from edition.model import Apparatus, plain_text, walk
from edition.readers import load_volume
from edition.readers.tei import read_tei
from tests.test_apparatus import BODY_SIZE, PUNCTUATION, entry_number, line_of, page_lines

FIXTURE = Path(__file__).parent / "fixtures" / "critical-md"

WITNESSES = """[O]
description = "Oxoniensis"

[M]
description = "Marcianus"

[V]
description = "Vaticanus"

["β"]
description = "recentiores"
members = ["M", "V"]
"""

FRONT = '+++\nnumber = "1"\ntitle = "Text"\n+++\n\n'


def edition(tmp_path: Path, body: str, witnesses: str = WITNESSES,
            settings: str = 'title = "T"\n') -> Path:
    folder = tmp_path / "ed"
    folder.mkdir(exist_ok=True)
    (folder / "edition.toml").write_text(settings, encoding="utf-8")
    if witnesses:
        (folder / "witnesses.toml").write_text(witnesses, encoding="utf-8")
    (folder / "001-text.md").write_text(FRONT + body, encoding="utf-8")
    return folder


def entries_of(documents) -> list[Apparatus]:
    return [e for d in documents for e in walk.of_type(Apparatus, *walk.document_groups(d))]


def without_places(node):
    """The model as data, without where it was read (files and lines differ by format)."""
    data = dataclasses.asdict(node)

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("pos", "id")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(data)


# ---------------------------------------------------------------- the syntax


def test_markdown_entries_are_the_model_the_tei_reader_makes(tmp_path):
    folder = edition(tmp_path, """Ἀκούσατε [ἐγκωμιάσαι ἡμέραν]{app=a wit=O} πάντες
[τὴν]{app=b} καὶ []{app=c} λόγον.

[app:a]: ( ἡμέραν ἐγκωμιᾶσαι {M V: in marg.}; x {β .transposition} ); an editorial note
[app:b]: {M}
[app:c]: νῦν {V}
""")
    tei = tmp_path / "t.xml"
    tei.write_text("""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>T</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><listWit><witness xml:id="O">Oxoniensis</witness>
<listWit xml:id="b" n="β"><head>recentiores</head><witness xml:id="M">Marcianus</witness>
<witness xml:id="V">Vaticanus</witness></listWit></listWit></sourceDesc></fileDesc>
</teiHeader><text><body><div type="chapter"><head>Text</head><p>Ἀκούσατε <app>
<lem wit="#O">ἐγκωμιάσαι ἡμέραν</lem><rdgGrp><rdg wit="#M #V" xml:id="r1">ἡμέραν
ἐγκωμιᾶσαι</rdg><rdg wit="#b" type="transposition">x</rdg></rdgGrp>
<witDetail target="#r1" wit="#M">in marg.</witDetail><note>an editorial note</note></app>
πάντες <app><lem>τὴν</lem><rdg wit="#M"/></app> καὶ <app><lem/><rdg wit="#V">νῦν</rdg>
</app> λόγον.</p></div></body></text></TEI>""", encoding="utf-8")
    markdown = load_volume(folder)
    from_tei = read_tei(tei)
    assert ([without_places(e) for e in entries_of(markdown.documents)]
            == [without_places(e) for e in entries_of(from_tei.documents)])
    assert ([without_places(w) for w in markdown.witnesses.values()]
            == [without_places(w) for w in from_tei.witnesses.values()])
    text = plain_text(markdown.documents[0].body[0].inlines, one_line=True)
    assert text == "Ἀκούσατε ἐγκωμιάσαι ἡμέραν πάντες τὴν καὶ λόγον."


def test_an_empty_lemma_prints_the_base_witness_reading(tmp_path):
    folder = edition(tmp_path, "a []{app=x} b\n\n[app:x]: one {M}; two {O}\n",
                     settings='title = "T"\n[apparatus]\nbase = "O"\n')
    volume = load_volume(folder)
    assert plain_text(volume.documents[0].body[0].inlines, one_line=True) == "a two b"
    entry, = entries_of(volume.documents)
    assert [(plain_text(r.children), r.witnesses) for r in entry.readings] == [("one", ["M"])]


def test_a_lemma_may_stand_in_the_title(tmp_path):
    folder = edition(tmp_path, "Text.\n\n[app:t]: high {M}\n")
    page = folder / "001-text.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        'title = "Text"', 'title = "The [holy]{app=t} day"'), encoding="utf-8")
    doc = load_volume(folder).documents[0]
    assert plain_text(doc.title, one_line=True) == "The holy day"
    entry, = entries_of([doc])
    assert [(plain_text(r.children), r.witnesses) for r in entry.readings] == [("high", ["M"])]


def build_error(tmp_path: Path, capsys, folder: Path) -> tuple[int, str]:
    output = tmp_path / "out.pdf"
    code = main(["build", str(folder), "-o", str(output), "--no-cache"])
    assert not output.exists(), "no half-written output"
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize("body, line, message", [
    ("a [x]{app=e} b\n\n[app:e]: y {M Q}\n", 8, "siglum 'Q' names no witness"),
    ("a [x]{app=e wit=Z} b\n\n[app:e]: y {M}\n", 6, "siglum 'Z' names no witness"),
    ("a\n[]{app=e} b\n\n[app:e]: {M}\n", 7, "empty lemma"),
    ("a [x]{app=e} b\n\n[app:e]: y M V\n", 8, "malformed apparatus entry"),
    ("a [x]{app=e} b\n\n[app:e]: y {M} z {V\n", 8, "malformed apparatus entry"),
    ("a [x]{app=e} b\n\n[app:e]: y {.omission}\n", 8, "names no witness"),
    ("a [x]{app=e} b\n\n[app:e]: y {M .dropped}\n", 8, "unknown kind of reading .dropped"),
    ("a [x]{app=e} b\n\n[app:e]: ( y {M}\n", 8, "is not closed"),
    ("a\n[x]{app=e} b\n", 7, "has no definition [app:e]"),
    ("a [x]{app=e} b\n\n[app:e]: y {M}\n\n[app:f]: z {V}\n", 10, "no lemma is marked"),
    ("a [x]{app=e} [y]{app=e}\n\n[app:e]: y {M}\n", 6, "marked twice"),
    ("a [x]{app=e}\n\n[app:e]: y {M}\n[app:e]: z {V}\n", 9, "defined twice"),
])
def test_a_bad_entry_is_one_line_with_its_place(tmp_path, capsys, body, line, message):
    folder = edition(tmp_path, body)
    code, err = build_error(tmp_path, capsys, folder)
    assert code == 2
    assert err.count("\n") == 0
    assert err.startswith(f"edition: {folder / '001-text.md'}:{line}: "), err
    assert message in err


def test_sigla_without_a_witnesses_file_are_unknown(tmp_path, capsys):
    folder = edition(tmp_path, "a [x]{app=e} b\n\n[app:e]: y {M}\n", witnesses="")
    code, err = build_error(tmp_path, capsys, folder)
    assert (code, "no witness is declared (witnesses.toml)" in err) == (2, True)


# ---------------------------------------------------------------- the witnesses file


@pytest.mark.parametrize("witnesses, line, message", [
    ('[A]\ndescription = "x"\nshelfmark = "y"\n', 3, "[A] unknown key 'shelfmark'"),
    ('[A]\ndescription = 3\n', 2, "[A] description should be a string"),
    ('[A]\n[g]\nmembers = ["A", "Q"]\n', 3, "[g] member 'Q' is not a declared witness"),
    ('[g]\nmembers = ["g"]\n', 2, "[g] is a member of itself"),
    ('[A]\ndescription = "x\n', 2, "malformed TOML"),
    ('A = "x"\n', 1, "'A' should be a table"),
])
def test_a_bad_witnesses_file_is_one_line_with_its_place(tmp_path, witnesses, line, message):
    folder = edition(tmp_path, "a b\n", witnesses=witnesses)
    with pytest.raises(EditionError) as caught:
        load_volume(folder)
    assert (caught.value.file, caught.value.line) == (str(folder / "witnesses.toml"), line)
    assert message in caught.value.message


def test_the_witnesses_file_and_a_tei_listwit_merge_and_may_not_both_declare_a_siglum(
        tmp_path):
    folder = edition(tmp_path, "a b\n", witnesses='[P]\ndescription = "Parisinus"\n')
    listwit = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>T</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><listWit><witness xml:id="{id}">Codex</witness></listWit></sourceDesc>
</fileDesc></teiHeader><text><body><div type="chapter"><head>Two</head><p>c</p></div>
</body></text></TEI>"""
    (folder / "002-more.xml").write_text(listwit.replace("{id}", "L"), encoding="utf-8")
    assert list(load_volume(folder).witnesses) == ["L", "P"]
    (folder / "002-more.xml").write_text(listwit.replace("{id}", "P"), encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        load_volume(folder)
    assert (caught.value.file, caught.value.line) == (str(folder / "witnesses.toml"), 1)
    assert "witness 'P' is declared twice (also declared at " in caught.value.message


# ---------------------------------------------------------------- built to PDF


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("critical-md")
    pdf, report = tmp / "c.pdf", tmp / "c.json"
    code = main(["build", str(FIXTURE), "-o", str(pdf), "--report", str(report),
                 "--no-cache", "--strict", "--quiet"])
    return code, pdf, json.loads(report.read_text(encoding="utf-8"))


def test_the_markdown_fixture_builds_strict_with_each_entry_on_its_lemma_line(fixture_build):
    code, _, report = fixture_build
    assert code == 0
    listed = report["parts"]["body"]["apparatus"]
    assert len(listed) == 11
    assert all(e["entry_page"] == e["lemma_page"] and e["printed"] == e["line"] > 0
               for e in listed)


def test_readings_stand_at_the_foot_of_their_lemmas_page_not_in_the_text(fixture_build):
    import pdfplumber

    _, pdf, report = fixture_build
    found = entries_of(load_volume(FIXTURE).documents)
    listed = report["parts"]["body"]["apparatus"]
    front = len(report["parts"]["front"]["pages"])
    lined = 0
    with pdfplumber.open(pdf) as doc:
        for entry, place in zip(found, listed, strict=True):
            page = doc.pages[front + place["lemma_page"]]
            baselines, small = page_lines(page)
            words = [w for w in page.extract_words(x_tolerance=1, extra_attrs=["size"])
                     if w["size"] >= BODY_SIZE]
            body = " " + " ".join(w["text"].strip(PUNCTUATION) for w in words) + " "
            foot = " ".join(w["text"] for w in small)
            lemma = plain_text(entry.children, one_line=True)
            assert not lemma or f" {lemma} " in body.replace("\u2010 ", "")
            for reading in entry.all_readings():
                words_of = plain_text(reading.children, one_line=True)
                if words_of:
                    assert words_of in foot, (words_of, page.page_number)
                    assert f" {words_of} " not in body, (words_of, page.page_number)
            # Where the lemma's first word stands once on the page, the number its
            # entry prints is the line it stands on.
            first = lemma.split()[0] if lemma else ""
            alone = [w for w in words if w["text"].strip(PUNCTUATION) == first]
            if len(alone) == 1:
                assert entry_number(small, first) == line_of(baselines, alone[0]), first
                lined += 1
    assert lined >= 6


# ---------------------------------------------------------------- edition new --critical


def test_new_critical_starts_an_edition_that_builds_strict_with_its_apparatus(tmp_path, capsys):
    import pdfplumber

    folder = tmp_path / "critical"
    assert main(["new", "--critical", str(folder), "-q"]) == 0
    assert (folder / "witnesses.toml").is_file()
    pdf, report = tmp_path / "c.pdf", tmp_path / "c.json"
    assert main(["build", str(folder), "-o", str(pdf), "--report", str(report),
                 "--no-cache", "--strict", "--quiet"]) == 0
    listed = json.loads(report.read_text(encoding="utf-8"))["parts"]["body"]["apparatus"]
    defined = sum(line.startswith("[app:")
                  for line in (folder / "001-text.md").read_text(encoding="utf-8").split("\n"))
    assert len(listed) == defined >= 5
    assert all(e["entry_page"] == e["lemma_page"] and e["printed"] == e["line"] > 0
               for e in listed)
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() for page in doc.pages)
    assert "Conspectus siglorum" in text and re.search(r"marked\]\s*noted\s*B", text)


# ---------------------------------------------------------------- edition check

TEI_CHECKED = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>T</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><listWit><witness xml:id="A">Alpha</witness><witness xml:id="B"/></listWit>
</sourceDesc></fileDesc></teiHeader><text><body><div type="chapter"><head>Two</head>
<p>a <app><lem>b</lem><rdg wit="#X">c</rdg></app> d
<app><lem>e</lem><rdg wit="#A #Y">f</rdg></app> <app><lem/><rdg wit="#B"/></app>
<anchor xml:id="p1"/> g <anchor xml:id="p2"/> h <anchor xml:id="p3"/> i <anchor xml:id="p4"/></p>
<listApp><app from="#p1" to="#p3"><lem>g h</lem><rdg wit="#B">G H</rdg></app>
<app from="#p2" to="#p4"><lem>h i</lem><rdg wit="#B">H I</rdg></app>
<app from="#p2" to="#p3"><lem>h</lem><rdg wit="#B">H</rdg></app></listApp>
</div></body></text></TEI>
"""


def test_check_lists_every_apparatus_problem_of_every_file(tmp_path, capsys):
    folder = edition(tmp_path, "One [two]{app=a} three\n[]{app=b} four.\n\n"
                     "[app:a]: deux {M Q}\n[app:b]: {V}\n", witnesses="[M]\n[V]\n")
    first, second = folder / "001-text.md", folder / "002-b.xml"
    second.write_text(TEI_CHECKED, encoding="utf-8")
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert sorted(line for line in out if line.startswith(str(folder))) == sorted([
        f"{first}:9: siglum 'Q' names no witness (declared: M V)",
        f"{first}:7: empty lemma: the entry records no words of the text and nothing a "
        "witness has in their place; write the lemma in [ ] or set [apparatus] base to the "
        "witness whose reading the text prints",
        f"{second}:5: <rdg wit=\"#X\">: '#X' names no witness of the file's listWit",
        f"{second}:6: <rdg wit=\"#A #Y\">: '#Y' names no witness of the file's listWit",
        f"{second}:9: <app> #p2–#p4 overlaps the entry at line 8 (#p1–#p3) without either "
        "containing the other: the two lemmas cannot both be marked in the text",
    ])


def test_check_lists_empty_tei_lemmas_and_crossing_entries_of_a_readable_file(tmp_path,
                                                                              capsys):
    path = tmp_path / "t.xml"
    path.write_text(TEI_CHECKED.replace("#X", "#A").replace(" #Y", ""), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:6: empty lemma" in out
    assert f"{path}:9: <app> #p2–#p4 overlaps the entry at line 8" in out
    assert "names no witness" not in out and out.count("overlaps") == 1
