"""Errors as a compiler shows them (issue 28, point 7): `edition: FILE:LINE:COL: message`,
then, on a terminal, the source line and a caret under the column; -q, pipes and logs
get the first line alone. For TOML (settings, persons.toml, witnesses.toml, Markdown
front matter), Markdown bodies, XML and text that is not UTF-8."""

from __future__ import annotations

from pathlib import Path

from edition.cli import main
from edition.diagnostics import source_context


def _error(capsys, *args: str) -> list[str]:
    assert main(list(args)) == 2
    # After the progress line a terminal shows while reading (rich erases it: ESC[2K).
    err = capsys.readouterr().err.split("\x1b[2K")[-1]
    return err.rstrip("\n").split("\n")


def _document(edition: Path) -> Path:
    return edition / "001-first-document.md"


def test_settings_toml_error_shows_the_line_and_a_caret(edition, as_terminal, capsys):
    as_terminal()
    (edition / "edition.toml").write_text('title = "A"\n[page]\n\ttrim = a4\n')
    assert _error(capsys, "check", str(edition)) == [
        f"edition: {edition / 'edition.toml'}:3:9: malformed TOML: Invalid value",
        "    3 | \ttrim = a4",
        "      | \t       ^",  # the tab kept: the caret stands under the `a`
    ]


def test_quiet_and_pipes_keep_the_one_line(edition, as_terminal, capsys):
    (edition / "edition.toml").write_text('title = "A"\n[page]\n\ttrim = a4\n')
    first = f"edition: {edition / 'edition.toml'}:3:9: malformed TOML: Invalid value"
    assert _error(capsys, "check", str(edition)) == [first]  # capsys: not a terminal
    as_terminal()
    assert _error(capsys, "check", str(edition), "-q") == [first]


def test_register_and_witnesses_toml(edition, tmp_path, as_terminal, capsys):
    as_terminal()
    (edition / "persons.toml").write_text('[doe]\nname = "Doe, Jane"\nforms = ["Doe" "J"]\n')
    assert _error(capsys, "build", str(edition)) == [
        f"edition: {edition / 'persons.toml'}:3:16: malformed TOML: Unclosed array",
        '    3 | forms = ["Doe" "J"]',
        "      |                ^",
    ]
    critical = tmp_path / "crit"
    assert main(["new", "--critical", str(critical), "-q"]) == 0
    witnesses = critical / "witnesses.toml"
    witnesses.write_text(witnesses.read_text() + '\n[Z]\ndescription = "open\n')
    lines = _error(capsys, "check", str(critical))
    number = len(witnesses.read_text().splitlines())
    assert lines[0].startswith(f"edition: {witnesses}:{number}:")
    assert "malformed TOML" in lines[0]
    assert lines[1] == f"{number:>5} | " + 'description = "open'


def test_markdown_front_matter_and_body(edition, as_terminal, capsys):
    as_terminal()
    doc = _document(edition)
    text = doc.read_text()
    doc.write_text(text.replace('date = "1950-03-01"', "date = 1950-03-01x"))
    lines = _error(capsys, "build", str(edition))
    assert lines[0] == (f"edition: {doc}:5:18: malformed TOML front matter: Expected "
                        "newline or end of document after a statement")
    assert lines[1:] == ["    5 | date = 1950-03-01x", "      |                  ^"]
    # An error of the body knows its line, not its column: the line, no caret.
    doc.write_text(text.replace("o'clock.[^time]", "o'clock.[^nowhere]"))
    lines = _error(capsys, "build", str(edition))
    number = text.split("\n").index("The meeting was opened by Jane Doe at ten o'clock.[^time]")
    assert lines == [
        f"edition: {doc}:{number + 1}: note [^nowhere] is called but never defined",
        f"{number + 1:>5} | The meeting was opened by Jane Doe at ten o'clock.[^nowhere]",
    ]


def test_xml_error(tmp_path, as_terminal, capsys):
    as_terminal()
    source = tmp_path / "a.xml"
    source.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n'
                      "  <text><body><p>x</q></body></text>\n</TEI>\n")
    lines = _error(capsys, "check", str(source))
    assert lines[0].startswith(f"edition: {source}:2:23: malformed XML: Opening and ending "
                               "tag mismatch: p line 2 and q")
    assert lines[1:] == ["    2 |   <text><body><p>x</q></body></text>",
                         "      |                       ^"]


def test_settings_that_are_not_utf8_name_the_first_bad_byte(edition, as_terminal, capsys):
    as_terminal()
    (edition / "edition.toml").write_bytes(b'title = "A"\nsubtitle = "caf\xe9 \xff"\n')
    assert _error(capsys, "build", str(edition)) == [
        f"edition: {edition / 'edition.toml'}:2:16: not UTF-8 text (invalid continuation "
        "byte)",
        '    2 | subtitle = "caf\ufffd \ufffd"',
        "      |                ^",
    ]


def test_check_shows_each_broken_file_with_its_line(edition, as_terminal, capsys):
    as_terminal()
    doc = _document(edition)
    doc.write_text(doc.read_text().replace('date = "1950-03-01"', "date = ="))
    second = edition / "002-second.md"
    second.write_text('+++\nnumber = "2"\ntitle = "B\n+++\n\nText.\n')
    assert main(["check", str(edition)]) == 2
    err = capsys.readouterr().err.split("\n")
    assert err[0].startswith(f"edition: {doc}:5:8: ") and err[1] == "    5 | date = ="
    assert err[3].startswith(f"edition: {second}:3:")
    assert err[4] == '    3 | title = "B'


def test_a_long_line_is_shown_around_its_column(tmp_path):
    source = tmp_path / "one-line.xml"
    source.write_text("x" * 500 + "BAD" + "y" * 500)
    shown = source_context(str(source), 1, 501)
    assert len(shown[0]) < 120 and "BAD" in shown[0]
    assert shown[0][shown[1].index("^")] == "B"
    assert source_context("-M page.trim", 1, 1) == []  # an option is no file
