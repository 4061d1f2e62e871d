"""The language tag the HTML carries, which picks WeasyPrint's hyphenation patterns.

WeasyPrint hands an element's `lang` to Pyphen, and Pyphen resolves a bare `en` to its
first English dictionary, en_GB. An edition that says only "English" is, as LaTeX's
default English is, American: `en` becomes `en-US`. A region the edition's settings or
the source name (`en-GB`, `en-AU`) is kept, and so is every other language.
"""

from __future__ import annotations

__all__ = ["typeset_lang"]

# A bare language → the region whose patterns it means.
_DEFAULT_REGION = {"en": "US"}


def typeset_lang(tag: str) -> str:
    """`en` → `en-US`; `en-GB`, `de`, `fr-CA` and an empty tag unchanged."""
    primary, sep, _ = tag.replace("_", "-").partition("-")
    region = _DEFAULT_REGION.get(primary.lower())
    if sep or region is None:
        return tag
    return f"{primary}-{region}"
