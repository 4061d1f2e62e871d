"""Readers: a source folder (or one file) → model.Volume.

`load_volume` reads `edition.toml`, every document file in name order through the table
of readers (`READERS`: suffix → reader; `*.md` Markdown, `*.xml` TEI), the front-matter
pages the settings list, `persons.toml` (edition/readers/persons.py) and
`witnesses.toml` (edition/readers/witnesses.py). The text rules
that hold for every format are applied to the model it returns (page references tied,
edition/readers/typography.py). It does not number anything or match names: those are
the transform stages (edition/transform/).
What a reader notices but does not refuse travels on the volume (`Volume.notices`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from edition import safeio
from edition.errors import EditionError
from edition.model import Document, Volume, walk
from edition.model.text import plain_text
from edition.readers.base import Reader, ReaderResult
from edition.readers.markdown import read_front_page, read_markdown
from edition.readers.persons import load_register
from edition.readers.typography import page_reference_spaces
from edition.readers.witnesses import load_witnesses, merge_witnesses
from edition.settings import MAX_TITLE_CHARS, Settings, _line_of_key, load_settings
from edition.transform.pairing import pair_volume

SETTINGS_FILE = "edition.toml"
REGISTER_FILE = "persons.toml"
WITNESSES_FILE = "witnesses.toml"

READERS: dict[str, Reader] = {
    ".md": Reader("Markdown", "edition.readers.markdown", "read_markdown_file"),
    ".xml": Reader("TEI", "edition.readers.tei", "read_tei", "check_tei"),
}
DOCUMENT_SUFFIXES = tuple(READERS)

__all__ = ["READERS", "Reader", "ReaderResult", "check_sources", "load_volume",
           "read_front_page", "read_markdown"]


def load_volume(path: Path, errors: list[EditionError] | None = None, *,
                unreadable: list[str] | None = None, **setting_overrides: Any) -> Volume:
    """Read a source folder, or a single document file with its folder's settings.

    With `errors` (`edition check`), a file's error is collected there and reading goes
    on with the next file, so that every broken file is reported in one run; without,
    the first error stops the build. Broken settings stop it in any case: they say which
    files are front pages rather than documents, and how to read them.

    `unreadable` (for `edition check`): a file the reader stops on, at a place its
    format's check lists with the others (every unknown siglum of a TEI file), is left
    out and its check's problems added there.
    """
    path = Path(path)
    if not path.exists():
        raise EditionError("no such file or folder", path)
    folder = path if path.is_dir() else path.parent
    settings_file = folder / SETTINGS_FILE
    has_settings = _present(settings_file, folder)
    settings = load_settings(settings_file if has_settings else None, **setting_overrides)
    volume = Volume(settings=settings, documents=[], folder=folder)
    if has_settings:
        volume.sources.append(settings_file)

    files = _document_files(path, folder, volume, errors)
    header: dict[str, Any] = {}
    for file in files:
        with _collected(errors):
            header |= _read(volume, file, unreadable)
    if header and not has_settings:
        # A header in the source stands in for edition.toml; explicit overrides still win.
        with _collected(errors):
            volume.settings = load_settings(None, **{**header, **_given(setting_overrides)})
    elif header.get("language") and "language" not in volume.settings.given:
        # edition.toml is silent on the language: the sources' (langUsage, xml:lang) is
        # the volume's, which picks the words the program adds (edition/terms.py).
        volume.settings.language = header["language"]
    with _collected(errors):
        _load_register(folder, volume)
    with _collected(errors):
        _load_witnesses(folder, volume)
    for doc in volume.documents:
        doc.lang = doc.lang or volume.settings.language
        with _collected(errors):
            _check_title(doc)
            _check_runs(doc)
    tie_page_references(volume)
    with _collected(errors):
        # Translations with their originals: a link between files (docs/facing.md).
        pair_volume(volume)
    return volume


@contextmanager
def _collected(errors: list[EditionError] | None) -> Iterator[None]:
    """An error of the block goes to `errors` when given (and the block is left), else it
    is raised."""
    if errors is None:
        yield
        return
    try:
        yield
    except EditionError as exc:
        errors.append(exc)


def _document_files(path: Path, folder: Path, volume: Volume,
                    errors: list[EditionError] | None) -> list[Path]:
    """The files to read: the folder's documents in name order (after its front pages,
    read here), or the one file given."""
    if not path.is_dir():
        if path.suffix not in READERS:
            raise EditionError(f"unknown source type {path.suffix!r} (use .md or .xml)", path)
        return [path]
    front: list[Path] = []
    with _collected(errors):
        front = _front_page_paths(folder, volume.settings)
    for page in front:
        with _collected(errors):
            volume.front_pages.append(read_front_page(page, folder))
            volume.sources.append(page)
    # A link is checked even when it leads nowhere: skipping a dangling link but
    # refusing one to an existing file outside would tell which files exist. Only
    # folders are passed over: a FIFO or a device named like a document is refused
    # when it is opened (edition/safeio.py), never skipped in silence.
    candidates = [p for p in sorted(folder.iterdir())
                  if (p.is_symlink() or not p.is_dir()) and p.suffix in READERS
                  and p not in front]
    if not candidates:
        raise EditionError("no document files (*.md, *.xml) in the folder", path)
    files = []
    for candidate in candidates:
        with _collected(errors):
            files.append(_inside(candidate, folder))
    return files


def tie_page_references(volume: Volume) -> None:
    """"pp. 1717 ff." never breaks at a line's end, whichever reader read it."""
    for doc in volume.documents:
        page_reference_spaces((*walk.document_groups(doc),
                               *(note.blocks for note in walk.notes_of(doc))))
    for page in volume.front_pages:
        page_reference_spaces((page.blocks,))


