//! Mappings between standards: common topics (the Annex SL structure that ISO/IEC 20000-1,
//! ISO/IEC 27001 and ISO 9001 share, built in) and the user's own topics from `book.toml`.
//! A topic names clauses of several standards that ask for the same thing. Where
//! `book.toml` says so, evidence for one counts for the others, always marked as indirect.

use crate::catalog::{Catalogs, ClauseKey};
use crate::config::{Config, IndirectEvidence};
use crate::diagnostics::Diagnostic;
use crate::yaml::{self, Value};

/// The built-in topics, keyed on catalogue ids.
const BUILT_IN: &str = include_str!("catalog/annex-sl-mapping.yaml");

/// One topic: clauses of different standards that ask for the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// A stable identifier (`continual-improvement`), used in URLs and exports.
    pub id: String,
    /// The topic's name.
    pub title: String,
    /// The clauses, at most one per standard for built-in topics, in standard order.
    pub clauses: Vec<ClauseKey>,
    /// True for the built-in Annex SL topics.
    pub built_in: bool,
}

/// The topics in use and which standards count evidence through them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mappings {
    /// Built-in topics (for the standards in use) first, then the user's, in file order.
    pub topics: Vec<Topic>,
    /// Per standard (parallel to `Catalogs::list`): its clauses may be supported through mappings.
    pub indirect: Vec<bool>,
}

/// A built-in topic as written: id, title, (catalogue id, clause number) pairs.
type RawTopic = (String, String, Vec<(String, String)>);

/// Parses the built-in topics. The data is part of the binary; a unit test keeps it valid.
fn built_in_topics() -> Vec<RawTopic> {
    let root = yaml::parse(BUILT_IN).unwrap_or_else(|e| panic!("annex-sl-mapping.yaml: {e:?}"));
    let text = |node: &yaml::Node| node.as_str().unwrap_or_default().to_string();
    let field = |entries: &[(yaml::Node, yaml::Node)], key: &str| {
        entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v.clone())
    };
    let Value::Map(entries) = root.value else {
        return Vec::new();
    };
    let Some(Value::Seq(topics)) = field(&entries, "topics").map(|n| n.value) else {
        return Vec::new();
    };
    topics
        .iter()
        .filter_map(|topic| {
            let Value::Map(entries) = &topic.value else {
                return None;
            };
            let clauses = match field(entries, "clauses").map(|n| n.value) {
                Some(Value::Map(pairs)) => pairs.iter().map(|(k, v)| (text(k), text(v))).collect(),
                _ => Vec::new(),
            };
            Some((
                text(&field(entries, "id")?),
                text(&field(entries, "title")?),
                clauses,
            ))
        })
        .collect()
}

impl Mappings {
    /// No topics, no indirect evidence.
    pub fn none(standards: usize) -> Mappings {
        Mappings {
            topics: Vec::new(),
            indirect: vec![false; standards],
        }
    }

