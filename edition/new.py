"""`edition new DIR`: a small edition to start from, as `typst init` and `quarto create`.

It has settings with every option (commented, from `edition/settings_reference.py`), a
register of two persons and one document using each construct a volume needs: a
headnote, speakers, notes, an attachment and a source colophon. It builds with --strict.
`edition new --critical DIR` starts a critical edition instead: a text with apparatus
entries and the witnesses file (`templates/new-critical`).
"""

from __future__ import annotations

from pathlib import Path

from edition.errors import EditionError
from edition.resources import templates_dir
from edition.settings_reference import commented_toml

# The settings `edition new` sets; every other key is written commented out.
STARTER_SETTINGS: dict[str, object] = {
    "title": "A Documentary Edition",
    "subtitle": "Documents and Notes",
    "editors": ["The Editor"],
    "language": "en",
}

CRITICAL_SETTINGS: dict[str, object] = {
    **STARTER_SETTINGS,
    "title": "A Critical Edition",
    "subtitle": "Text and Apparatus",
}


def starter_files(critical: bool = False) -> dict[str, str]:
    """File name → text of the new edition (a critical one: text, apparatus, witnesses)."""
    folder = templates_dir() / ("new-critical" if critical else "new")
    settings = CRITICAL_SETTINGS if critical else STARTER_SETTINGS
    files = {"edition.toml": commented_toml(settings)}
    for path in sorted(folder.iterdir()):
        if path.is_file():
            files[path.name] = path.read_text(encoding="utf-8")
    return files


def create_edition(folder: Path, critical: bool = False) -> list[Path]:
    """Write the starter edition into `folder` (new or empty); the paths written."""
    if folder.exists() and not folder.is_dir():
        raise EditionError("exists and is not a folder", folder)
    if folder.is_dir() and any(folder.iterdir()):
        raise EditionError("the folder is not empty; edition new writes only into a new "
                           "or empty folder", folder)
    created = not folder.exists()
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in starter_files(critical).items():
            path = folder / name
            written.append(path)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        # A read-only place or a full disk: nothing half-made is left behind.
        _remove(written, folder if created else None)
        raise EditionError(f"cannot write the new edition here ({exc.strerror or exc})",
                           folder) from None
    return written


def _remove(files: list[Path], folder: Path | None) -> None:
    """Take back what an interrupted `create_edition` wrote (and the folder it made)."""
    for path in files:
        path.unlink(missing_ok=True)
    if folder is not None and folder.is_dir():
        folder.rmdir()
