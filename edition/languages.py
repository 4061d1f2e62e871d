"""Language tags as sources write them → the tags the rest of the program knows.

TEI sources often name a language by its three-letter ISO 639-2/3 code (`deu`, `grc`,
`lat`); BCP 47 (the HTML's `lang`, Pyphen, the settings) uses the two-letter code where
there is one. Shared by the readers (quotation marks) and the renderer (hyphenation).
"""

from __future__ import annotations

__all__ = ["primary", "two_letter"]

# ISO 639-2/3 codes (bibliographic and terminological) → the ISO 639-1 code.
_TWO_LETTER = {"deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr",
               "rus": "ru", "ell": "el", "gre": "el", "lat": "la", "ita": "it", "spa": "es",
               "hun": "hu", "pol": "pl", "ces": "cs", "cze": "cs", "nld": "nl", "dut": "nl",
               "por": "pt", "ukr": "uk", "ron": "ro", "rum": "ro", "slk": "sk", "slo": "sk",
               "slv": "sl", "hrv": "hr", "srp": "sr", "bul": "bg", "dan": "da", "swe": "sv",
               "nor": "nb", "nob": "nb", "fin": "fi", "heb": "he", "ara": "ar", "yid": "yi"}


def two_letter(tag: str) -> str:
    """`deu-AT` → `de-AT`, `grc` unchanged (it has no two-letter code), `en_GB` → `en-GB`."""
    first, sep, rest = tag.replace("_", "-").partition("-")
    return f"{_TWO_LETTER.get(first.lower(), first)}{sep}{rest}"


def primary(tag: str) -> str:
    """The language without region or script, lower case: `de-AT` → `de`, `deu` → `de`."""
    return two_letter(tag).partition("-")[0].lower()
