"""What every reader returns, and the table of readers by file suffix."""

from __future__ import annotations

import importlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edition.model import (
    CrossReference,
    Document,
    FrontPage,
    Notice,
    Person,
    Place,
    SourceIndexEntry,
    Witness,
)

# A document file beyond this is a mistake (or an attack), not a document: laying out
# 10 MB of text already takes minutes, and 50 MB would exhaust time and memory.
MAX_SOURCE_BYTES = 10 * 1024 * 1024
# Markup (TEI) carries about two bytes of tags per byte of text; a whole FRUS volume in
# one file stays well below this.
MAX_MARKUP_BYTES = 3 * MAX_SOURCE_BYTES
# Elements (TEI) or containers, quotes and lists (Markdown) nested deeper than this are
# refused with their line: real editions nest a dozen levels, and every later stage
# (model walks, HTML, WeasyPrint's layout) recurses once per level.
MAX_NESTING = 100
# Lines of one Markdown file: markdown-it holds a token or more per line (1,000,000 list
# items took 2.8 GB and a minute to parse, before anything was checked); a document of
# 10 MB of prose is about 100,000 lines.
MAX_SOURCE_LINES = 100_000
# Said when a document is larger than its limit.
SPLIT_HINT = "split the document into several files"


@dataclass
class ReaderResult:
    """One source file read into the model: everything it brings to the volume."""

    documents: list[Document] = field(default_factory=list)
    # A source that carries its own register (a TEI listPerson) brings its persons.
    persons: dict[str, Person] = field(default_factory=dict)
    cross_references: list[CrossReference] = field(default_factory=list)
    # A source's register of places (a TEI listPlace).
    places: dict[str, Place] = field(default_factory=dict)
    # A critical text's witnesses (TEI listWit), by siglum.
    witnesses: dict[str, Witness] = field(default_factory=dict)
    # Lists kept as pages of the front matter (a FRUS volume's persons, abbreviations).
    front_pages: list[FrontPage] = field(default_factory=list)
    # The source's own back-of-book index.
    source_index: list[SourceIndexEntry] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # Keys named like Settings fields, from a header that stands in for edition.toml.
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reader:
    """A source format: the module that reads it, imported on first use (lxml is not
    loaded for a Markdown-only edition), its reading function and its own checks."""

    name: str
    module: str
    read: str  # read(path, settings) → ReaderResult
    check: str = ""  # check(path, known_persons) → ["FILE:LINE: problem", …]

    def read_file(self, path: Path, settings: Any) -> ReaderResult:
        return getattr(importlib.import_module(self.module), self.read)(path, settings)

    def check_file(self, path: Path, known_persons: Collection[str]) -> list[str]:
        if not self.check:
            return []
        return getattr(importlib.import_module(self.module), self.check)(path, known_persons)
