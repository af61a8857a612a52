//! Markdown → HTML for document pages: heading anchors with hover links, links rewritten
//! (`.md` → `.html`, `clause:8.5.1` → the clause page), code highlighted with syntect CSS
//! classes, ```mermaid kept as `<pre class="mermaid">` for the browser.

use crate::catalog::Catalogs;
use crate::manual::{classify_link, LinkKind};
use crate::source::markdown::options;
use crate::source::Document;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};

/// How many times the syntax set was loaded (a regression guard: it must be once).
pub static SYNTAX_SET_LOADS: AtomicUsize = AtomicUsize::new(0);

/// The syntax definitions, loaded once, on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(|| {
    SYNTAX_SET_LOADS.fetch_add(1, Ordering::Relaxed);
    SyntaxSet::load_defaults_newlines()
});

/// Token kinds of highlighted code: a scope (and its sub-scopes) → a short element name, the
/// first match from the innermost scope outwards winning. One flat element per run of tokens
/// of a kind (`<hl-c>…</hl-c>`, a custom element: half the bytes of `<span class="hl-c">`),
/// styled by the end of `theme/style.css`, where a class per scope atom cost ~10× the code's
/// own size.
const TOKEN_KINDS: &[(&str, &str)] = &[
    ("comment", "hl-c"),
    ("string", "hl-s"),
    ("constant.numeric", "hl-n"),
    ("constant.character.escape", "hl-e"),
    ("constant", "hl-n"),
    ("variable.parameter", "hl-v"),
    ("variable.function", "hl-f"),
    ("variable", "hl-v"),
    ("keyword.operator", "hl-o"),
    ("keyword", "hl-k"),
    ("storage.type", "hl-t"),
    ("storage", "hl-k"),
    ("entity.name.function", "hl-f"),
    ("support.function", "hl-f"),
    ("entity.name.tag", "hl-g"),
    ("entity.other.attribute-name", "hl-a"),
    ("entity.name", "hl-t"),
    ("support.type", "hl-t"),
    ("support", "hl-f"),
    ("markup.heading", "hl-k"),
    ("markup.inserted", "hl-s"),
    ("markup.deleted", "hl-d"),
    ("invalid", "hl-d"),
];

/// The token kinds as syntect scopes, parsed once.
static TOKEN_SCOPES: LazyLock<Vec<(syntect::parsing::Scope, &'static str)>> = LazyLock::new(|| {
    TOKEN_KINDS
        .iter()
        .filter_map(|(scope, class)| {
            syntect::parsing::Scope::new(scope)
                .ok()
                .map(|s| (s, *class))
        })
        .collect()
});

/// The element of the innermost scope of `stack` that has a token kind.
fn token_class(stack: &ScopeStack) -> Option<&'static str> {
    stack.as_slice().iter().rev().find_map(|scope| {
        TOKEN_SCOPES
            .iter()
            .find(|(kind, _)| kind.is_prefix_of(*scope))
            .map(|(_, class)| *class)
    })
}

/// The relative URL from the page of `from` (a source path) to the source path `to`.
pub fn relative_url(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{}", "../".repeat(depth), to)
}

/// A source path's page: `processes/change.md` → `processes/change.html`.
pub fn page_path(source_path: &str) -> String {
    match source_path.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html"),
        None => source_path.to_string(),
    }
}

/// The file name of a clause page: `8.5.1.html`, or `prefix/8.5.1.html` outside the primary standard.
pub fn clause_page(catalogs: &Catalogs, key: crate::catalog::ClauseKey) -> String {
    let number = &catalogs.clause(key).number;
    if key.standard == 0 {
        format!("clauses/{number}.html")
    } else {
        format!(
            "clauses/{}/{number}.html",
            catalogs.list[key.standard].prefix
        )
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// Highlights a code block; an unknown language is plain, escaped text.
pub fn highlight(code: &str, language: &str) -> String {
    let language = language.split([',', ' ']).next().unwrap_or("");
    if language == "mermaid" {
        return format!("<pre class=\"mermaid\">{}</pre>\n", escape(code));
    }
    let syntax = (!language.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(language))
        .flatten();
    let Some(syntax) = syntax else {
        let class = if language.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape(language))
        };
        return format!("<pre><code{class}>{}</code></pre>\n", escape(code));
    };
    let Some(html) = highlight_tokens(code, syntax) else {
        return format!("<pre><code>{}</code></pre>\n", escape(code));
    };
    format!(
        "<pre class=\"highlight\"><code class=\"language-{}\">{html}</code></pre>\n",
        escape(language)
    )
}

