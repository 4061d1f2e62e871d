"""`edition watch`: the loop, what counts as a change, and the command end to end."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from edition.errors import EditionError
from edition.watch import relevant, watch_loop

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source"


def test_an_error_is_told_and_the_loop_goes_on():
    results = iter(["first", EditionError("note [^b] is called but never defined",
                                          Path("src/054.md"), 6), "third"])

    def build_once() -> str:
        result = next(results)
        if isinstance(result, Exception):
            raise result
        return result

    said, errors = [], []
    outcomes = watch_loop(build_once, [{Path("src/054.md")}, {Path("src/054.md")}],
                          said.append, errors.append)
    assert [o.ok for o in outcomes] == [True, False, True]
    assert [o.summary for o in outcomes if o.ok] == ["first", "third"]
    assert "built in" in said[0] and said[0].endswith("first")
    assert any("changed: 054.md" in line for line in said)
    assert len(errors) == 1
    assert "src/054.md:6: note [^b] is called but never defined" in errors[0]
    assert "the last good PDF stays" in errors[0]


def test_what_counts_as_a_change(tmp_path):
    folder = tmp_path / "ed"
    output = folder / "output" / "ed.pdf"
    keep = [folder / "053.md", folder / "edition.toml", folder / "persons.toml",
            folder / "056.xml", folder / "house.css"]
    skip = [output, folder / "output" / ".edition-cache" / "ed" / "x.pdf",
            folder / ".053.md.swp", folder / "053.md~", folder / "#053.md#",
            folder / ".git" / "index", folder / "notes.txt", tmp_path / "other.md",
            folder / "output" / ".ed.pdf.abc.part"]
    assert all(relevant(p, folder.resolve(), output) for p in keep)
    assert not any(relevant(p, folder.resolve(), output) for p in skip)
    # A single-file source: its own file and the settings beside it, not other documents.
    single = folder / "053.md"
    assert relevant(single, folder.resolve(), output, single)
    assert relevant(folder / "edition.toml", folder.resolve(), output, single)
    assert not relevant(folder / "054.md", folder.resolve(), output, single)


class _Lines:
    """A child's stdout and stderr read line by line, with a timeout per wait."""

    def __init__(self, process: subprocess.Popen):
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[str] = []
        for name in ("stdout", "stderr"):
            stream = getattr(process, name)
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream) -> None:
        for line in stream:
            self.lines.put((name, line.rstrip("\n")))

    def wait_for(self, text: str, stream: str = "stdout", timeout: float = 240) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                name, line = self.lines.get(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(f"{name}: {line}")
            if name == stream and text in line:
                return line
        raise AssertionError(f"no {text!r} on {stream} within {timeout} s; seen:\n"
                             + "\n".join(self.seen))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="needs SIGTERM")
def test_watch_rebuilds_on_save_keeps_the_last_good_pdf_and_stops_cleanly(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SAMPLE, source)
    output = tmp_path / "out" / "sample.pdf"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "edition.cli", "watch", str(source), "-o", str(output)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    lines = _Lines(process)
    try:
        lines.wait_for("watching")
        first = lines.wait_for(" built in ")
        assert "laid out" in first and output.is_file()
        built = output.read_bytes()
        document = next(source.glob("054-*.md"))

        # A saved edit: only that document's run is laid out again, the PDF replaced.
        time.sleep(0.5)  # past the watcher's start
        body = document.read_text(encoding="utf-8").split("+++", 2)[2]
        prose = [line for line in body.splitlines() if line and line[0].isalpha()]
        word = next(w for line in prose for w in line.split()
                    if w.isalpha() and w.islower() and len(w) > 6)
        _edit(document, word, "Zanzibarian")
        lines.wait_for("changed: " + document.name)
        rebuilt = lines.wait_for(" rebuilt in ")
        assert "laid out 1 of" in rebuilt and "from the cache" in rebuilt, rebuilt
        assert output.read_bytes() != built
        good = output.read_bytes()
        assert b"%%EOF" in good[-32:]

        # A broken source: one line naming the file and line; the last good PDF stays.
        with document.open("a", encoding="utf-8") as out:
            out.write("\nA call to a note nobody wrote.[^nowhere]\n")
        error = lines.wait_for("the last good PDF stays", stream="stderr")
        assert document.name in error and "nowhere" in error, error
        assert output.read_bytes() == good
        assert not list(output.parent.glob(".*.part"))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    lines.wait_for("stopped watching", timeout=10)
    assert code == 0


def test_watching_a_missing_source_is_an_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "edition.cli", "watch", str(tmp_path / "nothere")],
        capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"edition: {tmp_path / 'nothere'}: no such file or folder"]
