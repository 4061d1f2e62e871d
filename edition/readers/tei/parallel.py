"""A text and its translation in TEI: what the reader records for pairing them.

A `div type="translation"` renders the division its `@corresp` names (another file's
`div type="edition"`, by its `@n` or `@xml:id`), or, without `@corresp`, the file's own
`div type="edition"`. The divisions of either are its sections. The reader records keys,
links and sections in the model (`Document.keys`, `translation_of`, `sections`);
`transform/pairing.py` resolves them across files (docs/facing.md).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from edition.model import Block, Document, Pos, Section
from edition.readers.tei.xml import XML_ID, _local

PAIRED_TYPES = ("edition", "translation")


def is_paired(div: etree._Element) -> bool:
    """Whether the division is a text or a translation set in step with the other."""
    return _local(div) == "div" and div.get("type") in PAIRED_TYPES


def _key(value: str) -> str:
    """A pointer's target as a key: `#sec1` and `sec1` name the same thing."""
    return value.strip().split()[0].removeprefix("#") if value.strip() else ""


def _own_edition(div: etree._Element) -> etree._Element | None:
    """The file's `div type="edition"`, which a translation without @corresp renders."""
    root = div.getroottree().getroot()
    return next((d for d in root.iter("{*}div") if d.get("type") == "edition"), None)


def _fallback_key(div: etree._Element, file: str) -> str:
    """A key for an edition division that has neither @n nor @xml:id."""
    return f"{file}:{div.sourceline or 0}"


def division_keys(div: etree._Element, file: str) -> list[str]:
    """The names a translation may point at this division by."""
    keys = [_key(div.get(attr, "")) for attr in ("n", XML_ID)]
    if div.get("type") == "edition":
        keys.append(_fallback_key(div, file))
    return [key for key in keys if key]


def link_translation(doc: Document, div: etree._Element, file: str) -> None:
    """Record on `doc` the keys of its division and, for a translation, its original."""
    doc.keys = division_keys(div, file)
    if div.get("type") != "translation":
        return
    pointer = _key(div.get("corresp", ""))
    if not pointer and (edition := _own_edition(div)) is not None:
        pointer = division_keys(edition, file)[0]
    doc.translation_of = pointer
    doc.translation_pos = Pos(file, div.sourceline or 0)


def sectioned(elements: list[etree._Element], read: Callable[[list[etree._Element]], list[Block]],
              file: str) -> tuple[list[Block], list[Section]]:
    """The blocks of a paired division's content and its sections: each child division
    is one; loose content (a `pb`) belongs to the section after it, or before it at the
    end. Each element is read on its own, as `blocks_of` reads it among the others."""
    blocks: list[Block] = []
    sections: list[Section] = []
    loose: list[etree._Element] = []
    for el in elements:
        if _local(el) != "div":
            loose.append(el)
            continue
        start = len(blocks)
        blocks.extend(read([*loose, el]))
        loose = []
        sections.append(Section(start, len(blocks), Pos(file, el.sourceline or 0),
                                n=el.get("n", "").strip(), id=el.get(XML_ID, ""),
                                corresp=_key(el.get("corresp", ""))))
    blocks.extend(read(loose) if loose else [])
    if sections:
        sections[-1].end = len(blocks)
    return blocks, sections
