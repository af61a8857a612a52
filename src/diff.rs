//! The audit delta: the SMS at two revisions compared. A revision is read from git objects
//! (`git archive` into a temporary folder, never touching the working tree), then loaded and
//! analysed like the working tree; [`compare`] is a pure function of the two projects.

use crate::analysis::Coverage;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::frontmatter::Status;
use crate::Project;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The version of the JSON output of `diff`.
pub const SCHEMA: &str = "smsbook-diff/1";

/// Findings drawn from git history: not compared (a revision read from git objects has no
/// history of its own).
const HISTORY_CODES: [&str; 4] = [
    "changed-after-approval",
    "version-not-bumped",
    "uncommitted",
    "history-shallow",
];

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The revision as given (`audit-2025`), or `working tree`.
    pub revision: String,
    /// The date the side was analysed as of: the commit's date, or `--today`.
    pub date: String,
}

/// A clause whose status changed.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseChange {
    /// The standard's id.
    pub standard: String,
    /// How documents refer to it.
    pub reference: String,
    /// The clause number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// The status before (`null`: the clause was not in use).
    pub from: Option<Coverage>,
    /// The status after (`null`: no longer in use).
    pub to: Option<Coverage>,
    /// The clause page, relative to the site root (when it still exists).
    #[serde(skip)]
    pub url: Option<String>,
}

/// A document that was added, removed, retired, re-approved or changed.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentChange {
    /// `added`, `removed`, `retired`, `re-approved` or `changed`.
    pub change: &'static str,
    /// Its id (`null` for a plain page).
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// Its path (relative to the source folder) now, or before when removed.
    pub path: String,
    /// Its path before, when it moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_path: Option<String>,
    /// Version before and after.
    pub from_version: Option<String>,
    /// Version after.
    pub to_version: Option<String>,
    /// Status before.
    pub from_status: Option<&'static str>,
    /// Status after.
    pub to_status: Option<&'static str>,
}

/// A finding that appeared or went away.
#[derive(Debug, Clone, Serialize)]
pub struct FindingChange {
    /// Error, warning or note.
    pub severity: Severity,
    /// Its code.
    pub code: &'static str,
    /// Its message (on the side where it exists).
    pub message: String,
    /// The clause it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The document it concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// The comparison of two revisions of the SMS.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The older side.
    pub from: Side,
    /// The newer side.
    pub to: Side,
    /// Clauses whose status changed, in catalogue order.
    pub clauses: Vec<ClauseChange>,
    /// Documents added, removed, retired, re-approved or changed, by path.
    pub documents: Vec<DocumentChange>,
    /// Findings that are new.
    pub new_findings: Vec<FindingChange>,
    /// Findings that went away.
    pub resolved_findings: Vec<FindingChange>,
}

impl Diff {
    /// Clauses that became gaps.
    pub fn new_gaps(&self) -> usize {
        self.clauses
            .iter()
            .filter(|c| c.to == Some(Coverage::Gap))
            .count()
    }

    /// New errors and warnings.
    pub fn new_problems(&self) -> usize {
        self.new_findings
            .iter()
            .filter(|f| f.severity != Severity::Note)
            .count()
    }

    /// The change of a document (by path now), for markers on its page.
    pub fn document(&self, path: &str) -> Option<&DocumentChange> {
        self.documents
            .iter()
            .find(|d| d.path == path && d.change != "removed")
    }

    /// The change of a clause (by standard id and number), for markers on its page.
    pub fn clause(&self, standard: &str, number: &str) -> Option<&ClauseChange> {
        self.clauses
            .iter()
            .find(|c| c.standard == standard && c.number == number)
    }
}

fn usage(message: String) -> Diagnostic {
    Diagnostic::error("revision", message)
        .help("give a tag, branch or commit of the git repository that holds the SMS (e.g. `audit-2025`, `HEAD~3`)")
}

/// Reads the SMS at `revision` from git objects into a temporary folder and loads it,
/// analysed as of the commit's date (or `today`). The folder is removed before returning.
pub fn load_revision(
    root: &Path,
    revision: &str,
    today: Option<NaiveDate>,
) -> Result<Project, Vec<Diagnostic>> {
    let root_dir = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let git = |args: &[&str]| -> Result<String, Vec<Diagnostic>> {
        let output = Command::new("git")
            .arg("-C")
            .arg(root_dir)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| vec![usage(format!("cannot run git: {e}"))])?;
        if !output.status.success() {
            let why = String::from_utf8_lossy(&output.stderr);
            return Err(vec![usage(format!(
                "git cannot read revision `{revision}`: {}",
                why.lines().next().unwrap_or("").trim()
            ))]);
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let commit = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{revision}^{{commit}}"),
    ])
    .map_err(|_| {
        vec![usage(format!(
            "`{revision}` is not a revision of this repository"
        ))]
    })?;
    let date = git(&["log", "-1", "--format=%cs", &commit])?;
    let date = match today {
        Some(d) => d,
        None => NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|_| vec![usage(format!("cannot read the date of `{revision}`"))])?,
    };
    let dir = temp_dir();
    let extracted = extract(root_dir, &format!("{commit}:{prefix}"), &dir);
    let project = extracted.and_then(|()| crate::load_with(&dir, date, false));
    let _ = std::fs::remove_dir_all(&dir);
    project
}

