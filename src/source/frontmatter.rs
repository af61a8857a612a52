//! Front matter: the YAML block between `---` lines at the top of a document, split from
//! the body and read into typed metadata. Every error points at the offending key or value.

use crate::diagnostics::{did_you_mean, Diagnostic, SourceText};
use crate::yaml::{self, Node, Value};
use chrono::NaiveDate;
use serde::Serialize;

/// A value with the 1-based line and column where it is written in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the file.
    pub column: usize,
}

/// The kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    /// Statement of intent and direction.
    Policy,
    /// A plan (scope, SMS plan, capacity plan, …).
    Plan,
    /// A process description.
    Process,
    /// Step-by-step instructions.
    Procedure,
    /// An SLA, contract or other agreement.
    Agreement,
    /// Evidence that something happened (minutes, reports, logs).
    Record,
    /// A maintained list (risks, assets, suppliers, …).
    Register,
    /// Guidance for staff.
    Guide,
    /// Terms and definitions: each `###` heading is a term, the paragraph under it its definition.
    Glossary,
}

/// The life-cycle status of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Being written.
    Draft,
    /// Written, awaiting approval.
    InReview,
    /// Approved and in force.
    Approved,
    /// Withdrawn; kept for reference, counts for nothing.
    Retired,
}

macro_rules! keyword_enum {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl $ty {
            /// Every keyword, in order.
            pub const KEYWORDS: &'static [&'static str] = &[$($name),*];
            /// The keyword as written in front matter.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),* }
            }
            /// Parses the keyword as written in front matter.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($name => Some($ty::$variant),)* _ => None }
            }
        }
    };
}

keyword_enum!(DocType {
    "policy" => Policy, "plan" => Plan, "process" => Process, "procedure" => Procedure,
    "agreement" => Agreement, "record" => Record, "register" => Register, "guide" => Guide,
    "glossary" => Glossary,
});

keyword_enum!(Status {
    "draft" => Draft, "in-review" => InReview, "approved" => Approved, "retired" => Retired,
});

/// One entry of `satisfies`: a clause reference and, optionally, the section that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRef {
    /// The clause reference as written (`8.5.1.2` or `prefix:number`).
    pub clause: Spanned<String>,
    /// The anchor of the heading in this document that shows it.
    pub section: Option<Spanned<String>>,
}

/// The typed front matter of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// Unique, stable identifier.
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// Kind of document.
    pub doc_type: DocType,
    /// The role that owns it.
    pub owner: Option<String>,
    /// Life-cycle status (default: draft).
    pub status: Status,
    /// Version, as written.
    pub version: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When it was approved.
    pub approved_on: Option<NaiveDate>,
    /// When it must be reviewed again.
    pub review_by: Option<Spanned<NaiveDate>>,
    /// For records: when the recorded event happened.
    pub date: Option<NaiveDate>,
    /// The clauses it claims to satisfy.
    pub satisfies: Vec<ClaimRef>,
    /// Reading lists it belongs to.
    pub audience: Vec<Spanned<String>>,
    /// Where the front matter starts (line 1).
    pub line: usize,
}

/// Every key front matter may have.
pub const KEYS: &[&str] = &[
    "id",
    "title",
    "type",
    "owner",
    "status",
    "version",
    "approved_by",
    "approved_on",
    "review_by",
    "date",
    "satisfies",
    "audience",
];

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'t> {
    /// The YAML text between the `---` lines, if the file has front matter.
    pub yaml: Option<&'t str>,
    /// Byte offset where the body starts.
    pub body_start: usize,
}

/// Front matter that starts with `---` and never ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed;

/// Splits front matter from the body. Front matter starts with a `---` line at the very top
/// and ends with the next `---` (or `...`) line.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            body_start: 0,
        });
    }
    let mut line_start = first_end;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: Some(&text[first_end..line_start]),
                body_start: line_end,
            });
        }
        line_start = line_end;
    }
    Err(Unclosed)
}

/// Reads front matter YAML (which starts on line 2 of the file) into typed metadata.
/// Returns the metadata when at least `id`, `title` and `type` could be read, and every
/// problem found on the way.
pub fn parse(yaml_text: &str, source: &SourceText) -> (Option<Meta>, Vec<Diagnostic>) {
    let mut reader = Reader {
        source,
        errors: Vec::new(),
    };
    let root = match yaml::parse(yaml_text) {
        Ok(root) => root,
        Err(e) => {
            let d = Diagnostic::error("front-matter-syntax", format!("invalid YAML in front matter: {}", e.message))
                .at(source.location(e.line + 1, e.column))
                .help("fix the YAML syntax; quote values that contain `: ` or start with a special character");
            return (None, vec![d]);
        }
    };
    let meta = reader.meta(&root);
    (meta, reader.errors)
}

