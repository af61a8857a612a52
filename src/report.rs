//! Reports of a loaded project for the terminal and for machines: the output of `check`
//! and `clauses`, as text or as JSON (schema `smsbook-check/1`, documented in the README).

use crate::analysis::{record_date, review_overdue, Coverage};
use crate::catalog::ClauseKey;
use crate::diagnostics::Diagnostic;
use crate::Project;
use serde::Serialize;
use std::fmt::Write;

/// The version of the JSON report format. Fields are only ever added within a version.
pub const SCHEMA: &str = "smsbook-check/1";

/// The JSON report.
#[derive(Debug, Serialize)]
pub struct Report<'p> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The date the analysis ran for.
    pub today: String,
    /// Counts.
    pub summary: Summary,
    /// The standards in use, primary first.
    pub standards: Vec<StandardEntry<'p>>,
    /// Every clause of every standard, in catalogue order.
    pub clauses: Vec<ClauseEntry<'p>>,
    /// Every document, in path order.
    pub documents: Vec<DocumentEntry<'p>>,
    /// Every diagnostic (errors, warnings, notes).
    pub findings: &'p [Diagnostic],
}

/// Counts for the summary line.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// The primary standard.
    pub standard: String,
    /// Clauses of the primary standard by status.
    pub clauses: StatusCounts,
    /// Number of documents (including plain pages).
    pub documents: usize,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of notes.
    pub notes: usize,
}

/// Clauses by status.
#[derive(Debug, Serialize)]
pub struct StatusCounts {
    /// All clauses.
    pub total: usize,
    /// Satisfied.
    pub satisfied: usize,
    /// Partial.
    pub partial: usize,
    /// Gap.
    pub gap: usize,
    /// Excluded.
    pub excluded: usize,
}

/// A standard in use.
#[derive(Debug, Serialize)]
pub struct StandardEntry<'p> {
    /// E.g. `iso20000-1:2018`.
    pub id: &'p str,
    /// E.g. `iso20000-1`.
    pub prefix: &'p str,
    /// E.g. `ISO/IEC 20000-1:2018`.
    pub title: &'p str,
    /// True for the first standard.
    pub primary: bool,
    /// Its clauses by status.
    pub clauses: StatusCounts,
}

/// One clause with its coverage.
#[derive(Debug, Serialize)]
pub struct ClauseEntry<'p> {
    /// The standard's id.
    pub standard: &'p str,
    /// The clause number.
    pub number: &'p str,
    /// How documents refer to it (`8.5.1`, or `prefix:number` outside the primary standard).
    pub reference: String,
    /// The title.
    pub title: &'p str,
    /// The parent clause number.
    pub parent: Option<&'p str>,
    /// The child clause numbers.
    pub children: Vec<&'p str>,
    /// Asks for documented information.
    pub documented: bool,
    /// Needs a record.
    pub record: bool,
    /// `satisfied`, `partial`, `gap` or `excluded`.
    pub status: Coverage,
    /// Why.
    pub reasons: &'p [crate::analysis::Reason],
    /// The exclusion justification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusion: Option<&'p str>,
    /// The documents that claim this clause itself (not counting retired ones).
    pub documents: Vec<ClaimEntry<'p>>,
    /// Evidence through mappings that counts here (`via` names the clause it claims); only
    /// where `[mappings] indirect-evidence` allows it.
    pub indirect: Vec<ClaimEntry<'p>>,
    /// The topics (mappings to other standards) this clause belongs to.
    pub topics: Vec<&'p str>,
    /// The codes of the findings about this clause.
    pub findings: Vec<&'static str>,
}

/// A document claiming a clause.
#[derive(Debug, Serialize)]
pub struct ClaimEntry<'p> {
    /// Document id.
    pub id: &'p str,
    /// Document title.
    pub title: &'p str,
    /// Path relative to the source folder.
    pub path: &'p str,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: &'static str,
    /// Document status.
    pub status: &'static str,
    /// The section anchor, if the claim names one.
    pub section: Option<&'p str>,
    /// For evidence through a mapping: the clause the document claims (`iso20000-1:7.5.3`
    /// style references, plain for the primary standard).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// A claim as a report entry; `via` is set when the claim is on another clause than `key`.
