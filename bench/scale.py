"""Scale: pages per second of one huge document as it grows, against the volume.

    python bench/scale.py [--notes 500 2000 5000 10000] [--dense-notes 5000 20000]
                          [--volume-pages 500] [--kinds after before] [--timeout S]
                          [--keep DIR]

Each size is one document (synthetic.write_single: the volume's mix of speeches, notes
and long notes, about three notes a page; `--dense-notes`, about ten notes a page, like
the 20,000-note document of issue 15) built in its own child process; its peak memory
is the peak of the summed PSS of that process and its workers (bench/run.py's sampler),
its CPU time theirs together. A build that takes longer than `--timeout` seconds is
stopped and reported as not finished. The volume of `--volume-pages` pages (the
benchmark's, bench/run.py) is built in the same run for comparison, with all the
machine's cores and with one job: one huge document is one flow, laid out by one process
(WeasyPrint cannot begin a flow's page before the page ahead of it is laid out), so
what should not be worse is its pages per CPU second. `--kinds before` builds each size
without the engine's scale patches (edition/layout/engine/scale.py): the cost as it was.
The last line printed is one JSON object: {"volume": {...}, "volume_one_job": {...},
"after": [...], "before": [...]}, each row pages, notes, dense, seconds, pages_per_s,
cpu_s, pages_per_cpu_s, peak_mb (or finished: false).
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


def child(kind: str, source: Path, output: Path, jobs: int | None) -> dict:
    """Build once in this process (and its workers); `kind` "stock" leaves the scale
    patches out."""
    from edition.build import build, quiet_weasyprint
    from edition.layout.engine import seam

    if kind == "stock":
        seam.PATCHES = tuple(p for p in seam.PATCHES
                             if not p.replacement.__module__.endswith(".scale"))
    quiet_weasyprint()
    start, cpu_start = time.perf_counter(), time.process_time() + _workers_cpu()
    book = build(source, output, jobs=jobs)
    seconds = time.perf_counter() - start
    cpu = time.process_time() + _workers_cpu() - cpu_start
    return {"pages": book.page_count, "notes": len(book.body.laid.report.notes),
            "seconds": round(seconds, 2), "pages_per_s": round(book.page_count / seconds, 3),
            # The machine may be shared: CPU time is the steadier measure.
            "cpu_s": round(cpu, 2), "pages_per_cpu_s": round(book.page_count / cpu, 3)}


def _workers_cpu() -> float:
    """CPU seconds of this process's ended children (the layout workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(kind: str, source: Path, output: Path, timeout: float | None = None,
         jobs: int | None = None) -> dict:
    """One build in a child process, its process tree's memory sampled."""
    from run import sampled

    code, stdout, stderr, memory = sampled(
        [sys.executable, __file__, "--child", kind, str(source), str(output),
         str(jobs or 0)], timeout)
    if code is None:
        return {"finished": False, "seconds": timeout}
    if code != 0:
        sys.exit(f"scale: {kind} build of {source} failed:\n{stderr}")
    return {**json.loads(stdout.strip().splitlines()[-1]),
            "peak_mb": round(memory["peak_mb"], 1)}


def _row(label: str, row: dict) -> str:
    if row.get("finished") is False:
        return f"{label:>14} {row['notes']:6d} notes: not finished in {row['seconds']:.0f} s"
    return (f"{label:>14} {row['pages']:6d} pages {row['notes']:6d} notes "
            f"{row['seconds']:8.1f} s {row['pages_per_s']:6.2f} pages/s "
            f"{row['cpu_s']:8.1f} s CPU {row['pages_per_cpu_s']:6.2f} pages/CPU s "
            f"{row['peak_mb']:7.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, nargs="*", default=[500, 2000, 5000, 10000])
    parser.add_argument("--dense-notes", type=int, nargs="*", default=[5000, 20000])
    parser.add_argument("--timeout", type=float, help="seconds a build may take")
    parser.add_argument("--volume-pages", type=int, default=500,
                        help="the volume to compare with (0: none)")
    parser.add_argument("--kinds", nargs="+", choices=["after", "before"],
                        default=["after"],
                        help="after: as edition builds; before: without the scale patches")
    parser.add_argument("--keep", type=Path, help="write the sources and PDFs here")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, source, output, jobs = args.child
        print(json.dumps(child(kind, Path(source), Path(output), int(jobs) or None)))
        return

    from synthetic import write_single, write_volume

    out: dict = {"volume": None, "volume_one_job": None, "after": [], "before": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        if args.volume_pages:
            source = write_volume(folder / "volume", pages=args.volume_pages)
            out["volume"] = _run("build", source, folder / "volume.pdf")
            print(_row("volume", out["volume"]), flush=True)
            out["volume_one_job"] = _run("build", source, folder / "volume-1.pdf", jobs=1)
            print(_row("volume, 1 job", out["volume_one_job"]), flush=True)
        sizes = [(n, False) for n in args.notes] + [(n, True) for n in args.dense_notes]
        for notes, dense in sizes:
            name = f"single-{notes}{'-dense' if dense else ''}"
            source = write_single(folder / name, notes=notes, dense=dense)
            for key in args.kinds:
                kind = "build" if key == "after" else "stock"
                row = {"notes": notes, "dense": dense,
                       **_run(kind, source, folder / f"{name}-{kind}.pdf", args.timeout)}
                out[key].append(row)
                label = f"{'dense' if dense else 'one doc'} {key}"
                print(_row(label, row), flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
