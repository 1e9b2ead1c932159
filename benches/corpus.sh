#!/usr/bin/env bash
# Times the release binary over the whole shared corpus (255 real Claude Code configs).
# Uses hyperfine when installed (apt-get install hyperfine), else a plain loop.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
corpus=../shared/corpus
mapfile -t files < <(find "$corpus" -type f \( -name '*.json' -o -name '*.yaml' \) | sort)
echo "${#files[@]} files"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 -N -i "target/release/agentlint check --format json ${files[*]}"
else
  time (for _ in 1 2 3 4 5 6 7 8 9 10; do target/release/agentlint check --format json "${files[@]}" >/dev/null 2>&1 || true; done)
  echo "(10 runs)"
fi
