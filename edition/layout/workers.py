"""Worker processes laying out runs (runs.py) side by side.

Each worker lays out the runs it is given as if each began the book and reports its page
count at once; the main process, which learns the counts in order, then tells it where
each run begins (folio and side), and the worker moves the run there and writes its
pages. A worker may lay out its next run while it waits for a place; it holds at most
`HELD` runs not yet placed, so memory stays bounded. Workers are started with "spawn":
WeasyPrint's fonts (Pango, fontconfig) are not safe to share across a fork.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from edition import output
from edition.errors import EditionError, WorkerLost
from edition.layout import LaidOut
from edition.layout.cache import RunCache
from edition.layout.runs import Layouter, RunResult, Setup, starts

# Runs a worker may hold laid out but not yet placed.
HELD = 2


# What a worker holds back while it writes a file (edition/output.py): stopped then,
# it ends once the file is whole and its temporary file gone.
HELD_WHILE_WRITING = {signal.SIGTERM}


def _serve(connection: Connection, setup: Setup, quiet: bool) -> None:
    """A worker's loop: ("lay", i, html) → ("laid", i, pages); ("place", i, folio,
    right) → ("done", i, RunResult); None → exit."""
    _quiet_signals()
    if quiet:
        from edition.build import quiet_weasyprint
        quiet_weasyprint()
    layouter = Layouter(setup)
    held: dict[int, LaidOut] = {}
    while (message := _receive(connection)) is not None:
        connection.send(answer(layouter, held, message))


def answer(layouter: Layouter, held: dict[int, LaidOut], message: tuple) -> tuple:
    """A worker's answer to one message (here or on a cluster: cluster.py); `held` keeps
    the runs laid out and not yet placed."""
    index = message[1]
    try:
        if message[0] == "lay":
            held[index] = layouter.lay(message[2])
            return ("laid", index, len(held[index].document.pages))
        _, _, folio, right = message
        return ("done", index, layouter.place(held.pop(index), folio, right, write=True))
    except EditionError as exc:
        return ("error", index, (exc.message, exc.file, exc.line))
    except Exception as exc:  # noqa: BLE001 — carried to the main process whole
        return ("crash", index, repr(exc))


def _quiet_signals() -> None:
    """Ctrl-C reaches the whole process group, workers too: they leave it to the main
    process, which stops them with SIGTERM; they end on it at once and without a word
    (no traceback, no half-written file: see HELD_WHILE_WRITING)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_quietly)
    output.HELD_WHILE_WRITING.update(HELD_WHILE_WRITING)


def _exit_quietly(signum: int, _frame) -> None:
    # Not SystemExit: raised inside a library it may be wrapped in another exception
    # and printed; there is nothing in a worker to clean up that a write did not.
    os._exit(128 + signum)


def _receive(connection: Connection):
    """The next message; None (exit) when the main process is gone."""
    try:
        return connection.recv()
    except (EOFError, OSError):
        return None


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """SIGINT ignored while a worker is started: an ignored signal stays ignored in the
    new program, and Python leaves it so, so a Ctrl-C while the worker imports (a
    second or two) cannot print a traceback there. (A Ctrl-C in these few milliseconds
    is lost for this process too; only the main thread may change a handler.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _main_not_imported() -> Iterator[None]:
    """A spawned worker runs the importing program's main module again (as __mp_main__)
    unless it is hidden: a script without `if __name__ == "__main__"` would build
    again in every worker. The workers need nothing of it."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class Workers:
    """`jobs` worker processes for one setup; use as a context manager."""

    def __init__(self, jobs: int, setup: Setup, quiet: bool = True):
        context = multiprocessing.get_context("spawn")
        self.connections: list[Connection] = []
        self.processes = []
        for _ in range(jobs):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, setup, quiet),
                                      daemon=True)
            with _main_not_imported(), _interrupts_ignored():
                process.start()
            theirs.close()
            self.connections.append(mine)
            self.processes.append(process)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        """Done: each worker is told to end. Interrupted or failed: each is stopped at
        once (SIGTERM, which it ends on quietly), not waited for."""
        for connection, process in zip(self.connections, self.processes, strict=True):
            if exc_type is None:
                try:
                    connection.send(None)
                except OSError:
                    pass
            elif process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

    def _send(self, connection: Connection, message: tuple) -> None:
        try:
            connection.send(message)
        except OSError:  # BrokenPipeError, ConnectionResetError: the worker is gone
            raise self._lost(connection) from None

    def _recv(self, connection: Connection) -> tuple:
        try:
            return connection.recv()
        except (EOFError, OSError):
            raise self._lost(connection) from None

    def _replies(self, waiting: list) -> Iterator[tuple[object, tuple]]:
        """(worker, reply) for each of the `waiting` workers that has answered, once at
        least one has."""
        for connection in wait(waiting):
            yield connection, self._recv(connection)

    def _lost(self, connection: Connection) -> WorkerLost:
        """What to say of the worker at the other end of `connection`, which is gone."""
        process = self.processes[self.connections.index(connection)]
        process.join(timeout=1)
        code = process.exitcode
        how = (f"killed by signal {-code}" if code is not None and code < 0
               else f"exit status {code}")
        return WorkerLost(f"a layout worker process ended unexpectedly ({how})")

    def run(self, htmls: dict[int, str], counts: list[int | None],
            where: Callable[[list[int | None]], list[tuple[int, bool] | None]],
            done: Callable[[int, RunResult], None]) -> None:
        """Lay out the runs `htmls` (index → HTML) and place each once `where` (given
        the page counts known so far) knows its start; `done` receives each result.
        `counts` holds the known page counts (of runs taken from a cache) and is filled."""
        queue = sorted(htmls)
        owner: dict[int, Connection] = {}
        unplaced: dict[Connection, set[int]] = {c: set() for c in self.connections}
        placing: set[int] = set()
        busy: dict[Connection, int] = {}
        remaining = set(htmls)
        while remaining:
            for connection in self.connections:
                if connection not in busy and queue and len(unplaced[connection]) < HELD:
                    index = queue.pop(0)
                    self._send(connection, ("lay", index, htmls[index]))
                    owner[index] = connection
                    busy[connection] = index
            for index, start in enumerate(where(counts)):
                if start is not None and index in owner and index not in placing \
                        and counts[index] is not None:
                    self._send(owner[index], ("place", index, *start))
                    placing.add(index)
            waiting = [c for c in self.connections if c in busy or unplaced[c] & placing]
            for connection, (kind, index, value) in self._replies(waiting):
                if kind == "laid":
                    counts[index] = value
                    unplaced[connection].add(index)
                    busy.pop(connection, None)
                elif kind == "done":
                    unplaced[connection].discard(index)
                    remaining.discard(index)
                    done(index, value)
                elif kind == "error":
                    raise EditionError(*value)
                else:
                    raise RuntimeError(f"a layout worker failed: {value}")


