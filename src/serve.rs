//! `smsbook serve`: builds the manual into a temporary folder (never the configured output
//! folder), serves it on loopback, rebuilds when a source file, `book.toml`, the theme or a
//! user catalogue changes, and reloads open pages. A failed build keeps the last good site
//! and shows the diagnostics over the page until the next good build.

use crate::diagnostics::{Diagnostic, Severity};
use chrono::NaiveDate;
use notify_debouncer_mini::notify::RecursiveMode;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The SMS repository.
    pub root: PathBuf,
    /// The port to try first.
    pub port: u16,
    /// The address to listen on (loopback unless told otherwise).
    pub bind: IpAddr,
    /// Open the site in the default browser.
    pub open: bool,
    /// The date to judge reviews and records against (default: today, each build).
    pub today: Option<NaiveDate>,
    /// Print only failed builds and the address.
    pub quiet: bool,
}

/// The state of the last build, as the pages see it.
#[derive(Debug, Default)]
struct Status {
    /// Increases with every build, good or bad: pages reload when it changes.
    version: u64,
    /// The diagnostics of the last build when it failed; empty when it succeeded.
    errors: String,
}

/// How long the watcher waits for a burst of file events (an editor's save) to end.
const DEBOUNCE_MS: u64 = 50;

/// How many ports after the requested one are tried when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// Editors' temporary and backup files, which never trigger a rebuild.
fn is_temporary(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with('~')
        || name.starts_with(".#")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
}

/// Builds into `site`, reusing what `cache` holds; returns the diagnostics to show when the
/// build failed.
fn rebuild(
    options: &Options,
    site: &Path,
    cache: &mut crate::BuildCache,
) -> Result<crate::Rebuilt, String> {
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let render = |errors: &[Diagnostic]| {
        errors
            .iter()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let project =
        crate::load_cached(&options.root, today, true, Some(cache)).map_err(|e| render(&e))?;
    let errors: Vec<Diagnostic> = project
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(render(&errors));
    }
    crate::build_incremental(&project, site, cache).map_err(|e| render(&e))
}

/// The paths whose changes trigger a rebuild: (path, recursive).
fn watched(options: &Options) -> Vec<(PathBuf, RecursiveMode)> {
    let mut paths = vec![(options.root.clone(), RecursiveMode::NonRecursive)];
    if let Ok(config) = crate::config::Config::load(&options.root) {
        paths.push((config.root.join(&config.src), RecursiveMode::Recursive));
        if let Some(theme) = &config.theme {
            paths.push((config.root.join(theme), RecursiveMode::Recursive));
        }
        for catalogue in &config.catalogues {
            if let Some(parent) = config.root.join(catalogue).parent() {
                paths.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
    } else {
        paths.push((options.root.join("src"), RecursiveMode::Recursive));
    }
    paths
}

/// What the watched files look like now: path, size and modification time of each. Reading
/// files (as a build does) also raises watch events on some systems; comparing this avoids
/// rebuilding for nothing.
fn fingerprint(
    paths: &[(PathBuf, RecursiveMode)],
    skip: &[PathBuf],
) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut files = Vec::new();
    for (path, mode) in paths {
        let depth = if matches!(mode, RecursiveMode::Recursive) {
            usize::MAX
        } else {
            1
        };
        for entry in walkdir::WalkDir::new(path)
            .max_depth(depth)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = entry.path();
            if !entry.file_type().is_file()
                || is_temporary(p)
                || skip.iter().any(|s| p.starts_with(s))
            {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                files.push((p.to_path_buf(), meta.len(), meta.modified().ok()));
            }
        }
    }
    files
}

/// The content type of a file of the site.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "atom" => "application/atom+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The file of the site a request path names, or `None` for a path that tries to leave it.
pub fn resolve(site: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut file = site.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains('\\') || part.contains('\0') || part.contains(':') => {
                return None
            }
            part => file.push(part),
        }
    }
    if decoded.ends_with('/') || decoded.is_empty() || file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

