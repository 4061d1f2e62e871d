"""The reference pages cannot drift: docs/settings.md is what the code generates and
lists every setting with its default; docs/api.md's example runs."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from edition.settings import MAPPINGS, SCHEMA, Settings
from edition.settings_reference import MEANINGS, reference_markdown, toml_value

ROOT = Path(__file__).resolve().parents[1]


def test_settings_page_is_generated_from_the_code():
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == reference_markdown(), \
        "regenerate: python -m edition.settings_reference > docs/settings.md"


def test_every_setting_is_listed_with_its_default():
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    defaults = Settings()
    attrs = {attr for keys in SCHEMA.values() for attr in keys.values()}
    attrs |= set(MAPPINGS.values())  # tables of text, e.g. [running_heads]
    for table in MAPPINGS:
        assert f"## `[{table}]`" in page
    # Every field a user can set (all but where the file was read from) has a key.
    # `source` and `given` say where the settings came from; they are no settings.
    assert attrs == {f.name for f in dataclasses.fields(Settings)} - {"source", "given"}
    assert set(MEANINGS) == attrs
    for table, keys in SCHEMA.items():
        section = page.split(f"## `[{table}]`" if table else "## Top level")[1].split("\n## ")[0]
        for key, attr in keys.items():
            row = f"| `{key}` | `{toml_value(getattr(defaults, attr))}` |"
            assert row in section, row


def test_api_example_runs(monkeypatch, capsys):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(ROOT)
    exec(compile(example, "docs/api.md", "exec"), {})
    out = capsys.readouterr().out
    assert re.search(r"^\d+ pages, profile book$", out, re.M)
    assert "handout: " in out and "first note 1" in out
