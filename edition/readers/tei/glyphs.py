"""The header's character declarations (`charDecl`): what a `<g ref="#id"/>` stands for.

A `glyph` or `char` gives its forms as `mapping` elements (`type="diplomatic"` the glyph
as written, `"standard"` or `"normalized"` its reading) or, failing those, a Unicode
character name (`localProp name="Name"`) or a `glyphName`.
"""

from __future__ import annotations

import unicodedata

from lxml import etree

from edition.readers.tei.xml import XML_ID, _children, _descendants, _text

WRITTEN = ("diplomatic", "original", "")
STANDARD = ("standard", "standardized", "standardised", "normalized", "normalised", "regular")


def read_glyphs(root: etree._Element) -> dict[str, tuple[str, str]]:
    """glyph id → (written form, standard form); a glyph with no printable form is left
    out (its `g` keeps whatever text it has)."""
    glyphs: dict[str, tuple[str, str]] = {}
    for name in ("glyph", "char"):
        for el in _descendants(root, name):
            ident = el.get(XML_ID)
            mappings = {m.get("type", ""): _text(m) for m in _children(el, "mapping")}
            written = next((mappings[t] for t in WRITTEN if mappings.get(t)), "")
            written = written or _unicode_name(el)
            standard = next((mappings[t] for t in STANDARD if mappings.get(t)), "") or written
            if ident and written:
                glyphs[ident] = (written, standard)
    return glyphs


def _unicode_name(el: etree._Element) -> str:
    """The character a `localProp name="Name"` names, if Unicode knows the name."""
    for prop in _children(el, "localProp"):
        if prop.get("name", "").lower() == "name":
            try:
                return unicodedata.lookup(prop.get("value", ""))
            except KeyError:
                return ""
    return ""
