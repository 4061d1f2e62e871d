"""Builds that stop for reasons outside the program: exit 3 is only for bugs.

A full disk, a place that cannot be written and an absurd `--dpi` are one line and exit
2; a layout worker killed mid-build is one line and exit 1; Ctrl-C (SIGINT to the whole
process group, as a terminal sends it) and SIGTERM during a build with worker processes
print one line and exit 130. Each time the previous PDF stays byte for byte and no
temporary file is left.
"""

from __future__ import annotations

import errno
import os
import pathlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import edition.build
from edition.cli import main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402

PREVIOUS = b"%PDF-1.7 the previous edition, kept byte for byte\n"
INTERRUPTED = "edition: interrupted; no output was written"


def small_edition(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "edition.toml").write_text('title = "T"\n[front_matter]\nenabled = false\n')
    (folder / "001.md").write_text('+++\nnumber = "1"\ntitle = "One"\n+++\nFirst words.\n')
    return folder


def temporary_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.suffix in (".part", ".tmp"))


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------- 4. the machine's conditions


@pytest.fixture
def previous(tmp_path) -> Path:
    out = tmp_path / "out" / "book.pdf"
    out.parent.mkdir()
    out.write_bytes(PREVIOUS)
    return out


def test_a_full_disk_while_writing_is_one_line_and_keeps_the_old_pdf(tmp_path, previous,
                                                                     monkeypatch, capsys):
    real_write = pathlib.Path.write_bytes

    def disk_full(self, data):  # the output's disk is full (not the temporary folder's)
        if self.suffix != ".part" or self.parent != previous.parent:
            return real_write(self, data)
        real_write(self, data[:100])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pathlib.Path, "write_bytes", disk_full)
    folder = small_edition(tmp_path / "ed")
    assert main(["build", str(folder), "-o", str(previous), "-q", "--no-cache"]) == 2
    line = one_line(capsys.readouterr().err)
    assert line == f"edition: {previous}: cannot write the file (No space left on device)"
    assert previous.read_bytes() == PREVIOUS
    assert temporary_files(previous.parent) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_the_machine_refusing_a_write_anywhere_is_exit_2(tmp_path, previous, monkeypatch,
                                                         capsys, code):
    """Where no writer says so itself (here the whole build fails so), the command
    line still calls a full disk or a read-only file system what it is, not a bug."""
    def refuse(*_args, **_kwargs):
        raise OSError(code, os.strerror(code), str(tmp_path / "somewhere"))

    monkeypatch.setattr(edition.build, "typeset", refuse)
    folder = small_edition(tmp_path / "ed")
    assert main(["build", str(folder), "-o", str(previous), "-q"]) == 2
    line = one_line(capsys.readouterr().err)
    assert line == (f"edition: {tmp_path / 'somewhere'}: {os.strerror(code)}; "
                    "no output was written")
    assert previous.read_bytes() == PREVIOUS


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs sysfs")
def test_new_where_nothing_can_be_made_is_one_line(capsys):
    """sysfs refuses a new folder even to root: a real read-only place."""
    assert main(["new", "/sys/kernel/an-edition"]) == 2
    line = one_line(capsys.readouterr().err)
    assert line == ("edition: /sys/kernel/an-edition: cannot write the new edition here "
                    "(Operation not permitted)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_new_into_a_read_only_folder_is_one_line(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["new", str(locked / "ed")]) == 2
        assert "cannot write the new edition here" in one_line(capsys.readouterr().err)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_new_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch, capsys):
    real_write = pathlib.Path.write_text
    written: list[Path] = []

    def second_fails(self, *args, **kwargs):
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        written.append(self)
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", second_fails)
    assert main(["new", str(tmp_path / "ed")]) == 2
    assert "(No space left on device)" in one_line(capsys.readouterr().err)
    assert written and not (tmp_path / "ed").exists()


