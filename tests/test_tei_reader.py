"""The TEI reader: fixtures in tests/fixtures/tei and, when present, the shared corpus."""

from __future__ import annotations

import time
from dataclasses import fields
from pathlib import Path

import pytest
from lxml import etree

from edition.errors import EditionError
from edition.model import (
    Attachment,
    Document,
    Emph,
    IndexAnchor,
    LineBreak,
    ListBlock,
    NameRef,
    NoteCall,
    PageMarker,
    Paragraph,
    Quote,
    Ref,
    Span,
    SpeakerTurn,
    Strong,
    Table,
    Text,
    Volume,
)
from edition.readers.tei import check_tei, read_tei
from edition.readers.tei.reader import TeiReader
from edition.readers.tei.xml import _parse
from edition.settings import Settings
from edition.transform.conventions import apply_conventions
from edition.transform.numbering import number_volume

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
SAMPLE = FIXTURES / "frus-sample.xml"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "frus-history"
TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}


# ---------------------------------------------------------------- helpers


def children_of(block):
    """The nested blocks of a block, for walking a document."""
    if isinstance(block, ListBlock):
        return [b for item in block.items for b in item]
    if isinstance(block, Quote | SpeakerTurn | Attachment):
        return block.blocks
    return []


def all_blocks(blocks):
    for block in blocks:
        yield block
        yield from all_blocks(children_of(block))


def inlines_of(block):
    if isinstance(block, Paragraph):
        return block.inlines
    if isinstance(block, Table):
        return [i for row in block.rows for cell in row for i in cell.inlines] + block.caption
    return getattr(block, "inlines", [])


def all_inlines(inlines):
    for node in inlines:
        yield node
        yield from all_inlines(getattr(node, "children", []))


def doc_inlines(doc: Document):
    """Every inline of a document: title, headnote, body, colophon and notes."""
    yield from all_inlines(doc.title)
    for part in (doc.headnote, doc.body, doc.colophon,
                 [b for note in doc.notes.values() for b in note.blocks]):
        for block in all_blocks(part):
            yield from all_inlines(inlines_of(block))


def plain(inlines) -> str:
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(plain(getattr(node, "children", [])))
    return "".join(out)


def text_before_calls(inlines) -> list[tuple[str, str]]:
    """(label, the last 12 characters printed before the call) for each call, in order."""
    found, printed = [], []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, NoteCall):
                found.append((node.label, "".join(printed)[-12:]))
            elif isinstance(node, Text):
                printed.append(node.text)
            else:
                walk(getattr(node, "children", []))
    walk(inlines)
    return found


def terms_of(path: Path) -> dict[str, str]:
    """The terms lists' abbreviations → expansions, which the reader keeps on its state:
    they are not part of ReaderResult (the lists print as a front page or a chapter)."""
    reader = TeiReader(path, _parse(path), "")
    reader.read()
    return reader.terms


@pytest.fixture(scope="module")
def sample():
    return read_tei(SAMPLE)


def docs(result) -> dict[str, Document]:
    return {d.number: d for d in result.documents if d.kind == "document"}


# ---------------------------------------------------------------- the sample volume


def test_sample_documents_numbers_titles_and_dates(sample):
    documents = docs(sample)
    assert list(documents) == ["1", "2", "3"]
    assert plain(documents["1"].title) == (
        "Telegram From the Embassy in the Soviet Union to the Department of State")
    assert plain(documents["2"].title) == "Memorandum of Conversation"
    assert plain(documents["3"].title) == "Memorandum From the Secretary of State to the President"
    assert [d.date for d in documents.values()] == ["1955-07-20", "1955-07-21", "1955-08-04"]
    assert all(d.lang == "en" for d in documents.values())
    # The enclosing chapter is its own (empty) division, listed before its documents.
    chapter = sample.documents[0]
    assert chapter.kind == "chapter" and chapter.number == "ch1" and chapter.body == []
    assert plain(chapter.title) == "Relations With the Soviet Union After Geneva"


