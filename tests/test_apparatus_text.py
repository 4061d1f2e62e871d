"""The critical apparatus's encodings, line counting and the entry's text: double
end-point attachment, verse numbered by its own numbers, the `[lines]` and
`[apparatus]` settings, read back from the PDF.

Tests that read ../shared/corpus/critical skip when it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.errors import EditionError
from edition.model import plain_text, walk
from edition.readers.tei import read_tei
from tests.test_apparatus import CRITICAL, entries, needs_corpus

WITNESSES = """<listWit><witness xml:id="A">Codex Alpha</witness>
<witness xml:id="B">Codex Beta</witness></listWit>"""


def tei_file(tmp_path: Path, body: str, method: str = "double-end-point",
             lang: str = "en", name: str = "critical.xml") -> Path:
    path = tmp_path / name
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="{lang}"><teiHeader><fileDesc>
<titleStmt><title>Apparatus test</title></titleStmt>
<publicationStmt><p>test</p></publicationStmt>
<sourceDesc>{WITNESSES}</sourceDesc></fileDesc>
<encodingDesc><variantEncoding method="{method}" location="external"/></encodingDesc>
</teiHeader><text><body>{body}</body></text></TEI>""", encoding="utf-8")
    return path


def words_of(pdf: Path) -> list[list[dict]]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [p.extract_words(x_tolerance=1, extra_attrs=["size"]) for p in doc.pages]


# ---------------------------------------------------------------- double end-point

OVERLAP = """<div type="chapter" n="1"><head>Overlap</head>
<p>Alpha <anchor xml:id="a1"/>beta gamma <anchor xml:id="a2"/>delta epsilon.</p>
<p>Zeta <anchor xml:id="a3"/>eta theta.</p>
<app from="#a1" to="#a3"><rdg wit="#A">Omnes</rdg></app>
<app from="#a2" to="#a3"><lem wit="#B">delta epsilon. Zeta</lem><rdg wit="#A">Delta</rdg></app>
<p>Iota <app to="#a4"><rdg wit="#B">Kappa</rdg></app>kappa lambda<anchor xml:id="a4"/> mu.</p>
</div>"""


def test_double_end_point_lemmas_overlap_and_cross_paragraphs(tmp_path):
    result = read_tei(tei_file(tmp_path, OVERLAP))
    found = entries(result)
    cited = {plain_text(e.cited_words(), " ", one_line=True): e for e in found}
    # The lemma is the base text between the points, across the paragraph's end; one
    # given by `lem` is cited as given; `@to` alone starts at the app's own place.
    assert set(cited) == {"beta gamma delta epsilon. Zeta", "delta epsilon. Zeta",
                          "kappa lambda"}
    assert cited["delta epsilon. Zeta"].lemma.witnesses == ["B"]
    # The text prints each word once, and no reading.
    doc = result.documents[0]
    text = " ".join(plain_text(i, " ", one_line=True)
                    for i, _, _ in walk.runs(*walk.document_groups(doc)))
    assert "Alpha beta gamma delta epsilon." in text and "Zeta eta theta." in text
    assert "Iota kappa lambda mu." in text
    assert "Omnes" not in text and "Delta" not in text and "Kappa" not in text


def test_double_end_point_pointing_at_nothing_is_an_error_with_its_line(tmp_path):
    body = '<div><p>Alpha <anchor xml:id="a1"/>beta.</p>\n<app from="#a1" to="#zz">' \
           '<rdg wit="#A">x</rdg></app></div>'
    with pytest.raises(EditionError) as caught:
        read_tei(tei_file(tmp_path, body))
    assert caught.value.line == 9 and "#zz" in str(caught.value)


