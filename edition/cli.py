"""The `edition` command: build, handout, check, index.

Every user error ends as one line `edition: FILE:LINE: message` and exit status 2; a
build whose preflight finds problems exits 1 under --strict. No traceback reaches users
for bad input.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import signal
import sys
from pathlib import Path

from edition.errors import EditionError

DEFAULT_SOURCE = Path("source")
DEFAULT_OUTPUT_DIR = Path("output")
EXIT_FINDINGS = 1
EXIT_ERROR = 2


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
        return 130


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
    parser = argparse.ArgumentParser(
        prog="edition", description="Typeset documentary editions as print-ready PDF.")
    from edition import __version__

    parser.add_argument("--version", action="version", version=f"edition {__version__}")
    sub = parser.add_subparsers(dest="command")

    build = sub.add_parser("build", help="typeset a source folder or file into a PDF")
    build.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    build.add_argument("-o", "--output", type=Path, help="the PDF to write "
                       "(default: output/<source name>.pdf)")
    build.add_argument("--profile", default=None,
                       help="book (default), handout, archive or print")
    build.add_argument("--strict", action="store_true",
                       help="exit 1 when the preflight finds any problem")
    build.add_argument("--report", type=Path, help="write the preflight findings as JSON")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    build.add_argument("-v", "--verbose", action="store_true",
                       help="also show WeasyPrint's own warnings")
    build.add_argument("--allow-remote", action="store_true",
                       help="let the layout fetch http(s) resources (off: sources are "
                       "untrusted)")
    _profile_options(build)
    build.set_defaults(run=run_build)

    handout = sub.add_parser("handout", help="a handout of one or a few documents")
    handout.add_argument("documents", nargs="+", metavar="NUMBER",
                         help="document numbers, e.g. 53 54")
    handout.add_argument("-s", "--source", type=Path, default=DEFAULT_SOURCE,
                         help="the source folder (default: source)")
    handout.add_argument("-o", "--output", type=Path,
                         help="the PDF to write (default: output/handout-<numbers>.pdf)")
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
    handout.set_defaults(run=run_handout)

    check = sub.add_parser("check", help="check sources and the register without typesetting")
    check.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    check.set_defaults(run=run_check)

    index = sub.add_parser("index", help="write the index of names standalone")
    index.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    index.add_argument("-o", "--output", type=Path,
                       help="PDF, .csv or .json (default: output/<name>-index.pdf)")
    index.set_defaults(run=run_index)
    return parser


_COMMON_FLAGS = [
    (("--strict",), {"action": "store_true",
                     "help": "exit 1 when the preflight finds any problem"}),
    (("--report",), {"type": Path, "help": "write the preflight findings as JSON"}),
    (("-q", "--quiet"), {"action": "store_true", "help": "no progress display"}),
    (("-v", "--verbose"), {"action": "store_true",
                           "help": "also show WeasyPrint's own warnings"}),
]


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


def _default_output(source: Path, suffix: str = ".pdf") -> Path:
    name = source.resolve().name if source.is_dir() else source.stem
    return DEFAULT_OUTPUT_DIR / f"{name}{suffix}"


# ------------------------------------------------------------------ build


def run_build(args) -> int:
    from edition.build import build, quiet_weasyprint

    quiet_weasyprint(args.verbose)
    output = args.output or _default_output(args.source)
    overrides = {"archive_variant": args.pdf_variant, "print_bleed": args.bleed,
                 "print_marks": args.marks, "print_pad_to": args.pad_to}
    with _progress(args.quiet) as say:
        book = build(args.source, output, profile=args.profile, progress=say,
                     allow_remote=args.allow_remote, **overrides)
    return _finish(args, book, output)


def run_handout(args) -> int:
    from edition.build import build, quiet_weasyprint

    quiet_weasyprint(args.verbose)
    output = args.output or DEFAULT_OUTPUT_DIR / f"handout-{'-'.join(args.documents)}.pdf"
    overrides = {"handout_paper": args.paper, "handout_notes": args.notes,
                 "handout_line_numbers": args.line_numbers, "handout_index": args.index}
    with _progress(args.quiet) as say:
        book = build(args.source, output, profile="handout", documents=args.documents,
                     progress=say, **overrides)
    return _finish(args, book, output)


def _finish(args, book, output: Path) -> int:
    """The report, the summary (and the print profile's job ticket), the exit status."""
    if args.report:
        from edition.output import write_atomic

        write_atomic(args.report, json.dumps(_report_json(book), indent=2, ensure_ascii=False))
    _print_notices(book.volume)
    _print_summary(book, output)
    if book.profile.job_ticket:
        from edition.profiles import job_ticket

        print("job ticket:")
        for line in job_ticket(book.volume.settings, book.profile,
                               book.page_count - book.padding, book.page_count):
            print(f"  {line}")
    errors = [f for f in book.findings if f.severity == "error"]
    return EXIT_FINDINGS if args.strict and errors else 0


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


def _print_summary(book, output: Path) -> None:
    body = book.body.laid.report
    notes = body.notes
    displaced = sum(1 for n in notes if n.note_page != n.call_page)
    split = sum(1 for n in notes if n.continued_on)
    print(f"{output}: {book.page_count} pages, {len(book.volume.documents)} documents")
    print(f"  notes: {len(notes)} placed, {displaced} away from their call's page, "
          f"{split} continued on the next page")
    print(f"  speaker labels: {len(body.labels)} in the margin")
    if book.index_entries:
        print(f"  index: {len(book.index_entries)} entries, locators checked against the pages")
    if book.source_index:
        cited = sum(len(line.cited) for line in book.source_index)
        print(f"  source's index: {len(book.source_index)} entries, {cited} anchors located")
    errors = [f for f in book.findings if f.severity == "error"]
    warnings = [f for f in book.findings if f.severity != "error"]
    print(f"  preflight: {len(errors) or 'no'} problem(s), {len(warnings) or 'no'} warning(s)")
    for finding in (errors + warnings)[:20]:
        print(f"    {finding.severity} {finding.rule}: {finding.message}")
    if len(book.findings) > 20:
        print(f"    … {len(book.findings) - 20} more (see --report)")


# ------------------------------------------------------------------ check


def run_check(args) -> int:
    from edition.readers import check_sources
    from edition.transform.names import check_names
    from edition.transform.numbering import unverified_note_references

    volume, register_error = _load_for_check(args.source)
    problems = list(check_names(volume)) if volume.persons else []
    format_problems = check_sources(volume)
    problems.extend(format_problems)
    problems.extend(unverified_note_references(volume))
    # An unknown person a format's check already lists by line is not listed twice.
    if register_error and not _listed_by_format(register_error, format_problems):
        problems.append(str(register_error))
    for problem in problems:
        print(problem)
    print(f"{len(volume.documents)} documents, "
          f"{sum(len(d.notes) for d in volume.documents)} notes, "
          f"{len(volume.persons)} persons: {len(problems)} problem(s)")
    return EXIT_FINDINGS if problems else 0


def _listed_by_format(error: EditionError, format_problems: list[str]) -> bool:
    """Whether a format's own check covers the file of a register error (TEI lists every
    unresolved reference of its file by line)."""
    where = str(error.file or "")
    return bool(where) and any(p.startswith(where + ":") for p in format_problems)


def _load_for_check(source: Path):
    """The volume, numbered and matched; an unknown person is reported, not fatal, so
    that `check` can list every unresolved reference of a source by line."""
    from edition.readers import load_volume
    from edition.transform.names import apply_register
    from edition.transform.numbering import number_volume

    # The readers' notices come back from their format checks, with their lines.
    volume = load_volume(source)
    number_volume(volume)
    try:
        apply_register(volume)
    except EditionError as exc:
        return volume, exc
    return volume, None


# ------------------------------------------------------------------ index


def run_index(args) -> int:
    from edition.backmatter.names import index_rows
    from edition.build import quiet_weasyprint, typeset
    from edition.output import write_atomic

    quiet_weasyprint()
    output = args.output or _default_output(args.source, "-index.pdf")
    book = typeset(args.source)
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
        write_atomic(output, index.laid.document.write_pdf())
    print(f"{output}: {len(book.index_entries)} entries")
    return 0


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
