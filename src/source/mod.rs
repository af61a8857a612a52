//! Source: walks the source folder and reads every Markdown file into a [`Document`]
//! (front matter, title, headings, links). Reading files is the only I/O here; parsing one
//! file is the pure function [`parse_document`].

pub mod frontmatter;
pub mod markdown;

use crate::diagnostics::{Diagnostic, SourceText};
use frontmatter::Meta;
use markdown::{Heading, Link};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The navigation file (mdBook's format); not a document of the manual.
pub const SUMMARY_FILE: &str = "SUMMARY.md";

/// One Markdown file of the SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Path relative to the source folder, with `/` separators (`processes/change.md`).
    pub path: String,
    /// The path as shown in diagnostics (`sample-sms/processes/change.md`).
    pub file: String,
    /// The file's text (without a UTF-8 byte order mark).
    pub text: String,
    /// The front matter, when the file has valid front matter.
    pub meta: Option<Meta>,
    /// True when the file has front matter (valid or not).
    pub has_front_matter: bool,
    /// The title: from front matter, else the first heading, else the file name.
    pub title: String,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// The body's headings.
    pub headings: Vec<Heading>,
    /// Anchors defined in raw HTML (`id="…"`).
    pub html_anchors: Vec<String>,
    /// The body's links and images.
    pub links: Vec<Link>,
}

impl Document {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// The document id, if it has front matter.
    pub fn id(&self) -> Option<&str> {
        self.meta.as_ref().map(|m| m.id.value.as_str())
    }

    /// True when `anchor` names a heading or an HTML anchor of this document.
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.headings.iter().any(|h| h.anchor == anchor)
            || self.html_anchors.iter().any(|a| a == anchor)
    }

    /// Indexes the text for locating diagnostics.
    pub fn source_text(&self) -> SourceText<'_> {
        SourceText::new(&self.file, &self.text)
    }
}

/// Everything read from the source folder.
#[derive(Debug, Default)]
pub struct Source {
    /// The documents, sorted by path.
    pub documents: Vec<Document>,
    /// Other files (images, PDFs, …), relative paths with `/` separators.
    pub assets: BTreeSet<String>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of `SUMMARY.md`, when there is one.
    pub summary: Option<String>,
}

/// Parses one file. `path` is relative to the source folder; `file` is how diagnostics name it.
pub fn parse_document(path: &str, file: &str, bytes: &[u8]) -> (Document, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let location = SourceText::new(file, valid).location_of_offset(valid.len());
            diagnostics.push(
                Diagnostic::error("not-utf8", "the file is not valid UTF-8 text")
                    .at(location)
                    .help("save the file as UTF-8 (most editors offer this under 'Save with encoding')"),
            );
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let source = SourceText::new(file, &text);
    let (meta, has_front_matter, body_start) = match frontmatter::split(&text) {
        Ok(split) => match split.yaml {
            Some(yaml) => {
                let (meta, errors) = frontmatter::parse(yaml, &source);
                diagnostics.extend(errors);
                (meta, true, split.body_start)
            }
            None => (None, false, 0),
        },
        Err(frontmatter::Unclosed) => {
            diagnostics.push(
                Diagnostic::error(
                    "unclosed-front-matter",
                    "the front matter opened here is never closed",
                )
                .at(source.location(1, 1))
                .help("add a line with only `---` after the last front matter key"),
            );
            (None, true, text.len())
        }
    };
    if text.trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning("empty-file", "the file is empty")
                .at(source.location(1, 1))
                .help("write the document, or delete the file"),
        );
    }
    let (headings, links, html_anchors) = markdown::scan(&text[body_start..], body_start);
    let title = match &meta {
        Some(meta) => meta.title.clone(),
        None => markdown::first_heading(&headings, &text[body_start..]).unwrap_or_else(|| {
            Path::new(path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.to_string())
        }),
    };
    let document = Document {
        path: path.to_string(),
        file: file.to_string(),
        text,
        meta,
        has_front_matter,
        title,
        body_start,
        headings,
        html_anchors,
        links,
    };
    (document, diagnostics)
}

