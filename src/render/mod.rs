//! Render: the site as a list of files (path → bytes), built from a loaded project with the
//! theme's tera templates. Pure: no file is written here (see `output`).

pub mod cache;
pub mod control;
pub mod markdown;
pub mod nav;
pub mod pack;
pub mod search;
pub mod theme;

use crate::analysis::{review_overdue, Coverage};
use crate::catalog::ClauseKey;
use crate::diagnostics::Diagnostic;
use crate::source::frontmatter::Status;
use crate::Project;
use markdown::{clause_page, page_path};
use nav::NavItem;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::{Context, Tera};
use theme::Theme;

/// The pages and files smsbook writes itself: a source file must not end up at one of
/// these paths. Returns what is there, for the error message.
pub fn reserved(output_path: &str) -> Option<&'static str> {
    const FILES: &[(&str, &str)] = &[
        ("index.html", "the dashboard"),
        ("matrix.html", "the traceability matrix"),
        ("register.html", "the document register"),
        ("print.html", "the print pack"),
        ("search.html", "the search page"),
        ("contents.html", "the table of contents"),
        ("changes.html", "the page of changes since a revision"),
        ("404.html", "the page for missing pages"),
        ("whats-new.html", "the What's new page"),
        ("soa.html", "the Statement of Applicability"),
        ("soa.csv", "an export"),
        ("whats-new.atom", "the Atom feed"),
        ("nav.js", "the navigation script"),
        ("search-index.js", "the search index"),
        ("matrix.json", "an export"),
        ("matrix.csv", "an export"),
        ("matrix.xlsx", "an export"),
        (crate::output::MARKER, "the output marker"),
    ];
    const FOLDERS: &[(&str, &str)] = &[
        ("standards/", "the pages of each standard"),
        ("clauses/", "the clause pages"),
        ("reading/", "the reading lists"),
        ("history/", "the document histories"),
        ("theme/", "the theme files"),
        ("print/", "the print pack's documents"),
    ];
    FILES
        .iter()
        .find(|(file, _)| *file == output_path)
        .or_else(|| {
            FOLDERS
                .iter()
                .find(|(folder, _)| output_path.starts_with(folder))
        })
        .map(|(_, what)| *what)
}

/// The built site: relative output path → file contents, in path order.
pub type Site = BTreeMap<String, Vec<u8>>;

/// Site-wide values every page shows.
#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    /// The manual's title.
    pub title: String,
    /// The organisation.
    pub organization: Option<String>,
    /// The `lang` attribute.
    pub language: String,
    /// Which revision of the SMS this is ("git commit abc1234 of 2026-11-20" or "built 2026-12-01").
    pub revision: String,
}

#[derive(Serialize)]
struct Link {
    url: String,
    title: String,
}

#[derive(Serialize)]
struct Crumb {
    url: Option<String>,
    title: String,
}

fn status_of(project: &Project, key: ClauseKey) -> Coverage {
    project.analysis.of(key).status
}

/// Receives each rendered file: its path relative to the site root and its bytes. Called
/// from several threads at once.
pub type Emit<'e> = &'e (dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync);

/// How many documents of the print pack are compressed together (one script each).
pub const PRINT_GROUP: usize = 64;

/// How many documents are rendered before their print groups are compressed (a multiple of
/// [`PRINT_GROUP`]).
const PRINT_CHUNK: usize = 16 * PRINT_GROUP;

/// The file of print group `n`.
fn print_group(n: usize) -> String {
    format!("print/{n}.js")
}

/// Where the print page's documents go, between the template's two halves.
pub const PRINT_MARKER: &str = "<!--smsbook:documents-->";

fn template_error(message: String) -> Diagnostic {
    Diagnostic::error("render", message).help("fix the theme template named above")
}

/// The templates and what every page shares.
struct Pages<'a> {
    tera: Tera,
    /// The Statement of Applicability, when ISO/IEC 27001 is in use.
    soa: Option<Vec<crate::soa::Row>>,
    terms: Vec<crate::glossary::Term>,
    matcher: Option<crate::glossary::Matcher>,
    project: &'a Project,
    site: &'a SiteInfo,
    emit: Emit<'a>,
    /// Per document: the clauses its claims count for through mappings.
    through_mappings: BTreeMap<usize, Vec<ClauseKey>>,
    /// What an incremental build (`serve`) reuses from the previous one, with the hashes of
    /// what every render, and every page, depends on besides the document and its view.
    incremental: Option<(Incremental<'a>, (u64, u64))>,
    /// Document control notices (findings from git history) by document id.
    notices: std::collections::HashMap<&'a str, Vec<control::Notice>>,
}