    /// The topics for the standards in use: the built-in ones (unless `built-in = false`)
    /// that name at least two of them, and the user's, every clause resolved.
    pub fn load(config: &Config, catalogs: &Catalogs) -> Result<Mappings, Vec<Diagnostic>> {
        let mut mappings = Mappings::none(catalogs.list.len());
        let settings = &config.mappings;
        if settings.built_in {
            for (id, title, pairs) in built_in_topics() {
                let clauses: Vec<ClauseKey> = pairs
                    .iter()
                    .filter_map(|(standard_id, number)| {
                        let standard = catalogs.list.iter().position(|c| &c.id == standard_id)?;
                        let clause = catalogs.list[standard].find(number)?;
                        Some(ClauseKey { standard, clause })
                    })
                    .collect();
                if clauses.len() >= 2 {
                    mappings.topics.push(Topic {
                        id,
                        title,
                        clauses,
                        built_in: true,
                    });
                }
            }
        }
        let mut errors = Vec::new();
        for topic in &settings.topics {
            let located = |d: Diagnostic, at: &Option<crate::diagnostics::Location>| match at {
                Some(location) => d.at(location.clone()),
                None => d,
            };
            let mut clauses = Vec::new();
            for (reference, at) in &topic.clauses {
                match catalogs.resolve(reference) {
                    Ok(key) => clauses.push(key),
                    Err(e) => errors.push(located(
                        Diagnostic::error("config", format!("mapping: {}", e.message)).help(e.help),
                        at,
                    )),
                }
            }
            let mut standards: Vec<usize> = clauses.iter().map(|k| k.standard).collect();
            standards.dedup();
            if clauses.len() == topic.clauses.len() && standards.len() < 2 {
                errors.push(located(
                    Diagnostic::error(
                        "config",
                        format!(
                            "the mapping `{}` does not link clauses of two standards",
                            topic.title
                        ),
                    )
                    .help("list clauses of at least two standards, e.g. clauses = [\"8.7.3.2\", \"iso27001:A.5.15\"]"),
                    &topic.location,
                ));
            }
            clauses.sort();
            clauses.dedup();
            let id = topic
                .id
                .clone()
                .unwrap_or_else(|| crate::source::markdown::slug(&topic.title));
            mappings.topics.push(Topic {
                id,
                title: topic.title.clone(),
                clauses,
                built_in: false,
            });
        }
        match &settings.indirect {
            IndirectEvidence::All(all) => mappings.indirect = vec![*all; catalogs.list.len()],
            IndirectEvidence::Standards(list) => {
                for (name, at) in list {
                    match catalogs.list.iter().position(|c| {
                        c.id.eq_ignore_ascii_case(name) || c.prefix.eq_ignore_ascii_case(name)
                    }) {
                        Some(s) => mappings.indirect[s] = true,
                        None => {
                            let known: Vec<&str> =
                                catalogs.list.iter().map(|c| c.prefix.as_str()).collect();
                            let d = Diagnostic::error(
                                "config",
                                format!("`indirect-evidence` names `{name}`, which is not a standard in use"),
                            )
                            .help(format!("standards in use: {}", known.join(", ")));
                            errors.push(match at {
                                Some(location) => d.at(location.clone()),
                                None => d,
                            });
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(mappings)
        } else {
            Err(errors)
        }
    }

    /// The topics that name a clause.
    pub fn topics_of(&self, key: ClauseKey) -> impl Iterator<Item = &Topic> + '_ {
        self.topics.iter().filter(move |t| t.clauses.contains(&key))
    }

    /// The clauses of other standards whose evidence may stand in for `key`: for each other
    /// standard, those mapped to the nearest of `key` and its ancestors that has a mapping to
    /// that standard (so 27001 9.3.2 takes 9001 9.3.2, and 20000-1 9.3 through 27001 9.3).
    pub fn sources(&self, catalogs: &Catalogs, key: ClauseKey) -> Vec<ClauseKey> {
        let catalog = &catalogs.list[key.standard];
        let mut sources = Vec::new();
        for other in (0..catalogs.list.len()).filter(|&s| s != key.standard) {
            for clause in catalog.ancestors(key.clause) {
                let here = ClauseKey {
                    standard: key.standard,
                    clause,
                };
                let found: Vec<ClauseKey> = self
                    .topics_of(here)
                    .flat_map(|t| t.clauses.iter().copied())
                    .filter(|k| k.standard == other)
                    .collect();
                if !found.is_empty() {
                    sources.extend(found);
                    break;
                }
            }
        }
        sources.sort();
        sources.dedup();
        sources
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use std::path::Path;

    fn catalogs() -> Catalogs {
        Catalogs {
            list: Catalog::built_in(),
        }
    }

    fn config(text: &str) -> Config {
        Config::parse(Path::new("."), Path::new("book.toml"), text).unwrap()
    }

    fn key(cats: &Catalogs, reference: &str) -> ClauseKey {
        cats.resolve(reference).unwrap()
    }

    #[test]
    fn every_built_in_pair_names_a_real_clause() {
        let cats = catalogs();
        let topics = built_in_topics();
        assert!(topics.len() >= 25);
        for (id, _, pairs) in &topics {
            assert!(pairs.len() >= 2, "{id}");
            for (standard, number) in pairs {
                let catalog = cats.list.iter().find(|c| &c.id == standard);
                assert!(
                    catalog.is_some_and(|c| c.find(number).is_some()),
                    "{id}: {standard} {number}"
                );
            }
        }
        let m = Mappings::load(&config(""), &cats).unwrap();
        assert_eq!(m.topics.len(), topics.len());
    }

    #[test]
    fn topics_are_keyed_on_the_topic_not_the_number() {
        let cats = catalogs();
        let m = Mappings::load(&config(""), &cats).unwrap();
        let ci = m
            .topics
            .iter()
            .find(|t| t.id == "continual-improvement")
            .unwrap();
        let refs: Vec<String> = ci.clauses.iter().map(|&k| cats.reference(k)).collect();
        assert_eq!(refs, ["10.2", "iso27001:10.1", "iso9001:10.3"]);
    }

    #[test]
    fn only_standards_in_use_count() {
        let mut cats = catalogs();
        cats.list.truncate(2); // 20000-1 and 27001
        let m = Mappings::load(&config(""), &cats).unwrap();
        assert!(m.topics.iter().all(|t| t.clauses.len() == 2));
        assert!(!m.topics.iter().any(|t| t.id == "knowledge")); // 20000-1 and 9001 only
        assert_eq!(m.indirect, [false, false]);
    }

    #[test]
    fn sources_take_the_nearest_mapped_ancestor_per_standard() {
        let cats = catalogs();
        let m = Mappings::load(&config(""), &cats).unwrap();
        let refs = |r: &str| -> Vec<String> {
            m.sources(&cats, key(&cats, r))
                .into_iter()
                .map(|k| cats.reference(k))
                .collect()
        };
        assert_eq!(refs("iso27001:9.3.2"), ["9.3", "iso9001:9.3.2"]);
        assert_eq!(refs("iso9001:7.1.2"), ["7.1", "iso27001:7.1"]);
        assert_eq!(refs("iso9001:7.1.6"), ["7.6", "iso27001:7.1"]);
        assert!(refs("8.2.1").is_empty());
        assert!(refs("iso27001:A.5.15").is_empty());
    }

    #[test]
    fn user_topics_are_resolved_and_located() {
        let cats = catalogs();
        let m = Mappings::load(
            &config("[mappings]\nindirect-evidence = [\"iso27001\"]\n[[mappings.topic]]\ntitle = \"Access control\"\nclauses = [\"8.7.3.2\", \"iso27001:A.5.15\"]\n"),
            &cats,
        )
        .unwrap();
        assert_eq!(m.indirect, [false, true, false]);
        let user = m.topics.last().unwrap();
        assert_eq!(user.id, "access-control");
        assert!(!user.built_in);
        assert_eq!(
            m.sources(&cats, key(&cats, "iso27001:A.5.15")),
            [key(&cats, "8.7.3.2")]
        );
        let errors = Mappings::load(
            &config(
                "[[mappings.topic]]\ntitle = \"X\"\nclauses = [\"8.7.3.2\", \"iso27001:A.5.99\"]\n",
            ),
            &cats,
        )
        .unwrap_err();
        let at = errors[0].location.as_ref().unwrap();
        assert_eq!((at.line, at.column), (3, 23));
        assert!(errors[0].message.contains("A.5.99"), "{:?}", errors[0]);
        let errors = Mappings::load(
            &config("[[mappings.topic]]\ntitle = \"X\"\nclauses = [\"8.7.3.2\", \"8.7.3.1\"]\n"),
            &cats,
        )
        .unwrap_err();
        assert!(
            errors[0].message.contains("two standards"),
            "{:?}",
            errors[0]
        );
        let errors = Mappings::load(
            &config("[mappings]\nindirect-evidence = [\"iso14001\"]\n"),
            &cats,
        )
        .unwrap_err();
        assert_eq!(errors[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn indirect_evidence_can_be_switched_on_for_all() {
        let cats = catalogs();
        let m = Mappings::load(
            &config("[mappings]\nindirect-evidence = true\nbuilt-in = false\n"),
            &cats,
        )
        .unwrap();
        assert_eq!(m.indirect, [true, true, true]);
        assert!(m.topics.is_empty());
    }
}
