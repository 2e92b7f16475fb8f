//! `coverage`: what `journal compile --strict` would refuse or warn about, with nothing
//! written: the confidence claims the evidence does not support, evidence a reader could not
//! follow, required sections without observations and entries no section picks up. The MCP
//! server's `journal_coverage`; one compile context, so the answer is compile's own.

use std::sync::Arc;

use serde::Serialize;

use crate::compile::CompileOptions;
use crate::error::Result;
use crate::journal::{Journal, SkippedFile};
use journal_compile::{CompileProblem, ProblemKind, Severity};

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
        let report = self.remembered_coverage(story.as_deref(), limit, || {
            let compiled = self.checks_context(&CompileOptions {
                story: story.clone(),
                ..CompileOptions::default()
            })?;
            Ok(report_of(compiled, story.clone(), limit))
        })?;
        Ok(Arc::unwrap_or_clone(report))
    }
}

/// The first `limit` items of `items`, each made into what the report shows, and how many
/// there are in all. At 100,000 entries whose evidence is gone there are 150,000 gaps: only
/// those shown are copied.
fn first<I, T>(
    mut items: impl Iterator<Item = I>,
    limit: usize,
    show: impl FnMut(I) -> T,
) -> (Vec<T>, usize) {
    let shown: Vec<T> = items.by_ref().take(limit).map(show).collect();
    let count = shown.len() + items.count();
    (shown, count)
}

/// Whether `problem` is listed among the evidence gaps (a missing commit).
fn is_gap(problem: &CompileProblem) -> bool {
    problem.kind == ProblemKind::MissingEvidence && problem.evidence.is_some()
}

/// The coverage report of a compile's context, each list cut to its first `limit` items.
fn report_of(compiled: crate::Compiled, story: Option<String>, limit: usize) -> CoverageReport {
    let context = &compiled.context;
    let (evidence, evidence_count) = evidence_gaps(context, limit);
    // Each problem once: an evidence gap is listed above, not again here. Compile's list is
    // errors first already.
    let (problems, problems_count) =
        first(context.problems.iter().filter(|p| !is_gap(p)), limit, |p| {
            CoverageProblem {
                severity: p.severity,
                kind: p.kind,
                message: p.message.clone(),
            }
        });
    let (refused, refused_strict) = (compiled.fatal(false) > 0, compiled.fatal(true) > 0);
    let (unsupported_claims, unsupported_count) = first(unsupported_claims(context), limit, |c| c);
    let (not_assessed, not_assessed_count) = first(not_assessed(context).into_iter(), limit, |r| r);
    let (uncovered_tasks, uncovered_count) = first(
        context.checklist.iter().filter(|t| t.count == 0),
        limit,
        |t| UncoveredTask {
            id: t.id.clone(),
            title: t.title.clone(),
        },
    );
    let (empty_sections, empty_count) = first(empty_sections(context), limit, |s| s);
    let (unfiled, unfiled_count) = first(context.unfiled.iter(), limit, |e| UnfiledEntry {
        id: e.id().to_owned(),
        title: e.title().to_owned(),
    });
    let skipped_count = compiled.skipped.len();
    let mut skipped = compiled.skipped;
    skipped.truncate(limit);
    CoverageReport {
        story,
        refused,
        refused_strict,
        unsupported_claims,
        not_assessed,
        uncovered_tasks,
        evidence,
        empty_sections,
        unfiled,
        problems,
        skipped,
        counts: CoverageCounts {
            unsupported_claims: unsupported_count,
            not_assessed: not_assessed_count,
            uncovered_tasks: uncovered_count,
            evidence: evidence_count,
            empty_sections: empty_count,
            unfiled: unfiled_count,
            problems: problems_count,
            skipped: skipped_count,
        },
    }
}

/// The confidence claims the evidence does not support.
fn unsupported_claims(
    context: &journal_compile::Context,
) -> impl Iterator<Item = UnsupportedClaim> + '_ {
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

/// Where an evidence gap was found: a missing commit is one of compile's errors, one not
/// pushed is in a document's list.
enum Gap<'a> {
    Missing(&'a CompileProblem),
    NotPushed(&'a journal_compile::EvidenceProblem),
}

/// Evidence that is missing, then evidence not pushed (each entry and commit once): the
/// first `limit`, and how many in all.
fn evidence_gaps(context: &journal_compile::Context, limit: usize) -> (Vec<EvidenceGap>, usize) {
    // Missing evidence is an error naming the entry and the commit; compile has no other
    // record of it (a missing commit is dropped from the entry's evidence).
    let missing = context
        .problems
        .iter()
        .filter(|p| is_gap(p))
        .map(Gap::Missing);
    let mut seen = std::collections::HashSet::new();
    let not_pushed = context
        .documents
        .iter()
        .flat_map(|document| &document.evidence_problems)
        .filter(move |gap| seen.insert((&gap.entry, &gap.evidence)))
        .map(Gap::NotPushed);
    first(missing.chain(not_pushed), limit, |gap| match gap {
        Gap::Missing(problem) => {
            let (entry, commit) = problem.evidence.clone().unwrap_or_default();
            EvidenceGap {
                entry,
                commit,
                problem: "missing",
                message: problem.message.clone(),
            }
        }
        Gap::NotPushed(gap) => EvidenceGap {
            entry: gap.entry.clone(),
            commit: gap.evidence.clone(),
            problem: "not pushed",
            message: format!(
                "{}: evidence commit {} is {}",
                gap.entry, gap.evidence, gap.problem
            ),
        },
    })
}

/// The required sections no entry fills.
fn empty_sections(context: &journal_compile::Context) -> impl Iterator<Item = EmptySection> + '_ {
    context.documents.iter().flat_map(|d| {
        d.sections
            .iter()
            .filter(|s| s.required && s.empty)
            .map(|s| EmptySection {
                document: d.name.clone(),
                section: s.id.clone(),
                title: s.title.clone(),
            })
    })
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
        // Cut to one item each, the counts still say how many there are, and the one kept
        // is the first of the whole list.
        let cut = journal.coverage(None, 1).unwrap();
        let lists = |r: &super::CoverageReport| {
            [
                r.unsupported_claims.len(),
                r.not_assessed.len(),
                r.uncovered_tasks.len(),
                r.evidence.len(),
                r.empty_sections.len(),
                r.unfiled.len(),
                r.problems.len(),
                r.skipped.len(),
            ]
        };
        let counts = |r: &super::CoverageReport| {
            let c = &r.counts;
            [
                c.unsupported_claims,
                c.not_assessed,
                c.uncovered_tasks,
                c.evidence,
                c.empty_sections,
                c.unfiled,
                c.problems,
                c.skipped,
            ]
        };
        assert_eq!(counts(&cut), lists(&checks));
        assert_eq!(lists(&cut), lists(&checks).map(|n| n.min(1)));
        assert!(checks.problems.len() > 1 && checks.empty_sections.len() > 1);
        let first = |r: &super::CoverageReport| {
            serde_json::to_value((&r.problems[0], &r.evidence[0])).unwrap()
        };
        assert_eq!(first(&cut), first(&checks));
    }
}
