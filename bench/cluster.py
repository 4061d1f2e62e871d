"""What a page costs on a Dask cluster: the bench volume built on a LocalCluster and here.

    python bench/cluster.py [--pages 120] [--workers 2]

Needs the `cluster` extra (pip install edition-typesetter[cluster]). The volume is
bench/run.py's. Two builds, no cache, one after the other in this process:

- cluster: `--scheduler` of a `LocalCluster` of `--workers` worker processes (one thread
  each) on this machine; the cluster's start is not counted;
- local: `--jobs` the same number of worker processes (workers.py).

For each: wall seconds, and CPU seconds of this process plus its workers (for the
cluster, each Dask worker's own process time, read before and after with
`Client.run`), per page. On one machine the cluster cannot be faster than the local
workers: it shows what the cluster's traffic and actors cost over the same layout.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import CHAPTER_EVERY  # noqa: E402 — bench/ is on the path only now


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the local workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _workers_cpu(client) -> float:
    return sum(client.run(time.process_time).values())


def measure(build, cpu_elsewhere) -> tuple[float, float, int]:
    """Wall and CPU seconds of `build()` (this process and `cpu_elsewhere()`), pages."""
    wall, cpu, other = time.perf_counter(), time.process_time(), cpu_elsewhere()
    book = build()
    return (time.perf_counter() - wall,
            time.process_time() - cpu + cpu_elsewhere() - other, book.page_count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from distributed import Client, LocalCluster
    from synthetic import VOLUME_SPEAKERS, write_volume

    from edition.build import build, quiet_weasyprint

    quiet_weasyprint()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = write_volume(folder / "source", pages=args.pages,
                              chapter_every=CHAPTER_EVERY, speakers=VOLUME_SPEAKERS)
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            on_cluster = measure(lambda: build(source, folder / "cluster.pdf", cache=False,
                                               scheduler=cluster.scheduler_address),
                                 lambda: _workers_cpu(client))
        here = measure(lambda: build(source, folder / "local.pdf", cache=False,
                                     jobs=args.workers), _children_cpu)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"bench volume, {args.pages} pages asked, {args.workers} workers; "
          f"load average {load}")
    for name, (wall, cpu, pages) in (("LocalCluster", on_cluster), ("local --jobs", here)):
        print(f"  {name:<13} {pages} pages: {wall:6.1f} s wall, {cpu:6.1f} CPU s, "
              f"{cpu / pages * 1000:5.0f} CPU ms and {wall / pages * 1000:5.0f} wall ms "
              "a page")


if __name__ == "__main__":
    main()
