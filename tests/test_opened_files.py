"""Files are opened, then checked (edition/safeio.py): the file the edition reads is the
file that was found inside it, even when the folder changes during the build.

A document swapped back and forth between a file and a link to an outside file while
builds and checks run never brings the outside text into a PDF, its attachments or a
message; a FIFO, or a link to one, is refused in one line and never blocks.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.cli import main
from edition.fetcher import make_url_fetcher

ROOT = Path(__file__).resolve().parent.parent
SECRET = "OUTSIDESECRET"
INSIDE = '+++\nnumber = "2"\ntitle = "Two"\n+++\nThe inside words of the second document.\n'
# Valid, so that a leak would be printed: its text on a page, its note counted by `check`.
OUTSIDE = (f'+++\nnumber = "2"\ntitle = "Two"\n+++\n{SECRET} text.[^s]\n\n'
           f'[^s]: The {SECRET} note.\n')


def edition(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "edition.toml").write_text('title = "T"\n[front_matter]\nenabled = false\n')
    (folder / "001.md").write_text('+++\nnumber = "1"\ntitle = "One"\n+++\nFirst words.\n')
    (folder / "002.md").write_text(INSIDE)
    return folder


# Flips `target` between a regular file and a link to `outside`, each step an atomic
# rename; the file stays a little longer, so that some runs get through every read.
SWAPPER = """
import os, sys, time
target, outside, spare, text = sys.argv[1:5]
flips = 0
while not os.path.exists(spare + ".stop"):
    with open(spare, "w") as f:
        f.write(text)
    os.replace(spare, target)
    time.sleep(0.005)
    os.symlink(outside, spare)
    os.replace(spare, target)
    time.sleep(0.001)
    flips += 1
print(flips)
"""


class Swapper:
    """The swapping loop in a process of its own: with the GIL of the build's process
    to itself it flips hundreds of times a second."""

    def __init__(self, target: Path, outside: Path):
        self.spare = target.with_name(".spare")
        self.args = [sys.executable, "-c", SWAPPER, str(target), str(outside),
                     str(self.spare), INSIDE]
        self.flips = 0

    def __enter__(self) -> Swapper:
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, text=True)
        return self

    def __exit__(self, *_exc) -> None:
        Path(str(self.spare) + ".stop").touch()
        out, _ = self.process.communicate(timeout=30)
        self.flips = int(out)


def pdf_text_and_attachments(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    files = [data.decode("utf-8", "replace") for datas in reader.attachments.values()
             for data in datas]
    return text + "\n".join(files)


def assert_clean_or_one_line(code: int, err: str) -> None:
    assert SECRET not in err
    assert code in (0, 2), err
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err


def test_a_document_swapped_for_a_link_out_never_leaks(tmp_path, capsys):
    outside = tmp_path / "outside.md"
    outside.write_text(OUTSIDE)
    folder = edition(tmp_path / "ed")
    pdf = tmp_path / "out" / "o.pdf"
    built = checked = 0
    with Swapper(folder / "002.md", outside) as swapper:
        for attempt in range(40):
            code = main(["check", str(folder)])
            out, err = capsys.readouterr()
            assert_clean_or_one_line(code, err)
            assert SECRET not in out and "1 note" not in out, out
            checked += code == 0
            if attempt % 4:
                continue
            pdf.unlink(missing_ok=True)
            profile = "archive" if attempt % 8 else "book"  # the archive attaches sources
            code = main(["build", str(folder), "-o", str(pdf), "-q", "--no-cache",
                         "--jobs", "1", "--profile", profile])
            _, err = capsys.readouterr()
            assert_clean_or_one_line(code, err)
            if code == 0:
                built += 1
                assert SECRET not in pdf_text_and_attachments(pdf)
                assert "inside words" in pdf_text_and_attachments(pdf)
    assert swapper.flips > 100  # the race really ran
    assert built and checked  # and some runs got through it


def run_under_timeout(*argv: str) -> subprocess.CompletedProcess:
    """A hang is a failure of its own, not a frozen test run."""
    return subprocess.run([sys.executable, "-m", "edition.cli", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("how", ["fifo", "link to a fifo"])
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_fifo_as_a_document_is_refused_without_blocking(tmp_path, how, command):
    folder = edition(tmp_path / "ed")
    (folder / "002.md").unlink()
    if how == "fifo":
        os.mkfifo(folder / "002.md")
    else:
        os.mkfifo(folder / "pipe")
        (folder / "002.md").symlink_to(folder / "pipe")
    argv = [command, str(folder)] + (["-o", str(tmp_path / "o.pdf"), "-q"]
                                     if command == "build" else [])
    done = run_under_timeout(*argv)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"edition: {folder / '002.md'}: not a regular file (a FIFO)"]
    assert not (tmp_path / "o.pdf").exists()


def test_a_fifo_the_layout_asks_for_is_refused_without_blocking(tmp_path):
    """An image or stylesheet of the edition that is a FIFO: refused, not waited for."""
    folder = tmp_path / "ed"
    folder.mkdir()
    os.mkfifo(folder / "figure.png")
    fetcher = make_url_fetcher([folder])
    url = (folder / "figure.png").as_uri()
    outcome: list[BaseException] = []

    def fetch() -> None:
        try:
            fetcher.fetch(url)
        except Exception as exc:  # noqa: BLE001 — what the fetch ended with
            outcome.append(exc)

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    thread.join(timeout=10)
    blocked = thread.is_alive()
    if blocked:  # let the blocked open go: a writer that comes and goes
        os.close(os.open(folder / "figure.png", os.O_WRONLY | os.O_NONBLOCK))
    assert not blocked, "the fetch waited on the FIFO"
    assert [type(exc) for exc in outcome] == [PermissionError]
    assert fetcher.refused == [(url, "not a regular file (a FIFO)")]
