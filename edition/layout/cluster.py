"""Runs laid out on a Dask distributed cluster instead of worker processes here.

The runs of a volume are independent layouts (runs.py); the protocol that lays them out
and places them is the local workers' (workers.py): a worker lays a run out and reports
its page count, holds it, and writes its pages once told where it begins. On a cluster
each worker is a Dask *actor* (a `RunWorker` living in one Dask worker process, whose
methods run there one at a time, on the worker's single actor thread: WeasyPrint is
never run by two threads of one process at once), so a run laid out stays where it was
laid out until it is placed; only its page count and its written PDF travel.

Nothing is assumed of the workers' disks: what a run reads travels with the actor's
arguments. The HTML of each run carries the sources' text; the package's styles and
bundled fonts travel as bytes (`_styles`) and are written into a temporary folder on the
worker, which its fetcher serves instead of the package's; the edition's own files a
run reads (the settings file, for messages, and the printer's ICC profile written into
each part) travel likewise (`_edition_files`). The font files a run's PDF names (its
font streams are stubs, pdf/fonts.py) come back with its PDF, each once per worker, and
are kept in the build's font store here, where the join reads them.

Dask is an optional extra (`pip install edition-typesetter[cluster]`): imported here
only, when a build names a scheduler.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from edition import safeio
from edition.errors import EditionError, WorkerLost
from edition.layout import LaidOut
from edition.layout.runs import Layouter, Setup
from edition.layout.store import Folder
from edition.layout.workers import Workers, answer
from edition.pdf.fonts import FontStore

INSTALL = "pip install edition-typesetter[cluster]"
# How long to wait for the scheduler to answer, and for a worker to join it.
CONNECT_S = 10
# How often the main process looks whether an actor has answered.
POLL_S = 0.01
# The largest edition file a run may read (the ICC profile: profiles.py's limit is lower).
EDITION_FILE_LIMIT = 64 << 20


def distributed():
    """The `distributed` module; an EditionError saying how to install it if absent."""
    try:
        import distributed as module
    except ImportError:
        raise EditionError("a build on a Dask cluster (--scheduler, [build] scheduler) "
                           f"needs Dask: {INSTALL}") from None
    return module


# Clients by scheduler address, with how many `connected` blocks use each.
_CLIENTS: dict[str, list] = {}


@contextmanager
def connected(address: str) -> Iterator[None]:
    """A client of the scheduler at `address` while the block runs (`client`): one for
    all the volumes of a series, closed when the outermost block ends; an EditionError
    when the scheduler cannot be reached."""
    if address not in _CLIENTS:
        module = distributed()
        try:
            # The process's default client: Dask's actor handles reach their workers
            # through that one.
            _CLIENTS[address] = [module.Client(address, timeout=CONNECT_S), 0]
        except (OSError, TimeoutError, ValueError) as exc:
            raise EditionError(f"cannot reach the Dask scheduler at {address}: {exc}"
                               ) from None
    _CLIENTS[address][1] += 1
    try:
        yield
    finally:
        _CLIENTS[address][1] -= 1
        if not _CLIENTS[address][1]:
            _CLIENTS.pop(address)[0].close()


def client(address: str):
    """The client of the `connected` block for `address`."""
    return _CLIENTS[address][0]


def worker_count(address: str) -> int:
    """The workers the scheduler at `address` has (waiting a little for a first one)."""
    dask = client(address)
    try:
        dask.wait_for_workers(1, timeout=CONNECT_S)
    except TimeoutError:
        raise EditionError(f"the Dask scheduler at {address} has no workers") from None
    return len(_workers(dask))


def _workers(dask) -> list[str]:
    """The addresses of every worker of the cluster (Dask lists five unless told)."""
    try:
        info = dask.scheduler_info(n_workers=-1)
    except TypeError:  # before Dask 2025: every worker, and no such argument
        info = dask.scheduler_info()
    return list(info["workers"])


class RunWorker:
    """A worker laying out runs on a Dask worker (an actor): the protocol of workers.py,
    from files that came as bytes."""

    def __init__(self, setup: Setup, styles: dict[str, bytes], edition: dict[str, bytes],
                 epoch: int, quiet: bool):
        if quiet:
            from edition.build import quiet_weasyprint
            quiet_weasyprint()
        self.home = Path(tempfile.mkdtemp(prefix="edition-worker-"))
        self.main_folder = setup.folder
        self.epoch = epoch
        local = self.home / "styles"
        _unpack(styles, local)
        folder = self.home / "edition"
        _unpack(edition, folder)
        settings = setup.settings
        if settings.source is not None:
            settings = replace(settings, source=folder / _inside(settings.source,
                                                                 setup.folder))
        self.setup = replace(setup, settings=settings, folder=folder, styles=local,
                             base_url=local.as_uri() + "/",
                             fonts=Folder(self.home / "fonts"))
        self.layouter = Layouter(self.setup)
        self.held: dict[int, LaidOut] = {}
        self.sent: set[str] = set()  # font files already sent to the main process

    def serve(self, message: tuple) -> tuple:
        """workers.answer, with the font files a placed run names that were not yet
        sent, and the edition's paths in messages made the main process's again."""
        from edition.pdf.finish import fonts_dated

        with fonts_dated(datetime.fromtimestamp(self.epoch, UTC)):
            reply = answer(self.layouter, self.held, message)
        kind, index, value = reply
        if kind == "done":
            store = FontStore(self.setup.fonts)
            fonts = {digest: store.get(digest) for digest in value.fonts
                     if digest not in self.sent}
            self.sent.update(fonts)
            return kind, index, (value, fonts)
        if kind == "error":
            message_, file, line = value
            return kind, index, (message_, self._main_path(file), line)
        return reply

    def _main_path(self, file: Path | None) -> Path | None:
        folder = self.home / "edition"
        if file is not None and Path(file).is_relative_to(folder):
            return self.main_folder / Path(file).relative_to(folder)
        return file

    def close(self) -> None:
        self.held.clear()
        shutil.rmtree(self.home, ignore_errors=True)


def _inside(path: Path, folder: Path) -> Path:
    """`path` relative to `folder` (the name alone when it lies elsewhere)."""
    try:
        return Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return Path(Path(path).name)


def _unpack(files: dict[str, bytes], folder: Path) -> None:
    """Write `files` (relative path → bytes, from _pack) under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if not path.resolve().is_relative_to(folder.resolve()):
            continue  # never written outside the worker's folder
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _styles(styles: Path) -> dict[str, bytes]:
    """The package's styles and bundled fonts, relative path → bytes."""
    return {path.relative_to(styles).as_posix(): path.read_bytes()
            for path in sorted(styles.rglob("*")) if path.is_file()
            and "__pycache__" not in path.parts}


