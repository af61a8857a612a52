//! What the later stages need to know of a Markdown body: its headings (with GitHub-style
//! anchors) and its links, each with its byte offset for diagnostics.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// A heading of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, 2 for `##`, …
    pub level: u8,
    /// The heading's plain text.
    pub text: String,
    /// The anchor: the explicit `{#id}` or the GitHub slug of the text, made unique.
    pub anchor: String,
    /// Byte offset of the heading in the file.
    pub offset: usize,
}

/// A link or image in a document body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination exactly as written.
    pub target: String,
    /// Byte offset of the link in the file.
    pub offset: usize,
    /// True for an image.
    pub image: bool,
}

/// The Markdown extensions smsbook reads (CommonMark plus the GitHub ones).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The headings, links and extra anchors (`id="…"` in raw HTML) of a Markdown body that
/// starts at byte `base` of its file.
pub fn scan(body: &str, base: usize) -> (Vec<Heading>, Vec<Link>, Vec<String>) {
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut html_ids = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut current: Option<(u8, Option<String>, String, usize)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    level_number(level),
                    id.map(|i| i.to_string()),
                    String::new(),
                    range.start,
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text, start)) = current.take() {
                    let text = text.trim().to_string();
                    let anchor = unique(id.unwrap_or_else(|| slug(&text)), &mut used);
                    headings.push(Heading {
                        level,
                        text,
                        anchor,
                        offset: base + start,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text, _)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(Link {
                target: dest_url.to_string(),
                offset: base + range.start,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => links.push(Link {
                target: dest_url.to_string(),
                offset: base + range.start,
                image: true,
            }),
            Event::Html(html) | Event::InlineHtml(html) => {
                html_ids.extend(html_attribute_values(&html, "id"));
                html_ids.extend(html_attribute_values(&html, "name"));
            }
            _ => {}
        }
    }
    (headings, links, html_ids)
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// GitHub's heading slug: lower case, drop everything but letters, digits, spaces, `-` and
/// `_`, then spaces become `-`. "Roles and responsibilities (RACI)" →
/// `roles-and-responsibilities-raci`.
pub fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Makes an anchor unique the way GitHub does: the second `usage` becomes `usage-1`.
fn unique(anchor: String, used: &mut HashMap<String, usize>) -> String {
    match used.get(&anchor).copied() {
        None => {
            used.insert(anchor.clone(), 0);
            anchor
        }
        Some(mut n) => loop {
            n += 1;
            let candidate = format!("{anchor}-{n}");
            if !used.contains_key(&candidate) {
                used.insert(anchor.clone(), n);
                used.insert(candidate.clone(), 0);
                break candidate;
            }
        },
    }
}

/// Values of `attr="…"` (or single-quoted) in a fragment of raw HTML.
fn html_attribute_values<'h>(html: &'h str, attr: &str) -> impl Iterator<Item = String> + 'h {
    let needle = format!("{attr}=");
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let at = rest.find(&needle)?;
        let preceded_by_space = rest[..at].ends_with(|c: char| c.is_whitespace());
        rest = &rest[at + needle.len()..];
        let quote = rest.chars().next()?;
        if !preceded_by_space || (quote != '"' && quote != '\'') {
            continue;
        }
        let end = rest[1..].find(quote)?;
        let value = rest[1..1 + end].to_string();
        rest = &rest[1 + end..];
        return Some(value);
    })
}

/// The text of the first heading of a body, Markdown (`# Title`) or HTML (`<h1>Title</h1>`).
pub fn first_heading(headings: &[Heading], body: &str) -> Option<String> {
    let markdown = headings.iter().find(|h| !h.text.is_empty());
    let html = body.find("<h1").and_then(|start| {
        let open_end = start + body[start..].find('>')? + 1;
        let close = open_end + body[open_end..].find("</h1>")?;
        Some((start, strip_tags(&body[open_end..close])))
    });
    match (markdown, html) {
        (Some(h), Some((offset, text))) if offset < h.offset && !text.is_empty() => Some(text),
        (Some(h), _) => Some(h.text.clone()),
        (None, Some((_, text))) if !text.is_empty() => Some(text),
        _ => None,
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(
            slug("Roles and responsibilities (RACI)"),
            "roles-and-responsibilities-raci"
        );
        assert_eq!(slug("8.5.1 Change — management"), "851-change--management");
        assert_eq!(slug("Über_uns"), "über_uns");
    }

    #[test]
    fn headings_get_unique_anchors_and_explicit_ids() {
        let body = "## Steps\n\n## Steps\n\n## Steps\n\n## Custom {#my-id}\n\n## `code` *emph*\n";
        let (headings, _, _) = scan(body, 100);
        let anchors: Vec<&str> = headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            ["steps", "steps-1", "steps-2", "my-id", "code-emph"]
        );
        assert_eq!(headings[0].offset, 100);
    }

    #[test]
    fn links_and_images_with_offsets() {
        let body = "See [x](a.md#b) and ![i](img.png).\n<a id=\"here\"></a>\n";
        let (_, links, ids) = scan(body, 10);
        assert_eq!(links[0].target, "a.md#b");
        assert_eq!(links[0].offset, 10 + 4);
        assert!(links[1].image);
        assert_eq!(ids, ["here"]);
    }

    #[test]
    fn first_heading_from_markdown_or_html() {
        let (h, _, _) = scan("# Hello\n", 0);
        assert_eq!(first_heading(&h, "# Hello\n").as_deref(), Some("Hello"));
        assert_eq!(
            first_heading(&[], "<h1 class=x>Hi <b>there</b></h1>").as_deref(),
            Some("Hi there")
        );
        assert_eq!(first_heading(&[], "text"), None);
    }
}
