"""Untrusted settings, paths and sizes (issue 13): what `edition.toml`, links in the
edition folder, `-o`/`--report` and absurd structures can do.

Every case ends in a PDF that shows nothing it should not, or one line
`edition: FILE:LINE: message` with exit 2 (3 for an internal error), before any layout
and without touching the previous PDF; nothing is fetched or read from outside.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

import edition.build
import edition.render
from edition.fetcher import make_url_fetcher
from edition.readers.base import MAX_MARKUP_BYTES, MAX_NESTING
from edition.readers.tei.blocks import MAX_COLUMN_SPAN
from edition.render import STYLES_DIR, stylesheets
from edition.render.css import css_string
from edition.settings import load_settings
from tests.test_hostile_inputs import (  # noqa: F401  (server is a fixture)
    PASSWD_MARK,
    TEI_FIXTURES,
    assert_one_line_error,
    markdown_edition,
    pdf_text,
    run,
    server,
)

SAMPLE_FONT = STYLES_DIR / "fonts" / "LinLibertine_R.otf"


def edition_with_settings(folder: Path, toml: str) -> Path:
    markdown_edition(folder, "Some text.")
    (folder / "edition.toml").write_text(toml, encoding="utf-8")
    return folder


def build(capsys, folder: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "build", str(folder), "-o", str(out), "-q", *extra)


@pytest.fixture
def no_layout(monkeypatch):
    """Fail the test if the build gets as far as reading and laying out."""
    def typeset(*_args, **_kwargs):
        raise AssertionError("the build started")
    monkeypatch.setattr(edition.build, "typeset", typeset)


# ---------------------------------------------------------------- 1. settings → CSS


def hostile_family(url: str) -> str:
    return (f'X\\r;}} @font-face {{ font-family: Q; src: url({url}) }} '
            'html { font-family: Q; x: \\"')


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("scheme", ["http", "file"])
def test_font_family_breaking_out_of_css_is_refused_with_its_line(tmp_path, capsys, server,  # noqa: F811
                                                                 command, scheme):
    outside = tmp_path / "outside.otf"
    outside.write_bytes(SAMPLE_FONT.read_bytes())
    url = server.url + "/f.otf" if scheme == "http" else outside.as_uri()
    toml = (f'title = "T"\n[front_matter]\nenabled = false\n[page]\n'
            f'font_family = "{hostile_family(url)}"\n')
    folder = edition_with_settings(tmp_path / "ed", toml)
    argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q"]
                                     if command == "build" else [])
    code, _, err = run(capsys, *argv)
    assert_one_line_error(code, err, "edition.toml:5:", "font_family must be a font's name")
    assert server.requests == []
    assert not (tmp_path / "o.pdf").exists()


@pytest.mark.parametrize("family", ["Linux Libertine", "EB Garamond 12", "Noto Serif CJK JP",
                                    "Gentium Book Plus", "Times-Roman", "Zapf Dingbats"])
def test_real_font_names_are_accepted(family):
    assert load_settings(None, font_family=family).font_family == family


@pytest.mark.parametrize("value", ['a"b', "a\\b", "a\nb", "a\rb", "a\fb", "a;}b", "a{b",
                                   "a/*b", "url(x)", "a'b", "a<b"])
def test_css_string_cannot_be_left(value):
    """Defence in depth: whatever reaches css_string stays one CSS string token."""
    import tinycss2

    tokens = [t for t in tinycss2.parse_component_value_list(css_string(value))
              if t.type != "whitespace"]
    assert len(tokens) == 1 and tokens[0].type == "string"
    assert tokens[0].value == value


def test_generated_stylesheets_go_through_the_fetcher(tmp_path, server, monkeypatch):  # noqa: F811
    """A stylesheet that names a URL (had a value slipped through) fetches nothing."""
    outside = tmp_path / "outside.otf"
    outside.write_bytes(SAMPLE_FONT.read_bytes())
    extra = (f'@font-face {{ font-family: Q; src: url({server.url}/f.otf) }}\n'
             f'@font-face {{ font-family: R; src: url({outside.as_uri()}) }}\n')
    original = edition.render.settings_css
    monkeypatch.setattr(edition.render, "settings_css",
                        lambda *a, **k: original(*a, **k) + extra)
    fetcher = make_url_fetcher([tmp_path / "ed", STYLES_DIR])
    stylesheets(load_settings(None), "book", url_fetcher=fetcher)
    assert server.requests == []
    assert [url for url, _ in fetcher.refused] == [f"{server.url}/f.otf", outside.as_uri()]
    # Without a fetcher of the build's, the package's styles alone are readable.
    stylesheets(load_settings(None), "book")
    assert server.requests == []


def test_build_refuses_a_font_outside_the_edition_in_a_stylesheet(tmp_path, capsys,
                                                                  monkeypatch):
    outside = tmp_path / "outside.otf"
    outside.write_bytes(SAMPLE_FONT.read_bytes())
    extra = (f'@font-face {{ font-family: Q; src: url({outside.as_uri()}) }}\n'
             'html { font-family: Q; }\n')
    original = edition.render.settings_css
    monkeypatch.setattr(edition.render, "settings_css",
                        lambda *a, **k: original(*a, **k) + extra)
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    code, _, err = build(capsys, folder, tmp_path / "o.pdf")
    assert_one_line_error(code, err, "refused to fetch", "outside the edition folder")
    assert not (tmp_path / "o.pdf").exists()


# ---------------------------------------------------------------- 2. files of the edition


def outside_file(tmp_path: Path, exists: bool, text: str) -> Path:
    target = tmp_path / "elsewhere" / "secret.toml"
    if exists:
        target.parent.mkdir(exist_ok=True)
        target.write_text(text)
    return target


@pytest.mark.parametrize("name,text", [
    ("persons.toml", '[secret-person]\nname = "Outside, Secret"\npattern = "Some"\n'),
    ("edition.toml", 'title = "SECRET TITLE"\n'),
])
def test_a_link_out_of_the_folder_is_refused_whether_or_not_it_exists(tmp_path, capsys, name,
                                                                      text):
    messages = []
    for exists in (True, False):
        folder = markdown_edition(tmp_path / f"ed-{exists}", "Some text.")
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(outside_file(tmp_path, exists, text))
        for command in ("check", "build"):
            argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q",
                                              "--profile", "archive"]
                                             if command == "build" else [])
            code, out, err = run(capsys, *argv)
            assert_one_line_error(code, err, f"{name}: links to a file outside the edition")
            assert "SECRET" not in out + err and "Secret" not in out + err
            messages.append(err.replace(str(folder), "ED"))
    assert len(set(messages)) == 1, messages
    assert not (tmp_path / "o.pdf").exists()


def test_a_link_inside_the_folder_is_followed(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    (folder / "settings").mkdir()
    (folder / "edition.toml").rename(folder / "settings" / "real.toml")
    (folder / "edition.toml").symlink_to(folder / "settings" / "real.toml")
    code, out, err = run(capsys, "check", str(folder))
    assert code == 0, err


def test_a_front_page_outside_says_the_same_whether_or_not_it_exists(tmp_path, capsys):
    messages = []
    for exists in (True, False):
        folder = markdown_edition(tmp_path / f"ed-{exists}", "Some text.")
        secret = tmp_path / f"secret-{exists}.md"
        if exists:
            secret.write_text("+++\ntitle = \"SECRET\"\n+++\nSECRET\n")
        (folder / "edition.toml").write_text(
            f'title = "T"\n[front_matter]\npages = ["../{secret.name}"]\n')
        code, _, err = run(capsys, "check", str(folder))
        assert_one_line_error(code, err, "links to a file outside the edition folder",
                              "edition.toml:3")
        messages.append(err.replace(str(folder), "ED").replace(secret.name, "S"))
    assert messages[0] == messages[1]


def test_a_dangling_document_link_is_refused_like_an_existing_one(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    (folder / "002.md").symlink_to(tmp_path / "nowhere.md")
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "002.md: links to a file outside the edition folder")


def test_an_output_profile_outside_says_the_same_whether_or_not_it_exists(tmp_path, capsys):
    (tmp_path / "real.icc").write_bytes(b"\0" * 12 + b"prtrCMYK" + b"\0" * 200)
    messages = []
    for name in ("real.icc", "missing.icc"):
        folder = markdown_edition(tmp_path / f"ed-{name}", "Some text.")
        (folder / "edition.toml").write_text(
            f'title = "T"\n[print]\noutput_profile = "../{name}"\n')
        code, _, err = build(capsys, folder, tmp_path / "o.pdf", "--profile", "print")
        assert_one_line_error(code, err, "edition.toml:3:", "is not a file of the edition")
        messages.append(err.replace(str(folder), "ED").replace(name, "N"))
    assert messages[0] == messages[1]


def test_an_output_profile_linked_from_outside_is_refused(tmp_path, capsys):
    icc = tmp_path / "outside.icc"
    icc.write_bytes(b"\0" * 12 + b"prtrCMYK" + b"\0" * 200)
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    (folder / "press.icc").symlink_to(icc)
    (folder / "edition.toml").write_text(
        'title = "T"\n[front_matter]\nenabled = false\n[print]\noutput_profile = "press.icc"\n')
    code, _, err = build(capsys, folder, tmp_path / "o.pdf", "--profile", "print")
    assert_one_line_error(code, err, "edition.toml:5:", "is not a file of the edition")


# ---------------------------------------------------------------- 3. sizes and depth


def tei(body: str) -> str:
    minimal = (TEI_FIXTURES / "minimal.xml").read_text()
    return minimal.replace('<p>The text of the letter,', body + '<p>The text of the letter,')


def tei_folder(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.xml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("attr", ["cols", "rows"])
def test_a_huge_table_span_is_an_error_with_its_line(tmp_path, capsys, attr):
    table = f'<table>\n<row><cell {attr}="100000000">x</cell></row></table>'
    folder = tei_folder(tmp_path / "ed", tei(table))
    started = time.monotonic()
    for command in ("check", "build"):
        argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q"]
                                         if command == "build" else [])
        code, _, err = run(capsys, *argv)
        assert_one_line_error(code, err, "a.xml:21:", "a cell spans at most")
    assert time.monotonic() - started < 10


def test_a_table_of_many_columns_still_builds(tmp_path, capsys):
    table = f'<table><row><cell cols="{MAX_COLUMN_SPAN}">wide</cell></row>' \
            '<row><cell>a</cell><cell rows="3">b</cell></row></table>'
    folder = tei_folder(tmp_path / "ed", tei(table))
    code, _, err = build(capsys, folder, tmp_path / "o.pdf")
    assert code == 0, err
    assert "wide" in pdf_text(tmp_path / "o.pdf")


def test_a_tei_file_over_the_cap_is_refused_quickly(tmp_path, capsys):
    text = tei("<p>" + "lorem ipsum " * (MAX_MARKUP_BYTES // 12) + "</p>")
    folder = tei_folder(tmp_path / "ed", text)
    started = time.monotonic()
    code, _, err = run(capsys, "check", str(folder))
    assert time.monotonic() - started < 10
    assert_one_line_error(code, err, "a.xml:1:", "file larger than 30 MB")


NESTED = {
    "div": ("<div>", "</div>"),
    "hi": ("<hi rend='italic'>", "</hi>"),
    "quote": ("<quote>", "</quote>"),
    "list": ("<list><item>", "</item></list>"),
}


def nested_tei(kind: str, levels: int) -> str:
    """`levels` elements of `kind` nested in a document (itself 4 deep), text innermost."""
    opening, closing = NESTED[kind]
    text = "ZZ" if kind in ("hi", "quote", "list") else "<p>ZZ</p>"
    inner = opening * levels + text + closing * levels
    return tei(f"<p>{inner}</p>" if kind == "hi" else inner)


@pytest.mark.parametrize("kind", sorted(NESTED))
@pytest.mark.parametrize("command", ["check", "build"])
def test_tei_nested_too_deep_is_one_line_with_its_line(tmp_path, capsys, kind, command):
    folder = tei_folder(tmp_path / "ed", nested_tei(kind, 120))
    argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q"]
                                     if command == "build" else [])
    code, _, err = run(capsys, *argv)
    assert_one_line_error(code, err, "a.xml:", f"nested more than {MAX_NESTING} levels")


def test_a_deep_note_is_one_line(tmp_path, capsys):
    minimal = (TEI_FIXTURES / "minimal.xml").read_text()
    text = minimal.replace("The only note.", "<note>" * 150 + "x" + "</note>" * 150)
    folder = tei_folder(tmp_path / "ed", text)
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "a.xml:21:", f"nested more than {MAX_NESTING} levels")


@pytest.mark.parametrize("kind", ["div", "quote"])
def test_tei_nested_just_within_the_limit_builds(tmp_path, capsys, kind):
    # TEI, text, body, the document's div, then the nesting: the innermost at 100.
    folder = tei_folder(tmp_path / "ed", nested_tei(kind, MAX_NESTING - 5))
    code, _, err = build(capsys, folder, tmp_path / "o.pdf")
    assert code == 0, err
    assert "ZZ" in pdf_text(tmp_path / "o.pdf")


def test_markdown_nested_just_within_the_limit_builds(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "> " * (MAX_NESTING - 1) + "ZZ")
    code, _, err = build(capsys, folder, tmp_path / "o.pdf")
    assert code == 0, err
    assert "ZZ" in pdf_text(tmp_path / "o.pdf")


@pytest.mark.parametrize("body", [
    "> " * 300 + "deep",
    "".join("  " * i + "- x\n" for i in range(80)),
    "::: speech A\n" + "> " * 150 + "deep\n:::",
])
def test_markdown_nested_too_deep_is_one_line(tmp_path, capsys, body):
    folder = markdown_edition(tmp_path / "ed", body)
    code, _, err = run(capsys, "check", str(folder))
    assert_one_line_error(code, err, "001.md:", f"nested more than {MAX_NESTING} levels")


def test_markdown_deeper_than_commonmark_allows_is_not_dropped(tmp_path, capsys):
    """markdown-it stops at 20 levels by default and drops the rest silently."""
    folder = markdown_edition(tmp_path / "ed", "> " * 30 + "ZZ")
    code, _, err = build(capsys, folder, tmp_path / "o.pdf")
    assert code == 0, err
    assert "ZZ" in pdf_text(tmp_path / "o.pdf")


# ---------------------------------------------------------------- 4. types, exit codes

WRONG_TYPES = [
    ("editors = [1, 2]", 1, "editors"),
    ("keywords = [[1]]", 1, "keywords"),
    ('title = 1', 1, "title"),
    ('[page]\nfont_size = "big"', 2, "font_size"),
    ('[front_matter]\npages = [1]', 2, "pages"),
    ('[notes]\nstart = 1.5', 2, "start"),
    ('language = "en;}"', 1, "language"),
]


@pytest.mark.parametrize("toml,line,key", WRONG_TYPES)
@pytest.mark.parametrize("command", ["check", "build"])
def test_settings_of_the_wrong_type_are_refused_with_their_line(tmp_path, capsys, toml, line,
                                                                key, command):
    folder = edition_with_settings(tmp_path / "ed", toml + "\n")
    argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q"]
                                     if command == "build" else [])
    code, _, err = run(capsys, *argv)
    assert_one_line_error(code, err, f"edition.toml:{line}:", key)
    assert not (tmp_path / "o.pdf").exists()


def test_an_internal_error_is_one_line_with_exit_3(tmp_path, capsys, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(edition.build, "typeset", broken)
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    code, _, err = build(capsys, folder, tmp_path / "o.pdf")
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("edition: internal error: ZeroDivisionError: division by zero")
    assert "this is a bug" in lines[0] and "-v" in lines[0]
    assert "Traceback" not in err
    code, _, err = build(capsys, folder, tmp_path / "o.pdf", "-v")
    assert code == 3
    assert "Traceback" in err and err.strip().splitlines()[-1].startswith("edition: internal")


def test_check_takes_the_v_the_internal_error_line_asks_for(tmp_path, capsys, monkeypatch):
    import edition.readers

    def broken(*_args, **_kwargs):
        raise RecursionError("maximum recursion depth exceeded")
    monkeypatch.setattr(edition.readers, "load_volume", broken)
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    code, _, err = run(capsys, "check", str(folder))
    assert code == 3 and len(err.strip().splitlines()) == 1 and "RecursionError" in err
    code, _, err = run(capsys, "check", "-v", str(folder))
    assert code == 3 and "Traceback" in err


def test_exit_codes(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    assert build(capsys, folder, tmp_path / "o.pdf")[0] == 0
    assert run(capsys, "check", str(folder))[0] == 0
    (folder / "002.md").write_text('+++\nnumber = "2"\ntitle = "B"\n+++\n[Nobody]{person=x}\n')
    (folder / "persons.toml").write_text('[y]\nname = "Y"\n')
    assert run(capsys, "check", str(folder))[0] == 1
    assert run(capsys, "build", str(tmp_path / "nowhere"))[0] == 2


# ---------------------------------------------------------------- 5. output paths


@pytest.mark.parametrize("name", ["001.md", "edition.toml", "sub/new.pdf", "new.pdf"])
def test_an_output_among_the_sources_is_refused(tmp_path, capsys, no_layout, name):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    before = {p: p.read_bytes() for p in folder.iterdir()}
    code, _, err = build(capsys, folder, folder / name)
    assert_one_line_error(code, err, "would be written into the edition's sources")
    assert {p: p.read_bytes() for p in folder.iterdir()} == before


def test_the_edition_output_folder_is_allowed(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    code, _, err = build(capsys, folder, folder / "output" / "book.pdf")
    assert code == 0, err
    assert (folder / "output" / "book.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("target,words", [
    ("DIR", "is a folder"),
    ("/proc/self/x.pdf", "system folder"),
    ("/dev/null", "system folder"),
    ("/sys/x.pdf", "system folder"),
    ("FIFO", "not a regular file"),
    ("FILE/x.pdf", "is not a folder"),
])
def test_an_output_that_cannot_be_a_pdf_is_refused_before_layout(tmp_path, capsys, no_layout,
                                                                 target, words):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_text("x")
    target = target.replace("DIR", str(tmp_path / "dir")).replace(
        "FIFO", str(tmp_path / "fifo")).replace("FILE", str(tmp_path / "file"))
    for option in ("-o", "--report"):
        argv = ["-o", target] if option == "-o" else ["-o", str(tmp_path / "o.pdf"),
                                                      "--report", target]
        code, _, err = run(capsys, "build", str(folder), "-q", *argv)
        assert_one_line_error(code, err, words)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder_is_refused_before_layout(tmp_path, capsys, no_layout):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = build(capsys, folder, locked / "o.pdf")
        assert_one_line_error(code, err, "no permission to write")
    finally:
        locked.chmod(0o700)


def test_an_unwritable_report_leaves_the_previous_pdf(tmp_path, capsys):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    pdf = tmp_path / "o.pdf"
    pdf.write_bytes(b"%PDF-previous")
    code, _, err = build(capsys, folder, pdf, "--report", "/proc/self/report.json")
    assert_one_line_error(code, err, "report.json", "system folder")
    assert pdf.read_bytes() == b"%PDF-previous"


def test_report_and_pdf_on_one_file_is_refused(tmp_path, capsys, no_layout):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    code, _, err = build(capsys, folder, tmp_path / "o.pdf", "--report", str(tmp_path / "o.pdf"))
    assert_one_line_error(code, err, "the same file")


def test_handout_and_index_check_their_output_too(tmp_path, capsys, no_layout):
    folder = markdown_edition(tmp_path / "ed", "Some text.")
    code, _, err = run(capsys, "handout", str(folder), "1", "-o", str(folder / "001.md"))
    assert_one_line_error(code, err, "edition's sources")
    code, _, err = run(capsys, "index", str(folder), "-o", str(folder / "x.json"))
    assert_one_line_error(code, err, "edition's sources")


def test_the_pdf_of_an_archive_holds_no_outside_register(tmp_path, capsys):
    """The register is attached to archive PDFs: an inside one is, an outside one never."""
    folder = markdown_edition(tmp_path / "ed", "[Some]{person=x} text.")
    (folder / "persons.toml").write_text('[x]\nname = "Person, Inside"\n')
    code, _, err = build(capsys, folder, tmp_path / "o.pdf", "--profile", "archive")
    assert code == 0, err
    reader = PdfReader(tmp_path / "o.pdf")
    names = list(reader.attachments)
    assert "persons.toml" in names
    assert PASSWD_MARK not in pdf_text(tmp_path / "o.pdf")
