"""Benchmark: a full build of a synthetic ~500-page volume against one plain WeasyPrint render.

    python bench/run.py [--pages N] [--keep DIR]

Each measurement runs in its own child process, so peak memory (ru_maxrss) belongs to
that measurement alone. The plain render is stock WeasyPrint 70.0 (no footnote changes)
laying out and writing the same body HTML the build renders. The last line printed is
one JSON object: pages, build_s, plain_s, ratio, peak_mb, plain_peak_mb,
displaced_notes, notes, split_notes.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def timed_build(source: Path, output: Path) -> tuple[object, float, dict]:
    """Build once; the book, the seconds it took and the body's note figures."""
    from edition.build import build, quiet_weasyprint

    quiet_weasyprint()
    start = time.perf_counter()
    book = build(source, output)
    seconds = time.perf_counter() - start
    body = book.body.laid.report
    notes = {
        "notes": len(body.notes),
        "displaced_notes": sum(1 for n in body.notes if n.note_page != n.call_page),
        "split_notes": sum(1 for n in body.notes if n.continued_on),
    }
    return book, seconds, notes


def child_build(source: Path, output: Path) -> dict:
    book, seconds, notes = timed_build(source, output)
    return {"pages": book.page_count, "seconds": seconds, **notes,
            "findings": len(book.findings)}


def child_plain(source: Path, output: Path) -> dict:
    from weasyprint import HTML

    from edition.build import load, quiet_weasyprint
    from edition.render import STYLES_DIR, font_config, render_body, stylesheets

    quiet_weasyprint()
    volume, _ = load(source)
    html = render_body(volume)
    fonts = font_config()
    css = stylesheets(volume.settings, "book", fonts)
    start = time.perf_counter()
    document = HTML(string=html, base_url=STYLES_DIR.as_uri() + "/").render(
        stylesheets=css, font_config=fonts)
    document.write_pdf(output)
    return {"pages": len(document.pages), "seconds": time.perf_counter() - start}


def _run_child(kind: str, source: Path, output: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(source), str(output)],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"bench: {kind} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="write the sources and PDFs here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, source, output = args.child
        result = (child_build if kind == "build" else child_plain)(Path(source), Path(output))
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    from synthetic import write_volume

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        source = write_volume(folder / "source", pages=args.pages)
        plain = _run_child("plain", source, folder / "plain.pdf")
        build = _run_child("build", source, folder / "build.pdf")
    ratio = build["seconds"] / plain["seconds"]
    print(f"volume: {build['pages']} pages ({plain['pages']} in the plain render), "
          f"{build['notes']} notes")
    print(f"plain WeasyPrint render: {plain['seconds']:.1f} s, peak {plain['peak_mb']:.0f} MB")
    print(f"full build:              {build['seconds']:.1f} s, peak {build['peak_mb']:.0f} MB, "
          f"{build['pages'] / build['seconds']:.1f} pages/s")
    print(f"ratio build/plain: {ratio:.2f} (target ≤ 1.30); displaced notes: "
          f"{build['displaced_notes']} (target 0); split notes: {build['split_notes']}; "
          f"preflight findings: {build['findings']}")
    print(json.dumps({
        "pages": build["pages"], "build_s": round(build["seconds"], 2),
        "plain_s": round(plain["seconds"], 2), "ratio": round(ratio, 3),
        "peak_mb": round(build["peak_mb"], 1), "plain_peak_mb": round(plain["peak_mb"], 1),
        "displaced_notes": build["displaced_notes"], "notes": build["notes"],
        "split_notes": build["split_notes"],
    }))


if __name__ == "__main__":
    main()
