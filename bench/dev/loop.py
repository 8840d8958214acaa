#!/usr/bin/env python3
"""A developer's loop: after touching one generator file, how long `cargo test --workspace`
takes to its first test result (every crate that depends on the file compiled again, then the
first test binary's first test), in this checkout and its warm target directory.

    python3 bench/dev/loop.py                 touch generator/src/lower/mod.rs, time once
    python3 bench/dev/loop.py --edit          a real edit instead: a comment line inserted at
                                              the top of the file, so every line below moves
                                              (removed again afterwards)
    python3 bench/dev/loop.py --file PATH --runs 3
    python3 bench/dev/loop.py --dry-run       check the file and the command, build nothing

First `cargo test --workspace --no-run` brings the target directory up to date (not timed).
Each run prints the wall seconds to the first `Running` line (compiling done) and to the first
test's result, and the CPU seconds of cargo and the compilers it waited for; the run is then
stopped (the rest of the suite is not this measurement). Wall time means something only on a
quiet machine: the load average is printed beside it. A measurement, not a test.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMAND = ["cargo", "test", "--workspace"]
FIRST_RESULT = re.compile(r"^test .+ \.\.\. (ok|FAILED|ignored)")


def load_average():
    return Path("/proc/loadavg").read_text().split()[0]


def touch_or_edit(path, edit):
    """Touches `path`, or inserts a comment line at its top; returns what restores it."""
    if not edit:
        path.touch()
        return lambda: None
    original = path.read_bytes()
    path.write_bytes(b"// bench/dev/loop.py: a one-line edit\n" + original)

    def restore():
        path.write_bytes(original)

    return restore


def timed_run(path, edit):
    restore = touch_or_edit(path, edit)
    load_before = load_average()
    started = time.monotonic()
    compiled = first = None
    try:
        cargo = subprocess.Popen(
            COMMAND,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        for line in cargo.stdout:
            stripped = line.strip()
            if compiled is None and stripped.startswith("Running "):
                compiled = time.monotonic() - started
            if FIRST_RESULT.match(stripped):
                first = time.monotonic() - started
                break
            if stripped.startswith("error"):
                print(line, end="", file=sys.stderr)
        # Stop the rest of the suite: this cargo and the test binary it started (its own group).
        if cargo.poll() is None:
            os.killpg(cargo.pid, signal.SIGTERM)
        cargo.stdout.close()
        # wait4's usage covers cargo and every process it waited for (the compilers).
        _, _, usage = os.wait4(cargo.pid, 0)
    finally:
        restore()
    if first is None:
        sys.exit("error: `cargo test --workspace` ended without a test result")
    cpu = usage.ru_utime + usage.ru_stime
    return compiled, first, cpu, load_before, load_average()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", default="generator/src/lower/mod.rs")
    parser.add_argument("--edit", action="store_true", help="insert a comment line, not touch")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    path = ROOT / args.file
    if not path.is_file():
        sys.exit(f"error: {path} is not a file")
    if not (ROOT / "generator").is_dir():
        sys.exit(f"error: {ROOT} has no generator/")
    if args.dry_run:
        print(f"dry run: would touch {args.file} and time `{' '.join(COMMAND)}` in {ROOT}")
        return

    print("bringing the target directory up to date (not timed)...", flush=True)
    subprocess.run(COMMAND + ["--no-run", "--quiet"], cwd=ROOT, check=True)
    what = "a one-line edit of" if args.edit else "touched"
    print(f"{what} {args.file}; CARGO_INCREMENTAL={os.environ.get('CARGO_INCREMENTAL', 'unset')}")
    for run in range(1, args.runs + 1):
        compiled, first, cpu, before, after = timed_run(path, args.edit)
        compiled_text = f"{compiled:.1f} s" if compiled is not None else "-"
        print(
            f"run {run}: first test result after {first:.1f} s wall (compiled after "
            f"{compiled_text}), CPU {cpu:.1f} s; load average {before} before, {after} after",
            flush=True,
        )


if __name__ == "__main__":
    main()
