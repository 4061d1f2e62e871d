"""A built PDF as its pages' words and positions: what "the output is unchanged" means.

`page_words` reads every word of every page with its box (rounded to 0.1 pt) and the
page labels; a snapshot of the sample (tests/snapshots/) is compared against a fresh
build by test_unchanged.py. Regenerate a snapshot only for a deliberate change of the
output:

    python -m tests.pages source tests/snapshots/sample-book.json
    python -m tests.pages source tests/snapshots/sample-handout-53.json --handout 53
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pdfplumber
from pypdf import PdfReader


def page_words(pdf_path: Path) -> dict:
    labels = PdfReader(pdf_path).page_labels
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for i, page in enumerate(pdf.pages):
            words = page.extract_words(extra_attrs=["size", "fontname"])
            pages.append({
                "label": labels[i],
                "size": [round(float(page.width), 1), round(float(page.height), 1)],
                "words": [[w["text"], round(w["x0"], 1), round(w["top"], 1),
                           round(w["size"], 1), w["fontname"].split("+")[-1]]
                          for w in words],
            })
    return {"pages": pages}


def whole_body_pdf(source: Path, **overrides) -> bytes:
    """The body laid out the way runs must reproduce it: one HTML, one layout."""
    from edition.build import load
    from edition.layout import paginate
    from edition.profiles import resolve
    from edition.render import STYLES_DIR, font_config, render_body, stylesheets

    volume, _ = load(source, **overrides)
    profile = resolve(volume.settings)
    volume.settings.trim = profile.paper
    fonts = font_config()
    css = stylesheets(volume.settings, profile, fonts)
    laid = paginate(render_body(volume, profile), css, STYLES_DIR.as_uri() + "/",
                    labels=profile.label_side, font_config=fonts, level=True)
    return laid.document.write_pdf()


def only_a_title(page_text: str, titles: set[str]) -> bool:
    """Whether a page holds division titles (`titles`) and nothing more of the text:
    besides them, only its folio and the notes at its foot (a title's own note)."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.isdigit()]  # the folio
    heads = 0
    # A title's note call prints as a figure run on to its last word.
    while heads < len(lines) and re.sub(r"\d+$", "", lines[heads]) in titles:
        heads += 1
    rest = lines[heads:]
    return heads > 0 and (not rest or re.match(r"\d+ ", rest[0]) is not None)


def main(argv: list[str]) -> None:
    import tempfile

    from edition.build import build

    source, target = Path(argv[0]), Path(argv[1])
    kwargs = {}
    if "--handout" in argv:
        kwargs = {"profile": "handout", "documents": [argv[argv.index("--handout") + 1]]}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "x.pdf"
        build(source, out, **kwargs)
        data = page_words(out)
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{target}: {len(data['pages'])} pages")


if __name__ == "__main__":
    main(sys.argv[1:])