def check_sources(volume: Volume) -> list[str]:
    """Each source format's own checks (`edition check`), one "FILE:LINE: …" per problem."""
    problems: list[str] = []
    for source in volume.sources:
        reader = READERS.get(source.suffix)
        if reader is not None:
            problems.extend(reader.check_file(source, volume.persons))
    return problems


def _read(volume: Volume, file: Path, unreadable: list[str] | None) -> dict[str, Any]:
    """One file into the volume (see `load_volume` for `unreadable`)."""
    reader = READERS[file.suffix]
    try:
        return _add(volume, file, reader.read_file(file, volume.settings))
    except EditionError as error:
        if unreadable is None:
            raise
        problems = reader.check_file(file, volume.persons)
        if not error.listed_in(problems):
            raise
        unreadable.extend(problems)
        return {}


def _add(volume: Volume, file: Path, result: ReaderResult) -> dict[str, Any]:
    """Add what one file brought to the volume; return its header's settings, if any."""
    volume.sources.append(file)
    volume.documents.extend(result.documents)
    volume.persons.update(result.persons)
    volume.cross_references.extend(result.cross_references)
    for key, place in result.places.items():
        volume.places.setdefault(key, place)  # letters repeat their registers' places
    volume.witnesses.update(result.witnesses)
    # Lists a source keeps as pages (a FRUS volume's persons) print in the front matter.
    volume.front_pages.extend(result.front_pages)
    volume.source_index.extend(result.source_index)
    volume.notices.extend(result.notices)
    return dict(result.settings)


def _given(overrides: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in overrides.items() if v is not None}


def _front_page_paths(folder: Path, settings: Settings) -> list[Path]:
    pages = []
    for name in settings.front_pages:
        page = folder / name
        # Inside first: whether a file outside exists is none of the edition's business.
        _inside(page, folder, settings.source, _front_pages_line(settings))
        if not page.is_file():
            raise EditionError(f"front-matter page {name!r} not found in {folder}",
                               settings.source, _front_pages_line(settings))
        pages.append(page)
    return pages


def _front_pages_line(settings: Settings) -> int:
    return _line_of_key(settings.source, "pages", "front_matter")


def _inside(path: Path, folder: Path, named_in: Path | None = None, line: int = 0) -> Path:
    """Sources are untrusted: a link (or a `..` in a name a setting gives) may not bring
    a file from outside the edition in. Checked here, when the folder is listed, for an
    early error with the setting's line; checked again on what is opened
    (edition/safeio.py), since the folder may change in between."""
    return safeio.check_inside(path, folder, named_in, line)


def _present(path: Path, folder: Path) -> bool:
    """Whether the edition has the file `path` (edition.toml, persons.toml): a link to
    outside the folder is refused, dangling or not, and so is anything but a file."""
    if not (path.is_symlink() or path.exists()):
        return False
    _inside(path, folder)
    if not path.is_file():
        raise EditionError("expected a file", path)
    return True


def _load_register(folder: Path, volume: Volume) -> None:
    register = folder / REGISTER_FILE
    if not _present(register, folder):
        return
    persons, cross_references = load_register(register)
    volume.persons.update(persons)
    volume.cross_references.extend(cross_references)
    volume.sources.append(register)


def _load_witnesses(folder: Path, volume: Volume) -> None:
    """`witnesses.toml` (edition/readers/witnesses.py), merged with the witnesses the
    sources declare."""
    path = folder / WITNESSES_FILE
    if not _present(path, folder):
        return
    merge_witnesses(volume.witnesses, load_witnesses(path))
    volume.sources.append(path)


def _check_title(doc: Document) -> None:
    """A title longer than a page can set is refused, whatever the format it came from
    (Markdown front matter, a TEI head): its heading and contents entry ran on for pages."""
    if len(plain_text(doc.title)) > MAX_TITLE_CHARS:
        raise EditionError(f"the title of document {doc.number} is longer than "
                           f"{MAX_TITLE_CHARS:,} characters: more than a page can set",
                           doc.source, doc.pos.line)


# Marked-up runs (emphasis, spans, names, links) in one run of text, at most: laying out
# costs a box each, and a paragraph of 50,000 (`*a**` × 50,000, 200 KB) took 80 s and
# 840 MB; the densest paragraphs of real volumes have a few hundred.
MAX_MARKED_RUNS = 10_000


def _check_runs(doc: Document) -> None:
    """A paragraph (a heading, a cell, a note's paragraph) of more than MAX_MARKED_RUNS
    marked-up runs is refused at its line, whatever the format it came from."""
    groups = [*walk.document_groups(doc), *(note.blocks for note in walk.notes_of(doc))]
    for run, _setter, pos in walk.runs(*groups, pos=doc.pos):
        marked = sum(isinstance(node, walk.CONTAINER_INLINES) for node in walk.inlines(run))
        if marked > MAX_MARKED_RUNS:
            where = pos or doc.pos
            raise EditionError(f"more than {MAX_MARKED_RUNS:,} marked-up runs (emphasis, "
                               "spans, names, links) in one paragraph; split it",
                               where.file, where.line)
