"""A press's proof check on the built PDF: note calls, labels, make-up and the print boxes.

Each test reads the PDF (pdfplumber, pypdf) or the layout report of a small edition
written for the point it checks.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber

from edition.build import typeset

MM = 72 / 25.4
BODY_SIZE = 9.5  # points: words of the text, not the notes (8.2 pt)
WORDS = ("the minutes of the meeting record that the delegation had agreed to a "
         "further exchange of views on the situation in the country and on the "
         "withdrawal of troops").split()


def _edition(folder: Path, document: str, toml: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edition.toml").write_text(
        'title = "Proof"\nlanguage = "en"\n[page]\ntrim = "6x9in"\n'
        '[front_matter]\nenabled = false\n[index]\nenabled = false\n' + toml,
        encoding="utf-8")
    (folder / "001-proof.md").write_text(document, encoding="utf-8")
    return folder


def _lines(page) -> list[list[dict]]:
    """The page's words grouped into lines by their top, left to right."""
    rows: dict[float, list[dict]] = {}
    for word in page.extract_words(extra_attrs=["size"]):
        key = next((k for k in rows if abs(k - word["top"]) < 2.5), word["top"])
        rows.setdefault(key, []).append(word)
    return [sorted(rows[k], key=lambda w: w["x0"]) for k in sorted(rows)]


# ------------------------------------------------------------------ note calls

def _call_document() -> str:
    # Paragraphs ending in a call after a word of every length, so that in some of them
    # the call falls just past the end of a full line.
    notes = []
    paragraphs = []
    for k in range(1, 41):
        words = " ".join(WORDS[: 8 + k % 17])
        ending = ("{}.", "*{}*", "{}—", "({})", "*{}.*", "{} ")[k % 6].format("x" * (1 + k % 9))
        paragraphs.append(f"{words} {ending}[^n{k}]")
        notes.append(f"[^n{k}]: Note {k}.")
    headnote = "\n\n".join(paragraphs)
    return (f'+++\nnumber = "1"\ntitle = "Calls"\n+++\n\n::: headnote\n{headnote}\n:::\n\n'
            "Two sources say so.[^a][^b] And a third one.[^c]\n\n"
            + "\n".join(notes) + "\n[^a]: First.\n[^b]: Second.\n[^c]: Third.\n")


def test_a_note_call_never_begins_a_line_and_adjacent_calls_are_set_apart(tmp_path):
    book = typeset(_edition(tmp_path / "calls", _call_document()))
    alone, glued = [], []
    with pdfplumber.open(io.BytesIO(book.pdf)) as pdf:
        for page in pdf.pages:
            for line in _lines(page):
                body = [w for w in line if w["size"] > BODY_SIZE]
                # The text has no bare numbers of its own: one opening a line is a call.
                if body and body[0]["text"].isdigit():
                    alone.append(" ".join(w["text"] for w in body))
            text = page.extract_text()
            glued += re.findall(r"so\.([\d\s\u202f]+?)\s*And", text)
    assert not alone, alone
    # The calls of notes 1 and 2 (a, b follow the 40 numbered ones: 41 and 42).
    assert glued and glued[0] != "4142", glued
    assert re.fullmatch(r"41[\s\u202f]+42", glued[0]), glued

