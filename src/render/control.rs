//! Document control from git on the site: the history of each document (on its page and,
//! when long, on a page of its own), the findings drawn from history, and what the register
//! and the dashboard show of them. Nothing here renders anything without a git history, so
//! builds outside git are unchanged.

use super::markdown::page_path;
use crate::analysis::Coverage;
use crate::diagnostics::Diagnostic;
use crate::diff::Diff;
use crate::history::{ChangeKind, History};
use crate::Project;
use serde::Serialize;
use std::collections::HashMap;

/// How many commits a document page lists; the rest are on its history page.
pub const PAGE_COMMITS: usize = 20;

/// The codes of the findings shown as document control notices.
pub const CODES: [&str; 3] = [
    "changed-after-approval",
    "version-not-bumped",
    "uncommitted",
];

/// One commit in a document's history.
#[derive(Debug, Serialize)]
pub struct CommitView<'a> {
    date: String,
    author: &'a str,
    id: &'a str,
    short: &'a str,
    subject: &'a str,
    /// "added", "renamed from …", "deleted" or empty.
    what: String,
}

/// A document's history as its page shows it.
#[derive(Debug, Serialize)]
pub struct HistoryView<'a> {
    /// The date of the last commit that changed the document.
    last_changed: String,
    /// Its short id.
    last_commit: &'a str,
    /// The newest commits (all of them on the history page).
    commits: Vec<CommitView<'a>>,
    /// How many commits changed the document.
    total: usize,
    /// The page with the whole history, relative to the site root, when the page shows
    /// only part of it.
    full: Option<String>,
    /// The working tree's file differs from the last commit.
    uncommitted: bool,
    /// The history is shallow; it starts at this date.
    shallow_since: Option<String>,
}

/// A finding about a document's control (shown on its page, in the register, on the dashboard).
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    code: &'static str,
    label: String,
    message: String,
    /// The status colour it is shown in: `gap`, `partial` or `excluded`.
    class: &'static str,
}

impl Notice {
    /// How the register shows it.
    pub fn label(&self) -> String {
        self.label.clone()
    }
}

fn label(code: &str) -> &'static str {
    match code {
        "changed-after-approval" => "changed after approval",
        "version-not-bumped" => "version not bumped",
        "uncommitted" => "uncommitted changes",
        _ => "finding",
    }
}

/// The document control notices, by document id.
pub fn notices(diagnostics: &[Diagnostic]) -> HashMap<&str, Vec<Notice>> {
    let mut by_document: HashMap<&str, Vec<Notice>> = HashMap::new();
    for d in diagnostics.iter().filter(|d| CODES.contains(&d.code)) {
        if let Some(id) = d.document.as_deref() {
            by_document.entry(id).or_default().push(Notice {
                code: d.code,
                label: label(d.code).to_string(),
                message: d.message.clone(),
                class: if d.code == "uncommitted" {
                    "partial"
                } else {
                    "gap"
                },
            });
        }
    }
    by_document
}

/// Where the whole history of a document goes: `history/<path>.html`.
pub fn history_page(path: &str) -> String {
    format!("history/{}", page_path(path))
}

/// The history view of a document: `limit` commits at most (`None`: all).
pub fn history_view<'p>(
    history: &'p History,
    path: &str,
    limit: Option<usize>,
) -> Option<HistoryView<'p>> {
    let changes = history.of(path);
    let newest = history.commit(changes.first()?);
    let shown = limit.unwrap_or(changes.len()).min(changes.len());
    Some(HistoryView {
        last_changed: newest.date.to_string(),
        last_commit: &newest.short,
        commits: changes[..shown]
            .iter()
            .map(|change| {
                let commit = history.commit(change);
                CommitView {
                    date: commit.date.to_string(),
                    author: &commit.author,
                    id: &commit.id,
                    short: &commit.short,
                    subject: &commit.subject,
                    what: match (change.kind, &change.renamed_from) {
                        (ChangeKind::Added, _) => "added".to_string(),
                        (ChangeKind::Deleted, _) => "deleted".to_string(),
                        (ChangeKind::Renamed, Some(from)) => format!("renamed from {from}"),
                        _ => String::new(),
                    },
                }
            })
            .collect(),
        total: changes.len(),
        full: (limit.is_some() && shown < changes.len()).then(|| history_page(path)),
        uncommitted: history.uncommitted.contains(path),
        shallow_since: history
            .shallow
            .then(|| history.oldest().map(|d| d.to_string()))
            .flatten(),
    })
}

/// The documents whose history is longer than a page shows: their history pages.
pub fn long_histories(project: &Project) -> Vec<usize> {
    let Some(history) = &project.history else {
        return Vec::new();
    };
    project
        .manual
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| history.of(&d.path).len() > PAGE_COMMITS)
        .map(|(i, _)| i)
        .collect()
}

/// A row of the dashboard's document control table.
#[derive(Debug, Serialize)]
pub struct ControlRow<'a> {
    url: String,
    id: &'a str,
    title: &'a str,
    notices: Vec<Notice>,
}

