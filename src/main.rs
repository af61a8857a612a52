//! The `smsbook` command line: parses arguments, runs the library, maps results to exit codes
//! (0: fine; 1: errors, or findings under `--strict`; 2: usage or configuration error).

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use smsbook::diagnostics::Diagnostic;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: rendering thousands of pages allocates many small strings; the system allocator
/// spent about 15% of a build in malloc/free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns an SMS repository (Markdown with YAML front matter) into a manual traced to the
/// clauses of ISO/IEC 20000-1 and reports which clauses lack evidence.
#[derive(Debug, Parser)]
#[command(name = "smsbook", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors (and what a command exists to print, such as the path of `new`).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print how long each stage took.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the SMS: front matter, links, clause references and coverage.
    ///
    /// Exit status: 0 when there are no errors (gaps and partial evidence are warnings),
    /// 1 when there are errors (or, with --strict, any warning), 2 for usage or book.toml errors.
    #[command(
        after_help = "Examples:\n  smsbook check\n  smsbook check path/to/my-sms --format json --today 2026-12-01\n  smsbook check --strict"
    )]
    Check {
        #[command(flatten)]
        common: Common,
        /// Fail (exit 1) on warnings too: gaps, partial evidence, overdue reviews.
        #[arg(long)]
        strict: bool,
    },
    /// Build the HTML manual (dashboard, documents, clauses, matrix, register, print pack, exports).
    ///
    /// Prints the same findings as `check`. Writes nothing when there are errors (or, with
    /// --strict, warnings): the previous site stays as it was.
    #[command(
        after_help = "Examples:\n  smsbook build\n  smsbook build my-sms --dest /srv/handbook --today 2026-12-01"
    )]
    Build {
        #[command(flatten)]
        common: Common,
        /// Fail (exit 1, nothing written) on warnings too.
        #[arg(long)]
        strict: bool,
        /// Where to write the site (default: `build-dir` of book.toml, relative to ROOT).
        #[arg(long)]
        dest: Option<PathBuf>,
        /// Replace a non-empty destination that smsbook did not create.
        #[arg(long)]
        force: bool,
        /// Add a "Changes since REV" page and markers on what changed since that git
        /// revision (overrides `compare-with` in book.toml).
        #[arg(long, value_name = "REV")]
        compare_with: Option<String>,
    },
    /// Create a new SMS repository: book.toml, SUMMARY.md and a draft of every document the
    /// chosen standards ask for (one document where several ask for the same), with section
    /// headings that prompt what to write.
    ///
    /// Refuses a folder that has anything in it but hidden files (such as .git).
    #[command(
        after_help = "Examples:\n  smsbook init my-sms --title \"ACME Service Management Manual\" --organization \"ACME Ltd\"\n  smsbook init . --standard iso27001:2022\n  smsbook init my-ims --standard iso20000-1:2018 --standard iso27001:2022,iso9001:2015"
    )]
    Init {
        /// The folder to create the repository in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The manual's title (book.toml).
        #[arg(long)]
        title: Option<String>,
        /// The organisation whose SMS it is (book.toml).
        #[arg(long)]
        organization: Option<String>,
        /// A standard to start from: iso20000-1:2018, iso27001:2022 or iso9001:2015 (or just
        /// the prefix, e.g. iso27001). Repeat it, or separate with commas, for several: the first
        /// is the primary standard, and a document several standards ask for is written once.
        #[arg(long = "standard", value_delimiter = ',', default_value = smsbook::config::DEFAULT_STANDARD)]
        standards: Vec<String>,
        /// The date the drafts are written on (YYYY-MM-DD; default: today).
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
    },
    /// Create a new draft document with the next free id of its type, in its type's folder.
    ///
    /// Prints the path of the new file.
    #[command(
        after_help = "Examples:\n  smsbook new procedure \"Backup Verification\" --satisfies 8.7.2\n  smsbook new policy \"Remote Working Policy\" --root my-sms"
    )]
    New {
        /// The type of document: policy, plan, process, procedure, agreement, record, register, guide or glossary.
        doc_type: String,
        /// The document's title.
        title: String,
        /// A clause the document is meant to satisfy (repeat for several).
        #[arg(long, num_args = 1..)]
        satisfies: Vec<String>,
        /// The SMS repository (the folder that holds book.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The date of the draft (YYYY-MM-DD; default: today).
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
    },
    /// Build the manual into a temporary folder, serve it, and rebuild and reload on every change.
    ///
    /// Never writes into the configured output folder. A failed build keeps the last good site
    /// and shows the errors over the page until the next good build.
    #[command(
        after_help = "Examples:\n  smsbook serve\n  smsbook serve my-sms --port 8080 --open\n  smsbook serve --bind 0.0.0.0   # reachable from other machines: think twice"
    )]
    Serve {
        /// The SMS repository: the folder that holds book.toml.
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The port to listen on (the next free one if it is taken).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// The date to judge reviews and records against (YYYY-MM-DD; default: today).
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
    },
    /// Import a repository of another tool into a new SMS repository.
    #[command(
        subcommand,
        after_help = "Examples:\n  smsbook import comply ../my-comply --into my-sms"
    )]
    Import(ImportSource),
    /// Compare the SMS at two revisions: clauses whose status changed, documents added,
    /// removed, retired, changed or re-approved, new and resolved findings.
    ///
    /// Revisions (tags, branches, commits) are read from git objects, never checked out, and
    /// analysed as of their commit's date; REV2 defaults to the working tree, analysed as of
    /// --today. Exit status: 0, or 1 when --fail-on finds what it names; 2 for usage errors.
    #[command(
        after_help = "Examples:\n  smsbook diff audit-2025\n  smsbook diff audit-2025 audit-2026 --format json\n  smsbook diff origin/main --fail-on new-gap   # in CI"
    )]
    Diff {
        /// The earlier revision: a tag, branch or commit.
        rev: String,
        /// The later revision (default: the working tree).
        rev2: Option<String>,
        /// The SMS repository: the folder that holds book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The date the working tree is judged as of (YYYY-MM-DD; default: today).
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
        /// Exit 1 when the comparison finds this.
        #[arg(long, value_enum)]
        fail_on: Vec<FailOn>,
    },
    /// List the clause catalogue with each clause's coverage status and documents.
    #[command(
        after_help = "Examples:\n  smsbook clauses\n  smsbook clauses path/to/my-sms --format json"
    )]
    Clauses {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, Subcommand)]
