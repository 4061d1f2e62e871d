"""The command line's habits (Pandoc's and Typst's): no option prefixes, the edition
found from inside it, one output name per profile, `-o -`, refused extensions, -q, -v,
plurals; `edition new` and `edition preview`."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition import cli
from edition.cli import default_output, find_source, main, plural, summaries
from edition.errors import EditionError

SAMPLE = Path(__file__).resolve().parent.parent / "source"


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "ed"
    assert main(["new", str(folder), "-q"]) == 0
    return folder


@pytest.mark.parametrize("command", ["build", "handout", "check", "index", "new",
                                     "preview"])
def test_every_command_takes_q_and_v(command):
    parser = cli._parser()
    sub = parser._subparsers._group_actions[0].choices[command]
    flags = {flag for action in sub._actions for flag in action.option_strings}
    assert {"-q", "--quiet", "-v", "--verbose"} <= flags
    assert sub.allow_abbrev is False


def test_an_option_prefix_is_an_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(SAMPLE), "--profil", "archive"])
    assert exit_.value.code == 2
    assert "--profil" in capsys.readouterr().err


def test_edition_is_found_from_inside_it_and_its_subfolders(tmp_path):
    edition = tmp_path / "ed"
    (edition / "notes" / "deeper").mkdir(parents=True)
    (edition / "edition.toml").write_text('title = "X"\n')
    assert find_source(None, edition) == Path(".")
    found = find_source(None, edition / "notes" / "deeper")
    assert (edition / "notes" / "deeper" / found).resolve() == edition.resolve()


def test_source_folder_at_the_repository_root_stays_the_default(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "edition.toml").write_text('title = "X"\n')
    assert find_source(None, tmp_path) == Path("source")
    assert find_source(Path("other"), tmp_path) == Path("other")
    # Nothing to find: an error that says where it looked (issue 28; it was source/,
    # reported as `source: no such file or folder`, no hint of edition.toml).
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(EditionError, match="no edition here: no edition.toml in .*empty"):
        find_source(None, empty)


def test_default_output_names_per_profile():
    # In the edition's own output/ (issue 28: the current folder's, before, which a build
    # from a subfolder of the edition refused as among the sources); a project's
    # `source/` folder has it beside it, as this repository keeps its built files.
    out = SAMPLE.resolve().parent / "output"
    assert default_output(SAMPLE) == out / "source.pdf"
    assert default_output(SAMPLE, "archive") == out / "source-archive.pdf"
    assert default_output(SAMPLE, "print") == out / "source-print.pdf"
    assert default_output(SAMPLE, "handout", ["53"]) == out / "source-handout-53.pdf"
    assert default_output(SAMPLE, "handout", ["53", "54"]) == \
        out / "source-handout-53-54.pdf"


def test_plurals():
    assert [plural(n, "problem") for n in (0, 1, 2)] == \
        ["no problems", "1 problem", "2 problems"]
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"


@pytest.mark.parametrize("args", [["build", "-o", "x.html"], ["index", "-o", "i.txt"],
                                  ["handout", "53", "-o", "h.docx"], ["build", "-o", "x"]])
def test_an_output_the_command_cannot_write_is_refused_before_layout(args, tmp_path,
                                                                      capsys, monkeypatch):
    def no_layout(*_a, **_k):
        raise AssertionError("laid out")
    monkeypatch.setattr("edition.build.typeset", no_layout)
    args = [args[0], str(SAMPLE), *args[1:]]
    args[-1] = str(tmp_path / args[-1])
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("edition: ") and " writes .pdf" in err[0]
    assert not any(tmp_path.iterdir())


def test_build_inside_the_edition_names_profile_and_file(starter, monkeypatch, capsys,
                                                         tmp_path):
    monkeypatch.chdir(starter)
    assert main(["build", "--profile", "archive", "--strict"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("output/ed-archive.pdf: archive profile, ")
    assert first.endswith(", 1 document")
    assert "preflight: no problems, no warnings" in out
    assert (starter / "output" / "ed-archive.pdf").is_file()
    assert not (starter / "output" / "ed.pdf").exists()


def test_quiet_prints_nothing_on_success(starter, tmp_path, capsys):
    for args in (["build", str(starter), "-o", str(tmp_path / "b.pdf")],
                 ["check", str(starter)],
                 ["index", str(starter), "-o", str(tmp_path / "i.csv")]):
        assert main([*args, "-q"]) == 0, args
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err == "", (args, captured)
    assert (tmp_path / "b.pdf").is_file() and (tmp_path / "i.csv").is_file()


def test_dash_writes_the_pdf_and_only_the_pdf_to_stdout(starter, monkeypatch, capsys):
    buffer = io.BytesIO()
    fake = io.TextIOWrapper(buffer, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", fake)
    assert main(["build", str(starter), "-o", "-"]) == 0
    fake.flush()
    data = buffer.getvalue()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(PdfReader(io.BytesIO(data)).pages) > 0
    assert "standard output: book profile" in capsys.readouterr().err
    assert not (starter / "-").exists()


def test_missing_harfbuzz_subset_is_said_once_in_one_line(starter, tmp_path, monkeypatch,
                                                         capsys):
    monkeypatch.setattr("edition.layout.engine.has_harfbuzz_subset", lambda: False)
    monkeypatch.setattr(summaries, "_warned_subsetting", False)
    for name in ("a.pdf", "b.pdf"):
        assert main(["build", str(starter), "-o", str(tmp_path / name)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "HarfBuzz" in line]
    assert lines == ["edition: warning: HarfBuzz-Subset not found: fonts are subset with "
                     "the slower fontTools (install the Debian package libharfbuzz-subset0)"]


def test_present_harfbuzz_subset_is_not_mentioned(starter, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("edition.layout.engine.has_harfbuzz_subset", lambda: True)
    monkeypatch.setattr(summaries, "_warned_subsetting", False)
    assert main(["build", str(starter), "-o", str(tmp_path / "a.pdf")]) == 0
    assert "HarfBuzz" not in capsys.readouterr().err


# ------------------------------------------------------------------ new


def test_new_edition_builds_strict_with_every_construct(starter, tmp_path, capsys):
    names = sorted(p.name for p in starter.iterdir() if p.is_file())
    assert names == ["001-first-document.md", "edition.toml", "persons.toml"]
    out = tmp_path / "new.pdf"
    assert main(["build", str(starter), "-o", str(out), "--strict", "-q"]) == 0
    assert main(["check", str(starter)]) == 0
    assert "no problems" in capsys.readouterr().out
    from edition.build import typeset

    book = typeset(starter)
    assert not book.findings
    assert len(book.body.laid.report.notes) == 3
    assert len(book.body.laid.report.labels) == 2
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for words in ("RESOLUTION", "[Source:", "Doe, Jane", "headnote"):
        assert words in text, words


def test_new_settings_list_every_option(starter):
    from edition.settings import SCHEMA

    text = (starter / "edition.toml").read_text()
    for table, keys in SCHEMA.items():
        if table:
            assert f"[{table}]" in text
        for key in keys:
            assert f"\n{key} = " in text or f"\n# {key} = " in text, key


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["new", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


# ------------------------------------------------------------------ preview


def test_preview_writes_one_png_per_page_with_ink(starter, tmp_path, capsys):
    from PIL import Image

    folder = tmp_path / "png"
    assert main(["preview", str(starter), "--pages", "1-4", "-o", str(folder), "-q",
                 "--dpi", "72"]) == 0
    paths = sorted(folder.iterdir())
    assert [p.name for p in paths] == [f"ed-p00{n}.png" for n in (1, 2, 3, 4)]
    # 6 × 9 in at 72 dpi.
    for path in paths:
        assert Image.open(path).size == (432, 648)
    title_page = Image.open(paths[2]).convert("L")
    dark = sum(1 for value in title_page.getdata() if value < 128)
    assert dark > 200, dark


def test_preview_of_a_page_that_is_not_there_is_an_error(starter, tmp_path, capsys):
    assert main(["preview", str(starter), "--pages", "40-41", "-o", str(tmp_path)]) == 2
    assert "has pages 1 to" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