struct Reader<'s, 't> {
    source: &'s SourceText<'t>,
    errors: Vec<Diagnostic>,
}

impl Reader<'_, '_> {
    fn at(&self, node: &Node) -> crate::diagnostics::Location {
        // YAML line 1 is line 2 of the file (after the opening `---`).
        self.source.location(node.line + 1, node.column)
    }

    fn spanned<T>(&self, node: &Node, value: T) -> Spanned<T> {
        Spanned {
            value,
            line: node.line + 1,
            column: node.column,
        }
    }

    fn error(&mut self, node: &Node, code: &'static str, message: String, help: impl Into<String>) {
        let d = Diagnostic::error(code, message)
            .at(self.at(node))
            .help(help);
        self.errors.push(d);
    }

    fn text(&mut self, node: &Node, key: &str) -> Option<String> {
        match &node.value {
            Value::Scalar { text, .. } if !text.trim().is_empty() => Some(text.trim().to_string()),
            Value::Scalar { .. } | Value::Null => {
                self.error(
                    node,
                    "empty-value",
                    format!("`{key}` is empty"),
                    format!("give `{key}` a value or remove the line"),
                );
                None
            }
            _ => {
                let kind = node.kind();
                self.error(
                    node,
                    "wrong-type",
                    format!("`{key}` must be a text value, found {kind}"),
                    format!("write `{key}: some text` on one line"),
                );
                None
            }
        }
    }

