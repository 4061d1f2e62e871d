"""Atomic output: a PDF is either the previous one or the new one, never half of one."""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from edition.errors import EditionError

# Signals this process holds back while it writes a file: a layout worker sets them
# (edition/layout/workers.py), so that stopping it never leaves a temporary file. The
# main process holds none: Ctrl-C stops it at once, and atomic_path cleans up.
HELD_WHILE_WRITING: set[signal.Signals] = set()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only on success.

    The temporary file lives in the target's folder so the final rename stays on one
    filesystem and is atomic; two builds writing the same target each rename a whole
    file, and the last one wins.
    """
    with _held():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                        dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            yield tmp
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)


@contextmanager
def _held() -> Iterator[None]:
    """HELD_WHILE_WRITING blocked meanwhile; one that came is delivered after."""
    if not HELD_WHILE_WRITING:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_WHILE_WRITING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_atomic(target: Path, data: bytes | str) -> None:
    """Write `data` whole to `target`, or leave the old file: a full disk or a folder
    that cannot be written is the machine's condition, one line (EditionError), not a
    bug; the previous file stays as it was."""
    try:
        with atomic_path(target) as tmp:
            if isinstance(data, str):
                tmp.write_text(data, encoding="utf-8")
            else:
                tmp.write_bytes(data)
    except OSError as exc:
        raise EditionError(f"cannot write the file ({exc.strerror or exc})", target) from None
