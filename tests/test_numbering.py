"""Numbering: document ids, note numbers and anchors, speaker-turn anchors, note checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.errors import EditionError
from edition.model import (
    Document,
    FrontPage,
    Note,
    NoteCall,
    Paragraph,
    Pos,
    Ref,
    Speaker,
    SpeakerTurn,
    Text,
    Volume,
    ids,
    walk,
)
from edition.readers import load_volume
from edition.settings import Settings
from edition.transform.numbering import number_volume

SOURCE = Path(__file__).resolve().parent.parent / "source"


def doc_file(folder: Path, number: str, body: str) -> Path:
    path = folder / f"{number.zfill(3)}-d.md"
    path.write_text(f'+++\nnumber = "{number}"\ntitle = "Doc {number}"\n+++\n{body}',
                    encoding="utf-8")
    return path


TWO_DOCS = {
    "1": "One.[^x] Two.[^y]\n\n::: speech A\nSpeech.[^z]\n:::\n\n"
         "[^y]: y\n[^x]: x\n[^z]: z\n",
    "2": "::: speech B, C\nWords.[^only]\n:::\n\n::: speech D\nMore.\n:::\n\n[^only]: o\n",
}


def two_doc_volume(tmp_path: Path, **overrides) -> Volume:
    for number, body in TWO_DOCS.items():
        doc_file(tmp_path, number, body)
    volume = load_volume(tmp_path, **overrides)
    number_volume(volume)
    return volume


def numbers(doc: Document) -> list[tuple[str, int | None, str]]:
    return [(c.label, c.number, c.anchor)
            for c in walk.calls(doc.title, doc.headnote, doc.body, doc.colophon)]


def test_continuous_numbering_from_note_start(tmp_path):
    vol = two_doc_volume(tmp_path, note_start=235)
    one, two = vol.documents
    assert numbers(one) == [("x", 235, "note-235"), ("y", 236, "note-236"),
                            ("z", 237, "note-237")]
    assert numbers(two) == [("only", 238, "note-238")]
    assert {k: n.number for k, n in one.notes.items()} == {"x": 235, "y": 236, "z": 237}


def test_per_document_numbering_restarts_with_unique_anchors(tmp_path):
    vol = two_doc_volume(tmp_path, note_numbering="per-document", note_start=235)
    one, two = vol.documents
    assert numbers(one) == [("x", 1, "note-1-1"), ("y", 2, "note-1-2"), ("z", 3, "note-1-3")]
    assert numbers(two) == [("only", 1, "note-2-1")]
    assert two.notes["only"].number == 1


def test_turn_anchors_are_unique_across_the_volume(tmp_path):
    vol = two_doc_volume(tmp_path)
    turns = [b for d in vol.documents for b in d.body if isinstance(b, SpeakerTurn)]
    assert [t.anchor for t in turns] == ["turn-1", "turn-2", "turn-3"]
    assert [d.id for d in vol.documents] == ["doc-1", "doc-2"]


def test_sample_edition_numbers_continue_across_documents():
    vol = load_volume(SOURCE)
    number_volume(vol)
    all_numbers = [c.number for d in vol.documents
                   for c in walk.calls(d.title, d.headnote, d.body, d.colophon)]
    assert all_numbers == list(range(235, 235 + len(all_numbers)))
    assert len(all_numbers) >= 8 + 4 + 4
    anchors = [c.anchor for d in vol.documents for c in walk.calls(d.body, d.headnote)]
    assert len(anchors) == len(set(anchors))


def test_html_ids_are_sanitised():
    assert ids.fragment("53") == "53"
    assert ids.fragment(" 12a/b (bis) ") == "12a-b-bis"
    assert ids.fragment("№") == "x"


def model_doc(number: str, blocks: list, notes: dict[str, Note], title=None) -> Document:
    return Document(number=number, title=title or [Text("T")], source=Path("m.md"),
                    pos=Pos("m.md", 1), body=blocks, notes=notes)


def call(label: str, line: int) -> NoteCall:
    return NoteCall(label, Pos("m.md", line))


def note(label: str, line: int, *inlines) -> Note:
    return Note(label, [Paragraph(list(inlines) or [Text("n")])], Pos("m.md", line))


def run(*docs: Document) -> None:
    number_volume(Volume(settings=Settings(), documents=list(docs)))


def test_sanitised_document_ids_and_front_pages():
    vol = Volume(settings=Settings(), documents=[model_doc("12a/b", [], {})],
                 front_pages=[FrontPage("P", [], Path("principles.md")),
                              FrontPage("Q", [], Path("x/principles.md"))])
    number_volume(vol)
    assert vol.documents[0].id == "doc-12a-b"
    assert [p.id for p in vol.front_pages] == ["front-principles", "front-principles-2"]


def test_a_repeated_markdown_number_renumbers_the_volume_in_reading_order(tmp_path):
    """Two Markdown files numbered 5 (issue 26: a number used twice is never an error
    by itself): every document is numbered in reading order, the build says which
    number repeats, and links follow their documents. This was an error before; a
    folder of TEI files was already renumbered so."""
    for name, number, text in (("a.md", 5, "See [the last](doc:7) and [mine](doc:5)."),
                               ("b.md", 5, "Second."), ("c.md", 7, "Third.")):
        (tmp_path / name).write_text(f'+++\nnumber = {number}\ntitle = "{name}"\n+++\n\n'
                                     f"{text}\n", encoding="utf-8")
    volume = load_volume(tmp_path)
    number_volume(volume)
    assert [d.number for d in volume.documents] == ["1", "2", "3"]
    assert [d.id for d in volume.documents] == ["doc-1", "doc-2", "doc-3"]
    said = [str(n) for n in volume.notices if "used twice" in str(n)]
    assert said == [f"{tmp_path / 'b.md'}:1: document number '5' is used twice (a.md, b.md): "
                    "the volume numbers its documents in reading order"]
    links = [ref.target for ref in walk.of_type(Ref, volume.documents[0].body)]
    assert links == ["doc:3", "doc:1"]  # the last document; a.md's own 5


def test_note_called_twice_names_the_second_call():
    body = [Paragraph([Text("a"), call("n", 3), Text("b"), call("n", 9)])]
    with pytest.raises(EditionError, match="called twice") as info:
        run(model_doc("1", body, {"n": note("n", 20)}))
    assert (info.value.file, info.value.line) == ("m.md", 9)


def test_undefined_and_uncalled_notes():
    with pytest.raises(EditionError, match="never defined") as info:
        run(model_doc("1", [Paragraph([call("gone", 4)])], {}))
    assert info.value.line == 4
    with pytest.raises(EditionError, match="never called") as info:
        run(model_doc("1", [Paragraph([call("a", 4)])],
                      {"a": note("a", 10), "b": note("b", 12)}))
    assert info.value.line == 12


def test_a_note_calling_itself_is_an_error_not_a_hang():
    body = [Paragraph([call("a", 2)])]
    with pytest.raises(EditionError, match="inside note") as info:
        run(model_doc("1", body, {"a": note("a", 5, Text("see"), call("a", 5))}))
    assert info.value.line == 5


def test_a_note_calling_another_note_is_an_error(tmp_path):
    doc_file(tmp_path, "1", "Text.[^a]\n\n[^a]: A note[^b].\n[^b]: B.\n")
    vol = load_volume(tmp_path)
    with pytest.raises(EditionError, match="inside note") as info:
        number_volume(vol)
    assert (info.value.file, info.value.line) == (str(tmp_path / "001-d.md"), 7)


def test_turns_in_attachments_lists_and_title_order(tmp_path):
    doc_file(tmp_path, "3", ":::: attachment [X]\n::: speech A\nIn attachment.[^c]\n:::\n::::\n"
                            "\n- item\n\n  ::: speech B\n  In a list.\n  :::\n\n"
                            "::: source\nColophon.[^d]\n:::\n\n"
                            "::: headnote\nHead.[^b]\n:::\n\n[^b]: b\n[^c]: c\n[^d]: d\n")
    vol = load_volume(tmp_path, note_start=1)
    number_volume(vol)
    doc = vol.documents[0]
    # Reading order: headnote (written last in the file), body, colophon.
    assert [(c.label, c.number) for c in walk.calls(doc.headnote, doc.body, doc.colophon)] == [
        ("b", 1), ("c", 2), ("d", 3)]
    attachment, items = doc.body
    assert attachment.blocks[0].anchor == "turn-1"
    assert items.items[0][1].anchor == "turn-2"
    assert [s.label for s in items.items[0][1].speakers] == ["B"]


def test_numbering_twice_gives_the_same_result(tmp_path):
    vol = two_doc_volume(tmp_path)
    first = [numbers(d) for d in vol.documents]
    number_volume(vol)
    assert [numbers(d) for d in vol.documents] == first


def test_speaker_turn_needs_no_numbering_input():
    turn = SpeakerTurn([Speaker("A")], [Paragraph([Text("x")])])
    vol = Volume(settings=Settings(), documents=[model_doc("1", [turn], {})])
    number_volume(vol)
    assert turn.anchor == "turn-1"
