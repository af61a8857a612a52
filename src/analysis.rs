//! Analysis: coverage status and findings per clause and per document. A pure function of
//! the manual, the catalogues, the exclusions, the record age limit and today's date.

use crate::catalog::{Catalogs, ClauseKey};
use crate::diagnostics::{Diagnostic, Severity};
use crate::manual::Manual;
use crate::source::frontmatter::{DocType, Meta, Status};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// How well a clause is supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// Approved, in-date evidence (and fresh records where the clause needs them).
    Satisfied,
    /// Claimed, but only by weak evidence.
    Partial,
    /// Nothing claims it.
    Gap,
    /// Declared not applicable, with a justification.
    Excluded,
}

impl Coverage {
    /// Every status, in display order.
    pub const ALL: [Coverage; 4] = [
        Coverage::Satisfied,
        Coverage::Partial,
        Coverage::Gap,
        Coverage::Excluded,
    ];

    /// The lower-case label.
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Satisfied => "satisfied",
            Coverage::Partial => "partial",
            Coverage::Gap => "gap",
            Coverage::Excluded => "excluded",
        }
    }
}

/// Why a clause has its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// A stable code: `supported`, `gap`, `draft-only`, `review-overdue`, `record-missing`,
    /// `record-stale`, `excluded`, `sub-clauses`, `parent-claim-only`.
    pub code: &'static str,
    /// The explanation, for a service manager.
    pub message: String,
}

/// The coverage of one clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseCoverage {
    /// Its status.
    pub status: Coverage,
    /// Why.
    pub reasons: Vec<Reason>,
    /// Indices into `Manual::claims` of the claims made on this clause itself.
    pub claims: Vec<usize>,
    /// The justification, when the clause (or an ancestor) is excluded.
    pub exclusion: Option<String>,
    /// Indices into `Manual::claims` of claims on mapped clauses of other standards that
    /// count here (only where `[mappings] indirect-evidence` allows it; leaves only).
    pub indirect: Vec<usize>,
}

/// The inputs of the analysis besides the manual and the catalogues.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Today's date (from `--today` or the clock).
    pub today: NaiveDate,
    /// How many days a record stays fresh.
    pub record_max_age_days: u32,
    /// Excluded clauses and their justifications.
    pub exclusions: HashMap<ClauseKey, String>,
    /// Reviews due within this many days get a note.
    pub review_warning_days: i64,
    /// Topics shared by several standards, and which standards count evidence through them.
    pub mappings: crate::mapping::Mappings,
}

/// The result of the analysis.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Per standard (parallel to `Catalogs::list`), per clause (parallel to `Catalog::clauses`).
    pub coverage: Vec<Vec<ClauseCoverage>>,
    /// Findings: gaps, weak evidence, overdue reviews, documents that claim nothing.
    pub findings: Vec<Diagnostic>,
}

impl Analysis {
    /// The coverage of one clause.
    pub fn of(&self, key: ClauseKey) -> &ClauseCoverage {
        &self.coverage[key.standard][key.clause]
    }

    /// How many clauses of a standard have each status, in [`Coverage::ALL`] order.
    pub fn counts(&self, standard: usize) -> [usize; 4] {
        let mut counts = [0; 4];
        for c in &self.coverage[standard] {
            counts[Coverage::ALL
                .iter()
                .position(|s| *s == c.status)
                .unwrap_or(0)] += 1;
        }
        counts
    }
}

/// True when an approved document's review date has passed.
pub fn review_overdue(meta: &Meta, today: NaiveDate) -> bool {
    meta.status == Status::Approved && meta.review_by.as_ref().is_some_and(|r| r.value < today)
}

/// The date a record speaks for: its `date`, else its approval date.
pub fn record_date(meta: &Meta) -> Option<NaiveDate> {
    meta.date.or(meta.approved_on)
}

/// Runs the analysis.
pub fn analyse(manual: &Manual, catalogs: &Catalogs, rules: &Rules) -> Analysis {
    let mut claims_by_clause: HashMap<ClauseKey, Vec<usize>> = HashMap::new();
    for (index, claim) in manual.claims.iter().enumerate() {
        claims_by_clause
            .entry(claim.clause)
            .or_default()
            .push(index);
    }
    let mut analysis = Analysis {
        coverage: Vec::new(),
        findings: Vec::new(),
    };
    for (standard, catalog) in catalogs.list.iter().enumerate() {
        let mut results: Vec<Option<ClauseCoverage>> = vec![None; catalog.clauses.len()];
        for root in catalog.roots() {
            evaluate(
                manual,
                catalogs,
                rules,
                &claims_by_clause,
                standard,
                root,
                None,
                &mut results,
            );
        }
        analysis.coverage.push(
            results
                .into_iter()
                .map(|r| r.expect("every clause is reached from a root"))
                .collect(),
        );
    }
    clause_findings(manual, catalogs, &mut analysis);
    document_findings(manual, rules, &mut analysis.findings);
    analysis
}

