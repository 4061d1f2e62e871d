"""The `edition` command: build, watch, handout, check, index, new, preview.

Exit status: 0 success; 1 findings (a build's preflight under --strict, `check`'s
problems); 2 bad input or usage, as one line `edition: FILE:LINE: message`; 3 an internal
error (a bug), as one line that says so, with the traceback only under -v. No traceback
reaches users for any input.
"""

from __future__ import annotations

import argparse
import csv
import errno
import io
import json
import logging
import os
import signal
import sys
from pathlib import Path

from edition.errors import EditionError, WorkerLost

DEFAULT_SOURCE = Path("source")
# Relative to the current folder, wherever the edition was found (as before; the
# README's `edition build` at the repository's root writes output/source.pdf).
DEFAULT_OUTPUT_DIR = Path("output")
SETTINGS_FILE = "edition.toml"
# `-o -`: the PDF on standard output.
STDOUT = "-"
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
# 128 + SIGINT, as shells report a program stopped by Ctrl-C; SIGTERM says the same.
EXIT_INTERRUPTED = 130
# The machine's conditions, not bugs: a full disk or quota, a read-only file system, no
# permission. Exit 2 with one line, like bad input.
MACHINE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES,
                            errno.EPERM})
ISSUE_TRACKER = "the edition issue tracker"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_ERROR
    _raise_on_termination()
    _plain_warnings()
    try:
        return args.run(args)
    except EditionError as exc:
        # One line whatever the message carries (libxml2 quotes source lines, for one).
        print("edition: " + " ".join(str(exc).split()), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("edition: interrupted; no output was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except WorkerLost as exc:
        print(f"edition: {exc}; no output was written", file=sys.stderr)
        return EXIT_FINDINGS
    except OSError as exc:
        if exc.errno not in MACHINE_ERRORS:
            return _internal_error(exc, getattr(args, "verbose", False))
        # A full disk or a read-only place met where no writer said so itself.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"edition: {where}{exc.strerror}; no output was written", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001  (anything else is a bug, said in one line)
        return _internal_error(exc, getattr(args, "verbose", False))


def _internal_error(exc: BaseException, verbose: bool) -> int:
    """One line for an exception no input should cause; the traceback only under -v."""
    if verbose:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    what = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    print(f"edition: internal error: {what} — this is a bug, please report it at "
          f"{ISSUE_TRACKER} (run with -v for the traceback)", file=sys.stderr)
    return EXIT_INTERNAL


def _plain_warnings() -> None:
    """A UserWarning as one line, without the Python source line shown by default.

    The readers' own notices travel on the volume (`_print_notices`), not as warnings."""
    import warnings

    def show(message, category, _filename, _lineno, file=None, _line=None) -> None:
        # Our readers warn with UserWarning; libraries' deprecation notices are not news
        # for the user of a finished program.
        if issubclass(category, UserWarning):
            print(f"edition: warning: {message}", file=file or sys.stderr)
    warnings.showwarning = show


def _raise_on_termination() -> None:
    """SIGTERM unwinds like Ctrl-C, so atomic writes clean up their temporary files."""
    def handler(_signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)


def _parser() -> argparse.ArgumentParser:
    # No option prefixes: `--profil archive` is an error, not `--profile archive`.
    parser = argparse.ArgumentParser(
        prog="edition", description="Typeset documentary editions as print-ready PDF.",
        allow_abbrev=False)
    from edition import __version__

    parser.add_argument("--version", action="version", version=f"edition {__version__}")
    sub = parser.add_subparsers(dest="command")

    build = sub.add_parser("build", help="typeset a source folder or file into a PDF",
                           allow_abbrev=False)
    _build_options(build, watching=False)
    build.set_defaults(run=run_build)

    watch = sub.add_parser("watch", help="build, then rebuild on every save of a source",
                           allow_abbrev=False)
    _build_options(watch, watching=True)
    watch.set_defaults(run=run_watch)

    handout = sub.add_parser("handout", help="a handout of one or a few documents",
                             allow_abbrev=False)
    handout.add_argument("documents", nargs="+", metavar="NUMBER",
                         help="document numbers, e.g. 53 54")
    handout.add_argument("-s", "--source", type=Path, default=None,
                         help="the source folder (default: the edition found from here)")
    handout.add_argument("-o", "--output", type=Path, help="the PDF to write, - for "
                         "standard output (default: output/NAME-handout-NUMBERS.pdf)")
    handout.add_argument("--paper", choices=["a4", "letter"], default=None,
                         help="the paper (default: a4, or [handout] paper)")
    handout.add_argument("--notes", choices=["restart", "volume"], default=None,
                         help="note numbers from 1, or the volume's (default)")
    handout.add_argument("--line-numbers", action="store_true", default=None,
                         help="number every 5th line of each page in the right margin")
    handout.add_argument("--index", action="store_true", default=None,
                         help="add the index of names of these documents")
    for flag, kwargs in _COMMON_FLAGS:
        handout.add_argument(*flag, **kwargs)
    _verbosity(handout)
    _speed(handout)
    handout.set_defaults(run=run_handout)

    check = sub.add_parser("check", help="check sources and the register without typesetting",
                           allow_abbrev=False)
    _source_argument(check)
    _verbosity(check)
    check.set_defaults(run=run_check)

    index = sub.add_parser("index", help="write the index of names standalone",
                           allow_abbrev=False)
    _source_argument(index)
    index.add_argument("-o", "--output", type=Path,
                       help="PDF, .csv or .json, - for a PDF on standard output "
                       "(default: output/NAME-index.pdf)")
    _verbosity(index)
    index.set_defaults(run=run_index)

    new = sub.add_parser("new", help="start an edition: a folder with settings, a register "
                         "and one document", allow_abbrev=False)
    new.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    new.add_argument("--critical", action="store_true",
                     help="a critical edition: a text with apparatus entries and witnesses.toml")
    _verbosity(new)
    new.set_defaults(run=run_new)

    preview = sub.add_parser("preview", help="PNG images of the built pages",
                             allow_abbrev=False)
    _source_argument(preview)
    preview.add_argument("--pages", default=None, metavar="RANGE",
                         help="pages to draw, e.g. 1-4 or 2,5-6 (default: all)")
    preview.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                         help="the folder for NAME-p001.png … (default: output/)")
    preview.add_argument("--dpi", type=float, default=96.0,
                         help="resolution of the images (default 96)")
    preview.add_argument("--profile", default=None,
                         help="book (default), handout, archive or print")
    _verbosity(preview)
    preview.set_defaults(run=run_preview)
    return parser


def _build_options(parser: argparse.ArgumentParser, watching: bool) -> None:
    """What `build` and `watch` take: `watch` writes a file, again after every save."""
    _source_argument(parser)
    standard_output = "" if watching else ", - for standard output"
    parser.add_argument("-o", "--output", type=Path, help=f"the PDF to write{standard_output} "
                        "(default: output/NAME.pdf, NAME-archive.pdf, NAME-print.pdf)")
    parser.add_argument("--profile", default=None,
                        help="book (default), handout, archive or print")
    if not watching:
        for flag, kwargs in _STRICT_FLAGS:
            parser.add_argument(*flag, **kwargs)
    parser.add_argument("--report", type=Path, help="write the preflight findings as JSON"
                        + (" after each build" if watching else ""))
    _verbosity(parser)
    parser.add_argument("--allow-remote", action="store_true",
                        help="let the layout fetch http(s) resources (off: sources are "
                        "untrusted)")
    _profile_options(parser)
    _speed(parser)


_STRICT_FLAGS = [
    (("--strict",), {"action": "store_true",
                     "help": "exit 1 when the preflight finds any problem"}),
    # An option string of its own (argparse takes it whole before splitting at "="), so
    # that a plain --strict never swallows the document number after it.
    (("--strict=makeup",), {"action": "store_true", "dest": "strict_makeup",
                            "help": "as --strict, and also exit 1 on pages that end "
                            "short (2 lines or more) and facing pages that end unlevel"}),
]
_COMMON_FLAGS = [
    *_STRICT_FLAGS,
    (("--report",), {"type": Path, "help": "write the preflight findings as JSON"}),
]


def _source_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", nargs="?", type=Path, default=None,
                        help="the edition folder or one .md/.xml file (default: the folder "
                        "with edition.toml here or above, or source/)")


