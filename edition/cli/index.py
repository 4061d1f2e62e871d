"""`edition index`: the index of names standalone, as PDF, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from edition.cli.discovery import default_output, find_source
from edition.cli.outputs import _check_outputs, _write_pdf, check_output
from edition.cli.overrides import settings_overrides
from edition.cli.summaries import _console, _print_notices, _warn_slow_subsetting, plural
from edition.errors import EditionError


def run_index(args) -> int:
    from edition.backmatter.names import index_rows
    from edition.build import quiet_weasyprint, typeset
    from edition.output import write_atomic

    quiet_weasyprint(args.verbose)
    args.source = find_source(args.source)
    settings = settings_overrides(args)
    output = args.output or default_output(args.source, suffix="-index.pdf")
    _check_outputs(args.source, output)
    check_output(output, (".pdf", ".csv", ".json"), "index")
    _warn_slow_subsetting(args)
    book = typeset(args.source, **settings)
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
        # The rows written, for a table: what a reader of the file counts.
        rows_said = (f", {plural(len(rows), 'row')}" if output.suffix in (".csv", ".json")
                     else "")
        print(f"{output}: {plural(len(book.index_entries), 'entry', 'entries')}{rows_said}",
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