/// Reads the source folder: every `.md` file becomes a document (except `SUMMARY.md` at the
/// top), every other file an asset. Hidden files and folders and `skip` are left out.
pub fn read_source(
    dir: &Path,
    skip: &[PathBuf],
    cache: Option<&ParseCache>,
) -> Result<Source, Vec<Diagnostic>> {
    if !dir.is_dir() {
        return Err(vec![Diagnostic::error(
            "missing-source",
            format!("the source folder `{}` does not exist", dir.display()),
        )
        .help("create it, or set `src` under [book] in book.toml to the folder that holds your documents")]);
    }
    let mut markdown_files = Vec::new();
    let mut source = Source::default();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            !hidden && !skip.iter().any(|s| e.path() == s)
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                source.diagnostics.push(
                    Diagnostic::error(
                        "read-error",
                        format!(
                            "cannot read `{}`: {e}",
                            e.path().map_or(dir, |p| p).display()
                        ),
                    )
                    .help("check the folder's permissions"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if relative.ends_with(".md") {
            if relative == SUMMARY_FILE {
                source.summary = std::fs::read_to_string(entry.path()).ok();
            } else {
                markdown_files.push((relative, entry.into_path()));
            }
        } else {
            source.assets.insert(relative);
        }
    }
    let parsed: Vec<_> = markdown_files
        .par_iter()
        .map(|(relative, full)| {
            let file = full.display().to_string();
            match std::fs::read(full) {
                Ok(bytes) => match cache {
                    Some(cache) => cache.parse(relative, &file, &bytes),
                    None => parse_document(relative, &file, &bytes),
                },
                Err(e) => {
                    let d = Diagnostic::error("read-error", format!("cannot read `{file}`: {e}"))
                        .help("check the file's permissions");
                    let (doc, _) = parse_document(relative, &file, b"");
                    (doc, vec![d])
                }
            }
        })
        .collect();
    for (document, diagnostics) in parsed {
        source.documents.push(document);
        source.diagnostics.extend(diagnostics);
    }
    Ok(source)
}

/// Parsed documents kept between builds (`serve`): a file whose path and bytes are the same
/// as last time is not parsed again.
#[derive(Debug, Default)]
pub struct ParseCache {
    parsed: std::sync::Mutex<ParsedFiles>,
}

/// Path → hash of the bytes, and what parsing them gave.
type ParsedFiles = std::collections::HashMap<String, (u64, Arc<(Document, Vec<Diagnostic>)>)>;

impl ParseCache {
    /// `parse_document`, or the stored result for the same path and bytes.
    pub fn parse(&self, relative: &str, file: &str, bytes: &[u8]) -> (Document, Vec<Diagnostic>) {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(file.as_bytes());
        h.write(bytes);
        let hash = h.finish();
        let lock = || {
            self.parsed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((known, parsed)) = lock().get(relative) {
            if *known == hash {
                return parsed.as_ref().clone();
            }
        }
        let parsed = parse_document(relative, file, bytes);
        lock().insert(relative.to_string(), (hash, Arc::new(parsed.clone())));
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parse_cache_gives_what_parsing_gives() {
        let cache = ParseCache::default();
        let text = b"---\nid: A\ntitle: A\n---\n# A\n";
        let first = cache.parse("a.md", "src/a.md", text);
        assert_eq!(cache.parse("a.md", "src/a.md", text), first);
        let changed = cache.parse("a.md", "src/a.md", b"---\nid: B\ntitle: B\n---\n");
        assert_eq!(
            changed,
            parse_document("a.md", "src/a.md", b"---\nid: B\ntitle: B\n---\n")
        );
    }

    #[test]
    fn plain_page_takes_its_title_from_the_first_heading_or_file_name() {
        let (doc, errors) = parse_document("a/intro.md", "src/a/intro.md", b"Text\n\n# Welcome\n");
        assert!(errors.is_empty());
        assert_eq!(doc.title, "Welcome");
        assert!(doc.meta.is_none());
        let (doc, _) = parse_document("a/intro.md", "src/a/intro.md", b"just text");
        assert_eq!(doc.title, "intro");
    }

    #[test]
    fn bom_and_crlf_are_handled() {
        let text = "\u{feff}---\r\nid: A-1\r\ntitle: T\r\ntype: guide\r\nsatisfies: [9.1]\r\n---\r\n## Head\r\n";
        let (doc, errors) = parse_document("a.md", "a.md", text.as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        let meta = doc.meta.unwrap();
        assert_eq!(meta.id.value, "A-1");
        assert_eq!(meta.satisfies[0].clause.line, 5);
        assert_eq!(doc.headings[0].anchor, "head");
    }

    #[test]
    fn invalid_utf8_is_an_error_at_its_position() {
        let (_, errors) = parse_document("a.md", "a.md", b"ok\nab\xff\xfe");
        assert_eq!(errors[0].code, "not-utf8");
        let loc = errors[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
    }

    #[test]
    fn unclosed_front_matter_and_empty_file() {
        let (_, errors) = parse_document("a.md", "a.md", b"---\nid: A\n");
        assert_eq!(errors[0].code, "unclosed-front-matter");
        let (_, errors) = parse_document("a.md", "a.md", b"");
        assert_eq!(errors[0].code, "empty-file");
    }
}
