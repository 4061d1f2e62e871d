"""Bad input at the command line: one line naming file and line, exit 2, no PDF touched."""

from __future__ import annotations

import pytest

from edition.cli import main

GOOD = """+++
number = "1"
title = "A Memorandum"
+++

::: speech Dulles
We should wait.[^a]
:::

[^a]: A note.
"""

CASES = {
    # name: (file content or None for the file to be missing, text in the message, line)
    "malformed front matter": ('+++\nnumber = "1\ntitle = "x"\n+++\n\nText.\n', "", 2),
    "missing front matter": ("Just text.\n", "front matter", 1),
    "undefined note": (GOOD.replace("[^a]: A note.", "").replace("[^a]", "[^b]"), "b", 7),
    "unused note": (GOOD + "\n[^z]: Never called.\n", "z", 12),
    "empty speech": (GOOD.replace("We should wait.[^a]\n", "").replace("[^a]: A note.", ""),
                     "speaker turn", 6),
    "speech in a note": (GOOD + "\n    ::: speech Dulles\n    Inside.\n    :::\n",
                         "holds a speech", 12),
}


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_document_is_one_line_with_file_and_line(case, tmp_path, capsys):
    content, words, line = CASES[case]
    source = tmp_path / "src"
    source.mkdir()
    doc = source / "001-doc.md"
    doc.write_text(content, encoding="utf-8")
    output = tmp_path / "out.pdf"
    output.write_bytes(b"%PDF-previous")
    code, err = _run(capsys, "build", str(source), "-o", str(output), "-q")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("edition: ")
    assert f"{doc}:{line}:" in lines[0], lines[0]
    assert words in lines[0]
    assert output.read_bytes() == b"%PDF-previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_unknown_setting_names_the_line_of_edition_toml(tmp_path, capsys):
    source = tmp_path / "src"
    source.mkdir()
    (source / "001-doc.md").write_text(GOOD, encoding="utf-8")
    (source / "edition.toml").write_text('title = "T"\n\n[page]\ntrimsize = "a4"\n')
    code, err = _run(capsys, "build", str(source), "-o", str(tmp_path / "o.pdf"), "-q")
    assert code == 2
    assert f"{source / 'edition.toml'}:4:" in err and "trimsize" in err
    assert not (tmp_path / "o.pdf").exists()


def test_missing_source_is_an_error_not_a_traceback(tmp_path, capsys):
    code, err = _run(capsys, "build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o.pdf"))
    assert code == 2
    assert err.startswith("edition: ") and "nowhere" in err and "Traceback" not in err


def test_good_source_builds_and_strict_passes(tmp_path, capsys):
    source = tmp_path / "src"
    source.mkdir()
    (source / "001-doc.md").write_text(GOOD, encoding="utf-8")
    output = tmp_path / "o.pdf"
    code = main(["build", str(source), "-o", str(output), "--strict",
                 "--report", str(tmp_path / "r.json")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert output.read_bytes().startswith(b"%PDF-")
    assert "0 away from their call's page" in out
    assert (tmp_path / "r.json").read_text().startswith("{")


def test_bad_values_in_edition_toml_name_their_line(tmp_path, capsys):
    source = tmp_path / "src"
    source.mkdir()
    (source / "001-doc.md").write_text(GOOD, encoding="utf-8")
    for toml, line, words in [('title = "T"\n[page]\ntrim = "huge"\n', 3, "trim size"),
                              ('title = "T"\n\n[notes]\nnumbering = "sometimes"\n', 4,
                               "note numbering")]:
        (source / "edition.toml").write_text(toml, encoding="utf-8")
        code, err = _run(capsys, "build", str(source), "-o", str(tmp_path / "o.pdf"), "-q")
        assert code == 2 and f"edition.toml:{line}:" in err and words in err, err
    assert not (tmp_path / "o.pdf").exists()


def test_a_speech_inside_a_tei_note_is_one_line_with_its_line(tmp_path, capsys):
    source = tmp_path / "doc.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        '<div type="document" n="1"><head>A</head>\n'
        '<p>Text.<note n="1">A note\n'
        '<sp><speaker>Dulles</speaker><p>Inside.</p></sp></note></p>\n'
        '</div></body></text></TEI>\n', encoding="utf-8")
    code, err = _run(capsys, "build", str(source), "-o", str(tmp_path / "out.pdf"), "-q")
    assert code == 2
    assert err.strip().splitlines() == [
        f"edition: {source}:4: note [^1] holds a speech; speeches stand in the text, "
        "not in notes"]
