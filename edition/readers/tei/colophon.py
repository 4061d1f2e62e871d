"""A document's source note (`Source: …`), kept as its colophon without the wrapping.

The renderer prints `[Source: …]` itself, so the reader keeps only what is inside.
"""

from __future__ import annotations

import re

from edition.model import Block, Emph, Paragraph, Strong, Text

SOURCE_PREFIX = re.compile(r"^\s*\[?\s*Source\s*:\s*", re.IGNORECASE)


def _strip_source(blocks: list[Block]) -> list[Block]:
    """Colophon text without `Source:` and brackets: the renderer prints `[Source: …]`."""
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    if not paragraphs:
        return blocks
    first, last = paragraphs[0].inlines, paragraphs[-1].inlines
    if first and isinstance(first[0], Text):
        first[0].text = SOURCE_PREFIX.sub("", first[0].text)
        if first[0].text.startswith("["):
            first[0].text = first[0].text[1:]
    if last and isinstance(last[-1], Text) and last[-1].text.endswith("]"):
        last[-1].text = last[-1].text[:-1]
    for para in (paragraphs[0], paragraphs[-1]):
        para.inlines = [n for n in para.inlines if not (isinstance(n, Text) and not n.text)]
    return blocks


def _unwrap(block: Paragraph) -> Paragraph:
    """A paragraph wholly in one styled run (`<p><hi>Source: …</hi></p>`) as its content."""
    inlines = block.inlines
    while len(inlines) == 1 and isinstance(inlines[0], Emph | Strong):
        inlines = inlines[0].children
    block.inlines = inlines
    return block
