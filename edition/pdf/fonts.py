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
from edition.layout.store import Folder

MARK = b"edition-font "
# After the font's first four bytes (kept, so that WeasyPrint still tells OpenType from
# TrueType by them): the mark and the file's SHA-256 in hex.
STUB = re.compile(rb"^.{4}" + re.escape(MARK) + rb"([0-9a-f]{64})$", re.S)


# The largest font file a build keeps (the bundled faces are under a megabyte each).
FONT_LIMIT = 64 << 20


class FontStore:
    """Font files by their SHA-256, in `folder`; safe for several processes at once.

    The folder may be a cache an edition brought along (store.py): a file is used only
    when its bytes are the digest it is named by, so a planted or damaged file is as good
    as absent, written again, or the run naming it laid out again."""

    def __init__(self, folder: Folder | Path):
        self.folder = folder if isinstance(folder, Folder) else Folder(Path(folder))
        self.named: set[str] = set()  # the digests of the stubs this store gave
        self.checked: set[str] = set()  # the digests whose files were found true

    @staticmethod
    def _name(digest: str) -> str:
        return f"{digest}.font"

    def _read(self, digest: str) -> bytes | None:
        data = self.folder.read(self._name(digest), FONT_LIMIT)
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            return None
        self.checked.add(digest)
        return data

    def stub(self, data: bytes) -> bytes:
        """Keep `data` (a font file) and give the stub a part writes in its place."""
        digest = hashlib.sha256(data).hexdigest()
        if not self.has(digest):
            self.folder.write(self._name(digest), data)  # whole, also for a worker beside us
            self.checked.add(digest)
        self.named.add(digest)
        return data[:4] + MARK + digest.encode()

    def has(self, digest: str) -> bool:
        return digest in self.checked or self._read(digest) is not None

    def get(self, digest: str) -> bytes:
        data = self._read(digest)
        if data is None:
            raise EditionError("a font file of the build is missing or damaged; build "
                               "again with --no-cache", self.folder.path / self._name(digest))
        return data

    def prune(self, keep: set[str]) -> None:
        """Remove the font files (and whatever else stands under their names) not in
        `keep`."""
        for name in self.folder.names():
            if name.endswith(".font") and name[:-len(".font")] not in keep:
                self.folder.remove(name)


def stub_digest(data: bytes) -> str | None:
    """The digest a stub names; None for a font program written whole."""
    found = STUB.match(data) if len(data) < 128 else None
    return found.group(1).decode() if found else None
