"""The long fuzz tier: N structural cases (tests/fuzz_cases.py) through the CLI.

    PYTHONPATH=. python bench/fuzz.py [--cases 10000] [--build-every 50] [--seed 0]

Every case goes through `edition check` (read, number, match names, the formats' own
checks); one case in `--build-every` also through a whole `edition build` (render, layout,
PDF). A case must end in exit 0/1, or exit 2 with one `edition: …` line; anything else
(exit 3, an exception out of main(), several error lines) counts as a traceback, and a
run past its time limit as a hang. Prints the figures; exits 1 unless both are 0.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from edition.cli import main
from tests.fuzz_cases import structural_case

CHECK_SECONDS = 20
BUILD_SECONDS = 120


class Hang(Exception):
    pass


def run(argv: list[str], seconds: int) -> tuple[str, str]:
    """(outcome, detail): outcome is clean, error, traceback or hang."""
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
    return "traceback", f"exit {code}: {err.getvalue()}"


def main_fuzz() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--build-every", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = {"clean": 0, "error": 0, "traceback": 0, "hang": 0}
    builds = {"clean": 0, "error": 0, "traceback": 0, "hang": 0}
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
            if outcome in ("traceback", "hang"):
                print(f"case {case}: check {outcome}: {detail}", file=sys.stderr)
            if case % args.build_every == 0:
                outcome, detail = run(["build", str(folder), "-o", f"{tmp}/o.pdf", "-q"],
                                      BUILD_SECONDS)
                builds[outcome] += 1
                if outcome in ("traceback", "hang"):
                    print(f"case {case}: build {outcome}: {detail}", file=sys.stderr)
        if (case + 1) % 1000 == 0:
            print(f"  {case + 1} cases, {time.monotonic() - started:.0f} s", flush=True)
    seconds = time.monotonic() - started
    print(f"cases: {args.cases} through check, {sum(builds.values())} also built")
    print(f"check: {counts['clean']} clean, {counts['error']} one-line errors, "
          f"{counts['traceback']} tracebacks, {counts['hang']} hangs")
    print(f"build: {builds['clean']} clean builds, {builds['error']} one-line errors, "
          f"{builds['traceback']} tracebacks, {builds['hang']} hangs")
    print(f"seconds: {seconds:.0f}")
    bad = counts["traceback"] + counts["hang"] + builds["traceback"] + builds["hang"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main_fuzz())
