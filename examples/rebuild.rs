//! Times an incremental rebuild (what `serve` does after a save) without the file watcher:
//!
//! ```text
//! cargo run --release --example rebuild -- ROOT DEST [EDITS]
//! ```
//!
//! Builds ROOT into DEST once, then EDITS times appends a line to one document, loads the
//! project again and rebuilds incrementally; prints the load and build times of each round.

use std::io::Write;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(dest)) = (args.first(), args.get(1)) else {
        eprintln!("usage: rebuild ROOT DEST [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(2).and_then(|e| e.parse().ok()).unwrap_or(5);
    let root = std::path::Path::new(root);
    let dest = std::path::Path::new(dest);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("a date");
    let mut cache = smsbook::BuildCache::default();
    for round in 0..=edits {
        let started = Instant::now();
        let project = smsbook::load_cached(root, today, true, Some(&cache))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let loaded = started.elapsed();
        let built = smsbook::build_incremental(&project, dest, &mut cache)
            .unwrap_or_else(|e| panic!("{e:?}"));
        println!(
            "round {round}: load {} ms, build {} ms, total {} ms ({} written, {} reused)",
            loaded.as_millis(),
            (started.elapsed() - loaded).as_millis(),
            started.elapsed().as_millis(),
            built.written,
            built.reused
        );
        let doc = &project.manual.documents[project.manual.documents.len() / 2];
        let path = project.config.source_dir().join(&doc.path);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("the document opens");
        writeln!(file, "\nEdit {round}.").expect("the document is writable");
    }
}
