//! The library's one error type, with what kind of failure it is and the hints that help.

/// What kind of failure an [`Error`] is: what a front end tells its user, and how the CLI
/// exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request, the journal's configuration or its files are wrong, or the system said
    /// no: the user can act on the message.
    User,
    /// A bug in journal: it should be reported.
    Internal,
}

/// Returned by every fallible operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A request refused before anything was done (an unknown provider, a credential in the
    /// text, a journal.toml that does not parse), with hints.
    #[error("{message}")]
    Refused {
        /// What is wrong, lowercase, without a final period.
        message: String,
        /// What to do about it.
        hints: Vec<Hint>,
    },
    /// Text that looks like it holds a credential, refused before anything was written. The
    /// findings name the line, the kind of credential and the rule, never the value. Whether
    /// a user may insist (the CLI's `--allow-secret`) is the front end's to say.
    #[error("{what}, line {}: looks like {} (rule `{}`): nothing was written",
        .findings[0].line, .findings[0].description, .findings[0].rule)]
    Secret {
        /// What held it: `the text`, `title`, `provider`, `a metric name`, ...
        what: String,
        /// Each credential found, by line (at least one).
        findings: Vec<SecretFound>,
    },
    /// A search given neither a query nor a filter. Each front end says how to give one.
    #[error("nothing to search for: give a query or a filter")]
    NothingToSearch,
    /// The entry files or git.
    #[error(transparent)]
    Store(#[from] journal_store::Error),
    /// The search index.
    #[error(transparent)]
    Index(#[from] journal_index::Error),
    /// `sync` stopped; the branch is as it was.
    #[error("sync stopped: {0}")]
    Sync(#[source] journal_store::SyncError),
    /// The watcher cannot start or go on.
    #[error(transparent)]
    Watch(#[from] journal_daemon::Error),
    /// Something that cannot happen did: a bug.
    #[error("internal error: {0}")]
    Internal(String),
}

/// A credential found in text ([`Error::Secret`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFound {
    /// The line of the text, from 1.
    pub line: usize,
    /// What it looks like (`an AWS access key`).
    pub description: String,
    /// The rule that found it.
    pub rule: String,
}

/// A parameter of an operation that a hint names. Each front end says it in its own
/// words (the CLI's `--at`, the MCP argument `at`) or leaves the hint out when it has no
/// such parameter: the library never spells a front end's flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Param {
    /// The moment an entry records.
    At,
    /// An entry's title, given apart from its text.
    Title,
    /// An entry's kind.
    Kind,
    /// The journal's folder.
    Journal,
    /// Writing the entry file without committing it.
    NoCommit,
    /// The git remote to sync with.
    Remote,
    /// Keeping text the secret guard refused (a false positive).
    AllowSecret,
    /// An assessment's rationale.
    Rationale,
}

/// How a front end names the [`Param`]s: `None` leaves out a hint naming a parameter it
/// does not have.
pub type ParamNames = fn(Param) -> Option<&'static str>;

/// One hint of an [`Error`]: advice, or advice naming one [`Param`] (at `{}` in its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    text: String,
    param: Option<Param>,
}

