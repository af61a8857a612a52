//! Document control from git on the site: the history of each document (on its page and,
//! when long, on a page of its own), the findings drawn from history, and what the register
//! and the dashboard show of them. Nothing here renders anything without a git history, so
//! builds outside git are unchanged.

use super::markdown::page_path;
use crate::diagnostics::Diagnostic;
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
    label: &'static str,
    message: String,
}

impl Notice {
    /// How the register shows it.
    pub fn label(&self) -> &'static str {
        self.label
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
                label: label(d.code),
                message: d.message.clone(),
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
