//! One `Diagnostic` type for every problem smsbook reports: configuration errors, front
//! matter errors, broken links and coverage findings alike.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the build: the manual cannot be trusted until it is fixed.
    Error,
    /// A weakness an auditor would raise (gap, partial evidence, overdue review).
    Warning,
    /// Worth knowing, nothing to fix yet (e.g. a review falls due soon).
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// A place in a file: 1-based line and column (in characters), with the text of that line
/// so the diagnostic can be shown without reading the file again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as the user would type it (relative to the working folder when possible).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The whole text of that line (without the line break).
    #[serde(skip)]
    pub line_text: String,
}

/// A problem or finding, with where it is, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// A stable, machine-readable code such as `unknown-key`, `gap` or `broken-link`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is, when it is in a file.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The clause it concerns, as `standard:number` when it concerns one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The document id it concerns, when it concerns one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic with no location.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            clause: None,
            document: None,
            help: None,
        }
    }

    /// A new error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// Sets the location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the clause this concerns.
    pub fn clause(mut self, clause: impl Into<String>) -> Self {
        self.clause = Some(clause.into());
        self
    }

    /// Sets the document id this concerns.
    pub fn document(mut self, id: impl Into<String>) -> Self {
        self.document = Some(id.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic like a compiler does: the message, the file:line:column,
    /// the source line with a marker under the problem, and the help line.
    pub fn render(&self, color: bool) -> String {
        use annotate_snippets::{Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Note => Level::Note,
        };
        let mut message = level.title(&self.message).id(self.code);
        if let Some(loc) = &self.location {
            let span = marker_span(&loc.line_text, loc.column);
            message = message.snippet(
                Snippet::source(&loc.line_text)
                    .line_start(loc.line)
                    .origin(&loc.file)
                    .annotation(level.span(span).label("")),
            );
        }
        if let Some(help) = &self.help {
            message = message.footer(Level::Help.title(help));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let rendered = renderer.render(message).to_string();
        rendered
    }
}

/// The byte range to underline: from the column to the end of the token that starts there.
fn marker_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let rest = &line[start..];
    let len = rest
        .find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
        .unwrap_or(rest.len());
    let len = if len == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    start..start + len
}

/// A text whose line starts are found as far as needed, to turn byte offsets into locations
/// (most lookups are in front matter, near the start of a long document).
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    file: &'a str,
    text: &'a str,
    /// Line starts found so far, and the byte up to which the text was searched.
    lines: std::cell::RefCell<(Vec<usize>, usize)>,
}

impl<'a> SourceText<'a> {
    /// A text shown as `file` in diagnostics.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        SourceText {
            file,
            text,
            lines: std::cell::RefCell::new((vec![0], 0)),
        }
    }

    /// The line starts, found at least until `enough` holds or the text ends.
    fn line_starts(&self, enough: impl Fn(&[usize]) -> bool) -> std::cell::Ref<'_, Vec<usize>> {
        {
            let mut lines = self.lines.borrow_mut();
            let (starts, searched) = &mut *lines;
            while *searched < self.text.len() && !enough(starts) {
                match self.text[*searched..].find('\n') {
                    Some(i) => {
                        starts.push(*searched + i + 1);
                        *searched += i + 1;
                    }
                    None => *searched = self.text.len(),
                }
            }
        }
        std::cell::Ref::map(self.lines.borrow(), |(starts, _)| starts)
    }

    /// The location of a byte offset.
    pub fn location_of_offset(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_index = {
            let starts = self.line_starts(|s| s.last().is_some_and(|&l| l > offset));
            starts
                .partition_point(|&start| start <= offset)
                .saturating_sub(1)
        };
        let line_start = self.line_starts(|s| s.len() > line_index)[line_index];
        let prefix = self.text.get(line_start..offset).unwrap_or("");
        self.location(line_index + 1, prefix.chars().count() + 1)
    }

    /// The location of a 1-based line and column.
    pub fn location(&self, line: usize, column: usize) -> Location {
        let starts = self.line_starts(|s| s.len() > line);
        let line = line.clamp(1, starts.len());
        let start = starts[line - 1];
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        let line_text = self.text[start..end]
            .trim_end_matches(['\n', '\r'])
            .to_string();
        Location {
            file: self.file.to_string(),
            line,
            column: column.max(1),
            line_text,
        }
    }
}

/// Suggests the candidate closest to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'c, I>(input: &str, candidates: I) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&input_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| {
            *distance <= (c.chars().count() / 3).max(2) && *distance < c.chars().count()
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "first\nsecond line\r\nthird é x";
        let source = SourceText::new("f.md", text);
        let loc = source.location_of_offset(text.find("line").unwrap());
        assert_eq!((loc.line, loc.column), (2, 8));
        assert_eq!(loc.line_text, "second line");
        let loc = source.location_of_offset(text.find('x').unwrap());
        assert_eq!((loc.line, loc.column), (3, 9));
    }

    #[test]
    fn lines_are_found_as_far_as_asked_in_any_order() {
        let text = "a\nbb\nccc\n";
        let source = SourceText::new("f.md", text);
        let line = |l: usize| {
            let loc = source.location(l, 1);
            (loc.line, loc.line_text)
        };
        assert_eq!(line(2), (2, "bb".to_string()));
        assert_eq!(
            source.lines.borrow().0,
            [0, 2, 5],
            "only as far as line 3's start"
        );
        assert_eq!(line(1), (1, "a".to_string()));
        assert_eq!(
            line(9),
            (4, String::new()),
            "past the end: the last (empty) line"
        );
        assert_eq!(line(3), (3, "ccc".to_string()));
        assert_eq!(source.location_of_offset(text.len()).line, 4);
        assert_eq!(source.location_of_offset(3).line, 2);
    }

    #[test]
    fn render_shows_file_line_and_help() {
        let source = SourceText::new("a.md", "---\nsatisfeis: [8.1]\n---\n");
        let d = Diagnostic::error("unknown-key", "unknown key `satisfeis`")
            .at(source.location(2, 1))
            .help("did you mean `satisfies`?");
        let text = d.render(false);
        assert!(
            text.contains("error[unknown-key]: unknown key `satisfeis`"),
            "{text}"
        );
        assert!(text.contains("a.md:2:1"), "{text}");
        assert!(text.contains("satisfeis: [8.1]"), "{text}");
        assert!(text.contains("help: did you mean `satisfies`?"), "{text}");
    }

    #[test]
    fn suggestions_only_for_close_words() {
        let keys = ["satisfies", "status", "title"];
        assert_eq!(did_you_mean("satisfeis", keys), Some("satisfies"));
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("sorce", ["title", "src"]), Some("src"));
        assert_eq!(did_you_mean("ab", ["src"]), None);
    }
}
