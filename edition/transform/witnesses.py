"""The conspectus siglorum: the witnesses register printed as a front-matter page.

A critical edition lists its witnesses before the text: each siglum (italic, as the
apparatus prints it) with its description; a group's siglum with the sigla it stands for.
"""

from __future__ import annotations

from pathlib import Path

from edition.model import Emph, FrontPage, ListBlock, Paragraph, Text, Volume, Witness

TITLE = "Conspectus siglorum"


def add_conspectus(volume: Volume) -> None:
    """Add the conspectus page after the volume's own front pages, once, when the volume
    has witnesses and no page of that title."""
    if not volume.witnesses or any(p.title == TITLE for p in volume.front_pages):
        return
    items = [[Paragraph(_line(witness), roles=["noindent"])]
             for witness in volume.witnesses.values()]
    first = next(iter(volume.witnesses.values()))
    source = Path(first.pos.file) if first.pos else Path(".")
    volume.front_pages.append(
        FrontPage(TITLE, [ListBlock(False, items, marker="none")], source))


def _line(witness: Witness) -> list:
    """`M  Marcianus gr. 123` or `β = M V  codices recentiores`."""
    line: list = [Emph([Text(witness.siglum)])]
    if witness.members:
        line.append(Text(" = "))
        for k, member in enumerate(witness.members):
            line.extend([Text(" ")] if k else [])
            line.append(Emph([Text(member)]))
    if witness.description:
        line.append(Text("\u2003" + witness.description))
    return line
