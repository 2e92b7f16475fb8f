//! Evidence commits in the index: the history of the journal's repository and of each
//! `[repos.NAME]`, searchable beside the entries and tagged by `[[rules]]`.

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use journal_store::{CommitInfo, GitRepo};
use tantivy::{IndexWriter, TantivyDocument, Term, doc};

use crate::db::{CommitRow, FilesTx};
use crate::error::{Error, Result};
use crate::index::JournalIndex;

/// The `kind` of a commit document.
pub const COMMIT_KIND: &str = "commit";

/// How the journal's own repository is named in the index (configured names cannot be empty).
pub(crate) const OWN: &str = "";

/// `[[rules]]`: commits matching every matcher given (paths, subject, author) are tagged with
/// the provider and/or pattern, ranked lower, or left out of the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitRule {
    /// Globs over repository paths: `*` and `?` within a folder, `**` across folders. A tag
    /// rule matches a commit changing any such path; a `lower` or `exclude` rule one changing
    /// only such paths (a lock-file bot's commit).
    pub paths: Vec<String>,
    /// A glob over the subject line (`*` matches anything, case ignored).
    pub subject: Option<String>,
    /// A glob over the author, `Name <email>` (`*` matches anything, case ignored).
    pub author: Option<String>,
    /// Provider given to matching commits.
    pub provider: Option<String>,
    /// Pattern given to matching commits.
    pub pattern: Option<String>,
    /// What else happens to matching commits.
    pub effect: RuleEffect,
}

/// What a rule does to the commits it matches, besides tagging them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RuleEffect {
    /// Nothing: they are tagged only.
    #[default]
    Tag,
    /// They rank below other hits (their score is divided by ten).
    Lower,
    /// They are not indexed at all: not searchable, not in mixed results.
    Exclude,
}

/// A repository whose history is indexed: `name` is `None` for the journal's own.
#[derive(Debug)]
pub struct CommitSource<'a> {
    /// The `[repos]` name.
    pub name: Option<&'a str>,
    /// The repository; `None` when it does not exist (yet): its commits are kept as they are.
    pub repo: Option<&'a GitRepo>,
}

struct CompiledRule<'a> {
    /// The path globs; `None` without any.
    globs: Option<GlobSet>,
    subject: Option<GlobMatcher>,
    author: Option<GlobMatcher>,
    rule: &'a CommitRule,
}

impl CompiledRule<'_> {
    fn matches(&self, row: &CommitRow) -> bool {
        let paths = || row.paths.lines().filter(|p| !p.is_empty());
        let Some(globs) = &self.globs else {
            return self.text_matches(row);
        };
        let on_path = |p: &str| globs.is_match(p);
        let paths_ok = match self.rule.effect {
            RuleEffect::Tag => paths().any(on_path),
            RuleEffect::Lower | RuleEffect::Exclude => {
                paths().next().is_some() && paths().all(on_path)
            }
        };
        paths_ok && self.text_matches(row)
    }

    fn text_matches(&self, row: &CommitRow) -> bool {
        self.subject
            .as_ref()
            .is_none_or(|g| g.is_match(&row.subject))
            && self.author.as_ref().is_none_or(|g| g.is_match(&row.author))
    }
}

/// Returns the matcher of a text glob (`*` anything, `?` one character; everything else
/// literal, so `*[bot]*` matches `dependabot[bot]`), anchored and case-insensitive.
fn text_glob(glob: &str) -> Result<GlobMatcher> {
    let mut literal = String::with_capacity(glob.len());
    for c in glob.chars() {
        if matches!(c, '[' | ']' | '{' | '}' | '\\') {
            literal.push('\\');
        }
        literal.push(c);
    }
    GlobBuilder::new(&literal)
        .case_insensitive(true)
        .literal_separator(false)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| Error::Rules(format!("`{glob}`: {e}")))
}

/// Returns the matcher of path globs, as gitignore reads them: `*` and `?` stop at `/`, `**`
/// crosses folders, `[a-z]` and `{a,b}` are classes and alternatives; `None` for no glob.
fn path_globs(globs: &[String]) -> Result<Option<GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for glob in globs {
        let compiled = GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::Rules(format!("`{glob}`: {e}")))?;
        set.add(compiled);
    }
    set.build()
        .map(Some)
        .map_err(|e| Error::Rules(e.to_string()))
}

fn compile(rules: &[CommitRule]) -> Result<Vec<CompiledRule<'_>>> {
    rules
        .iter()
        .map(|rule| {
            Ok(CompiledRule {
                globs: path_globs(&rule.paths)?,
                subject: rule.subject.as_deref().map(text_glob).transpose()?,
                author: rule.author.as_deref().map(text_glob).transpose()?,
                rule,
            })
        })
        .collect()
}