def test_sample_colophons_without_source_prefix_or_brackets(sample):
    # The reader keeps a source note as a note of kind "source"; numbering decides
    # whether it prints as footnote 1 or as the colophon (tests/test_frus_print.py).
    fresh = read_tei(SAMPLE)  # numbered here: the module's fixture stays as read
    documents = docs(fresh)
    volume = Volume(settings=Settings(note_numbering="continuous"), documents=fresh.documents)
    number_volume(volume)
    first = documents["1"].colophon
    # A source note moved to the colophon keeps its "Source:", which the renderer
    # brackets as "[Source: …]" without adding a second one.
    assert plain(first[0].inlines).removeprefix("Source: ") == \
        "Department of State, Central Files, 661.00/7–2055. Secret; Priority."
    assert isinstance(first[0].inlines[1], Emph)
    second = plain(documents["2"].colophon[0].inlines).removeprefix("[Source: ").rstrip("]")
    assert second.startswith("Eisenhower Library") and second.endswith("Drafted by Bohlen.")
    assert documents["3"].colophon == []
    # The source note in the head leaves no call and no text in the title.
    assert not any(isinstance(n, NoteCall) for n in documents["1"].title)


def printed(style: str = "diplomatic"):
    """The sample as read, with its choices and deletions resolved as a build does
    (transform/conventions.py) in the transcription `style`."""
    result = read_tei(SAMPLE)
    apply_conventions(Volume(settings=Settings(transcription=style),
                             documents=result.documents))
    return result


def test_sample_notes_labels_and_call_positions(sample):
    documents = docs(printed())  # its notes are filtered here: a fresh read
    # Besides its own notes, documents 1 and 2 keep their source notes (kind "source").
    assert [[k for k, n in d.notes.items() if n.kind == "source"]
            for d in documents.values()] == [["n1"], ["n1"], []]
    for doc in documents.values():
        doc.notes = {k: n for k, n in doc.notes.items() if n.kind != "source"}
    assert [len(d.notes) for d in documents.values()] == [2, 3, 3]
    calls = {n: [c for block in all_blocks(d.body) for c in text_before_calls(inlines_of(block))]
             for n, d in documents.items()}
    assert calls["1"] == [("1", "Reference Deptel 58."[-12:]), ("2", "ner sincere.")]
    assert [label for label, _ in calls["2"]] == ["1", "2", "3"]
    assert calls["3"][0] == ("1", "consider are:"[-12:])
    # The third call of document 3 stands in a table cell, after the figure.
    assert calls["3"][2][0] == "3" and calls["3"][2][1].endswith("USSR500")
    for doc in documents.values():
        assert sorted(doc.notes) == sorted(label for label, _ in calls[doc.number])
        assert all(note.number is None for note in doc.notes.values())
    assert plain(documents["1"].notes["1"].blocks[0].inlines) == "Not printed."
    ref = next(n for n in all_inlines(documents["1"].notes["2"].blocks[0].inlines)
               if isinstance(n, Ref))
    assert ref.target == "doc:2"


def test_sample_persons_index_forms_identifications_and_forms(sample):
    persons = sample.persons
    assert len(persons) == 8
    dulles = persons["p_DJF1"]
    assert dulles.index_form == "Dulles, John Foster"
    assert dulles.identification == "Secretary of State"
    assert dulles.forms == ["Dulles", "John Foster Dulles"]
    assert persons["p_KNS1"].identification.startswith("First Secretary of the Central")
    assert persons["p_BNA1"].index_form == "Bulganin, Nikolai A."
    assert all(p.pos is not None and p.pos.line > 0 for p in persons.values())
    assert [(c.form, c.target_key) for c in sample.cross_references] == [("Krushchev", "p_KNS1")]


def test_sample_name_refs_carry_keys(sample):
    keys = [n.key for d in docs(sample).values() for n in doc_inlines(d) if isinstance(n, NameRef)]
    assert keys.count("p_BNA1") == 2 and keys.count("p_DJF1") == 2
    assert set(keys) == {"p_KNS1", "p_BNA1", "p_BCE1", "p_DJF1", "p_SHE1", "p_MVM1", "p_GAA1"}
    refs = [n for d in docs(sample).values() for n in doc_inlines(d) if isinstance(n, NameRef)]
    assert all(r.explicit and r.pos is not None and r.pos.line > 0 for r in refs)
    assert plain(next(r for r in refs if r.key == "p_DJF1").children) == "Secretary Dulles"


