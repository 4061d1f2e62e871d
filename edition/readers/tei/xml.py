"""Safe parsing of a TEI file and the small helpers every other module reads XML with.

Sources are untrusted: entities, DTDs and the network are off, entity declarations are
refused in any encoding, and every failure is one EditionError naming the file and line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from edition import safeio
from edition.errors import EditionError, line_of
from edition.readers.base import MAX_MARKUP_BYTES, MAX_NESTING, SPLIT_HINT

# Elements in one TEI file: the largest file of the shared corpus (the FRUS history
# monograph, 2.2 MB) has 11,810; a whole FRUS volume at the 30 MB file limit would have
# about 160,000 at that density.
MAX_ELEMENTS = 250_000

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# XML white space (not Unicode's: a no-break space is text).
WS = re.compile(r"[ \t\r\n]+")
RANGE = re.compile(r"#range\(\s*([^,\s)]+)\s*,\s*([^,\s)]+)\s*\)")
_ENTITY_DECL = re.compile(rb"<!ENTITY")
_NO_ENTITIES = "malformed XML: entity declarations are not allowed in TEI sources"


def _parse(path: Path) -> etree._Element:
    """Parse safely: no DTD, no entities, no network; every failure is an EditionError."""
    data = _read_bytes(path)
    # Entity declarations are how XXE and entity bombs get in; TEI sources never need them.
    if b"<!DOCTYPE" in data and (m := _ENTITY_DECL.search(data)):
        raise EditionError(_NO_ENTITIES, path, line_of(data.decode("latin-1"), m.start()))
    _count_elements(data, path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser, base_url=str(path))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        # libxml2's column, 1-based, when it is of that line.
        column = exc.position[1] if exc.position and exc.position[0] == line else 0
        raise EditionError(f"malformed XML: {_one_line(exc)}", path, line, column) from None
    except ValueError as exc:  # e.g. an encoding declaration lxml refuses
        raise EditionError(f"malformed XML: {exc}", path, 1) from None
    # The byte check above cannot see `<!ENTITY` in UTF-16; the parsed DTD can.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and next(dtd.iterentities(), None) is not None:
        raise EditionError(_NO_ENTITIES, path, 1)
    _check_nesting(root, path)
    if _local(root) != "TEI":
        raise EditionError(f"not a TEI document: the root element is <{_local(root)}>", path,
                           root.sourceline or 1)
    return root


def _count_elements(data: bytes, path: Path) -> None:
    """Refuse a file of more than MAX_ELEMENTS elements at the first one past the limit,
    before its whole tree is built: `<lb/>` × 1,000,000 is 6 MB, and its tree (about 150
    bytes an element in libxml2) and the model made from it exhausted the memory.

    A pass of its own, stopped at the limit: the tree it builds is never larger than the
    limit allows. Malformed XML is left to the parse that follows, which reports it
    with its line (lxml's incremental parser reports some errors without one)."""
    elements = 0
    try:
        for _event, el in etree.iterparse(io.BytesIO(data), events=("start",),
                                          resolve_entities=False, no_network=True,
                                          load_dtd=False, huge_tree=False):
            elements += 1
            if elements > MAX_ELEMENTS:
                raise EditionError(f"more than {MAX_ELEMENTS:,} elements in one file; "
                                   "split the volume into several files", path,
                                   el.sourceline or 0)
    except (etree.XMLSyntaxError, ValueError):
        return


def _check_nesting(root: etree._Element, path: Path) -> None:
    """Elements nested deeper than MAX_NESTING are an error at their line: the reader and
    every later stage recurse once per level. (libxml2 itself stops at 256.)"""
    depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_NESTING:
            raise EditionError(f"elements nested more than {MAX_NESTING} levels deep",
                               path, el.sourceline or 0)


def _read_bytes(path: Path) -> bytes:
    return safeio.read_capped(path, MAX_MARKUP_BYTES, hint=SPLIT_HINT)


def _one_line(exc: etree.XMLSyntaxError) -> str:
    """libxml2 may append the offending source text on further lines: keep the first."""
    first = (exc.msg or str(exc)).split("\n", 1)[0].strip()
    return re.sub(r", line \d+, column \d+$", "", first)


# ---------------------------------------------------------------- element helpers


def _local(el: etree._Element) -> str:
    """The tag without its namespace; "" for comments and processing instructions."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(el: etree._Element, name: str | None = None) -> Iterator[etree._Element]:
    for child in el:
        if isinstance(child.tag, str) and (name is None or _local(child) == name):
            yield child


def _first(el: etree._Element, *names: str) -> etree._Element | None:
    return next((c for c in _children(el) if _local(c) in names), None)


def _descendants(el: etree._Element, name: str) -> Iterator[etree._Element]:
    return (d for d in el.iter() if isinstance(d.tag, str) and _local(d) == name)


def _text(el: etree._Element | None) -> str:
    """Plain text of an element, XML whitespace collapsed, notes left out."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in _children(node):
            if _local(child) != "note":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return WS.sub(" ", "".join(parts)).strip()


def _key(target: str) -> str:
    """`#p_DJF1` → `p_DJF1`; a bare key stays; only the first of several targets counts."""
    first = target.split()[0] if target.split() else ""
    return first.rpartition("#")[2] if "#" in first else first


def _internal_targets(target: str) -> list[str]:
    """The xml:ids a `ref/@target` points at in the same file (`#a #b`, `#range(a,b)`)."""
    if m := RANGE.fullmatch(target.strip()):
        return [m.group(1), m.group(2)]
    return [t[1:] for t in target.split() if t.startswith("#") and len(t) > 1]
