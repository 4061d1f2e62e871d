"""What a person at a terminal sees while a book is laid out: a progress bar of the
body's runs (laid out or taken from the cache) of the total, the pages so far, the time
elapsed and the time left, under the stage being worked on. Nothing in pipes, logs and
with -q (CI logs stay readable)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def on_terminal(quiet: bool) -> bool:
    """Whether a person watches standard error: what is drawn for people (the progress
    bar, an error's source line and caret) is left out of pipes, logs and -q."""
    return not quiet and sys.stderr.isatty()


class Bar:
    """The build's progress as `typeset` reports it: called with each stage ("reading
    sources"), and `runs(done, total, pages)` as the body's runs come in. Silent until
    `show` gives it a rich Progress."""

    def __init__(self) -> None:
        self.progress = None
        self.task = None
        self.stage = "starting"

    def show(self, progress) -> None:
        self.progress = progress
        self.task = progress.add_task(self._describe(), total=None, runs="", pages="")

    def __call__(self, stage: str) -> None:
        self.stage = stage
        self._update(description=self._describe(), refresh=True)

    def runs(self, done: int, total: int, pages: int) -> None:
        """`done` of `total` runs laid out (or taken from the cache), `pages` pages so far."""
        # Drawn at once: a run from the cache may come and go between two refreshes.
        self._update(completed=done, total=total, runs=f"{done}/{total} runs",
                     pages=f"{pages} pages", refresh=True)

    def page(self, number: str) -> None:
        """WeasyPrint's page count while this process lays out a long part."""
        self._update(description=self._describe(f", page {number}"))

    def _describe(self, more: str = "") -> str:
        return f"edition: {self.stage}{more}"

    def _update(self, **fields) -> None:
        if self.progress is not None:
            self.progress.update(self.task, **fields)


@contextmanager
def _progress(quiet: bool, console=None) -> Iterator[Bar]:
    """A `Bar` drawn on standard error when a person watches it (or on `console`, which
    tests give), erased when the work is done; a silent one otherwise."""
    bar = Bar()
    if console is None and not on_terminal(quiet):
        yield bar
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.fields[runs]}"), TextColumn("{task.fields[pages]}"),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console or Console(stderr=True),
                  transient=True) as progress:
        bar.show(progress)
        pages = _PageCounter(bar.page)
        logger = logging.getLogger("weasyprint.progress")
        logger.addHandler(pages)
        logger.setLevel(logging.INFO)
        try:
            yield bar
        finally:
            logger.removeHandler(pages)


class _PageCounter(logging.Handler):
    """Turns WeasyPrint's "Step 5 - Creating layout - Page 12" records into a count."""

    def __init__(self, show):
        super().__init__()
        self.show = show

    def emit(self, record) -> None:
        message = record.getMessage()
        if "Creating layout - Page" in message:
            self.show(message.rsplit(" ", 1)[-1])
