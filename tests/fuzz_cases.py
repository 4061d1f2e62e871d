"""Structural fuzz cases: whole edition folders whose structure is hostile.

Byte mutations rarely build deep nesting, notes in notes or a cell spanning a hundred
million columns; these cases do, on purpose: `structural_case(rng)` gives the files of
one edition folder. Used by the fast tier in tests/test_fuzz.py (hypothesis draws the
seed) and by the long tier, bench/fuzz.py (10,000 seeds and more).
"""

from __future__ import annotations

import random
from dataclasses import fields

from edition.readers.base import MAX_NESTING
from edition.settings import SCHEMA, Settings

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


# edition.toml: every table and key of the schema (and a few that are not), with values
# of every TOML type, the plausible, the limits and past them.
NUMBERS = ["0", "-0.0", "1", "-1", "-100", "0.001", "3", "10", "17.5", "30", "235", "1e9",
           "1e300", "-1e300", "nan", "-nan", "inf", "-inf", "5080", "5081",
           "99999999999999999999", "9223372036854775807"]
TEXTS = ['""', '"a"', '"a4"', '"letter"', '"6x9in"', '"156x234mm"', '"0.001x0.001mm"',
         '"1x1mm"', '"100000x100000mm"', '"12 x 18 cm"', '"0x0mm"', '"a5"', '"book"',
         '"handout"', '"print"', '"archive"', '"continuous"', '"per-document"', '"source"',
         '"new-page"', '"recto"', '"run-on"', '"volume"', '"restart"', '"crop"',
         '"crop cross"', '"pdf/a-3b"', '"pdf/a-2u"', '"Linux Libertine"', '"en"', '"hu-HU"',
         '"press.icc"', '"../outside.icc"', '"/etc/passwd"', '"\\u0000"', '"\\u202e"',
         '"' + "W " * 700 + '"', '"""multi\nline"""']
OTHERS = ["true", "false", "[]", '["a", "b"]', '["principles.md"]', "[1, 2]", "{}",
          '{ a = "b" }', "1956-10-31", "1956-10-31T12:00:00"]
# Every table and key of the schema, and a key and a table it does not have.
SETTING_KEYS = {table: [*keys, "bogus"] for table, keys in SCHEMA.items()} | {
    "running_heads": ["1", "53", "x"], "bogus": ["x"]}


# The values of each type, so that most keys get a value of their own type (and the
# checks behind the type check are reached); any value in one case of five.
BY_TYPE = {"float": NUMBERS, "int": NUMBERS, "str": TEXTS, "bool": ["true", "false"],
           "list[str]": ['[]', '["a", "b"]', '["principles.md"]', '["../x.md"]', "[1, 2]"]}
FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _pool(rng: random.Random, table: str, key: str) -> list[str]:
    kind = FIELD_TYPES.get(SCHEMA.get(table, {}).get(key, ""), "str")
    if rng.random() < 0.2 or kind not in BY_TYPE:
        return rng.choice([NUMBERS, TEXTS, OTHERS])
    return BY_TYPE[kind]


def settings_case(rng: random.Random) -> str:
    """An edition.toml: a few tables of the schema, each with a few keys, each value drawn
    from numbers, texts and other TOML values; sometimes a line that is not TOML."""
    lines = ['title = "F"'] if rng.random() < 0.8 else []
    tables = rng.sample(list(SETTING_KEYS), rng.randint(1, 4))
    for table in sorted(tables, key=bool):  # the top-level keys before any table
        if table:
            lines.append(f"[{table}]")
        keys = SETTING_KEYS[table]
        for key in rng.sample(keys, min(rng.randint(1, 3), len(keys))):
            if key == "title" and not table and lines and lines[0].startswith("title"):
                continue
            lines.append(f"{key} = {rng.choice(_pool(rng, table, key))}")
    if rng.random() < 0.05:
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(["= 1", "x =", "[", "+++"]))
    if "front_matter" not in tables:
        lines += ["[front_matter]", "enabled = false"]
    return "\n".join(lines) + "\n"


def structural_case(rng: random.Random) -> dict[str, bytes]:
    """The files of one edition folder: a Markdown or TEI document, and a settings file:
    usually a plain one, often with a setting of the wrong type (or a hostile value), and
    in a third of the cases one generated from the whole schema (`settings_case`)."""
    files: dict[str, bytes] = {}
    if rng.random() < 0.5:
        files["001.md"] = markdown_case(rng).encode()
    else:
        files["a.xml"] = tei_case(rng).encode()
    if rng.random() < 1 / 3:
        files["edition.toml"] = settings_case(rng).encode()
        if rng.random() < 0.3:  # an output profile the settings may name
            files["press.icc"] = b"\0" * 12 + b"prtrCMYK" + b"\0" * rng.choice([8, 200])
        return files
    toml = ['title = "F"', "[front_matter]", "enabled = false"]
    if rng.random() < 0.4:
        toml = [rng.choice(WRONG_SETTINGS), *toml] if rng.random() < 0.5 else [
            *toml, rng.choice(WRONG_SETTINGS)]
    files["edition.toml"] = "\n".join(toml).encode() + b"\n"
    return files
