#!/usr/bin/env bash
# Runs every fuzz target briefly on its seeds, so that a change that makes any input panic,
# hang or run away with memory fails CI. Called by .ci/run; usable by hand.
#
#   fuzz/smoke.sh [SECONDS_PER_TARGET]      (default 30)
#
# Cost, kept low on purpose (measured on the 2-core CI machine, see the merge notes): the
# targets are built once with the nightly toolchain and cargo-fuzz's coverage flags but no
# sanitizer (`cargo fuzz build -s none`; safe Rust needs none to find panics, and skipping
# ASan halves the build and triples the speed) and 16 codegen units instead of cargo-fuzz's 1
# (a faster build for slightly slower fuzzing). cargo-fuzz itself is not needed: the flags it
# passes are spelled out below, so CI does not spend minutes installing it.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-30}"
targets=(loader policy cel launch)

export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cllvm-args=-simplifycfg-branch-fold-threshold=0 \
-Cllvm-args=-sanitizer-coverage-stack-depth -Cdebug-assertions -Coverflow-checks -Ccodegen-units=16"
triple="$(rustc +nightly -vV | sed -n 's/^host: //p')"
cargo +nightly build --locked --release --bins --target "$triple" --target-dir target/smoke
python3 seed.py

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  echo "fuzz/smoke.sh: $target for ${seconds}s" >&2
  "target/smoke/$triple/release/$target" "corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 2>&1 | tail -n 12
done