/// What an incremental build reuses: renders from the cache, and files of the previous build.
#[derive(Clone, Copy)]
pub struct Incremental<'a> {
    /// Renders and page keys of the previous build.
    pub cache: &'a cache::RenderCache,
    /// Keeps the previous build's file at a path (false when there is none to keep).
    pub keep: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Pages<'_> {
    fn glossary(&self) -> Option<markdown::Glossary<'_>> {
        self.matcher.as_ref().map(|matcher| markdown::Glossary {
            terms: &self.terms,
            matcher,
            documents: &self.project.manual.documents,
        })
    }

    /// The context every page starts from.
    fn base(&self, root: &str, page: &str, title: &str) -> Context {
        let mut context = Context::new();
        context.insert("site", self.site);
        context.insert("root", root);
        context.insert("page", page);
        context.insert("title", title);
        context.insert("today", &self.project.rules.today.to_string());
        context.insert("soa", &self.soa.is_some());
        context.insert("several_standards", &(self.project.catalogs.list.len() > 1));
        context
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(format!("template {name}: {}", error_chain(&e))))
    }

    /// Renders a template and hands the page to `emit`.
    fn page(&self, path: &str, template: &str, context: &Context) -> Result<(), Diagnostic> {
        (self.emit)(path, self.render(template, context)?.as_bytes())
    }

    /// One page per document, rendered in parallel in reading order, chunk by chunk: each
    /// page's text goes into the search index and its print version into the print pack's
    /// group files (`print/<n>.js`, [`PRINT_GROUP`] documents each).
    fn documents(
        &self,
        order: &[usize],
        search_index: &search::IndexBuilder,
    ) -> Result<(), Diagnostic> {
        let manual = &self.project.manual;
        let position: BTreeMap<usize, usize> =
            order.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        let neighbour = |d: usize| Link {
            url: page_path(&manual.documents[d].path),
            title: manual.documents[d].title.clone(),
        };
        for (c, chunk) in order.chunks(PRINT_CHUNK).enumerate() {
            let articles: Vec<String> = chunk
                .par_iter()
                .enumerate()
                .map(|(i, &index)| {
                    let place = c * PRINT_CHUNK + i;
                    let doc = &manual.documents[index];
                    let page = page_path(&doc.path);
                    let mapped = self.through_mappings.get(&index).map_or(&[][..], |v| v);
                    let notices = doc
                        .id()
                        .and_then(|id| self.notices.get(id))
                        .map_or(&[][..], |n| n);
                    let (prev, next) = match position.get(&index) {
                        Some(&p) => (
                            p.checked_sub(1).map(|p| neighbour(order[p])),
                            order.get(p + 1).map(|&n| neighbour(n)),
                        ),
                        None => (None, None),
                    };
                    let mut crumbs = vec![crumb("index.html", "Home")];
                    if let Some(meta) = &doc.meta {
                        crumbs.push(crumb("register.html", &capitalise(meta.doc_type.as_str())));
                    }
                    crumbs.push(Crumb {
                        url: None,
                        title: doc.title.clone(),
                    });
                    let write_page = |view: &DocumentView| {
                        let mut context = self.base(
                            &"../".repeat(doc.path.matches('/').count()),
                            &page,
                            &doc.title,
                        );
                        context.insert("doc", view);
                        if position.contains_key(&index) {
                            context.insert("prev", &prev);
                            context.insert("next", &next);
                        }
                        context.insert("breadcrumbs", &crumbs);
                        self.page(&page, "document.html", &context)
                    };
                    let render = || {
                        markdown::render_page(
                            doc,
                            &self.project.catalogs,
                            self.project.config.sanitize,
                            self.glossary(),
                        )
                    };
                    let Some((incremental, context)) = &self.incremental else {
                        let (body, print, text) = render();
                        write_page(&document_view(self.project, index, body, mapped, notices))?;
                        search_index.add_document(index, place, doc, &text);
                        return Ok(print_document(self.project, index, &print));
                    };
                    let key = cache::document_key(context.0, doc);
                    let r = incremental.cache.get_or_render(key, || {
                        let (page, print, text) = render();
                        let words = search::prepare(&text);
                        cache::Rendered { page, print, words }
                    });
                    // The page is the same as last time when everything it shows is: its
                    // render (by key) and the rest of its view.
                    let mut view =
                        document_view(self.project, index, String::new(), mapped, notices);
                    let page_key = cache::page_key(
                        key ^ context.1,
                        &(&view, &prev, &next, &crumbs, position.contains_key(&index)),
                    );
                    if !incremental.cache.same_output(&page, page_key) || !(incremental.keep)(&page)
                    {
                        view.body = r.page.clone();
                        write_page(&view)?;
                    }
                    search_index.add_prepared(index, place, doc, &r.words);
                    Ok(print_document(self.project, index, &r.print))
                })
                .collect::<Result<_, Diagnostic>>()?;
            // The print pack holds the documents compressed, a script per group, which
            // `theme/print.js` puts in place when the print page opens and search (`app.js`)
            // loads for the snippets of its results.
            articles
                .par_chunks(PRINT_GROUP)
                .enumerate()
                .try_for_each(|(g, group)| {
                    let n = c * PRINT_CHUNK / PRINT_GROUP + g;
                    let text = group.concat();
                    let packed = match &self.incremental {
                        Some((i, _)) => i.cache.packed(text.as_bytes()),
                        None => std::sync::Arc::new(pack::deflate_base64(text.as_bytes())),
                    };
                    let script = format!("smsbookPack({n},\"{packed}\");\n");
                    (self.emit)(&print_group(n), script.as_bytes())
                })?;
        }
        Ok(())
    }

    /// One page per clause of every standard.
    fn clauses(&self) -> Result<(), Diagnostic> {
        let catalogs = &self.project.catalogs;
        for key in catalogs.keys() {
            let page = clause_page(catalogs, key);
            let clause = catalogs.clause(key);
            let mut context = self.base(
                &"../".repeat(page.matches('/').count()),
                &page,
                &format!("{} {}", clause.number, clause.title),
            );
            context.insert("clause", &clause_view(self.project, key));
            context.insert(
                "since",
                &self.project.comparison.as_ref().and_then(|diff| {
                    control::clause_since(diff, &catalogs.list[key.standard].id, &clause.number)
                }),
            );
            let mut crumbs = vec![
                crumb("index.html", "Home"),
                crumb("clauses/index.html", "Clauses"),
            ];
            let ancestors: Vec<usize> = catalogs.list[key.standard]
                .ancestors(key.clause)
                .skip(1)
                .collect();
            for ancestor in ancestors.into_iter().rev() {
                let a = ClauseKey {
                    standard: key.standard,
                    clause: ancestor,
                };
                crumbs.push(crumb(&clause_page(catalogs, a), &catalogs.clause(a).number));
            }
            crumbs.push(Crumb {
                url: None,
                title: clause.number.clone(),
            });
            context.insert("breadcrumbs", &crumbs);
            self.page(&page, "clause.html", &context)?;
        }
        Ok(())
    }

    /// The dashboard, matrix, register, clause index, contents and 404 pages, and the
    /// shared files (navigation script, theme files).
    fn site_pages(
        &self,
        theme: &Theme,
        nav_html: &str,
        rows: &[MatrixRow],
        standard: &StandardView,
    ) -> Result<(), Diagnostic> {
        let mut context = self.base("", "index.html", "Dashboard");
        insert_dashboard(self.project, &mut context, 0);
        context.insert("standard", standard);
        context.insert("control", &control::dashboard(self.project, &self.notices));
        let changes = self
            .project
            .comparison
            .as_ref()
            .map(|diff| format!("Changes since {}", diff.from.revision));
        context.insert("changes", &changes);
        self.page("index.html", "index.html", &context)?;

        let mut context = self.base("", "matrix.html", "Traceability matrix");
        context.insert("wide", &true);
        context.insert("rows", rows);
        context.insert("standard", standard);
        self.page("matrix.html", "matrix.html", &context)?;

        let mut context = self.base("", "register.html", "Document register");
        context.insert("wide", &true);
        context.insert("documents", &register_rows(self.project, &self.notices));
        context.insert("history", &self.project.history.is_some());
        self.page("register.html", "register.html", &context)?;

        let mut context = self.base("../", "clauses/index.html", "Clauses");
        context.insert("standards", &clause_tree(self.project));
        self.page("clauses/index.html", "clauses.html", &context)?;

        let mut context = self.base("", "contents.html", "Contents");
        context.insert("nav", nav_html);
        self.page("contents.html", "contents.html", &context)?;

        self.page(
            "404.html",
            "404.html",
            &self.base("", "404.html", "Page not found"),
        )?;
        self.page(
            "search.html",
            "search.html",
            &self.base("", "search.html", "Search"),
        )?;
        if self
            .project
            .manual
            .documents
            .iter()
            .any(|d| theme::has_diagram(d.body()))
        {
            for (name, bytes) in theme::MERMAID {
                (self.emit)(&format!("theme/{name}"), bytes)?;
            }
        }

        let header = self.render("header.html", &self.base("", "", ""))?;
        (self.emit)(
            "nav.js",
            nav_script(&self.site.title, &header, nav_html).as_bytes(),
        )?;
        // One stylesheet and one script a page: the code highlighting's CSS goes at the end of
        // the theme's `style.css`, and `search.js` at the end of `app.js`.
        let search = theme.file("search.js").unwrap_or_default();
        for (name, mut bytes) in theme.static_files() {
            match name {
                "style.css" => bytes.extend_from_slice(theme::highlight_css().as_bytes()),
                "app.js" => bytes.extend_from_slice(search.as_bytes()),
                "search.js" => continue,
                _ => {}
            }
            (self.emit)(&format!("theme/{name}"), &bytes)?;
        }
        Ok(())
    }

    /// With several standards: an overview, and a dashboard and a matrix for each standard
    /// but the primary (whose are the site's home and `matrix.html`).
    fn standards(&self) -> Result<(), Diagnostic> {
        let catalogs = &self.project.catalogs;
        if catalogs.list.len() < 2 {
            return Ok(());
        }
        #[derive(Serialize)]
        struct Overview<'c> {
            title: &'c str,
            primary: bool,
            total: usize,
            satisfied: usize,
            partial: usize,
            gap: usize,
            excluded: usize,
            dashboard: String,
            matrix: String,
        }
        let mut overview = Vec::new();
        for (standard, catalog) in catalogs.list.iter().enumerate() {
            let [satisfied, partial, gap, excluded] = self.project.analysis.counts(standard);
            let folder = format!("standards/{}", catalog.prefix);
            let (dashboard, matrix) = if standard == 0 {
                ("index.html".to_string(), "matrix.html".to_string())
            } else {
                (
                    format!("{folder}/index.html"),
                    format!("{folder}/matrix.html"),
                )
            };
            if standard > 0 {
                let view = standard_view(self.project, standard);
                let mut context = self.base(
                    "../../",
                    &dashboard,
                    &format!("Dashboard: {}", catalog.title),
                );
                insert_dashboard(self.project, &mut context, standard);
                context.insert("standard", &view);
                self.page(&dashboard, "index.html", &context)?;
                let mut context = self.base(
                    "../../",
                    &matrix,
                    &format!("Traceability matrix: {}", catalog.title),
                );
                context.insert("rows", &matrix_rows(self.project, standard));
                context.insert("standard", &view);
                context.insert("wide", &true);
                self.page(&matrix, "matrix.html", &context)?;
            }
            overview.push(Overview {
                title: &catalog.title,
                primary: standard == 0,
                total: satisfied + partial + gap + excluded,
                satisfied,
                partial,
                gap,
                excluded,
                dashboard,
                matrix,
            });
        }
        let topics = &self.project.rules.mappings.topics;
        let mut context = self.base("../", "standards/index.html", "Standards");
        context.insert("standards", &overview);
        context.insert("topics", &!topics.is_empty());
        self.page("standards/index.html", "standards.html", &context)?;
        if topics.is_empty() {
            return Ok(());
        }
        #[derive(Serialize)]
        struct Column<'c> {
            title: &'c str,
            counts_indirect: bool,
        }
        #[derive(Serialize)]
        struct Row<'t> {
            id: &'t str,
            title: &'t str,
            built_in: bool,
            /// Per standard, the topic's clauses in it (none, one, or several for user topics).
            cells: Vec<Vec<ClauseLink>>,
        }
        let columns: Vec<Column> = catalogs
            .list
            .iter()
            .enumerate()
            .map(|(s, c)| Column {
                title: &c.title,
                counts_indirect: self.project.rules.mappings.indirect[s],
            })
            .collect();
        let rows: Vec<Row> = topics
            .iter()
            .map(|t| Row {
                id: &t.id,
                title: &t.title,
                built_in: t.built_in,
                cells: (0..catalogs.list.len())
                    .map(|s| {
                        t.clauses
                            .iter()
                            .filter(|k| k.standard == s)
                            .map(|&k| clause_link(self.project, k))
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        let mut context = self.base("../", "standards/topics.html", "Common topics");
        context.insert("columns", &columns);
        context.insert("rows", &rows);
        context.insert("wide", &true);
        self.page("standards/topics.html", "topics.html", &context)
    }

    /// The Statement of Applicability page and `soa.csv`, when ISO/IEC 27001 is in use.
    fn soa(&self) -> Result<(), Diagnostic> {
        let Some(rows) = &self.soa else { return Ok(()) };
        #[derive(Serialize)]
        struct SoaView<'r> {
            #[serde(flatten)]
            row: &'r crate::soa::Row,
            sort: String,
        }
        let views: Vec<SoaView> = rows
            .iter()
            .map(|row| SoaView {
                row,
                sort: natural_key(&row.control),
            })
            .collect();
        let mut context = self.base("", "soa.html", "Statement of Applicability");
        let totals: Vec<(&str, usize)> = [
            "implemented",
            "partly implemented",
            "not implemented",
            "not applicable",
        ]
        .into_iter()
        .map(|state| {
            (
                state,
                rows.iter().filter(|r| r.implementation == state).count(),
            )
        })
        .collect();
        context.insert("totals", &totals);
        context.insert("rows", &views);
        context.insert("wide", &true);
        self.page("soa.html", "soa.html", &context)?;
        let csv = crate::soa::csv(rows)
            .map_err(|e| Diagnostic::error("export", e).help("report this as a bug of smsbook"))?;
        (self.emit)("soa.csv", &csv)
    }

    /// The "Changes since" page, when the site compares with an earlier revision.
    fn changes(&self) -> Result<(), Diagnostic> {
        let Some(diff) = &self.project.comparison else {
            return Ok(());
        };
        let title = format!("Changes since {}", diff.from.revision);
        let mut context = self.base("", "changes.html", &title);
        context.insert("changes", &control::changes_view(diff));
        context.insert("wide", &true);
        self.page("changes.html", "changes.html", &context)
    }

    /// The whole history of each document whose page shows only its newest commits.
    fn histories(&self) -> Result<(), Diagnostic> {
        let Some(history) = &self.project.history else {
            return Ok(());
        };
        for index in control::long_histories(self.project) {
            let doc = &self.project.manual.documents[index];
            let page = control::history_page(&doc.path);
            let mut context = self.base(
                &"../".repeat(page.matches('/').count()),
                &page,
                &format!("History: {}", doc.title),
            );
            context.insert(
                "document",
                &Link {
                    url: page_path(&doc.path),
                    title: doc.title.clone(),
                },
            );
            context.insert("id", &doc.id());
            context.insert("history", &control::history_view(history, &doc.path, None));
            context.insert(
                "breadcrumbs",
                &[
                    crumb("index.html", "Home"),
                    crumb(&page_path(&doc.path), &doc.title),
                    Crumb {
                        url: None,
                        title: "History".to_string(),
                    },
                ],
            );
            self.page(&page, "history.html", &context)?;
        }
        Ok(())
    }

    /// The "What's new" page and its Atom feed.
    fn whats_new(&self) -> Result<(), Diagnostic> {
        let entries = whats_new(self.project);
        let mut context = self.base("", "whats-new.html", "What's new");
        context.insert("entries", &entries);
        context.insert("days", &self.project.config.whats_new_days);
        self.page("whats-new.html", "whats-new.html", &context)?;
        (self.emit)(
            "whats-new.atom",
            atom_feed(self.site, &entries, self.project.rules.today).as_bytes(),
        )
    }

    /// One reading list per audience, and their index.
    fn reading_lists(&self, order: &[usize]) -> Result<(), Diagnostic> {
        let lists = reading_lists(self.project, order);
        for list in &lists {
            let mut context = self.base("../", &list.url, &format!("Reading list: {}", list.title));
            context.insert("audience", list);
            context.insert(
                "breadcrumbs",
                &[
                    crumb("index.html", "Home"),
                    crumb("reading/index.html", "Reading lists"),
                    Crumb {
                        url: None,
                        title: list.title.clone(),
                    },
                ],
            );
            self.page(&list.url, "reading.html", &context)?;
        }
        let mut context = self.base("../", "reading/index.html", "Reading lists");
        context.insert("audiences", &lists);
        self.page("reading/index.html", "readings.html", &context)
    }

    /// The print page: its contents and matrix around a script per print group.
    fn print_page(
        &self,
        order: &[usize],
        rows: &[MatrixRow],
        standard: &StandardView,
    ) -> Result<(), Diagnostic> {
        let mut context = self.base("", "print.html", "Audit pack");
        context.insert("standard", standard);
        context.insert("rows", rows);
        context.insert("docs", &print_toc(self.project, order));
        context.insert("documents_marker", PRINT_MARKER);
        let page = self.render("print.html", &context)?;
        let (head, tail) = page.split_once(PRINT_MARKER).ok_or_else(|| {
            template_error(format!(
                "print.html must contain {{{{ documents_marker | safe }}}} ({PRINT_MARKER})"
            ))
        })?;
        let mut html = String::with_capacity(page.len() + order.len());
        html.push_str(head);
        for n in 0..order.len().div_ceil(PRINT_GROUP) {
            html.push_str(&format!("<script src=\"{}\"></script>\n", print_group(n)));
        }
        html.push_str(tail);
        (self.emit)("print.html", html.as_bytes())
    }
}

fn crumb(url: &str, title: &str) -> Crumb {
    Crumb {
        url: Some(url.to_string()),
        title: title.to_string(),
    }
}

/// Renders the whole site, handing every file to `emit` as soon as it is ready, so the site
/// is never held in memory as a whole. With `incremental`, documents whose render the cache
/// holds are not rendered again, and pages that would be the same as the previous build's
/// are kept.
pub fn render_site(
    project: &Project,
    theme: &Theme,
    site: &SiteInfo,
    emit: Emit,
    incremental: Option<Incremental>,
) -> Result<(), Diagnostic> {
    let terms = crate::glossary::terms(&project.manual);
    let incremental = incremental.map(|i| {
        let context = cache::context_keys(project, &terms, site, theme.fingerprint());
        (i, context)
    });
    let pages = Pages {
        incremental,
        tera: theme.tera().map_err(template_error)?,
        soa: crate::soa::rows(project),
        matcher: crate::glossary::Matcher::new(&terms),
        terms,
        project,
        site,
        emit,
        through_mappings: through_mappings(project),
        notices: control::notices(&project.diagnostics),
    };
    let nav = nav::navigation(&project.manual, project.manual.summary.as_deref());
    let order = nav::reading_order(&nav);
    let nav_html = nav_html(project, &nav);
    let rows = matrix_rows(project, 0);
    let standard = standard_view(project, 0);
    let search_index = search::IndexBuilder::new(project.manual.documents.len());
    let (documents, others) = rayon::join(
        || pages.documents(&order, &search_index),
        || {
            pages.print_page(&order, &rows, &standard)?;
            pages.clauses()?;
            pages.reading_lists(&order)?;
            pages.whats_new()?;
            pages.soa()?;
            pages.standards()?;
            pages.histories()?;
            pages.changes()?;
            pages.site_pages(theme, &nav_html, &rows, &standard)
        },
    );
    documents?;
    others?;
    emit("search-index.js", &search_index.finish(project))
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

pub(crate) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The sidebar as HTML with links relative to the site root (`</li>` left out, as HTML allows).
fn nav_html(project: &Project, items: &[NavItem]) -> String {
    let mut html = String::from("<ul>");
    let mut open_levels = 0usize;
    for item in items {
        match item {
            NavItem::Part(title) => {
                while open_levels > 0 {
                    html.push_str("</ul>");
                    open_levels -= 1;
                }
                html.push_str(&format!("<li class=\"part\">{}", escape(title)));
            }
            NavItem::Page {
                document,
                title,
                level,
            } => {
                while open_levels > *level {
                    html.push_str("</ul>");
                    open_levels -= 1;
                }
                while open_levels < *level {
                    html.push_str("<li><ul>");
                    open_levels += 1;
                }
                let doc = &project.manual.documents[*document];
                html.push_str(&format!(
                    "<li><a href=\"{}\">{}</a>",
                    escape(&page_path(&doc.path)),
                    escape(title)
                ));
            }
        }
    }
    while open_levels > 0 {
        html.push_str("</ul>");
        open_levels -= 1;
    }
    html.push_str("</ul>");
    html
}

/// `nav.js`: the site's title, the header and the sidebar of every page, written once so
/// that pages stay small; `theme/app.js` puts them in place (links are relative to the site
/// root).
fn nav_script(site: &str, header: &str, sidebar: &str) -> String {
    let json = serde_json::json!({ "site": site, "header": header, "sidebar": sidebar });
    format!("// Generated by smsbook: the header and the sidebar of every page.\nwindow.smsbookNav = {json};\n")
}

#[derive(Serialize)]
struct StandardView {
    title: String,
    total: usize,
}

fn standard_view(project: &Project, standard: usize) -> StandardView {
    StandardView {
        title: project.catalogs.list[standard].title.clone(),
        total: project.catalogs.list[standard].clauses.len(),
    }
}

/// Per document, the clauses of other standards its claims count for through mappings.
fn through_mappings(project: &Project) -> BTreeMap<usize, Vec<ClauseKey>> {
    let mut map: BTreeMap<usize, Vec<ClauseKey>> = BTreeMap::new();
    for key in project.catalogs.keys() {
        for &c in &project.analysis.of(key).indirect {
            map.entry(project.manual.claims[c].document)
                .or_default()
                .push(key);
        }
    }
    map
}

#[derive(Serialize)]
struct ClaimView {
    url: String,
    /// The standard's title.
    standard: String,
    /// The clause number (shown under its standard's heading).
    number: String,
    reference: String,
    title: String,
    status: &'static str,
    section: Option<String>,
    section_title: Option<String>,
}

#[derive(Serialize)]
struct MetaView<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    doc_type: &'static str,
    owner: Option<&'a str>,
    status: &'static str,
    version: Option<&'a str>,
    approved_by: Option<&'a str>,
    approved_on: Option<String>,
    review_by: Option<String>,
    review_overdue: bool,
    date: Option<String>,
    audience: Vec<&'a str>,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    anchor: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct DocumentView<'a> {
    title: &'a str,
    banner: Option<&'static str>,
    banner_class: &'static str,
    meta: Option<MetaView<'a>>,
    /// Claimed clauses, standard by standard.
    claims: Vec<ClaimView>,
    /// Clauses of other standards that count this document's evidence through a mapping.
    through_mappings: Vec<ClauseLink>,
    toc: Vec<TocEntry<'a>>,
    body: String,
    backlinks: Vec<Link>,
    diagrams: bool,
    /// The git history, when the source is in a repository.
    history: Option<control::HistoryView<'a>>,
    /// Findings from the history (changed after approval, …).
    notices: Vec<control::Notice>,
}

/// The view of a document page, the body's print version, and its plain text.
fn document_view<'p>(
    project: &'p Project,
    index: usize,
    body: String,
    through_mappings: &[ClauseKey],
    notices: &[control::Notice],
) -> DocumentView<'p> {
    let manual = &project.manual;
    let catalogs = &project.catalogs;
    let doc = &manual.documents[index];
    let meta = doc.meta.as_ref();
    let (banner, banner_class) = match meta.map(|m| m.status) {
        Some(Status::Draft) => (
            Some("Draft: this document is not approved and does not count as evidence yet."),
            "partial",
        ),
        Some(Status::InReview) => (
            Some(
                "In review: this document is awaiting approval and does not count as evidence yet.",
            ),
            "partial",
        ),
        Some(Status::Retired) => (
            Some("Retired: this document is withdrawn and kept for reference only."),
            "excluded",
        ),
        _ => (None, "satisfied"),
    };
    DocumentView {
        title: &doc.title,
        banner,
        banner_class,
        meta: meta.map(|m| MetaView {
            id: &m.id.value,
            doc_type: m.doc_type.as_str(),
            owner: m.owner.as_deref(),
            status: m.status.as_str(),
            version: m.version.as_deref(),
            approved_by: m.approved_by.as_deref(),
            approved_on: m.approved_on.map(|d| d.to_string()),
            review_by: m.review_by.as_ref().map(|r| r.value.to_string()),
            review_overdue: review_overdue(m, project.rules.today),
            date: m.date.map(|d| d.to_string()),
            audience: m.audience.iter().map(|a| a.value.as_str()).collect(),
        }),
        claims: {
            let mut claims: Vec<&crate::manual::Claim> = manual.claims_of(index).iter().collect();
            claims.sort_by_key(|c| c.clause.standard);
            claims
        }
        .into_iter()
        .map(|c| ClaimView {
            url: clause_page(catalogs, c.clause),
            standard: catalogs.list[c.clause.standard].title.clone(),
            number: catalogs.clause(c.clause).number.clone(),
            reference: catalogs.reference(c.clause),
            title: catalogs.clause(c.clause).title.clone(),
            status: status_of(project, c.clause).as_str(),
            section_title: c.section.as_ref().and_then(|s| {
                doc.headings
                    .iter()
                    .find(|h| &h.anchor == s)
                    .map(|h| h.text.clone())
            }),
            section: c.section.clone(),
        })
        .collect(),
        through_mappings: through_mappings
            .iter()
            .map(|&k| clause_link(project, k))
            .collect(),
        toc: doc
            .headings
            .iter()
            .filter(|h| h.level >= 2 && h.level <= 4)
            .map(|h| TocEntry {
                level: h.level,
                anchor: &h.anchor,
                text: &h.text,
            })
            .collect(),
        body,
        diagrams: theme::has_diagram(doc.body()),
        backlinks: manual.backlinks[index]
            .iter()
            .map(|&b| Link {
                url: page_path(&manual.documents[b].path),
                title: manual.documents[b].title.clone(),
            })
            .collect(),
        history: project.history.as_ref().and_then(|history| {
            control::history_view(history, &doc.path, Some(control::PAGE_COMMITS))
        }),
        notices: notices
            .iter()
            .cloned()
            .chain(
                project
                    .comparison
                    .as_ref()
                    .and_then(|diff| control::change_notice(diff, &doc.path)),
            )
            .collect(),
    }
}

