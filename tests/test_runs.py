"""The body laid out in runs (layout/runs.py), in worker processes, from the cache.

Each test reads the built PDF (every word with its position, tests/pages.py) or the
layout report, never the HTML.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.build import build, quiet_weasyprint
from edition.layout.runs import split_runs
from tests.pages import page_words, whole_body_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synthetic import write_volume  # noqa: E402

quiet_weasyprint()


@pytest.fixture(scope="module")
def volume_dir(tmp_path_factory) -> Path:
    """About 30 pages of documents starting on new pages: runs open on both sides."""
    return write_volume(tmp_path_factory.mktemp("runs") / "src", pages=30, seed=7)


def _words(book, pdf: Path) -> list[dict]:
    """The body's pages of a built book: (label, words with positions)."""
    pages = page_words(pdf)["pages"]
    front = book.part("front")
    skip = len(front.labels) + front.blanks_after if front else 0
    return pages[skip:skip + len(book.body.labels)]


def _whole_body_pdf(source: Path, out: Path) -> Path:
    """The body laid out the way it was before runs: one HTML, one layout."""
    out.write_bytes(whole_body_pdf(source))
    return out


def test_volume_has_runs_on_both_sides(volume_dir, tmp_path):
    book = build(volume_dir, tmp_path / "a.pdf", jobs=1, cache=False)
    assert len(split_runs(book.volume)) == len(book.volume.documents) > 4
    opening = [book.body.laid.report.anchors[doc.id][0]
               for doc in book.volume.documents]
    sides = {book.body.laid.report.pages[page].recto for page in opening}
    assert sides == {True, False}  # some runs were moved to a verso


def test_parallel_build_is_the_same_page_for_page(volume_dir, tmp_path):
    one = build(volume_dir, tmp_path / "one.pdf", jobs=1, cache=False)
    two = build(volume_dir, tmp_path / "two.pdf", jobs=2, cache=False)
    assert one.runs.jobs == 1 and two.runs.jobs == 2
    assert page_words(tmp_path / "one.pdf") == page_words(tmp_path / "two.pdf")


def test_runs_give_the_pages_of_one_layout(volume_dir, tmp_path):
    """Folios, running heads, mirrored margins and outer labels as if the body had been
    laid out whole: every word of every body page at the same place."""
    book = build(volume_dir, tmp_path / "runs.pdf", jobs=2, cache=False)
    whole = page_words(_whole_body_pdf(volume_dir, tmp_path / "whole.pdf"))["pages"]
    runs = _words(book, tmp_path / "runs.pdf")
    assert len(runs) == len(whole)
    for index, (mine, theirs) in enumerate(zip(runs, whole, strict=True)):
        assert mine["words"] == theirs["words"], f"body page {index + 1} differs"


