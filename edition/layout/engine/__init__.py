"""The one place edition reaches into WeasyPrint's internals.

Everything of WeasyPrint that is not its public API (`HTML`, `CSS`, `Attachment`,
`FontConfiguration`, `Document`) is imported in this package, and the rest of edition
takes it from here: `from edition.layout.engine import boxes`.

The engine changes WeasyPrint 70.0's layout only while edition lays out::

    with engine.patched():
        document = html.render(stylesheets=…)

Inside, fifteen names of WeasyPrint are replaced (listed in seam.py): the ported
`_linebox_layout` (linebox.py) and `_in_flow_layout` (inflow.py), their changes marked
as hunks, the footnote stages (footnotes.py), line breaking (linebreak.py: a hanging
space, no more than two hyphenated lines in a row; inlinetier.py: the apparatus
paragraph's lines kept from one layout of the note area to the next), four steps
whose cost grew with the square of a part's pages (scale.py), and the block layout the ported
`_in_flow_layout` calls, which reuses a note's layout where the page laid it out already
(notearea.py) and records the first page reaching each element, for a layout resumed
at a later page (relayout.py), and the search for a break among an overflowing line's
inline boxes, which tries each box once (waiting.py). On leaving, also by an exception,
the values found on entry are put back, so `weasyprint.HTML(…).render()` outside is stock
WeasyPrint. Nested and concurrent `patched()` blocks share one installation, which the
last to leave removes; a stock render in another thread while one is open is not stock.

Layout is the only stage that needs the patches: `Document.copy` and `write_pdf` draw
the boxes already laid out. Writing a tagged PDF (the archive profile) replaces three
more names for its duration, `with tagging(document):` (tagging.py): notes, headings,
artifacts and hyphenated words tagged as PDF/UA expects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import weasyprint
from weasyprint.css import ColorProfile
from weasyprint.document import gather_anchors
from weasyprint.formatting_structure import boxes

from edition.errors import EditionError
from edition.layout.engine import placement, relayout
from edition.layout.engine.tagging import tagging

__all__ = ["SUPPORTED_VERSION", "ColorProfile", "boxes", "check_version", "gather_anchors",
           "has_harfbuzz_subset", "is_patched", "patched", "placement", "relayout",
           "tagging", "whole_fonts"]

# The WeasyPrint the ported code and the footnote stages are written for.
SUPPORTED_VERSION = "70.0"

_lock = threading.RLock()
_depth = 0
_saved: list = []


def check_version() -> None:
    """Refuse, as a user error, a WeasyPrint the engine was not written for."""
    found = weasyprint.__version__
    if found != SUPPORTED_VERSION:
        raise EditionError(
            f"WeasyPrint {found} is installed, but edition's layout supports WeasyPrint "
            f"{SUPPORTED_VERSION} only (pip install 'weasyprint=={SUPPORTED_VERSION}')")


def has_harfbuzz_subset() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz-Subset (fast) rather than fontTools.

    The same test as WeasyPrint 70's `pdf/fonts.py` `Font.subset`: the library was
    loaded (text/ffi.py opens it with allow_fail) and HarfBuzz is 4.1.0 or newer."""
    from weasyprint.text import ffi

    return bool(ffi.harfbuzz_subset) and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


@contextmanager
def patched() -> Iterator[None]:
    """WeasyPrint with edition's footnotes and line breaking, for the block's duration."""
    global _depth
    check_version()
    from edition.layout.engine.seam import PATCHES

    with _lock:
        if _depth == 0:
            _saved[:] = [getattr(p.owner, p.name) for p in PATCHES]
            for patch in PATCHES:
                setattr(patch.owner, patch.name, patch.replacement)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for patch, value in zip(PATCHES, _saved, strict=True):
                    setattr(patch.owner, patch.name, value)
                _saved.clear()


@contextmanager
def whole_fonts(stub: Callable[[bytes], bytes] | None = None) -> Iterator[None]:
    """WeasyPrint writes the fonts it uses unsubset, with widths and Unicode maps of the
    glyphs used only: for parts that are joined (pdf/merge.py), which embeds each font
    once and subsets it to the glyphs of all parts (glyph ids are kept throughout).

    `stub(file)`: what to write instead of a font file (pdf/fonts.py, a name for it in
    the build's font store); a variable or colour font, which WeasyPrint rewrites after
    subsetting, is written whole."""
    from weasyprint.pdf.fonts import Font

    def subset(font, _to_unicode, _hinting) -> None:
        rewritten = "fvar" in font.tables or font.png or font.svg or font.colr
        if stub is not None and not rewritten and not getattr(font, "edition_stub", False):
            font.file_content = stub(font.file_content)
            font.edition_stub = True  # a document written twice keeps its stub

    with _lock:
        saved = Font.subset
        Font.subset = subset
        try:
            yield
        finally:
            Font.subset = saved


def is_patched() -> bool:
    return _depth > 0