#[derive(Serialize)]
struct ClauseLink {
    url: String,
    number: String,
    /// `number` for the primary standard, `prefix:number` for the others.
    reference: String,
    /// `prefix:number`, for every standard.
    qualified: String,
    /// The standard's title.
    standard: String,
    title: String,
    status: &'static str,
}

#[derive(Serialize)]
struct EvidenceView<'a> {
    url: String,
    id: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'static str,
    status: &'static str,
    section: Option<&'a str>,
    /// For evidence through a mapping: the clause the document claims, and its page.
    via: Option<ClauseLink>,
}

#[derive(Serialize)]
struct TopicView {
    title: String,
    /// The topic's row on the topics page, relative to the site root.
    url: String,
    clauses: Vec<ClauseLink>,
}

#[derive(Serialize)]
struct ClauseView<'a> {
    standard: &'a str,
    number: &'a str,
    title: &'a str,
    summary: &'a str,
    documented: bool,
    record: bool,
    status: &'static str,
    reasons: &'a [crate::analysis::Reason],
    exclusion: Option<&'a str>,
    documents: Vec<EvidenceView<'a>>,
    indirect: Vec<EvidenceView<'a>>,
    /// Whether this clause's standard counts evidence through mappings.
    counts_indirect: bool,
    topics: Vec<TopicView>,
    children: Vec<ClauseLink>,
    parent: Option<ClauseLink>,
}

