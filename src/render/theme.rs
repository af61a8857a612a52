//! The theme: tera templates, CSS and JavaScript, embedded in the binary. A user theme
//! folder (`[output.html] theme = "theme"`) overrides any file of it by name.

use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

/// Embeds the default theme's files: (name, contents).
macro_rules! theme_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The default theme's files: (name, contents).
const DEFAULT: &[(&str, &str)] = theme_files![
    "base.html",
    "header.html",
    "views.html",
    "mode.js",
    "index.html",
    "document.html",
    "clause.html",
    "clauses.html",
    "matrix.html",
    "register.html",
    "print.html",
    "contents.html",
    "404.html",
    "style.css",
    "app.js",
    "search.js",
    "print.js",
    "diagrams.js",
    "reading.html",
    "readings.html",
    "search.html",
    "whats-new.html",
    "soa.html",
    "standards.html",
    "topics.html",
    "history.html",
    "history-table.html",
    "changes.html",
];

/// The Mermaid library and its licence, copied into sites that have a diagram.
pub const MERMAID: &[(&str, &[u8])] = &[
    (
        "vendor/mermaid.min.js",
        include_bytes!("../../themes/default/vendor/mermaid.min.js"),
    ),
    (
        "vendor/mermaid-LICENSE.txt",
        include_bytes!("../../themes/default/vendor/mermaid-LICENSE.txt"),
    ),
];

/// True when a Markdown body has a ```mermaid (or ~~~mermaid) block.
pub fn has_diagram(markdown: &str) -> bool {
    markdown.lines().any(|line| {
        let line = line.trim_start();
        (line.starts_with("```") || line.starts_with("~~~"))
            && line[3..]
                .trim_start_matches(['`', '~'])
                .trim_start()
                .starts_with("mermaid")
    })
}

/// A theme: every file by name.
#[derive(Debug, Clone)]
pub struct Theme {
    files: BTreeMap<String, String>,
}

impl Theme {
    /// The built-in default theme.
    pub fn embedded() -> Theme {
        Theme {
            files: DEFAULT
                .iter()
                .map(|(n, c)| (n.to_string(), c.to_string()))
                .collect(),
        }
    }

    /// The default theme with the files of `dir` replacing (or adding to) it.
    pub fn with_overrides(dir: &Path) -> Result<Theme, String> {
        let mut theme = Theme::embedded();
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read the theme folder `{}`: {e}", dir.display()))?;
        let mut names = Vec::new();
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                names.push(entry.path());
            }
        }
        names.sort();
        for path in names {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read theme file `{}`: {e}", path.display()))?;
            theme.files.insert(name, text);
        }
        Ok(theme)
    }

    /// A hash of every file of the theme (pages depend on it).
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        self.files.hash(&mut h);
        h.finish()
    }

    /// The templates, compiled.
    pub fn tera(&self) -> Result<Tera, String> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        let templates: Vec<(&str, &str)> = self
            .files
            .iter()
            .filter(|(n, _)| n.ends_with(".html"))
            .map(|(n, c)| (n.as_str(), c.as_str()))
            .collect();
        tera.add_raw_templates(templates)
            .map_err(|e| format!("theme template error: {e:?}"))?;
        Ok(tera)
    }

    /// The files copied as they are into `theme/` of the site (CSS, JavaScript, …).
    /// The contents of the file `name`, if the theme has it.
    pub fn file(&self, name: &str) -> Option<String> {
        self.files.get(name).cloned()
    }

    pub fn static_files(&self) -> impl Iterator<Item = (&str, Vec<u8>)> {
        self.files
            .iter()
            .filter(|(n, _)| !n.ends_with(".html"))
            .map(|(n, c)| (n.as_str(), c.as_bytes().to_vec()))
    }
}

/// HTML escaping for templates: `&`, `<`, `>` and `"` (tera's own also escapes `/`, which
/// only makes every URL longer).
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// CSS for highlighted code (the token kinds' elements of `render::markdown`), appended to `style.css`: light colours, and dark
/// ones that apply when the system prefers dark (unless the reader chose light) or when the
/// reader chose dark.
pub fn highlight_css() -> String {
    const LIGHT: &str = "--hl-c: #6a737d; --hl-s: #0a7d35; --hl-n: #005cc5; --hl-e: #b31d28; --hl-v: #953800; --hl-o: #a0336b; --hl-k: #cf222e; --hl-t: #6f42c1; --hl-f: #6639ba; --hl-g: #116329; --hl-a: #0550ae; --hl-d: #b31d28;";
    const DARK: &str = "--hl-c: #8b949e; --hl-s: #a5d6ff; --hl-n: #79c0ff; --hl-e: #ffa198; --hl-v: #ffa657; --hl-o: #ff7b72; --hl-k: #ff7b72; --hl-t: #d2a8ff; --hl-f: #d2a8ff; --hl-g: #7ee787; --hl-a: #79c0ff; --hl-d: #ffa198;";
    let mut css = format!(
        "/* Code highlighting: token kinds, light, then dark. */\n:root {{ {LIGHT} }}\n@media (prefers-color-scheme: dark) {{\n:root:not([data-theme=\"light\"]) {{ {DARK} }}\n}}\n:root[data-theme=\"dark\"] {{ {DARK} }}\n"
    );
    for class in ["c", "s", "n", "e", "v", "o", "k", "t", "f", "g", "a", "d"] {
        css.push_str(&format!("hl-{class} {{ color: var(--hl-{class}); }}\n"));
    }
    css.push_str("hl-c { font-style: italic; }\nhl-k, hl-g { font-weight: 600; }\n");
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_highlighting_follows_the_system_and_the_readers_choice() {
        let css = highlight_css();
        assert!(
            css.contains(":root:not([data-theme=\"light\"]) { --hl-c:"),
            "{css}"
        );
        assert!(
            css.contains(":root[data-theme=\"dark\"] { --hl-c:"),
            "{css}"
        );
        assert!(css.contains("\nhl-k { color: var(--hl-k); }"), "{css}");
    }
}
