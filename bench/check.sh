#!/usr/bin/env bash
# Benchmark (not a test): times `smsbook check` on a generated SMS repository.
#   bench/check.sh [N=10000] [RUNS=5]
# Prints wall time, CPU time and peak memory of each run (GNU time) and the best wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-5}
corpus=${CORPUS_DIR:-${TMPDIR:-/tmp}/smsbook-corpus-$n}
. bench/corpus.sh
best=
for i in $(seq "$runs"); do
  timing=$(mktemp)
  /usr/bin/time -o "$timing" -f "%e %U %S %M" ./target/release/smsbook check "$corpus" --today 2026-12-01 >/dev/null
  read -r wall user sys kb <"$timing"
  rm -f "$timing"
  echo "run $i: ${wall}s wall, ${user}s user, ${sys}s sys, $((kb / 1024)) MiB peak"
  if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then best=$wall; fi
done
echo "best wall time: ${best}s (target: under 1 s for 10,000 documents)"
