"""The progress bar (issue 28, point 8): on a terminal, the body's runs laid out of the
total, the pages so far, the time elapsed and left, for build, handout, preview and each
rebuild of watch; nothing in a pipe or with -q."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from edition.cli import main
from edition.cli.progress import _progress

# rich starts a live display by hiding the cursor.
LIVE_STARTS = "\x1b[?25l"


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory) -> Path:
    """A new edition with a second document: two runs."""
    folder = tmp_path_factory.mktemp("progress") / "ed"
    assert main(["new", str(folder), "-q"]) == 0
    first = folder / "001-first-document.md"
    (folder / "002-second.md").write_text(
        first.read_text().replace('number = "1"', 'number = "2"'))
    return folder


def test_the_bar_shows_runs_of_the_total_pages_and_time():
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=140)
    with _progress(False, console=console) as bar:
        bar("laying out 30 documents (12 runs)")
        bar.runs(3, 12, 57)
    shown = screen.getvalue()
    assert "edition: laying out 30 documents (12 runs)" in shown
    assert "3/12 runs" in shown and "57 pages" in shown
    assert re.search(r"0:00:0\d", shown)  # the time elapsed (and a time left beside it)


@pytest.mark.parametrize("command, runs", [(["build"], 2), (["handout", "1"], 1),
                                           (["preview"], 2)])
def test_on_a_terminal_only_and_not_with_q(command, runs, edition, as_terminal, capsys):
    name, *rest = command
    assert main([name, str(edition), *rest]) == 0
    assert capsys.readouterr().err == ""  # capsys: a pipe
    as_terminal()
    assert main([name, str(edition), *rest, "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main([name, str(edition), *rest]) == 0
    err = capsys.readouterr().err
    assert f"0/{runs} runs" in err
    assert re.search(rf"{runs}/{runs} runs \d+ pages", err)


def test_watch_shows_the_bar_for_each_rebuild(edition, as_terminal, monkeypatch, capsys):
    from edition import watch

    def one_save(_source, _output):
        doc = edition / "002-second.md"
        doc.write_text(doc.read_text().replace("ten o'clock", "eleven o'clock"))
        yield {doc}

    monkeypatch.setattr(watch, "file_batches", one_save)
    as_terminal()
    assert main(["watch", str(edition)]) == 0
    captured = capsys.readouterr()
    builds = captured.err.split(LIVE_STARTS)[1:]
    assert len(builds) == 2  # the first build and the rebuild, a bar each
    assert all("2/2 runs" in shown for shown in builds)
    assert "laid out 1 of 2 runs" in captured.out  # the rebuild: one laid out, one cached
