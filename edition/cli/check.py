"""`edition check`: sources and the register checked without typesetting."""

from __future__ import annotations

from pathlib import Path

from edition.cli.discovery import find_source
from edition.cli.status import EXIT_FINDINGS
from edition.cli.summaries import plural
from edition.errors import EditionError


def run_check(args) -> int:
    from edition.readers import check_sources
    from edition.transform.names import check_names
    from edition.transform.numbering import unverified_note_references

    args.source = find_source(args.source)
    volume, register_errors = _load_for_check(args.source)
    problems = list(check_names(volume)) if volume.persons else []
    format_problems = check_sources(volume)
    problems.extend(format_problems)
    problems.extend(unverified_note_references(volume))
    # An unknown person a format's check already lists by line is not listed twice.
    problems.extend(str(error) for error in register_errors
                    if not _listed_by_format(error, format_problems))
    problems.extend(volume.dead_links)
    for problem in problems:
        print(problem)
    if problems or not args.quiet:
        print(f"{plural(len(volume.documents), 'document')}, "
              f"{plural(sum(len(d.notes) for d in volume.documents), 'note')}, "
              f"{plural(len(volume.persons), 'person')}: {plural(len(problems), 'problem')}")
    return EXIT_FINDINGS if problems else 0


def _listed_by_format(error: EditionError, format_problems: list[str]) -> bool:
    """Whether a format's own check covers the file of a register error (TEI lists every
    unresolved reference of its file by line)."""
    where = str(error.file or "")
    return bool(where) and any(p.startswith(where + ":") for p in format_problems)


def _load_for_check(source: Path):
    """The volume, numbered and matched, and every unknown person key (reported, not
    fatal, so that `check` lists every unresolved reference of a source by line)."""
    from edition.readers import load_volume
    from edition.transform.conventions import apply_conventions
    from edition.transform.links import dead_links
    from edition.transform.names import apply_register
    from edition.transform.numbering import number_volume

    # The readers' notices come back from their format checks, with their lines.
    volume = load_volume(source)
    apply_conventions(volume)
    number_volume(volume)
    volume.dead_links = dead_links(volume)
    errors: list[EditionError] = []
    apply_register(volume, errors)
    return volume, errors
