"""Where the time goes: the bench volume built with one job, by stage, and under cProfile.

    python bench/profile.py [--pages 120] [--top 15] [--keep DIR]

The volume is bench/run.py's (synthetic.py, a chapter every fifteen documents). In this
process, one after the other (a first build warms the imports and fonts up):

- build: `edition.build.build` with `jobs=1` and no cache (every run laid out here,
  front matter and index included), sampled by stage;
- plain: one stock WeasyPrint render and write of the body's HTML with the book's
  stylesheets (bench/run.py's plain render), sampled by stage. The engine's patches are
  applied only inside a build's layout (`engine.patched()`), so it is stock WeasyPrint
  although builds ran before it;
- the same build under cProfile: the functions with the most own time.

cProfile gives each function's own time, but not the stack it ran in, and a stage such
as "the note area" or "a label pass" is WeasyPrint's layout code called from somewhere;
it also slows call-heavy code (the cascade, box building) several times more than the
rest. So the stages come from runs without it: a thread samples the main thread's stack
every `SAMPLE_S` seconds and puts each sample in the first stage of `STAGES` one of
whose frames (any frame of the stack, innermost or not) matches: the order (the list
below) says which stage wins when several match (drawing is called by PDF writing, so
drawing is checked first; the cascade and box building are theirs wherever they ran;
the rest of the layout a label pass does is the pass's). Each stage's share of the
samples times the run's CPU seconds is its cost. cProfile's own times are its default
clock's (wall seconds: the layout is one thread, but a loaded machine stretches them).

The CPU seconds include the sampler's own (a few per cent). The mapping
(module path prefix relative to site-packages or the repository, and an optional
function name; see `STAGES`):

- front matter: edition/build.py `_front_part`
- index: edition/build.py `_index_part`, `_source_index_part`, `_index_entries`
- font subsetting: edition/pdf/merge.py `_subset`, weasyprint/pdf/fonts.py `subset`,
  `_harfbuzz_subset`, `_fonttools_subset`, fontTools/subset/
- join: edition/pdf/merge.py, pypdf/ (the parts joined, their fonts shared)
- drawing: weasyprint/draw/, weasyprint/stacking.py
- PDF writing: weasyprint/pdf/, pydyf/, edition/pdf/ (write_part, line numbers' text)
- CSS cascade: weasyprint/css/, cssselect2/, tinycss2/ (in every pass)
- box building: weasyprint/formatting_structure/, weasyprint/html.py (in every pass)
- looseness pass: edition/layout/__init__.py `_loosen` (the layout it redoes)
- label pass: edition/layout/__init__.py `paginate` in its second or later pass (its
  loop variable `_` > 0: the layout it redoes)
- make-up: edition/layout/makeup.py, edition/layout/margins.py (levelling pages,
  placing labels)
- placing runs: edition/layout/engine/placement.py `place` (a run moved to its folio
  and side: margin boxes made again)
- note area: weasyprint/layout/__init__.py and edition/layout/engine/footnotes.py
  `layout_footnote`, `unlayout_footnote`, `_update_footnote_area`, `report_footnote`;
  footnotes.py `split_note`, `make_room`, `_try_limit`; engine/tiers.py and
  engine/inlinetier.py (the notes laid out as notes join a page, WeasyPrint's code
  included; the note area's last layout at the end of a page is in `make_page` and
  counted as layout)
- report: edition/layout/inspect.py, edition/layout/report.py (reading pages back)
- layout: weasyprint/layout/, weasyprint/text/, edition/layout/ (the rest), pyphen/
- sources, model, HTML: edition/readers/, edition/transform/, edition/render/,
  edition/model/, jinja2/, markdown_it/, lxml/
- other: everything else (the garbage collector, interpreter start of the stage…)
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
# cProfile imports the standard library's `profile`, which this file's name would shadow
# while bench/ (the script's folder) is first on the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
import cProfile  # noqa: E402
import pstats  # noqa: E402

sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import CHAPTER_EVERY  # noqa: E402 — bench/ is on the path only now

SAMPLE_S = 0.005

# The functions that lay a page's note area out (again) as notes join or leave it.
NOTE_AREA = ("layout_footnote", "unlayout_footnote", "_update_footnote_area",
             "report_footnote")
# (stage, path fragments, function names or None for any): checked in order.
STAGES: list[tuple[str, tuple[str, ...], tuple[str, ...] | None]] = [
    ("front matter", ("edition/build.py",), ("_front_part",)),
    ("index", ("edition/build.py",), ("_index_part", "_source_index_part",
                                       "_index_entries")),
    ("font subsetting", ("edition/pdf/merge.py",), ("_subset",)),
    ("font subsetting", ("weasyprint/pdf/fonts.py",), ("subset", "_harfbuzz_subset",
                                                       "_fonttools_subset")),
    ("font subsetting", ("fontTools/subset/",), None),
    ("join", ("edition/pdf/merge.py", "pypdf/"), None),
    ("drawing", ("weasyprint/draw/", "weasyprint/stacking.py"), None),
    ("PDF writing", ("weasyprint/pdf/", "pydyf/", "edition/pdf/"), None),
    ("CSS cascade", ("weasyprint/css/", "cssselect2/", "tinycss2/"), None),
    ("box building", ("weasyprint/formatting_structure/", "weasyprint/html.py"), None),
    ("looseness pass", ("edition/layout/__init__.py",), ("_loosen",)),
    ("label pass", ("edition/layout/__init__.py",), ("paginate",)),  # pass > 0 only
    ("make-up", ("edition/layout/makeup.py", "edition/layout/margins.py"), None),
    ("placing runs", ("edition/layout/engine/placement.py",), ("place",)),
    ("note area", ("weasyprint/layout/__init__.py",), NOTE_AREA),
    ("note area", ("edition/layout/engine/footnotes.py",), NOTE_AREA + (
        "split_note", "make_room", "_try_limit")),
    ("note area", ("edition/layout/engine/tiers.py", "edition/layout/engine/inlinetier.py"),
     None),
    ("report", ("edition/layout/inspect.py", "edition/layout/report.py"), None),
    ("layout", ("weasyprint/layout/", "weasyprint/text/", "edition/layout/",
                "pyphen/"), None),
    ("sources, model, HTML", ("edition/readers/", "edition/transform/",
                              "edition/render/", "edition/model/", "jinja2/",
                              "markdown_it/", "lxml/"), None),
]
ORDER = list(dict.fromkeys(stage for stage, _, _ in STAGES)) + ["other"]


_RULES: dict[object, int] = {}  # code object → the first rule it matches
_NONE = len(STAGES)


def _rule(code) -> int:
    """The index of the first rule of STAGES the function `code` matches (cached)."""
    if (found := _RULES.get(code)) is None:
        found = next((i for i, (_, paths, names) in enumerate(STAGES)
                      if (names is None or code.co_name in names)
                      and any(path in code.co_filename for path in paths)), _NONE)
        _RULES[code] = found
    return found


def classify(frame) -> str:
    """The stage a sampled stack (innermost frame `frame`) belongs to: the first rule
    any of its frames matches."""
    best = _NONE
    while frame is not None:
        rule = _rule(frame.f_code)
        if rule < best and not (STAGES[rule][0] == "label pass"
                                and not _later_pass(frame)):
            best = rule
        frame = frame.f_back
    return STAGES[best][0] if best < _NONE else "other"


def _later_pass(frame) -> bool:
    """`paginate` in its second or later pass: the first is the layout itself."""
    passes = frame.f_locals.get("_")
    return isinstance(passes, int) and passes > 0


class Sampler(threading.Thread):
    """Samples the thread `ident`'s stack every SAMPLE_S seconds into `counts`."""

    def __init__(self, ident: int):
        super().__init__(daemon=True)
        self.target = ident
        self.counts: Counter[str] = Counter()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(SAMPLE_S):
            frame = sys._current_frames().get(self.target)
            if frame is not None:
                self.counts[classify(frame)] += 1


