//! What a rebuild can reuse from the one before (for `serve`): each document's Markdown
//! render (page, print version, plain text) and its search words, keyed by a hash of
//! everything they depend on. Entries not used by a build are dropped after it.

use crate::catalog::Catalogs;
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

    /// Ends a build: what it did not use is dropped. Returns how many renders it reused.
    pub fn finish_build(&self) -> usize {
        let mut g = self
            .generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        g.previous = std::mem::take(&mut g.current);
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

/// A hash of what a document's render depends on besides the document itself: the
/// catalogues (clause links), the glossary (tooltips) and sanitising.
pub fn context_key(
    catalogs: &Catalogs,
    terms: &[crate::glossary::Term],
    documents: &[Document],
    sanitize: bool,
) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for c in &catalogs.list {
        (&c.id, &c.prefix, c.clauses.len()).hash(&mut h);
    }
    for t in terms {
        (
            &t.term,
            &t.definition,
            &documents[t.document].path,
            &t.anchor,
        )
            .hash(&mut h);
    }
    sanitize.hash(&mut h);
    h.finish()
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
