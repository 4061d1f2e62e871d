"""A proofreader's reading of a built PDF: its printed lines, hyphens, heads, folios.

Shared by the typographic tests (tests/test_typography.py) and usable by hand to measure
a volume::

    python -m tests.proof out.pdf
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

# What a line broken inside a word ends with: WeasyPrint's hyphenate character (U+2010)
# or an explicit hyphen.
HYPHENS = ("\u2010", "-")


@dataclass
class Line:
    page: int  # 0-based PDF page
    label: str
    top: float
    x0: float
    x1: float
    size: float  # the size of its first word
    text: str


def pdf_lines(pdf_path: Path, tolerance: float = 2.0) -> list[Line]:
    """Every printed line of every page, top to bottom, left to right.

    Words whose tops lie within `tolerance` points are one line, unless a gap of more
    than 4 em separates them (a margin label, a folio, the next column)."""
    labels = PdfReader(pdf_path).page_labels
    found: list[Line] = []
    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False)
            rows: list[list[dict]] = []
            for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
                for row in rows:
                    last = row[-1]
                    if (abs(row[0]["top"] - word["top"]) <= tolerance
                            and 0 <= word["x0"] - last["x1"] < 4 * word["size"]):
                        row.append(word)
                        break
                else:
                    rows.append([word])
            for row in rows:
                found.append(Line(index, labels[index], row[0]["top"], row[0]["x0"],
                                  row[-1]["x1"], row[0]["size"],
                                  " ".join(w["text"] for w in row)))
    return found


def hyphenated(lines: list[Line]) -> list[Line]:
    """The lines that end in a word broken across lines."""
    return [ln for ln in lines if ln.text.rstrip().endswith(HYPHENS)
            and len(ln.text.rstrip()) > 1 and ln.text.rstrip()[-2].isalpha()]


def text_lines(lines: list[Line]) -> list[Line]:
    """The lines of each page's text block: not the margin's labels and page numbers."""
    kept: list[Line] = []
    for page in sorted({ln.page for ln in lines}):
        on_page = [ln for ln in lines if ln.page == page]
        widest = max(ln.x1 - ln.x0 for ln in on_page)
        full = [ln for ln in on_page if ln.x1 - ln.x0 > widest / 2]
        left, right = min(ln.x0 for ln in full), max(ln.x1 for ln in full)
        kept += [ln for ln in on_page if ln.x1 > left + 1 and ln.x0 < right - 1]
    return kept


def ladders(lines: list[Line], longest: int = 2) -> list[list[Line]]:
    """Runs of more than `longest` consecutive hyphenated lines of one page and size."""
    lines = text_lines(lines)
    broken = {id(ln) for ln in hyphenated(lines)}
    runs: list[list[Line]] = []
    run: list[Line] = []
    for line in lines:
        if id(line) not in broken:
            run = []
            continue
        if run and (run[-1].page != line.page or abs(run[-1].size - line.size) > 0.3):
            run = []
        run.append(line)
        if len(run) == longest + 1:
            runs.append(run)
    return runs


# A folio as printed at a page's foot: "17", "xiv" or a handout's "page 3 of 9".
FOLIO = re.compile(r"^(page \d+ of \d+|\d+|[ivxlc]+)$")


def page_fill(pdf_path: Path) -> list[float]:
    """How full each page is: the share of the text block's height its lines cover,
    running head and folio left out, notes counted.

    A line covers the space down to the next line, but never more than 2.5 times its
    size: the blank above the notes of a page that stops short is not covered. The
    text block is the tallest stretch of type any page has."""
    lines = [ln for ln in text_lines(pdf_lines(pdf_path)) if not FOLIO.match(ln.text)]
    sizes = Counter(round(ln.size, 1) for ln in lines)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    top = min((ln.top for ln in lines if round(ln.size, 1) == body), default=0.0)
    pages: dict[int, list[Line]] = {}
    for line in lines:
        if line.top + line.size >= top:  # the running head stands above the block
            pages.setdefault(line.page, []).append(line)
    covered, spans = {}, []
    for page, on_page in pages.items():
        on_page.sort(key=lambda ln: ln.top)
        steps = [min(b.top - a.top, 2.5 * a.size)
                 for a, b in zip(on_page, on_page[1:], strict=False)]
        covered[page] = sum(steps) + 1.3 * on_page[-1].size
        spans.append(on_page[-1].top + 1.3 * on_page[-1].size - top)
    height = max(spans, default=1.0)
    count = len(PdfReader(pdf_path).pages)
    return [covered.get(page, 0.0) / height for page in range(count)]


def main(argv: list[str]) -> None:
    lines = pdf_lines(Path(argv[0]))
    broken = hyphenated(lines)
    body = [ln for ln in lines if ln.label.isdigit()]
    print(f"{argv[0]}: {len(body)} lines on {len({ln.page for ln in body})} pages, "
          f"{len(hyphenated(body))} hyphenated, {len(ladders(body))} runs of 3+")
    if "-v" in argv:
        for line in broken:
            print(f"  {line.label}: {line.text[-30:]}")


if __name__ == "__main__":
    main(sys.argv[1:])


def measure(lines: list[Line], size: float) -> float:
    """Average characters (spaces included) of the full lines set in `size` points: the
    lines as wide as the widest tenth of them, so that paragraph ends do not count."""
    sized = [ln for ln in text_lines(lines) if abs(ln.size - size) < 0.3]
    if not sized:
        return 0.0
    widths = sorted(ln.x1 - ln.x0 for ln in sized)
    full = [ln for ln in sized if ln.x1 - ln.x0 >= widths[int(len(widths) * 0.9)] - 3]
    return sum(len(ln.text) for ln in full) / len(full)
