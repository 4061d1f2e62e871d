"""Structural fuzz cases: whole edition folders whose structure is hostile.

Byte mutations rarely build deep nesting, notes in notes or a cell spanning a hundred
million columns; these cases do, on purpose: `structural_case(rng)` gives the files of
one edition folder. Used by the fast tier in tests/test_fuzz.py (hypothesis draws the
seed) and by the long tier, bench/fuzz.py (10,000 seeds and more).
"""

from __future__ import annotations

import random

from edition.readers.base import MAX_NESTING

# Depths around the limit and far past it (libxml2 stops at 256 on its own).
# Half of them allowed, so that many cases get past the readers to the layout.
DEPTHS = [0, 1, 2, 5, 19, 20, 21, 30, 50, 60, MAX_NESTING - 6, MAX_NESTING - 1, MAX_NESTING,
          MAX_NESTING + 1, 150, 200, 300, 1000]
# The chance a block is hostile (nesting, notes in notes, …) rather than plain words.
HOSTILE = 0.4
SPANS = ["1", "2", "100", "101", "1000", "1001", "100000000", "99999999999999999999", "0",
         "-1", "x", " 3 ", "٣"]
WORDS = ["Nagy", "said", "the", "government", "1956", "Kádár", "[…]", "“"]

MD_WRAPPERS = [("> ", ""), ("- ", "  "), ("1. ", "   "), ("*", "*"), ("**", "**"),
               ("[", "]{.foreign}")]
TEI_WRAPPERS = [("<div>", "</div>"), ("<quote>", "</quote>"), ("<hi rend='italic'>", "</hi>"),
                ("<note>", "</note>"), ("<list><item>", "</item></list>"), ("<q>", "</q>"),
                ("<p>", "</p>"), ("<seg>", "</seg>"), ("<lg><l>", "</l></lg>"),
                ("<sp><speaker>S</speaker><p>", "</p></sp>")]

# Settings of the wrong type, or of the right type and a hostile value.
WRONG_SETTINGS = [
    "editors = [1, 2]", "keywords = [[1]]", "editors = \"A\"", "title = 1", "title = []",
    "subtitle = { a = 1 }", "year = 1956", "language = 1", "language = \"en;}\"",
    "keywords = [\"a\", 2]", "isbn = 9780000000000", "profile = true",
    "[page]\nfont_size = \"10\"", "[page]\nfont_family = 1",
    "[page]\nfont_family = \"X\\r;} @font-face { src: url(file:///etc/passwd) } p { x: \\\"\"",
    "[page]\nfont_family = \"a\\\\\"", "[page]\nmargin_top = \"1\"", "[page]\ntrim = 6",
    "[page]\nshow_original_pages = 1", "[notes]\nstart = \"1\"", "[notes]\nstart = 1.5",
    "[front_matter]\npages = [1]", "[front_matter]\npages = \"a.md\"",
    "[front_matter]\npages = [\"../outside.md\"]", "[front_matter]\nenabled = \"no\"",
    "[index]\nenabled = 0", "[print]\npad_to = \"4\"", "[print]\noutput_profile = 1",
    "[print]\noutput_profile = \"../../etc/passwd\"", "[handout]\nline_numbers = \"yes\"",
]


def _words(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))


def _nest(rng: random.Random, wrappers: list[tuple[str, str]], inner: str) -> str:
    depth = rng.choice(DEPTHS)
    pieces = [rng.choice(wrappers) for _ in range(depth)]
    return "".join(o for o, _ in pieces) + inner + "".join(c for _, c in reversed(pieces))


