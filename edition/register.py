"""The register of names: `persons.toml` → Person, and matching its forms in the texts.

`load_register` reads the register; `apply_register` wraps every form it finds in a
`NameRef` (or only gives an explicit one its anchor) and returns one `Occurrence` per
name, so the index can be built from where each occurrence landed on the page;
`check_names` is the heuristic report for `edition check`.

Matching is exact and case-sensitive on NFC text, bounded by Unicode word boundaries:
`Gerő` never matches `Gero`, `Kiss` never matches inside `Kissinger`. The longest form
wins (`Kiss Károly` before `Kiss`). A form listed for two persons is never matched
automatically: guessing would put a page under the wrong person, so such an occurrence
needs explicit markup and `check_names` says where.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from edition.errors import EditionError
from edition.model import (
    Attachment,
    Block,
    CrossReference,
    Emph,
    Heading,
    Inline,
    LineBreak,
    ListBlock,
    NameRef,
    Paragraph,
    Person,
    Pos,
    Quote,
    Ref,
    Span,
    SpeakerTurn,
    Strong,
    Table,
    Text,
    Verse,
    Volume,
    plain_text,
)

ALLOWED_KEYS = ("name", "identification", "forms", "variants", "see_also")


@dataclass
class Occurrence:
    """One mention of a person: where it is in the HTML (anchor) and in the volume."""

    key: str
    anchor: str
    document_number: str
    note_number: int | None
    text: str


# ---------------------------------------------------------------- loading


def load_register(path: Path) -> tuple[dict[str, Person], list[CrossReference]]:
    """Read `persons.toml`: one table per person, the table name is the key."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EditionError("register file not found", path) from None
    except UnicodeDecodeError as exc:
        raise EditionError(f"not UTF-8 text ({exc.reason})", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"malformed TOML: {exc}", path, _toml_error_line(exc, text)) from None
    persons: dict[str, Person] = {}
    cross_refs: list[CrossReference] = []
    for key, table in data.items():
        person, variants = _person(key, table, text, path)
        persons[key] = person
        cross_refs.extend(CrossReference(form=v, target_key=key) for v in variants)
    for person in persons.values():
        for target in person.see_also:
            if target not in persons:
                raise EditionError(f"[{person.key}] see_also names unknown person {target!r}",
                                   path, _line_of(text, person.key, "see_also"))
    return persons, cross_refs


def _toml_error_line(exc: tomllib.TOMLDecodeError, text: str) -> int:
    if m := re.search(r"at line (\d+)", str(exc)):
        return int(m.group(1))
    if "end of document" in str(exc):  # an unclosed value: its last line
        return len(text.rstrip().splitlines())
    return 0


def _person(key: str, table: Any, text: str, path: Path) -> tuple[Person, list[str]]:
    header = _line_of(text, key)
    if not isinstance(table, dict):
        raise EditionError(f"{key!r} should be a table [{key}] describing one person",
                           path, _line_of(text, "", key) or header)
    for name in table:
        if name not in ALLOWED_KEYS:
            raise EditionError(f"[{key}] unknown key {name!r} (allowed: {', '.join(ALLOWED_KEYS)})",
                               path, _line_of(text, key, name) or header)
    if "name" not in table:
        raise EditionError(f"[{key}] has no name (the index form, e.g. \"Kádár, János\")",
                           path, header)

    def value(name: str, kind: type, default: Any) -> Any:
        item = table.get(name, default)
        ok = isinstance(item, kind) and (
            kind is not list or all(isinstance(v, str) and v.strip() for v in item))
        if not ok or (kind is str and name == "name" and not item.strip()):
            what = "a list of non-empty strings" if kind is list else "a string"
            raise EditionError(f"[{key}] {name} should be {what}", path,
                               _line_of(text, key, name) or header)
        return [_nfc(v) for v in item] if kind is list else _nfc(item)

    person = Person(key=key, index_form=value("name", str, ""),
                    identification=value("identification", str, ""),
                    forms=value("forms", list, []), see_also=value("see_also", list, []),
                    pos=Pos(str(path), header))
    return person, value("variants", list, [])


def _line_of(text: str, table: str, key: str = "") -> int:
    """The line of `[table]` (or of `key` inside it): tomllib keeps no positions."""
    current: str | None = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if m := re.fullmatch(r"\[\s*(\"?)([^\]\"]+)\1\s*\](?:\s*#.*)?", line):
            current = m.group(2).strip()
            if not key and current == table:
                return number
        elif key and current == table and re.match(rf"\"?{re.escape(key)}\"?\s*=", line):
            return number
    return 0


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- the matcher

# Word characters for boundaries: Python's \w is Unicode-aware; combining marks are
# added so that a form never ends in front of an accent of decomposed text.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"


