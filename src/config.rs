//! `book.toml`: the manual's configuration, read once at the start.

use crate::diagnostics::{Diagnostic, SourceText};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The name of the configuration file at the root of an SMS repository.
pub const CONFIG_FILE: &str = "book.toml";

/// The manual's configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The root of the SMS repository (the folder of `book.toml`).
    pub root: PathBuf,
    /// `book.toml` itself, when there is one.
    pub file: Option<PathBuf>,
    /// The manual's title.
    pub title: String,
    /// The organisation whose SMS this is.
    pub organization: Option<String>,
    /// The manual's language (BCP 47, e.g. `en` or `en-GB`).
    pub language: String,
    /// The source folder, relative to the root (default `src`).
    pub src: PathBuf,
    /// The output folder, relative to the root (default `book`).
    pub build_dir: PathBuf,
    /// The standards in use, primary first (ids such as `iso20000-1:2018`).
    pub standards: Vec<String>,
    /// User-supplied catalogue files, relative to the root.
    pub catalogues: Vec<PathBuf>,
    /// How many days a record stays fresh.
    pub record_max_age_days: u32,
    /// Clauses declared not applicable.
    pub exclusions: Vec<Exclusion>,
    /// A folder whose files override the default theme's, relative to the root.
    pub theme: Option<PathBuf>,
    /// Clean raw HTML out of document bodies (for manuals built from untrusted contributions).
    pub sanitize: bool,
    /// A git revision (tag, commit) the site compares the SMS with: a "Changes since" page
    /// and markers on changed clauses and documents.
    pub compare_with: Option<String>,
    /// Declared reading-list audiences: name → title, in name order. When any are declared,
    /// documents may only use these.
    pub audiences: Vec<(String, String)>,
    /// How many days back the "What's new" page looks.
    pub whats_new_days: u32,
    /// Id prefixes by document type for `smsbook new` (`procedure = "SOP"`).
    pub id_prefixes: Vec<(crate::source::frontmatter::DocType, String)>,
    /// Statement of Applicability entries for ISO/IEC 27001 Annex A controls, by control.
    pub soa: Vec<SoaEntry>,
    /// Mappings between standards (`[mappings]`).
    pub mappings: MappingSettings,
}

/// `[mappings]`: topics shared by several standards, and where evidence may cross them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingSettings {
    /// Use the built-in Annex SL topics (default true).
    pub built_in: bool,
    /// Which standards count evidence through mappings (default none).
    pub indirect: IndirectEvidence,
    /// The user's own topics (`[[mappings.topic]]`).
    pub topics: Vec<UserTopic>,
}

impl Default for MappingSettings {
    fn default() -> Self {
        MappingSettings {
            built_in: true,
            indirect: IndirectEvidence::All(false),
            topics: Vec::new(),
        }
    }
}

/// `indirect-evidence`: `true`/`false` for every standard, or a list of standards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndirectEvidence {
    /// Every standard (true) or none (false).
    All(bool),
    /// The standards named (id or prefix), each with where it is written.
    Standards(Vec<(String, Option<crate::diagnostics::Location>)>),
}

/// A user-defined topic: clauses of several standards that ask for the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTopic {
    /// Its id (default: a slug of the title).
    pub id: Option<String>,
    /// Its name.
    pub title: String,
    /// Clause references as written, each with where it is written.
    pub clauses: Vec<(String, Option<crate::diagnostics::Location>)>,
    /// Where the topic's title is written.
    pub location: Option<crate::diagnostics::Location>,
}

/// What `book.toml` says of one Annex A control for the Statement of Applicability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaEntry {
    /// The control number, e.g. `A.5.15`.
    pub control: String,
    /// Whether the control applies.
    pub applicable: bool,
    /// Why it is included (applicable) or excluded (not applicable).
    pub justification: Option<String>,
    /// Where the entry is written.
    pub location: Option<crate::diagnostics::Location>,
}

