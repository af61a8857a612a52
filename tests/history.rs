//! Integration tests of document control from git: history on the pages, renames, findings
//! from history, shallow clones, and `smsbook diff` between two revisions. Each test builds a
//! small repository in a temporary folder with fixed authors and dates.

mod common;
use common::smsbook;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "2026-12-01";

/// A git repository holding an SMS (book.toml and src/) in a temporary folder.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.write("book.toml", "[book]\ntitle = \"Test SMS\"\n");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, "2026-01-01")
    }

    fn write(&self, path: &str, text: &str) {
        let file = self.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }

    /// Commits everything on `date` (author and committer) with `message`.
    fn commit(&self, date: &str, message: &str) {
        git_in(self.path(), &["add", "-A"], date);
        git_in(self.path(), &["commit", "-q", "-m", message], date);
    }
}

fn git_in(dir: &Path, args: &[&str], date: &str) -> String {
    let stamp = format!("{date}T12:00:00+00:00");
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Ann Auditor",
            "-c",
            "user.email=ann@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ann Auditor")
        .env("GIT_AUTHOR_EMAIL", "ann@example.com")
        .env("GIT_COMMITTER_NAME", "Ann Auditor")
        .env("GIT_COMMITTER_EMAIL", "ann@example.com")
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A document with front matter.
fn doc(
    id: &str,
    status: &str,
    version: &str,
    approved_on: &str,
    clauses: &str,
    body: &str,
) -> String {
    format!(
        "---\nid: {id}\ntitle: Document {id}\ntype: policy\nowner: Owner\nstatus: {status}\nversion: \"{version}\"\napproved_by: Head of Service\napproved_on: {approved_on}\nreview_by: 2027-06-01\nsatisfies: [{clauses}]\n---\n\n# Document {id}\n\n{body}\n"
    )
}

fn check_json(dir: &Path) -> Value {
    let run = smsbook(&["check", "--format", "json", "--today", TODAY], dir);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// The codes of the findings about document `id`.
fn codes_of(json: &Value, id: &str) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["document"] == id)
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn build(dir: &Path) -> (PathBuf, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let run = smsbook(
        &["build", "--dest", dest.to_str().unwrap(), "--today", TODAY],
        dir,
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    (dest, out)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A policy approved on 2026-01-10, renamed on 2026-02-01, re-approved as 1.1 on 2026-03-01.
fn renamed_repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "approved",
            "1.0",
            "2026-01-10",
            "5.2",
            "First text.",
        ),
    );
    repo.commit("2026-01-10", "Add the service management policy");
    repo.git(&["mv", "src/policy.md", "src/policies-service.md"]);
    repo.commit("2026-02-01", "Move the policy");
    repo.write(
        "src/policies-service.md",
        &doc(
            "POL-1",
            "approved",
            "1.1",
            "2026-03-01",
            "5.2",
            "Second text.",
        ),
    );
    repo.commit("2026-03-01", "Policy 1.1: clearer scope");
    repo
}

#[test]
fn history_on_the_page_follows_renames() {
    let repo = renamed_repo();
    let (site, _keep) = build(repo.path());
    let page = read(site.join("policies-service.html"));
    assert!(page.contains("id=\"history-title\""), "{page}");
    assert!(
        page.contains("Last changed 2026-03-01; 3 commits"),
        "{page}"
    );
    for subject in [
        "Policy 1.1: clearer scope",
        "Move the policy",
        "Add the service management policy",
    ] {
        assert!(page.contains(subject), "{subject}");
    }
    assert!(page.contains("renamed from policy.md"));
    assert!(page.contains("Ann Auditor"));
    // Newest first.
    assert!(page.find("clearer scope").unwrap() < page.find("Move the policy").unwrap());
    let register = read(site.join("register.html"));
    assert!(register.contains("Last changed"));
    assert!(register.contains("2026-03-01"));
    let json = check_json(repo.path());
    assert!(codes_of(&json, "POL-1").is_empty(), "{json:#}");
    // Same input, same output.
    let (again, _keep2) = build(repo.path());
    for name in ["policies-service.html", "register.html", "index.html"] {
        assert_eq!(read(site.join(name)), read(again.join(name)), "{name}");
    }
}

