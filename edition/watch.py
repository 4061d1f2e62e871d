"""`edition watch`: rebuild the PDF each time a source is saved.

The loop (`watch_loop`) is a function of one build and a stream of change batches, so it
is tested without a file-system watcher; the command feeds it watchfiles' batches, which
already gather the several writes of one save into one batch (debounce). Every build
goes through the cache of laid-out runs, so a rebuild lays out again only the documents
that changed (and those after them, when a page count changed).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from edition.errors import EditionError

# What an edition's folder holds that a build reads; everything else (the output, the
# cache, editors' swap and backup files) is not a reason to rebuild.
WATCHED_SUFFIXES = (".md", ".xml", ".toml", ".css", ".icc", ".icm", ".png", ".jpg",
                    ".jpeg", ".svg")


@dataclass
class Outcome:
    """One build of the loop: what it re-laid and how long it took, or why it failed."""

    seconds: float
    summary: str = ""  # "24 pages, laid out 1 of 12 runs (Document 54), 11 from the cache"
    error: str = ""  # one line, as the CLI prints errors

    @property
    def ok(self) -> bool:
        return not self.error


def watch_loop(build_once: Callable[[], str], batches: Iterable[set[Path]],
               say: Callable[[str], None], say_error: Callable[[str], None]) -> list[Outcome]:
    """Build once, then once per batch of changed files, until the batches end.

    `build_once` builds and writes the PDF atomically and returns its summary; an
    `EditionError` (bad input) is printed and the last good PDF stays where it is.
    """
    outcomes = [_attempt(build_once)]
    _tell(outcomes[-1], say, say_error, "built")
    for changed in batches:
        names = ", ".join(sorted(path.name for path in changed)) or "a source"
        say(f"{_clock()} changed: {names}")
        outcomes.append(_attempt(build_once))
        _tell(outcomes[-1], say, say_error, "rebuilt")
    return outcomes


def _attempt(build_once: Callable[[], str]) -> Outcome:
    start = time.perf_counter()
    try:
        summary = build_once()
    except EditionError as exc:
        return Outcome(time.perf_counter() - start, error=" ".join(str(exc).split()))
    return Outcome(time.perf_counter() - start, summary)


def _tell(outcome: Outcome, say, say_error, verb: str) -> None:
    if outcome.ok:
        say(f"{_clock()} {verb} in {outcome.seconds:.1f} s: {outcome.summary}")
    else:
        say_error(f"{_clock()} edition: {outcome.error} (the last good PDF stays)")


def _clock() -> str:
    return time.strftime("%H:%M:%S")


def relevant(path: Path, folder: Path, output: Path, single: Path | None = None) -> bool:
    """Whether a change to `path` calls for a rebuild of the edition in `folder`.

    Not the PDF and the cache beside it, not hidden files (editors' swap files, .git),
    not backups (`x.md~`, `#x.md#`); for a single-file source, that file and the
    settings, register and front pages beside it."""
    path = path.resolve()
    out_folder = output.resolve().parent
    if path == output.resolve() or path.is_relative_to(out_folder / ".edition-cache"):
        return False
    if path.is_relative_to(folder / "output"):
        return False
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    name = path.name
    if any(part.startswith(".") for part in parts) or name.endswith("~") \
            or name.startswith("#"):
        return False
    if single is not None and path.suffix == single.suffix and path != single.resolve():
        return False  # another document beside a single-file source
    return path.suffix.lower() in WATCHED_SUFFIXES


def file_batches(source: Path, output: Path) -> Iterator[set[Path]]:
    """Batches of changed files under the edition's folder, as watchfiles reports them."""
    from watchfiles import watch

    folder = (source if source.is_dir() else source.parent).resolve()
    single = None if source.is_dir() else source

    def keep(_change, name: str) -> bool:
        return relevant(Path(name), folder, output, single)

    for changes in watch(folder, watch_filter=keep, debounce=400, step=100):
        yield {Path(name) for _change, name in changes}
