use crate::common::TestEnv;

#[test]
fn init_creates_and_commits_journal_toml_once() {
    let env = TestEnv::bare_repo();
    let run = env.run(&["init"]);
    run.ok();
    assert!(run.stderr.contains("Set up the journal"), "{}", run.stderr);
    assert!(env.repo.join("journal").is_dir());
    assert_eq!(env.git(&["log", "--format=%s"]), "journal: init\n");
    assert_eq!(
        env.git(&["show", "--name-only", "--format=", "HEAD"]),
        "journal.toml\n"
    );
    let toml = env.read("journal.toml");
    assert!(
        toml.contains("\"hetzner\"")
            && toml.contains("\"special-args\"")
            && toml.contains("\"run\"")
    );

    let again = env.run(&["init"]);
    again.ok();
    assert!(again.stderr.contains("nothing to do"), "{}", again.stderr);
    assert_eq!(env.commit_count(), 1);
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn init_from_a_subfolder_uses_the_repository_root() {
    let env = TestEnv::bare_repo();
    std::fs::create_dir_all(env.repo.join("modules/terranix")).unwrap();
    let run = env
        .journal()
        .current_dir(env.repo.join("modules/terranix"))
        .arg("init")
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(env.repo.join("journal.toml").is_file());
}

#[test]
fn init_no_commit_writes_only_and_a_later_init_commits() {
    let env = TestEnv::bare_repo();
    env.run(&["init", "--no-commit"]).ok();
    assert!(env.repo.join("journal.toml").is_file());
    assert_eq!(env.git(&["status", "--porcelain"]), "?? journal.toml\n");
    env.run(&["init"]).ok();
    assert_eq!(env.git(&["log", "--format=%s"]), "journal: init\n");
}

#[test]
fn init_outside_a_git_repository_is_an_error() {
    let env = TestEnv::bare_repo();
    let outside = env.home.join("not-a-repo");
    std::fs::create_dir_all(&outside).unwrap();
    let out = env
        .journal()
        .current_dir(&outside)
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("not inside a git repository"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: a journal lives in a git repository"),
        "{stderr}"
    );
    assert!(!outside.join("journal.toml").exists());
}

#[test]
fn a_journal_can_live_in_a_subfolder_of_a_larger_repository() {
    let env = TestEnv::bare_repo();
    env.commit_file("modules/terranix/hetzner.nix", "{ }\n");
    env.run(&["--journal", "docs/notes", "init"]).ok();
    assert!(env.repo.join("docs/notes/journal.toml").is_file());
    let added = env
        .run(&["--journal", "docs/notes", "add", "Terranix works", "--json"])
        .json();
    let path = added["path"].as_str().unwrap();
    assert!(path.starts_with("docs/notes/journal/2026/11/"), "{path}");
    assert_eq!(
        env.git(&["show", "--name-only", "--format=", "HEAD"]),
        format!("{path}\n")
    );

    // Found by walking up from inside the journal folder, and through JOURNAL_DIR.
    let inside = env
        .journal()
        .current_dir(env.repo.join("docs/notes/journal"))
        .arg("list")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&inside.stdout).contains("Terranix works"));
    let via_env = env
        .journal()
        .env("JOURNAL_DIR", "docs/notes")
        .arg("list")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&via_env.stdout).contains("Terranix works"));
}

#[test]
fn commands_outside_a_journal_say_how_to_start_one() {
    let env = TestEnv::bare_repo();
    let stderr = env.run(&["list"]).fails(1).to_owned();
    assert!(
        stderr.contains("error: not in a journal: no journal.toml"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: run `journal init`"), "{stderr}");
    let stderr = env
        .run(&["--journal", "nowhere", "list"])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("no journal.toml in"), "{stderr}");
}

#[test]
fn a_bad_journal_toml_names_the_file_and_the_key() {
    let env = TestEnv::new();
    env.write("journal.toml", "entries = \"journal\"\ncomit = false\n");
    let stderr = env.run(&["list"]).fails(1).to_owned();
    assert!(
        stderr.contains("journal.toml") && stderr.contains("unknown field `comit`"),
        "{stderr}"
    );
}
