"""The one seam to WeasyPrint's internals (edition/layout/engine/).

WeasyPrint is patched only while edition lays out; a render outside is stock, before and
after a build. An unsupported WeasyPrint is a one-line user error. The ported
`_linebox_layout` is upstream's text except inside its marked hunks.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import weasyprint
from weasyprint import HTML

from edition.build import typeset
from edition.cli import main
from edition.layout import engine
from edition.layout.engine import inflow, linebox, ported, seam
from edition.layout.inspect import collect_report
from tests.test_cli_errors import GOOD as SOURCE

ROOT = Path(__file__).resolve().parents[1]


WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def _words(count: int, start: int = 0) -> str:
    return " ".join(WORDS[(i + start) % len(WORDS)] for i in range(count))


# Page 1 holds 17 lines; the call is in line 7 and its note needs 10 lines: it cannot
# start below its call whole, but more than two of its lines fit there.
TALL_NOTE = f"""<html><head><style>
@page {{ size: 300px 300px; margin: 20px }}
html {{ font: 12px/15px sans-serif }} body, p {{ margin: 0 }}
.fn {{ float: footnote }}
</style></head><body><p>{_words(90)}<span class="fn" id="note-1">{_words(80, 3)}</span>
{_words(200, 5)}</p></body></html>"""


def _tall_note() -> tuple[int, int, list[int]]:
    """(call page, page the note starts on, pages it continues on)."""
    note, = collect_report(HTML(string=TALL_NOTE).render()).notes
    return note.call_page, note.note_page, note.continued_on


def _current() -> dict[str, object]:
    return {patch.where: getattr(patch.owner, patch.name) for patch in seam.PATCHES}


def _stock() -> dict[str, object]:
    return {patch.where: patch.stock for patch in seam.PATCHES}


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    source.mkdir()
    (source / "001-doc.md").write_text(SOURCE, encoding="utf-8")
    return source


# ------------------------------------------------------------------ patched only inside


def test_stock_weasyprint_before_and_after_a_build(tmp_path, monkeypatch):
    """Stock WeasyPrint moves the tall note whole to the next page; inside the engine it
    is split under its call; a build in between leaves WeasyPrint stock."""
    assert _current() == _stock()
    assert _tall_note() == (0, 1, [])
    with engine.patched():
        assert _tall_note() == (0, 0, [1])

    seen = []
    layout_document = weasyprint.document.layout_document

    def spy(*args, **kwargs):
        seen.append(_current() == {p.where: p.replacement for p in seam.PATCHES})
        return layout_document(*args, **kwargs)

    monkeypatch.setattr(weasyprint.document, "layout_document", spy)
    book = typeset(_source(tmp_path), front_matter=False, index=False)
    monkeypatch.undo()
    assert book.pdf.startswith(b"%PDF")
    # The body was laid out patched; blank pages (if any) need not be.
    assert seen and seen[0] is True
    assert not engine.is_patched()
    assert _current() == _stock()
    assert _tall_note() == (0, 1, [])


def test_patched_restores_on_an_exception_and_nests():
    with pytest.raises(RuntimeError), engine.patched():
        assert engine.is_patched()
        raise RuntimeError("layout failed")
    assert _current() == _stock()
    with engine.patched():
        with engine.patched():
            assert engine.is_patched()
        # Leaving the inner block keeps the outer one's patches.
        assert engine.is_patched()
        assert _current() == {p.where: p.replacement for p in seam.PATCHES}
    assert not engine.is_patched()
    assert _current() == _stock()


def test_patched_puts_back_what_it_found(monkeypatch):
    from weasyprint.layout import page as wp_page

    def someone_elses(*args):
        raise AssertionError("not called")

    monkeypatch.setattr(wp_page, "make_page", someone_elses)
    with engine.patched():
        assert wp_page.make_page is not someone_elses
    assert wp_page.make_page is someone_elses


# ------------------------------------------------------------------ version


def test_an_unsupported_weasyprint_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    laid_out = []
    monkeypatch.setattr(weasyprint.document, "layout_document",
                        lambda *args: laid_out.append(args))
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    output = tmp_path / "out.pdf"
    code = main(["build", str(_source(tmp_path)), "-o", str(output), "-q"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith("edition: ")
    assert "71.0" in lines[0] and engine.SUPPORTED_VERSION in lines[0]
    assert laid_out == []  # refused before any layout
    assert not output.exists()
    assert _current() == _stock()


def test_patched_refuses_an_unsupported_weasyprint(monkeypatch):
    from edition.errors import EditionError

    monkeypatch.setattr(weasyprint, "__version__", "69.1")
    with pytest.raises(EditionError, match="69.1"), engine.patched():
        pass
    assert _current() == _stock()


# ------------------------------------------------------------------ the ported copy


def _ours() -> str:
    return inspect.getsource(linebox._linebox_layout)


def _upstream() -> str:
    return inspect.getsource(seam.stock("weasyprint.layout.block._linebox_layout"))


def test_the_ported_linebox_layout_is_upstream_except_in_its_hunks():
    """On a WeasyPrint upgrade this lists what must be ported again."""
    assert weasyprint.__version__ == engine.SUPPORTED_VERSION  # the upstream read here
    assert ported.check_port(_ours(), _upstream()) == []
    # Two hunks (linebox.py's docstring lists them), both pure additions: any upstream
    # line missing next to one would show here.
    assert ported.replaced(_ours(), _upstream()) == [[], []]


def test_the_ported_in_flow_layout_is_upstream_except_in_its_hunk():
    """The block layout's one hunk (inflow.py) is an addition: a split note to make room."""
    ours = inspect.getsource(inflow._in_flow_layout)
    upstream = inspect.getsource(seam.stock("weasyprint.layout.block._in_flow_layout"))
    assert ported.check_port(ours, upstream) == []
    assert ported.replaced(ours, upstream) == [[]]
    tampered = ours.replace("    abort = stop = False\n", "    abort = stop = True\n")
    assert tampered != ours and ported.check_port(tampered, upstream)