/// Returns a stable text of the rules, to notice when they change.
fn rules_key(rules: &[CommitRule]) -> String {
    format!("{rules:?}")
}

impl JournalIndex {
    /// Brings the commits of `sources` up to date: new commits since the last walk are added,
    /// a rewritten history replaces that repository's commits, and a change of `rules` re-tags
    /// every commit. The SQLite writes are returned, to be applied once tantivy has committed.
    pub(crate) fn sync_commits(
        &mut self,
        sources: &[CommitSource<'_>],
        rules: &[CommitRule],
        writer: &mut Option<IndexWriter>,
    ) -> Result<PendingCommits> {
        let compiled = compile(rules)?;
        let retag = self.db.meta("commit_rules")?.unwrap_or_default() != rules_key(rules);
        let schema = self.schema.clone();
        if retag {
            let w = self.writer_for(writer, 0)?;
            w.delete_term(Term::from_field_text(schema.kind, COMMIT_KIND));
        }
        let mut tips = Vec::new();
        let mut shallow = Vec::new();
        let mut new_rows: Vec<(String, CommitRow)> = Vec::new();
        let mut replaced = Vec::new();
        for source in sources {
            let Some(repo) = source.repo else { continue };
            let label = source.name.unwrap_or(OWN);
            let tip_key = format!("commits_tip/{label}");
            let tip = self.db.meta(&tip_key)?;
            let plan = repo.walk_plan(tip.as_deref())?;
            if plan.key == tip {
                continue;
            }
            if tip.is_none() && repo.is_shallow() {
                shallow.push(label.to_owned());
            }
            if plan.rewritten {
                replaced.push(label.to_owned());
                let w = self.writer_for(writer, 0)?;
                w.delete_term(Term::from_field_text(schema.repo, label));
            }
            // Each commit is indexed as git lists it: the indexing overlaps the listing.
            let mut failed = None;
            repo.walk_commits(&plan, &mut |commit| {
                let row = CommitRow::from_info(&commit);
                // Commit documents are small: a one-thread writer (unless the entries' sync
                // made a larger one) indexes them beside the walk.
                let indexed = self.writer_for(writer, 0).and_then(|w| {
                    // A commit may come again after a rewrite: replace, not duplicate it.
                    w.delete_term(Term::from_field_text(
                        schema.path,
                        &commit_key(label, &row.sha),
                    ));
                    if let Some(document) = commit_document(&schema, label, &row, &compiled) {
                        w.add_document(document)?;
                    }
                    Ok(())
                });
                if let Err(e) = indexed {
                    failed = Some(e);
                }
                new_rows.push((label.to_owned(), row));
                Ok(())
            })?;
            if let Some(e) = failed {
                return Err(e);
            }
            tips.push((tip_key, plan.key.unwrap_or_default()));
        }
        if !retag && new_rows.is_empty() && replaced.is_empty() && tips.is_empty() {
            return Ok(PendingCommits::default());
        }
        let shallow_note = shallow;
        if retag {
            // Everything recorded again (minus replaced histories; the new ones are in).
            let rows: Vec<(String, CommitRow)> = self
                .db
                .commits()?
                .into_iter()
                .filter(|(label, _)| !replaced.contains(label))
                .collect();
            for (label, row) in &rows {
                let w = self.writer_for(writer, rows.len())?;
                if let Some(document) = commit_document(&schema, label, row, &compiled) {
                    w.add_document(document)?;
                }
            }
        }
        Ok(PendingCommits {
            shallow: shallow_note,
            replaced,
            new_rows,
            tips,
            rules: Some(rules_key(rules)),
        })
    }
}

/// The SQLite writes of a commit sync.
#[derive(Debug, Default)]
pub(crate) struct PendingCommits {
    /// The repositories whose history was indexed for the first time from a shallow clone.
    pub shallow: Vec<String>,
    replaced: Vec<String>,
    new_rows: Vec<(String, CommitRow)>,
    tips: Vec<(String, String)>,
    rules: Option<String>,
}

impl PendingCommits {
    /// Returns how many commits were added.
    pub fn added(&self) -> usize {
        self.new_rows.len()
    }

    /// Returns whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.rules.is_none()
    }

    /// Writes the commits and tips.
    pub fn apply(&self, tx: &FilesTx<'_>) -> Result<()> {
        for label in &self.replaced {
            tx.delete_commits(label)?;
        }
        for (label, row) in &self.new_rows {
            tx.upsert_commit(label, row)?;
        }
        for (key, tip) in &self.tips {
            tx.set_meta(key, tip)?;
        }
        match &self.rules {
            Some(rules) => tx.set_meta("commit_rules", rules),
            None => Ok(()),
        }
    }
}

