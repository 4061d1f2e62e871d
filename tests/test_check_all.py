"""`edition check` reports every problem in one run, each at its own line; a link to a
document the volume does not contain is a problem there and a preflight finding."""

from __future__ import annotations

from pathlib import Path

from edition.build import typeset
from edition.cli import main

PERSONS = """[dulles]
name = "Dulles, John Foster"
forms = ["Dulles"]
"""

DOCUMENT = """+++
number = "1"
title = "A Memorandum"
+++

The meeting heard [the Secretary]{person=nobody} first.

::: speech Dulles
We should wait. Then the discussion
turned to Mr. Smithers, who had
written to Cde. Pavlenko about it.
:::

Later, [the Ambassador]{person=nobody-else} spoke of
[Document No. 7](doc:7), which the volume does not print.
"""


def _edition(tmp_path: Path) -> Path:
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "persons.toml").write_text(PERSONS, encoding="utf-8")
    (folder / "001-memo.md").write_text(DOCUMENT, encoding="utf-8")
    return folder


def test_check_lists_every_problem_at_its_own_line(tmp_path, capsys):
    folder = _edition(tmp_path)
    doc = folder / "001-memo.md"
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{doc}:6: unknown person 'nobody' (not in the register)" in out
    assert f"{doc}:14: unknown person 'nobody-else' (not in the register)" in out
    smithers = [line for line in out if "'Smithers'" in line]
    pavlenko = [line for line in out if "'Pavlenko'" in line]
    # Each name at its own line, not the speech's first line (8).
    assert smithers and smithers[0].startswith(f"{doc}:10: "), smithers
    assert pavlenko and pavlenko[0].startswith(f"{doc}:11: "), pavlenko
    assert f"{doc}:15: link to document '7', which the volume does not contain" in out
    assert out[-1] == "1 document, no notes, 1 person: 5 problems"


def test_a_link_to_a_missing_document_is_a_preflight_finding(tmp_path, capsys):
    folder = _edition(tmp_path)
    doc = folder / "001-memo.md"
    doc.write_text(DOCUMENT.replace("{person=nobody}", "").replace(
        "{person=nobody-else}", ""), encoding="utf-8")
    book = typeset(folder)
    dead = [f for f in book.findings if f.rule == "dead-link"]
    assert [f.message for f in dead] == [
        f"{doc}:15: link to document '7', which the volume does not contain"]
    assert dead[0].severity == "error"
    assert main(["build", str(folder), "-o", str(tmp_path / "o.pdf"), "--strict"]) == 1
    assert "dead-link" in capsys.readouterr().out


def test_a_link_to_a_document_a_handout_leaves_out_is_not_dead(tmp_path):
    source = Path(__file__).resolve().parent.parent / "source"
    book = typeset(source, profile="handout", documents=["54"])
    assert not [f for f in book.findings if f.rule == "dead-link"]
