//! journal.toml: finding it, reading it, and the file `journal init` writes (a template,
//! `journal.toml.in`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use journal_entry::{Vocabulary, VocabularyField, is_repo_name};
use journal_store::{IdentityOverrides, RepoOptions, StoreOptions};
use serde::Deserialize;

use crate::error::{Error, Param, Result};

/// The configuration file's name.
pub const FILE_NAME: &str = "journal.toml";

/// journal.toml as written by the user. Unknown keys are errors, so typos do not go unnoticed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalConfig {
    /// The entries folder, relative to journal.toml.
    #[serde(default = "default_entries")]
    pub entries: PathBuf,
    /// Whether `add` and `edit` commit.
    #[serde(default = "default_commit")]
    pub commit: bool,
    /// Where the derived index lives, relative to the repository root.
    #[serde(default)]
    pub index_dir: Option<PathBuf>,
    /// The allowed providers, patterns and kinds.
    #[serde(default)]
    pub vocabulary: Vocabulary,
    /// Other repositories whose commits can be cited, by name.
    #[serde(default)]
    pub repos: BTreeMap<String, RepoConfig>,
    /// How evidence commits are tagged by the paths they change.
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
    /// `journal compile`: documents, sections, thresholds.
    #[serde(default)]
    pub compile: journal_compile::CompileConfig,
    /// `[limits]`: the size of what an entry may hold.
    #[serde(default)]
    pub limits: Limits,
    /// `[story]`: the story's tasks, for the checklist the findings end with.
    #[serde(default)]
    pub story: StoryConfig,
}

/// `[story]`: what the story asks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryConfig {
    /// `[[story.tasks]]`: each task, and which entries cover it.
    #[serde(default)]
    pub tasks: Vec<journal_compile::Task>,
}

/// `[limits]`: the size of an entry's text, for every front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The largest body, in bytes (default 1 MiB).
    pub body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 1 << 20,
        }
    }
}

/// The longest title, in characters: one line that reads as a heading and a commit subject.
pub const TITLE_CHARS: usize = 200;

/// `[[rules]]`: evidence commits matching every matcher given (`paths`, `subject`, `author`)
/// get `provider`/`pattern`, or with `effect` rank lower or are left out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Glob patterns of paths (`modules/terranix/**`): a tagging rule matches a commit
    /// changing any of them, a `lower` or `exclude` rule one changing only such paths.
    #[serde(default)]
    pub paths: Vec<String>,
    /// A glob over the subject line (`Update flake input*`), case ignored.
    #[serde(default)]
    pub subject: Option<String>,
    /// A glob over the author, `Name <email>` (`*[bot]*`), case ignored.
    #[serde(default)]
    pub author: Option<String>,
    /// `tag` (the default), `lower` (rank below other hits) or `exclude` (not indexed).
    #[serde(default)]
    pub effect: RuleEffectConfig,
    /// The provider such commits get.
    #[serde(default)]
    pub provider: Option<String>,
    /// The pattern such commits get.
    #[serde(default)]
    pub pattern: Option<String>,
}

/// `effect` of a `[[rules]]` table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleEffectConfig {
    /// Tag matching commits with the rule's provider and pattern.
    #[default]
    Tag,
    /// Rank them below other hits.
    Lower,
    /// Leave them out of the index.
    Exclude,
}

/// `[repos.NAME]`: another repository whose commits can be cited as evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoConfig {
    /// Its working tree, relative to the journal's repository root.
    pub path: PathBuf,
    /// Its web address, for links (default: its remote's).
    #[serde(default)]
    pub url: Option<String>,
}

fn default_entries() -> PathBuf {
    PathBuf::from("journal")
}

fn default_commit() -> bool {
    true
}

