#!/usr/bin/env bash
# Benchmark (not a test): times `smsbook build` on a generated SMS repository.
#   bench/build.sh [N=10000] [RUNS=5]
# Each run builds into a fresh folder, on tmpfs (/dev/shm) and on disk, and reports wall
# time, CPU time, peak memory (GNU time) and the output size against the Markdown size.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-5}
corpus=${CORPUS_DIR:-${TMPDIR:-/tmp}/smsbook-corpus-$n}
. bench/corpus.sh
for place in /dev/shm "${DISK_DIR:-$PWD/target}"; do
  [ -d "$place" ] || continue
  best=
  for i in $(seq "$runs"); do
    out="$place/smsbook-bench-out-$$-$i"
    /usr/bin/time -o "$out.time" -f "%e %U %S %M" ./target/release/smsbook build "$corpus" --dest "$out" --today 2026-12-01 >/dev/null 2>&1
    read -r wall user sys kb <"$out.time"
    rm -f "$out.time"
    size=$(du -sb "$out" | cut -f1)
    echo "$place run $i: ${wall}s wall, ${user}s user, ${sys}s sys, $((kb / 1024)) MiB peak, output $((size / 1024 / 1024)) MiB ($(awk "BEGIN {printf \"%.2f\", $size / $md}")x the Markdown)"
    rm -rf "$out"
    if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then best=$wall; fi
  done
  echo "$place best wall time: ${best}s (target: under 2 s and 300 MB for 10,000 documents)"
done
