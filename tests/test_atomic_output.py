"""Atomic output: a failed, interrupted or concurrent build never leaves half a PDF.

The previous PDF stays byte for byte until a new one is complete, no `*.part` temporary
file is left behind, and two builds writing the same file each rename a whole PDF.
"""

from __future__ import annotations

import io
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from edition.cli import main
from edition.output import atomic_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source"
# The child reports `ready` once imported, so a signal lands in the build, not in imports.
CHILD = ("import sys, edition.build, edition.cli; print('ready', flush=True); "
         "sys.exit(edition.cli.main(sys.argv[1:]))")


@pytest.fixture(scope="module")
def previous_pdf() -> bytes:
    return HTML(string="<p>The previous edition.</p>").write_pdf()


@pytest.fixture
def edition(tmp_path) -> Path:
    folder = tmp_path / "source"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.fixture
def output(tmp_path, previous_pdf) -> Path:
    out = tmp_path / "out" / "book.pdf"
    out.parent.mkdir()
    out.write_bytes(previous_pdf)
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def start_build(source: Path, output: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, "build", str(source), "-o",
                             str(output)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def page_count_reported(stdout: str) -> int:
    m = re.search(r" profile, (\d+) pages,", stdout)
    assert m, stdout
    return int(m.group(1))


# ---------------------------------------------------------------- interrupted builds


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("delay", [0.2, 0.8])
def test_signal_mid_build_keeps_the_previous_pdf(edition, output, previous_pdf, signum, delay):
    child = start_build(edition, output)
    assert child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    child.send_signal(signum)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert err.strip() == "edition: interrupted; no output was written"
    assert output.read_bytes() == previous_pdf
    assert leftovers(output.parent) == []


def test_interrupt_while_writing_removes_the_partial_file(edition, output, previous_pdf,
                                                          monkeypatch, capsys):
    """The signal lands between the first and the last byte of the temporary file."""
    real_write = pathlib.Path.write_bytes
    seen: list[Path] = []

    def write_half_then_interrupt(self, data):
        if self.suffix != ".part":  # WeasyPrint writes its own temporary files
            return real_write(self, data)
        real_write(self, data[: len(data) // 2])
        seen.append(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_half_then_interrupt)
    code = main(["build", str(edition), "-o", str(output), "-q"])
    assert code == 130
    assert capsys.readouterr().err.strip() == "edition: interrupted; no output was written"
    assert [p.parent for p in seen] == [output.parent]
    assert output.read_bytes() == previous_pdf
    assert leftovers(output.parent) == []


def test_atomic_path_cleans_up_after_an_error(tmp_path):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------- failed builds


def test_failed_build_keeps_the_previous_pdf(edition, output, previous_pdf, capsys):
    doc = next(edition.glob("053-*.md"))
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA call[^nowhere] of no note.\n",
                   encoding="utf-8")
    code = main(["build", str(edition), "-o", str(output), "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "note [^nowhere] is called but never defined" in err
    assert output.read_bytes() == previous_pdf
    assert leftovers(output.parent) == []


def test_successful_build_replaces_the_previous_pdf(edition, output, previous_pdf, capsys):
    code = main(["build", str(edition), "-o", str(output)])
    out = capsys.readouterr().out
    assert code == 0
    assert output.read_bytes() != previous_pdf
    assert len(PdfReader(output).pages) == page_count_reported(out)
    assert leftovers(output.parent) == []


# ---------------------------------------------------------------- concurrent builds


def test_two_builds_of_the_same_edition_at_once(edition, output):
    children = [start_build(edition, output) for _ in range(2)]
    results = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
    pages = {page_count_reported(out) for out, _ in results}
    assert len(pages) == 1
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert len(reader.pages) == pages.pop()
    assert reader.metadata.title
    assert leftovers(output.parent) == []


def test_two_different_editions_to_one_file_give_one_whole_pdf(edition, tmp_path, output):
    """The last rename wins: the file is one edition's PDF, never a mixture."""
    small = tmp_path / "small"
    small.mkdir()
    (small / "001.md").write_text('+++\nnumber = "1"\ntitle = "Small"\n+++\nOne page.\n')
    children = [start_build(edition, output), start_build(small, output)]
    results = [child.communicate(timeout=120) for child in children]
    counts = []
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
        counts.append(page_count_reported(out))
    assert counts[0] != counts[1]
    reader = PdfReader(output)
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert len(reader.pages) in counts
    # The small edition's text is in the file exactly when its page count is.
    assert ("One page." in text) == (len(reader.pages) == counts[1])
    assert leftovers(output.parent) == []
