//! Git history of the source folder: which commits changed each document (renames followed),
//! uncommitted changes, and the findings an auditor would draw from them
//! (`changed-after-approval`, `version-not-bumped`).
//!
//! The whole history is read in one `git log` pass ([`read`]); parsing its output is the pure
//! function [`parse_log`]. File contents at commits are read only for the documents that need
//! them, by blob id, through one `git cat-file --batch` process per round ([`Git::blobs`]).
//! Without git or a repository, everything here is off, quietly.

use crate::diagnostics::{Diagnostic, Severity, SourceText};
use crate::manual::Manual;
use crate::source::frontmatter::{self, Status};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

/// One commit that changed at least one file of the source folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The full commit id.
    pub id: String,
    /// The first seven characters of the id.
    pub short: String,
    /// The author date (in the author's time zone).
    pub date: NaiveDate,
    /// The author's name.
    pub author: String,
    /// The first line of the message.
    pub subject: String,
}

/// What a commit did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The file was created (or, in a shallow clone, first seen).
    Added,
    /// Its content changed.
    Modified,
    /// It was renamed (and perhaps changed).
    Renamed,
    /// It was deleted.
    Deleted,
}

/// One commit's change to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Index into [`History::commits`].
    pub commit: usize,
    /// What happened.
    pub kind: ChangeKind,
    /// The path (relative to the repository) before the change, for a rename.
    pub renamed_from: Option<String>,
    /// The blob before the change (`None` when the file was added).
    pub old_blob: Option<String>,
    /// The blob after the change (`None` when the file was deleted).
    pub new_blob: Option<String>,
}

/// The history of the source folder.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Every commit that touched the source folder, newest first.
    pub commits: Vec<Commit>,
    /// Per document path (relative to the source folder, as the document has it now): the
    /// changes, newest first. Earlier paths of renamed files are followed.
    pub files: HashMap<String, Vec<Change>>,
    /// True in a shallow clone: the history stops at the oldest commit fetched.
    pub shallow: bool,
    /// Documents (paths relative to the source folder) whose working-tree file differs from
    /// the last commit, or which are not committed at all.
    pub uncommitted: BTreeSet<String>,
    /// The git working folder to read objects from.
    pub dir: PathBuf,
}

impl History {
    /// The changes of a document, newest first (empty when it has no commit).
    pub fn of(&self, path: &str) -> &[Change] {
        self.files.get(path).map_or(&[], Vec::as_slice)
    }

    /// The commit of a change.
    pub fn commit(&self, change: &Change) -> &Commit {
        &self.commits[change.commit]
    }

    /// The date of the oldest commit read (where a shallow history starts).
    pub fn oldest(&self) -> Option<NaiveDate> {
        self.commits.last().map(|c| c.date)
    }
}

/// Runs git in `dir` with a configuration that makes its output stable whatever the user's
/// settings; `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off", "-c", "log.showSignature=false"])
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}

/// The `--format` of the one `git log` pass: a record separator, then NUL-separated fields.
const LOG_FORMAT: &str = "--format=%x1e%H%x00%as%x00%an%x00%s";

/// Reads the history of the source folder `dir`: `None` when it is not inside a git
/// repository (or git is not installed, or the repository has no commit yet). `git log` and
/// `git status` run side by side.
pub fn read(dir: &Path) -> Option<History> {
    read_cached(dir, &HistoryCache::default())
}

/// What `serve` keeps from one reading of the history to the next: the parsed log of the
/// last `HEAD` (it only changes with a commit) and blobs by id (which never change).
#[derive(Debug, Default)]
pub struct HistoryCache {
    log: std::sync::Mutex<Option<CachedLog>>,
    blobs: std::sync::Mutex<HashMap<String, String>>,
}

/// `HEAD`'s commit id, the prefix, and the parsed log.
type CachedLog = (String, String, Vec<Commit>, HashMap<String, Vec<Change>>);

