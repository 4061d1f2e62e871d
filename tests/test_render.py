"""Render stage: model → HTML (the contract of docs/pipeline.md) → PDF with the bundled fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
import weasyprint

from edition.errors import EditionError
from edition.model import (
    Attachment,
    Document,
    Emph,
    FrontPage,
    Heading,
    NameRef,
    Note,
    NoteCall,
    PageMarker,
    Paragraph,
    Pos,
    Ref,
    Span,
    Speaker,
    SpeakerTurn,
    Table,
    TableCell,
    Text,
    Volume,
)
from edition.render import (
    STYLES_DIR,
    font_config,
    render_body,
    render_front_matter,
    stylesheets,
)
from edition.render.css import font_stack, settings_css
from edition.settings import Settings

SRC = Path("doc53.md")

LONG = (
    "Notwithstanding the extraordinary circumstances, the representatives of the "
    "governments concerned considered it indispensable to communicate their "
    "understanding of the consequences of unilateral withdrawal, emphasizing "
    "international responsibilities, constitutional considerations, administrative "
    "arrangements and the extraordinarily complicated negotiations "
) * 6


def pos(line: int) -> Pos:
    return Pos(str(SRC), line)


def p(*inlines, **kw) -> Paragraph:
    return Paragraph([Text(i) if isinstance(i, str) else i for i in inlines], **kw)


def make_document(number: str = "53", first_note: int = 235) -> Document:
    n1, n2, n3 = first_note, first_note + 1, first_note + 2
    headnote = [p("At the October 31 Presidium meeting, Nikita Khrushchev announced, in ",
                  Emph([Text("Pravda")]), ", that the conclusions should be re-examined.",
                  NoteCall("h", pos(5), n1, f"note-{n1}"),
                  " Gomułka, Gerő and Kádár were mentioned.")]
    turn = SpeakerTurn(
        speakers=[Speaker("Zhukov", "zhukov"), Speaker("Voroshilov"), Speaker("Bulganin")],
        blocks=[p("We should reject the view that we are reexamining our position.",
                  NoteCall("s", pos(20), n2, f"note-{n2}"),
                  " Then ", NameRef("kadar", [Text("Kádár")], anchor="name-1"),
                  " spoke of “plan meropriatii” — Москва … ő ű ł Ł Ő š ž č.")],
        anchor="turn-7")  # as numbering.py sets it
    second_turn = SpeakerTurn(speakers=[Speaker("Molotov")],
                              blocks=[p("Yesterday was only a compromise decision.")])
    attachment = Attachment(
        title=[Text("[RESOLUTION]")],
        blocks=[p("Strictly secret", align="right", roles=["classification"]),
                p("Extract from Protocol No. 49", align="center", roles=["letterhead"]),
                p("1. Instruct Cde. Zhukov to work out a plan.", roles=["noindent"]),
                p("SECRETARY OF THE CC", align="right", roles=["signature"])])
    return Document(
        number=number,
        title=[Text("Working Notes and Attached Extract from the Minutes of the CPSU CC "
                    "Presidium Meeting, October 31, 1956")],
        source=SRC, pos=pos(1), short_title="Presidium Meeting, October 31, 1956",
        lang="en", headnote=headnote,
        body=[Heading(2, [Text("On Hungary")]), turn, second_turn, p(LONG), p(LONG),
              p("See ", Ref("doc:53", [Text("this document")]), " and ",
                Ref("note:s", [Text("the note")]), ".", PageMarker("356")),
              Table([[TableCell([Text("Name")], header=True),
                      TableCell([Text("Post")], header=True)],
                     [TableCell([Text("Zhukov")]), TableCell([Text("Minister of Defense")])]]),
              attachment],
        colophon=[p("TsKhSD, F. 3, Op. 12, D. 1006, Ll. 15–18ob. Translated by ",
                    Span("title", [Text("Mark Kramer")]), ".",
                    NoteCall("c", pos(40), n3, f"note-{n3}"))],
        notes={
            "h": Note("h", [p("This refers to a telephone conversation with ",
                              Emph([Text("Gomułka")]), ".")], pos(50), n1),
            "s": Note("s", [p("Marshal Zhukov, minister of defense."),
                            p("A second paragraph of the note.")], pos(51), n2),
            "c": Note("c", [p("Published in ", Emph([Text("Istoricheskii arkhiv")]), ".")],
                      pos(52), n3),
        },
        id=f"doc-{number}")


def make_volume(**settings) -> Volume:
    s = Settings(title="The 1956 Hungarian Revolution", subtitle="A History in Documents",
                 editors=["Csaba Békés", "Malcolm Byrne"], publisher="CEU Press",
                 place="Budapest", year="2002", isbn="963-9241-66-0", **settings)
    return Volume(settings=s, documents=[make_document("53", 235), make_document("54", 238)],
                  front_pages=[FrontPage("Editorial Principles",
                                         [p("Documents are printed in full.")], SRC)])


def write_pdf(html: str, settings: Settings, target: Path) -> Path:
    weasyprint.HTML(string=html, base_url=str(STYLES_DIR) + "/").write_pdf(
        target, stylesheets=stylesheets(settings), font_config=font_config())
    return target


@pytest.fixture(scope="module")
def volume() -> Volume:
    return make_volume()


@pytest.fixture(scope="module")
def body_html(volume) -> str:
    return render_body(volume)


@pytest.fixture(scope="module")
def body_pdf(body_html, volume, tmp_path_factory) -> Path:
    return write_pdf(body_html, volume.settings, tmp_path_factory.mktemp("render") / "body.pdf")


# ------------------------------------------------------------------ HTML


def test_html_contract_ids_and_classes(body_html):
    # `en` is American English: WeasyPrint then hyphenates on en_US patterns.
    assert '<html lang="en-US"' in body_html
    assert re.search(r'<section class="document" id="doc-53" lang="en-US" data-number="53">',
                     body_html)
    assert '<h1 class="doc-title" data-number="53"' in body_html
    assert '<div class="headnote">' in body_html
    assert '<span class="fn" id="note-235" data-n="235">' in body_html
    assert '<span class="fn" id="note-236" data-n="236">' in body_html
    assert '<span class="fn-p">Marshal Zhukov' in body_html
    assert ('<div class="turn" id="turn-7" data-persons="zhukov">'
            '<span class="speaker speaker-verso" id="label-7">Zhukov, Voroshilov, Bulganin'
            '</span><span class="speaker speaker-recto" id="label-7-r">'
            'Zhukov, Voroshilov, Bulganin</span>') in body_html
    assert '<span class="name" id="name-1" data-person="kadar">Kádár</span>' in body_html
    assert '<div class="attachment">' in body_html
    assert ('<h3 class="attachment-title" data-bookmark="[RESOLUTION]" data-pdf-tag="H3">'
            '[RESOLUTION]</h3>' in body_html)
    assert '<p class="classification align-right">Strictly secret</p>' in body_html
    assert '<div class="colophon">' in body_html
    assert '<span class="colophon-open">[Source: </span>TsKhSD' in body_html
    assert '<a class="ref" href="#doc-53">' in body_html
    assert '<a class="ref" href="#note-236">' in body_html
    # Set in both margins; the layout keeps the copy in the inner one.
    assert '<span class="orig-page orig-page-left" id="pb-356">[356]</span>' in body_html
    assert '<span class="orig-page orig-page-right" id="pb-356-r">[356]</span>' in body_html


def test_ids_are_unique_and_generated_when_anchors_are_empty(body_html):
    ids = re.findall(r'\sid="([^"]+)"', body_html)
    assert len(ids) == len(set(ids))
    # The second turn had no anchor, and doc 54 reuses anchors name-1 / turn-7.
    assert 'id="label-2"' in body_html and 'id="turn-2"' in body_html
    assert 'id="turn-7-2"' in body_html and 'id="label-7-2"' in body_html
    assert 'id="name-1-2"' in body_html
    assert '<section class="document" id="doc-54"' in body_html


def test_note_call_sits_after_punctuation_without_space(body_html):
    # A WORD JOINER, never a space: no line may break before the call.
    assert 're-examined.\u2060<span class="fn" id="note-235"' in body_html
    assert '</span></span> Gomułka' in body_html


def test_text_is_escaped():
    vol = make_volume()
    vol.documents[0].body.append(p("a < b & <script>"))
    html = render_body(vol)
    assert "a &lt; b &amp; &lt;script&gt;" in html
    assert "<script>" not in html


def test_colophon_brackets_are_not_doubled():
    vol = make_volume()
    vol.documents[0].colophon = [p("[Source: TsKhSD, F. 3.]")]
    vol.documents[1].colophon = [p("Source: AVP RF, F. 059.")]
    html = render_body(vol)
    assert "[Source: [Source:" not in html and "colophon-open" in html
    assert '<p><span class="colophon-open">[</span>Source: AVP RF' in html
    assert html.count("colophon-open") == 1


def test_missing_note_is_an_edition_error():
    vol = make_volume()
    vol.documents[0].notes.pop("h")
    with pytest.raises(EditionError) as err:
        render_body(vol)
    assert err.value.file == str(SRC) and err.value.line == 5


def test_note_numbers_fall_back_to_reading_order():
    vol = make_volume(note_start=10)
    for doc in vol.documents:
        for note in doc.notes.values():
            note.number = None
        for call in _calls(doc):
            call.number, call.anchor = None, ""
    html = render_body(vol)
    assert re.findall(r'class="fn" id="note-(\d+)"', html) == [str(n) for n in range(10, 16)]


def _calls(doc: Document) -> list[NoteCall]:
    found: list[NoteCall] = []

    def walk(node):
        if isinstance(node, NoteCall):
            found.append(node)
        for attr in ("inlines", "children", "blocks", "title"):
            for child in getattr(node, attr, []) or []:
                walk(child)

    for block in [*doc.headnote, *doc.body, *doc.colophon]:
        walk(block)
    return found


def test_settings_css_carries_only_the_settings():
    s = Settings(document_start="recto", show_original_pages=True, trim="156x234mm",
                 margin_outer=32, font_size=10.5)
    css = settings_css(s)
    assert "size: 156mm 234mm;" in css
    assert re.search(r"@page :left \{\s*margin-left: 32mm;\s*margin-right: 17mm;", css)
    assert re.search(r"@page :right \{\s*margin-left: 17mm;\s*margin-right: 32mm;", css)
    assert "font-size: 10.5pt;" in css
    assert "break-before: recto" in css
    assert ".orig-page { display: block; }" in css
    assert "break-before: page" in settings_css(Settings())
    assert "break-before: auto" in settings_css(Settings(document_start="run-on"))
    assert ".orig-page { display: none; }" in settings_css(Settings())
    # No generic family anywhere: it could pull a system font into the PDF.
    for family in ("serif", "sans-serif", "monospace"):
        assert not re.search(rf"[,:]\s*{family}\b", css)
    assert font_stack(Settings(font_family="EB Garamond")) == '"EB Garamond", "Linux Libertine"'
    assert len(stylesheets(s)) == 3
    assert len(stylesheets(s, profile="no-such-profile")) == 2


# ------------------------------------------------------------------ PDF


def _lines(page) -> list[str]:
    return (page.extract_text() or "").splitlines()


def test_pdf_embeds_only_bundled_libertine(body_pdf, tmp_path, volume):
    front = write_pdf(render_front_matter(volume, [("53", "Working Notes", "1")]),
                      volume.settings, tmp_path / "front.pdf")
    for pdf_path in (body_pdf, front):
        with pdfplumber.open(pdf_path) as pdf:
            fonts = {c["fontname"].split("+", 1)[-1] for page in pdf.pages for c in page.chars}
        # "Linux-Libertine…" is the @font-face family of styles/base.css; the system
        # copy would be named "Linux-Libertine-O…", any other font something else.
        assert fonts and all(re.fullmatch(r"Linux-Libertine(-Bold)?(-Italic)?", f)
                             for f in fonts), fonts
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(body_pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
        assert out and all(re.match(r"[A-Z]{6}\+Linux-Libertine", line) for line in out), out
        assert all(" yes yes " in line for line in out)  # embedded and subset


def test_headnote_is_italic_with_reverse_italics(body_pdf):
    with pdfplumber.open(body_pdf) as pdf:
        chars = pdf.pages[0].chars
    text = "".join(c["text"] for c in chars)
    start = text.index("At the October")
    headnote = chars[start:start + len("At the October 31 Presidium meeting")]
    assert all("Italic" in c["fontname"] for c in headnote if c["text"].strip())
    pravda = text.index("Pravda")
    assert all("Italic" not in c["fontname"] for c in chars[pravda:pravda + 6])


def test_notes_at_the_foot_with_their_numbers(body_pdf):
    with pdfplumber.open(body_pdf) as pdf:
        first = pdf.pages[0]
        lines = _lines(first)
        chars = first.chars
    assert any(line.startswith("235") and "telephone conversation" in line for line in lines)
    assert any(line.startswith("236") and "Marshal Zhukov" in line for line in lines)
    # The call is a superior figure from the font's `sups` glyphs: set at the text size on
    # the text's baseline (the line keeps its height), but narrower than text figures.
    text = "".join(c["text"] for c in chars)
    call = text.index("re-examined.") + len("re-examined.")
    digits = chars[call:call + 3]
    assert "".join(c["text"] for c in digits) == "235"
    period = chars[call - 1]
    assert all(c["size"] == period["size"] and c["matrix"][5] == period["matrix"][5]
               for c in digits)
    figure = chars[text.index("October 31 Presidium") + len("October ")]
    assert figure["size"] == period["size"]
    assert all(c["adv"] < 0.8 * figure["adv"] for c in digits)
    # Notes are upright even when called from the italic headnote; italic stays italic.
    note = next(i for i in range(len(chars)) if text.startswith("This refers", i))
    assert "Italic" not in chars[note]["fontname"]
    gomulka = text.index("Gomułka.", note)
    assert "Italic" in chars[gomulka]["fontname"]
    assert chars[note]["size"] == pytest.approx(8.2, abs=0.05)  # 82 % of 10 pt


def test_colophon_begins_with_source_bracket(body_pdf):
    with pdfplumber.open(body_pdf) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    colophons = [line for line in text.splitlines() if "TsKhSD" in line]
    assert len(colophons) == 2
    assert all(line.startswith("[Source: TsKhSD, F. 3") for line in colophons)
    assert "Kramer.237]" in colophons[0]


def test_long_paragraph_is_hyphenated(body_pdf):
    with pdfplumber.open(body_pdf) as pdf:
        lines = [line for page in pdf.pages for line in _lines(page)]
    hyphenated = [line for line in lines if re.search(r"[a-z][-\u2010]$", line)]
    assert len(hyphenated) >= 3, lines


def test_speaker_labels_in_both_margins_on_the_first_baseline(body_pdf, volume):
    with pdfplumber.open(body_pdf) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        width = page.width
    text = "".join(c["text"] for c in chars)
    speech = chars[text.index("We should reject")]
    labels = [c for c in chars if c["text"] == "Z" and c["size"] == pytest.approx(9, abs=0.01)]
    assert len(labels) == 2
    verso, recto = sorted(labels, key=lambda c: c["x0"])
    s = volume.settings
    inner_edge = s.margin_inner / 25.4 * 72
    assert verso["x1"] < inner_edge  # left of the text block
    assert recto["x0"] > width - s.margin_outer / 25.4 * 72  # right of it
    # pdfplumber's matrix[5] is the baseline: labels sit on the speech's first baseline.
    for label in labels:
        assert label["matrix"][5] == pytest.approx(speech["matrix"][5], abs=0.2)
    # Small caps: lower-case letters of the label are set as smcp glyphs (still "h").
    assert text[text.index("Zhukov, ") + 1] == "h"


def test_running_heads_and_folios(body_pdf):
    with pdfplumber.open(body_pdf) as pdf:
        pages = [_lines(p) for p in pdf.pages]
    assert len(pages) == 6
    # Opening pages: the heading first, no running head; folio at the foot.
    assert pages[0][0].startswith("Document No. 53: Working Notes")
    assert pages[3][0].startswith("Document No. 54: Working Notes")
    assert pages[1][0] == "The 1956 Hungarian Revolution"
    assert pages[2][0] == "Document No. 53: Presidium Meeting, October 31, 1956"
    assert pages[4][0] == "Document No. 54: Presidium Meeting, October 31, 1956"
    assert [p[-1] for p in pages] == ["1", "2", "3", "4", "5", "6"]


def test_recto_start_leaves_a_blank_page_without_heads(tmp_path):
    vol = make_volume(document_start="recto")
    pdf_path = write_pdf(render_body(vol), vol.settings, tmp_path / "recto.pdf")
    with pdfplumber.open(pdf_path) as pdf:
        pages = [_lines(p) for p in pdf.pages]
    assert pages[3] == []  # blank verso: no head, no folio
    assert pages[4][0].startswith("Document No. 54: Working Notes")


def test_front_matter_pages_and_roman_folios(tmp_path, volume):
    toc = [("53", "Working Notes and Attached Extract from the Minutes", "1"),
           ("54", "Short Title", "7")]
    html = render_front_matter(volume, toc)
    assert 'id="contents"' in html and 'class="front-page" id="front-editorial-principles"' in html
    assert "ISBN 963-9241-66-0" in html and "Typeset in Linux Libertine" in html
    with pdfplumber.open(write_pdf(html, volume.settings, tmp_path / "front.pdf")) as pdf:
        pages = [_lines(p) for p in pdf.pages]
    assert pages[0] == ["The 1956 Hungarian Revolution"]  # half title, no folio
    assert pages[1] == []  # its blank verso
    assert pages[2][0] == "The 1956 Hungarian Revolution" and "iii" not in pages[2]
    assert any("Edited by Csaba Békés and Malcolm Byrne" in line for line in pages[2])
    assert any(line.startswith("ISBN") for line in pages[3])
    contents = pages[4]
    assert contents[0] == "Contents" and contents[-1] == "v"
    assert re.search(r"^54 Short Title( ?\.){5,} ?7$", contents[-2]), contents
    # The front page's line comes first, its folio given by the layout (target-counter).
    assert re.search(r"^Editorial Principles( ?\.){5,} ?vi$", contents[1]), contents
    assert pages[5][0] == "Editorial Principles" and pages[5][-1] == "vi"


def test_pdf_outline_has_document_numbers_and_no_note_calls(tmp_path):
    from pypdf import PdfReader

    vol = make_volume()
    doc = vol.documents[0]
    doc.body.insert(0, Heading(1, [Text("On Poland"), NoteCall("x", pos(9), 999, "note-999")]))
    doc.notes["x"] = Note("x", [p("A note on a heading.")], pos(70), 999)

    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    pdf_path = write_pdf(render_body(vol), vol.settings, tmp_path / "outline.pdf")
    outline = list(titles(PdfReader(pdf_path).outline))
    # Documents appear by number and short title, as in the running head.
    assert outline[0] == f"Document No. 53: {doc.short_title}"
    assert doc.short_title and doc.short_title != doc.title
    assert outline[1:4] == ["On Poland", "On Hungary", "[RESOLUTION]"]
