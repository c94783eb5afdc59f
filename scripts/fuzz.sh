#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a fixed time each and prints a summary table:
# target, seconds, executions, executions per second, crashes. Nightly only (cargo-fuzz
# needs it); the stable property tests (tests/properties) are what CI runs.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#
# - SECONDS_PER_TARGET (or FUZZ_SECONDS): the budget of each target, default 150. Six targets
#   at 150 s ran about 10+ million executions in all on a 2-core VM (see fuzz/README.md);
#   raise it for a deeper run.
# - FUZZ_TARGETS: a space-separated subset of targets (default: all, `cargo fuzz list`).
# - FUZZ_SANITIZER: passed to `cargo fuzz --sanitizer`; default `none`. The crate is
#   `#![forbid(unsafe_code)]`, so the crashes to find are panics, which need no sanitizer,
#   and AddressSanitizer costs several times the executions. `address` is cargo-fuzz's own
#   default, for a run that also wants to check the dependencies' unsafe code.
# - FUZZ_TARGET_DIR: where to build the targets (default fuzz/target); CARGO_TARGET_DIR is
#   left to the seeding step (`cargo xtask`), which shares the main workspace's builds.
#
# Steps: installs cargo-fuzz if missing (`cargo install cargo-fuzz --locked`), seeds the
# corpora from the contract tests' payloads (`cargo xtask fuzz-seed`, into fuzz/corpus/),
# builds every target once, runs each for its budget, and exits non-zero if any crashed.
# A crash leaves its input in fuzz/artifacts/<target>/ and its log in fuzz/logs/<target>.log;
# replay one with `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-${FUZZ_SECONDS:-150}}"
sanitizer=(--sanitizer "${FUZZ_SANITIZER:-none}")
target_dir=(--target-dir "${FUZZ_TARGET_DIR:-$PWD/fuzz/target}")

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz.sh: a nightly toolchain is required (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked
fi

echo "== seeding the corpora"
cargo xtask fuzz-seed

cd fuzz
targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
echo "== building: $(echo $targets)"
cargo +nightly fuzz build "${sanitizer[@]}" "${target_dir[@]}"

mkdir -p logs
summary=()
total_runs=0
total_crashes=0
for target in $targets; do
  echo "== $target: ${seconds}s"
  mkdir -p "corpus/$target" "artifacts/$target"
  before=$(find "artifacts/$target" -type f | wc -l)
  start=$(date +%s)
  status=0
  cargo +nightly fuzz run "${sanitizer[@]}" "${target_dir[@]}" "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"logs/$target.log" 2>&1 || status=$?
  elapsed=$(( $(date +%s) - start ))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$' | tail -1)
  runs=${runs:-0}
  after=$(find "artifacts/$target" -type f | wc -l)
  crashes=$(( after - before ))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    crashes=1  # failed without leaving an input (e.g. a build error): count it, see the log
  fi
  total_runs=$(( total_runs + runs ))
  total_crashes=$(( total_crashes + crashes ))
  summary+=("$(printf '%-16s %8s %14s %10s %8s' "$target" "$elapsed" "$runs" "$(( runs / (elapsed > 0 ? elapsed : 1) ))" "$crashes")")
done

echo
printf '%-16s %8s %14s %10s %8s\n' target seconds executions exec/s crashes
printf '%s\n' "${summary[@]}"
printf '%-16s %8s %14s %10s %8s\n' total "" "$total_runs" "" "$total_crashes"
[ "$total_crashes" -eq 0 ]
