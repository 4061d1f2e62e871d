"""The contents' folios of the front pages (editorial principles, …): this part's own.

They are known only once the front matter is laid out; the layout gives them itself
(`target-counter()`), so the front matter is laid out once. Read back from the built PDF
with pdftotext, as a proofreader would: each front page's contents line shows the folio
of the page its title stands on.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint.logger import PROGRESS_LOGGER

import edition.build
import edition.layout
from edition.build import typeset

ROOT = Path(__file__).resolve().parents[1]
TITLES = ["Editorial Principles", "Abbreviations", "Acknowledgements"]

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")


def _edition(tmp_path: Path) -> Path:
    """The sample with one document and three front pages, the first of several pages:
    the later ones start where no fixed guess would put them."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "source", source)
    for extra in ("054-illustrative-1956-11-01.md", "055-illustrative-1956-11-02.md",
                  "056-illustrative-1956-11-03.xml"):
        (source / extra).unlink()
    principles = (source / "principles.md").read_text(encoding="utf-8")
    head, body = principles.split("+++\n", 2)[1:]
    (source / "principles.md").write_text(f"+++\n{head}+++\n" + body * 5, encoding="utf-8")
    (source / "acknowledgements.md").write_text(
        '+++\ntitle = "Acknowledgements"\n+++\n\nThe editors thank the archivists.\n',
        encoding="utf-8")
    toml = (source / "edition.toml").read_text(encoding="utf-8")
    toml = toml.replace('pages = ["principles.md", "abbreviations.md"]',
                        'pages = ["principles.md", "abbreviations.md", "acknowledgements.md"]')
    (source / "edition.toml").write_text(toml, encoding="utf-8")
    return source


class _Pages(logging.Handler):
    """WeasyPrint's progress: each page it makes (again), of each layout."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        found = re.fullmatch(r"Step 5 - Creating layout - Page (\d+)", record.getMessage())
        if found:
            self.made.append(int(found.group(1)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The book, its PDF, the front matter's paginate calls and the pages each made."""
    tmp = tmp_path_factory.mktemp("front")
    source = _edition(tmp)
    calls, made = [], []
    stock = edition.layout.paginate

    def counting(html, *args, **kwargs):
        if 'class="part-front' not in html:
            return stock(html, *args, **kwargs)
        calls.append(html)
        handler, level = _Pages(), PROGRESS_LOGGER.level
        PROGRESS_LOGGER.addHandler(handler)
        PROGRESS_LOGGER.setLevel(logging.INFO)
        try:
            return stock(html, *args, **kwargs)
        finally:
            PROGRESS_LOGGER.removeHandler(handler)
            PROGRESS_LOGGER.setLevel(level)
            made.append(handler.made)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(edition.build, "paginate", counting)
        patch.setattr(edition.layout, "paginate", counting)
        book = typeset(source, jobs=1)
    out = tmp / "front.pdf"
    out.write_bytes(book.pdf)
    return book, out, calls, made


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


def test_each_front_page_is_listed_with_the_folio_of_its_title_page(built):
    book, out, _, _ = built
    labels = PdfReader(out).page_labels
    pages = _page_texts(out)
    contents = next(text for text in pages if text.strip().startswith("Contents"))
    starts = {}
    for title in TITLES:
        index = next(i for i, text in enumerate(pages) if text.strip().startswith(title))
        printed = pages[index].split()[-1]  # the folio at the foot
        assert printed == labels[index], (title, printed, labels[index])
        starts[title] = printed
        line = re.search(rf"(?m)^\s*{title}[ .]+?\s([ivxl]+)\s*$", contents)
        assert line, (title, contents)
        assert line.group(1) == printed, (title, line.group(1), printed)
    # The first front page runs over several: the next ones start pages later.
    assert list(starts.values()) == ["vi", "viii", "ix"], starts
    # The document's and the index's folios are still those of their parts.
    assert re.search(r"(?m)\s1\s*$", contents.split("Acknowledgements")[1])
    index_line = re.search(r"(?m)^\s*Index[ .]+?\s(\d+)\s*$", contents)
    assert index_line and labels.index(index_line.group(1)) > labels.index("1")


def test_the_front_matter_is_laid_out_once(built):
    book, _, calls, made = built
    assert len(calls) == 1
    assert len(book.part("front").labels) == 9
    # WeasyPrint makes again only the contents' page, once it knows where the front
    # pages fell; every other page of the part is made once.
    (pages,) = made
    contents = 5
    assert sorted(set(pages)) == list(range(1, 10))
    assert all(pages.count(n) == 1 for n in range(1, 10) if n != contents), pages
