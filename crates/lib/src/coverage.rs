//! `coverage`: what `journal compile --strict` would refuse or warn about, with nothing
//! written: the confidence claims the evidence does not support, evidence a reader could not
//! follow, required sections without observations and entries no section picks up. The MCP
//! server's `journal_coverage`; one compile context, so the answer is compile's own.

use serde::Serialize;

use crate::compile::CompileOptions;
use crate::error::Result;
use crate::journal::{Journal, SkippedFile};
use journal_compile::{ProblemKind, Severity};

/// What the documents lack, as `compile --strict` would see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CoverageReport {
    /// The story the entries were limited to.
    pub story: Option<String>,
    /// Whether `compile` would refuse to write (errors), and `compile --strict` (anything).
    pub refused: bool,
    /// Whether `compile --strict` would refuse.
    pub refused_strict: bool,
    /// Confidence claims the evidence does not support.
    pub unsupported_claims: Vec<UnsupportedClaim>,
    /// Patterns (or pattern × provider pairs) that no assessment states a level for, those
    /// with observations first.
    pub not_assessed: Vec<NotAssessed>,
    /// The story's tasks (journal.toml's `[[story.tasks]]`) that no entry covers.
    pub uncovered_tasks: Vec<UncoveredTask>,
    /// Evidence a reader could not follow: missing commits, commits not pushed.
    pub evidence: Vec<EvidenceGap>,
    /// Required sections with no observations, as `document: section`.
    pub empty_sections: Vec<EmptySection>,
    /// Entries no section picks up.
    pub unfiled: Vec<UnfiledEntry>,
    /// Every problem compile reports, errors first, as it prints them.
    pub problems: Vec<CoverageProblem>,
    /// Entry files that could not be read (skipped by compile; fatal with `--strict`).
    pub skipped: Vec<SkippedFile>,
    /// How many of each there are in all: each list above holds the first `limit` only.
    pub counts: CoverageCounts,
}

/// The size of each list of a [`CoverageReport`] before it was cut to its limit.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CoverageCounts {
    /// Unsupported confidence claims.
    pub unsupported_claims: usize,
    /// Patterns not assessed.
    pub not_assessed: usize,
    /// Tasks not covered.
    pub uncovered_tasks: usize,
    /// Evidence gaps.
    pub evidence: usize,
    /// Empty required sections.
    pub empty_sections: usize,
    /// Unfiled entries.
    pub unfiled: usize,
    /// Other problems (those not already listed as evidence gaps).
    pub problems: usize,
    /// Skipped files.
    pub skipped: usize,
}

/// A confidence row whose stated level the evidence does not support.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnsupportedClaim {
    /// The pattern.
    pub pattern: String,
    /// The provider, for a provider x pattern row.
    pub provider: Option<String>,
    /// The level stated.
    pub level: String,
    /// Why it does not hold.
    pub reason: String,
    /// The entry that stated it.
    pub entry: Option<String>,
}

/// A task of the story that no entry covers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UncoveredTask {
    /// Its id: an entry tagged `task=<id>` covers it.
    pub id: String,
    /// The task.
    pub title: String,
}

/// A confidence row without an assessment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NotAssessed {
    /// The pattern.
    pub pattern: String,
    /// The provider, when the pattern is assessed for other providers only.
    pub provider: Option<String>,
    /// How many observations there are on it.
    pub entries: usize,
    /// The level the newest of them states, if any.
    pub stated: Option<String>,
}

/// Evidence a reader could not follow.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceGap {
    /// The citing entry.
    pub entry: String,
    /// The commit as cited.
    pub commit: String,
    /// `missing` or `not pushed`.
    pub problem: &'static str,
    /// The message compile prints.
    pub message: String,
}

/// A required section without observations.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EmptySection {
    /// The document's name.
    pub document: String,
    /// The section's id.
    pub section: String,
    /// Its heading.
    pub title: String,
}

/// An entry no section picks up.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnfiledEntry {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// One problem, as compile reports it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CoverageProblem {
    /// `error` (compile refuses) or `warning` (`--strict` refuses).
    pub severity: Severity,
    /// What sort of problem.
    pub kind: ProblemKind,
    /// What is wrong.
    pub message: String,
}