def test_double_end_point_entries_stand_on_their_lemma_page_in_the_pdf(tmp_path):
    """A lemma that starts after many paragraphs: the entry is at the foot of the page
    where its first word lands, with that word's line, and cites the lemma."""
    from edition.build import build

    filler = "".join(f"<p>Filler{k} " + "lorem ipsum dolor sit amet " * 12 + "</p>"
                     for k in range(12))
    body = (f'<div type="chapter" n="1"><head>Far</head>{filler}'
            '<p>Start <anchor xml:id="s"/>Lemmaword runs on</p><p>and ends<anchor xml:id="e"/>'
            ' here.</p><app from="#s" to="#e"><rdg wit="#A">Variantword</rdg></app></div>')
    pdf = tmp_path / "far.pdf"
    book = build(tei_file(tmp_path, body), pdf, cache=False)
    report = book.body.laid.report
    assert len(report.entries) == 1
    entry = report.entries[0]
    assert entry.entry_page == entry.lemma_page and entry.printed == entry.line > 0
    pages = words_of(pdf)
    lemma_page = next(i for i, ws in enumerate(pages)
                      if any(w["text"] == "Lemmaword" and w["size"] >= 9.5 for w in ws))
    foot = " ".join(w["text"] for w in pages[lemma_page] if w["size"] < 9.5)
    assert "Lemmaword … ends]" in foot and "Variantword" in foot
    assert not any(w["text"] == "Variantword" and w["size"] >= 9.5
                   for ws in pages for w in ws)


@needs_corpus
def test_the_guidelines_double_end_point_example_prints_every_entry(tmp_path):
    from edition.build import build

    pdf = tmp_path / "wbp.pdf"
    book = build(CRITICAL / "wbp-double-end-point.xml", pdf, cache=False)
    report = book.body.laid.report
    # Two from the back's lists, one in-line, two overlapping in line 117.
    assert len(report.entries) == 5
    assert all(e.entry_page == e.lemma_page and e.printed == e.line > 0
               for e in report.entries)
    assert not [f for f in book.findings if f.severity == "error"]
    foot = " ".join(w["text"] for ws in words_of(pdf) for w in ws if w["size"] < 9.5)
    assert "of so parfit wys Hg] in what wise was Ha4" in foot
    assert "wys a wight Hg] was a wight El Ha4" in foot


# ---------------------------------------------------------------- verse and line counting

BODY = 9.5  # pt: the body is 10 pt; entries, notes, margin numbers, folios smaller


def margin_numbers(words: list[dict]) -> list[tuple[int, float, str]]:
    """The line numbers beside the text block: (number, baseline, "left"/"right")."""
    body = [w for w in words if w["size"] >= BODY]
    if not body:
        return []
    left, right = min(w["x0"] for w in body), max(w["x1"] for w in body)
    top, bottom = min(w["top"] for w in body), max(w["bottom"] for w in body)
    return [(int(w["text"]), w["bottom"], "left" if w["x1"] < left else "right")
            for w in words if w["size"] < BODY and w["text"].isdigit()
            and (w["x1"] < left - 2 or w["x0"] > right + 2)
            and top <= w["top"] and w["bottom"] <= bottom + 1]


def baseline_of(words: list[dict], text: str) -> float:
    return next(w["bottom"] for w in words if w["text"] == text and w["size"] >= BODY)


def verse_tei(tmp_path: Path) -> Path:
    lines = []
    for n in range(101, 113):
        words = f"Verse{n} words of the line {n}"
        if n == 107:
            words = 'Verse107 <app><lem wit="#A">lemmaSeven</lem><rdg wit="#B">varSeven</rdg>' \
                    '</app> of the line'
        if n == 110:
            # A verse too long for one line: its second line is not counted, and a lemma
            # on it cites the verse.
            words = ("Verse110 " + "longer words running on " * 8
                     + '<app><lem wit="#A">lemmaTen</lem><rdg wit="#B">varTen</rdg></app>')
        lines.append(f'<l n="{n}">{words}</l>')
    body = f'<div type="chapter" n="1"><head>Carmen</head><lg>{"".join(lines)}</lg></div>'
    return tei_file(tmp_path, body, method="parallel-segmentation", lang="la")