impl HistoryCache {
    /// [`read_blobs`], taking the blobs read before from the cache.
    pub fn blobs(&self, dir: &Path, ids: &[String]) -> HashMap<String, String> {
        let lock = || {
            self.blobs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        let mut found: HashMap<String, String> = HashMap::new();
        let missing: Vec<String> = {
            let known = lock();
            ids.iter()
                .filter(|id| match known.get(*id) {
                    Some(text) => {
                        found.insert((*id).clone(), text.clone());
                        false
                    }
                    None => true,
                })
                .cloned()
                .collect()
        };
        let read = read_blobs(dir, &missing);
        lock().extend(read.iter().map(|(k, v)| (k.clone(), v.clone())));
        found.extend(read);
        found
    }
}

/// [`read`], reusing the parsed log when `HEAD` is the same commit as last time.
pub fn read_cached(dir: &Path, cache: &HistoryCache) -> Option<History> {
    let info = git(
        dir,
        &[
            "rev-parse",
            "--show-prefix",
            "--is-shallow-repository",
            "HEAD",
        ],
    )?;
    let info = String::from_utf8_lossy(&info);
    let mut lines = info.lines();
    let prefix = lines.next().unwrap_or("").to_string();
    let shallow = lines.next() == Some("true");
    let head = lines.next().unwrap_or("").to_string();
    let lock = || {
        cache
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let known = lock()
        .as_ref()
        .filter(|(h, p, _, _)| *h == head && *p == prefix && !head.is_empty())
        .map(|(_, _, commits, files)| (commits.clone(), files.clone()));
    let (log, status) = std::thread::scope(|scope| {
        let status = scope.spawn(|| {
            git(
                dir,
                &[
                    "status",
                    "--porcelain",
                    "-z",
                    "--untracked-files=all",
                    "--",
                    ".",
                ],
            )
        });
        let log = match known {
            Some(parsed) => Some(Ok(parsed)),
            None => log(dir).map(Err),
        };
        (log, status.join().ok().flatten())
    });
    let (commits, files) = match log? {
        Ok(parsed) => parsed,
        Err(output) => {
            let (commits, files) = parse_log(&output, &prefix);
            *lock() = Some((head, prefix.clone(), commits.clone(), files.clone()));
            (commits, files)
        }
    };
    if commits.is_empty() {
        return None;
    }
    Some(History {
        commits,
        files,
        shallow,
        uncommitted: parse_status(&status.unwrap_or_default(), &prefix),
        dir: dir.to_path_buf(),
    })
}

/// `git log` over the history of the source folder, newest first. A long history is read in
/// two halves side by side (the commits since the middle of the first-parent line, and the
/// middle and what it reaches): diffing trees is most of the time and uses one core per
/// process. No commit of the first half is an ancestor of one in the second, so the two
/// outputs, one after the other, keep children before their parents, as renames are
/// followed.
fn log(dir: &Path) -> Option<Vec<u8>> {
    let args = |range: &'static [&'static str]| {
        let mut args = vec![
            "log",
            LOG_FORMAT,
            "--raw",
            "--no-abbrev",
            "-M",
            "-z",
            "--no-merges",
            "--no-color",
        ];
        args.extend_from_slice(range);
        args.extend_from_slice(&["--", "."]);
        args
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let middle = (cores > 1)
        .then(|| git(dir, &["rev-list", "--first-parent", "HEAD"]))
        .flatten()
        .and_then(|list| {
            let ids: Vec<&[u8]> = list
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .collect();
            (ids.len() >= SPLIT_FROM)
                .then(|| String::from_utf8_lossy(ids[ids.len() / 2]).into_owned())
        });
    let Some(middle) = middle else {
        return git(dir, &args(&["HEAD"]));
    };
    let newer = format!("^{middle}");
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| {
            let mut args = args(&["HEAD"]);
            args.insert(args.len() - 2, &newer);
            git(dir, &args)
        });
        let mut older = args(&[]);
        older.insert(older.len() - 2, &middle);
        let second = git(dir, &older);
        (first.join().ok().flatten(), second)
    });
    let mut log = first?;
    log.push(0);
    log.extend_from_slice(&second?);
    Some(log)
}

/// The number of first-parent commits from which the history is read in two halves.
const SPLIT_FROM: usize = 200;

