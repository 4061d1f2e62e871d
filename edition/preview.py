"""Pages as PNG images, drawn by PDFium (pypdfium2) from the finished PDF.

For editors without a PDF viewer at hand and for the project's own visual tests: what
is drawn is the PDF the build wrote, not a second rendering of the HTML.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from edition.errors import EditionError

POINTS_PER_INCH = 72.0
# Resolutions a preview may have: at 600 dpi an A4 page is already 35 megapixels
# (100 MB drawn); beyond, or below a legible 10, is a mistake, not a wish.
DPI_RANGE = (10.0, 600.0)


def parse_pages(spec: str | None, count: int) -> list[int]:
    """`1-4`, `3`, `2,5-6`, `7-` → 1-based page numbers within 1…count, in order."""
    if not spec:
        return list(range(1, count + 1))
    pages: list[int] = []
    for item in spec.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?", item)
        if not m:
            raise EditionError(f"--pages {spec!r}: use page numbers and ranges like 1-4,7")
        first = int(m.group(1))
        last = int(m.group(3)) if m.group(3) else (count if m.group(2) else first)
        if not 1 <= first <= last <= count:
            raise EditionError(f"--pages {spec!r}: the PDF has pages 1 to {count}")
        pages.extend(p for p in range(first, last + 1) if p not in pages)
    return pages


def check_dpi(dpi: float) -> float:
    """`dpi`, or an error for one that is not a number in DPI_RANGE (nan, 0, 100000)."""
    low, high = DPI_RANGE
    if not low <= dpi <= high:  # also false for nan
        raise EditionError(f"--dpi {dpi:g}: use a resolution from {low:g} to {high:g}")
    return dpi


def page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(pdf: bytes, pages: list[int], dpi: float = 96.0) -> list[bytes]:
    """PNG bytes of each 1-based page of `pdf`, at `dpi`."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for number in pages:
            page = document[number - 1]
            bitmap = page.render(scale=dpi / POINTS_PER_INCH)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG")
            images.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return images


def image_path(folder: Path, name: str, page: int) -> Path:
    """DIR/NAME-p001.png: sorted by name, they are in page order."""
    return folder / f"{name}-p{page:03d}.png"
