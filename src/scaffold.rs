//! Scaffolding: `smsbook init` (a new SMS repository with a starter document for each item
//! of documented information ISO/IEC 20000-1 asks for) and `smsbook new` (one document with
//! the next free id). The content is planned here as data; `write_new_files` is the only I/O.

use crate::catalog::Catalogs;
use crate::diagnostics::Diagnostic;
use crate::source::frontmatter::DocType;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// A starter document: where it goes, what it is, which clauses it is meant to satisfy,
/// and the sections (heading, prompt) that tell its author what to write.
struct Starter {
    path: &'static str,
    id: &'static str,
    title: &'static str,
    doc_type: DocType,
    satisfies: &'static [&'static str],
    sections: &'static [(&'static str, &'static str)],
}

const PROCESS_SECTIONS: &[(&str, &str)] = &[
    ("Purpose", "Why this process exists and what goes wrong without it."),
    ("Scope", "Which services, locations, teams and suppliers it covers; what it does not cover."),
    ("Roles and responsibilities", "A RACI table: who is responsible, accountable, consulted and informed for each activity."),
    ("Activities", "The steps from trigger to outcome, with the decisions on the way and who takes them."),
    ("Inputs and outputs", "What starts the process, what it produces and where that is kept (the records an auditor will ask for)."),
    ("Measures and targets", "How you know it works: a few measures with targets, and where they are reported."),
    ("Related documents", "Links to the policies, procedures and records this process depends on."),
    ("Revision history", "A table of version, date, author and change."),
];

const POLICY_SECTIONS: &[(&str, &str)] = &[
    (
        "Purpose",
        "What this policy commits the organisation to, in a few sentences top management signs.",
    ),
    ("Scope", "Who and what it applies to."),
    (
        "Policy statements",
        "The rules, each one short and testable.",
    ),
    (
        "Roles and responsibilities",
        "Who owns the policy, who applies it, who checks it.",
    ),
    (
        "Related documents",
        "The processes and procedures that put the policy into practice.",
    ),
    (
        "Revision history",
        "A table of version, date, author and change.",
    ),
];

const PLAN_SECTIONS: &[(&str, &str)] = &[
    ("Purpose", "What this plan is for and the period it covers."),
    ("Scope", "The services, locations and parties it covers."),
    (
        "Plan",
        "What will be done, by whom, by when, with which resources.",
    ),
    (
        "Risks and assumptions",
        "What could stop the plan and what it takes for granted.",
    ),
    (
        "Monitoring and review",
        "How progress is followed and when the plan is reviewed.",
    ),
    (
        "Related documents",
        "Links to what this plan relies on or feeds.",
    ),
    (
        "Revision history",
        "A table of version, date, author and change.",
    ),
];

const REGISTER_SECTIONS: &[(&str, &str)] = &[
    (
        "Purpose",
        "What this list is, who keeps it and who uses it.",
    ),
    (
        "Entries",
        "The table itself, one row per entry, with an owner and a review date for each.",
    ),
    (
        "Maintenance",
        "When and how entries are added, changed and removed.",
    ),
    ("Related documents", "The processes that use this list."),
    (
        "Revision history",
        "A table of version, date, author and change.",
    ),
];

const AGREEMENT_SECTIONS: &[(&str, &str)] = &[
    (
        "Parties and scope",
        "Who agrees with whom, for which services and locations.",
    ),
    (
        "Service description",
        "What is delivered, when, and how it is requested.",
    ),
    (
        "Service levels",
        "The measures, targets and how they are reported.",
    ),
    (
        "Responsibilities",
        "What each party does, including dependencies on third parties.",
    ),
    (
        "Review and changes",
        "How often the agreement is reviewed and how it is changed.",
    ),
    (
        "Revision history",
        "A table of version, date, author and change.",
    ),
];

const RECORD_SECTIONS: &[(&str, &str)] = &[
    ("Summary", "What happened, when, and who took part."),
    (
        "Details",
        "The facts, results or decisions recorded, with figures where there are any.",
    ),
    ("Actions", "Actions agreed, owners and due dates."),
    (
        "Distribution and retention",
        "Who receives this record and how long it is kept.",
    ),
];