#[allow(clippy::too_many_arguments)]
fn evaluate(
    manual: &Manual,
    catalogs: &Catalogs,
    rules: &Rules,
    claims_by_clause: &HashMap<ClauseKey, Vec<usize>>,
    standard: usize,
    clause: usize,
    inherited_exclusion: Option<&String>,
    results: &mut [Option<ClauseCoverage>],
) -> Coverage {
    let key = ClauseKey { standard, clause };
    let catalog = &catalogs.list[standard];
    let exclusion = rules.exclusions.get(&key).or(inherited_exclusion);
    // Claims by retired documents (or documents without valid front matter) count for nothing.
    let claims: Vec<usize> = claims_by_clause
        .get(&key)
        .into_iter()
        .flatten()
        .copied()
        .filter(|&c| {
            manual
                .status(manual.claims[c].document)
                .is_some_and(|s| s != Status::Retired)
        })
        .collect();
    let children = catalog.clauses[clause].children.clone();
    let child_statuses: Vec<Coverage> = children
        .iter()
        .map(|&child| {
            evaluate(
                manual,
                catalogs,
                rules,
                claims_by_clause,
                standard,
                child,
                exclusion,
                results,
            )
        })
        .collect();
    let mut indirect = Vec::new();
    let (status, reasons) = if let Some(justification) = exclusion {
        (
            Coverage::Excluded,
            vec![reason("excluded", format!("excluded: {justification}"))],
        )
    } else if children.is_empty() {
        indirect = indirect_claims(manual, catalogs, rules, claims_by_clause, key, &claims);
        if indirect.is_empty() {
            leaf_status(manual, catalogs, rules, key, &claims)
        } else {
            let all: Vec<usize> = claims.iter().chain(&indirect).copied().collect();
            let (status, mut reasons) = leaf_status(manual, catalogs, rules, key, &all);
            let (direct_status, _) = leaf_status(manual, catalogs, rules, key, &claims);
            let list: Vec<String> = indirect
                .iter()
                .map(|&c| describe(manual, catalogs, key, c, |m| m.status.as_str().into()))
                .collect();
            let effect = if direct_status == status {
                String::new()
            } else {
                format!(
                    "; without it, this clause would be {}",
                    direct_status.as_str()
                )
            };
            reasons.push(reason(
                "indirect",
                format!(
                    "evidence through mappings to other standards counts here: {}{effect}",
                    list.join(", ")
                ),
            ));
            (status, reasons)
        }
    } else {
        parent_status(
            catalogs,
            standard,
            &children,
            &child_statuses,
            !claims.is_empty(),
        )
    };
    results[clause] = Some(ClauseCoverage {
        status,
        reasons,
        claims,
        exclusion: exclusion.cloned(),
        indirect,
    });
    status
}

fn reason(code: &'static str, message: String) -> Reason {
    Reason { code, message }
}

/// Claims on clauses of other standards mapped to a leaf clause, when its standard counts
/// them: on the mapped clause or inside it, not retired, one per document, and none from a
/// document that already claims the clause itself.
fn indirect_claims(
    manual: &Manual,
    catalogs: &Catalogs,
    rules: &Rules,
    claims_by_clause: &HashMap<ClauseKey, Vec<usize>>,
    key: ClauseKey,
    direct: &[usize],
) -> Vec<usize> {
    if !rules
        .mappings
        .indirect
        .get(key.standard)
        .copied()
        .unwrap_or(false)
    {
        return Vec::new();
    }
    let mut seen: Vec<usize> = direct.iter().map(|&c| manual.claims[c].document).collect();
    let mut found = Vec::new();
    for source in rules.mappings.sources(catalogs, key) {
        let catalog = &catalogs.list[source.standard];
        for clause in catalog.subtree(source.clause) {
            let inner = ClauseKey {
                standard: source.standard,
                clause,
            };
            for &c in claims_by_clause.get(&inner).into_iter().flatten() {
                let document = manual.claims[c].document;
                let live = manual
                    .status(document)
                    .is_some_and(|s| s != Status::Retired);
                if live && !seen.contains(&document) {
                    seen.push(document);
                    found.push(c);
                }
            }
        }
    }
    found
}