def markdown_case(rng: random.Random) -> str:
    """A document with some of: deep nesting, notes in notes, speeches in notes."""
    blocks = [_words(rng)]
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(6) if rng.random() < HOSTILE else -1
        if kind == -1:
            blocks.append(_words(rng) + "[^p]\n\n[^p]: " + _words(rng) if rng.random() < 0.3
                          else _words(rng))
        elif kind == 0:  # quotes (one line: the prefix repeats)
            blocks.append("> " * rng.choice(DEPTHS) + _words(rng))
        elif kind == 1:  # nested lists, one level per line
            blocks.append("".join("  " * i + "- " + _words(rng) + "\n"
                                  for i in range(min(rng.choice(DEPTHS), 300))))
        elif kind == 2:  # emphasis and spans inside each other
            blocks.append(_nest(rng, MD_WRAPPERS[3:], _words(rng)))
        elif kind == 3:  # a note calling a note
            blocks.append(f"{_words(rng)}[^a]\n\n[^a]: {_words(rng)}[^b]\n\n[^b]: inner")
        elif kind == 4:  # a speech inside a note
            blocks.append(f"{_words(rng)}[^s]\n\n[^s]: A note.\n\n    ::: speech Dulles\n"
                          f"    {_words(rng)}\n    :::")
        else:  # containers inside containers
            depth = min(rng.choice(DEPTHS), 60)
            fences = [":" * (3 + depth - i) for i in range(depth)]
            blocks.append("".join(f"{f} speech S\n" if i == depth - 1 else f"{f} source\n"
                                  for i, f in enumerate(fences)) + _words(rng) + "\n"
                          + "\n".join(reversed(fences)))
    return '+++\nnumber = "1"\ntitle = "T"\n+++\n\n' + "\n\n".join(blocks) + "\n"


def tei_case(rng: random.Random) -> str:
    """A TEI document with some of: deep nesting, notes in notes and speeches in notes,
    table cells with absurd spans."""
    parts = [f"<p>{_words(rng)}</p>"]
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(4) if rng.random() < HOSTILE else -1
        if kind == -1:
            parts.append(f"<p>{_words(rng)}<note>{_words(rng)}</note></p>")
        elif kind == 0:
            parts.append(_nest(rng, TEI_WRAPPERS, f"<p>{_words(rng)}</p>"))
        elif kind == 1:
            parts.append(f"<p>{_words(rng)}<note>{_words(rng)}<note>inner</note></note></p>")
        elif kind == 2:
            parts.append(f"<p>{_words(rng)}<note>A note<sp><speaker>D</speaker>"
                         f"<p>{_words(rng)}</p></sp></note></p>")
        else:
            cells = "".join(f'<cell {rng.choice(["cols", "rows"])}="{rng.choice(SPANS)}">'
                            f"{_words(rng)}</cell>" for _ in range(rng.randint(1, 4)))
            parts.append(f"<table><row>{cells}</row><row><cell>x</cell></row></table>")
    if rng.random() < 0.5:  # a plausible table beside, spans within the limits
        parts.append(f'<table><row><cell cols="{rng.randint(1, 100)}">w</cell></row>'
                     f'<row><cell rows="{rng.randint(1, 5)}">a</cell><cell>b</cell></row>'
                     "</table>")
    return ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            "<title>F</title></titleStmt><publicationStmt><p>p</p></publicationStmt>"
            "<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>\n"
            '<div type="document" n="1"><head>A</head>\n' + "\n".join(parts)
            + "\n</div></body></text></TEI>\n")


def structural_case(rng: random.Random) -> dict[str, bytes]:
    """The files of one edition folder: a Markdown or TEI document, and usually a
    settings file with a setting of the wrong type (or a hostile value)."""
    files: dict[str, bytes] = {}
    if rng.random() < 0.5:
        files["001.md"] = markdown_case(rng).encode()
    else:
        files["a.xml"] = tei_case(rng).encode()
    toml = ['title = "F"', "[front_matter]", "enabled = false"]
    if rng.random() < 0.4:
        toml = [rng.choice(WRONG_SETTINGS), *toml] if rng.random() < 0.5 else [
            *toml, rng.choice(WRONG_SETTINGS)]
    files["edition.toml"] = "\n".join(toml).encode() + b"\n"
    return files