#[test]
fn changed_after_approval_is_raised_and_cleared_by_a_new_approval() {
    let repo = Repo::new();
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "approved",
            "1.0",
            "2026-01-10",
            "5.2",
            "First text.",
        ),
    );
    repo.commit("2026-01-10", "Approve the policy");
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "approved",
            "1.0",
            "2026-01-10",
            "5.2",
            "Quietly changed text.",
        ),
    );
    repo.commit("2026-02-01", "Quick fix");
    let json = check_json(repo.path());
    assert_eq!(codes_of(&json, "POL-1"), ["changed-after-approval"]);
    let text = smsbook(&["check", "--today", TODAY], repo.path()).stdout;
    assert!(
        text.contains("warning[changed-after-approval]: POL-1 changed after its approval on 2026-01-10: commit"),
        "{text}"
    );
    assert!(text.contains("(\u{201c}Quick fix\u{201d})"), "{text}");
    let (site, _keep) = build(repo.path());
    assert!(read(site.join("policy.html")).contains("Changed after approval:"));
    assert!(read(site.join("register.html")).contains("changed after approval"));
    let dashboard = read(site.join("index.html"));
    assert!(dashboard.contains("Document control"));
    assert!(dashboard.contains("POL-1 Document POL-1"));

    // Uncommitted changes: a note in check, a word on the page.
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "approved",
            "1.0",
            "2026-01-10",
            "5.2",
            "Work in progress.",
        ),
    );
    let json = check_json(repo.path());
    assert!(codes_of(&json, "POL-1").contains(&"uncommitted".to_string()));
    let (site, _keep) = build(repo.path());
    let page = read(site.join("policy.html"));
    assert!(page.contains("The working tree differs from the last commit"));
    // The footer says so too, with the history's status or without history.
    assert!(page.contains(", with uncommitted changes"), "{page}");
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let dest = dest.to_str().unwrap();
    let run = smsbook(
        &["build", "--no-history", "--dest", dest, "--today", TODAY],
        repo.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(out.path().join("site/policy.html")).contains(", with uncommitted changes"));

    // Re-approval clears it.
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "approved",
            "1.1",
            "2026-03-01",
            "5.2",
            "Quietly changed text.",
        ),
    );
    repo.commit("2026-03-01", "Approve version 1.1");
    let json = check_json(repo.path());
    assert!(codes_of(&json, "POL-1").is_empty(), "{json:#}");
}

#[test]
fn version_not_bumped() {
    let repo = Repo::new();
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "in-review",
            "0.2",
            "2026-01-10",
            "5.2",
            "Draft text.",
        ),
    );
    repo.commit("2026-01-05", "Policy 0.2 for review");
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "in-review",
            "0.2",
            "2026-01-10",
            "5.2",
            "Other text.",
        ),
    );
    repo.commit("2026-01-06", "Rewrite");
    let json = check_json(repo.path());
    assert_eq!(codes_of(&json, "POL-1"), ["version-not-bumped"]);
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "version-not-bumped")
        .unwrap();
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("changed its text but not its version (0.2)"));
    assert_eq!(finding["line"], 1);
}

#[test]
fn a_shallow_clone_gives_the_history_there_is_and_a_note() {
    let repo = renamed_repo();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git_in(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "sms"],
        TODAY,
    );
    let sms = clone.path().join("sms");
    let run = smsbook(&["check", "--today", TODAY], &sms);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("note[history-shallow]: the git history is shallow"),
        "{}",
        run.stdout
    );
    let (site, _keep) = build(&sms);
    let page = read(site.join("policies-service.html"));
    assert!(
        page.contains("Last changed 2026-03-01; 1 commit,"),
        "{page}"
    );
    assert!(page.contains("a shallow clone"));
}