fn clause_link(project: &Project, key: ClauseKey) -> ClauseLink {
    let clause = project.catalogs.clause(key);
    ClauseLink {
        url: clause_page(&project.catalogs, key),
        number: clause.number.clone(),
        reference: project.catalogs.reference(key),
        qualified: project.catalogs.qualified(key),
        standard: project.catalogs.list[key.standard].title.clone(),
        title: clause.title.clone(),
        status: status_of(project, key).as_str(),
    }
}

/// The documents claiming a clause itself, then those counting through a mapping.
fn evidence(project: &Project, key: ClauseKey) -> Vec<EvidenceView<'_>> {
    let coverage = project.analysis.of(key);
    evidence_of(project, key, &coverage.claims)
        .into_iter()
        .chain(evidence_of(project, key, &coverage.indirect))
        .collect()
}

fn evidence_of<'p>(
    project: &'p Project,
    key: ClauseKey,
    claims: &[usize],
) -> Vec<EvidenceView<'p>> {
    claims
        .iter()
        .map(|&c| {
            let (claim, doc, meta) = project.manual.claim(c);
            EvidenceView {
                url: page_path(&doc.path),
                id: &meta.id.value,
                title: &doc.title,
                doc_type: meta.doc_type.as_str(),
                status: meta.status.as_str(),
                section: claim.section.as_deref(),
                via: (claim.clause != key).then(|| clause_link(project, claim.clause)),
            }
        })
        .collect()
}

