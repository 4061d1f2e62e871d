"""`edition check`: sources and the register checked without typesetting."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from edition.cli.discovery import find_source
from edition.cli.overrides import settings_overrides
from edition.cli.progress import on_terminal
from edition.cli.status import EXIT_ERROR, EXIT_FINDINGS
from edition.cli.summaries import plural
from edition.diagnostics import format_error
from edition.errors import EditionError


def run_check(args) -> int:
    from edition.readers import check_sources
    from edition.transform.apparatus_check import apparatus_problems
    from edition.transform.names import check_names
    from edition.transform.numbering import unverified_note_references

    args.source = find_source(args.source)
    volume, read_errors, register_errors, unreadable = _load_for_check(
        args.source, settings_overrides(args))
    problems = list(check_names(volume)) if volume.persons else []
    problems.extend(unreadable)
    problems.extend(apparatus_problems(volume))
    format_problems = check_sources(volume)
    problems.extend(format_problems)
    problems.extend(unverified_note_references(volume))
    # An unknown person a format's check already lists by line is not listed twice.
    problems.extend(str(error) for error in register_errors
                    if not _listed_by_format(error, format_problems))
    problems.extend(volume.dead_links)
    files = [*volume.sources, *(error.file for error in read_errors)]
    # A file that cannot be read is bad input, as for `build` (`edition: FILE:LINE: …` on
    # standard error, exit 2), but every such file is said, not only the first.
    context = on_terminal(args.quiet)
    _print_by_file([format_error(e, context) for e in read_errors], files, sys.stderr,
                   prefix="edition: ")
    _print_by_file(problems, files, sys.stdout)
    count = len(problems) + len(read_errors)
    if count or not args.quiet:
        print(f"{plural(len(volume.documents), 'document')}, "
              f"{plural(sum(len(d.notes) for d in volume.documents), 'note')}, "
              f"{plural(len(volume.persons), 'person')}: {plural(count, 'problem')}")
    return EXIT_ERROR if read_errors else EXIT_FINDINGS if problems else 0


def _print_by_file(problems: list[str], files: list, stream: TextIO,
                   prefix: str = "") -> None:
    """Each file's problems together, in the order the files were read and by line
    within a file (as a compiler lists them); problems of no file (the edition as a
    whole) last."""
    order = list(dict.fromkeys(str(f) for f in files if f))
    groups: dict[str, list[tuple[int, str]]] = {}
    for problem in problems:
        file, line = _place(problem.removeprefix(prefix), order)
        groups.setdefault(file, []).append((line, problem))
    ranked = sorted(groups, key=lambda f: order.index(f) if f in order else len(order))
    for file in ranked:
        for _line, problem in sorted(groups[file], key=lambda item: item[0]):
            print(problem, file=stream)


def _place(problem: str, files: list[str]) -> tuple[str, int]:
    """The file a "FILE:LINE: message" names (the longest known file it starts with, as
    a path may hold a colon) and its line (0 when none)."""
    known = [f for f in files if problem.startswith(f + ":")]
    if not known:
        return "", 0
    file = max(known, key=len)
    line = problem[len(file) + 1:].split(":", 1)[0]
    return file, int(line) if line.isdigit() else 0


def _listed_by_format(error: EditionError, format_problems: list[str]) -> bool:
    """Whether a format's own check covers the file of a register error (TEI lists every
    unresolved reference of its file by line)."""
    where = str(error.file or "")
    return bool(where) and any(p.startswith(where + ":") for p in format_problems)


def _load_for_check(source: Path, overrides: dict):
    """The volume, numbered and matched; every file's reading error (each broken file is
    reported, not only the first) and every unknown person key (reported, not fatal, so
    that `check` lists every unresolved reference of a source by line), and the problems
    of the files left out."""
    from edition.readers import load_volume
    from edition.transform.conventions import apply_conventions
    from edition.transform.links import dead_links
    from edition.transform.names import apply_register
    from edition.transform.numbering import number_volume

    # The readers' notices come back from their format checks, with their lines; a file
    # whose reading stops where its check lists every problem (TEI sigla) is left out
    # and its check's problems kept (`unreadable`).
    read_errors: list[EditionError] = []
    unreadable: list[str] = []
    volume = load_volume(source, read_errors, unreadable=unreadable, **overrides)
    apply_conventions(volume)
    number_volume(volume)
    volume.dead_links = dead_links(volume)
    errors: list[EditionError] = []
    apply_register(volume, errors)
    return volume, read_errors, errors, unreadable