def sampled(work) -> tuple[float, float, Counter[str]]:
    """Run `work()` with the sampler: wall and CPU seconds, the stage samples."""
    sampler = Sampler(threading.get_ident())
    sampler.start()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        work()
    finally:
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        sampler.stopped.set()
        sampler.join()
    return wall, cpu, sampler.counts


def profiled(work) -> tuple[float, pstats.Stats]:
    """Run `work()` under cProfile: its CPU seconds and the profile."""
    profile = cProfile.Profile()
    cpu = time.process_time()
    profile.enable()
    try:
        work()
    finally:
        profile.disable()
    return time.process_time() - cpu, pstats.Stats(profile)


def plain_render(source: Path, output: Path) -> None:
    """bench/run.py's plain render: stock WeasyPrint, the body's HTML, the book's CSS."""
    from weasyprint import HTML

    from edition.build import load
    from edition.layout import engine
    from edition.profiles import resolve
    from edition.render import STYLES_DIR, font_config, render_body, stylesheets

    volume, _ = load(source)
    profile = resolve(volume.settings)
    volume.settings.trim = profile.paper
    html = render_body(volume, profile)
    fonts = font_config()
    css = stylesheets(volume.settings, profile, fonts)
    assert not engine.is_patched(), "the plain render must be stock WeasyPrint"
    HTML(string=html, base_url=STYLES_DIR.as_uri() + "/").render(
        stylesheets=css, font_config=fonts).write_pdf(output)


