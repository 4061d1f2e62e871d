"""Originals and their translations, paired section by section (docs/facing.md).

The readers record what each source says (`Document.keys`, `translation_of`,
`sections`); this stage resolves it across the volume's files into `Volume.pairs` and
moves each translation to follow its original, whatever the files' names. What the
sources contradict is an error at the place that says it: a translation of no document,
two translations of one, a section rendering no section or one already rendered, counts
that differ where the order pairs them.
"""

from __future__ import annotations

from edition.errors import EditionError
from edition.model import Document, Pair, Pos, Section, Volume


def pair_volume(volume: Volume) -> None:
    """Fill `volume.pairs` and put each translation right after its original."""
    by_key: dict[str, Document] = {}
    for doc in volume.documents:
        for key in doc.keys:
            by_key.setdefault(key, doc)
    pairs: list[Pair] = []
    seen: dict[int, Document] = {}
    for doc in volume.documents:
        if not doc.translation_of:
            continue
        original = by_key.get(doc.translation_of)
        if original is None or original is doc:
            raise _error(doc.translation_pos or doc.pos,
                         f"this translation renders '{doc.translation_of}', which is no "
                         "other document of the volume")
        if (earlier := seen.get(id(original))) is not None:
            raise _error(doc.translation_pos or doc.pos,
                         f"'{doc.translation_of}' already has a translation "
                         f"({earlier.translation_pos or earlier.pos})")
        seen[id(original)] = doc
        pairs.append(Pair(original, doc, pair_sections(original, doc)))
    volume.pairs = pairs
    _reorder(volume)


def pair_sections(original: Document, translation: Document
                  ) -> list[tuple[Section, Section | None]]:
    """Each section of the original with the translation's that renders it: by the
    translation's `corresp`, else by number when both number every section, else by
    order (then the counts must match)."""
    if any(section.corresp for section in translation.sections):
        return _by_name(original, translation, "corresp")
    if all(s.n for s in original.sections) and all(s.n for s in translation.sections):
        return _by_name(original, translation, "n")
    if len(original.sections) != len(translation.sections):
        raise _error(translation.translation_pos or translation.pos,
                     f"the translation has {len(translation.sections)} sections and its "
                     f"original {len(original.sections)} ({original.pos}): "
                     "paired in order, they must be as many")
    return list(zip(original.sections, translation.sections, strict=True))


def _by_name(original: Document, translation: Document,
             attribute: str) -> list[tuple[Section, Section | None]]:
    """Sections paired by what the translation's sections name (`corresp` or `n`)."""
    names: dict[str, Section] = {}
    for section in original.sections:
        for name in (section.id, section.n):
            if name:
                names.setdefault(name, section)
    rendered: dict[int, Section] = {}
    for section in translation.sections:
        name = getattr(section, attribute)
        target = names.get(name)
        if target is None:
            raise _error(section.pos, f"this section renders section '{name}', which the "
                         f"original ({original.pos}) does not have"
                         if name else "this section names no section of the original "
                         "(its other sections do)")
        if (other := rendered.get(id(target))) is not None:
            raise _error(section.pos, f"section '{name}' of the original is already "
                         f"rendered by the section at {other.pos}")
        rendered[id(target)] = section
    return [(section, rendered.get(id(section))) for section in original.sections]


def _reorder(volume: Volume) -> None:
    """Each translation right after its original (a translation of a translation after
    that one), the other documents in their order."""
    translations = {id(pair.translation) for pair in volume.pairs}
    following = {id(pair.original): pair.translation for pair in volume.pairs}
    ordered: list[Document] = []
    placed: set[int] = set()
    for doc in volume.documents:
        if id(doc) in translations:
            continue
        while doc is not None and id(doc) not in placed:
            ordered.append(doc)
            placed.add(id(doc))
            doc = following.get(id(doc))
    if lost := [doc for doc in volume.documents if id(doc) not in placed]:
        # Only translations of each other in a circle are reached from no original.
        raise _error(lost[0].translation_pos or lost[0].pos, "translations of each other "
                     "in a circle: one of them must be the original")
    volume.documents = ordered


def _error(pos: Pos, message: str) -> EditionError:
    return EditionError(message, pos.file, pos.line)
