"""Output profiles: one source, a product for each kind of user.

A profile is a named set of choices that Python makes (which parts the book has, where
labels go, which PDF variant is written); how it looks is `styles/<name>.css`.
"""

from __future__ import annotations

from dataclasses import dataclass

from edition.errors import EditionError


@dataclass(frozen=True)
class Profile:
    name: str
    # "outer": recto right, verso left (books); "left": every page (handouts).
    label_side: str = "outer"
    front_matter: bool = True
    index: bool = True
    # WeasyPrint's pdf_variant, or None for a plain PDF.
    pdf_variant: str | None = None


PROFILES: dict[str, Profile] = {
    "book": Profile("book"),
    "handout": Profile("handout", label_side="left", front_matter=False, index=False),
    "archive": Profile("archive", pdf_variant="pdf/a-3b"),
    "print": Profile("print", pdf_variant="pdf/x-4"),
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise EditionError(f"unknown profile {name!r} (use {', '.join(PROFILES)})") from None
