#!/usr/bin/env python3
"""Our generator and progenitor on every description of tests/corpus/ (docs/corpus.md's table).

    python3 bench/peer/corpus.py [--runs 3] [--no-check]

Builds, in a scratch workspace of its own (target/peer-corpus/, so progenitor is never a
dependency of ours), progenitor 0.15 from crates.io by its README's `build.rs` recipe as one
program (bench/peer/progenitor-gen), and our `xtask` (release). For each description it runs
ours (`xtask generate --groups all`) and progenitor, `--runs` times each, and takes the median
wall time; then `cargo check`s each crate progenitor wrote (with the dependencies its README
lists, those of bench/peer/run.py's progenitor-sdk) and counts its errors and warnings. Whether
our crates compile with warnings denied is the builds test's to say
(`cargo test -p upvest-sdk-tests --test builds corpus -- --ignored`), not this script's.

Prints one Markdown row per description. No timing here is a pass/fail test: the script fails
only if a build of the generators fails.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# The dependencies progenitor's README lists, as bench/peer/run.py's progenitor-sdk has them
# (the script beside this one).
from run import PROGENITOR_DEPENDENCIES

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "target" / "peer-corpus"
HERE = Path(__file__).resolve().parent
CORPUS = ROOT / "tests" / "corpus"


def timed(cmd, cwd=ROOT, env=None):
    """Runs `cmd`; returns (wall seconds, exit code, stderr)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return time.perf_counter() - start, proc.returncode, proc.stderr.decode(errors="replace")


def must(cmd, cwd=ROOT, env=None):
    _, code, err = timed(cmd, cwd, env)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(map(str, cmd))}\n{err[-4000:]}")


def slug(path):
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")


def progenitor_outcome(code, err):
    """progenitor's result in a few words: an error it returned, a description the `openapiv3`
    crate it reads with refuses, or a panic inside progenitor (the harness's `expect`s name the
    first two)."""
    if code == 0:
        return "generated"
    message = err.split("panicked at", 1)[-1].split("\n", 2)[1].strip() if "panicked at" in err else err.strip()
    for prefix, what in [("progenitor generates: ", "error"), ("an OpenAPI 3.0 description: ", "not read")]:
        if message.startswith(prefix):
            return f"{what}: {message[len(prefix):][:120]}"
    return f"panics: {message[:120]}"


def warning_count(err):
    """The warnings xtask printed; it prints the first few of a kind, then `... and N more`."""
    lines = [line for line in err.splitlines() if line.startswith("warning: ")]
    more = [re.search(r"\.\.\. and (\d+) more", line) for line in lines]
    return sum(int(m.group(1)) if m else 1 for m in more)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-check", action="store_true", help="do not compile progenitor's crates")
    args = parser.parse_args()
    specs = sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json"))

    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK / "progenitor-gen", ignore_errors=True)
    shutil.copytree(HERE / "progenitor-gen", WORK / "progenitor-gen")
    if not (WORK / "Cargo.lock").exists():
        shutil.copy(ROOT / "Cargo.lock", WORK / "Cargo.lock")
    env = {"CARGO_TARGET_DIR": str(WORK / "target")}
    print("building the generators (release) ...", file=sys.stderr, flush=True)
    write_workspace([])
    must(["cargo", "build", "--release", "-p", "progenitor-gen"], cwd=WORK, env=env)
    must(["cargo", "build", "--release", "-p", "xtask"])
    xtask = ROOT / "target" / "release" / "xtask"
    progenitor = WORK / "target" / "release" / "progenitor-gen"

    rows = []
    crates = []
    for spec in specs:
        name = slug(spec)
        ours_out = WORK / "ours" / name
        ours_times, progenitor_times = [], []
        for _ in range(args.runs):
            wall, code, err = timed([xtask, "generate", "--spec", spec, "--groups", "all", "--out", ours_out])
            ours_times.append(wall)
            ours = "generated" if code == 0 else f"fails: {err.strip().splitlines()[-1][:160]}"
            warnings = warning_count(err)
            crate = WORK / f"progenitor-{name}"
            (crate / "src").mkdir(parents=True, exist_ok=True)
            wall, code, err = timed([progenitor, spec, crate / "src" / "lib.rs"])
            progenitor_times.append(wall)
            theirs = progenitor_outcome(code, err)
        if theirs == "generated":
            (crate / "Cargo.toml").write_text(
                f'[package]\nname = "progenitor-{name}"\nversion = "0.0.0"\nedition = "2021"\n'
                f"publish = false\n\n[dependencies]\n{PROGENITOR_DEPENDENCIES}"
            )
            crates.append(name)
        else:
            shutil.rmtree(crate, ignore_errors=True)
        rows.append({
            "file": spec.name, "ours": ours, "ours_warnings": warnings,
            "ours_ms": statistics.median(ours_times) * 1e3,
            "progenitor": theirs, "progenitor_ms": statistics.median(progenitor_times) * 1e3,
        })

    write_workspace(crates)
    checked = {}
    if not args.no_check:
        for name in crates:
            print(f"checking progenitor-{name} ...", file=sys.stderr, flush=True)
            _, code, err = timed(["cargo", "check", "-p", f"progenitor-{name}", "--message-format", "short"], cwd=WORK, env=env)
            errors = len(re.findall(r"^\S+: error", err, re.M)) or (0 if code == 0 else 1)
            warnings = len(re.findall(r"^\S+: warning", err, re.M))
            checked[name] = "compiles" if code == 0 else f"{errors} error(s)"
            if warnings:
                checked[name] += f", {warnings} warning(s)"

    print("| file | ours: generated (warnings) | ours: ms | progenitor 0.15 | progenitor: ms | progenitor's crate |")
    print("| --- | --- | ---: | --- | ---: | --- |")
    for row in rows:
        name = slug(Path(row["file"]))
        compiled = checked.get(name, "not checked" if name in crates else "-")
        print(f"| `{row['file']}` | {row['ours']} ({row['ours_warnings']}) | {row['ours_ms']:.0f} "
              f"| {row['progenitor']} | {row['progenitor_ms']:.0f} | {compiled} |")
    (WORK / "results.json").write_text(json.dumps({"rows": rows, "checked": checked}, indent=2))


def write_workspace(crates):
    members = ["progenitor-gen"] + [f"progenitor-{name}" for name in crates]
    (WORK / "Cargo.toml").write_text(
        '[workspace]\nresolver = "2"\n'
        f"members = {json.dumps(members)}\n\n[profile.release]\ndebug = false\n"
    )


if __name__ == "__main__":
    main()
