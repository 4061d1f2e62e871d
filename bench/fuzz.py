"""The long fuzz tier: N structural cases (tests/fuzz_cases.py) through the CLI.

    PYTHONPATH=. python bench/fuzz.py [--cases 10000] [--build-every 50] [--seed 0]

Each case is an edition folder of generated Markdown or TEI and an edition.toml (a third
of them generated from the whole settings schema). Every case goes through `edition
check` (read, number, match names, the formats' own checks); one case in `--build-every`
also through a whole `edition build` (render, layout, PDF). A case must end in exit 0/1,
or exit 2 with one `edition: …` line. Counted apart: exit 3 (an internal error, one
line), a traceback (an exception out of main(), or several error lines), a hang (no
result within 60 s). Prints the figures and the peak memory (maximum resident set of
this process and of the layout workers); exits 1 unless tracebacks, exit-3s and hangs
are all 0. Targets: 0 / 0 / 0 and at most 1 GB.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from edition.cli import main
from tests.fuzz_cases import structural_case

# A run past this is a hang.
CHECK_SECONDS = 60
BUILD_SECONDS = 60
OUTCOMES = ("clean", "error", "exit-3", "traceback", "hang")


class Hang(Exception):
    pass


def run(argv: list[str], seconds: int) -> tuple[str, str]:
    """(outcome, detail): outcome is one of OUTCOMES."""
    err = io.StringIO()

    def expire(_signum, _frame):
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(argv)
    except Hang:
        return "hang", " ".join(argv)
    except BaseException:  # noqa: BLE001  (what the fuzzer looks for)
        return "traceback", traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # main() installs its own
    lines = [line for line in err.getvalue().strip().splitlines()
             if not line.startswith("edition: warning: ")]
    if code in (0, 1) and not lines:
        return "clean", ""
    if code == 2 and len(lines) == 1 and lines[0].startswith("edition: "):
        return "error", lines[0]
    if code == 3:
        return "exit-3", err.getvalue()
    return "traceback", f"exit {code}: {err.getvalue()}"


def peak_mb() -> float:
    """The largest resident set of this process and of any child (workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main_fuzz() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--build-every", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = dict.fromkeys(OUTCOMES, 0)
    builds = dict.fromkeys(OUTCOMES, 0)
    bad = ("exit-3", "traceback", "hang")
    started = time.monotonic()
    for case in range(args.cases):
        rng = random.Random(f"{args.seed}-{case}")
        files = structural_case(rng)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "ed"
            folder.mkdir()
            for name, data in files.items():
                (folder / name).write_bytes(data)
            outcome, detail = run(["check", str(folder)], CHECK_SECONDS)
            counts[outcome] += 1
            if outcome in bad:
                print(f"case {case}: check {outcome}: {detail}", file=sys.stderr)
            if case % args.build_every == 0:
                outcome, detail = run(["build", str(folder), "-o", f"{tmp}/o.pdf", "-q"],
                                      BUILD_SECONDS)
                builds[outcome] += 1
                if outcome in bad:
                    print(f"case {case}: build {outcome}: {detail}", file=sys.stderr)
        if (case + 1) % 1000 == 0:
            print(f"  {case + 1} cases, {time.monotonic() - started:.0f} s", flush=True)
    seconds = time.monotonic() - started
    print(f"cases: {args.cases} through check, {sum(builds.values())} also built")
    for name, tally in (("check", counts), ("build", builds)):
        print(f"{name}: {tally['clean']} clean, {tally['error']} one-line errors, "
              f"{tally['traceback']} tracebacks, {tally['exit-3']} exit-3s, "
              f"{tally['hang']} hangs")
    total = {kind: counts[kind] + builds[kind] for kind in bad}
    print(f"tracebacks / exit-3s / hangs: {total['traceback']} / {total['exit-3']} / "
          f"{total['hang']} (target 0 / 0 / 0)")
    print(f"peak memory: {peak_mb():.0f} MB (target at most 1024)")
    print(f"seconds: {seconds:.0f}")
    return 1 if any(total.values()) else 0


if __name__ == "__main__":
    sys.exit(main_fuzz())
