//! Running the user's editor ($VISUAL, then $EDITOR) on a file.

use std::path::Path;
use std::process::Command;

use crate::error::CommandError;

/// The line below which the template's help text stands; it and everything after it is dropped.
pub const SCISSORS: &str = "# ------------------------ >8 ------------------------";

/// Opens `path` in the editor and waits for it. The editor value may hold arguments
/// (`code --wait`), as git allows.
pub fn edit_file(path: &Path, stdin_is_terminal: bool) -> Result<(), CommandError> {
    let editor = ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty());
    let editor = match editor {
        Some(editor) => editor,
        None if stdin_is_terminal => "vi".to_owned(),
        None => {
            return Err(
                CommandError::user("no editor: $VISUAL and $EDITOR are not set")
                    .hint("give the text as arguments, or `-` to read it from stdin"),
            );
        }
    };
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(path)
        .status()
        .map_err(|e| CommandError::user(format!("cannot run the editor `{editor}`: {e}")))?;
    if !status.success() {
        return Err(CommandError::user(format!(
            "the editor `{editor}` failed ({status}): nothing was changed"
        )));
    }
    Ok(())
}

/// Returns the text above the scissors line.
pub fn strip_template(text: &str) -> &str {
    match text.find(SCISSORS) {
        Some(at) => &text[..at],
        None => text,
    }
}
