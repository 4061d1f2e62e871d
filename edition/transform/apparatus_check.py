"""What an apparatus entry must be, whatever format it came from: its sigla name declared
witnesses, and it records something (a lemma, or readings that add words to the text).

The build stops at the first problem (`check_apparatus`); `edition check` lists every
one (`apparatus_problems`). A format's own checks (a TEI `@wit` pointing nowhere,
crossing `app @from/@to` ranges) live with its reader.
"""

from __future__ import annotations

from collections.abc import Iterator

from edition.errors import EditionError
from edition.model import Apparatus, Pos, Reading, Volume, walk
from edition.model.text import plain_text


def check_apparatus(volume: Volume) -> None:
    """Raise the first problem of the volume's entries."""
    for problem in _problems(volume):
        raise problem


def apparatus_problems(volume: Volume) -> list[str]:
    """Every problem of every entry, one `FILE:LINE: message` each."""
    return [str(problem) for problem in _problems(volume)]


def _problems(volume: Volume) -> Iterator[EditionError]:
    for doc in volume.documents:
        for entry in walk.of_type(Apparatus, *walk.document_groups(doc)):
            yield from _unknown_sigla(entry, volume)
            if _empty(entry):
                yield _error(entry, entry.lemma,
                             "empty lemma: the entry records no words of the text and "
                             "nothing a witness has in their place; write the lemma in [ ] or set "
                             "[apparatus] base to the witness whose reading the text prints")


def _unknown_sigla(entry: Apparatus, volume: Volume) -> Iterator[EditionError]:
    for reading in (entry.lemma, *entry.all_readings()):
        for siglum in reading.witnesses:
            if siglum not in volume.witnesses:
                where = ("no witness is declared (witnesses.toml)" if not volume.witnesses
                         else "declared: " + " ".join(volume.witnesses))
                yield _error(entry, reading, f"siglum {siglum!r} names no witness ({where})")


def _empty(entry: Apparatus) -> bool:
    """No lemma, and nothing said in its place: no reading with words to add, no remark
    (`inc.`, a witness's start) and no note."""
    if _words(entry.lemma) or entry.lemma.remarks or entry.notes:
        return False
    return not any(_words(reading) or reading.remarks for reading in entry.all_readings())


def _words(reading: Reading) -> str:
    return plain_text(reading.children, " ", one_line=True).strip()


def _error(entry: Apparatus, reading: Reading, message: str) -> EditionError:
    pos = reading.pos or entry.pos or Pos("")
    return EditionError(message, pos.file or None, pos.line)