def test_verse_is_numbered_and_cited_by_its_own_numbers(tmp_path):
    from edition.build import build

    pdf = tmp_path / "verse.pdf"
    book = build(verse_tei(tmp_path), pdf, cache=False)
    report = book.body.laid.report
    assert sorted(e.printed for e in report.entries) == [107, 110]
    assert all(e.printed == e.line for e in report.entries)
    words = next(ws for ws in words_of(pdf) if any(w["text"] == "Verse101" for w in ws))
    numbers = {n: b for n, b, _ in margin_numbers(words)}
    # Every 5th verse number, on its verse's first line; none for the run-over line.
    assert set(numbers) == {105, 110}
    assert abs(numbers[105] - baseline_of(words, "Verse105")) < 1
    assert abs(numbers[110] - baseline_of(words, "Verse110")) < 1
    lemma_ten = baseline_of(words, "lemmaTen")
    assert lemma_ten > numbers[110] + 5  # on the verse's second line
    assert not [f for f in book.findings if f.severity == "error"]


@needs_corpus
def test_propertius_prints_its_own_verse_numbers(tmp_path):
    from edition.build import build

    pdf = tmp_path / "prop.pdf"
    book = build(CRITICAL / "propertius-1-15-line-variation.xml", pdf, cache=False)
    report = book.body.laid.report
    assert not [f for f in book.findings if f.severity == "error"]
    # ut (8), the four lines 8–11, at (9), mota (9), line 18, lines 25–26.
    assert [e.printed for e in report.entries][:6] == [8, 8, 9, 9, 18, 25]
    pages = words_of(pdf)
    for word, number in (("desertis", 10), ("desine", 25)):
        page = next(ws for ws in pages if any(w["text"] == word for w in ws))
        [(printed, baseline, _)] = margin_numbers(page)
        assert printed == number and abs(baseline - baseline_of(page, word)) < 1


def counting_tei(tmp_path: Path) -> Path:
    """A chapter of about three pages, a variant in its first line, and a sub-section
    whose heading starts a section."""
    para = " ".join(f"w{k}" for k in range(60))
    first = ('<p>Opening <app><lem wit="#A">lemma</lem><rdg wit="#B">variant</rdg></app> '
             f'{para}</p>')
    paragraphs = "".join(f"<p>{para}</p>" for _ in range(16))
    body = (f'<div type="chapter" n="1"><head>Chapter</head>{first}{paragraphs}'
            f'<div><head>Subsection</head>{paragraphs}</div></div>')
    return tei_file(tmp_path, body, method="parallel-segmentation")


def body_lines(words: list[dict]) -> list[float]:
    """The baselines of the page's body lines, headings (larger, or the sub-section's
    title) left out."""
    found: list[float] = []
    for word in sorted(words, key=lambda w: w["bottom"]):
        if BODY <= word["size"] < 10.5 and word["text"] != "Subsection" and not any(
                abs(word["bottom"] - b) < 2 for b in found):
            found.append(word["bottom"])
    heading = [w["bottom"] for w in words if w["text"] == "Subsection"]
    return [b for b in found if not any(abs(b - h) < 2 for h in heading)]


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    """The chapter built with each way of counting (and numbers every 3rd line on the
    left margin for "section")."""
    from edition.build import build

    tmp = tmp_path_factory.mktemp("counting")
    source = counting_tei(tmp)
    out = {}
    for count, extra in (("page", {}), ("document", {}),
                         ("section", {"lines_every": 3, "lines_margin": "left"})):
        pdf = tmp / f"{count}.pdf"
        book = build(source, pdf, cache=False, lines_count=count, **extra)
        assert not [f for f in book.findings if f.rule == "line-number"]
        out[count] = (book, words_of(pdf))
    return out


def numbered_lines(pages: list[list[dict]]) -> list[tuple[int, list[tuple[int, int]]]]:
    """For each page of the chapter: its body lines, and each margin number with the
    place (from 1) of the body line it stands on."""
    out = []
    for words in pages:
        if not any(w["text"].startswith("w") and w["size"] >= BODY for w in words):
            continue
        lines = body_lines(words)
        out.append((len(lines), [
            (number, next(i + 1 for i, b in enumerate(lines) if abs(b - baseline) < 1))
            for number, baseline, _ in margin_numbers(words)]))
    return out


