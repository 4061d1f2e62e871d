"""The cache of laid-out runs, under the output folder (`.edition-cache/`).

A run's pages are a function of its HTML (text, note numbers), of everything that builds
the stylesheets (settings, profile, the styles and fonts shipped, the program itself) and
of its place (first folio, side). The key is a digest of all of that; the entry is the
run's `RunResult` with its PDF, whose font files are in `fonts/` (pdf/fonts.py): an
entry naming one that is gone is a miss. A second digest without the place records the
run's page count, so that after an edit the runs that follow know where they begin
without being laid out, and are taken from the cache when their place did not change.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

import weasyprint

from edition.layout.runs import RunResult, Setup
from edition.pdf.fonts import FontStore
from edition.resources import styles_dir

FOLDER = ".edition-cache"


@cache
def _program() -> bytes:
    """The program and its styles and fonts: a change to any of them invalidates all."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for root in (package, styles_dir()):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".css", ".html", ".otf", ".ttf",
                                                  ".woff", ".woff2", ".icc"):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.digest()


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all, like the PDF (a half-written entry would not unpickle)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class RunCache:
    def __init__(self, folder: Path, setup: Setup):
        self.folder = folder
        self.fonts = setup.fonts
        self.fonts_used: set[str] = set()  # the font files the runs of this build name
        self.base = hashlib.sha256(_program() + setup.fingerprint()).digest()
        self.used: set[str] = set()

    def content(self, html: str) -> str:
        return hashlib.sha256(self.base + html.encode()).hexdigest()[:40]

    def _file(self, content: str, folio: int, right: bool) -> Path:
        return self.folder / f"{content}-{folio}{'r' if right else 'v'}.run"

    def count(self, html: str) -> int | None:
        """The run's page count when it was laid out before, wherever it began."""
        path = self.folder / f"{self.content(html)}.pages"
        try:
            return int(path.read_text())
        except (OSError, ValueError):
            return None

    def get(self, html: str, folio: int, right: bool) -> RunResult | None:
        content = self.content(html)
        path = self._file(content, folio, right)
        try:
            result = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if not isinstance(result, RunResult):
            return None
        names = getattr(result, "fonts", [])
        fonts = FontStore(self.fonts)
        if not all(fonts.has(digest) for digest in names):
            return None  # the font files it names are gone: lay it out again
        self.used.update({path.name, f"{content}.pages"})
        self.fonts_used.update(names)
        return result

    def put(self, html: str, folio: int, right: bool, result: RunResult) -> None:
        content = self.content(html)
        path = self._file(content, folio, right)
        self.fonts_used.update(result.fonts)  # this build joins it, cached or not
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            _write(self.folder / f"{content}.pages", str(result.pages).encode())
        except OSError:
            return  # a cache that cannot be written only costs time
        self.used.update({path.name, f"{content}.pages"})

    def prune(self) -> None:
        """Forget the runs this build did not use, and the font files none of its runs
        names: the cache holds one volume's runs. (The parts written after this, the
        front matter and indexes, store their fonts again.)"""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in (".run", ".pages") and path.name not in self.used:
                path.unlink(missing_ok=True)
        if self.fonts.is_dir():
            for path in self.fonts.glob("*.font"):
                if path.stem not in self.fonts_used:
                    path.unlink(missing_ok=True)
