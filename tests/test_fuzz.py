"""Fuzzing: generated and mutated sources through `edition check` and `edition build`.

Whatever the input, a run ends in exit 0 or 1 (a PDF, or a check's findings) or exit 2
with one line `edition: …` on stderr: never a traceback, never a hang (each case runs
under a wall-clock alarm). The default budget keeps the suite to a minute or two; set
EDITION_FUZZ_EXAMPLES=N to run N examples per `check` strategy (and N/10 builds).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import signal
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from edition.cli import main
from tests.fuzz_cases import settings_case, structural_case

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source"
TEI_FIXTURES = ROOT / "tests" / "fixtures" / "tei"
# The sample edition as it stands: settings, register, front pages and documents.
SAMPLE_FILES = {p.name: p.read_bytes() for p in sorted(SAMPLE.iterdir()) if p.is_file()}
# Everything but the numbered documents: the frame a generated document is put into.
FRAME = {name: data for name, data in SAMPLE_FILES.items() if not name[0].isdigit()}
SAMPLE_DOCS = sorted(SAMPLE.glob("[0-9]*.md"))
SOURCES = sorted(name for name in SAMPLE_FILES if name.endswith((".md", ".xml")))
CHECK_SECONDS = 10
BUILD_SECONDS = 90
_ENV = os.environ.get("EDITION_FUZZ_EXAMPLES")


def budget(default: int, *, build: bool = False) -> settings:
    """Hypothesis settings: `default` examples unless EDITION_FUZZ_EXAMPLES says more.

    No hypothesis deadline: the first example pays for imports and font loading; the
    alarm in `time_limit` is the real limit against hangs.
    """
    examples = default
    if _ENV:
        examples = max(1, int(_ENV) // 10) if build else int(_ENV)
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


# ---------------------------------------------------------------- running the CLI


class Hang(AssertionError):
    """The run did not end within its time limit."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def expire(_signum, _frame):
        raise Hang(f"no result after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(argv: list[str], seconds: int) -> tuple[int, str, str]:
    """`edition ARGV` in this process; any exception escaping main() fails the test.

    Warnings are shown as a user would see them (the CLI prints readers' warnings as
    `edition: warning: …` lines) instead of being collected by pytest.
    """
    out, err = io.StringIO(), io.StringIO()
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        with time_limit(seconds), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("default")
            code = main(argv)
    finally:
        signal.signal(signal.SIGTERM, sigterm)  # main() installs its own handler
    return code, out.getvalue(), err.getvalue()


def assert_ends_cleanly(code: int, err: str) -> None:
    # Shown by --hypothesis-show-statistics: how many cases got past the readers.
    if currently_in_test_context():
        event(f"exit {code}")
    assert code in (0, 1, 2), (code, err)
    lines = err.strip().splitlines()
    # Warnings may come first; an error is one line, the last.
    assert all(line.startswith("edition: ") for line in lines), err
    errors = [line for line in lines if not line.startswith("edition: warning: ")]
    assert len(errors) == (1 if code == 2 else 0), err


def check_folder(folder: Path) -> int:
    code, _, err = run_cli(["check", str(folder)], CHECK_SECONDS)
    assert_ends_cleanly(code, err)
    return code


def build_folder(folder: Path) -> int:
    pdf = folder.parent / "out.pdf"
    code, _, err = run_cli(["build", str(folder), "-o", str(pdf), "-q"], BUILD_SECONDS)
    assert_ends_cleanly(code, err)
    if code in (0, 1):
        assert len(PdfReader(pdf).pages) > 0
    else:
        assert not pdf.exists()
    return code


@contextlib.contextmanager
def edition_folder(files: dict[str, bytes]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ed"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        yield folder


# ---------------------------------------------------------------- mutations


# Pieces of the format (and of attacks) that mutations splice in: random bytes alone
# rarely reach the interesting paths of the reader.
TOKENS = [
    "+++", ":::", "::::", "::: speech ", "::: headnote", "::: source", "::: attachment ",
    "::: center letterhead", "::: bogus", "[^1]", "[^x]", "[^x]: ", "[^1]: note[^1]",
    "{person=}", "{person=nagy-imre}", "{.stage}", "{.foreign}", "{", "}", "[", "]", "(",
    ")", "(doc:53)", "(note:x)", "(doc:999)", "](http://example.com)", "](file:///etc/passwd)",
    "![", "<img src=\"file:///etc/passwd\">", "<style>", "---", "\n---\n", "#", "## ",
    "1. ", "99999999999999999999. ", "- ", "> ", "\\", "\n\n", "\n", "    ", "\t", "*", "**",
    "`", "```", "~~~", "&amp;", "&#0;", "\u202e", "\u0000", "\ufeff", "\r", "\r\n", "\"",
    "'''", "number = ", "title = ", "kind = \"chapter\"", "lang = \"\"", "date = 1956-13-45",
]


@st.composite
def mutated(draw, data: bytes, tokens: list[str] = TOKENS, edits: int = 6) -> bytes:
    """`data` after a few random edits: flips, insertions, deletions, duplications."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, edits))):
        at = draw(st.integers(0, len(buf)))
        kind = draw(st.sampled_from(["flip", "insert", "token", "delete", "duplicate"]))
        if kind == "flip" and at < len(buf):
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "token":
            buf[at:at] = draw(st.sampled_from(tokens)).encode()
        elif kind == "delete":
            del buf[at:at + draw(st.integers(1, 200))]
        elif kind == "duplicate":
            end = min(len(buf), at + draw(st.integers(1, 400)))
            buf[at:at] = buf[at:end]
    return bytes(buf)


@pytest.mark.parametrize("name", SOURCES)
def test_mutated_sample_sources(name):
    tokens = TOKENS + TEI_TOKENS if name.endswith(".xml") else TOKENS

    @budget(40)
    @given(data=mutated(SAMPLE_FILES[name], tokens))
    def case(data):
        files = SAMPLE_FILES | {name: data}
        with edition_folder(files) as folder:
            check_folder(folder)
    case()


@budget(40)
@given(data=mutated((SAMPLE / "persons.toml").read_bytes(),
                    ["[x]", "index = ", "forms = [", "]", "see_also = [\"nagy-imre\"]", "\"",
                     "[kadar]", "identification = ", "= 1", "\n"]))
def test_mutated_register(data):
    files = SAMPLE_FILES | {"persons.toml": data}
    with edition_folder(files) as folder:
        check_folder(folder)


# ---------------------------------------------------------------- generated Markdown


WORDS = st.sampled_from(["Nagy", "Kádár", "Zhukov", "the", "government", "said", "[…]",
                         "“", "1956", "*plan*", "**Cde.**", "1\\. XI", "[sic]"])
BLOCKS = [
    "{words}", "{words}[^{label}]\n\n[^{label}]: {words}", "::: headnote\n{words}\n:::",
    "::: speech {words}\n{words}\n:::", "::: speech {words} {{person={label}}}\n{words}\n:::",
    "::: source\n{words}\n:::", ":::: attachment {words}\n::: right signature\n{words}\n:::\n"
    "::::", "::: center letterhead\n{words}\n{words}\n:::", "## {words}", "{words}\n---",
    "1. {words}\n2. {words}", "3. {words}", "- {words}\n  - {words}", "> {words}",
    "{{.stage}}\n{words}", "[{words}]{{person={label}}}", "[{words}]{{.foreign}}",
    "[Document](doc:{label})", "[n](note:{label})", "{words}\\\n{words}", "    {words}",
]


@st.composite
def markdown_document(draw) -> str:
    def words() -> str:
        return " ".join(draw(st.lists(WORDS, min_size=1, max_size=8)))

    def label() -> str:
        return draw(st.sampled_from(["1", "2", "a", "53", "nagy-imre", "x y", ""]))

    blocks = []
    for _ in range(draw(st.integers(0, 12))):
        template = draw(st.sampled_from(BLOCKS))
        blocks.append(template.format(words=words(), label=label()))
    number = draw(st.sampled_from(['"53"', '"12a"', "7", '""', '"53"']))
    title = draw(st.sampled_from(['"A Title"', '"Title[^t]"', '"*Italic* title"', "1"]))
    extra = "\n[^t]: The title's note." if "[^t]" in title else ""
    front = f"+++\nnumber = {number}\ntitle = {title}\n+++\n"
    return front + "\n\n".join(blocks) + extra + "\n"


@budget(80)
@given(text=markdown_document())
def test_generated_markdown(text):
    files = FRAME | {"001.md": text.encode()}
    with edition_folder(files) as folder:
        check_folder(folder)


# ---------------------------------------------------------------- front matter, TOML


TOML_VALUES = st.one_of(
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"')
                             .replace("\n", "\\n") + '"'),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: "nan" if f != f else ("inf" if f == float("inf") else
                                         "-inf" if f == float("-inf") else repr(f))),
    st.sampled_from(["true", "false", "1956-10-31", "1956-10-31T12:00:00", "[]", '["a", 1]',
                     "{}", '{ a = "b" }', '"""multi\nline"""', "'literal'", '"\\u0000"',
                     '"' + "x" * 5000 + '"']),
)
FRONT_KEYS = st.sampled_from(["number", "title", "short_title", "date", "lang", "kind",
                              "unknown", "title.sub", '"quoted key"'])


@st.composite
def front_matter(draw) -> str:
    """Usually a valid number and title (so other keys are reached), then random lines."""
    lines = [line for line in ('number = "1"', 'title = "T"') if draw(st.integers(0, 9))]
    lines += [f"{draw(FRONT_KEYS)} = {draw(TOML_VALUES)}"
              for _ in range(draw(st.integers(0, 4)))]
    lines += draw(st.lists(st.sampled_from(["[table]", "= 1", "x =", "+++"]), max_size=1))
    lines = draw(st.permutations(lines))
    return "+++\n" + "\n".join(lines) + "\n+++\nSome text.[^1]\n\n[^1]: A note.\n"


@budget(60)
@given(text=front_matter())
def test_generated_front_matter(text):
    with edition_folder({"001.md": text.encode()}) as folder:
        check_folder(folder)


SETTING_KEYS = {
    "": ["title", "subtitle", "editors", "publisher", "year", "isbn", "language", "profile",
         "keywords", "rights", "bogus"],
    "page": ["trim", "margin_top", "margin_bottom", "margin_inner", "margin_outer",
             "font_family", "font_size", "show_original_pages", "bogus"],
    "notes": ["numbering", "start"],
    "documents": ["start"],
    "front_matter": ["enabled", "pages"],
    "index": ["enabled"],
    "bogus": ["x"],
}
SETTING_VALUES = st.one_of(TOML_VALUES, st.sampled_from([
    '"a4"', '"6x9in"', '"1x1mm"', '"100000x100000mm"', '"0x0mm"', '"12 x 18 cm"', "0",
    "-5", "1e300", "0.001", "400", '"per-document"', '"continuous"', '"recto"', '"run-on"',
    '["principles.md"]', '["../../etc/passwd"]', '["/etc/passwd"]', '"handout"', '"print"',
    '"archive"', '"../../../etc/passwd"', '"Linux Libertine"', '"Comic\\"; } * { x: url(/etc/'
    'passwd) } p {"']))


@st.composite
def settings_toml(draw) -> str:
    out = []
    for table in draw(st.lists(st.sampled_from(list(SETTING_KEYS)), max_size=4, unique=True)):
        if table:
            out.append(f"[{table}]")
        for key in draw(st.lists(st.sampled_from(SETTING_KEYS[table]), max_size=4,
                                 unique=True)):
            out.append(f"{key} = {draw(SETTING_VALUES)}")
    return "\n".join(out) + "\n"


# Values a real edition.toml might hold, so that builds get past the settings.
PLAUSIBLE = {
    ("", "title"): ['"A Volume"', '"*Italic* & <b>"', '""'], ("", "language"): ['"en"', '"hu"'],
    ("", "editors"): ['["A", "B"]', "[]"], ("", "profile"): ['"book"', '"handout"'],
    ("page", "trim"): ['"6x9in"', '"a5"', '"a4"', '"100x150mm"'],
    ("page", "font_size"): ["8", "10", "14.5"], ("page", "margin_outer"): ["10", "30", "45"],
    ("page", "font_family"): ['"Linux Libertine"', '"No Such Font"', '"Comic\\"; x"'],
    ("page", "show_original_pages"): ["true", "false"],
    ("notes", "numbering"): ['"continuous"', '"per-document"'], ("notes", "start"): ["1", "235"],
    ("documents", "start"): ['"new-page"', '"recto"', '"run-on"'],
    ("front_matter", "enabled"): ["true", "false"], ("index", "enabled"): ["true", "false"],
}


@st.composite
def plausible_settings(draw) -> str:
    chosen = draw(st.lists(st.sampled_from(sorted(PLAUSIBLE)), max_size=8, unique=True))
    tables: dict[str, list[str]] = {}
    for table, key in chosen:
        value = draw(st.sampled_from(PLAUSIBLE[table, key]))
        tables.setdefault(table, []).append(f"{key} = {value}")
    out = tables.pop("", [])
    for table, lines in tables.items():
        out += [f"[{table}]", *lines]
    return "\n".join(out) + "\n"


@budget(60)
@given(toml=settings_toml())
def test_generated_settings(toml):
    files = {"edition.toml": toml.encode(), "001.md": (SAMPLE_DOCS[1]).read_bytes()}
    with edition_folder(files) as folder:
        check_folder(folder)


# ---------------------------------------------------------------- TEI


TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TEI_ELEMENTS = ["div", "head", "p", "note", "hi", "persName", "list", "item", "label",
                "table", "row", "cell", "sp", "speaker", "lg", "l", "pb", "anchor", "ref",
                "figure", "graphic", "quote", "q", "dateline", "opener", "closer", "signed",
                "listPerson", "person", "term", "gloss", "lb", "gap", "supplied", "unknownEl",
                "index", "date", "seg", "title", "bibl", "foreign", "choice", "sic", "corr"]
TEI_ATTRIBUTES = {
    "type": ["document", "chapter", "section", "attachment", "index", "headnote", "source",
             "editorial", "summary", "bogus", ""],
    "rend": ["italic", "bold", "smallcaps", "sup", "right", "center", "sectiontitle", "x"],
    "n": ["1", "53", "", "12a", "ii"],
    "place": ["foot", "end", "margin"],
    "ref": ["#p_1", "#p_2", "#nobody", "", "#"],
    "target": ["#d1", "#range(a1,a2)", "#range(", "#nowhere", "http://example.com",
               "file:///etc/passwd", "#d1 #d2"],
    "url": ["file:///etc/passwd", "http://example.com/x.png", "img.png", "../x.png"],
    f"{{{XML_NS}}}id": ["d1", "d2", "a1", "a2", "p_1", "persons", "terms", "index", "dup"],
    f"{{{XML_NS}}}lang": ["en", "hu", "ru", "", "x-bogus"],
    "when": ["1956-10-31", "1956", "bogus"],
    "cols": ["2", "0", "-1", "x"],
    "rows": ["2", "0", "x"],
}


@st.composite
def tei_element(draw, depth: int = 0) -> etree._Element:
    name = draw(st.sampled_from(TEI_ELEMENTS))
    el = etree.Element(f"{{{TEI_NS}}}{name}")
    for attr in draw(st.lists(st.sampled_from(list(TEI_ATTRIBUTES)), max_size=3, unique=True)):
        el.set(attr, draw(st.sampled_from(TEI_ATTRIBUTES[attr])))
    el.text = draw(TEI_TEXT)
    if depth < 4:
        for _ in range(draw(st.integers(0, 4 - depth))):
            child = draw(tei_element(depth + 1))
            child.tail = draw(TEI_TEXT)
            el.append(child)
    return el


TEI_TEXT = st.one_of(st.none(), st.sampled_from(
    ["Text ", " MR. SMITH: said ", "SECRETARY KISSINGER: yes.", "Source: Archive.", "[",
     "]", "(stage)", "  \n  ", "Nagy"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10))


@st.composite
def tei_document(draw) -> bytes:
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    if draw(st.booleans()):
        header = etree.SubElement(root, f"{{{TEI_NS}}}teiHeader")
        file_desc = etree.SubElement(header, f"{{{TEI_NS}}}fileDesc")
        title_stmt = etree.SubElement(file_desc, f"{{{TEI_NS}}}titleStmt")
        etree.SubElement(title_stmt, f"{{{TEI_NS}}}title").text = draw(TEI_TEXT)
    text = etree.SubElement(root, f"{{{TEI_NS}}}text")
    for part in draw(st.lists(st.sampled_from(["front", "body", "back"]), max_size=3)):
        section = etree.SubElement(text, f"{{{TEI_NS}}}{part}")
        for _ in range(draw(st.integers(0, 3))):
            section.append(draw(tei_element()))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@budget(60)
@given(data=tei_document())
def test_generated_tei(data):
    with edition_folder({"a.xml": data}) as folder:
        check_folder(folder)


TEI_TOKENS = ["<", ">", "</p>", "<p>", "<note>", "</note>", "&", "&lt;", "&bogus;", "<!--",
              "<!DOCTYPE TEI [<!ENTITY x \"y\">]>", "<![CDATA[", "]]>", "<?pi x?>",
              "xml:id=\"d1\"", "\"", "<div type=\"document\">", "</div>", "\u0000", "\xff"]


@pytest.mark.parametrize("name", ["minimal.xml", "frus-sample.xml"])
def test_mutated_tei(name):
    @budget(30)
    @given(data=mutated((TEI_FIXTURES / name).read_bytes(), TEI_TOKENS))
    def case(data):
        with edition_folder({"a.xml": data}) as folder:
            check_folder(folder)
    case()


# ---------------------------------------------------------------- real builds


@budget(10, build=True)
@given(text=markdown_document(), toml=st.one_of(plausible_settings(), settings_toml()))
def test_generated_builds(text, toml):
    files = {"edition.toml": toml.encode(), "001.md": text.encode(),
             "persons.toml": (SAMPLE / "persons.toml").read_bytes()}
    with edition_folder(files) as folder:
        build_folder(folder)


# One edit: more mutants survive the readers and reach the layout.
@budget(6, build=True)
@given(data=mutated(SAMPLE_DOCS[-1].read_bytes(), edits=1))
def test_mutated_builds(data):
    files = FRAME | {SAMPLE_DOCS[-1].name: data}
    with edition_folder(files) as folder:
        build_folder(folder)


@budget(4, build=True)
@given(data=tei_document())
def test_generated_tei_builds(data):
    with edition_folder({"a.xml": data}) as folder:
        build_folder(folder)


@pytest.mark.parametrize("toml, key", [
    ("[page]\nfont_size = 0", "font_size"), ("[page]\nfont_size = -3", "font_size"),
    ("[page]\nfont_size = nan", "font_size"), ("[page]\nfont_size = inf", "font_size"),
    ("[page]\nfont_size = 1e300", "font_size"), ("[page]\nmargin_top = 1e300", "margin_top"),
    ("[page]\nmargin_outer = -50", "margin_outer"), ("[page]\nmargin_inner = nan",
                                                    "margin_inner"),
    ("[page]\ntrim = \"0x0mm\"", "trim"), ("[page]\ntrim = \"99999x9in\"", "trim"),
    ("[page]\ntrim = \"20x20mm\"", "margins leave no room"),
    # Issue 27: a note numbered -1 was printed "−1"; notes start at 1 or later.
    ("[notes]\nstart = -1", "notes start"),
])
def test_impossible_page_settings_are_one_line_errors(toml, key):
    """Found by fuzzing: font_size = 1e300 divided by zero inside WeasyPrint and
    margin_top = 1e300 made an unreadable PDF; such values now stop before layout."""
    files = {"edition.toml": toml.encode(), "001.md": SAMPLE_DOCS[1].read_bytes()}
    with edition_folder(files) as folder:
        code, _, err = run_cli(["build", str(folder), "-o", str(folder.parent / "o.pdf"), "-q"],
                               BUILD_SECONDS)
        assert_ends_cleanly(code, err)
        assert code == 2 and "edition.toml:2: " in err and key in err, err


@pytest.mark.parametrize("toml", [
    "[page]\nfont_size = 1", "[page]\nfont_size = 30\nmargin_outer = 0",
    "[notes]\nstart = 1", "[notes]\nstart = 99999999999999999",
])
def test_extreme_but_possible_settings_build(toml):
    files = {"edition.toml": toml.encode(), "001.md": SAMPLE_DOCS[1].read_bytes()}
    with edition_folder(files) as folder:
        assert build_folder(folder) in (0, 1)


# ---------------------------------------------------------------- structure (issue 13)
# Deep nesting, notes in notes, speeches in notes, huge spans, settings of wrong types
# (tests/fuzz_cases.py). The long tier runs 10,000 of them: bench/fuzz.py.


@budget(150)
@given(seed=st.integers(0, 2**32 - 1))
def test_structural_cases_check(seed):
    with edition_folder(structural_case(random.Random(seed))) as folder:
        check_folder(folder)


@budget(15, build=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_structural_cases_build(seed):
    with edition_folder(structural_case(random.Random(seed))) as folder:
        build_folder(folder)


@budget(60)
@given(seed=st.integers(0, 2**32 - 1))
def test_generated_settings_cases_check(seed):
    """edition.toml generated from the whole schema (tests/fuzz_cases.py), with the
    sample's document: a value of each type, the limits and past them."""
    files = {"edition.toml": settings_case(random.Random(seed)).encode(),
             "001.md": SAMPLE_DOCS[1].read_bytes(), "press.icc": b"\0" * 12 + b"prtrCMYK"}
    with edition_folder(files) as folder:
        check_folder(folder)


@budget(6, build=True)
@given(seed=st.integers(0, 2**32 - 1), profile=st.sampled_from(["book", "handout", "print"]))
def test_generated_settings_cases_build(seed, profile):
    files = {"edition.toml": settings_case(random.Random(seed)).encode(),
             "001.md": SAMPLE_DOCS[1].read_bytes()}
    with edition_folder(files) as folder:
        pdf = folder.parent / "out.pdf"
        code, _, err = run_cli(["build", str(folder), "-o", str(pdf), "-q", "--profile",
                                profile], BUILD_SECONDS)
        assert_ends_cleanly(code, err)
        if code in (0, 1):
            assert_a_real_page(pdf)


# A page no larger than PDF allows (200 in), with room for a word: settings past these
# built pages 2.8e9 pt wide, or 40 pages of 0.001 mm without a word on them.
PDF_MAX_PT = 14_400


def assert_a_real_page(pdf: Path) -> None:
    reader = PdfReader(pdf)
    for page in reader.pages:
        box = page.mediabox
        assert 0 < float(box.width) <= PDF_MAX_PT and 0 < float(box.height) <= PDF_MAX_PT
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    assert "Illustrative" in text and "illustrative sample text" in " ".join(text.split())


def test_the_sample_checks_and_is_not_a_fuzzing_false_negative():
    """The harness itself: a clean folder passes, a broken one fails with one line."""
    with edition_folder(SAMPLE_FILES) as folder:
        assert check_folder(folder) == 0
        (folder / SAMPLE_DOCS[1].name).write_bytes(b"no front matter")
        code, _, err = run_cli(["check", str(folder)], CHECK_SECONDS)
        assert code == 2 and "no front matter" in err
    with pytest.raises(Hang):
        with time_limit(1):
            while True:
                pass