def test_headings_are_not_counted_and_lines_count_per_page(counted):
    _, pages = counted["page"]
    seen = 0
    for _, numbers in numbered_lines(pages):
        for number, k in numbers:
            # The k-th body line of its page, the title and heading lines not counted.
            assert number == k and number % 5 == 0
            seen += 1
    assert seen >= 10


def test_lines_count_through_the_document_or_from_each_section(counted):
    _, pages = counted["document"]
    before = 0
    for count, numbers in numbered_lines(pages):
        assert all(number == before + k for number, k in numbers)
        before += count
    assert before > 60
    _, pages = counted["section"]
    sections, restarted = 0, False
    for words in pages:
        lines = body_lines(words)
        heading = [w["bottom"] for w in words if w["text"] == "Subsection"]
        for number, baseline, side in margin_numbers(words):
            assert side == "left" and number % 3 == 0
            if heading and baseline > heading[0]:
                k = sum(1 for b in lines if heading[0] < b < baseline + 1)
                assert number == k
                restarted = True
        sections += bool(heading)
    assert sections == 1 and restarted


def test_line_numbers_stand_in_the_margin_the_settings_name(counted):
    # The book's default: the inner margin (the speaker labels have the outer one).
    _, pages = counted["page"]
    # (the PDF's first page is a recto: odd pages are rectos)
    sides = {(index % 2 == 0, side) for index, ws in enumerate(pages)
             for _, _, side in margin_numbers(ws)}
    assert sides == {(True, "left"), (False, "right")}


