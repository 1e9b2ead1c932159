#!/usr/bin/env bash
# Times the release binary over the whole real-world corpus in ../shared/corpus, laid out at
# the paths its files have in their repositories (SOURCES.tsv), so each is checked as its kind.
# Uses hyperfine when installed (apt-get install hyperfine), else ten runs under `time`.
# Fails when the corpus is missing, when no file is checked, or when agentlint exits with 2.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
corpus=../shared/corpus
[ -f "$corpus/SOURCES.tsv" ] || { echo "corpus.sh: $corpus/SOURCES.tsv is missing" >&2; exit 1; }
cargo build --release --quiet --bin agentlint
bin="$target/release/agentlint"

tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
tail -n +2 "$corpus/SOURCES.tsv" | while IFS=$'\t' read -r local _repo path _commit; do
  folder=${local%%/*}
  n=$(basename "${local%.*}")
  mkdir -p "$tree/$folder/$n/$(dirname "$path")"
  cp "$corpus/$local" "$tree/$folder/$n/$path"
done
printf 'kinds:\n  "sdk-options/**/*.yaml": deployment\n' >"$tree/.agentlint.yaml"

check() { "$bin" check --format json "$tree" >"$tree.out" 2>/dev/null || [ $? -eq 1 ]; }
check
files=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["files"])' "$tree.out")
rm -f "$tree.out"
[ "$files" -gt 0 ] || { echo "corpus.sh: agentlint checked no file" >&2; exit 1; }
echo "$files files"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 -N -i "$bin check --format json $tree"
else
  time (for _ in 1 2 3 4 5 6 7 8 9 10; do check; done)
  echo "(10 runs)"
fi
