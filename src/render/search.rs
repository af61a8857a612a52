//! The search index: written at build time as a script (`search-index.js`) so that search
//! works from `file://`, and loaded by the page only when the search box is first used.
//!
//! Words are normalised here (lower case, diacritics removed) and matched in the browser by
//! prefix after stripping common English endings, so `approval` finds `approved` and
//! `8.5.1` finds `8.5.1.2`.

use crate::render::markdown::{clause_page, page_path};

use crate::source::Document;
use crate::Project;
use pulldown_cmark::{Event, TagEnd};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Where a result's snippet comes from.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Snippet {
    /// The document's place in the print pack (reading order): the browser loads the print
    /// pack's group that holds it and takes the text from there, so the text is stored once.
    Print(usize),
    /// The text itself (a clause's summary; empty for a document outside the print pack).
    Text(String),
}

/// One searchable page.
#[derive(Debug, Serialize)]
struct Entry(
    /// URL relative to the site root.
    String,
    /// Title.
    String,
    /// Document id or clause number.
    String,
    /// Document type, or `clause of …`.
    String,
    /// The snippet's source.
    Snippet,
);

/// `search-index.js`'s data: pages as `[url, title, id, type, snippet]` (the snippet a place
/// in the print pack or a text), postings as gaps between page numbers (`[3, 1, 4]` is pages
/// 3, 4 and 8).
#[derive(Debug, Serialize)]
struct Index {
    /// The pages.
    d: Vec<Entry>,
    /// Words of titles, ids and clause numbers → page gaps.
    t: BTreeMap<String, Vec<u32>>,
    /// Words of the text → page gaps.
    b: BTreeMap<String, Vec<u32>>,
    /// How many documents a print pack group holds.
    g: usize,
}

/// Lower case without diacritics: `Ré-évaluation` → `re-evaluation`.
pub fn normalise(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text: letters and digits, joined by `.` or `-` between two of them (so
/// `PRC-CHG-001` and `8.5.1.2` stay one word), normalised.
pub fn words(text: &str) -> Vec<String> {
    raw_words(text).map(normalise).collect()
}

/// The words of a text as written (not normalised).
fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let mut start = None;
        while let Some((i, c)) = chars.next() {
            let joiner = (c == '.' || c == '-')
                && start.is_some()
                && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
            if c.is_alphanumeric() || joiner {
                start.get_or_insert(i);
            } else if let Some(s) = start {
                return Some(&text[s..i]);
            }
        }
        start.map(|s| &text[s..])
    })
}

/// Adds what a Markdown event contributes to the plain text of a body.
pub fn collect_text(event: &Event, text: &mut String) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        Event::End(
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::CodeBlock,
        ) => text.push(' '),
        _ => {}
    }
}

/// The distinct words of a text, normalised, in no particular order. Words already in plain
/// lower-case ASCII (most of them) are borrowed from the text, not copied.
fn distinct_words(text: &str) -> Vec<Cow<'_, str>> {
    let mut seen: rustc_hash::FxHashSet<Cow<str>> = rustc_hash::FxHashSet::default();
    for word in raw_words(text) {
        if word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            seen.insert(Cow::Borrowed(word));
        } else {
            seen.insert(Cow::Owned(normalise(word)));
        }
    }
    seen.into_iter().collect()
}

/// The distinct words of a document's text, owned (to keep between builds).
pub fn prepare(text: &str) -> Vec<String> {
    distinct_words(text)
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

/// Word → pages. FxHash: the index hashes millions of short words, and SipHash's
/// protection against crafted keys buys nothing here.
type Postings = rustc_hash::FxHashMap<String, Vec<u32>>;

/// Builds the search index while the document pages are rendered: each page hands over its
/// plain text once, and only its distinct words are kept.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    entries: std::sync::Mutex<Vec<Option<Entry>>>,
    postings: std::sync::Mutex<(Postings, Postings)>,
}

/// Adds a page to the postings of its words; a word is copied only the first time it is seen.
fn add_postings(map: &mut Postings, words: Vec<Cow<str>>, page: u32) {
    for word in words {
        match map.get_mut(word.as_ref()) {
            Some(pages) => pages.push(page),
            None => {
                map.insert(word.into_owned(), vec![page]);
            }
        }
    }
}

impl IndexBuilder {
    /// An empty index for `documents` documents.
    pub fn new(documents: usize) -> IndexBuilder {
        IndexBuilder {
            entries: std::sync::Mutex::new((0..documents).map(|_| None).collect()),
            postings: Default::default(),
        }
    }