impl Journal {
    /// Returns what compiling (the entries of `story`, or all) would refuse or warn about,
    /// each list cut to its first `limit` items (the counts say how many there are). Nothing
    /// is rendered or written; an unknown story is refused naming the known ones.
    pub fn coverage(&self, story: Option<String>, limit: usize) -> Result<CoverageReport> {
        let compiled = self.checks_context(&CompileOptions {
            story: story.clone(),
            ..CompileOptions::default()
        })?;
        Ok(report_of(compiled, story, limit))
    }
}

/// The coverage report of a compile's context.
fn report_of(compiled: crate::Compiled, story: Option<String>, limit: usize) -> CoverageReport {
    let context = &compiled.context;
    let evidence = evidence_gaps(context);
    // Each problem once: an evidence gap is listed above, not again here.
    let gaps: std::collections::HashSet<&str> =
        evidence.iter().map(|g| g.message.as_str()).collect();
    let mut problems: Vec<CoverageProblem> = context
        .problems
        .iter()
        .filter(|p| !gaps.contains(p.message.as_str()))
        .map(|p| CoverageProblem {
            severity: p.severity,
            kind: p.kind,
            message: p.message.clone(),
        })
        .collect();
    problems.sort_by_key(|p| p.severity);
    let (refused, refused_strict) = (compiled.fatal(false) > 0, compiled.fatal(true) > 0);
    let mut report = CoverageReport {
        story,
        refused,
        refused_strict,
        unsupported_claims: unsupported_claims(context),
        not_assessed: not_assessed(context),
        uncovered_tasks: context
            .checklist
            .iter()
            .filter(|t| t.count == 0)
            .map(|t| UncoveredTask {
                id: t.id.clone(),
                title: t.title.clone(),
            })
            .collect(),
        evidence,
        empty_sections: empty_sections(context),
        unfiled: context
            .unfiled
            .iter()
            .map(|e| UnfiledEntry {
                id: e.id.clone(),
                title: e.title.clone(),
            })
            .collect(),
        problems,
        skipped: compiled.skipped,
        counts: CoverageCounts::default(),
    };
    report.cut_to(limit);
    report
}

/// The confidence claims the evidence does not support.
fn unsupported_claims(context: &journal_compile::Context) -> Vec<UnsupportedClaim> {
    context
        .confidence
        .iter()
        .filter(|row| !row.holds)
        .filter_map(|row| {
            Some(UnsupportedClaim {
                pattern: row.pattern.clone(),
                provider: row.provider.clone(),
                level: row.level.clone()?,
                reason: row.reason.clone().unwrap_or_default(),
                entry: row.rationale_id.clone(),
            })
        })
        .collect()
}

/// The rows no assessment states, those with observations first (most first), then by
/// pattern.
fn not_assessed(context: &journal_compile::Context) -> Vec<NotAssessed> {
    let mut rows: Vec<NotAssessed> = context
        .confidence
        .iter()
        .filter(|row| !row.assessed)
        .map(|row| NotAssessed {
            pattern: row.pattern.clone(),
            provider: row.provider.clone(),
            entries: row.entries,
            stated: row.stated.clone(),
        })
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.entries));
    rows
}

