"""What WeasyPrint may read: files of the edition and of the package, nothing else.

Sources are untrusted (an edition folder may come from anyone), so every URL the layout
asks for passes through `EditionFetcher`: `data:` URLs and files that resolve (symlinks
and `..` followed) inside one of the allowed folders are served; `file://` paths outside
them and every network URL are refused, unless the user allowed network access.

WeasyPrint catches a fetcher's exceptions and only logs them, so a refusal is also
recorded in the fetcher; `raise_refusals` turns the first one into an EditionError that
names the URL and, when the URL is written in a source file, that file and line.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from edition import safeio
from edition.errors import EditionError
from edition.readers.base import MAX_MARKUP_BYTES

REMOTE_SCHEMES = ("http", "https", "ftp")
LOCAL_HOSTS = ("", "localhost")


class EditionFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to `roots` (and the network if allowed)."""

    def __init__(self, roots: Iterable[Path], allow_remote: bool = False) -> None:
        # Errors are ours to report (raise_refusals); WeasyPrint should carry on.
        super().__init__(fail_on_errors=False, allow_redirects=allow_remote)
        self.roots = [Path(root).resolve() for root in roots]
        self.allow_remote = allow_remote
        # (url, reason) for every refused request, in the order WeasyPrint asked.
        self.refused: list[tuple[str, str]] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        reason = self.refusal(url)
        if not reason and url.split(":", 1)[0].lower() == "file":
            try:
                return self._local(url)
            except safeio.NotFound:
                raise FileNotFoundError(url) from None  # WeasyPrint's own, as before
            except EditionError as exc:
                reason = exc.message
        if reason:
            self.refused.append((url, reason))
            raise PermissionError(f"refused {url!r}: {reason}")
        return super().fetch(url, headers)

    def _local(self, url: str) -> URLFetcherResponse:
        """A file of an allowed folder, opened by edition/safeio.py: the file checked is
        the file read, even if its name became a link or a FIFO after the check."""
        path = _file_path(url)
        root = next(root for root in self.roots if path.resolve().is_relative_to(root))
        file = os.fdopen(safeio.open_inside(path, root), "rb")  # WeasyPrint closes it
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, file, {"Content-Type": kind})

    def refusal(self, url: str) -> str:
        """Why `url` may not be read, or "" when it may."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return ""
        if scheme == "file":
            return self._file_refusal(url)
        if scheme in REMOTE_SCHEMES:
            return "" if self.allow_remote else (
                "network access is off (use --allow-remote to allow it)")
        return f"the {scheme or 'relative'!s} URL scheme is not allowed"

    def _file_refusal(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.netloc.lower() not in LOCAL_HOSTS:
            return f"files on another host ({parts.netloc}) are not allowed"
        # resolve() follows symlinks and `..`: what is checked is what would be opened.
        path = _file_path(url).resolve()
        if any(path.is_relative_to(root) for root in self.roots):
            return ""
        return "the file is outside the edition folder"


def _file_path(url: str) -> Path:
    return Path(url2pathname(unquote(urlsplit(url).path)))


def make_url_fetcher(roots: list[Path], allow_remote: bool = False) -> EditionFetcher:
    """The url_fetcher for `weasyprint.HTML(..., url_fetcher=…)`."""
    return EditionFetcher(roots, allow_remote)


def raise_refusals(fetcher: EditionFetcher, sources: Iterable[Path]) -> None:
    """Raise an EditionError for the first refused URL, at its line in the sources."""
    if not fetcher.refused:
        return
    url, reason = fetcher.refused[0]
    file, line = find_in_sources(url, sources)
    more = len(fetcher.refused) - 1
    extra = f" ({more} more refused)" if more else ""
    raise EditionError(f"refused to fetch {url!r}: {reason}{extra}", file, line)


def find_in_sources(url: str, sources: Iterable[Path]) -> tuple[Path | None, int]:
    """(file, 1-based line) of the first source that contains `url` as written."""
    needles = {url, unquote(url)}
    for source in sources:
        # Read again from inside the edition only, never blocking (edition/safeio.py).
        text = safeio.text_or_none(Path(source), MAX_MARKUP_BYTES)
        if text is None:
            continue
        for needle in needles:
            at = text.find(needle)
            if at >= 0:
                return Path(source), text.count("\n", 0, at) + 1
    return None, 0
