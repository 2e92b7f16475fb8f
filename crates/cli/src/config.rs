//! journal.toml: finding it, reading it, and the file `journal init` writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use journal_entry::{Vocabulary, VocabularyField, is_repo_name};
use journal_store::{IdentityOverrides, RepoOptions, Store, StoreOptions};
use serde::Deserialize;

use crate::error::CommandError;

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
    #[serde(default)]
    pub vocabulary: Vocabulary,
    #[serde(default)]
    pub repos: BTreeMap<String, RepoConfig>,
    /// How evidence commits are tagged by the paths they change.
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
    /// `journal compile`: documents, sections, thresholds.
    #[serde(default)]
    pub compile: journal_compile::CompileConfig,
}

/// `[[rules]]`: commits changing a path that matches one of `paths` get `provider`/`pattern`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub paths: Vec<String>,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub pattern: Option<String>,
}

/// `[repos.NAME]`: another repository whose commits can be cited as evidence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoConfig {
    pub path: PathBuf,
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
    pub fn parse(text: &str, path: &Path) -> Result<Self, CommandError> {
        let config: Self = toml::from_str(text).map_err(|e| {
            CommandError::user(format!("{}: {}", path.display(), e.to_string().trim_end()))
                .hint("every key is described in the README's journal.toml reference")
        })?;
        if let Some(name) = config.repos.keys().find(|n| !is_repo_name(n)) {
            return Err(CommandError::user(format!(
                "{}: repository name `{name}` may hold only letters, digits, `-`, `_` and `.`",
                path.display()
            )));
        }
        for (i, rule) in config.rules.iter().enumerate() {
            let place = format!("{}: [[rules]] number {}", path.display(), i + 1);
            if rule.paths.is_empty() || (rule.provider.is_none() && rule.pattern.is_none()) {
                return Err(CommandError::user(format!(
                    "{place} needs `paths` and a `provider` or a `pattern`"
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
                    return Err(CommandError::user(format!("{place}: {unknown}")));
                }
            }
        }
        config
            .compile
            .validate()
            .map_err(|e| CommandError::user(format!("{}: {e}", path.display())))?;
        if config.entries.is_absolute() || config.entries.as_os_str().is_empty() {
            return Err(CommandError::user(format!(
                "{}: `entries` must be a folder relative to journal.toml",
                path.display()
            )));
        }
        Ok(config)
    }

    /// Returns the store's options. The identity overrides come from git's own environment
    /// variables (`GIT_AUTHOR_NAME`, `GIT_AUTHOR_EMAIL`, `GIT_COMMITTER_NAME`,
    /// `GIT_COMMITTER_EMAIL`), which win over user.name and user.email as for `git commit`.
    pub fn store_options(&self) -> StoreOptions {
        let repos = self.repos.iter().map(|(name, repo)| {
            (
                name.clone(),
                RepoOptions {
                    path: repo.path.clone(),
                    url: repo.url.clone(),
                },
            )
        });
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let identity = IdentityOverrides {
            author_name: env("GIT_AUTHOR_NAME"),
            author_email: env("GIT_AUTHOR_EMAIL"),
            committer_name: env("GIT_COMMITTER_NAME"),
            committer_email: env("GIT_COMMITTER_EMAIL"),
        };
        StoreOptions {
            entries: self.entries.clone(),
            repos: repos.collect(),
            identity,
        }
    }
}

/// An open journal: its configuration and its store.
#[derive(Debug)]
pub struct Journal {
    pub config: JournalConfig,
    pub store: Store,
}

impl Journal {
    /// Returns the index folder: `index_dir` from journal.toml (relative to the repository
    /// root), by default `journal/` inside the git directory, where it is never committed.
    pub fn index_dir(&self) -> PathBuf {
        match &self.config.index_dir {
            Some(dir) => self.store.repo().workdir().join(dir),
            None => self.store.repo().git_dir().join("journal"),
        }
    }

    /// Returns the index options that journal.toml decides.
    pub fn sync_options(&self) -> journal_index::SyncOptions {
        let rules = self.config.rules.iter().map(|r| journal_index::CommitRule {
            paths: r.paths.clone(),
            provider: r.provider.clone(),
            pattern: r.pattern.clone(),
        });
        journal_index::SyncOptions {
            vocabulary: self.config.vocabulary.clone(),
            rules: rules.collect(),
        }
    }
}

/// Finds the journal root: `explicit` (from `--journal` / `JOURNAL_DIR`), or the nearest folder
/// from `cwd` upwards that holds journal.toml.
pub fn locate(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf, CommandError> {
    if let Some(dir) = explicit {
        let dir = cwd.join(dir);
        if dir.join(FILE_NAME).is_file() {
            return Ok(dir);
        }
        return Err(
            CommandError::user(format!("no {FILE_NAME} in {}", dir.display())).hint(format!(
                "create it with `journal --journal {} init`",
                dir.display()
            )),
        );
    }
    cwd.ancestors()
        .find(|dir| dir.join(FILE_NAME).is_file())
        .map(Path::to_owned)
        .ok_or_else(|| {
            CommandError::user(format!(
                "not in a journal: no {FILE_NAME} in {} or any folder above it",
                cwd.display()
            ))
            .hint("run `journal init` at the root of your git repository, or pass --journal DIR")
        })
}

/// Reads journal.toml in `root`.
pub fn load(root: &Path) -> Result<JournalConfig, CommandError> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| CommandError::user(format!("cannot read {}: {e}", path.display())))?;
    JournalConfig::parse(&text, &path)
}