/// Evidence that is missing, then evidence not pushed (each entry and commit once).
fn evidence_gaps(context: &journal_compile::Context) -> Vec<EvidenceGap> {
    let mut evidence: Vec<EvidenceGap> = Vec::new();
    for problem in &context.problems {
        // Missing evidence is an error naming the entry and the commit; compile has no other
        // record of it (a missing commit is dropped from the entry's evidence).
        if problem.kind == ProblemKind::MissingEvidence
            && let Some((entry, commit)) = &problem.evidence
        {
            evidence.push(EvidenceGap {
                entry: entry.clone(),
                commit: commit.clone(),
                problem: "missing",
                message: problem.message.clone(),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for document in &context.documents {
        for gap in &document.evidence_problems {
            if seen.insert((gap.entry.clone(), gap.evidence.clone())) {
                evidence.push(EvidenceGap {
                    entry: gap.entry.clone(),
                    commit: gap.evidence.clone(),
                    problem: "not pushed",
                    message: format!(
                        "{}: evidence commit {} is {}",
                        gap.entry, gap.evidence, gap.problem
                    ),
                });
            }
        }
    }
    evidence
}

/// The required sections no entry fills.
fn empty_sections(context: &journal_compile::Context) -> Vec<EmptySection> {
    context
        .documents
        .iter()
        .flat_map(|d| {
            d.sections
                .iter()
                .filter(|s| s.required && s.empty)
                .map(|s| EmptySection {
                    document: d.name.clone(),
                    section: s.id.clone(),
                    title: s.title.clone(),
                })
        })
        .collect()
}

impl CoverageReport {
    /// Keeps the first `limit` items of each list, the counts saying how many there were.
    fn cut_to(&mut self, limit: usize) {
        self.counts = CoverageCounts {
            unsupported_claims: self.unsupported_claims.len(),
            not_assessed: self.not_assessed.len(),
            uncovered_tasks: self.uncovered_tasks.len(),
            evidence: self.evidence.len(),
            empty_sections: self.empty_sections.len(),
            unfiled: self.unfiled.len(),
            problems: self.problems.len(),
            skipped: self.skipped.len(),
        };
        self.unsupported_claims.truncate(limit);
        self.not_assessed.truncate(limit);
        self.uncovered_tasks.truncate(limit);
        self.evidence.truncate(limit);
        self.empty_sections.truncate(limit);
        self.unfiled.truncate(limit);
        self.problems.truncate(limit);
        self.skipped.truncate(limit);
    }
}

#[cfg(test)]
mod tests {
    use journal_testutils::{TestRepo, entry_text};

    use super::report_of;
    use crate::{CompileOptions, Journal, OpenOptions};

    #[test]
    fn the_checks_alone_report_what_a_whole_compile_reports() {
        let repo = TestRepo::journal_with(
            "entries = \"journal\"\ncommit = true\n\n[[story.tasks]]\nid = \"unlock\"\n\
             title = \"Unlock over SSH\"\npattern = [\"luks\"]\n\n[[story.tasks]]\n\
             id = \"mesh\"\ntitle = \"A mesh across clouds\"\npattern = [\"zerotier\"]\n",
        );
        let made = repo.commit("Set up LUKS", &[("luks.nix", "{ }\n")]);
        let missing = "0123456789abcdef0123456789abcdef01234567";
        let files = [
            (
                "20261001T100000Z-found",
                "finding",
                "hetzner",
                "luks",
                made.as_str(),
                "",
            ),
            (
                "20261002T100000Z-ghost",
                "decision",
                "gcp",
                "luks",
                missing,
                "",
            ),
            ("20261003T100000Z-coffee", "run", "", "", "", ""),
            (
                "20261004T100000Z-later",
                "hard",
                "hetzner",
                "luks",
                "",
                "supersedes: [nothing-here]",
            ),
            (
                "20261005T100000Z-verdict",
                "assessment",
                "hetzner",
                "luks",
                "",
                "confidence: proven",
            ),
        ];
        for (id, kind, provider, pattern, commit, extra) in files {
            let fields = [
                format!("kind: {kind}"),
                if provider.is_empty() {
                    String::new()
                } else {
                    format!("provider: [{provider}]")
                },
                if pattern.is_empty() {
                    String::new()
                } else {
                    format!("pattern: [{pattern}]")
                },
                if commit.is_empty() {
                    String::new()
                } else {
                    format!("commits: [{commit}]")
                },
                extra.to_owned(),
            ];
            let fields: Vec<&str> = fields
                .iter()
                .map(String::as_str)
                .filter(|f| !f.is_empty())
                .collect();
            let date = format!("2026-10-{}T10:00:00Z", &id[6..8]);
            repo.write(
                &format!("journal/2026/10/{id}.md"),
                &entry_text(id, &date, &format!("Entry {id}"), &fields, "Because.\n"),
            );
        }
        let journal = Journal::open(&OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        })
        .unwrap();
        let checks = journal.coverage(None, usize::MAX).unwrap();
        let whole = journal.compile_context(&CompileOptions::default()).unwrap();
        let whole = report_of(whole, None, usize::MAX);
        let json = |r| serde_json::to_value(r).unwrap();
        assert_eq!(json(&checks), json(&whole));
        // What the comparison covers: each kind of finding is there.
        assert!(!checks.unfiled.is_empty(), "{checks:#?}");
        assert!(!checks.evidence.is_empty(), "{checks:#?}");
        assert!(!checks.empty_sections.is_empty(), "{checks:#?}");
        assert!(!checks.uncovered_tasks.is_empty(), "{checks:#?}");
        assert!(!checks.unsupported_claims.is_empty(), "{checks:#?}");
        assert!(
            checks
                .problems
                .iter()
                .any(|p| p.message.contains("nothing-here")),
            "{checks:#?}"
        );
    }
}
