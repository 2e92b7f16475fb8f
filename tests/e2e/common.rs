//! `TestEnv`: a temporary git repository with an isolated home, a pinned clock and identity.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The pinned moment of every `journal` run unless a test says otherwise.
pub const NOW: &str = "2026-11-26T11:59:03+01:00";

pub struct TestEnv {
    _dir: tempfile::TempDir,
    pub home: PathBuf,
    pub repo: PathBuf,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            code: output.status.code().unwrap_or(-1),
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts success and returns stdout parsed as one JSON value.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// Asserts failure with `code` and returns stderr.
    #[track_caller]
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        &self.stderr
    }
}

impl TestEnv {
    /// A new repository on branch `main` with an identity, not yet a journal.
    pub fn bare_repo() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&repo).unwrap();
        let env = Self {
            repo: repo.canonicalize().unwrap(),
            home,
            _dir: dir,
        };
        env.git(&["init", "-q", "-b", "main"]);
        env.git(&["config", "user.name", "Ops"]);
        env.git(&["config", "user.email", "ops@example.org"]);
        env
    }

    /// A repository with `journal init` done (journal.toml committed).
    pub fn new() -> Self {
        let env = Self::bare_repo();
        env.run(&["init"]).ok();
        env
    }

    fn isolate(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("TZ", "CET-1")
            .env("LC_ALL", "C")
            .current_dir(&self.repo);
    }

    /// Returns a `journal` command with the pinned clock, run in the repository.
    pub fn journal(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_journal"));
        self.isolate(&mut cmd);
        cmd.env("JOURNAL_TIMESTAMP", NOW);
        cmd
    }

    /// Runs `journal ARGS` and returns what it did.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.journal().args(args).output().unwrap())
    }

    /// Runs `journal ARGS` with `stdin` as standard input.
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let mut cmd = self.journal();
        cmd.args(args);
        feed(cmd, stdin)
    }

    /// Runs `journal ARGS` on a terminal (script(1) gives it one), typing `input` into it.
    /// What the terminal showed, prompts included, is the run's stdout.
    pub fn run_on_terminal(&self, args: &[&str], input: &str) -> Run {
        let mut line = vec![env!("CARGO_BIN_EXE_journal").to_owned()];
        line.extend(args.iter().map(|a| (*a).to_owned()));
        let mut cmd = Command::new("script");
        self.isolate(&mut cmd);
        cmd.env("JOURNAL_TIMESTAMP", NOW)
            .args(["-q", "-e", "-c", &line.join(" "), "/dev/null"]);
        feed(cmd, input)
    }

    /// Runs git in `dir` and returns its stdout; panics when git fails.
    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        self.isolate(&mut cmd);
        let out = cmd
            .current_dir(dir)
            .env("GIT_AUTHOR_DATE", "2026-11-20T10:00:00+01:00")
            .env("GIT_COMMITTER_DATE", "2026-11-20T10:00:00+01:00")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs git in the repository.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.repo, args)
    }

    /// Writes a file (creating folders) and commits it with git; returns the commit SHA.
    pub fn commit_file(&self, rel: &str, text: &str) -> String {
        self.write(rel, text);
        self.git(&["add", rel]);
        self.git(&["commit", "-q", "-m", &format!("change {rel}")]);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    /// Writes a file in the repository, creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.repo.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Returns the text of a file in the repository.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.repo.join(rel)).unwrap()
    }

    /// Returns the entry files under `journal/`, relative to the repository, sorted.
    pub fn entry_files(&self) -> Vec<String> {
        let mut files = Vec::new();
        let root = self.repo.join("journal");
        for year in read_dir(&root) {
            for month in read_dir(&year) {
                for file in read_dir(&month) {
                    let rel = file
                        .strip_prefix(&self.repo)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    files.push(rel);
                }
            }
        }
        files.sort();
        files
    }

    /// Creates the repository `../NAME` beside the journal's with one commit of `file`, and
    /// returns the commit's SHA.
    pub fn other_repo(&self, name: &str, file: &str, message: &str) -> String {
        let other = self.repo.parent().unwrap().join(name);
        std::fs::create_dir_all(&other).unwrap();
        self.git_in(&other, &["init", "-q", "-b", "main"]);
        std::fs::write(other.join(file), "{ }\n").unwrap();
        self.git_in(&other, &["add", file]);
        let identity = ["-c", "user.name=T", "-c", "user.email=t@e"];
        self.git_in(
            &other,
            &[&identity[..], &["commit", "-q", "-m", message]].concat(),
        );
        self.git_in(&other, &["rev-parse", "HEAD"])
            .trim()
            .to_owned()
    }

    /// Returns the number of commits on HEAD.
    pub fn commit_count(&self) -> usize {
        self.git(&["rev-list", "--count", "HEAD"])
            .trim()
            .parse()
            .unwrap()
    }
}

/// Runs `cmd` with `stdin` as its standard input.
fn feed(mut cmd: Command, stdin: &str) -> Run {
    use std::io::Write as _;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    Run::from(child.wait_with_output().unwrap())
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(read) => read.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Replaces the machine-dependent `host:` line of an entry file.
pub fn mask_host(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("host: ") {
                "host: [host]"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