impl Hint {
    /// Advice that names no parameter.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            param: None,
        }
    }

    /// Advice that names `param` where `text` has `{}`.
    pub fn naming(param: Param, text: impl Into<String>) -> Self {
        let text = text.into();
        debug_assert!(text.contains("{}"), "a hint naming a parameter has `{{}}`");
        Self {
            text,
            param: Some(param),
        }
    }

    /// Returns the hint in a front end's words, or `None` when it names a parameter that
    /// front end does not have.
    pub fn render(&self, names: ParamNames) -> Option<String> {
        match self.param {
            None => Some(self.text.clone()),
            Some(param) => names(param).map(|name| self.text.replacen("{}", name, 1)),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Returns a refusal with no hint.
    pub fn refused(message: impl Into<String>) -> Self {
        Self::Refused {
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a hint to a refusal (other errors have their own hints).
    #[must_use]
    pub fn hint(self, hint: impl Into<String>) -> Self {
        self.with_hint(Hint::text(hint))
    }

    /// Adds a hint naming one of the operation's parameters (at `{}` in `text`).
    #[must_use]
    pub fn hint_naming(self, param: Param, text: impl Into<String>) -> Self {
        self.with_hint(Hint::naming(param, text))
    }

    fn with_hint(mut self, hint: Hint) -> Self {
        if let Self::Refused { hints, .. } = &mut self {
            hints.push(hint);
        }
        self
    }

    /// Returns what kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Internal(_) => ErrorKind::Internal,
            _ => ErrorKind::User,
        }
    }

    /// Returns whether this says no entry has the id asked for.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Store(journal_store::Error::NotFound(_)))
    }

    /// Returns whether this refuses text that looks like it holds a credential.
    pub fn is_secret(&self) -> bool {
        matches!(self, Self::Secret { .. })
    }

    /// Returns whether this says the caller gave up before anything was written.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::Store(journal_store::Error::Cancelled))
    }

    /// Returns whether this says another watcher already watches the journal.
    pub fn is_already_watched(&self) -> bool {
        matches!(
            self,
            Self::Watch(journal_daemon::Error::AlreadyWatched { .. })
        )
    }

    /// Returns the message followed by its causes, `: `-separated. A value in it that looks
    /// like a credential (a token given as a provider, a commit, a tag, …) is replaced by
    /// `[REDACTED:<rule>]`: a refusal never carries the secret it refused to any front end,
    /// its user, an agent's context or a log.
    pub fn message(&self) -> String {
        redacted(chain(self))
    }

    /// Returns what the user can do about it, one sentence each, parameters named as the
    /// front end names them (credentials redacted, as in [`Error::message`]).
    pub fn hints(&self, names: ParamNames) -> Vec<String> {
        self.raw_hints()
            .iter()
            .filter_map(|hint| hint.render(names))
            .map(redacted)
            .collect()
    }

    fn raw_hints(&self) -> Vec<Hint> {
        let plain = |lines: Vec<String>| lines.into_iter().map(Hint::text).collect();
        match self {
            Self::Refused { hints, .. } => hints.clone(),
            Self::Secret { findings, .. } => {
                let mut hints: Vec<String> = findings[1..]
                    .iter()
                    .map(|f| {
                        format!(
                            "also line {}: {} (rule `{}`)",
                            f.line, f.description, f.rule
                        )
                    })
                    .collect();
                hints.push(
                    "remove the credential (keep a reference such as its sops path instead)"
                        .to_owned(),
                );
                let mut hints: Vec<Hint> = plain(hints);
                hints.push(Hint::naming(
                    Param::AllowSecret,
                    "pass {} if it is not a credential",
                ));
                hints
            }
            Self::Store(err) => store_hints(err),
            Self::Index(journal_index::Error::Query(_)) => vec![
                Hint::text(
                    "queries use tantivy's syntax: words, \"a phrase\", AND / OR / NOT, \
                     field:value (title, body, tag, provider, pattern, kind, confidence, story, \
                     author), prefix* and word~",
                ),
                Hint::text(
                    "to search for text as written (brackets, quotes, a `field:` that is no \
                     field), put it in quotes: \"fd00::1\", \"a(b)\"",
                ),
            ],
            Self::Index(journal_index::Error::Store(err)) => store_hints(err),
            Self::Sync(err) => crate::sync::hints(err),
            Self::Watch(journal_daemon::Error::AlreadyWatched { .. }) => vec![Hint::text(
                "`journal status` shows that watcher; stop it first to start another",
            )],
            _ => Vec::new(),
        }
    }
}

/// Returns `text` with every credential the secret rules find replaced by its rule's name.
pub fn redacted(text: String) -> String {
    let (clean, findings) = journal_entry::secret::redact(&text);
    if findings.is_empty() { text } else { clean }
}

