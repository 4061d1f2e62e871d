"""Which edition a command works on, and the default names of what it writes."""

from __future__ import annotations

import os
from pathlib import Path

from edition.errors import EditionError

DEFAULT_SOURCE = Path("source")
# The edition's own folder for what it makes: the PDFs, the cache, the previews. Inside
# the edition, wherever the command was run from (`cd myed/drafts && edition build`
# writes myed/output/myed.pdf); never read as a source.
OUTPUT_FOLDER = "output"
SETTINGS_FILE = "edition.toml"


def find_source(given: Path | None, here: Path | None = None) -> Path:
    """The edition to work on when no SOURCE is given, as Typst and Quarto find theirs.

    The current folder when it holds edition.toml; else `source/` when it holds one (the
    repository's sample, which the README's `edition build` builds); else the nearest
    parent with edition.toml; else a `source/` folder without settings. None of these:
    an error that says where it looked and how to start an edition."""
    if given is not None:
        return given
    here = (here or Path.cwd()).resolve()
    if (here / SETTINGS_FILE).is_file():
        return Path(".")
    if (here / DEFAULT_SOURCE / SETTINGS_FILE).is_file():
        return DEFAULT_SOURCE
    for parent in here.parents:
        if (parent / SETTINGS_FILE).is_file():
            return Path(os.path.relpath(parent, here))
    if (here / DEFAULT_SOURCE).exists():
        return DEFAULT_SOURCE
    raise EditionError(f"no edition here: no {SETTINGS_FILE} in {here} or any folder above "
                       f"it, and no {DEFAULT_SOURCE}/ folder; give the edition's folder "
                       "(edition build DIR), or start one with `edition new DIR`")


def profile_name(source: Path, given: str | None, overrides: dict | None = None) -> str:
    """The profile a build will use: --profile, else the settings' `profile` (-M,
    --defaults, edition.toml)."""
    if given:
        return given
    from edition.settings import load_settings

    folder = source if source.is_dir() else source.parent
    settings_file = folder / SETTINGS_FILE
    return load_settings(settings_file if settings_file.is_file() else None,
                         **(overrides or {})).profile


def output_folder(source: Path) -> Path:
    """The edition's output/: in the edition folder, or beside a single-file source.
    An edition kept as a project's `source/` folder (this repository's sample, and any
    project laid out like it) has its output/ beside it, as the project's built files."""
    if source.is_dir() and source.resolve().name == DEFAULT_SOURCE.name:
        return source.resolve().parent / OUTPUT_FOLDER
    return (source if source.is_dir() else source.parent) / OUTPUT_FOLDER


def default_output(source: Path, profile: str = "book", documents: list[str] | None = None,
                   suffix: str = ".pdf") -> Path:
    """output/NAME.pdf, NAME-archive.pdf, NAME-print.pdf, NAME-handout-53.pdf in the
    edition's output/: one name per product, so that no profile overwrites another's."""
    from edition.profiles import get_profile

    name = source.resolve().name if source.is_dir() else source.stem
    numbers = "".join(f"-{number}" for number in documents or [])
    product = f"{name}{get_profile(profile).output_suffix}{numbers}{suffix}"
    return output_folder(source) / product
