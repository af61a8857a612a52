//! smsbook: turns a Service Management System kept as Markdown with YAML front matter into
//! a cross-linked manual that traces every document to the clauses it satisfies.
//!
//! Data flows one way: [`config`] → [`source`] → [`manual`] → [`analysis`] → [`report`].
//! [`load`] runs the whole pipeline up to the analysis.

// `Diagnostic` is the one error type; it is returned by value on cold paths only.
#![allow(clippy::result_large_err)]

pub mod analysis;
pub mod catalog;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod export;
pub mod glossary;
pub mod history;
pub mod import;
pub mod manual;
pub mod mapping;
pub mod output;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod soa;
pub mod source;
pub mod yaml;

use analysis::{Analysis, Rules};
use catalog::{Catalog, Catalogs, ClauseKey};
use chrono::NaiveDate;
use config::Config;
use diagnostics::Diagnostic;
use manual::Manual;
use rayon::prelude::*;
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
    /// The git history of the source folder, when it is in a git repository.
    pub history: Option<history::History>,
    /// The comparison with an earlier revision the site shows (`compare-with`), when asked for.
    pub comparison: Option<diff::Diff>,
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

/// Which revision of the SMS a build shows: the git commit and its date when the source is
/// in a git repository, else the build date (`SOURCE_DATE_EPOCH` when set, else `today`).
pub fn revision(source_dir: &Path, today: NaiveDate) -> String {
    revision_with(source_dir, today, None)
}

/// [`revision`], with whether the source folder differs from the last commit when that is
/// known already (from the history's `git status`).
fn revision_with(source_dir: &Path, today: NaiveDate, dirty: Option<bool>) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(source_dir)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if let Some(commit) = git(&["log", "-1", "--format=%h %cs"]).filter(|c| !c.is_empty()) {
        let (hash, date) = commit.split_once(' ').unwrap_or((&commit, ""));
        let dirty = dirty.unwrap_or_else(|| {
            git(&["status", "--porcelain", "--", "."]).is_some_and(|s| !s.is_empty())
        });
        let suffix = if dirty {
            ", with uncommitted changes"
        } else {
            ""
        };
        return format!("git commit {hash} of {date}{suffix}");
    }
    let date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|t| t.date_naive())
        .unwrap_or(today);
    format!("built {date}")
}

