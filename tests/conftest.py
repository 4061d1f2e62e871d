"""Fixtures shared by the command line's tests: a new edition, copied for each test, and
standard error seen as a terminal."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from edition.cli import main


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory) -> Path:
    """`edition new` once per module (a module may override this fixture)."""
    folder = tmp_path_factory.mktemp("new") / "ed"
    assert main(["new", str(folder), "-q"]) == 0
    return folder


@pytest.fixture
def edition(new_edition, tmp_path) -> Path:
    """The new edition, a copy of its own for the test to change."""
    folder = tmp_path / "ed"
    shutil.copytree(new_edition, folder)
    return folder


@pytest.fixture
def as_terminal(monkeypatch) -> Callable[[], None]:
    """Call it in the test itself: standard error (capsys's stream of the test's call,
    not of its set-up) then says it is a terminal."""
    return lambda: monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
