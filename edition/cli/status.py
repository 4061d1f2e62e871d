"""Exit statuses of the `edition` command."""

from __future__ import annotations

EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
# 128 + SIGPIPE: what a shell reports for a Unix tool whose reader went away
# (`edition build -o - | head -c 100`), so that `set -o pipefail` scripts see the same.
EXIT_BROKEN_PIPE = 141
# 128 + SIGINT, as shells report a program stopped by Ctrl-C; SIGTERM says the same.
EXIT_INTERRUPTED = 130
