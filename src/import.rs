//! `smsbook import comply DIR --into NEW`: turns a repository of strongdm/comply (a SOC 2
//! tool) into an smsbook repository.
//!
//! A comply repository keeps `standards/*.yml` (a standard's `name:` and its controls,
//! `CC6.1: {family, name, description}`) and `policies/`, `procedures/` and `narratives/` as
//! Markdown files that start with YAML (`name`, `acronym` or `id`, `satisfies: {TSC: [...]}`,
//! `majorRevisions: [{date, comment}]`, …) followed by a `---` line and the body.
//!
//! - each standards file becomes a user catalogue `catalogues/<prefix>.yaml` (prefix: the
//!   standard's name in lower case), its controls' names as titles and descriptions as
//!   summaries, each control family (`CC6` of `CC6.1`) as a parent clause;
//! - each policy, procedure and narrative becomes a draft document under `src/` with our front
//!   matter (`satisfies` as `prefix:number`), its Markdown body kept byte for byte;
//! - `book.toml` lists the imported standards (the first, by prefix, is primary) and their
//!   catalogues; `src/SUMMARY.md` groups policies, procedures and narratives;
//! - every field without a counterpart is reported (file:line:column), kept as a comment in
//!   the document's front matter and listed in `IMPORT-NOTES.md`.
//!
//! [`read_comply`] and [`write_new_repository`] are the only I/O; [`convert`] is pure.

use crate::diagnostics::{did_you_mean, Diagnostic, Location, SourceText};
use crate::source::frontmatter::DocType;
use crate::yaml::{self, Node, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The kinds of comply documents, by the folder they live in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `narratives/`: descriptions of how the organisation meets the controls.
    Narrative,
    /// `policies/`.
    Policy,
    /// `procedures/`.
    Procedure,
}

impl Kind {
    /// The comply folder (and the folder under `src/` in the new repository).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Narrative => "narratives",
            Kind::Policy => "policies",
            Kind::Procedure => "procedures",
        }
    }

    /// The smsbook document type: policies and procedures keep theirs; a narrative describes
    /// how controls are met and has no such type here, so it becomes a `guide` (descriptive
    /// documentation whose claims count like any other document's).
    pub fn doc_type(self) -> DocType {
        match self {
            Kind::Narrative => DocType::Guide,
            Kind::Policy => DocType::Policy,
            Kind::Procedure => DocType::Procedure,
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Kind::Narrative => "narrative",
            Kind::Policy => "policy",
            Kind::Procedure => "procedure",
        }
    }
}

/// One file of the comply repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplyFile {
    /// The path relative to the comply repository, with `/` (e.g. `policies/access.md`).
    pub path: String,
    /// The file as it is named in diagnostics (the path the user gave, joined).
    pub shown: String,
    /// The file's text.
    pub text: String,
}

/// What [`read_comply`] found in a comply repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplyRepo {
    /// `comply.yml` at the top, if there is one.
    pub config: Option<ComplyFile>,
    /// `standards/*.yml`, sorted by path.
    pub standards: Vec<ComplyFile>,
    /// Policies, procedures and narratives, sorted by path.
    pub documents: Vec<(Kind, ComplyFile)>,
    /// Files and folders that are not imported (relative paths, sorted).
    pub skipped: Vec<String>,
}

/// A field of the comply repository that has no counterpart in smsbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// Where it is written.
    pub location: Location,
    /// The field, e.g. `cron` or `CC1.1.family`.
    pub field: String,
    /// Its text as written in the comply file.
    pub text: String,
    /// What became of it.
    pub note: String,
}

/// One converted document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// Its comply kind.
    pub kind: Kind,
    /// The comply path (relative).
    pub from: String,
    /// The new path, relative to the new repository.
    pub to: String,
    /// The new id.
    pub id: String,
    /// The title (comply's `name`, else the file name).
    pub title: String,
    /// How many controls it claims.
    pub claims: usize,
    /// Why its id differs from what comply gave (normalised or made unique), if it does.
    pub id_note: Option<String>,
}

/// One imported standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedStandard {
    /// The comply standards file (relative).
    pub from: String,
    /// The standard's name in comply.
    pub name: String,
    /// The catalogue prefix (and id) in smsbook.
    pub prefix: String,
    /// The catalogue file, relative to the new repository.
    pub to: String,
    /// Number of controls.
    pub controls: usize,
    /// Number of family clauses added as parents.
    pub families: usize,
}

/// The planned new repository: its files and what was converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// (path relative to the new repository, contents), sorted by path.
    pub files: Vec<(PathBuf, String)>,
    /// The standards, in prefix order.
    pub standards: Vec<ImportedStandard>,
    /// The documents, in path order.
    pub documents: Vec<Converted>,
    /// Every field without a counterpart, in file order.
    pub unmapped: Vec<Unmapped>,
    /// What was not imported at all.
    pub skipped: Vec<String>,
}

/// Why an import failed: the diagnostics and the exit status (1: problems in the comply
/// files; 2: usage, such as a missing DIR or a non-empty `--into`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// The exit status to end with.
    pub exit_code: u8,
}

impl ImportError {
    fn usage(d: Diagnostic) -> Self {
        ImportError {
            diagnostics: vec![d],
            exit_code: 2,
        }
    }
}

/// A standard read from a standards file: name, prefix and controls in file order.
struct Standard {
    from: String,
    name: String,
    prefix: String,
    /// (number, name, description).
    controls: Vec<(String, String, String)>,
    /// (family, first control of it) for families that are dotted prefixes of their controls.
    families: Vec<String>,
}