# What a build's progress hears of its runs: (done, in all, pages so far).
RunProgress = Callable[[int, int, int], None]


@dataclass
class RunStats:
    """What a build did with its runs: for the user and the benchmark."""

    jobs: int = 1  # worker processes used (1: laid out in this process)
    total: int = 0  # runs in the body
    laid: list[str] = field(default_factory=list)  # the runs laid out this time
    reused: int = 0  # runs taken from the cache
    scheduler: str = ""  # the Dask scheduler whose workers laid the runs out, if any


def lay_runs(setup: Setup, htmls: list[str], names: list[str], *, jobs: int,
             cache: RunCache | None, write: bool, recto: bool,
             progress: RunProgress | None = None,
             scheduler: str = "") -> tuple[list[RunResult], RunStats]:
    """Every run laid out and placed, in order; from the cache where it has them.

    `write`: each run's pages are written as a PDF (to be joined by pdf/merge.py); else
    they are kept (one WeasyPrint document for a tagged PDF) and nothing is cached.
    `progress` hears (runs done, runs in all, pages so far) as each run comes in.
    `scheduler`: a Dask scheduler's address; the runs are laid out by its workers
    (cluster.py), at most `jobs` of them, instead of processes here (written runs only).
    """
    cache = cache if write else None
    stats = RunStats(total=len(htmls))
    results: list[RunResult | None] = [None] * len(htmls)
    counts = [cache.count(html) if cache else None for html in htmls]

    def tell() -> None:
        if progress is not None:
            finished = [result for result in results if result is not None]
            progress(len(finished), len(htmls), sum(result.pages for result in finished))

    def done(index: int, result: RunResult) -> None:
        results[index] = result
        tell()
        stats.laid.append(names[index])
        if cache:
            folio, right = starts(counts, recto)[index]
            cache.put(htmls[index], folio, right, result)

    tell()
    # Two rounds: the runs whose text changed (no count known) and those whose place is
    # known but not cached; then the runs whose place the first round decided.
    for _ in range(2):
        places = starts(counts, recto)
        todo: dict[int, str] = {}
        for index, html in enumerate(htmls):
            if results[index] is not None:
                continue
            place = places[index]
            if place is not None and counts[index] is not None and cache:
                if (hit := cache.get(html, *place)) is not None:
                    results[index] = hit
                    stats.reused += 1
                    tell()
                    continue
            if counts[index] is None or place is not None:
                todo[index] = html
        if not todo:
            continue
        workers = min(jobs, len(todo)) if write else 1
        stats.jobs = max(stats.jobs, workers)
        if scheduler and write:
            stats.scheduler = scheduler
            with _cluster_workers(scheduler, workers, setup) as pool:
                pool.run(todo, counts, lambda known: starts(known, recto), done)
        elif workers > 1:
            with Workers(workers, setup) as pool:
                pool.run(todo, counts, lambda known: starts(known, recto), done)
        else:
            _lay_here(setup, todo, counts, recto, write, done)
    assert all(result is not None for result in results)
    stats.laid.sort(key=names.index)  # in the book's order, not the order they finished
    return results, stats


def _cluster_workers(scheduler: str, jobs: int, setup: Setup) -> Workers:
    """Actors on the cluster's workers (cluster.py), dated as this build's fonts are."""
    from edition.layout.cluster import ClusterWorkers

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    return ClusterWorkers(scheduler, jobs, setup, epoch)


def _lay_here(setup: Setup, todo: dict[int, str], counts: list[int | None], recto: bool,
              write: bool, done: Callable[[int, RunResult], None]) -> None:
    """The runs laid out one after another in this process."""
    layouter = Layouter(setup)
    for index in sorted(todo):
        laid = layouter.lay(todo[index])
        counts[index] = len(laid.document.pages)
        place = starts(counts, recto)[index]
        assert place is not None  # every run before it is known
        done(index, layouter.place(laid, *place, write=write))
