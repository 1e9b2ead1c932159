#!/usr/bin/env bash
# Scanning a large codebase that starts no Claude session (issue 13): `agentlint check DIR` on a
# generated tree of 50,000 source files, scripts and documents (benches/gen_source_tree.py),
# beside the bare directory walk it starts from (examples/walk_floor.rs: the same `ignore`
# walker, reading no file) and beside the same walk reading every file once (`walk_floor
# --read`: the least any search of the files' bytes costs). The issue's target was agentlint
# < 2x the bare walk; the read floor shows what reading the files costs by itself. Whole processes, best of
# RUNS (default 5) after one warm-up run, so the page cache is warm for both; wall-clock and CPU
# (user + system) seconds are both shown, the ratio is taken on each.
#
#   bash benches/scan.sh                 # 50,000 files under $AGENTLINT_BENCH_DATA
#   FILES=5000 RUNS=3 bash benches/scan.sh
#
# Fails loudly: a file count that differs, or an agentlint exit code other than 0.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
data="${AGENTLINT_BENCH_DATA:-${TMPDIR:-/tmp}/agentlint-bench-data}"
files="${FILES:-50000}"
runs="${RUNS:-5}"
tree="$data/source-$files"
mkdir -p "$tree"

cargo build --release --quiet --bin agentlint --example walk_floor
bin="$target/release/agentlint"
floor="$target/release/examples/walk_floor"
python3 benches/gen_source_tree.py "$tree" "$files"

n=$("$floor" "$tree")
# The generator's marker file is one more file.
[ "$n" -eq $((files + 1)) ] || { echo "scan.sh: the walk found $n files, expected $((files + 1))" >&2; exit 1; }
code=0
out=$("$bin" check --format json "$tree" 2>/dev/null) || code=$?
[ "$code" -eq 0 ] || { echo "scan.sh: agentlint exited $code" >&2; exit 1; }
checked=$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["summary"]["files"])' <<<"$out")
[ "$checked" -eq 0 ] || { echo "scan.sh: agentlint checked $checked files; the tree starts no session" >&2; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# best NAME COMMAND…: the fastest of $runs runs (after a warm-up); sets WALL and CPU (seconds).
best() {
  shift
  "$@" >/dev/null 2>&1
  WALL="" CPU=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$scratch/time" "$@" >/dev/null 2>&1
    read -r e u s <"$scratch/time"
    c=$(python3 -c "print(f'{$u + $s:.2f}')")
    WALL=$(python3 -c "print(min(x for x in [$e, ${WALL:-1e9}]))")
    CPU=$(python3 -c "print(min(x for x in [$c, ${CPU:-1e9}]))")
  done
}

ratio() { python3 -c "print(f'{$1 / max($2, 0.005):.2f}x')"; }

best walk "$floor" "$tree"
walk_wall=$WALL walk_cpu=$CPU
best read "$floor" --read "$tree"
read_wall=$WALL read_cpu=$CPU
best check "$bin" check --format json "$tree"
printf '%-40s %8s %8s\n' "$files files, no call site" "wall s" "CPU s"
printf '%-40s %8s %8s\n' "bare walk (walk_floor)" "$walk_wall" "$walk_cpu"
printf '%-40s %8s %8s\n' "walk reading every file (walk_floor --read)" "$read_wall" "$read_cpu"
printf '%-40s %8s %8s\n' "agentlint check --format json DIR" "$WALL" "$CPU"
printf '%-40s %8s %8s\n' "agentlint / bare walk" "$(ratio "$WALL" "$walk_wall")" "$(ratio "$CPU" "$walk_cpu")"
printf '%-40s %8s %8s\n' "agentlint / walk reading every file" "$(ratio "$WALL" "$read_wall")" "$(ratio "$CPU" "$read_cpu")"
