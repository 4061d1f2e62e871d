"""The run cache is untrusted input (edition/layout/cache.py, store.py).

An edition shared with its `output/` brings a cache someone else wrote. Planted there: a
pickle payload, a FIFO, a link to /dev/zero, another run's genuine entry under this
run's name, a falsified page count, entries whose PDF is broken, a garbage font file, a
font file linked to a file outside, and the cache folder itself linked outside. Each
build must be clean and the same as a build without a cache: nothing executed, nothing
followed out of the folder, nothing written or deleted outside it, no hang.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from edition.build import build, cache_folder
from edition.layout.cache import MAGIC, TAG, key_folder
from tests.pages import page_words

SAMPLE = Path(__file__).resolve().parents[1] / "source"


class _Payload:
    """Unpickled, it would create the file `marker`."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "executed"))


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """A build blocked on a FIFO or reading /dev/zero fails the test instead of hanging."""
    def expired(*_):
        raise TimeoutError(f"the build took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def key_home(tmp_path_factory) -> Iterator[Path]:
    """The signing key in a folder of the test's own (the user's cache folder)."""
    home = tmp_path_factory.mktemp("user-cache")
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME")
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(scope="module")
def first(key_home, tmp_path_factory) -> tuple[Path, dict, Path]:
    """The sample, built once with a cache: (source, its words, the PDF's cache path)."""
    source = tmp_path_factory.mktemp("src") / "source"
    shutil.copytree(SAMPLE, source)
    out = tmp_path_factory.mktemp("out") / "book.pdf"
    book = build(source, out, jobs=1)
    assert book.runs.total >= 4 and book.runs.reused == 0
    return source, page_words(out), out


def _copy_cache(first_out: Path, out: Path) -> Path:
    cache = cache_folder(out).path
    shutil.copytree(cache_folder(first_out).path, cache)
    return cache


def test_the_key_is_the_users_own_and_outside_the_edition(first, key_home):
    source, _, out = first
    key = key_folder() / "cache.key"
    assert key.parent == key_home / "edition"
    info = key.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600 and info.st_size == TAG
    assert not key.is_relative_to(source) and not key.is_relative_to(out.parent)
    runs = sorted(cache_folder(out).path.glob("*.run"))
    assert runs and all(path.read_bytes().startswith(MAGIC) for path in runs)


def test_planted_entries_are_misses_and_nothing_runs(first, tmp_path):
    source, words, first_out = first
    out = tmp_path / "out" / "book.pdf"
    cache = _copy_cache(first_out, out)
    runs = sorted(cache.glob("*.run"))
    fonts = sorted((cache / "fonts").glob("*.font"))
    assert len(runs) >= 4 and len(fonts) >= 2
    marker = tmp_path / "executed"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "face.font").write_bytes(b"OTTO" + b"not the font it is named by" * 100)
    before = _tree(outside)

    runs[0].write_bytes(pickle.dumps(_Payload(marker)))  # code
    runs[1].unlink()
    os.mkfifo(runs[1])  # a read would block
    runs[2].unlink()
    runs[2].symlink_to("/dev/zero")  # a read would not end
    genuine = cache_folder(first_out).path / runs[1].name  # another run's genuine entry
    shutil.copyfile(genuine, runs[3])
    fonts[0].write_bytes(fonts[0].read_bytes()[:-100] + b"\0" * 100)  # damaged
    fonts[1].unlink()
    fonts[1].symlink_to(outside / "face.font")
    for pages in cache.glob("*.pages"):
        pages.write_bytes(b"99")  # unsigned: the runs after it would move

    with _deadline(240):
        book = build(source, out, jobs=1)

    assert not marker.exists()
    assert book.runs.reused == 0 and len(book.runs.laid) == book.runs.total
    assert page_words(out) == words
    assert _tree(outside) == before
    assert not fonts[1].is_symlink() and fonts[1].read_bytes() != before["face.font"]
    # The rebuilt cache is sound again: a third build takes every run from it.
    assert build(source, out, jobs=1).runs.reused == book.runs.total
    assert page_words(out) == words


def test_altered_entries_and_counts_are_misses(first, tmp_path):
    """Genuine entries whose PDF is broken, and counts in the signed form but false."""
    source, words, first_out = first
    out = tmp_path / "book.pdf"
    cache = _copy_cache(first_out, out)
    for path in cache.glob("*.run"):
        data = bytearray(path.read_bytes())
        data[-200:] = b"%%broken" * 25
        path.write_bytes(bytes(data))
    for path in cache.glob("*.pages"):
        data = path.read_bytes()
        path.write_bytes(data[:len(MAGIC) + TAG] + b"7")

    with _deadline(240):
        book = build(source, out, jobs=1)
    assert book.runs.reused == 0
    assert page_words(out) == words


def test_a_cache_folder_linked_outside_is_never_followed(first, tmp_path):
    source, words, first_out = first
    outside = tmp_path / "elsewhere"
    shutil.copytree(cache_folder(first_out).path, outside)  # genuine entries, even
    (outside / "precious.txt").write_text("keep me")
    (outside / "stale.run").write_bytes(b"not in use")  # what the pruning would remove
    before = _tree(outside)
    out = tmp_path / "out" / "book.pdf"
    link = cache_folder(out).path
    link.parent.mkdir(parents=True)
    link.symlink_to(outside, target_is_directory=True)

    with _deadline(240):
        book = build(source, out, jobs=1)
    assert book.runs.reused == 0
    assert page_words(out) == words
    assert _tree(outside) == before
    assert link.is_symlink()


def test_an_output_folder_brought_as_a_link_is_refused(tmp_path):
    """The default output is `output/` of the current folder: a shared edition's link
    there would take the PDF and the cache elsewhere. -o names a place on purpose."""
    import subprocess
    import sys

    edition = tmp_path / "edition"
    shutil.copytree(SAMPLE, edition)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (edition / "output").symlink_to(outside, target_is_directory=True)
    for command in (["build"], ["handout", "53"], ["preview", "--pages", "1"]):
        done = subprocess.run([sys.executable, "-m", "edition.cli", *command, "-q"],
                              cwd=edition, capture_output=True, text=True, timeout=120,
                              env=os.environ | {"PYTHONPATH": str(SAMPLE.parent)})
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == ("edition: output: the output folder is a link; "
                                       "remove it, or name the output with -o")
    assert list(outside.iterdir()) == []
