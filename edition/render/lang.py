"""The language tag the HTML carries, which picks WeasyPrint's hyphenation patterns.

WeasyPrint hands an element's `lang` to Pyphen, and Pyphen resolves a bare `en` to its
first English dictionary, en_GB. An edition that says only "English" is, as LaTeX's
default English is, American: `en` becomes `en-US`. A region the edition's settings or
the source name (`en-GB`, `en-AU`) is kept, and so is every other language. TEI sources
often name a language by its three-letter code (`deu`, `grc`, `lat`): the HTML carries
the two-letter tag where there is one, which is the one Pyphen and WeasyPrint know.

A language Pyphen has no patterns for (Latin, Ancient Greek) is not hyphenated at all:
never another language's patterns. `unhyphenated` names those a volume uses, so that the
build says so once.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyphen

from edition.languages import two_letter

__all__ = ["hyphenates", "typeset_lang", "unhyphenated"]

# A bare language → the region whose patterns it means.
_DEFAULT_REGION = {"en": "US"}


def typeset_lang(tag: str) -> str:
    """`en` → `en-US`; `deu` → `de`; `en-GB`, `de`, `fr-CA` and an empty tag unchanged."""
    primary, sep, rest = two_letter(tag).partition("-")
    region = _DEFAULT_REGION.get(primary.lower())
    if sep or region is None:
        return f"{primary}{sep}{rest}"
    return f"{primary}-{region}"


def hyphenates(tag: str) -> bool:
    """Whether Pyphen has patterns for the language (WeasyPrint's own lookup)."""
    return not tag or pyphen.language_fallback(typeset_lang(tag)) is not None


def unhyphenated(tags: Iterable[str]) -> list[str]:
    """The languages among `tags` that are set without hyphenation, each once."""
    return sorted({typeset_lang(t) for t in tags if t and not hyphenates(t)})
