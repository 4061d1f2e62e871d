"""Make-up, measured (issue 24): the corpus files and a generated volume, book and handout.

For each source and profile it builds the PDF in memory and prints, from the body's
layout report (what the preflight judges):

- pages: the body's pages;
- short: pages whose running text ends 2 lines or more above the foot (the note area's
  top) where no forced break follows (a document that starts a new page, the end);
- half: of those, pages under half full (a handout must have none);
- unlevel: facing pages ending more than a line apart, of the spreads counted (a
  handout's pages are one-sided: none);
- heads: pages whose last line is a heading or sub-heading; notes: pages of notes only;
- displaced: notes starting on another page than their call's.

Targets (issue 24): 0 displaced notes in every profile; at most 1 % of pages short;
at most 5 % of spreads unlevel; no handout page under half full but a document's last.

    python bench/makeup.py                  # the corpus (if present) and a 120-page volume
    python bench/makeup.py --pages 300 --only generated
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import VOLUME_SPEAKERS, write_volume  # noqa: E402

from edition.build import load, typeset  # noqa: E402
from edition.errors import EditionError  # noqa: E402
from edition.layout.preflight import HALF_FULL, SHORT_LINES, UNEVEN_LINES  # noqa: E402
from edition.layout.report import LayoutReport  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_FILES = ["frus1955-57v26-excerpt.xml", "frus-old/frus1919Parisv01-excerpt.xml",
                "frus-history/1976-11-12-hac-meeting-with-kissinger.xml",
                "frus-history/foundation-of-frus.xml", "frus-history/frus-history.xml"]
PROFILES = ("book", "handout")
# The generated volume: documents of speeches with long notes and sub-headings, one
# chapter every 8 documents; written twice, its documents on new pages and run on.
GENERATED = {"speakers": VOLUME_SPEAKERS, "subheads": 0.12, "chapter_every": 8}


@dataclass
class Figures:
    pages: int = 0
    short: int = 0
    half: int = 0
    spreads: int = 0
    unlevel: int = 0
    heads: int = 0
    notes_only: int = 0
    notes: int = 0
    displaced: int = 0
    seconds: float = 0.0


def measure(report: LayoutReport, spreads: bool) -> Figures:
    """The make-up figures of a laid-out body."""
    found = Figures(pages=len(report.pages), notes=len(report.notes))
    for page in report.pages:
        found.heads += page.ends_with_heading
        found.notes_only += page.notes_only
        if page.before_break or page.notes_only:
            continue
        found.short += page.short_by >= SHORT_LINES - 0.05
        found.half += page.fill < HALF_FULL
    if spreads:
        pages = report.pages
        for verso, recto in zip(pages, pages[1:], strict=False):
            if verso.recto or not recto.recto or verso.before_break or recto.before_break:
                continue
            found.spreads += 1
            pitch = max(verso.line_pitch, recto.line_pitch)
            found.unlevel += bool(pitch) and abs(verso.ends_at - recto.ends_at) > (
                UNEVEN_LINES * pitch + 0.5)
    found.displaced = sum(n.note_page != n.call_page for n in report.notes)
    return found


def build(source: Path, profile: str, jobs: int) -> Figures | None:
    """The figures of one build; None for a handout of a source with no documents."""
    documents = None
    if profile == "handout":
        volume, _ = load(source)
        documents = [doc.number for doc in volume.documents if doc.kind != "chapter"]
        if not documents:
            return None
    start = time.perf_counter()
    book = typeset(source, profile=profile, documents=documents, jobs=jobs)
    figures = measure(book.body.laid.report, spreads=book.profile.mirrored)
    figures.seconds = time.perf_counter() - start
    return figures


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


HEADER = (f"{'source':<44} {'profile':<8} {'pages':>5} {'short':>11} {'half':>4} "
          f"{'unlevel':>13} {'heads':>5} {'notes':>5} {'displaced':>11} {'time':>6}")


def row(name: str, profile: str, f: Figures) -> str:
    unlevel = f"{f.unlevel}/{f.spreads} {_percent(f.unlevel, f.spreads)}" if f.spreads \
        else "-"
    return (f"{name[-44:]:<44} {profile:<8} {f.pages:>5} "
            f"{f'{f.short} {_percent(f.short, f.pages)}':>11} {f.half:>4} {unlevel:>13} "
            f"{f.heads:>5} {f.notes_only:>5} {f'{f.displaced}/{f.notes}':>11} "
            f"{f.seconds:>5.1f}s")


def sources(args, folder: Path) -> list[tuple[str, Path]]:
    found = []
    if args.only in (None, "corpus") and CORPUS.is_dir():
        found += [(name, CORPUS / name) for name in CORPUS_FILES if (CORPUS / name).is_file()]
    elif args.only in (None, "corpus"):
        print(f"(no corpus at {CORPUS}: the generated volume only)")
    if args.only in (None, "generated"):
        for start in ("new-page", "run-on"):
            path = write_volume(folder / start, pages=args.pages, seed=args.seed,
                                start=start, **GENERATED)
            found.append((f"generated {args.pages} pp., {start}", path))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=120,
                        help="the generated volume: about this many pages")
    parser.add_argument("--seed", type=int, default=1956)
    parser.add_argument("--only", choices=["corpus", "generated"])
    parser.add_argument("--jobs", type=int, default=1, help="worker processes per build")
    args = parser.parse_args()
    from edition.build import quiet_weasyprint

    quiet_weasyprint()
    totals = {profile: Figures() for profile in PROFILES}
    with tempfile.TemporaryDirectory() as tmp:
        print(HEADER)
        for name, path in sources(args, Path(tmp)):
            for profile in PROFILES:
                try:
                    figures = build(path, profile, args.jobs)
                except EditionError as exc:
                    print(f"{name[-44:]:<44} {profile:<8} not built: {exc}")
                    continue
                if figures is None:
                    continue
                print(row(name, profile, figures), flush=True)
                total = totals[profile]
                for key, value in vars(figures).items():
                    setattr(total, key, getattr(total, key) + value)
    for profile, total in totals.items():
        print(row("all", profile, total))
    print("targets: displaced 0; short <= 1% of pages; unlevel <= 5% of spreads; "
          "handout pages under half full (half) 0")


if __name__ == "__main__":
    main()