/// The comply repository's contents turned into the files of a new smsbook repository.
/// Pure: errors (broken YAML, unknown standards or controls) are all collected.
pub fn convert(repo: &ComplyRepo) -> Result<Plan, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut unmapped = Vec::new();
    let built_in: Vec<(String, String)> = crate::catalog::Catalog::built_in()
        .into_iter()
        .map(|c| (c.id, c.prefix))
        .collect();
    let mut standards: Vec<Standard> = Vec::new();
    for file in &repo.standards {
        if let Some(standard) = read_standard(file, &mut errors, &mut unmapped) {
            let clash = built_in
                .iter()
                .any(|(id, p)| *p == standard.prefix || *id == standard.prefix);
            if clash {
                errors.push(
                    Diagnostic::error(
                        "import-standard",
                        format!(
                            "standard `{}` would have the prefix `{}` of a built-in standard",
                            standard.name, standard.prefix
                        ),
                    )
                    .at(SourceText::new(&file.shown, &file.text).location(1, 1))
                    .help("rename the standard (`name:`) in the comply repository"),
                );
            } else if let Some(other) = standards.iter().find(|s| s.prefix == standard.prefix) {
                errors.push(
                    Diagnostic::error(
                        "import-standard",
                        format!(
                            "standards `{}` ({}) and `{}` ({}) share the prefix `{}`",
                            other.name, other.from, standard.name, standard.from, standard.prefix
                        ),
                    )
                    .at(SourceText::new(&file.shown, &file.text).location(1, 1))
                    .help("give each standard a name of its own"),
                );
            } else {
                standards.push(standard);
            }
        }
    }
    standards.sort_by(|a, b| a.prefix.cmp(&b.prefix));

    let (organization, title) = match &repo.config {
        Some(file) => read_config(file, &mut errors, &mut unmapped),
        None => (None, None),
    };

    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut documents = Vec::new();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for (kind, file) in &repo.documents {
        if let Some((converted, text)) = convert_document(
            *kind,
            file,
            &standards,
            &mut ids,
            &mut errors,
            &mut unmapped,
        ) {
            files.push((PathBuf::from(&converted.to), text));
            documents.push(converted);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut imported = Vec::new();
    for standard in &standards {
        let to = format!("catalogues/{}.yaml", standard.prefix);
        files.push((PathBuf::from(&to), catalogue_yaml(standard)));
        imported.push(ImportedStandard {
            from: standard.from.clone(),
            name: standard.name.clone(),
            prefix: standard.prefix.clone(),
            to,
            controls: standard.controls.len(),
            families: standard.families.len(),
        });
    }
    files.push((
        PathBuf::from("book.toml"),
        book_toml(title.as_deref(), organization.as_deref(), &imported),
    ));
    files.push((PathBuf::from("src/SUMMARY.md"), summary_md(&documents)));
    // The notes name comply files relative to the comply repository, whatever DIR was given.
    let relative: std::collections::HashMap<&str, &str> = repo
        .config
        .iter()
        .chain(&repo.standards)
        .chain(repo.documents.iter().map(|(_, f)| f))
        .map(|f| (f.shown.as_str(), f.path.as_str()))
        .collect();
    files.push((
        PathBuf::from("IMPORT-NOTES.md"),
        notes_md(&imported, &documents, &unmapped, &repo.skipped, &relative),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Plan {
        files,
        standards: imported,
        documents,
        unmapped,
        skipped: repo.skipped.clone(),
    })
}

/// The catalogue prefix of a standard's name: lower case, letters and digits, runs of
/// anything else as one `-`.
pub fn prefix_of(name: &str) -> String {
    let mut prefix = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            prefix.push(c.to_ascii_lowercase());
        } else if !prefix.ends_with('-') {
            prefix.push('-');
        }
    }
    prefix.trim_matches('-').to_string()
}

/// A document id from comply's acronym, id or file name: upper case, letters, digits, `-`,
/// `_` and `.`; anything else becomes `-`.
pub fn normalise_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            id.push(c.to_ascii_uppercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_matches('-').to_string()
}

/// `id` if it is not taken, else `id-2`, `id-3`, …; records the result as taken.
pub fn unique_id(id: &str, taken: &mut BTreeSet<String>) -> String {
    let unique = if taken.contains(id) {
        (2..)
            .map(|n| format!("{id}-{n}"))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_default()
    } else {
        id.to_string()
    };
    taken.insert(unique.clone());
    unique
}

/// A double-quoted string, valid in YAML and in TOML.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn syntax_error(file: &ComplyFile, e: &yaml::SyntaxError, line_offset: usize) -> Diagnostic {
    Diagnostic::error("import-syntax", format!("invalid YAML: {}", e.message))
        .at(SourceText::new(&file.shown, &file.text).location(e.line + line_offset, e.column))
        .help("fix the YAML of the comply file (comply itself would stop on it too)")
}

