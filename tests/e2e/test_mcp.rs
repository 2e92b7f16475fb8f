//! `journal mcp`: the real binary spoken to in newline-delimited JSON-RPC over its stdio.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use serde_json::{Value, json};

use crate::common::TestEnv;

/// A running `journal mcp` and the lines it wrote.
struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Server {
    fn start(env: &TestEnv) -> Self {
        let mut cmd = env.journal();
        cmd.arg("mcp");
        Self::start_with(cmd)
    }

    fn start_with(mut cmd: std::process::Command) -> Self {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut server = Self {
            child,
            stdin,
            stdout,
            next_id: 0,
        };
        let init = server.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "e2e-agent", "version": "2.0"}}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], json!("journal"));
        assert!(init["result"]["instructions"].is_string());
        server.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        server
    }

    fn send(&mut self, message: &Value) {
        writeln!(self.stdin, "{message}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request without waiting; returns its id.
    fn post(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Reads the next line: it must be one JSON-RPC message (nothing else is on stdout).
    fn receive(&mut self) -> Value {
        let mut line = String::new();
        let n = self.stdout.read_line(&mut line).unwrap();
        assert!(n > 0, "the server closed stdout");
        let message: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout holds a line that is not JSON ({e}): {line}"));
        assert_eq!(message["jsonrpc"], json!("2.0"), "{line}");
        message
    }

    /// Sends a request and returns its response (notifications in between are skipped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.post(method, params);
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let response = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        response["result"].clone()
    }

    /// Closes stdin; the server exits 0 and stdout holds nothing more.
    fn finish(mut self) -> String {
        drop(self.stdin);
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut self.stdout, &mut rest).unwrap();
        for line in rest.lines() {
            let message: Value = serde_json::from_str(line).expect("only JSON-RPC on stdout");
            assert_eq!(message["jsonrpc"], json!("2.0"));
        }
        let out = self.child.wait_with_output().unwrap();
        assert!(out.status.success(), "exit status {:?}", out.status);
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

#[test]
fn the_binary_speaks_json_rpc_on_stdout_and_every_tool_answers() {
    let env = TestEnv::new();
    let head = env.commit_file("main.tf", "resource \"hcloud_server\" \"a\" {}\n");
    let mut server = Server::start(&env);

    let tools = server.request("tools/list", json!({}));
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 8, "{names:?}");

    let added = server.call(
        "journal_add",
        json!({"title": "LUKS unlock over SSH works", "body": "Line one.\n\nLine two.",
               "provider": ["hetzner"], "pattern": ["luks"], "kind": "finding",
               "commits": ["HEAD"], "metrics": {"unlock_s": 4.2}}),
    );
    assert_eq!(added["isError"], json!(false), "{added}");
    let id = added["structuredContent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(added["structuredContent"]["commit"].is_string());

    let found = server.call("journal_search", json!({"query": "unlock"}));
    assert_eq!(found["structuredContent"]["hits"][0]["id"], json!(id));
    let shown = server.call("journal_show", json!({"id": id}));
    assert_eq!(shown["structuredContent"]["agent"], json!("e2e-agent 2.0"));
    assert_eq!(shown["structuredContent"]["commits"], json!([head]));
    let listed = server.call("journal_list", json!({"pattern": ["luks"]}));
    assert_eq!(listed["structuredContent"]["entries"][0]["id"], json!(id));
    let vocabulary = server.call("journal_vocabulary", json!({}));
    assert!(vocabulary["structuredContent"]["providers"].is_array());
    let coverage = server.call("journal_coverage", json!({}));
    assert!(coverage["structuredContent"]["empty_sections"].is_array());
    let refused = server.call("journal_add", json!({"title": "t", "provider": ["aws"]}));
    assert_eq!(refused["isError"], json!(true));
    let assessed = server.call(
        "journal_assess",
        json!({"pattern": "luks", "provider": "hetzner", "confidence": "needs-testing",
               "rationale": "Unlocked over SSH once; a reboot is still to try.",
               "commits": ["HEAD"]}),
    );
    assert_eq!(assessed["isError"], json!(false), "{assessed}");
    let resources = server.request("resources/list", json!({}));
    let uri = resources["result"]["resources"][0]["uri"].clone();
    let document = server.request("resources/read", json!({"uri": uri}));
    let text = document["result"]["contents"][0]["text"].as_str().unwrap();
    assert!(text.contains("LUKS unlock over SSH works"));
    // The assessment is the confidence table's row, its rationale beside the level.
    assert!(
        text.contains(
            "| luks | hetzner | needs-testing | Unlocked over SSH once; a reboot is still to try."
        ),
        "{text}"
    );
    // Every resource with its real type: the chart of the metric recorded is SVG.
    let chart = resources["result"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["uri"] == json!("journal://documents/charts/unlock_s.svg"))
        .unwrap_or_else(|| panic!("the chart is listed: {resources}"));
    assert_eq!(chart["mimeType"], json!("image/svg+xml"));
    let svg = server.request("resources/read", json!({"uri": chart["uri"]}));
    assert_eq!(
        svg["result"]["contents"][0]["mimeType"],
        json!("image/svg+xml"),
        "{svg}"
    );
    assert!(
        svg["result"]["contents"][0]["text"]
            .as_str()
            .unwrap()
            .contains("<svg")
    );
    // Entries through a template.
    let templates = server.request("resources/templates/list", json!({}));
    let uris: Vec<&str> = templates["result"]["resourceTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["uriTemplate"].as_str().unwrap())
        .collect();
    assert!(uris.contains(&"journal://entries/{id}"), "{templates}");
    let entry = server.request(
        "resources/read",
        json!({"uri": format!("journal://entries/{id}")}),
    );
    assert!(
        entry["result"]["contents"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Line two."),
        "{entry}"
    );

    // The CLI sees what the agent wrote, with its provenance.
    let listed = env
        .run(&[
            "list",
            "--agent",
            "e2e-agent",
            "--kind",
            "finding",
            "--json",
        ])
        .json();
    assert_eq!(listed["id"], json!(id));
    server.finish();
}

#[test]
fn ten_mcp_adds_and_ten_cli_adds_at_once_give_twenty_entries_and_a_sound_repository() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    // The ten calls are all sent before any answer is read: the server runs them at once.
    let ids: Vec<u64> = (0..10)
        .map(|i| {
            server.post(
                "tools/call",
                json!({"name": "journal_add",
                       "arguments": {"title": format!("agent observation {i}"),
                                     "provider": ["gcp"]}}),
            )
        })
        .collect();
    let cli: Vec<Child> = (0..10)
        .map(|i| {
            env.journal()
                .args([
                    "add",
                    &format!("operator observation {i}"),
                    "--provider",
                    "hetzner",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut answered = 0;
    while answered < ids.len() {
        let message = server.receive();
        if message.get("id").is_some() {
            assert_eq!(message["result"]["isError"], json!(false), "{message}");
            answered += 1;
        }
    }
    for child in cli {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    server.finish();
    assert_eq!(env.entry_files().len(), 20);
    assert_eq!(env.commit_count(), 21, "one commit per entry");
    env.git(&["fsck", "--strict"]);
    assert_eq!(
        env.git(&["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
    let agent = env
        .run(&["list", "--agent", "e2e-agent", "--json"])
        .ok()
        .lines()
        .count();
    assert_eq!(agent, 10);
}

#[test]
fn outside_a_journal_the_server_does_not_start() {
    let env = TestEnv::bare_repo();
    let out = env
        .journal()
        .arg("mcp")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "stdout is the protocol's");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
}

/// Polls `journal status --json` until the watcher's state is `state`; returns its pid.
fn watcher_state(env: &TestEnv, state: &str) -> Option<u64> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let status = env.run(&["status", "--json"]).json();
        if status["watcher"]["state"] == json!(state) {
            return status["watcher"]["pid"].as_u64();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "watcher never {state}: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn the_server_runs_a_watcher_while_it_serves_unless_one_runs_or_it_is_told_not_to() {
    let env = TestEnv::new();
    let server = Server::start(&env);
    let pid = watcher_state(&env, "running");
    assert_eq!(
        pid,
        Some(u64::from(server.child.id())),
        "the server's own watcher"
    );
    server.finish();
    watcher_state(&env, "not running");

    let server = {
        let mut cmd = env.journal();
        cmd.args(["mcp", "--no-watch"]);
        let mut server = Server::start_with(cmd);
        let added = server.call("journal_add", json!({"title": "no watcher here"}));
        assert_eq!(added["isError"], json!(false));
        server
    };
    assert_eq!(
        env.run(&["status", "--json"]).json()["watcher"]["state"],
        json!("not running")
    );
    server.finish();

    // A `journal watch` already running is used, and left running.
    let mut watch = env
        .journal()
        .arg("watch")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let watch_pid = watcher_state(&env, "running");
    assert_eq!(watch_pid, Some(u64::from(watch.id())));
    let mut server = Server::start(&env);
    let found = server.call("journal_search", json!({"query": "watcher"}));
    assert_eq!(found["structuredContent"]["total"], json!(1), "{found}");
    let stderr = server.finish();
    assert!(!stderr.contains("WARN"), "{stderr}");
    assert_eq!(watcher_state(&env, "running"), watch_pid);
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &watch.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(watch.wait().unwrap().success());
}

#[test]
fn sigterm_ends_the_server_and_its_watcher() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    watcher_state(&env, "running");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.child.wait().unwrap();
    assert!(!status.success(), "ended by the signal: {status:?}");
    watcher_state(&env, "not running");
}

#[test]
fn an_agent_retrying_an_add_refused_for_a_held_git_lock_records_it_once() {
    let env = TestEnv::new();
    let lock = env.repo.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let mut holder = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec 3<\"$0\"; echo held; read _")
        .arg(&lock)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(holder.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let mut server = Server::start(&env);
    let head = env.git(&["rev-parse", "HEAD"]);
    let add = json!({"title": "Retried observation", "provider": ["hetzner"]});
    let refused = server.call("journal_add", add.clone());
    assert_eq!(refused["isError"], json!(true), "{refused}");
    let text = refused["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("index.lock exists"), "{text}");
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
    assert!(env.entry_files().is_empty());
    // The agent retries while the lock is held (refused again), then after it is released.
    let again = server.call("journal_add", add.clone());
    assert_eq!(again["isError"], json!(true), "{again}");
    drop(holder.stdin.take());
    holder.wait().unwrap();
    std::fs::remove_file(&lock).unwrap();
    let added = server.call("journal_add", add);
    assert_eq!(added["isError"], json!(false), "{added}");
    server.finish();
    assert_eq!(env.entry_files().len(), 1, "{:?}", env.entry_files());
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_refused_credential_is_never_echoed_to_the_agent_nor_logged_at_any_verbosity() {
    let env = TestEnv::new();
    env.commit_file("main.tf", "# evidence\n");
    let mut cmd = env.journal();
    cmd.args(["mcp", "-vv", "--no-watch"]);
    let mut server = Server::start_with(cmd);
    let mut responses = String::new();
    let secrets = crate::test_errors::lone_secrets();
    for secret in &secrets {
        let s = secret.as_str();
        let calls = [
            json!({"title": s}),
            json!({"title": "x", "body": s}),
            json!({"title": "x", "provider": [s]}),
            json!({"title": "x", "pattern": [s]}),
            json!({"title": "x", "kind": s}),
            json!({"title": "x", "confidence": s}),
            json!({"title": "x", "story": s}),
            json!({"title": "x", "tags": {"region": s}}),
            json!({"title": "x", "tags": {s: "yes"}}),
            json!({"title": "x", "metrics": {s: 1.0}}),
            json!({"title": "x", "commits": [s]}),
            json!({"title": "x", "supersedes": [s]}),
            json!({"title": "x", "at": s}),
            // A value of the wrong type: the argument error quotes it.
            json!({"title": "x", "provider": s}),
        ];
        for arguments in calls {
            let result = server.call("journal_add", arguments.clone());
            let text = result.to_string();
            assert_eq!(result["isError"], json!(true), "{arguments}: {text}");
            assert!(
                !text.contains(s),
                "{arguments} echoed the credential: {text}"
            );
            responses.push_str(&text);
        }
        let searched = server.call("journal_search", json!({"query": "x", "confidence": s}));
        assert!(!searched.to_string().contains(s), "{searched}");
    }
    let stderr = server.finish();
    for secret in &secrets {
        assert!(
            !stderr.contains(secret.as_str()),
            "the log holds a credential"
        );
    }
    assert!(responses.contains("REDACTED:") || responses.contains("looks like"));
    assert!(
        stderr.contains("call refused"),
        "-v logs each call: {stderr}"
    );
    assert!(env.entry_files().is_empty());
}

#[test]
fn an_agents_multi_line_or_long_title_is_refused_with_the_limit() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    for (title, says) in [
        ("One\nTwo".to_owned(), "the title is one line"),
        ("t".repeat(500), "more than 200"),
    ] {
        let result = server.call("journal_add", json!({"title": title}));
        assert_eq!(result["isError"], json!(true), "{result}");
        assert!(result.to_string().contains(says), "{result}");
    }
    server.finish();
    assert!(env.entry_files().is_empty());
}

#[test]
fn results_are_bounded_and_paged_by_cursor() {
    let env = TestEnv::new();
    // 300 entries of about 2 KB each, written as files (as a `git pull` brings them).
    let body = "Zerotier mesh latency notes. ".repeat(70);
    for i in 0..300 {
        let id = format!("20261101T{:02}{:02}00Z-note-{i}", 8 + i / 60, i % 60);
        env.write(
            &format!("journal/2026/11/{id}.md"),
            &format!(
                "---\ndate: 2026-11-01T{:02}:{:02}:00Z\ntitle: Zerotier note {i}\nprovider: [gcp]\n\
                 commits: [{}]\n---\n{body}\n",
                8 + i / 60,
                i % 60,
                "0".repeat(40)
            ),
        );
    }
    let mut server = Server::start(&env);
    for limit in [0, 201] {
        let refused = server.call("journal_list", json!({"limit": limit}));
        assert_eq!(refused["isError"], json!(true), "{refused}");
        assert!(refused.to_string().contains("give 1 to 200"), "{refused}");
    }
    for (tool, key) in [("journal_list", "entries"), ("journal_search", "hits")] {
        let mut seen = std::collections::HashSet::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut args = json!({"limit": 200, "query": "zerotier"});
            if tool == "journal_list" {
                args = json!({"limit": 200});
            }
            if let Some(c) = &cursor {
                args["cursor"] = json!(c);
            }
            let result = server.call(tool, args);
            let size = result.to_string().len();
            assert!(size < 256 * 1024, "{tool}: a result of {size} bytes");
            let page = result["structuredContent"][key].as_array().unwrap().clone();
            assert!(!page.is_empty());
            for item in &page {
                assert!(
                    seen.insert(item["id"].as_str().unwrap().to_owned()),
                    "{tool}: twice"
                );
            }
            pages += 1;
            match result["structuredContent"]["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(
            seen.len(),
            300,
            "{tool}: every entry once over {pages} pages"
        );
        assert!(pages >= 2, "{tool}");
    }
    let coverage = server.call("journal_coverage", json!({}));
    let report = &coverage["structuredContent"];
    assert!(coverage.to_string().len() < 256 * 1024);
    assert_eq!(report["counts"]["evidence"], json!(300), "{report}");
    assert_eq!(report["evidence"].as_array().unwrap().len(), 20);
    let messages: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    for gap in report["evidence"].as_array().unwrap() {
        assert!(
            !messages.contains(&gap["message"].as_str().unwrap()),
            "listed twice"
        );
    }
    server.finish();
}

#[test]
fn malformed_messages_get_json_rpc_errors_and_bad_arguments_name_their_field() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    // Not JSON: -32700 with id null; the session goes on.
    writeln!(
        server.stdin,
        r#"{{"jsonrpc":"2.0","id":41,"method":"tools/list""#
    )
    .unwrap();
    server.stdin.flush().unwrap();
    let parse = server.receive();
    assert_eq!(parse["error"]["code"], json!(-32700), "{parse}");
    assert_eq!(parse["id"], Value::Null);
    // tools/call with params that do not fit: -32602 with the request's id.
    let typo = server.request("tools/call", json!({"nme": "journal_add"}));
    assert_eq!(typo["error"]["code"], json!(-32602), "{typo}");
    assert!(typo["id"].is_u64());
    assert!(
        typo["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `name`?")
    );
    let missing = server.request("tools/call", json!({"arguments": {}}));
    assert_eq!(missing["error"]["code"], json!(-32602), "{missing}");
    // Arguments that do not fit: the tool's error names the field.
    let unknown = server.call("journal_add", json!({"titel": "x"}));
    assert_eq!(unknown["isError"], json!(true));
    assert!(
        unknown.to_string().contains("did you mean `title`?"),
        "{unknown}"
    );
    let wrong = server.call("journal_list", json!({"limit": "ten"}));
    assert!(
        wrong.to_string().contains("argument `limit`: invalid type"),
        "{wrong}"
    );
    let nested = server.call(
        "journal_add",
        json!({"title": "x", "metrics": {"a": "fast"}}),
    );
    assert!(
        nested.to_string().contains("argument `metrics.a`"),
        "{nested}"
    );
    // Still serving.
    let listed = server.request("tools/list", json!({}));
    assert!(listed["result"]["tools"].is_array());
    server.finish();
}

#[test]
fn an_entry_with_problems_is_shown_with_them() {
    let env = TestEnv::new();
    let id = "20261105T100000Z-outside-the-vocabulary";
    env.write(
        &format!("journal/2026/11/{id}.md"),
        "---\ndate: 2026-11-05T10:00:00Z\ntitle: Outside the vocabulary\nprovider: [azure]\n---\nBody.\n",
    );
    let mut server = Server::start(&env);
    let shown = server.call("journal_show", json!({"id": id}));
    assert_eq!(shown["isError"], json!(false), "{shown}");
    // Typed, as every report's problems: the line, the field, the message.
    let problems = shown["structuredContent"]["problems"].as_array().unwrap();
    assert_eq!(problems[0]["line"], json!(4), "{shown}");
    assert_eq!(problems[0]["field"], json!("provider"), "{shown}");
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown provider `azure`"),
        "{shown}"
    );
    server.finish();
}

#[test]
fn the_client_is_told_when_the_resources_change() {
    let env = TestEnv::new();
    let mut server = Server::start(&env); // with the watcher inside the server
    env.write(
        "journal/2026/11/20261106T100000Z-arrived-by-pull.md",
        "---\ndate: 2026-11-06T10:00:00Z\ntitle: Arrived by pull\n---\nBody.\n",
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut told = false;
    while !told && std::time::Instant::now() < deadline {
        let id = server.post("ping", json!({}));
        loop {
            let message = server.receive();
            if message["method"] == json!("notifications/resources/list_changed") {
                told = true;
            }
            if message["id"] == json!(id) {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(
        told,
        "no notifications/resources/list_changed after an entry arrived"
    );
    server.finish();
}

#[test]
fn every_tool_schema_compiles_in_a_strict_json_schema_validator() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    let tools = server.request("tools/list", json!({}));
    server.finish();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema");
    assert!(
        dir.join("node_modules/ajv").exists(),
        "ajv is missing: run `npm ci --prefix tests/schema` (scripts/test does)"
    );
    let file = env.home.join("tools.json");
    std::fs::write(&file, tools.to_string()).unwrap();
    let out = std::process::Command::new("node")
        .arg(dir.join("check.mjs"))
        .arg(&file)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report.matches("ok ").count(), 16, "{report}");
}

#[test]
fn an_add_cancelled_while_it_waits_for_the_write_lock_writes_nothing() {
    let env = TestEnv::new();
    let head = env.git(&["rev-parse", "HEAD"]);
    // Another writer holds the journal's write lock (a kernel lock, as `journal add` takes).
    let lock = env.repo.join(".git/journal-write.lock");
    let mut holder = std::process::Command::new("flock")
        .arg(&lock)
        .args(["sh", "-c", "echo held; read _"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(holder.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "held\n");
    let mut cmd = env.journal();
    cmd.args(["mcp", "--no-watch", "-v"]);
    let mut server = Server::start_with(cmd);
    // The server's log, line by line, to know when it has read the cancellation.
    let log = LogWatch::start(&mut server);
    let wait_for = |needle: &str| log.wait_for(needle);
    let id = server.post(
        "tools/call",
        json!({"name": "journal_add", "arguments": {"title": "Given up on"}}),
    );
    server.send(
        &json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                        "params": {"requestId": id, "reason": "the user stopped"}}),
    );
    wait_for("Cancelled");
    // The other writer finishes; the cancelled add then holds the lock and gives up.
    drop(holder.stdin.take());
    holder.wait().unwrap();
    wait_for("journal_add cancelled before writing: nothing was written");
    // A later call answers (the session goes on) and nothing was recorded.
    let listed = server.call("journal_list", json!({}));
    assert_eq!(listed["isError"], json!(false), "{listed}");
    server.finish();
    assert!(env.entry_files().is_empty());
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

/// The server's stderr, line by line, read by a thread: a test waits for a line.
struct LogWatch(std::sync::mpsc::Receiver<String>);

impl LogWatch {
    fn start(server: &mut Server) -> Self {
        let (lines, log) = std::sync::mpsc::channel::<String>();
        let stderr = server.child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        Self(log)
    }

    /// Waits (a minute at most) for a line holding `needle`.
    fn wait_for(&self, needle: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.0.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return,
                Ok(_) => {}
                Err(_) => panic!("the server never logged `{needle}`"),
            }
        }
    }
}

#[test]
fn an_add_cancelled_once_its_write_began_is_recorded_and_the_client_is_told() {
    let env = TestEnv::new();
    let gate = env.home.join("go");
    let mut cmd = env.journal();
    cmd.args(["mcp", "--no-watch", "-v"]).env(
        "JOURNAL_TEST_STALL_AT",
        format!("file-written:{}", gate.display()),
    );
    let mut server = Server::start_with(cmd);
    let log = LogWatch::start(&mut server);
    let id = server.post(
        "tools/call",
        json!({"name": "journal_add", "arguments": {"title": "Cancelled too late"}}),
    );
    // The entry file is written, not committed yet: the client gives up now.
    let waiting = env.home.join("go.waiting");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !waiting.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the add never began writing"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    server.send(
        &json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                        "params": {"requestId": id, "reason": "the user stopped"}}),
    );
    log.wait_for("Cancelled");
    std::fs::write(&gate, "").unwrap();
    log.wait_for("was cancelled after its write began");
    // No result comes for a cancelled call; a log message says the entry was recorded.
    let notice = loop {
        let message = server.receive();
        assert_ne!(
            message["id"],
            json!(id),
            "a cancelled call gets no result: {message}"
        );
        if message["method"] == json!("notifications/message") {
            break message;
        }
    };
    assert_eq!(notice["params"]["level"], json!("warning"), "{notice}");
    let recorded = &notice["params"]["data"]["recorded"];
    let entry_id = recorded["id"].as_str().unwrap();
    let text = notice["params"]["data"]["message"].as_str().unwrap();
    assert!(
        text.contains("was cancelled after its write began"),
        "{text}"
    );
    assert!(text.contains(entry_id), "{text}");
    server.finish();
    let files = env.entry_files();
    assert_eq!(files.len(), 1);
    assert!(files[0].contains(entry_id));
    assert!(
        env.git(&["log", "-1", "--format=%s"])
            .contains("Cancelled too late")
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn no_result_is_over_256_kb_at_100000_entries() {
    let env = TestEnv::new();
    // 100,000 entries as a `git pull` brings them: each with its own tag value and story,
    // a metric, and an evidence commit that does not exist (a coverage gap each).
    let missing = "0123456789abcdef0123456789abcdef01234567";
    for i in 0..100_000u32 {
        let (day, second) = (1 + i / 86_400 % 28, i % 86_400);
        let (h, m, s) = (second / 3600, second / 60 % 60, second % 60);
        let id = format!(
            "2026{:02}{day:02}T{h:02}{m:02}{s:02}Z-note-{i}",
            1 + i / 2_419_200
        );
        let month = format!("2026/{:02}", 1 + i / 2_419_200);
        env.write(
            &format!("journal/{month}/{id}.md"),
            &format!(
                "---\ndate: 2026-{:02}-{day:02}T{h:02}:{m:02}:{s:02}Z\ntitle: Zerotier note {i}\n\
                 provider: [gcp]\npattern: [zerotier]\nstory: \"9.{i}\"\ntags:\n  host: h{i}\n\
                 metrics:\n  latency_{}_ms: {i}\ncommits: [{missing}]\n---\n\
                 Zerotier mesh latency measured from host h{i}.\n",
                1 + i / 2_419_200,
                i % 1000
            ),
        );
    }
    let mut cmd = env.journal();
    cmd.args(["mcp", "--no-watch"]);
    let mut server = Server::start_with(cmd);
    let first = env.entry_files()[0].clone();
    let first = first
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".md")
        .to_owned();
    let calls = [
        (
            "tools/call",
            json!({"name": "journal_list", "arguments": {"limit": 200}}),
        ),
        (
            "tools/call",
            json!({"name": "journal_search", "arguments": {"query": "zerotier", "limit": 200}}),
        ),
        (
            "tools/call",
            json!({"name": "journal_coverage", "arguments": {"limit": 200}}),
        ),
        (
            "tools/call",
            json!({"name": "journal_vocabulary", "arguments": {}}),
        ),
        (
            "tools/call",
            json!({"name": "journal_show", "arguments": {"id": first}}),
        ),
        ("resources/list", json!({})),
        ("resources/templates/list", json!({})),
        ("tools/list", json!({})),
    ];
    for (method, params) in calls {
        let response = server.request(method, params.clone());
        let size = response.to_string().len();
        assert!(
            response.get("error").is_none(),
            "{method} {params}: {response}"
        );
        assert_ne!(
            response["result"]["isError"],
            json!(true),
            "{params}: {response}"
        );
        assert!(size < 256 * 1024, "{method} {params}: {size} bytes");
    }
    let vocabulary = server.call("journal_vocabulary", json!({}));
    assert_eq!(
        vocabulary["structuredContent"]["omitted"]["tags"],
        json!(100_000 - 100)
    );
    server.finish();
}

#[test]
fn a_server_keeping_the_journal_open_repairs_what_a_killed_writer_left() {
    let env = TestEnv::new();
    let mut cmd = env.journal();
    cmd.args(["mcp", "--no-watch", "-v"]);
    let mut server = Server::start_with(cmd);
    // The journal (and its index) is open in the server from here on.
    assert_eq!(
        server.call("journal_list", json!({}))["isError"],
        json!(false)
    );
    for n in 1..60 {
        let mut add = env.journal();
        add.args(["add", &format!("Killed at {n}")]);
        let (killed, _) = crate::test_faults::run_killed_at(add, n);
        // The next call on the kept journal puts right what the killed writer left.
        let listed = server.call("journal_list", json!({"limit": 200}));
        assert_eq!(listed["isError"], json!(false), "point {n}: {listed}");
        crate::test_faults::assert_sound(&env, &format!("add killed at point {n}"));
        let shown = listed["structuredContent"]["entries"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(
            shown,
            env.entry_files().len(),
            "point {n}: the server sees the files"
        );
        if !killed {
            server.finish();
            return;
        }
    }
    panic!("the add never finished");
}
