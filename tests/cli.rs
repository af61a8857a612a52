//! Integration tests: run the built `smsbook` binary on the sample SMS and on fixture
//! repositories under `tests/fixtures/`, one per kind of bad input.

mod common;
use common::{copy_tree, smsbook, Run};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const TODAY: &str = "2026-12-01";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// `check` of a fixture, as text, run from the fixture's folder.
fn check_fixture(name: &str) -> Run {
    smsbook(&["check", "--today", TODAY], &fixture(name))
}

/// The JSON report of the sample, computed once for all tests.
fn sample_json() -> &'static Value {
    static JSON: OnceLock<Value> = OnceLock::new();
    JSON.get_or_init(|| {
        let run = smsbook(&["check", "--format", "json", "--today", TODAY], &repo());
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).expect("valid JSON")
    })
}

fn clause<'v>(json: &'v Value, number: &str) -> &'v Value {
    json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number && c["standard"] == "iso20000-1:2018")
        .unwrap_or_else(|| panic!("clause {number} in the report"))
}

fn status(json: &Value, number: &str) -> String {
    clause(json, number)["status"].as_str().unwrap().to_string()
}

fn reason_codes(json: &Value, number: &str) -> Vec<String> {
    clause(json, number)["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sample_checks_clean_with_every_status() {
    let json = sample_json();
    assert_eq!(json["schema"], "smsbook-check/1");
    assert_eq!(json["summary"]["errors"], 0, "{:#?}", json["findings"]);
    assert!(json["summary"]["warnings"].as_u64().unwrap() > 0);
    assert!(json["summary"]["documents"].as_u64().unwrap() >= 40);
    // The deliberate weaknesses of the sample, one of each kind.
    for gap in ["7.6", "8.4.2", "8.2.3"] {
        assert_eq!(status(json, gap), "gap", "{gap}");
    }
    assert_eq!(reason_codes(json, "8.4.3"), ["draft-only"]);
    assert_eq!(reason_codes(json, "8.5.3"), ["draft-only"]);
    assert!(reason_codes(json, "8.7.1").contains(&"review-overdue".to_string()));
    assert_eq!(reason_codes(json, "9.3"), ["record-stale"]);
    assert_eq!(reason_codes(json, "8.6.3"), ["record-missing"]);
    assert_eq!(status(json, "8.3.4.2"), "excluded");
    assert!(clause(json, "8.3.4.2")["exclusion"]
        .as_str()
        .unwrap()
        .contains("internal supplier"));
    // Well-supported clauses.
    for ok in ["4.3", "5.2.1", "8.5.1", "8.6.1", "9.2", "10.1"] {
        assert_eq!(status(json, ok), "satisfied", "{ok}");
    }
    // Roll-up: 8.2 has a gap child, 8.5.1 has only satisfied children.
    assert_eq!(status(json, "8.2"), "partial");
    let change = clause(json, "8.5.1.3");
    assert!(change["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == "PRC-CHG-001" && d["section"] == "assessing-and-approving-changes"));
    // Documents of every type, and the plain home page.
    let docs = json["documents"].as_array().unwrap();
    for t in [
        "policy",
        "plan",
        "process",
        "procedure",
        "agreement",
        "record",
        "register",
        "guide",
    ] {
        assert!(docs.iter().any(|d| d["type"] == t), "a {t}");
    }
    assert!(docs
        .iter()
        .any(|d| d["id"].is_null() && d["path"] == "introduction.md"));
    let avail = docs.iter().find(|d| d["id"] == "PLN-AVL-001").unwrap();
    assert_eq!(avail["review_overdue"], true);
    let change_doc = docs.iter().find(|d| d["id"] == "PRC-CHG-001").unwrap();
    assert!(!change_doc["referenced_by"].as_array().unwrap().is_empty());
}

#[test]
fn sample_text_check_exits_zero_with_a_summary() {
    let run = smsbook(&["check", "--today", TODAY], &repo());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("warning[gap]: clause 7.6 Knowledge has no supporting document"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("ISO/IEC 20000-1:2018: 77 clauses as of 2026-12-01"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("result: 0 errors"), "{}", run.stdout);
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour when not on a terminal"
    );
}

#[test]
fn strict_fails_on_gaps() {
    let run = smsbook(&["check", "--strict", "--today", TODAY], &repo());
    assert_eq!(run.code, 1);
}

#[test]
fn explicit_root_and_clauses_command() {
    let run = smsbook(&["clauses", "sample-sms/..", "--today", TODAY], &repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("8.4.3 "))
        .unwrap();
    assert!(
        line.contains("partial") && line.contains("PLN-CAP-001"),
        "{line}"
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("      8.5.1.1 Change management policy")),
        "{}",
        run.stdout
    );
    let run = smsbook(&["clauses", "--format", "json", "--today", TODAY], &repo());
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    // The sample uses ISO/IEC 20000-1 (77 clauses) and ISO/IEC 27001 (139 with Annex A).
    let clauses = json["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 77 + 139);
    assert_eq!(
        clauses
            .iter()
            .filter(|c| c["standard"] == "iso20000-1:2018")
            .count(),
        77
    );
}

#[test]
fn minimal_fixture_with_user_catalogue_and_plain_page() {
    let run = smsbook(
        &["check", ".", "--format", "json", "--today", TODAY],
        &fixture("minimal"),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let standards: Vec<&str> = json["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(standards, ["iso20000-1:2018", "acme-contract:2026"]);
    let acme = json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["reference"] == "acme:1.1")
        .unwrap();
    assert_eq!(
        acme["status"], "partial",
        "an approved policy but no record"
    );
    assert_eq!(status(&json, "8.6.1"), "partial");
    assert_eq!(status(&json, "5.2"), "satisfied");
    let plain = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "readme.md")
        .unwrap();
    assert_eq!(plain["title"], "About this SMS");
    assert!(plain["id"].is_null());
}

/// Asserts a failing check: exit code, `file:line:column` and a message fragment.
fn assert_error(run: &Run, code: i32, location: &str, message: &str) {
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(run.code, code, "{all}");
    assert!(all.contains(location), "expected {location} in:\n{all}");
    assert!(all.contains(message), "expected {message:?} in:\n{all}");
}

#[test]
fn broken_yaml() {
    assert_error(
        &check_fixture("bad-yaml"),
        1,
        "src/doc.md:4:5",
        "error[front-matter-syntax]: invalid YAML in front matter",
    );
}

#[test]
fn unknown_front_matter_key() {
    let run = check_fixture("unknown-key");
    assert_error(
        &run,
        1,
        "src/doc.md:5:1",
        "unknown front matter key `satisfeis`",
    );
    assert!(run.stdout.contains("help: did you mean `satisfies`?"));
}

#[test]
fn unknown_clause_with_suggestion() {
    let run = check_fixture("unknown-clause");
    assert_error(
        &run,
        1,
        "src/doc.md:7:5",
        "`8.5.12` is not a clause of ISO/IEC 20000-1:2018",
    );
    assert!(run.stdout.contains("did you mean `8.5.1.2`"));
}

#[test]
fn duplicate_id() {
    let run = check_fixture("duplicate-id");
    assert_error(&run, 1, "src/b.md:2:5", "id `DOC-1` is already used");
    assert!(run.stdout.contains("src/a.md:2"));
}

#[test]
fn broken_links() {
    let run = check_fixture("broken-link");
    assert_error(
        &run,
        1,
        "src/a.md:8:6",
        "`#stepz` is not a heading of `b.md`",
    );
    assert_error(
        &run,
        1,
        "src/a.md:8:34",
        "link `gone.md` points to a missing file",
    );
    assert!(run.stdout.contains("did you mean `#steps`?"));
}

#[test]
fn bad_values_are_all_reported_in_one_run() {
    let run = check_fixture("bad-values");
    assert_error(&run, 1, "src/doc.md:4:7", "unknown type `proces`");
    assert_error(&run, 1, "src/doc.md:5:9", "unknown status `aproved`");
    assert_error(&run, 1, "src/doc.md:6:12", "invalid date `2026-02-30`");
}

#[test]
fn unknown_audience_when_audiences_are_declared() {
    let run = check_fixture("unknown-audience");
    assert_error(&run, 1, "src/doc.md:5:23", "unknown audience `service-dsk`");
    assert!(
        run.stdout.contains("did you mean `service-desk`?"),
        "{}",
        run.stdout
    );
}

#[test]
fn files_that_would_overwrite_generated_pages_are_errors() {
    let run = check_fixture("reserved-path");
    assert_error(
        &run,
        1,
        "src/index.md:1:1",
        "would be written to `index.html`, which is the dashboard",
    );
    assert_error(
        &run,
        1,
        "src/nav.js:1:1",
        "would be written to `nav.js`, which is the navigation script",
    );
}

#[test]
fn unclosed_front_matter() {
    assert_error(
        &check_fixture("unclosed"),
        1,
        "src/doc.md:1:1",
        "front matter opened here is never closed",
    );
}

#[test]
fn non_utf8_file() {
    assert_error(
        &check_fixture("non-utf8"),
        1,
        "src/doc.md:3:11",
        "not valid UTF-8",
    );
}

#[test]
fn bom_and_crlf_are_fine() {
    let run = check_fixture("bom-crlf");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("error["), "{}", run.stdout);
}

#[test]
fn empty_file_is_a_warning() {
    let run = check_fixture("empty");
    assert_error(&run, 0, "src/empty.md:1:1", "warning[empty-file]");
}

#[test]
fn config_errors_exit_2_with_location() {
    let run = check_fixture("config-unknown-key");
    assert_error(&run, 2, "book.toml:3:1", "unknown field `sorce`");
    assert!(run.stderr.contains("did you mean `src`?"), "{}", run.stderr);
    assert_error(
        &check_fixture("config-no-justification"),
        2,
        "book.toml:1:1",
        "missing field `justification`",
    );
    let run = check_fixture("config-missing-catalogue");
    assert_error(
        &run,
        2,
        "cannot read catalogue `nowhere.yaml`",
        "check the path under `catalogues`",
    );
    let run = check_fixture("config-unknown-exclusion");
    assert_error(&run, 2, "book.toml:2:10", "`8.3.4.9` is not a clause");
}

#[test]
fn usage_errors_exit_2() {
    let run = smsbook(&["check", "--today", "tomorrow"], &repo());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a date"), "{}", run.stderr);
    let dir = tempfile::tempdir().unwrap();
    let run = smsbook(&["check"], dir.path());
    assert_error(&run, 2, "", "the source folder `src` does not exist");
}

#[test]
fn init_then_check_and_build_show_the_to_do_list() {
    let dir = tempfile::tempdir().unwrap();
    let sms = dir.path().join("sms");
    let sms_arg = sms.to_str().unwrap();
    let run = smsbook(
        &[
            "init",
            sms_arg,
            "--title",
            "ACME Manual",
            "--organization",
            "ACME Ltd",
            "--today",
            TODAY,
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(std::fs::read_to_string(sms.join("book.toml"))
        .unwrap()
        .contains("title = \"ACME Manual\""));
    let run = smsbook(
        &["check", sms_arg, "--format", "json", "--today", TODAY],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(
        json["summary"]["clauses"]["satisfied"], 0,
        "drafts satisfy nothing"
    );
    assert_eq!(
        status(&json, "8.5.1.1"),
        "partial",
        "the change policy is a draft"
    );
    assert_eq!(
        status(&json, "8.4.2"),
        "gap",
        "nothing claims demand management yet"
    );
    let run = smsbook(&["build", sms_arg, "--today", TODAY], dir.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(sms.join("book/index.html").is_file());
}

#[test]
fn init_refuses_a_folder_with_files_but_accepts_hidden_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let run = smsbook(&["init", ".", "--today", TODAY], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("notes.txt"), "mine").unwrap();
    let run = smsbook(&["init", ".", "--today", TODAY], other.path());
    assert_error(
        &run,
        2,
        "is not empty (it has notes.txt)",
        "give it an empty folder",
    );
    assert_eq!(
        std::fs::read_dir(other.path()).unwrap().count(),
        1,
        "nothing written"
    );
}

#[test]
fn new_picks_the_next_id_in_the_type_folder_and_rejects_unknown_clauses() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        smsbook(&["init", ".", "--today", TODAY], dir.path()).code,
        0
    );
    let run = smsbook(
        &[
            "new",
            "procedure",
            "Backup Verification",
            "--satisfies",
            "8.7.2",
            "--today",
            TODAY,
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "src/procedures/backup-verification.md");
    let text =
        std::fs::read_to_string(dir.path().join("src/procedures/backup-verification.md")).unwrap();
    assert!(
        text.starts_with("---\nid: PRD-002\n"),
        "PRD-DOC-001 exists: {text}"
    );
    assert!(text.contains("status: draft") && text.contains("  - 8.7.2"));
    let run = smsbook(
        &["new", "procedure", "Backup Verification", "--today", TODAY],
        dir.path(),
    );
    assert_error(
        &run,
        2,
        "backup-verification.md` already exists",
        "never overwrites",
    );
    let run = smsbook(
        &[
            "new",
            "procedure",
            "Other",
            "--satisfies",
            "8.5.12",
            "--today",
            TODAY,
        ],
        dir.path(),
    );
    assert_error(
        &run,
        2,
        "`8.5.12` is not a clause",
        "did you mean `8.5.1.2`",
    );
    std::fs::write(dir.path().join("book.toml"), "[ids]\nprocedure = \"SOP\"\n").unwrap();
    let run = smsbook(
        &["new", "procedure", "Restore Test", "--today", TODAY],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(dir.path().join("src/procedures/restore-test.md"))
            .unwrap()
            .contains("id: SOP-001\n")
    );
    let run = smsbook(&["check", "--today", TODAY], dir.path());
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn quiet_prints_only_errors_and_verbose_adds_timings() {
    let run = smsbook(&["check", "--quiet", "--today", TODAY], &repo());
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, ""),
        "warnings are not printed"
    );
    let run = smsbook(&["-q", "check", "--today", TODAY], &fixture("duplicate-id"));
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("error[duplicate-id]") && !run.stdout.contains("warning["),
        "{}",
        run.stdout
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let run = smsbook(
        &[
            "build",
            "--verbose",
            "--dest",
            dest.to_str().unwrap(),
            "--today",
            TODAY,
        ],
        &repo(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("read and checked 63 documents in "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(" ms") && run.stderr.contains("built "),
        "{}",
        run.stderr
    );
    let run = smsbook(
        &[
            "build",
            "--quiet",
            "--dest",
            dest.to_str().unwrap(),
            "--today",
            TODAY,
        ],
        &repo(),
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    let run = smsbook(&["check", "--quiet", "--verbose"], &repo());
    assert_eq!(run.code, 2, "the two flags exclude each other");
}

#[test]
fn build_shows_progress_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let command = format!(
        "{} build --dest {} --today {TODAY}",
        env!("CARGO_BIN_EXE_smsbook"),
        dest.display()
    );
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(repo())
        .output()
        .expect("script runs");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        shown.contains("\rwriting files") || shown.contains("writing files "),
        "{shown}"
    );
    let run = smsbook(
        &["build", "--dest", dest.to_str().unwrap(), "--today", TODAY],
        &repo(),
    );
    assert_eq!(run.code, 0);
    assert!(
        !run.stderr.contains("writing files"),
        "no progress when not on a terminal: {}",
        run.stderr
    );
}

fn status_in(json: &Value, standard: &str, number: &str) -> String {
    json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["standard"] == standard && c["number"] == number)
        .unwrap_or_else(|| panic!("{standard} {number}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn one_document_serves_three_standards() {
    let run = smsbook(
        &["check", "--format", "json", "--today", TODAY],
        &fixture("three-standards"),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = json["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["iso20000-1:2018", "iso27001:2022", "iso9001:2015"]);
    for standard in ["iso20000-1:2018", "iso27001:2022", "iso9001:2015"] {
        assert_eq!(
            status_in(&json, standard, "7.5.3"),
            "satisfied",
            "{standard}"
        );
    }
    assert_eq!(
        status_in(&json, "iso27001:2022", "A.5.1"),
        "partial",
        "claimed by a draft"
    );
    assert_eq!(
        status_in(&json, "iso27001:2022", "A.5.10"),
        "partial",
        "A.5.10 is not A.5.1"
    );
    assert_eq!(status_in(&json, "iso27001:2022", "A.5.2"), "gap");
    let doc = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "PRD-DOC-001")
        .unwrap();
    assert_eq!(
        doc["satisfies"],
        serde_json::json!(["7.5.3", "iso27001:7.5.3", "iso9001:7.5.3"])
    );
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let run = smsbook(
        &["build", "--dest", dest.to_str().unwrap(), "--today", TODAY],
        &fixture("three-standards"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        dest.join("clauses/iso27001/A.5.15.html").is_file()
            && dest.join("clauses/iso9001/7.5.3.html").is_file()
    );
}

/// One clause of a JSON report, by standard id and number.
fn clause_in<'v>(json: &'v Value, standard: &str, number: &str) -> &'v Value {
    json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == number && c["standard"] == standard)
        .unwrap_or_else(|| panic!("{standard} {number} in the report"))
}

#[test]
fn evidence_through_mappings_counts_only_where_enabled_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("sms");
    copy_tree(&fixture("mappings"), &root);
    let report = |root: &Path| -> Value {
        let run = smsbook(&["check", "--format", "json", "--today", TODAY], root);
        assert!(run.code <= 1, "{}{}", run.stdout, run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let json = report(&root);
    // 27001 9.2.1 and 9.2.2 are supported through the 20000-1 internal audit process.
    for number in ["9.2.1", "9.2.2"] {
        let c = clause_in(&json, "iso27001:2022", number);
        assert_eq!(c["status"], "satisfied", "{c}");
        assert_eq!(c["documents"], serde_json::json!([]));
        assert_eq!(c["indirect"][0]["id"], "PRC-AUD-001");
        assert_eq!(c["indirect"][0]["via"], "iso20000-1:9.2");
        assert!(c["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "indirect"
                && r["message"].as_str().unwrap().contains("would be gap")));
    }
    // A user mapping, through a draft: partial, not satisfied.
    let control = clause_in(&json, "iso27001:2022", "A.5.15");
    assert_eq!(control["status"], "partial");
    assert_eq!(control["indirect"][0]["via"], "iso20000-1:8.7.3.2");
    assert_eq!(
        control["topics"],
        serde_json::json!(["information-security-controls"])
    );
    // 9001 9.2 has its own record; the 20000-1 process is added as indirect evidence.
    let quality = clause_in(&json, "iso9001:2015", "9.2");
    assert_eq!(quality["documents"][0]["id"], "REC-AUD-2026");
    assert_eq!(quality["indirect"][0]["id"], "PRC-AUD-001");
    // The primary standard does not count 9001 evidence: 20000-1 9.2 only has its own claim.
    assert_eq!(
        clause_in(&json, "iso20000-1:2018", "9.2")["indirect"],
        serde_json::json!([])
    );
    // `clauses` marks the indirect evidence too.
    let run = smsbook(&["clauses", "--today", TODAY], &root);
    assert!(
        run.stdout.contains("PRC-AUD-001 (via iso20000-1:9.2)"),
        "{}",
        run.stdout
    );

    // Switched off: the same documents leave 27001 9.2.1 a gap, with no indirect evidence.
    let config = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        config.replace("indirect-evidence = [\"iso27001\", \"iso9001\"]", ""),
    )
    .unwrap();
    let json = report(&root);
    let c = clause_in(&json, "iso27001:2022", "9.2.1");
    assert_eq!(c["status"], "gap");
    assert_eq!(c["indirect"], serde_json::json!([]));
    let parent = clause_in(&json, "iso27001:2022", "9.2");
    assert_eq!(parent["topics"], serde_json::json!(["internal-audit"]));
}

#[test]
fn a_mapping_to_an_unknown_clause_is_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[sms]\nstandards = [\"iso20000-1:2018\", \"iso27001:2022\"]\n\n[[mappings.topic]]\ntitle = \"Access\"\nclauses = [\"8.7.3.2\", \"iso27001:A.5.51\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let run = smsbook(&["check"], dir.path());
    assert_error(
        &run,
        2,
        "book.toml:6:23",
        "`A.5.51` is not a clause of ISO/IEC 27001:2022",
    );
}

/// The findings of a JSON report with the given code.
fn findings_with<'v>(json: &'v Value, code: &str) -> Vec<&'v Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn init_for_27001_resolves_every_reference_and_lists_the_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let run = smsbook(
        &[
            "init",
            "isms",
            "--standard",
            "iso27001:2022",
            "--today",
            TODAY,
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = std::fs::read_to_string(dir.path().join("isms/book.toml")).unwrap();
    assert!(book.contains("standards = [\"iso27001:2022\"]"), "{book}");
    assert!(book.contains("title = \"Information Security Management Manual\""));
    assert!(book.contains("# [soa.\"A.5.15\"]"), "SoA guidance: {book}");
    assert!(!dir.path().join("isms/src/plans/sms-scope.md").exists());
    let run = smsbook(
        &["check", "isms", "--format", "json", "--today", TODAY],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0, "every reference resolves");
    assert_eq!(json["summary"]["standard"], "iso27001:2022");
    assert_eq!(json["summary"]["clauses"]["satisfied"], 0);
    let drafts: Vec<&str> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "draft")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    for id in [
        "PLN-ISC-001",
        "POL-ISM-001",
        "PRC-ISR-001",
        "GDE-SOA-001",
        "PLN-ISO-001",
        "REC-CMP-001",
        "PRC-AUD-001",
        "PRC-MRV-001",
        "PRC-NCA-001",
        "POL-ACC-001",
    ] {
        assert!(drafts.contains(&id), "{id} in {drafts:?}");
    }
    assert_eq!(drafts.len(), json["documents"].as_array().unwrap().len());
    assert_eq!(status_in(&json, "iso27001:2022", "A.5.15"), "partial");
    assert_eq!(status_in(&json, "iso27001:2022", "9.2.2"), "partial");
    assert!(findings_with(&json, "draft-only")
        .iter()
        .any(|f| f["clause"] == "iso27001:2022:A.5.15"
            || f["message"].as_str().unwrap().contains("A.5.15")));
    let run = smsbook(&["build", "isms", "--today", TODAY], dir.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(dir.path().join("isms/book/soa.html").is_file());
}

#[test]
fn combined_init_writes_one_shared_internal_audit_document() {
    let dir = tempfile::tempdir().unwrap();
    let run = smsbook(
        &[
            "init",
            "ims",
            "--standard",
            "iso20000-1:2018",
            "--standard",
            "iso27001:2022,iso9001:2015",
            "--today",
            TODAY,
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let book = std::fs::read_to_string(dir.path().join("ims/book.toml")).unwrap();
    assert!(
        book.contains("standards = [\"iso20000-1:2018\", \"iso27001:2022\", \"iso9001:2015\"]"),
        "{book}"
    );
    let run = smsbook(
        &["check", "ims", "--format", "json", "--today", TODAY],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 0);
    let audits: Vec<&Value> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["title"].as_str().unwrap().contains("Internal Audit"))
        .collect();
    assert_eq!(audits.len(), 1, "one shared document");
    assert_eq!(audits[0]["path"], "processes/internal-audit.md");
    assert_eq!(
        audits[0]["satisfies"],
        serde_json::json!(["9.2", "iso27001:9.2.1", "iso27001:9.2.2", "iso9001:9.2"])
    );
    for (standard, number) in [
        ("iso20000-1:2018", "9.2"),
        ("iso27001:2022", "9.2.2"),
        ("iso9001:2015", "9.2"),
        ("iso9001:2015", "9.1.2"),
    ] {
        assert_eq!(
            status_in(&json, standard, number),
            "partial",
            "{standard} {number}"
        );
    }
    let scopes = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["title"].as_str().unwrap().starts_with("Scope of"))
        .count();
    assert_eq!(scopes, 3, "each management system keeps its own scope");
}

#[test]
fn init_with_an_unknown_standard_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let run = smsbook(&["init", ".", "--standard", "iso14001:2015"], dir.path());
    assert_error(
        &run,
        2,
        "unknown standard `iso14001:2015`",
        "built-in standards: iso20000-1:2018, iso27001:2022, iso9001:2015",
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn statement_of_applicability() {
    let run = smsbook(
        &["check", "--format", "json", "--today", TODAY],
        &fixture("soa"),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(status_in(&json, "iso27001:2022", "A.7.4"), "excluded");
    assert_eq!(status_in(&json, "iso27001:2022", "A.5.1"), "satisfied");
    let unexplained = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "soa-no-reason")
        .count();
    assert_eq!(unexplained, 91, "93 controls, one explained, one excluded");
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let run = smsbook(
        &["build", "--dest", dest.to_str().unwrap(), "--today", TODAY],
        &fixture("soa"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = std::fs::read_to_string(dest.join("soa.csv")).unwrap();
    assert_eq!(csv.lines().count(), 94);
    assert!(
        csv.lines().any(|l| l
            .starts_with("A.7.4,Physical security monitoring,no,Hosting is in a supplier")
            && l.ends_with("not applicable,")),
        "{csv}"
    );
    assert!(
        csv.lines().any(|l| l.starts_with("A.5.1,")
            && l.contains(",yes,Management direction")
            && l.ends_with(",implemented,POL-ISM-001")),
        "{csv}"
    );
    let page = std::fs::read_to_string(dest.join("soa.html")).unwrap();
    assert_eq!(page.matches("<tr><td class=\"nowrap\"").count(), 93);
    assert!(std::fs::read_to_string(dest.join("index.html"))
        .unwrap()
        .contains("href=\"soa.html\""));
    let run = check_fixture("soa-no-justification");
    assert_error(
        &run,
        2,
        "book.toml:4:1",
        "control `A.7.4` is excluded from the Statement of Applicability without a justification",
    );
}

#[test]
fn every_command_has_examples_in_its_help() {
    let commands: &[&[&str]] = &[
        &["check"],
        &["clauses"],
        &["build"],
        &["diff"],
        &["init"],
        &["new"],
        &["serve"],
        &["import"],
        &["import", "comply"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let run = smsbook(&args, &repo());
        assert_eq!(run.code, 0, "{command:?}: {}", run.stderr);
        assert!(
            run.stdout.contains("Examples:"),
            "{command:?}:\n{}",
            run.stdout
        );
    }
}