/// The script added to every served page: it asks for the build status, reloads the page
/// after a new build and shows the diagnostics of a failed one.
fn reload_script(status: &Status) -> String {
    let errors = serde_json::to_string(&status.errors).unwrap_or_else(|_| "\"\"".into());
    format!(
        r#"<script>
(function () {{
  var version = {version};
  function show(errors) {{
    var box = document.getElementById("smsbook-overlay");
    if (!errors) {{ if (box) box.remove(); return; }}
    if (!box) {{
      box = document.createElement("div");
      box.id = "smsbook-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;z-index:1000;background:#fde4e1;color:#1d2330;border:2px solid #b42318;border-radius:6px;padding:1rem;font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }}
    box.textContent = "smsbook: the last build failed, so this is the previous build. Fix these and save:\n\n" + errors;
  }}
  function poll() {{
    fetch("/__smsbook/status", {{ cache: "no-store" }}).then(function (r) {{ return r.json(); }}).then(function (s) {{
      if (s.version !== version) {{ window.location.reload(); return; }}
      show(s.errors);
      setTimeout(poll, 300);
    }}).catch(function () {{ setTimeout(poll, 1000); }});
  }}
  show({errors});
  poll();
}})();
</script>
"#,
        version = status.version
    )
}

fn respond(request: tiny_http::Request, site: &Path, status: &Status) {
    let header = |value: &str| {
        tiny_http::Header::from_bytes(&b"Content-Type"[..], value.as_bytes())
            .expect("a valid header")
    };
    let url = request.url().to_string();
    if url.split('?').next() == Some("/__smsbook/status") {
        let body =
            serde_json::json!({ "version": status.version, "errors": status.errors }).to_string();
        let _ = request.respond(
            tiny_http::Response::from_string(body).with_header(header("application/json")),
        );
        return;
    }
    let Some(file) = resolve(site, &url) else {
        let _ = request.respond(
            tiny_http::Response::from_string("400 Bad Request: the path leaves the site")
                .with_status_code(400),
        );
        return;
    };
    let (code, file) = if file.is_file() {
        (200, file)
    } else {
        (404, site.join("404.html"))
    };
    let Ok(bytes) = std::fs::read(&file) else {
        let _ = request
            .respond(tiny_http::Response::from_string("404 Not Found").with_status_code(404));
        return;
    };
    let mut body = bytes;
    if file.extension().is_some_and(|e| e == "html") {
        let script = reload_script(status);
        let text = String::from_utf8_lossy(&body);
        body = match text.rfind("</body>") {
            Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
            None => format!("{text}{script}").into_bytes(),
        };
    }
    let response = tiny_http::Response::from_data(body)
        .with_status_code(code)
        .with_header(header(content_type(&file)));
    let _ = request.respond(response);
}

/// Binds the first free port from `port` on.
fn bind(address: IpAddr, port: u16) -> Result<(tiny_http::Server, u16), Diagnostic> {
    let mut last = String::new();
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
        match tiny_http::Server::http(SocketAddr::new(address, candidate)) {
            Ok(server) => {
                let bound = server.server_addr().to_ip().map_or(candidate, |a| a.port());
                return Ok((server, bound));
            }
            Err(e) => last = e.to_string(),
        }
        if port == 0 {
            break;
        }
    }
    Err(Diagnostic::error(
        "serve",
        format!(
            "cannot listen on {address} ports {port} to {}: {last}",
            port.saturating_add(PORT_ATTEMPTS - 1)
        ),
    )
    .help("choose another port with --port"))
}

/// Runs the server until Ctrl-C.
pub fn serve(options: &Options) -> Result<(), Vec<Diagnostic>> {
    let workdir = std::env::temp_dir().join(format!("smsbook-serve-{}", std::process::id()));
    let site = workdir.join("site");
    std::fs::create_dir_all(&workdir).map_err(|e| {
        vec![Diagnostic::error(
            "serve",
            format!("cannot create `{}`: {e}", workdir.display()),
        )]
    })?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst)).map_err(|e| {
            vec![Diagnostic::error(
                "serve",
                format!("cannot handle Ctrl-C: {e}"),
            )]
        })?;
    }
    let mut status = Status::default();
    let mut cache = crate::BuildCache::default();
    let mut build = |status: &mut Status| {
        let started = Instant::now();
        status.version += 1;
        match rebuild(options, &site, &mut cache) {
            Ok(built) => {
                status.errors.clear();
                println!(
                    "built {} files ({} written, {} documents reused) in {} ms",
                    built.files,
                    built.written,
                    built.reused,
                    started.elapsed().as_millis()
                );
            }
            Err(errors) => {
                eprintln!("{errors}\n");
                println!("build failed in {} ms: the previous build is still served; the pages show the errors", started.elapsed().as_millis());
                status.errors = errors;
            }
        }
        let _ = std::io::stdout().flush();
    };
    build(&mut status);
    let (server, port) = bind(options.bind, options.port).map_err(|d| vec![d])?;
    if port != options.port && options.port != 0 {
        println!("port {} is taken, so smsbook uses {port}", options.port);
    }
    let host = if options.bind.is_ipv6() {
        format!("[{}]", options.bind)
    } else {
        options.bind.to_string()
    };
    let url = format!("http://{host}:{port}/");
    println!(
        "serving {} at {url} (Ctrl-C to stop)",
        options.root.display()
    );
    let _ = std::io::stdout().flush();
    if options.open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        let _ = std::process::Command::new(opener).arg(&url).spawn();
    }
    let (sender, changes) = std::sync::mpsc::channel();
    let mut debouncer =
        notify_debouncer_mini::new_debouncer(Duration::from_millis(DEBOUNCE_MS), sender).map_err(
            |e| {
                vec![Diagnostic::error(
                    "serve",
                    format!("cannot watch for changes: {e}"),
                )]
            },
        )?;
    for (path, mode) in watched(options) {
        if path.exists() {
            let _ = debouncer.watcher().watch(&path, mode);
        }
    }
    let build_dir = crate::config::Config::load(&options.root)
        .ok()
        .map(|c| c.root.join(c.build_dir));
    let skip: Vec<PathBuf> = build_dir.iter().cloned().chain([workdir.clone()]).collect();
    let mut watched_paths = watched(options);
    let mut last = fingerprint(&watched_paths, &skip);
    while !stop.load(Ordering::SeqCst) {
        if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(100)) {
            respond(request, &site, &status);
        }
        let mut changed = false;
        while let Ok(result) = changes.try_recv() {
            if let Ok(events) = result {
                changed |= events.iter().any(|e| {
                    !is_temporary(&e.path)
                        && !build_dir.as_ref().is_some_and(|b| e.path.starts_with(b))
                        && !e.path.starts_with(&workdir)
                });
            }
        }
        if changed {
            watched_paths = watched(options);
            let now = fingerprint(&watched_paths, &skip);
            if now != last {
                last = now;
                build(&mut status);
            }
        }
    }
    drop(debouncer);
    let _ = std::fs::remove_dir_all(&workdir);
    println!("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_cannot_leave_the_site() {
        let site = Path::new("/srv/site");
        assert_eq!(
            resolve(site, "/processes/a.html?highlight=x"),
            Some(site.join("processes/a.html"))
        );
        assert_eq!(resolve(site, "/"), Some(site.join("index.html")));
        assert_eq!(resolve(site, "/a%20b.html"), Some(site.join("a b.html")));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/a%2F..%2F..%2Fx",
            "/..\\x",
            "/c:/x",
        ] {
            assert_eq!(resolve(site, bad), None, "{bad}");
        }
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in ["a.md~", ".#a.md", "a.md.swp", "4913", "#a.md#"] {
            assert!(is_temporary(Path::new(name)), "{name}");
        }
        assert!(!is_temporary(Path::new("a.md")));
    }
}
