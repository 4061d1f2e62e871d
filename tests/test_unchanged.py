"""The restructured pipeline prints the sample exactly as before: every word of every
page at the same place, in the same face and size (tests/snapshots, see tests/pages.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edition.build import build
from tests.pages import page_words

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = ROOT / "tests" / "snapshots"


def _differences(expected: dict, actual: dict) -> list[str]:
    found = []
    if len(expected["pages"]) != len(actual["pages"]):
        found.append(f"{len(actual['pages'])} pages, expected {len(expected['pages'])}")
    for k, (want, got) in enumerate(zip(expected["pages"], actual["pages"], strict=False)):
        for key in ("label", "size"):
            if want[key] != got[key]:
                found.append(f"page {k + 1}: {key} {got[key]}, expected {want[key]}")
        missing = [w for w in want["words"] if w not in got["words"]]
        extra = [w for w in got["words"] if w not in want["words"]]
        if missing or extra:
            found.append(f"page {k + 1} ({want['label']}): missing {missing[:3]}, "
                         f"unexpected {extra[:3]}")
    return found


@pytest.mark.parametrize("snapshot, kwargs", [
    ("sample-book.json", {}),
    ("sample-handout-53.json", {"profile": "handout", "documents": ["53"]}),
])
def test_sample_pages_unchanged(tmp_path, snapshot, kwargs):
    out = tmp_path / "sample.pdf"
    build(ROOT / "source", out, **kwargs)
    expected = json.loads((SNAPSHOTS / snapshot).read_text())
    assert _differences(expected, page_words(out)) == []


def test_the_comparison_sees_a_moved_word():
    page = {"label": "1", "size": [432.0, 648.0], "words": [["Zhukov", 72.0, 90.0, 10.0, "F"]]}
    moved = {"label": "1", "size": [432.0, 648.0], "words": [["Zhukov", 72.0, 91.0, 10.0, "F"]]}
    assert _differences({"pages": [page]}, {"pages": [moved]})
    assert _differences({"pages": [page]}, {"pages": [page]}) == []
