//! The search index: written at build time as a script (`search-index.js`) so that search
//! works from `file://`, and loaded by the page only when the search box is first used.
//!
//! Words are normalised here (lower case, diacritics removed) and matched in the browser by
//! prefix after stripping common English endings, so `approval` finds `approved` and
//! `8.5.1` finds `8.5.1.2`.

use crate::render::markdown::{clause_page, page_path};
use crate::source::markdown::options;
use crate::Project;
use pulldown_cmark::{Event, TagEnd};
use serde::Serialize;
use std::collections::BTreeMap;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// How much of each document's text the index keeps for result snippets.
pub const SNIPPET_TEXT: usize = 3000;

/// One searchable page.
#[derive(Debug, Serialize)]
struct Entry {
    /// URL relative to the site root.
    u: String,
    /// Title.
    t: String,
    /// Document id or clause number.
    i: String,
    /// Document type, or `clause`.
    y: String,
    /// The start of the text, for snippets.
    x: String,
}

#[derive(Debug, Serialize)]
struct Index {
    /// The pages.
    d: Vec<Entry>,
    /// Words of titles, ids and clause numbers → pages.
    t: BTreeMap<String, Vec<u32>>,
    /// Words of the text → pages.
    b: BTreeMap<String, Vec<u32>>,
}

/// Lower case without diacritics: `Ré-évaluation` → `re-evaluation`.
pub fn normalise(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a text: letters and digits, joined by `.` or `-` between two of them (so
/// `PRC-CHG-001` and `8.5.1.2` stay one word), normalised.
pub fn words(text: &str) -> Vec<String> {
    let text = normalise(text);
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let joiner = (c == '.' || c == '-')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || joiner {
            current.push(c);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The plain text of a Markdown body.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in pulldown_cmark::Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
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
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}

fn add(map: &mut BTreeMap<String, Vec<u32>>, text: &str, page: u32) {
    for word in words(text) {
        let pages = map.entry(word).or_default();
        if pages.last() != Some(&page) {
            pages.push(page);
        }
    }
}

/// The contents of `search-index.js`.
pub fn search_index(project: &Project) -> String {
    let manual = &project.manual;
    let catalogs = &project.catalogs;
    let texts: Vec<String> = {
        use rayon::prelude::*;
        manual
            .documents
            .par_iter()
            .map(|doc| plain_text(doc.body()))
            .collect()
    };
    let mut index = Index {
        d: Vec::new(),
        t: BTreeMap::new(),
        b: BTreeMap::new(),
    };
    for (doc, text) in manual.documents.iter().zip(&texts) {
        let page = index.d.len() as u32;
        let id = doc.id().unwrap_or("").to_string();
        add(&mut index.t, &format!("{} {id}", doc.title), page);
        add(&mut index.b, text, page);
        index.d.push(Entry {
            u: page_path(&doc.path),
            t: doc.title.clone(),
            i: id,
            y: doc
                .meta
                .as_ref()
                .map_or("page", |m| m.doc_type.as_str())
                .to_string(),
            x: cut(text, SNIPPET_TEXT),
        });
    }
    for key in catalogs.keys() {
        let page = index.d.len() as u32;
        let clause = catalogs.clause(key);
        let reference = catalogs.reference(key);
        add(
            &mut index.t,
            &format!("{reference} {} {}", clause.number, clause.title),
            page,
        );
        add(&mut index.b, &clause.summary, page);
        index.d.push(Entry {
            u: clause_page(catalogs, key),
            t: format!("{} {}", clause.number, clause.title),
            i: reference,
            y: format!("clause of {}", catalogs.list[key.standard].title),
            x: clause.summary.clone(),
        });
    }
    let json =
        serde_json::to_string(&index).unwrap_or_else(|_| "{\"d\":[],\"t\":{},\"b\":{}}".into());
    format!("smsbookSearchLoaded({json});\n")
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
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(
            plain_text("## Head\n\nSome *text* and `code`.\n\n| a | b |\n|---|---|\n| c | d |\n"),
            "Head Some text and code. a b c d"
        );
    }
}