    /// Adds document `index`, at place `print` of the print pack, with the plain text of its
    /// body. Safe from several threads.
    pub fn add_document(&self, index: usize, print: usize, doc: &Document, text: &str) {
        self.add(index, print, doc, distinct_words(text));
    }

    /// Adds document `index` with what [`prepare`] gave for its text (kept between builds).
    pub fn add_prepared(&self, index: usize, print: usize, doc: &Document, words: &[String]) {
        let words = words.iter().map(|w| Cow::Borrowed(w.as_str())).collect();
        self.add(index, print, doc, words);
    }

    fn add(&self, index: usize, print: usize, doc: &Document, body_words: Vec<Cow<str>>) {
        let id = doc.id().unwrap_or("").to_string();
        let title = format!("{} {id}", doc.title);
        let title_words = distinct_words(&title);
        let entry = Entry(
            page_path(&doc.path),
            doc.title.clone(),
            id,
            doc.meta
                .as_ref()
                .map_or("page", |m| m.doc_type.as_str())
                .to_string(),
            Snippet::Print(print),
        );
        let page = index as u32;
        {
            let mut postings = self
                .postings
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            add_postings(&mut postings.0, title_words, page);
            add_postings(&mut postings.1, body_words, page);
        }
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(slot) = entries.get_mut(index) {
            *slot = Some(entry);
        }
    }

    /// Adds the clauses and writes `search-index.js`.
    pub fn finish(self, project: &Project) -> Vec<u8> {
        let catalogs = &project.catalogs;
        let entries = self
            .entries
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (mut titles, mut bodies) = self
            .postings
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut pages: Vec<Entry> = entries
            .into_iter()
            .zip(&project.manual.documents)
            .map(|(entry, doc)| {
                entry.unwrap_or_else(|| {
                    let text = Snippet::Text(String::new());
                    Entry(
                        page_path(&doc.path),
                        doc.title.clone(),
                        "".into(),
                        "".into(),
                        text,
                    )
                })
            })
            .collect();
        for key in catalogs.keys() {
            let page = pages.len() as u32;
            let clause = catalogs.clause(key);
            let reference = catalogs.reference(key);
            let title = format!("{reference} {} {}", clause.number, clause.title);
            add_postings(&mut titles, distinct_words(&title), page);
            add_postings(&mut bodies, distinct_words(&clause.summary), page);
            pages.push(Entry(
                clause_page(catalogs, key),
                format!("{} {}", clause.number, clause.title),
                reference,
                format!("clause of {}", catalogs.list[key.standard].title),
                Snippet::Text(
                    clause
                        .summary
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            ));
        }
        // Pages were added from several threads: sort each list, and the words, for a
        // deterministic file; then store each list as gaps (mostly one or two digits).
        let sorted = |map: Postings| -> BTreeMap<String, Vec<u32>> {
            map.into_iter()
                .map(|(word, mut pages)| {
                    pages.sort_unstable();
                    pages.dedup();
                    let mut last = 0;
                    for page in &mut pages {
                        (*page, last) = (*page - last, *page);
                    }
                    (word, pages)
                })
                .collect()
        };
        let index = Index {
            d: pages,
            t: sorted(titles),
            b: sorted(bodies),
            g: super::PRINT_GROUP,
        };
        let mut script = b"smsbookSearchLoaded(".to_vec();
        if serde_json::to_writer(&mut script, &index).is_err() {
            script.truncate(20);
            script.extend_from_slice(b"{\"d\":[],\"t\":{},\"b\":{},\"g\":1}");
        }
        script.extend_from_slice(b");\n");
        script
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_ids_and_clause_numbers_and_drop_diacritics() {
        assert_eq!(
            words("See PRC-CHG-001, clause 8.5.1.2. Ré-évaluation!"),
            ["see", "prc-chg-001", "clause", "8.5.1.2", "re-evaluation"]
        );
        assert_eq!(words("end. - next"), ["end", "next"]);
        assert_eq!(words("Ärger über Öl"), ["arger", "uber", "ol"]);
    }

    #[test]
    fn distinct_words_are_normalised_once() {
        let mut words: Vec<String> = distinct_words("The the THE Ré ré x")
            .into_iter()
            .map(Cow::into_owned)
            .collect();
        words.sort();
        assert_eq!(words, ["re", "the", "x"]);
    }

    fn plain_text(markdown: &str) -> String {
        let mut text = String::new();
        for event in pulldown_cmark::Parser::new_ext(markdown, crate::source::markdown::options()) {
            collect_text(&event, &mut text);
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(
            plain_text("## Head\n\nSome *text* and `code`.\n\n| a | b |\n|---|---|\n| c | d |\n"),
            "Head Some text and code. a b c d"
        );
    }
}
