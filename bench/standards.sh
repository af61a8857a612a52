#!/usr/bin/env bash
# Benchmark (not a test): the cost of several standards. Builds the same corpus (same bodies,
# same number of claims) configured with ISO/IEC 20000-1 alone and with the three built-in
# standards (claims spread over them, evidence through mappings on), alternating runs.
#   bench/standards.sh [N=10000] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-5}
one=${TMPDIR:-/tmp}/smsbook-corpus-$n
three=${TMPDIR:-/tmp}/smsbook-corpus-$n-three
corpus=$one
. bench/corpus.sh
[ -f "$three/book.toml" ] || ./target/release/examples/gen-corpus "$three" "$n" --three-standards
place=/dev/shm
declare -A best
for i in $(seq "$runs"); do
  for name in one three; do
    dir=${!name}
    out="$place/smsbook-bench-standards-$$"
    /usr/bin/time -o "$out.time" -f "%e %M" ./target/release/smsbook build "$dir" --dest "$out" --today 2026-12-01 >/dev/null 2>&1
    read -r wall kb <"$out.time"
    rm -rf "$out" "$out.time"
    echo "run $i, $name standard(s): ${wall}s wall, $((kb / 1024)) MiB peak"
    if [ -z "${best[$name]:-}" ] || awk "BEGIN {exit !($wall < ${best[$name]})}"; then best[$name]=$wall; fi
  done
done
echo "best: one standard ${best[one]}s, three standards ${best[three]}s, ratio $(awk "BEGIN {printf \"%.2f\", ${best[three]} / ${best[one]}}") (target: at most 1.20)"