#[test]
fn without_git_there_is_no_history() {
    let repo = renamed_repo();
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(repo.path().join("book.toml"), copy.path().join("book.toml")).unwrap();
    std::fs::create_dir(copy.path().join("src")).unwrap();
    std::fs::copy(
        repo.path().join("src/policies-service.md"),
        copy.path().join("src/policies-service.md"),
    )
    .unwrap();
    let json = check_json(copy.path());
    assert!(codes_of(&json, "POL-1").is_empty());
    let (site, _keep) = build(copy.path());
    let page = read(site.join("policies-service.html"));
    assert!(!page.contains("history-title"));
    assert!(!read(site.join("register.html")).contains("Last changed"));
    assert!(!read(site.join("index.html")).contains("Document control"));
}

/// Two tagged revisions: at `audit-2025` clause 7.6 is a gap and RET-1 is approved; at
/// `audit-2026` KNW-1 satisfies 7.6 and RET-1 is retired.
fn audited_repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "src/policy.md",
        &doc("POL-1", "approved", "1.0", "2025-06-01", "5.2.1", "Policy."),
    );
    repo.write(
        "src/old.md",
        &doc("RET-1", "approved", "1.0", "2025-06-01", "5.2.2", "Old."),
    );
    repo.commit("2025-06-01", "SMS for the 2025 audit");
    repo.git(&["tag", "audit-2025"]);
    repo.write(
        "src/knowledge.md",
        &doc(
            "KNW-1",
            "approved",
            "1.0",
            "2026-05-01",
            "7.6, 5.2.2",
            "Knowledge.",
        ),
    );
    repo.write(
        "src/old.md",
        &doc("RET-1", "retired", "1.0", "2025-06-01", "5.2.2", "Old."),
    );
    repo.commit("2026-05-01", "Knowledge management; retire RET-1");
    repo.git(&["tag", "audit-2026"]);
    repo
}

#[test]
fn diff_between_two_tags() {
    let repo = audited_repo();
    let run = smsbook(&["diff", "audit-2025", "audit-2026"], repo.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains("Changes from audit-2025 (2025-06-01) to audit-2026 (2026-05-01)"),
        "{out}"
    );
    assert!(out.contains("  7.6 Knowledge: gap → satisfied"), "{out}");
    assert!(
        out.contains("  added       KNW-1 Document KNW-1 (knowledge.md)"),
        "{out}"
    );
    assert!(
        out.contains("  retired     RET-1 Document RET-1 (old.md)"),
        "{out}"
    );
    assert!(out.contains("Resolved findings: "), "{out}");
    assert!(out.contains("warning[gap]: clause 7.6 Knowledge has no supporting document"));

    let run = smsbook(
        &["diff", "audit-2025", "audit-2026", "--format", "json"],
        repo.path(),
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["schema"], "smsbook-diff/1");
    let knowledge = json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == "7.6")
        .unwrap();
    assert_eq!(knowledge["from"], "gap");
    assert_eq!(knowledge["to"], "satisfied");
    assert!(json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == "RET-1" && d["change"] == "retired"));
    assert!(json["resolved_findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "gap" && f["clause"] == "7.6"));

    // CI: going back the other way opens a gap.
    let ok = smsbook(
        &["diff", "audit-2025", "audit-2026", "--fail-on", "new-gap"],
        repo.path(),
    );
    assert_eq!(ok.code, 0);
    let back = smsbook(
        &["diff", "audit-2026", "audit-2025", "--fail-on", "new-gap"],
        repo.path(),
    );
    assert_eq!(back.code, 1, "{}", back.stdout);
    assert!(back.stdout.contains("7.6 Knowledge: satisfied → gap"));
    let unknown = smsbook(&["diff", "audit-1999"], repo.path());
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("`audit-1999` is not a revision"));
}

