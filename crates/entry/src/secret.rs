//! The secret guard: finds credentials in text before it is written to a file and to git.
//!
//! Deployment notes are where API tokens leak into history for good, so `add` and `edit`
//! refuse text that [`scan`] flags. The same rules serve to redact captured output.

use std::sync::OnceLock;

use regex::Regex;

/// A credential found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule that matched, such as `age-secret-key`.
    pub rule: &'static str,
    /// What the rule looks for, for messages.
    pub description: &'static str,
    /// 1-based line of the text where it starts.
    pub line: usize,
    /// Byte range of the secret part in the text.
    pub range: std::ops::Range<usize>,
}

struct Rule {
    name: &'static str,
    description: &'static str,
    pattern: &'static str,
    /// Capture group holding the secret itself (0: the whole match).
    group: usize,
    /// Extra check on the captured secret, to keep prose and references out.
    accept: fn(&str) -> bool,
}

fn always(_: &str) -> bool {
    true
}

/// A token assigned to a variable must look random: letters and digits both.
fn looks_random(value: &str) -> bool {
    value.bytes().any(|b| b.is_ascii_digit()) && value.bytes().any(|b| b.is_ascii_alphabetic())
}

const RULES: &[Rule] = &[
    Rule {
        name: "private-key",
        description: "a private key block (OpenSSH, PEM)",
        pattern: r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----",
        group: 0,
        accept: always,
    },
    Rule {
        name: "pgp-private-key",
        description: "a PGP private key block",
        pattern: r"-----BEGIN PGP PRIVATE KEY BLOCK-----",
        group: 0,
        accept: always,
    },
    Rule {
        name: "age-secret-key",
        description: "an age secret key",
        pattern: r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
        group: 0,
        accept: always,
    },
    Rule {
        name: "aws-access-key-id",
        description: "an AWS access key id",
        pattern: r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b",
        group: 0,
        accept: always,
    },
    Rule {
        name: "github-token",
        description: "a GitHub token",
        pattern: r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b",
        group: 0,
        accept: always,
    },
    Rule {
        name: "gitlab-token",
        description: "a GitLab token",
        pattern: r"\bgl(?:pat|dt|rt|ptt|ft|imt|agent|oas|soat|cbt)-[A-Za-z0-9_\-]{20,}",
        group: 0,
        accept: always,
    },
    Rule {
        name: "gcp-service-account-key",
        description: "a GCP service-account key (JSON with `private_key`)",
        pattern: r#""private_key"\s*:\s*"([^"]{16,})"#,
        group: 1,
        accept: always,
    },
    Rule {
        name: "digitalocean-token",
        description: "a DigitalOcean token",
        pattern: r"\bdo[opr]_v1_[a-f0-9]{64}\b",
        group: 0,
        accept: always,
    },
    Rule {
        name: "slack-token",
        description: "a Slack token",
        pattern: r"\bxox[abposr]-[0-9A-Za-z-]{10,}",
        group: 0,
        accept: always,
    },
    Rule {
        name: "slack-webhook",
        description: "a Slack webhook URL",
        pattern: r"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9+/]{20,}",
        group: 0,
        accept: always,
    },
    Rule {
        name: "tailscale-auth-key",
        description: "a Tailscale key",
        pattern: r"\btskey-[a-z]+-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}",
        group: 0,
        accept: always,
    },
    Rule {
        name: "jwt",
        description: "a JSON web token",
        pattern: r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
        group: 0,
        accept: always,
    },
    Rule {
        name: "token-assignment",
        description: "a token assigned to a variable (such as HCLOUD_TOKEN=…)",
        pattern: r#"(?i)\b[a-z0-9_]*(?:token|secret|passw(?:or)?d|api_?key|access_?key|auth_?key)[a-z0-9_]*["']?\s*(?:=|:=|:)\s*["']?([A-Za-z0-9_\-+/=.]{20,})"#,
        group: 1,
        accept: looks_random,
    },
    // As gitleaks' generic rule: a credential word, a few words or signs, then a string that
    // looks random (`hcloud token is 3f…`, `the project key AbC…`).
    Rule {
        name: "token-generic",
        description: "a random-looking string next to a credential word",
        pattern: r#"(?i)\b(?:tokens?|keys?|secrets?|passwords?|passwd|credentials?|api|auth|bearer)\b[^\n]{0,30}?([A-Za-z0-9_\-+/=.!]{20,})"#,
        group: 1,
        accept: high_entropy,
    },
];

