#!/usr/bin/env bash
# Benchmark (not a test): what reading the git history costs `smsbook build` and `check`.
#   bench/history.sh [N=10000] [COMMITS=1000] [RUNS=3]
# Puts the generated corpus of N documents into a git repository with COMMITS commits (the
# first adds everything; each later one edits the body of 5 documents, every 10th also
# renames one and rewrites the links to it, every 7th re-approves one), then times `build` and
# `check` with and without history (`--no-history`), alternating runs, and prints the best wall
# times. The site is written to tmpfs (/dev/shm). The repository is packed (`git gc`) unless
# LOOSE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
commits=${2:-1000}
runs=${3:-3}
corpus=${CORPUS_DIR:-${TMPDIR:-/tmp}/smsbook-corpus-$n}
. bench/corpus.sh
repo=${HISTORY_DIR:-${TMPDIR:-/tmp}/smsbook-history-$n-$commits}
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Bench Author" GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME="Bench Author" GIT_COMMITTER_EMAIL=bench@example.com
if [ ! -f "$repo/.done" ]; then
  rm -rf "$repo"
  cp -r "$corpus" "$repo"
  cd "$repo"
  git init -q -b main
  stamp() { date -u -d "2026-01-01 + $1 hours" +%Y-%m-%dT%H:%M:%SZ; }
  export GIT_AUTHOR_DATE=$(stamp 0) GIT_COMMITTER_DATE=$(stamp 0)
  git add -A && git commit -q -m "Corpus"
  mapfile -t files < <(git ls-files 'src/*.md' | grep -v SUMMARY.md)
  count=${#files[@]}
  for i in $(seq 1 $((commits - 1))); do
    export GIT_AUTHOR_DATE=$(stamp "$i") GIT_COMMITTER_DATE=$(stamp "$i")
    for k in 0 1 2 3 4; do
      f=${files[$(((i * 37 + k * 1009) % count))]}
      printf '\nEdit %s of commit %s.\n' "$k" "$i" >>"$f"
      git add "$f"
    done
    if [ $((i % 7)) -eq 0 ]; then
      f=${files[$(((i * 53) % count))]}
      sed -i "s/^approved_on: .*/approved_on: ${GIT_AUTHOR_DATE%%T*}/" "$f"
      git add "$f"
    fi
    if [ $((i % 10)) -eq 0 ]; then
      idx=$(((i * 101) % count))
      f=${files[$idx]}
      new="${f%.md}-r$i.md"
      git mv "$f" "$new"
      files[$idx]=$new
      # Links to it (`../dir/name.md#anchor`, `dir/name.md` in SUMMARY.md) follow the rename.
      old_rel=${f#src/} new_rel=${new#src/}
      grep -rlF --include='*.md' "$old_rel" src | while read -r linking; do
        sed -i "s#\([/(]\)${old_rel//./\\.}#\1${new_rel}#g" "$linking"
        git add "$linking"
      done
    fi
    git commit -q -m "Commit $i"
  done
  # Packed, as a clone (or git's own automatic gc) leaves it: with thousands of loose trees
  # `git log --raw` spends twice the CPU inflating them.
  [ -n "${LOOSE:-}" ] || git gc --quiet
  touch .done
  cd - >/dev/null
  echo "repository: $commits commits in $repo"
fi
bin=./target/release/smsbook
best() { sort -n | head -1; }
# `/usr/bin/time` prints "wall user sys peak-KiB"; the command's own output is dropped.
timed() {
  local tf=/dev/shm/smsbook-history-time-$$
  /usr/bin/time -o "$tf" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || true
  tail -1 "$tf"; rm -f "$tf"
}
shown() { read -r wall user sys kib <<<"$1"; echo "${wall}s (CPU ${user}+${sys}s, $((kib / 1024)) MiB)"; }
declare -A times
for i in $(seq "$runs"); do
  for mode in history no-history; do
    flag=; [ "$mode" = no-history ] && flag=--no-history
    out=/dev/shm/smsbook-history-bench-$$
    t=$(timed $bin build "$repo" --dest "$out" --today 2026-12-01 $flag)
    [ -f "$out/index.html" ] || { echo "build wrote no site: $bin build $repo $flag" >&2; exit 1; }
    rm -rf "$out"
    c=$(timed $bin check "$repo" --today 2026-12-01 $flag)
    echo "run $i $mode: build $(shown "$t"), check $(shown "$c")"
    times[$mode-build]+="${t%% *} "
    times[$mode-check]+="${c%% *} "
  done
done
for key in history-build no-history-build history-check no-history-check; do
  echo "$key best: $(echo ${times[$key]} | tr ' ' '\n' | best)s"
done
echo "findings from history: $($bin check "$repo" --today 2026-12-01 --format json | grep -cE '"code": "(changed-after-approval|version-not-bumped)"' || true)"
