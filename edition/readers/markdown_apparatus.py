"""The critical apparatus in Markdown: a lemma span in the text, its entry defined apart.

```
The [holy day]{app=d1 wit=O} came, and []{app=d2} they sang.

[app:d1]: days {M V}; {P}; day holy {L .transposition: in marg.}; the order is Q's
[app:d2]: all {M}
```

The lemma is a span with the attribute `app=LABEL` (`wit=` gives the lemma's own sigla);
the definition `[app:LABEL]:` stands anywhere in the file, like a footnote's. Each
reading is its words followed by braces holding its sigla, perhaps a kind (`.omission`,
`.addition`, `.transposition`, …, as the format's roles are written) and, after a colon,
the editor's remark on it; words after the last reading are the editor's note on the
entry. An empty reading omits the lemma; words against an empty lemma add. Readings may be
grouped in parentheses: `( days {M}; dies {V} ); {P}`.

The result is the model's `Apparatus`, exactly as the TEI reader makes it: nothing after
the model knows where an entry came from. Sigla are checked against the volume's
witnesses later (edition/transform/apparatus_check.py): a document file does not know
the register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from edition.model import Apparatus, Inline, NoteCall, Reading, ReadingGroup, walk
from edition.model.text import READING_KINDS, derive_kinds, plain_text

if TYPE_CHECKING:
    from edition.readers.markdown import _Builder

TOKEN = "apparatus_def"
# `[app:d1]:` at the start of a line; the label is a key like a note's, without spaces.
DEFINITION = re.compile(r"\[app:([^\]\s]+)\]:[ \t]*")
# A reading: its words (no braces), then `{sigla .kind: remark}`.
READING = re.compile(r"\s*;?\s*(\(?)([^{}()]*?)\s*\{([^{}]*)\}\s*(\)?)")


def apparatus_plugin(md: MarkdownIt) -> None:
    """The block rule for `[app:LABEL]: …` definitions (before link references, which
    would otherwise take `[app:d1]: days` for one)."""
    md.block.ruler.before("reference", TOKEN, _definition_rule,
                          {"alt": ["paragraph", "reference"]})


def _definition_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """One definition: its first line and the lines after it up to a blank line or the
    next definition (a long entry may wrap)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    match = DEFINITION.match(state.src, begin, state.eMarks[start])
    if match is None:
        return False
    if silent:
        return True
    parts = [state.src[match.end():state.eMarks[start]]]
    line = start + 1
    while line < end and not state.isEmpty(line):
        first = state.bMarks[line] + state.tShift[line]
        if DEFINITION.match(state.src, first, state.eMarks[line]):
            break
        parts.append(state.src[first:state.eMarks[line]])
        line += 1
    token = state.push(TOKEN, "", 0)
    token.meta = {"label": match.group(1)}
    token.content = " ".join(part.strip() for part in parts)
    token.map = [start, line]
    state.line = line
    return True


@dataclass
class _Definition:
    content: str
    line: int