/// Code as flat `<hl-…>` runs of token kinds; `None` when syntect fails.
fn highlight_tokens(code: &str, syntax: &syntect::parsing::SyntaxReference) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 2);
    let mut open: Option<&'static str> = None;
    let mut push = |html: &mut String, class: Option<&'static str>, text: &str| {
        if text.is_empty() {
            return;
        }
        if open != class {
            if let Some(open) = open {
                html.push_str("</");
                html.push_str(open);
                html.push('>');
            }
            if let Some(class) = class {
                html.push('<');
                html.push_str(class);
                html.push('>');
            }
            open = class;
        }
        pulldown_cmark_escape::escape_html(&mut *html, text).ok();
    };
    for line in syntect::util::LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut at = 0;
        for (position, op) in ops {
            push(&mut html, token_class(&stack), &line[at..position]);
            at = position;
            stack.apply(&op).ok()?;
        }
        push(&mut html, token_class(&stack), &line[at..]);
    }
    if let Some(open) = open {
        html.push_str("</");
        html.push_str(open);
        html.push('>');
    }
    Some(html)
}

/// The id of a document's section in the print page: `doc-processes-change`.
pub fn print_anchor(path: &str) -> String {
    format!(
        "doc-{}",
        path.trim_end_matches(".md").replace(['/', '.', ' '], "-")
    )
}

/// Where a rendered body goes: its own page, or the single print page at the site root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Page,
    Print,
}

/// Rewrites a link target written in `doc` to a URL of the built site.
fn rewrite_link(doc: &Document, target: &str, catalogs: &Catalogs, to: Target) -> String {
    let from = match to {
        Target::Page => doc.path.as_str(),
        Target::Print => "print.html",
    };
    match classify_link(&doc.path, target) {
        LinkKind::External | LinkKind::OutsideSource => target.to_string(),
        LinkKind::Clause(reference) => match catalogs.resolve(&reference) {
            Ok(key) => relative_url(from, &clause_page(catalogs, key)),
            Err(_) => target.to_string(),
        },
        LinkKind::Local { path: None, anchor } => match to {
            Target::Page => format!("#{}", anchor.unwrap_or_default()),
            Target::Print => format!("#{}", print_anchor(&doc.path)),
        },
        LinkKind::Local {
            path: Some(path),
            anchor,
        } if to == Target::Print && path.ends_with(".md") => {
            let _ = anchor;
            format!("#{}", print_anchor(&path))
        }
        LinkKind::Local {
            path: Some(path),
            anchor,
        } => {
            let url = relative_url(from, &page_path(&path));
            match anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url,
            }
        }
    }
}

/// The glossary as rendering needs it: terms, their matcher, and where they are defined.
#[derive(Debug, Clone, Copy)]
pub struct Glossary<'a> {
    /// The terms.
    pub terms: &'a [crate::glossary::Term],
    /// Finds them in text.
    pub matcher: &'a crate::glossary::Matcher,
    /// The documents, to link to the glossary's page.
    pub documents: &'a [Document],
}

/// Renders a document's body to HTML for its own page; `sanitize` cleans raw HTML; the first
/// use of each glossary term gets a tooltip with its definition and a link to it.
pub fn render_body(
    doc: &Document,
    catalogs: &Catalogs,
    sanitize: bool,
    glossary: Option<Glossary>,
) -> String {
    render_page(doc, catalogs, sanitize, glossary).0
}

/// The page HTML, the print-pack HTML and the plain text (for the search index) of a body,
/// from a single pass over its Markdown.
pub fn render_page(
    doc: &Document,
    catalogs: &Catalogs,
    sanitize: bool,
    glossary: Option<Glossary>,
) -> (String, String, String) {
    let Rendered {
        page,
        print,
        text,
        raw_html,
    } = render(doc, catalogs, glossary);
    let page = clean(page, sanitize);
    let page = if raw_html { page } else { omit_end_tags(&page) };
    (page, clean(print, sanitize), text)
}

