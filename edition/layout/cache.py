"""The cache of laid-out runs, under the output folder (`.edition-cache/<name>/`).

A run's pages are a function of its HTML (text, note numbers), of everything that builds
the stylesheets (settings, profile, the styles and fonts shipped, the program itself) and
of its place (first folio, side). The key is a digest of all of that; the entry is the
run's `RunResult` as JSON with its PDF, whose font files are in `fonts/` (pdf/fonts.py):
an entry naming one that is gone is a miss. A second digest without the place records
the run's page count, so that after an edit the runs that follow know where they begin
without being laid out, and are taken from the cache when their place did not change.

The cache is untrusted input: an edition shared with its `output/` brings a cache
someone else wrote. So an entry is data, never code (JSON and PDF bytes; nothing is
unpickled), and it is signed with an HMAC whose key is the user's own, kept outside any
edition (`$XDG_CACHE_HOME/edition/cache.key`, made on first use): an entry this user's
builds did not write, one renamed from another run or volume, one altered, truncated or
not a regular file is a miss, and the run is laid out again. The folder is reached and
read through `store.Folder`, which follows no link.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from functools import cache
from pathlib import Path

import weasyprint

from edition.layout.runs import RunResult, Setup
from edition.layout.store import Folder
from edition.pdf.fonts import FontStore
from edition.resources import styles_dir

FOLDER = ".edition-cache"
MAGIC = b"edition-cache 1\n"
TAG = 32  # bytes of an HMAC-SHA256
# A run's entry holds its pages' PDF with the fonts named, not embedded: a few hundred
# kilobytes per hundred pages. Larger than this, it is not what a build writes.
RUN_LIMIT = 256 << 20
PAGES_LIMIT = 64


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


def key_folder() -> Path:
    """The user's own cache folder, which no edition lies in or writes to."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "edition"


def secret() -> bytes | None:
    """The user's key for signing cache entries, made on first use; None when it cannot
    be had (then nothing is cached)."""
    folder = Folder(key_folder())
    key = folder.read("cache.key", TAG)
    if key is None:
        try:
            # Made whole before it gets its name: a build beside this one reads either
            # no key or the whole key, and of two builds making one, the first wins.
            with folder.opened(create=True) as fd:
                tmp = f".cache.key.{secrets.token_hex(6)}"
                out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                              0o600, dir_fd=fd)
                try:
                    os.write(out, secrets.token_bytes(TAG))
                    os.close(out)
                    try:
                        os.link(tmp, "cache.key", src_dir_fd=fd, dst_dir_fd=fd,
                                follow_symlinks=False)
                    except FileExistsError:
                        pass
                finally:
                    os.unlink(tmp, dir_fd=fd)
        except OSError:
            return None
        key = folder.read("cache.key", TAG)
    return key if key is not None and len(key) == TAG else None


def encode(result: RunResult) -> bytes:
    """An entry's body: the length of the JSON, the JSON, the PDF."""
    meta = json.dumps(result.to_data(), separators=(",", ":")).encode()
    return len(meta).to_bytes(8, "big") + meta + result.pdf


def decode(body: bytes) -> RunResult | None:
    """The result `encode` gave; None for anything else."""
    size = int.from_bytes(body[:8], "big")
    if len(body) < 8 or size > len(body) - 8:
        return None
    try:
        return RunResult.from_data(json.loads(body[8:8 + size]), body[8 + size:])
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def entry_body(data: bytes) -> bytes:
    """The body of an entry file as written (for tests and tools: not checked)."""
    return data[len(MAGIC) + TAG:]


class RunCache:
    """The runs of one PDF's builds, in `folder`; `open` it (None: no cache to be had)."""

    def __init__(self, folder: Folder, setup: Setup, key: bytes):
        self.folder = folder
        self.key = key
        self.fonts = FontStore(setup.fonts)
        self.fonts_used: set[str] = set()  # the font files the runs of this build name
        self.base = hashlib.sha256(_program() + setup.fingerprint()).digest()
        self.used: set[str] = set()

    @classmethod
    def open(cls, folder: Folder, setup: Setup) -> RunCache | None:
        key = secret()
        if key is None or not folder.usable():
            return None  # a cache that cannot be had only costs time
        return cls(folder, setup, key)

    def content(self, html: str) -> str:
        return hashlib.sha256(self.base + html.encode()).hexdigest()[:40]

    @staticmethod
    def _name(content: str, folio: int, right: bool) -> str:
        return f"{content}-{folio}{'r' if right else 'v'}.run"

    # ------------------------------------------------------------ signed entries

    def _sign(self, name: str, body: bytes) -> bytes:
        return hmac.new(self.key, name.encode() + b"\0" + body, hashlib.sha256).digest()

    def _load(self, name: str, limit: int) -> bytes | None:
        """An entry's body, if this user's builds wrote it under this name, whole."""
        data = self.folder.read(name, limit + len(MAGIC) + TAG)
        if data is None or not data.startswith(MAGIC):
            return None
        tag, body = data[len(MAGIC):len(MAGIC) + TAG], entry_body(data)
        return body if hmac.compare_digest(tag, self._sign(name, body)) else None

    def _store(self, name: str, body: bytes) -> None:
        self.folder.write(name, MAGIC + self._sign(name, body) + body)
        self.used.add(name)

    # ------------------------------------------------------------ runs

    def count(self, html: str) -> int | None:
        """The run's page count when it was laid out before, wherever it began."""
        body = self._load(f"{self.content(html)}.pages", PAGES_LIMIT)
        try:
            return int(body) if body is not None and int(body) > 0 else None
        except ValueError:
            return None

    def get(self, html: str, folio: int, right: bool) -> RunResult | None:
        content = self.content(html)
        name = self._name(content, folio, right)
        body = self._load(name, RUN_LIMIT)
        result = decode(body) if body is not None else None
        if result is None or not all(self.fonts.has(digest) for digest in result.fonts):
            return None  # the font files it names are gone: lay it out again
        self.used.update({name, f"{content}.pages"})
        self.fonts_used.update(result.fonts)
        return result

    def put(self, html: str, folio: int, right: bool, result: RunResult) -> None:
        content = self.content(html)
        self.fonts_used.update(result.fonts)  # this build joins it, cached or not
        body = encode(result)
        if len(body) > RUN_LIMIT:
            return  # more than a later build would read back
        try:
            self._store(self._name(content, folio, right), body)
            self._store(f"{content}.pages", str(result.pages).encode())
        except OSError:
            return  # a cache that cannot be written only costs time

    def prune(self) -> None:
        """Forget the runs this build did not use, and the font files none of its runs
        names: the cache holds one volume's runs. (The parts written after this, the
        front matter and indexes, store their fonts again.) Only entries are removed,
        never what a link there points to."""
        for name in self.folder.names():
            if name.endswith((".run", ".pages")) and name not in self.used:
                self.folder.remove(name)
        self.fonts.prune(keep=self.fonts_used)
