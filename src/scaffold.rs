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
    /// The clauses it claims, by standard prefix.
    claims: &'static [(&'static str, &'static [&'static str])],
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

const SOA_SECTIONS: &[(&str, &str)] = &[
    (
        "Where the Statement of Applicability lives",
        "smsbook writes it from book.toml: a `[soa.\"A.x.y\"]` entry per Annex A control, with the reason it applies or the justification for excluding it.",
    ),
    (
        "How controls are selected",
        "How the risk treatment decides which controls are needed, and who approves the selection.",
    ),
    (
        "Review",
        "When the statement is reviewed (after each risk assessment, at least yearly) and who signs it off.",
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

const S20: &str = "iso20000-1";
const S27: &str = "iso27001";
const S9: &str = "iso9001";

/// The starters of every built-in standard. A starter is written when any chosen standard
/// has clauses in its `claims`; it then claims the clauses of each chosen standard, so a
/// document several standards ask for (document control, internal audit, management review,
/// corrective action, …) is written once, claiming the clauses of each.
const STARTERS: &[Starter] = &[
    Starter {
        path: "plans/sms-scope.md",
        id: "PLN-SCO-001",
        title: "Scope of the Service Management System",
        doc_type: DocType::Plan,
        claims: &[(S20, &["4.3", "4.4"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "plans/isms-scope.md",
        id: "PLN-ISC-001",
        title: "Scope of the Information Security Management System",
        doc_type: DocType::Plan,
        claims: &[(S27, &["4.3", "4.4"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "plans/qms-scope.md",
        id: "PLN-QSC-001",
        title: "Scope of the Quality Management System",
        doc_type: DocType::Plan,
        claims: &[(S9, &["4.3", "4.4"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "registers/context-and-interested-parties.md",
        id: "REG-CTX-001",
        title: "Context and Interested Parties",
        doc_type: DocType::Register,
        claims: &[
            (S20, &["4.1", "4.2"]),
            (S27, &["4.1", "4.2"]),
            (S9, &["4.1", "4.2"]),
        ],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "policies/service-management-policy.md",
        id: "POL-SMS-001",
        title: "Service Management Policy",
        doc_type: DocType::Policy,
        claims: &[(S20, &["5.1", "5.2.1", "5.2.2"])],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "policies/quality-policy.md",
        id: "POL-QUA-001",
        title: "Quality Policy",
        doc_type: DocType::Policy,
        claims: &[(S9, &["5.1.1", "5.1.2", "5.2.1", "5.2.2"])],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "registers/roles-and-responsibilities.md",
        id: "REG-ROL-001",
        title: "Roles, Responsibilities and Authorities",
        doc_type: DocType::Register,
        claims: &[(S20, &["5.3"]), (S27, &["5.3"]), (S9, &["5.3"])],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "registers/risk-register.md",
        id: "REG-RSK-001",
        title: "Risk and Opportunity Register",
        doc_type: DocType::Register,
        claims: &[(S20, &["6.1"]), (S27, &["6.1.1"]), (S9, &["6.1"])],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "processes/information-security-risk-management.md",
        id: "PRC-ISR-001",
        title: "Information Security Risk Assessment and Treatment Process",
        doc_type: DocType::Process,
        claims: &[(S27, &["6.1.2", "6.1.3", "8.2", "8.3"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "guides/statement-of-applicability.md",
        id: "GDE-SOA-001",
        title: "Statement of Applicability: How It Is Kept",
        doc_type: DocType::Guide,
        claims: &[(S27, &["6.1.3"])],
        sections: SOA_SECTIONS,
    },
    Starter {
        path: "plans/objectives.md",
        id: "PLN-OBJ-001",
        title: "Service Management Objectives",
        doc_type: DocType::Plan,
        claims: &[(S20, &["6.2.1", "6.2.2"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "plans/information-security-objectives.md",
        id: "PLN-ISO-001",
        title: "Information Security Objectives",
        doc_type: DocType::Plan,
        claims: &[(S27, &["6.2"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "plans/quality-objectives.md",
        id: "PLN-QOB-001",
        title: "Quality Objectives",
        doc_type: DocType::Plan,
        claims: &[(S9, &["6.2"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "plans/service-management-plan.md",
        id: "PLN-SMP-001",
        title: "Service Management Plan",
        doc_type: DocType::Plan,
        claims: &[(S20, &["6.3", "7.1", "8.1"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "records/competence-records.md",
        id: "REC-CMP-001",
        title: "Competence Records",
        doc_type: DocType::Record,
        claims: &[(S20, &["7.2"]), (S27, &["7.2"]), (S9, &["7.2"])],
        sections: RECORD_SECTIONS,
    },
    Starter {
        path: "plans/awareness-and-training.md",
        id: "PLN-AWR-001",
        title: "Information Security Awareness and Training Plan",
        doc_type: DocType::Plan,
        claims: &[(S27, &["7.3", "A.6.3"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "procedures/document-control.md",
        id: "PRD-DOC-001",
        title: "Document Control Procedure",
        doc_type: DocType::Procedure,
        claims: &[
            (S20, &["7.5.1", "7.5.2", "7.5.3", "7.5.4"]),
            (S27, &["7.5.1", "7.5.2", "7.5.3"]),
            (S9, &["7.5.1", "7.5.2", "7.5.3"]),
        ],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "registers/service-requirements.md",
        id: "REG-REQ-001",
        title: "Service Requirements",
        doc_type: DocType::Register,
        claims: &[(S20, &["8.2.2"])],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "registers/service-catalogue.md",
        id: "REG-CAT-001",
        title: "Service Catalogue",
        doc_type: DocType::Register,
        claims: &[(S20, &["8.2.4"])],
        sections: REGISTER_SECTIONS,
    },
    Starter {
        path: "agreements/service-level-agreement.md",
        id: "AGR-SLA-001",
        title: "Service Level Agreement",
        doc_type: DocType::Agreement,
        claims: &[(S20, &["8.3.3"])],
        sections: AGREEMENT_SECTIONS,
    },
    Starter {
        path: "agreements/external-supplier-contracts.md",
        id: "AGR-SUP-001",
        title: "Contracts with External Suppliers",
        doc_type: DocType::Agreement,
        claims: &[(S20, &["8.3.4.1"])],
        sections: AGREEMENT_SECTIONS,
    },
    Starter {
        path: "agreements/internal-supplier-agreements.md",
        id: "AGR-INT-001",
        title: "Agreements with Internal Suppliers and Customers Acting as Suppliers",
        doc_type: DocType::Agreement,
        claims: &[(S20, &["8.3.4.2"])],
        sections: AGREEMENT_SECTIONS,
    },
    Starter {
        path: "policies/change-management-policy.md",
        id: "POL-CHG-001",
        title: "Change Management Policy",
        doc_type: DocType::Policy,
        claims: &[(S20, &["8.5.1.1"])],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "processes/change-management.md",
        id: "PRC-CHG-001",
        title: "Change Management Process",
        doc_type: DocType::Process,
        claims: &[(S20, &["8.5.1.2", "8.5.1.3"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/incident-management.md",
        id: "PRC-INC-001",
        title: "Incident Management Process",
        doc_type: DocType::Process,
        claims: &[(S20, &["8.6.1"]), (S27, &["A.5.24", "A.5.26"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/service-request-management.md",
        id: "PRC-REQ-001",
        title: "Service Request Management Process",
        doc_type: DocType::Process,
        claims: &[(S20, &["8.6.2"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/problem-management.md",
        id: "PRC-PRB-001",
        title: "Problem Management Process",
        doc_type: DocType::Process,
        claims: &[(S20, &["8.6.3"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "plans/service-continuity-plan.md",
        id: "PLN-CON-001",
        title: "Service Continuity Plan",
        doc_type: DocType::Plan,
        claims: &[(S20, &["8.7.2"])],
        sections: PLAN_SECTIONS,
    },
    Starter {
        path: "policies/information-security-policy.md",
        id: "POL-ISM-001",
        title: "Information Security Policy",
        doc_type: DocType::Policy,
        claims: &[(S20, &["8.7.3.1"]), (S27, &["5.1", "5.2", "A.5.1"])],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "policies/access-control-policy.md",
        id: "POL-ACC-001",
        title: "Access Control Policy",
        doc_type: DocType::Policy,
        claims: &[(S27, &["A.5.15", "A.5.18"])],
        sections: POLICY_SECTIONS,
    },
    Starter {
        path: "procedures/backup.md",
        id: "PRD-BAK-001",
        title: "Backup Procedure",
        doc_type: DocType::Procedure,
        claims: &[(S27, &["A.8.13"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "procedures/vulnerability-management.md",
        id: "PRD-VUL-001",
        title: "Technical Vulnerability Management Procedure",
        doc_type: DocType::Procedure,
        claims: &[(S27, &["A.8.8"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "records/customer-satisfaction.md",
        id: "REC-CSAT-001",
        title: "Customer Satisfaction Results",
        doc_type: DocType::Record,
        claims: &[(S9, &["9.1.2"])],
        sections: RECORD_SECTIONS,
    },
    Starter {
        path: "processes/internal-audit.md",
        id: "PRC-AUD-001",
        title: "Internal Audit Process and Programme",
        doc_type: DocType::Process,
        claims: &[(S20, &["9.2"]), (S27, &["9.2.1", "9.2.2"]), (S9, &["9.2"])],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "processes/management-review.md",
        id: "PRC-MRV-001",
        title: "Management Review Process",
        doc_type: DocType::Process,
        claims: &[
            (S20, &["9.3"]),
            (S27, &["9.3.1", "9.3.2"]),
            (S9, &["9.3.1", "9.3.2"]),
        ],
        sections: PROCESS_SECTIONS,
    },
    Starter {
        path: "records/first-management-review.md",
        id: "REC-MRV-001",
        title: "Management Review Minutes (first review)",
        doc_type: DocType::Record,
        claims: &[(S20, &["9.3"]), (S27, &["9.3.3"]), (S9, &["9.3.3"])],
        sections: RECORD_SECTIONS,
    },
    Starter {
        path: "processes/nonconformity-and-corrective-action.md",
        id: "PRC-NCA-001",
        title: "Nonconformity and Corrective Action Process",
        doc_type: DocType::Process,
        claims: &[(S20, &["10.1"]), (S27, &["10.2"]), (S9, &["10.2"])],
        sections: PROCESS_SECTIONS,
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

/// A default title for a manual of these standards (ids, primary first).
pub fn default_title(standards: &[(&str, &str)]) -> &'static str {
    match standards {
        [(_, S27)] => "Information Security Management Manual",
        [(_, S9)] => "Quality Manual",
        [(_, S20)] | [] => "Service Management Manual",
        _ => "Integrated Management System Manual",
    }
}

/// The clauses a starter claims for the chosen standards: the primary standard's numbers
/// as written, the others' as `prefix:number`, in the order of `standards`.
fn claims_for(starter: &Starter, standards: &[(&str, &str)]) -> Vec<String> {
    let mut claims = Vec::new();
    for (index, (_, prefix)) in standards.iter().enumerate() {
        for (standard, numbers) in starter.claims {
            if standard == prefix {
                claims.extend(numbers.iter().map(|n| {
                    if index == 0 {
                        n.to_string()
                    } else {
                        format!("{prefix}:{n}")
                    }
                }));
            }
        }
    }
    claims
}

/// `book.toml` of a new repository.
fn init_config(title: &str, organization: Option<&str>, standards: &[(&str, &str)]) -> String {
    let mut config = format!("[book]\ntitle = {}\n", quote(title));
    if let Some(org) = organization {
        config.push_str(&format!("organization = {}\n", quote(org)));
    }
    let list: Vec<String> = standards.iter().map(|(id, _)| quote(id)).collect();
    config.push_str(&format!(
        "language = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"book\"\n\n# The standards in use, the primary one first: documents claim its clauses as `9.2`, the\n# others' as `prefix:9.2`.\n[sms]\nstandards = [{}]\nrecord-max-age-days = 365\n",
        list.join(", ")
    ));
    let example = match standards.first().map(|(_, p)| *p) {
        Some(S27) => None,
        Some(S9) => Some("8.3"),
        _ => Some("8.3.4.2"),
    };
    if let Some(clause) = example {
        config.push_str(&format!("\n# A clause that does not apply, with the reason auditors will read:\n# [[sms.exclude]]\n# clause = \"{clause}\"\n# justification = \"...\"\n"));
    }
    if standards.iter().any(|(_, p)| *p == S27) {
        config.push_str(
            "\n# Statement of Applicability (ISO/IEC 27001 Annex A). Clauses 4 to 10 of ISO/IEC 27001 cannot\n# be excluded; Annex A controls are selected here, from the risk treatment\n# (guides/statement-of-applicability.md says how). For each control, say why it applies\n# (a control without a reason is a warning, `soa-no-reason`), or exclude it with a\n# justification (it then counts as excluded in the coverage too). The site's soa.html,\n# soa.csv and a sheet of matrix.xlsx list all 93 controls.\n#\n# [soa.\"A.5.15\"]\n# reason = \"Access to information follows the risk treatment plan: role-based access only.\"\n#\n# [soa.\"A.7.4\"]\n# applicable = false\n# justification = \"We have no premises of our own: hosting is in a supplier's data centre.\"\n",
        );
    }
    config
}

/// The files of a new repository for the chosen standards, given as (id, prefix), primary
/// first: `book.toml`, `src/SUMMARY.md` and the starters. Returns (path relative to its
/// root, contents), sorted by path.
pub fn init_files(
    title: &str,
    organization: Option<&str>,
    standards: &[(&str, &str)],
    today: NaiveDate,
) -> Vec<(PathBuf, String)> {
    let mut files = vec![(
        PathBuf::from("book.toml"),
        init_config(title, organization, standards),
    )];
    let chosen: Vec<(&Starter, Vec<String>)> = STARTERS
        .iter()
        .map(|starter| (starter, claims_for(starter, standards)))
        .filter(|(_, claims)| !claims.is_empty())
        .collect();
    let mut summary = String::from("# Summary\n");
    for doc_type in [
        DocType::Policy,
        DocType::Plan,
        DocType::Process,
        DocType::Procedure,
        DocType::Agreement,
        DocType::Register,
        DocType::Record,
        DocType::Guide,
    ] {
        let of_type: Vec<&(&Starter, Vec<String>)> = chosen
            .iter()
            .filter(|(s, _)| s.doc_type == doc_type)
            .collect();
        if of_type.is_empty() {
            continue;
        }
        summary.push_str(&format!(
            "\n# {}\n\n",
            crate::render::capitalise(folder(doc_type))
        ));
        for (starter, _) in of_type {
            summary.push_str(&format!("- [{}]({})\n", starter.title, starter.path));
        }
    }
    for (starter, claims) in &chosen {
        files.push((
            Path::new("src").join(starter.path),
            draft(
                starter.id,
                starter.title,
                starter.doc_type,
                claims,
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
        let all = [
            ("iso20000-1:2018", "iso20000-1"),
            ("iso27001:2022", "iso27001"),
            ("iso9001:2015", "iso9001"),
        ];
        for standards in [&all[..1], &all[1..2], &all[2..], &all[..]] {
            // The first chosen standard is primary: unprefixed references are its clauses.
            let mut list = Catalog::built_in();
            let primary = list.iter().position(|c| c.id == standards[0].0).unwrap();
            list.swap(0, primary);
            let catalogs = Catalogs { list };
            let files = init_files("My \"SMS\"", Some("ACME"), standards, today());
            let book = &files
                .iter()
                .find(|(p, _)| p == Path::new("book.toml"))
                .unwrap()
                .1;
            assert!(book.contains(r#"title = "My \"SMS\"""#));
            crate::config::Config::parse(Path::new("."), Path::new("book.toml"), book).unwrap();
            let mut ids = std::collections::BTreeSet::new();
            for (path, text) in files.iter().filter(|(p, _)| {
                p.extension().is_some_and(|e| e == "md") && !p.ends_with("SUMMARY.md")
            }) {
                let (doc, errors) = parse_document("x.md", "x.md", text.as_bytes());
                assert!(errors.is_empty(), "{path:?}: {errors:?}");
                let meta = doc.meta.unwrap();
                assert!(ids.insert(meta.id.value.clone()), "{path:?}: duplicate id");
                assert_eq!(meta.status, crate::source::frontmatter::Status::Draft);
                assert!(!meta.satisfies.is_empty(), "{path:?} claims nothing");
                for claim in &meta.satisfies {
                    assert!(
                        catalogs.resolve(&claim.clause.value).is_ok(),
                        "{path:?} {}",
                        claim.clause.value
                    );
                }
            }
        }
    }

    #[test]
    fn shared_documents_are_written_once_for_several_standards() {
        let files = init_files(
            "T",
            None,
            &[("iso9001:2015", "iso9001"), ("iso27001:2022", "iso27001")],
            today(),
        );
        let audits: Vec<&(PathBuf, String)> = files
            .iter()
            .filter(|(_, t)| t.contains("Internal Audit"))
            .filter(|(p, _)| !p.ends_with("SUMMARY.md"))
            .collect();
        assert_eq!(audits.len(), 1);
        assert!(audits[0]
            .1
            .contains("satisfies:\n  - 9.2\n  - iso27001:9.2.1\n  - iso27001:9.2.2\n"));
        assert!(!files
            .iter()
            .any(|(p, _)| p.ends_with("src/plans/sms-scope.md")));
        let book = &files[0].1;
        assert!(book.contains("standards = [\"iso9001:2015\", \"iso27001:2022\"]"));
        assert!(book.contains("# [soa.\"A.5.15\"]"));
        assert_eq!(
            default_title(&[("iso27001:2022", "iso27001")]),
            "Information Security Management Manual"
        );
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
