#!/usr/bin/env bash
# A team's drift check on a CI runner without a cache: a fresh clone of this repository's HEAD,
# an empty target directory, the crates already downloaded (`cargo fetch`, not timed), then
# `cargo xtask check` timed: wall seconds and the CPU seconds (user + system) of cargo and every
# compiler it started. A measurement, not a test: nothing here passes or fails on a figure.
#
#   bash bench/drift/cold.sh             clone, fetch, time the check once
#   bash bench/drift/cold.sh --runs 3    three times, each from an empty target directory
#   bash bench/drift/cold.sh --dry-run   clone and fetch only, then check that the command this
#                                        script times is the one CI and the README run (seconds)
#   --commit REV                         measure another commit (say, the one before a change)
#   --keep                               keep the clone (its path is printed)
#
# Wall time is only meaningful on a quiet machine: the load average is printed beside it. CPU
# time is inflated far less by other builds.
set -euo pipefail

runs=1
dry_run=0
keep=0
commit=HEAD
commit_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --commit) commit="$2"; commit_given=1; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--runs N] [--dry-run] [--commit REV] [--keep]" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
commit=$(git -C "$repo" rev-parse --verify "$commit^{commit}")
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "note: uncommitted changes are not measured (the clone is of $commit)" >&2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/drift-cold.XXXXXX")
if [ "$keep" = 1 ]; then
  echo "clone kept in $scratch/repo"
else
  trap 'rm -rf "$scratch"' EXIT
fi
clone="$scratch/repo"
git clone --quiet --no-checkout "$repo" "$clone"
git -C "$clone" checkout --quiet "$commit"

cd "$clone"
# Nothing from the caller's environment may point cargo at a warm target directory.
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR
export CARGO_TERM_COLOR=never
cargo fetch --locked --quiet

# The timed command is the drift check as the README gives it, through the alias and its own
# profile; if either changes, this script must change with it.
check_command="cargo xtask check"
grep -qF -- "$check_command" README.md || { echo "error: README.md no longer shows '$check_command'" >&2; exit 1; }
# (An older commit, measured with --commit for a before figure, may predate the profile.)
if [ "$commit_given" = 0 ]; then
  grep -qE -- '^xtask = "run .*--profile xtask' .cargo/config.toml || { echo "error: the cargo xtask alias no longer builds with --profile xtask" >&2; exit 1; }
  grep -qF -- '[profile.xtask]' Cargo.toml || { echo "error: Cargo.toml has no [profile.xtask]" >&2; exit 1; }
fi
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed for the CPU time" >&2; exit 1; }

if [ "$dry_run" = 1 ]; then
  echo "dry run: $commit cloned and fetched; would time '$check_command' $runs time(s) in $clone/target"
  exit 0
fi

echo "commit $commit, $(nproc) cores, CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-unset}"
for run in $(seq 1 "$runs"); do
  rm -rf target
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  # %e wall, %U user and %S system seconds of cargo and all the processes it waited for.
  /usr/bin/time -f "%e %U %S" -o "$scratch/time" $check_command >"$scratch/out" 2>&1 || {
    cat "$scratch/out" >&2
    echo "error: '$check_command' failed in the clone" >&2
    exit 1
  }
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  read -r wall user sys <"$scratch/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  echo "run $run: wall ${wall} s, CPU ${cpu} s (user $user, system $sys); load average ${load_before} before, ${load_after} after"
done