/// `ID (detail)`, with `via prefix:number` when the claim is on another clause (a mapping).
fn describe(
    manual: &Manual,
    catalogs: &Catalogs,
    key: ClauseKey,
    claim: usize,
    extra: impl Fn(&Meta) -> String,
) -> String {
    let (c, _, meta) = manual.claim(claim);
    if c.clause == key {
        format!("{} ({})", meta.id.value, extra(meta))
    } else {
        format!(
            "{} ({}, via {})",
            meta.id.value,
            extra(meta),
            catalogs.qualified(c.clause)
        )
    }
}

/// How many documents a reason names before it says how many more there are (the clause page
/// and the matrix list every one).
const NAMED: usize = 10;

/// The first [`NAMED`] of `claims` described, then how many more there are.
fn listing(claims: &[usize], describe: impl Fn(usize) -> String) -> String {
    let named: Vec<String> = claims.iter().take(NAMED).map(|&c| describe(c)).collect();
    match claims.len().saturating_sub(NAMED) {
        0 => named.join(", "),
        more => format!("{}, and {more} more", named.join(", ")),
    }
}

fn leaf_status(
    manual: &Manual,
    catalogs: &Catalogs,
    rules: &Rules,
    key: ClauseKey,
    claims: &[usize],
) -> (Coverage, Vec<Reason>) {
    if claims.is_empty() {
        return (
            Coverage::Gap,
            vec![reason("gap", "no document claims this clause".into())],
        );
    }
    let meta = |c: usize| manual.claim(c).2;
    let approved: Vec<usize> = claims
        .iter()
        .copied()
        .filter(|&c| meta(c).status == Status::Approved)
        .collect();
    let in_date: Vec<usize> = approved
        .iter()
        .copied()
        .filter(|&c| !review_overdue(meta(c), rules.today))
        .collect();
    let mut reasons = Vec::new();
    if approved.is_empty() {
        let list = listing(claims, |c| {
            describe(manual, catalogs, key, c, |m| m.status.as_str().to_string())
        });
        reasons.push(reason(
            "draft-only",
            format!("supported only by documents that are not approved: {list}"),
        ));
    } else if in_date.is_empty() {
        let list = listing(&approved, |c| {
            describe(manual, catalogs, key, c, |m| {
                format!(
                    "review was due {}",
                    m.review_by
                        .as_ref()
                        .map(|r| r.value.to_string())
                        .unwrap_or_default()
                )
            })
        });
        reasons.push(reason(
            "review-overdue",
            format!("every approved document claiming it is overdue for review: {list}"),
        ));
    }
    if catalogs.clause(key).record {
        let records: Vec<usize> = approved
            .iter()
            .copied()
            .filter(|&c| meta(c).doc_type == DocType::Record)
            .collect();
        let max_age = i64::from(rules.record_max_age_days);
        let age = |c: usize| record_date(meta(c)).map(|d| (rules.today - d).num_days());
        if records.is_empty() {
            reasons.push(reason("record-missing", "this clause is shown by records, and no approved record (`type: record`) claims it".into()));
        } else if !records
            .iter()
            .any(|&c| age(c).is_some_and(|a| a <= max_age))
        {
            let newest = records
                .iter()
                .copied()
                .max_by_key(|&c| record_date(meta(c)))
                .unwrap_or(records[0]);
            let detail = match (record_date(meta(newest)), age(newest)) {
                (Some(date), Some(days)) => format!("dated {date}, {days} days old"),
                _ => "undated".to_string(),
            };
            reasons.push(reason(
                "record-stale",
                format!(
                    "the newest record, {} ({detail}), is older than the {max_age}-day limit",
                    meta(newest).id.value
                ),
            ));
        }
    }
    if reasons.is_empty() {
        let list = listing(&in_date, |c| {
            describe(manual, catalogs, key, c, |m| {
                m.doc_type.as_str().to_string()
            })
        });
        (
            Coverage::Satisfied,
            vec![reason("supported", format!("supported by {list}"))],
        )
    } else {
        (Coverage::Partial, reasons)
    }
}