/// What the dashboard shows of document control: the documents with notices (uncommitted
/// ones only counted), and the shallow-history note. `None` without a history.
#[derive(Debug, Serialize)]
pub struct DashboardControl<'a> {
    rows: Vec<ControlRow<'a>>,
    uncommitted: usize,
    shallow_since: Option<String>,
}

/// The dashboard's document control section, when the source is in git.
pub fn dashboard<'p>(
    project: &'p Project,
    notices: &HashMap<&str, Vec<Notice>>,
) -> Option<DashboardControl<'p>> {
    let history = project.history.as_ref()?;
    let mut rows: Vec<ControlRow> = project
        .manual
        .documents
        .iter()
        .filter_map(|doc| {
            let meta = doc.meta.as_ref()?;
            let notices: Vec<Notice> = notices
                .get(meta.id.value.as_str())?
                .iter()
                .filter(|n| n.code != "uncommitted")
                .cloned()
                .collect();
            (!notices.is_empty()).then(|| ControlRow {
                url: page_path(&doc.path),
                id: &meta.id.value,
                title: &doc.title,
                notices,
            })
        })
        .collect();
    rows.sort_by(|a, b| a.id.cmp(b.id));
    Some(DashboardControl {
        rows,
        uncommitted: project
            .manual
            .documents
            .iter()
            .filter(|d| history.uncommitted.contains(&d.path))
            .count(),
        shallow_since: history
            .shallow
            .then(|| history.oldest().map(|d| d.to_string()))
            .flatten(),
    })
}

/// The marker of a document that changed since the compared revision.
pub fn change_notice(diff: &Diff, path: &str) -> Option<Notice> {
    let change = diff.document(path)?;
    let since = &diff.from.revision;
    let message = match change.change {
        "added" => format!("this document is new since {since}"),
        "retired" => format!("this document was retired since {since}"),
        "re-approved" => format!(
            "approved again since {since} (version {} → {})",
            change.from_version.as_deref().unwrap_or("none"),
            change.to_version.as_deref().unwrap_or("none")
        ),
        _ => format!("this document changed since {since}"),
    };
    Some(Notice {
        code: "changed-since",
        label: format!("{} since {since}", change.change),
        message,
        class: "excluded",
    })
}

/// The marker of a clause whose status changed since the compared revision.
#[derive(Debug, Serialize)]
pub struct ClauseSince<'d> {
    revision: &'d str,
    from: &'static str,
    to: &'static str,
}

/// The clause's change since the compared revision, if its status changed.
pub fn clause_since<'d>(diff: &'d Diff, standard: &str, number: &str) -> Option<ClauseSince<'d>> {
    let change = diff.clause(standard, number)?;
    Some(ClauseSince {
        revision: &diff.from.revision,
        from: change.from.map_or("not in use", Coverage::as_str),
        to: change.to.map_or("not in use", Coverage::as_str),
    })
}

#[derive(Debug, Serialize)]
struct ClauseRow<'d> {
    url: Option<&'d str>,
    reference: &'d str,
    title: &'d str,
    from: &'static str,
    to: &'static str,
}

#[derive(Debug, Serialize)]
struct DocumentRow<'d> {
    url: Option<String>,
    change: &'static str,
    id: &'d str,
    title: &'d str,
    path: &'d str,
    version: String,
}

/// The "Changes since" page's view.
#[derive(Debug, Serialize)]
pub struct ChangesView<'d> {
    from: &'d crate::diff::Side,
    to: &'d crate::diff::Side,
    clauses: Vec<ClauseRow<'d>>,
    documents: Vec<DocumentRow<'d>>,
    new_findings: &'d [crate::diff::FindingChange],
    resolved_findings: &'d [crate::diff::FindingChange],
}

/// The view of the "Changes since" page.
pub fn changes_view(diff: &Diff) -> ChangesView<'_> {
    ChangesView {
        from: &diff.from,
        to: &diff.to,
        clauses: diff
            .clauses
            .iter()
            .map(|c| ClauseRow {
                url: c.url.as_deref(),
                reference: &c.reference,
                title: &c.title,
                from: c.from.map_or("not in use", Coverage::as_str),
                to: c.to.map_or("not in use", Coverage::as_str),
            })
            .collect(),
        documents: diff
            .documents
            .iter()
            .map(|d| DocumentRow {
                url: (d.change != "removed").then(|| page_path(&d.path)),
                change: d.change,
                id: d.id.as_deref().unwrap_or(""),
                title: &d.title,
                path: &d.path,
                version: match (&d.from_version, &d.to_version) {
                    (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
                    (_, Some(b)) => b.clone(),
                    (Some(a), None) => a.clone(),
                    (None, None) => String::new(),
                },
            })
            .collect(),
        new_findings: &diff.new_findings,
        resolved_findings: &diff.resolved_findings,
    }
}