def test_a_bad_line_setting_is_an_error_with_its_line(tmp_path):
    from edition.settings import load_settings

    toml = tmp_path / "edition.toml"
    toml.write_text('title = "T"\n\n[lines]\nevery = 5\ncount = "chapter"\n', encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        load_settings(toml)
    assert caught.value.line == 5 and "page, document, section" in str(caught.value)
    toml.write_text('[lines]\nevery = 0\n', encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        load_settings(toml)
    assert caught.value.line == 2


# ---------------------------------------------------------------- the entry's text

LABELLED = """<div type="chapter" n="1"><head>Labels</head>
<p>Prima <app><lem wit="#A">secunda</lem><rdg wit="#B"/></app> tertia
<app><lem/><rdg wit="#B">additum</rdg></app> quarta.</p></div>"""


def foot_text(pdf: Path) -> str:
    return " ".join(w["text"] for ws in words_of(pdf) for w in ws if w["size"] < BODY)


LABELS = [
    ("grc", {}, "om.", "add."),  # the field's Latin
    ("en", {}, "om.", "add."),  # English editions keep it
    ("de", {}, "fehlt", "zugefügt"),
    ("fr", {}, "omet", "ajoute"),
    ("de", {"apparatus_language": "la"}, "om.", "add."),
    ("en", {"apparatus_omission": "deest"}, "deest", "add."),
]


def test_omission_and_addition_are_labelled_in_the_editions_language(tmp_path):
    from edition.build import build

    for k, (lang, overrides, omission, addition) in enumerate(LABELS):
        pdf = tmp_path / f"labels{k}.pdf"
        source = tei_file(tmp_path, LABELLED, method="parallel-segmentation", lang=lang,
                          name=f"labels{k}.xml")
        build(source, pdf, cache=False, **overrides)
        foot = foot_text(pdf)
        assert f"secunda A] {omission} B" in foot, (lang, overrides)
        assert f"{addition} additum B" in foot, (lang, overrides)


def test_the_apparatus_tier_stands_below_the_footnotes_when_asked(tmp_path):
    from edition.build import build

    body = ('<div type="chapter" n="1"><head>Tiers</head><p>Prima<note>Footnoteword here.'
            '</note> <app><lem wit="#A">secunda</lem><rdg wit="#B">Variantword</rdg></app>'
            ' tertia.</p></div>')
    source = tei_file(tmp_path, body, method="parallel-segmentation")
    tops = {}
    for tier in ("above", "below"):
        pdf = tmp_path / f"{tier}.pdf"
        build(source, pdf, cache=False, apparatus_tier=tier)
        page = next(ws for ws in words_of(pdf) if any("Prima" in w["text"] for w in ws))
        tops[tier] = [next(w["top"] for w in page if word in w["text"])
                      for word in ("Variantword", "Footnoteword")]
    entry, note = tops["above"]
    assert entry < note
    entry, note = tops["below"]
    assert note < entry


def rules_of(page) -> list[float]:
    """The tops of a PDF page's horizontal rules (thin rects or lines), top to bottom."""
    return sorted(r["top"] for r in [*page.rects, *page.lines] if r["height"] < 1.5)


@pytest.mark.parametrize("tier", ["above", "below"])
def test_a_rule_stands_between_the_apparatus_and_the_footnotes(tmp_path, tier):
    """The note area's rule over the first tier, and the same rule between the tiers on
    a page that has both; a page of entries alone has the one rule above them."""
    import pdfplumber

    from edition.build import build

    body = ('<div type="chapter" n="1"><head>Tiers</head><p>Prima<note>Footnoteword here.'
            '</note> <app><lem wit="#A">secunda</lem><rdg wit="#B">Variantword</rdg></app>'
            ' tertia.</p></div><div type="chapter" n="2"><head>Alone</head><p>Quarta '
            '<app><lem wit="#A">quinta</lem><rdg wit="#B">Lonelyword</rdg></app>.</p></div>')
    pdf = tmp_path / f"{tier}.pdf"
    build(tei_file(tmp_path, body, method="parallel-segmentation"), pdf, cache=False,
          apparatus_tier=tier)
    with pdfplumber.open(pdf) as doc:
        pages = [(p, p.extract_words(x_tolerance=1)) for p in doc.pages]
    page, words = next((p, ws) for p, ws in pages if any("Prima" in w["text"] for w in ws))
    top = {word: next(w for w in words if word in w["text"])
           for word in ("tertia", "Variantword", "Footnoteword")}
    first, second = ((top["Variantword"], top["Footnoteword"]) if tier == "above"
                     else (top["Footnoteword"], top["Variantword"]))
    rules = rules_of(page)
    assert len(rules) == 2, rules
    assert top["tertia"]["bottom"] < rules[0] < first["top"]
    assert first["bottom"] < rules[1] < second["top"]
    page, words = next((p, ws) for p, ws in pages if any("Quarta" in w["text"] for w in ws))
    lonely = next(w for w in words if "Lonelyword" in w["text"])
    assert [r < lonely["top"] for r in rules_of(page)] == [True]


def test_a_bar_separates_entries_of_different_lines(tmp_path):
    """`separator = "bar"`: ‖ stands before each entry citing another line than the one
    before it on the page, never before one of the same line or the page's first."""
    from edition.build import build
    from tests.test_apparatus import dense_tei

    pdf = tmp_path / "bars.pdf"
    book = build(dense_tei(tmp_path, entries_per_doc=30, docs=1), pdf, cache=False,
                 apparatus_separator="bar")
    assert not [f for f in book.findings if f.severity == "error"]
    lines = {e.anchor: e.printed for e in book.body.laid.report.entries}
    assert len(lines) == 30
    checked = 0
    for words in words_of(pdf):
        small = sorted((w for w in words if w["size"] < BODY),
                       key=lambda w: (round(w["bottom"]), w["x0"]))
        foot = " ".join(w["text"] for w in small)
        # The entries in their order: the number before each lemma, a bar or not.
        previous = None
        for match in re.finditer(r"(\u2016\s*)?(\d+)\s*Lem\d+", foot):
            number, bar = int(match.group(2)), bool(match.group(1))
            assert bar == (previous is not None and number != previous), match.group(0)
            previous = number
            checked += 1
    assert checked == 30
