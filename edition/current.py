"""Whether a written PDF is current: built from the inputs a build would use now.

A build that writes its PDF records a stamp beside its cached runs
(`.edition-cache/<name>/pdf.stamp`): a digest of its inputs and of the PDF it wrote,
signed with the user's own cache key (layout/cache.py), since an edition may come with
an `output/` someone else made. `edition preview` draws that PDF instead of laying the
book out again only when the stamp is this user's, the PDF is the one stamped, and the
inputs are the same: every file of the edition folder (its `output/` and caches aside),
the settings given beside edition.toml (-M, --defaults), the profile and its options,
and the program itself (its code, styles, fonts and WeasyPrint's version). Anything
else, and anything that cannot be told for sure, is not current: the book is laid out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

from edition.layout.cache import FOLDER as CACHE_FOLDER
from edition.layout.cache import _program, secret
from edition.layout.store import Folder

STAMP = "pdf.stamp"
# An edition folder past these is not hashed for a preview (it is laid out instead):
# a single file's folder may be a whole home directory.
MAX_FILES = 5000
MAX_BYTES = 256 << 20
# A PDF a preview reads back whole.
MAX_PDF = 1 << 31
# Not inputs: what builds write, and a repository's own bookkeeping.
SKIPPED = {CACHE_FOLDER, ".git"}


def inputs_digest(source: Path, output_folder: Path, profile: str,
                  settings: dict[str, Any], choices: dict[str, Any]) -> str | None:
    """The digest of everything a build of `source` (a folder, or one file of its
    folder) reads and is told: the profile, the settings given beside edition.toml (their
    values: where they were given makes no other book), the profile's choices; None when
    the folder is too large to hash or cannot be walked."""
    folder = source if source.is_dir() else source.parent
    given = {attr: getattr(value, "value", value) for attr, value in settings.items()}
    told = {"source": "." if source.is_dir() else source.name, "profile": profile,
            "settings": given, "choices": choices}
    digest = hashlib.sha256(_program())
    digest.update(json.dumps(told, sort_keys=True, default=repr).encode())
    try:
        files = _files(folder.resolve(), output_folder.resolve())
    except OSError:
        return None
    if files is None:
        return None
    for path, what in files:
        digest.update(f"\0{path}\0".encode())
        digest.update(what)
    return digest.hexdigest()


def _files(folder: Path, output_folder: Path) -> list[tuple[str, bytes]] | None:
    """(path within `folder`, content or a link's target) of every entry, links not
    followed, in name order."""
    found: list[tuple[str, bytes]] = []
    size = 0
    for root, dirs, names in os.walk(folder, onerror=_raise):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED
                         and (here / d).resolve() != output_folder)
        for name in sorted(names):
            path = here / name
            if len(found) >= MAX_FILES:
                return None
            if path.is_symlink():
                found.append((str(path.relative_to(folder)), os.readlink(path).encode()))
            elif path.is_file():
                size += path.stat().st_size
                if size > MAX_BYTES:
                    return None
                found.append((str(path.relative_to(folder)), _read(path)))
    return found


def _read(path: Path) -> bytes:
    """A regular file's bytes: never a link followed, never a FIFO waited for (a file
    swapped for one after the walk saw it is an OSError, and nothing is current)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        return file.read(MAX_BYTES + 1)


def _raise(exc: OSError) -> None:
    raise exc


def record(cache: Folder, inputs: str | None, pdf: bytes) -> None:
    """Stamp the PDF just written as built from `inputs` (nothing when they are unknown
    or there is no key: the next preview lays the book out)."""
    key = secret()
    if inputs is None or key is None:
        return
    body = json.dumps({"inputs": inputs, "pdf": hashlib.sha256(pdf).hexdigest()}).encode()
    try:
        cache.write(STAMP, _sign(key, body) + body)
    except OSError:
        pass  # a stamp that cannot be written only costs a preview its layout


def current_pdf(cache: Folder, inputs: str | None, pdf_path: Path) -> bytes | None:
    """The PDF at `pdf_path` when this user's stamp says it was built from `inputs`."""
    key = secret()
    stamp = cache.read(STAMP, 4096)
    if inputs is None or key is None or stamp is None:
        return None
    tag, body = stamp[:32], stamp[32:]
    if not hmac.compare_digest(tag, _sign(key, body)):
        return None
    try:
        stamped = json.loads(body)
    except ValueError:
        return None
    if stamped.get("inputs") != inputs:
        return None
    pdf = Folder(pdf_path.parent).read(pdf_path.name, MAX_PDF)
    if pdf is None or hashlib.sha256(pdf).hexdigest() != stamped.get("pdf"):
        return None
    return pdf


def _sign(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, b"pdf.stamp\0" + body, hashlib.sha256).digest()