fn parent_status(
    catalogs: &Catalogs,
    standard: usize,
    children: &[usize],
    statuses: &[Coverage],
    claimed: bool,
) -> (Coverage, Vec<Reason>) {
    let catalog = &catalogs.list[standard];
    let counted: Vec<(usize, Coverage)> = children
        .iter()
        .copied()
        .zip(statuses.iter().copied())
        .filter(|(_, s)| *s != Coverage::Excluded)
        .collect();
    let total = counted.len();
    if total == 0 {
        return (
            Coverage::Excluded,
            vec![reason("sub-clauses", "all sub-clauses are excluded".into())],
        );
    }
    let not_satisfied: Vec<String> = counted
        .iter()
        .filter(|(_, s)| *s != Coverage::Satisfied)
        .map(|(c, s)| format!("{} ({})", catalog.clauses[*c].number, s.as_str()))
        .collect();
    if not_satisfied.is_empty() {
        return (
            Coverage::Satisfied,
            vec![reason(
                "sub-clauses",
                format!("all {total} applicable sub-clauses are satisfied"),
            )],
        );
    }
    let all_gaps = counted.iter().all(|(_, s)| *s == Coverage::Gap);
    let summary = format!(
        "{} of {total} applicable sub-clauses are not satisfied: {}",
        not_satisfied.len(),
        not_satisfied.join(", ")
    );
    match (all_gaps, claimed) {
        (true, false) => (Coverage::Gap, vec![reason("sub-clauses", summary)]),
        (true, true) => (
            Coverage::Partial,
            vec![reason(
                "parent-claim-only",
                format!(
                    "claimed as a whole, but none of its sub-clauses is covered: {}",
                    not_satisfied.join(", ")
                ),
            )],
        ),
        _ => (Coverage::Partial, vec![reason("sub-clauses", summary)]),
    }
}

fn clause_findings(manual: &Manual, catalogs: &Catalogs, analysis: &mut Analysis) {
    for key in catalogs.keys() {
        let coverage = analysis.of(key);
        let clause = catalogs.clause(key);
        if !clause.children.is_empty() {
            continue; // findings are raised on the clauses that documents can actually fix
        }
        let name = format!("{} {}", catalogs.reference(key), clause.title);
        let mut found = Vec::new();
        for r in &coverage.reasons {
            let (message, help) = match r.code {
                "gap" => (
                    format!("clause {name} has no supporting document"),
                    format!("write or update a document with `{}` under `satisfies`, or exclude the clause in book.toml with a justification", catalogs.reference(key)),
                ),
                "draft-only" => (
                    format!("clause {name} is {}", r.message),
                    "get the document approved (status: approved, approved_by, approved_on)".to_string(),
                ),
                "record-missing" => (
                    format!("clause {name} needs a record, and no approved record claims it"),
                    format!("add the evidence as a `type: record` document (with `date:`) that lists `{}` under `satisfies`", catalogs.reference(key)),
                ),
                "record-stale" => (
                    format!("clause {name}: {}", r.message),
                    "record the latest occurrence (e.g. this year's minutes or report) as a new record document".to_string(),
                ),
                _ => continue, // review-overdue is reported once per document
            };
            let code = r.code;
            let mut d = Diagnostic::warning(code, message)
                .clause(catalogs.reference(key))
                .help(help);
            if let Some(&claim) = coverage.claims.first() {
                if code != "gap" {
                    if let Some(id) = manual.documents[manual.claims[claim].document].id() {
                        d = d.document(id);
                    }
                }
            }
            found.push(d);
        }
        analysis.findings.extend(found);
    }
}

