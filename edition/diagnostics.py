"""An error as a compiler shows it: `edition: FILE:LINE:COL: message`, then the source
line and a caret under the column (gcc's and rustc's layout). The one place that formats
an `EditionError` for people; the first line alone is what -q, pipes and logs get.

    edition: ed/edition.toml:3:9: malformed TOML: Invalid value
        3 | title = Untitled
          |         ^
"""

from __future__ import annotations

from pathlib import Path

from edition import safeio
from edition.errors import EditionError

# Reading the line back: no more than the largest source a reader accepts (TEI's 30 MB).
MAX_READ = 32 << 20
# At most this many characters of the source line are shown, around the column.
WIDTH = 100


def format_error(exc: EditionError, context: bool = False) -> str:
    """`edition: FILE:LINE:COL: message` on one line; with `context`, the source line
    and a caret under the column follow when the file can be read back."""
    head = "edition: " + " ".join(str(exc).split())
    shown = source_context(exc.file, exc.line, exc.column) if context else []
    return "\n".join([head, *shown])


def source_context(file: str | None, line: int, column: int = 0) -> list[str]:
    """The line `line` of `file` under a gutter with its number, and a caret under
    `column` (1-based) when known; nothing when the file cannot be read back (an option
    such as `-M page.trim` is no file)."""
    text = _line_text(file, line)
    if text is None or not text.strip():
        return []
    text, column = _window(text.rstrip("\r\n"), column)
    gutter = f"{line:>5} | "
    shown = [gutter + text]
    if column:
        # Tabs before the column stay tabs, so the caret lines up whatever their width.
        lead = "".join(c if c == "\t" else " " for c in text[:column - 1])
        shown.append(" " * (len(gutter) - 2) + "| " + lead + "^")
    return shown


def _line_text(file: str | None, line: int) -> str | None:
    if not file or line < 1:
        return None
    try:
        data = safeio.read_capped(Path(file), MAX_READ)
    except (EditionError, OSError):
        return None  # not a file, gone, a link out, too large: the one line says it all
    lines = data.split(b"\n")
    if line > len(lines):
        return None
    # The line that does not decode (the error may be that) is shown with U+FFFD for it.
    return lines[line - 1].decode("utf-8", "replace").removeprefix("\ufeff")


def _window(text: str, column: int) -> tuple[str, int]:
    """At most WIDTH characters of a long line (a TEI file may be one line), around the
    column, with "…" where it was cut; the column within what is shown."""
    if len(text) <= WIDTH:
        return text, column
    start = max(0, min(column - WIDTH // 2, len(text) - WIDTH)) if column else 0
    shown = text[start:start + WIDTH]
    prefix = "…" if start else ""
    suffix = "…" if start + WIDTH < len(text) else ""
    return prefix + shown + suffix, (column - start + len(prefix)) if column else 0