/// The topics a clause belongs to, each with the other standards' clauses.
fn topics_of(project: &Project, key: ClauseKey) -> Vec<TopicView> {
    project
        .rules
        .mappings
        .topics_of(key)
        .map(|t| TopicView {
            title: t.title.clone(),
            url: format!("standards/topics.html#{}", t.id),
            clauses: t
                .clauses
                .iter()
                .filter(|&&k| k != key)
                .map(|&k| clause_link(project, k))
                .collect(),
        })
        .collect()
}

fn clause_view(project: &Project, key: ClauseKey) -> ClauseView<'_> {
    let catalog = &project.catalogs.list[key.standard];
    let clause = &catalog.clauses[key.clause];
    let coverage = project.analysis.of(key);
    ClauseView {
        standard: &catalog.title,
        number: &clause.number,
        title: &clause.title,
        summary: &clause.summary,
        documented: clause.documented,
        record: clause.record,
        status: coverage.status.as_str(),
        reasons: &coverage.reasons,
        exclusion: coverage.exclusion.as_deref(),
        documents: evidence_of(project, key, &coverage.claims),
        indirect: evidence_of(project, key, &coverage.indirect),
        counts_indirect: project.rules.mappings.indirect[key.standard],
        topics: topics_of(project, key),
        children: clause
            .children
            .iter()
            .map(|&c| {
                clause_link(
                    project,
                    ClauseKey {
                        standard: key.standard,
                        clause: c,
                    },
                )
            })
            .collect(),
        parent: clause.parent.map(|p| {
            clause_link(
                project,
                ClauseKey {
                    standard: key.standard,
                    clause: p,
                },
            )
        }),
    }
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    url: String,
    number: &'a str,
    sort: String,
    title: &'a str,
    status: &'static str,
    reason: String,
    documents: Vec<EvidenceView<'a>>,
}

