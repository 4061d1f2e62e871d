"""The parts name their font files and the join embeds each once (edition/pdf/fonts.py).

Asserted on the written files: the cached runs' PDFs carry no font program, the build's
font folder holds each face once, the book embeds each face subset and readable, and a
cached run whose font file is gone is laid out again rather than joined without it.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.build import build, cache_folder
from edition.layout.cache import decode, entry_body
from edition.pdf.fonts import FontStore, stub_digest
from edition.resources import styles_dir
from tests.pages import page_words

SAMPLE = Path(__file__).resolve().parents[1] / "source"


def _font_programs(pdf: bytes) -> list[bytes]:
    """The decoded font files (FontFile2/3) of a PDF, one per descriptor."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            for cid_font in font.get_object().get("/DescendantFonts") or []:
                descriptor = cid_font.get_object()["/FontDescriptor"].get_object()
                for kind in ("/FontFile3", "/FontFile2"):
                    if kind in descriptor:
                        found.append(descriptor[kind].get_object().get_data())
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    source = tmp_path_factory.mktemp("src") / "source"
    shutil.copytree(SAMPLE, source)
    out = tmp_path_factory.mktemp("out") / "book.pdf"
    build(source, out, jobs=2)
    return source, out


def test_parts_name_their_fonts_and_the_book_embeds_them(built):
    _, out = built
    cache = cache_folder(out).path
    runs = sorted(cache.glob("*.run"))
    assert runs
    faces = {path.read_bytes() for path in (styles_dir() / "fonts").glob("*.otf")}
    stored = sorted((cache / "fonts").glob("*.font"))
    # Each face the book uses once, byte for byte the bundled file.
    assert stored and all(path.read_bytes() in faces for path in stored)
    for path in runs:
        result = decode(entry_body(path.read_bytes()))
        programs = _font_programs(result.pdf)
        assert programs and all(stub_digest(data) in result.fonts for data in programs)
        assert max(len(data) for data in programs) < 200  # a name, not a font
    book = _font_programs(out.read_bytes())
    assert book and all(data[:4] == b"OTTO" and stub_digest(data) is None for data in book)
    # Subset: every embedded face smaller than the smallest whole one.
    assert max(len(data) for data in book) < min(len(face) for face in faces)


def test_a_cached_run_whose_font_file_is_gone_is_laid_out_again(built, tmp_path):
    source, out = built
    words = page_words(out)
    again = tmp_path / "book.pdf"
    shutil.copytree(cache_folder(out).path, cache_folder(again).path)
    first = build(source, again, jobs=1)
    assert first.runs.laid == []  # all from the copied cache
    shutil.rmtree(cache_folder(again).path / "fonts")
    rebuilt = build(source, again, jobs=1)
    assert len(rebuilt.runs.laid) == rebuilt.runs.total
    assert page_words(again) == words


def test_a_stub_names_its_file(tmp_path):
    store = FontStore(tmp_path / "fonts")
    data = b"OTTO" + bytes(range(256)) * 4
    stub = store.stub(data)
    assert stub[:4] == b"OTTO" and len(stub) < 100
    digest = stub_digest(stub)
    assert digest in store.named and store.has(digest) and store.get(digest) == data
    assert store.stub(data) == stub  # kept once
    assert stub_digest(data) is None  # a font written whole names nothing


def test_font_files_no_run_names_are_pruned(built, tmp_path):
    source, out = built
    again = tmp_path / "book.pdf"
    shutil.copytree(cache_folder(out).path, cache_folder(again).path)
    fonts = cache_folder(again).path / "fonts"
    kept = {path.name for path in fonts.glob("*.font")}
    stray = fonts / f"{'0' * 64}.font"
    stray.write_bytes(b"OTTO a font no run names")
    build(source, again, jobs=1)
    assert not stray.exists()
    assert {path.name for path in fonts.glob("*.font")} == kept
    assert page_words(again) == page_words(out)
