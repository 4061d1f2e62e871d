"""Bounds: the hostile inputs of issue 27 (point 3), each timed as a user runs it.

    python bench/bounds.py [--only NAME ...] [--timeout S] [--jobs-docs 64]

Each case is an edition folder written to a temporary directory and one `edition`
command run on it in a child process, timed as GNU time would: wall seconds and the peak resident
set of the process (and of its workers, whose usage it collects), and their CPU seconds:
on a shared machine the wall time grows with the load, the CPU time much less. Targets: each case in
under 5 s and 500 MB (emphasis: 20 KB in under 5 s; the cost grows linearly, so the
10 KB and 20 KB rows show it). Prints one line per case and, last, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# GNU time's `-f "peak-kb %M %U %S"`, in Python (a fresh machine has no /usr/bin/time):
# the command run as a child, then its peak resident set (the largest of it and the
# workers it waited for) and its CPU seconds, as the last line of standard error.
TIMED = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"peak-kb {used.ru_maxrss} {used.ru_utime} {used.ru_stime}", file=sys.stderr)
sys.exit(code)
"""
EDITION = [sys.executable, "-c", TIMED, sys.executable, "-m", "edition.cli"]
FRONT = '+++\nnumber = "{n}"\ntitle = "T{n}"\n+++\n\n'
TEI = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>F'
       '</title></titleStmt></fileDesc></teiHeader><text><body><div type="document" n="1">'
       "<head>A</head><p>x{}</p></div></body></text></TEI>")
SETTINGS = 'title = "Bounds"\n[front_matter]\nenabled = false\n'


def emphasis(times: int, unit: str = "*a*b") -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "001.md").write_text(FRONT.format(n=1) + unit * times + "\n")
        return ["build", str(folder), "-o", str(folder.parent / "o.pdf"), "-q", "--no-cache"]
    return make


def register(entries: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "persons.toml").write_text("".join(
            f'[p{i}]\nname = "Person{i}, A"\nforms = ["Person{i}"]\n\n' for i in range(entries)))
        (folder / "001.md").write_text(FRONT.format(n=1) + "Person1 spoke.\n")
        return ["check", str(folder)]
    return make


def markdown_lines(lines: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "001.md").write_text(FRONT.format(n=1) + "- a\n" * lines)
        return ["check", str(folder)]
    return make


def tei_elements(element: str, command: str) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "a.xml").write_text(TEI.format(element * 1_000_000))
        return [command, str(folder)] + (["-o", str(folder.parent / "o.pdf")]
                                         if command == "build" else [])
    return make


def icc(folder: Path) -> list[str]:
    (folder / "001.md").write_text(FRONT.format(n=1) + "Text.\n")
    (folder / "edition.toml").write_text(SETTINGS + '[print]\noutput_profile = "p.icc"\n')
    with (folder / "p.icc").open("wb") as file:
        file.write(b"\0" * 12 + b"prtrCMYK")
        file.truncate(3 * 2**30)  # sparse
    return ["build", str(folder), "-o", str(folder.parent / "o.pdf"), "--profile", "print"]


def setting(toml: str, profile: str = "book") -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "001.md").write_text(FRONT.format(n=1) + "Text.\n")
        (folder / "edition.toml").write_text('title = "Bounds"\n' + toml + "\n")
        return ["build", str(folder), "-o", str(folder.parent / "o.pdf"), "--profile", profile]
    return make


def jobs(documents: int, count: int) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        for n in range(1, documents + 1):
            (folder / f"{n:03d}.md").write_text(FRONT.format(n=n) + "Some text. " * 200 + "\n")
        return ["build", str(folder), "-o", str(folder.parent / "o.pdf"), "-q", "--no-cache",
                "--jobs", str(count)]
    return make


CASES: dict[str, Callable[[Path], list[str]]] = {
    "emphasis *a*b x 2,500 (10 KB)": emphasis(2500),
    "emphasis *a*b x 5,000 (20 KB)": emphasis(5000),
    "emphasis *a** x 50,000 (200 KB)": emphasis(50_000, "*a**"),
    "check persons.toml, 10,000 entries": register(10_000),
    "check Markdown 1,000,000 list items": markdown_lines(1_000_000),
    "check TEI 1,000,000 <lb/>": tei_elements("<lb/>", "check"),
    "build TEI 1,000,000 <pb/>": tei_elements('<pb n="1"/>', "build"),
    "build, output profile 3 GB (sparse)": icc,
    "build, [handout] margin_left = 1e9": setting("[handout]\nmargin_left = 1e9", "handout"),
    "build, page of 0.001 mm": setting('[page]\ntrim = "0.001x0.001mm"\nmargin_top = 0\n'
                                       "margin_bottom = 0\nmargin_inner = 0\nmargin_outer = 0"),
    "build, notes.start = -5": setting("[notes]\nstart = -5"),
    "build 64 documents, --jobs 64": jobs(64, 64),
    "build 64 documents, --jobs 2": jobs(64, 2),
}


def run_case(make: Callable[[Path], list[str]], timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ed"
        folder.mkdir()
        (folder / "edition.toml").write_text(SETTINGS)
        argv = make(folder)
        started = time.perf_counter()
        try:
            done = subprocess.run(EDITION + argv, capture_output=True, text=True,
                                  timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            return {"finished": False, "seconds": timeout}
        seconds = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    _, peak_kb, user, system = lines.pop().split()
    # CPU seconds (user and system, the process and its workers): on a shared machine the
    # steadier measure of the cost.
    return {"finished": True, "seconds": round(seconds, 2), "exit": done.returncode,
            "cpu_s": round(float(user) + float(system), 2), "peak_mb": int(peak_kb) // 1024,
            "said": lines[-1][:140] if lines else ""}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", default=None, help="cases whose name has this")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parent.parent))
    results = {}
    for name, make in CASES.items():
        if args.only and not any(word in name for word in args.only):
            continue
        result = results[name] = run_case(make, args.timeout)
        print(f"{name:40} {result['seconds']:7.2f} s  cpu {result.get('cpu_s', '-')} s  "
              f"exit {result.get('exit', '-')}  "
              f"peak {result.get('peak_mb', '-')} MB  {result.get('said', '')}",
              flush=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