def test_sample_terms_and_glosses(sample):
    assert terms_of(SAMPLE) == {
        "Deptel": "Department of State telegram",
        "Embtel": "Embassy telegram",
        "NSC": "National Security Council",
        "USSR": "Union of Soviet Socialist Republics",
    }
    abbrs = [plain(n.children) for n in doc_inlines(docs(sample)["1"])
             if isinstance(n, Span) and n.role == "abbr"]
    assert abbrs == ["Deptel", "USSR"]
    assert [p.title for p in sample.front_pages] == ["Persons", "Abbreviations and Terms"]


def test_sample_speaker_turns(sample):
    turns = [b for b in docs(sample)["2"].body if isinstance(b, SpeakerTurn)]
    assert [(s.label, s.person) for t in turns for s in t.speakers] == [
        ("The President", "p_EDD1"), ("Bulganin", "p_BNA1"), ("Dulles", "p_DJF1")]
    assert [len(t.blocks) for t in turns] == [1, 2, 1]
    assert plain(turns[1].blocks[0].inlines).startswith("Bulganin replied")


def test_sample_blocks_dateline_list_table_signature_headnote(sample):
    d1, _, d3 = docs(sample).values()
    dateline = d1.body[0]
    assert dateline.roles == ["dateline"] and dateline.align == "right"
    assert plain(dateline.inlines) == "Moscow, July 20, 1955—6 p.m."
    signature = d1.body[-1]
    assert signature.roles == ["signature"] and signature.align == "right"
    assert isinstance(signature.inlines[0], NameRef) and signature.inlines[0].key == "p_BCE1"
    lists = [b for b in d3.body if isinstance(b, ListBlock)]
    assert len(lists) == 1 and lists[0].ordered and len(lists[0].items) == 3
    table = next(b for b in d3.body if isinstance(b, Table))
    assert plain(table.caption) == "Forces in Europe (thousands)"
    assert [c.header for c in table.rows[0]] == [True, True]
    # The reader keeps every reading of a choice; the transcription style picks one:
    # diplomatic (the default) the source's sic and abbr, reading its corr and expan.
    for style, expected in (("diplomatic", ["Untied States", "USSR"]),
                            ("reading", ["United States",
                                         "Union of Soviet Socialist Republics"])):
        cells = next(b for b in docs(printed(style))["3"].body if isinstance(b, Table)).rows
        assert [plain(cells[1][0].inlines), plain(cells[2][0].inlines)] == expected
        assert plain(cells[1][1].inlines) == "400"
    assert plain(d3.headnote[0].inlines) == (
        "The Secretary summarized the position to be taken at the NSC meeting.")
    smallcaps = [n for n in doc_inlines(d3) if isinstance(n, Span) and n.role == "smallcaps"]
    assert [plain(s.children) for s in smallcaps] == ["allies"]


def test_sample_inline_markup_supplied_gap_pages_anchors(sample):
    d1, _, d3 = docs(sample).values()
    para = d1.body[2]
    assert isinstance(para.inlines[0], PageMarker) and para.inlines[0].n == "12"
    assert plain(para.inlines) == ("He added that the USSR would not [be the first to] raise "
                                   "the German question again […] before the Foreign Ministers "
                                   "met in October.")
    supplied = next(n for n in para.inlines if isinstance(n, Span) and n.role == "supplied")
    assert plain(supplied.children) == "[be the first to]"
    last = d3.body[-2]
    assert [type(n) for n in last.inlines[:2]] == [PageMarker, IndexAnchor]
    assert last.inlines[1].id == "b_1"
    lines = plain(d1.body[1].inlines)  # no stray spaces from the XML's indentation
    assert "  " not in lines and not lines.startswith(" ") and not lines.endswith(" ")


