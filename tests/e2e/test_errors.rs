//! Every error path of `journal add`: exit code, message, and nothing written or committed.

use crate::common::TestEnv;

/// Asserts that a failed run left no entry file and no new commit.
#[track_caller]
fn nothing_written(env: &TestEnv, commits_before: usize) {
    assert_eq!(env.entry_files(), Vec::<String>::new());
    assert_eq!(env.commit_count(), commits_before);
    assert_eq!(
        env.git(&["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
}

#[test]
fn no_git_identity_is_gits_kind_of_error() {
    let env = TestEnv::new();
    env.git(&["config", "--unset", "user.name"]);
    env.git(&["config", "--unset", "user.email"]);
    let stderr = env.run(&["add", "Who am I"]).fails(1).to_owned();
    assert!(
        stderr.starts_with("error: author identity unknown"),
        "{stderr}"
    );
    assert!(stderr.contains("git config user.email"), "{stderr}");
    nothing_written(&env, 1);
    // Writing the file only needs no identity.
    env.run(&["add", "Who am I", "--no-commit"]).ok();
    assert_eq!(env.entry_files().len(), 1);
}

#[test]
fn unknown_vocabulary_values_list_the_allowed_ones_and_the_closest() {
    let env = TestEnv::new();
    let stderr = env
        .run(&["add", "x", "--provider", "hetzer"])
        .fails(1)
        .to_owned();
    assert_eq!(
        stderr,
        "error: unknown provider `hetzer` (allowed: hetzner, gcp; did you mean `hetzner`?)\n\
         hint: if `hetzer` is a new provider, add it to `providers` under [vocabulary] in journal.toml\n"
    );
    let stderr = env
        .run(&["add", "x", "--pattern", "zerotear"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("unknown pattern `zerotear`")
            && stderr.contains("did you mean `zerotier`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("terranix, clan-inventory, service-instances"),
        "{stderr}"
    );
    let stderr = env
        .run(&["add", "x", "--kind", "suprise"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("unknown kind `suprise`") && stderr.contains("did you mean `surprise`?"),
        "{stderr}"
    );
    let stderr = env
        .run(&["add", "x", "--confidence", "proved"])
        .fails(2)
        .to_owned();
    assert!(
        stderr.contains("allowed: proven, needs-testing, uncertain; did you mean `proven`?"),
        "{stderr}"
    );
    nothing_written(&env, 1);
}

#[test]
fn vocabularies_are_extended_in_journal_toml() {
    let env = TestEnv::new();
    let toml = env
        .read("journal.toml")
        .replace("\"gcp\",", "\"gcp\",\n  \"vultr\",");
    env.write("journal.toml", &toml);
    env.run(&["add", "Vultr works too", "--provider", "vultr"])
        .ok();
    let stderr = env
        .run(&["add", "x", "--provider", "aws"])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("allowed: hetzner, gcp, vultr"), "{stderr}");
}

#[test]
fn unknown_revisions_and_repositories_write_nothing() {
    let env = TestEnv::new();
    let stderr = env
        .run(&["add", "x", "--commit", "no-such-branch"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.starts_with("error: unknown revision `no-such-branch` in the journal's repository"),
        "{stderr}"
    );
    let stderr = env
        .run(&["add", "x", "--commit", "HEAD~5"])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("unknown revision `HEAD~5`"), "{stderr}");
    // NAME: that is not a configured repository (nor a revision) names the missing table.
    let stderr = env
        .run(&["add", "x", "--commit", "elsewhere:HEAD"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("journal.toml has no [repos.elsewhere] table"),
        "{stderr}"
    );
    nothing_written(&env, 1);

    let toml = env.read("journal.toml") + "\n[repos.test-clan]\npath = \"../test-clan\"\n";
    env.write("journal.toml", &toml);
    env.git(&["commit", "-qam", "add repo"]);
    let stderr = env
        .run(&["add", "x", "--commit", "test-clan:HEAD"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("repository `test-clan`") && stderr.contains("cannot be opened"),
        "{stderr}"
    );
    nothing_written(&env, 2);
}

fn secret_cases() -> Vec<(&'static str, String)> {
    vec![
        ("private-key", "Key for the box\n\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----".into()),
        ("private-key", "PEM\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA".into()),
        ("pgp-private-key", "PGP\n-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQdGBF".into()),
        ("age-secret-key", format!("age key\n{}", "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ")),
        ("aws-access-key-id", "aws\nkey id AKIAIOSFODNN7EXAMPLE".into()),
        ("github-token", format!("gh\ntoken {}", "ghp_0123456789abcdefghijABCDEFGHIJ012345")),
        ("gitlab-token", "gl\nglpat-0123456789abcdefABCD".into()),
        ("gcp-service-account-key", "sa\n{\"type\": \"service_account\", \"private_key\": \"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\"}".into()),
        ("token-assignment", format!("hcloud\nexport HCLOUD_TOKEN={}", "aB3dE5gH7jK9".repeat(5) + "xyzw")),
    ]
}

#[test]
fn the_secret_guard_refuses_credentials_and_names_rule_and_line() {
    let env = TestEnv::new();
    for (rule, text) in secret_cases() {
        let run = env.run_with_stdin(&["add", "-"], &text);
        let stderr = run.fails(1);
        let line = text.lines().position(|l| secret_line(l, rule)).unwrap() + 1;
        assert!(
            stderr.starts_with(&format!("error: the text, line {line}: looks like ")),
            "{rule}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("(rule `{rule}`): nothing was written")),
            "{rule}: {stderr}"
        );
        assert!(stderr.contains("--allow-secret"), "{stderr}");
    }
    nothing_written(&env, 1);
    let stderr = env
        .run(&["add", "x", "--title", "token AKIAIOSFODNN7EXAMPLE"])
        .fails(1)
        .to_owned();
    assert!(stderr.starts_with("error: title, line 1:"), "{stderr}");
    nothing_written(&env, 1);
}

fn secret_line(line: &str, rule: &str) -> bool {
    match rule {
        "private-key" | "pgp-private-key" => line.starts_with("-----BEGIN"),
        _ => {
            line.contains("AGE-")
                || line.contains("AKIA")
                || line.contains("ghp_")
                || line.contains("glpat")
                || line.contains("private_key")
                || line.contains("HCLOUD")
        }
    }
}

#[test]
fn allow_secret_overrides_the_guard() {
    let env = TestEnv::new();
    let run = env.run(&[
        "add",
        "Example key id AKIAIOSFODNN7EXAMPLE from the AWS docs",
        "--allow-secret",
    ]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: the text, line 1: an AWS access key id"),
        "{}",
        run.stderr
    );
    assert_eq!(env.entry_files().len(), 1);
}

#[test]
fn a_credential_in_a_tag_or_the_story_is_refused_too() {
    let env = TestEnv::new();
    let token = "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let tag = format!("token={token}");
    let run = env.run(&["add", "A note", "--tag", &tag]);
    assert!(
        run.fails(1).contains("tag `token`, line 1: looks like"),
        "{}",
        run.stderr
    );
    let run = env.run(&["add", "A note", "--story", token]);
    assert!(
        run.fails(1).contains("story, line 1: looks like"),
        "{}",
        run.stderr
    );
    assert!(env.entry_files().is_empty());
    env.run(&["add", "A note", "--tag", &tag, "--allow-secret"])
        .ok();
    assert_eq!(env.entry_files().len(), 1);
}

#[test]
fn ordinary_notes_about_secrets_pass() {
    let env = TestEnv::new();
    let text = "HCLOUD_TOKEN comes from sops\n\nexport HCLOUD_TOKEN=$(sops -d --extract '[\"hcloud\"]' secrets.yaml)\n\
                token = var.hcloud_token_from_clan_vars\n";
    env.run_with_stdin(&["add", "-"], text).ok();
    assert_eq!(env.entry_files().len(), 1);
}

#[test]
fn gits_identity_variables_count_as_an_identity() {
    let env = TestEnv::new();
    env.git(&["config", "--unset", "user.name"]);
    env.git(&["config", "--unset", "user.email"]);
    let out = env
        .journal()
        .env("GIT_AUTHOR_NAME", "CI Runner")
        .env("GIT_AUTHOR_EMAIL", "ci@example.org")
        .env("GIT_COMMITTER_NAME", "CI Bot")
        .env("GIT_COMMITTER_EMAIL", "bot@example.org")
        .args(["add", "From CI", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        env.read(added["path"].as_str().unwrap())
            .contains("author: CI Runner <ci@example.org>\n")
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%an <%ae> / %cn <%ce>"]),
        "CI Runner <ci@example.org> / CI Bot <bot@example.org>\n"
    );
    // Half an identity is no identity.
    let out = env
        .journal()
        .env("GIT_AUTHOR_NAME", "Only Name")
        .args(["add", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bare_token_next_to_a_credential_word_never_reaches_git() {
    let env = TestEnv::new();
    let head = env.git(&["rev-parse", "HEAD"]);
    let hex = "30e15c8253d7312b15c84df163bd920f02cd30cc51bfdc45a5b40a0c0bcd219d";
    let mixed = "m4UKvWgMpLOCCCA1IsD6neMHrxAwnCIVRfnNpn2dNQ4FljbLISFLQLSYwRx7MFal";
    for text in [
        format!("hcloud token is {hex}"),
        format!("Provisioning notes\n\nthe project key {mixed} goes into sops"),
    ] {
        let stderr = env.run(&["add", &text]).fails(1).to_owned();
        assert!(stderr.contains("(rule `token-generic`)"), "{stderr}");
        assert!(stderr.contains("line "), "{stderr}");
        assert!(!stderr.contains(hex) && !stderr.contains(mixed), "{stderr}");
    }
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head);
    assert!(env.entry_files().is_empty());
    // A commit id beside the word "key" is not a credential.
    env.run(&[
        "add",
        "fixed the key rotation in commit 0123456789abcdef0123456789abcdef01234567",
    ])
    .ok();
}

/// Credentials of the shapes the guard knows that are recognised standing alone (as a
/// provider or a commit would be given), from tests/fixtures/secrets/refuse.tsv.
pub fn lone_secrets() -> Vec<String> {
    let table = include_str!("../fixtures/secrets/refuse.tsv");
    let secrets: Vec<String> = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t').map(|(_, text)| text.to_owned()))
        .filter(|text| !text.contains(' '))
        .filter(|text| !journal_entry::secret::scan(text).is_empty())
        .collect();
    assert!(secrets.len() >= 8, "{secrets:?}");
    secrets
}

#[test]
fn a_refused_credential_is_never_printed_back_whatever_option_carries_it() {
    let env = TestEnv::new();
    env.commit_file("main.tf", "# evidence\n");
    let head = env.git(&["rev-parse", "HEAD"]);
    for secret in lone_secrets() {
        let s = secret.as_str();
        let tag = format!("region={s}");
        let metric_name = format!("{s}=1");
        let metric_value = format!("latency_ms={s}");
        let cases: Vec<Vec<&str>> = vec![
            vec!["add", s],
            vec!["add", "x", "--title", s],
            vec!["add", "x", "--provider", s],
            vec!["add", "x", "--pattern", s],
            vec!["add", "x", "--kind", s],
            vec!["add", "x", "--confidence", s],
            vec!["add", "x", "--story", s],
            vec!["add", "x", "--tag", &tag],
            vec!["add", "x", "--tag", s],
            vec!["add", "x", "--metric", &metric_name],
            vec!["add", "x", "--metric", &metric_value],
            vec!["add", "x", "--commit", s],
            vec!["add", "x", "--supersedes", s],
            vec!["add", "x", "--at", s],
            vec!["list", "--confidence", s],
            vec!["list", "--tag", s],
            vec!["list", "--since", s],
        ];
        for args in cases {
            let run = env.run(&args);
            assert_ne!(run.code, 0, "{args:?} was accepted");
            for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                assert!(
                    !text.contains(s),
                    "{args:?} printed the credential on {stream}: {text}"
                );
            }
            assert!(
                run.stderr.contains("REDACTED:") || run.stderr.contains("looks like"),
                "{args:?}: the refusal names the kind of secret: {}",
                run.stderr
            );
        }
    }
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head, "nothing was written");
    assert!(env.entry_files().is_empty());
}

#[test]
fn a_title_is_one_short_line_and_a_body_has_a_size_limit() {
    let env = TestEnv::new();
    let refused = env.run(&["add", "Body text", "--title", "Line one\nline two"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused
            .stderr
            .contains("the title is one line, this one has 2"),
        "{}",
        refused.stderr
    );
    let long = "t".repeat(201);
    let refused = env.run(&["add", &long]);
    assert_eq!(refused.code, 1);
    assert!(
        refused
            .stderr
            .contains("the title has 201 characters, more than 200"),
        "{}",
        refused.stderr
    );
    env.run(&["add", &"t".repeat(200)]).ok();
    let toml = env.read("journal.toml") + "\n[limits]\nbody_bytes = 100\n";
    env.write("journal.toml", &toml);
    let body = format!("Big output\n\n{}", "x".repeat(150));
    let refused = env.run(&["add", &body]);
    assert_eq!(refused.code, 1);
    assert!(
        refused
            .stderr
            .contains("bytes, more than the limit of 100 (journal.toml [limits] body_bytes)"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        env.entry_files().len(),
        1,
        "only the 200-character title was recorded"
    );
}