/// End tags HTML lets a page leave out (the parser closes these elements itself) that a body
/// rendered from Markdown has many of: about 6% of a typical page.
const OPTIONAL_END_TAGS: [&str; 7] = [
    "</p>", "</li>", "</td>", "</th>", "</tr>", "</thead>", "</tbody>",
];

/// A body without its optional end tags. Only for HTML written from Markdown alone, where
/// every `</` starts a real end tag (text, attributes and code are escaped) and every `</p>`
/// is followed by a block or the end of its parent; a body with raw HTML is left as it is.
fn omit_end_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (at, _) in html.match_indices("</") {
        if at < copied {
            continue;
        }
        if let Some(tag) = OPTIONAL_END_TAGS
            .iter()
            .find(|t| html[at..].starts_with(*t))
        {
            out.push_str(&html[copied..at]);
            copied = at + tag.len();
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The tooltip markup of a term: a link to its definition, described by the definition.
fn term_html(doc: &Document, glossary: &Glossary, term: usize, text: &str) -> String {
    let t = &glossary.terms[term];
    let url = relative_url(&doc.path, &page_path(&glossary.documents[t.document].path));
    format!(
        "<span class=\"term\"><a href=\"{}#{}\" aria-describedby=\"term-tip-{term}\">{}</a><span class=\"term-tip\" role=\"tooltip\" id=\"term-tip-{term}\"><strong>{}</strong>: {}</span></span>",
        escape(&url),
        escape(&t.anchor),
        escape(text),
        escape(&t.term),
        escape(&t.definition)
    )
}

/// The HTML allowed in sanitised bodies: ammonia's safe defaults plus what smsbook itself
/// writes (heading ids, anchor links, highlighting elements, task-list checkboxes).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class", "aria-label"])
        .add_tags(["input"])
        .add_tags(TOKEN_KINDS.iter().map(|(_, element)| *element))
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .link_rel(None);
    builder
});

/// Cleans raw HTML (scripts, event handlers, `javascript:` links) out of a rendered body.
fn clean(html: String, sanitize: bool) -> String {
    if sanitize {
        SANITIZER.clean(&html).to_string()
    } else {
        html
    }
}

/// One output of the single pass over a body: the page's or the print pack's events.
struct Output<'e> {
    to: Target,
    /// Prefix of heading ids (the print pack holds every document).
    prefix: String,
    events: Vec<Event<'e>>,
    heading_level: Option<pulldown_cmark::HeadingLevel>,
}

impl<'e> Output<'e> {
    fn new(doc: &Document, to: Target) -> Self {
        let prefix = match to {
            Target::Page => String::new(),
            Target::Print => format!("{}--", print_anchor(&doc.path)),
        };
        Output {
            to,
            prefix,
            events: Vec::new(),
            heading_level: None,
        }
    }

    fn html(&mut self, html: String) {
        self.events.push(Event::Html(CowStr::from(html)));
    }

    fn heading(&mut self, level: pulldown_cmark::HeadingLevel, anchor: &str) {
        // In the print pack each document's title is an h2: its headings go one down.
        let level = match self.to {
            Target::Page => level,
            Target::Print => pulldown_cmark::HeadingLevel::try_from(level as usize + 1)
                .unwrap_or(pulldown_cmark::HeadingLevel::H6),
        };
        self.heading_level = Some(level);
        let id = escape(&format!("{}{anchor}", self.prefix));
        // The hover link is added by the page's script (`theme/app.js`), not repeated here.
        self.html(format!("<{level} id=\"{id}\">"));
    }

    fn code(&mut self, body: &str, language: &str, highlighted: &mut Option<String>) {
        let html = match self.to {
            Target::Page => highlighted
                .get_or_insert_with(|| highlight(body, language))
                .clone(),
            // The print pack shows code plain: paper needs no colours.
            Target::Print if language.starts_with("mermaid") => highlight(body, "mermaid"),
            Target::Print => format!("<pre><code>{}</code></pre>\n", escape(body)),
        };
        self.html(html);
    }

    fn finish(self, capacity: usize) -> String {
        let mut html = String::with_capacity(capacity);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        html
    }
}