/// Finds, reads and opens the journal.
pub fn open(explicit: Option<&Path>) -> Result<Journal, CommandError> {
    let cwd = std::env::current_dir()?;
    let root = locate(explicit, &cwd)?;
    let config = load(&root)?;
    let store = Store::open(&root, config.store_options())?;
    Ok(Journal { config, store })
}

/// Returns the journal.toml that `journal init` writes: every key, with the seeded
/// vocabularies spelled out so they are easy to extend.
pub fn initial_toml() -> String {
    let v = Vocabulary::default();
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|s| format!("  \"{s}\",\n")).collect();
        format!("[\n{}]", quoted.concat())
    };
    format!(
        "# journal configuration. Every key is described in the journal README.\n\
         \n\
         # Folder of the entries, relative to this file.\n\
         entries = \"journal\"\n\
         # Commit each entry as it is added or edited (false: write the files only).\n\
         commit = true\n\
         # Where the derived search index lives, relative to the repository root\n\
         # (default: inside the git directory, never committed).\n\
         # index_dir = \".git/journal\"\n\
         \n\
         # Allowed values. These lists replace the built-in ones: add to them freely.\n\
         # Confidence levels are fixed: proven, needs-testing, uncertain.\n\
         [vocabulary]\n\
         providers = {}\n\
         patterns = {}\n\
         kinds = {}\n\
         \n\
         # Other repositories whose commits can be cited with --commit NAME:REV, and are\n\
         # searched with journal search --commits.\n\
         # [repos.test-clan]\n\
         # path = \"../test-clan\"        # relative to this repository's root\n\
         # url = \"https://github.com/you/test-clan\"   # optional, for links\n\
         \n\
         # Evidence commits that change matching paths get a provider and/or a pattern.\n\
         # [[rules]]\n\
         # paths = [\"modules/terranix/**\"]\n\
         # pattern = \"terranix\"\n\
         \n\
         # journal compile: where the documents go and what \"proven\" must show. Documents\n\
         # and their sections can be replaced or added with [[compile.documents]] (README).\n\
         # [compile]\n\
         # out = \"docs\"\n\
         # [compile.confidence]\n\
         # proven_min_days = 7\n",
        list(&v.providers),
        list(&v.patterns),
        list(&v.kinds),
    )
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
            err.message.contains("unknown field `entris`"),
            "{}",
            err.message
        );
        let err = JournalConfig::parse("[repos.\"a b\"]\npath = \"x\"\n", Path::new("j.toml"))
            .unwrap_err();
        assert!(
            err.message.contains("repository name `a b`"),
            "{}",
            err.message
        );
        let config =
            JournalConfig::parse("[vocabulary]\nproviders = [\"aws\"]\n", Path::new("j")).unwrap();
        assert_eq!(config.vocabulary.providers, ["aws"]);
        assert_eq!(config.vocabulary.kinds, Vocabulary::default().kinds);
    }
}