fn claim_entry(project: &Project, key: ClauseKey, claim: usize) -> ClaimEntry<'_> {
    let (c, doc, meta) = project.manual.claim(claim);
    ClaimEntry {
        id: &meta.id.value,
        title: &doc.title,
        path: &doc.path,
        doc_type: meta.doc_type.as_str(),
        status: meta.status.as_str(),
        section: c.section.as_deref(),
        via: (c.clause != key).then(|| project.catalogs.qualified(c.clause)),
    }
}

/// One document.
#[derive(Debug, Serialize)]
pub struct DocumentEntry<'p> {
    /// Id (`null` for a plain page without front matter).
    pub id: Option<&'p str>,
    /// Title.
    pub title: &'p str,
    /// Path relative to the source folder.
    pub path: &'p str,
    /// Type (`null` for a plain page).
    #[serde(rename = "type")]
    pub doc_type: Option<&'static str>,
    /// Status (`null` for a plain page).
    pub status: Option<&'static str>,
    /// Owner.
    pub owner: Option<&'p str>,
    /// Version.
    pub version: Option<&'p str>,
    /// Approver.
    pub approved_by: Option<&'p str>,
    /// Approval date.
    pub approved_on: Option<String>,
    /// Review date.
    pub review_by: Option<String>,
    /// True when approved and past its review date.
    pub review_overdue: bool,
    /// Record date (`date`, else `approved_on`, for records).
    pub date: Option<String>,
    /// The clause references it claims (resolved ones only).
    pub satisfies: Vec<String>,
    /// Its reading lists.
    pub audience: Vec<&'p str>,
    /// Paths of the documents that link to it.
    pub referenced_by: Vec<&'p str>,
}

fn counts(project: &Project, standard: usize) -> StatusCounts {
    let [satisfied, partial, gap, excluded] = project.analysis.counts(standard);
    StatusCounts {
        total: satisfied + partial + gap + excluded,
        satisfied,
        partial,
        gap,
        excluded,
    }
}

/// Builds the JSON report of a project.
pub fn report(project: &Project) -> Report<'_> {
    let (errors, warnings, notes) = project.severity_counts();
    let catalogs = &project.catalogs;
    let manual = &project.manual;
    let clauses = catalogs
        .keys()
        .map(|key| {
            let catalog = &catalogs.list[key.standard];
            let clause = catalogs.clause(key);
            let coverage = project.analysis.of(key);
            let reference = catalogs.reference(key);
            ClauseEntry {
                standard: &catalog.id,
                number: &clause.number,
                title: &clause.title,
                parent: clause.parent.map(|p| catalog.clauses[p].number.as_str()),
                children: clause
                    .children
                    .iter()
                    .map(|&c| catalog.clauses[c].number.as_str())
                    .collect(),
                documented: clause.documented,
                record: clause.record,
                status: coverage.status,
                reasons: &coverage.reasons,
                exclusion: coverage.exclusion.as_deref(),
                documents: coverage
                    .claims
                    .iter()
                    .map(|&c| claim_entry(project, key, c))
                    .collect(),
                indirect: coverage
                    .indirect
                    .iter()
                    .map(|&c| claim_entry(project, key, c))
                    .collect(),
                topics: project
                    .rules
                    .mappings
                    .topics_of(key)
                    .map(|t| t.id.as_str())
                    .collect(),
                findings: project
                    .analysis
                    .findings
                    .iter()
                    .filter(|d| d.clause.as_deref() == Some(reference.as_str()))
                    .map(|d| d.code)
                    .collect(),
                reference,
            }
        })
        .collect();
    let documents = manual
        .documents
        .iter()
        .enumerate()
        .map(|(index, doc)| {
            let meta = doc.meta.as_ref();
            DocumentEntry {
                id: doc.id(),
                title: &doc.title,
                path: &doc.path,
                doc_type: meta.map(|m| m.doc_type.as_str()),
                status: meta.map(|m| m.status.as_str()),
                owner: meta.and_then(|m| m.owner.as_deref()),
                version: meta.and_then(|m| m.version.as_deref()),
                approved_by: meta.and_then(|m| m.approved_by.as_deref()),
                approved_on: meta.and_then(|m| m.approved_on).map(|d| d.to_string()),
                review_by: meta
                    .and_then(|m| m.review_by.as_ref())
                    .map(|r| r.value.to_string()),
                review_overdue: meta.is_some_and(|m| review_overdue(m, project.rules.today)),
                date: meta
                    .filter(|m| m.doc_type == crate::source::frontmatter::DocType::Record)
                    .and_then(record_date)
                    .map(|d| d.to_string()),
                satisfies: manual
                    .claims_of(index)
                    .iter()
                    .map(|c| catalogs.reference(c.clause))
                    .collect(),
                audience: meta.map_or(Vec::new(), |m| {
                    m.audience.iter().map(|a| a.value.as_str()).collect()
                }),
                referenced_by: manual.backlinks[index]
                    .iter()
                    .map(|&b| manual.documents[b].path.as_str())
                    .collect(),
            }
        })
        .collect();
    Report {
        schema: SCHEMA,
        today: project.rules.today.to_string(),
        summary: Summary {
            standard: catalogs.primary().id.clone(),
            clauses: counts(project, 0),
            documents: manual.documents.len(),
            errors,
            warnings,
            notes,
        },
        standards: catalogs
            .list
            .iter()
            .enumerate()
            .map(|(i, c)| StandardEntry {
                id: &c.id,
                prefix: &c.prefix,
                title: &c.title,
                primary: i == 0,
                clauses: counts(project, i),
            })
            .collect(),
        clauses,
        documents,
        findings: &project.diagnostics,
    }
}

