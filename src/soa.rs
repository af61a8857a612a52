//! The Statement of Applicability (ISO/IEC 27001 6.1.3): for every Annex A control, whether it
//! applies, why, how far it is implemented (from coverage), and the documents that implement it.

use crate::analysis::Coverage;
use crate::catalog::ClauseKey;
use crate::diagnostics::Diagnostic;
use crate::Project;
use serde::Serialize;

/// The prefix of the standard the SoA belongs to.
pub const STANDARD: &str = "iso27001";

/// One row of the SoA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The control number, e.g. `A.5.15`.
    pub control: String,
    /// The control title.
    pub title: String,
    /// Whether the control applies.
    pub applicable: bool,
    /// The reason for including it, or the justification for excluding it.
    pub justification: String,
    /// `implemented`, `partly implemented`, `not implemented` or `not applicable`.
    pub implementation: &'static str,
    /// The coverage behind it: `satisfied`, `partial`, `gap` or `excluded`.
    pub status: &'static str,
    /// Ids of the documents that claim the control, then those that count through a mapping,
    /// marked `(via <clause>)`.
    pub documents: Vec<String>,
    /// The clause page of the control, relative to the site root.
    pub url: String,
}

/// The Annex A controls of the ISO/IEC 27001 catalogue in use: numbers `A.n.n`.
fn controls(project: &Project) -> Option<Vec<ClauseKey>> {
    let standard = project
        .catalogs
        .list
        .iter()
        .position(|c| c.prefix == STANDARD)?;
    let catalog = &project.catalogs.list[standard];
    Some(
        (0..catalog.clauses.len())
            .filter(|&i| {
                let n = &catalog.clauses[i].number;
                n.starts_with("A.") && n.matches('.').count() == 2
            })
            .map(|clause| ClauseKey { standard, clause })
            .collect(),
    )
}

/// The rows of the SoA, or `None` when ISO/IEC 27001 is not among the standards in use.
pub fn rows(project: &Project) -> Option<Vec<Row>> {
    let catalogs = &project.catalogs;
    Some(
        controls(project)?
            .into_iter()
            .map(|key| {
                let clause = catalogs.clause(key);
                let entry = project
                    .config
                    .soa
                    .iter()
                    .find(|e| e.control == clause.number);
                let coverage = project.analysis.of(key);
                let implementation = match coverage.status {
                    Coverage::Satisfied => "implemented",
                    Coverage::Partial => "partly implemented",
                    Coverage::Gap => "not implemented",
                    Coverage::Excluded => "not applicable",
                };
                Row {
                    control: clause.number.clone(),
                    title: clause.title.clone(),
                    applicable: coverage.status != Coverage::Excluded,
                    justification: entry
                        .and_then(|e| e.justification.clone())
                        .or_else(|| coverage.exclusion.clone())
                        .unwrap_or_default(),
                    implementation,
                    status: coverage.status.as_str(),
                    documents: coverage
                        .claims
                        .iter()
                        .map(|&c| project.manual.claim(c).2.id.value.clone())
                        .chain(coverage.indirect.iter().map(|&c| {
                            let (claim, _, meta) = project.manual.claim(c);
                            format!(
                                "{} (via {})",
                                meta.id.value,
                                catalogs.qualified(claim.clause)
                            )
                        }))
                        .collect(),
                    url: crate::render::markdown::clause_page(catalogs, key),
                }
            })
            .collect(),
    )
}

/// Warnings for applicable controls whose inclusion the SoA does not explain.
pub fn findings(project: &Project) -> Vec<Diagnostic> {
    let Some(rows) = rows(project) else {
        return Vec::new();
    };
    rows.into_iter()
        .filter(|r| r.applicable && r.justification.is_empty())
        .map(|r| {
            Diagnostic::warning(
                "soa-no-reason",
                format!("control {} {} applies, but the Statement of Applicability gives no reason for it", r.control, r.title),
            )
            .clause(format!("{STANDARD}:{}", r.control))
            .help(format!("add `[soa.\"{}\"]` with `reason = \"...\"` (e.g. the risk it treats) to book.toml", r.control))
        })
        .collect()
}

/// `soa.csv`: one row per control.
pub fn csv(rows: &[Row]) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let error = |e: csv::Error| e.to_string();
    writer
        .write_record([
            "control",
            "title",
            "applicable",
            "justification",
            "implementation",
            "documents",
        ])
        .map_err(error)?;
    for r in rows {
        let applicable = if r.applicable { "yes" } else { "no" };
        writer
            .write_record([
                r.control.as_str(),
                &r.title,
                applicable,
                &r.justification,
                r.implementation,
                &r.documents.join(" "),
            ])
            .map_err(error)?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}