pub use journal_store::chain;

fn store_hints(err: &journal_store::Error) -> Vec<Hint> {
    use journal_store::Error as E;
    let text = |lines: Vec<String>| lines.into_iter().map(Hint::text).collect();
    let lines: &[&str] = match err {
        E::NoIdentity => {
            return vec![
                Hint::text("tell git who you are:"),
                Hint::text("  git config user.name \"Your Name\""),
                Hint::text("  git config user.email \"you@example.com\""),
                Hint::naming(Param::NoCommit, "or use {} to write the file only"),
            ];
        }
        E::NotARepository { .. } => &["a journal lives in a git repository: run `git init` first"],
        E::ObjectFormat { .. } => &[
            "keep the journal in a SHA-1 repository (`git init --object-format=sha1`, git's default)",
        ],
        E::Ambiguous { .. } => &["give more characters of the id"],
        E::NotFound(_) => &["`journal list` shows the ids"],
        E::UnknownRevision { .. } => &[
            "any revision git understands works: HEAD~2, a short SHA, a branch, a tag; \
             NAME:REV for a repository in journal.toml's [repos]",
        ],
        E::RepoUnavailable { .. } => &["check `path` of this repository in journal.toml's [repos]"],
        E::JournalCommitCited {
            nearest_summary, ..
        } => {
            return text(vec![format!(
                "the nearest commit before it that is not the journal's is {nearest_summary}: \
                 cite that one (HEAD, the newest work, skips the journal's commits by itself)"
            )]);
        }
        E::UnknownRepo { name, .. } => {
            return text(vec![format!(
                "add it to journal.toml:\n  [repos.{name}]\n  path = \"../{name}\"   # relative to this repository's root"
            )]);
        }
        E::GitLocked { path, holder } => {
            let path = path.display();
            let unheld = holder.as_deref() == Some("no running process has it open");
            return text(if unheld {
                vec![
                    "no process has it open: a git command was probably interrupted".to_owned(),
                    format!(
                        "if no git command is running, remove it (`rm {path}`) and run the same journal command again"
                    ),
                ]
            } else {
                vec![
                    "wait for that git command to finish, then run the same journal command again"
                        .to_owned(),
                    format!("if no git command is running, remove it: `rm {path}`"),
                ]
            });
        }
        E::IndexNotUpdated { path, .. } => {
            return text(vec![
                "the entry is committed; another git command probably held the index".to_owned(),
                format!(
                    "run `git reset -q -- {}` to bring the index in line",
                    path.display()
                ),
            ]);
        }
        _ => &[],
    };
    lines.iter().map(|l| Hint::text(*l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_hints() {
        let refused = Error::refused("no").hint("try this");
        assert_eq!(refused.kind(), ErrorKind::User);
        assert_eq!(refused.hints(|_| None), ["try this"]);
        assert_eq!(Error::Internal("x".into()).kind(), ErrorKind::Internal);
        let missing = Error::from(journal_store::Error::NotFound("abc".into()));
        assert_eq!(missing.message(), "no entry matches `abc`");
        assert_eq!(missing.hints(|_| None), ["`journal list` shows the ids"]);
    }

    #[test]
    fn each_front_end_names_a_parameter_or_leaves_its_hint_out() {
        let err = Error::refused("in the future")
            .hint("give a moment that has come")
            .hint_naming(Param::At, "{} takes the moment");
        let flags: ParamNames = |p| (p == Param::At).then_some("--at");
        assert_eq!(
            err.hints(flags),
            ["give a moment that has come", "--at takes the moment"]
        );
        assert_eq!(err.hints(|_| None), ["give a moment that has come"]);
        let no_identity = Error::from(journal_store::Error::NoIdentity);
        assert_eq!(no_identity.hints(|_| None).len(), 3);
        assert!(
            no_identity.hints(|_| Some("--no-commit"))[3].contains("--no-commit"),
            "{:?}",
            no_identity.hints(|_| Some("--no-commit"))
        );
    }
}
