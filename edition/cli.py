"""The `edition` command: build, check, index.

Every user error ends as one line `edition: FILE:LINE: message` and exit status 2; a
build whose preflight finds problems exits 1 under --strict. No traceback reaches users
for bad input.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
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
    try:
        return args.run(args)
    except EditionError as exc:
        print(f"edition: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("edition: interrupted; no output was written", file=sys.stderr)
        return 130


def _raise_on_termination() -> None:
    """SIGTERM unwinds like Ctrl-C, so atomic writes clean up their temporary files."""
    def handler(_signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edition", description="Typeset documentary editions as print-ready PDF.")
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
    build.set_defaults(run=run_build)

    check = sub.add_parser("check", help="check sources and the register without typesetting")
    check.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    check.set_defaults(run=run_check)

    index = sub.add_parser("index", help="write the index of names standalone")
    index.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    index.add_argument("-o", "--output", type=Path,
                       help="PDF, .csv or .json (default: output/<name>-index.pdf)")
    index.set_defaults(run=run_index)
    return parser


def _default_output(source: Path, suffix: str = ".pdf") -> Path:
    name = source.resolve().name if source.is_dir() else source.stem
    return DEFAULT_OUTPUT_DIR / f"{name}{suffix}"


# ------------------------------------------------------------------ build


def run_build(args) -> int:
    from edition.build import build, quiet_weasyprint

    quiet_weasyprint(args.verbose)
    output = args.output or _default_output(args.source)
    overrides = {"profile": args.profile} if args.profile else {}
    profile = args.profile or "book"
    with _progress(args.quiet) as say:
        book = build(args.source, output, profile=profile, progress=say,
                     allow_remote=args.allow_remote, **overrides)
    if args.report:
        from edition.output import write_atomic

        write_atomic(args.report, json.dumps(_report_json(book), indent=2, ensure_ascii=False))
    _print_summary(book, output)
    errors = [f for f in book.findings if f.severity == "error"]
    return EXIT_FINDINGS if args.strict and errors else 0


def _progress(quiet: bool):
    """A one-line status on a terminal; silence otherwise (CI logs stay readable)."""
    from contextlib import contextmanager

    @contextmanager
    def status():
        if quiet or not sys.stderr.isatty():
            yield lambda _msg: None
            return
        from rich.console import Console

        with Console(stderr=True).status("edition") as live:
            yield lambda msg: live.update(f"edition: {msg}…")
    return status()


def _report_json(book) -> dict:
    parts = {part.name: part.laid.report.to_json() for part in book.parts}
    return {
        "pages": book.page_count,
        "findings": [{"rule": f.rule, "severity": f.severity, "page": f.page,
                      "message": f.message} for f in book.findings],
        "parts": parts,
    }


def _print_summary(book, output: Path) -> None:
    body = next(p for p in book.parts if p.name == "body").laid.report
    notes = body.notes
    displaced = sum(1 for n in notes if n.note_page != n.call_page)
    split = sum(1 for n in notes if n.continued_on)
    print(f"{output}: {book.page_count} pages, {len(book.volume.documents)} documents")
    print(f"  notes: {len(notes)} placed, {displaced} away from their call's page, "
          f"{split} continued on the next page")
    print(f"  speaker labels: {len(body.labels)} in the margin")
    if book.index_entries:
        print(f"  index: {len(book.index_entries)} entries, locators checked against the pages")
    errors = [f for f in book.findings if f.severity == "error"]
    warnings = [f for f in book.findings if f.severity != "error"]
    print(f"  preflight: {len(errors) or 'no'} problem(s), {len(warnings) or 'no'} warning(s)")
    for finding in (errors + warnings)[:20]:
        print(f"    {finding.severity} {finding.rule}: {finding.message}")
    if len(book.findings) > 20:
        print(f"    … {len(book.findings) - 20} more (see --report)")


# ------------------------------------------------------------------ check


def run_check(args) -> int:
    from edition.build import load
    from edition.register import check_names

    volume, _ = load(args.source)
    problems = list(check_names(volume)) if volume.persons else []
    problems.extend(_tei_problems(volume))
    for problem in problems:
        print(problem)
    print(f"{len(volume.documents)} documents, "
          f"{sum(len(d.notes) for d in volume.documents)} notes, "
          f"{len(volume.persons)} persons: {len(problems)} problem(s)")
    return EXIT_FINDINGS if problems else 0


def _tei_problems(volume) -> list[str]:
    problems = []
    for source in volume.sources:
        if source.suffix == ".xml":
            from edition.readers.tei import check_tei

            problems.extend(check_tei(source))
    return problems


# ------------------------------------------------------------------ index


def run_index(args) -> int:
    from edition.build import quiet_weasyprint, typeset
    from edition.index import index_rows
    from edition.output import write_atomic

    quiet_weasyprint()
    output = args.output or _default_output(args.source, "-index.pdf")
    book = typeset(args.source)
    rows = index_rows(book.index_entries)
    if output.suffix == ".json":
        write_atomic(output, json.dumps(rows, indent=2, ensure_ascii=False))
    elif output.suffix == ".csv":
        write_atomic(output, _csv(rows))
    else:
        index = next((p for p in book.parts if p.name == "index"), None)
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
