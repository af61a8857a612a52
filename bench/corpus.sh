# Sourced by the benchmark scripts: builds smsbook and the corpus generator, and generates
# the corpus of $n documents into $corpus once (reused by later runs). Sets $md (its bytes).
cargo build --release --quiet --bin smsbook --example gen-corpus
if [ ! -f "$corpus/book.toml" ]; then
  ./target/release/examples/gen-corpus "$corpus" "$n"
fi
md=$(find "$corpus/src" -name '*.md' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $n documents, $((md / 1024 / 1024)) MiB of Markdown in $corpus"
