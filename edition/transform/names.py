"""Matching the register's names in the texts: a transform stage of its own.

`apply_register` wraps every form of `persons.toml` (read by edition/readers/persons.py)
that it finds in a `NameRef` (or only gives an explicit one its anchor) and returns one
`Occurrence` per name, so the index can be built from where each occurrence landed on
the page; `check_names` is the heuristic report for `edition check`.

Matching is exact and case-sensitive on NFC text, bounded by Unicode word boundaries:
`Gerő` never matches `Gero`, `Kiss` never matches inside `Kissinger`. The longest form
wins (`Kiss Károly` before `Kiss`). A form listed for two persons is never matched
automatically: guessing would put a page under the wrong person, so such an occurrence
needs explicit markup and `check_names` says where.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from edition import safeio
from edition.errors import EditionError
from edition.model import (
    Block,
    CrossReference,
    Inline,
    NameRef,
    Person,
    Pos,
    SpeakerTurn,
    Text,
    Volume,
    ids,
    plain_text,
    walk,
)
from edition.readers.base import MAX_MARKUP_BYTES


@dataclass
class Occurrence:
    """One mention of a person (or a place, `kind="place"`): where it is in the HTML
    (anchor) and in the volume."""

    key: str
    anchor: str
    document_number: str
    note_number: int | None
    text: str
    kind: str = "person"


def of_kind(occurrences: list[Occurrence], kind: str) -> list[Occurrence]:
    """The mentions of one register: persons for the index of names, places for the
    index of places."""
    return [occ for occ in occurrences if occ.kind == kind]


# ---------------------------------------------------------------- the matcher


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


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
    used: set[str] = field(default_factory=set)
    # When a list: unknown person keys are collected here (`edition check` lists them
    # all) instead of raising at the first.
    errors: list[EditionError] | None = None

    def known(self, key: str, pos: Pos | None) -> bool:
        if key in self.volume.persons:
            return True
        error = EditionError(f"unknown person {key!r} (not in the register)",
                             pos.file if pos else None, pos.line if pos else 0)
        if self.errors is None:
            raise error
        self.errors.append(error)
        return False

    def anchor(self) -> str:
        """A fresh `name-<k>`, never one an explicit NameRef already carries."""
        while True:
            self.counter += 1
            candidate = ids.name(self.counter)
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate

    def record(self, key: str, anchor: str, text: str, kind: str = "person") -> None:
        self.occurrences.append(Occurrence(key, anchor, self.document, self.note, text,
                                           kind))

    def rule(self, node: Inline, pos: Pos | None) -> list[Inline] | None:
        """The rewriting rule: a text becomes texts and names; a name gets its anchor."""
        if isinstance(node, Text):
            return _split_text(node, self, pos)
        if isinstance(node, NameRef):
            # A place is marked only when the reader found it in the places register.
            if node.kind == "person" and not self.known(node.key, node.pos or pos):
                return [node]
            node.anchor = node.anchor or self.anchor()
            self.record(node.key, node.anchor, plain_text(node.children), node.kind)
            return [node]
        return None

    def visit(self, block: Block, pos: Pos | None) -> None:
        if isinstance(block, SpeakerTurn):
            _speakers(block, self, pos)


def apply_register(volume: Volume,
                   errors: list[EditionError] | None = None) -> list[Occurrence]:
    """Wrap every unambiguous form in a NameRef and list every occurrence, in order.

    Numbering must have run: notes carry their numbers and turns their anchors. An
    unknown person key raises, or, when `errors` is a list, is appended to it.
    """
    state = _Walk(volume, Matcher.build(volume.persons, volume.cross_references),
                  used=set(_explicit_anchors(volume)), errors=errors)
    for document in volume.documents:
        state.document, state.note = document.number, None
        document.title = walk.rewrite_inlines(document.title, state.rule, document.pos)
        for blocks in (document.headnote, document.body, document.colophon):
            walk.rewrite_blocks(blocks, state.rule, document.pos, state.visit)
        for note in walk.notes_of(document):
            if note.number is None:
                raise ValueError("apply_register needs numbered notes: run numbering first")
            state.note = note.number
            walk.rewrite_blocks(note.blocks, state.rule, note.pos, state.visit)
    return state.occurrences


def _explicit_anchors(volume: Volume) -> Iterator[str]:
    """Anchors NameRefs already carry (explicit markup, or an earlier run)."""
    for document in volume.documents:
        groups = (*walk.document_groups(document), *(n.blocks for n in walk.notes_of(document)))
        for ref in walk.of_type(NameRef, *groups):
            if ref.anchor:
                yield ref.anchor


def _split_text(node: Text, state: _Walk, pos: Pos | None) -> list[Inline]:
    text = _nfc(node.text)
    out: list[Inline] = []
    last = 0
    for m, keys in state.matcher.finditer(text):
        if len(keys) > 1:
            continue  # ambiguous: left as text, reported by check_names
        (key,) = keys
        if m.start() > last:
            out.append(Text(text[last:m.start()]))
        ref = NameRef(key, [Text(m.group(0))], pos=pos, explicit=False,
                      anchor=state.anchor())
        state.record(key, ref.anchor, m.group(0))
        out.append(ref)
        last = m.end()
    if not out:
        node.text = text
        return [node]
    if last < len(text):
        out.append(Text(text[last:]))
    return out


def _speakers(turn: SpeakerTurn, state: _Walk, pos: Pos | None) -> None:
    """Give each speaker its person (from the label) and record the margin label."""
    if ids.turn_key(turn.anchor) is None:
        raise ValueError("apply_register needs anchored speaker turns: run numbering first")
    anchor = ids.label_of_turn(turn.anchor)
    for speaker in turn.speakers:
        if speaker.person is None:
            speaker.person = speaker_person(speaker.label, state.matcher)
        elif not state.known(speaker.person, turn.pos or pos):
            continue
        if speaker.person is not None:
            state.record(speaker.person, anchor, speaker.label)


def speaker_person(label: str, matcher: Matcher) -> str | None:
    """The person a speaker label names: the label is a form, or holds exactly one."""
    label = _nfc(label.strip())
    keys = matcher.owners.get(label)
    if keys is None:
        found = [ks for _, ks in matcher.finditer(label)]
        keys = found[0] if len(found) == 1 else None
    return next(iter(keys)) if keys and len(keys) == 1 else None




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
    lines = _SourceLines()

    def report(dedupe: str, pos: Pos, message: str) -> None:
        first, count = findings.get(dedupe, (f"{pos}: {message}", 0))
        findings[dedupe] = (first, count + 1)

    for run in _runs(volume, mentioned):
        text = run.text
        for m, keys in reversed(list(matcher.finditer(text))):
            if len(keys) > 1:
                report(f"ambiguous:{m.group(0)}", lines.find(run.pos, m.group(0)),
                       f"{m.group(0)!r} may be any of {', '.join(sorted(keys))}: "
                       "mark each occurrence with the person's key")
                text = text[:m.start()] + _AMBIGUOUS + text[m.end():]
                continue
            mentioned.update(keys)
            text = text[:m.start()] + _NAME + text[m.end():]
        for name in _unknown_names(text):
            report(f"unknown:{name}", lines.find(run.pos, name),
                   f"{name!r} looks like a person's name but is not in the register")
    for document in volume.documents:
        for turn in walk.turns(document.body):
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


class _SourceLines:
    """The line a word stands on, found in the source from its block's first line.

    Runs carry their block's position (a paragraph's first line); a reported name is
    looked up in the file from there, so that the report names its own line."""

    # How far below the block's first line to look: beyond, the block's line stands.
    REACH = 400

    def __init__(self) -> None:
        self._texts: dict[str, list[str] | None] = {}

    def find(self, pos: Pos, words: str) -> Pos:
        lines = self._lines(pos.file) if pos.line else None
        if not lines:
            return pos
        start = pos.line - 1
        window = _nfc("\n".join(lines[start:start + self.REACH]))
        pattern = r"\s+".join(re.escape(word) for word in words.split())
        m = re.search(pattern, window)
        if m is None:
            return pos
        return Pos(pos.file, pos.line + window.count("\n", 0, m.start()))

    def _lines(self, file: str) -> list[str] | None:
        if file not in self._texts:
            # Read again from inside the edition only, never blocking (edition/safeio.py).
            text = safeio.text_or_none(Path(file), MAX_MARKUP_BYTES)
            self._texts[file] = None if text is None else text.splitlines()
        return self._texts[file]


def _runs(volume: Volume, mentioned: set[str]) -> Iterator[_Run]:
    """Every run's text with explicit names replaced by `_NAME` (noting their keys)."""
    def name(ref: NameRef) -> str:
        mentioned.add(ref.key)
        return _NAME

    def text(inlines: list[Inline]) -> str:
        return _nfc(plain_text(inlines, name=name))

    for document in volume.documents:
        yield _Run(text(document.title), document.pos)
        for blocks in (document.headnote, document.body, document.colophon):
            for run, _, pos in walk.runs(blocks, pos=document.pos):
                yield _Run(text(run), pos or document.pos)
        for note in walk.notes_of(document):
            for run, _, pos in walk.runs(note.blocks, pos=note.pos):
                yield _Run(text(run), pos or note.pos)


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