def build_once(source: Path, output: Path) -> None:
    from edition.build import build

    build(source, output, jobs=1, cache=False)


def table(title: str, wall: float, cpu: float, counts: Counter[str]) -> list[str]:
    samples = sum(counts.values()) or 1
    lines = [f"{title}: {cpu:.2f} CPU s ({wall:.2f} s wall), {samples} samples"]
    for stage in ORDER:
        if counts[stage]:
            share = counts[stage] / samples
            lines.append(f"  {stage:<22} {share * cpu:7.2f} s  {share:6.1%}")
    return lines


def top_functions(stats: pstats.Stats, count: int) -> list[str]:
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(count)
    rows = out.getvalue().splitlines()
    start = next((i for i, row in enumerate(rows) if "ncalls" in row), 0)
    return [row for row in rows[start:] if row.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--top", type=int, default=15, help="functions by own time")
    parser.add_argument("--keep", type=Path, help="write the volume and PDFs here")
    args = parser.parse_args()

    from synthetic import VOLUME_SPEAKERS, write_volume

    from edition.build import quiet_weasyprint

    quiet_weasyprint()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source = write_volume(folder / "source", pages=args.pages,
                              chapter_every=CHAPTER_EVERY, speakers=VOLUME_SPEAKERS)
        # Imports, fonts and the first layout's warm-up out of the measurements.
        build_once(source, folder / "warm.pdf")
        build = sampled(lambda: build_once(source, folder / "build.pdf"))
        plain = sampled(lambda: plain_render(source, folder / "plain.pdf"))
        profiled_cpu, stats = profiled(lambda: build_once(source, folder / "build.pdf"))
    load = Path("/proc/loadavg").read_text().split()[:3] if Path(
        "/proc/loadavg").exists() else ["?"]
    print(f"bench volume, {args.pages} pages asked; load average {' '.join(load)}")
    for line in table("build (jobs 1, no cache) by stage", *build):
        print(line)
    for line in table("plain WeasyPrint render by stage", *plain):
        print(line)
    print(f"ratio build/plain in CPU s: {build[1] / plain[1]:.2f}")
    print(f"build under cProfile: {profiled_cpu:.2f} CPU s; the {args.top} functions with "
          "the most own time")
    for line in top_functions(stats, args.top):
        print("  " + line)


if __name__ == "__main__":
    main()