/// A new, empty temporary folder.
fn temp_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::env::temp_dir().join(format!(
        "smsbook-revision-{}-{}-{nanos}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// `git archive <tree> | tar -x -C dir`.
fn extract(root: &Path, tree: &str, dir: &Path) -> Result<(), Vec<Diagnostic>> {
    let fail = |what: String| {
        vec![Diagnostic::error("revision", what).help(
            "smsbook reads revisions with `git archive` and `tar`: check that both are installed",
        )]
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| fail(format!("cannot create `{}`: {e}", dir.display())))?;
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", tree])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fail(format!("cannot run git archive: {e}")))?;
    let stdout = archive
        .stdout
        .take()
        .ok_or_else(|| fail("git archive gave no output".into()))?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dir)
        .stdin(Stdio::from(stdout))
        .stderr(Stdio::null())
        .status();
    let archived = archive.wait();
    match (archived, tar) {
        (Ok(a), Ok(t)) if a.success() && t.success() => Ok(()),
        _ => Err(fail(format!("cannot extract `{tree}` from git"))),
    }
}

fn document_key(doc: &crate::source::Document) -> String {
    doc.id()
        .map_or_else(|| format!("path:{}", doc.path), str::to_string)
}

/// Compares two loaded projects: `from` (older) and `to` (newer).
pub fn compare(from: &Project, from_side: Side, to: &Project, to_side: Side) -> Diff {
    // Clauses, matched by standard id and number.
    let mut before: BTreeMap<(&str, &str), Coverage> = BTreeMap::new();
    for key in from.catalogs.keys() {
        let catalog = &from.catalogs.list[key.standard];
        before.insert(
            (&catalog.id, &from.catalogs.clause(key).number),
            from.analysis.of(key).status,
        );
    }
    let mut clauses = Vec::new();
    for key in to.catalogs.keys() {
        let catalog = &to.catalogs.list[key.standard];
        let clause = to.catalogs.clause(key);
        let status = to.analysis.of(key).status;
        let old = before.remove(&(catalog.id.as_str(), clause.number.as_str()));
        if old != Some(status) {
            clauses.push(ClauseChange {
                standard: catalog.id.clone(),
                reference: to.catalogs.reference(key),
                number: clause.number.clone(),
                title: clause.title.clone(),
                from: old,
                to: Some(status),
                url: Some(crate::render::markdown::clause_page(&to.catalogs, key)),
            });
        }
    }
    for key in from.catalogs.keys() {
        let catalog = &from.catalogs.list[key.standard];
        let clause = from.catalogs.clause(key);
        if let Some(status) = before.get(&(catalog.id.as_str(), clause.number.as_str())) {
            clauses.push(ClauseChange {
                standard: catalog.id.clone(),
                reference: from.catalogs.reference(key),
                number: clause.number.clone(),
                title: clause.title.clone(),
                from: Some(*status),
                to: None,
                url: None,
            });
        }
    }
    // Documents, matched by id (plain pages by path).
    let old_docs: BTreeMap<String, &crate::source::Document> = from
        .manual
        .documents
        .iter()
        .map(|d| (document_key(d), d))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut documents = Vec::new();
    for doc in &to.manual.documents {
        let key = document_key(doc);
        let meta = doc.meta.as_ref();
        let old = old_docs.get(&key).copied();
        seen.insert(key);
        let old_meta = old.and_then(|d| d.meta.as_ref());
        let status = meta.map(|m| m.status);
        let old_status = old_meta.map(|m| m.status);
        let change = match old {
            None => "added",
            Some(_) if status == Some(Status::Retired) && old_status != Some(Status::Retired) => {
                "retired"
            }
            Some(_)
                if status == Some(Status::Approved)
                    && (old_status != Some(Status::Approved)
                        || old_meta.and_then(|m| m.approved_on)
                            != meta.and_then(|m| m.approved_on)
                        || old_meta.and_then(|m| m.version.as_ref())
                            != meta.and_then(|m| m.version.as_ref())) =>
            {
                "re-approved"
            }
            Some(old) if old.text != doc.text || old.path != doc.path => "changed",
            Some(_) => continue,
        };
        documents.push(DocumentChange {
            change,
            id: doc.id().map(str::to_string),
            title: doc.title.clone(),
            path: doc.path.clone(),
            from_path: old.filter(|o| o.path != doc.path).map(|o| o.path.clone()),
            from_version: old_meta.and_then(|m| m.version.clone()),
            to_version: meta.and_then(|m| m.version.clone()),
            from_status: old_status.map(Status::as_str),
            to_status: status.map(Status::as_str),
        });
    }
    for (key, doc) in &old_docs {
        if seen.contains(key) {
            continue;
        }
        let meta = doc.meta.as_ref();
        documents.push(DocumentChange {
            change: "removed",
            id: doc.id().map(str::to_string),
            title: doc.title.clone(),
            path: doc.path.clone(),
            from_path: None,
            from_version: meta.and_then(|m| m.version.clone()),
            to_version: None,
            from_status: meta.map(|m| m.status.as_str()),
            to_status: None,
        });
    }
    documents.sort_by(|a, b| a.path.cmp(&b.path).then(a.change.cmp(b.change)));
    let (new_findings, resolved_findings) = compare_findings(from, to);
    Diff {
        schema: SCHEMA,
        from: from_side,
        to: to_side,
        clauses,
        documents,
        new_findings,
        resolved_findings,
    }
}

type FindingKey<'d> = (
    Severity,
    &'static str,
    Option<&'d str>,
    Option<&'d str>,
    Option<&'d str>,
);