def test_sample_header_settings_are_settings_fields(sample):
    header = sample.settings
    assert header["title"].startswith("Foreign Relations of the United States, 1955–1957")
    assert header["subtitle"] == "An Illustrative Test Volume"
    assert header["editors"] == ["Jane Q. Editor", "John R. Compiler"]
    assert header["publisher"] == "Office of the Historian, Test Bureau"
    assert header["place"] == "Washington, D.C."
    assert header["year"] == "2024"
    assert header["rights"].startswith("Public domain")
    assert set(header) <= {f.name for f in fields(Settings)}


def test_every_positioned_node_has_file_and_line(sample):
    for doc in sample.documents:
        assert doc.pos.file == str(SAMPLE) and doc.pos.line > 0
        for part in (doc.headnote, doc.body, doc.colophon,
                     [b for n in doc.notes.values() for b in n.blocks]):
            for block in all_blocks(part):
                assert block.pos is not None and block.pos.line > 0, block
        for note in doc.notes.values():
            assert note.pos.line > 0
        for node in doc_inlines(doc):
            if isinstance(node, NoteCall | NameRef):
                assert node.pos.line > 0


def test_check_sample_is_clean():
    assert check_tei(SAMPLE) == []


# ---------------------------------------------------------------- small fixtures


def test_minimal_one_document_one_note_whitespace_collapsed():
    result = read_tei(FIXTURES / "minimal.xml")
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert doc.number == "7" and plain(doc.title) == "A Short Letter"
    assert list(doc.notes) == ["n1"]
    para = doc.body[0]
    assert plain(para.inlines) == "The text of the letter, with a note. And an end."
    assert text_before_calls(para.inlines) == [("n1", "with a note.")]
    assert result.settings == {"title": "Minimal Edition"}


def test_unknown_elements_warn_once_per_name_and_keep_text():
    result = read_tei(FIXTURES / "unknown.xml")
    notices = [str(n) for n in result.notices]
    assert len(notices) == 2
    assert notices[0].endswith(":20: unknown TEI element <frobnicate> (its text is kept)")
    assert "<wibble>" in notices[1] and ":21:" in notices[1]
    assert plain(result.documents[0].body[0].inlines) == (
        "Before kept one middle kept two and kept three after, with Nobody.")


def test_check_reports_unknown_elements_and_unresolved_persons():
    problems = check_tei(FIXTURES / "unknown.xml")
    assert len(problems) == 3
    assert any(p.endswith("person reference '#nobody' has no entry in the persons list")
               and ":22:" in p for p in problems)


def test_generated_note_labels_are_unique(tmp_path):
    source = tmp_path / "dup.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" n="1">'
        '<head>T</head><p>a<note n="1">x</note> b<note n="1">y</note> c<note>z</note></p>'
        '</div></body></text></TEI>', encoding="utf-8")
    doc = read_tei(source).documents[0]
    labels = [label for label, _ in text_before_calls(doc.body[0].inlines)]
    assert len(set(labels)) == 3 and labels[0] == "1"
    assert sorted(labels) == sorted(doc.notes)
    assert [plain(doc.notes[lab].blocks[0].inlines) for lab in labels] == ["x", "y", "z"]


def test_hi_renditions_map_to_model(tmp_path):
    source = tmp_path / "hi.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" n="1">'
        '<head>T</head><p><hi rend="italic">i</hi> <hi rend="bold">b</hi> '
        '<hi rend="sc">s</hi> <hi rend="superscript">2</hi> <hi rend="underline">u</hi> '
        '<title>W</title> <foreign>f</foreign><lb/>next</p></div></body></text></TEI>',
        encoding="utf-8")
    inlines = read_tei(source).documents[0].body[0].inlines
    kinds = [(type(n).__name__, getattr(n, "role", "")) for n in inlines
             if not isinstance(n, Text)]
    assert kinds == [("Emph", ""), ("Strong", ""), ("Span", "smallcaps"), ("Span", "sup"),
                     ("Span", "underline"), ("Span", "title"), ("Span", "foreign"),
                     ("LineBreak", "")]
    assert isinstance(inlines[0], Emph) and isinstance(inlines[2], Strong)
    assert plain(inlines) == "i b s 2 u W f\nnext"


