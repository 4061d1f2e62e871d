"""Benchmark: a volume shaped like a real one, built in full and rebuilt after an edit,
against one plain WeasyPrint render of the same HTML.

    python bench/run.py [--pages N] [--jobs N] [--keep DIR]

The volume (synthetic.py) has documents of a few pages with headnotes, speeches (some
labels of two or three names), about three notes a page, some of them over half a page,
and a chapter opening every fifteen documents. One run measures, each in its own child
process:

- plain: stock WeasyPrint 70.0 (none of edition's engine patches) laying out and writing
  the body's HTML (`render_body`) with the book profile's stylesheets;
- build: `edition.build.build` with an empty cache and `--jobs` worker processes (the
  machine's cores by default): front matter, body and index;
- rebuild: the same build after words of one paragraph of the middle document were
  changed (the same number of letters), with the cache the build left: it should lay
  out that document's run only, or the runs after it too if its page count changed.

Seconds are those of the measured call inside the child (not the interpreter's start or
the imports). Memory is sampled every 50 ms over the child and all its descendants (the
build's workers are spawned processes): the peak of the sum of their PSS, read from
/proc/<pid>/smaps_rollup, where shared pages are divided between the processes sharing
them; where PSS cannot be read, of the sum of their RSS, which counts shared pages once
per process (the printed line says which). Reading PSS costs the measured processes
time (the kernel walks their page tables), so it is read at most every 250 ms, and only
while the summed RSS (read every 50 ms) is above the PSS peak so far. `peak_mb` is the
larger of the build's and the rebuild's.

The last line printed is one JSON object: pages, build_s, plain_s, ratio, rebuild_s,
rebuild_ratio, peak_mb, displaced_notes, notes, jobs, and more (runs, rebuild_laid,
chapters, peak_rss_mb, …). Targets on 2 cores: ratio ≤ 0.8 (goal 0.5), rebuild_ratio
≤ 0.25 (goal 0.1), no displaced notes, peak memory ≤ 600 MB at 500 pages and ≤ 1 GB at
2,000 (`--pages 2000`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from math import inf
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

RATIO_TARGET, RATIO_GOAL = 0.8, 0.5
REBUILD_TARGET, REBUILD_GOAL = 0.25, 0.1
MEMORY_TARGETS = ((500, 600), (2000, 1024))  # pages, MB
CHAPTER_EVERY = 15
SAMPLE_S = 0.05
PSS_EVERY_S = 0.25


# ------------------------------------------------------------------ children


def child_plain(source: Path, output: Path, _jobs: int) -> dict:
    """The body's HTML laid out and written once by stock WeasyPrint."""
    from weasyprint import HTML

    from edition.build import load, quiet_weasyprint
    from edition.layout import engine
    from edition.profiles import resolve
    from edition.render import STYLES_DIR, font_config, render_body, stylesheets

    quiet_weasyprint()
    volume, _ = load(source)
    profile = resolve(volume.settings)
    volume.settings.trim = profile.paper  # as the build sets its pages
    html = render_body(volume, profile)
    fonts = font_config()
    css = stylesheets(volume.settings, profile, fonts)
    assert not engine.is_patched(), "the plain render must be stock WeasyPrint"
    start = time.perf_counter()
    document = HTML(string=html, base_url=STYLES_DIR.as_uri() + "/").render(
        stylesheets=css, font_config=fonts)
    document.write_pdf(output)
    return {"pages": len(document.pages), "seconds": time.perf_counter() - start}


def child_build(source: Path, output: Path, jobs: int) -> dict:
    """A build with the cache beside `output` (empty or not: the parent decides)."""
    from edition.build import build, quiet_weasyprint

    quiet_weasyprint()
    start = time.perf_counter()
    book = build(source, output, jobs=jobs)
    seconds = time.perf_counter() - start
    notes = book.body.laid.report.notes
    documents = book.volume.documents
    return {
        "pages": book.page_count, "body_pages": len(book.body.labels), "seconds": seconds,
        "notes": len(notes),
        "displaced_notes": sum(1 for n in notes if n.note_page != n.call_page),
        "split_notes": sum(1 for n in notes if n.continued_on),
        "findings": len(book.findings),
        "documents": sum(1 for d in documents if d.kind != "chapter"),
        "chapters": sum(1 for d in documents if d.kind == "chapter"),
        "runs": book.runs.total, "laid": len(book.runs.laid), "reused": book.runs.reused,
        "workers": book.runs.jobs,
    }


