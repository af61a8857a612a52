//! Integration tests of `smsbook build` on the sample: pages, links, agreement with
//! `check --format json`, determinism, and the safety of the output folder.

mod common;
use common::copy_tree;

use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const TODAY: &str = "2026-12-01";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn smsbook(args: &[&str]) -> (i32, String) {
    smsbook_with(args, &[("SOURCE_DATE_EPOCH", "1764547200")])
}

fn smsbook_with(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_smsbook"));
    command
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// The sample, built once into a temporary folder shared by the tests.
fn built() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("site");
        let (code, out) = smsbook(&["build", "--dest", dest.to_str().unwrap(), "--today", TODAY]);
        assert_eq!(code, 0, "{out}");
        dir
    })
    .path()
    .join("site")
}

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walk(root)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_clause_has_a_page_whose_status_agrees_with_check() {
    let site = &built();
    let (code, json) = smsbook(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&json).unwrap();
    let matrix: Value =
        serde_json::from_slice(&std::fs::read(site.join("matrix.json")).unwrap()).unwrap();
    let badge = Selector::parse(".status-line .badge").unwrap();
    // The sample uses two standards: the primary one's clause pages are at clauses/, the
    // others' under clauses/<prefix>/.
    let folder = |standard: &str| {
        let entry = json["standards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == standard)
            .unwrap();
        if entry["primary"] == true {
            "clauses".to_string()
        } else {
            format!("clauses/{}", entry["prefix"].as_str().unwrap())
        }
    };
    for clause in json["clauses"].as_array().unwrap() {
        let number = clause["number"].as_str().unwrap();
        let standard = clause["standard"].as_str().unwrap();
        let page = site.join(format!("{}/{number}.html", folder(standard)));
        let html = Html::parse_document(
            &std::fs::read_to_string(&page).unwrap_or_else(|_| panic!("{}", page.display())),
        );
        let shown = html
            .select(&badge)
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert_eq!(
            shown,
            clause["status"].as_str().unwrap(),
            "clause {standard} {number}"
        );
        let exported = matrix["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["number"] == number && c["standard"] == standard)
            .unwrap();
        assert_eq!(
            exported["status"], clause["status"],
            "matrix.json, clause {standard} {number}"
        );
    }
    let csv = std::fs::read_to_string(site.join("matrix.csv")).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("iso20000-1:2018,7.6,Knowledge,gap,,")),
        "a gap is a row without a document"
    );
    let xlsx = std::fs::read(site.join("matrix.xlsx")).unwrap();
    assert_eq!(&xlsx[..2], b"PK", "an xlsx is a zip");
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    assert!(check_links(&built()) > 1000);
}