/// The text output of `check`: every diagnostic like a compiler, then a summary.
pub fn check_text(project: &Project, color: bool) -> String {
    let mut out = String::new();
    for d in &project.diagnostics {
        out.push_str(&d.render(color));
        out.push_str("\n\n");
    }
    out.push_str(&summary_text(project));
    out
}

/// The `--quiet` output of `check`: the errors only, nothing when there are none.
pub fn errors_text(project: &Project, color: bool) -> String {
    let mut out = String::new();
    for d in project.diagnostics.iter().filter(|d| d.is_error()) {
        out.push_str(&d.render(color));
        out.push_str("\n\n");
    }
    out
}

/// The closing summary: clauses by status per standard, documents, errors and warnings.
pub fn summary_text(project: &Project) -> String {
    let mut out = String::new();
    for (i, catalog) in project.catalogs.list.iter().enumerate() {
        let c = counts(project, i);
        let _ = writeln!(
            out,
            "{}: {} clauses as of {}: {} satisfied, {} partial, {} gap, {} excluded",
            catalog.title, c.total, project.rules.today, c.satisfied, c.partial, c.gap, c.excluded
        );
    }
    let docs = &project.manual.documents;
    let plain = docs.iter().filter(|d| d.meta.is_none()).count();
    let (errors, warnings, notes) = project.severity_counts();
    let _ = writeln!(
        out,
        "documents: {} ({} with front matter, {})",
        docs.len(),
        docs.len() - plain,
        count(plain, "plain page")
    );
    let _ = writeln!(
        out,
        "result: {}, {}, {}",
        count(errors, "error"),
        count(warnings, "warning"),
        count(notes, "note")
    );
    out
}

/// "1 error", "2 errors".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The text output of `clauses`: each standard's clause tree with status and documents.
pub fn clauses_text(project: &Project) -> String {
    let catalogs = &project.catalogs;
    let mut out = String::new();
    for (standard, catalog) in catalogs.list.iter().enumerate() {
        let _ = writeln!(out, "{} (as of {})", catalog.title, project.rules.today);
        let rows: Vec<(String, ClauseKey)> = (0..catalog.clauses.len())
            .map(|clause| {
                let c = &catalog.clauses[clause];
                let indent = "  ".repeat(catalog.depth(clause));
                (
                    format!("{indent}{} {}", c.number, c.title),
                    ClauseKey { standard, clause },
                )
            })
            .collect();
        let width = rows
            .iter()
            .map(|(label, _)| label.chars().count())
            .max()
            .unwrap_or(0);
        for (label, key) in rows {
            let coverage = project.analysis.of(key);
            let id = |c: usize| project.manual.documents[project.manual.claims[c].document].id();
            let ids: Vec<String> = coverage
                .claims
                .iter()
                .filter_map(|&c| id(c).map(str::to_string))
                .chain(coverage.indirect.iter().filter_map(|&c| {
                    let via = project.catalogs.qualified(project.manual.claims[c].clause);
                    id(c).map(|id| format!("{id} (via {via})"))
                }))
                .collect();
            let line = format!(
                "{label:<width$}  {:<9}  {}",
                coverage.status.as_str(),
                ids.join(", ")
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out.push('\n');
    }
    out.push_str(&summary_text(project));
    out
}