@dataclass
class Matcher:
    """Every form and variant of the register, compiled into one longest-first regex."""

    owners: dict[str, set[str]] = field(default_factory=dict)  # form → person keys
    pattern: re.Pattern[str] | None = None

    @classmethod
    def build(cls, persons: dict[str, Person],
              cross_refs: list[CrossReference]) -> Matcher:
        owners: dict[str, set[str]] = {}
        for person in persons.values():
            for form in person.forms:
                owners.setdefault(_nfc(form), set()).add(person.key)
        for ref in cross_refs:
            if ref.target_key in persons:
                owners.setdefault(_nfc(ref.form), set()).add(ref.target_key)
        if not owners:
            return cls(owners)
        # Longest first: the regex alternation takes the first alternative that matches.
        forms = sorted(owners, key=lambda f: (-len(f), f))
        alternation = "|".join(re.escape(f) for f in forms)
        pattern = re.compile(rf"(?<![\w{_MARKS}])(?:{alternation})(?![\w{_MARKS}])")
        return cls(owners, pattern)

    def finditer(self, text: str) -> Iterator[tuple[re.Match[str], set[str]]]:
        """Every match with the keys its form belongs to (more than one: ambiguous)."""
        if self.pattern is None:
            return
        for m in self.pattern.finditer(text):
            yield m, self.owners[m.group(0)]


# ---------------------------------------------------------------- applying


@dataclass
class _Walk:
    """State of one pass over the volume: the anchor counter and what was found."""

    volume: Volume
    matcher: Matcher
    occurrences: list[Occurrence] = field(default_factory=list)
    counter: int = 0
    document: str = ""
    note: int | None = None
    pos: Pos | None = None
    used: set[str] = field(default_factory=set)

    def anchor(self) -> str:
        """A fresh `name-<k>`, never one an explicit NameRef already carries."""
        while True:
            self.counter += 1
            candidate = f"name-{self.counter}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def record(self, key: str, anchor: str, text: str) -> None:
        self.occurrences.append(Occurrence(key, anchor, self.document, self.note, text))


def apply_register(volume: Volume) -> list[Occurrence]:
    """Wrap every unambiguous form in a NameRef and list every occurrence, in order.

    Numbering must have run: notes carry their numbers and turns their anchors.
    """
    walk = _Walk(volume, Matcher.build(volume.persons, volume.cross_references),
                 used=set(_anchors_in(volume.documents)))
    for document in volume.documents:
        walk.document, walk.note, walk.pos = document.number, None, document.pos
        document.title = _inlines(document.title, walk)
        for blocks in (document.headnote, document.body, document.colophon):
            _blocks(blocks, walk)
        for note in document.notes.values():
            if note.number is None:
                raise ValueError("apply_register needs numbered notes: run numbering first")
            walk.note, walk.pos = note.number, note.pos
            _blocks(note.blocks, walk)
    return walk.occurrences


