"""What a command says when it is done: summaries, notices, reports, warnings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from edition.cli.outputs import STDOUT
from edition.cli.status import EXIT_FINDINGS
from edition.errors import EditionError


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


def _finish(args, book, output: Path) -> int:
    """The report, the summary (and the print profile's job ticket), the exit status."""
    from edition.layout.preflight import failing

    if args.report:
        _write_report(args.report, book)
    # `[makeup] strict` in edition.toml makes a plain --strict the make-up's too.
    makeup = getattr(args, "strict_makeup", False) or (
        args.strict and book.volume.settings.makeup_strict)
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
    if runs.laid and runs.scheduler:
        processes = (f" by {plural(runs.jobs, 'worker')} of the Dask cluster at "
                     f"{runs.scheduler}")
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