#[test]
fn diff_with_the_working_tree_and_the_changes_page() {
    let repo = audited_repo();
    repo.write(
        "src/policy.md",
        &doc(
            "POL-1",
            "approved",
            "1.1",
            "2026-11-01",
            "5.2.1",
            "Policy, reviewed.",
        ),
    );
    let run = smsbook(&["diff", "audit-2025", "--today", TODAY], repo.path());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("to the working tree (2026-12-01)"));
    assert!(
        run.stdout
            .contains("  re-approved POL-1 Document POL-1 (policy.md, version 1.0 → 1.1)"),
        "{}",
        run.stdout
    );
    // The working tree is untouched.
    assert_eq!(repo.git(&["status", "--porcelain"]), " M src/policy.md\n");

    repo.write(
        "book.toml",
        "[book]\ntitle = \"Test SMS\"\n\n[output.html]\ncompare-with = \"audit-2025\"\n",
    );
    let (site, _keep) = build(repo.path());
    let changes = read(site.join("changes.html"));
    assert!(
        changes.contains("<h1>Changes since audit-2025</h1>"),
        "{changes}"
    );
    assert!(changes.contains("href=\"clauses/7.6.html\""));
    assert!(changes.contains("re-approved"));
    assert!(read(site.join("index.html")).contains("href=\"changes.html\""));
    assert!(read(site.join("clauses/7.6.html")).contains("Since audit-2025:"));
    assert!(read(site.join("knowledge.html")).contains("Added since audit-2025:"));
    // --compare-with on the command line wins.
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let run = smsbook(
        &[
            "build",
            "--dest",
            dest.to_str().unwrap(),
            "--today",
            TODAY,
            "--compare-with",
            "audit-2026",
        ],
        repo.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(dest.join("changes.html")).contains("<h1>Changes since audit-2026</h1>"));
}

/// Every relative href and src of every page of a site points at a file of the site.
fn assert_links_resolve(site: &Path) {
    fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pages(&path, out);
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
    }
    let mut all = Vec::new();
    pages(site, &mut all);
    let mut checked = 0;
    for page in all {
        let html = read(page.clone());
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let target = &part[..part.find('"').unwrap()];
                let target = target.split('#').next().unwrap();
                if target.is_empty() || target.contains(':') {
                    continue;
                }
                let file = page.parent().unwrap().join(target);
                assert!(file.exists(), "{}: {target}", page.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 50);
}

#[test]
fn a_long_history_gets_a_page_of_its_own_and_every_link_resolves() {
    let repo = audited_repo();
    for i in 0..22 {
        repo.write(
            "src/knowledge.md",
            &doc(
                "KNW-1",
                "draft",
                "1.0",
                "2026-05-01",
                "7.6",
                &format!("Edit {i}."),
            ),
        );
        repo.commit(
            &format!("2026-06-{:02}", i + 1),
            &format!("Edit number {i}"),
        );
    }
    repo.write(
        "book.toml",
        "[book]\ntitle = \"Test SMS\"\n\n[output.html]\ncompare-with = \"audit-2025\"\n",
    );
    let (site, _keep) = build(repo.path());
    let page = read(site.join("knowledge.html"));
    assert_eq!(page.matches("<td class=\"nowrap\">2026-").count(), 20);
    assert!(page.contains("href=\"history/knowledge.html\">The whole history (23 commits)"));
    let full = read(site.join("history/knowledge.html"));
    assert_eq!(full.matches("<td class=\"nowrap\">2026-").count(), 23);
    assert!(full.contains("Edit number 0") && full.contains("Edit number 21"));
    assert!(site.join("changes.html").exists());
    assert_links_resolve(&site);
}

