"""`edition build-series`: several volumes built one after another, each as `build` makes
it, each volume's runs spread over a Dask cluster (`--scheduler`) or over worker
processes here (`--jobs`).

The volumes are edition folders (or files) given on the command line, or listed in a
series file (`series.toml`: `volumes = ["vol1", "vol2"]`, relative to the file, and an
optional `scheduler = "tcp://host:8786"`), docs/cluster.md.
"""

from __future__ import annotations

import argparse
import tomllib
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from edition import safeio
from edition.cli.discovery import default_output, find_source, profile_name
from edition.cli.outputs import _cache_dir, _check_outputs, _write_pdf, check_output
from edition.cli.progress import _progress
from edition.cli.summaries import _finish
from edition.errors import EditionError

# A series file is a short list; a file far beyond that is not one.
MAX_SERIES_BYTES = 1 << 20
SERIES_KEYS = ("volumes", "scheduler")


def add_scheduler(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="lay the documents out on the Dask cluster of this scheduler "
                        "(tcp://host:8786; default: [build] scheduler, else worker "
                        "processes here); needs pip install edition-typesetter[cluster]")


def add_series_options(parser: argparse.ArgumentParser) -> None:
    """What `build-series` takes."""
    from edition.cli.arguments import _positive

    parser.add_argument("volumes", nargs="+", type=Path, metavar="FOLDER",
                        help="the volumes' edition folders, or a series .toml file "
                        "listing them")
    parser.add_argument("--profile", default=None,
                        help="book (default), handout, archive or print")
    add_scheduler(parser)
    parser.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                        help="runs laid out at once (default: the machine's cores, or "
                        "the cluster's workers)")
    parser.add_argument("--no-cache", action="store_true",
                        help="lay out every document afresh and keep no cache")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing when all is well (errors still show)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show WeasyPrint's own warnings")
    parser.set_defaults(run=run_series, report=None, strict=False, strict_makeup=False,
                        allow_remote=False)


@dataclass
class Series:
    volumes: list[Path]
    scheduler: str | None = None


def read_series(given: list[Path]) -> Series:
    """The volumes named on the command line, a series file's among them expanded."""
    series = Series([])
    for path in given:
        if path.suffix.lower() == ".toml" and path.is_file():
            listed = _series_file(path)
            series.volumes.extend(listed.volumes)
            series.scheduler = series.scheduler or listed.scheduler
        else:
            series.volumes.append(path)
    return series


def _series_file(path: Path) -> Series:
    text = safeio.read_text(path, MAX_SERIES_BYTES)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"malformed TOML: {exc}", path, getattr(exc, "lineno", 0)
                           ) from None
    for key in data:
        if key not in SERIES_KEYS:
            raise EditionError(f"unknown key {key!r} in a series file (volumes, "
                               "scheduler)", path, _line_of(text, key))
    volumes, scheduler = data.get("volumes"), data.get("scheduler")
    if not (isinstance(volumes, list) and volumes
            and all(isinstance(one, str) and one for one in volumes)):
        raise EditionError("a series file lists its volumes: volumes = [\"folder\", …]",
                           path, _line_of(text, "volumes"))
    if scheduler is not None and not isinstance(scheduler, str):
        raise EditionError("scheduler must be an address such as \"tcp://host:8786\"",
                           path, _line_of(text, "scheduler"))
    return Series([path.parent / one for one in volumes], scheduler or None)


def _line_of(text: str, key: str) -> int:
    """The line `key` is set on (tomllib keeps no positions); 1 when not found."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(key):
            return number
    return 1


def run_series(args) -> int:
    """Each volume built and written in turn; the exit status is the worst one."""
    from edition.build import quiet_weasyprint, typeset

    quiet_weasyprint(args.verbose)
    series = read_series(args.volumes)
    scheduler = args.scheduler or series.scheduler
    plans = []
    for volume in series.volumes:  # every output checked before anything is laid out
        source = find_source(volume)
        if not source.exists():
            raise EditionError("no such file or folder", source)
        output = default_output(source, profile_name(source, args.profile))
        _check_outputs(source, output)
        check_output(output, (".pdf",), args.command)
        plans.append((source, output))
    code = 0
    with ExitStack() as stack:
        if scheduler:
            from edition.layout.cluster import connected

            stack.enter_context(connected(scheduler))  # once for the whole series
        for source, output in plans:
            with _progress(args.quiet) as say:
                book = typeset(source, profile=args.profile, progress=say, jobs=args.jobs,
                               cache_dir=_cache_dir(args, output), scheduler=scheduler)
            _write_pdf(output, book.pdf)
            code = max(code, _finish(args, book, output))
    return code