# ---------------------------------------------------------------- safety


def test_malformed_xml_names_file_and_line():
    with pytest.raises(EditionError) as info:
        read_tei(FIXTURES / "bad.xml")
    assert info.value.file == str(FIXTURES / "bad.xml") and info.value.line == 7
    assert info.value.message.startswith("malformed XML:")


@pytest.mark.parametrize("name", ["xxe.xml", "billion-laughs.xml"])
def test_entities_are_refused_with_file_and_line(name):
    with pytest.raises(EditionError) as info:
        read_tei(FIXTURES / name)
    assert info.value.file == str(FIXTURES / name) and info.value.line == 3
    assert "entity" in info.value.message
    assert "root:" not in str(info.value)


def test_undeclared_entity_is_malformed(tmp_path):
    # A reference to an entity nobody declared fails as malformed; nothing is looked up.
    source = tmp_path / "undeclared.xml"
    source.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n<p>&x;</p>'
                      '</body></text></TEI>', encoding="utf-8")
    with pytest.raises(EditionError) as info:
        read_tei(source)
    assert info.value.line == 2 and "root:" not in str(info.value)


def test_invalid_utf8_is_an_edition_error(tmp_path):
    source = tmp_path / "latin1.xml"
    source.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body>\n'
                       b'<p>caf\xe9</p></body></text></TEI>')
    with pytest.raises(EditionError) as info:
        read_tei(source)
    assert info.value.line == 3 and info.value.file == str(source)


def test_not_tei_and_missing_file(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(EditionError, match="not a TEI document"):
        read_tei(other)
    with pytest.raises(EditionError, match="file not found"):
        read_tei(tmp_path / "absent.xml")


# ---------------------------------------------------------------- the shared corpus


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"shared corpus not available ({path} is absent)")
    return path


@pytest.fixture(scope="module")
def history():
    path = corpus_file("frus-history.xml")
    start = time.perf_counter()
    result = read_tei(path)
    return result, time.perf_counter() - start, path


def test_history_notes_match_an_independent_count(history):
    result, _, path = history
    tree = etree.parse(str(path))
    expected = int(tree.xpath("count(//tei:text//tei:note[not(@type='source')])",
                              namespaces=TEI_NS))
    assert expected > 1000
    assert sum(len(d.notes) for d in result.documents) == expected
    calls = sum(1 for d in result.documents for n in doc_inlines(d) if isinstance(n, NoteCall))
    assert calls == expected


def test_history_chapters_and_speed(history):
    result, seconds, _ = history
    numbers = [d.number for d in result.documents]
    assert {"introduction", "chapter-1", "chapter-12", "conclusion"} <= set(numbers)
    assert len(numbers) == len(set(numbers))
    assert all(d.kind == "chapter" for d in result.documents)
    chapter1 = next(d for d in result.documents if d.number == "chapter-1")
    assert plain(chapter1.title).startswith("Chapter 1: The Parameters of Openness")
    assert chapter1.short_title.startswith("Parameters of Openness")
    assert result.settings["year"] == "2015"
    assert seconds < 10, f"reading frus-history.xml took {seconds:.1f} s"


def test_history_index_entries(history):
    result, _, path = history
    entries = {e.term: e for e in result.source_index}
    assert len(entries) > 400
    aandahl = entries["Aandahl, Fredrick"]
    assert aandahl.targets == [("b_446-start", "b_446-end"), ("b_447", None), ("b_448", None)]
    assert entries["academic community"].see_also == ["Historical Advisory Committee"]
    assert entries["acceleration of publication"].see == [
        "Foreign Relations of the United States series: timeliness"]
    assert entries["covert operations"].see == ["Central Intelligence Agency",
                                                "intelligence activities"]
    alabama = entries["Alabama C.S.S."]
    assert [s.term for s in alabama.subentries] == ["claims case concerning"]
    # Every anchor the index names exists in the text as an IndexAnchor.
    anchors = {n.id for d in result.documents for n in doc_inlines(d)
               if isinstance(n, IndexAnchor)}

    def targets(entry):
        for start, end in entry.targets:
            yield start
            if end:
                yield end
        for sub in entry.subentries:
            yield from targets(sub)
    named = {t for e in result.source_index for t in targets(e)}
    assert named and named <= anchors


