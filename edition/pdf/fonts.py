"""The font files of a build's parts, kept once by content instead of in every part.

Each part (a run, the front matter, an index) is written on its own and joined
(merge.py), which embeds each font once, subset to the glyphs of all parts. A part
therefore needs no font program of its own, only a name for it: its font streams hold a
stub (`stub`), the file's digest, and the file is written once into the build's
`FontStore`, a folder (the cache's `fonts/` when there is a cache, else a temporary one).
Written whole into every part, compressed at pydyf's level 9, the faces cost each part
about 150 ms and a megabyte, which the join then held for every part at once.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from edition.errors import EditionError
from edition.output import write_atomic

MARK = b"edition-font "
# After the font's first four bytes (kept, so that WeasyPrint still tells OpenType from
# TrueType by them): the mark and the file's SHA-256 in hex.
STUB = re.compile(rb"^.{4}" + re.escape(MARK) + rb"([0-9a-f]{64})$", re.S)


class FontStore:
    """Font files by their SHA-256, in `folder`; safe for several processes at once."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.named: set[str] = set()  # the digests of the stubs this store gave

    def _path(self, digest: str) -> Path:
        return self.folder / f"{digest}.font"

    def stub(self, data: bytes) -> bytes:
        """Keep `data` (a font file) and give the stub a part writes in its place."""
        digest = hashlib.sha256(data).hexdigest()
        if not self.has(digest):
            write_atomic(self._path(digest), data)  # whole, also for a worker beside us
        self.named.add(digest)
        return data[:4] + MARK + digest.encode()

    def has(self, digest: str) -> bool:
        return self._path(digest).is_file()

    def get(self, digest: str) -> bytes:
        try:
            return self._path(digest).read_bytes()
        except OSError as exc:
            raise EditionError(f"a font file of the build is missing ({exc.strerror}); "
                               "build again with --no-cache", self._path(digest)) from None


def stub_digest(data: bytes) -> str | None:
    """The digest a stub names; None for a font program written whole."""
    found = STUB.match(data) if len(data) < 128 else None
    return found.group(1).decode() if found else None