enum ImportSource {
    /// Import a strongdm/comply repository (SOC 2): standards become catalogues, policies,
    /// procedures and narratives become draft documents.
    ///
    /// Every field without a counterpart is reported and kept in IMPORT-NOTES.md. Writes into
    /// a temporary folder next to NEW and renames it: nothing is left half-written.
    /// Exit status: 0 imported; 1 problems in the comply files; 2 usage (DIR missing, NEW not empty).
    #[command(
        after_help = "Examples:\n  smsbook import comply ../my-comply --into my-sms\n  smsbook check my-sms"
    )]
    Comply {
        /// The comply repository (the folder with standards/, policies/, procedures/, narratives/).
        dir: PathBuf,
        /// The new SMS repository to create (must not exist, or be empty).
        #[arg(long)]
        into: PathBuf,
    },
}

#[derive(Debug, Args)]
struct Common {
    /// The SMS repository: the folder that holds book.toml.
    #[arg(default_value = ".")]
    root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The date to judge reviews and records against (YYYY-MM-DD; default: today).
    #[arg(long, value_parser = parse_date)]
    today: Option<NaiveDate>,
    /// Do not read the git history (no document histories, no findings from history).
    #[arg(long)]
    no_history: bool,
}

/// What makes `diff` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// A clause became a gap.
    NewGap,
    /// A new error or warning.
    NewFinding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable, like a compiler.
    Text,
    /// Machine-readable (schema smsbook-check/1, see the README).
    Json,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

