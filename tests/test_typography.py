"""Issue 12: the proof check of a press, read back from built PDFs (tests/proof.py).

Hyphenation (American patterns, Chicago's limits, no ladders, none in display lines),
the index (folios, unbroken locators), the contents (one folio column, no stray
leaders), the handout's measure, and running heads (short forms, never "…").
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pyphen
import pytest

from edition.build import build
from tests.proof import (
    HYPHENS,
    hyphenated,
    ladders,
    measure,
    pdf_lines,
    text_lines,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EXCERPT = CORPUS / "frus1955-57v26-excerpt.xml"
needs_excerpt = pytest.mark.skipif(not EXCERPT.is_file(),
                                   reason=f"shared corpus not found at {EXCERPT}")
MM = 72 / 25.4
# The automatic hyphen WeasyPrint sets at a break inside a word.
AUTO = "\u2010"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("typo") / "sample.pdf"
    build(ROOT / "source", out)
    return out, pdf_lines(out)


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    out = tmp_path_factory.mktemp("typo") / "handout.pdf"
    build(ROOT / "source", out, profile="handout", documents=["53"])
    return out, pdf_lines(out)


def _index_labels(out: Path) -> list[str]:
    from pypdf import PdfReader
    labels = PdfReader(out).page_labels
    with pdfplumber.open(out) as pdf:
        return [labels[i] for i, page in enumerate(pdf.pages)
                if "Index" in (page.extract_text() or "")[:40] and labels[i].isdigit()]


# ------------------------------------------------------------------ 1. hyphenation

def _breaks(lines):
    """(before, after) of each word broken by an automatic hyphen, on one page."""
    lines = text_lines(lines)
    found = []
    for line, following in zip(lines, lines[1:], strict=False):
        if (line.text.endswith(AUTO) and following.page == line.page
                and abs(following.size - line.size) < 0.3):
            before = re.sub(r"^\W+", "", line.text.split()[-1][:-1])
            after = re.sub(r"\W+$", "", following.text.split()[0])
            if before.isalpha() and after.isalpha():
                found.append((before, after))
    return found


def test_hyphens_fall_where_american_patterns_and_chicago_limits_allow(sample):
    _, lines = sample
    us = pyphen.Pyphen(lang="en_US", left=2, right=3)
    breaks = _breaks(lines)
    assert len(breaks) > 20
    wrong = [f"{a}-{b}" for a, b in breaks
             if len(a) not in us.positions((a + b).lower()) or len(b) < 3 or len(a) < 2]
    assert not wrong, wrong


def test_no_more_than_two_hyphenated_lines_in_a_row(tmp_path):
    # A narrow measure and long words: without the limit, ladders of three and more.
    src = tmp_path / "src"
    src.mkdir()
    (src / "edition.toml").write_text('title = "Ladders"\nlanguage = "en"\n[page]\n'
                                      'trim = "90x160mm"\nmargin_inner = 12\n'
                                      'margin_outer = 14\n[index]\nenabled = false\n'
                                      '[front_matter]\nenabled = false\n')
    words = ("internationalization administrative responsibilities constitutional "
             "representatives unquestionably correspondence extraordinarily "
             "interdepartmental considerations notwithstanding circumstances ")
    (src / "001.md").write_text('+++\nnumber = "1"\ntitle = "Long Words"\n+++\n\n'
                                + (words * 12) + "\n\n" + (words * 12) + "\n")
    out = tmp_path / "l.pdf"
    build(src, out)
    lines = pdf_lines(out)
    assert len(hyphenated(text_lines(lines))) > 15
    automatic = [run for run in ladders(lines) if all(ln.text.endswith(AUTO) for ln in run)]
    assert not automatic, [[ln.text[-20:] for ln in run] for run in automatic]


def test_display_lines_are_never_hyphenated_nor_broken_at_a_dash(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "source", src)
    toml = (src / "edition.toml").read_text()
    toml = re.sub(r'^title = .*$', 'title = "Foreign Relations of the United States, '
                  'Historiographical Documentation and Administrative Correspondence, '
                  '1955\u20131957"', toml, count=1, flags=re.M)
    toml = re.sub(r'^editors = .*$', 'editors = ["Ronald D. Landa", '
                  '"James E. Miller", "Christopher Konstantinos Karamanlis-Papadopoulos"]',
                  toml, count=1, flags=re.M)
    (src / "edition.toml").write_text(toml)
    out = tmp_path / "d.pdf"
    build(src, out)
    lines = pdf_lines(out)
    front = [ln for ln in lines if not ln.label.isdigit()]
    title_page = [ln for ln in front if ln.page <= 3]
    assert any("1955\u20131957" in ln.text for ln in title_page), \
        [ln.text for ln in title_page]
    assert not [ln.text for ln in title_page if ln.text.endswith(("\u2013", *HYPHENS))]
    names = " ".join(ln.text for ln in title_page)
    for name in ("Ronald D. Landa", "James E. Miller"):
        assert any(name in ln.text for ln in title_page), names
    index = set(_index_labels(out))
    with pdfplumber.open(out) as pdf:
        contents = {i for i, page in enumerate(pdf.pages)
                    if (page.extract_text() or "").startswith("Contents")}
    display = [ln for ln in lines if ln.page <= 3 or ln.page in contents
               or ln.label in index]
    assert not [ln.text for ln in display if ln.text.endswith(AUTO)]


# ------------------------------------------------------------------ 2. index

def test_every_index_page_has_its_folio_and_no_locator_breaks(sample):
    out, lines = sample
    index = _index_labels(out)
    assert index
    with pdfplumber.open(out) as pdf:
        from pypdf import PdfReader
        labels = PdfReader(out).page_labels
        for i, page in enumerate(pdf.pages):
            if labels[i] in index:
                foot = [w["text"] for w in page.extract_words()
                        if w["top"] > page.height - 20 * MM]
                assert foot == [labels[i]], (labels[i], foot)
    in_index = [ln for ln in lines if ln.label in index]
    assert not [ln.text for ln in in_index
                if ln.text.endswith((AUTO, "\u2013")) or re.search(r"\d[n\u2013]$", ln.text)]


# ------------------------------------------------------------------ 3. contents

def test_contents_folios_stand_in_one_flush_right_column(sample):
    out, _ = sample
    with pdfplumber.open(out) as pdf:
        page = next(p for p in pdf.pages if (p.extract_text() or "").startswith("Contents"))
        words = page.extract_words()
    rows: dict[int, list[dict]] = {}
    for w in words:
        rows.setdefault(round(w["top"]), []).append(w)
    # The folio is the last word of its line.
    folios = [max(row, key=lambda w: w["x0"]) for row in rows.values()]
    folios = [w for w in folios if re.fullmatch(r"[ivxlc]+|\d+", w["text"])]
    assert len(folios) >= 6
    right = [round(w["x1"], 1) for w in folios]
    assert max(right) - min(right) < 0.6, right
    # A leader never stands alone: every line with dots has a word before them.
    for row in rows.values():
        texts = [w["text"] for w in sorted(row, key=lambda w: w["x0"])]
        if any(set(t) <= {"."} for t in texts):
            assert not set(texts[0]) <= {"."}, texts


# ------------------------------------------------------------------ 7. handout measure

def test_handout_lines_hold_about_ninety_characters(handout):
    _, lines = handout
    sizes = sorted({round(ln.size, 1) for ln in text_lines(lines)},
                   key=lambda s: -sum(1 for ln in lines if round(ln.size, 1) == s))
    text_size = sizes[0]
    note_size = round(text_size * 0.82, 1)
    text, notes = measure(lines, text_size), measure(lines, note_size)
    assert 70 < text <= 92, text
    assert notes <= text * 1.25, (text, notes)


# ------------------------------------------------------------------ 8. running heads

def _heads(out: Path) -> list[tuple[str, list[dict]]]:
    """Each page's running head: the words above the text block, with their boxes."""
    heads = []
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words() if w["bottom"] < 15 * MM]
            if words:
                heads.append((" ".join(w["text"] for w in words), words))
    return heads


def _check_heads(out: Path) -> list[str]:
    heads = _heads(out)
    assert heads
    for text, words in heads:
        assert "\u2026" not in text and "..." not in text, text
        assert max(w["top"] for w in words) - min(w["top"] for w in words) < 1, text
    return [text for text, _ in heads]


def test_sample_running_heads_are_whole(sample):
    out, _ = sample
    _check_heads(out)


@needs_excerpt
def test_frus_running_heads_are_composed_short_forms_never_cut(tmp_path):
    out = tmp_path / "x.pdf"
    build(EXCERPT, out)
    heads = _check_heads(out)
    assert "Document No. 96: Memorandum of a Conversation, March 5, 1957" in heads, heads


def test_a_division_without_a_head_builds_with_an_empty_running_head(tmp_path):
    """Found by the fuzzer: a TEI division with no head has no words to compose from."""
    source = tmp_path / "f.xml"
    source.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><front><div/></front>'
                      "</text></TEI>\n", encoding="utf-8")
    book = build(source, tmp_path / "f.pdf")
    assert book.page_count >= 1
