"""The `edition` command: build, watch, handout, check, index, new, preview.

Exit status: 0 success; 1 findings (a build's preflight under --strict, `check`'s
problems); 2 bad input or usage, as one line `edition: FILE:LINE: message`; 3 an internal
error (a bug), as one line that says so, with the traceback only under -v; 141, silently,
when the reader of standard output went away (as Unix tools end). No traceback reaches
users for any input.

A module per concern: `arguments` (the parser), `discovery` (which edition, default
names), `outputs` (where a command may write), `summaries` and `progress` (what it says),
`entry` (`main` and exit statuses), and one module per command (`build` also holds
`watch` and `handout`, which lay out books the same way).
"""

from __future__ import annotations

from edition.cli.arguments import _parser
from edition.cli.discovery import (
    DEFAULT_SOURCE,
    SETTINGS_FILE,
    default_output,
    find_source,
    output_folder,
    profile_name,
)
from edition.cli.entry import main
from edition.cli.outputs import STDOUT, check_output
from edition.cli.status import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_INTERRUPTED
from edition.cli.summaries import plural

__all__ = [
    "DEFAULT_SOURCE", "EXIT_ERROR", "EXIT_FINDINGS", "EXIT_INTERNAL",
    "EXIT_INTERRUPTED", "SETTINGS_FILE", "STDOUT", "_parser", "check_output",
    "default_output", "find_source", "main", "output_folder", "plural", "profile_name",
]