/// What identifies a finding across revisions: its code, clause and document (messages hold
/// dates and day counts; files and lines move), or its message when it has neither.
fn finding_key(d: &Diagnostic) -> FindingKey<'_> {
    let message = (d.clause.is_none() && d.document.is_none()).then_some(d.message.as_str());
    (
        d.severity,
        d.code,
        d.clause.as_deref(),
        d.document.as_deref(),
        message,
    )
}

fn compare_findings(from: &Project, to: &Project) -> (Vec<FindingChange>, Vec<FindingChange>) {
    fn group(p: &Project) -> BTreeMap<FindingKey<'_>, Vec<FindingChange>> {
        let mut map: BTreeMap<FindingKey<'_>, Vec<FindingChange>> = BTreeMap::new();
        for d in p
            .diagnostics
            .iter()
            .filter(|d| !HISTORY_CODES.contains(&d.code))
        {
            map.entry(finding_key(d)).or_default().push(FindingChange {
                severity: d.severity,
                code: d.code,
                message: d.message.clone(),
                clause: d.clause.clone(),
                document: d.document.clone(),
            });
        }
        map
    }
    let (old, new) = (group(from), group(to));
    let extra = |a: &BTreeMap<FindingKey, Vec<FindingChange>>,
                 b: &BTreeMap<FindingKey, Vec<FindingChange>>| {
        let mut out = Vec::new();
        for (key, list) in a {
            let there = b.get(key).map_or(0, Vec::len);
            out.extend(list.iter().skip(there).cloned());
        }
        out
    };
    (extra(&new, &old), extra(&old, &new))
}

fn status(s: Option<Coverage>) -> &'static str {
    s.map_or("not in use", Coverage::as_str)
}

/// The text output of `diff`.
pub fn text(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Changes from {} ({}) to {} ({})",
        diff.from.revision, diff.from.date, diff.to.revision, diff.to.date
    );
    let _ = writeln!(
        out,
        "\nClauses whose status changed: {}",
        diff.clauses.len()
    );
    for c in &diff.clauses {
        let _ = writeln!(
            out,
            "  {} {}: {} → {}",
            c.reference,
            c.title,
            status(c.from),
            status(c.to)
        );
    }
    let _ = writeln!(out, "\nDocuments: {}", diff.documents.len());
    for d in &diff.documents {
        let mut detail = String::new();
        if d.from_version != d.to_version && d.from_version.is_some() && d.to_version.is_some() {
            let _ = write!(
                detail,
                ", version {} → {}",
                d.from_version.as_deref().unwrap_or(""),
                d.to_version.as_deref().unwrap_or("")
            );
        }
        if let Some(from) = &d.from_path {
            let _ = write!(detail, ", moved from {from}");
        }
        let _ = writeln!(
            out,
            "  {:<11} {}{} ({}{detail})",
            d.change,
            d.id.as_ref().map(|i| format!("{i} ")).unwrap_or_default(),
            d.title,
            d.path
        );
    }
    for (title, list) in [
        ("New findings", &diff.new_findings),
        ("Resolved findings", &diff.resolved_findings),
    ] {
        let _ = writeln!(out, "\n{title}: {}", list.len());
        for f in list {
            let _ = writeln!(out, "  {}[{}]: {}", f.severity, f.code, f.message);
        }
    }
    let _ = writeln!(
        out,
        "\nresult: {} clause{} changed, {} new gap{}, {} document{} changed, {} new finding{}, {} resolved",
        diff.clauses.len(),
        plural(diff.clauses.len()),
        diff.new_gaps(),
        plural(diff.new_gaps()),
        diff.documents.len(),
        plural(diff.documents.len()),
        diff.new_findings.len(),
        plural(diff.new_findings.len()),
        diff.resolved_findings.len()
    );
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
