"""Every command alike (issue 28): the edition found from any folder inside it, default
outputs in the edition's own output/, SOURCE before anything else (`handout` too),
ordinary conditions (a closed pipe, an unwritable folder) as one line and never as a
bug, options a profile does not use refused. All through the public entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """`edition new`'s starter (one document, numbered 1) with a subfolder of drafts."""
    folder = tmp_path_factory.mktemp("cli") / "ed"
    assert main(["new", str(folder), "-q"]) == 0
    (folder / "drafts" / "deeper").mkdir(parents=True)
    return folder


@pytest.fixture
def fresh(edition, tmp_path) -> Path:
    """A copy of the starter whose output/ a test may fill."""
    import shutil

    copy = tmp_path / "ed"
    shutil.copytree(edition, copy)
    return copy


def edition_cli(*argv: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """The command as a user runs it, in its own process."""
    return subprocess.run([sys.executable, "-m", "edition", *argv], cwd=cwd,
                          capture_output=True, timeout=300,
                          env=os.environ | {"PYTHONPATH": str(ROOT)}, **kwargs)


# ------------------------------------------------------------------ the edition found


def test_build_from_a_subfolder_writes_into_the_editions_output(fresh, monkeypatch, capsys):
    monkeypatch.chdir(fresh / "drafts" / "deeper")
    assert main(["build", "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("../../output/ed.pdf: book profile, ")
    assert len(PdfReader(fresh / "output" / "ed.pdf").pages) > 0
    assert not (fresh / "drafts" / "deeper" / "output").exists()


def test_index_and_preview_from_a_subfolder_write_into_the_editions_output(
        fresh, monkeypatch, capsys):
    monkeypatch.chdir(fresh / "drafts")
    assert main(["index", "-q"]) == 0
    assert main(["preview", "--pages", "1", "-q"]) == 0
    made = sorted(p.name for p in (fresh / "output").iterdir() if p.is_file())
    assert made == ["ed-index.pdf", "ed-p001.png"]
    assert not (fresh / "drafts" / "output").exists()
    assert "Index" in PdfReader(fresh / "output" / "ed-index.pdf").pages[0].extract_text()


def test_handout_takes_its_source_first_like_every_command(fresh, tmp_path, capsys):
    out = tmp_path / "h.pdf"
    # The numbers may also follow an option (`--strict` never takes one).
    assert main(["handout", str(fresh), "--strict", "1", "-o", str(out), "-q"]) == 0
    assert capsys.readouterr().err == ""
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Minutes of the Committee Meeting" in text
    # Without -o: the edition's output/, from wherever the command runs.
    assert main(["handout", str(fresh), "1", "-q"]) == 0
    assert (fresh / "output" / "ed-handout-1.pdf").is_file()


def test_handout_dash_s_still_works_with_a_one_line_deprecation_note(fresh, tmp_path,
                                                                      capsys):
    out = tmp_path / "h.pdf"
    assert main(["handout", "-s", str(fresh), "1", "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("edition: warning: -s/--source is deprecated")
    assert len(PdfReader(out).pages) > 0


def test_handout_with_its_source_twice_is_an_error(fresh, tmp_path, capsys):
    assert main(["handout", str(fresh), "1", "-s", str(fresh), "-o",
                 str(tmp_path / "h.pdf")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "the source is given twice" in err[0]
    assert not (tmp_path / "h.pdf").exists()


# ------------------------------------------------------------------ ordinary conditions


def test_a_reader_that_goes_away_ends_the_build_quietly(edition, tmp_path):
    """`edition build -q -o - | true`: as Unix tools do (exit 141, 128 + SIGPIPE, no
    message), never an internal error."""
    for _ in range(2):
        child = subprocess.Popen([sys.executable, "-m", "edition", "build", str(edition),
                                  "-q", "-j", "1", "-o", "-"], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=os.environ | {"PYTHONPATH": str(ROOT)})
        child.stdout.close()  # the reader is gone before the PDF is written
        err = child.stderr.read().decode()
        assert child.wait(timeout=300) == 141, err
        assert err == ""


@pytest.fixture
def locked(edition):
    """A folder where nobody may write, and the user to run as: root may write anywhere,
    so as root the command runs as `nobody` (with the edition and the folder readable)."""
    import shutil
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="edition-ro-"))
    top.chmod(0o755)
    shutil.copytree(edition, top / "ed", ignore=shutil.ignore_patterns("output"))
    for path in [top / "ed", *(top / "ed").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (top / "ro").mkdir()
    (top / "ro").chmod(0o555)
    # setpriv rather than subprocess's user=: this Python may live under /root.
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv to drop to an ordinary user")
    yield top, drop if os.geteuid() == 0 else []
    (top / "ro").chmod(0o755)
    shutil.rmtree(top)


def run_as(user: list[str], cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([*user, sys.executable, "-m", "edition", *argv], cwd=cwd,
                          text=True, capture_output=True, timeout=300,
                          env=os.environ | {"PYTHONPATH": str(ROOT), "HOME": str(cwd)})


def test_new_in_a_folder_that_cannot_be_written_is_one_line(locked):
    top, user = locked
    done = run_as(user, top, "new", "ro/x")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == ["edition: ro/x: cannot write the new edition here "
                                        "(Permission denied)"]
    assert list((top / "ro").iterdir()) == []


def test_preview_into_a_folder_that_cannot_be_written_is_refused_before_layout(locked):
    top, user = locked
    # The ordinary user must be able to read this Python's packages (a virtual environment
    # made by root in a private temporary folder, as .ci/run makes it, is not).
    probe = subprocess.run([*user, sys.executable, "-c", "import weasyprint"], cwd=top,
                           capture_output=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip("an ordinary user cannot import this Python's packages")
    done = run_as(user, top, "preview", "ed", "--pages", "1", "-o", "ro/png")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [f"edition: ro/png: cannot write the output: no "
                                        f"permission to write in {top / 'ro'}"]
    assert list((top / "ro").iterdir()) == []


@pytest.fixture
def no_layout(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("laid out")
    monkeypatch.setattr("edition.build.typeset", refuse)


def test_preview_never_writes_among_the_sources(fresh, capsys, no_layout):
    """`preview -o myed` as `build -o myed/x.pdf`: refused before layout."""
    before = sorted(p.name for p in fresh.rglob("*"))
    for folder in (fresh, fresh / "drafts"):
        assert main(["preview", str(fresh), "-o", str(folder)]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and "would be written into the edition's sources" in err[0]
    assert sorted(p.name for p in fresh.rglob("*")) == before


def test_preview_into_a_file_or_a_system_folder_is_refused(fresh, tmp_path, capsys,
                                                           no_layout):
    (tmp_path / "afile").write_text("x")
    for folder, message in ((tmp_path / "afile", "the output is not a folder"),
                            (Path("/proc/edition"), "system folder")):
        assert main(["preview", str(fresh), "-o", str(folder)]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and message in err[0], err


# ------------------------------------------------------------------ check


def broken_edition(folder: Path) -> Path:
    """Two documents that cannot be read (a bad front matter, a TEI file that is not XML)
    and one that can, with a problem of its own (a link to a missing document)."""
    folder.mkdir()
    (folder / "edition.toml").write_text('title = "T"\n', encoding="utf-8")
    (folder / "001-a.md").write_text('+++\nnumber = "1"\ntitle = "A"\n+++\n\n'
                                     "See [Document 9](doc:9).\n", encoding="utf-8")
    (folder / "002-b.md").write_text('+++\nnumber = "2\ntitle = "B"\n+++\n\nText.\n',
                                     encoding="utf-8")
    (folder / "003-c.xml").write_text("<TEI>\n<text><body><p>x</body></text>\n",
                                      encoding="utf-8")
    return folder


def test_check_reports_every_broken_file_in_one_run(tmp_path, capsys):
    folder = broken_edition(tmp_path / "ed")
    assert main(["check", str(folder)]) == 2
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert len(err) == 2, err
    assert err[0].startswith(f"edition: {folder / '002-b.md'}:2:12: ")  # and its column
    assert err[1].startswith(f"edition: {folder / '003-c.xml'}:")
    out = captured.out.splitlines()
    assert out[0] == f"{folder / '001-a.md'}:6: link to document '9', which the volume " \
        "does not contain"
    assert out[-1] == "1 document, no notes, no persons: 3 problems"


def test_check_groups_problems_by_file_in_reading_order(tmp_path, capsys):
    """An unknown person (a register problem) and a link to a missing document (a link
    problem) in each of two files: listed file by file, not kind by kind."""
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "persons.toml").write_text('[dulles]\nname = "Dulles, John Foster"\n')
    link, person = "See [one](doc:8).", "And [him]{person=nobody} too."
    for name, number, lines in (("001-a.md", "1", (link, person)),
                                ("002-b.md", "2", (person, link))):
        (folder / name).write_text(f'+++\nnumber = "{number}"\ntitle = "X"\n+++\n\n'
                                   + "\n\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    places = [line.split(": ", 1)[0] for line in out[:-1]]
    assert places == [f"{folder / '001-a.md'}:6", f"{folder / '001-a.md'}:8",
                      f"{folder / '002-b.md'}:6", f"{folder / '002-b.md'}:8",
                      f"{folder / 'persons.toml'}:1"]  # Dulles, never mentioned


def test_no_edition_here_says_where_it_looked_and_how_to_start(tmp_path, monkeypatch,
                                                                capsys):
    monkeypatch.chdir(tmp_path)
    for command in (["check"], ["build"], ["handout", "1"], ["index"], ["preview"]):
        assert main(command) == 2
        err = capsys.readouterr().err.splitlines()
        assert err == [f"edition: no edition here: no edition.toml in {tmp_path} or any "
                       "folder above it, and no source/ folder; give the edition's folder "
                       "(edition build DIR), or start one with `edition new DIR`"], command
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ profiles' options


@pytest.mark.parametrize(("option", "owner"), [(["--bleed"], "print"),
                                               (["--bleed", "5"], "print"),
                                               (["--marks", "crop"], "print"),
                                               (["--pad-to", "16"], "print"),
                                               (["--pdf-variant", "pdf/a-2u"], "archive")])
def test_an_option_the_profile_does_not_use_is_an_error_naming_it(edition, tmp_path, capsys,
                                                                   no_layout, option, owner):
    out = tmp_path / "o.pdf"
    assert main(["build", str(edition), *option, "-o", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"edition: {option[0]} is a choice of the {owner} profile, and this "
                   f"build makes the book profile; add --profile {owner} (or drop "
                   f"{option[0]})"]
    assert not out.exists()


def bleed_mm(pdf: Path) -> float:
    page = PdfReader(pdf).pages[0]
    return round((float(page.trimbox.left) - float(page.bleedbox.left)) * 25.4 / 72, 1)


def test_bleed_never_takes_the_source_as_its_value(edition, tmp_path, capsys):
    alone, given = tmp_path / "alone.pdf", tmp_path / "given.pdf"
    assert main(["build", "--profile", "print", "--bleed", str(edition), "-o", str(alone),
                 "-q", "-j", "1"]) == 0
    assert main(["build", "--profile", "print", "--bleed", "5", str(edition), "-o",
                 str(given), "-q", "-j", "1"]) == 0
    assert capsys.readouterr().err == ""
    assert (bleed_mm(alone), bleed_mm(given)) == (3.0, 5.0)


# ------------------------------------------------------------------ index as rows


def test_index_rows_are_one_per_entry_and_place_and_the_summary_counts_them(tmp_path,
                                                                            capsys):
    import csv
    import json

    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "persons.toml").write_text('[dulles]\nname = "Dulles, John Foster"\n'
                                         'forms = ["Dulles"]\n', encoding="utf-8")
    (folder / "001-a.md").write_text('+++\nnumber = "1"\ntitle = "A"\n+++\n\n'
                                     "Dulles spoke, and Dulles wrote; Dulles left.\n",
                                     encoding="utf-8")
    table, data = tmp_path / "i.csv", tmp_path / "i.json"
    assert main(["index", str(folder), "-o", str(table)]) == 0
    assert main(["index", str(folder), "-o", str(data)]) == 0
    said = capsys.readouterr().out.splitlines()
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == len(json.loads(data.read_text(encoding="utf-8"))) == 1
    assert rows[0]["name"] == "Dulles, John Foster" and rows[0]["document_number"] == "1"
    assert said == [f"{table}: 1 entry, 1 row", f"{data}: 1 entry, 1 row"]
