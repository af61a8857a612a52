//! Navigation: the sidebar tree from `SUMMARY.md` (mdBook's format) when there is one, else
//! the documents grouped by type; and the reading order for previous/next links.

use crate::manual::Manual;
use crate::source::frontmatter::DocType;
use std::collections::BTreeSet;

/// One entry of the navigation tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NavItem {
    /// A part title (`# Policies` in SUMMARY.md).
    Part(String),
    /// A document, with its nesting level (0 at the top).
    Page {
        /// Index of the document in the manual.
        document: usize,
        /// The title shown.
        title: String,
        /// Nesting level.
        level: usize,
    },
}

/// Builds the navigation: SUMMARY.md entries first (in order), then any documents it does not
/// list, grouped by type, then plain pages.
pub fn navigation(manual: &Manual, summary: Option<&str>) -> Vec<NavItem> {
    let mut items = Vec::new();
    let mut listed = BTreeSet::new();
    if let Some(summary) = summary {
        for line in summary.lines() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if let Some(title) = trimmed.strip_prefix("# ") {
                if title.trim() != "Summary" {
                    items.push(NavItem::Part(title.trim().to_string()));
                }
                continue;
            }
            let entry = trimmed.trim_start_matches(['-', '*']).trim_start();
            let Some(rest) = entry.strip_prefix('[') else {
                continue;
            };
            let Some((title, rest)) = rest.split_once("](") else {
                continue;
            };
            let Some((path, _)) = rest.split_once(')') else {
                continue;
            };
            let path = path.trim().trim_start_matches("./");
            if let Some(&document) = manual.by_path.get(path) {
                if listed.insert(document) {
                    items.push(NavItem::Page {
                        document,
                        title: title.to_string(),
                        level: indent / 2,
                    });
                }
            }
        }
    }
    let types = [
        (Some(DocType::Policy), "Policies"),
        (Some(DocType::Plan), "Plans"),
        (Some(DocType::Process), "Processes"),
        (Some(DocType::Procedure), "Procedures"),
        (Some(DocType::Register), "Registers"),
        (Some(DocType::Agreement), "Agreements"),
        (Some(DocType::Record), "Records"),
        (Some(DocType::Guide), "Guides"),
        (Some(DocType::Glossary), "Glossary"),
        (None, "Other pages"),
    ];
    for (doc_type, part) in types {
        let rest: Vec<usize> = (0..manual.documents.len())
            .filter(|d| !listed.contains(d))
            .filter(|&d| manual.documents[d].meta.as_ref().map(|m| m.doc_type) == doc_type)
            .collect();
        if rest.is_empty() {
            continue;
        }
        items.push(NavItem::Part(part.to_string()));
        for document in rest {
            items.push(NavItem::Page {
                document,
                title: manual.documents[document].title.clone(),
                level: 0,
            });
        }
    }
    items
}

/// The documents in reading order.
pub fn reading_order(items: &[NavItem]) -> Vec<usize> {
    items
        .iter()
        .filter_map(|i| match i {
            NavItem::Page { document, .. } => Some(*document),
            NavItem::Part(_) => None,
        })
        .collect()
}
