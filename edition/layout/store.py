"""A folder the build keeps its own files in (the cache of runs, the font files), which
the edition it builds cannot point elsewhere.

The cache lies under the output folder, and an edition shared as a folder, an archive or
a repository brings its `output/` along: whatever is found there was written by someone
else. So the folder is reached from a root the user named (the output folder, or a
temporary folder) one component at a time without following a link, every file is
opened without following a link and without blocking (a FIFO), and read only when it is
a regular file, and never past its size or a limit. What fails any of that is treated
as absent; nothing is ever followed out of the folder, deleted outside it or read whole
from a device.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from edition.safeio import open_file, open_folder

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True)
class Folder:
    """`root` (trusted: named by the user or made by the program) joined with `parts`
    (not trusted: each is a real folder, never a link). Picklable, for the workers."""

    root: Path
    parts: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return self.root.joinpath(*self.parts)

    def child(self, name: str) -> Folder:
        return Folder(self.root, (*self.parts, name))

    @contextmanager
    def opened(self, create: bool = False) -> Iterator[int]:
        """The folder's descriptor; OSError when a part is a link, not a folder, or
        absent (and not `create`)."""
        if create:
            os.makedirs(self.root, exist_ok=True)
        fd = open_folder(self.root, self.parts, create)
        try:
            yield fd
        finally:
            os.close(fd)

    def usable(self) -> bool:
        """Whether the folder is there (made if need be) and writable."""
        try:
            with self.opened(create=True):
                pass
        except OSError:
            return False
        return os.access(self.path, os.W_OK)

    def read(self, name: str, limit: int) -> bytes | None:
        """The file's bytes if it is a regular file of at most `limit` bytes; else None."""
        try:
            with self.opened() as folder:
                fd = open_file(name, folder)
                try:
                    return _read_regular(fd, limit)
                finally:
                    os.close(fd)
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Whole or not at all: a new file renamed over `name` (a link there is
        replaced, never written through). OSError when the folder cannot be used."""
        with self.opened(create=True) as folder:
            tmp = f".{name}.{secrets.token_hex(6)}.tmp"
            fd = os.open(tmp, _CREATE, 0o600, dir_fd=folder)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            finally:
                try:
                    os.unlink(tmp, dir_fd=folder)
                except FileNotFoundError:
                    pass

    def names(self) -> list[str]:
        """The names of the entries that are not folders (links, FIFOs included: they
        can be removed, which touches only the entry itself)."""
        try:
            with self.opened() as folder, os.scandir(folder) as entries:
                return [entry.name for entry in entries
                        if not entry.is_dir(follow_symlinks=False)]
        except OSError:
            return []

    def remove(self, name: str) -> None:
        try:
            with self.opened() as folder:
                os.unlink(name, dir_fd=folder)
        except OSError:
            pass


def _read_regular(fd: int, limit: int) -> bytes | None:
    """Read a regular file's bytes, at most its size when opened (a file growing while
    it is read is cut there) and never more than `limit`."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return None
    chunks, left = [], info.st_size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None  # shrunk while it was read: not what was there
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
