#!/usr/bin/env bash
# Benchmark (not a test): `smsbook build` at 1,000, 10,000 and 100,000 documents, and mdBook
# (if installed: `cargo install mdbook`) as a reference on the same bodies without front
# matter at 1,000 and 10,000.
#   bench/scale.sh [SIZES="1000 10000 100000"] [RUNS=3]
# MDBOOK_MAX (default 10000): the largest corpus mdBook is run on (each run at 10,000 takes
# minutes).
# Corpora are generated once into $CORPORA (default /dev/shm, ~400 MB at 100,000); every
# build writes a fresh folder there. Prints one table row per build: wall, CPU (user + sys),
# peak memory (GNU time) and output size against the Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"1000 10000 100000"}
runs=${2:-3}
place=${CORPORA:-/dev/shm}
cargo build --release --quiet --bin smsbook --example gen-corpus
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "| tool | documents | Markdown | best wall | CPU (user + sys) | peak memory | output | × Markdown | ms per document |"
echo "|---|---|---|---|---|---|---|---|---|"
measure() { # tool n markdown-bytes command...
  local tool=$1 n=$2 md=$3 out=$4; shift 4
  local best= line=
  for i in $(seq "$runs"); do
    rm -rf "$out"
    /usr/bin/time -o "$out.time" -f "%e %U %S %M" "$@" >/dev/null 2>&1
    read -r wall user sys kb <"$out.time"
    rm -f "$out.time"
    size=$(du -sb "$out" | cut -f1)
    if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then
      best=$wall
      line="| $tool | $n | $((md / 1048576)) MiB | ${wall} s | $(awk "BEGIN {printf \"%.2f\", $user + $sys}") s | $((kb / 1024)) MiB | $((size / 1048576)) MiB | $(awk "BEGIN {printf \"%.2f\", $size / $md}") | $(awk "BEGIN {printf \"%.3f\", $wall * 1000 / $n}") |"
    fi
  done
  rm -rf "$out"
  echo "$line"
}
for n in $sizes; do
  corpus=$place/smsbook-corpus-$n
  [ -f "$corpus/book.toml" ] || ./target/release/examples/gen-corpus "$corpus" "$n" 2>/dev/null
  md=$(find "$corpus/src" -name '*.md' -printf '%s\n' | awk '{s+=$1} END {print s}')
  measure smsbook "$n" "$md" "$place/smsbook-scale-out" ./target/release/smsbook build "$corpus" --dest "$place/smsbook-scale-out" --today 2026-12-01
  if [ "$n" -le 10000 ]; then
    measure "smsbook check" "$n" "$md" "$place/smsbook-scale-check" sh -c "mkdir -p $place/smsbook-scale-check && exec ./target/release/smsbook check $corpus --today 2026-12-01"
  fi
  if [ "$n" -le "${MDBOOK_MAX:-10000}" ] && command -v mdbook >/dev/null; then
    plain=$place/smsbook-corpus-$n-plain
    if [ ! -f "$plain/book.toml" ]; then
      ./target/release/examples/gen-corpus "$plain" "$n" --no-front-matter 2>/dev/null
      # mdBook needs [book] src (default src) and SUMMARY.md, which the generator writes;
      # its book.toml takes a title and the build folder.
      printf '[book]\ntitle = "Generated SMS"\n\n[build]\nbuild-dir = "book"\n' >"$plain/book.toml"
    fi
    pmd=$(find "$plain/src" -name '*.md' -printf '%s\n' | awk '{s+=$1} END {print s}')
    measure mdbook "$n" "$pmd" "$place/mdbook-scale-out" mdbook build "$plain" --dest-dir "$place/mdbook-scale-out"
  fi
done