def _departs(ours: str) -> bool:
    return bool(ported.check_port(ours, _upstream())
                or ported.replaced(ours, _upstream()) != [[], []])


@pytest.mark.parametrize("tamper", [
    # a line edited outside the hunks
    lambda s: s.replace("    abort = stop = False\n", "    abort = stop = True\n"),
    # a line removed outside the hunks
    lambda s: s.replace("    new_footnotes = []\n", ""),
    # a line added outside the hunks
    lambda s: s.replace("        skip_stack = resume_at\n",
                        "        skip_stack = resume_at\n        max_lines = None\n"),
    # a comment reworded outside the hunks
    lambda s: s.replace("# TODO: this is incomplete.", "# TODO: incomplete."),
    # a blank line removed
    lambda s: s.replace("    new_footnotes = []\n\n", "    new_footnotes = []\n"),
    # the line right after a hunk removed
    lambda s: s.replace("                # edition: end\n                if overflow:\n",
                        "                # edition: end\n"),
    # the line right before a hunk edited
    lambda s: s.replace("can_break_now and not could_break_before\n",
                        "can_break_now\n"),
    # a hunk's end marker moved up over one of its lines: that line is outside now
    lambda s: s.replace("            report = False\n            # edition: end\n",
                        "            # edition: end\n            report = False\n"),
    # a hunk's markers removed
    lambda s: s.replace("            # edition: end\n", "").replace(
        "            # edition: begin never push", "            # never push"),
])
def test_the_port_check_fails_when_the_copy_is_tampered_with(tamper):
    tampered = tamper(_ours())
    assert tampered != _ours()
    assert _departs(tampered)


def test_the_port_check_accepts_changes_inside_a_hunk():
    edited = _ours().replace("            report = False\n", "            report = 0\n")
    assert edited != _ours()
    assert not _departs(edited)


UPSTREAM = """def f(x):
    a = 1
    b = 2
    c = 3
    return a + b + c
"""

PORTED = """def f(x):
    a = 1
    # edition: begin b is 3
    b = 3
    # edition: end
    c = 3
    return a + b + c
"""


@pytest.mark.parametrize("ours, complaint", [
    (PORTED, None),
    (PORTED.replace("a = 1", "a = 2"), "changed outside a hunk: 'a = 2'"),
    (PORTED.replace("    return a + b + c\n", ""),
     "removed outside a hunk: 'return a + b + c'"),
    (PORTED.replace("    c = 3\n", "    c = 3\n    d = 4\n"), "changed outside a hunk: 'd = 4'"),
    (PORTED.replace("b = 3", "b = 2"), "is upstream's text"),
    (PORTED.replace("    # edition: end\n", ""), "not closed"),
    (PORTED.replace("    # edition: end\n", "    # edition: begin\n"), "not closed"),
    (PORTED.replace("# edition: begin b is 3", "# edition: start"), "unknown marker"),
    # A hunk that only removes upstream lines is empty, and stands at their place.
    (PORTED.replace("    b = 3\n", ""), None),
    (PORTED.replace("    b = 3\n", "").replace("    c = 3\n", ""), None),  # b and c
    ("def f(x):\n    # edition: begin no b\n    # edition: end\n    a = 1\n    c = 3\n"
     "    return a + b + c\n", "removed outside a hunk: 'b = 2'"),
])
def test_the_port_check_on_synthetic_sources(ours, complaint):
    problems = ported.check_port(ours, UPSTREAM)
    if complaint is None:
        assert problems == []
    else:
        assert any(complaint in p for p in problems), problems


def test_what_a_hunk_replaces():
    assert ported.replaced(PORTED, UPSTREAM) == [["b = 2"]]
    assert ported.replaced(PORTED.replace("    b = 3\n", ""), UPSTREAM) == [["b = 2"]]
    # Next to a hunk, a removal is the hunk's: only pinning `replaced` shows it.
    next_to = PORTED.replace("    c = 3\n", "")
    assert ported.check_port(next_to, UPSTREAM) == []
    assert ported.replaced(next_to, UPSTREAM) == [["b = 2", "c = 3"]]


# ------------------------------------------------------------------ one folder


# WeasyPrint's public API: what its documentation tells users to import.
PUBLIC = {
    "weasyprint": {"HTML", "CSS", "Attachment", "Document", "Page", "__version__"},
    "weasyprint.document": {"Document", "Page"},
    "weasyprint.text.fonts": {"FontConfiguration"},
    "weasyprint.urls": {"URLFetcher", "URLFetcherResponse", "default_url_fetcher"},
}


def test_weasyprint_internals_are_imported_in_the_engine_only():
    engine_dir = ROOT / "edition" / "layout" / "engine"
    found = []
    for path in sorted((ROOT / "edition").rglob("*.py")):
        if engine_dir in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import):
                found += [f"{where}: import {a.name}" for a in node.names
                          if a.name.startswith("weasyprint.")]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                    and node.module.split(".")[0] == "weasyprint":
                public = PUBLIC.get(node.module, set())
                found += [f"{where}: from {node.module} import {a.name}"
                          for a in node.names if a.name not in public]
    assert found == []