fn document_findings(manual: &Manual, rules: &Rules, findings: &mut Vec<Diagnostic>) {
    for (index, doc) in manual.documents.iter().enumerate() {
        let Some(meta) = &doc.meta else { continue };
        if meta.status == Status::Retired {
            continue;
        }
        // Indexing the lines of a file costs a pass over it: only do it for a finding.
        let at = |line: usize, column: usize| doc.source_text().location(line, column);
        if let Some(review) = &meta.review_by {
            let days = (review.value - rules.today).num_days();
            if meta.status == Status::Approved && days < 0 {
                findings.push(
                    Diagnostic::warning("review-overdue", format!("{} was due for review on {} ({} days ago)", meta.id.value, review.value, -days))
                        .at(at(review.line, review.column))
                        .document(meta.id.value.clone())
                        .help("review the document, then set a new `review_by` (and a new version and `approved_on` if it changed)"),
                );
            } else if meta.status == Status::Approved && days <= rules.review_warning_days {
                findings.push(
                    Diagnostic::new(
                        Severity::Note,
                        "review-due",
                        format!(
                            "{} is due for review on {} (in {days} days)",
                            meta.id.value, review.value
                        ),
                    )
                    .at(at(review.line, review.column))
                    .document(meta.id.value.clone())
                    .help("plan the review before the date passes"),
                );
            }
        }
        let claims_anything = !manual.claims_of(index).is_empty();
        if meta.satisfies.is_empty()
            && !claims_anything
            && !matches!(meta.doc_type, DocType::Guide | DocType::Glossary)
        {
            findings.push(
                Diagnostic::warning("no-clause", format!("{} claims no clause", meta.id.value))
                    .at(at(meta.line, 1))
                    .document(meta.id.value.clone())
                    .help("list the clauses it supports under `satisfies`, or make it `type: guide` if it is guidance only"),
            );
        }
        if meta.status == Status::Approved
            && (meta.approved_on.is_none() || meta.approved_by.is_none())
        {
            let missing = if meta.approved_on.is_none() {
                "approved_on"
            } else {
                "approved_by"
            };
            findings.push(
                Diagnostic::warning(
                    "approval-incomplete",
                    format!("{} is approved but has no `{missing}`", meta.id.value),
                )
                .at(at(meta.line, 1))
                .document(meta.id.value.clone())
                .help("record who approved the document and when (`approved_by`, `approved_on`)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::mapping::{Mappings, Topic};
    use crate::source::{parse_document, Source};

    const TODAY: &str = "2026-12-01";

    struct Fixture {
        catalogs: Catalogs,
        files: Vec<(String, String)>,
        exclusions: Vec<(&'static str, &'static str)>,
        mappings: Mappings,
    }

    fn fixture() -> Fixture {
        let catalog = Catalog::from_yaml(
            "test.yaml",
            "id: t:1\nprefix: t\ntitle: T\nclauses:\n\
             - {number: \"1\", title: Leaf}\n\
             - {number: \"2\", title: Record leaf, record: true}\n\
             - {number: \"3\", title: Parent}\n\
             - {number: \"3.1\", title: Child one}\n\
             - {number: \"3.2\", title: Child two}\n",
        )
        .unwrap();
        Fixture {
            catalogs: Catalogs {
                list: vec![catalog],
            },
            files: Vec::new(),
            exclusions: Vec::new(),
            mappings: Mappings::none(1),
        }
    }

    /// The fixture plus a second standard `u` whose clause `u:9` maps to `1` (a leaf) and
    /// `u:8` to `2` (a record leaf); `u` counts evidence through mappings when `indirect`.
    fn mapped(indirect: bool) -> Fixture {
        let mut f = fixture();
        let other = Catalog::from_yaml(
            "u.yaml",
            "id: u:1\nprefix: u\ntitle: U\nclauses:\n\
             - {number: \"9\", title: Same as 1}\n\
             - {number: \"8\", title: Same as 2, record: true}\n",
        )
        .unwrap();
        f.catalogs.list.push(other);
        let topic = |id: &str, a: usize, b: usize| Topic {
            id: id.into(),
            title: id.into(),
            clauses: vec![
                ClauseKey {
                    standard: 0,
                    clause: a,
                },
                ClauseKey {
                    standard: 1,
                    clause: b,
                },
            ],
            built_in: false,
        };
        f.mappings = Mappings {
            topics: vec![topic("one", 0, 0), topic("two", 1, 1)],
            indirect: vec![false, indirect],
        };
        f
    }

    impl Fixture {
        fn doc(mut self, id: &str, extra: &str) -> Self {
            let text = format!("---\nid: {id}\ntitle: {id}\n{extra}\n---\n");
            self.files.push((format!("{id}.md"), text));
            self
        }

        fn exclude(mut self, clause: &'static str) -> Self {
            self.exclusions.push((clause, "not applicable here"));
            self
        }

        fn run(&self) -> (Analysis, Catalogs) {
            let mut source = Source::default();
            for (path, text) in &self.files {
                let (doc, errors) = parse_document(path, path, text.as_bytes());
                assert!(errors.is_empty(), "{errors:?}");
                source.documents.push(doc);
            }
            let (manual, errors) = Manual::build(source, &self.catalogs);
            assert!(errors.is_empty(), "{errors:?}");
            let rules = Rules {
                today: TODAY.parse().unwrap(),
                record_max_age_days: 365,
                exclusions: self
                    .exclusions
                    .iter()
                    .map(|(c, j)| (self.catalogs.resolve(c).unwrap(), j.to_string()))
                    .collect(),
                review_warning_days: 30,
                mappings: self.mappings.clone(),
            };
            (
                analyse(&manual, &self.catalogs, &rules),
                self.catalogs.clone(),
            )
        }
    }

    fn status(fixture: &Fixture, clause: &str) -> Coverage {
        let (analysis, catalogs) = fixture.run();
        analysis.of(catalogs.resolve(clause).unwrap()).status
    }

    fn codes(fixture: &Fixture, clause: &str) -> Vec<&'static str> {
        let (analysis, catalogs) = fixture.run();
        analysis
            .of(catalogs.resolve(clause).unwrap())
            .reasons
            .iter()
            .map(|r| r.code)
            .collect()
    }

    const APPROVED: &str = "type: process\nstatus: approved\napproved_by: Boss\napproved_on: 2026-02-01\nreview_by: 2027-02-01";

    #[test]
    fn unclaimed_clause_is_a_gap() {
        let f = fixture();
        assert_eq!(status(&f, "1"), Coverage::Gap);
        let (analysis, _) = f.run();
        assert!(analysis
            .findings
            .iter()
            .any(|d| d.code == "gap" && d.clause.as_deref() == Some("1")));
    }

    #[test]
    fn approved_in_date_claim_satisfies() {
        let f = fixture().doc("A", &format!("{APPROVED}\nsatisfies: [1]"));
        assert_eq!(status(&f, "1"), Coverage::Satisfied);
    }

    #[test]
    fn a_reason_names_ten_documents_and_counts_the_rest() {
        let mut f = fixture();
        for i in 0..12 {
            f = f.doc(&format!("D{i:02}"), &format!("{APPROVED}\nsatisfies: [1]"));
        }
        let (analysis, catalogs) = f.run();
        let reasons = &analysis.of(catalogs.resolve("1").unwrap()).reasons;
        assert_eq!(
            reasons[0].message,
            "supported by D00 (process), D01 (process), D02 (process), D03 (process), D04 \
             (process), D05 (process), D06 (process), D07 (process), D08 (process), D09 \
             (process), and 2 more"
        );
    }

    #[test]
    fn draft_or_in_review_only_is_partial_draft_only() {
        for s in ["draft", "in-review"] {
            let f = fixture().doc("A", &format!("type: process\nstatus: {s}\nsatisfies: [1]"));
            assert_eq!(status(&f, "1"), Coverage::Partial);
            assert_eq!(codes(&f, "1"), ["draft-only"]);
        }
    }

    #[test]
    fn missing_status_counts_as_draft() {
        let f = fixture().doc("A", "type: process\nsatisfies: [1]");
        assert_eq!(codes(&f, "1"), ["draft-only"]);
    }

    #[test]
    fn overdue_review_only_is_partial() {
        let f = fixture().doc("A", "type: process\nstatus: approved\napproved_by: B\napproved_on: 2025-01-01\nreview_by: 2026-01-01\nsatisfies: [1]");
        assert_eq!(codes(&f, "1"), ["review-overdue"]);
        let (analysis, _) = f.run();
        let overdue: Vec<_> = analysis
            .findings
            .iter()
            .filter(|d| d.code == "review-overdue")
            .collect();
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].location.as_ref().unwrap().line, 8);
    }

    #[test]
    fn review_due_today_is_not_overdue() {
        let f = fixture().doc("A", &format!("type: process\nstatus: approved\napproved_by: B\napproved_on: 2025-12-01\nreview_by: {TODAY}\nsatisfies: [1]"));
        assert_eq!(status(&f, "1"), Coverage::Satisfied);
        let (analysis, _) = f.run();
        assert!(analysis.findings.iter().any(|d| d.code == "review-due"));
    }

    #[test]
    fn one_strong_claim_outweighs_weak_ones() {
        let f = fixture()
            .doc("A", "type: process\nstatus: draft\nsatisfies: [1]")
            .doc("B", &format!("{APPROVED}\nsatisfies: [1]"));
        assert_eq!(status(&f, "1"), Coverage::Satisfied);
    }

    #[test]
    fn retired_documents_count_for_nothing() {
        let f = fixture().doc("A", "type: process\nstatus: retired\napproved_by: B\napproved_on: 2026-01-01\nsatisfies: [1]");
        assert_eq!(status(&f, "1"), Coverage::Gap);
    }

    #[test]
    fn record_clause_without_record_is_partial_record_missing() {
        let f = fixture().doc("A", &format!("{APPROVED}\nsatisfies: [2]"));
        assert_eq!(codes(&f, "2"), ["record-missing"]);
    }

    #[test]
    fn draft_record_does_not_count() {
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [2]"))
            .doc(
                "R",
                "type: record\nstatus: draft\ndate: 2026-11-01\nsatisfies: [2]",
            );
        assert_eq!(codes(&f, "2"), ["record-missing"]);
    }

    #[test]
    fn fresh_record_satisfies_record_clause() {
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [2]"))
            .doc("R", "type: record\nstatus: approved\napproved_by: B\napproved_on: 2024-01-01\ndate: 2026-06-01\nsatisfies: [2]");
        assert_eq!(status(&f, "2"), Coverage::Satisfied);
    }

    #[test]
    fn stale_record_is_partial_record_stale() {
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [2]"))
            .doc("R", "type: record\nstatus: approved\napproved_by: B\napproved_on: 2025-10-20\ndate: 2025-10-14\nsatisfies: [2]");
        assert_eq!(codes(&f, "2"), ["record-stale"]);
        let (analysis, catalogs) = f.run();
        let message = &analysis.of(catalogs.resolve("2").unwrap()).reasons[0].message;
        assert!(
            message.contains("dated 2025-10-14, 413 days old"),
            "{message}"
        );
    }

    #[test]
    fn record_date_falls_back_to_approval_date() {
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [2]"))
            .doc("R", "type: record\nstatus: approved\napproved_by: B\napproved_on: 2026-11-01\nsatisfies: [2]");
        assert_eq!(status(&f, "2"), Coverage::Satisfied);
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [2]"))
            .doc("R", "type: record\nstatus: approved\napproved_by: B\napproved_on: 2024-11-01\nsatisfies: [2]");
        assert_eq!(codes(&f, "2"), ["record-stale"]);
    }

    #[test]
    fn record_age_limit_is_configurable() {
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [2]"))
            .doc("R", "type: record\nstatus: approved\napproved_by: B\napproved_on: 2026-06-01\ndate: 2026-06-01\nsatisfies: [2]");
        let (manual_analysis, _) = f.run();
        assert_eq!(manual_analysis.coverage[0][1].status, Coverage::Satisfied);
        let mut source = Source::default();
        for (path, text) in &f.files {
            source
                .documents
                .push(parse_document(path, path, text.as_bytes()).0);
        }
        let (manual, _) = Manual::build(source, &f.catalogs);
        let rules = Rules {
            today: TODAY.parse().unwrap(),
            record_max_age_days: 90,
            exclusions: HashMap::new(),
            review_warning_days: 30,
            mappings: Mappings::none(1),
        };
        assert_eq!(
            analyse(&manual, &f.catalogs, &rules).coverage[0][1].status,
            Coverage::Partial
        );
    }

    #[test]
    fn excluded_clause_and_its_children() {
        let f = fixture().exclude("3");
        assert_eq!(status(&f, "3"), Coverage::Excluded);
        assert_eq!(status(&f, "3.1"), Coverage::Excluded);
        let (analysis, catalogs) = f.run();
        assert_eq!(
            analysis
                .of(catalogs.resolve("3.2").unwrap())
                .exclusion
                .as_deref(),
            Some("not applicable here")
        );
        assert!(!analysis
            .findings
            .iter()
            .any(|d| d.clause.as_deref() == Some("3.1")));
    }

    #[test]
    fn parent_excluded_when_all_children_excluded() {
        let f = fixture().exclude("3.1").exclude("3.2");
        assert_eq!(status(&f, "3"), Coverage::Excluded);
    }

    #[test]
    fn parent_satisfied_when_children_satisfied_or_excluded() {
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [3.1]"))
            .exclude("3.2");
        assert_eq!(status(&f, "3"), Coverage::Satisfied);
    }

    #[test]
    fn parent_gap_when_all_children_gaps_and_no_direct_claim() {
        let f = fixture();
        assert_eq!(status(&f, "3"), Coverage::Gap);
    }

    #[test]
    fn direct_claim_lifts_all_gap_parent_to_partial_only() {
        let f = fixture().doc("A", &format!("{APPROVED}\nsatisfies: [3]"));
        assert_eq!(status(&f, "3"), Coverage::Partial);
        assert_eq!(codes(&f, "3"), ["parent-claim-only"]);
        let (analysis, catalogs) = f.run();
        assert_eq!(analysis.of(catalogs.resolve("3").unwrap()).claims.len(), 1);
    }

    #[test]
    fn parent_partial_on_mixed_children() {
        let f = fixture().doc("A", &format!("{APPROVED}\nsatisfies: [3.1]"));
        assert_eq!(status(&f, "3"), Coverage::Partial);
        let f = fixture().doc("A", "type: process\nstatus: draft\nsatisfies: [3.1, 3.2]");
        assert_eq!(status(&f, "3"), Coverage::Partial);
    }

    #[test]
    fn document_claiming_nothing_is_flagged_except_guides() {
        let f = fixture().doc("A", APPROVED).doc("G", "type: guide");
        let (analysis, _) = f.run();
        let flagged: Vec<_> = analysis
            .findings
            .iter()
            .filter(|d| d.code == "no-clause")
            .map(|d| d.document.clone().unwrap())
            .collect();
        assert_eq!(flagged, ["A"]);
    }

    #[test]
    fn approved_without_approval_details_is_flagged() {
        let f = fixture().doc("A", "type: process\nstatus: approved\nsatisfies: [1]");
        let (analysis, _) = f.run();
        assert!(analysis
            .findings
            .iter()
            .any(|d| d.code == "approval-incomplete"));
    }

    #[test]
    fn counts_by_status() {
        let f = fixture()
            .doc("A", &format!("{APPROVED}\nsatisfies: [1]"))
            .exclude("3");
        let (analysis, _) = f.run();
        assert_eq!(analysis.counts(0), [1, 0, 1, 3]);
    }

    #[test]
    fn evidence_through_a_mapping_counts_only_when_enabled() {
        let doc = |f: Fixture| f.doc("A", &format!("{APPROVED}\nsatisfies: [1]"));
        let off = doc(mapped(false));
        assert_eq!(status(&off, "u:9"), Coverage::Gap);
        assert!(off
            .run()
            .0
            .of(off.catalogs.resolve("u:9").unwrap())
            .indirect
            .is_empty());
        let on = doc(mapped(true));
        assert_eq!(status(&on, "u:9"), Coverage::Satisfied);
        assert_eq!(codes(&on, "u:9"), ["supported", "indirect"]);
        let (analysis, catalogs) = on.run();
        let coverage = analysis.of(catalogs.resolve("u:9").unwrap());
        assert!(coverage.claims.is_empty());
        assert_eq!(coverage.indirect.len(), 1);
        let message = &coverage.reasons[1].message;
        assert!(message.contains("A (approved, via t:1)"), "{message}");
        assert!(message.ends_with("would be gap"), "{message}");
        // The primary standard does not count evidence through mappings here.
        let reverse = fixture_with_u_claim();
        assert_eq!(status(&reverse, "1"), Coverage::Gap);
    }

    fn fixture_with_u_claim() -> Fixture {
        mapped(true).doc("B", &format!("{APPROVED}\nsatisfies: [\"u:9\"]"))
    }

    #[test]
    fn indirect_evidence_is_judged_like_direct_evidence() {
        // A draft behind the mapping makes the clause partial, not satisfied.
        let f = mapped(true).doc("A", "type: process\nstatus: draft\nsatisfies: [1]");
        assert_eq!(status(&f, "u:9"), Coverage::Partial);
        assert_eq!(codes(&f, "u:9"), ["draft-only", "indirect"]);
        // A record leaf still needs a record, through the mapping too.
        let f = mapped(true).doc("A", &format!("{APPROVED}\nsatisfies: [2]"));
        assert_eq!(status(&f, "u:8"), Coverage::Partial);
        // A direct claim stays direct; the same document is not counted twice.
        let f = mapped(true).doc("A", &format!("{APPROVED}\nsatisfies: [1, \"u:9\"]"));
        let (analysis, catalogs) = f.run();
        let coverage = analysis.of(catalogs.resolve("u:9").unwrap());
        assert_eq!((coverage.claims.len(), coverage.indirect.len()), (1, 0));
        assert_eq!(coverage.status, Coverage::Satisfied);
    }
}
