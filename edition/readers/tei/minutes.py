"""Minutes that name their speakers inline (`SECRETARY KISSINGER: …`) → SpeakerTurns."""

from __future__ import annotations

import re

from edition.model import Block, Paragraph, Speaker, SpeakerTurn, Text, plain_text

# `SECRETARY KISSINGER: …` opening a paragraph of minutes that give speakers inline.
_INLINE_SPEAKER = re.compile(r"^([A-Z][A-Z.'’\- ]{1,40}[A-Z.]):\s+")


def _inline_speakers(blocks: list[Block]) -> list[Block]:
    """Minutes that name speakers inline (`PROFESSOR OLIVER: …`) → SpeakerTurns.

    Only when the labels recur (two speakers at least twice each), so a memorandum's
    `SUBJECT:` line is never taken for a speaker. Following paragraphs without a label
    continue the turn; a parenthesised paragraph is a stage direction and ends it.
    """
    labels = [_speaker_label(b) for b in blocks]
    counts: dict[str, int] = {}
    for label in labels:
        if label:
            counts[label] = counts.get(label, 0) + 1
    if sum(1 for n in counts.values() if n >= 2) < 2:
        return blocks
    out: list[Block] = []
    turn: SpeakerTurn | None = None
    for block, label in zip(blocks, labels, strict=True):
        if label and isinstance(block, Paragraph):
            _drop_label(block)
            turn = SpeakerTurn([Speaker(_title_case(label))], [block], block.pos)
            out.append(turn)
        elif (turn is not None and isinstance(block, Paragraph) and not block.roles
              and not _stage_direction(block)):
            turn.blocks.append(block)
        else:
            if isinstance(block, Paragraph) and _stage_direction(block):
                block.roles.append("stage")
            turn = None
            out.append(block)
    return out


def _stage_direction(block: Paragraph) -> bool:
    """`(Laughter)`: a parenthesised paragraph between the turns."""
    return plain_text(block.inlines, " ", one_line=True).startswith("(")


def _speaker_label(block: Block) -> str:
    if not isinstance(block, Paragraph) or not block.inlines:
        return ""
    first = block.inlines[0]
    m = _INLINE_SPEAKER.match(first.text) if isinstance(first, Text) else None
    return m.group(1) if m else ""


def _drop_label(block: Paragraph) -> None:
    first = block.inlines[0]
    assert isinstance(first, Text)
    first.text = _INLINE_SPEAKER.sub("", first.text, count=1)
    if not first.text:
        del block.inlines[0]


def _title_case(label: str) -> str:
    """`MR. AANDAHL` → `Mr. Aandahl`: small caps are set from mixed case."""
    return " ".join(word[:1] + word[1:].lower() for word in label.split())
