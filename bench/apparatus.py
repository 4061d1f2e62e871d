"""Benchmark: a dense critical volume against the footnote volume, each against one
plain WeasyPrint render of its own HTML.

    python bench/apparatus.py [--pages N] [--jobs N] [--keep DIR]

Two volumes of about N pages (500 by default; `--pages 50` for a quick check):

- the footnote volume of bench/run.py (synthetic.py: documents, speeches, about three
  notes a page, a chapter every fifteen documents);
- a critical edition in TEI (critical.py: about ten apparatus entries a page, a note
  about every third sentence, chapters of some sixteen pages).

For each, in child processes as bench/run.py measures them: the plain render (stock
WeasyPrint laying out and writing the body's HTML with the book's stylesheets) and the
full build with an empty cache and `--jobs` workers; its ratio is build / plain. The
apparatus costs what it should when the critical volume's ratio is no more than
RATIO_OF_RATIOS times the footnote volume's (issue 25, point 9).

Each measure is also given in CPU seconds (the child's and its workers'): on a machine
shared with other work, wall-clock seconds measure the others' load as much as the
build. The last line printed is one JSON object: pages, notes_ratio, critical_ratio,
ratio_of_ratios and the same in CPU time (cpu_…), the wall-clock and CPU seconds of
each of the four measures, entries, displaced_entries, miscited_entries,
displaced_notes, jobs.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import run  # noqa: E402
from run import (  # noqa: E402
    CHAPTER_EVERY,
    arguments,
    child_build,
    child_plain,
    ran_child,
)

RATIO_OF_RATIOS = 1.25


def child_critical(source: Path, output: Path, jobs: int) -> dict:
    """A full build as run.py's (an empty cache), and where its apparatus entries landed."""
    from edition.build import build, quiet_weasyprint

    quiet_weasyprint()
    start = time.perf_counter()
    book = build(source, output, jobs=jobs)
    seconds = time.perf_counter() - start
    report = book.body.laid.report
    return {
        "pages": book.page_count, "seconds": seconds, "entries": len(report.entries),
        "displaced_entries": sum(1 for e in report.entries if e.entry_page != e.lemma_page),
        "miscited_entries": sum(1 for e in report.entries if e.printed != e.line),
        "notes": len(report.notes),
        "displaced_notes": sum(1 for n in report.notes if n.note_page != n.call_page),
    }


def cpu_timed(measure):
    """`measure` with the CPU seconds it took added, its worker processes' included (a
    pool's workers end, and are counted, within the build): on a machine shared with
    other work the wall-clock seconds say more about the others than about the build."""

    def timed(source: Path, output: Path, jobs: int) -> dict:
        before = _cpu()
        result = measure(source, output, jobs)
        return {**result, "cpu_seconds": _cpu() - before}

    return timed


def _cpu() -> float:
    own, reaped = (resource.getrusage(who) for who in
                   (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime


CHILDREN = {"plain": cpu_timed(child_plain), "build": cpu_timed(child_build),
            "critical": cpu_timed(child_critical)}


def run_child(label: str, kind: str, source: Path, output: Path, jobs: int) -> dict:
    """One measure in a child process running this script (run.py's run_child)."""
    return run.run_child(label, kind, source, output, jobs, script=__file__)


def measure(folder: Path, pages: int, jobs: int) -> dict:
    """Write both volumes into `folder` and time the four measures."""
    from critical import write_critical
    from synthetic import VOLUME_SPEAKERS, write_volume

    notes = write_volume(folder / "notes", pages=pages, chapter_every=CHAPTER_EVERY,
                         speakers=VOLUME_SPEAKERS)
    critical = write_critical(folder / "critical", pages=pages)
    out = folder / "pdf"
    shutil.rmtree(out, ignore_errors=True)  # a kept folder's earlier run, and its cache
    out.mkdir()
    return {
        "notes_plain": run_child("footnote volume's plain render", "plain", notes,
                                 out / "notes-plain.pdf", jobs),
        "notes_build": run_child("footnote volume's build", "build", notes,
                                 out / "notes.pdf", jobs),
        "critical_plain": run_child("critical volume's plain render", "plain", critical,
                                    out / "critical-plain.pdf", jobs),
        "critical_build": run_child("critical volume's build", "critical", critical,
                                    out / "critical.pdf", jobs),
    }


def _ratios(m: dict, measure: str) -> tuple[float, float, float]:
    """The footnote volume's ratio, the critical volume's, and the second over the first,
    in `measure` ("seconds": wall clock; "cpu_seconds")."""
    notes = m["notes_build"][measure] / m["notes_plain"][measure]
    critical = m["critical_build"][measure] / m["critical_plain"][measure]
    return notes, critical, critical / notes


def report(m: dict, jobs: int) -> list[str]:
    """The human-readable lines and the JSON line."""
    notes_ratio, critical_ratio, of_ratios = _ratios(m, "seconds")
    cpu_notes, cpu_critical, cpu_of_ratios = _ratios(m, "cpu_seconds")
    built = m["critical_build"]
    lines = [
        f"footnote volume: {m['notes_build']['pages']} pages, {m['notes_build']['notes']} "
        f"notes; plain render {m['notes_plain']['seconds']:.1f} s (CPU "
        f"{m['notes_plain']['cpu_seconds']:.1f} s), build {m['notes_build']['seconds']:.1f} "
        f"s (CPU {m['notes_build']['cpu_seconds']:.1f} s): ratio {notes_ratio:.2f} "
        f"(CPU {cpu_notes:.2f})",
        f"critical volume: {built['pages']} pages, {built['entries']} entries, "
        f"{built['notes']} notes; plain render {m['critical_plain']['seconds']:.1f} s (CPU "
        f"{m['critical_plain']['cpu_seconds']:.1f} s), build {built['seconds']:.1f} s (CPU "
        f"{built['cpu_seconds']:.1f} s): ratio {critical_ratio:.2f} (CPU {cpu_critical:.2f})",
        f"critical ratio / footnote ratio: {of_ratios:.2f} (CPU {cpu_of_ratios:.2f}); "
        f"target ≤ {RATIO_OF_RATIOS:g}: {_met(of_ratios)} (CPU: {_met(cpu_of_ratios)})",
        f"entries away from their lemma's page: {built['displaced_entries']}, citing "
        f"another line: {built['miscited_entries']}; notes away from their call's page: "
        f"{built['displaced_notes']} (target 0)",
        f"jobs: {jobs}",
    ]
    summary = {
        "pages": built["pages"], "notes_ratio": round(notes_ratio, 3),
        "critical_ratio": round(critical_ratio, 3), "ratio_of_ratios": round(of_ratios, 3),
        "cpu_notes_ratio": round(cpu_notes, 3), "cpu_critical_ratio": round(cpu_critical, 3),
        "cpu_ratio_of_ratios": round(cpu_of_ratios, 3),
        **{f"{name}_{unit}": round(m[name][measure], 2) for name in m
           for unit, measure in (("s", "seconds"), ("cpu_s", "cpu_seconds"))},
        "entries": built["entries"], "displaced_entries": built["displaced_entries"],
        "miscited_entries": built["miscited_entries"],
        "displaced_notes": built["displaced_notes"], "jobs": jobs,
    }
    return lines + [json.dumps(summary)]


def _met(value: float) -> str:
    return "met" if value <= RATIO_OF_RATIOS else "missed"


def main() -> None:
    args = arguments(__doc__)
    if ran_child(args, CHILDREN):
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        measured = measure(folder, args.pages, args.jobs)
    for line in report(measured, args.jobs):
        print(line, flush=True)


if __name__ == "__main__":
    main()
