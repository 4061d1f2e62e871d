"""Benchmark: the FRUS history monograph (TEI, ~1,080 notes, its own index) as a book.

    python bench/tei.py [--keep DIR]

Reads ../shared/corpus/frus-history/frus-history.xml (next to the checkout); without the
corpus it prints why and exits 0. Peak memory is this process's ru_maxrss, so run it
alone. The last line printed is one JSON object: pages, seconds, peak_mb, notes,
displaced_notes, split_notes, index_entries, locators_checked, locator_problems, findings.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
MONOGRAPH = HERE.parents[1] / "shared" / "corpus" / "frus-history" / "frus-history.xml"


def measure(source: Path, output: Path) -> dict:
    from edition.build import build, quiet_weasyprint

    quiet_weasyprint()
    start = time.perf_counter()
    book = build(source, output, jobs=1)
    seconds = time.perf_counter() - start
    body = book.body.laid.report
    notes = {"notes": len(body.notes),
             "displaced_notes": sum(1 for n in body.notes if n.note_page != n.call_page),
             "split_notes": sum(1 for n in body.notes if n.continued_on)}
    for note in body.notes:  # the displaced cases, for the engine's maintainers
        if note.note_page != note.call_page:
            print(f"displaced: note {note.number} called on page index {note.call_page}, "
                  f"starts on {note.note_page}", file=sys.stderr)
    return {
        "pages": book.page_count,
        "seconds": round(seconds, 1),
        # ru_maxrss is in KiB on Linux.
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **notes,
        "index_entries": len(book.source_index),
        "locators_checked": sum(len(line.cited) for line in book.source_index),
        "locator_problems": sum(1 for f in book.findings if f.rule == "source-index-locator"),
        "findings": sum(1 for f in book.findings if f.severity == "error"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the PDF into this folder")
    args = parser.parse_args()
    if not MONOGRAPH.is_file():
        print(f"skipped: the shared corpus is not at {MONOGRAPH.parent}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        result = measure(MONOGRAPH, folder / "frus-history.pdf")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
