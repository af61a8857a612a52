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
}

/// Values by key, from the previous build and this one: what this build uses moves over,
/// the rest is dropped when the build ends.
#[derive(Debug)]
struct Kept<K, V> {
    before: HashMap<K, V>,
    now: HashMap<K, V>,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            before: HashMap::new(),
            now: HashMap::new(),
        }
    }
}

impl<K: Eq + std::hash::Hash, V: Clone> Kept<K, V> {
    /// The value under `key` in this build or the previous one (then kept for this one).
    fn reuse(&mut self, key: K) -> Option<V> {
        if let Some(v) = self.now.get(&key) {
            return Some(v.clone());
        }
        let v = self.before.remove(&key)?;
        self.now.insert(key, v.clone());
        Some(v)
    }

    /// Ends a build.
    fn end(&mut self) {
        self.before = std::mem::take(&mut self.now);
    }
}

#[derive(Debug, Default)]
struct Generations {
    /// Document renders by key.
    renders: Kept<u64, Arc<Rendered>>,
    /// Output path → key of the file written there.
    pages: Kept<String, u64>,
    /// Compressed print pack groups by a hash of what was compressed.
    packed: Kept<u64, Arc<String>>,
}

/// Renders kept from one build to the next.
#[derive(Debug, Default)]
pub struct RenderCache {
    generations: Mutex<Generations>,
    hits: std::sync::atomic::AtomicUsize,
}

impl RenderCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        self.generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The value under `key` in the store `pick` chooses, or `make`'s (then stored); the
    /// lock is not held while `make` runs.
    fn get_or_make<V: Clone>(
        &self,
        pick: fn(&mut Generations) -> &mut Kept<u64, V>,
        key: u64,
        make: impl FnOnce() -> V,
    ) -> (V, bool) {
        if let Some(found) = pick(&mut self.lock()).reuse(key) {
            return (found, true);
        }
        let made = make();
        pick(&mut self.lock()).now.insert(key, made.clone());
        (made, false)
    }

    /// The render stored under `key`, or the result of `render` (then stored).
    pub fn get_or_render(&self, key: u64, render: impl FnOnce() -> Rendered) -> Arc<Rendered> {
        let (rendered, hit) = self.get_or_make(|g| &mut g.renders, key, || Arc::new(render()));
        if hit {
            self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        rendered
    }

    /// Records that the file at `path` has `key` (a hash of what it is made from) in this
    /// build; true when the previous build wrote it with the same key (so it can stay).
    pub fn same_output(&self, path: &str, key: u64) -> bool {
        let mut g = self.lock();
        g.pages.now.insert(path.to_string(), key);
        g.pages.before.get(path) == Some(&key)
    }

    /// [`super::pack::deflate_base64`] of `data`, or what it gave for the same bytes before.
    pub fn packed(&self, data: &[u8]) -> Arc<String> {
        let mut h = rustc_hash::FxHasher::default();
        h.write(data);
        h.write_usize(data.len());
        let make = || Arc::new(super::pack::deflate_base64(data));
        self.get_or_make(|g| &mut g.packed, h.finish(), make).0
    }

    /// Ends a build: what it did not use is dropped. Returns how many renders it reused.
    pub fn finish_build(&self) -> usize {
        let mut g = self.lock();
        g.renders.end();
        g.pages.end();
        g.packed.end();
        self.hits.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets everything (after a failed build).
    pub fn clear(&self) {
        *self.lock() = Generations::default();
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
