//! Manual: every document indexed by id and by path, claims resolved to catalogue clauses,
//! links resolved to documents, headings, clauses and files, and the backlink graph. Broken
//! links, unknown clauses and duplicate ids are found here.

use crate::catalog::{Catalogs, ClauseKey};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::frontmatter::Status;
use crate::source::{Document, Source};
use std::collections::{BTreeSet, HashMap};

/// A document's claim that it satisfies a clause, resolved against the catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Index of the claiming document.
    pub document: usize,
    /// The clause claimed.
    pub clause: ClauseKey,
    /// The anchor of the section that shows it, if given.
    pub section: Option<String>,
}

/// Where a link in a document body points, as far as can be told from the text alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// `https://…`, `mailto:…` and other links with a scheme: not checked.
    External,
    /// `clause:8.5.1`: a clause of a catalogue.
    Clause(String),
    /// A file of the source folder (normalised, `/`-separated, relative to the source
    /// folder; `None` for the same document) and an optional `#anchor`.
    Local {
        /// The target path, or `None` for an anchor in the same document.
        path: Option<String>,
        /// The anchor, without `#`.
        anchor: Option<String>,
    },
    /// A relative link that climbs out of the source folder.
    OutsideSource,
}

/// Classifies a link written in the document at `from` (a path relative to the source folder).
pub fn classify_link(from: &str, target: &str) -> LinkKind {
    let target = target.trim();
    if let Some(reference) = target.strip_prefix("clause:") {
        return LinkKind::Clause(reference.trim().to_string());
    }
    let has_scheme = target.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || target.starts_with("//") {
        return LinkKind::External;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(decode(anchor))),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return LinkKind::Local { path: None, anchor };
    }
    let path = decode(path);
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        from.split('/').collect::<Vec<_>>()
    };
    if !path.starts_with('/') {
        parts.pop(); // the file name of `from`
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return LinkKind::OutsideSource;
                }
            }
            part => parts.push(part),
        }
    }
    LinkKind::Local {
        path: Some(parts.join("/")),
        anchor,
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The indexed set of documents.
#[derive(Debug, Default)]
pub struct Manual {
    /// All documents, sorted by path.
    pub documents: Vec<Document>,
    /// Non-Markdown files of the source folder.
    pub assets: BTreeSet<String>,
    /// Document index by id (first document with that id).
    pub by_id: HashMap<String, usize>,
    /// Document index by path.
    pub by_path: HashMap<String, usize>,
    /// Every resolved claim, in document order.
    pub claims: Vec<Claim>,
    /// For each document, the documents that link to it (sorted, without repeats).
    pub backlinks: Vec<Vec<usize>>,
    /// The text of `SUMMARY.md`, when there is one.
    pub summary: Option<String>,
    /// For each document, the range of its claims in `claims`.
    claim_ranges: Vec<std::ops::Range<usize>>,
}

impl Manual {
    /// A claim with its document and that document's front matter.
    pub fn claim(&self, index: usize) -> (&Claim, &Document, &crate::source::frontmatter::Meta) {
        let claim = &self.claims[index];
        let doc = &self.documents[claim.document];
        let meta = doc
            .meta
            .as_ref()
            .expect("claims are only made by documents with front matter");
        (claim, doc, meta)
    }

    /// The claims of one document.
    pub fn claims_of(&self, document: usize) -> &[Claim] {
        self.claim_ranges
            .get(document)
            .map_or(&[], |r| &self.claims[r.clone()])
    }

    /// Indexes the documents, resolves claims and links, and reports what does not resolve.
    pub fn build(source: Source, catalogs: &Catalogs) -> (Manual, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let mut manual = Manual {
            documents: source.documents,
            assets: source.assets,
            summary: source.summary,
            ..Manual::default()
        };
        for (index, doc) in manual.documents.iter().enumerate() {
            manual.by_path.insert(doc.path.clone(), index);
            let Some(meta) = &doc.meta else { continue };
            if let Some(&first) = manual.by_id.get(&meta.id.value) {
                let other = &manual.documents[first];
                let other_line = other.meta.as_ref().map_or(1, |m| m.id.line);
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("id `{}` is already used", meta.id.value),
                    )
                    .at(doc.source_text().location(meta.id.line, meta.id.column))
                    .document(meta.id.value.clone())
                    .help(format!(
                        "`{}` is the id of {}:{other_line}; give this document an id of its own",
                        meta.id.value, other.file
                    )),
                );
            } else {
                manual.by_id.insert(meta.id.value.clone(), index);
            }
        }
        for (index, doc) in manual.documents.iter().enumerate() {
            let start = manual.claims.len();
            manual.claim_ranges.push(start..start);
            let Some(meta) = &doc.meta else { continue };
            let source = doc.source_text();
            let mut seen = BTreeSet::new();
            for claim in &meta.satisfies {
                let location = source.location(claim.clause.line, claim.clause.column);
                let key = match catalogs.resolve(&claim.clause.value) {
                    Ok(key) => key,
                    Err(e) => {
                        diagnostics.push(
                            Diagnostic::error("unknown-clause", e.message)
                                .at(location)
                                .document(meta.id.value.clone())
                                .help(e.help),
                        );
                        continue;
                    }
                };
                let section = claim
                    .section
                    .as_ref()
                    .map(|s| s.value.trim_start_matches('#').to_string());
                if let (Some(section), Some(spanned)) = (&section, &claim.section) {
                    if !doc.has_anchor(section) {
                        diagnostics.push(
                            Diagnostic::error(
                                "missing-section",
                                format!("section `{section}` is not a heading of this document"),
                            )
                            .at(source.location(spanned.line, spanned.column))
                            .document(meta.id.value.clone())
                            .help(anchor_help(doc)(section)),
                        );
                    }
                }
                if seen.insert(key) {
                    manual.claims.push(Claim {
                        document: index,
                        clause: key,
                        section,
                    });
                }
            }
            manual.claim_ranges[index] = start..manual.claims.len();
        }
        // Links are resolved document by document in parallel (reads only); what each found
        // is then merged in document order, so the output does not depend on the threads.
        let resolved: Vec<(Vec<Diagnostic>, Vec<usize>)> = {
            use rayon::prelude::*;
            let manual = &manual;
            manual
                .documents
                .par_iter()
                .enumerate()
                .map(|(index, doc)| resolve_links(manual, catalogs, index, doc))
                .collect()
        };
        manual.backlinks = vec![Vec::new(); manual.documents.len()];
        for (index, (found, targets)) in resolved.into_iter().enumerate() {
            diagnostics.extend(found);
            for target in targets {
                if !manual.backlinks[target].contains(&index) {
                    manual.backlinks[target].push(index);
                }
            }
        }
        for list in &mut manual.backlinks {
            list.sort_unstable();
        }
        (manual, diagnostics)
    }

    /// The status of a document (plain pages count as approved guides for display only).
    pub fn status(&self, document: usize) -> Option<Status> {
        self.documents[document].meta.as_ref().map(|m| m.status)
    }
}

