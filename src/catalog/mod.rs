//! Clause catalogues: the tree of clauses of a standard (or of any set of requirements a
//! user writes down in the same YAML format). The built-in ISO/IEC 20000-1:2018 catalogue
//! is embedded in the binary at compile time.

use crate::diagnostics::{did_you_mean, Diagnostic, SourceText};
use crate::yaml::{self, Node, Value};
use std::collections::HashMap;

/// The built-in catalogues: (file name, YAML text).
const BUILT_IN: &[(&str, &str)] = &[
    ("iso20000-1-2018.yaml", include_str!("iso20000-1-2018.yaml")),
    ("iso27001-2022.yaml", include_str!("iso27001-2022.yaml")),
    ("iso9001-2015.yaml", include_str!("iso9001-2015.yaml")),
];

/// One clause (or control, or requirement) of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The clause number as written, e.g. `8.5.1.2` or `A.5.15`.
    pub number: String,
    /// The clause title.
    pub title: String,
    /// A one- or two-sentence summary in our own words.
    pub summary: String,
    /// The clause asks for documented information (a policy, plan, list, …).
    pub documented: bool,
    /// Conformity is shown by records: an approved, fresh `type: record` document must claim it.
    pub record: bool,
    /// Index of the parent clause in the same catalogue.
    pub parent: Option<usize>,
    /// Indices of the child clauses, in catalogue order.
    pub children: Vec<usize>,
}

/// A standard's clause tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// Full identifier, e.g. `iso20000-1:2018`.
    pub id: String,
    /// The prefix used in references to this standard, e.g. `iso20000-1` in `iso20000-1:8.1`.
    pub prefix: String,
    /// Display title, e.g. `ISO/IEC 20000-1:2018`.
    pub title: String,
    /// All clauses in catalogue order (parents before their children).
    pub clauses: Vec<Clause>,
    by_number: HashMap<String, usize>,
}

impl Catalog {
    /// Looks up a clause by its number.
    pub fn find(&self, number: &str) -> Option<usize> {
        self.by_number.get(number).copied()
    }

