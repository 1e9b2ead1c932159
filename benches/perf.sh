#!/usr/bin/env bash
# What users wait for: the CPU time and peak memory of whole `agentlint` processes on generated
# data sets, beside a parse floor (examples/parse_floor.rs: read and parse the same files,
# nothing more) and beside agnix, another linter of Claude Code files, in the same run. CPU
# seconds (user + system) are the stable figure on a loaded machine, the least of
# $AGENTLINT_BENCH_RUNS runs (default 3); ratios are what to compare.
#
#   bash benches/perf.sh            all rows (the 100k set takes a few minutes to generate)
#   AGENTLINT_BENCH_SETS="deploy-10k settings" bash benches/perf.sh
#
# Data sets go to $AGENTLINT_BENCH_DATA (default: a folder under $TMPDIR, outside the
# repository, whose .gitignore would hide them from a directory check). agnix 0.59.3 is
# installed from PyPI into a virtualenv there. Every step fails loudly: a missing input, a
# check that found no files, or an exit code other than 0 or 1 stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
data="${AGENTLINT_BENCH_DATA:-${TMPDIR:-/tmp}/agentlint-bench-data}"
sets="${AGENTLINT_BENCH_SETS:-single deploy-1k deploy-10k deploy-100k fleet-20k settings}"
mkdir -p "$data"

cargo build --release --quiet --bin agentlint --example parse_floor
bin="$target/release/agentlint"
floor="$target/release/examples/parse_floor"
[ -x "$bin" ] && [ -x "$floor" ] || { echo "perf.sh: the release build did not produce $bin and $floor" >&2; exit 1; }

generated=""
for s in $sets; do [ "$s" = single ] || generated="$generated $s"; done
AGENTLINT_BENCH_SETS="$generated" python3 benches/gen_datasets.py "$data" ../shared/corpus

agnix=""
if [[ " $sets " == *" settings "* ]]; then
  if [ ! -x "$data/agnix-venv/bin/agnix" ]; then
    python3 -m venv "$data/agnix-venv"
    "$data/agnix-venv/bin/pip" install --quiet --disable-pip-version-check "agnix==0.59.3"
  fi
  agnix="$data/agnix-venv/bin/agnix"
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# run NAME -- COMMAND…: the command $runs times under /usr/bin/time; sets CPU (seconds, the
# least of the runs: other load on the machine only ever adds to it) and RSS (MiB, the most).
# agentlint exits 1 when it has findings; anything else but 0 is a failure.
runs="${AGENTLINT_BENCH_RUNS:-3}"
run() {
  local name="$1"
  shift 2
  local best="" most=0 i code user sys kib cpu
  for ((i = 0; i < runs; i++)); do
    code=0
    /usr/bin/time -f "%U %S %M" -o "$scratch/time" "$@" >"$scratch/out" 2>"$scratch/err" || code=$?
    if [ "$code" -gt 1 ]; then
      echo "perf.sh: $name exited $code:" >&2
      head -c 2000 "$scratch/err" >&2
      exit 1
    fi
    # GNU time puts "Command exited with non-zero status 1" first when there are findings.
    read -r user sys kib < <(tail -n 1 "$scratch/time")
    cpu=$(python3 -c "print(f'{$user + $sys:.2f}')")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $cpu < $best else 1)"; then best=$cpu; fi
    [ "$kib" -gt "$most" ] && most=$kib
  done
  CPU=$best
  RSS=$(python3 -c "print(f'{$most / 1024:.0f}')")
}

# files_checked: the number of files agentlint reports in its JSON summary; fails on zero.
files_checked() {
  local n
  n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["files"])' "$scratch/out")
  [ "$n" -gt 0 ] || { echo "perf.sh: agentlint checked no file" >&2; exit 1; }
  echo "$n"
}

ratio() { python3 -c "print(f'{$1 / max($2, 0.005):.2f}x')"; }

printf '%-34s %10s %8s  %s\n' "what" "CPU s" "peak MiB" "notes"
for s in $sets; do
  case "$s" in
    single)
      # 200 processes: a pre-commit run checks a handful of files, so start-up is what counts.
      # The shell loop's own cost (a fork and exec of /bin/true) is measured too and taken off.
      run "loop" -- bash -c "for i in \$(seq 200); do /bin/true; done"
      loop=$CPU
      run "single" -- bash -c "for i in \$(seq 200); do '$bin' check --format json fixtures/hardened.yaml >/dev/null; done"
      per=$(python3 -c "print(f'{($CPU - $loop) / 200 * 1000:.1f}')")
      run "version" -- bash -c "for i in \$(seq 200); do '$bin' --version >/dev/null; done"
      base=$(python3 -c "print(f'{($CPU - $loop) / 200 * 1000:.1f}')")
      printf '%-34s %10s %8s  %s\n' "check hardened.yaml (per process)" "${per}ms" "" \
        "--version: ${base}ms per process (the shell loop's $(python3 -c "print(f'{$loop / 200 * 1000:.1f}')")ms each taken off)"
      ;;
    deploy-*)
      dir="$data/$s"
      [ -d "$dir" ] || { echo "perf.sh: $dir is missing" >&2; exit 1; }
      run "$s floor" -- "$floor" "$dir"
      floor_cpu=$CPU floor_rss=$RSS
      run "$s" -- "$bin" check --format json "$dir"
      n=$(files_checked)
      printf '%-34s %10s %8s  %s\n' "$s: check --format json" "$CPU" "$RSS" \
        "$n files; parse floor ${floor_cpu}s ${floor_rss} MiB; agentlint/floor $(ratio "$CPU" "$floor_cpu")"
      ;;
    fleet-20k)
      file="$data/fleet-20k/fleet.agent.yaml"
      [ -f "$file" ] || { echo "perf.sh: $file is missing" >&2; exit 1; }
      run "fleet json" -- "$bin" check --format json "$file"
      files_checked >/dev/null
      json_cpu=$CPU json_rss=$RSS
      run "fleet human" -- "$bin" check --color never "$file"
      printf '%-34s %10s %8s  %s\n' "fleet-20k (9.7 MB): json" "$json_cpu" "$json_rss" ""
      printf '%-34s %10s %8s  %s\n' "fleet-20k: human" "$CPU" "$RSS" "human/json $(ratio "$CPU" "$json_cpu")"
      ;;
    settings)
      dir="$data/settings"
      [ -d "$dir" ] || { echo "perf.sh: $dir is missing" >&2; exit 1; }
      run "settings agnix" -- "$agnix" --max-files 0 "$dir"
      agnix_cpu=$CPU agnix_rss=$RSS
      run "settings" -- "$bin" check --format json "$dir"
      n=$(files_checked)
      printf '%-34s %10s %8s  %s\n' "settings x147: check --format json" "$CPU" "$RSS" \
        "$n files; agnix ${agnix_cpu}s ${agnix_rss} MiB; CPU $(ratio "$CPU" "$agnix_cpu") memory $(ratio "$RSS" "$agnix_rss") of agnix"
      ;;
    *)
      echo "perf.sh: unknown data set $s" >&2
      exit 1
      ;;
  esac
done
