"""`-M KEY=VALUE` and `--defaults FILE` (issue 28, point 6): settings over edition.toml,
checked as edition.toml's are, each problem named where it was given."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from edition.cli import main

MM = 72 / 25.4
# Every command that reads an edition, with the words it needs besides the source.
COMMANDS = {"build": [], "watch": [], "handout": ["1"], "check": [], "index": [],
            "preview": []}


def _page_mm(pdf: Path, index: int = -1) -> tuple[float, float]:
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[index]
        return round(page.width / MM), round(page.height / MM)


def _text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_defaults_over_edition_toml_and_m_over_both(edition, tmp_path, capsys):
    defaults = tmp_path / "press.toml"
    defaults.write_text('year = "1990"\n[page]\ntrim = "a5"\n[notes]\nstart = 235\n')
    out = edition / "output" / "ed.pdf"
    assert main(["build", str(edition), "-q", "--defaults", str(defaults),
                 "-M", "page.trim=a4", "-M", "title=Letters of the Committee",
                 "-M", "year=1956"]) == 0
    assert _page_mm(out) == (210, 297)  # -M's trim, over the defaults' a5
    text = _text(out)
    assert "Letters of the Committee" in text  # a value that is no TOML: the text
    assert "235" in text and "1956" in text  # the defaults' note start; -M's year as text
    assert "1990" not in text
    assert main(["build", str(edition), "-q", "--defaults", str(defaults)]) == 0
    assert _page_mm(out) == (148, 210)  # the defaults' a5 over edition.toml's 6x9in


def test_a_profile_given_with_m_names_the_output(edition, capsys):
    assert main(["build", str(edition), "-q", "-M", "profile=print",
                 "-M", "print.bleed=3"]) == 0
    printed = edition / "output" / "ed-print.pdf"
    assert printed.is_file() and not (edition / "output" / "ed.pdf").exists()
    width, height = _page_mm(printed)
    assert (width, height) == (158, 235)  # 6 × 9 in with 3 mm of bleed each side


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_key_is_an_error_naming_the_option(command, edition, capsys):
    code = main([command, str(edition), *COMMANDS[command], "-M", "page.size=A4"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "edition: -M page.size: unknown setting [page] 'size'\n"
    assert not (edition / "output").exists()  # refused before anything was written


@pytest.mark.parametrize("option, message", [
    ("notes.start=x", "-M notes.start: setting 'start' should be int, not 'x'"),
    ("notes.numbering=by-page", "-M notes.numbering: note numbering must be one of"),
    ("page.margin_inner=200", "-M page.margin_inner: the margins leave no room for text"),
    ("page.trim=huge", "-M page.trim: unknown trim size 'huge'"),
    ("terms.nonesuch=X", "-M terms.nonesuch: [terms] unknown term 'nonesuch'"),
    ("page trim=a4", "-M page trim: not a setting's name"),
    ("page.trim", "-M takes KEY=VALUE"),
])
def test_bad_values_are_named_by_their_option(option, message, edition, capsys):
    assert main(["build", str(edition), "-M", option]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"edition: {message}") and err.count("\n") == 1


def test_a_bad_defaults_file_is_named_at_its_line(edition, tmp_path, capsys):
    defaults = tmp_path / "press.toml"
    defaults.write_text('title = "X"\n\n[page]\nsize = "a4"\n')
    assert main(["check", str(edition), "--defaults", str(defaults)]) == 2
    assert capsys.readouterr().err == \
        f"edition: {defaults}:4: unknown setting [page] 'size'\n"
    # A value checked with the others (the margins against the page) is named at the
    # defaults file's line too, not at a line of edition.toml.
    defaults.write_text('title = "X"\n[page]\nmargin_outer = 150\n')
    assert main(["check", str(edition), "--defaults", str(defaults)]) == 2
    assert capsys.readouterr().err.startswith(
        f"edition: {defaults}:3: the margins leave no room for text on the page")
    assert main(["check", str(edition), "--defaults", str(tmp_path / "none.toml")]) == 2
    assert "no such settings file" in capsys.readouterr().err


def test_tables_of_the_editions_keys_are_merged(edition, tmp_path, capsys):
    # [terms] of the defaults file and -M terms.… each add their keys.
    defaults = tmp_path / "press.toml"
    defaults.write_text('[terms]\ndocument = "Brief Nr."\ncontents = "Inhalt"\n')
    assert main(["build", str(edition), "-q", "--defaults", str(defaults),
                 "-M", "terms.document=Letter No."]) == 0
    text = _text(edition / "output" / "ed.pdf")
    assert "Letter No. 1" in text and "Inhalt" in text and "Brief" not in text