/// Returns the searchable text of a commit: its message body, then its changed paths.
pub(crate) fn commit_text(body: &str, paths: &str) -> String {
    if paths.is_empty() {
        body.to_owned()
    } else {
        format!("{body}\n\n{paths}")
    }
}

/// Returns the document key of a commit.
fn commit_key(label: &str, sha: &str) -> String {
    format!("commit/{label}/{sha}")
}

fn commit_document(
    schema: &crate::schema::IndexSchema,
    label: &str,
    row: &CommitRow,
    rules: &[CompiledRule<'_>],
) -> Option<TantivyDocument> {
    let matching: Vec<&CompiledRule<'_>> = rules.iter().filter(|r| r.matches(row)).collect();
    if matching
        .iter()
        .any(|r| r.rule.effect == RuleEffect::Exclude)
    {
        return None;
    }
    let id = if label.is_empty() {
        row.sha.clone()
    } else {
        format!("{label}:{}", row.sha)
    };
    let body = commit_text(&row.body, &row.paths);
    let mut d = doc!(
        schema.path => commit_key(label, &row.sha),
        schema.id => id,
        schema.title => row.subject.as_str(),
        schema.words => row.subject.as_str(),
        schema.words => body.as_str(),
        schema.body => body,
        schema.kind => COMMIT_KIND,
        schema.author => row.author.as_str(),
        schema.date => row.date,
        schema.date_text => row.date_text.as_str(),
        schema.repo => label,
    );
    let mut providers: Vec<&str> = Vec::new();
    let mut patterns: Vec<&str> = Vec::new();
    for compiled in &matching {
        providers.extend(compiled.rule.provider.as_deref());
        patterns.extend(compiled.rule.pattern.as_deref());
    }
    if matching.iter().any(|r| r.rule.effect == RuleEffect::Lower) {
        d.add_u64(schema.lowered, 1);
    }
    providers.sort_unstable();
    providers.dedup();
    patterns.sort_unstable();
    patterns.dedup();
    for p in providers {
        d.add_text(schema.provider, p);
    }
    for p in patterns {
        d.add_text(schema.pattern, p);
    }
    Some(d)
}

impl CommitRow {
    fn from_info(info: &CommitInfo) -> Self {
        Self {
            sha: info.sha.clone(),
            author: info.author.clone(),
            date: info.date.timestamp(),
            date_text: info.date.to_rfc3339(),
            subject: info.subject.clone(),
            body: info.body.clone(),
            paths: info.paths.join("\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_gitignore_paths() {
        let m = |glob: &str, path: &str| {
            path_globs(&[glob.to_owned()])
                .unwrap()
                .unwrap()
                .is_match(path)
        };
        assert!(m(
            "modules/terranix/**",
            "modules/terranix/hetzner/main.nix"
        ));
        assert!(!m("modules/terranix/**", "modules/hosts/web.nix"));
        assert!(m("**/hetzner*", "hetzner.tf"));
        assert!(m("**/hetzner*", "modules/terranix/hetzner-fsn1.nix"));
        assert!(!m("**/hetzner*", "modules/gcp/main.nix"));
        assert!(m("*.tf", "main.tf") && !m("*.tf", "infra/main.tf"));
        assert!(m("a?c.nix", "abc.nix") && !m("a?c.nix", "a/c.nix"));
        assert!(m("flake.nix", "flake.nix") && !m("flake.nix", "flakeXnix"));
        // Classes and alternatives, as git reads them.
        assert!(
            m("hosts/web[0-9].nix", "hosts/web3.nix") && !m("hosts/web[0-9].nix", "hosts/webx.nix")
        );
        assert!(m("*.{tf,nix}", "main.tf") && m("*.{tf,nix}", "flake.nix"));
    }

    #[test]
    fn text_globs_take_brackets_literally_and_ignore_case() {
        let m = |glob: &str, text: &str| text_glob(glob).unwrap().is_match(text);
        assert!(m("*[bot]*", "dependabot[bot] <bot@example.org>"));
        assert!(
            !m("*[bot]*", "Bob <bob@example.org>"),
            "not a class of b, o, t"
        );
        assert!(m("update flake input*", "Update flake input nixpkgs"));
        assert!(m("fix ?uks", "Fix LUKS") && !m("fix ?uks", "Fix a/luks"));
        assert!(m("a/b*", "a/b/c"), "`*` crosses `/` in text");
    }
}