@dataclass
class Entries:
    """The entries of one file: lemmas met in the text, definitions met anywhere, joined
    once the whole file is read (a definition may come before or after its lemma)."""

    builder: _Builder
    base: str = ""
    lemmas: dict[str, Apparatus] = field(default_factory=dict)
    definitions: dict[str, _Definition] = field(default_factory=dict)

    def lemma(self, attrs: dict[str, str], children: list[Inline], line: int) -> Apparatus:
        """`[words]{app=d1 wit=O}` in the text → an entry whose readings come later."""
        label = str(attrs["app"]).strip()
        if not label:
            raise self.builder.error("{app=} needs the label of its entry", line)
        if label in self.lemmas:
            first = self.lemmas[label].pos
            raise self.builder.error(f"apparatus entry {label!r} is marked twice (first at "
                                     f"line {first.line if first else 0})", line)
        witnesses = str(attrs.get("wit", "")).split()
        entry = Apparatus(Reading(children, witnesses, pos=self.builder.pos(line)),
                          pos=self.builder.pos(line))
        self.lemmas[label] = entry
        return entry

    def define(self, label: str, content: str, line: int) -> None:
        if label in self.definitions:
            raise self.builder.error(f"apparatus entry [app:{label}] is defined twice "
                                     f"(first at line {self.definitions[label].line})", line)
        self.definitions[label] = _Definition(content, line)

    def join(self) -> None:
        """Every lemma gets its definition's readings; a lemma without a definition, or
        a definition without a lemma, is an error at its line."""
        for label, entry in self.lemmas.items():
            definition = self.definitions.get(label)
            if definition is None:
                line = entry.pos.line if entry.pos else 0
                raise self.builder.error(f"apparatus entry {{app={label}}} has no "
                                         f"definition [app:{label}]: …", line)
            self.fill(entry, definition)
        for label, definition in self.definitions.items():
            if label not in self.lemmas:
                raise self.builder.error(f"apparatus entry [app:{label}] is defined but no "
                                         f"lemma is marked {{app={label}}}", definition.line)

    def fill(self, entry: Apparatus, definition: _Definition) -> None:
        readings, note = self.readings(definition)
        entry.readings = readings
        if note:
            entry.notes.append(self.inlines(note, definition.line))
        if not plain_text(entry.children, one_line=True).strip():
            self.take_base(entry)
        derive_kinds(entry)

    def readings(self, definition: _Definition) -> tuple[list[Reading | ReadingGroup], str]:
        """The readings (groups opened by `(` and closed by `)`) and the note after them."""
        text, line = definition.content, definition.line
        items: list[Reading | ReadingGroup] = []
        group: ReadingGroup | None = None
        at = 0
        while match := READING.match(text, at):
            opens, words, braces, closes = match.groups()
            if opens and group is not None:
                raise self.builder.error("a group of readings `(` inside another", line)
            if opens:
                group = ReadingGroup([])
                items.append(group)
            reading = self.reading(words, braces, line)
            (group.readings if group is not None else items).append(reading)
            if closes:
                if group is None:
                    raise self.builder.error("`)` closes no group of readings", line)
                group = None
            at = match.end()
        rest = text[at:].strip().removeprefix(";").strip()
        if group is not None:
            raise self.builder.error("a group of readings `(` is not closed by `)`", line)
        if not items or any(c in rest for c in "{}()"):
            near = f" near {rest[:30]!r}" if items else ""
            raise self.builder.error(f"malformed apparatus entry{near}: a reading is its "
                                     "words, then its sigla in braces (`days {M V}`)", line)
        return items, rest

    def reading(self, words: str, braces: str, line: int) -> Reading:
        """`days` + `M V .transposition: in marg.` → a Reading."""
        head, colon, remark = braces.partition(":")
        tokens = head.split()
        kinds = [t[1:] for t in tokens if t.startswith(".")]
        for kind in kinds:
            if kind not in READING_KINDS:
                raise self.builder.error(f"unknown kind of reading .{kind} (known: "
                                         f"{', '.join('.' + k for k in READING_KINDS)})", line)
        sigla = [t for t in tokens if not t.startswith(".")]
        if not sigla:
            raise self.builder.error(f"the reading {words.strip()!r} names no witness: "
                                     "write its sigla in the braces", line)
        reading = Reading(self.inlines(words, line) if words.strip() else [], sigla,
                          kinds[-1] if kinds else "", pos=self.builder.pos(line))
        if colon and remark.strip():
            reading.remarks.append(self.inlines(remark, line))
        return reading

    def inlines(self, text: str, line: int) -> list[Inline]:
        """Inline Markdown of a reading or remark: emphasis and spans, no note calls
        (a remark is the editor's words on the reading, not a note of the text)."""
        inlines = self.builder.inline_text(text.strip(), line)
        if walk.of_type(NoteCall, inlines):
            raise self.builder.error("a note call inside an apparatus entry: write the "
                                     "remark in the braces, after a colon", line)
        return inlines

    def take_base(self, entry: Apparatus) -> None:
        """An empty lemma with a reading of the base witness (`[apparatus] base`) prints
        that reading, as a TEI `app` without `lem` does; else its readings add."""
        if not self.base:
            return
        for item in list(entry.readings):
            group = item if isinstance(item, ReadingGroup) else None
            for reading in group.readings if group else [item]:
                if self.base not in reading.witnesses:
                    continue
                if group is None:
                    entry.readings.remove(reading)
                else:
                    group.readings.remove(reading)
                    if not group.readings:
                        entry.readings.remove(group)
                entry.lemma = reading
                return