/// The problems with one document's links, and the documents they point to.
fn resolve_links(
    manual: &Manual,
    catalogs: &Catalogs,
    index: usize,
    doc: &Document,
) -> (Vec<Diagnostic>, Vec<usize>) {
    let mut found = Vec::new();
    let mut targets = Vec::new();
    let mut source = None;
    for link in &doc.links {
        let mut broken = |message: String, help: String| {
            let source = source.get_or_insert_with(|| doc.source_text());
            let mut d = Diagnostic::error("broken-link", message)
                .at(source.location_of_offset(link.offset))
                .help(help);
            if let Some(id) = doc.id() {
                d = d.document(id);
            }
            found.push(d);
        };
        match classify_link(&doc.path, &link.target) {
            LinkKind::External => {}
            LinkKind::OutsideSource => broken(
                format!("link `{}` points outside the source folder", link.target),
                "link only to files inside the source folder, or use a full https:// address"
                    .into(),
            ),
            LinkKind::Clause(reference) => {
                if let Err(e) = catalogs.resolve(&reference) {
                    let source = source.get_or_insert_with(|| doc.source_text());
                    let mut d = Diagnostic::error(
                        "unknown-clause",
                        format!("link `{}`: {}", link.target, e.message),
                    )
                    .at(source.location_of_offset(link.offset))
                    .help(e.help);
                    if let Some(id) = doc.id() {
                        d = d.document(id);
                    }
                    found.push(d);
                }
            }
            LinkKind::Local { path: None, anchor } => {
                if let Some(anchor) = anchor.filter(|a| !a.is_empty() && !doc.has_anchor(a)) {
                    broken(
                        format!("`#{anchor}` is not a heading of this document"),
                        anchor_help(doc)(&anchor),
                    );
                }
            }
            LinkKind::Local {
                path: Some(path),
                anchor,
            } => {
                let target = manual
                    .by_path
                    .get(&path)
                    .or_else(|| manual.by_path.get(&format!("{path}/index.md")))
                    .or_else(|| manual.by_path.get(&format!("{path}/README.md")))
                    .copied();
                match target {
                    Some(target) => {
                        let target_doc = &manual.documents[target];
                        if let Some(anchor) =
                            anchor.filter(|a| !a.is_empty() && !target_doc.has_anchor(a))
                        {
                            broken(
                                format!("`#{anchor}` is not a heading of `{}`", target_doc.path),
                                anchor_help(target_doc)(&anchor),
                            );
                        }
                        if target != index {
                            targets.push(target);
                        }
                    }
                    None if manual.assets.contains(&path)
                        || path == crate::source::SUMMARY_FILE => {}
                    None => {
                        let paths = manual
                            .by_path
                            .keys()
                            .map(String::as_str)
                            .chain(manual.assets.iter().map(String::as_str));
                        let help = match did_you_mean(&path, paths) {
                            Some(s) => format!(
                                "did you mean `{s}`? Links are relative to this file's folder"
                            ),
                            None => {
                                "check the path: links are relative to this file's folder".into()
                            }
                        };
                        broken(
                            format!("link `{}` points to a missing file `{path}`", link.target),
                            help,
                        );
                    }
                }
            }
        }
    }
    (found, targets)
}

