//! `journal demo`: the whole value in one command, on a throw-away repository.

use std::path::{Path, PathBuf};

use clap::{Args, Parser as _};

use crate::cli::Cli;
use crate::error::CommandError;
use crate::ui::{Ui, shell_line};
use journal_lib::demo;

/// When the demo's own `journal add` happens, and the date its documents carry: the day after
/// the sample journal ends, so that every run writes the same files (docs/example/).
const DEMO_ADD_AT: &str = "2026-10-26T10:30:00+01:00";
const DEMO_COMPILE_DATE: &str = "2026-10-26";

/// Show journal at work on a sample Phase 0 repository.
///
/// Creates a git repository holding three weeks of infrastructure commits (terranix, clan,
/// disko, zerotier, clan vars; published to a GitHub remote, so links render) and the sample
/// journal of 60-odd entries citing them, then runs `journal add`, `journal search` and
/// `journal compile` in it, and prints where the two documents are. Needs no network.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to create the repository: a folder that does not exist or is empty. Default: a
    /// new temporary folder.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn cmd_demo(ui: &mut Ui, args: &DemoArgs) -> Result<(), CommandError> {
    let dir = match &args.dir {
        Some(dir) => {
            check_empty(dir)?;
            std::path::absolute(dir)?
        }
        None => tempfile::Builder::new()
            .prefix("journal-demo-")
            .tempdir()
            .map_err(|e| CommandError::user(format!("cannot create a temporary folder: {e}")))?
            .keep(),
    };
    let made = demo::create(&dir, &crate::demo_data::data())?;
    let (first, last) = (&made.infra[0], &made.infra[made.infra.len() - 1]);
    ui.data(&format!("Demo repository: {}", dir.display()))?;
    ui.data(&format!(
        "  {} infrastructure commits, from \"{}\" ({}) to \"{}\" ({}),\n  \
         published to {}\n  {} journal entries written during Phase 0, in journal/",
        made.infra.len(),
        first.1,
        &first.0[..7],
        last.1,
        &last.0[..7],
        demo::REMOTE_URL,
        made.entries,
    ))?;

    let sizing = &made.infra[made.infra.len() - 1].0[..7];
    let steps: Vec<Vec<String>> = vec![
        words(&[
            "add",
            "--title",
            "Phase 1: start cinnabar from the hetzner-test terranix module",
            "Same null_resource install, cx32, LUKS and the zerotier controller from day one.",
            "--provider",
            "hetzner",
            "--pattern",
            "terranix",
            "--kind",
            "recommendation",
            "--story",
            "1.11",
            "--commit",
            sizing,
            "--at",
            DEMO_ADD_AT,
        ]),
        words(&["search", "zerotier firewall"]),
        words(&["search", "--pattern", "luks", "--kind", "hard"]),
        words(&["compile", "--date", DEMO_COMPILE_DATE]),
    ];
    for step in steps {
        ui.data(&format!("\n$ journal {}", shell_line(&step)))?;
        let mut argv = vec![
            "journal".to_owned(),
            "--journal".to_owned(),
            dir.display().to_string(),
        ];
        argv.extend(step);
        let cli = Cli::try_parse_from(argv)
            .map_err(|e| CommandError::user(format!("demo: bad arguments: {e}")))?;
        super::run(cli, ui)?;
    }
    ui.data(&format!(
        "\nThe documents:\n  {}\n  {}\nTry, in {}:\n  journal search \"luks unlock\"\n  \
         journal list --provider gcp --kind hard\n  journal tags\n  git log --oneline",
        dir.join("docs/INTEGRATION-FINDINGS.md").display(),
        dir.join("docs/ARCHITECTURAL-DECISIONS.md").display(),
        dir.display(),
    ))?;
    Ok(())
}

fn words(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Refuses a folder that exists and holds anything.
fn check_empty(dir: &Path) -> Result<(), CommandError> {
    match std::fs::read_dir(dir) {
        Ok(mut read) => {
            if read.next().is_some() {
                return Err(CommandError::user(format!(
                    "{} is not empty: the demo needs a new or empty folder",
                    dir.display()
                ))
                .hint("pass another DIR, or none for a new temporary folder"));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Err(CommandError::user(format!(
                "{} is a file: the demo needs a new or empty folder",
                dir.display()
            )))
        }
        Err(e) => Err(CommandError::user(format!(
            "cannot read {}: {e}",
            dir.display()
        ))),
    }
}