/// A sort key that orders clause numbers naturally (8.10 after 8.9).
fn natural_key(number: &str) -> String {
    number
        .split('.')
        .map(|part| match part.parse::<u32>() {
            Ok(n) => format!("{n:06}"),
            Err(_) => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn matrix_rows(project: &Project, standard: usize) -> Vec<MatrixRow<'_>> {
    let catalog = &project.catalogs.list[standard];
    (0..catalog.clauses.len())
        .map(|clause| {
            let key = ClauseKey { standard, clause };
            let c = &catalog.clauses[clause];
            let coverage = project.analysis.of(key);
            MatrixRow {
                url: clause_page(&project.catalogs, key),
                number: &c.number,
                sort: natural_key(&c.number),
                title: &c.title,
                status: coverage.status.as_str(),
                reason: coverage
                    .reasons
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                documents: evidence(project, key),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct RegisterRow<'a> {
    url: String,
    id: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'static str,
    owner: &'a str,
    status: &'static str,
    version: &'a str,
    approved_by: &'a str,
    approved_on: String,
    review_by: String,
    review_overdue: bool,
    /// The date of the last commit that changed it (with a git history).
    last_changed: String,
    /// Labels of its document control findings.
    notices: Vec<String>,
}

/// The register's rows; `notices` are the document control notices by document id.
fn register_rows<'p>(
    project: &'p Project,
    notices: &std::collections::HashMap<&str, Vec<control::Notice>>,
) -> Vec<RegisterRow<'p>> {
    let mut rows: Vec<RegisterRow> = project
        .manual
        .documents
        .iter()
        .filter_map(|doc| {
            let m = doc.meta.as_ref()?;
            Some(RegisterRow {
                url: page_path(&doc.path),
                id: &m.id.value,
                title: &doc.title,
                doc_type: m.doc_type.as_str(),
                owner: m.owner.as_deref().unwrap_or(""),
                status: m.status.as_str(),
                version: m.version.as_deref().unwrap_or(""),
                approved_by: m.approved_by.as_deref().unwrap_or(""),
                approved_on: m.approved_on.map(|d| d.to_string()).unwrap_or_default(),
                review_by: m
                    .review_by
                    .as_ref()
                    .map(|r| r.value.to_string())
                    .unwrap_or_default(),
                review_overdue: review_overdue(m, project.rules.today),
                last_changed: project
                    .history
                    .as_ref()
                    .and_then(|h| {
                        h.of(&doc.path)
                            .first()
                            .map(|c| h.commit(c).date.to_string())
                    })
                    .unwrap_or_default(),
                notices: notices
                    .get(m.id.value.as_str())
                    .map(|n| n.iter().map(control::Notice::label).collect())
                    .unwrap_or_default(),
            })
        })
        .collect();
    rows.sort_by(|a, b| a.id.cmp(b.id));
    rows
}

#[derive(Serialize)]
struct TreeEntry {
    url: String,
    number: String,
    title: String,
    status: &'static str,
    depth: usize,
}

#[derive(Serialize)]
struct TreeView {
    title: String,
    clauses: Vec<TreeEntry>,
}

fn clause_tree(project: &Project) -> Vec<TreeView> {
    project
        .catalogs
        .list
        .iter()
        .enumerate()
        .map(|(standard, catalog)| TreeView {
            title: catalog.title.clone(),
            clauses: (0..catalog.clauses.len())
                .map(|clause| {
                    let key = ClauseKey { standard, clause };
                    let link = clause_link(project, key);
                    TreeEntry {
                        url: link.url,
                        number: link.number,
                        title: link.title,
                        status: link.status,
                        depth: catalog.depth(clause),
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
struct CountView {
    status: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct BarPart {
    status: &'static str,
    count: usize,
    percent: String,
}

#[derive(Serialize)]
struct BarView {
    url: String,
    number: String,
    title: String,
    label: String,
    parts: Vec<BarPart>,
}

#[derive(Serialize)]
struct PartialView {
    url: String,
    number: String,
    title: String,
    reason: String,
}

#[derive(Serialize)]
struct ReviewView<'a> {
    url: String,
    id: &'a str,
    title: &'a str,
    owner: &'a str,
    review_by: String,
    overdue: bool,
}

fn insert_dashboard(project: &Project, context: &mut Context, standard: usize) {
    let catalogs = &project.catalogs;
    let catalog = &catalogs.list[standard];
    let counts = project.analysis.counts(standard);
    context.insert(
        "counts",
        &Coverage::ALL
            .iter()
            .zip(counts)
            .map(|(s, count)| CountView {
                status: s.as_str(),
                count,
            })
            .collect::<Vec<_>>(),
    );
    context.insert("documents", &project.manual.documents.len());
    let bars: Vec<BarView> = catalog
        .roots()
        .map(|root| {
            let leaves: Vec<usize> = (0..catalog.clauses.len())
                .filter(|&c| {
                    catalog.clauses[c].children.is_empty()
                        && catalog.ancestors(c).any(|a| a == root)
                })
                .collect();
            let mut parts: Vec<BarPart> = Coverage::ALL
                .iter()
                .map(|s| BarPart {
                    status: s.as_str(),
                    count: leaves
                        .iter()
                        .filter(|&&c| {
                            status_of(
                                project,
                                ClauseKey {
                                    standard,
                                    clause: c,
                                },
                            ) == *s
                        })
                        .count(),
                    percent: String::new(),
                })
                .collect();
            let total = leaves.len().max(1);
            for part in &mut parts {
                part.percent = format!("{:.2}", part.count as f64 * 100.0 / total as f64);
            }
            let label = parts
                .iter()
                .filter(|p| p.count > 0)
                .map(|p| format!("{} {}", p.count, p.status))
                .collect::<Vec<_>>()
                .join(", ");
            let clause = &catalog.clauses[root];
            BarView {
                url: clause_page(
                    catalogs,
                    ClauseKey {
                        standard,
                        clause: root,
                    },
                ),
                number: clause.number.clone(),
                title: clause.title.clone(),
                label,
                parts,
            }
        })
        .collect();
    context.insert("bars", &bars);
    let leaves_with = |status: Coverage| {
        (0..catalog.clauses.len())
            .filter(|&c| catalog.clauses[c].children.is_empty())
            .map(|c| ClauseKey {
                standard,
                clause: c,
            })
            .filter(|&k| status_of(project, k) == status)
            .map(|k| {
                let clause = catalogs.clause(k);
                PartialView {
                    url: clause_page(catalogs, k),
                    number: clause.number.clone(),
                    title: clause.title.clone(),
                    reason: project
                        .analysis
                        .of(k)
                        .reasons
                        .iter()
                        .map(|r| r.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                }
            })
            .collect::<Vec<_>>()
    };
    context.insert("gaps", &leaves_with(Coverage::Gap));
    context.insert("partials", &leaves_with(Coverage::Partial));
    let today = project.rules.today;
    let mut reviews: Vec<ReviewView> = project
        .manual
        .documents
        .iter()
        .filter_map(|doc| {
            let m = doc.meta.as_ref()?;
            let review = m.review_by.as_ref()?.value;
            let days = (review - today).num_days();
            (m.status == Status::Approved && days <= project.rules.review_warning_days).then(|| {
                ReviewView {
                    url: page_path(&doc.path),
                    id: &m.id.value,
                    title: &doc.title,
                    owner: m.owner.as_deref().unwrap_or(""),
                    review_by: review.to_string(),
                    overdue: days < 0,
                }
            })
        })
        .collect();
    reviews.sort_by(|a, b| a.review_by.cmp(&b.review_by));
    context.insert("reviews", &reviews);
}

/// A document approved (or, for a record, dated) within the "What's new" window.
#[derive(Serialize)]
struct NewEntry<'a> {
    date: String,
    url: String,
    id: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'static str,
    version: &'a str,
    approved_by: &'a str,
}

/// Documents approved, or records dated, in the last `whats_new_days` days, newest first.
fn whats_new(project: &Project) -> Vec<NewEntry<'_>> {
    let today = project.rules.today;
    let since = today - chrono::Days::new(u64::from(project.config.whats_new_days));
    let mut entries: Vec<NewEntry> = project
        .manual
        .documents
        .iter()
        .filter_map(|doc| {
            let meta = doc.meta.as_ref()?;
            let date = [meta.approved_on, meta.date]
                .into_iter()
                .flatten()
                .filter(|d| *d > since && *d <= today)
                .max()?;
            (meta.status == Status::Approved).then(|| NewEntry {
                date: date.to_string(),
                url: page_path(&doc.path),
                id: &meta.id.value,
                title: &doc.title,
                doc_type: meta.doc_type.as_str(),
                version: meta.version.as_deref().unwrap_or(""),
                approved_by: meta.approved_by.as_deref().unwrap_or(""),
            })
        })
        .collect();
    entries.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(b.id)));
    entries
}

/// The Atom feed of "What's new" (RFC 4287). Links are relative to the feed, which sits at
/// the site root; ids are stable URNs made of the document id and version.
fn atom_feed(site: &SiteInfo, entries: &[NewEntry], today: chrono::NaiveDate) -> String {
    let updated = entries
        .first()
        .map_or(today.to_string(), |e| e.date.clone());
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{} — what's new</title>\n  <id>urn:smsbook:{}:whats-new</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <link rel=\"alternate\" href=\"whats-new.html\"/>\n  <author><name>{}</name></author>\n",
        escape(&site.title),
        escape(&search::words(&site.title).join("-")),
        escape(site.organization.as_deref().unwrap_or(&site.title)),
    );
    for e in entries {
        let title = if e.id.is_empty() {
            e.title.to_string()
        } else {
            format!("{} {}", e.id, e.title)
        };
        let version = if e.version.is_empty() {
            String::new()
        } else {
            format!(", version {}", e.version)
        };
        let approver = if e.approved_by.is_empty() {
            String::new()
        } else {
            format!(", approved by {}", e.approved_by)
        };
        feed.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>urn:smsbook:{}:{}</id>\n    <updated>{}T00:00:00Z</updated>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&title),
            escape(&search::words(e.id).join("-")),
            escape(&search::words(e.version).join("-")),
            e.date,
            escape(&e.url),
            escape(&format!("{}{version}{approver}", e.doc_type)),
        ));
    }
    feed.push_str("</feed>\n");
    feed
}

#[derive(Serialize)]
struct ReadingEntry<'a> {
    url: String,
    id: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'static str,
    status: &'static str,
    version: &'a str,
}

/// A reading list: an audience and its documents in reading order.
#[derive(Serialize)]
struct ReadingList<'a> {
    name: String,
    title: String,
    url: String,
    documents: Vec<ReadingEntry<'a>>,
}