impl JournalConfig {
    /// Parses journal.toml's text; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let config: Self = toml::from_str(text).map_err(|e| {
            Error::refused(format!("{}: {}", path.display(), e.to_string().trim_end()))
                .hint("every key is described in the README's journal.toml reference")
        })?;
        if let Some(name) = config.repos.keys().find(|n| !is_repo_name(n)) {
            return Err(Error::refused(format!(
                "{}: repository name `{name}` may hold only letters, digits, `-`, `_` and `.`",
                path.display()
            )));
        }
        for (i, rule) in config.rules.iter().enumerate() {
            let place = format!("{}: [[rules]] number {}", path.display(), i + 1);
            let matcher = !rule.paths.is_empty() || rule.subject.is_some() || rule.author.is_some();
            let tags = rule.provider.is_some() || rule.pattern.is_some();
            if !matcher || (rule.effect == RuleEffectConfig::Tag && !tags) {
                return Err(Error::refused(format!(
                    "{place} needs `paths`, `subject` or `author`, and a `provider` or a \
                     `pattern` (or `effect = \"lower\"` / `\"exclude\"`)"
                )));
            }
            let checks = [
                (VocabularyField::Provider, &rule.provider),
                (VocabularyField::Pattern, &rule.pattern),
            ];
            for (field, value) in checks {
                if let Some(value) = value
                    && let Err(unknown) = config.vocabulary.check(field, value)
                {
                    return Err(Error::refused(format!("{place}: {unknown}")));
                }
            }
        }
        for (i, task) in config.story.tasks.iter().enumerate() {
            let place = format!("{}: [[story.tasks]] number {}", path.display(), i + 1);
            if config.story.tasks[..i].iter().any(|t| t.id == task.id) {
                return Err(Error::refused(format!(
                    "{place}: id `{}` is given twice",
                    task.id
                )));
            }
            let values = task
                .provider
                .iter()
                .map(|v| (VocabularyField::Provider, v))
                .chain(task.pattern.iter().map(|v| (VocabularyField::Pattern, v)))
                .chain(task.kind.iter().map(|v| (VocabularyField::Kind, v)));
            for (field, value) in values {
                if let Err(unknown) = config.vocabulary.check(field, value) {
                    return Err(Error::refused(format!("{place}: {unknown}")));
                }
            }
        }
        config
            .compile
            .validate()
            .map_err(|e| Error::refused(format!("{}: {e}", path.display())))?;
        if config.entries.is_absolute() || config.entries.as_os_str().is_empty() {
            return Err(Error::refused(format!(
                "{}: `entries` must be a folder relative to journal.toml",
                path.display()
            )));
        }
        Ok(config)
    }

    /// Returns the store's options. `identity` is what the front end read from git's own
    /// environment variables (`GIT_AUTHOR_NAME`, ...), which win over user.name and
    /// user.email as for `git commit`.
    pub fn store_options(&self, identity: IdentityOverrides) -> StoreOptions {
        let repos = self.repos.iter().map(|(name, repo)| {
            (
                name.clone(),
                RepoOptions {
                    path: repo.path.clone(),
                    url: repo.url.clone(),
                },
            )
        });
        StoreOptions {
            entries: self.entries.clone(),
            repos: repos.collect(),
            identity,
        }
    }
}

/// Finds the journal root: `explicit` (from `--journal` / `JOURNAL_DIR`), or the nearest folder
/// from `cwd` upwards that holds journal.toml.
pub fn locate(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        let dir = cwd.join(dir);
        if dir.join(FILE_NAME).is_file() {
            return Ok(dir);
        }
        return Err(
            Error::refused(format!("no {FILE_NAME} in {}", dir.display())).hint(format!(
                "create it: run `journal init` in {}",
                dir.display()
            )),
        );
    }
    cwd.ancestors()
        .find(|dir| dir.join(FILE_NAME).is_file())
        .map(Path::to_owned)
        .ok_or_else(|| {
            Error::refused(format!(
                "not in a journal: no {FILE_NAME} in {} or any folder above it",
                cwd.display()
            ))
            .hint("run `journal init` at the root of your git repository")
            .hint_naming(Param::Journal, "or name the journal's folder with {}")
        })
}

/// Reads journal.toml in `root`.
pub fn load(root: &Path) -> Result<JournalConfig> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::refused(format!("cannot read {}: {e}", path.display())))?;
    JournalConfig::parse(&text, &path)
}

/// Returns the journal.toml that `journal init` writes: every key, with the seeded
/// vocabularies spelled out so they are easy to extend.
pub fn initial_toml() -> String {
    let v = Vocabulary::default();
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|s| format!("  \"{s}\",\n")).collect();
        format!("[\n{}]", quoted.concat())
    };
    include_str!("journal.toml.in")
        .replace("{providers}", &list(&v.providers))
        .replace("{patterns}", &list(&v.patterns))
        .replace("{kinds}", &list(&v.kinds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initial_file_reads_back_as_the_defaults() {
        let config = JournalConfig::parse(&initial_toml(), Path::new("journal.toml")).unwrap();
        assert_eq!(config.vocabulary, Vocabulary::default());
        assert_eq!(config.entries, PathBuf::from("journal"));
        assert!(config.commit);
    }

    #[test]
    fn unknown_keys_and_bad_names_are_errors() {
        let err = JournalConfig::parse("entris = \"x\"\n", Path::new("journal.toml")).unwrap_err();
        assert!(
            err.message().contains("unknown field `entris`"),
            "{}",
            err.message()
        );
        let err = JournalConfig::parse("[repos.\"a b\"]\npath = \"x\"\n", Path::new("j.toml"))
            .unwrap_err();
        assert!(
            err.message().contains("repository name `a b`"),
            "{}",
            err.message()
        );
        let config =
            JournalConfig::parse("[vocabulary]\nproviders = [\"aws\"]\n", Path::new("j")).unwrap();
        assert_eq!(config.vocabulary.providers, ["aws"]);
        assert_eq!(config.vocabulary.kinds, Vocabulary::default().kinds);
    }
}
