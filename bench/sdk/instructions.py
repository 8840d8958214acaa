#!/usr/bin/env python3
"""Instructions per SDK call against the same call written by hand, counted by callgrind.

    python3 bench/sdk/instructions.py [--quick] [--dry-run]

The wall-clock pairs of `cargo bench -p upvest-sdk-benches --bench request` are a loopback round
trip on a shared 2-core machine: one run to the next they differ by more than the overhead they
are meant to show (the SDK came out faster than the hand-written call as often as slower). An
instruction count does not depend on the load or on scheduling. For each case of the request
bench this runs the bench binary under `valgrind --tool=callgrind` twice, making LOW and then
HIGH calls of that case alone (`UPVEST_BENCH_CALLS=<case>:<count>`); the difference of the two
totals divided by HIGH - LOW is one call, the setup cancelled out. Both sides include the
loopback server's share (the same for both). It prints each pair and the ratio sdk / by hand.

`--quick` counts the Ed25519 cases only, at small counts; its figures are not measurements.
`--dry-run` (CI's mode: seconds, where a quick run built the SDK in release and ran valgrind for
minutes) checks that valgrind runs and lists the cases; the bench binary itself runs once in
CI's `cargo test --benches`. No count is a pass/fail test: the script fails only if a step fails.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench_binary():
    """Builds the request bench (release) and returns the path cargo reports for it."""
    proc = subprocess.run(
        ["cargo", "bench", "-p", "upvest-sdk-benches", "--bench", "request", "--no-run",
         "--message-format=json", "--locked"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"building the request bench failed:\n{proc.stderr[-4000:]}")
    for line in proc.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "request" \
                and message.get("executable"):
            return message["executable"]
    sys.exit("cargo built the request bench but reported no executable for it")


def instructions(binary, case, count, scratch):
    """Instructions callgrind counts for the whole process making `count` calls of `case`."""
    out = Path(scratch) / "callgrind.out"
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary],
        env={**os.environ, "UPVEST_BENCH_CALLS": f"{case}:{count}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"{case}:{count} under callgrind failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split("Collected :")[1].split()[0])
    sys.exit(f"callgrind printed no total for {case}:{count}:\n{proc.stderr[-2000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Ed25519 only, small counts")
    parser.add_argument("--dry-run", action="store_true",
                        help="list the cases and check valgrind is there; build and count nothing (CI)")
    args = parser.parse_args()

    keys = ["ed25519"] if args.quick else ["ed25519", "p521"]
    if args.dry_run:
        if subprocess.run(["valgrind", "--version"], stdout=subprocess.DEVNULL).returncode != 0:
            sys.exit("valgrind does not run")
        cases = [f"{m}/{k}/{side}" for k in keys for m in ["get", "post"] for side in ["sdk", "by_hand"]]
        print(f"dry run: {len(cases)} cases: {', '.join(cases)}")
        return
    binary = bench_binary()
    print(f"{'case':<14} {'sdk':>12} {'by hand':>12} {'ratio':>7}   (instructions per call)")
    with tempfile.TemporaryDirectory() as scratch:
        for key in keys:
            # P-521 signing is about 20x the rest of a call: fewer calls give the same precision.
            low, high = (5, 25) if args.quick else ((50, 250) if key == "ed25519" else (10, 60))
            for method in ["get", "post"]:
                per_call = {}
                for side in ["sdk", "by_hand"]:
                    case = f"{method}/{key}/{side}"
                    total_low = instructions(binary, case, low, scratch)
                    total_high = instructions(binary, case, high, scratch)
                    per_call[side] = (total_high - total_low) / (high - low)
                sdk, by_hand = per_call["sdk"], per_call["by_hand"]
                print(f"{method + '/' + key:<14} {sdk:>12,.0f} {by_hand:>12,.0f} {sdk / by_hand:>7.3f}",
                      flush=True)


if __name__ == "__main__":
    main()
