//! Writes a synthetic, realistic SMS repository of N documents for benchmarks.
//!
//! ```text
//! cargo run --release --example gen-corpus -- OUT_DIR [N] [--seed S] [--no-front-matter]
//!                                               [--three-standards]
//! ```
//!
//! Deterministic for a given N and seed. Each document has front matter with 1–4
//! `satisfies` entries spread over the built-in catalogue, a status and dates that produce
//! every coverage status, 2–6 KB of Markdown with headings, a table, a code block and links
//! with anchors to other documents. `--no-front-matter` writes the same bodies without
//! front matter (for tools that do not read it). `--three-standards` spreads the same number
//! of claims over ISO/IEC 20000-1, ISO/IEC 27001 and ISO 9001, with evidence through mappings
//! switched on; the bodies stay the same, so the two corpora compare the cost of standards.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut seed = 42u64;
    let mut front_matter = true;
    let mut three = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--seed" => {
                seed = iter
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--seed takes a number")
            }
            "--no-front-matter" => front_matter = false,
            "--three-standards" => three = true,
            other => positional.push(other.to_string()),
        }
    }
    let out = PathBuf::from(
        positional
            .first()
            .expect("usage: gen-corpus OUT_DIR [N] [--seed S] [--no-front-matter]"),
    );
    let count: usize = positional
        .get(1)
        .map_or(1000, |n| n.parse().expect("N is a number"));
    corpus::generate(&out, count, seed, front_matter, three);
    eprintln!("wrote {count} documents to {}", out.display());
}
