//! Integration tests of `smsbook import comply`: the fixture `tests/fixtures/comply/` is a
//! small comply-shaped repository written for these tests.

mod common;
use common::{smsbook, Run};
use serde_json::Value;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-12-01";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/comply")
}

/// Imports `from` into `<tmp>/sms`, run from `tmp`.
fn import(from: &Path, tmp: &Path) -> Run {
    smsbook(
        &["import", "comply", from.to_str().unwrap(), "--into", "sms"],
        tmp,
    )
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn import_writes_the_repository_and_reports_unmapped_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let run = import(&fixture(), tmp.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let sms = tmp.path().join("sms");
    let mut files: Vec<String> = walk(&sms);
    files.sort();
    assert_eq!(
        files,
        [
            "IMPORT-NOTES.md",
            "book.toml",
            "catalogues/tsc.yaml",
            "src/SUMMARY.md",
            "src/narratives/security.md",
            "src/policies/access.md",
            "src/procedures/offboarding.md",
        ]
    );
    let policy = read(sms.join("src/policies/access.md"));
    assert!(policy.starts_with("---\n"), "{policy}");
    for line in [
        "id: ACP\n",
        "title: \"Access Control Policy\"\n",
        "type: policy\n",
        "status: draft\n",
        "version: \"2.0\"\n",
        "  - tsc:CC6.1\n  - tsc:CC6.2\n",
        "#   Feb 12 2024: Added service accounts\n",
    ] {
        assert!(policy.contains(line), "{line:?} in {policy}");
    }
    let original = read(fixture().join("policies/access.md"));
    let body = original.split_once("\n---\n").unwrap().1;
    assert!(
        policy.ends_with(&format!("\n---\n{body}")),
        "body kept exactly"
    );
    let procedure = read(sms.join("src/procedures/offboarding.md"));
    assert!(procedure.contains("id: OFFBOARD\n") && procedure.contains("type: procedure\n"));
    assert!(procedure.contains("# cron: \"0 9 * * 1\"\n"), "{procedure}");
    assert!(
        procedure.ends_with("2. Revoke API keys --- and rotate any shared secrets they knew.\n")
    );
    let narrative = read(sms.join("src/narratives/security.md"));
    assert!(narrative.contains("id: SECURITY\n") && narrative.contains("type: guide\n"));
    let book = read(sms.join("book.toml"));
    assert!(book.contains("standards = [\"tsc\"]\ncatalogues = [\"catalogues/tsc.yaml\"]\n"));
    assert!(book.contains("organization = \"Tidewater Analytics\""));
    let catalogue = read(sms.join("catalogues/tsc.yaml"));
    assert!(catalogue.contains(
        "  - number: \"CC6.2\"\n    title: \"Granting and removing access\"\n    summary: \"Accounts are approved"
    ));
    // The summary reports every field without a counterpart, with its place.
    let shown = fixture().join("procedures/offboarding.md");
    assert!(
        run.stdout
            .contains(&format!("{}:3:1: `cron`", shown.display())),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("TSC.yml:18:3: `CC7.3.owner`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("comply.yml:3:1: `tickets`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("not imported: policies/README.md, templates/"),
        "{}",
        run.stdout
    );
    let notes = read(sms.join("IMPORT-NOTES.md"));
    assert!(
        notes.contains("- `procedures/offboarding.md:3:1` `cron`"),
        "{notes}"
    );
    assert!(
        !notes.contains(env!("CARGO_MANIFEST_DIR")),
        "notes name files relative to DIR"
    );
}

#[test]
fn imported_repository_checks_and_builds_with_drafts_as_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(import(&fixture(), tmp.path()).code, 0);
    let run = smsbook(
        &["check", "sms", "--format", "json", "--today", TODAY],
        tmp.path(),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0, "{:#}", json["findings"]);
    assert_eq!(json["summary"]["standard"], "tsc");
    assert_eq!(json["summary"]["documents"], 3);
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["draft-only"; 4], "one per claimed control");
    let cc62 = json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == "CC6.2")
        .unwrap();
    assert_eq!(cc62["status"], "partial");
    assert_eq!(cc62["documents"].as_array().unwrap().len(), 2);
    assert_eq!(cc62["parent"], "CC6");
    let run = smsbook(&["build", "sms", "--today", TODAY], tmp.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let site = tmp.path().join("sms/book");
    assert!(site.join("policies/access.html").is_file());
    assert!(site.join("clauses/CC6.1.html").is_file());
}

#[test]
fn import_refuses_a_non_empty_target_and_a_missing_dir() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("sms")).unwrap();
    std::fs::write(tmp.path().join("sms/mine.txt"), "keep").unwrap();
    let run = import(&fixture(), tmp.path());
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("`sms` is not empty (it has mine.txt)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        walk(&tmp.path().join("sms")),
        ["mine.txt"],
        "nothing written"
    );
    let run = smsbook(
        &["import", "comply", "nowhere", "--into", "other"],
        tmp.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("nowhere` is not a folder"),
        "{}",
        run.stderr
    );
    // An empty target is fine.
    std::fs::remove_file(tmp.path().join("sms/mine.txt")).unwrap();
    assert_eq!(import(&fixture(), tmp.path()).code, 0);
}

#[test]
fn broken_comply_files_give_located_errors_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let comply = tmp.path().join("comply");
    common::copy_tree(&fixture(), &comply);
    std::fs::write(
        comply.join("policies/access.md"),
        "name: Access Control Policy\nsatisfies:\n  TSC: [CC6.1\n---\n\nBody\n",
    )
    .unwrap();
    std::fs::write(
        comply.join("procedures/offboarding.md"),
        "id: offboard\nname: Offboarding\nsatisfies:\n  SOC3: [CC6.2]\n  TSC: [CC6.9]\n---\nBody\n",
    )
    .unwrap();
    let run = import(&comply, tmp.path());
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("error[import-syntax]: invalid YAML"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("policies/access.md:4:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error[import-unknown-standard]: `satisfies` names the standard `SOC3`, which no standards file defines"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("procedures/offboarding.md:4:3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("standards in standards/: TSC"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error[import-unknown-control]: control `CC6.9` is not in the standard `TSC`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("procedures/offboarding.md:5:9"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("sms").exists(), "nothing written");
    let leftovers: Vec<String> = walk(tmp.path())
        .into_iter()
        .filter(|p| p.contains("smsbook-import"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Every file under `dir`, relative, with `/`.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}
