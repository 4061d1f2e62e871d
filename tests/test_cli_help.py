"""The documentation from the program itself (issue 28, point 6): `edition help TOPIC`
without the repository, --help ending with where the documentation is, shell completion,
and a new edition pointing at no docs/ file a wheel's user lacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edition import cli
from edition.cli import main
from edition.settings_reference import reference_markdown

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(cli._parser()._subparsers._group_actions[0].choices)


def test_help_settings_prints_the_reference_generated_from_the_schema(capsys):
    assert main(["help", "settings"]) == 0
    out = capsys.readouterr().out
    assert out == reference_markdown() == (ROOT / "docs" / "settings.md").read_text()
    assert main(["help"]) == 0
    # Every user's page in docs/ (a page added there is a topic), none of the
    # developers' (the pipeline, the API).
    assert capsys.readouterr().out.split("one of: ")[1].rstrip().split(", ") == \
        ["settings", "cluster", "facing", "profiles", "source-format"]


def test_help_pages_ship_inside_the_package(tmp_path):
    """The wheel's layout (docs/ as edition/docs), with no repository beside it."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "edition", site / "edition",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", site / "edition" / "docs")
    shutil.copytree(ROOT / "styles", site / "edition" / "styles")
    done = subprocess.run([sys.executable, "-m", "edition", "help", "source-format"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ROOT / "docs" / "source-format.md").read_text()
    assert "### Critical apparatus" in done.stdout


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_help_ends_with_where_the_documentation_is(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"] if command else ["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("the README and CHANGELOG.md are in the edition repository")
    assert "edition help settings        every key of edition.toml" in out


def test_completion_scripts_know_every_command_and_option(tmp_path, capsys):
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    for word in ("build", "handout", "preview", "completion", "--defaults", "--strict",
                 "--pdf-variant", "pdf/a-3b", "--metadata"):
        assert word in script
    (tmp_path / "edition.bash").write_text(script)
    checked = subprocess.run(["bash", "-n", str(tmp_path / "edition.bash")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert main(["completion", "zsh"]) == 0
    zsh = capsys.readouterr().out
    assert zsh.startswith("#compdef edition") and "--defaults" in zsh
    with pytest.raises(SystemExit):
        main(["completion", "fish"])  # shtab writes none: refused, not an empty script


@pytest.mark.parametrize("critical", [False, True])
def test_a_new_edition_points_at_no_file_of_the_repository(critical, tmp_path, capsys):
    folder = tmp_path / "ed"
    assert main(["new", str(folder), "-q", *(["--critical"] if critical else [])]) == 0
    for path in folder.iterdir():
        assert "docs/" not in path.read_text(), path.name
    assert "`edition help settings`" in (folder / "edition.toml").read_text()
