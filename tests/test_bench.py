"""bench/run.py at a small size: its last line is the JSON the benchmark promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("pages", "build_s", "plain_s", "ratio", "rebuild_s", "rebuild_ratio", "peak_mb",
        "displaced_notes", "notes", "jobs")


def test_bench_reports_build_rebuild_and_memory_of_a_volume_with_chapters(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--pages", "30",
         "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert all(key in summary for key in KEYS), summary
    # The human-readable lines come first.
    assert any(line.startswith("rebuild after editing") for line in lines[:-1])
    assert summary["pages"] > 30 and summary["notes"] > 50
    assert summary["displaced_notes"] == 0
    assert summary["chapters"] > 0 and summary["documents"] > 1
    # A fresh cache lays out every run; after one edit, only the edited document's run
    # (and those after it, had its page count changed) is laid out again.
    assert summary["laid"] == summary["runs"]
    assert 1 <= summary["rebuild_laid"] < summary["runs"]
    assert summary["rebuild_laid"] + summary["rebuild_reused"] == summary["runs"]
    assert summary["peak_mb"] > 0 and summary["peak_rss_mb"] >= summary["peak_mb"]
    for ratio, seconds in (("ratio", "build_s"), ("rebuild_ratio", "rebuild_s")):
        assert summary[ratio] == pytest.approx(summary[seconds] / summary["plain_s"], rel=0.01)
    # The sources and PDFs were kept where asked: the edit is in the middle document.
    assert (tmp_path / "build" / "volume.pdf").is_file()
    assert (tmp_path / "plain" / "volume.pdf").is_file()
    assert (tmp_path / "source" / f"{int(summary['edited']):04d}.md").is_file()


def test_resync_finds_where_a_part_meets_the_whole_to_the_end():
    sys.path.insert(0, str(ROOT / "bench"))
    from resync import meets

    whole = ["a", "b", "c", "d", "e"]
    assert meets(whole, ["x", "y", "d", "e"]) == (3, 2)
    assert meets(whole, ["x", "c", "y", "e"]) == (4, 3)  # to the end, not once
    assert meets(whole, ["x", "y"]) is None


def test_makeup_bench_measures_book_and_handout_of_a_generated_volume():
    """bench/makeup.py: a row per source and profile, with its figures (issue 24)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "makeup.py"), "--only", "generated",
         "--pages", "16"],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()
            if line.startswith(("generated", "all"))]
    # new-page and run-on documents, each as a book and a handout; then the totals.
    assert [(r[0], r[1] if r[0] == "all" else r[4]) for r in rows] == [
        ("generated", "book"), ("generated", "handout"), ("generated", "book"),
        ("generated", "handout"), ("all", "book"), ("all", "handout")]
    for fields in rows:
        displaced, notes = fields[-2].split("/")
        assert int(notes) > 20 and int(displaced) == 0, fields
