"""Opening the edition's own files: what is read is the file that was checked.

Sources are untrusted, and a folder can change while it is built: a document checked
as a file of the edition and opened later by name may meanwhile have been swapped for a
link to a file outside it, or for a FIFO that would block the build forever. So every
file of the edition (documents, `edition.toml`, `persons.toml`, front pages, the output
profile) is read through `read_capped`, which checks what it actually opened:

- the name is resolved (links inside the edition are allowed) and must lie inside the
  edition folder (`root`);
- the resolved path is then opened component by component from the folder's own
  descriptor with O_NOFOLLOW, so no link can be followed by the open itself: a link that
  appeared since the name was resolved makes the open fail (and is tried again a few
  times, then refused), it never leads out;
- the last component is opened with O_NONBLOCK, so a FIFO cannot block, and the open
  descriptor must be a regular file (os.fstat);
- at most `limit` + 1 bytes are read, so an endless file cannot exhaust memory.

The folder itself (the path the user gave, and everything above it) is trusted.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from edition.errors import EditionError

OUTSIDE = "links to a file outside the edition folder"
# A link that appears between resolving a name and opening it is a race (or an attack):
# resolve again this many times before giving up.
ATTEMPTS = 3
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class TooLarge(EditionError):
    """More bytes than the caller's limit: it may say what such a file is not."""


class NotFound(EditionError):
    """No file of that name: for a reader an error like any other; for the layout's
    fetcher (edition/fetcher.py) a missing image, as WeasyPrint treats one."""


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, its links followed, lies in the folder `root`."""
    return _resolved(path).is_relative_to(_resolved(root))


def check_inside(path: Path, root: Path, named_in: Path | None = None, line: int = 0) -> Path:
    """`path`, or the error every link out gets (one message whether or not its target
    exists: the edition may not learn which files exist outside). `named_in` and `line`
    say where a setting gave the name."""
    if not inside(path, root):
        where = f" (named at {named_in}:{line})" if named_in and line else ""
        raise EditionError(f"{OUTSIDE}{where}", path)
    return path


def read_capped(path: Path, limit: int, root: Path | None = None, hint: str = "") -> bytes:
    """The bytes of the regular file `path` inside `root` (default: its own folder), or
    an EditionError; one byte past `limit` is an error at line 1 (with `hint`)."""
    with os.fdopen(open_inside(path, root), "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as exc:
            raise EditionError(f"cannot read file ({exc.strerror})", path) from None
    if len(data) > limit:
        raise TooLarge(f"file larger than {limit // 2**20} MB" + (f"; {hint}" if hint
                                                                     else ""), path, 1)
    return data


def read_text(path: Path, limit: int, root: Path | None = None, hint: str = "") -> str:
    """`read_capped` decoded as UTF-8; invalid UTF-8 is an error at its line and column
    (the first byte that does not decode, counted in the characters before it)."""
    data = read_capped(path, limit, root, hint)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start:exc.start].decode("utf-8")) + 1
        raise EditionError(f"not UTF-8 text ({exc.reason})", path, line, column) from None


def text_or_none(path: Path, limit: int, root: Path | None = None) -> str | None:
    """The file's text for finding a line in it, None if it cannot be read safely now:
    a line number is worth less than a build that blocks or reads outside."""
    try:
        return read_text(path, limit, root)
    except EditionError:
        return None


def open_inside(path: Path, root: Path | None = None) -> int:
    """A read-only descriptor of the regular file `path` inside `root` (see the module's
    docstring); the caller closes it."""
    path = Path(path)
    folder = _resolved(path.parent if root is None else root)
    for _ in range(ATTEMPTS):
        target = _resolved(path)
        if not target.is_relative_to(folder):
            raise EditionError(OUTSIDE, path)
        if target == folder:
            raise EditionError("expected a file, found a folder", path)
        try:
            fd = _open_below(folder, target.relative_to(folder).parts)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                continue  # a link appeared after the name was resolved: resolve again
            raise _open_error(exc, path) from None
        return _regular(fd, path)
    raise EditionError("a link that cannot be opened inside the edition (a loop of links, "
                       "or it changed while it was opened)", path)


def _open_below(folder: Path, parts: tuple[str, ...]) -> int:
    """Open folder/parts… without following any link below `folder`."""
    fd = open_folder(folder, parts[:-1])
    try:
        return os.open(parts[-1], _FILE, dir_fd=fd)
    finally:
        os.close(fd)


def open_folder(folder: Path, parts: tuple[str, ...], create: bool = False) -> int:
    """A descriptor of folder/parts…, no link below `folder` followed (OSError: ELOOP or
    ENOTDIR where a part is a link or no folder); `create` makes missing parts."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts:
            if create:
                try:
                    os.mkdir(part, 0o700, dir_fd=fd)
                except FileExistsError:
                    pass
            below = os.open(part, _DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = below
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_file(name: str, folder_fd: int) -> int:
    """`name` in the folder `folder_fd` opened for reading: no link followed, no FIFO
    waited for (the caller checks what it is)."""
    return os.open(name, _FILE, dir_fd=folder_fd)


def _regular(fd: int, path: Path) -> int:
    """`fd` if it is a regular file; else it is closed and refused."""
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return fd
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise EditionError("expected a file, found a folder", path)
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    raise EditionError(f"not a regular file ({kind})", path)


def _open_error(exc: OSError, path: Path) -> EditionError:
    if exc.errno == errno.ENOENT:
        return NotFound("file not found", path)
    if exc.errno == errno.ENXIO:  # a socket cannot be opened
        return EditionError("not a regular file (a socket)", path)
    return EditionError(f"cannot read file ({exc.strerror})", path)


def _resolved(path: Path) -> Path:
    """The absolute path with every link followed (a loop is left as it is, and fails
    to open). A link that changes while it is followed (EINVAL from readlink) is
    followed again."""
    error = ""
    for _ in range(ATTEMPTS):
        try:
            return Path(os.path.realpath(path))
        except OSError as exc:
            error = exc.strerror
    raise EditionError(f"cannot follow the links of this name ({error})", path)
