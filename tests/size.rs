//! A regression guard that is not a timing: the output size of a generated repository of
//! 2,000 documents (the benchmarks' generator) against its Markdown.

mod corpus;

use std::path::Path;
use std::process::Command;

fn bytes(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            total += bytes(&path, keep);
        } else if keep(&path) {
            total += entry.metadata().unwrap().len();
        }
    }
    total
}

/// The whole site (pages, print pack, search index, exports) stays within the bound
/// of the Markdown it is built from: 2.5× (2.43× when this was written; `bench/RESULTS.md`),
/// so that a change which makes every page bigger fails here.
const MAX_RATIO: f64 = 2.5;

#[test]
fn the_site_of_2000_documents_stays_within_its_size_bound() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    corpus::generate(&corpus, 2000, 42, true, false);
    let site = dir.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_smsbook"))
        .args(["build", "-q", "--today", "2026-12-01", "--dest"])
        .arg(&site)
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(status.success());
    let markdown = bytes(&corpus.join("src"), &|p| {
        p.extension().is_some_and(|e| e == "md")
    });
    let output = bytes(&site, &|_| true);
    let ratio = output as f64 / markdown as f64;
    eprintln!("{output} bytes of output for {markdown} of Markdown: {ratio:.2}×");
    assert!(
        ratio < MAX_RATIO,
        "output is {ratio:.2}× the Markdown (bound {MAX_RATIO}×)"
    );
}
