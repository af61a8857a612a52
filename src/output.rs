//! Output: writing the built site. The site is written into a temporary folder next to the
//! destination and swapped in only when every file was written, so a failed build leaves
//! the previous site untouched. Unsafe destinations are refused. `serve` writes in place
//! instead, only the files that changed.

use crate::diagnostics::Diagnostic;
use crate::render::Site;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The file that marks a folder as written by smsbook (so it may be replaced).
pub const MARKER: &str = ".smsbook-output";

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Refuses destinations that would destroy something: the source folder or a folder that
/// contains it, a folder inside the source, the filesystem root, the home folder, or a
/// non-empty folder smsbook did not create (unless `force`).
pub fn check_destination(dest: &Path, source: &Path, force: bool) -> Result<(), Diagnostic> {
    let dest_abs = absolute(dest);
    let source_abs = absolute(source);
    let refuse = |why: String| {
        Err(Diagnostic::error(
            "unsafe-destination",
            format!("refusing to build into `{}`: {why}", dest.display()),
        )
        .help("choose an empty folder, or the output folder of an earlier build (`--dest DIR`)"))
    };
    if dest_abs.parent().is_none() {
        return refuse("it is the filesystem root".into());
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home) == dest_abs {
            return refuse("it is your home folder".into());
        }
    }
    if source_abs.starts_with(&dest_abs) {
        return refuse(format!(
            "it is or contains the source folder `{}`",
            source.display()
        ));
    }
    if dest_abs.starts_with(&source_abs) {
        return refuse(format!(
            "it is inside the source folder `{}`, whose files are all read as the manual",
            source.display()
        ));
    }
    if dest.is_file() {
        return refuse("it is a file".into());
    }
    if dest.is_dir() && !dest.join(MARKER).is_file() && !force {
        let empty = std::fs::read_dir(dest)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::error(
                "unsafe-destination",
                format!(
                    "refusing to build into `{}`: it is not empty and smsbook did not create it",
                    dest.display()
                ),
            )
            .help("choose another folder, empty it, or pass --force to replace its contents"));
        }
    }
    Ok(())
}

/// A site being written: files go into a temporary folder next to the destination, which
/// replaces the destination on [`Staging::commit`]. Dropped without a commit, it leaves the
/// destination as it was and removes the temporary folder.
#[derive(Debug)]
pub struct Staging {
    dest: PathBuf,
    temp: PathBuf,
    old: PathBuf,
    committed: bool,
    /// Folders already created (thousands of pages share a few folders).
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

/// `root/path`, with its folder created once (`folders` remembers which exist).
fn target_in(
    root: &Path,
    path: &str,
    folders: &std::sync::Mutex<std::collections::HashSet<PathBuf>>,
) -> Result<PathBuf, Diagnostic> {
    let target = root.join(path);
    if let Some(dir) = target.parent() {
        let mut folders = folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !folders.contains(dir) {
            std::fs::create_dir_all(dir)
                .map_err(|e| io_error(format!("cannot create `{}`", dir.display()), e))?;
            folders.insert(dir.to_path_buf());
        }
    }
    Ok(target)
}

fn io_error(what: String, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("output", format!("{what}: {e}"))
        .help("check that the destination's parent folder exists and is writable")
}

impl Staging {
    /// Starts writing a site that will replace `dest`.
    pub fn new(dest: &Path) -> Result<Staging, Diagnostic> {
        let dest = absolute(dest);
        let parent = dest
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "book".into());
        std::fs::create_dir_all(&parent)
            .map_err(|e| io_error(format!("cannot create `{}`", parent.display()), e))?;
        let temp = parent.join(format!(".{name}.smsbook-new-{}", std::process::id()));
        let old = parent.join(format!(".{name}.smsbook-old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&temp);
        std::fs::create_dir(&temp)
            .map_err(|e| io_error(format!("cannot create `{}`", temp.display()), e))?;
        Ok(Staging {
            dest,
            temp,
            old,
            committed: false,
            folders: Default::default(),
        })
    }

    fn target(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        target_in(&self.temp, path, &self.folders)
    }

    /// Writes one file (`path` relative to the site root). Safe to call from several threads.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.target(path)?;
        std::fs::write(&target, bytes)
            .map_err(|e| io_error(format!("cannot write `{}`", target.display()), e))
    }

