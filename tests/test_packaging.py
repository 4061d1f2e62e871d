"""What a wheel carries: the package list of pyproject.toml is the tree's, and styles
are found inside an installed package (importlib.resources), not beside it.

CI (.ci/run) also builds the wheel, installs it into a clean environment and builds
the sample from another folder."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]


def test_package_list_matches_the_source_tree():
    listed = set(CONFIG["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "edition").rglob("*.py") if "__pycache__" not in p.parts}
    assert found <= listed, found - listed
    assert CONFIG["setuptools"]["package-dir"]["edition.styles"] == "styles"


def test_styles_fonts_and_licences_are_package_data():
    data = CONFIG["setuptools"]["package-data"]
    assert "*.css" in data["edition.styles"]
    fonts = data["edition.styles.fonts"]
    for name in ("OFL.txt", "COPYRIGHT.debian", "README.md", "*.otf"):
        assert name in fonts
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_an_installed_layout_finds_its_styles_inside_the_package(tmp_path):
    """The wheel's layout (edition/styles inside the package), without the repository's
    styles/ beside it: the styles are found, and a page is built."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "edition", site / "edition",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "styles", site / "edition" / "styles")
    script = (
        "import edition.resources as r, edition.render as render, pathlib\n"
        "print(r.styles_dir()); print(render.STYLES_DIR)\n"
        "from edition.build import typeset\n"
        f"book = typeset(pathlib.Path({str(ROOT / 'source')!r}), documents=['53'],"
        " profile='handout')\n"
        "print(book.page_count)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env={
        "PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, result.stderr
    styles, render_styles, pages = result.stdout.split()
    assert Path(styles) == (site / "edition" / "styles").resolve() == Path(render_styles)
    assert int(pages) > 0


def test_python_dash_m_edition_is_the_command(tmp_path):
    """`python -m edition` for an interpreter without the script on its PATH."""
    done = subprocess.run([sys.executable, "-m", "edition", "--version"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("edition ")
    done = subprocess.run([sys.executable, "-m", "edition", "nonsense"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_the_distribution_has_a_name_of_its_own_and_ci_finds_its_wheel():
    """The package index's `edition` is another project: `pip install edition` must not be
    what the README says. The import package and the command stay `edition`, and the wheel
    that .ci/run installs is named after the distribution (dashes become underscores)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "edition-typesetter"
    assert project["scripts"]["edition"] == "edition.cli:main"
    wheel = project["name"].replace("-", "_") + "-" + project["version"] + "-py3-none-any.whl"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pattern = re.search(r'"\$work"/wheels/(\S+\.whl)', ci).group(1)
    assert fnmatch.fnmatch(wheel, pattern), (wheel, pattern)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pipx install edition-typesetter" in readme
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
