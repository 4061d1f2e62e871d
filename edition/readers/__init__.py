"""Readers: a source folder (or one file) → model.Volume.

`load_volume` reads `edition.toml`, every document file in name order (`*.md` by the
Markdown reader, `*.xml` by the TEI reader), the front-matter pages the settings list and
`persons.toml`. It does not number anything: see edition/numbering.py.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from typing import Any

from edition.errors import EditionError
from edition.model import Document, Volume
from edition.readers.markdown import read_front_page, read_markdown
from edition.settings import Settings, load_settings

SETTINGS_FILE = "edition.toml"
REGISTER_FILE = "persons.toml"
DOCUMENT_SUFFIXES = (".md", ".xml")

__all__ = ["load_volume", "read_markdown", "read_front_page"]


def load_volume(path: Path, **setting_overrides: Any) -> Volume:
    """Read a source folder, or a single document file with its folder's settings."""
    path = Path(path)
    if not path.exists():
        raise EditionError("no such file or folder", path)
    folder = path if path.is_dir() else path.parent
    settings_file = folder / SETTINGS_FILE
    has_settings = settings_file.is_file()
    settings = load_settings(settings_file if has_settings else None, **setting_overrides)
    volume = Volume(settings=settings, documents=[])
    if has_settings:
        volume.sources.append(settings_file)

    if path.is_dir():
        front = _front_page_paths(folder, settings)
        for page in front:
            volume.front_pages.append(read_front_page(page))
            volume.sources.append(page)
        files = [_inside(p, folder) for p in sorted(folder.iterdir())
                 if p.is_file() and p.suffix in DOCUMENT_SUFFIXES and p not in front]
        if not files:
            raise EditionError("no document files (*.md, *.xml) in the folder", path)
    else:
        if path.suffix not in DOCUMENT_SUFFIXES:
            raise EditionError(f"unknown source type {path.suffix!r} (use .md or .xml)", path)
        files = [path]

    header: dict[str, Any] = {}
    for file in files:
        header |= _read_document_file(file, volume)
    if header and not has_settings:
        # A TEI header stands in for edition.toml; explicit overrides still win.
        volume.settings = load_settings(None, **{**header, **_given(setting_overrides)})
    _load_register(folder, volume)
    for doc in volume.documents:
        doc.lang = doc.lang or volume.settings.language
    return volume


def _given(overrides: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in overrides.items() if v is not None}


def _front_page_paths(folder: Path, settings: Settings) -> list[Path]:
    pages = []
    for name in settings.front_pages:
        page = folder / name
        if not page.is_file():
            raise EditionError(f"front-matter page {name!r} not found in {folder}",
                               settings.source)
        pages.append(_inside(page, folder))
    return pages


def _inside(path: Path, folder: Path) -> Path:
    """Sources are untrusted: a link may not bring a file from outside the edition in."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise EditionError("links to a file outside the edition folder", path)
    return path


def _read_document_file(file: Path, volume: Volume) -> dict[str, Any]:
    """Add the file's documents to the volume; return TEI header settings, if any."""
    volume.sources.append(file)
    if file.suffix == ".md":
        volume.documents.append(read_markdown(file, volume.settings))
        return {}
    from edition.readers.tei import read_tei  # another stage's module: imported on use

    result = read_tei(file, volume.settings)
    documents: list[Document] = list(result.documents)
    volume.documents.extend(documents)
    volume.persons.update(result.persons)
    volume.cross_references.extend(result.cross_references)
    # The persons and terms lists print in the front matter, as in a FRUS volume.
    volume.front_pages.extend(result.front_pages)
    volume.source_index.extend(result.index_entries)
    for warning in result.warnings:
        warnings.warn(str(warning), stacklevel=3)
    return dict(result.settings_from_header or {})


def _load_register(folder: Path, volume: Volume) -> None:
    register = folder / REGISTER_FILE
    if not register.is_file():
        return
    if importlib.util.find_spec("edition.register") is None:
        return  # the register stage is not installed yet: no index of names
    from edition.register import load_register

    persons, cross_references = load_register(register)
    volume.persons.update(persons)
    volume.cross_references.extend(cross_references)
    volume.sources.append(register)