/// The history being read on a thread of its own ([`start`]): git works while the source
/// folder is read and parsed, and the findings, which need the manual, come after ([`Reading::finish`]).
#[derive(Debug)]
pub struct Reading {
    thread: std::thread::JoinHandle<Option<History>>,
    cache: Arc<HistoryCache>,
}

/// Starts reading the history of the source folder `dir` on a thread.
pub fn start(dir: &Path) -> Reading {
    start_cached(dir, Arc::default())
}

/// [`start`], with what `cache` kept from earlier readings (for `serve`).
pub fn start_cached(dir: &Path, cache: Arc<HistoryCache>) -> Reading {
    let dir = dir.to_path_buf();
    let kept = Arc::clone(&cache);
    Reading {
        thread: std::thread::spawn(move || read_cached(&dir, &cache)),
        cache: kept,
    }
}

impl Reading {
    /// Waits for the history and draws its findings for `manual`, reading the file contents
    /// they need from git.
    pub fn finish(self, manual: &Manual) -> Option<(History, Vec<Diagnostic>)> {
        let history = self.thread.join().ok()??;
        let findings = findings(manual, &history, |ids| self.cache.blobs(&history.dir, ids));
        Some((history, findings))
    }
}

/// One line of `--raw` output: status letter, old blob, new blob, path(s).
type RawEntry = (char, Option<String>, Option<String>, Vec<String>);

/// Parses `git log --raw --no-abbrev -M -z` output in [`LOG_FORMAT`] into the commits
/// (newest first) and each current file's changes. Paths are relative to the repository;
/// only those under `prefix` (the source folder, e.g. `sms/`) are kept, without it. Renames
/// are followed from newest to oldest: a change to a file's earlier path is filed under the
/// path it has now.
pub fn parse_log(output: &[u8], prefix: &str) -> (Vec<Commit>, HashMap<String, Vec<Change>>) {
    let mut commits: Vec<Commit> = Vec::new();
    let mut files: HashMap<String, Vec<Change>> = HashMap::new();
    // What a path (at the point of history being read) is called now; `None`: a file that
    // does not lead to a current one (it was added later, after a deletion or a rename).
    let mut alias: HashMap<String, Option<String>> = HashMap::new();
    let mut tokens = output
        .split(|&b| b == 0)
        .map(|t| String::from_utf8_lossy(t).into_owned());
    // The raw entries of the current commit: (status, old blob, new blob, paths).
    let mut entries: Vec<RawEntry> = Vec::new();
    let flush = |commit: usize,
                 entries: &mut Vec<RawEntry>,
                 alias: &mut HashMap<String, Option<String>>,
                 files: &mut HashMap<String, Vec<Change>>| {
        // First where each entry's file is now (as of the state before this commit is
        // undone), then the renames' effect on older commits.
        let targets: Vec<Option<String>> = entries
            .iter()
            .map(|(_, _, _, paths)| {
                let path = paths.last()?;
                match alias.get(path) {
                    Some(now) => now.clone(),
                    None => Some(path.clone()),
                }
            })
            .collect();
        for (status, _, _, paths) in entries.iter() {
            if matches!(status, 'A' | 'R') {
                if let Some(new) = paths.last() {
                    alias.insert(new.clone(), None);
                }
            }
        }
        for ((status, old_blob, new_blob, paths), target) in entries.drain(..).zip(targets) {
            if status == 'R' {
                if let (Some(old), Some(target)) = (paths.first(), &target) {
                    alias.insert(old.clone(), Some(target.clone()));
                }
            }
            let Some(target) = target else { continue };
            let Some(relative) = target.strip_prefix(prefix) else {
                continue;
            };
            let kind = match status {
                'A' => ChangeKind::Added,
                'D' => ChangeKind::Deleted,
                'R' => ChangeKind::Renamed,
                _ => ChangeKind::Modified,
            };
            files.entry(relative.to_string()).or_default().push(Change {
                commit,
                kind,
                renamed_from: (status == 'R')
                    .then(|| paths.first().and_then(|p| p.strip_prefix(prefix)))
                    .flatten()
                    .map(str::to_string),
                old_blob,
                new_blob,
            });
        }
    };
    while let Some(token) = tokens.next() {
        let token = token.trim_start_matches('\n');
        if let Some(id) = token.strip_prefix('\u{1e}') {
            if !commits.is_empty() {
                flush(commits.len() - 1, &mut entries, &mut alias, &mut files);
            }
            let mut field = || tokens.next().unwrap_or_default();
            let short = id.chars().take(7).collect();
            let date = field();
            let author = field();
            let subject = field();
            let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
                continue;
            };
            commits.push(Commit {
                id: id.to_string(),
                short,
                date,
                author,
                subject,
            });
        } else if let Some(raw) = token.strip_prefix(':') {
            // `:100644 100644 <old> <new> M` (or `R100`), then one path, or two for R/C.
            let fields: Vec<&str> = raw.split(' ').collect();
            if fields.len() < 5 || commits.is_empty() {
                continue;
            }
            let blob = |b: &str| (!b.bytes().all(|c| c == b'0')).then(|| b.to_string());
            let status = fields[4].chars().next().unwrap_or('M');
            let count = if matches!(status, 'R' | 'C') { 2 } else { 1 };
            let paths: Vec<String> = (0..count).filter_map(|_| tokens.next()).collect();
            // A copy leaves its source as it was: for the copy it is a new file.
            let status = if status == 'C' { 'A' } else { status };
            let paths = if status == 'A' && paths.len() == 2 {
                paths[1..].to_vec()
            } else {
                paths
            };
            entries.push((status, blob(fields[2]), blob(fields[3]), paths));
        }
    }
    if !commits.is_empty() {
        flush(commits.len() - 1, &mut entries, &mut alias, &mut files);
    }
    (commits, files)
}

