"""`edition preview` draws the PDF a build wrote while it is current (issue 28, point 9):
built from the same files, settings and profile by this program, stamped with this
user's key; after an edit, another setting or a PDF not the one stamped, it lays the
book out again. Never a stale PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition import build as build_module
from edition.cli import main


@pytest.fixture
def layouts(monkeypatch) -> list[Path]:
    """Every book laid out (a call of `typeset`), by its source."""
    calls: list[Path] = []
    typeset = build_module.typeset

    def counted(source, **kwargs):
        calls.append(source)
        return typeset(source, **kwargs)

    monkeypatch.setattr(build_module, "typeset", counted)
    return calls


def _preview(edition: Path, capsys, *more: str) -> tuple[bytes, str]:
    """Page 7, the document's first."""
    assert main(["preview", str(edition), "--pages", "7", *more]) == 0
    return (edition / "output" / "ed-p007.png").read_bytes(), capsys.readouterr().out


def test_a_current_pdf_is_drawn_without_laying_the_book_out(edition, layouts, capsys):
    assert main(["build", str(edition), "-q"]) == 0
    assert len(layouts) == 1
    first, said = _preview(edition, capsys)
    assert len(layouts) == 1  # no layout: the build's PDF was drawn
    assert "drawn from" in said and "which is current" in said
    # After an edit the PDF is stale: laid out again, and the page shows the edit.
    doc = edition / "001-first-document.md"
    doc.write_text(doc.read_text().replace("ten o'clock", "eleven o'clock in the morning"))
    second, said = _preview(edition, capsys)
    assert len(layouts) == 2 and "drawn from" not in said
    assert second != first
    # The preview wrote no PDF: the build's is still stale, and is never drawn.
    _preview(edition, capsys)
    assert len(layouts) == 3
    assert main(["build", str(edition), "-q"]) == 0
    third, said = _preview(edition, capsys)
    assert len(layouts) == 4 and "which is current" in said and third == second


def test_other_settings_or_another_pdf_are_not_current(edition, layouts, capsys):
    assert main(["build", str(edition), "-q", "-M", "page.trim=a4"]) == 0
    _preview(edition, capsys)  # the build's trim is not the preview's
    assert len(layouts) == 2
    _preview(edition, capsys, "-M", "page.trim=a4")
    assert len(layouts) == 2  # the same settings: drawn
    pdf = edition / "output" / "ed.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"%%EOF", b"%%EOF\n%"))  # not the stamped one
    _preview(edition, capsys, "-M", "page.trim=a4")
    assert len(layouts) == 3


def test_only_a_stamp_of_this_users_builds_with_the_cache_is_trusted(
        edition, layouts, capsys, monkeypatch, tmp_path):
    assert main(["build", str(edition), "-q", "--no-cache"]) == 0
    _preview(edition, capsys)  # a build without the cache stamps nothing
    assert len(layouts) == 2
    assert main(["build", str(edition), "-q"]) == 0
    _preview(edition, capsys)
    assert len(layouts) == 3  # stamped: drawn
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    _preview(edition, capsys)  # another user's key: the stamp is not theirs
    assert len(layouts) == 4