def test_cache_relays_only_the_edited_run(volume_dir, tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for path in volume_dir.iterdir():
        (source / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out" / "book.pdf"
    first = build(source, out, jobs=1)
    assert first.runs.reused == 0 and len(first.runs.laid) == first.runs.total
    words = page_words(out)
    again = build(source, out, jobs=1)
    assert again.runs.laid == [] and again.runs.reused == again.runs.total
    assert page_words(out) == words  # the same pages, built from the cache

    docs = sorted(source.glob("0*.md"))
    middle = docs[len(docs) // 2]
    text = middle.read_text()
    middle.write_text(text.replace(" the ", " thy ", 1))  # same length: same pages
    edited = build(source, out, jobs=1)
    number = edited.volume.documents[len(docs) // 2].number
    assert edited.runs.laid == [f"Document {number}"]
    fresh = build(source, tmp_path / "fresh" / "book.pdf", jobs=1, cache=False)
    assert page_words(out) == page_words(tmp_path / "fresh" / "book.pdf")
    assert fresh.runs.reused == 0


def test_cache_relays_later_runs_when_the_page_count_changes(volume_dir, tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for path in volume_dir.iterdir():
        (source / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out" / "book.pdf"
    before = build(source, out, jobs=1)
    docs = sorted(source.glob("0*.md"))
    second = docs[1]
    text = second.read_text()
    head, sep, rest = text.partition(":::\n\n")
    paragraph = " ".join(["The committee discussed the question at length."] * 60)
    second.write_text(head + sep + paragraph + "\n\n" + rest)
    after = build(source, out, jobs=1)
    assert len(after.body.labels) > len(before.body.labels)
    assert after.runs.laid[0] == f"Document {after.volume.documents[1].number}"
    assert len(after.runs.laid) > 1  # the runs after it moved
    assert f"Document {after.volume.documents[0].number}" not in after.runs.laid
    fresh = tmp_path / "fresh.pdf"
    build(source, fresh, jobs=1, cache=False)
    assert page_words(out) == page_words(fresh)


def test_links_and_outline_span_the_runs(tmp_path):
    """The sample's documents link to one another (doc: links): each link is written in
    one run and points into another; the join must keep it and point it right."""
    sample = Path(__file__).resolve().parents[1] / "source"
    book = build(sample, tmp_path / "a.pdf", jobs=2, cache=False)
    reader = PdfReader(tmp_path / "a.pdf")
    dests = reader.named_destinations
    front = book.part("front")
    offset = len(front.labels) + front.blanks_after
    report = book.body.laid.report
    for doc in book.volume.documents:
        assert reader.get_destination_page_number(dests[doc.id]) == \
            offset + report.anchors[doc.id][0]
    across = 0
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" not in annot:
                continue
            target = str(annot["/Dest"])
            assert target in dests, target
            across += reader.get_destination_page_number(dests[target]) != index
    assert across >= 2
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert len(titles) >= len(book.volume.documents)
    assert all(any(doc.number in title for title in titles)
               for doc in book.volume.documents)


def test_documents_running_on_split_at_chapters(tmp_path):
    source = write_volume(tmp_path / "src", pages=16, seed=3)
    settings = source / "edition.toml"
    settings.write_text(settings.read_text() + '\n[documents]\nstart = "run-on"\n')
    docs = sorted(source.glob("0*.md"))
    for number, before in ((1, docs[0]), (2, docs[len(docs) // 2])):
        # "0001-chapter.md" sorts before "0001.md": the chapter opens its documents.
        chapter = before.with_name(before.stem + "-chapter.md")
        chapter.write_text(f'+++\nnumber = "c{number}"\ntitle = "Chapter {number}"\n'
                           f'kind = "chapter"\n+++\n\nAn introduction to the part.\n')
    book = build(source, tmp_path / "a.pdf", jobs=2, cache=False)
    runs = split_runs(book.volume)
    assert 2 <= len(runs) < len(book.volume.documents)
    whole = page_words(_whole_body_pdf(source, tmp_path / "whole.pdf"))["pages"]
    mine = _words(book, tmp_path / "a.pdf")
    assert [p["words"] for p in mine] == [p["words"] for p in whole]


def test_page_x_of_y_counts_the_index_without_a_second_layout(tmp_path, monkeypatch):
    """A handout's footer counts every page, the index's too: the runs are laid out
    once and placed when the total is known."""

    from edition.layout import runs as runs_module

    laid = []
    real_lay = runs_module.Layouter.lay

    def counting_lay(self, html):
        laid.append(html)
        return real_lay(self, html)

    monkeypatch.setattr(runs_module.Layouter, "lay", counting_lay)
    sample = Path(__file__).resolve().parents[1] / "source"
    book = build(sample, tmp_path / "h.pdf", profile="handout", documents=["53", "54"],
                 handout_index=True, cache=False)
    assert book.part("index") is not None and len(book.body.runs) == 2
    assert len(laid) == 2  # each run once
    reader = PdfReader(tmp_path / "h.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        assert f"page {number} of {total}" in page.extract_text()


def test_each_font_is_embedded_once_for_the_whole_book(tmp_path):
    """Every part of the joined PDF uses the same font file per face, subset to the
    glyphs of all parts: one embedded file per face, not one per run."""
    sample = Path(__file__).resolve().parents[1] / "source"
    book = build(sample, tmp_path / "a.pdf", jobs=2, cache=False)
    assert book.runs.total >= 3
    reader = PdfReader(tmp_path / "a.pdf")
    files: dict[str, set[int]] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            for cid_font in font.get_object()["/DescendantFonts"]:
                descriptor = cid_font.get_object()["/FontDescriptor"].get_object()
                for key in ("/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        name = str(descriptor["/FontName"]).split("+")[-1]
                        files.setdefault(name, set()).add(descriptor.raw_get(key).idnum)
    assert len(files) >= 3
    assert all(len(ids) == 1 for ids in files.values()), files
    # Subset: far smaller than the bundled fonts themselves (1.6 MB).
    assert (tmp_path / "a.pdf").stat().st_size < 400_000