/// Checks `audience` entries against the audiences declared in `book.toml` (when any are).
pub fn check_audiences(manual: &Manual, declared: &[(String, String)]) -> Vec<Diagnostic> {
    if declared.is_empty() {
        return Vec::new();
    }
    let names: Vec<&str> = declared.iter().map(|(name, _)| name.as_str()).collect();
    let mut diagnostics = Vec::new();
    for doc in &manual.documents {
        let Some(meta) = &doc.meta else { continue };
        for audience in meta
            .audience
            .iter()
            .filter(|a| !names.contains(&a.value.as_str()))
        {
            let help = match did_you_mean(&audience.value, names.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? (audiences declared in book.toml: {})",
                    names.join(", ")
                ),
                None => format!(
                    "use one of the audiences declared under [audiences] in book.toml: {}",
                    names.join(", ")
                ),
            };
            diagnostics.push(
                Diagnostic::error(
                    "unknown-audience",
                    format!("unknown audience `{}`", audience.value),
                )
                .at(doc.source_text().location(audience.line, audience.column))
                .document(meta.id.value.clone())
                .help(help),
            );
        }
    }
    diagnostics
}

/// A help line that suggests an existing anchor of `doc`.
fn anchor_help(doc: &Document) -> impl Fn(&str) -> String + '_ {
    move |anchor| {
        let anchors = doc
            .headings
            .iter()
            .map(|h| h.anchor.as_str())
            .chain(doc.html_anchors.iter().map(String::as_str));
        match did_you_mean(anchor, anchors) {
            Some(s) => format!("did you mean `#{s}`?"),
            None if doc.headings.is_empty() => "the document has no headings to link to".into(),
            None => format!(
                "anchors follow GitHub's rule (lower case, punctuation dropped, spaces become `-`); headings here: {}",
                doc.headings.iter().take(8).map(|h| format!("#{}", h.anchor)).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::source::parse_document;

    fn manual(files: &[(&str, &str)]) -> (Manual, Vec<Diagnostic>) {
        let mut source = Source::default();
        for (path, text) in files {
            let (doc, errors) = parse_document(path, path, text.as_bytes());
            assert!(errors.is_empty(), "{errors:?}");
            source.documents.push(doc);
        }
        source.assets.insert("img/map.svg".into());
        let catalogs = Catalogs {
            list: Catalog::built_in(),
        };
        Manual::build(source, &catalogs)
    }

    #[test]
    fn classify() {
        assert_eq!(
            classify_link("a/b.md", "https://x.org/a.md"),
            LinkKind::External
        );
        assert_eq!(classify_link("a/b.md", "mailto:x@y"), LinkKind::External);
        assert_eq!(
            classify_link("a/b.md", "clause:8.5.1"),
            LinkKind::Clause("8.5.1".into())
        );
        assert_eq!(
            classify_link("a/b.md", "../c/d%20e.md#f"),
            LinkKind::Local {
                path: Some("c/d e.md".into()),
                anchor: Some("f".into())
            }
        );
        assert_eq!(
            classify_link("a/b.md", "#x"),
            LinkKind::Local {
                path: None,
                anchor: Some("x".into())
            }
        );
        assert_eq!(
            classify_link("a/b.md", "/top.md"),
            LinkKind::Local {
                path: Some("top.md".into()),
                anchor: None
            }
        );
        assert_eq!(classify_link("b.md", "../../x.md"), LinkKind::OutsideSource);
    }

    #[test]
    fn links_resolve_and_backlinks_are_kept() {
        let (m, d) = manual(&[
            ("a.md", "---\nid: A\ntitle: A\ntype: guide\n---\n## One\n[b](sub/b.md#two) [self](#one) [img](img/map.svg) [c](clause:8.5.1)\n"),
            ("sub/b.md", "## Two\n[a](../a.md)\n"),
        ]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.backlinks[m.by_path["sub/b.md"]], [m.by_path["a.md"]]);
        assert_eq!(m.backlinks[m.by_path["a.md"]], [m.by_path["sub/b.md"]]);
    }

    #[test]
    fn broken_links_are_located_with_hints() {
        let (_, d) = manual(&[
            ("a.md", "## One\n\nsee [b](b.md#too) and [x](missing.md) and [c](clause:8.5.12) and [s](#onee)\n"),
            ("b.md", "## Two\n"),
        ]);
        let found: Vec<_> = d
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.location.as_ref().unwrap().line,
                    d.location.as_ref().unwrap().column,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("broken-link", 3, 5),
                ("broken-link", 3, 23),
                ("unknown-clause", 3, 43),
                ("broken-link", 3, 66)
            ]
        );
        assert_eq!(d[0].help.as_deref(), Some("did you mean `#two`?"));
        assert!(d[2].help.as_ref().unwrap().contains("8.5.1.2"));
        assert_eq!(d[3].help.as_deref(), Some("did you mean `#one`?"));
    }

    #[test]
    fn claims_resolve_and_unknown_clauses_and_sections_are_errors() {
        let (m, d) = manual(&[(
            "a.md",
            "---\nid: A\ntitle: A\ntype: process\nsatisfies:\n  - 8.5.1.1\n  - 8.5.12\n  - clause: 9.2\n    section: audit-plan\n  - clause: 9.3\n    section: nowhere\n---\n## Audit plan\n",
        )]);
        assert_eq!(m.claims.len(), 3);
        assert_eq!(m.claims[1].section.as_deref(), Some("audit-plan"));
        let found: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.as_ref().unwrap().line))
            .collect();
        assert_eq!(found, [("unknown-clause", 7), ("missing-section", 11)]);
    }

    #[test]
    fn duplicate_ids_point_at_the_second_and_name_the_first() {
        let (_, d) = manual(&[
            ("a.md", "---\nid: X\ntitle: A\ntype: guide\n---\n"),
            ("b.md", "---\nid: X\ntitle: B\ntype: guide\n---\n"),
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "duplicate-id");
        assert_eq!(d[0].location.as_ref().unwrap().file, "b.md");
        assert!(d[0].help.as_ref().unwrap().contains("a.md:2"));
    }
}