/// Whether a string next to a credential word is a secret rather than something operators
/// paste all the time: long, random (≥ 3.5 bits a character, letters and digits), and not a
/// commit id, a hash (SRI, Nix store), a UUID, a public key, a path, a URL or an identifier.
fn high_entropy(value: &str) -> bool {
    let value = value.trim_end_matches(['.', '=']);
    if value.len() < 20 || !looks_random(value) {
        return false;
    }
    let hex = value.bytes().all(|b| b.is_ascii_hexdigit());
    let lower = !value.bytes().any(|b| b.is_ascii_uppercase());
    let not_secret = (hex && lower && value.len() == 40) // a commit id
        || ["sha1-", "sha256-", "sha384-", "sha512-", "age1"].iter().any(|p| value.starts_with(p))
        || ["AAAAB3NzaC1", "AAAAC3NzaC1", "AAAAE2VjZHNh"].iter().any(|p| value.starts_with(p))
        || value.contains("//")
        || (value.contains('/') && lower)
        || is_uuid(value)
        || identifier(value);
    !not_secret && entropy(value) >= 3.5
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts = [0_u32; 256];
    for b in value.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum()
}

fn is_uuid(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether the value is words and numbers joined by `-`, `_` or `.` (`terraform-state-2024`).
fn identifier(value: &str) -> bool {
    let parts: Vec<&str> = value
        .split(['-', '_', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            p.bytes().all(|b| b.is_ascii_digit())
                || (p.bytes().all(|b| b.is_ascii_alphabetic())
                    && !p.bytes().skip(1).any(|b| b.is_ascii_uppercase()))
        })
}

fn compiled() -> &'static [Regex] {
    static COMPILED: OnceLock<Vec<Regex>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        RULES
            .iter()
            // The patterns are constants covered by the tests below.
            .map(|rule| Regex::new(rule.pattern).unwrap_or_else(|e| panic!("{}: {e}", rule.name)))
            .collect()
    })
}

/// Returns every credential found in `text`, in order of position.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (rule, regex) in RULES.iter().zip(compiled()) {
        for captures in regex.captures_iter(text) {
            let Some(secret) = captures.get(rule.group) else {
                continue;
            };
            if !(rule.accept)(secret.as_str()) {
                continue;
            }
            let start = captures.get(0).map_or(secret.start(), |m| m.start());
            findings.push(Finding {
                rule: rule.name,
                description: rule.description,
                line: text[..start].matches('\n').count() + 1,
                range: secret.range(),
            });
        }
    }
    findings.sort_by_key(|f| (f.range.start, f.rule == "token-generic", f.rule));
    // One finding per secret: the generic rule only adds what no specific rule found.
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        let overlaps = kept
            .iter()
            .any(|k| k.range.start < f.range.end && f.range.start < k.range.end);
        if !(overlaps && f.rule == "token-generic") {
            kept.push(f);
        }
    }
    kept
}

/// Returns `text` with every secret found replaced by `[REDACTED:<rule>]`, and the findings.
/// A private key is redacted as a whole block, up to its `-----END …-----` line (or the end of
/// the text); an END line whose BEGIN is not in the text (the tail of longer output) takes
/// everything before it.
pub fn redact(text: &str) -> (String, Vec<Finding>) {
    let mut findings = scan(text);
    for f in &mut findings {
        if f.rule.ends_with("private-key") {
            f.range.end = block_end(text, f.range.end);
        }
    }
    if let Some(end) = orphan_key_end(text, findings.first().map(|f| f.range.start)) {
        findings.insert(
            0,
            Finding {
                rule: "private-key",
                description: "the end of a private key block",
                line: 1,
                range: 0..end,
            },
        );
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for f in &findings {
        if f.range.start < pos {
            continue; // overlaps a secret already redacted
        }
        out.push_str(&text[pos..f.range.start]);
        out.push_str("[REDACTED:");
        out.push_str(f.rule);
        out.push(']');
        pos = f.range.end;
    }
    out.push_str(&text[pos..]);
    (out, findings)
}

/// Returns the end of the key block whose BEGIN line ends at `from`: after its END line's
/// closing dashes, or the end of the text.
fn block_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let Some(end) = rest.find("-----END ") else {
        return text.len();
    };
    let after = end + "-----END ".len();
    rest[after..]
        .find("-----")
        .map_or(text.len(), |close| from + after + close + "-----".len())
}

