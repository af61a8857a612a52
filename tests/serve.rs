//! `smsbook serve` on a free loopback port: pages, live rebuilds, the error overlay, requests
//! that try to leave the site, and a clean stop on Ctrl-C (SIGINT).

mod common;
use common::copy_tree;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A raw HTTP GET: (status code, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).expect("the server accepts connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let code = response
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (code, body)
}

/// Polls until `check` holds, for at most ten seconds.
fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_rebuilds_shows_errors_refuses_traversal_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let sms = dir.path().join("sms");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        &sms,
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_smsbook"))
        .args([
            "serve",
            sms.to_str().unwrap(),
            "--port",
            &port.to_string(),
            "--today",
            "2026-12-01",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let serving = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with("serving "))
        .expect("the server starts");
    assert!(
        serving.contains(&format!("http://127.0.0.1:{port}/")),
        "{serving}"
    );

    let (code, page) = get(port, "/policy.html");
    assert_eq!(code, 200);
    assert!(
        page.contains("<h1>Service Management Policy</h1>") && page.contains("/__smsbook/status")
    );
    assert!(
        !sms.join("book").exists(),
        "never writes into the configured output folder"
    );

    // An edit shows up.
    let policy = sms.join("src/policy.md");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(
        &policy,
        text.replace(
            "title: Service Management Policy",
            "title: Service Policy, Edited",
        ),
    )
    .unwrap();
    wait_for("the edited title", || {
        get(port, "/policy.html")
            .1
            .contains("<h1>Service Policy, Edited</h1>")
    });

    // Broken front matter: the last good site stays, the status carries the errors.
    std::fs::write(sms.join("src/broken.md"), "---\nid: [unclosed\n---\n").unwrap();
    wait_for("the error", || {
        get(port, "/__smsbook/status")
            .1
            .contains("front-matter-syntax")
    });
    let (code, page) = get(port, "/policy.html");
    assert_eq!(code, 200);
    assert!(
        page.contains("smsbook-overlay") && page.contains("front-matter-syntax"),
        "the overlay shows the error"
    );
    std::fs::remove_file(sms.join("src/broken.md")).unwrap();
    wait_for("the error to clear", || {
        get(port, "/__smsbook/status").1.contains("\"errors\":\"\"")
    });

    // Only files of the site.
    assert_eq!(get(port, "/../Cargo.toml").0, 400);
    assert_eq!(get(port, "/%2e%2e/%2e%2e/etc/passwd").0, 400);
    let (code, page) = get(port, "/no-such-page.html");
    assert_eq!(code, 404);
    assert!(page.contains("Page not found"));
    let (_, css) = get(port, "/theme/style.css");
    assert!(css.contains("--satisfied"));

    // Ctrl-C stops it cleanly.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "stopped"), "{rest:?}");
    assert!(
        !std::env::temp_dir()
            .join(format!("smsbook-serve-{}", child.id()))
            .exists(),
        "the temporary site is removed"
    );
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let dir = tempfile::tempdir().unwrap();
    let sms = dir.path().join("sms");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
        &sms,
    );
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_smsbook"))
        .args(["serve", sms.to_str().unwrap(), "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .take_while(|l| !l.starts_with("serving "))
        .collect();
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("port {port} is taken, so smsbook uses "))),
        "{lines:?}"
    );
}
