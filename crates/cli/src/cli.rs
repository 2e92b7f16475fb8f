//! The top-level arguments.

use std::path::PathBuf;

use clap::Parser;

use crate::commands::Command;

/// A git-backed knowledge journal for infrastructure work.
///
/// Capture what you learn while provisioning and deploying (what was easy or hard, what
/// surprised you, what you decided and how confident you are) as Markdown entries committed to
/// your git repository, with commits as evidence.
#[derive(Debug, Parser)]
#[command(
    name = "journal",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The journal folder (the one holding journal.toml); default: found by walking up from the
    /// current folder.
    #[arg(long, global = true, env = "JOURNAL_DIR", value_name = "DIR")]
    pub journal: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::Cli;

    /// The help texts are a contract scripts rely on: each is pinned, and the list of
    /// commands comes from the parser itself, so a new command cannot be left out.
    #[test]
    fn help_texts_stay_stable() {
        let root = Cli::command();
        let mut commands: Vec<Option<String>> = vec![None];
        commands.extend(
            root.get_subcommands()
                .filter(|c| !c.is_hide_set() && c.get_name() != "help")
                .map(|c| Some(c.get_name().to_owned())),
        );
        assert!(commands.len() > 20, "{commands:?}");
        for command in commands {
            let mut args = vec!["journal".to_owned()];
            args.extend(command.clone());
            args.push("--help".to_owned());
            let help = match Cli::command().try_get_matches_from(&args) {
                Err(err) if err.kind() == clap::error::ErrorKind::DisplayHelp => {
                    err.render().to_string()
                }
                other => panic!("{args:?}: {other:?}"),
            };
            let name = command.map_or_else(|| "journal".to_owned(), |c| format!("journal-{c}"));
            insta::assert_snapshot!(name, help);
        }
    }
}