/// "service-desk" → "Service desk".
fn audience_title(name: &str) -> String {
    capitalise(&name.replace(['-', '_'], " "))
}

/// The reading lists: the declared audiences (or, when none are declared, every audience
/// documents name), each with its documents ordered by type (policies, plans, processes,
/// procedures, …) and by the navigation order within a type. Retired documents are left out.
fn reading_lists<'p>(project: &'p Project, order: &[usize]) -> Vec<ReadingList<'p>> {
    use crate::source::frontmatter::DocType;
    let rank = |t: DocType| {
        [
            DocType::Policy,
            DocType::Plan,
            DocType::Process,
            DocType::Procedure,
            DocType::Agreement,
            DocType::Register,
            DocType::Guide,
            DocType::Glossary,
            DocType::Record,
        ]
        .iter()
        .position(|x| *x == t)
        .unwrap_or(9)
    };
    let manual = &project.manual;
    let mut audiences: Vec<(String, String)> = project.config.audiences.clone();
    if audiences.is_empty() {
        let used: std::collections::BTreeSet<&str> = manual
            .documents
            .iter()
            .filter_map(|d| d.meta.as_ref())
            .flat_map(|m| m.audience.iter().map(|a| a.value.as_str()))
            .collect();
        audiences = used
            .into_iter()
            .map(|a| (a.to_string(), audience_title(a)))
            .collect();
    }
    audiences
        .into_iter()
        .map(|(name, title)| {
            let mut members: Vec<(usize, usize)> = order
                .iter()
                .enumerate()
                .filter_map(|(position, &d)| {
                    let meta = manual.documents[d].meta.as_ref()?;
                    (meta.status != Status::Retired
                        && meta.audience.iter().any(|a| a.value == name))
                    .then(|| (rank(meta.doc_type), position))
                })
                .collect();
            members.sort();
            let documents = members
                .into_iter()
                .map(|(_, position)| {
                    let doc = &manual.documents[order[position]];
                    let meta = doc.meta.as_ref().expect("filtered on front matter");
                    ReadingEntry {
                        url: page_path(&doc.path),
                        id: &meta.id.value,
                        title: &doc.title,
                        doc_type: meta.doc_type.as_str(),
                        status: meta.status.as_str(),
                        version: meta.version.as_deref().unwrap_or(""),
                    }
                })
                .collect();
            ReadingList {
                url: format!("reading/{name}.html"),
                name,
                title,
                documents,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct PrintEntry<'a> {
    anchor: String,
    id: Option<&'a str>,
    title: &'a str,
}

fn print_toc<'p>(project: &'p Project, order: &[usize]) -> Vec<PrintEntry<'p>> {
    order
        .iter()
        .map(|&index| {
            let doc = &project.manual.documents[index];
            PrintEntry {
                anchor: markdown::print_anchor(&doc.path),
                id: doc.id(),
                title: &doc.title,
            }
        })
        .collect()
}

/// One document of the print page: heading, a metadata line, the body.
fn print_document(project: &Project, index: usize, body: &str) -> String {
    let doc = &project.manual.documents[index];
    let mut line = String::new();
    if let Some(m) = &doc.meta {
        let mut parts = vec![
            m.doc_type.as_str().to_string(),
            m.status.as_str().to_string(),
        ];
        if let Some(v) = &m.version {
            parts.push(format!("version {v}"));
        }
        if let Some(o) = &m.owner {
            parts.push(format!("owner {o}"));
        }
        if let Some(d) = m.approved_on {
            parts.push(format!("approved {d}"));
        }
        if let Some(r) = &m.review_by {
            parts.push(format!("review by {}", r.value));
        }
        line = format!(
            "<p class=\"print-meta\">{}</p>\n",
            escape(&parts.join(" · "))
        );
    }
    let id = doc
        .id()
        .map(|id| format!("{} ", escape(id)))
        .unwrap_or_default();
    format!(
        "<article class=\"print-doc\" id=\"{}\">\n<h2>{id}{}</h2>\n{line}{}</article>\n",
        markdown::print_anchor(&doc.path),
        escape(&doc.title),
        body
    )
}