/// Returns the end of an END line of a private key that comes before any finding (its BEGIN
/// line was cut off), if there is one.
fn orphan_key_end(text: &str, first_finding: Option<usize>) -> Option<usize> {
    let limit = first_finding.unwrap_or(text.len());
    let end = text[..limit].find("-----END ")?;
    let after = end + "-----END ".len();
    let close = text[after..].find("-----")?;
    let line = &text[after..after + close];
    (line.ends_with("PRIVATE KEY") || line.ends_with("PRIVATE KEY BLOCK"))
        .then_some(after + close + "-----".len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_key_is_redacted_as_a_whole_block() {
        let key = "before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n\
                   QyNTUxOQAAACD\n-----END OPENSSH PRIVATE KEY-----\nafter\n";
        let (out, findings) = redact(key);
        assert_eq!(out, "before\n[REDACTED:private-key]\nafter\n");
        assert_eq!(findings.len(), 1);
        // Cut off before its END line: everything after BEGIN goes.
        let (out, _) = redact("x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA");
        assert_eq!(out, "x\n[REDACTED:private-key]");
        // Only the tail of a key (the BEGIN line scrolled away): everything up to END goes.
        let (out, findings) = redact("QyNTUxOQAAACD\n-----END OPENSSH PRIVATE KEY-----\ndone\n");
        assert_eq!(out, "[REDACTED:private-key]\ndone\n");
        assert_eq!(findings[0].description, "the end of a private key block");
        // A certificate's END line is not a key.
        let cert = "-----END CERTIFICATE-----\n";
        assert_eq!(redact(cert).0, cert);
    }

    fn rules(text: &str) -> Vec<(&'static str, usize)> {
        scan(text).into_iter().map(|f| (f.rule, f.line)).collect()
    }

    #[test]
    fn finds_each_kind_of_credential() {
        let age = format!(
            "AGE-SECRET-KEY-1{}",
            "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L".repeat(2)[..58].to_owned()
        );
        let hcloud = format!("HCLOUD_TOKEN={}", "aB3".repeat(21) + "x");
        let cases: Vec<(String, &str)> = vec![
            (
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=".into(),
                "private-key",
            ),
            ("-----BEGIN RSA PRIVATE KEY-----".into(), "private-key"),
            ("-----BEGIN PRIVATE KEY-----".into(), "private-key"),
            (
                "-----BEGIN PGP PRIVATE KEY BLOCK-----".into(),
                "pgp-private-key",
            ),
            (age, "age-secret-key"),
            ("key AKIAIOSFODNN7EXAMPLE here".into(), "aws-access-key-id"),
            (format!("ghp_{}", "a1B2".repeat(9)), "github-token"),
            (format!("github_pat_{}", "a1B2_".repeat(6)), "github-token"),
            ("glpat-xxxxXXXX1234yyyyZZZZ".into(), "gitlab-token"),
            (
                r#"{"type": "service_account", "private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}"#
                    .into(),
                "gcp-service-account-key",
            ),
            (hcloud, "token-assignment"),
            (
                "export API_KEY='sk0123456789abcdefghij'".into(),
                "token-assignment",
            ),
        ];
        for (text, rule) in cases {
            let found = rules(&text);
            assert!(
                found.iter().any(|(r, _)| *r == rule),
                "{rule} not found in {text}: {found:?}"
            );
        }
    }

    #[test]
    fn reports_the_line() {
        let text = "first\nsecond\nexport HCLOUD_TOKEN=\"0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHIJ0123\"\n";
        assert_eq!(rules(text), vec![("token-assignment", 3)]);
    }

    #[test]
    fn leaves_ordinary_notes_alone() {
        for text in [
            "HCLOUD_TOKEN=$(cat /run/secrets/hcloud)",
            "token = var.hcloud_token_from_sops_file",
            "the token: rotated yesterday, see the runbook",
            "-----BEGIN PUBLIC KEY-----",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops",
            "commit 9f1c2e7b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f fixed the age key path",
        ] {
            assert_eq!(rules(text), vec![], "{text}");
        }
    }

    /// `tests/fixtures/secrets/*.tsv`: fake values of real token shapes, and what operators
    /// paste all the time.
    fn table(name: &str) -> Vec<(String, String)> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/secrets")
            .join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let (a, b) = l.split_once('\t').unwrap();
                (a.to_owned(), b.to_owned())
            })
            .collect()
    }

    #[test]
    fn refuses_every_real_token_shape() {
        let rows = table("refuse.tsv");
        assert!(rows.len() >= 20);
        for (rule, text) in rows {
            let found = rules(&text);
            assert!(
                found.iter().any(|(r, _)| *r == rule),
                "{rule} not found in {text}: {found:?}"
            );
        }
    }

    #[test]
    fn lets_through_what_operators_paste() {
        for (what, text) in table("pass.tsv") {
            assert_eq!(rules(&text), vec![], "{what}: {text}");
        }
    }

    #[test]
    fn redacts_secrets_only() {
        let (text, findings) = redact("ok AKIAIOSFODNN7EXAMPLE ok");
        assert_eq!(text, "ok [REDACTED:aws-access-key-id] ok");
        assert_eq!(findings.len(), 1);
    }
}