    /// Marks the folder as smsbook's and swaps it in place of the destination.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        std::fs::write(
            self.temp.join(MARKER),
            "This folder was written by smsbook; `smsbook build` replaces it.\n",
        )
        .map_err(|e| io_error("cannot write the output marker".into(), e))?;
        if self.dest.exists() {
            std::fs::rename(&self.dest, &self.old).map_err(|e| {
                io_error(
                    format!(
                        "cannot move the previous site `{}` aside",
                        self.dest.display()
                    ),
                    e,
                )
            })?;
        }
        if let Err(e) = std::fs::rename(&self.temp, &self.dest) {
            let _ = std::fs::rename(&self.old, &self.dest);
            return Err(io_error(
                format!("cannot move the new site into `{}`", self.dest.display()),
                e,
            ));
        }
        self.committed = true;
        remove_tree(&self.old);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// Removes a folder tree, its top-level entries in parallel (a previous site can hold
/// thousands of files).
fn remove_tree(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.par_iter().for_each(|path| {
            if path.is_dir() {
                let _ = std::fs::remove_dir_all(path);
            } else {
                let _ = std::fs::remove_file(path);
            }
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The hash of every file of a site written in place, by path.
pub type FileHashes = std::collections::HashMap<String, u64>;

fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// A site rewritten in place, for `serve`: a file whose bytes are those of the previous
/// build is not written again, and files the new build no longer has are removed. Not
/// atomic: a reader may see the site half-way (the dev server's pages reload after a build).
#[derive(Debug)]
pub struct InPlace {
    dest: PathBuf,
    previous: FileHashes,
    current: std::sync::Mutex<FileHashes>,
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    written: std::sync::atomic::AtomicUsize,
}

impl InPlace {
    /// Starts a build into `dest`, whose files the previous build left with `previous` hashes.
    pub fn new(dest: &Path, previous: FileHashes) -> InPlace {
        InPlace {
            dest: dest.to_path_buf(),
            previous,
            current: Default::default(),
            folders: Default::default(),
            written: Default::default(),
        }
    }

    /// Writes one file unless it is unchanged. Safe to call from several threads.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let hash = hash_bytes(bytes);
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), hash);
        if self.previous.get(path) == Some(&hash) {
            return Ok(());
        }
        let target = target_in(&self.dest, path, &self.folders)?;
        self.written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        std::fs::write(&target, bytes)
            .map_err(|e| io_error(format!("cannot write `{}`", target.display()), e))
    }

    /// Keeps the previous build's file at `path` as this build's; false when there is none.
    pub fn keep(&self, path: &str) -> bool {
        let Some(&hash) = self.previous.get(path) else {
            return false;
        };
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), hash);
        true
    }

    /// Removes the files of the previous build that this one did not produce; returns the
    /// hashes of this build's files and how many files were actually written.
    pub fn finish(self) -> (FileHashes, usize) {
        let current = self
            .current
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for path in self.previous.keys().filter(|p| !current.contains_key(*p)) {
            let _ = std::fs::remove_file(self.dest.join(path));
        }
        (current, self.written.into_inner())
    }
}

/// Writes a whole in-memory site to `dest`, atomically.
pub fn write_site(dest: &Path, site: &Site) -> Result<(), Diagnostic> {
    let staging = Staging::new(dest)?;
    site.par_iter()
        .try_for_each(|(path, bytes)| staging.write(path, bytes))?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_unsafe_destinations() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("a")).unwrap();
        assert!(check_destination(Path::new("/"), &src, true).is_err());
        assert!(check_destination(&src, &src, true).is_err());
        assert!(check_destination(dir.path(), &src, true).is_err());
        assert!(check_destination(&src.join("a"), &src, true).is_err());
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("keep.txt"), "x").unwrap();
        assert!(check_destination(&other, &src, false).is_err());
        assert!(check_destination(&other, &src, true).is_ok());
        assert!(check_destination(&dir.path().join("new"), &src, false).is_ok());
    }

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let mut site = Site::new();
        site.insert("a/b.html".into(), b"one".to_vec());
        write_site(&dest, &site).unwrap();
        assert_eq!(std::fs::read(dest.join("a/b.html")).unwrap(), b"one");
        assert!(dest.join(MARKER).is_file());
        site.insert("a/b.html".into(), b"two".to_vec());
        write_site(&dest, &site).unwrap();
        assert_eq!(std::fs::read(dest.join("a/b.html")).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left");
    }

    #[test]
    fn in_place_writes_only_what_changed_and_removes_what_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let first = InPlace::new(dir.path(), FileHashes::new());
        first.write("a/same.html", b"same").unwrap();
        first.write("gone.html", b"x").unwrap();
        let (hashes, written) = first.finish();
        assert_eq!(written, 2);
        // A file changed behind our back keeps its content when the build gives the same bytes:
        // the hash of what we wrote last is what counts.
        let second = InPlace::new(dir.path(), hashes);
        second.write("a/same.html", b"same").unwrap();
        second.write("new.html", b"new").unwrap();
        let (hashes, written) = second.finish();
        assert_eq!(written, 1);
        assert_eq!(hashes.len(), 2);
        assert!(!dir.path().join("gone.html").exists());
        assert_eq!(
            std::fs::read(dir.path().join("a/same.html")).unwrap(),
            b"same"
        );
        assert_eq!(std::fs::read(dir.path().join("new.html")).unwrap(), b"new");
    }

    #[test]
    fn an_abandoned_staging_leaves_the_destination_alone() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("book");
        let mut site = Site::new();
        site.insert("index.html".into(), b"old".to_vec());
        write_site(&dest, &site).unwrap();
        {
            let staging = Staging::new(&dest).unwrap();
            staging.write("index.html", b"half").unwrap();
        }
        assert_eq!(std::fs::read(dest.join("index.html")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