/// Parses `git status --porcelain -z` output: the paths under `prefix` (without it) that
/// differ from the last commit, untracked ones included.
pub fn parse_status(output: &[u8], prefix: &str) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    let mut tokens = output.split(|&b| b == 0);
    while let Some(token) = tokens.next() {
        if token.len() < 4 {
            continue;
        }
        let (code, path) = token.split_at(3);
        if code.contains(&b'R') || code.contains(&b'C') {
            tokens.next(); // the original path
        }
        let path = String::from_utf8_lossy(path);
        if let Some(relative) = path.strip_prefix(prefix) {
            paths.insert(relative.to_string());
        }
    }
    paths
}

/// Reads blobs by id with one `git cat-file --batch` process.
pub fn read_blobs(dir: &Path, ids: &[String]) -> HashMap<String, String> {
    let mut found = HashMap::new();
    if ids.is_empty() {
        return found;
    }
    let Ok(mut child) = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return found;
    };
    let mut input = String::with_capacity(ids.len() * 41);
    for id in ids {
        input.push_str(id);
        input.push('\n');
    }
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(input.as_bytes());
        }
    });
    // `<id> blob <size>\n<content>\n`, or `<id> missing\n`: each blob is read into a string
    // of its own size as it comes, never the whole output into one buffer.
    if let Some(stdout) = child.stdout.take() {
        let mut stdout = std::io::BufReader::with_capacity(1 << 16, stdout);
        let mut header = Vec::new();
        loop {
            header.clear();
            match stdout.read_until(b'\n', &mut header) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let header = String::from_utf8_lossy(&header);
            let mut fields = header.trim_end().split(' ');
            let (Some(id), Some(_kind), Some(size)) = (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Ok(size) = size.parse::<usize>() else {
                continue;
            };
            let mut content = vec![0; size + 1];
            if stdout.read_exact(&mut content).is_err() {
                break;
            }
            content.pop(); // the newline after the content
            let content = String::from_utf8(content)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            let content = match content.strip_prefix('\u{feff}') {
                Some(rest) => rest.to_string(),
                None => content,
            };
            let content = if content.contains('\r') {
                content.replace("\r\n", "\n")
            } else {
                content
            };
            found.insert(id.to_string(), content);
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    found
}

/// What the history findings compare between two versions of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Version {
    version: Option<String>,
    approved_on: Option<NaiveDate>,
    status: Option<Status>,
    /// A hash of the body (trailing white space left out).
    body: u64,
}

fn version_of(text: &str) -> Version {
    let (yaml, body) = match frontmatter::split(text) {
        Ok(split) => (split.yaml, &text[split.body_start..]),
        Err(_) => (None, text),
    };
    let meta = yaml.and_then(|yaml| frontmatter::parse(yaml, &SourceText::new("", text)).0);
    version_from(meta.as_ref(), body)
}

fn version_from(meta: Option<&frontmatter::Meta>, body: &str) -> Version {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.trim_end().hash(&mut hasher);
    Version {
        version: meta.and_then(|m| m.version.clone()),
        approved_on: meta.and_then(|m| m.approved_on),
        status: meta.map(|m| m.status),
        body: hasher.finish(),
    }
}

/// Which finding a walk through a document's history looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The body changed after `approved_on` with no new approval.
    ChangedAfterApproval(NaiveDate),
    /// The body changed and the version did not.
    VersionNotBumped,
}