/// A history long enough to be read in two halves side by side: 260 commits on the first
/// parent line, a document renamed once in each half, and a side branch merged in the middle.
#[test]
fn a_long_history_read_in_two_halves_follows_renames_across_the_middle() {
    let repo = Repo::new();
    let mut stream = String::new();
    let data = |text: &str| format!("data {}\n{text}\n", text.len());
    let author = |day: u64| {
        let when = 1_767_225_600 + day * 86_400; // 2026-01-01 + day
        format!("author Ann Auditor <ann@example.com> {when} +0000\ncommitter Ann Auditor <ann@example.com> {when} +0000\n")
    };
    let body = |i: u64| {
        format!("---\nid: PLN-1\ntitle: Plan\ntype: plan\nstatus: draft\nversion: \"0.{i}\"\nsatisfies: [6.2]\n---\n\nRevision {i}.\n")
    };
    let mut path = "src/a.md";
    for i in 1..=260u64 {
        stream += &format!("commit refs/heads/main\nmark :{i}\n{}", author(i));
        stream += &data(&format!("Commit {i}"));
        if i > 1 {
            stream += &format!("from :{}\n", i - 1);
        }
        match i {
            1 => {
                stream += "M 100644 inline book.toml\n";
                stream += &data("[book]\ntitle = \"Long\"\n");
                stream += "M 100644 inline src/other.md\n";
                stream += &data("# Other\n\nFirst.\n");
            }
            // The side branch (mark 1000) is merged here, with its change.
            150 => {
                stream += "merge :1000\nM 100644 inline src/other.md\n";
                stream += &data("# Other\n\nSecond.\n");
            }
            // Renamed in the older half and in the newer one.
            60 | 200 => {
                let new = if i == 60 { "src/b.md" } else { "src/c.md" };
                stream += &format!("R {path} {new}\n");
                path = new;
            }
            _ => {}
        }
        if !matches!(i, 60 | 150 | 200) {
            stream += &format!("M 100644 inline {path}\n");
            stream += &data(&body(i));
        }
        if i == 100 {
            stream += &format!("commit refs/heads/side\nmark :1000\n{}", author(100));
            stream += &data("Side: edit the other page");
            stream += "from :100\nM 100644 inline src/other.md\n";
            stream += &data("# Other\n\nSecond.\n");
        }
    }
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(repo.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    import
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(import.wait().unwrap().success());
    repo.git(&["reset", "-q", "--hard", "main"]);
    let (site, _keep) = build(repo.path());
    let page = read(site.join("c.html"));
    // 260 commits, less the merge; both renames on the page of the file as it is now.
    assert!(page.contains("259 commits, newest first"), "{page}");
    let full = read(site.join("history/c.html"));
    assert!(full.contains("Commit 259"));
    assert!(full.contains("renamed from b.md"));
    assert!(full.contains("renamed from a.md"));
    assert!(full.contains("Commit 1 <span class=\"change-kind\">(added)</span>"));
    let other = read(site.join("other.html"));
    assert!(other.contains("2 commits, newest first"), "{other}");
    assert!(other.contains("Side: edit the other page"));
}

#[test]
fn serve_keeps_the_history_until_the_next_commit() {
    let repo = renamed_repo();
    let today: chrono::NaiveDate = "2026-12-01".parse().unwrap();
    let cache = smsbook::BuildCache::default();
    let load = || smsbook::load_cached(repo.path(), today, true, Some(&cache)).unwrap();
    let first = load();
    let uncached = smsbook::load(repo.path(), today).unwrap();
    let commits = |p: &smsbook::Project| p.history.as_ref().unwrap().commits.len();
    assert_eq!(commits(&first), 3);
    // An edit without a commit: the same history (from the cache), the file now uncommitted,
    // and the same findings as a load without cache.
    repo.write(
        "src/policies-service.md",
        &doc(
            "POL-1",
            "approved",
            "1.1",
            "2026-03-01",
            "5.2",
            "Edited text.",
        ),
    );
    let edited = load();
    assert_eq!(commits(&edited), 3);
    let uncommitted = &edited.history.as_ref().unwrap().uncommitted;
    assert!(
        uncommitted.contains("policies-service.md"),
        "{uncommitted:?}"
    );
    let codes =
        |p: &smsbook::Project| -> Vec<&str> { p.diagnostics.iter().map(|d| d.code).collect() };
    assert_eq!(
        codes(&edited),
        codes(&smsbook::load(repo.path(), today).unwrap())
    );
    assert_ne!(codes(&edited), codes(&uncached));
    // A commit: the history is read again.
    repo.commit("2026-04-01", "Reword the policy");
    let committed = load();
    assert_eq!(commits(&committed), 4);
    assert_eq!(
        committed.history.as_ref().unwrap().commits[0].subject,
        "Reword the policy"
    );
}
