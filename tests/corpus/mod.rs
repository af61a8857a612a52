//! The synthetic SMS repository of the benchmarks (`examples/gen-corpus.rs`) and of the
//! output-size guard (`tests/size.rs`): deterministic for a given N and seed.

#![allow(dead_code)]

use smsbook::catalog::Catalog;
use std::fmt::Write;
use std::path::Path;

/// SplitMix64: a tiny deterministic generator, enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const TYPES: &[(&str, &str, &str)] = &[
    ("policy", "policies", "POL"),
    ("plan", "plans", "PLN"),
    ("process", "processes", "PRC"),
    ("procedure", "procedures", "PRD"),
    ("agreement", "agreements", "AGR"),
    ("record", "records", "REC"),
    ("register", "registers", "REG"),
    ("guide", "guides", "GDE"),
];
const OWNERS: &[&str] = &[
    "Head of Service Management",
    "Change Manager",
    "Service Desk Lead",
    "Supplier Manager",
    "Information Security Manager",
];
const WORDS: &[&str] = &[
    "service",
    "change",
    "incident",
    "customer",
    "supplier",
    "review",
    "record",
    "approval",
    "capacity",
    "risk",
    "availability",
    "continuity",
    "release",
    "request",
    "problem",
    "report",
    "target",
    "owner",
    "evidence",
    "control",
    "the",
    "and",
    "of",
    "to",
    "is",
    "every",
    "within",
    "after",
    "before",
    "team",
    "agreed",
    "monitored",
    "logged",
];
const SECTIONS: &[&str] = &[
    "Purpose",
    "Scope",
    "Roles and responsibilities",
    "Activities",
    "Measures and targets",
    "Related documents",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s.push('.');
    s
}

/// Writes a repository of `count` documents into `out` (see `examples/gen-corpus.rs`).
pub fn generate(out: &Path, count: usize, seed: u64, front_matter: bool, three: bool) {
    let catalogs = Catalog::built_in();
    let used = if three { &catalogs[..] } else { &catalogs[..1] };
    let leaves: Vec<String> = used
        .iter()
        .enumerate()
        .flat_map(|(standard, catalog)| {
            catalog
                .clauses
                .iter()
                .filter(|c| c.children.is_empty())
                .map(move |c| match standard {
                    0 => c.number.clone(),
                    _ => format!("{}:{}", catalog.prefix, c.number),
                })
        })
        .collect();
    let leaves: Vec<&str> = leaves.iter().map(String::as_str).collect();
    let src = out.join("src");
    for (_, folder, _) in TYPES {
        std::fs::create_dir_all(src.join(folder)).expect("create folders");
    }
    let mut rng = Rng(seed);
    let path_of = |i: usize| {
        let (_, folder, prefix) = TYPES[i % TYPES.len()];
        (
            format!("{folder}/{}-{i:06}.md", prefix.to_lowercase()),
            format!("{prefix}-{i:06}"),
        )
    };
    let mut summary = String::from("# Summary\n\n");
    for i in 0..count {
        let (doc_type, _, _) = TYPES[i % TYPES.len()];
        let (path, id) = path_of(i);
        let title = format!(
            "{} {}",
            capitalise(rng.pick(WORDS)),
            capitalise(rng.pick(WORDS))
        );
        let mut text = String::new();
        if front_matter {
            // Most documents approved and in date; some drafts, some overdue, some old records.
            let roll = rng.below(100);
            let status = match roll {
                0..=7 => "draft",
                8..=11 => "in-review",
                12..=13 => "retired",
                _ => "approved",
            };
            let approved_year = if roll % 17 == 0 { 2024 } else { 2026 };
            let month = 1 + rng.below(10);
            let _ = writeln!(text, "---\nid: {id}\ntitle: {title} {i}\ntype: {doc_type}\nowner: {}\nstatus: {status}\nversion: \"{}.{}\"", rng.pick(OWNERS), 1 + rng.below(4), rng.below(10));
            if status == "approved" || status == "retired" {
                let _ = writeln!(text, "approved_by: Head of Service Management\napproved_on: {approved_year}-{month:02}-15");
            }
            if doc_type == "record" {
                let _ = writeln!(text, "date: {approved_year}-{month:02}-10");
            } else {
                let _ = writeln!(text, "review_by: {}-{month:02}-15", approved_year + 1);
            }
            if doc_type != "guide" {
                text.push_str("satisfies:\n");
                for _ in 0..1 + rng.below(4) {
                    let _ = writeln!(text, "  - {}", rng.pick(&leaves));
                }
            }
            let _ = writeln!(text, "audience: [all-staff]\n---");
        } else {
            let _ = writeln!(text, "# {title} {i}\n");
        }
        let target_size = 2000 + rng.below(4000);
        let mut section = 0;
        while text.len() < target_size {
            let heading = SECTIONS[section % SECTIONS.len()];
            let suffix = if section >= SECTIONS.len() {
                format!(" {}", section / SECTIONS.len())
            } else {
                String::new()
            };
            let _ = writeln!(text, "\n## {heading}{suffix}\n");
            for _ in 0..2 + rng.below(3) {
                let (long, short) = (8 + rng.below(10), 6 + rng.below(8));
                let (first, second) = (sentence(&mut rng, long), sentence(&mut rng, short));
                let _ = writeln!(text, "{first} {second}");
            }
            match section % 4 {
                0 => {
                    let _ = writeln!(text, "\n| Step | Owner | Output |\n|---|---|---|");
                    for step in 1..=3 + rng.below(3) {
                        let owner = rng.pick(OWNERS);
                        let output = sentence(&mut rng, 3);
                        let _ = writeln!(text, "| {step} | {owner} | {output} |");
                    }
                }
                1 => {
                    let _ = writeln!(text, "\n```bash\n# check step {section}\nsmsbook check --strict\necho \"done: $?\"\n```");
                }
                _ => {
                    let other = rng.below(count.max(1));
                    let (other_path, other_id) = path_of(other);
                    let anchor = if rng.below(2) == 0 {
                        "#purpose"
                    } else {
                        "#scope"
                    };
                    let _ = writeln!(
                        text,
                        "\nSee [{other_id}](../{other_path}{anchor}) and [clause 8.1](clause:8.1)."
                    );
                }
            }
            section += 1;
        }
        std::fs::write(src.join(&path), text).expect("write document");
        let _ = writeln!(summary, "- [{title} {i}]({path})");
    }
    std::fs::write(src.join("SUMMARY.md"), summary).expect("write SUMMARY.md");
    let mut config = String::from("[book]\ntitle = \"Generated SMS\"\n");
    if three {
        let ids: Vec<String> = used.iter().map(|c| format!("\"{}\"", c.id)).collect();
        let _ = write!(
            config,
            "\n[sms]\nstandards = [{}]\n\n[mappings]\nindirect-evidence = true\n",
            ids.join(", ")
        );
    }
    std::fs::write(out.join("book.toml"), config).expect("write book.toml");
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