def test_history_terms(history):
    _, _, path = history
    terms = terms_of(path)
    assert terms["Department"].endswith("denotes the Department of State")
    assert terms["CIA"] == "Central Intelligence Agency"


def test_article_reads_as_one_titled_chapter_with_its_notes():
    path = corpus_file("foundation-of-frus.xml")
    result = read_tei(path)
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert plain(doc.title).startswith("Publicizing Foreign Relations in Time of War")
    expected = len(etree.parse(str(path)).xpath("//tei:text//tei:note", namespaces=TEI_NS))
    assert len(doc.notes) == expected == 34
    assert result.notices == []


def test_minutes_dateline_colophon_and_inline_speakers():
    path = corpus_file("1976-11-12-hac-meeting-with-kissinger.xml")
    result = read_tei(path)
    assert len(result.documents) == 1
    doc = result.documents[0]
    assert doc.kind == "document" and doc.date == "November 12, 1976"
    assert plain(doc.colophon[0].inlines).startswith("Department of State, Bureau of Public")
    assert plain(doc.headnote[0].inlines).startswith("Cited in")
    assert doc.body[0].roles == ["dateline"]
    # Inline speakers are run in, in the book's small capitals: no margin turns.
    assert not [b for b in doc.body if isinstance(b, SpeakerTurn)]
    speeches = [b for b in doc.body if isinstance(b, Paragraph) and "speech" in b.roles]
    tree = etree.parse(str(path))
    labelled = [p for p in tree.xpath("//tei:div//tei:p/text()[1]", namespaces=TEI_NS)
                if p.split(":")[0].strip().replace(".", "").replace(" ", "").isupper()
                and ":" in p[:30]]
    assert len(speeches) == len(labelled) > 100
    first = speeches[0].inlines[0]
    assert isinstance(first, Span) and first.role == "speaker-runin"
    assert plain(first.children) == "Secretary Kissinger"
    assert plain(speeches[0].inlines).startswith("Secretary Kissinger: Well, gentlemen")
    assert check_tei(path) == []


def test_list_person_headnote_division_attachment_and_list_in_paragraph(tmp_path):
    source = tmp_path / "shapes.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><profileDesc><particDesc>'
        '<listPerson><person xml:id="kadar"><persName><surname>Kádár</surname>'
        '<forename>János</forename></persName><note>First Secretary of the HSWP</note>'
        '</person></listPerson></particDesc></profileDesc></teiHeader>'
        '<text><body><div type="document" n="53"><head>Minutes</head>'
        '<div type="headnote"><p>The editors <title>introduce</title> it.</p></div>'
        '<p>Items:<list><item>one</item><item>two</item></list>and after.</p>'
        '<div type="attachment"><head>RESOLUTION</head><p>Text of <persName ref="#kadar">'
        'Kádár</persName>.</p></div></div></body></text></TEI>', encoding="utf-8")
    result = read_tei(source)
    person = result.persons["kadar"]
    assert (person.index_form, person.identification) == ("Kádár, János",
                                                           "First Secretary of the HSWP")
    assert person.forms == ["Kádár", "János Kádár"]
    doc = result.documents[0]
    assert plain(doc.headnote[0].inlines) == "The editors introduce it."
    kinds = [type(b).__name__ for b in doc.body]
    assert kinds == ["Paragraph", "ListBlock", "Paragraph", "Attachment"]
    assert doc.body[2].roles == ["noindent"] and plain(doc.body[2].inlines) == "and after."
    attachment = doc.body[3]
    assert plain(attachment.title) == "RESOLUTION"
    name = attachment.blocks[0].inlines[1]
    assert isinstance(name, NameRef) and name.key == "kadar"
    assert check_tei(source) == []