def _anchors_in(node: object) -> Iterator[str]:
    """Anchors NameRefs already carry (explicit markup, or an earlier run)."""
    if isinstance(node, NameRef):
        if node.anchor:
            yield node.anchor
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _anchors_in(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _anchors_in(item)
    elif is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            if f.name not in ("pos", "source", "settings"):
                yield from _anchors_in(getattr(node, f.name))


def _blocks(blocks: list[Block], walk: _Walk) -> None:
    for block in blocks:
        walk.pos = getattr(block, "pos", None) or walk.pos
        for inlines, setter in _inline_slots(block):
            setter(_inlines(inlines, walk))
        if isinstance(block, SpeakerTurn):
            _speakers(block, walk)
        for child in _child_blocks(block):
            _blocks(child, walk)


def _inline_slots(block: Block) -> Iterator[tuple[list[Inline], Callable[[list[Inline]], None]]]:
    """Each inline run of a block with a function that puts the rewritten run back."""
    if isinstance(block, Paragraph | Heading):
        yield block.inlines, lambda new: setattr(block, "inlines", new)
    elif isinstance(block, Verse):
        for i, line in enumerate(block.lines):
            yield line, lambda new, i=i: block.lines.__setitem__(i, new)
    elif isinstance(block, Table):
        yield block.caption, lambda new: setattr(block, "caption", new)
        for row in block.rows:
            for cell in row:
                yield cell.inlines, lambda new, cell=cell: setattr(cell, "inlines", new)
    elif isinstance(block, Attachment):
        yield block.title, lambda new: setattr(block, "title", new)


def _child_blocks(block: Block) -> list[list[Block]]:
    if isinstance(block, ListBlock):
        return block.items
    if isinstance(block, Quote | SpeakerTurn | Attachment):
        return [block.blocks]
    return []


def _inlines(inlines: list[Inline], walk: _Walk) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.extend(_split_text(node, walk))
        elif isinstance(node, NameRef):
            _known(node.key, node.pos or walk.pos, walk.volume)
            node.anchor = node.anchor or walk.anchor()
            walk.record(node.key, node.anchor, plain_text(node.children))
            out.append(node)
        else:
            if isinstance(node, Emph | Strong | Span | Ref):
                node.children = _inlines(node.children, walk)
            out.append(node)
    return out


def _split_text(node: Text, walk: _Walk) -> list[Inline]:
    text = _nfc(node.text)
    out: list[Inline] = []
    last = 0
    for m, keys in walk.matcher.finditer(text):
        if len(keys) > 1:
            continue  # ambiguous: left as text, reported by check_names
        (key,) = keys
        if m.start() > last:
            out.append(Text(text[last:m.start()]))
        ref = NameRef(key, [Text(m.group(0))], pos=walk.pos, explicit=False,
                      anchor=walk.anchor())
        walk.record(key, ref.anchor, m.group(0))
        out.append(ref)
        last = m.end()
    if not out:
        node.text = text
        return [node]
    if last < len(text):
        out.append(Text(text[last:]))
    return out


def _speakers(turn: SpeakerTurn, walk: _Walk) -> None:
    """Give each speaker its person (from the label) and record the margin label."""
    m = re.fullmatch(r"(?:turn|label)-(.+)", turn.anchor)
    if m is None:
        raise ValueError("apply_register needs anchored speaker turns: run numbering first")
    anchor = f"label-{m.group(1)}"
    for speaker in turn.speakers:
        if speaker.person is None:
            speaker.person = speaker_person(speaker.label, walk.matcher)
        elif speaker.person not in walk.volume.persons:
            _known(speaker.person, turn.pos or walk.pos, walk.volume)
        if speaker.person is not None:
            walk.record(speaker.person, anchor, speaker.label)


def speaker_person(label: str, matcher: Matcher) -> str | None:
    """The person a speaker label names: the label is a form, or holds exactly one."""
    label = _nfc(label.strip())
    keys = matcher.owners.get(label)
    if keys is None:
        found = [ks for _, ks in matcher.finditer(label)]
        keys = found[0] if len(found) == 1 else None
    return next(iter(keys)) if keys and len(keys) == 1 else None


def _known(key: str, pos: Pos | None, volume: Volume) -> None:
    if key not in volume.persons:
        raise EditionError(f"unknown person {key!r} (not in the register)",
                           pos.file if pos else None, pos.line if pos else 0)



# ---------------------------------------------------------------- check

# Stand for a name already identified (explicit markup or a register match) and for an
# ambiguous form (reported on its own, so never again as an unknown name).
_NAME = "\ue000"
_AMBIGUOUS = "\ue001"
# Words that may follow a title but are not a name ("Cde. Khrushchev's proposal" is fine).
_TITLES = (r"Cdes?\.|Comrades?|Mr\.|Mrs\.|Ms\.|Dr\.|Prof\.|Professor|Marshal|General|"
           r"Ambassador|Premier|President|(?:Deputy\s+)?Prime\s+Minister|Minister|Secretary")
# Upper-case letters of the Latin, Greek and Cyrillic blocks (re has no \p{Lu}).
_UPPER = "".join(chr(c) for r in (range(0x41, 0x250), range(0x370, 0x530),
                                  range(0x1E00, 0x1F00)) for c in r if chr(c).isupper())
_CAP = rf"[{_UPPER}][\w’'-]*"  # a capitalised word
_INITIALS = rf"(?:[{_UPPER}]\.\s*){{1,3}}"
_SURNAME = rf"[{_UPPER}][\w’'-]+"  # at least two letters: "L. B." is a signature
_STOP = frozenset("""
    The A An And Or But Of In On To For With By From At As If On Not No This That These
    Those It He She We They You I His Her Our Their Its All Some Any Each Every Both
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday See Cf Ibid Ll Op F D Per Dok
    Central Committee Party Presidium Politburo Government Council Union Soviet Document
    Assembly Staff Department Command Headquarters Secretariat Affairs Army Forces
""".split())


@dataclass
class _Run:
    """The plain text of one block with its position, names replaced by `_NAME`."""

    text: str
    pos: Pos


def check_names(volume: Volume) -> list[str]:
    """Heuristic report for `edition check`, one "file:line: message" per finding.

    Finds (1) forms that belong to more than one person, where they occur unmarked;
    (2) word sequences that look like a person's name but match no register entry;
    (3) speaker labels naming nobody in the register; (4) register entries never
    mentioned. Works whether or not `apply_register` has run; changes nothing.
    """
    matcher = Matcher.build(volume.persons, volume.cross_references)
    mentioned: set[str] = set()
    findings: dict[str, tuple[str, int]] = {}  # dedupe key → (first message, count)

    def report(dedupe: str, pos: Pos, message: str) -> None:
        first, count = findings.get(dedupe, (f"{pos}: {message}", 0))
        findings[dedupe] = (first, count + 1)

    for run in _runs(volume, mentioned):
        text = run.text
        for m, keys in reversed(list(matcher.finditer(text))):
            if len(keys) > 1:
                report(f"ambiguous:{m.group(0)}", run.pos,
                       f"{m.group(0)!r} may be any of {', '.join(sorted(keys))}: "
                       "mark each occurrence with the person's key")
                text = text[:m.start()] + _AMBIGUOUS + text[m.end():]
                continue
            mentioned.update(keys)
            text = text[:m.start()] + _NAME + text[m.end():]
        for name in _unknown_names(text):
            report(f"unknown:{name}", run.pos, f"{name!r} looks like a person's name "
                   "but is not in the register")
    for document in volume.documents:
        for turn in _turns(document.body):
            for speaker in turn.speakers:
                key = speaker.person or speaker_person(speaker.label, matcher)
                if key:
                    mentioned.add(key)
                else:
                    pos = turn.pos or document.pos
                    report(f"speaker:{speaker.label}", pos,
                           f"speaker {speaker.label!r} names no person of the register")
    for person in volume.persons.values():
        if person.key not in mentioned:
            report(f"unused:{person.key}", person.pos or Pos("persons.toml"),
                   f"{person.index_form} [{person.key}] is never mentioned")
    return [first if count == 1 else f"{first} ({count} times)"
            for first, count in findings.values()]


def _runs(volume: Volume, mentioned: set[str]) -> Iterator[_Run]:
    """Every block's text with explicit names replaced by `_NAME` (noting their keys)."""
    for document in volume.documents:
        yield _Run(_flat(document.title, mentioned), document.pos)
        for blocks in (document.headnote, document.body, document.colophon):
            yield from _block_runs(blocks, document.pos, mentioned)
        for note in document.notes.values():
            yield from _block_runs(note.blocks, note.pos, mentioned)


def _block_runs(blocks: list[Block], pos: Pos, mentioned: set[str]) -> Iterator[_Run]:
    for block in blocks:
        here = getattr(block, "pos", None) or pos
        for inlines, _ in _inline_slots(block):
            yield _Run(_flat(inlines, mentioned), here)
        for child in _child_blocks(block):
            yield from _block_runs(child, here, mentioned)


def _flat(inlines: list[Inline], mentioned: set[str]) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, NameRef):
            mentioned.add(node.key)
            parts.append(_NAME)
        elif isinstance(node, Text):
            parts.append(_nfc(node.text))
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, Emph | Strong | Span | Ref):
            parts.append(_flat(node.children, mentioned))
    return "".join(parts)


