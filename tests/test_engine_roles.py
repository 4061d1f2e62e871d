"""Engine roles cannot be claimed by source markup, and no text is dropped (issue 27,
point 6).

The classes the stylesheets and the layout give meaning to (`speaker`: a margin label the
layout removes from one side; `orig-page`, `toc-page`, `fn`, …) are the renderer's alone:
a source's role outside the looks of render/roles.py is written as `rend-<role>`, and a
source's ids stand in a namespace of their own. Every test reads the built PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.build import load
from edition.render import STYLES_DIR, render_body
from edition.render.roles import ROLES
from tests.test_hostile_inputs import run

TEI_HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            "<title>F</title></titleStmt></fileDesc></teiHeader><text><body>\n")
TEI_TAIL = "\n</body></text></TEI>\n"


def program_classes() -> list[str]:
    """Every class a selector of styles/*.css names that is not a look a source may ask
    for: the roles of the program's own structure (comments and URLs left out)."""
    found: set[str] = set()
    for css in STYLES_DIR.glob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"url\([^)]*\)|\"[^\"]*\"|'[^']*'", "", text)
        found |= set(re.findall(r"(?<!\d)\.([a-zA-Z][\w-]*)", text))  # not 0.5em
    return sorted(found - ROLES)


CLASSES = program_classes()


def test_the_program_classes_are_found():
    assert {"speaker", "orig-page", "toc-page", "fn", "turn", "document"} <= set(CLASSES)


def token(i: int) -> str:
    return f"Role{i:03d}"


def build_text(tmp_path: Path, capsys, files: dict[str, str]) -> str:
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "edition.toml").write_text('title = "Roles"\n[front_matter]\nenabled = false\n'
                                         "[index]\nenabled = false\n")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "o.pdf"
    code, _, err = run(capsys, "build", str(folder), "-o", str(out), "-q")
    assert code in (0, 1), err
    return " ".join(page.extract_text() or "" for page in PdfReader(out).pages)


def assert_in_order(text: str, count: int) -> None:
    """Every token printed once, in the text's order: not dropped, and not moved into a
    margin (a label's copy would print it twice, or after the text)."""
    printed = re.findall(r"Role\d{3}", text)
    expected = [token(i) for i in range(count)]
    lost = [f"{token(i)} ({CLASSES[i % len(CLASSES)]})" for i in range(count)
            if printed.count(token(i)) != 1]
    assert not lost and printed == expected, lost


def test_markdown_spans_and_paragraphs_cannot_take_an_engine_role(tmp_path, capsys):
    """`[x]{.speaker}` vanished: the layout took it for a margin label."""
    spans = " ".join(f"[{token(i)}]{{.{role}}} and" for i, role in enumerate(CLASSES))
    paragraphs = "\n\n".join(f"{{.{role}}}\n{token(len(CLASSES) + i)} stands here."
                             for i, role in enumerate(CLASSES))
    text = build_text(tmp_path, capsys, {"001.md": '+++\nnumber = "1"\ntitle = "T"\n+++\n\n'
                                         f"Spans: {spans} the end.\n\n{paragraphs}\n"})
    assert_in_order(text, 2 * len(CLASSES))


def test_tei_rend_cannot_take_an_engine_role(tmp_path, capsys):
    """`rend="orig-page"`, `"toc-page"`, `"speaker"` took on the engine's roles."""
    spans = " ".join(f'<hi rend="{role}">{token(i)}</hi> and' for i, role in enumerate(CLASSES))
    paragraphs = "\n".join(f'<p rend="{role}">{token(len(CLASSES) + i)} stands here.</p>'
                           for i, role in enumerate(CLASSES))
    text = build_text(tmp_path, capsys, {"a.xml": TEI_HEAD + '<div type="document" n="1">'
                                         f"<head>T</head><p>Spans: {spans} the end.</p>\n"
                                         f"{paragraphs}</div>" + TEI_TAIL})
    assert_in_order(text, 2 * len(CLASSES))


def test_a_speaker_inside_a_paragraph_keeps_its_text(tmp_path, capsys):
    text = build_text(tmp_path, capsys, {"a.xml": TEI_HEAD + '<div type="document" n="1">'
                                         "<head>T</head><p>The chair, <speaker>Nagy</speaker>"
                                         ", opened the meeting.</p></div>" + TEI_TAIL})
    assert "The chair, Nagy, opened" in re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("ident", ["label-1", "turn-1", "note-1", "pb-1", "doc-1", "name-1"])
def test_source_ids_cannot_collide_with_the_programs(tmp_path, capsys, ident):
    """A TEI anchor's xml:id took the id of a speaker's label (or a turn, a note): the
    program's element was renamed `label-1-2`, and whatever finds it by id found the
    anchor. The source's ids have a namespace of their own; the text all prints."""
    files = {"a.xml": TEI_HEAD + '<div type="document" n="1"><head>T</head>'
             f'<p>Before <anchor xml:id="{ident}"/>it.<note place="foot">Notetext here.'
             '</note> <pb n="1"/> <persName>Nagy</persName></p><sp><speaker>Labelname'
             "</speaker><p>Speech text here.</p></sp></div>" + TEI_TAIL}
    text = build_text(tmp_path, capsys, files)
    flat = re.sub(r"\s+", " ", text)
    for words in ("Labelname", "Speech text here", "Notetext here", "Before it"):
        assert words in flat, (ident, words, flat)
    volume, _ = load(tmp_path / "ed")
    ids = re.findall(r'id="([^"]+)"', render_body(volume))
    assert f"src-{ident}" in ids and f"{ident}-2" not in ids, ids
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the index as rows


def test_index_csv_cells_never_run_as_formulas(tmp_path, capsys):
    """A register name `=HYPERLINK(…)` was written raw: a spreadsheet runs it."""
    import csv
    import json

    folder = tmp_path / "ed"
    folder.mkdir()
    names = ['=HYPERLINK("http://example.com","x")', "+Plus, A", "-Minus, B", "@At, C",
             "\tTab, D", "Plain, E"]
    (folder / "persons.toml").write_text("".join(
        f'[p{i}]\nname = {json.dumps(name)}\nforms = ["Zname{i}"]\n\n'
        for i, name in enumerate(names)), encoding="utf-8")
    (folder / "001.md").write_text('+++\nnumber = "1"\ntitle = "T"\n+++\n\n'
                                   + " ".join(f"Zname{i} spoke." for i in range(len(names)))
                                   + "\n", encoding="utf-8")
    out = tmp_path / "index.csv"
    code, _, err = run(capsys, "index", str(folder), "-o", str(out), "-q")
    assert code == 0, err
    cells = [cell for row in csv.reader(out.open(encoding="utf-8", newline=""))
             for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    for name in names[:-1]:
        assert "'" + name in cells, (name, cells)
    assert "Plain, E" in cells


def test_the_looks_readers_give_are_written_as_themselves():
    """The renditions and conventions the readers map sources to (TEI @rend words,
    del/add/choice readings, the run-in speaker) are looks: written as their own class,
    never namespaced away from base.css's rule for them."""
    from edition.readers.speakers import SPEAKER_ROLE
    from edition.readers.tei.inlines import CHOICE_READINGS, HI_ROLES
    from edition.render.roles import role_class

    looks = {*HI_ROLES.values(), *CHOICE_READINGS, SPEAKER_ROLE, "del", "add", "gap",
             "supplied"} - {"seg"}
    assert {look for look in looks if role_class(look) != look} == set()
