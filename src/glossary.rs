//! The glossary: terms and definitions from the documents of `type: glossary` (each `###`
//! heading is a term, or each `##` heading when there is no `###`; the first paragraph under
//! it is the definition), and the matcher that finds their first use on a page.

use crate::manual::Manual;
use crate::source::frontmatter::DocType;
use crate::source::markdown::options;
use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{Event, Tag, TagEnd};

/// One term of the glossary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written in its heading.
    pub term: String,
    /// The definition, as plain text.
    pub definition: String,
    /// The document that defines it.
    pub document: usize,
    /// The heading's anchor in that document.
    pub anchor: String,
}

/// The terms of every glossary document, in document order.
pub fn terms(manual: &Manual) -> Vec<Term> {
    let mut terms = Vec::new();
    for (index, doc) in manual.documents.iter().enumerate() {
        if doc.meta.as_ref().map(|m| m.doc_type) != Some(DocType::Glossary) {
            continue;
        }
        let level = if doc.headings.iter().any(|h| h.level == 3) {
            3
        } else {
            2
        };
        let mut current: Option<Term> = None;
        let mut heading = 0;
        let mut in_paragraph = false;
        let mut in_heading = false;
        for event in pulldown_cmark::Parser::new_ext(doc.body(), options()) {
            match event {
                Event::Start(Tag::Heading { .. }) => {
                    in_heading = true;
                    terms.extend(current.take().filter(|t| !t.definition.is_empty()));
                    if let Some(h) = doc.headings.get(heading).filter(|h| h.level == level) {
                        current = Some(Term {
                            term: h.text.clone(),
                            definition: String::new(),
                            document: index,
                            anchor: h.anchor.clone(),
                        });
                    }
                    heading += 1;
                }
                Event::End(TagEnd::Heading(_)) => in_heading = false,
                Event::Start(Tag::Paragraph) => {
                    in_paragraph = current.as_ref().is_some_and(|t| t.definition.is_empty())
                }
                Event::End(TagEnd::Paragraph) => in_paragraph = false,
                Event::Text(text) | Event::Code(text) if in_paragraph && !in_heading => {
                    if let Some(term) = current.as_mut() {
                        term.definition.push_str(&text);
                    }
                }
                Event::SoftBreak | Event::HardBreak if in_paragraph => {
                    if let Some(term) = current.as_mut() {
                        term.definition.push(' ');
                    }
                }
                _ => {}
            }
        }
        terms.extend(current.take().filter(|t| !t.definition.is_empty()));
    }
    terms
}

/// Finds terms in text: whole words, any case, also with a plural `s` or `es`.
#[derive(Debug)]
pub struct Matcher {
    automaton: AhoCorasick,
    /// For each pattern, the index of its term.
    term_of: Vec<usize>,
}

impl Matcher {
    /// Builds the matcher; `None` when there are no terms.
    pub fn new(terms: &[Term]) -> Option<Matcher> {
        if terms.is_empty() {
            return None;
        }
        let mut patterns = Vec::new();
        let mut term_of = Vec::new();
        for (index, term) in terms.iter().enumerate() {
            let base = term.term.to_lowercase();
            for form in [format!("{base}es"), format!("{base}s"), base.clone()] {
                patterns.push(form);
                term_of.push(index);
            }
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok()?;
        Some(Matcher { automaton, term_of })
    }

    /// The first whole-word use in `text` of a term for which `wanted` says yes: (byte range, term).
    pub fn find(
        &self,
        text: &str,
        wanted: impl Fn(usize) -> bool,
    ) -> Option<(std::ops::Range<usize>, usize)> {
        let is_word =
            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
        // Overlapping matches, so that "change" is still found inside "change advisory
        // board" once that longer term was used; the earliest, then the longest, wins.
        self.automaton
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let term = self.term_of[m.pattern().as_usize()];
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                (!is_word(before) && !is_word(after) && wanted(term)).then(|| (m.range(), term))
            })
            .min_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Catalogs};
    use crate::source::{parse_document, Source};

    fn manual(text: &str) -> Manual {
        let mut source = Source::default();
        source
            .documents
            .push(parse_document("g.md", "g.md", text.as_bytes()).0);
        Manual::build(
            source,
            &Catalogs {
                list: Catalog::built_in(),
            },
        )
        .0
    }

    #[test]
    fn terms_come_from_level_three_headings_of_glossaries() {
        let m = manual("---\nid: G\ntitle: G\ntype: glossary\n---\n## Intro\n\nWords.\n\n## Terms\n\n### Change\n\nA *modification* to a\nservice.\n\nMore text.\n\n### CAB\n\nThe board.\n");
        let t = terms(&m);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].term, "Change");
        assert_eq!(t[0].definition, "A modification to a service.");
        assert_eq!(t[1].anchor, "cab");
        let guide =
            manual("---\nid: G\ntitle: G\ntype: guide\n---\n### Change\n\nA modification.\n");
        assert!(
            terms(&guide).is_empty(),
            "only glossary documents define terms"
        );
    }

    #[test]
    fn matcher_finds_whole_words_in_any_case_with_plurals() {
        let t = vec![
            Term {
                term: "Change".into(),
                definition: "d".into(),
                document: 0,
                anchor: "change".into(),
            },
            Term {
                term: "Change Advisory Board".into(),
                definition: "d".into(),
                document: 0,
                anchor: "cab".into(),
            },
        ];
        let m = Matcher::new(&t).unwrap();
        assert_eq!(
            m.find("Unchanged. Several changes.", |_| true),
            Some((19..26, 0))
        );
        assert_eq!(
            m.find("the change advisory board meets", |_| true),
            Some((4..25, 1))
        );
        assert_eq!(
            m.find("the change advisory board meets", |t| t == 0),
            Some((4..10, 0))
        );
        assert_eq!(m.find("exchange", |_| true), None);
    }
}