#[test]
fn links_resolve_with_three_standards_and_an_soa_too() {
    let dir = tempfile::tempdir().unwrap();
    for fixture in ["three-standards", "soa", "mappings"] {
        let dest = dir.path().join(fixture);
        let (code, out) = smsbook(&[
            "build",
            &format!("tests/fixtures/{fixture}"),
            "--dest",
            dest.to_str().unwrap(),
            "--today",
            TODAY,
        ]);
        assert_eq!(code, 0, "{out}");
        assert!(check_links(&dest) > 300, "{fixture}");
    }
    let overview =
        std::fs::read_to_string(dir.path().join("three-standards/standards/index.html")).unwrap();
    for link in [
        "standards/iso27001/index.html",
        "standards/iso9001/matrix.html",
    ] {
        assert!(overview.contains(link), "{link}");
    }
    let dashboard = std::fs::read_to_string(
        dir.path()
            .join("three-standards/standards/iso9001/index.html"),
    )
    .unwrap();
    assert!(dashboard.contains("Coverage of ISO 9001:2015"));

    // Evidence through mappings, shown as such on every view.
    let site = dir.path().join("mappings");
    let read = |path: &str| std::fs::read_to_string(site.join(path)).unwrap();
    let clause = read("clauses/iso27001/9.2.1.html");
    assert!(clause.contains("Evidence through mappings"), "{clause}");
    assert!(clause.contains(r#"via <a href="../../clauses/9.2.html">iso20000-1:9.2</a>"#));
    let matrix = read("standards/iso27001/matrix.html");
    assert!(matrix.contains(r#"<span class="via">(via iso20000-1:9.2)</span>"#));
    let document = read("internal-audit.html");
    assert!(document.contains("it also counts for"));
    assert!(document.contains("iso27001:9.2.1 General"));
    let csv = read("matrix.csv");
    assert!(csv.lines().next().unwrap().ends_with(",section,via"));
    assert!(csv.contains("iso27001:2022,iso27001:9.2.1,General,satisfied,PRC-AUD-001,Internal Audit Programme,internal-audit.md,approved,,iso20000-1:9.2"), "{csv}");
    // The topics page: one row per topic, the standards side by side, matched by topic.
    let topics = Html::parse_document(&read("standards/topics.html"));
    let row = Selector::parse("tr#continual-improvement a").unwrap();
    let numbers: Vec<String> = topics.select(&row).map(|a| a.inner_html()).collect();
    assert_eq!(numbers, ["10.2", "10.1", "10.3"]);
    let user = Selector::parse("tr#information-security-controls a").unwrap();
    let numbers: Vec<String> = topics.select(&user).map(|a| a.inner_html()).collect();
    assert_eq!(numbers, ["8.7.3.2", "A.5.15"]);
    // Without mappings switched on, the clause page says evidence there does not count.
    let plain =
        std::fs::read_to_string(dir.path().join("three-standards/clauses/iso27001/9.2.html"))
            .unwrap();
    assert!(plain.contains("Same topic in other standards"));
    assert!(plain.contains("does not count for this clause"));
}

/// The print page as the browser shows it: each `<script src="print/<n>.js">` (which calls
/// `smsbookPack(n, "…")` with deflated, base64-encoded documents) replaced by its documents.
fn unpack_print(site: &Path, html: &str) -> String {
    use base64::Engine;
    use std::io::Read;
    const OPEN: &str = "<script src=\"print/";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let tag_end = rest[start..].find("</script>").unwrap() + start;
        let file = &rest[start + "<script src=\"".len()..tag_end - 2];
        let script = std::fs::read_to_string(site.join(file)).unwrap();
        let data = script.split('"').nth(1).unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        flate2::read::ZlibDecoder::new(&bytes[..])
            .read_to_string(&mut out)
            .unwrap();
        rest = &rest[tag_end + "</script>".len()..];
    }
    out.push_str(rest);
    out
}

/// Resolves every internal href/src of every page of a built site, and every #fragment to an
/// element id; returns how many links were checked.
fn check_links(site: &Path) -> usize {
    let link = Selector::parse("a[href], img[src], link[href], script[src]").unwrap();
    let with_id = Selector::parse("[id]").unwrap();
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let pages: Vec<PathBuf> = walk(site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let parsed: Vec<(PathBuf, Html)> = pages
        .iter()
        .map(|p| {
            (
                p.clone(),
                Html::parse_document(&unpack_print(site, &std::fs::read_to_string(p).unwrap())),
            )
        })
        .collect();
    for (path, html) in &parsed {
        ids.insert(
            path.clone(),
            html.select(&with_id)
                .filter_map(|e| e.value().id().map(str::to_string))
                .collect(),
        );
    }
    let mut checked = 0;
    for (path, html) in &parsed {
        for element in html.select(&link) {
            let target = element
                .value()
                .attr("href")
                .or_else(|| element.value().attr("src"))
                .unwrap();
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let resolved = if file.is_empty() {
                path.clone()
            } else {
                path.parent().unwrap().join(file)
            };
            let resolved = resolved.canonicalize().unwrap_or_else(|_| {
                panic!("{}: `{target}` points to a missing file", path.display())
            });
            assert!(
                resolved.starts_with(site.canonicalize().unwrap()),
                "{target} leaves the site"
            );
            if !fragment.is_empty() {
                let known = ids
                    .iter()
                    .find(|(p, _)| p.canonicalize().unwrap() == resolved)
                    .map(|(_, ids)| ids);
                assert!(
                    known.is_some_and(|ids| ids.contains(fragment)),
                    "{}: `#{fragment}` of `{target}` is not an id",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn pages_show_what_the_issue_asks() {
    let site = &built();
    let page = std::fs::read_to_string(site.join("processes/change-management.html")).unwrap();
    for needle in [
        "PRC-CHG-001",
        "Referenced by",
        "../clauses/8.5.1.3.html",
        "#assessing-and-approving-changes",
        "data-doc-id=\"PRC-CHG-001\"",
    ] {
        assert!(page.contains(needle), "{needle} on the change process page");
    }
    // The header and the sidebar are written once, to nav.js, not into every page.
    let nav = std::fs::read_to_string(site.join("nav.js")).unwrap();
    for (in_nav, in_page) in [
        ("search-input", "search-input"),
        ("Reading lists", "Reading lists"),
        (
            "href=\\\"processes/change-management.html",
            "href=\"../processes/change-management.html",
        ),
    ] {
        assert!(nav.contains(in_nav), "{in_nav} in nav.js");
        assert!(!page.contains(in_page), "{in_page} not in the page");
    }
    assert!(
        page.contains("git commit") || page.contains("built 2025-12-01"),
        "the footer names the revision"
    );
    let capacity = std::fs::read_to_string(site.join("plans/capacity-plan.html")).unwrap();
    assert!(
        capacity.contains("class=\"banner status-partial\""),
        "draft banner"
    );
    let availability = std::fs::read_to_string(site.join("plans/availability-plan.html")).unwrap();
    assert!(availability.contains("overdue</span>"));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    for needle in ["7.6 Knowledge", "PLN-AVL-001", "class=\"bar\""] {
        assert!(index.contains(needle), "{needle} on the dashboard");
    }
    let backup = std::fs::read_to_string(site.join("procedures/backup-verification.html")).unwrap();
    assert!(backup.contains("<hl-f>"), "highlighted code");
    assert!(
        site.join("images/service-map.svg").is_file(),
        "assets are copied"
    );
    assert!(
        std::fs::read_to_string(site.join("processes/incident-management.html"))
            .unwrap()
            .contains("<pre class=\"mermaid\">")
    );
    for page in [
        "matrix.html",
        "register.html",
        "print.html",
        "404.html",
        "contents.html",
        "clauses/index.html",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
}

#[test]
fn second_build_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("again");
    let (code, out) = smsbook(&["build", "--dest", dest.to_str().unwrap(), "--today", TODAY]);
    assert_eq!(code, 0, "{out}");
    let (a, b) = (files(&built()), files(&dest));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two builds");
    }
}

#[test]
fn an_incremental_rebuild_gives_the_same_site_as_a_full_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("sms");
    copy_tree(&repo().join("sample-sms"), &root.join("sample-sms"));
    std::fs::copy(repo().join("book.toml"), root.join("book.toml")).unwrap();
    let today: chrono::NaiveDate = TODAY.parse().unwrap();
    let served = dir.path().join("served");
    let mut cache = smsbook::BuildCache::default();
    let project = smsbook::load_cached(&root, today, true, Some(&cache)).unwrap();
    let documents = project.manual.documents.len();
    let first = smsbook::build_incremental(&project, &served, &mut cache).unwrap();
    assert_eq!((first.reused, first.written), (0, first.files));

    // One document drafted and edited (its page, clause pages, dashboards, other documents'
    // claim badges change), one document added, nothing else touched.
    let change = root.join("sample-sms/processes/change-management.md");
    let text = std::fs::read_to_string(&change).unwrap();
    std::fs::write(
        &change,
        text.replacen("status: approved", "status: draft", 1) + "\nA new closing paragraph.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("sample-sms/guides/new-guide.md"),
        "---\nid: GDE-NEW-001\ntitle: A new guide\ntype: guide\nstatus: draft\n---\nSee the [change process](../processes/change-management.md).\n",
    )
    .unwrap();
    let project = smsbook::load_cached(&root, today, true, Some(&cache)).unwrap();
    let second = smsbook::build_incremental(&project, &served, &mut cache).unwrap();
    assert_eq!(
        second.reused,
        documents - 1,
        "only the edited document is rendered again"
    );
    assert!(second.written < second.files / 4, "{second:?}");

    let full = dir.path().join("full");
    smsbook::build(&project, Some(&full), false, false).unwrap();
    let (a, mut b) = (files(&served), files(&full));
    b.remove(".smsbook-output");
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs from a full build");
    }
    // A removed document's page goes too.
    std::fs::remove_file(root.join("sample-sms/guides/new-guide.md")).unwrap();
    let project = smsbook::load_cached(&root, today, true, Some(&cache)).unwrap();
    smsbook::build_incremental(&project, &served, &mut cache).unwrap();
    assert!(!served.join("guides/new-guide.html").exists());
    assert!(served.join("guides/glossary.html").exists());
}

#[test]
fn failing_build_leaves_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let dest_arg = dest.to_str().unwrap();
    let (code, out) = smsbook(&[
        "build",
        "tests/fixtures/minimal",
        "--dest",
        dest_arg,
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 0, "{out}");
    let before = files(&dest);
    let (code, out) = smsbook(&[
        "build",
        "tests/fixtures/broken-link",
        "--dest",
        dest_arg,
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("previous output is unchanged"), "{out}");
    assert_eq!(files(&dest), before);
    let (code, _) = smsbook(&[
        "build",
        "tests/fixtures/minimal",
        "--dest",
        dest_arg,
        "--today",
        TODAY,
        "--strict",
    ]);
    assert_eq!(code, 1, "--strict fails on warnings");
    assert_eq!(files(&dest), before);
}

#[test]
fn unsafe_destinations_are_refused() {
    let (code, out) = smsbook(&["build", "--dest", "sample-sms", "--today", TODAY]);
    assert_eq!(code, 1);
    assert!(out.contains("refusing to build into `sample-sms`"), "{out}");
    let (code, out) = smsbook(&["build", "--dest", ".", "--today", TODAY]);
    assert_eq!(code, 1);
    assert!(out.contains("contains the source folder"), "{out}");
    let (code, _) = smsbook(&["build", "--dest", "/", "--today", TODAY]);
    assert_eq!(code, 1);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("precious.txt"), "keep me").unwrap();
    let (code, out) = smsbook(&[
        "build",
        "--dest",
        dir.path().to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("smsbook did not create it"), "{out}");
    assert!(dir.path().join("precious.txt").is_file());
}

#[test]
fn a_user_theme_overrides_files_and_sanitize_cleans_raw_html() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    let (code, out) = smsbook(&[
        "build",
        "tests/fixtures/themed",
        "--dest",
        dest.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert_eq!(code, 0, "{out}");
    let css = std::fs::read_to_string(dest.join("theme/style.css")).unwrap();
    assert!(css.contains("custom theme of the themed fixture"));
    assert!(
        css.contains("\nhl-k { color: var(--hl-k); }"),
        "the highlighting CSS is appended to the theme's stylesheet"
    );
    let app = std::fs::read_to_string(dest.join("theme/app.js")).unwrap();
    assert!(
        app.contains("smsbookNav") && app.contains("smsbookSearchLoaded"),
        "files the theme does not override come from the default; search.js is appended"
    );
    assert!(!dest.join("theme/search.js").exists());
    let not_found = std::fs::read_to_string(dest.join("404.html")).unwrap();
    assert!(
        not_found.contains("<h1>Lost in the Themed SMS</h1>"),
        "{not_found}"
    );
    let guide = std::fs::read_to_string(dest.join("guide.html")).unwrap();
    assert!(
        !guide.contains("<script>alert") && !guide.contains("onclick"),
        "{guide}"
    );
    assert!(guide.contains("<p>Click</p>"), "{guide}");
}

#[test]
fn the_home_folder_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().to_str().unwrap();
    let (code, out) = smsbook_with(
        &["build", "--dest", home_path, "--today", TODAY, "--force"],
        &[("HOME", home_path)],
    );
    assert_eq!(code, 1);
    assert!(out.contains("it is your home folder"), "{out}");
}

#[test]
fn outside_git_the_footer_shows_the_build_date_which_source_date_epoch_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let sms = dir.path().join("sms");
    copy_tree(&repo().join("tests/fixtures/minimal"), &sms);
    let dest = dir.path().join("site");
    let args = [
        "build",
        sms.to_str().unwrap(),
        "--dest",
        dest.to_str().unwrap(),
        "--today",
        TODAY,
    ];
    let (code, out) = smsbook(&args);
    assert_eq!(code, 0, "{out}");
    let page = std::fs::read_to_string(dest.join("policy.html")).unwrap();
    assert!(page.contains("built 2025-12-01"), "SOURCE_DATE_EPOCH wins");
    let (code, out) = smsbook_with(&args, &[]);
    assert_eq!(code, 0, "{out}");
    let page = std::fs::read_to_string(dest.join("policy.html")).unwrap();
    assert!(page.contains("built 2026-12-01"), "else the --today date");
}

#[test]
fn whats_new_lists_recent_approvals_newest_first_and_as_an_atom_feed() {
    let site = &built();
    let html = Html::parse_document(&std::fs::read_to_string(site.join("whats-new.html")).unwrap());
    let dates: Vec<String> = html
        .select(&Selector::parse("tbody tr td:first-child").unwrap())
        .map(|td| td.text().collect())
        .collect();
    assert!(!dates.is_empty());
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    // The sample's window is 120 days (book.toml): nothing older than 2026-08-03.
    assert!(dates.iter().all(|d| d.as_str() > "2026-08-03"), "{dates:?}");
    let text: String = html.root_element().text().collect();
    assert!(
        text.contains("REC-SEC-2026") && !text.contains("REC-MRV-2025"),
        "recent record in, old minutes out"
    );
    let atom = std::fs::read_to_string(site.join("whats-new.atom")).unwrap();
    assert!(atom.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert_eq!(atom.matches("<entry>").count(), dates.len());
    assert_eq!(atom.matches("</entry>").count(), dates.len());
    assert!(atom.contains(&format!("<updated>{}T00:00:00Z</updated>", dates[0])));
}

#[test]
fn the_soa_marks_evidence_through_mappings_as_via() {
    // The sample's own topic maps 20000-1 8.7.3.2 to 27001 A.5.15, which no document claims.
    let csv = std::fs::read_to_string(built().join("soa.csv")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("A.5.15,")).unwrap();
    assert!(
        row.ends_with(",implemented,POL-AUP-001 (via iso20000-1:8.7.3.2) PRC-ISM-001 (via iso20000-1:8.7.3.2)"),
        "{row}"
    );
    // The page sums the implementation states, and they agree with the CSV.
    let page = std::fs::read_to_string(built().join("soa.html")).unwrap();
    let implemented = csv.lines().filter(|l| l.contains(",implemented,")).count();
    assert!(
        page.contains(&format!("<strong>{implemented}</strong> implemented ·")),
        "{implemented}"
    );
}