def _edition_files(setup: Setup) -> dict[str, bytes]:
    """The edition's files a run reads: its settings file (for messages) and the
    printer's ICC profile each part carries; read as the build reads them (safeio),
    left out when they cannot be (the worker then reports what the build would)."""
    settings = setup.settings
    names = [settings.source] if settings.source else []
    if setup.profile.output_profile and settings.source:
        names.append(settings.source.parent / setup.profile.output_profile)
    files = {}
    for name in names:
        try:
            data = safeio.read_capped(Path(name), EDITION_FILE_LIMIT, setup.folder)
        except (OSError, EditionError, safeio.TooLarge):
            continue
        files[_inside(name, setup.folder).as_posix()] = data
    return files


class ClusterWorkers(Workers):
    """One actor per Dask worker (at most `jobs`) for one setup; as a context manager,
    in place of workers.Workers, whose `run` lays the runs out with them."""

    def __init__(self, address: str, jobs: int, setup: Setup, epoch: int,
                 quiet: bool = True):
        from edition.render import STYLES_DIR

        self.address = address
        self.dask = client(address)
        self.fonts = FontStore(setup.fonts)
        workers = _workers(self.dask)[:jobs]
        args = (setup, _styles(setup.styles or STYLES_DIR), _edition_files(setup), epoch,
                quiet)
        try:
            futures = [self.dask.submit(RunWorker, *args, actor=True, workers=[worker],
                                        pure=False) for worker in workers]
            self.actors = [future.result() for future in futures]
        except EditionError:
            raise
        except Exception as exc:  # noqa: BLE001 — a worker's failure, said in one line
            raise WorkerLost(f"a Dask worker could not start laying out: {exc!r}") from None
        self.futures = futures
        self.connections = list(range(len(self.actors)))
        # Each actor's calls not yet answered (a run may be laid out while another waits
        # for its place), in the order sent.
        self.pending: dict[int, list] = {one: [] for one in self.connections}

    def __enter__(self) -> ClusterWorkers:
        return self

    def __exit__(self, *_exc) -> None:
        """The actors' folders removed and the actors released, failed or not."""
        for actor in self.actors:
            try:
                actor.close().result(timeout=CONNECT_S)
            except Exception:  # noqa: BLE001, S110 — a worker gone has nothing left
                pass
        self.actors.clear()
        self.futures.clear()

    def _send(self, connection: int, message: tuple) -> None:
        self.pending[connection].append(self.actors[connection].serve(message))

    def _replies(self, waiting: list) -> list[tuple[object, tuple]]:
        while True:
            answered = [(one, call) for one in waiting for call in self.pending[one]
                        if call.done()]
            if answered:
                return [(one, self._reply(one, call)) for one, call in answered]
            time.sleep(POLL_S)

    def _reply(self, connection: int, call) -> tuple:
        self.pending[connection].remove(call)
        try:
            kind, index, value = call.result()
        except Exception as exc:  # noqa: BLE001 — the worker or the connection is gone
            raise WorkerLost(f"a Dask worker laying out ended unexpectedly ({exc!r})"
                             ) from None
        if kind == "done":
            result, fonts = value
            for data in fonts.values():
                self.fonts.stub(data)  # kept by the digest of what came
            return kind, index, result
        return kind, index, value
