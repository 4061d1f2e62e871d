"""A label pass lays the part out again only from the first page it can change
(engine/relayout.py), and gives every word of every page where a whole layout with the
same rules puts it (tests/pages.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from edition.build import load, quiet_weasyprint
from edition.layout import LabelFixes, engine, looseness, paginate
from edition.layout.report import LabelPlacement, LayoutReport, PageInfo, Rect
from edition.profiles import resolve
from edition.render import STYLES_DIR, font_config, render_body, stylesheets
from tests.pages import page_words

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import synthetic  # noqa: E402

quiet_weasyprint()


def _volume(folder: Path) -> Path:
    """One document of a dozen pages: on its fifth, a three-name label beside a one-line
    speech that the next turn follows at once (run in), and a label of seven names
    beside a long speech (orphans)."""
    folder.mkdir(parents=True)
    writer = synthetic.Writer(3, note_rate=0.25)
    (folder / "edition.toml").write_text(synthetic._settings(), encoding="utf-8")
    (folder / "persons.toml").write_text(synthetic._persons_toml(), encoding="utf-8")
    notes: list[str] = []
    lines = ["+++", 'number = "1"', 'title = "Record of a Meeting"', 'short_title = "Record"',
             "+++", "", "::: headnote", writer.paragraph(notes, (3, 5)), ":::", ""]
    lines += [p for _ in range(14) for p in (writer.paragraph(notes), "")]
    lines += ["::: speech Zhukov, Voroshilov, Bulganin", "We should reject the view.", ":::",
              "", "::: speech Molotov", writer.paragraph(notes, (2, 3)), ":::", ""]
    lines += [p for _ in range(6) for p in (writer.paragraph(notes), "")]
    lines += ["::: speech Khrushchev, Molotov, Zhukov, Mikoyan, Suslov, Kaganovich, Malenkov",
              writer.paragraph(notes, (6, 8)), ":::", ""]
    lines += [p for _ in range(10) for p in (writer.paragraph(notes), "")]
    (folder / "0001.md").write_text("\n".join(lines + notes) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def volume_dir(tmp_path_factory) -> Path:
    return _volume(tmp_path_factory.mktemp("labels") / "src")


def _lay(source: Path, relayout: bool | None, monkeypatch):
    """The body laid out in one part (`relayout` None: paginate's default); the pages the
    engine laid out, the rules of each pass, and the pages each resumed pass laid out."""
    volume, _ = load(source)
    profile = resolve(volume.settings)
    volume.settings.trim = profile.paper
    fonts = font_config()
    css = stylesheets(volume.settings, profile, fonts)
    learned, resumed = [], []
    learn, resume = LabelFixes.learn, engine.relayout.resume

    def recording_learn(self, report, unbroken=None):
        new = learn(self, report, unbroken)
        learned.append((dict(self.orphans), dict(self.run_in)))
        return new

    def recording_resume(*args, **kwargs):
        result = resume(*args, **kwargs)
        resumed.append(None if result is None else result.laid)
        return result

    monkeypatch.setattr(LabelFixes, "learn", recording_learn)
    monkeypatch.setattr(engine.relayout, "resume", recording_resume)
    # The label passes alone: the make-up's loosening pass after them is another matter
    # (test_makeup.py).
    monkeypatch.setattr(looseness, "plan", lambda document, report: [])
    made = engine.relayout.pages_made()
    laid = paginate(render_body(volume, profile), css, STYLES_DIR.as_uri() + "/",
                    labels=profile.label_side, font_config=fonts, level=True,
                    **({} if relayout is None else {"relayout": relayout}))
    monkeypatch.undo()
    return laid, engine.relayout.pages_made() - made, learned, resumed


def _pdf_words(laid, path: Path) -> list[dict]:
    laid.document.write_pdf(path)
    return page_words(path)["pages"]


def test_a_label_pass_lays_out_from_the_first_page_it_changes(volume_dir, tmp_path,
                                                              monkeypatch):
    whole, whole_made, whole_rules, _ = _lay(volume_dir, False, monkeypatch)
    part, part_made, part_rules, resumed = _lay(volume_dir, None, monkeypatch)
    pages = len(whole.document.pages)
    # The input does what it is for: a run-in label and an orphans rule, past page 1.
    orphans, run_in = whole_rules[0]
    assert run_in and any(lines > 2 for lines in orphans.values())
    assert whole_rules == part_rules and len(whole_rules) == 2
    # Two whole layouts, against one and the pages from the fifth on (fewer than all:
    # a page further on begins as before, and the previous pages are kept from there).
    assert whole_made == 2 * pages
    assert len(resumed) == 1 and resumed[0] is not None
    assert min(resumed[0]) >= 2 and len(resumed[0]) < pages - min(resumed[0])
    assert part_made == pages + len(resumed[0]) < whole_made
    # Every word of every page where the whole layout puts it.
    assert _pdf_words(part, tmp_path / "part.pdf") == _pdf_words(whole, tmp_path / "whole.pdf")
    assert part.report.labels == whole.report.labels
    assert part.report.page_texts == whole.report.page_texts


def test_a_resumed_part_moves_to_its_place_as_a_whole_one(volume_dir, tmp_path, monkeypatch):
    """The kept pages and the new ones share one layout context: the part is moved to a
    verso at folio 8 (other side, folios, margin boxes, labels) as a whole layout is."""
    whole = _lay(volume_dir, False, monkeypatch)[0]
    part = _lay(volume_dir, None, monkeypatch)[0]
    for laid in (whole, part):
        laid.move_to(8, False, total=40)
    assert _pdf_words(part, tmp_path / "part.pdf") == _pdf_words(whole, tmp_path / "whole.pdf")
    assert part.report.labels == whole.report.labels


def test_a_volume_with_label_passes_builds_as_with_whole_layouts(tmp_path, monkeypatch):
    """Thirty pages of documents (runs placed on both sides, made up), a three-name label
    in every fourth speech: passes resumed from the first page too, the same book."""
    from edition.build import build

    source = synthetic.write_volume(tmp_path / "src", pages=30, seed=7)
    for path in sorted(source.glob("*.md")):
        text, count = path.read_text(encoding="utf-8").split("\n"), 0
        for i, line in enumerate(text):
            if line.startswith("::: speech "):
                count += 1
                if count % 4 == 1:
                    text[i] = "::: speech Zhukov, Voroshilov, Bulganin"
        path.write_text("\n".join(text), encoding="utf-8")
    resumed = []
    resume = engine.relayout.resume

    def recording_resume(*args, **kwargs):
        result = resume(*args, **kwargs)
        resumed.append(result is not None)
        return result

    monkeypatch.setattr(engine.relayout, "resume", recording_resume)
    build(source, tmp_path / "part.pdf", jobs=1, cache=False)
    assert resumed and all(resumed)
    passes = len(resumed)
    monkeypatch.setitem(paginate.__kwdefaults__, "relayout", False)
    build(source, tmp_path / "whole.pdf", jobs=1, cache=False)
    assert len(resumed) == passes  # whole layouts, every pass
    assert page_words(tmp_path / "part.pdf") == page_words(tmp_path / "whole.pdf")


def test_an_orphans_rule_no_page_break_reaches_lays_nothing_out_again(tmp_path, monkeypatch):
    """A label of five names beside a long speech in the middle of a page: its orphans
    rule is learnt, but no break falls inside the turn, so no pass is laid out; the
    pages are those of a whole layout with the rule."""
    folder = tmp_path / "src"
    folder.mkdir()
    writer = synthetic.Writer(5, note_rate=0.0)
    (folder / "edition.toml").write_text(synthetic._settings(), encoding="utf-8")
    (folder / "persons.toml").write_text(synthetic._persons_toml(), encoding="utf-8")
    lines = ["+++", 'number = "1"', 'title = "Record of a Meeting"', "+++", ""]
    lines += [writer.paragraph([], (2, 3)), ""]
    lines += ["::: speech Khrushchev, Molotov, Zhukov, Mikoyan, Suslov",
              writer.paragraph([], (4, 5)), ":::", ""]
    lines += [writer.paragraph([], (2, 3)), ""]
    (folder / "0001.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole, whole_made, whole_rules, _ = _lay(folder, False, monkeypatch)
    part, part_made, part_rules, resumed = _lay(folder, None, monkeypatch)
    pages = len(whole.document.pages)
    assert pages == 1 and whole_made == 2  # the rule learnt, and a pass laid out for it
    assert any(lines > 2 for lines in whole_rules[0][0].values())
    assert part_rules == whole_rules[:1] and part_made == 1 and not resumed
    assert _pdf_words(part, tmp_path / "part.pdf") == _pdf_words(whole, tmp_path / "whole.pdf")
    assert part.report.labels == whole.report.labels


def test_a_label_broken_across_pages_is_run_in_and_kept_with_its_speech():
    """Its first piece alone fits the room left on its page; the label does not: it is
    run in at the head of its speech, and the speech's first line is kept with it."""
    def page(index: int) -> PageInfo:
        return PageInfo(index, str(index + 1), index % 2 == 0, 432, 648,
                        Rect(72, 60, 290, 520), Rect(380, 60, 40, 520))

    pieces = [LabelPlacement("label-4", "Zhukov, Voroshilov,", 0, Rect(380, 560, 40, 18),
                             560, lines=1, turn_height=18),
              LabelPlacement("label-4", "Bulganin", 1, Rect(380, 60, 40, 9), 60, lines=1)]
    fixes = LabelFixes()
    assert fixes.learn(LayoutReport(pages=[page(0), page(1)], labels=pieces))
    assert fixes.run_in == {"label-4": "turn-4"}
    assert "#turn-4 > p:first-of-type { break-before: avoid }" in fixes.rules()