def _speed(parser: argparse.ArgumentParser) -> None:
    """--jobs and --no-cache, the same on every command that lays out documents."""
    parser.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                        help="worker processes laying out the documents (default: the "
                        "machine's cores)")
    parser.add_argument("--no-cache", action="store_true",
                        help="lay out every document afresh and keep no cache (default: "
                        "laid-out documents are kept in .edition-cache/ beside the PDF)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _cache_dir(args, output: Path):
    """The cache's `store.Folder` for `output`, or None."""
    from edition.build import cache_folder

    return None if args.no_cache or str(output) == "-" else cache_folder(output)


def _verbosity(parser: argparse.ArgumentParser) -> None:
    """-q and -v, the same on every command."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing when all is well (errors still show)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show WeasyPrint's own warnings")


# ------------------------------------------------------------------ conventions


def find_source(given: Path | None, here: Path | None = None) -> Path:
    """The edition to work on when no SOURCE is given, as Typst and Quarto find theirs.

    The current folder when it holds edition.toml; else `source/` when it holds one (the
    repository's sample, which the README's `edition build` builds); else the nearest
    parent with edition.toml; else `source/`, which then reports that it is missing."""
    if given is not None:
        return given
    here = (here or Path.cwd()).resolve()
    if (here / SETTINGS_FILE).is_file():
        return Path(".")
    if (here / DEFAULT_SOURCE / SETTINGS_FILE).is_file():
        return DEFAULT_SOURCE
    for parent in here.parents:
        if (parent / SETTINGS_FILE).is_file():
            return Path(os.path.relpath(parent, here))
    return DEFAULT_SOURCE


def profile_name(source: Path, given: str | None) -> str:
    """The profile a build will use: --profile, else edition.toml's `profile`."""
    if given:
        return given
    from edition.settings import load_settings

    folder = source if source.is_dir() else source.parent
    settings_file = folder / SETTINGS_FILE
    if not settings_file.is_file():
        return "book"
    return load_settings(settings_file).profile


def default_output(source: Path, profile: str = "book", documents: list[str] | None = None,
                   suffix: str = ".pdf") -> Path:
    """output/NAME.pdf, NAME-archive.pdf, NAME-print.pdf, NAME-handout-53.pdf: one name
    per product, so that no profile overwrites another's PDF."""
    from edition.profiles import get_profile

    name = source.resolve().name if source.is_dir() else source.stem
    numbers = "".join(f"-{number}" for number in documents or [])
    return DEFAULT_OUTPUT_DIR / f"{name}{get_profile(profile).output_suffix}{numbers}{suffix}"


def check_output(output: Path, allowed: tuple[str, ...], command: str,
                 stdout: bool = True) -> None:
    """Refuse, before any layout, an output the command cannot write (`-o x.html`)."""
    if stdout and str(output) == STDOUT:
        return
    if output.suffix.lower() not in allowed:
        kinds = " or ".join(allowed) + (" (or - for standard output)" if stdout else "")
        found = output.suffix or "a name without an extension"
        raise EditionError(f"{command} writes {kinds}, not {found}", output)


def plural(count: int, word: str, words: str | None = None) -> str:
    """"no problems", "1 problem", "2 problems"."""
    if count == 0:
        return f"no {words or word + 's'}"
    return f"{count} {word if count == 1 else words or word + 's'}"


def _console(output: Path | None):
    """Where the summary goes: standard error when the PDF itself is on standard output."""
    return sys.stderr if output is not None and str(output) == STDOUT else sys.stdout


_warned_subsetting = False


def _warn_slow_subsetting(args) -> None:
    """Once per process: WeasyPrint subsets fonts with fontTools without HarfBuzz-Subset."""
    global _warned_subsetting
    from edition.layout.engine import has_harfbuzz_subset

    if args.quiet or _warned_subsetting or has_harfbuzz_subset():
        return
    _warned_subsetting = True
    print("edition: warning: HarfBuzz-Subset not found: fonts are subset with the slower "
          "fontTools (install the Debian package libharfbuzz-subset0)", file=sys.stderr)


def _write_pdf(output: Path, pdf: bytes) -> None:
    """The PDF to standard output, or atomically to its file."""
    if str(output) == STDOUT:
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
        return
    from edition.output import write_atomic

    write_atomic(output, pdf)


def _profile_options(build: argparse.ArgumentParser) -> None:
    """The archive and print profiles' choices; each overrides its edition.toml key."""
    build.add_argument("--pdf-variant", choices=["pdf/a-3b", "pdf/a-2u", "pdf/a-3a"],
                       default=None, help="archive: the PDF/A variant (default pdf/a-3b)")
    build.add_argument("--bleed", type=float, nargs="?", const=3.0, default=None,
                       metavar="MM", help="print: bleed in mm (3 when given alone)")
    build.add_argument("--marks", choices=["crop", "cross", "crop cross", "none"],
                       default=None, help="print: printer's marks")
    build.add_argument("--pad-to", type=int, choices=[4, 16], default=None,
                       help="print: blank pages at the end to a multiple of 4 or 16")


# ------------------------------------------------------------------ output paths

# Not places for a PDF: the kernel's and devices' pseudo-files.
SPECIAL_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def _check_outputs(source: Path, output: Path, report: Path | None = None) -> None:
    """Refuse, before anything is read or laid out, outputs that would replace a source
    of the edition or cannot be written: the old PDF stays and no work is lost."""
    if str(output) != STDOUT:  # standard output is always writable
        _check_output(source, output, "output")
    if report is not None:
        _check_output(source, report, "report")
        if str(output) != STDOUT and report.resolve() == output.resolve():
            raise EditionError("the report and the PDF would be the same file", report)


def _check_output(source: Path, target: Path, what: str) -> None:
    _refuse_linked_output(target)
    folder = (source if source.is_dir() else source.parent).resolve()
    place = target.resolve()
    if _among_sources(place, folder, whole_folder=source.is_dir()):
        raise EditionError(f"the {what} would be written into the edition's sources; "
                           f"write it outside {folder} or into its output/ folder", target)
    if any(place.is_relative_to(root) for root in SPECIAL_ROOTS):
        raise EditionError(f"the {what} cannot be written to a system folder", target)
    if target.exists() or target.is_symlink():
        if target.is_dir():
            raise EditionError(f"the {what} is a folder; give a file name", target)
        if not place.is_file():
            raise EditionError(f"the {what} is not a regular file (a device, a pipe, "
                               "or a link to nowhere)", target)
    _check_writable(place, target, what)


def _refuse_linked_output(target: Path) -> None:
    """The default output folder is the current folder's `output/`, which an edition
    shared with its output brings along: a link there would take the PDF and the cache
    outside. Named with -o, a place is the user's choice."""
    if target.parts[:1] == DEFAULT_OUTPUT_DIR.parts and DEFAULT_OUTPUT_DIR.is_symlink():
        raise EditionError("the output folder is a link; remove it, or name the output "
                           "with -o", DEFAULT_OUTPUT_DIR)


# What a build of a single file may read beside it: the file, its folder's settings,
# register, front pages (Markdown) and output profile.
SOURCE_SUFFIXES = (".md", ".xml", ".toml", ".icc", ".icm")


def _among_sources(place: Path, folder: Path, whole_folder: bool) -> bool:
    """Whether `place` may be a source: for a folder, anything in it but its output/
    folder; for a single file (whose folder may hold anything), the files a build reads."""
    if not place.is_relative_to(folder) or place.is_relative_to(folder / "output"):
        return False
    return whole_folder or place.suffix.lower() in SOURCE_SUFFIXES


def _check_writable(place: Path, target: Path, what: str) -> None:
    """The nearest existing folder must be a folder we may create files in (the atomic
    writer makes the missing ones and a temporary file beside the target)."""
    parent = place.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise EditionError(f"cannot write the {what}: {parent} is not a folder", target)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise EditionError(f"cannot write the {what}: no permission to write in {parent}",
                           target)


# ------------------------------------------------------------------ build


def run_build(args) -> int:
    output = _build_output(args)
    book = _build_once(args, output)
    _write_pdf(output, book.pdf)
    return _finish(args, book, output)


def _build_output(args) -> Path:
    """Where `build` and `watch` write, checked before anything is laid out."""
    from edition.build import quiet_weasyprint

    quiet_weasyprint(args.verbose)
    args.source = find_source(args.source)
    output = args.output or default_output(args.source, profile_name(args.source,
                                                                     args.profile))
    _check_outputs(args.source, output, args.report)
    check_output(output, (".pdf",), args.command)
    _warn_slow_subsetting(args)
    return output


def _build_once(args, output: Path):
    from edition.build import typeset

    overrides = {"archive_variant": args.pdf_variant, "print_bleed": args.bleed,
                 "print_marks": args.marks, "print_pad_to": args.pad_to}
    with _progress(args.quiet) as say:
        return typeset(args.source, profile=args.profile, progress=say,
                       allow_remote=args.allow_remote, jobs=args.jobs,
                       cache_dir=_cache_dir(args, output), **overrides)


def run_watch(args) -> int:
    """Build, then rebuild on every save until Ctrl-C (or SIGTERM): exit 0."""
    from edition.watch import file_batches, watch_loop

    output = _build_output(args)
    if str(output) == STDOUT:
        raise EditionError("watch writes a file; give -o NAME.pdf, not -", output)
    if not args.source.exists():  # nothing to watch: an error, as for `build`
        raise EditionError("no such file or folder", args.source)

    def build_once() -> str:
        book = _build_once(args, output)
        _write_pdf(output, book.pdf)
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
    args.source = find_source(args.source)
    output = args.output or default_output(args.source, "handout", args.documents)
    _check_outputs(args.source, output, args.report)
    check_output(output, (".pdf",), "handout")
    _warn_slow_subsetting(args)
    overrides = {"handout_paper": args.paper, "handout_notes": args.notes,
                 "handout_line_numbers": args.line_numbers, "handout_index": args.index}
    with _progress(args.quiet) as say:
        book = typeset(args.source, profile="handout", documents=args.documents,
                       progress=say, jobs=args.jobs, cache_dir=_cache_dir(args, output),
                       **overrides)
    _write_pdf(output, book.pdf)
    return _finish(args, book, output)


def _finish(args, book, output: Path) -> int:
    """The report, the summary (and the print profile's job ticket), the exit status."""
    from edition.layout.preflight import failing

    if args.report:
        _write_report(args.report, book)
    makeup = getattr(args, "strict_makeup", False)
    errors = failing(book.findings, makeup)
    code = EXIT_FINDINGS if (args.strict or makeup) and errors else 0
    if args.quiet:
        # Nothing on success; what failed --strict still shows.
        for finding in errors if code else []:
            print(f"edition: {finding.severity} {finding.rule}: {finding.message}",
                  file=sys.stderr)
        return code
    console = _console(output)
    _print_notices(book.volume)
    _print_summary(book, output, console)
    if book.profile.job_ticket:
        from edition.profiles import job_ticket

        print("job ticket:", file=console)
        for line in job_ticket(book.volume.settings, book.profile,
                               book.page_count - book.padding, book.page_count):
            print(f"  {line}", file=console)
    return code


def _watch_summary(book, output: Path) -> str:
    """"24 pages, laid out 1 of 12 runs (Document 54), 11 from the cache; preflight: …"."""
    runs = book.runs
    laid = ", ".join(runs.laid[:4]) + (" …" if len(runs.laid) > 4 else "")
    what = f"laid out {len(runs.laid)} of {plural(runs.total, 'run')}"
    if runs.laid:
        what += f" ({laid})"
    errors = sum(1 for f in book.findings if f.severity == "error")
    warnings = len(book.findings) - errors
    return (f"{output}: {plural(book.page_count, 'page')}, {what}, {runs.reused} from the "
            f"cache; preflight: {plural(errors, 'problem')}, {plural(warnings, 'warning')}")


def _write_report(report: Path, book) -> None:
    from edition.output import write_atomic

    data = json.dumps(_report_json(book), indent=2, ensure_ascii=False)
    try:
        write_atomic(report, data)
    except OSError as exc:  # checked before the build; the disk may still fill up
        raise EditionError(f"cannot write the report ({exc.strerror})", report) from None


def _print_notices(volume) -> None:
    """What the readers noticed (`FILE:LINE: unknown TEI element …`), a line each."""
    for notice in volume.notices:
        print(f"edition: warning: {notice}", file=sys.stderr)


def _progress(quiet: bool):
    """A one-line status on a terminal; silence otherwise (CI logs stay readable).

    Besides our stages it shows WeasyPrint's page count while a long part is laid out.
    """
    from contextlib import contextmanager

    @contextmanager
    def status():
        if quiet or not sys.stderr.isatty():
            yield lambda _msg: None
            return
        from rich.console import Console

        with Console(stderr=True).status("edition") as live:
            stage = ["starting"]

            def say(msg: str) -> None:
                stage[0] = msg
                live.update(f"edition: {msg}…")

            pages = _PageCounter(lambda page: live.update(f"edition: {stage[0]}, page {page}…"))
            logger = logging.getLogger("weasyprint.progress")
            logger.addHandler(pages)
            logger.setLevel(logging.INFO)
            try:
                yield say
            finally:
                logger.removeHandler(pages)
    return status()


class _PageCounter(logging.Handler):
    """Turns WeasyPrint's "Step 5 - Creating layout - Page 12" records into a count."""

    def __init__(self, show):
        super().__init__()
        self.show = show

    def emit(self, record) -> None:
        message = record.getMessage()
        if "Creating layout - Page" in message:
            self.show(message.rsplit(" ", 1)[-1])


def _report_json(book) -> dict:
    parts = {part.name: part.laid.report.to_json() for part in book.parts}
    return {
        "pages": book.page_count,
        "findings": [{"rule": f.rule, "severity": f.severity, "page": f.page,
                      "message": f.message} for f in book.findings],
        "parts": parts,
    }


def _print_summary(book, output: Path, console=None) -> None:
    def say(line: str) -> None:
        print(line, file=console or sys.stdout)

    body = book.body.laid.report
    notes = body.notes
    displaced = sum(1 for n in notes if n.note_page != n.call_page)
    split = sum(1 for n in notes if n.continued_on)
    where = "standard output" if str(output) == STDOUT else str(output)
    say(f"{where}: {book.profile.name} profile, {plural(book.page_count, 'page')}, "
        f"{plural(len(book.volume.documents), 'document')}")
    say(f"  notes: {len(notes)} placed, {displaced} away from their call's page, "
        f"{split} continued on the next page")
    if body.entries:
        away = sum(1 for e in body.entries if e.entry_page != e.lemma_page)
        wrong = sum(1 for e in body.entries
                    if e.entry_page == e.lemma_page and (not e.line or e.printed != e.line))
        say(f"  apparatus: {plural(len(body.entries), 'entry', 'entries')}, {away} away "
            f"from their lemma's page, {wrong} citing another line than their lemma's")
    say(f"  speaker labels: {len(body.labels)} in the margin")
    runs = book.runs
    processes = f" in {plural(runs.jobs, 'process', 'processes')}" if runs.laid else ""
    say(f"  layout: {plural(runs.total, 'run')} of documents, {len(runs.laid)} laid out"
        f"{processes}, {runs.reused} from the cache")
    if book.index_entries:
        say(f"  index: {plural(len(book.index_entries), 'entry', 'entries')}, locators "
            "checked against the pages")
    if book.place_entries:
        say(f"  index of places: {plural(len(book.place_entries), 'entry', 'entries')}, "
            "locators checked against the pages")
    if book.source_index:
        cited = sum(len(line.cited) for line in book.source_index)
        say(f"  source's index: {plural(len(book.source_index), 'entry', 'entries')}, "
            f"{plural(cited, 'anchor')} located")
    errors = [f for f in book.findings if f.severity == "error"]
    warnings = [f for f in book.findings if f.severity != "error"]
    say(f"  preflight: {plural(len(errors), 'problem')}, {plural(len(warnings), 'warning')}")
    for finding in (errors + warnings)[:20]:
        say(f"    {finding.severity} {finding.rule}: {finding.message}")
    if len(book.findings) > 20:
        say(f"    … {len(book.findings) - 20} more (see --report)")


# ------------------------------------------------------------------ check


def run_check(args) -> int:
    from edition.readers import check_sources
    from edition.transform.apparatus_check import apparatus_problems
    from edition.transform.names import check_names
    from edition.transform.numbering import unverified_note_references

    args.source = find_source(args.source)
    volume, register_errors, unreadable = _load_for_check(args.source)
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
    """The volume, numbered and matched, every unknown person key (reported, not fatal,
    so that `check` lists every unresolved reference of a source by line) and the
    problems of the files left out."""
    from edition.readers import load_volume
    from edition.transform.conventions import apply_conventions
    from edition.transform.links import dead_links
    from edition.transform.names import apply_register
    from edition.transform.numbering import number_volume

    # The readers' notices come back from their format checks, with their lines; a file
    # whose reading stops where its check lists every problem (TEI sigla) is left out.
    unreadable: list[str] = []
    volume = load_volume(source, unreadable=unreadable)
    apply_conventions(volume)
    number_volume(volume)
    volume.dead_links = dead_links(volume)
    errors: list[EditionError] = []
    apply_register(volume, errors)
    return volume, errors, unreadable


# ------------------------------------------------------------------ index


def run_index(args) -> int:
    from edition.backmatter.names import index_rows
    from edition.build import quiet_weasyprint, typeset
    from edition.output import write_atomic

    quiet_weasyprint(args.verbose)
    args.source = find_source(args.source)
    output = args.output or default_output(args.source, suffix="-index.pdf")
    _check_outputs(args.source, output)
    check_output(output, (".pdf", ".csv", ".json"), "index")
    _warn_slow_subsetting(args)
    book = typeset(args.source)
    if not args.quiet:
        _print_notices(book.volume)
    rows = index_rows(book.index_entries)
    if output.suffix == ".json":
        write_atomic(output, json.dumps(rows, indent=2, ensure_ascii=False))
    elif output.suffix == ".csv":
        write_atomic(output, _csv(rows))
    else:
        index = book.part("index")
        if index is None:
            raise EditionError("the volume has no index (no persons.toml, or no names found)",
                               args.source)
        _write_pdf(output, index.laid.document.write_pdf())
    if not args.quiet:
        print(f"{output}: {plural(len(book.index_entries), 'entry', 'entries')}",
              file=_console(output))
    return 0


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


# A cell a spreadsheet would run as a formula begins so (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A name from the register (`=HYPERLINK(…)`) stays text in a spreadsheet: a cell
    that would start a formula is prefixed with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ------------------------------------------------------------------ new, preview


def run_new(args) -> int:
    from edition.new import create_edition

    written = create_edition(args.folder, args.critical)
    if not args.quiet:
        print(f"{args.folder}: a new edition, {plural(len(written), 'file')} "
              f"({', '.join(p.name for p in written)}); build it with "
              f"`edition build {args.folder}`")
    return 0


def run_preview(args) -> int:
    from edition.build import quiet_weasyprint, typeset
    from edition.output import write_atomic
    from edition.preview import check_dpi, image_path, parse_pages, render_pages

    check_dpi(args.dpi)  # before anything is laid out
    quiet_weasyprint(args.verbose)
    args.source = find_source(args.source)
    profile = profile_name(args.source, args.profile)
    folder = args.output or DEFAULT_OUTPUT_DIR
    _refuse_linked_output(folder)
    name = default_output(args.source, profile).stem
    _warn_slow_subsetting(args)
    with _progress(args.quiet) as say:
        book = typeset(args.source, profile=args.profile, progress=say)
    pages = parse_pages(args.pages, book.page_count)
    images = render_pages(book.pdf, pages, args.dpi)
    paths = [image_path(folder, name, page) for page in pages]
    for path, png in zip(paths, images, strict=True):
        write_atomic(path, png)
    if not args.quiet:
        _print_notices(book.volume)
        print(f"{folder}: {plural(len(paths), 'page')} of {book.page_count} as PNG "
              f"({paths[0].name} …), {profile} profile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
