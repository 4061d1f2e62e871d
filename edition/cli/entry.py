"""`main`: the command line parsed and run, every exception turned into an exit status
and one line."""

from __future__ import annotations

import errno
import os
import signal
import sys

from edition.cli.arguments import _parser, parse
from edition.cli.progress import on_terminal
from edition.cli.status import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
)
from edition.diagnostics import format_error
from edition.errors import EditionError, WorkerLost

# The machine's conditions, not bugs: a full disk or quota, a read-only file system, no
# permission. Exit 2 with one line, like bad input.
MACHINE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES,
                            errno.EPERM})


ISSUE_TRACKER = "the edition issue tracker"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parse(parser, argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_ERROR
    _raise_on_termination()
    _plain_warnings()
    try:
        code = args.run(args)
        sys.stdout.flush()  # here, where a reader gone away is caught, not at exit
        return code
    except BrokenPipeError as exc:
        if not _stdout_gone():
            return _internal_error(exc, getattr(args, "verbose", False))
        return _quiet_broken_pipe()
    except EditionError as exc:
        # One line whatever the message carries (libxml2 quotes source lines, for one);
        # on a terminal the source line and a caret follow, as a compiler shows them.
        print(format_error(exc, on_terminal(getattr(args, "quiet", False))), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("edition: interrupted; no output was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except WorkerLost as exc:
        print(f"edition: {exc}; no output was written", file=sys.stderr)
        return EXIT_FINDINGS
    except OSError as exc:
        if exc.errno not in MACHINE_ERRORS:
            return _internal_error(exc, getattr(args, "verbose", False))
        # A full disk or a read-only place met where no writer said so itself.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"edition: {where}{exc.strerror}; no output was written", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001  (anything else is a bug, said in one line)
        return _internal_error(exc, getattr(args, "verbose", False))


def _stdout_gone() -> bool:
    """Whether standard output is a pipe nobody reads any more (poll says POLLERR on a
    pipe's writing end once its reader is closed): the broken pipe was ours to stdout,
    not one between the build's own processes."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _fd, events in poller.poll(0))
    except (OSError, ValueError):  # no file descriptor (a test's capture): not a pipe
        return False


def _quiet_broken_pipe() -> int:
    """End as a Unix tool ends when its reader goes away: no message, exit 141. What is
    left in Python's buffer goes to /dev/null, so the exit's flush finds no pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


def _internal_error(exc: BaseException, verbose: bool) -> int:
    """One line for an exception no input should cause; the traceback only under -v."""
    if verbose:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    what = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    print(f"edition: internal error: {what} — this is a bug, please report it at "
          f"{ISSUE_TRACKER} (run with -v for the traceback)", file=sys.stderr)
    return EXIT_INTERNAL


def _plain_warnings() -> None:
    """A UserWarning as one line, without the Python source line shown by default.

    The readers' own notices travel on the volume (`_print_notices`), not as warnings."""
    import warnings

    def show(message, category, _filename, _lineno, file=None, _line=None) -> None:
        # Our readers warn with UserWarning; libraries' deprecation notices are not news
        # for the user of a finished program.
        if issubclass(category, UserWarning):
            print(f"edition: warning: {message}", file=file or sys.stderr)
    warnings.showwarning = show


def _raise_on_termination() -> None:
    """SIGTERM unwinds like Ctrl-C, so atomic writes clean up their temporary files."""
    def handler(_signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)
