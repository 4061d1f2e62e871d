"""The README's example document builds, and its two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from edition.build import typeset

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_example_document_builds_with_its_notes_and_speakers(tmp_path):
    example = re.search(r"```markdown\n(.*?)```", README, re.S).group(1)
    (tmp_path / "053-example.md").write_text(example, encoding="utf-8")
    (tmp_path / "persons.toml").write_text(
        (ROOT / "source" / "persons.toml").read_text(encoding="utf-8"), encoding="utf-8")
    book = typeset(tmp_path)
    body = book.body.laid.report
    assert [n.number for n in body.notes] == [1, 2]
    assert {label.text for label in body.labels} == {"Saburov", "Zhukov, Voroshilov, Bulganin"}
    assert not [f for f in book.findings if f.severity == "error"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]'" in README and "install -q -e '.[test]'" in ci
    assert ".venv/bin/pytest" in README and '"$venv/bin/pytest"' in ci
