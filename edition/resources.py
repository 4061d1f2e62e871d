"""Where the package's own files are: the stylesheets, fonts and templates.

In the repository the look lives in `styles/` at the top, beside `edition/` (the
layout of the project); a wheel carries the same folder inside the package as
`edition/styles` (pyproject.toml maps it at build time). `importlib.resources` finds
the installed copy; a checkout, an editable install or `PYTHONPATH=.` falls back to the
repository's folder. WeasyPrint needs real paths (fonts and CSS are read by file URL
and checked by the url_fetcher), so a zipped package is extracted once for the process.
"""

from __future__ import annotations

import atexit
import contextlib
from functools import cache
from importlib import resources
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPOSITORY_STYLES = _PACKAGE_DIR.parent / "styles"
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@cache
def styles_dir() -> Path:
    """The folder holding base.css, the profiles' CSS and fonts/ (a real directory)."""
    return _shipped("styles", "base.css", _REPOSITORY_STYLES)


def _shipped(name: str, marker: str, repository: Path) -> Path:
    """The package's folder `name` (a real directory) when it holds `marker`, as in a
    wheel; else the repository's folder beside the package."""
    installed = resources.files("edition") / name
    if installed.is_dir() and (installed / marker).is_file():
        if isinstance(installed, Path):
            return installed.resolve()
        return Path(_extracted.enter_context(resources.as_file(installed))).resolve()
    return repository.resolve()


def templates_dir() -> Path:
    """The Jinja2 templates, always inside the package."""
    return _PACKAGE_DIR / "templates"


_REPOSITORY_DOCS = _PACKAGE_DIR.parent / "docs"


@cache
def docs_dir() -> Path:
    """The documentation's pages (docs/*.md): inside an installed package as
    `edition/docs`, as the styles are; a checkout's docs/ otherwise."""
    return _shipped("docs", "source-format.md", _REPOSITORY_DOCS)


# Pages for the program's developers, not its users: not topics of `edition help`.
_DEVELOPER_PAGES = ("api", "pipeline", "settings")


def doc_topics() -> list[str]:
    """The pages `edition help` shows (settings is generated from the code, not read)."""
    return sorted(p.stem for p in docs_dir().glob("*.md") if p.stem not in _DEVELOPER_PAGES)


def doc_text(topic: str) -> str:
    return (docs_dir() / f"{topic}.md").read_text(encoding="utf-8")
