#!/usr/bin/env bash
# Benchmark (not a test): `smsbook serve` from saving a file to the new build being served.
#   bench/serve.sh [N=10000|sample] [EDITS=5]   (sample: the repository's sample manual)
# Serves a copy of the generated corpus (on tmpfs), appends a line to one document EDITS
# times, and reports the time from each write until /__smsbook/status shows the new build
# (which is when the pages reload). Includes the watcher's 50 ms debounce.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
edits=${2:-5}
work=$(mktemp -d /dev/shm/smsbook-serve-bench-XXXX)
if [ "$n" = sample ]; then
  cargo build --release --quiet --bin smsbook
  mkdir "$work/sms" && cp -r book.toml sample-sms "$work/sms/"
else
  corpus=${CORPUS_DIR:-${TMPDIR:-/tmp}/smsbook-corpus-$n}
  . bench/corpus.sh
  cp -r "$corpus" "$work/sms"
fi
log="$work/serve.log"
TMPDIR=$work ./target/release/smsbook serve "$work/sms" --port 0 --today 2026-12-01 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -q "serving" "$log"; do sleep 0.2; done
url=$(grep -o 'http://[^ ]*/' "$log" | head -1)
doc=$(find "$work/sms" -name '*.md' ! -name SUMMARY.md | sort | sed -n 10p)
target=$([ "$n" = sample ] && echo "200 ms" || echo "1 s")
python3 - "$url" "$doc" "$edits" "$target" <<'PY'
import json, sys, time, urllib.request
url, doc, edits, target = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def version():
    return json.load(urllib.request.urlopen(url + "__smsbook/status"))["version"]
v = version()
times = []
for i in range(edits):
    with open(doc, "a") as f:
        f.write(f"\nEdit {i} of the benchmark.\n")
    start = time.perf_counter()
    while version() == v:
        time.sleep(0.002)
    times.append((time.perf_counter() - start) * 1000)
    v = version()
    print(f"edit {i + 1}: new build served {times[-1]:.0f} ms after the write")
    time.sleep(0.3)
print(f"best {min(times):.0f} ms, median {sorted(times)[len(times) // 2]:.0f} ms (target: under {target})")
PY
grep "^built" "$log" | tail -n "$((edits + 1))"