/// One starter for each item of documented information listed under 7.5.4, and the main
/// processes.
const STARTERS: &[Starter] = &[
    Starter {
        path: "plans/sms-scope.md",
        id: "PLN-SCO-001",
        title: "Scope of the Service Management System",
        doc_type: DocType::Plan,
        satisfies: &["4.3", "4.4"],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "registers/context-and-interested-parties.md",
        id: "REG-CTX-001",
        title: "Context and Interested Parties",
        doc_type: DocType::Register,
        satisfies: &["4.1", "4.2"],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "policies/service-management-policy.md",
        id: "POL-SMS-001",
        title: "Service Management Policy",
        doc_type: DocType::Policy,
        satisfies: &["5.1", "5.2.1", "5.2.2"],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "registers/roles-and-responsibilities.md",
        id: "REG-ROL-001",
        title: "Roles, Responsibilities and Authorities",
        doc_type: DocType::Register,
        satisfies: &["5.3"],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "registers/risk-register.md",
        id: "REG-RSK-001",
        title: "Risk and Opportunity Register",
        doc_type: DocType::Register,
        satisfies: &["6.1"],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "plans/objectives.md",
        id: "PLN-OBJ-001",
        title: "Service Management Objectives",
        doc_type: DocType::Plan,
        satisfies: &["6.2.1", "6.2.2"],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "plans/service-management-plan.md",
        id: "PLN-SMP-001",
        title: "Service Management Plan",
        doc_type: DocType::Plan,
        satisfies: &["6.3", "7.1", "8.1"],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "procedures/document-control.md",
        id: "PRD-DOC-001",
        title: "Document Control Procedure",
        doc_type: DocType::Procedure,
        satisfies: &["7.5.1", "7.5.2", "7.5.3", "7.5.4"],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "registers/service-requirements.md",
        id: "REG-REQ-001",
        title: "Service Requirements",
        doc_type: DocType::Register,
        satisfies: &["8.2.2"],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "registers/service-catalogue.md",
        id: "REG-CAT-001",
        title: "Service Catalogue",
        doc_type: DocType::Register,
        satisfies: &["8.2.4"],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "agreements/service-level-agreement.md",
        id: "AGR-SLA-001",
        title: "Service Level Agreement",
        doc_type: DocType::Agreement,
        satisfies: &["8.3.3"],
        sections: AGREEMENT_SECTIONS,
    },
    Starter {
        path: "agreements/external-supplier-contracts.md",
        id: "AGR-SUP-001",
        title: "Contracts with External Suppliers",
        doc_type: DocType::Agreement,
        satisfies: &["8.3.4.1"],
        sections: AGREEMENT_SECTIONS,
    },
    Starter {
        path: "agreements/internal-supplier-agreements.md",
        id: "AGR-INT-001",
        title: "Agreements with Internal Suppliers and Customers Acting as Suppliers",
        doc_type: DocType::Agreement,
        satisfies: &["8.3.4.2"],
        sections: AGREEMENT_SECTIONS,
    },
    Starter {
        path: "policies/change-management-policy.md",
        id: "POL-CHG-001",
        title: "Change Management Policy",
        doc_type: DocType::Policy,
        satisfies: &["8.5.1.1"],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "processes/change-management.md",
        id: "PRC-CHG-001",
        title: "Change Management Process",
        doc_type: DocType::Process,
        satisfies: &["8.5.1.2", "8.5.1.3"],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/incident-management.md",
        id: "PRC-INC-001",
        title: "Incident Management Process",
        doc_type: DocType::Process,
        satisfies: &["8.6.1"],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/service-request-management.md",
        id: "PRC-REQ-001",
        title: "Service Request Management Process",
        doc_type: DocType::Process,
        satisfies: &["8.6.2"],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/problem-management.md",
        id: "PRC-PRB-001",
        title: "Problem Management Process",
        doc_type: DocType::Process,
        satisfies: &["8.6.3"],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "plans/service-continuity-plan.md",
        id: "PLN-CON-001",
        title: "Service Continuity Plan",
        doc_type: DocType::Plan,
        satisfies: &["8.7.2"],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "policies/information-security-policy.md",
        id: "POL-ISM-001",
        title: "Information Security Policy",
        doc_type: DocType::Policy,
        satisfies: &["8.7.3.1"],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "processes/internal-audit.md",
        id: "PRC-AUD-001",
        title: "Internal Audit Process",
        doc_type: DocType::Process,
        satisfies: &["9.2"],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/management-review.md",
        id: "PRC-MRV-001",
        title: "Management Review Process",
        doc_type: DocType::Process,
        satisfies: &["9.3"],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "records/first-management-review.md",
        id: "REC-MRV-001",
        title: "Management Review Minutes (first review)",
        doc_type: DocType::Record,
        satisfies: &["9.3"],
        sections: RECORD_SECTIONS,
    },
];