    fn date(&mut self, node: &Node, key: &str) -> Option<NaiveDate> {
        let text = self.text(node, key)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) if text.len() == 10 => Some(date),
            _ => {
                self.error(
                    node,
                    "bad-date",
                    format!("`{key}` has an invalid date `{text}`"),
                    "write a real calendar date as YYYY-MM-DD, e.g. 2026-02-10",
                );
                None
            }
        }
    }

    fn keyword<T: Copy>(
        &mut self,
        node: &Node,
        key: &str,
        keywords: &[&str],
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(node, key)?;
        if let Some(value) = parse(&text) {
            return Some(value);
        }
        let help = match did_you_mean(&text, keywords.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? (one of: {})", keywords.join(", ")),
            None => format!("use one of: {}", keywords.join(", ")),
        };
        self.error(
            node,
            "unknown-value",
            format!("unknown {key} `{text}`"),
            help,
        );
        None
    }

    fn list<'n>(&mut self, node: &'n Node, key: &str) -> Vec<&'n Node> {
        match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Scalar { .. } => vec![node],
            Value::Null => Vec::new(),
            Value::Map(_) => {
                self.error(
                    node,
                    "wrong-type",
                    format!("`{key}` must be a list, found a mapping"),
                    format!("write `{key}: [a, b]` or one `- item` per line"),
                );
                Vec::new()
            }
        }
    }

    fn claim(&mut self, node: &Node) -> Option<ClaimRef> {
        match &node.value {
            Value::Scalar { text, .. } => Some(ClaimRef {
                clause: self.spanned(node, text.trim().to_string()),
                section: None,
            }),
            Value::Map(entries) => {
                let (mut clause, mut section) = (None, None);
                for (key, value) in entries {
                    match key.as_str().unwrap_or("") {
                        "clause" => {
                            clause = self.text(value, "clause").map(|t| self.spanned(value, t))
                        }
                        "section" => {
                            section = self.text(value, "section").map(|t| self.spanned(value, t))
                        }
                        other => {
                            let help = match did_you_mean(other, ["clause", "section"]) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => {
                                    "a `satisfies` entry takes `clause:` and optionally `section:`"
                                        .into()
                                }
                            };
                            self.error(
                                key,
                                "unknown-key",
                                format!("unknown key `{other}` in a `satisfies` entry"),
                                help,
                            );
                        }
                    }
                }
                if clause.is_none() {
                    self.error(
                        node,
                        "missing-key",
                        "this `satisfies` entry has no `clause`".into(),
                        "add `clause: 8.5.1` (the clause number)",
                    );
                }
                Some(ClaimRef {
                    clause: clause?,
                    section,
                })
            }
            _ => {
                let kind = node.kind();
                self.error(
                    node,
                    "wrong-type",
                    format!("a `satisfies` entry must be a clause number, found {kind}"),
                    "write `- 8.5.1` or `- clause: 8.5.1` with `section: anchor`",
                );
                None
            }
        }
    }

    fn meta(&mut self, root: &Node) -> Option<Meta> {
        let entries: &[(Node, Node)] = match &root.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                let kind = root.kind();
                self.error(
                    root,
                    "wrong-type",
                    format!("front matter must be a mapping of keys to values, found {kind}"),
                    "write one `key: value` per line",
                );
                return None;
            }
        };
        let mut id = None;
        let mut title = None;
        let mut doc_type = None;
        let mut meta = Meta {
            id: Spanned {
                value: String::new(),
                line: 1,
                column: 1,
            },
            title: String::new(),
            doc_type: DocType::Guide,
            owner: None,
            status: Status::Draft,
            version: None,
            approved_by: None,
            approved_on: None,
            review_by: None,
            date: None,
            satisfies: Vec::new(),
            audience: Vec::new(),
            line: 1,
        };
        let mut seen: Vec<&str> = Vec::new();
        for (key_node, value) in entries {
            let Some(key) = key_node.as_str() else {
                self.error(
                    key_node,
                    "wrong-type",
                    "front matter keys must be plain words".into(),
                    "write `key: value`",
                );
                continue;
            };
            if seen.contains(&key) {
                self.error(
                    key_node,
                    "duplicate-key",
                    format!("`{key}` is given twice"),
                    "keep one of them",
                );
                continue;
            }
            seen.push(key);
            match key {
                "id" => {
                    id = self.text(value, "id").and_then(|t| {
                        if t.contains(char::is_whitespace) || t.contains('/') {
                            self.error(
                                value,
                                "bad-id",
                                format!("id `{t}` contains spaces or `/`"),
                                "use letters, digits, `-`, `_` and `.` only, e.g. PRC-CHG-001",
                            );
                            None
                        } else {
                            Some(self.spanned(value, t))
                        }
                    })
                }
                "title" => title = self.text(value, "title"),
                "type" => doc_type = self.keyword(value, "type", DocType::KEYWORDS, DocType::parse),
                "owner" => meta.owner = self.text(value, "owner"),
                "status" => {
                    meta.status = self
                        .keyword(value, "status", Status::KEYWORDS, Status::parse)
                        .unwrap_or(Status::Draft)
                }
                "version" => meta.version = self.text(value, "version"),
                "approved_by" => meta.approved_by = self.text(value, "approved_by"),
                "approved_on" => meta.approved_on = self.date(value, "approved_on"),
                "review_by" => {
                    meta.review_by = self
                        .date(value, "review_by")
                        .map(|d| self.spanned(value, d))
                }
                "date" => meta.date = self.date(value, "date"),
                "satisfies" => {
                    for item in self.list(value, "satisfies") {
                        if let Some(claim) = self.claim(item) {
                            meta.satisfies.push(claim);
                        }
                    }
                }
                "audience" => {
                    for item in self.list(value, "audience") {
                        if let Some(a) = self.text(item, "audience") {
                            meta.audience.push(self.spanned(item, a));
                        }
                    }
                }
                other => {
                    let help = match did_you_mean(other, KEYS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("known keys: {}", KEYS.join(", ")),
                    };
                    self.error(
                        key_node,
                        "unknown-key",
                        format!("unknown front matter key `{other}`"),
                        help,
                    );
                }
            }
        }
        for (key, present) in [
            ("id", id.is_some() || seen.contains(&"id")),
            ("title", title.is_some() || seen.contains(&"title")),
            ("type", doc_type.is_some() || seen.contains(&"type")),
        ] {
            if !present {
                let example = match key {
                    "id" => "id: PRC-CHG-001",
                    "title" => "title: Change Management Process",
                    _ => "type: process",
                };
                self.errors.push(
                    Diagnostic::error("missing-key", format!("front matter has no `{key}`"))
                        .at(self.source.location(1, 1))
                        .help(format!("every document with front matter needs `id`, `title` and `type`; add e.g. `{example}`")),
                );
            }
        }
        meta.id = id?;
        meta.title = title?;
        meta.doc_type = doc_type?;
        Some(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Option<Meta>, Vec<Diagnostic>) {
        let source = SourceText::new("doc.md", text);
        let split = split(text).expect("closed");
        parse(split.yaml.unwrap(), &source)
    }

    fn codes(errors: &[Diagnostic]) -> Vec<(&str, usize, usize)> {
        errors
            .iter()
            .map(|e| {
                let l = e.location.as_ref().unwrap();
                (e.code, l.line, l.column)
            })
            .collect()
    }

    #[test]
    fn split_finds_front_matter_and_body() {
        let s = split("---\nid: A\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, Some("id: A\n"));
        assert_eq!(s.body_start, 14);
        let s = split("---\r\nid: A\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, Some("id: A\r\n"));
        assert_eq!(split("no front matter").unwrap().yaml, None);
        assert_eq!(split("--- \nid: A\n...\n").unwrap().yaml, Some("id: A\n"));
        assert!(split("---\nid: A\nno end\n").is_err());
    }

    #[test]
    fn full_front_matter() {
        let (meta, errors) = read(
            "---\nid: PRC-CHG-001\ntitle: Change\ntype: process\nstatus: approved\nversion: 3.10\napproved_on: 2026-02-10\nreview_by: 2027-02-10\nsatisfies:\n  - 8.5.1.1\n  - clause: 8.5.1.3\n    section: assessing\naudience: [all-staff]\n---\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let meta = meta.unwrap();
        assert_eq!(meta.id.value, "PRC-CHG-001");
        assert_eq!((meta.id.line, meta.id.column), (2, 5));
        assert_eq!(meta.version.as_deref(), Some("3.10"));
        assert_eq!(meta.status, Status::Approved);
        assert_eq!(
            meta.satisfies[1].section.as_ref().unwrap().value,
            "assessing"
        );
        assert_eq!(meta.satisfies[1].clause.line, 11);
        assert_eq!(meta.audience[0].value, "all-staff");
        assert_eq!((meta.audience[0].line, meta.audience[0].column), (13, 12));
    }

    #[test]
    fn unquoted_numbers_stay_text() {
        let (meta, _) =
            read("---\nid: A\ntitle: T\ntype: policy\nsatisfies: [8.1, 5.10, A.5.10]\n---\n");
        let refs: Vec<String> = meta
            .unwrap()
            .satisfies
            .into_iter()
            .map(|c| c.clause.value)
            .collect();
        assert_eq!(refs, ["8.1", "5.10", "A.5.10"]);
    }

    #[test]
    fn unknown_key_with_hint_at_the_key() {
        let (_, errors) = read("---\nid: A\ntitle: T\ntype: policy\nsatisfeis: [8.1]\n---\n");
        assert_eq!(codes(&errors), [("unknown-key", 5, 1)]);
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `satisfies`?"));
    }

    #[test]
    fn bad_values_point_at_the_value() {
        let (meta, errors) = read("---\nid: A\ntitle: T\ntype: proces\nstatus: aproved\napproved_on: 2026-02-30\ntitle2: x\n---\n");
        assert!(meta.is_none());
        assert_eq!(
            codes(&errors),
            [
                ("unknown-value", 4, 7),
                ("unknown-value", 5, 9),
                ("bad-date", 6, 14),
                ("unknown-key", 7, 1)
            ]
        );
        assert!(errors[0].help.as_ref().unwrap().contains("`process`"));
    }

    #[test]
    fn missing_required_keys_and_wrong_types() {
        let (meta, errors) = read("---\ntitle: [a, b]\n---\n");
        assert!(meta.is_none());
        let found = codes(&errors);
        assert_eq!(found[0], ("wrong-type", 2, 8));
        assert!(found.contains(&("missing-key", 1, 1)));
    }

    #[test]
    fn syntax_errors_are_located_in_the_file() {
        let (_, errors) = read("---\nid: A\ntitle: [unclosed\ntype: policy\n---\n");
        assert_eq!(errors[0].code, "front-matter-syntax");
        assert!(errors[0].location.as_ref().unwrap().line >= 3);
    }

    #[test]
    fn satisfies_entry_errors() {
        let (_, errors) =
            read("---\nid: A\ntitle: T\ntype: policy\nsatisfies:\n  - clase: 8.1\n  - [x]\n---\n");
        let found = codes(&errors);
        assert_eq!(found[0], ("unknown-key", 6, 5));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `clause`?"));
        assert_eq!(found[1].0, "missing-key");
        assert_eq!(found[2], ("wrong-type", 7, 5));
    }
}
