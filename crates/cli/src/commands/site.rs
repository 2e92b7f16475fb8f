//! `journal site DIR`: the web page's pages as a static site.

use std::path::{Path, PathBuf};

use clap::Args;
use journal_web::WebOptions;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Write the web page as a static site into DIR: the timeline, every entry, search (in the
/// browser, over a prebuilt index), the documents, metrics and confidence, with relative links
/// so it opens from disk (file://) or any static host. The same journal gives the same files.
///
/// DIR is made if missing; a folder that `journal site` wrote is replaced, any other non-empty
/// folder is refused.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The folder to write.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Print {"dir", "pages", "files"} as JSON.
    #[arg(long)]
    json: bool,
}

pub fn cmd_site(ui: &mut Ui, journal: Option<&Path>, args: &SiteArgs) -> Result<(), CommandError> {
    let options = WebOptions {
        open: context::open_options(journal)?,
        hosts: Vec::new(),
        clock: journal_lib::Clock::new(context::clock()?),
    };
    let dir = std::env::current_dir()?.join(&args.dir);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(journal_web::write_site(options, &dir))?;
    if args.json {
        ui.json(&report)?;
    } else {
        ui.data(&dir.join("index.html").display().to_string())?;
        ui.status(&format!(
            "Wrote {} pages and {} other files into {}.",
            report.pages,
            report.files,
            args.dir.display()
        ));
    }
    Ok(())
}
