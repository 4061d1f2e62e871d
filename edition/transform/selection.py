"""Handouts: a few documents of the volume, for a class or a seminar.

The selection happens between numbering and the register, so note numbers are either the
ones the whole volume gives ("volume": a student can cite the edition) or restart at 1
across the handout ("restart"), and the index lists only the selected documents' names.
"""

from __future__ import annotations

from edition.errors import EditionError
from edition.model import Volume
from edition.transform.numbering import number_volume


def select_documents(volume: Volume, numbers: list[str], notes: str = "volume") -> None:
    """Keep only the documents `numbers` names, in volume order; renumber if asked.

    `volume` must already be numbered as a whole (number_volume).
    """
    by_number = {doc.number: doc for doc in volume.documents}
    unknown = [n for n in numbers if n not in by_number]
    if unknown:
        known = ", ".join(by_number) or "none"
        raise EditionError(f"no document numbered {', '.join(unknown)} "
                           f"(the volume has {known})", volume.settings.source)
    wanted = set(numbers)
    # An original brings its translation along: the two are read side by side.
    wanted |= {pair.translation.number for pair in volume.pairs
               if pair.original.number in wanted}
    volume.documents = [doc for doc in volume.documents if doc.number in wanted]
    volume.pairs = [pair for pair in volume.pairs
                    if pair.original.number in wanted and pair.translation.number in wanted]
    volume.front_pages = []
    if notes == "restart":
        # From 1 across the handout, whatever the volume's own numbering.
        volume.settings.note_start = 1
        volume.settings.note_numbering = "continuous"
        number_volume(volume)
