"""Minutes that name their speakers inline (`THE CHAIRMAN: …`, `Beam: …`).

Both readers give such paragraphs the book's run-in speaker style: the label in small
capitals, run in before the speech (`Span("speaker-runin")`, base.css), so a TEI and a
Markdown transcript print alike. Real speaker turns (TEI `<sp>`, Markdown `::: speech`)
keep their label in the outer margin.
"""

from __future__ import annotations

import re

from edition.model import Block, Paragraph, Span, Text, plain_text

# `SECRETARY KISSINGER: …` or `Beam: …` opening a paragraph of minutes.
_INLINE_SPEAKER = re.compile(
    r"^((?:[A-Z][A-Z.'’\-]*|[A-Z][a-z.'’\-]+)(?: (?:[A-Z][A-Z.'’\-]*|[A-Z][a-z.'’\-]+)){0,3}):\s+")
# Labels that open a memorandum's lines, never a speaker's.
NOT_SPEAKERS = frozenset({"subject", "source", "comment", "note", "reference", "summary",
                          "participants", "present", "date", "time", "place", "enclosure",
                          "attachment", "ref", "refs", "distribution", "copy", "see"})
SPEAKER_ROLE = "speaker-runin"


def run_in_speakers(blocks: list[Block]) -> list[Block]:
    """Minutes that name speakers inline: each label set in the run-in speaker style.

    Only when the labels recur (two speakers at least twice each), so a memorandum's
    `SUBJECT:` line is never taken for a speaker. A parenthesised paragraph between the
    speeches is a stage direction.
    """
    labels = [_speaker_label(b) for b in blocks]
    counts: dict[str, int] = {}
    for label in labels:
        if label:
            counts[label] = counts.get(label, 0) + 1
    if sum(1 for n in counts.values() if n >= 2) < 2:
        return blocks
    for block, label in zip(blocks, labels, strict=True):
        if label and isinstance(block, Paragraph):
            _run_in(block, label)
        elif isinstance(block, Paragraph) and not block.roles and _stage_direction(block):
            block.roles.append("stage")
    return blocks


def _stage_direction(block: Paragraph) -> bool:
    """`(Laughter)`: a parenthesised paragraph between the speeches."""
    return plain_text(block.inlines, " ", one_line=True).startswith("(")


def _speaker_label(block: Block) -> str:
    if not isinstance(block, Paragraph) or not block.inlines:
        return ""
    first = block.inlines[0]
    m = _INLINE_SPEAKER.match(first.text) if isinstance(first, Text) else None
    if m is None or len(m.group(1)) > 40 or m.group(1).lower() in NOT_SPEAKERS:
        return ""
    return m.group(1)


def _run_in(block: Paragraph, label: str) -> None:
    """`THE CHAIRMAN: Well…` → [small caps `The Chairman`]`: Well…`, flush left."""
    first = block.inlines[0]
    assert isinstance(first, Text)
    first.text = ": " + _INLINE_SPEAKER.sub("", first.text, count=1)
    block.inlines.insert(0, Span(SPEAKER_ROLE, [Text(_title_case(label))]))
    block.roles.append("speech")


def _title_case(label: str) -> str:
    """`MR. AANDAHL` → `Mr. Aandahl`: small caps are set from mixed case; `Beam` stays."""
    if not label.isupper():
        return label
    return " ".join(word[:1] + word[1:].lower() for word in label.split())
