//! What a rebuild can reuse from the one before (for `serve`): each document's Markdown
//! render (page, print version, plain text) and its search words, keyed by a hash of
//! everything they depend on. Entries not used by a build are dropped after it.

use crate::source::Document;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

/// One document's render, as the site needs it.
#[derive(Debug)]
pub struct Rendered {
    /// The body HTML of its page.
    pub page: String,
    /// The body HTML of its print version.
    pub print: String,
    /// The distinct, normalised words of the text.
    pub words: Vec<String>,
    /// The start of the text, for search results.
    pub snippet: String,
}

#[derive(Debug, Default)]
struct Generations {
    previous: HashMap<u64, Arc<Rendered>>,
    current: HashMap<u64, Arc<Rendered>>,
    /// Output path → key of the file written there, by the previous and this build.
    pages_before: HashMap<String, u64>,
    pages_now: HashMap<String, u64>,
    /// Compressed groups (print pack, search texts) by a hash of what was compressed.
    packed_before: HashMap<u64, Arc<String>>,
    packed_now: HashMap<u64, Arc<String>>,
}

/// Renders kept from one build to the next.
#[derive(Debug, Default)]
pub struct RenderCache {
    generations: Mutex<Generations>,
    hits: std::sync::atomic::AtomicUsize,
}

impl RenderCache {
    /// The render stored under `key`, or the result of `render` (then stored).
    pub fn get_or_render(&self, key: u64, render: impl FnOnce() -> Rendered) -> Arc<Rendered> {
        {
            let mut g = self
                .generations
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let found = g
                .current
                .get(&key)
                .cloned()
                .or_else(|| g.previous.remove(&key));
            if let Some(found) = found {
                g.current.insert(key, Arc::clone(&found));
                self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return found;
            }
        }
        let rendered = Arc::new(render());
        self.generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .current
            .insert(key, Arc::clone(&rendered));
        rendered
    }

    /// Records that the file at `path` has `key` (a hash of what it is made from) in this
    /// build; true when the previous build wrote it with the same key (so it can stay).
    pub fn same_output(&self, path: &str, key: u64) -> bool {
        let mut g = self
            .generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        g.pages_now.insert(path.to_string(), key);
        g.pages_before.get(path) == Some(&key)
    }

    /// [`super::pack::deflate_base64`] of `data`, or what it gave for the same bytes before.
    pub fn packed(&self, data: &[u8]) -> Arc<String> {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(data);
        h.write_usize(data.len());
        let key = h.finish();
        let lock = || {
            self.generations
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        let found = {
            let mut g = lock();
            let found = g
                .packed_now
                .get(&key)
                .cloned()
                .or_else(|| g.packed_before.remove(&key));
            if let Some(found) = &found {
                g.packed_now.insert(key, Arc::clone(found));
            }
            found
        };
        found.unwrap_or_else(|| {
            let packed = Arc::new(super::pack::deflate_base64(data));
            lock().packed_now.insert(key, Arc::clone(&packed));
            packed
        })
    }

    /// Ends a build: what it did not use is dropped. Returns how many renders it reused.
    pub fn finish_build(&self) -> usize {
        let mut g = self
            .generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        g.previous = std::mem::take(&mut g.current);
        g.pages_before = std::mem::take(&mut g.pages_now);
        g.packed_before = std::mem::take(&mut g.packed_now);
        self.hits.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets everything (after a failed build).
    pub fn clear(&self) {
        *self
            .generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Generations::default();
    }
}

/// Hashes of what a document's render, and then its page, depend on besides the document
/// and its view: for the render, the catalogues (clause links), the glossary (tooltips) and
/// sanitising; for the page, also what every page shows (site, revision, date) and the theme.
pub fn context_keys(
    project: &crate::Project,
    terms: &[crate::glossary::Term],
    site: &super::SiteInfo,
    theme: u64,
) -> (u64, u64) {
    let mut h = std::hash::DefaultHasher::new();
    for c in &project.catalogs.list {
        (&c.id, &c.prefix, c.clauses.len()).hash(&mut h);
    }
    let documents = &project.manual.documents;
    for t in terms {
        let path = &documents[t.document].path;
        (&t.term, &t.definition, path, &t.anchor).hash(&mut h);
    }
    project.config.sanitize.hash(&mut h);
    let render = h.finish();
    (
        &site.title,
        &site.organization,
        &site.language,
        &site.revision,
    )
        .hash(&mut h);
    (project.rules.today, theme, project.config.soa.len()).hash(&mut h);
    (render, h.finish())
}

/// Feeds what serde writes into a hasher.
struct HashWriter<H: Hasher>(H);

impl<H: Hasher> std::io::Write for HashWriter<H> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The key of a page: its render's key and everything else the template gets.
pub fn page_key(render: u64, view: &impl serde::Serialize) -> u64 {
    let mut writer = HashWriter(std::hash::DefaultHasher::new());
    render.hash(&mut writer.0);
    // Serialising plain view structs into a hasher cannot fail; a failure would only make
    // the key differ, and the page be written again.
    let _ = serde_json::to_writer(&mut writer, view);
    writer.0.finish()
}

/// The cache key of one document's render.
pub fn document_key(context: u64, doc: &Document) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (context, &doc.path, &doc.text, doc.body_start).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(text: &str) -> Rendered {
        Rendered {
            page: text.into(),
            print: String::new(),
            words: Vec::new(),
            snippet: String::new(),
        }
    }

    #[test]
    fn reuses_within_and_across_one_build_and_forgets_the_unused() {
        let cache = RenderCache::default();
        let mut renders = 0;
        let mut get = |key: u64| {
            cache.get_or_render(key, || {
                renders += 1;
                rendered("x")
            })
        };
        get(1);
        get(2);
        get(1);
        assert_eq!(renders, 2);
        assert_eq!(cache.finish_build(), 1);
        cache.get_or_render(1, || unreachable!());
        assert_eq!(cache.finish_build(), 1); // 2 was not used: dropped
        let mut again = false;
        cache.get_or_render(2, || {
            again = true;
            rendered("y")
        });
        assert!(again);
    }
}