@pytest.mark.parametrize("dpi", ["100000", "0", "-5", "nan", "inf"])
def test_an_absurd_preview_resolution_is_refused_before_layout(tmp_path, monkeypatch, capsys,
                                                               dpi):
    def no_layout(*_args, **_kwargs):
        raise AssertionError("the build started")

    monkeypatch.setattr(edition.build, "typeset", no_layout)
    folder = small_edition(tmp_path / "ed")
    assert main(["preview", str(folder), f"--dpi={dpi}", "-o", str(tmp_path / "png")]) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"edition: --dpi {dpi}: use a resolution from 10 to 600")
    assert not (tmp_path / "png").exists()


# ---------------------------------------------------------------- workers stopped


@pytest.fixture(scope="module")
def volume(tmp_path_factory) -> Path:
    """About 50 pages in 8 runs: a build with two workers takes several seconds."""
    return synthetic.write_volume(tmp_path_factory.mktemp("vol") / "vol", pages=40)


def start_build(volume: Path, output: Path) -> subprocess.Popen:
    """A build in a process group of its own, as a shell runs a command; without the
    cache, so that an earlier test's runs do not shorten it."""
    return subprocess.Popen([sys.executable, "-m", "edition.cli", "build", str(volume), "-o",
                             str(output), "--jobs", "2", "-q", "--no-cache"], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def workers_of(build: subprocess.Popen) -> list[int]:
    """The build's layout workers (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[1] == str(build.pid) and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def wait_for_workers(build: subprocess.Popen, least: int = 2) -> list[int]:
    deadline = time.monotonic() + 60
    while len(workers := workers_of(build)) < least:
        assert build.poll() is None, build.communicate()[1]
        assert time.monotonic() < deadline, "no workers started"
        time.sleep(0.05)
    return workers


def gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(Path(f"/proc/{pid}").exists() for pid in pids)


@pytest.fixture(scope="module")
def layout_seconds(volume, tmp_path_factory) -> float:
    """How long the build runs once its workers appear (they import WeasyPrint, then lay
    out): measured here, so that "40 % into the build" is that on any machine and load."""
    build = start_build(volume, tmp_path_factory.mktemp("timed") / "book.pdf")
    wait_for_workers(build)
    started = time.monotonic()
    build.communicate(timeout=300)
    assert build.returncode == 0
    return time.monotonic() - started


# How far into the build (after the workers appear) the signal comes.
INTO_THE_BUILD = 0.4


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("into", [0.0, INTO_THE_BUILD], ids=["starting", "laying-out"])
def test_an_interrupt_to_the_process_group_is_quiet(volume, previous, layout_seconds, signum,
                                                    into):
    build = start_build(volume, previous)
    workers = wait_for_workers(build)
    time.sleep(into * layout_seconds)
    assert build.poll() is None, "the build ended before it was interrupted"
    os.killpg(build.pid, signum)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130, err
    assert one_line(err) == INTERRUPTED
    assert previous.read_bytes() == PREVIOUS
    assert temporary_files(previous.parent) == []
    assert gone(workers)


def test_a_killed_worker_is_one_line_and_keeps_the_old_pdf(volume, previous, layout_seconds):
    build = start_build(volume, previous)
    workers = wait_for_workers(build)
    time.sleep(INTO_THE_BUILD * layout_seconds)
    assert build.poll() is None, "the build ended before a worker was killed"
    # A pool's workers end with its round of runs (workers.lay_runs): kill one that is
    # there now, not necessarily one of the first.
    alive = wait_for_workers(build, least=1)
    os.kill(alive[0], signal.SIGKILL)
    workers = sorted({*workers, *alive})
    _, err = build.communicate(timeout=60)
    assert build.returncode == 1, err
    assert one_line(err) == ("edition: a layout worker process ended unexpectedly (killed "
                             "by signal 9); no output was written")
    assert previous.read_bytes() == PREVIOUS
    assert temporary_files(previous.parent) == []
    assert gone(workers)
