//! `journal serve`: the real binary on a real socket (the routes themselves are tested in
//! crates/web without one).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use crate::common::TestEnv;

/// Starts `journal serve ARGS` and returns it with the address its first line names.
fn serve(env: &TestEnv, args: &[&str]) -> (Child, String) {
    let mut child = env
        .journal()
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("Serving ")
        .unwrap_or_else(|| panic!("first line: {line}"))
        .to_owned();
    (child, url)
}

/// Sends `request` as it is and returns the whole response.
fn exchange(port: u16, request: &str) -> String {
    String::from_utf8(exchange_bytes(port, request)).unwrap()
}

/// Sends `request` and returns the whole response as bytes (a compressed body is not text).
fn exchange_bytes(port: u16, request: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

/// Returns the port of the URL `serve` printed (`http://localhost:PORT/`).
fn port_of(url: &str) -> u16 {
    url.trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {url}"))
}

/// Sends one request and returns the status line and the body.
fn http(port: u16, host: &str, method: &str, path: &str) -> (String, String) {
    let response = exchange(
        port,
        &format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    )
}

fn stop(child: Child) -> String {
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "SIGTERM stops it cleanly: {:?}",
        out.status
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn serve_says_where_it_listens_and_answers_only_its_own_name() {
    let env = TestEnv::new();
    env.run(&["add", "Zerotier joins both clouds", "--provider", "gcp"])
        .ok();
    let (child, url) = serve(&env, &["--port", "0"]);
    let port = port_of(&url);
    assert_eq!(url, format!("http://localhost:{port}/"));
    let (status, body) = http(port, &format!("localhost:{port}"), "GET", "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Zerotier joins both clouds"));
    let (status, _) = http(
        port,
        &format!("127.0.0.1:{port}"),
        "GET",
        "/search?q=zerotier",
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    let (status, _) = http(port, "attacker.example", "GET", "/");
    assert_eq!(status, "HTTP/1.1 403 Forbidden");
    let (status, _) = http(port, &format!("localhost:{port}"), "POST", "/");
    assert_eq!(status, "HTTP/1.1 405 Method Not Allowed");

    // The port is taken now: a second server says so, with the way out.
    let run = env.run(&["serve", "--port", &port.to_string()]);
    let stderr = run.fails(1);
    assert!(stderr.contains("Address already in use"), "{stderr}");
    assert!(
        stderr.contains("hint: ") && stderr.contains("--port"),
        "{stderr}"
    );
    assert!(run.stdout.is_empty());
    stop(child);
}

#[test]
fn binding_beyond_loopback_is_warned_about() {
    let env = TestEnv::new();
    let (child, url) = serve(&env, &["--port", "0", "--bind", "0.0.0.0"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port = port_of(&url);
    let (status, _) = http(port, &format!("127.0.0.1:{port}"), "GET", "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    let stderr = stop(child);
    assert!(
        stderr.contains("warning: listening on 0.0.0.0: the page has no authentication"),
        "{stderr}"
    );
}

#[test]
fn open_hands_the_address_to_the_browser_opener() {
    let env = TestEnv::new();
    let bin = env.repo.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = env.repo.join("opened.txt");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = env.journal();
    cmd.env("PATH", path)
        .args(["serve", "--port", "0", "--open", "--no-watch"]);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().strip_prefix("Serving ").unwrap().to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::fs::read_to_string(&opened).unwrap_or_default().trim() != url {
        assert!(
            std::time::Instant::now() < deadline,
            "the opener was not run with {url}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    stop(child);
}

/// Sends raw request bytes and returns the status line.
fn raw(port: u16, request: &str) -> String {
    exchange(port, request)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_page_served_beyond_loopback_answers_the_allowed_names_only() {
    let env = TestEnv::new();
    let (child, url) = serve(
        &env,
        &[
            "--port",
            "0",
            "--bind",
            "0.0.0.0",
            "--allow-host",
            "journal.lan",
            "--allow-host",
            "ops-box",
        ],
    );
    assert!(
        url.starts_with("http://journal.lan:"),
        "the URL printed names the host: {url}"
    );
    let port = port_of(&url);
    for host in [
        format!("journal.lan:{port}"),
        format!("OPS-BOX:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        assert_eq!(http(port, &host, "GET", "/").0, "HTTP/1.1 200 OK", "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "journal.lan:1".to_owned(),
        format!("0.0.0.0:{port}x"),
    ] {
        assert_eq!(
            http(port, &host, "GET", "/").0,
            "HTTP/1.1 403 Forbidden",
            "{host}"
        );
    }
    // Absolute-form targets and duplicated Host headers name the host twice: refused.
    let absolute = format!(
        "GET http://evil.example/ HTTP/1.1\r\nHost: journal.lan:{port}\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(raw(port, &absolute), "HTTP/1.1 400 Bad Request");
    let twice = format!(
        "GET / HTTP/1.1\r\nHost: journal.lan:{port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    );
    assert!(
        raw(port, &twice).starts_with("HTTP/1.1 400"),
        "duplicate Host"
    );
    let stderr = stop(child);
    assert!(
        stderr.contains("the page has no authentication"),
        "{stderr}"
    );
}

/// Sends a GET and returns the whole head (lowercase) and the body.
fn get_with_head(port: u16, path: &str) -> (String, String) {
    let response = exchange(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.to_lowercase(), body.to_owned())
}

#[test]
fn pages_are_kept_until_the_journal_changes() {
    let env = TestEnv::new();
    env.run(&["add", "First observation"]).ok();
    let (child, url) = serve(&env, &["--port", "0"]);
    let port = port_of(&url);
    // Once the server's watcher has synced, a page is kept and served again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let (head, _) = get_with_head(port, "/confidence");
        if head.contains("x-journal-cache: hit") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never kept: {head}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // A forced reload (what Ctrl+Shift+R sends) makes the page again.
    let reload = exchange(
        port,
        &format!(
            "GET /confidence HTTP/1.1\r\nHost: localhost:{port}\r\nCache-Control: no-cache\r\n\
             Connection: close\r\n\r\n"
        ),
    )
    .to_lowercase();
    assert!(reload.contains("x-journal-cache: stored"), "{reload}");
    // To a client that accepts gzip (every browser) a kept page goes compressed, the same
    // page once decompressed.
    let (_, plain) = get_with_head(port, "/confidence");
    let raw = exchange_bytes(
        port,
        &format!(
            "GET /confidence HTTP/1.1\r\nHost: localhost:{port}\r\n\
             Accept-Encoding: br;q=1.0, gzip;q=0.8\r\nConnection: close\r\n\r\n"
        ),
    );
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("vary: accept-encoding"), "{head}");
    assert!(head.contains("content-security-policy"), "{head}");
    let mut decoded = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&raw[split + 4..]),
        &mut decoded,
    )
    .unwrap();
    assert_eq!(decoded, plain);
    let refused = exchange(
        port,
        &format!(
            "GET /confidence HTTP/1.1\r\nHost: localhost:{port}\r\n\
             Accept-Encoding: gzip;q=0\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(
        !refused.to_lowercase().contains("content-encoding"),
        "{refused}"
    );
    // A new entry file: the kept timeline is not served any more, the new one shows it.
    let (_, before) = get_with_head(port, "/");
    assert!(!before.contains("Arrived later"));
    env.write(
        "journal/2026/11/20261126T120000Z-arrived-later.md",
        "---\ndate: 2026-11-26T12:00:00Z\ntitle: Arrived later\n---\nBody.\n",
    );
    loop {
        let (_, body) = get_with_head(port, "/");
        if body.contains("Arrived later") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the kept page stayed");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    stop(child);
}