fn color_for(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_config_errors(errors: &[Diagnostic]) -> ExitCode {
    let color = color_for(&std::io::stderr());
    let mut err = std::io::stderr().lock();
    for d in errors {
        let _ = writeln!(err, "{}\n", d.render(color));
    }
    ExitCode::from(2)
}

/// Prints what a scaffolding command made (unless `quiet`), or why it could not (exit 2).
fn finish(quiet: bool, result: Result<String, Vec<Diagnostic>>) -> ExitCode {
    match result {
        Ok(message) => {
            if !quiet {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(errors) => print_config_errors(&errors),
    }
}

/// mimalloc's `mi_option_purge_delay` (the same index in its v2 and v3 `mimalloc.h`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        // A one-off command keeps the memory it freed until it exits instead of handing it
        // back to the system after 10 ms and faulting it in again: the 100,000-document build
        // took ~8% less time for ~8% more peak memory (bench/RESULTS.md). `serve` runs for
        // hours, so it gives memory back.
        // SAFETY: sets a plain integer option of the allocator; no memory is involved.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    let (common, strict) = match &cli.command {
        Command::Check { common, strict } | Command::Build { common, strict, .. } => {
            (common, *strict)
        }
        Command::Clauses { common } => (common, false),
        Command::Diff {
            rev,
            rev2,
            root,
            format,
            today,
            fail_on,
        } => {
            let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
            let diff = match smsbook::diff(root, rev, rev2.as_deref(), today) {
                Ok(diff) => diff,
                Err(errors) => return print_config_errors(&errors),
            };
            let output = match format {
                Format::Text => smsbook::diff::text(&diff),
                Format::Json => match serde_json::to_string_pretty(&diff) {
                    Ok(json) => json + "\n",
                    Err(e) => {
                        eprintln!("error: cannot write JSON: {e}");
                        return ExitCode::from(1);
                    }
                },
            };
            if !print(&output) {
                return ExitCode::from(1);
            }
            let failed = fail_on.iter().any(|f| match f {
                FailOn::NewGap => diff.new_gaps() > 0,
                FailOn::NewFinding => diff.new_problems() > 0,
            });
            return ExitCode::from(u8::from(failed));
        }
        Command::Init {
            dir,
            title,
            organization,
            standards,
            today,
        } => {
            let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
            return finish(
                cli.quiet,
                smsbook::init(
                    dir,
                    title.as_deref(),
                    organization.as_deref(),
                    standards,
                    today,
                ),
            );
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            today,
        } => {
            let options = smsbook::serve::Options {
                root: root.clone(),
                port: *port,
                bind: *bind,
                open: *open,
                today: *today,
                quiet: cli.quiet,
            };
            return match smsbook::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(errors) => print_config_errors(&errors),
            };
        }
        Command::Import(ImportSource::Comply { dir, into }) => {
            return match smsbook::import::import_comply(dir, into) {
                Ok(summary) => {
                    if !cli.quiet {
                        println!("{summary}");
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    print_config_errors(&failure.diagnostics);
                    ExitCode::from(failure.exit_code)
                }
            };
        }
        Command::New {
            doc_type,
            title,
            satisfies,
            root,
            today,
        } => {
            let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
            return finish(
                false,
                smsbook::new_document(root, doc_type, title, satisfies, today),
            );
        }
    };
    let today = common
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let started = std::time::Instant::now();
    let mut project = match smsbook::load_with(&common.root, today, !common.no_history) {
        Ok(project) => project,
        Err(errors) => return print_config_errors(&errors),
    };
    if cli.verbose {
        eprintln!(
            "read and checked {} documents in {} ms",
            project.manual.documents.len(),
            started.elapsed().as_millis()
        );
    }
    let output = match (&cli.command, common.format) {
        (_, Format::Json) => match serde_json::to_string_pretty(&smsbook::report::report(&project))
        {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("error: cannot write JSON: {e}");
                return ExitCode::from(1);
            }
        },
        (Command::Clauses { .. }, Format::Text) => smsbook::report::clauses_text(&project),
        (_, Format::Text) if cli.quiet => {
            smsbook::report::errors_text(&project, color_for(&std::io::stdout()))
        }
        (_, Format::Text) => smsbook::report::check_text(&project, color_for(&std::io::stdout())),
    };
    if !print(&output) {
        return ExitCode::from(1);
    }
    let (errors, warnings, _) = project.severity_counts();
    let failed = errors > 0 || (strict && warnings > 0);
    if let Command::Build {
        dest,
        force,
        compare_with,
        ..
    } = &cli.command
    {
        if failed {
            eprintln!("error: the manual was not built because of the problems above; the previous output is unchanged");
            return ExitCode::from(1);
        }
        if let Some(revision) = compare_with
            .clone()
            .or_else(|| project.config.compare_with.clone())
        {
            if let Err(errors) = smsbook::attach_comparison(&mut project, &revision) {
                return print_config_errors(&errors);
            }
        }
        let progress = !cli.quiet && std::io::stderr().is_terminal();
        match smsbook::build(&project, dest.as_deref(), *force, progress) {
            Ok(built) if !cli.quiet => eprintln!(
                "built {} files ({} KiB) into {} in {} ms",
                built.files,
                built.bytes / 1024,
                built.dest.display(),
                started.elapsed().as_millis()
            ),
            Ok(_) => {}
            Err(errors) => {
                let color = color_for(&std::io::stderr());
                for d in errors {
                    eprintln!("{}\n", d.render(color));
                }
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::from(u8::from(failed))
}

/// Writes a command's output to stdout; false when it cannot (e.g. a closed pipe).
fn print(output: &str) -> bool {
    let mut out = std::io::stdout().lock();
    out.write_all(output.as_bytes())
        .and_then(|_| out.flush())
        .is_ok()
}