    /// The clauses without a parent, in order.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.clauses.len()).filter(|&i| self.clauses[i].parent.is_none())
    }

    /// Indices of a clause and all its ancestors, nearest first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(index), |&i| self.clauses[i].parent)
    }

    /// A clause and all its descendants, in catalogue order.
    pub fn subtree(&self, index: usize) -> Vec<usize> {
        let mut out = vec![index];
        let mut next = 0;
        while next < out.len() {
            out.extend(self.clauses[out[next]].children.iter().copied());
            next += 1;
        }
        out.sort_unstable();
        out
    }

    /// Depth of a clause in the tree (0 for a root).
    pub fn depth(&self, index: usize) -> usize {
        self.ancestors(index).count() - 1
    }

    /// Suggests the clause a mistyped number probably meant: the same digits with other
    /// dots (`8.5.12` → `8.5.1.2`) first, else the closest by edit distance.
    pub fn suggest(&self, number: &str) -> Option<&str> {
        let digits: String = number.chars().filter(|c| *c != '.').collect();
        self.clauses
            .iter()
            .map(|c| c.number.as_str())
            .find(|n| n.chars().filter(|c| *c != '.').collect::<String>() == digits)
            .or_else(|| did_you_mean(number, self.clauses.iter().map(|c| c.number.as_str())))
    }

    /// Parses a catalogue from YAML. `file` names it in diagnostics.
    pub fn from_yaml(file: &str, text: &str) -> Result<Catalog, Vec<Diagnostic>> {
        let source = SourceText::new(file, text);
        let at = |node: &Node| source.location(node.line, node.column);
        let root = yaml::parse(text).map_err(|e| {
            vec![
                Diagnostic::error("catalog-syntax", format!("invalid YAML: {}", e.message))
                    .at(source.location(e.line, e.column))
                    .help("fix the YAML syntax of the catalogue file"),
            ]
        })?;
        let mut errors = Vec::new();
        let Value::Map(entries) = &root.value else {
            return Err(vec![Diagnostic::error(
                "catalog-format",
                format!("a catalogue must be a mapping, found {}", root.kind()),
            )
            .at(at(&root))
            .help("start the file with `id:`, `prefix:`, `title:` and `clauses:`")]);
        };
        let (mut id, mut prefix, mut title, mut clause_nodes) = (None, None, None, None);
        for (key, value) in entries {
            match key.as_str().unwrap_or("") {
                "id" => id = text_of(value, "id", &source, &mut errors),
                "prefix" => prefix = text_of(value, "prefix", &source, &mut errors),
                "title" => title = text_of(value, "title", &source, &mut errors),
                "description" => {}
                "clauses" => clause_nodes = Some(value),
                other => errors.push(unknown_key(
                    other,
                    &["id", "prefix", "title", "description", "clauses"],
                    at(key),
                )),
            }
        }
        let mut clauses: Vec<Clause> = Vec::new();
        let mut by_number = HashMap::new();
        match clause_nodes.map(|n| &n.value) {
            Some(Value::Seq(items)) => {
                for item in items {
                    if let Some(clause) = parse_clause(item, &source, &mut errors) {
                        if by_number.contains_key(&clause.number) {
                            errors.push(
                                Diagnostic::error(
                                    "catalog-duplicate",
                                    format!("clause `{}` is listed twice", clause.number),
                                )
                                .at(at(item))
                                .help("each clause number may appear only once"),
                            );
                            continue;
                        }
                        by_number.insert(clause.number.clone(), clauses.len());
                        clauses.push(clause);
                    }
                }
            }
            _ => errors.push(
                Diagnostic::error("catalog-format", "the catalogue has no `clauses:` list")
                    .at(source.location(1, 1))
                    .help(
                        "add `clauses:` with a list of `- number: \"4.1\"` / `title: ...` entries",
                    ),
            ),
        }
        for (field, value) in [("id", &id), ("prefix", &prefix), ("title", &title)] {
            if value.is_none() {
                errors.push(
                    Diagnostic::error("catalog-format", format!("the catalogue has no `{field}`"))
                        .at(source.location(1, 1))
                        .help(format!("add a `{field}:` line at the top of the file")),
                );
            }
        }
        if let Some(p) = &prefix {
            if p.contains(':') || p.is_empty() {
                errors.push(
                    Diagnostic::error(
                        "catalog-format",
                        "the prefix must be a non-empty word without `:`",
                    )
                    .at(source.location(1, 1)),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        link_parents(&mut clauses, &by_number);
        Ok(Catalog {
            id: id.unwrap_or_default(),
            prefix: prefix.unwrap_or_default(),
            title: title.unwrap_or_default(),
            clauses,
            by_number,
        })
    }

    /// The built-in catalogues.
    pub fn built_in() -> Vec<Catalog> {
        BUILT_IN
            .iter()
            .map(|(file, text)| {
                Catalog::from_yaml(file, text).unwrap_or_else(|errors| {
                    panic!("built-in catalogue {file} is invalid: {errors:?}")
                })
            })
            .collect()
    }
}

/// Each clause's parent is the longest proper dotted prefix of its number that exists.
fn link_parents(clauses: &mut [Clause], by_number: &HashMap<String, usize>) {
    for index in 0..clauses.len() {
        let mut number = clauses[index].number.as_str();
        let parent = loop {
            match number.rfind('.') {
                Some(dot) => {
                    number = &number[..dot];
                    if let Some(&p) = by_number.get(number) {
                        break Some(p);
                    }
                }
                None => break None,
            }
        };
        clauses[index].parent = parent;
        if let Some(p) = parent {
            clauses[p].children.push(index);
        }
    }
}

fn unknown_key(key: &str, known: &[&str], location: crate::diagnostics::Location) -> Diagnostic {
    let help = match did_you_mean(key, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("known keys: {}", known.join(", ")),
    };
    Diagnostic::error("catalog-format", format!("unknown key `{key}`"))
        .at(location)
        .help(help)
}

fn text_of(
    node: &Node,
    key: &str,
    source: &SourceText,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    match node.as_str() {
        Some(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        _ => {
            errors.push(
                Diagnostic::error(
                    "catalog-format",
                    format!("`{key}` must be a non-empty text, found {}", node.kind()),
                )
                .at(source.location(node.line, node.column)),
            );
            None
        }
    }
}

fn flag_of(node: &Node, key: &str, source: &SourceText, errors: &mut Vec<Diagnostic>) -> bool {
    match node.as_str() {
        Some("true") => true,
        Some("false") => false,
        _ => {
            errors.push(
                Diagnostic::error("catalog-format", format!("`{key}` must be true or false"))
                    .at(source.location(node.line, node.column)),
            );
            false
        }
    }
}

fn parse_clause(node: &Node, source: &SourceText, errors: &mut Vec<Diagnostic>) -> Option<Clause> {
    let Value::Map(entries) = &node.value else {
        errors.push(
            Diagnostic::error(
                "catalog-format",
                format!(
                    "a clause must be a mapping with `number` and `title`, found {}",
                    node.kind()
                ),
            )
            .at(source.location(node.line, node.column)),
        );
        return None;
    };
    let mut clause = Clause {
        number: String::new(),
        title: String::new(),
        summary: String::new(),
        documented: false,
        record: false,
        parent: None,
        children: Vec::new(),
    };
    let before = errors.len();
    for (key, value) in entries {
        match key.as_str().unwrap_or("") {
            "number" => {
                clause.number = text_of(value, "number", source, errors).unwrap_or_default()
            }
            "title" => clause.title = text_of(value, "title", source, errors).unwrap_or_default(),
            "summary" => {
                clause.summary = text_of(value, "summary", source, errors).unwrap_or_default()
            }
            "documented" => clause.documented = flag_of(value, "documented", source, errors),
            "record" => clause.record = flag_of(value, "record", source, errors),
            other => errors.push(unknown_key(
                other,
                &["number", "title", "summary", "documented", "record"],
                source.location(key.line, key.column),
            )),
        }
    }
    if errors.len() > before {
        return None;
    }
    if clause.number.is_empty() || clause.title.is_empty() {
        errors.push(
            Diagnostic::error("catalog-format", "a clause needs both `number` and `title`")
                .at(source.location(node.line, node.column)),
        );
        return None;
    }
    if clause.number.contains(':') || clause.number.contains(char::is_whitespace) {
        errors.push(
            Diagnostic::error(
                "catalog-format",
                format!(
                    "clause number `{}` may not contain `:` or spaces",
                    clause.number
                ),
            )
            .at(source.location(node.line, node.column)),
        );
        return None;
    }
    Some(clause)
}

/// A reference to one clause of one catalogue in a [`Catalogs`] set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClauseKey {
    /// Index of the catalogue (0 is the primary standard).
    pub standard: usize,
    /// Index of the clause in that catalogue.
    pub clause: usize,
}

/// The catalogues in use by a manual; the first is the primary standard.
#[derive(Debug, Clone)]
pub struct Catalogs {
    /// The catalogues, primary first.
    pub list: Vec<Catalog>,
}

/// Why a clause reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownClause {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Catalogs {
    /// The primary standard.
    pub fn primary(&self) -> &Catalog {
        &self.list[0]
    }

    /// The clause behind a key.
    pub fn clause(&self, key: ClauseKey) -> &Clause {
        &self.list[key.standard].clauses[key.clause]
    }

    /// The reference text of a clause: plain for the primary standard, `prefix:number` else.
    pub fn reference(&self, key: ClauseKey) -> String {
        let number = &self.clause(key).number;
        if key.standard == 0 {
            number.clone()
        } else {
            format!("{}:{}", self.list[key.standard].prefix, number)
        }
    }

    /// `prefix:number` for every standard, the primary included: where a reference could be
    /// read as belonging to another standard (evidence "via" a mapping).
    pub fn qualified(&self, key: ClauseKey) -> String {
        format!(
            "{}:{}",
            self.list[key.standard].prefix,
            self.clause(key).number
        )
    }

    /// Resolves a reference: `8.5.1` (primary standard) or `prefix:number`.
    pub fn resolve(&self, reference: &str) -> Result<ClauseKey, UnknownClause> {
        let reference = reference.trim();
        let (standard, number) = match reference.split_once(':') {
            Some((prefix, number)) => {
                let found = self.list.iter().position(|c| {
                    c.prefix.eq_ignore_ascii_case(prefix) || c.id.eq_ignore_ascii_case(prefix)
                });
                match found {
                    Some(s) => (s, number.trim()),
                    None => {
                        let prefixes: Vec<&str> =
                            self.list.iter().map(|c| c.prefix.as_str()).collect();
                        let hint = did_you_mean(prefix, prefixes.iter().copied())
                            .map(|p| format!("did you mean `{p}:{number}`? "))
                            .unwrap_or_default();
                        return Err(UnknownClause {
                            message: format!("unknown standard prefix `{prefix}` in `{reference}`"),
                            help: format!(
                                "{hint}standards configured in book.toml: {}",
                                prefixes.join(", ")
                            ),
                        });
                    }
                }
            }
            None => (0, reference),
        };
        let catalog = &self.list[standard];
        match catalog.find(number) {
            Some(clause) => Ok(ClauseKey { standard, clause }),
            None => Err(UnknownClause {
                message: format!("`{number}` is not a clause of {}", catalog.title),
                help: match catalog.suggest(number) {
                    Some(s) => format!(
                        "did you mean `{s}` ({})?",
                        catalog.clauses[catalog.find(s).unwrap_or(0)].title
                    ),
                    None => format!(
                        "use a clause number of {} (run `smsbook clauses` to list them)",
                        catalog.title
                    ),
                },
            }),
        }
    }

    /// Every clause key, standard by standard, in catalogue order.
    pub fn keys(&self) -> impl Iterator<Item = ClauseKey> + '_ {
        self.list
            .iter()
            .enumerate()
            .flat_map(|(standard, catalog)| {
                (0..catalog.clauses.len()).map(move |clause| ClauseKey { standard, clause })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Catalogs {
        Catalogs {
            list: Catalog::built_in(),
        }
    }

    #[test]
    fn built_in_20000_has_the_full_tree() {
        let cats = builtin();
        let c = cats.primary();
        assert_eq!(c.id, "iso20000-1:2018");
        assert_eq!(c.clauses.len(), 77);
        let roots: Vec<&str> = c.roots().map(|i| c.clauses[i].number.as_str()).collect();
        assert_eq!(roots, ["4", "5", "6", "7", "8", "9", "10"]);
        let i = c.find("8.5.1.2").unwrap();
        assert_eq!(c.clauses[c.clauses[i].parent.unwrap()].number, "8.5.1");
        assert!(c.clauses[i].record);
        assert!(c.clauses.iter().all(|cl| !cl.summary.is_empty()));
        assert!(c.clauses[c.find("4.3").unwrap()].documented);
    }

    #[test]
    fn resolves_plain_and_prefixed_references_with_hints() {
        let cats = builtin();
        assert!(cats.resolve("8.5.1").is_ok());
        assert!(cats.resolve("iso20000-1:8.5.1").is_ok());
        let err = cats.resolve("8.5.12").unwrap_err();
        assert!(err.help.contains("`8.5.1.2`"), "{err:?}");
        let err = cats.resolve("iso2700:5.1").unwrap_err();
        assert!(err.message.contains("unknown standard prefix"), "{err:?}");
        assert!(err.help.contains("iso20000-1"), "{err:?}");
    }

    #[test]
    fn built_in_27001_and_9001() {
        let all = Catalog::built_in();
        let iso27001 = all.iter().find(|c| c.id == "iso27001:2022").unwrap();
        let controls = iso27001
            .clauses
            .iter()
            .filter(|c| c.number.starts_with("A.") && c.number.matches('.').count() == 2)
            .count();
        assert_eq!(controls, 93);
        let a515 = iso27001.find("A.5.15").unwrap();
        assert_eq!(
            iso27001.clauses[iso27001.clauses[a515].parent.unwrap()].number,
            "A.5"
        );
        assert_ne!(iso27001.find("A.5.1"), iso27001.find("A.5.10"));
        assert!(iso27001.find("5.1").is_some() && iso27001.find("6.1.3").is_some());
        let iso9001 = all.iter().find(|c| c.id == "iso9001:2015").unwrap();
        assert_eq!(iso9001.clauses.len(), 75);
        assert!(iso9001.find("7.1.5.1").is_some());
        assert!(all
            .iter()
            .all(|c| c.clauses.iter().all(|cl| !cl.summary.is_empty())));
    }

    #[test]
    fn user_catalogue_errors_are_located() {
        let text =
            "id: acme\nprefix: acme\ntitle: ACME\nclauses:\n  - number: \"1\"\n    titel: x\n";
        let errors = Catalog::from_yaml("acme.yaml", text).unwrap_err();
        let loc = errors[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (6, 5));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn user_catalogue_parents_come_from_numbers() {
        let text = "id: c\nprefix: c\ntitle: C\nclauses:\n  - {number: A, title: a}\n  - {number: A.5, title: b}\n  - {number: A.5.10, title: c}\n  - {number: A.5.1, title: d}\n";
        let c = Catalog::from_yaml("c.yaml", text).unwrap();
        assert_eq!(c.clauses[c.find("A.5.10").unwrap()].parent, c.find("A.5"));
        assert_eq!(c.clauses[c.find("A.5").unwrap()].children.len(), 2);
    }
}
