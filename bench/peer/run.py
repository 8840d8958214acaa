#!/usr/bin/env python3
"""Our generator and progenitor side by side on Upvest's whole description.

    python3 bench/peer/run.py [--spec ../shared/upvest/openapi.yaml] [--runs 5] [--quick] [--dry-run]

Builds, in a scratch workspace under target/peer/ (outside the repository's workspace, so
progenitor is never a dependency of ours): the bare openapiv3 parse (`parse-only`), progenitor's
README recipe as one program (`progenitor-gen`), the SDK each generator writes, and our
`xtask`. Then it alternates the commands of each row, `--runs` times, and prints the medians of
whole-process CPU time (user + system of the command and everything it started) and wall time,
and their ratios. Rows:

  generate   ours (`xtask generate --groups all`) / progenitor / the bare parse
  build      `cargo build --release` of each SDK after `touch src/lib.rs` (dependencies built)
  check      `cargo check` of each SDK after `touch src/lib.rs`
  one group  `cargo check` of our SDK with one group's feature, against the full crate, and
             the floor of both: `cargo check` of a crate with the SDK's dependencies that only
             names each of them (cargo and rustc starting, loading their metadata)
  calls      `cargo build --release` of our SDK and a program that calls every operation (the
             driver `cargo xtask e2e` writes to target/e2e-driver; skipped, and said so, when
             it is not there), after touching both: what a program using all of it pays, since
             each operation is compiled where it is called

`--quick` runs each row once; its numbers are not measurements. `--dry-run` (what CI runs, in
seconds) writes the scratch workspace and checks it, then lists the rows without building
anything: the part of the script that can break without a build failing first. No timing here
is a pass/fail test: the script fails only if a step fails.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT / "target" / "peer"
HERE = Path(__file__).resolve().parent


# What progenitor's README lists for a generated client (its client crate and reqwest at the
# versions progenitor 0.15 generates for), with the formats Upvest's description uses. Also the
# dependencies bench/peer/corpus.py checks progenitor's crates with.
PROGENITOR_DEPENDENCIES = """bytes = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
futures-core = "0.3"
progenitor-client = "0.15"
regress = "0.10"
reqwest = { version = "0.13", features = ["json", "stream", "query", "form"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
uuid = { version = "1", features = ["serde", "v4"] }
"""


def run(cmd, cwd=ROOT, env=None):
    """Runs `cmd` to completion, quietly; exits with its output if it fails. Returns wall seconds."""
    start = time.perf_counter()
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr.decode()[-4000:]}")
    return wall


def cpu_of(cmd, **kw):
    """CPU (user + system) of `cmd` and its children, and its wall time."""
    before = os.times()
    wall = run(cmd, **kw)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return cpu, wall


def scratch_workspace(spec):
    """target/peer: a workspace of the four crates, our lock file for shared versions."""
    PEER.mkdir(parents=True, exist_ok=True)
    for name in ["parse-only", "progenitor-gen"]:
        dest = PEER / name
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(HERE / name, dest)
    members = ["parse-only", "progenitor-gen", "ours-sdk", "progenitor-sdk", "deps-floor"]
    driver = ROOT / "target" / "e2e-driver"
    if (driver / "src" / "main.rs").exists():
        # The e2e driver, built against our whole-API SDK here instead of its own copy.
        dest = PEER / "driver"
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(driver / "src", dest / "src")
        manifest = (driver / "Cargo.toml").read_text()
        manifest = manifest.replace('path = "../e2e-sdk"', 'path = "../ours-sdk"').replace("[workspace]\n", "")
        (dest / "Cargo.toml").write_text(manifest)
        members.append("driver")
    (PEER / "Cargo.toml").write_text(
        '[workspace]\nresolver = "2"\n'
        f"members = {json.dumps(members)}\n"
        "\n[profile.release]\ndebug = false\n"
    )
    write_deps_floor()
    lock = ROOT / "Cargo.lock"
    if not (PEER / "Cargo.lock").exists():
        shutil.copy(lock, PEER / "Cargo.lock")
    # Our SDK: generated by our xtask; a first run also gives the files to compile.
    progenitor_sdk = PEER / "progenitor-sdk"
    (progenitor_sdk / "src").mkdir(parents=True, exist_ok=True)
    (progenitor_sdk / "Cargo.toml").write_text(
        '[package]\nname = "progenitor-sdk"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n'
        f"\n[dependencies]\n{PROGENITOR_DEPENDENCIES}"
    )
    lib = progenitor_sdk / "src" / "lib.rs"
    if not lib.exists():
        lib.write_text("")
    return "driver" in members


def write_deps_floor():
    """target/peer/deps-floor: the dependencies of our SDK (the `[dependencies]` of the committed
    generated crate, whose template is the same for every description) and a lib.rs that only
    names each, so that rustc loads them. Without features, like the one-group check, so both
    use the same compiled dependencies. What no check of any part of the SDK can go below."""
    manifest = (ROOT / "generated" / "Cargo.toml").read_text()
    section = manifest.split("\n[dependencies]\n", 1)[1].split("\n[", 1)[0]
    # Optional dependencies (the `testing` feature's server) are not built without features.
    names = [line.split("=", 1)[0].strip() for line in section.splitlines()
             if "=" in line and not line.startswith("#") and "optional = true" not in line]
    crate = PEER / "deps-floor"
    (crate / "src").mkdir(parents=True, exist_ok=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "deps-floor"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n'
        f"\n[dependencies]\n{section}\n"
    )
    (crate / "src" / "lib.rs").write_text(
        "//! Names each dependency of the SDK, and nothing else.\n"
        + "".join(f"pub use {name.replace('-', '_')};\n" for name in names)
    )


def check_workspace(has_driver):
    """What `--dry-run` proves: the scratch workspace names crates that are all there, each with
    a manifest and a source file, and the floor names every dependency of the SDK."""
    manifest = (PEER / "Cargo.toml").read_text()
    members = json.loads(manifest.split("members = ", 1)[1].split("\n", 1)[0])
    for member in members:
        if member == "ours-sdk":
            continue  # written by our generator in a real run
        crate = PEER / member
        if not (crate / "Cargo.toml").is_file():
            sys.exit(f"dry run: {crate} has no Cargo.toml")
        if not any((crate / "src").glob("*.rs")):
            sys.exit(f"dry run: {crate}/src has no source file")
    floor = (PEER / "deps-floor" / "src" / "lib.rs").read_text()
    for dependency in ["serde", "reqwest", "tokio"]:
        if f"pub use {dependency};" not in floor:
            sys.exit(f"dry run: the floor crate does not name `{dependency}`")
    # A crate the floor names must be built without features: an optional one is not.
    floor_manifest = (PEER / "deps-floor" / "Cargo.toml").read_text()
    for line in floor_manifest.splitlines():
        name = line.split("=", 1)[0].strip()
        if "optional = true" in line and f"pub use {name.replace('-', '_')};" in floor:
            sys.exit(f"dry run: the floor crate names `{name}`, which is optional")
    rows = ["generate", "build", "check", "one group"] + (["calls"] if has_driver else [])
    print(f"dry run: workspace {PEER} with {', '.join(members)}; rows: {', '.join(rows)}")


def median(samples):
    return statistics.median(samples)


def row(label, commands, runs):
    """Alternates the commands `runs` times; prints median CPU and wall of each, and ratios."""
    samples = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, step in commands:
            samples[name].append(step())
    cpu = {name: median([c for c, _ in s]) for name, s in samples.items()}
    wall = {name: median([w for _, w in s]) for name, s in samples.items()}
    first = commands[0][0]
    print(f"\n{label}")
    for name, _ in commands:
        ratio = "" if name == first else f"   {first} / {name}: {cpu[first] / cpu[name]:.2f}x CPU, {wall[first] / wall[name]:.2f}x wall"
        print(f"  {name:<28} CPU {cpu[name] * 1e3:9.0f} ms   wall {wall[name] * 1e3:9.0f} ms{ratio}")
    return cpu, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = os.environ.get("UPVEST_SHARED_DIR", str(ROOT.parent / "shared"))
    parser.add_argument("--spec", default=str(Path(shared) / "upvest" / "openapi.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    spec = Path(args.spec).resolve()
    if not spec.exists():
        sys.exit(f"no description at {spec}: pass --spec or set UPVEST_SHARED_DIR")

    has_driver = scratch_workspace(spec)
    if args.dry_run:
        check_workspace(has_driver)
        return
    target = {"CARGO_TARGET_DIR": str(PEER / "target")}
    print("building the generators (release) ...", flush=True)
    run(["cargo", "build", "--release", "-p", "xtask"])
    xtask = ROOT / "target" / "release" / "xtask"
    ours_sdk = PEER / "ours-sdk"
    run([str(xtask), "generate", "--spec", str(spec), "--groups", "all", "--out", str(ours_sdk)])
    run(["cargo", "build", "--release", "-p", "parse-only", "-p", "progenitor-gen"], cwd=PEER, env=target)
    bins = PEER / "target" / "release"
    progenitor_lib = PEER / "progenitor-sdk" / "src" / "lib.rs"
    run([str(bins / "progenitor-gen"), str(spec), str(progenitor_lib)])

    out = PEER / "ours-out"
    row(
        "generate the whole description (CPU, whole process)",
        [
            ("ours", lambda: cpu_of([str(xtask), "generate", "--spec", str(spec), "--groups", "all", "--out", str(out)])),
            ("progenitor", lambda: cpu_of([str(bins / "progenitor-gen"), str(spec), str(PEER / "progenitor-out.rs")])),
            ("bare openapiv3 parse", lambda: cpu_of([str(bins / "parse-only"), str(spec)])),
        ],
        runs,
    )

    print("\nbuilding both SDKs once (dependencies) ...", flush=True)
    ours_name = "upvest"
    # One package a command, as measured: built together, cargo would unify the features of
    # their shared dependencies differently, and the first measured run would rebuild them.
    for package in [ours_name, "progenitor-sdk"]:
        run(["cargo", "build", "--release", "-p", package], cwd=PEER, env=target)
        run(["cargo", "check", "-p", package], cwd=PEER, env=target)

    def touched(crate_dir, cmd):
        def step():
            (crate_dir / "src" / "lib.rs").touch()
            return cpu_of(cmd, cwd=PEER, env=target)

        return step

    row(
        "cargo build --release after touch src/lib.rs",
        [
            ("ours", touched(ours_sdk, ["cargo", "build", "--release", "-p", ours_name])),
            ("progenitor", touched(PEER / "progenitor-sdk", ["cargo", "build", "--release", "-p", "progenitor-sdk"])),
        ],
        runs,
    )
    row(
        "cargo check after touch src/lib.rs",
        [
            ("ours", touched(ours_sdk, ["cargo", "check", "-p", ours_name])),
            ("progenitor", touched(PEER / "progenitor-sdk", ["cargo", "check", "-p", "progenitor-sdk"])),
        ],
        runs,
    )
    run(["cargo", "check", "-p", ours_name, "--no-default-features", "--features", "user-identifiers"], cwd=PEER, env=target)
    run(["cargo", "check", "-p", "deps-floor"], cwd=PEER, env=target)
    row(
        "cargo check of one group (user-identifiers) against the full crate, and the floor (dependencies named, nothing else), after touch src/lib.rs",
        [
            ("one group", touched(ours_sdk, ["cargo", "check", "-p", ours_name, "--no-default-features", "--features", "user-identifiers"])),
            ("full crate", touched(ours_sdk, ["cargo", "check", "-p", ours_name])),
            ("dependencies only", touched(PEER / "deps-floor", ["cargo", "check", "-p", "deps-floor"])),
        ],
        runs,
    )

    if not has_driver:
        print("\nno target/e2e-driver (run `cargo xtask e2e` once): the row of a program calling every operation is skipped")
        return
    driver = PEER / "driver"
    run(["cargo", "build", "--release", "-p", "upvest-e2e-driver"], cwd=PEER, env=target)

    def both_touched():
        (ours_sdk / "src" / "lib.rs").touch()
        (driver / "src" / "main.rs").touch()
        return cpu_of(["cargo", "build", "--release", "-p", "upvest-e2e-driver"], cwd=PEER, env=target)

    row(
        "cargo build --release of our SDK and a program calling all its operations, after touching both",
        [("ours + program", both_touched)],
        runs,
    )


if __name__ == "__main__":
    main()