/// A walk from the newest change of one document backwards, one change per round.
struct Walk {
    document: usize,
    rule: Rule,
    next: usize,
}

/// The findings from history: `changed-after-approval`, `version-not-bumped` (warnings),
/// `uncommitted` and `history-shallow` (notes). `blobs` reads file contents by blob id; it
/// is called once per round with every blob the round needs.
pub fn findings(
    manual: &Manual,
    history: &History,
    mut blobs: impl FnMut(&[String]) -> HashMap<String, String>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut walks: Vec<Walk> = Vec::new();
    for (document, doc) in manual.documents.iter().enumerate() {
        let Some(meta) = &doc.meta else { continue };
        if meta.status == Status::Retired || history.of(&doc.path).is_empty() {
            continue;
        }
        if let (Status::Approved, Some(date)) = (meta.status, meta.approved_on) {
            walks.push(Walk {
                document,
                rule: Rule::ChangedAfterApproval(date),
                next: 0,
            });
        }
        if meta.version.is_some() && meta.status != Status::Draft {
            walks.push(Walk {
                document,
                rule: Rule::VersionNotBumped,
                next: 0,
            });
        }
    }
    let mut raised: HashMap<usize, Vec<(Rule, usize)>> = HashMap::new();
    let mut cache: HashMap<String, Version> = HashMap::new();
    // The last commit's version of a document without uncommitted changes is the file just
    // read: only the versions before it come from git.
    for walk in &walks {
        let doc = &manual.documents[walk.document];
        // (Blobs are read with CRLF line ends made LF; a file with CR is read from git.)
        if history.uncommitted.contains(&doc.path) || doc.text.contains('\r') {
            continue;
        }
        if let Some(blob) = history
            .of(&doc.path)
            .first()
            .and_then(|c| c.new_blob.as_ref())
        {
            if !cache.contains_key(blob) {
                cache.insert(blob.clone(), version_from(doc.meta.as_ref(), doc.body()));
            }
        }
    }
    while !walks.is_empty() {
        // Drop walks that ran out of changes (or, after approval, out of later changes).
        walks.retain(|w| {
            let changes = history.of(&manual.documents[w.document].path);
            changes.get(w.next).is_some_and(|c| match w.rule {
                Rule::ChangedAfterApproval(date) => history.commit(c).date > date,
                Rule::VersionNotBumped => true,
            })
        });
        let mut wanted: Vec<String> = walks
            .iter()
            .flat_map(|w| {
                let change = &history.of(&manual.documents[w.document].path)[w.next];
                // An addition or deletion ends the walk: nothing to read for it.
                match (&change.old_blob, &change.new_blob) {
                    (Some(old), Some(new)) => vec![old.clone(), new.clone()],
                    _ => Vec::new(),
                }
            })
            .filter(|b| !cache.contains_key(b))
            .collect();
        wanted.sort();
        wanted.dedup();
        if !wanted.is_empty() {
            let read: Vec<(String, String)> = blobs(&wanted).into_iter().collect();
            cache.extend(
                read.into_par_iter()
                    .map(|(id, text)| (id, version_of(&text)))
                    .collect::<Vec<_>>(),
            );
        }
        walks.retain_mut(|w| {
            let change = &history.of(&manual.documents[w.document].path)[w.next];
            let (Some(old), Some(new)) = (
                change.old_blob.as_ref().and_then(|b| cache.get(b)),
                change.new_blob.as_ref().and_then(|b| cache.get(b)),
            ) else {
                // Added (where the history starts), deleted, or unreadable: stop here.
                return false;
            };
            let approved_again = match w.rule {
                Rule::ChangedAfterApproval(_) => {
                    old.version != new.version
                        || old.approved_on != new.approved_on
                        || old.status != new.status
                }
                Rule::VersionNotBumped => old.version != new.version,
            };
            if approved_again {
                return false;
            }
            if old.body != new.body {
                raised.entry(w.document).or_default().push((w.rule, w.next));
                return false;
            }
            w.next += 1;
            true
        });
    }
    let mut documents: Vec<usize> = raised.keys().copied().collect();
    documents.sort_unstable();
    for document in documents {
        let doc = &manual.documents[document];
        let Some(meta) = &doc.meta else { continue };
        let id = &meta.id.value;
        let at = doc.source_text().location(meta.line, 1);
        let mut rules = raised[&document].clone();
        rules.sort_by_key(|(rule, _)| matches!(rule, Rule::VersionNotBumped));
        for (rule, change) in rules {
            let commit = history.commit(&history.of(&doc.path)[change]);
            let what = format!(
                "commit {} of {} (\u{201c}{}\u{201d})",
                commit.short, commit.date, commit.subject
            );
            let d = match rule {
                Rule::ChangedAfterApproval(date) => Diagnostic::warning(
                    "changed-after-approval",
                    format!(
                        "{id} changed after its approval on {date}: {what} changed its text, and its version, approval date and status are unchanged since"
                    ),
                )
                .help("have the change approved (a new `version`, `approved_on` and `approved_by`), or revert it"),
                // Implied by the stronger finding about the same change.
                Rule::VersionNotBumped if found.iter().any(|d: &Diagnostic| {
                    d.code == "changed-after-approval" && d.document.as_deref() == Some(id)
                }) => continue,
                Rule::VersionNotBumped => Diagnostic::warning(
                    "version-not-bumped",
                    format!(
                        "{id}: {what} changed its text but not its version ({})",
                        meta.version.as_deref().unwrap_or("")
                    ),
                )
                .help("give the document a new `version` whenever its text changes"),
            };
            found.push(d.at(at.clone()).document(id.clone()));
        }
    }
    for doc in &manual.documents {
        if !history.uncommitted.contains(&doc.path) {
            continue;
        }
        let what = doc.id().unwrap_or(&doc.path).to_string();
        let mut d = Diagnostic::new(
            Severity::Note,
            "uncommitted",
            format!(
                "{what} has uncommitted changes: the manual shows the history of its last commit"
            ),
        )
        .at(doc.source_text().location(1, 1))
        .help("commit the change: the published manual and its history come from commits");
        if let Some(id) = doc.id() {
            d = d.document(id);
        }
        found.push(d);
    }
    if history.shallow {
        found.push(
            Diagnostic::new(
                Severity::Note,
                "history-shallow",
                format!(
                    "the git history is shallow: document histories start at {}, and findings from history may be incomplete",
                    history.oldest().map(|d| d.to_string()).unwrap_or_default()
                ),
            )
            .help("fetch the whole history (`git fetch --unshallow`; in CI, a checkout with full depth)"),
        );
    }
    found
}

