"""Output profiles: one source, a product for each kind of user.

A profile is a named set of choices that Python makes (which parts the book has, where
labels go, which PDF variant is written); how it looks is `styles/<name>.css`. The
user's choices within a profile are settings (`[handout]`, `[print]`, `[archive]` in
`edition.toml`, or the command line), see docs/profiles.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from edition.errors import EditionError
from edition.settings import Settings, _line_of_key

# Bleed beyond this is a mistake (a printer asks for 3 mm, sometimes 5).
MAX_BLEED_MM = 25.0
MM_PER_INCH = 25.4


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


def resolve(settings: Settings) -> Profile:
    """The profile `settings.profile` names, with the user's choices applied.

    Also adjusts the settings the profile decides: a handout is set on its paper.
    """
    profile = get_profile(settings.profile)
    if profile.name == "handout":
        settings.trim = settings.handout_paper
        return Profile(profile.name, profile.label_side, profile.front_matter,
                       index=settings.handout_index)
    if profile.name == "archive":
        return Profile(profile.name, pdf_variant=settings.archive_variant)
    if profile.name == "print" and not 0 <= settings.print_bleed <= MAX_BLEED_MM:
        raise EditionError(f"bleed must be from 0 to {MAX_BLEED_MM:g} mm, "
                           f"not {settings.print_bleed:g}", settings.source)
    return profile


def padded_count(pages: int, pad_to: int) -> int:
    """The page count rounded up to a multiple of `pad_to` (0: as it is)."""
    if pad_to <= 1:
        return pages
    return -(-pages // pad_to) * pad_to


def job_ticket(settings: Settings, profile: Profile, pages: int, padded: int) -> list[str]:
    """The lines the print profile shows the printer: trim, bleed, pages, variant."""
    width, height = settings.trim_mm
    bleed = settings.print_bleed
    lines = [
        f"profile:  {profile.name}",
        f"trim:     {width:g} × {height:g} mm ({width / MM_PER_INCH:.3g} × "
        f"{height / MM_PER_INCH:.3g} in)",
        f"bleed:    {bleed:g} mm" + (f", marks: {settings.print_marks}"
                                      if settings.print_marks != "none" else ""),
        f"pages:    {pages}" + (f" (+{padded - pages} blank at the end = {padded}, "
                                f"a multiple of {settings.print_pad_to})"
                                if padded != pages else ""),
        f"starts:   documents on {settings.document_start}",
        f"PDF:      {(profile.pdf_variant or 'plain PDF').upper()}",
    ]
    return lines


def output_profile(settings: Settings) -> Path | None:
    """The printer's ICC profile from `[print] output_profile`, checked; None if unset.

    A PDF/X output intent describes the press condition, so the profile must be an
    output ('prtr') profile in CMYK, as the printer supplies it (FOGRA39, GRACoL, …).
    """
    if settings.profile != "print" or not settings.print_output_profile:
        return None
    folder = settings.source.parent if settings.source else Path.cwd()
    path = (folder / settings.print_output_profile).resolve()
    line = _line_of_key(settings.source, "output_profile", "print")
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise EditionError(f"output profile {settings.print_output_profile!r} is not a file "
                           "of the edition", settings.source, line)
    header = path.read_bytes()[:20]
    if len(header) < 20 or header[12:16] != b"prtr" or header[16:20] != b"CMYK":
        raise EditionError(f"output profile {settings.print_output_profile!r} is not a CMYK "
                           "printer (ICC 'prtr') profile", settings.source, line)
    return path
