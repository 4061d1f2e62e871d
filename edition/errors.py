"""One error type for everything a user can get wrong in a source or a setting."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path


class EditionError(Exception):
    """Bad input: carries the file, line and (when the parser knows it) the column, 1-based,
    so the CLI can print one precise line (edition/diagnostics.py adds the source line)."""

    def __init__(self, message: str, file: str | Path | None = None, line: int = 0,
                 column: int = 0):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column if line else 0

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line:
            where = f"{where}:{self.line}" + (f":{self.column}" if self.column else "")
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


# tomllib's place of an error, at the end of its message (Python 3.11 to 3.13 keep it
# only there): "Invalid value (at line 3, column 9)", or "(at end of document)".
_TOML_PLACE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def toml_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[str, int, int]:
    """(message, line, column) of a TOML error in `text`: the message without its place;
    an unclosed value "at end of document" stands at the last line that has text."""
    message = str(exc)
    match = _TOML_PLACE.search(message)
    line = int(match.group(1)) if match and match.group(1) else 0
    column = int(match.group(2)) if match and match.group(2) else 0
    if match and not line:
        line = len(text.rstrip().splitlines()) or 1
    return (message[:match.start()] if match else message), line, column
