"""Output profiles: one source, a product for each kind of user.

A profile is a named set of choices that Python makes (which parts the book has, where
labels go, which PDF variant is written); how it looks is `styles/<name>.css`. The
user's choices within a profile are settings (`[handout]`, `[print]`, `[archive]` in
`edition.toml`, or the command line), see docs/profiles.md.

Everything that differs between the profiles is a field of `Profile`: the rest of the
program asks the fields of the profile `resolve` builds, never its name (the name only
picks `styles/<name>.css` and the `profile-<name>` class of the HTML).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from edition import safeio
from edition.errors import EditionError
from edition.settings import Settings, _line_of_key

# Bleed beyond this is a mistake (a printer asks for 3 mm, sometimes 5).
MAX_BLEED_MM = 25.0
MM_PER_INCH = 25.4
# The printer's ICC output profile ([print] output_profile) at most.
MAX_OUTPUT_PROFILE_BYTES = 10 * 2**20
# Crop marks: this long, and standing off the trim by the bleed, at least by this much.
CROP_MARK_MM = 5.0


@dataclass(frozen=True)
class Profile:
    name: str
    # The parts: front matter, and the indexes (of names, the source's own). `resolve`
    # also applies `[front_matter] enabled` and `[index] enabled`.
    front_matter: bool = True
    index: bool = True
    # The paper the pages are set on, a trim (`resolve`: `[page] trim`, or a handout's
    # `[handout] paper`).
    paper: str = ""
    # Side margins: mirrored (outer and inner, from `[page]`) or, when not, the same
    # `margin_left` and `margin_right` (mm) on every page.
    mirrored: bool = True
    margin_left: float = 0.0
    margin_right: float = 0.0
    # Where labels go: "outer" (recto right, verso left: books) or "left" (every page),
    # and the width (mm) of the margin that carries them.
    label_side: str = "outer"
    label_margin: float = 0.0
    # The least distance (mm) from a label to the paper's edge: a trimmed book's labels
    # may come near it; a handout is printed on an office printer, which cannot print
    # near the edge, and is held and punched there.
    label_edge: float = 2.0
    # The text size: the settings' `[page] font_size` times this. A handout's page is
    # wide (A4, Letter): a larger size keeps its lines at about 90 characters, as a
    # book's measure is (issue 12), and its notes, set relative to it, in proportion.
    font_scale: float = 1.0
    # Every 5th line of the body numbered in the right margin (edition/pdf/lines.py).
    line_numbers: bool = False
    # The index of names opens on a recto (a blank verso before it when due), or runs
    # straight on after the documents.
    index_on_recto: bool = True
    # The footer counts "page x of y" (the look is the profile's css): with an index,
    # y counts its pages too.
    page_x_of_y: bool = False
    # Blank pages at the end to a multiple of this (0: none).
    pad_to: int = 0
    # Bleed (mm) and printer's marks drawn in it; None: no bleed box at all.
    bleed: float | None = None
    marks: str = "none"
    # The command shows the printer a job ticket (`job_ticket` below).
    job_ticket: bool = False
    # WeasyPrint's pdf_variant, or None for a plain PDF; tagged structure; the edition's
    # sources attached (PDF/A-3 associated files).
    pdf_variant: str | None = None
    pdf_tags: bool = False
    attach_sources: bool = False
    # A PDF/X output intent: the printer's ICC profile `output_profile` (a file of the
    # edition, checked by `output_profile()`), or sRGB without one.
    output_intent: bool = False
    output_profile: str = ""
    # How an original and its translation are set (docs/facing.md): "facing" on
    # facing pages, section pair by section pair (a book); "columns" side by side on
    # each page, a row per section pair; "sequence" one after the other.
    parallel: str = "sequence"
    # What the default output name adds to the edition's: `output/NAME{suffix}.pdf`
    # (a handout also adds its document numbers), so that no product overwrites another.
    output_suffix: str = ""

    @property
    def media_margin(self) -> float:
        """How far (mm) the MediaBox reaches past the trim on each side.

        WeasyPrint draws crop marks from the MediaBox's edge inwards over half this
        margin, so a margin of twice the mark's offset puts the marks outside the bleed
        (offset at least the bleed) and CROP_MARK_MM long. Without marks the MediaBox
        is the BleedBox.
        """
        bleed = self.bleed or 0.0
        if self.marks == "none":
            return bleed
        return 2 * max(bleed, CROP_MARK_MM)


PROFILES: dict[str, Profile] = {
    "book": Profile("book", parallel="facing"),
    # A handout runs on: no recto/verso, its own paper and margins.
    "handout": Profile("handout", output_suffix="-handout", front_matter=False, index=False,
                       mirrored=False, label_side="left", label_edge=10.0,
                       index_on_recto=False, page_x_of_y=True, font_scale=1.15,
                       parallel="columns"),
    "archive": Profile("archive", output_suffix="-archive", pdf_variant="pdf/a-3b",
                       pdf_tags=True, attach_sources=True),
    "print": Profile("print", output_suffix="-print", pdf_variant="pdf/x-4", bleed=0.0,
                     job_ticket=True, output_intent=True),
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise EditionError(f"unknown profile {name!r} (use {', '.join(PROFILES)})") from None


def _handout(profile: Profile, settings: Settings) -> Profile:
    return replace(profile, paper=settings.handout_paper, index=settings.handout_index,
                   line_numbers=settings.handout_line_numbers,
                   margin_left=settings.handout_margin_left,
                   margin_right=settings.handout_margin_right)


def _archive(profile: Profile, settings: Settings) -> Profile:
    variant = settings.archive_variant or profile.pdf_variant or ""
    # PDF/A-2 allows only PDF/A attachments; PDF/A-3 carries the sources themselves.
    return replace(profile, pdf_variant=variant,
                   attach_sources=profile.attach_sources and variant.startswith("pdf/a-3"))


def _print(profile: Profile, settings: Settings) -> Profile:
    if not 0 <= settings.print_bleed <= MAX_BLEED_MM:
        raise EditionError(f"bleed must be from 0 to {MAX_BLEED_MM:g} mm, "
                           f"not {settings.print_bleed:g}", settings.source,
                           _line_of_key(settings.source, "bleed", "print"))
    return replace(profile, bleed=settings.print_bleed, marks=settings.print_marks,
                   pad_to=settings.print_pad_to,
                   output_profile=settings.print_output_profile)


# The user's choices within a profile: its table of edition.toml (`[handout]`, …).
USER_CHOICES: dict[str, Callable[[Profile, Settings], Profile]] = {
    "handout": _handout,
    "archive": _archive,
    "print": _print,
}


def resolve(settings: Settings) -> Profile:
    """The profile `settings.profile` names, with the user's choices applied.

    The settings are not changed: the page size a profile decides is its `paper`.
    """
    named = get_profile(settings.profile)
    profile = replace(named, paper=settings.trim)
    if choose := USER_CHOICES.get(named.name):
        profile = choose(profile, settings)
    left = profile.label_side == "left"
    return replace(profile, front_matter=profile.front_matter and settings.front_matter,
                   index=profile.index and settings.index,
                   label_margin=profile.margin_left if left else settings.margin_outer)


def padded_count(pages: int, pad_to: int) -> int:
    """The page count rounded up to a multiple of `pad_to` (0: as it is)."""
    if pad_to <= 1:
        return pages
    return -(-pages // pad_to) * pad_to


def job_ticket(settings: Settings, profile: Profile, pages: int, padded: int) -> list[str]:
    """The lines the print profile shows the printer: trim, bleed, pages, variant."""
    width, height = settings.trim_mm
    bleed = profile.bleed or 0.0
    lines = [
        f"profile:  {profile.name}",
        f"trim:     {width:g} × {height:g} mm ({width / MM_PER_INCH:.3g} × "
        f"{height / MM_PER_INCH:.3g} in)",
        f"bleed:    {bleed:g} mm" + (f", marks: {profile.marks}"
                                      if profile.marks != "none" else ""),
        f"pages:    {pages}" + (f" (+{padded - pages} blank at the end = {padded}, "
                                f"a multiple of {profile.pad_to})"
                                if padded != pages else ""),
        f"starts:   documents on {settings.document_start}",
        f"PDF:      {(profile.pdf_variant or 'plain PDF').upper()}",
    ]
    return lines


@dataclass(frozen=True)
class PressProfile:
    """The printer's ICC profile, read once (a file opened again later could have become
    another file in between: edition/safeio.py)."""

    name: str
    data: bytes


def output_profile(settings: Settings, profile: Profile) -> PressProfile | None:
    """The printer's ICC profile (`[print] output_profile`), checked; None if the profile
    has none.

    A PDF/X output intent describes the press condition, so the profile must be an
    output ('prtr') profile in CMYK, as the printer supplies it (FOGRA39, GRACoL, …).
    """
    if not (profile.output_intent and profile.output_profile):
        return None
    name = profile.output_profile
    folder = settings.source.parent if settings.source else Path.cwd()
    path = folder / name
    line = _line_of_key(settings.source, "output_profile", "print")
    # One message whether the file is missing or outside: which files exist outside
    # the edition is none of its business.
    if not safeio.inside(path, folder) or not path.is_file():
        raise EditionError(f"output profile {name!r} is not a file "
                           "of the edition", settings.source, line)
    # A printer's profile is a few hundred KB (FOGRA39: 650 KB); the PDF carries it whole,
    # so a larger file (a 3 GB sparse one was read whole) is refused, read no further.
    try:
        data = safeio.read_capped(path, MAX_OUTPUT_PROFILE_BYTES, folder)
    except safeio.TooLarge:
        raise EditionError(f"output profile {name!r} is larger than "
                           f"{MAX_OUTPUT_PROFILE_BYTES // 2**20} MB: not a printer's "
                           "ICC profile", settings.source, line) from None
    if len(data) < 20 or data[12:16] != b"prtr" or data[16:20] != b"CMYK":
        raise EditionError(f"output profile {name!r} is not a CMYK "
                           "printer (ICC 'prtr') profile", settings.source, line)
    return PressProfile(path.name, data)
