"""Cross-references `[text](doc:7)` that point at no document of the volume.

Such a link would print as plain text with no target, silently: `edition check` lists
each as a problem and a build as a preflight finding (`Volume.dead_links`, filled by
`edition.build.load` before a handout drops documents).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from edition.model import Volume, walk
from edition.model.nodes import Inline, Pos, Ref

DOCUMENT_SCHEME = "doc:"


def dead_links(volume: Volume) -> list[str]:
    """"FILE:LINE: message" for every `doc:` link whose document the volume lacks."""
    numbers = {document.number for document in volume.documents}
    problems = []
    for ref, pos in _refs(volume):
        if ref.target.startswith(DOCUMENT_SCHEME):
            number = ref.target[len(DOCUMENT_SCHEME):]
            if number not in numbers:
                message = f"link to document {number!r}, which the volume does not contain"
                where = ref.pos or pos
                problems.append(f"{where}: {message}" if where else message)
    return problems


def _refs(volume: Volume) -> Iterator[tuple[Ref, Pos | None]]:
    for document in volume.documents:
        groups = [*walk.document_groups(document)]
        for run, _, pos in walk.runs(*groups, pos=document.pos):
            yield from ((ref, pos) for ref in _refs_in(run))
        for note in walk.notes_of(document):
            for run, _, pos in walk.runs(note.blocks, pos=note.pos):
                yield from ((ref, pos) for ref in _refs_in(run))


def _refs_in(run: Iterable[Inline]) -> Iterator[Ref]:
    for node in run:
        if isinstance(node, Ref):
            yield node
        children = getattr(node, "children", None)
        if children:
            yield from _refs_in(children)
