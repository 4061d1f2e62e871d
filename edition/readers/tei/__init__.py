"""The TEI P5 reader: a TEI file (a FRUS-style volume, an article, a monograph) → model.

lxml parses the file with entities, DTDs and the network switched off; anything that is
not well-formed (or declares entities) is an EditionError naming the file and line. The
walk maps TEI elements onto the document model:

- `div[@type="document"]` → Document; in books, top-level divisions (chapter, section,
  part, …) → Document(kind="chapter"); divisions nested inside either → Heading blocks.
- `div[@xml:id="persons"]` / `listPerson` → Person entries; `div[@xml:id="terms"]` (and
  `abbreviations`) → terms, kept as a front page; `div[@type="index"]` → the source's
  own SourceIndexEntry list.
- notes → NoteCall + Note (labels only; numbering is a later stage); `note[@type="source"]`
  → the colophon; a leading editorial note or `div[@type="headnote"]` → the headnote.

Elements the reader does not know keep their text and give one notice per element name.

The modules: `xml` (safe parsing, element helpers), `whitespace` (XML white space →
model text), `run` (mixed content → paragraphs), `blocks` and `inlines` (one rule per
element, in the tables BLOCK_RULES and INLINE_RULES), `reader` (the state and the walk
over divisions), `persons`, `source_index`, `header`,
`colophon` (run-in speakers: `readers/speakers.py`).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from edition.errors import EditionError
from edition.readers.base import ReaderResult
from edition.readers.tei.apparatus_check import apparatus_problems
from edition.readers.tei.header import source_language
from edition.readers.tei.reader import TeiReader
from edition.readers.tei.xml import XML_ID, _internal_targets, _parse
from edition.settings import Settings

__all__ = ["check_tei", "read_tei"]


def read_tei(path: Path, settings: Settings | None = None) -> ReaderResult:
    """Read one TEI file into documents, persons, front pages, its index and header settings."""
    path = Path(path)
    root = _parse(path)
    lang = source_language(root) or (settings.language if settings else "")
    reader = TeiReader(path, root, lang)
    reader.apparatus_base = settings.apparatus_base if settings else ""
    return reader.read()


def check_tei(path: Path, known_persons: Collection[str] = ()) -> list[str]:
    """Problems for `edition check`: unresolved person and internal targets, unknown
    elements, the apparatus's unknown sigla and crossing entries (all of them, even when
    reading stops at the first unknown siglum).

    `known_persons` are keys the volume's register (persons.toml) defines besides the
    file's own persons list: a TEI document in a Markdown volume refers to those.
    """
    path = Path(path)
    root = _parse(path)
    reader = TeiReader(path, root, source_language(root))
    # Read from the XML, every one of them: the reader stops at the first unknown siglum.
    apparatus = apparatus_problems(path, root)
    try:
        result = reader.read()
    except EditionError as error:
        if error.listed_in(apparatus):
            return apparatus
        raise
    problems = [str(notice) for notice in result.notices] + apparatus
    for key, pos in reader.person_refs:
        if key not in result.persons and key not in known_persons:
            problems.append(f"{pos}: person reference '#{key}' has no entry in the persons list")
    # The walk leaves the tree as parsed, so its ids are the file's.
    ids = {el.get(XML_ID) for el in root.iter() if el.get(XML_ID)}
    for el in root.iter("{*}ref", "ref"):
        for target in _internal_targets(el.get("target", "")):
            if target not in ids:
                problems.append(f"{path}:{el.sourceline}: reference to '#{target}' points "
                                "at no xml:id in the file")
    return problems