/// A body rendered in one pass: its page HTML, its print-pack HTML, its plain text.
struct Rendered {
    page: String,
    print: String,
    text: String,
    /// The Markdown has raw HTML.
    raw_html: bool,
}

fn render(doc: &Document, catalogs: &Catalogs, glossary: Option<Glossary>) -> Rendered {
    // Glossary terms are marked in running text only, never in the glossary itself.
    let glossary = glossary.filter(|_| {
        doc.meta.as_ref().map(|m| m.doc_type) != Some(crate::source::frontmatter::DocType::Glossary)
    });
    let mut used = vec![false; glossary.map_or(0, |g| g.terms.len())];
    let mut in_link = 0usize;
    let mut outputs = [
        Output::new(doc, Target::Page),
        Output::new(doc, Target::Print),
    ];
    let mut text = String::with_capacity(doc.body().len());
    let mut headings = doc.headings.iter();
    let mut code: Option<(String, String)> = None;
    let mut raw_html = false;
    for event in pulldown_cmark::Parser::new_ext(doc.body(), options()) {
        crate::render::search::collect_text(&event, &mut text);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let anchor = headings
                    .next()
                    .map(|h| h.anchor.as_str())
                    .unwrap_or_default();
                outputs.iter_mut().for_each(|o| o.heading(level, anchor));
            }
            Event::End(TagEnd::Heading(_)) => {
                for o in &mut outputs {
                    if let Some(level) = o.heading_level.take() {
                        o.html(format!("</{level}>\n"));
                    }
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((language, String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((language, body)) = code.take() {
                    let mut highlighted = None;
                    outputs
                        .iter_mut()
                        .for_each(|o| o.code(&body, &language, &mut highlighted));
                }
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                in_link += 1;
                for o in &mut outputs {
                    let mut tag = tag.clone();
                    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                        *dest_url = CowStr::from(rewrite_link(doc, dest_url, catalogs, o.to));
                    }
                    o.events.push(Event::Start(tag));
                }
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                in_link = in_link.saturating_sub(1);
                outputs
                    .iter_mut()
                    .for_each(|o| o.events.push(Event::End(end)));
            }
            Event::Text(text)
                if glossary.is_some() && in_link == 0 && outputs[0].heading_level.is_none() =>
            {
                let glossary = glossary.as_ref().expect("checked above");
                let [page, print] = &mut outputs;
                let mut rest: &str = &text;
                while let Some((range, term)) = glossary.matcher.find(rest, |t| !used[t]) {
                    used[term] = true;
                    page.events
                        .push(Event::Text(CowStr::from(rest[..range.start].to_string())));
                    page.events.push(Event::InlineHtml(CowStr::from(term_html(
                        doc,
                        glossary,
                        term,
                        &rest[range.clone()],
                    ))));
                    rest = &rest[range.end..];
                }
                page.events
                    .push(Event::Text(CowStr::from(rest.to_string())));
                print.events.push(Event::Text(text));
            }
            other => {
                raw_html |= matches!(other, Event::Html(_) | Event::InlineHtml(_));
                outputs[1].events.push(other.clone());
                outputs[0].events.push(other);
            }
        }
    }
    let capacity = doc.body().len() * 3 / 2;
    let [page, print] = outputs;
    Rendered {
        page: page.finish(capacity),
        print: print.finish(capacity),
        text,
        raw_html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::source::parse_document;

    fn render(path: &str, text: &str) -> String {
        let (doc, _) = parse_document(path, path, text.as_bytes());
        let catalogs = Catalogs {
            list: Catalog::built_in(),
        };
        render_body(&doc, &catalogs, false, None)
    }

    /// The DOM a browser builds from `html`, serialised with every end tag, newlines dropped.
    fn parsed(html: &str) -> String {
        scraper::Html::parse_fragment(html)
            .root_element()
            .html()
            .replace('\n', "")
    }

    #[test]
    fn optional_end_tags_are_left_out_without_changing_the_document() {
        let markdown = "# T\n\nA *p*\nline.\n\n- a\n- b\n  - c\n\n1. loose\n\n2. list\n\n> quote\n\n| a | b |\n|---|--:|\n| `</td>` | 2 |\n\n```\n</p></li>\n```\n\n[x](y.md \"</tr>\") end\n";
        let (doc, _) = parse_document("a.md", "a.md", markdown.as_bytes());
        let catalogs = Catalogs {
            list: Catalog::built_in(),
        };
        let full = super::render(&doc, &catalogs, None).page;
        let short = render_body(&doc, &catalogs, false, None);
        for tag in OPTIONAL_END_TAGS {
            assert!(full.contains(tag), "{tag} in {full}");
        }
        assert!(
            !short.contains("</p>") && !short.contains("</td>"),
            "{short}"
        );
        assert!(short.contains("&lt;/td&gt;") && short.contains("&lt;/p&gt;&lt;/li&gt;"));
        assert!(short.len() < full.len());
        assert_eq!(parsed(&short), parsed(&full));
        // Raw HTML keeps every tag: its `</` may be anything.
        let (raw, _) = parse_document("b.md", "b.md", b"<div>\n\nx\n\n</div>\n\n- a\n");
        assert!(render_body(&raw, &catalogs, false, None).contains("</li>"));
    }

    #[test]
    fn links_are_rewritten() {
        let html = render("processes/a.md", "[b](../plans/b.md#scope) [c](clause:8.5.1) [x](https://x.org/a.md) [i](img.png) [s](#here)\n");
        assert!(html.contains("href=\"../plans/b.html#scope\""), "{html}");
        assert!(html.contains("href=\"../clauses/8.5.1.html\""), "{html}");
        assert!(html.contains("href=\"https://x.org/a.md\""), "{html}");
        assert!(html.contains("href=\"../processes/img.png\""), "{html}");
        assert!(html.contains("href=\"#here\""), "{html}");
    }

    #[test]
    fn headings_have_ids() {
        let html = render("a.md", "## Roles (RACI)\n\n## Roles (RACI)\n");
        assert!(
            html.contains("<h2 id=\"roles-raci\">Roles (RACI)</h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"roles-raci-1\">"), "{html}");
    }

    #[test]
    fn code_is_highlighted_with_classes_and_mermaid_kept() {
        let html = render("a.md", "```bash\necho \"hi\" <b>\n```\n\n```nosuchlang\n<x>\n```\n\n```mermaid\ngraph TD; A-->B\n```\n");
        assert!(
            html.contains("<pre class=\"highlight\"><code class=\"language-bash\">"),
            "{html}"
        );
        assert!(html.contains("<hl-s>&quot;hi&quot;</hl-s>"), "{html}");
        assert!(
            html.contains("<pre><code class=\"language-nosuchlang\">&lt;x&gt;\n</code></pre>"),
            "{html}"
        );
        assert!(
            html.contains("<pre class=\"mermaid\">graph TD; A--&gt;B\n</pre>"),
            "{html}"
        );
        assert_eq!(SYNTAX_SET_LOADS.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn raw_html_passes_through_unless_sanitized() {
        let text = "## Head\n\n<div class=\"note\" onclick=\"steal()\">x</div>\n\n<script>alert(1)</script>\n\n[a](javascript:alert(1)) [b](other.md)\n\n```bash\necho hi\n```\n\n- [x] done\n";
        let (doc, _) = parse_document("a.md", "a.md", text.as_bytes());
        let catalogs = Catalogs {
            list: Catalog::built_in(),
        };
        let raw = render_body(&doc, &catalogs, false, None);
        assert!(
            raw.contains("<script>alert(1)</script>") && raw.contains("onclick"),
            "{raw}"
        );
        let clean = render_body(&doc, &catalogs, true, None);
        for gone in ["<script", "onclick", "javascript:"] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        for kept in [
            "<h2 id=\"head\">",
            "<div class=\"note\">x</div>",
            "href=\"other.html\"",
            "<hl-f>echo</hl-f>",
            "type=\"checkbox\"",
        ] {
            assert!(clean.contains(kept), "{kept} in {clean}");
        }
    }

    #[test]
    fn tables_footnotes_tasks_strikethrough() {
        let html = render(
            "a.md",
            "| a |\n|---|\n| b |\n\n~~x~~ [^1]\n\n[^1]: note\n\n- [x] done\n",
        );
        for needle in ["<table>", "<del>x</del>", "footnote", "type=\"checkbox\""] {
            assert!(html.contains(needle), "{needle} in {html}");
        }
    }
}
