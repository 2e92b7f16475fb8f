//! `journal completions`: the script that makes a shell complete journal's commands.

use clap::{Args, ValueEnum};
use clap_complete::env::Shells;

use crate::complete::VAR;
use crate::error::CommandError;
use crate::ui::Ui;

/// Print the shell code that completes journal's commands, flags, entry ids and vocabulary.
///
/// Load it from your shell's start-up file:
///   bash:  echo 'source <(journal completions bash)' >> ~/.bashrc
///   zsh:   echo 'source <(journal completions zsh)' >> ~/.zshrc
///   fish:  journal completions fish > ~/.config/fish/completions/journal.fish
///
/// The script calls journal itself for each completion, so ids and journal.toml's providers,
/// patterns and kinds are those of the journal in the current folder.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CompletionsArgs {
    /// The shell.
    shell: Shell,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

pub fn cmd_completions(ui: &mut Ui, args: &CompletionsArgs) -> Result<(), CommandError> {
    let name = args
        .shell
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default();
    let shells = Shells::builtins();
    let shell = shells
        .completer(&name)
        .ok_or_else(|| CommandError::user(format!("no completion support for {name}")))?;
    let mut script = Vec::new();
    shell.write_registration(VAR, "journal", "journal", "journal", &mut script)?;
    ui.data_raw(&String::from_utf8_lossy(&script))
}
