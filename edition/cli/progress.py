"""The one-line status on a terminal while a book is laid out."""

from __future__ import annotations

import logging
import sys


def on_terminal(quiet: bool) -> bool:
    """Whether a person watches standard error: what is drawn for people (the progress
    bar, an error's source line and caret) is left out of pipes, logs and -q."""
    return not quiet and sys.stderr.isatty()


def _progress(quiet: bool):
    """A one-line status on a terminal; silence otherwise (CI logs stay readable).

    Besides our stages it shows WeasyPrint's page count while a long part is laid out.
    """
    from contextlib import contextmanager

    @contextmanager
    def status():
        if not on_terminal(quiet):
            yield lambda _msg: None
            return
        from rich.console import Console

        with Console(stderr=True).status("edition") as live:
            stage = ["starting"]

            def say(msg: str) -> None:
                stage[0] = msg
                live.update(f"edition: {msg}…")

            pages = _PageCounter(lambda page: live.update(f"edition: {stage[0]}, page {page}…"))
            logger = logging.getLogger("weasyprint.progress")
            logger.addHandler(pages)
            logger.setLevel(logging.INFO)
            try:
                yield say
            finally:
                logger.removeHandler(pages)
    return status()


class _PageCounter(logging.Handler):
    """Turns WeasyPrint's "Step 5 - Creating layout - Page 12" records into a count."""

    def __init__(self, show):
        super().__init__()
        self.show = show

    def emit(self, record) -> None:
        message = record.getMessage()
        if "Creating layout - Page" in message:
            self.show(message.rsplit(" ", 1)[-1])
