"""One error type for everything a user can get wrong in a source or a setting."""

from __future__ import annotations

from pathlib import Path


class EditionError(Exception):
    """Bad input: carries the file and line so the CLI can print one precise line."""

    def __init__(self, message: str, file: str | Path | None = None, line: int = 0):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message

    def listed_in(self, problems: list[str]) -> bool:
        """Whether a check's `FILE:LINE: …` lines name this error's place (so it is one of
        the problems a check lists, not another)."""
        return bool(self.file and self.line) and any(
            p.startswith(f"{self.file}:{self.line}:") for p in problems)


class WorkerLost(Exception):
    """A layout worker process ended without a word (killed, out of memory): not bad
    input and not a bug of the program; the build stops and writes nothing (exit 1)."""


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset in `text`."""
    return text.count("\n", 0, offset) + 1
