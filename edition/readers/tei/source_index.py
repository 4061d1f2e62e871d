"""The source's own back-of-book index (`div[@type="index"]`) → SourceIndexEntry list.

An item reads `term, refs; subterm, refs (see also …). See …` with nested lists for
subentries; the refs point at anchors in the text, whose pages a later stage finds.
"""

from __future__ import annotations

import re

from lxml import etree

from edition.model import SourceIndexEntry
from edition.readers.tei.xml import RANGE, WS, XML_ID, _children, _local, _text

# What ends one See target in the text between elements: the next one, or `(see also …)`.
_SEE_END = re.compile(r"[;)]")


def read_index(div: etree._Element) -> list[SourceIndexEntry]:
    entries: list[SourceIndexEntry] = []
    for lst in _children(div, "list"):
        entries.extend(e for e in map(_index_item, _children(lst, "item")) if e)
    return entries


class _SeeReader:
    """The See / See also references of an item, fed piece by piece in document order."""

    def __init__(self) -> None:
        self.entry: SourceIndexEntry | None = None  # the entry the references belong to
        self.mode = ""  # "", "see" or "see_also"
        self.collected: list[str] = []

    def close(self) -> None:
        text = WS.sub(" ", "".join(self.collected)).strip(" .,;:()")
        if self.mode and self.entry is not None and text:
            targets = self.entry.see if self.mode == "see" else self.entry.see_also
            targets.append(text)
        self.collected.clear()
        self.mode = ""

    def feed(self, piece: str | None) -> None:
        """Text between elements: in See mode it is part of the target; `;` or `)` ends it."""
        rest = piece
        while rest and self.mode:
            m = _SEE_END.search(rest)
            if not m:
                self.collected.append(rest)
                return
            self.collected.append(rest[:m.start()])
            # `See A; B` names two targets; `(see also …)` ends with its parenthesis.
            keep = self.mode if m.group() == ";" else ""
            self.close()
            self.mode = keep
            rest = rest[m.end():]


def _index_item(item: etree._Element) -> SourceIndexEntry | None:
    """One index item: `term, refs; subterm, refs (see also …). See …` plus nested lists."""
    main: SourceIndexEntry | None = None
    see = _SeeReader()
    see.feed(item.text)
    for child in _children(item):
        name = _local(child)
        if name == "term":
            see.close()
            entry = SourceIndexEntry(_text(child), id=child.get(XML_ID, ""))
            if main is None:
                main = entry
            else:
                main.subentries.append(entry)
            see.entry = entry
        elif name == "hi" and _text(child).lower() in ("see", "see also"):
            see.close()
            see.mode = "see_also" if _text(child).lower() == "see also" else "see"
        elif name == "ref" and see.mode:
            see.collected.append(_text(child))
        elif name == "ref" and see.entry is not None:
            _add_target(see.entry, child.get("target", ""))
        elif name == "list" and main is not None:
            see.close()
            main.subentries.extend(e for e in map(_index_item, _children(child, "item")) if e)
        elif see.mode:
            see.collected.append(_text(child))
        see.feed(child.tail)
    see.close()
    return main


def _add_target(entry: SourceIndexEntry, target: str) -> None:
    """`#range(a, b)` → (a, b); `#a` → (a, None); anything else points nowhere."""
    if m := RANGE.fullmatch(target.strip()):
        entry.targets.append((m.group(1), m.group(2)))
    elif target.startswith("#") and len(target) > 1:
        entry.targets.append((target[1:], None))