/// The folder each type of document goes into.
pub fn folder(doc_type: DocType) -> &'static str {
    match doc_type {
        DocType::Policy => "policies",
        DocType::Plan => "plans",
        DocType::Process => "processes",
        DocType::Procedure => "procedures",
        DocType::Agreement => "agreements",
        DocType::Record => "records",
        DocType::Register => "registers",
        DocType::Guide => "guides",
        DocType::Glossary => "guides",
    }
}

/// The default id prefix of each type (configurable under `[ids]` in book.toml).
pub fn default_prefix(doc_type: DocType) -> &'static str {
    match doc_type {
        DocType::Policy => "POL",
        DocType::Plan => "PLN",
        DocType::Process => "PRC",
        DocType::Procedure => "PRD",
        DocType::Agreement => "AGR",
        DocType::Record => "REC",
        DocType::Register => "REG",
        DocType::Guide => "GDE",
        DocType::Glossary => "GLO",
    }
}

/// A double-quoted string, valid in YAML and in TOML.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The front matter and body of a new draft document.
fn draft(
    id: &str,
    title: &str,
    doc_type: DocType,
    satisfies: &[String],
    sections: &[(&str, &str)],
    today: NaiveDate,
) -> String {
    let mut text = format!(
        "---\nid: {id}\ntitle: {}\ntype: {}\nowner: \"TODO: the role that owns this document\"\nstatus: draft\nversion: \"0.1\"\n",
        quote(title),
        doc_type.as_str()
    );
    if doc_type == DocType::Record {
        text.push_str(&format!("date: {today}\n"));
    } else {
        let review = today
            .checked_add_months(chrono::Months::new(12))
            .unwrap_or(today);
        text.push_str(&format!("review_by: {review}\n"));
    }
    if !satisfies.is_empty() {
        text.push_str("satisfies:\n");
        for clause in satisfies {
            text.push_str(&format!("  - {clause}\n"));
        }
    }
    text.push_str("audience: [all-staff]\n---\n");
    for (heading, prompt) in sections {
        text.push_str(&format!("\n## {heading}\n\n> TODO: {prompt}\n"));
    }
    text
}

fn sections_for(doc_type: DocType) -> &'static [(&'static str, &'static str)] {
    match doc_type {
        DocType::Policy => POLICY_SECTIONS,
        DocType::Plan => PLAN_SECTIONS,
        DocType::Process | DocType::Procedure => PROCESS_SECTIONS,
        DocType::Agreement => AGREEMENT_SECTIONS,
        DocType::Record => RECORD_SECTIONS,
        DocType::Register => REGISTER_SECTIONS,
        DocType::Guide | DocType::Glossary => &[
            (
                "Overview",
                "What the reader will learn and when they need it.",
            ),
            (
                "Revision history",
                "A table of version, date, author and change.",
            ),
        ],
    }
}

/// The files of a new SMS repository: (path relative to its root, contents).
pub fn init_files(
    title: &str,
    organization: Option<&str>,
    standard: &str,
    today: NaiveDate,
) -> Vec<(PathBuf, String)> {
    let mut config = format!("[book]\ntitle = {}\n", quote(title));
    if let Some(org) = organization {
        config.push_str(&format!("organization = {}\n", quote(org)));
    }
    config.push_str(&format!(
        "language = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"book\"\n\n[sms]\nstandards = [{}]\nrecord-max-age-days = 365\n\n# A clause that does not apply to this SMS, with the reason auditors will read:\n# [[sms.exclude]]\n# clause = \"8.3.4.2\"\n# justification = \"...\"\n",
        quote(standard)
    ));
    let mut files = vec![(PathBuf::from("book.toml"), config)];
    let mut summary = String::from("# Summary\n\n");
    let mut part = "";
    for starter in STARTERS {
        let folder = folder(starter.doc_type);
        if folder != part {
            part = folder;
            summary.push_str(&format!("\n# {}\n\n", crate::render::capitalise(folder)));
        }
        summary.push_str(&format!("- [{}]({})\n", starter.title, starter.path));
        let satisfies: Vec<String> = starter.satisfies.iter().map(|s| s.to_string()).collect();
        files.push((
            Path::new("src").join(starter.path),
            draft(
                starter.id,
                starter.title,
                starter.doc_type,
                &satisfies,
                starter.sections,
                today,
            ),
        ));
    }
    files.push((PathBuf::from("src/SUMMARY.md"), summary));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Plans a new document of `doc_type` titled `title` in a project's source folder: its path
/// relative to the source folder, its id and its contents. `existing_ids` are the ids in use.
pub fn new_document<'i>(
    doc_type: DocType,
    title: &str,
    satisfies: &[String],
    catalogs: &Catalogs,
    prefix: &str,
    existing_ids: impl IntoIterator<Item = &'i str>,
    today: NaiveDate,
) -> Result<(String, String, String), Diagnostic> {
    for clause in satisfies {
        catalogs.resolve(clause).map_err(|e| {
            Diagnostic::error(
                "unknown-clause",
                format!("--satisfies {clause}: {}", e.message),
            )
            .help(e.help)
        })?;
    }
    let slug = crate::source::markdown::slug(title)
        .trim_matches('-')
        .to_string();
    if slug.is_empty() {
        return Err(Diagnostic::error(
            "bad-title",
            "the title has no letters or digits to make a file name from",
        )
        .help("give the document a title, e.g. \"Backup Procedure\""));
    }
    let start = format!("{prefix}-");
    let ids: Vec<&str> = existing_ids.into_iter().collect();
    let next = ids
        .iter()
        .filter(|id| id.starts_with(&start))
        .filter_map(|id| id.rsplit('-').next().and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0)
        + 1;
    let id = (next..)
        .map(|n| format!("{prefix}-{n:03}"))
        .find(|id| !ids.contains(&id.as_str()))
        .unwrap_or_default();
    let path = format!("{}/{slug}.md", folder(doc_type));
    let text = draft(
        &id,
        title,
        doc_type,
        satisfies,
        sections_for(doc_type),
        today,
    );
    Ok((path, id, text))
}

