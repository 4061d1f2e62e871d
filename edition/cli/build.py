"""`edition build`, `edition watch` and `edition handout`: books laid out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from edition.cli.discovery import default_output, find_source, output_folder, profile_name
from edition.cli.outputs import STDOUT, _cache_dir, _check_outputs, _write_pdf, check_output
from edition.cli.overrides import settings_overrides, with_profile
from edition.cli.progress import _progress
from edition.cli.summaries import (
    _finish,
    _print_notices,
    _warn_slow_subsetting,
    _watch_summary,
    _write_report,
)
from edition.errors import EditionError


def run_build(args) -> int:
    output = _build_output(args)
    book = _build_and_write(args, output)
    return _finish(args, book, output)


def _build_and_write(args, output: Path):
    """The book built and written; a PDF written to its file and cached beside it is
    stamped with the inputs it was built from, so that `preview` can reuse it while it
    is current (edition/current.py). The inputs are read before the build: a source
    saved while it runs makes the PDF not current."""
    from edition.current import inputs_digest, record

    cache = _cache_dir(args, output)
    inputs = None if cache is None or args.allow_remote else inputs_digest(
        args.source, output_folder(args.source), args.product, args.settings,
        _profile_choices(args))
    book = _build_once(args, output)
    _write_pdf(output, book.pdf)
    if cache is not None:
        record(cache, inputs, book.pdf)
    return book


def _build_output(args) -> Path:
    """Where `build` and `watch` write, checked before anything is laid out."""
    from edition.build import quiet_weasyprint

    quiet_weasyprint(args.verbose)
    args.source = find_source(args.source)
    args.settings = settings_overrides(args)
    profile = args.product = profile_name(args.source, args.profile, args.settings)
    _refuse_unused_choices(_profile_choices(args), profile)
    output = args.output or default_output(args.source, profile)
    _check_outputs(args.source, output, args.report)
    check_output(output, (".pdf",), args.command)
    _warn_slow_subsetting(args)
    return output


def _build_once(args, output: Path):
    from edition.build import typeset

    with _progress(args.quiet) as bar:
        return typeset(args.source, progress=bar, on_runs=bar.runs,
                       allow_remote=args.allow_remote, jobs=args.jobs,
                       cache_dir=_cache_dir(args, output),
                       scheduler=getattr(args, "scheduler", None),
                       **{**with_profile(args.settings, args.profile),
                          **_profile_choices(args)})


# The options that set a profile's choices, by the edition.toml key each overrides; the
# key's first word is the profile that uses it (`[print] bleed` → print_bleed).
PROFILE_CHOICES = {"archive_variant": "--pdf-variant", "print_bleed": "--bleed",
                   "print_marks": "--marks", "print_pad_to": "--pad-to"}


def _profile_choices(args) -> dict[str, object]:
    """The profile choices given on the command line, as settings overrides."""
    given = {"archive_variant": args.pdf_variant, "print_bleed": args.bleed,
             "print_marks": args.marks, "print_pad_to": args.pad_to}
    return {key: value for key, value in given.items() if value is not None}


def _refuse_unused_choices(choices: dict[str, object], profile: str) -> None:
    """`edition build --bleed` makes a book, which has no bleed: an option the build's
    profile does not use is an error naming the profile, not silently ignored."""
    for key in choices:
        owner = key.split("_", 1)[0]
        if owner != profile:
            flag = PROFILE_CHOICES[key]
            raise EditionError(f"{flag} is a choice of the {owner} profile, and this build "
                               f"makes the {profile} profile; add --profile {owner} (or "
                               f"drop {flag})")


def run_watch(args) -> int:
    """Build, then rebuild on every save until Ctrl-C (or SIGTERM): exit 0."""
    from edition.watch import file_batches, watch_loop

    output = _build_output(args)
    if str(output) == STDOUT:
        raise EditionError("watch writes a file; give -o NAME.pdf, not -", output)
    if not args.source.exists():  # nothing to watch: an error, as for `build`
        raise EditionError("no such file or folder", args.source)

    def build_once() -> str:
        book = _build_and_write(args, output)
        if args.report:
            _write_report(args.report, book)
        if not args.quiet:
            _print_notices(book.volume)
        return _watch_summary(book, output)

    say = (lambda _line: None) if args.quiet else (lambda line: print(line, flush=True))

    def say_error(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    say(f"watching {args.source} (Ctrl-C to stop)")
    try:
        watch_loop(build_once, file_batches(args.source, output), say, say_error)
    except KeyboardInterrupt:
        say("stopped watching")
    return 0


def run_handout(args) -> int:
    from edition.build import quiet_weasyprint, typeset

    quiet_weasyprint(args.verbose)
    args.source, args.documents = _handout_source(args.source, args.documents)
    args.source = find_source(args.source)
    settings = settings_overrides(args)
    output = args.output or default_output(args.source, "handout", args.documents)
    _check_outputs(args.source, output, args.report)
    check_output(output, (".pdf",), "handout")
    _warn_slow_subsetting(args)
    overrides = {"handout_paper": args.paper, "handout_notes": args.notes,
                 "handout_line_numbers": args.line_numbers, "handout_index": args.index}
    with _progress(args.quiet) as bar:
        book = typeset(args.source, documents=args.documents, progress=bar,
                       on_runs=bar.runs, jobs=args.jobs, cache_dir=_cache_dir(args, output),
                       **with_profile({**settings, **_given(overrides)}, "handout"))
    _write_pdf(output, book.pdf)
    return _finish(args, book, output)


def _given(options: dict[str, object]) -> dict[str, object]:
    """The options given (an option left out leaves -M and the settings as they are)."""
    return {key: value for key, value in options.items() if value is not None}


# What makes a first word a source rather than a document number.
_SOURCE_SUFFIXES = (".md", ".xml")


def _handout_source(given: Path | None, words: list[str]) -> tuple[Path | None, list[str]]:
    """SOURCE and the document numbers from `handout [SOURCE] NUMBER …`.

    The first of two or more words is the source when it names a file or folder, or
    looks like one (a path, a .md/.xml name); a lone word is always a number. The old
    `-s SOURCE` still works for a release, with a note on standard error."""
    first = words[0]
    looks_like_path = (os.sep in first or first.lower().endswith(_SOURCE_SUFFIXES)
                       or Path(first).exists())
    positional = Path(first) if len(words) > 1 and looks_like_path else None
    if given is not None:
        if positional is not None:
            raise EditionError("the source is given twice (before the numbers and with "
                               "-s); give it once, before the numbers", given)
        print("edition: warning: -s/--source is deprecated and will be removed; give the "
              "source before the numbers: edition handout SOURCE NUMBER …", file=sys.stderr)
        return given, words
    if positional is not None:
        return positional, words[1:]
    return None, words