/// Reads the history of `source_dir` and draws its findings, reading file contents from git.
pub fn load(manual: &Manual, source_dir: &Path) -> Option<(History, Vec<Diagnostic>)> {
    start(source_dir).finish(manual)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(id: &str, date: &str, subject: &str, raw: &[(&str, &[&str])]) -> Vec<u8> {
        let mut out = format!("\u{1e}{id}\0{date}\0Ann Author\0{subject}\0\n").into_bytes();
        for (header, paths) in raw {
            out.extend_from_slice(header.as_bytes());
            out.push(0);
            for p in *paths {
                out.extend_from_slice(p.as_bytes());
                out.push(0);
            }
        }
        out
    }

    const Z: &str = "0000000000000000000000000000000000000000";

    fn raw(status: &str, old: &str, new: &str) -> String {
        format!(":100644 100644 {old} {new} {status}")
    }

    #[test]
    fn parses_commits_and_follows_renames() {
        let mut log = Vec::new();
        log.extend(commit(
            "cccc1111",
            "2026-03-01",
            "Edit after rename",
            &[(&raw("M", "b2", "b3"), &["sms/new.md"])],
        ));
        log.extend(commit(
            "bbbb1111",
            "2026-02-01",
            "Rename",
            &[
                (&raw("R090", "b1", "b2"), &["sms/old.md", "sms/new.md"]),
                (&raw("M", "x1", "x2"), &["outside/file.md"]),
            ],
        ));
        log.extend(commit(
            "aaaa1111",
            "2026-01-01",
            "Add: with a colon",
            &[
                (&raw("A", Z, "b1"), &["sms/old.md"]),
                (&raw("A", Z, "o1"), &["sms/other.md"]),
            ],
        ));
        let (commits, files) = parse_log(&log, "sms/");
        assert_eq!(commits.len(), 3);
        assert_eq!(commits[2].subject, "Add: with a colon");
        assert_eq!(commits[0].short, "cccc111");
        assert_eq!(commits[1].date.to_string(), "2026-02-01");
        let new = &files["new.md"];
        assert_eq!(new.len(), 3);
        assert_eq!(new[0].kind, ChangeKind::Modified);
        assert_eq!(new[1].kind, ChangeKind::Renamed);
        assert_eq!(new[1].renamed_from.as_deref(), Some("old.md"));
        assert_eq!(new[2].kind, ChangeKind::Added);
        assert_eq!(new[2].old_blob, None);
        assert_eq!(new[2].new_blob.as_deref(), Some("b1"));
        assert!(!files.contains_key("old.md"));
        assert_eq!(files["other.md"].len(), 1);
        assert!(files.keys().all(|k| !k.contains("outside")));
    }

    #[test]
    fn a_path_reused_after_a_rename_is_another_file() {
        let mut log = Vec::new();
        log.extend(commit(
            "bbbb1111",
            "2026-02-01",
            "Swap",
            &[
                (&raw("A", Z, "n1"), &["a.md"]),
                (&raw("R100", "a1", "a1"), &["a.md", "b.md"]),
            ],
        ));
        log.extend(commit(
            "aaaa1111",
            "2026-01-01",
            "Add",
            &[(&raw("A", Z, "a1"), &["a.md"])],
        ));
        let (_, files) = parse_log(&log, "");
        assert_eq!(files["a.md"].len(), 1);
        assert_eq!(files["b.md"].len(), 2);
    }

    #[test]
    fn parses_status_with_renames_and_untracked_files() {
        let status = b" M sms/a.md\0R  sms/b.md\0sms/old-b.md\0?? sms/new.md\0 M other/x.md\0";
        let paths: Vec<String> = parse_status(status, "sms/").into_iter().collect();
        assert_eq!(paths, ["a.md", "b.md", "new.md"]);
    }

    fn manual(files: &[(&str, &str)]) -> Manual {
        let mut source = crate::source::Source::default();
        for (path, text) in files {
            source
                .documents
                .push(crate::source::parse_document(path, path, text.as_bytes()).0);
        }
        let catalogs = crate::catalog::Catalogs {
            list: vec![crate::catalog::Catalog::built_in().remove(0)],
        };
        Manual::build(source, &catalogs).0
    }

    fn doc(version: &str, approved_on: &str, body: &str) -> String {
        format!("---\nid: P-1\ntitle: P\ntype: policy\nstatus: approved\nversion: \"{version}\"\napproved_by: B\napproved_on: {approved_on}\nsatisfies: [5.2]\n---\n{body}\n")
    }

    /// A history of `p.md` from blobs named by their content's index in `versions`.
    fn history(dates: &[&str], versions: &[String]) -> (History, HashMap<String, String>) {
        let mut log = Vec::new();
        for i in (0..versions.len()).rev() {
            let old = if i == 0 {
                Z.to_string()
            } else {
                format!("b{}", i - 1)
            };
            let status = if i == 0 { "A" } else { "M" };
            log.extend(commit(
                &format!("c{i:07}"),
                dates[i],
                &format!("change {i}"),
                &[(&raw(status, &old, &format!("b{i}")), &["p.md"])],
            ));
        }
        let (commits, files) = parse_log(&log, "");
        let blobs = versions
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("b{i}"), v.clone()))
            .collect();
        (
            History {
                commits,
                files,
                ..History::default()
            },
            blobs,
        )
    }

    fn codes(dates: &[&str], versions: &[String]) -> Vec<&'static str> {
        let (history, blobs) = history(dates, versions);
        let current = versions.last().unwrap();
        let manual = manual(&[("p.md", current)]);
        let mut rounds = 0;
        let found = findings(&manual, &history, |ids| {
            rounds += 1;
            ids.iter()
                .filter_map(|id| Some((id.clone(), blobs.get(id)?.clone())))
                .collect()
        });
        assert!(rounds <= versions.len());
        found.iter().map(|d| d.code).collect()
    }

    #[test]
    fn body_changed_after_approval_is_flagged_and_cleared_by_a_new_approval() {
        let dates = ["2026-01-10", "2026-02-01", "2026-03-01"];
        let v = [
            doc("1.0", "2026-01-10", "Text."),
            doc("1.0", "2026-01-10", "Text changed."),
        ];
        assert_eq!(codes(&dates[..2], &v), ["changed-after-approval"]);
        let mut v = v.to_vec();
        v.push(doc("1.1", "2026-03-01", "Text changed."));
        assert!(codes(&dates, &v).is_empty());
    }

    #[test]
    fn front_matter_changes_alone_are_not_flagged() {
        let dates = ["2026-01-10", "2026-02-01"];
        let v = [
            doc("1.0", "2026-01-10", "Text."),
            doc("1.0", "2026-01-10", "Text.").replace("approved_by: B", "approved_by: C"),
        ];
        assert!(codes(&dates, &v).is_empty());
    }

    #[test]
    fn changes_on_the_approval_date_are_covered_by_it() {
        let dates = ["2026-01-01", "2026-01-10"];
        let v = [
            doc("1.0", "2026-01-10", "Text."),
            doc("1.0", "2026-01-10", "Text changed."),
        ];
        // The same version's text changed before approval: a version finding only.
        assert_eq!(codes(&dates, &v), ["version-not-bumped"]);
    }

    #[test]
    fn a_new_version_clears_version_not_bumped() {
        let dates = ["2026-01-01", "2026-01-02", "2026-01-03"];
        let v = [
            doc("1.0", "2026-05-10", "Text."),
            doc("1.0", "2026-05-10", "Text changed."),
            doc("1.1", "2026-05-10", "Text changed."),
        ];
        assert!(codes(&dates, &v).is_empty());
    }

    #[test]
    fn the_last_commit_is_read_from_the_working_tree_unless_it_differs() {
        let dates = ["2026-01-10", "2026-02-01"];
        let v = [
            doc("1.0", "2026-01-10", "Text."),
            doc("1.0", "2026-01-10", "Text changed."),
        ];
        let (mut history, blobs) = history(&dates, &v);
        let manual = manual(&[("p.md", &v[1])]);
        let mut asked = Vec::new();
        let mut run = |history: &History| {
            asked.clear();
            let found = findings(&manual, history, |ids| {
                asked.extend(ids.iter().cloned());
                ids.iter()
                    .filter_map(|id| Some((id.clone(), blobs.get(id)?.clone())))
                    .collect()
            });
            (found.len(), asked.clone())
        };
        assert_eq!(run(&history), (1, vec!["b0".to_string()]));
        history.uncommitted.insert("p.md".to_string());
        let (count, asked) = run(&history);
        assert_eq!(asked, ["b0", "b1"]);
        assert_eq!(count, 2, "the finding and the note `uncommitted`");
    }
}
