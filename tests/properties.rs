//! Property tests: whatever bytes or YAML a file holds, and whatever a link says, the
//! front matter reader and the link resolver return diagnostics, never panic.

use proptest::prelude::*;
use smsbook::catalog::{Catalog, Catalogs};
use smsbook::manual::{classify_link, Manual};
use smsbook::source::{parse_document, Source};

fn catalogs() -> Catalogs {
    Catalogs {
        list: Catalog::built_in(),
    }
}

/// YAML-looking text: keys, values, lists, quotes, odd indentation, tabs, unicode.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("id: ".to_string()),
        Just("title: ".to_string()),
        Just("type: ".to_string()),
        Just("satisfies:".to_string()),
        Just("\n  - ".to_string()),
        Just("clause: ".to_string()),
        Just("section: ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(", ".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("8.10".to_string()),
        Just("2026-02-30".to_string()),
        Just("---".to_string()),
        "[a-zA-Z0-9 .:#é-]{0,12}",
    ];
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let (doc, diagnostics) = parse_document("a.md", "a.md", &bytes);
        prop_assert_eq!(doc.path, "a.md");
        for d in diagnostics {
            prop_assert!(d.location.is_some(), "every problem in a file is located: {d:?}");
        }
    }

    #[test]
    fn arbitrary_front_matter_gives_meta_or_diagnostics(yaml in yamlish(), body in "[ -~\n]{0,80}") {
        let text = format!("---\n{yaml}\n---\n{body}");
        let (doc, diagnostics) = parse_document("a.md", "a.md", text.as_bytes());
        // Either it read as valid front matter, or something says why not.
        prop_assert!(doc.meta.is_some() || !diagnostics.is_empty());
        for d in &diagnostics {
            let loc = d.location.as_ref().unwrap();
            prop_assert!(loc.line >= 1 && loc.line <= text.lines().count().max(1) + 1, "{d:?}");
        }
        let mut source = Source::default();
        source.documents.push(doc);
        let _ = Manual::build(source, &catalogs());
    }

    #[test]
    fn arbitrary_links_resolve_or_report(target in "[a-z./#%:?A-Z0-9 -]{0,30}", from in "[a-z]{1,5}(/[a-z]{1,5}){0,2}\\.md") {
        let _ = classify_link(&from, &target);
        let text = format!("## Head\n\n[link]({target})\n\n[text](<{target}>)\n");
        let (doc, _) = parse_document(&from, &from, text.as_bytes());
        let mut source = Source::default();
        source.documents.push(doc);
        let (_, diagnostics) = Manual::build(source, &catalogs());
        for d in diagnostics {
            prop_assert!(d.location.is_some(), "{d:?}");
        }
    }
}
