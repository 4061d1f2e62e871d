"""`edition check` on a TEI apparatus, read from the XML itself so that every problem of
the file is listed even where the reader stops at the first.

- every `@wit` of a `lem` or `rdg` naming no witness of the file's `listWit`;
- double end-point entries (`app @from/@to`) pointing at no element of the file, ending
  before they start, or overlapping another entry without either containing the other:
  such lemmas cannot both be marked in the text (one lemma may hold another, as parallel
  segmentation nests `app`s, but two cannot cross).

Empty lemmas are checked on the model, for every format (edition/transform/apparatus_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.readers.tei.apparatus import _siglum
from edition.readers.tei.xml import XML_ID, _descendants, _local


def apparatus_problems(path: Path, root: etree._Element) -> list[str]:
    """Every apparatus problem of the file, one `FILE:LINE: message` each, in file order."""
    found = _unknown_witnesses(path, root) + _crossing_ranges(path, root)
    return [message for _line, message in sorted(found, key=lambda item: item[0])]


def _declared(root: etree._Element) -> set[str]:
    """What `@wit` may point at: the id (else the siglum) of each witness and group, as
    the reader registers them."""
    return {el.get(XML_ID) or _siglum(el)
            for name in ("witness", "listWit") for el in _descendants(root, name)
            if name == "witness" or el.get(XML_ID)}


def _unknown_witnesses(path: Path, root: etree._Element) -> list[tuple[int, str]]:
    declared = _declared(root)
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str) or _local(el) not in ("lem", "rdg"):
            continue
        for token in el.get("wit", "").split():
            if token.removeprefix("#") not in declared:
                line = el.sourceline or 0
                found.append((line, f"{path}:{line}: <{_local(el)} wit=\"{el.get('wit')}\">: "
                                    f"'{token}' names no witness of the file's listWit"))
    return found


@dataclass
class _Range:
    start: int
    end: int
    line: int
    name: str


def _crossing_ranges(path: Path, root: etree._Element) -> list[tuple[int, str]]:
    """Entries attached by `@from/@to`: each as the span of document positions it covers;
    two that cross (one starts inside the other and ends after it) are reported."""
    starts, ends = _positions(root)
    found: list[tuple[int, str]] = []
    ranges: list[_Range] = []
    for app in _descendants(root, "app"):
        if not app.get("from"):
            continue
        line = app.sourceline or 0
        first = app.get("from", "").removeprefix("#")
        last = (app.get("to") or app.get("from", "")).removeprefix("#")
        missing = [f"'#{key}'" for key in (first, last) if key not in starts]
        if missing:
            found.append((line, f"{path}:{line}: <app from/to> points at {missing[0]}, no "
                                "xml:id of the file"))
        elif ends[last] < starts[first]:
            found.append((line, f"{path}:{line}: <app> ends (#{last}) before it starts "
                                f"(#{first})"))
        else:
            ranges.append(_Range(starts[first], ends[last], line, f"#{first}–#{last}"))
    open_ranges: list[_Range] = []
    for item in sorted(ranges, key=lambda r: (r.start, -r.end)):
        while open_ranges and open_ranges[-1].end <= item.start:
            open_ranges.pop()
        outer = open_ranges[-1] if open_ranges else None
        if outer is not None and item.start < outer.end < item.end:
            found.append((item.line, f"{path}:{item.line}: <app> {item.name} overlaps the "
                          f"entry at line {outer.line} ({outer.name}) without either "
                          "containing the other: the two lemmas cannot both be marked in "
                          "the text"))
        open_ranges.append(item)
    return found


def _positions(root: etree._Element) -> tuple[dict[str, int], dict[str, int]]:
    """Each id's place in document order: where its element starts, and where it ends
    (an anchor starts and ends at one point; an element `to` names ends after its last
    descendant)."""
    order = {el: k for k, el in enumerate(root.iter())}
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for el, k in order.items():
        ident = el.get(XML_ID) if isinstance(el.tag, str) else None
        if ident:
            starts[ident] = k
            last = max((order[d] for d in el.iterdescendants()), default=k)
            ends[ident] = last
    return starts, ends