CHILDREN = {"plain": child_plain, "build": child_build}


# ------------------------------------------------------------------ memory


def _children(pid: int) -> list[int]:
    """The pid's child processes: /proc/<pid>/task/*/children, else a scan of /proc."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    readable = False
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as file:
                found += [int(p) for p in file.read().split()]
            readable = True
        except OSError:
            continue
    if readable:
        return found
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    # "pid (comm) state ppid …": comm may hold spaces and parentheses.
                    if int(file.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _rss_kb(pid: int) -> int | None:
    """RSS of one process in kB (cheap: the kernel's counters); None when it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as file:
            return int(file.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return None


def _pss_kb(pid: int) -> int | None:
    """PSS of one process in kB: 0 for a process gone or going (its memory released
    already), None where smaps_rollup is not ours to read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            found = re.search(r"^Pss:\s+(\d+) kB", file.read(), re.M)
    except (FileNotFoundError, ProcessLookupError):
        return 0
    except OSError:
        return None
    return int(found.group(1)) if found else 0


class Sampler(threading.Thread):
    """The peak over time of the summed RSS and PSS of a process and its descendants.

    RSS is read every SAMPLE_S. PSS (smaps_rollup walks the page tables: some
    milliseconds per process, taken from the build being measured) is read at most every
    PSS_EVERY_S, and only while the RSS sum exceeds the PSS peak so far: a process's PSS
    never exceeds its RSS, so no other moment can set a new PSS peak.
    """

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.pss_everywhere = True  # every process read had a PSS
        self.most_processes = 0
        self.pss_read_at = -inf

    def sample(self) -> None:
        rss = {pid: kb for pid in _tree(self.pid) if (kb := _rss_kb(pid)) is not None}
        total = sum(rss.values())
        self.peak_rss_kb = max(self.peak_rss_kb, total)
        self.most_processes = max(self.most_processes, len(rss))
        now = time.monotonic()
        if total <= self.peak_pss_kb or now - self.pss_read_at < PSS_EVERY_S:
            return
        self.pss_read_at = now
        pss = 0
        for pid, kb in rss.items():
            own = _pss_kb(pid)
            if own is None:
                self.pss_everywhere = False
            pss += kb if own is None else own
        self.peak_pss_kb = max(self.peak_pss_kb, pss)

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(SAMPLE_S)

    def result(self) -> dict:
        rss, pss = self.peak_rss_kb / 1024, self.peak_pss_kb / 1024
        return {"peak_mb": pss if self.pss_everywhere else rss, "peak_rss_mb": rss,
                "memory": "pss" if self.pss_everywhere else "rss",
                "processes": self.most_processes}


def sampled(argv: list[str], timeout: float | None = None
            ) -> tuple[int | None, str, str, dict]:
    """Run `argv`, sampling its process tree's memory: (exit code, or None when it was
    stopped after `timeout` seconds; stdout; stderr; Sampler.result())."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(argv, stdout=out, stderr=err, text=True)
        sampler = Sampler(child.pid)
        sampler.start()
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
            child.kill()
            child.wait()
        sampler.stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        return code, out.read(), err.read(), sampler.result()


def run_child(label: str, kind: str, source: Path, output: Path, jobs: int,
              script: str = __file__) -> dict:
    """Run one measurement in a child process (`script --child`: this benchmark's, or
    another's that shares its command line), sampling its process tree's memory."""
    code, stdout, stderr, memory = sampled(
        [sys.executable, script, "--child", kind, str(source), str(output), str(jobs)])
    lines = stdout.strip().splitlines()
    if code != 0 or not lines:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        sys.exit(f"bench: the {label} failed (exit {code}): {last}")
    return {**json.loads(lines[-1]), **memory}


# ------------------------------------------------------------------ the edit


def edit_middle_document(source: Path) -> tuple[str, int]:
    """Change some words of one paragraph of the volume's middle document to others of
    the same length (its note calls stay): the document's name and the words changed."""
    from synthetic import WORDS

    documents = sorted(p for p in source.glob("*.md") if not p.stem.endswith("-chapter"))
    target = documents[len(documents) // 2]
    lines = target.read_text(encoding="utf-8").split("\n")
    # The first paragraph of running text after the headnote (front matter and headnote
    # come first; note definitions last).
    after_headnote = lines.index(":::", lines.index("::: headnote")) + 1
    index = next(i for i in range(after_headnote, len(lines))
                 if lines[i] and not lines[i].startswith((":::", "[^", "+++")))
    by_length: dict[int, list[str]] = {}
    for word in sorted(set(WORDS)):
        by_length.setdefault(len(word), []).append(word)
    tokens = lines[index].split(" ")
    changed = 0
    for position in range(1, len(tokens), 3):
        token = tokens[position]
        word = token.rstrip(".")
        others = by_length.get(len(word), [])
        if word in others and len(others) > 1:
            other = others[(others.index(word) + 1) % len(others)]
            tokens[position] = other + token[len(word):]
            changed += 1
    if not changed:
        sys.exit(f"bench: found no words to change in {target.name}")
    lines[index] = " ".join(tokens)
    target.write_text("\n".join(lines), encoding="utf-8")
    return str(int(target.stem)), changed


# ------------------------------------------------------------------ report


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _verdict(value: float, target: float, goal: float | None = None) -> str:
    text = f"target ≤ {target:g}: {'met' if value <= target else 'missed'}"
    if goal is not None:
        text += f"; goal {goal:g}: {'met' if value <= goal else 'not yet'}"
    return text


def _memory_target(pages: int) -> tuple[int, int]:
    """The target that applies to a volume of `pages`: (its page count, MB)."""
    return next((t for t in MEMORY_TARGETS if pages <= t[0]), MEMORY_TARGETS[-1])


def report(plain: dict, build: dict, rebuild: dict, edited: str, changed: int,
           jobs: int, asked: int) -> list[str]:
    """The human-readable lines and the JSON line; `asked`: the --pages asked for."""
    ratio = build["seconds"] / plain["seconds"]
    rebuild_ratio = rebuild["seconds"] / plain["seconds"]
    peak = max(build["peak_mb"], rebuild["peak_mb"])
    peak_rss = max(build["peak_rss_mb"], rebuild["peak_rss_mb"])
    memory = "pss" if build["memory"] == rebuild["memory"] == "pss" else "rss"
    at, limit = _memory_target(asked)
    measure = ("PSS (shared pages divided between the processes sharing them)"
               if memory == "pss" else "RSS (shared pages counted in each process)")
    lines = [
        f"volume: {build['pages']} pages ({build['body_pages']} of documents; "
        f"{plain['pages']} in the plain render), {_n(build['documents'], 'document')} and "
        f"{_n(build['chapters'], 'chapter')}, {_n(build['notes'], 'note')} "
        f"({build['split_notes']} split), {_n(build['runs'], 'run')}",
        f"plain WeasyPrint render: {plain['seconds']:.1f} s (stock WeasyPrint, the body's "
        f"HTML and the book's stylesheets)",
        f"full build: {build['seconds']:.1f} s ({_n(jobs, 'job')}, empty cache, "
        f"{_n(build['laid'], 'run')} laid); ratio {ratio:.2f} "
        f"({_verdict(ratio, RATIO_TARGET, RATIO_GOAL)})",
        f"rebuild after editing {changed} words of document {edited}: "
        f"{rebuild['seconds']:.1f} s ({_n(rebuild['laid'], 'run')} laid, "
        f"{rebuild['reused']} from the cache); rebuild ratio {rebuild_ratio:.2f} "
        f"({_verdict(rebuild_ratio, REBUILD_TARGET, REBUILD_GOAL)})",
        f"peak memory: {peak:.0f} MB, the {measure} summed over all processes (up to "
        f"{max(build['processes'], rebuild['processes'])}); RSS sum {peak_rss:.0f} MB; "
        f"build {build['peak_mb']:.0f} MB, rebuild {rebuild['peak_mb']:.0f} MB, plain "
        f"render {plain['peak_mb']:.0f} MB (target ≤ {limit} MB at {at:,} pages: "
        f"{'met' if peak <= limit else 'missed'})",
        f"displaced notes: {build['displaced_notes']} of {build['notes']} (target 0: "
        f"{'met' if build['displaced_notes'] == 0 else 'missed'}; after the rebuild: "
        f"{rebuild['displaced_notes']})",
        f"jobs: {jobs} (worker processes used: {build['workers']} by the build, "
        f"{rebuild['workers']} by the rebuild; 1: laid out in the build's own process)",
    ]
    summary = {
        "pages": build["pages"], "build_s": round(build["seconds"], 2),
        "plain_s": round(plain["seconds"], 2), "ratio": round(ratio, 3),
        "rebuild_s": round(rebuild["seconds"], 2), "rebuild_ratio": round(rebuild_ratio, 3),
        "peak_mb": round(peak, 1), "displaced_notes": build["displaced_notes"],
        "notes": build["notes"], "jobs": jobs,
        "memory": memory, "peak_rss_mb": round(peak_rss, 1),
        "build_peak_mb": round(build["peak_mb"], 1),
        "rebuild_peak_mb": round(rebuild["peak_mb"], 1),
        "plain_peak_mb": round(plain["peak_mb"], 1),
        "body_pages": build["body_pages"], "plain_pages": plain["pages"],
        "documents": build["documents"], "chapters": build["chapters"],
        "split_notes": build["split_notes"], "runs": build["runs"], "laid": build["laid"],
        "rebuild_laid": rebuild["laid"], "rebuild_reused": rebuild["reused"],
        "rebuild_pages": rebuild["pages"], "edited": edited,
        "rebuild_displaced_notes": rebuild["displaced_notes"],
    }
    return lines + [json.dumps(summary)]


def arguments(doc: str) -> argparse.Namespace:
    """The command line of a benchmark (this one's, bench/apparatus.py's): --pages,
    --jobs, --keep, and the hidden --child by which it runs one measure."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500, help="about this many pages")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes of the build (default: the machine's cores)")
    parser.add_argument("--keep", type=Path, help="write the sources and PDFs here")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    return parser.parse_args()


def ran_child(args: argparse.Namespace, children: dict) -> bool:
    """Run the measure --child names, printing its JSON line; False without --child."""
    if not args.child:
        return False
    kind, source, output, jobs = args.child
    print(json.dumps(children[kind](Path(source), Path(output), int(jobs))))
    return True


def main() -> None:
    args = arguments(__doc__)
    if ran_child(args, CHILDREN):
        return

    from synthetic import VOLUME_SPEAKERS, write_volume

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        for mine in ("source", "plain", "build"):  # a kept folder's earlier run
            shutil.rmtree(folder / mine, ignore_errors=True)
        source = write_volume(folder / "source", pages=args.pages,
                              chapter_every=CHAPTER_EVERY, speakers=VOLUME_SPEAKERS)
        (folder / "plain").mkdir()
        (folder / "build").mkdir()  # the build's cache: build/.edition-cache/volume/
        output = folder / "build" / "volume.pdf"
        plain = run_child("plain render", "plain", source, folder / "plain" / "volume.pdf",
                          args.jobs)
        build = run_child("full build", "build", source, output, args.jobs)
        edited, changed = edit_middle_document(source)
        rebuild = run_child("rebuild", "build", source, output, args.jobs)
    for line in report(plain, build, rebuild, edited, changed, args.jobs, args.pages):
        print(line, flush=True)


if __name__ == "__main__":
    main()
