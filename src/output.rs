//! Output: writing the built site. The site is written into a temporary folder next to the
//! destination and swapped in only when every file was written, so a failed build leaves
//! the previous site untouched. Unsafe destinations are refused.

use crate::diagnostics::Diagnostic;
use crate::render::Site;
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

/// Writes the site to `dest`: into a temporary sibling folder first, then swapped in.
pub fn write_site(dest: &Path, site: &Site) -> Result<(), Diagnostic> {
    let fail = |what: String, e: std::io::Error| {
        Diagnostic::error("output", format!("{what}: {e}"))
            .help("check that the destination's parent folder exists and is writable")
    };
    let dest_abs = absolute(dest);
    let parent = dest_abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = dest_abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    std::fs::create_dir_all(&parent)
        .map_err(|e| fail(format!("cannot create `{}`", parent.display()), e))?;
    let temp = parent.join(format!(".{name}.smsbook-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.smsbook-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    let result = (|| {
        std::fs::create_dir(&temp)
            .map_err(|e| fail(format!("cannot create `{}`", temp.display()), e))?;
        for (path, bytes) in site {
            let target = temp.join(path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| fail(format!("cannot create `{}`", dir.display()), e))?;
            }
            std::fs::write(&target, bytes)
                .map_err(|e| fail(format!("cannot write `{}`", target.display()), e))?;
        }
        std::fs::write(
            temp.join(MARKER),
            "This folder was written by smsbook; `smsbook build` replaces it.\n",
        )
        .map_err(|e| fail("cannot write the output marker".into(), e))?;
        if dest_abs.exists() {
            std::fs::rename(&dest_abs, &old).map_err(|e| {
                fail(
                    format!("cannot move the previous site `{}` aside", dest.display()),
                    e,
                )
            })?;
        }
        if let Err(e) = std::fs::rename(&temp, &dest_abs) {
            let _ = std::fs::rename(&old, &dest_abs);
            return Err(fail(
                format!("cannot move the new site into `{}`", dest.display()),
                e,
            ));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result
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
}