/// `smsbook diff`: compares the SMS at revision `from` with revision `to` (default: the
/// working tree, analysed as of `today`). Revisions are read from git objects and analysed as
/// of their commit's date; the working tree is never touched.
pub fn diff(
    root: &Path,
    from: &str,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<diff::Diff, Vec<Diagnostic>> {
    let old = diff::load_revision(root, from, None)?;
    let old_side = diff::Side {
        revision: from.to_string(),
        date: old.rules.today.to_string(),
    };
    let (new, revision) = match to {
        Some(rev) => (diff::load_revision(root, rev, None)?, rev.to_string()),
        None => (
            load_with(root, today, false)?,
            "the working tree".to_string(),
        ),
    };
    let new_side = diff::Side {
        revision,
        date: new.rules.today.to_string(),
    };
    Ok(diff::compare(&old, old_side, &new, new_side))
}

/// Compares a loaded project (the working tree) with `revision`, for the site's "Changes
/// since" page and markers.
pub fn attach_comparison(project: &mut Project, revision: &str) -> Result<(), Vec<Diagnostic>> {
    let old = diff::load_revision(&project.config.root, revision, None)?;
    let old_side = diff::Side {
        revision: revision.to_string(),
        date: old.rules.today.to_string(),
    };
    let new_side = diff::Side {
        revision: "the working tree".to_string(),
        date: project.rules.today.to_string(),
    };
    project.comparison = Some(diff::compare(&old, old_side, project, new_side));
    Ok(())
}

/// What `build` wrote.
#[derive(Debug)]
pub struct Built {
    /// The destination folder.
    pub dest: PathBuf,
    /// Number of files written.
    pub files: usize,
    /// Total bytes written.
    pub bytes: usize,
}

/// Builds the site of a loaded project into `dest` (default: the configured build folder).
/// Writes nothing when the project has errors; never leaves a half-written site.
pub fn build(
    project: &Project,
    dest: Option<&Path>,
    force: bool,
    progress: bool,
) -> Result<Built, Vec<Diagnostic>> {
    let config = &project.config;
    let dest = dest
        .map(Path::to_path_buf)
        .unwrap_or_else(|| shown(&config.root, &config.build_dir));
    let source_dir = shown(&config.root, &config.src);
    output::check_destination(&dest, &source_dir, force).map_err(|d| vec![d])?;
    let staging = output::Staging::new(&dest).map_err(|d| vec![d])?;
    let (files, bytes) = render_into(
        project,
        &|path, content| staging.write(path, content),
        progress,
        None,
    )?;
    staging.commit().map_err(|d| vec![d])?;
    Ok(Built { dest, files, bytes })
}

/// What `serve` keeps from one build to the next: document renders and the hash of every
/// file it wrote.
#[derive(Debug, Default)]
pub struct BuildCache {
    /// Parsed documents, for [`load_cached`].
    parsed: source::ParseCache,
    /// The git log and blobs, for [`load_cached`].
    history: std::sync::Arc<history::HistoryCache>,
    renders: render::cache::RenderCache,
    files: output::FileHashes,
}

/// What an incremental build did.
#[derive(Debug)]
pub struct Rebuilt {
    /// Files in the site.
    pub files: usize,
    /// Files actually written (the others were unchanged).
    pub written: usize,
    /// Documents whose render was reused.
    pub reused: usize,
}

/// Builds the site into `dest` in place, reusing what `cache` holds from the previous build:
/// unchanged documents are not rendered again and unchanged files not written again. For the
/// dev server; `build` is the atomic, from-scratch build.
pub fn build_incremental(
    project: &Project,
    dest: &Path,
    cache: &mut BuildCache,
) -> Result<Rebuilt, Vec<Diagnostic>> {
    let site = output::InPlace::new(dest, std::mem::take(&mut cache.files));
    let emit = |path: &str, content: &[u8]| site.write(path, content);
    let keep = |path: &str| site.keep(path);
    let incremental = render::Incremental {
        cache: &cache.renders,
        keep: &keep,
    };
    let result = render_into(project, &emit, false, Some(incremental));
    let (hashes, written) = site.finish();
    match result {
        Ok(_) => {
            let files = hashes.len();
            cache.files = hashes;
            let reused = cache.renders.finish_build();
            Ok(Rebuilt {
                files,
                written,
                reused,
            })
        }
        Err(e) => {
            cache.renders.clear();
            Err(e)
        }
    }
}

/// Renders the site and the exports into `emit`; returns how many files and bytes were
/// produced.
fn render_into(
    project: &Project,
    emit: render::Emit,
    progress: bool,
    incremental: Option<render::Incremental>,
) -> Result<(usize, usize), Vec<Diagnostic>> {
    let config = &project.config;
    let source_dir = shown(&config.root, &config.src);
    let theme = match &config.theme {
        Some(dir) => render::theme::Theme::with_overrides(&shown(&config.root, dir)),
        None => Ok(render::theme::Theme::embedded()),
    }
    .map_err(|e| {
        vec![Diagnostic::error("theme", e).help("check `theme` under [output.html] in book.toml")]
    })?;
    let site_info = render::SiteInfo {
        title: config.title.clone(),
        organization: config.organization.clone(),
        language: config.language.clone(),
        revision: revision_with(
            &source_dir,
            project.rules.today,
            project.history.as_ref().map(|h| !h.uncommitted.is_empty()),
        ),
    };
    let files = std::sync::atomic::AtomicUsize::new(1);
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let emit = |path: &str, content: &[u8]| {
        files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes.fetch_add(content.len(), std::sync::atomic::Ordering::Relaxed);
        emit(path, content)
    };
    // The pages and the exports are independent: render them side by side.
    let export = || -> Result<(), Diagnostic> {
        let error =
            |e: String| Diagnostic::error("export", e).help("report this as a bug of smsbook");
        let json = export::matrix_json(project).map_err(error)?;
        emit("matrix.json", &json)?;
        // The CSV and the workbook hold the report's data, the SoA and the date: when those
        // are the same as last time, an incremental build keeps the files.
        let unchanged = incremental.as_ref().is_some_and(|i| {
            let key = render::cache::page_key(
                0,
                &(&json, soa::rows(project), project.rules.today.to_string()),
            );
            let csv = i.cache.same_output("matrix.csv", key);
            let xlsx = i.cache.same_output("matrix.xlsx", key);
            csv && xlsx && (i.keep)("matrix.csv") && (i.keep)("matrix.xlsx")
        });
        if !unchanged {
            emit("matrix.csv", &export::matrix_csv(project).map_err(error)?)?;
            emit(
                "matrix.xlsx",
                &export::matrix_xlsx(project, project.rules.today).map_err(error)?,
            )?;
        }
        project.manual.assets.par_iter().try_for_each(|asset| {
            let path = source_dir.join(asset);
            let content = std::fs::read(&path).map_err(|e| {
                Diagnostic::error(
                    "read-error",
                    format!("cannot read `{}`: {e}", path.display()),
                )
                .help("check the file's permissions")
            })?;
            emit(asset, &content)
        })
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let (pages, exports) = std::thread::scope(|scope| {
        if progress {
            scope.spawn(|| show_progress(&files, expected_files(project), &done));
        }
        let result = rayon::join(
            || render::render_site(project, &theme, &site_info, &emit, incremental),
            export,
        );
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    });
    let problems: Vec<Diagnostic> = [pages.err(), exports.err()].into_iter().flatten().collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((files.into_inner(), bytes.into_inner()))
}

fn expected_files(project: &Project) -> usize {
    project.manual.documents.len()
        + project.manual.documents.len().div_ceil(render::PRINT_GROUP)
        + project.catalogs.keys().count()
        + project.manual.assets.len()
        + 25
}

/// Shows "writing files 1234/10100" on the terminal until `done`, then clears the line.
fn show_progress(
    files: &std::sync::atomic::AtomicUsize,
    expected: usize,
    done: &std::sync::atomic::AtomicBool,
) {
    use std::io::Write;
    let mut err = std::io::stderr();
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        let written = files.load(std::sync::atomic::Ordering::Relaxed);
        let _ = write!(err, "\r\x1b[Kwriting files {written}/{expected}");
        let _ = err.flush();
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = write!(err, "\r\x1b[K");
    let _ = err.flush();
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
    let soa_standard = catalogs.list.iter().find(|c| c.prefix == soa::STANDARD);
    for entry in &config.soa {
        let located = |d: Diagnostic| match &entry.location {
            Some(location) => d.at(location.clone()),
            None => d,
        };
        let Some(standard) = soa_standard else {
            errors.push(located(
                Diagnostic::error(
                    "config",
                    "[soa] is set, but ISO/IEC 27001 is not among the standards in use",
                )
                .help("add \"iso27001:2022\" to `standards` under [sms]"),
            ));
            break;
        };
        match catalogs.resolve(&format!("{}:{}", standard.prefix, entry.control)) {
            Ok(key) if !entry.applicable => {
                exclusions.insert(key, entry.justification.clone().unwrap_or_default());
            }
            Ok(_) => {}
            Err(e) => errors.push(located(
                Diagnostic::error("config", format!("[soa]: {}", e.message)).help(e.help),
            )),
        }
    }
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

/// `smsbook init`: writes a new SMS repository into `dir`. Returns a message for the user.
pub fn init(
    dir: &Path,
    title: Option<&str>,
    organization: Option<&str>,
    standards: &[String],
    today: NaiveDate,
) -> Result<String, Vec<Diagnostic>> {
    let available = Catalog::built_in();
    let known = || {
        available
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut chosen: Vec<(&str, &str)> = Vec::new();
    let mut errors = Vec::new();
    for standard in standards {
        let standard = standard.trim();
        match available
            .iter()
            .find(|c| c.id == standard || c.prefix == standard)
        {
            Some(c) if chosen.iter().any(|(id, _)| *id == c.id) => {}
            Some(c) => chosen.push((c.id.as_str(), c.prefix.as_str())),
            None => {
                let hint =
                    diagnostics::did_you_mean(standard, available.iter().map(|c| c.id.as_str()))
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                errors.push(
                    Diagnostic::error("usage", format!("unknown standard `{standard}`"))
                        .help(format!("{hint}built-in standards: {}", known())),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if chosen.is_empty() {
        return Err(vec![Diagnostic::error("usage", "no standard given")
            .help(format!("built-in standards: {}", known()))]);
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let visible: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        if !visible.is_empty() {
            return Err(vec![Diagnostic::error("exists", format!("`{}` is not empty (it has {})", dir.display(), visible.join(", ")))
                .help("init writes a new repository: give it an empty folder (hidden files such as .git are fine)")]);
        }
    }
    let files = scaffold::init_files(
        title.unwrap_or(scaffold::default_title(&chosen)),
        organization,
        &chosen,
        today,
    );
    scaffold::write_new_files(dir, &files).map_err(|d| vec![d])?;
    Ok(format!(
        "created a new SMS in {} ({} files: book.toml, src/SUMMARY.md and {} draft documents)\nnext: smsbook check {0}   then   smsbook build {0}",
        dir.display(),
        files.len(),
        files.len() - 2
    ))
}

/// `smsbook new`: writes a new draft document into the repository at `root`. Returns its path.
pub fn new_document(
    root: &Path,
    doc_type: &str,
    title: &str,
    satisfies: &[String],
    today: NaiveDate,
) -> Result<String, Vec<Diagnostic>> {
    use source::frontmatter::DocType;
    let Some(doc_type) = DocType::parse(doc_type) else {
        let help = match diagnostics::did_you_mean(doc_type, DocType::KEYWORDS.iter().copied()) {
            Some(s) => format!(
                "did you mean `{s}`? (one of: {})",
                DocType::KEYWORDS.join(", ")
            ),
            None => format!("use one of: {}", DocType::KEYWORDS.join(", ")),
        };
        return Err(vec![Diagnostic::error(
            "usage",
            format!("unknown document type `{doc_type}`"),
        )
        .help(help)]);
    };
    let config = Config::load(root)?;
    let catalogs = load_catalogs(&config)?;
    let source_dir = shown(&config.root, &config.src);
    let source = source::read_source(&source_dir, &[], None)?;
    let prefix = config
        .id_prefixes
        .iter()
        .find(|(t, _)| *t == doc_type)
        .map_or(scaffold::default_prefix(doc_type), |(_, p)| p.as_str());
    let ids = source.documents.iter().filter_map(|d| d.id());
    let (path, _id, text) =
        scaffold::new_document(doc_type, title, satisfies, &catalogs, prefix, ids, today)
            .map_err(|d| vec![d])?;
    scaffold::write_new_files(&source_dir, &[(PathBuf::from(&path), text)]).map_err(|d| vec![d])?;
    Ok(source_dir.join(path).display().to_string())
}

/// Source files whose page would overwrite a page or file smsbook writes itself.
fn reserved_paths(manual: &Manual, source_dir: &Path) -> Vec<Diagnostic> {
    let documents = manual.documents.iter().map(|d| {
        (
            render::markdown::page_path(&d.path),
            d.source_text().location(1, 1),
        )
    });
    let assets = manual.assets.iter().map(|a| {
        let file = source_dir.join(a).display().to_string();
        (
            a.clone(),
            diagnostics::Location {
                file,
                line: 1,
                column: 1,
                line_text: String::new(),
            },
        )
    });
    documents
        .chain(assets)
        .filter_map(|(output, location)| {
            let what = render::reserved(&output)?;
            Some(
                Diagnostic::error("reserved-path", format!("this file would be written to `{output}`, which is {what}"))
                    .at(location)
                    .help("rename or move the file: smsbook writes that path itself (e.g. `index.md` → `introduction.md`)"),
            )
        })
        .collect()
}

/// Runs the pipeline on the SMS repository at `root`: configuration, catalogues, source,
/// manual, analysis. `Err` holds configuration problems (nothing could be checked); problems
/// in the documents are in `Project::diagnostics`.
pub fn load(root: &Path, today: NaiveDate) -> Result<Project, Vec<Diagnostic>> {
    load_with(root, today, true)
}

/// [`load`], with the git history of the source folder read (when it is in a repository)
/// or not (`with_history: false`).
pub fn load_with(
    root: &Path,
    today: NaiveDate,
    with_history: bool,
) -> Result<Project, Vec<Diagnostic>> {
    load_cached(root, today, with_history, None)
}

/// [`load_with`], reusing what `cache` kept from the previous load (for `serve`): documents
/// whose bytes are the same are not parsed again, and the git log is read again only after
/// a commit.
pub fn load_cached(
    root: &Path,
    today: NaiveDate,
    with_history: bool,
    cache: Option<&BuildCache>,
) -> Result<Project, Vec<Diagnostic>> {
    let config = Config::load(root)?;
    let source_dir = shown(&config.root, &config.src);
    // git reads the history while the source folder is read and parsed.
    let history = with_history.then(|| {
        let kept = cache.map(|c| std::sync::Arc::clone(&c.history));
        history::start_cached(&source_dir, kept.unwrap_or_default())
    });
    let catalogs = load_catalogs(&config)?;
    let exclusions = resolve_exclusions(&config, &catalogs)?;
    let mappings = mapping::Mappings::load(&config, &catalogs)?;
    let skip = [shown(&config.root, &config.build_dir)];
    let source = source::read_source(&source_dir, &skip, cache.map(|c| &c.parsed))?;
    let mut diagnostics = source.diagnostics.clone();
    let (manual, manual_diagnostics) = Manual::build(source, &catalogs);
    diagnostics.extend(manual_diagnostics);
    diagnostics.extend(manual::check_audiences(&manual, &config.audiences));
    diagnostics.extend(reserved_paths(&manual, &source_dir));
    let rules = Rules {
        today,
        record_max_age_days: config.record_max_age_days,
        exclusions,
        review_warning_days: REVIEW_WARNING_DAYS,
        mappings,
    };
    // The findings from history wait mostly for git (blobs): beside the analysis.
    let (mut analysis, history) = rayon::join(
        || analysis::analyse(&manual, &catalogs, &rules),
        || history.and_then(|reading| reading.finish(&manual)),
    );
    let history = history.map(|(history, findings)| {
        analysis.findings.extend(findings);
        history
    });
    diagnostics.extend(analysis.findings.iter().cloned());
    let mut project = Project {
        config,
        catalogs,
        rules,
        manual,
        analysis,
        diagnostics,
        history,
        comparison: None,
    };
    let soa_findings = soa::findings(&project);
    project.diagnostics.extend(soa_findings);
    // Located diagnostics in file order first, then clause findings in catalogue order.
    project
        .diagnostics
        .sort_by(|a, b| match (&a.location, &b.location) {
            (Some(x), Some(y)) => (&x.file, x.line, x.column).cmp(&(&y.file, y.line, y.column)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    Ok(project)
}
