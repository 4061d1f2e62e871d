"""Minutes that name their speakers inline (`THE CHAIRMAN: …`, `Beam: …`).

Both readers give such paragraphs the book's run-in speaker style: the label in small
capitals, run in before the speech (`Span("speaker-runin")`, base.css), so a TEI and a
Markdown transcript print alike. Real speaker turns (TEI `<sp>`, Markdown `::: speech`)
keep their label in the outer margin.
"""

from __future__ import annotations

import re

from edition.model import Block, Emph, Inline, NameRef, Paragraph, Span, Strong, Text, plain_text

# `SECRETARY KISSINGER` or `Beam`: the label opening a paragraph of minutes, before ": ".
_LABEL = re.compile(
    r"(?:[A-Z][A-Z.'’\-]*|[A-Z][a-z.'’\-]+)(?: (?:[A-Z][A-Z.'’\-]*|[A-Z][a-z.'’\-]+)){0,3}")
# What a label may be written with besides text: a person's name (TEI `persName`,
# Markdown `[Dulles]{person=…}`) or a styled run. Whatever it is written with, it is set
# in the one run-in style (issue 26: tagged speakers were roman, the others small caps).
_LABEL_PARTS = (NameRef, Span, Emph, Strong)
MAX_LABEL = 40
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
    """The speaker a paragraph opens with, as it is counted (title case), or ""."""
    found = _label_end(block)
    return _title_case(found[0]) if found else ""


def _label_end(block: Block) -> tuple[str, int] | None:
    """(the label's text, index of the text its colon stands in), when the paragraph
    opens with `LABEL: ` written in text, names or styled runs."""
    if not isinstance(block, Paragraph):
        return None
    written = ""
    for index, node in enumerate(block.inlines):
        if isinstance(node, Text):
            head, colon, rest = node.text.partition(":")
            if colon:
                label = (written + head).strip()
                ok = (_LABEL.fullmatch(label) and rest[:1].isspace()
                      and len(label) <= MAX_LABEL and label.lower() not in NOT_SPEAKERS)
                return (label, index) if ok else None
            written += node.text
        elif isinstance(node, _LABEL_PARTS):
            written += plain_text(node.children, " ", one_line=True)
        else:
            return None
        if len(written) > MAX_LABEL:
            return None
    return None


def _run_in(block: Paragraph, label: str) -> None:
    """`THE CHAIRMAN: Well…` → [small caps `The Chairman`]`: Well…`, flush left; a
    label written as a name keeps it (the index finds the speaker there)."""
    found = _label_end(block)
    assert found is not None
    _, index = found
    colon_text = block.inlines[index]
    assert isinstance(colon_text, Text)
    head, _, rest = colon_text.text.partition(":")
    parts = [*block.inlines[:index], *([Text(head)] if head.strip() else [])]
    _strip_ends(parts)
    if plain_text(parts, " ", one_line=True).isupper():
        _title_case_texts(parts)
    block.inlines[:index + 1] = [Span(SPEAKER_ROLE, parts), Text(": " + rest.lstrip())]
    block.roles.append("speech")


def _strip_ends(parts: list[Inline]) -> None:
    if parts and isinstance(parts[0], Text):
        parts[0].text = parts[0].text.lstrip()
    if parts and isinstance(parts[-1], Text):
        parts[-1].text = parts[-1].text.rstrip()


def _title_case_texts(parts: list[Inline]) -> None:
    """Every text of an upper-case label in title case (small caps are set from it)."""
    for node in parts:
        if isinstance(node, Text):
            node.text = _title_case_words(node.text)
        elif isinstance(node, _LABEL_PARTS):
            _title_case_texts(node.children)


def _title_case_words(text: str) -> str:
    return re.sub(r"[^\W\d_][\w.'’\-]*",
                  lambda m: m.group(0)[:1] + m.group(0)[1:].lower(), text)


def _title_case(label: str) -> str:
    """`MR. AANDAHL` → `Mr. Aandahl`: small caps are set from mixed case; `Beam` stays."""
    if not label.isupper():
        return label
    return " ".join(word[:1] + word[1:].lower() for word in label.split())