/// A clause declared not applicable, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// The clause reference as written (`8.3.4.2` or `prefix:number`).
    pub clause: String,
    /// Why the clause does not apply.
    pub justification: String,
    /// Where the clause reference is written in `book.toml`.
    pub location: Option<crate::diagnostics::Location>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    book: RawBook,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    sms: RawSms,
    #[serde(default)]
    output: RawOutput,
    #[serde(default)]
    audiences: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    portal: RawPortal,
    #[serde(default)]
    ids: std::collections::BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    soa: std::collections::BTreeMap<String, Spanned<RawSoaEntry>>,
    #[serde(default)]
    mappings: RawMappings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMappings {
    built_in: Option<bool>,
    indirect_evidence: Option<Spanned<RawIndirect>>,
    #[serde(default)]
    topic: Vec<RawTopic>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawIndirect {
    All(bool),
    Standards(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Option<String>,
    title: Spanned<String>,
    clauses: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSoaEntry {
    #[serde(default = "yes")]
    applicable: bool,
    justification: Option<String>,
    reason: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPortal {
    whats_new_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    #[serde(default)]
    html: RawHtml,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawHtml {
    theme: Option<PathBuf>,
    compare_with: Option<String>,
    #[serde(default)]
    sanitize: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    title: Option<String>,
    organization: Option<String>,
    language: Option<String>,
    src: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBuild {
    build_dir: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSms {
    standards: Option<Vec<String>>,
    #[serde(default)]
    catalogues: Vec<PathBuf>,
    record_max_age_days: Option<u32>,
    #[serde(default)]
    exclude: Vec<RawExclusion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclusion {
    clause: Spanned<String>,
    justification: Spanned<String>,
}

/// The default standard when `book.toml` names none.
pub const DEFAULT_STANDARD: &str = "iso20000-1:2018";

impl Config {
    /// Reads `ROOT/book.toml`, or uses the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let file = root.join(CONFIG_FILE);
        match std::fs::read_to_string(&file) {
            Ok(text) => Config::parse(root, &file, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if root.is_dir() {
                    Ok(Config::from_raw(root, None, RawConfig::default(), None))
                } else {
                    Err(vec![Diagnostic::error(
                        "missing-root",
                        format!("`{}` is not a folder", root.display()),
                    )
                    .help(
                        "pass the folder that holds book.toml (default: the current folder)",
                    )])
                }
            }
            Err(e) => Err(vec![Diagnostic::error(
                "config-read",
                format!("cannot read `{}`: {e}", file.display()),
            )
            .help("check the file's permissions and that it is UTF-8 text")]),
        }
    }

    /// Parses the text of `book.toml`. `file` names it in diagnostics.
    pub fn parse(root: &Path, file: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let shown = file.display().to_string();
        let source = SourceText::new(&shown, text);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let location = source.location_of_offset(e.span().map_or(0, |s| s.start));
            let message = e.message().trim().to_string();
            let help = config_help(&message);
            vec![
                Diagnostic::error("config", format!("invalid book.toml: {message}"))
                    .at(location)
                    .help(help),
            ]
        })?;
        let mut errors = Vec::new();
        for exclusion in &raw.sms.exclude {
            if exclusion.justification.get_ref().trim().is_empty() {
                errors.push(
                    Diagnostic::error(
                        "config",
                        format!(
                            "the exclusion of clause `{}` has an empty justification",
                            exclusion.clause.get_ref()
                        ),
                    )
                    .at(source.location_of_offset(exclusion.justification.span().start))
                    .help("say why the clause does not apply to this SMS; auditors read it"),
                );
            }
        }
        for (doc_type, prefix) in &raw.ids {
            let valid_prefix = !prefix.get_ref().is_empty()
                && prefix
                    .get_ref()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if crate::source::frontmatter::DocType::parse(doc_type).is_none() {
                errors.push(
                    Diagnostic::error(
                        "config",
                        format!("unknown document type `{doc_type}` under [ids]"),
                    )
                    .at(source.location_of_offset(prefix.span().start))
                    .help(format!(
                        "use one of: {}",
                        crate::source::frontmatter::DocType::KEYWORDS.join(", ")
                    )),
                );
            } else if !valid_prefix {
                errors.push(
                    Diagnostic::error(
                        "config",
                        format!(
                            "the id prefix `{}` must be letters, digits, `-` or `_`",
                            prefix.get_ref()
                        ),
                    )
                    .at(source.location_of_offset(prefix.span().start))
                    .help("e.g. procedure = \"SOP\""),
                );
            }
        }
        for (control, entry) in &raw.soa {
            let e = entry.get_ref();
            let text = if e.applicable {
                e.reason.as_ref().or(e.justification.as_ref())
            } else {
                e.justification.as_ref()
            };
            if !e.applicable && text.is_none_or(|t| t.trim().is_empty()) {
                errors.push(
                    Diagnostic::error("config", format!("control `{control}` is excluded from the Statement of Applicability without a justification"))
                        .at(source.location_of_offset(entry.span().start))
                        .help("add `justification = \"why the control does not apply\"`: certification auditors ask for it"),
                );
            }
        }
        if let Some(standards) = &raw.sms.standards {
            if standards.is_empty() {
                errors.push(
                    Diagnostic::error("config", "`sms.standards` is empty")
                        .at(source.location(1, 1))
                        .help(format!(
                            "name at least one standard, e.g. standards = [\"{DEFAULT_STANDARD}\"]"
                        )),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config::from_raw(
            root,
            Some(file.to_path_buf()),
            raw,
            Some(&source),
        ))
    }

    fn from_raw(
        root: &Path,
        file: Option<PathBuf>,
        raw: RawConfig,
        source: Option<&SourceText>,
    ) -> Config {
        let located =
            |span: std::ops::Range<usize>| source.map(|t| t.location_of_offset(span.start));
        let title = raw.book.title.unwrap_or_else(|| {
            root.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "Service Management Manual".into())
        });
        Config {
            root: root.to_path_buf(),
            file,
            title,
            organization: raw.book.organization,
            language: raw.book.language.unwrap_or_else(|| "en".into()),
            src: raw.book.src.unwrap_or_else(|| "src".into()),
            build_dir: raw.build.build_dir.unwrap_or_else(|| "book".into()),
            standards: raw
                .sms
                .standards
                .unwrap_or_else(|| vec![DEFAULT_STANDARD.to_string()]),
            catalogues: raw.sms.catalogues,
            record_max_age_days: raw.sms.record_max_age_days.unwrap_or(365),
            theme: raw.output.html.theme,
            sanitize: raw.output.html.sanitize,
            compare_with: raw.output.html.compare_with,
            audiences: raw.audiences.into_iter().collect(),
            whats_new_days: raw.portal.whats_new_days.unwrap_or(90),
            id_prefixes: raw
                .ids
                .into_iter()
                .filter_map(|(t, p)| {
                    Some((
                        crate::source::frontmatter::DocType::parse(&t)?,
                        p.into_inner(),
                    ))
                })
                .collect(),
            soa: raw
                .soa
                .into_iter()
                .map(|(control, entry)| {
                    let location = source.map(|s| s.location_of_offset(entry.span().start));
                    let e = entry.into_inner();
                    let justification = if e.applicable {
                        e.reason.or(e.justification)
                    } else {
                        e.justification
                    };
                    SoaEntry {
                        control,
                        applicable: e.applicable,
                        justification: justification
                            .map(|j| j.trim().to_string())
                            .filter(|j| !j.is_empty()),
                        location,
                    }
                })
                .collect(),
            mappings: MappingSettings {
                built_in: raw.mappings.built_in.unwrap_or(true),
                indirect: match raw.mappings.indirect_evidence {
                    None => IndirectEvidence::All(false),
                    Some(value) => {
                        let at = located(value.span());
                        match value.into_inner() {
                            RawIndirect::All(all) => IndirectEvidence::All(all),
                            RawIndirect::Standards(list) => IndirectEvidence::Standards(
                                list.into_iter().map(|s| (s, at.clone())).collect(),
                            ),
                        }
                    }
                },
                topics: raw
                    .mappings
                    .topic
                    .into_iter()
                    .map(|t| UserTopic {
                        id: t.id,
                        location: located(t.title.span()),
                        title: t.title.into_inner(),
                        clauses: t
                            .clauses
                            .into_iter()
                            .map(|c| (located(c.span()), c.into_inner()))
                            .map(|(at, c)| (c, at))
                            .collect(),
                    })
                    .collect(),
            },
            exclusions: raw
                .sms
                .exclude
                .into_iter()
                .map(|e| Exclusion {
                    location: source.map(|s| s.location_of_offset(e.clause.span().start)),
                    clause: e.clause.into_inner().trim().to_string(),
                    justification: e.justification.into_inner().trim().to_string(),
                })
                .collect(),
        }
    }

    /// The source folder as a path usable from the working folder.
    pub fn source_dir(&self) -> PathBuf {
        self.root.join(&self.src)
    }
}

/// A help line for the common mistakes in `book.toml`.
fn config_help(message: &str) -> String {
    if message.starts_with("unknown field") {
        if let Some(suggestion) = suggest_field(message) {
            return format!("did you mean `{suggestion}`?");
        }
        return "remove the key or fix its spelling (the README lists every key)".into();
    }
    if message.contains("missing field `justification`") {
        return "every exclusion needs `justification = \"why this clause does not apply\"`".into();
    }
    "see the README's book.toml reference".into()
}

/// From serde's "unknown field `x`, expected one of `a`, `b`" message, the closest field.
fn suggest_field(message: &str) -> Option<String> {
    let mut parts = message.split('`');
    let unknown = parts.nth(1)?;
    let expected: Vec<&str> = parts.skip(1).step_by(2).collect();
    crate::diagnostics::did_you_mean(unknown, expected).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("."), Path::new("book.toml"), text)
    }

    #[test]
    fn defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.src, PathBuf::from("src"));
        assert_eq!(c.build_dir, PathBuf::from("book"));
        assert_eq!(c.standards, [DEFAULT_STANDARD]);
        assert_eq!(c.record_max_age_days, 365);
    }

    #[test]
    fn full_config_with_exclusion() {
        let c = parse(
            "[book]\ntitle = \"T\"\nsrc = \"sms\"\n[sms]\nrecord-max-age-days = 90\n[[sms.exclude]]\nclause = \"8.3.4.2\"\njustification = \"none\"\n",
        )
        .unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.record_max_age_days, 90);
        assert_eq!(c.exclusions[0].clause, "8.3.4.2");
        let loc = c.exclusions[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (7, 10));
    }

    #[test]
    fn unknown_key_is_located_with_a_hint() {
        let errors = parse("[book]\ntitle = \"T\"\ntilte = \"x\"\n").unwrap_err();
        let loc = errors[0].location.as_ref().unwrap();
        assert_eq!(loc.line, 3);
        assert!(errors[0].message.contains("tilte"), "{:?}", errors[0]);
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn exclusion_without_justification_is_an_error() {
        let errors = parse("[[sms.exclude]]\nclause = \"8.3.4.2\"\n").unwrap_err();
        assert!(
            errors[0].message.contains("justification"),
            "{:?}",
            errors[0]
        );
        assert_eq!(errors[0].location.as_ref().unwrap().line, 1);
        let errors =
            parse("[[sms.exclude]]\nclause = \"8.3.4.2\"\njustification = \" \"\n").unwrap_err();
        assert_eq!(errors[0].location.as_ref().unwrap().line, 3);
    }
}