/// Writes files under `root`, refusing to overwrite any that exists (nothing is written then).
pub fn write_new_files(root: &Path, files: &[(PathBuf, String)]) -> Result<(), Diagnostic> {
    if let Some((existing, _)) = files.iter().find(|(path, _)| root.join(path).exists()) {
        return Err(Diagnostic::error(
            "exists",
            format!("`{}` already exists", root.join(existing).display()),
        )
        .help("smsbook never overwrites a file: choose another folder or move the file away"));
    }
    for (path, text) in files {
        let target = root.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Diagnostic::error("write", format!("cannot create `{}`: {e}", dir.display()))
                    .help("check the folder's permissions")
            })?;
        }
        std::fs::write(&target, text).map_err(|e| {
            Diagnostic::error("write", format!("cannot write `{}`: {e}", target.display()))
                .help("check the folder's permissions")
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::source::parse_document;

    fn today() -> NaiveDate {
        "2026-12-01".parse().unwrap()
    }

    #[test]
    fn every_starter_parses_and_claims_real_clauses() {
        let catalogs = Catalogs {
            list: Catalog::built_in(),
        };
        let files = init_files("My \"SMS\"", Some("ACME"), "iso20000-1:2018", today());
        assert!(files
            .iter()
            .any(|(p, t)| p == Path::new("book.toml") && t.contains(r#"title = "My \"SMS\"""#)));
        for (path, text) in files
            .iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "md") && !p.ends_with("SUMMARY.md"))
        {
            let (doc, errors) = parse_document("x.md", "x.md", text.as_bytes());
            assert!(errors.is_empty(), "{path:?}: {errors:?}");
            let meta = doc.meta.unwrap();
            assert_eq!(meta.status, crate::source::frontmatter::Status::Draft);
            for claim in &meta.satisfies {
                assert!(
                    catalogs.resolve(&claim.clause.value).is_ok(),
                    "{path:?} {}",
                    claim.clause.value
                );
            }
        }
    }

    #[test]
    fn new_takes_the_next_free_id_and_checks_clauses() {
        let catalogs = Catalogs {
            list: Catalog::built_in(),
        };
        let (path, id, text) = new_document(
            DocType::Procedure,
            "Backup Verification",
            &["8.7.2".into()],
            &catalogs,
            "PRD",
            ["PRD-DOC-001", "PRD-007", "PRC-010"],
            today(),
        )
        .unwrap();
        assert_eq!(
            (path.as_str(), id.as_str()),
            ("procedures/backup-verification.md", "PRD-008")
        );
        assert!(
            text.contains("id: PRD-008\n")
                && text.contains("status: draft\n")
                && text.contains("  - 8.7.2\n")
                && text.contains("review_by: 2027-12-01\n")
        );
        let err = new_document(
            DocType::Procedure,
            "X",
            &["8.7.12".into()],
            &catalogs,
            "PRD",
            [],
            today(),
        )
        .unwrap_err();
        assert_eq!(err.code, "unknown-clause");
        let (_, id, text) =
            new_document(DocType::Record, "Audit", &[], &catalogs, "REC", [], today()).unwrap();
        assert_eq!(id, "REC-001");
        assert!(text.contains("date: 2026-12-01\n"));
    }
}
