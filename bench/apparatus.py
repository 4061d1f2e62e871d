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

The last line printed is one JSON object: pages, notes_ratio, critical_ratio,
ratio_of_ratios, the seconds of each of the four measures, entries, displaced_entries,
miscited_entries, displaced_notes, jobs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import CHAPTER_EVERY, child_build, child_plain, sampled  # noqa: E402

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


CHILDREN = {"plain": child_plain, "build": child_build, "critical": child_critical}


def run_child(label: str, kind: str, source: Path, output: Path, jobs: int) -> dict:
    """One measure in a child process (its memory is sampled but not reported here)."""
    code, stdout, stderr, _ = sampled(
        [sys.executable, __file__, "--child", kind, str(source), str(output), str(jobs)])
    lines = stdout.strip().splitlines()
    if code != 0 or not lines:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        sys.exit(f"bench: the {label} failed (exit {code}): {last}")
    return json.loads(lines[-1])


def measure(folder: Path, pages: int, jobs: int) -> dict:
    """Write both volumes into `folder` and time the four measures."""
    from critical import write_critical
    from synthetic import VOLUME_SPEAKERS, write_volume

    notes = write_volume(folder / "notes", pages=pages, chapter_every=CHAPTER_EVERY,
                         speakers=VOLUME_SPEAKERS)
    critical = write_critical(folder / "critical", pages=pages)
    out = folder / "pdf"
    out.mkdir(exist_ok=True)
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


def report(m: dict, jobs: int) -> list[str]:
    """The human-readable lines and the JSON line."""
    notes_ratio = m["notes_build"]["seconds"] / m["notes_plain"]["seconds"]
    critical_ratio = m["critical_build"]["seconds"] / m["critical_plain"]["seconds"]
    of_ratios = critical_ratio / notes_ratio
    built = m["critical_build"]
    met = "met" if of_ratios <= RATIO_OF_RATIOS else "missed"
    lines = [
        f"footnote volume: {m['notes_build']['pages']} pages, {m['notes_build']['notes']} "
        f"notes; plain render {m['notes_plain']['seconds']:.1f} s, build "
        f"{m['notes_build']['seconds']:.1f} s: ratio {notes_ratio:.2f}",
        f"critical volume: {built['pages']} pages, {built['entries']} entries, "
        f"{built['notes']} notes; plain render {m['critical_plain']['seconds']:.1f} s, "
        f"build {built['seconds']:.1f} s: ratio {critical_ratio:.2f}",
        f"critical ratio / footnote ratio: {of_ratios:.2f} (target ≤ {RATIO_OF_RATIOS:g}: "
        f"{met})",
        f"entries away from their lemma's page: {built['displaced_entries']}, citing "
        f"another line: {built['miscited_entries']}; notes away from their call's page: "
        f"{built['displaced_notes']} (target 0)",
        f"jobs: {jobs}",
    ]
    summary = {
        "pages": built["pages"], "notes_ratio": round(notes_ratio, 3),
        "critical_ratio": round(critical_ratio, 3), "ratio_of_ratios": round(of_ratios, 3),
        "notes_plain_s": round(m["notes_plain"]["seconds"], 2),
        "notes_build_s": round(m["notes_build"]["seconds"], 2),
        "critical_plain_s": round(m["critical_plain"]["seconds"], 2),
        "critical_build_s": round(built["seconds"], 2),
        "entries": built["entries"], "displaced_entries": built["displaced_entries"],
        "miscited_entries": built["miscited_entries"],
        "displaced_notes": built["displaced_notes"], "jobs": jobs,
    }
    return lines + [json.dumps(summary)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500, help="about this many pages each")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes of the builds (default: the machine's cores)")
    parser.add_argument("--keep", type=Path, help="write the sources and PDFs here")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, source, output, jobs = args.child
        print(json.dumps(CHILDREN[kind](Path(source), Path(output), int(jobs))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        measured = measure(folder, args.pages, args.jobs)
    for line in report(measured, args.jobs):
        print(line, flush=True)


if __name__ == "__main__":
    main()