/// The source lines of a top-level key and its value (up to the next top-level key).
fn lines_of(yaml_text: &str, entries: &[(Node, Node)], index: usize) -> String {
    let start = entries[index].0.line;
    let end = entries
        .get(index + 1)
        .map_or(usize::MAX, |(k, _)| k.line.saturating_sub(1));
    yaml_text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i + 1 >= start && *i < end)
        .map(|(_, l)| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

fn read_standard(
    file: &ComplyFile,
    errors: &mut Vec<Diagnostic>,
    unmapped: &mut Vec<Unmapped>,
) -> Option<Standard> {
    let source = SourceText::new(&file.shown, &file.text);
    let root = match yaml::parse(&file.text) {
        Ok(root) => root,
        Err(e) => {
            errors.push(syntax_error(file, &e, 0));
            return None;
        }
    };
    let Value::Map(entries) = &root.value else {
        errors.push(
            Diagnostic::error(
                "import-standard",
                format!("a standards file must be a mapping, found {}", root.kind()),
            )
            .at(source.location(root.line, root.column))
            .help("start with `name: TSC` and list controls as `CC1.1: {family: CC1, name: ..., description: ...}`"),
        );
        return None;
    };
    let stem = Path::new(&file.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = None;
    let mut controls = Vec::new();
    let mut families: Vec<String> = Vec::new();
    let mut numbers = BTreeSet::new();
    let before = errors.len();
    for (key, value) in entries {
        let Some(key_text) = key.as_str() else {
            errors.push(
                Diagnostic::error("import-standard", "a key must be a control number")
                    .at(source.location(key.line, key.column)),
            );
            continue;
        };
        if key_text == "name" {
            match value.as_str() {
                Some(text) if !text.trim().is_empty() => name = Some(text.trim().to_string()),
                _ => errors.push(
                    Diagnostic::error("import-standard", "`name` must be a text")
                        .at(source.location(value.line, value.column))
                        .help("e.g. `name: TSC`"),
                ),
            }
            continue;
        }
        let number = key_text.trim().to_string();
        if number.is_empty() || number.contains(':') || number.contains(char::is_whitespace) {
            errors.push(
                Diagnostic::error(
                    "import-standard",
                    format!("control number `{number}` may not be empty or contain `:` or spaces"),
                )
                .at(source.location(key.line, key.column)),
            );
            continue;
        }
        let Value::Map(fields) = &value.value else {
            errors.push(
                Diagnostic::error(
                    "import-standard",
                    format!(
                        "control `{number}` must be a mapping with `family`, `name` and `description`, found {}",
                        value.kind()
                    ),
                )
                .at(source.location(value.line, value.column)),
            );
            continue;
        };
        let (mut title, mut description, mut family) = (None, String::new(), None);
        for (field_key, field_value) in fields {
            let field = field_key.as_str().unwrap_or("");
            let text = field_value.as_str().map(|t| t.trim().to_string());
            match (field, text) {
                ("name", Some(t)) if !t.is_empty() => title = Some(t),
                ("description", Some(t)) => description = t,
                ("family", Some(t)) if !t.is_empty() => family = Some((t, field_key)),
                _ => {
                    let line = source.location(field_key.line, field_key.column);
                    unmapped.push(Unmapped {
                        text: line.line_text.trim().to_string(),
                        location: line,
                        field: format!("{number}.{field}"),
                        note: "not a control field smsbook knows (name, description, family); left out of the catalogue".into(),
                    });
                }
            }
        }
        if let Some((family, at)) = family {
            if number.starts_with(&format!("{family}.")) {
                if !families.contains(&family) {
                    families.push(family);
                }
            } else if family != number {
                let line = source.location(at.line, at.column);
                unmapped.push(Unmapped {
                    text: line.line_text.trim().to_string(),
                    location: line,
                    field: format!("{number}.family"),
                    note: format!(
                        "family `{family}` is not a dotted prefix of `{number}`, so it cannot be its parent clause; left out"
                    ),
                });
            }
        }
        if !numbers.insert(number.clone()) {
            errors.push(
                Diagnostic::error(
                    "import-standard",
                    format!("control `{number}` is listed twice"),
                )
                .at(source.location(key.line, key.column)),
            );
            continue;
        }
        controls.push((number.clone(), title.unwrap_or(number), description));
    }
    let name = name.unwrap_or(stem);
    let prefix = prefix_of(&name);
    if prefix.is_empty() {
        errors.push(
            Diagnostic::error(
                "import-standard",
                format!(
                    "the standard's name `{name}` has no letters or digits to make a prefix of"
                ),
            )
            .at(source.location(1, 1)),
        );
    }
    if errors.len() > before {
        return None;
    }
    // A family clause only where no control has its number already.
    families.retain(|f| !numbers.contains(f));
    Some(Standard {
        from: file.path.clone(),
        name,
        prefix,
        controls,
        families,
    })
}

fn read_config(
    file: &ComplyFile,
    errors: &mut Vec<Diagnostic>,
    unmapped: &mut Vec<Unmapped>,
) -> (Option<String>, Option<String>) {
    let source = SourceText::new(&file.shown, &file.text);
    let root = match yaml::parse(&file.text) {
        Ok(root) => root,
        Err(e) => {
            errors.push(syntax_error(file, &e, 0));
            return (None, None);
        }
    };
    let Value::Map(entries) = &root.value else {
        return (None, None);
    };
    let mut organization = None;
    for (index, (key, value)) in entries.iter().enumerate() {
        match (key.as_str(), value.as_str()) {
            (Some("name"), Some(name)) if !name.trim().is_empty() => {
                organization = Some(name.trim().to_string());
            }
            (field, _) => unmapped.push(Unmapped {
                location: source.location(key.line, key.column),
                field: field.unwrap_or("?").to_string(),
                text: lines_of(&file.text, entries, index),
                note: "comply's own setting (ticketing, PDF output); not used by smsbook".into(),
            }),
        }
    }
    let title = organization
        .as_ref()
        .map(|o| format!("{o} Compliance Manual"));
    (organization, title)
}

/// Splits a comply Markdown file into its YAML, the line the YAML starts on (1-based) and
/// the body after the `---` line. comply writes the YAML first; a leading `---` line is
/// accepted too.
fn split_comply(text: &str) -> Option<(&str, usize, &str)> {
    let mut offset = 0;
    let mut yaml_start = 0;
    let mut first_line = 1;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let end = offset + line.len();
        if line.trim_end() == "---" {
            if index == 0 {
                yaml_start = end;
                first_line = 2;
            } else {
                return Some((&text[yaml_start..offset], first_line, &text[end..]));
            }
        }
        offset = end;
    }
    None
}

/// Converts one policy, procedure or narrative: the planned document and its text.
fn convert_document(
    kind: Kind,
    file: &ComplyFile,
    standards: &[Standard],
    ids: &mut BTreeSet<String>,
    errors: &mut Vec<Diagnostic>,
    unmapped: &mut Vec<Unmapped>,
) -> Option<(Converted, String)> {
    let source = SourceText::new(&file.shown, &file.text);
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    let Some((yaml_text, first_line, body)) = split_comply(text) else {
        errors.push(
            Diagnostic::error(
                "import-format",
                "no `---` line between the YAML and the Markdown",
            )
            .at(source.location(1, 1))
            .help("a comply document is YAML (name, satisfies, …), a line `---`, then Markdown"),
        );
        return None;
    };
    let offset = first_line - 1;
    let at = |node: &Node| source.location(node.line + offset, node.column);
    let root = match yaml::parse(yaml_text) {
        Ok(root) => root,
        Err(e) => {
            errors.push(syntax_error(file, &e, offset));
            return None;
        }
    };
    let entries: &[(Node, Node)] = match &root.value {
        Value::Map(entries) => entries,
        Value::Null => &[],
        _ => {
            errors.push(
                Diagnostic::error(
                    "import-format",
                    format!("the YAML must be a mapping, found {}", root.kind()),
                )
                .at(at(&root))
                .help("write `name: ...`, `satisfies: ...` and so on, one key per line"),
            );
            return None;
        }
    };
    let stem = Path::new(&file.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let before = errors.len();
    let mut title = None;
    let mut acronym: Option<(String, &Node)> = None;
    let mut comply_id: Option<(String, &Node)> = None;
    let mut claims: Vec<String> = Vec::new();
    let mut revisions: Vec<String> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    let mut keep =
        |index: usize, key: &Node, field: &str, note: &str, unmapped: &mut Vec<Unmapped>| {
            let lines = lines_of(yaml_text, entries, index);
            kept.push(lines.clone());
            unmapped.push(Unmapped {
                location: at(key),
                field: field.to_string(),
                text: lines,
                note: note.to_string(),
            });
        };
    for (index, (key, value)) in entries.iter().enumerate() {
        let field = key.as_str().unwrap_or("?");
        match field {
            "name" => match value.as_str() {
                Some(t) if !t.trim().is_empty() => title = Some(t.trim().to_string()),
                _ => errors.push(
                    Diagnostic::error("import-format", "`name` must be a text")
                        .at(at(value))
                        .help("e.g. `name: Access Control Policy`"),
                ),
            },
            "acronym" | "id" => match value.as_str() {
                Some(t) if !t.trim().is_empty() => {
                    let slot = if field == "acronym" {
                        &mut acronym
                    } else {
                        &mut comply_id
                    };
                    *slot = Some((t.trim().to_string(), key));
                }
                _ => errors.push(
                    Diagnostic::error("import-format", format!("`{field}` must be a text"))
                        .at(at(value)),
                ),
            },
            "satisfies" => read_satisfies(value, standards, &source, offset, errors, &mut claims),
            "majorRevisions" => match &value.value {
                Value::Seq(items) => {
                    for item in items {
                        let Value::Map(fields) = &item.value else {
                            errors.push(
                                Diagnostic::error(
                                    "import-format",
                                    format!(
                                        "a revision must be a mapping with `date` and `comment`, found {}",
                                        item.kind()
                                    ),
                                )
                                .at(at(item)),
                            );
                            continue;
                        };
                        let (mut date, mut comment) = (String::new(), String::new());
                        for (k, v) in fields {
                            match (k.as_str(), v.as_str()) {
                                (Some("date"), Some(t)) => date = t.trim().to_string(),
                                (Some("comment"), Some(t)) => comment = t.trim().to_string(),
                                (other, _) => {
                                    let location = at(k);
                                    unmapped.push(Unmapped {
                                        text: location.line_text.trim().to_string(),
                                        location,
                                        field: format!(
                                            "majorRevisions.{}",
                                            other.unwrap_or("?")
                                        ),
                                        note: "not a revision field (date, comment); left out"
                                            .into(),
                                    });
                                }
                            }
                        }
                        revisions.push(format!("{date}: {comment}"));
                    }
                }
                Value::Null => {}
                _ => errors.push(
                    Diagnostic::error(
                        "import-format",
                        format!("`majorRevisions` must be a list, found {}", value.kind()),
                    )
                    .at(at(value))
                    .help("e.g. `majorRevisions: [{date: Jun 1 2024, comment: Initial document}]`"),
                ),
            },
            "cron" => keep(
                index,
                key,
                field,
                "comply's ticket schedule for this procedure; smsbook schedules nothing (kept as a comment)",
                unmapped,
            ),
            "live" => keep(
                index,
                key,
                field,
                "comply counts only `live` documents; in smsbook a draft counts as partial until it is approved (kept as a comment)",
                unmapped,
            ),
            _ => keep(
                index,
                key,
                field,
                "no counterpart in smsbook (kept as a comment)",
                unmapped,
            ),
        }
    }
    if errors.len() > before {
        return None;
    }
    // The id: acronym (policies, narratives) or id (procedures), else the file name.
    let (preferred, other) = match kind {
        Kind::Procedure => (comply_id, acronym),
        _ => (acronym, comply_id),
    };
    let (source_id, unused) = match (preferred, other) {
        (Some(p), o) => (p.0, o),
        (None, Some(o)) => (o.0, None),
        (None, None) => (stem.clone(), None),
    };
    if let Some((text, key)) = unused {
        let location = at(key);
        unmapped.push(Unmapped {
            text: location.line_text.trim().to_string(),
            field: key.as_str().unwrap_or("?").to_string(),
            location,
            note: format!("a second identifier `{text}`; the document's id comes from the other one (kept as a comment)"),
        });
        kept.push(format!("{}: {text}", key.as_str().unwrap_or("?")));
    }
    let mut id = normalise_id(&source_id);
    if id.is_empty() {
        id = format!(
            "{}-{}",
            crate::scaffold::default_prefix(kind.doc_type()),
            normalise_id(&stem)
        );
    }
    let unique = unique_id(&id, ids);
    let id_note = if unique != id {
        Some(format!(
            "`{source_id}` is taken by another document: id `{unique}`"
        ))
    } else if unique != source_id {
        Some(format!("`{source_id}` normalised to `{unique}`"))
    } else {
        None
    };
    let title = title.unwrap_or_else(|| stem.clone());
    let to = format!("src/{}/{}", kind.folder(), file_name(&file.path));
    let mut fm = format!(
        "---\n# Imported from comply {} ({}) by `smsbook import comply`.\nid: {unique}\ntitle: {}\ntype: {}\nstatus: draft\n",
        file.path,
        kind.singular(),
        quote(&title),
        kind.doc_type().as_str(),
    );
    if !revisions.is_empty() {
        fm.push_str(&format!("version: \"{}.0\"\n", revisions.len()));
    }
    if !claims.is_empty() {
        fm.push_str("satisfies:\n");
        for claim in &claims {
            fm.push_str(&format!("  - {claim}\n"));
        }
    }
    if !revisions.is_empty() {
        fm.push_str("# comply majorRevisions (the version above counts them):\n");
        for revision in &revisions {
            fm.push_str(&format!("#   {}\n", revision.replace('\n', " ")));
        }
    }
    if !kept.is_empty() {
        fm.push_str("# comply fields without a counterpart in smsbook (see IMPORT-NOTES.md):\n");
        for lines in &kept {
            for line in lines.lines() {
                fm.push_str(&format!("# {line}\n"));
            }
        }
    }
    fm.push_str("---\n");
    fm.push_str(body);
    Some((
        Converted {
            kind,
            from: file.path.clone(),
            to,
            id: unique,
            title,
            claims: claims.len(),
            id_note,
        },
        fm,
    ))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `satisfies: {TSC: [CC6.1, CC6.2]}` → `tsc:CC6.1`, `tsc:CC6.2`; unknown standards and
/// controls are errors at their place.
fn read_satisfies(
    value: &Node,
    standards: &[Standard],
    source: &SourceText,
    offset: usize,
    errors: &mut Vec<Diagnostic>,
    claims: &mut Vec<String>,
) {
    let at = |node: &Node| source.location(node.line + offset, node.column);
    let entries = match &value.value {
        Value::Map(entries) => entries,
        Value::Null => return,
        _ => {
            errors.push(
                Diagnostic::error(
                    "import-format",
                    format!(
                        "`satisfies` must map a standard to its controls, found {}",
                        value.kind()
                    ),
                )
                .at(at(value))
                .help("e.g. `satisfies: {TSC: [CC6.1, CC6.2]}`"),
            );
            return;
        }
    };
    for (key, controls) in entries {
        let name = key.as_str().unwrap_or("").trim();
        let Some(standard) = standards
            .iter()
            .find(|s| s.name == name || s.prefix == prefix_of(name))
        else {
            let names: Vec<&str> = standards.iter().map(|s| s.name.as_str()).collect();
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            errors.push(
                Diagnostic::error(
                    "import-unknown-standard",
                    format!(
                        "`satisfies` names the standard `{name}`, which no standards file defines"
                    ),
                )
                .at(at(key))
                .help(format!(
                    "{hint}standards in standards/: {}",
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                )),
            );
            continue;
        };
        let items: Vec<&Node> = match &controls.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Scalar { .. } => vec![controls],
            Value::Null => Vec::new(),
            Value::Map(_) => {
                errors.push(
                    Diagnostic::error(
                        "import-format",
                        format!("the controls of `{name}` must be a list"),
                    )
                    .at(at(controls))
                    .help("e.g. `TSC: [CC6.1, CC6.2]`"),
                );
                continue;
            }
        };
        for item in items {
            let Some(number) = item.as_str().map(str::trim) else {
                errors.push(
                    Diagnostic::error("import-format", "a control must be a number such as CC6.1")
                        .at(at(item)),
                );
                continue;
            };
            if standard.controls.iter().any(|(n, _, _)| n == number)
                || standard.families.iter().any(|f| f == number)
            {
                let claim = format!("{}:{number}", standard.prefix);
                if !claims.contains(&claim) {
                    claims.push(claim);
                }
            } else {
                let hint =
                    did_you_mean(number, standard.controls.iter().map(|(n, _, _)| n.as_str()))
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                errors.push(
                    Diagnostic::error(
                        "import-unknown-control",
                        format!(
                            "control `{number}` is not in the standard `{}` ({})",
                            standard.name, standard.from
                        ),
                    )
                    .at(at(item))
                    .help(format!(
                        "{hint}fix the number or add the control to the standards file"
                    )),
                );
            }
        }
    }
}

fn catalogue_yaml(standard: &Standard) -> String {
    let mut text = format!(
        "# Imported from comply {} by `smsbook import comply`.\n# Titles are the controls' names, summaries their descriptions; each family is a parent clause.\nid: {}\nprefix: {}\ntitle: {}\ndescription: {}\nclauses:\n",
        standard.from,
        quote(&standard.prefix),
        quote(&standard.prefix),
        quote(&standard.name),
        quote(&format!("Controls of {} imported from a comply repository.", standard.name)),
    );
    let mut written: BTreeSet<&str> = BTreeSet::new();
    for (number, title, description) in &standard.controls {
        if let Some(family) = standard
            .families
            .iter()
            .find(|f| number.starts_with(&format!("{f}.")))
        {
            if written.insert(family) {
                text.push_str(&format!(
                    "  - number: {}\n    title: {}\n    summary: {}\n",
                    quote(family),
                    quote(family),
                    quote(&format!(
                        "The {family} family of controls of {}.",
                        standard.name
                    ))
                ));
            }
        }
        text.push_str(&format!(
            "  - number: {}\n    title: {}\n",
            quote(number),
            quote(title)
        ));
        if !description.trim().is_empty() {
            text.push_str(&format!("    summary: {}\n", quote(description.trim())));
        }
    }
    text
}

fn book_toml(
    title: Option<&str>,
    organization: Option<&str>,
    standards: &[ImportedStandard],
) -> String {
    let mut text = format!(
        "# Imported from a comply repository by `smsbook import comply`; see IMPORT-NOTES.md.\n[book]\ntitle = {}\n",
        quote(title.unwrap_or("Compliance Manual"))
    );
    if let Some(org) = organization {
        text.push_str(&format!("organization = {}\n", quote(org)));
    }
    text.push_str("language = \"en\"\nsrc = \"src\"\n\n[build]\nbuild-dir = \"book\"\n\n");
    text.push_str("# The standards imported from comply's standards/ folder, each a catalogue of its own\n# (catalogues/); the first is the primary standard. Add built-in ones here too, e.g.\n# \"iso27001:2022\", and claim their clauses as `iso27001:A.5.15`.\n[sms]\n");
    let list = |f: &dyn Fn(&ImportedStandard) -> String| {
        standards.iter().map(f).collect::<Vec<_>>().join(", ")
    };
    if standards.is_empty() {
        text.push_str(&format!(
            "standards = [{}]\n",
            quote(crate::config::DEFAULT_STANDARD)
        ));
    } else {
        text.push_str(&format!("standards = [{}]\n", list(&|s| quote(&s.prefix))));
        text.push_str(&format!("catalogues = [{}]\n", list(&|s| quote(&s.to))));
    }
    text.push_str("record-max-age-days = 365\n");
    text
}

fn summary_md(documents: &[Converted]) -> String {
    let mut text = String::from("# Summary\n");
    for kind in [Kind::Policy, Kind::Procedure, Kind::Narrative] {
        let of_kind: Vec<&Converted> = documents.iter().filter(|d| d.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        text.push_str(&format!(
            "\n# {}\n\n",
            crate::render::capitalise(kind.folder())
        ));
        for doc in of_kind {
            let link = doc.to.strip_prefix("src/").unwrap_or(&doc.to);
            let title = doc.title.replace(['[', ']'], "");
            text.push_str(&format!("- [{title}]({link})\n"));
        }
    }
    text
}

fn notes_md(
    standards: &[ImportedStandard],
    documents: &[Converted],
    unmapped: &[Unmapped],
    skipped: &[String],
    relative: &std::collections::HashMap<&str, &str>,
) -> String {
    let mut text = String::from(
        "# Import notes\n\nThis repository was imported from a strongdm/comply repository by `smsbook import comply`.\nThis file is not part of the manual (it is outside `src/`); delete it once you have dealt with it.\n\n## What was converted\n\n",
    );
    for s in standards {
        text.push_str(&format!(
            "- standard `{}` ({}) → `{}`: prefix `{}`, {} controls, {} families as parent clauses\n",
            s.name, s.from, s.to, s.prefix, s.controls, s.families
        ));
    }
    for d in documents {
        text.push_str(&format!(
            "- {} `{}` → `{}`: id `{}`, type `{}`, {}, status `draft`{}\n",
            d.kind.singular(),
            d.from,
            d.to,
            d.id,
            d.kind.doc_type().as_str(),
            claims(d.claims),
            d.id_note
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ));
    }
    text.push_str("\nEvery document is a draft: comply records no approval. Approve each one (`status: approved`,\n`approved_by`, `approved_on`, `review_by`) once it has been reviewed. `version` counts comply's\n`majorRevisions`; their dates and comments are kept as comments in the front matter.\n\n## Fields without a counterpart\n\n");
    if unmapped.is_empty() {
        text.push_str("None.\n");
    }
    for u in unmapped {
        text.push_str(&format!(
            "- `{}:{}:{}` `{}`: {}\n\n  ```yaml\n{}\n  ```\n",
            relative
                .get(u.location.file.as_str())
                .copied()
                .unwrap_or(&u.location.file),
            u.location.line,
            u.location.column,
            u.field,
            u.note,
            u.text
                .lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if !skipped.is_empty() {
        text.push_str("\n## Not imported\n\n");
        for s in skipped {
            text.push_str(&format!("- `{s}`\n"));
        }
    }
    text
}

fn read_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "import-read",
        format!("cannot read `{}`: {e}", path.display()),
    )
    .help("check the file's permissions and that it is UTF-8 text")
}

/// Reads a comply repository: `comply.yml`, `standards/*.yml`/`*.yaml` and the `*.md` files of
/// `policies/`, `procedures/` and `narratives/` (a `README.md` there is skipped, like
/// everything else in the repository, and listed as not imported).
pub fn read_comply(dir: &Path) -> Result<ComplyRepo, ImportError> {
    if !dir.is_dir() {
        return Err(ImportError::usage(
            Diagnostic::error(
                "missing-dir",
                format!("`{}` is not a folder", dir.display()),
            )
            .help(
                "give the folder of the comply repository (the one with standards/ and policies/)",
            ),
        ));
    }
    let known = ["standards", "policies", "procedures", "narratives"];
    if !known.iter().any(|k| dir.join(k).is_dir()) {
        return Err(ImportError::usage(
            Diagnostic::error(
                "missing-dir",
                format!(
                    "`{}` is not a comply repository: it has none of {}",
                    dir.display(),
                    known.map(|k| format!("{k}/")).join(", ")
                ),
            )
            .help(
                "give the folder of the comply repository (the one with standards/ and policies/)",
            ),
        ));
    }
    let mut repo = ComplyRepo::default();
    let mut errors = Vec::new();
    let read = |relative: String, errors: &mut Vec<Diagnostic>| -> Option<ComplyFile> {
        let path = dir.join(&relative);
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Some(ComplyFile {
                    shown: path.display().to_string(),
                    path: relative,
                    text,
                }),
                Err(_) => {
                    errors.push(
                        Diagnostic::error(
                            "not-utf8",
                            format!("`{}` is not UTF-8 text", path.display()),
                        )
                        .help("save the file as UTF-8"),
                    );
                    None
                }
            },
            Err(e) => {
                errors.push(read_error(&path, e));
                None
            }
        }
    };
    let mut top: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(e) => return Err(ImportError::usage(read_error(dir, e))),
    };
    top.sort();
    for name in top {
        let path = dir.join(&name);
        match name.as_str() {
            "comply.yml" | "comply.yaml" => repo.config = read(name, &mut errors),
            folder if known.contains(&folder) && path.is_dir() => {
                let mut names: Vec<String> = std::fs::read_dir(&path)
                    .map_err(|e| ImportError::usage(read_error(&path, e)))?
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect();
                names.sort();
                for file in names {
                    let relative = format!("{folder}/{file}");
                    let is_file = path.join(&file).is_file();
                    let ext = Path::new(&file)
                        .extension()
                        .map(|e| e.to_string_lossy().to_lowercase());
                    let wanted = is_file
                        && match folder {
                            "standards" => matches!(ext.as_deref(), Some("yml" | "yaml")),
                            _ => {
                                ext.as_deref() == Some("md")
                                    && !file.eq_ignore_ascii_case("README.md")
                            }
                        };
                    if !wanted {
                        repo.skipped.push(relative);
                        continue;
                    }
                    let Some(f) = read(relative, &mut errors) else {
                        continue;
                    };
                    match folder {
                        "standards" => repo.standards.push(f),
                        "policies" => repo.documents.push((Kind::Policy, f)),
                        "procedures" => repo.documents.push((Kind::Procedure, f)),
                        _ => repo.documents.push((Kind::Narrative, f)),
                    }
                }
            }
            _ => repo.skipped.push(if path.is_dir() {
                format!("{name}/")
            } else {
                name
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ImportError {
            diagnostics: errors,
            exit_code: 1,
        });
    }
    Ok(repo)
}

fn write_error(what: String, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("write", format!("{what}: {e}"))
        .help("check that the folder's parent exists and is writable")
}

/// Checks that `into` does not exist or is an empty folder.
pub fn check_target(into: &Path) -> Result<(), Diagnostic> {
    if !into.exists() {
        return Ok(());
    }
    if !into.is_dir() {
        return Err(Diagnostic::error(
            "exists",
            format!("`{}` exists and is not a folder", into.display()),
        )
        .help("import into a new folder: --into path/that/does/not/exist"));
    }
    let mut names: Vec<String> = std::fs::read_dir(into)
        .map_err(|e| write_error(format!("cannot read `{}`", into.display()), e))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if names.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::error(
        "exists",
        format!(
            "`{}` is not empty (it has {})",
            into.display(),
            names.join(", ")
        ),
    )
    .help("import into a new or empty folder; nothing was written"))
}

/// Writes the files into a temporary folder next to `into`, then renames it to `into`
/// (which must not exist or be empty): nothing is left half-written.
pub fn write_new_repository(into: &Path, files: &[(PathBuf, String)]) -> Result<(), Diagnostic> {
    check_target(into)?;
    let name = into
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    let parent = match into.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| write_error(format!("cannot create `{}`", parent.display()), e))?;
    let temp = parent.join(format!(".{name}.smsbook-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    let result = (|| {
        for (path, text) in files {
            let target = temp.join(path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| write_error(format!("cannot create `{}`", dir.display()), e))?;
            }
            std::fs::write(&target, text)
                .map_err(|e| write_error(format!("cannot write `{}`", target.display()), e))?;
        }
        if into.exists() {
            std::fs::remove_dir(into)
                .map_err(|e| write_error(format!("cannot replace `{}`", into.display()), e))?;
        }
        std::fs::rename(&temp, into).map_err(|e| {
            write_error(
                format!("cannot move the import into `{}`", into.display()),
                e,
            )
        })
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result
}

/// The summary printed after a successful import.
pub fn summary_text(plan: &Plan, dir: &Path, into: &Path) -> String {
    let mut text = format!(
        "imported the comply repository {} into {}\n",
        dir.display(),
        into.display()
    );
    for s in &plan.standards {
        text.push_str(&format!(
            "  standard   {} → {} (prefix `{}`, {} controls, {} families)\n",
            s.from, s.to, s.prefix, s.controls, s.families
        ));
    }
    for d in &plan.documents {
        text.push_str(&format!(
            "  {:<10} {} → {} ({}, {}){}\n",
            d.kind.singular(),
            d.from,
            d.to,
            d.id,
            claims(d.claims),
            d.id_note
                .as_ref()
                .map(|n| format!("; {n}"))
                .unwrap_or_default()
        ));
    }
    let count = |k| plan.documents.iter().filter(|d| d.kind == k).count();
    text.push_str(&format!(
        "{} standards, {} policies, {} procedures, {} narratives (as guides); every document is a draft\n",
        plan.standards.len(),
        count(Kind::Policy),
        count(Kind::Procedure),
        count(Kind::Narrative)
    ));
    if plan.unmapped.is_empty() {
        text.push_str("every field had a counterpart\n");
    } else {
        text.push_str(&format!(
            "{} fields without a counterpart (kept in IMPORT-NOTES.md; document fields also as comments in the front matter):\n",
            plan.unmapped.len()
        ));
        for u in &plan.unmapped {
            text.push_str(&format!(
                "  {}:{}:{}: `{}`: {}\n",
                u.location.file, u.location.line, u.location.column, u.field, u.note
            ));
        }
    }
    if !plan.skipped.is_empty() {
        text.push_str(&format!("not imported: {}\n", plan.skipped.join(", ")));
    }
    text.push_str(&format!(
        "next: smsbook check {0}   then   smsbook build {0}",
        into.display()
    ));
    text
}

/// `smsbook import comply DIR --into NEW`: reads, converts, writes; returns the summary.
pub fn import_comply(dir: &Path, into: &Path) -> Result<String, ImportError> {
    check_target(into).map_err(ImportError::usage)?;
    let repo = read_comply(dir)?;
    let plan = convert(&repo).map_err(|diagnostics| ImportError {
        diagnostics,
        exit_code: 1,
    })?;
    write_new_repository(into, &plan.files).map_err(|d| ImportError {
        diagnostics: vec![d],
        exit_code: 1,
    })?;
    Ok(summary_text(&plan, dir, into))
}

/// "1 claim", "2 claims".
fn claims(n: usize) -> String {
    if n == 1 {
        "1 claim".into()
    } else {
        format!("{n} claims")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Catalogs};
    use crate::source::parse_document;

    fn file(path: &str, text: &str) -> ComplyFile {
        ComplyFile {
            path: path.into(),
            shown: format!("c/{path}"),
            text: text.into(),
        }
    }

    const STANDARD: &str = "name: Trust Criteria\nCC1.1:\n  family: CC1\n  name: \"Ethics \\\"first\\\"\"\n  description: |\n    Two\n    lines.\nX9:\n  family: CC1\n  name: Odd one\n";

    fn repo(documents: Vec<(Kind, ComplyFile)>) -> ComplyRepo {
        ComplyRepo {
            config: None,
            standards: vec![file("standards/tc.yml", STANDARD)],
            documents,
            skipped: vec![],
        }
    }

    fn text_of<'p>(plan: &'p Plan, path: &str) -> &'p str {
        &plan
            .files
            .iter()
            .find(|(p, _)| p == Path::new(path))
            .unwrap_or_else(|| panic!("{path} planned"))
            .1
    }

    #[test]
    fn prefixes_and_ids_are_normalised_and_unique() {
        assert_eq!(prefix_of("TSC"), "tsc");
        assert_eq!(prefix_of(" Trust Services / 2017 "), "trust-services-2017");
        assert_eq!(normalise_id("offboard"), "OFFBOARD");
        assert_eq!(normalise_id("a b/c"), "A-B-C");
        let mut taken = BTreeSet::new();
        assert_eq!(unique_id("ACP", &mut taken), "ACP");
        assert_eq!(unique_id("ACP", &mut taken), "ACP-2");
        assert_eq!(unique_id("ACP", &mut taken), "ACP-3");
        assert_eq!(quote("a \"b\"\\\n"), r#""a \"b\"\\\n""#);
    }

    #[test]
    fn the_comply_split_keeps_the_body_exactly() {
        assert_eq!(
            split_comply("name: A\n---\n\n# T\n--- x\n---\n"),
            Some(("name: A\n", 1, "\n# T\n--- x\n---\n"))
        );
        assert_eq!(
            split_comply("---\nname: A\n---\nbody"),
            Some(("name: A\n", 2, "body"))
        );
        assert_eq!(split_comply("name: A\n"), None);
    }

    #[test]
    fn a_standard_becomes_a_valid_catalogue_with_families_as_parents() {
        let plan = convert(&repo(vec![])).unwrap();
        let yaml = text_of(&plan, "catalogues/trust-criteria.yaml");
        let catalog = Catalog::from_yaml("x.yaml", yaml).unwrap();
        assert_eq!(
            (catalog.id.as_str(), catalog.prefix.as_str()),
            ("trust-criteria", "trust-criteria")
        );
        let numbers: Vec<&str> = catalog.clauses.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers, ["CC1", "CC1.1", "X9"]);
        let cc11 = &catalog.clauses[1];
        assert_eq!(cc11.title, "Ethics \"first\"");
        assert_eq!(cc11.summary, "Two\nlines.");
        assert_eq!(cc11.parent, Some(0));
        // X9's family is not a prefix of its number: reported, not silently dropped.
        assert!(plan
            .unmapped
            .iter()
            .any(|u| u.field == "X9.family" && u.location.line == 9));
        assert!(text_of(&plan, "book.toml").contains(
            "standards = [\"trust-criteria\"]\ncatalogues = [\"catalogues/trust-criteria.yaml\"]"
        ));
    }

    #[test]
    fn a_document_gets_our_front_matter_and_parses() {
        let plan = convert(&repo(vec![
            (
                Kind::Policy,
                file(
                    "policies/ethics.md",
                    "name: Ethics Policy\nacronym: EP\nid: ethics\nsatisfies:\n  Trust Criteria: [CC1.1, CC1]\nmajorRevisions:\n  - date: Jan 1 2024\n    comment: First\n    author: Kim\nowner: Legal\n---\nBody *kept*.\n",
                ),
            ),
            (
                Kind::Narrative,
                file("narratives/ep.md", "name: Narrative\nacronym: ep\n---\nText\n"),
            ),
        ]))
        .unwrap();
        let text = text_of(&plan, "src/policies/ethics.md");
        assert!(text.ends_with("---\nBody *kept*.\n"), "{text}");
        assert!(
            text.contains("# owner: Legal\n") && text.contains("# id: ethics\n"),
            "{text}"
        );
        let (doc, errors) = parse_document("x.md", "x.md", text.as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        let meta = doc.meta.unwrap();
        assert_eq!(meta.id.value, "EP");
        assert_eq!(meta.title, "Ethics Policy");
        assert_eq!(meta.version.as_deref(), Some("1.0"));
        let claims: Vec<&str> = meta
            .satisfies
            .iter()
            .map(|c| c.clause.value.as_str())
            .collect();
        assert_eq!(claims, ["trust-criteria:CC1.1", "trust-criteria:CC1"]);
        let catalogs = Catalogs {
            list: vec![
                Catalog::from_yaml("x", text_of(&plan, "catalogues/trust-criteria.yaml")).unwrap(),
            ],
        };
        assert!(claims.iter().all(|c| catalogs.resolve(c).is_ok()));
        // The narrative's acronym EP is taken: it gets EP-2, and the reason is kept.
        let narrative = plan
            .documents
            .iter()
            .find(|d| d.kind == Kind::Narrative)
            .unwrap();
        assert_eq!(narrative.id, "EP-2");
        assert!(narrative.id_note.as_deref().unwrap().contains("taken"));
        let fields: Vec<&str> = plan.unmapped.iter().map(|u| u.field.as_str()).collect();
        assert!(
            fields.contains(&"owner")
                && fields.contains(&"id")
                && fields.contains(&"majorRevisions.author"),
            "{fields:?}"
        );
        let notes = text_of(&plan, "IMPORT-NOTES.md");
        assert!(
            notes.contains("- `policies/ethics.md:10:1` `owner`"),
            "{notes}"
        );
        assert!(text_of(&plan, "src/SUMMARY.md")
            .contains("# Narratives\n\n- [Narrative](narratives/ep.md)\n"));
    }

    #[test]
    fn errors_are_located_and_all_reported() {
        let errors = convert(&repo(vec![
            (
                Kind::Policy,
                file("policies/a.md", "name: A\nsatisfies:\n  TC: [CC1.1]\n---\n"),
            ),
            (
                Kind::Policy,
                file(
                    "policies/b.md",
                    "name: B\nsatisfies:\n  Trust Criteria: [CC1.2]\n---\n",
                ),
            ),
            (
                Kind::Procedure,
                file("procedures/c.md", "---\nname: [C\n---\n"),
            ),
            (Kind::Procedure, file("procedures/d.md", "name: D\n")),
        ]))
        .unwrap_err();
        let found: Vec<(&str, String, usize, usize)> = errors
            .iter()
            .map(|d| {
                let l = d.location.as_ref().unwrap();
                (d.code, l.file.clone(), l.line, l.column)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("import-unknown-standard", "c/policies/a.md".into(), 3, 3),
                ("import-unknown-control", "c/policies/b.md".into(), 3, 20),
                ("import-syntax", "c/procedures/c.md".into(), 3, 1),
                ("import-format", "c/procedures/d.md".into(), 1, 1),
            ]
        );
        assert_eq!(
            errors[1].help.as_deref(),
            Some("did you mean `CC1.1`? fix the number or add the control to the standards file")
        );
        let broken = ComplyRepo {
            standards: vec![file("standards/x.yml", "name: X\nA1: [\n")],
            ..ComplyRepo::default()
        };
        let errors = convert(&broken).unwrap_err();
        assert_eq!(errors[0].code, "import-syntax");
        assert_eq!(
            errors[0].location.as_ref().unwrap().file,
            "c/standards/x.yml"
        );
    }
}
