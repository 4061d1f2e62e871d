"""The lists a FRUS volume reads as data: persons, cross references, terms.

A persons division (`div[@xml:id="persons"]`) names each person with a
`persName[@xml:id]` followed by an identification; a `listPerson` in the header or the
text does the same with TEI's own structure. A terms list (`terms`, `abbreviations`)
pairs an abbreviation with its expansion. The reader keeps the lists themselves as
front pages too (see `TeiReader.add_front_page`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from edition.model import CrossReference, Person, Place, Pos
from edition.readers.tei.xml import XML_ID, _children, _descendants, _first, _key, _local, _text

if TYPE_CHECKING:
    from edition.readers.tei.reader import TeiReader

# `Münich. See Münnich, Ferenc`
_SEE = re.compile(r"(.+?)[.,]?\s+See\s+")


# ---------------------------------------------------------------- persons


def read_persons(r: TeiReader, div: etree._Element) -> None:
    """FRUS persons list: items `persName[@xml:id]` followed by an identification."""
    for item in _descendants(div, "item"):
        name = next((p for p in _descendants(item, "persName") if p.get(XML_ID)), None)
        if name is None:
            _cross_reference(r, item)
            continue
        index_form = _text(name)
        full = _text(item)
        at = full.find(index_form)
        rest = full[at + len(index_form):] if at >= 0 else ""
        identification = rest.lstrip(" ,;:").strip()
        _add_person(r, name.get(XML_ID), index_form, identification, r.pos(item))


def _cross_reference(r: TeiReader, item: etree._Element) -> None:
    """`Münich. See Münnich, Ferenc` in a persons list."""
    text = _text(item)
    ref = next((e for e in _descendants(item, "ref") if e.get("target")), None)
    m = _SEE.match(text)
    if m and ref is not None:
        r.result.cross_references.append(
            CrossReference(m.group(1).strip(), _key(ref.get("target", ""))))


def read_list_person(r: TeiReader, person_list: etree._Element) -> None:
    """`listPerson/person`: the first persName is the index form, a note the identification."""
    for person in _children(person_list, "person"):
        key = person.get(XML_ID)
        names = list(_children(person, "persName"))
        if not key or not names:
            continue
        index_form = _index_form(names[0])
        note = _first(person, "note")
        female = _is_female(person)
        ident = _text(note) if note is not None else ", ".join(
            _gendered(_text(e), female) for e in _children(person)
            if _local(e) in ("occupation", "roleName"))
        _add_person(r, key, index_form, ident, r.pos(person))
        extra = [_text(n) for n in names[1:]]
        r.result.persons[key].forms.extend(f for f in extra if f)


# `sex`/`gender` values (TEI's own, ISO 5218's codes, the usual words) of a woman.
_FEMALE = ("female", "f", "2", "woman", "w", "weiblich")
# "Schriftsteller/Schriftstellerin", "acteur/actrice": a register's one word in its two
# forms, which begin alike (never "1914/18" or "and/or").
_PAIR = re.compile(r"\b((\w{3})[^\W\d]*)/(\2[^\W\d]*)\b")


def _is_female(person: etree._Element) -> bool:
    """Whether the register says the person is a woman (`sex`, `gender`, `@sex`)."""
    values = [person.get("sex", ""), person.get("gender", "")]
    values += [e.get("value", "") or _text(e) for e in _children(person)
               if _local(e) in ("sex", "gender")]
    return any(v.strip().lower() in _FEMALE for v in values if v)


def _gendered(text: str, female: bool) -> str:
    """A register's masculine/feminine pair as the person's own form: the second for a
    woman, else the first ("Schriftsteller/Schriftstellerin" → "Schriftsteller")."""
    return _PAIR.sub(lambda m: m.group(3 if female else 1), text)


def _add_person(r: TeiReader, key: str, index_form: str, identification: str,
                pos: Pos) -> None:
    if key in r.result.persons:
        r.notice(pos, f"person '{key}' is listed twice; the first entry is kept")
        return
    r.result.persons[key] = Person(key, index_form, identification, _forms(index_form),
                                   pos=pos)


def _index_form(name: etree._Element) -> str:
    """A listPerson name as an index heading: `Surname, Forenames` when the parts are tagged."""
    surname = " ".join(_text(s) for s in _children(name, "surname"))
    forenames = " ".join(_text(f) for f in _children(name, "forename"))
    if surname and forenames:
        return f"{surname}, {forenames}"
    return _text(name)


def _forms(index_form: str) -> list[str]:
    """Forms the register matches in running text: the surname and `First Last`."""
    surname, _, given = index_form.partition(",")
    surname, given = surname.strip(), given.strip()
    forms = [surname] if surname else []
    if given:
        forms.append(f"{given} {surname}")
    return forms


# ---------------------------------------------------------------- places

# A place's name as the index prints it: untyped, or the register's preferred one.
_MAIN_NAME_TYPES = ("", "pref", "main", "reg", "full")


def read_list_place(r: TeiReader, place_list: etree._Element) -> None:
    """`listPlace/place[@xml:id]` (nested places too): the main `placeName` is the index
    form; a `note` or `desc`, else the country, region or place it lies in (`location`),
    identifies it."""
    for place in _descendants(place_list, "place"):
        key = place.get(XML_ID)
        names = [n for n in _children(place, "placeName") if _text(n)]
        if not key or not names or key in r.result.places:
            continue
        main = next((n for n in names if n.get("type", "") in _MAIN_NAME_TYPES), names[0])
        index_form = _text(main)
        r.result.places[key] = Place(key, index_form, _place_identification(place),
                                     [index_form], pos=r.pos(place))


def _place_identification(place: etree._Element) -> str:
    for name in ("desc", "note"):
        described = _first(place, name)
        if described is not None and _text(described):
            return _text(described)
    parts = [_text(e) for e in _children(place) if _local(e) in ("region", "country")]
    for location in _children(place, "location"):
        if location.get("type", "") in ("", "located_in_place"):
            parts.extend(_text(e) for e in _children(location)
                         if _local(e) in ("placeName", "settlement", "region", "country"))
    return ", ".join(dict.fromkeys(p for p in parts if p))


# ---------------------------------------------------------------- terms


def read_terms(r: TeiReader, div: etree._Element) -> None:
    """Abbreviations: `label` + `item` pairs, or items that start with the term."""
    for lst in _descendants(div, "list"):
        label: etree._Element | None = None
        for child in _children(lst):
            if _local(child) == "label":
                label = child
            elif _local(child) == "item":
                _read_term_item(r, child, label)
                label = None


def _read_term_item(r: TeiReader, item: etree._Element, label: etree._Element | None) -> None:
    full = _text(item)
    if label is not None:
        keys, expansion = [_text(label)], full
    else:
        first = next(_children(item), None)
        if first is None:
            return
        terms = [first] if _local(first) == "term" else list(_descendants(first, "term"))
        keys = [_text(t) for t in terms] or [_text(first)]
        shown = _text(first)
        expansion = full[full.find(shown) + len(shown):] if shown in full else full
        for term in terms:
            if term.get(XML_ID):
                r.term_ids[term.get(XML_ID)] = _text(term)
    expansion = expansion.lstrip(" ,;:").strip()
    for key in keys:
        key = key.strip().rstrip(",;:").strip()
        if key and expansion:
            r.terms.setdefault(key, expansion)
