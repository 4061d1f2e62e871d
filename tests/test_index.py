"""The index of names (edition/backmatter): sorting, Chicago locators, cross-references,
export, HTML/PDF, and the preflight that proves locators against page text."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import weasyprint

from edition.backmatter.locators import abbreviate, letter_of
from edition.backmatter.names import (
    ROW_FIELDS,
    build_index,
    index_rows,
    locate_from_report,
    sort_key,
    verify_locators,
)
from edition.backmatter.render import render_index
from edition.model import CrossReference, Person
from edition.settings import Settings
from edition.transform.names import Occurrence


def person(key: str, name: str, identification: str = "", see_also=()) -> Person:
    return Person(key=key, index_form=name, identification=identification,
                  see_also=list(see_also))


def occ(key: str, anchor: str, note: int | None = None, text: str = "",
        document: str = "53") -> Occurrence:
    return Occurrence(key, anchor, document, note, text or key)


def pages(mapping: dict[str, int], front: int = 0):
    """A `locate` over anchor → page index; pages before `front` are roman."""
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]

    def locate(anchor: str) -> tuple[str, int] | None:
        if anchor not in mapping:
            return None
        index = mapping[anchor]
        return (romans[index] if index < front else str(index - front + 1)), index
    return locate


def one_entry(occurrences: list[Occurrence], mapping: dict[str, int], front: int = 0):
    persons = {"p": person("p", "Person, A")}
    (entry,) = build_index(persons, [], occurrences, pages(mapping, front))
    return entry


# ---------------------------------------------------------------- sorting


def test_sort_letter_by_letter_ignoring_diacritics_and_case() -> None:
    names = ["Mead, Margaret", "McCarthy, Joseph", "Mazur, Jan", "Gerő, Ernő", "Gero, Anna",
             "Gerz, Otto", "Łukasz, Jan", "Lukas, Max", "Lux, Otto", "Über, Karl",
             "Ubbo, Ann", "Uz, Emma", "de la Croix, Marie", "Dell, Bob", "Őry, Béla",
             "Oz, Amos", "Kiss, Károly", "Kissinger, Henry", "Kiss, Anna", "Vance, Cyrus",
             "van Dyke, Ann", "Zeta, Z", "alpha, a"]
    assert sorted(names, key=sort_key) == [
        "alpha, a",            # case ignored
        "de la Croix, Marie",  # "delacroix" < "dell": letter by letter, spaces dropped
        "Dell, Bob",
        "Gero, Anna",          # Gero and Gerő tie on the surname: forenames decide
        "Gerő, Ernő",
        "Gerz, Otto",
        "Kiss, Anna",          # the surname ends at the comma: Kiss before Kissinger
        "Kiss, Károly",
        "Kissinger, Henry",
        "Lukas, Max",
        "Łukasz, Jan",         # Ł (no Unicode decomposition) sorts as L
        "Lux, Otto",
        "Mazur, Jan",
        "McCarthy, Joseph",    # Mc sorts as spelled
        "Mead, Margaret",
        "Őry, Béla",           # Ő as O
        "Oz, Amos",
        "Ubbo, Ann",
        "Über, Karl",          # Ü as U
        "Uz, Emma",
        "Vance, Cyrus",        # "vance" < "vandyke"
        "van Dyke, Ann",
        "Zeta, Z",
    ]


def test_diacritics_break_only_exact_ties() -> None:
    assert sort_key("Gero") < sort_key("Gerő") < sort_key("Gerp")
    assert sort_key("gerő") < sort_key("Gerőa")


def test_letter_groups() -> None:
    assert [letter_of(h) for h in ("Łukasz, Jan", "Őry, Béla", "Über, Karl", "de la Croix",
                                    "Ángel", "Ćosić")] == ["L", "O", "U", "D", "A", "C"]


# ---------------------------------------------------------------- locators


def test_consecutive_pages_become_a_range_and_pages_are_cited_once() -> None:
    entry = one_entry([occ("p", a) for a in "abcdefg"],
                      {"a": 46, "b": 44, "c": 45, "d": 45, "e": 50, "f": 99, "g": 100})
    assert entry.locators == ["45–47", "51", "100–101"]


def test_roman_front_matter_pages_are_cited_singly() -> None:
    entry = one_entry([occ("p", a) for a in "abcd"], {"a": 1, "b": 2, "c": 3, "d": 4},
                      front=3)
    assert entry.locators == ["ii", "iii", "1–2"]  # ii, iii: roman pages never make ranges
    entry = one_entry([occ("p", a) for a in "abc"], {"a": 3, "b": 4, "c": 5}, front=3)
    assert entry.locators == ["1–3"]


def test_note_locators() -> None:
    entry = one_entry([occ("p", "a", note=236)], {"a": 393})
    assert entry.locators == ["394n236"]
    entry = one_entry([occ("p", "a", 237), occ("p", "b", 236), occ("p", "c", 236)],
                      {"a": 393, "b": 393, "c": 393})
    assert entry.locators == ["394nn236–37"]
    entry = one_entry([occ("p", "a", 236), occ("p", "b", 238)], {"a": 393, "b": 393})
    assert entry.locators == ["394nn236, 238"]
    entry = one_entry([occ("p", n, int(n)) for n in ("236", "237", "238", "240")],
                      {"236": 393, "237": 393, "238": 393, "240": 393})
    assert entry.locators == ["394nn236–38, 240"]


def test_text_and_note_on_one_page_give_the_page_alone() -> None:
    entry = one_entry([occ("p", "a", 236), occ("p", "b"), occ("p", "c", 237)],
                      {"a": 393, "b": 393, "c": 394})
    assert entry.locators == ["394", "395n237"]


def test_a_note_only_page_breaks_a_range() -> None:
    entry = one_entry([occ("p", "a"), occ("p", "b", 240), occ("p", "c")],
                      {"a": 44, "b": 45, "c": 46})
    assert entry.locators == ["45", "46n240", "47"]


def test_unplaced_occurrences_are_kept_apart() -> None:
    entry = one_entry([occ("p", "a"), occ("p", "lost")], {"a": 3})
    assert entry.locators == ["4"]
    assert [o.anchor for o in entry.unplaced] == ["lost"]


@pytest.mark.parametrize(("first", "last", "shown"), [
    (3, 10, "10"), (71, 72, "72"), (96, 117, "117"), (100, 104, "104"), (101, 108, "8"),
    (808, 833, "33"), (321, 328, "28"), (498, 532, "532"), (1087, 1089, "89"),
    (1103, 1104, "4"), (1496, 1504, "1504"), (236, 237, "37")])
def test_chicago_inclusive_numbers(first: int, last: int, shown: str) -> None:
    assert abbreviate(first, last) == shown


# ---------------------------------------------------------------- entries


PERSONS = {
    "munnich": person("munnich", "Münnich, Ferenc", "Hungarian minister of the interior",
                      see_also=["kadar"]),
    "kadar": person("kadar", "Kádár, János", "First Secretary of the HSWP",
                    see_also=["munnich", "nobody-placed"]),
    "nobody-placed": person("nobody-placed", "Zed, Nobody"),
}
CROSS = [CrossReference("Münich", "munnich"), CrossReference("Zedd", "nobody-placed")]


def test_entries_with_see_and_see_also() -> None:
    occurrences = [occ("munnich", "m1"), occ("kadar", "k1"), occ("nobody-placed", "z1")]
    entries = build_index(PERSONS, CROSS, occurrences, pages({"m1": 9, "k1": 3}))
    assert [(e.heading, e.key) for e in entries] == [
        ("Kádár, János", "kadar"), ("Münich", None), ("Münnich, Ferenc", "munnich")]
    kadar, xref, munnich = entries
    assert kadar.see_also == ["Münnich, Ferenc"]  # nobody-placed has no entry: no blind ref
    assert munnich.see_also == ["Kádár, János"]
    assert xref.see == ["Münnich, Ferenc"] and not xref.pages
    assert munnich.identification == "Hungarian minister of the interior"
    assert [e.letter for e in entries] == ["K", "M", "M"]


def test_index_rows_for_export() -> None:
    occurrences = [occ("munnich", "m1", text="Münnich"), occ("munnich", "m2", 238, "Münich"),
                   occ("kadar", "k1", document="54")]
    entries = build_index(PERSONS, CROSS, occurrences, pages({"m1": 9, "m2": 11, "k1": 3}))
    rows = index_rows(entries)
    assert all(tuple(r) == ROW_FIELDS for r in rows)
    assert rows[0] == {"name": "Kádár, János", "key": "kadar",
                       "identification": "First Secretary of the HSWP", "page_label": "4",
                       "page_index": 3, "locator": "4", "document_number": "54",
                       "in_note": False, "note_number": None, "see": ""}
    assert rows[1]["name"] == "Münich" and rows[1]["see"] == "Münnich, Ferenc"
    assert [(r["locator"], r["in_note"], r["note_number"]) for r in rows[2:]] == [
        ("10", False, None), ("12n238", True, 238)]


# ---------------------------------------------------------------- HTML and PDF


def test_render_index_html() -> None:
    occurrences = [occ("munnich", "m1"), occ("kadar", "k1"), occ("kadar", "k2", 236)]
    entries = build_index(PERSONS, CROSS, occurrences, pages({"m1": 9, "k1": 3, "k2": 9}))
    html = render_index(entries, Settings(), first_page_number=391)
    assert "<h1 class=\"index-title\" data-pdf-tag=\"H2\">Index</h1>" in html
    assert "counter-reset: page 391" in html and "break-before: right" in html
    assert re.search(r'<h2 class="index-letter" data-pdf-tag="H3">K</h2>\s*<p class="index-entry" '
                     r'data-person="kadar"><span class="index-heading">Kádár, János</span>, '
                     r'<span class="index-identification">First Secretary of the HSWP</span>, '
                     r'<span class="index-locators"><span class="index-locator">4</span>, '
                     r'<span class="index-locator">10n236</span></span>. '
                     r'<i class="index-see">See also</i> Münnich, Ferenc</p>', html)
    assert re.search(r'<span class="index-heading">Münich</span>. <i class="index-see">See</i> '
                     r'Münnich, Ferenc</p>', html)
    assert "break-before: left" in render_index(entries, Settings(), first_page_number=392)


def many_entries() -> list:
    surnames = ["Ábel", "Bajcsy", "Csorba", "Dobi", "Erdei", "Farkas", "Gerő", "Hegedüs",
                "Illyés", "Jánosi", "Kovács", "Losonczy", "Maléter", "Nagy", "Ordas",
                "Pálffy", "Rajk", "Szilágyi", "Tildy", "Újhelyi", "Vas", "Zöld"]
    persons: dict[str, Person] = {}
    occurrences: list[Occurrence] = []
    mapping: dict[str, int] = {}
    for i, surname in enumerate(surnames):
        for j, forename in enumerate(["Anna", "Béla", "Ferenc", "István", "Zoltán"]):
            key = f"{i}-{j}"
            persons[key] = person(key, f"{surname}, {forename}",
                                  "member of the Central Committee, deputy minister")
            for k in range(3):
                occurrences.append(occ(key, f"{key}-{k}"))
                mapping[f"{key}-{k}"] = 10 + (i * 7 + j * 3 + k * 11) % 90
    return build_index(persons, [], occurrences, pages(mapping))


def test_render_index_pdf_in_two_columns() -> None:
    from edition.render import font_config, stylesheets
    settings = Settings()
    entries = many_entries()
    html = render_index(entries, settings, first_page_number=391)
    pdf = weasyprint.HTML(string=html, base_url=".").write_pdf(
        stylesheets=stylesheets(settings), font_config=font_config())
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 2
        first, second = doc.pages[0], doc.pages[1]
        surnames = {e.heading.split(",")[0] + "," for e in entries}
        starts = [w["x0"] for w in first.extract_words() if w["text"] in surnames]
        # Entry heads start at one of two x positions (the columns' left edges), far apart;
        # turnover lines are indented (hanging indent), so they start elsewhere.
        bands = sorted({round(x) for x in starts})
        assert len(bands) == 2 and bands[1] - bands[0] > 100
        assert starts.count(starts[0]) >= 10 and len(starts) - starts.count(starts[0]) >= 10
        # Every line of the text block starts at a column edge (entry, letter heading) or
        # one hanging indent (1.5em of 9pt) to its right (turnover line).
        lines: dict[tuple[int, bool], float] = {}
        for w in first.extract_words():
            if w["text"] in ("391", "Index", "INDEX"):
                continue  # folio, title
            line = (round(w["top"]), w["x0"] >= bands[1] - 1)
            lines[line] = min(lines.get(line, w["x0"]), w["x0"])
        offsets = {round(x - bands[column]) for (_, column), x in lines.items()}
        assert offsets == {0, 13} or offsets == {0, 14}, offsets
        text = first.extract_text()
        assert "Index" in text.splitlines()[0]
        assert "Ábel, Anna, member of the Central" in text
        # The folios continue the body's; the opening page has no running head.
        assert text.split()[-1] == "391"
        assert second.extract_text().split()[-1] == "392"
        assert second.extract_text().splitlines()[0].strip() == "Index"
        fonts = {c["fontname"] for c in first.chars}
        assert fonts and all("Libertine" in f for f in fonts)


# ---------------------------------------------------------------- preflight


def test_verify_locators_passes_and_catches_a_wrong_page() -> None:
    occurrences = [occ("munnich", "m1", text="Münnich"), occ("munnich", "m2", 236, "Münich"),
                   occ("kadar", "k1", text="Kádár")]
    page_texts = {
        3: "Cde. Ká-\ndár spoke.",          # hyphenated at the line end
        9: "the minister Münnich and, in note 236, Mü\u2010\nnich.\n236 Münich",
        10: "nothing here",
    }
    good = build_index(PERSONS, CROSS, occurrences, pages({"m1": 9, "m2": 9, "k1": 3}))
    assert verify_locators(good, occurrences, page_texts) == []
    wrong = build_index(PERSONS, CROSS, occurrences, pages({"m1": 10, "m2": 9, "k1": 3}))
    problems = verify_locators(wrong, occurrences, page_texts)
    assert len(problems) == 1
    assert "'Münnich'" in problems[0] and "page 11" in problems[0]


def test_verify_locators_reports_missing_pages_and_unplaced_occurrences() -> None:
    occurrences = [occ("kadar", "k1", text="Kádár"), occ("kadar", "gone", text="Kádár")]
    entries = build_index(PERSONS, CROSS, occurrences, pages({"k1": 3}))
    problems = verify_locators(entries, occurrences, {})
    assert any("has no extracted text" in p for p in problems)
    assert any("'gone'" in p or "(gone)" in p for p in problems)
    # An occurrence the index never saw is reported too.
    extra = occ("kadar", "k9", text="Kádár")
    problems = verify_locators(entries, [*occurrences, extra], {3: "Kádár"})
    assert any("k9" in p and "missing from the index" in p for p in problems)


def test_locate_from_report() -> None:
    anchors = {"name-1": (0, 10.0, 20.0), "label-3-r": (2, 0.0, 0.0), "name-9": (7, 0, 0)}
    locate = locate_from_report(anchors, ["ix", "1", "2"])
    assert locate("name-1") == ("ix", 0)
    assert locate("label-3") == ("2", 2)  # only the recto copy of the label was laid out
    assert locate("name-9") is None and locate("name-404") is None
