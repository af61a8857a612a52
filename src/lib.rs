//! smsbook: turns a Service Management System kept as Markdown with YAML front matter into
//! a cross-linked manual that traces every document to the clauses it satisfies.
//!
//! Data flows one way: [`config`] → [`source`] → [`manual`] → [`analysis`] → [`report`].
//! [`load`] runs the whole pipeline up to the analysis.

pub mod analysis;
pub mod catalog;
pub mod config;
pub mod diagnostics;
pub mod manual;
pub mod render;
pub mod report;
pub mod source;
pub mod yaml;

use analysis::{Analysis, Rules};
use catalog::{Catalog, Catalogs, ClauseKey};
use chrono::NaiveDate;
use config::Config;
use diagnostics::Diagnostic;
use manual::Manual;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reviews due within this many days are noted.
pub const REVIEW_WARNING_DAYS: i64 = 30;

/// A loaded and analysed SMS repository.
#[derive(Debug)]
pub struct Project {
    /// The configuration.
    pub config: Config,
    /// The catalogues in use, primary first.
    pub catalogs: Catalogs,
    /// The rules the analysis ran with (today, record age, exclusions).
    pub rules: Rules,
    /// The indexed documents.
    pub manual: Manual,
    /// Coverage and findings.
    pub analysis: Analysis,
    /// Every diagnostic: reading, linking and findings, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Project {
    /// Number of diagnostics of each severity: (errors, warnings, notes).
    pub fn severity_counts(&self) -> (usize, usize, usize) {
        let count = |s| self.diagnostics.iter().filter(|d| d.severity == s).count();
        (
            count(diagnostics::Severity::Error),
            count(diagnostics::Severity::Warning),
            count(diagnostics::Severity::Note),
        )
    }
}

/// Joins `root` and `path` for display: `sample-sms`, not `./sample-sms`.
fn shown(root: &Path, path: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}

/// Loads the catalogues the configuration asks for: built-in ones and the user's files.
pub fn load_catalogs(config: &Config) -> Result<Catalogs, Vec<Diagnostic>> {
    let mut available = Catalog::built_in();
    let mut errors = Vec::new();
    let mut user = Vec::new();
    for file in &config.catalogues {
        let path = shown(&config.root, file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                errors.push(
                    Diagnostic::error("config", format!("cannot read catalogue `{}`: {e}", path.display()))
                        .help("check the path under `catalogues` in book.toml (relative to book.toml's folder)"),
                );
                continue;
            }
        };
        match Catalog::from_yaml(&path.display().to_string(), &text) {
            Ok(catalog) => {
                user.push(catalog.id.clone());
                available.push(catalog);
            }
            Err(e) => errors.extend(e),
        }
    }
    let mut wanted: Vec<String> = config.standards.clone();
    for id in user {
        if !wanted.iter().any(|w| w == &id) {
            wanted.push(id);
        }
    }
    let mut list: Vec<Catalog> = Vec::new();
    for id in &wanted {
        match available.iter().find(|c| &c.id == id || &c.prefix == id) {
            Some(c) if list.iter().any(|l| l.prefix == c.prefix) => errors.push(
                Diagnostic::error(
                    "config",
                    format!(
                        "standard `{id}` is listed twice (or two catalogues share the prefix `{}`)",
                        c.prefix
                    ),
                )
                .help("list each standard once; give user catalogues a prefix of their own"),
            ),
            Some(c) => list.push(c.clone()),
            None => errors.push(
                Diagnostic::error("config", format!("unknown standard `{id}` in book.toml")).help(
                    format!(
                    "available: {}; add your own with `catalogues = [\"file.yaml\"]` under [sms]",
                    available
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                ),
            ),
        }
    }
    if errors.is_empty() {
        Ok(Catalogs { list })
    } else {
        Err(errors)
    }
}

/// Resolves the exclusions of the configuration against the catalogues.
pub fn resolve_exclusions(
    config: &Config,
    catalogs: &Catalogs,
) -> Result<HashMap<ClauseKey, String>, Vec<Diagnostic>> {
    let mut exclusions = HashMap::new();
    let mut errors = Vec::new();
    for exclusion in &config.exclusions {
        let mut error = |d: Diagnostic| {
            errors.push(match &exclusion.location {
                Some(location) => d.at(location.clone()),
                None => d,
            })
        };
        match catalogs.resolve(&exclusion.clause) {
            Ok(key) => {
                if exclusions
                    .insert(key, exclusion.justification.clone())
                    .is_some()
                {
                    error(
                        Diagnostic::error(
                            "config",
                            format!("clause `{}` is excluded twice", exclusion.clause),
                        )
                        .help("keep one `[[sms.exclude]]` entry per clause"),
                    );
                }
            }
            Err(e) => error(
                Diagnostic::error("config", format!("excluded clause: {}", e.message)).help(e.help),
            ),
        }
    }
    if errors.is_empty() {
        Ok(exclusions)
    } else {
        Err(errors)
    }
}

/// Runs the pipeline on the SMS repository at `root`: configuration, catalogues, source,
/// manual, analysis. `Err` holds configuration problems (nothing could be checked); problems
/// in the documents are in `Project::diagnostics`.
pub fn load(root: &Path, today: NaiveDate) -> Result<Project, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let catalogs = load_catalogs(&config)?;
    let exclusions = resolve_exclusions(&config, &catalogs)?;
    let source_dir = shown(&config.root, &config.src);
    let skip = [shown(&config.root, &config.build_dir)];
    let source = source::read_source(&source_dir, &skip)?;
    let mut diagnostics = source.diagnostics.clone();
    let (manual, manual_diagnostics) = Manual::build(source, &catalogs);
    diagnostics.extend(manual_diagnostics);
    let rules = Rules {
        today,
        record_max_age_days: config.record_max_age_days,
        exclusions,
        review_warning_days: REVIEW_WARNING_DAYS,
    };
    let analysis = analysis::analyse(&manual, &catalogs, &rules);
    diagnostics.extend(analysis.findings.iter().cloned());
    // Located diagnostics in file order first, then clause findings in catalogue order.
    diagnostics.sort_by(|a, b| match (&a.location, &b.location) {
        (Some(x), Some(y)) => (&x.file, x.line, x.column).cmp(&(&y.file, y.line, y.column)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Ok(Project {
        config,
        catalogs,
        rules,
        manual,
        analysis,
        diagnostics,
    })
}