def _turns(blocks: list[Block]) -> Iterator[SpeakerTurn]:
    for block in blocks:
        if isinstance(block, SpeakerTurn):
            yield block
        for child in _child_blocks(block):
            yield from _turns(child)


def _unknown_names(text: str) -> Iterator[str]:
    """Capitalised sequences that are probably persons: after a title, with initials,
    or standing in a list beside a known name ("Khrushchev, Molotov, and Malenkov")."""
    seen: set[str] = set()
    name = rf"(?:{_INITIALS})?{_CAP}(?:\s+(?:{_INITIALS})?{_CAP})?"
    patterns = [
        rf"\b(?:{_TITLES})\s+({name})",
        rf"(?<![\w.])((?:{_CAP}\s+)?{_INITIALS}{_SURNAME})",
    ]
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            candidate = _clean(m.group(1))
            if candidate and candidate not in seen:
                seen.add(candidate)
                yield candidate
    for candidate in _list_neighbours(text):
        if candidate not in seen:
            seen.add(candidate)
            yield candidate


def _list_neighbours(text: str) -> Iterator[str]:
    """Unknown capitalised items of a comma list that also holds a known name."""
    for segment in re.split(r"[.;:()\n—–]", text):
        items = [i.strip() for i in re.split(r",|\band\b", segment)]
        if len(items) < 2 or not any(i == _NAME for i in items):
            continue
        for item in items:
            if re.fullmatch(rf"(?:Cdes?\.\s+)?{_CAP}", item):
                candidate = _clean(re.sub(r"^Cdes?\.\s+", "", item))
                if candidate:
                    yield candidate


def _clean(candidate: str) -> str:
    """Strip a possessive and drop stop words and all-capital abbreviations."""
    words = [re.sub(r"['’]s$", "", w) for w in candidate.split()]
    while words and (words[-1] in _STOP or words[-1].isupper() and len(words[-1]) > 1):
        words.pop()
    if not words or words[0] in _STOP:
        return ""
    return " ".join(words)

