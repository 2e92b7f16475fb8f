//! One file per command: its clap `XArgs` and its `cmd_x`.

mod add;
mod assess;
mod check;
mod compile;
mod completions;
mod coverage;
mod demo;
mod doctor;
mod edit;
mod export;
mod fields;
mod import;
mod init;
mod list;
mod man;
mod mcp;
mod metrics;
mod record;
mod reindex;
mod review;
mod rm;
mod run;
mod search;
mod serve;
mod show;
mod site;
mod status;
mod sync;
mod tags;
mod watch;

use clap::Subcommand;

use crate::cli::Cli;
use crate::error::CommandError;
use crate::ui::Ui;

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::InitArgs),
    Add(add::AddArgs),
    Assess(assess::AssessArgs),
    Run(run::RunArgs),
    Show(show::ShowArgs),
    List(list::ListArgs),
    Edit(edit::EditArgs),
    Rm(rm::RmArgs),
    Review(review::ReviewArgs),
    Search(search::SearchArgs),
    Reindex(reindex::ReindexArgs),
    Tags(tags::TagsArgs),
    Metrics(metrics::MetricsArgs),
    Check(check::CheckArgs),
    Compile(compile::CompileArgs),
    Coverage(coverage::CoverageArgs),
    Export(export::ExportArgs),
    Import(import::ImportArgs),
    Demo(demo::DemoArgs),
    Watch(watch::WatchArgs),
    Mcp(mcp::McpArgs),
    Serve(serve::ServeArgs),
    Site(site::SiteArgs),
    Status(status::StatusArgs),
    Doctor(doctor::DoctorArgs),
    Sync(sync::SyncArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
}

/// Runs the command the arguments name.
pub fn run(cli: Cli, ui: &mut Ui) -> Result<(), CommandError> {
    let journal = cli.journal.as_deref();
    match cli.command {
        Command::Init(args) => init::cmd_init(ui, journal, &args),
        Command::Add(args) => add::cmd_add(ui, journal, args),
        Command::Assess(args) => assess::cmd_assess(ui, journal, args),
        Command::Run(args) => run::cmd_run(ui, journal, args),
        Command::Show(args) => show::cmd_show(ui, journal, &args),
        Command::List(args) => list::cmd_list(ui, journal, &args),
        Command::Edit(args) => edit::cmd_edit(ui, journal, &args),
        Command::Rm(args) => rm::cmd_rm(ui, journal, &args),
        Command::Review(args) => review::cmd_review(ui, journal, &args),
        Command::Search(args) => search::cmd_search(ui, journal, &args),
        Command::Reindex(args) => reindex::cmd_reindex(ui, journal, &args),
        Command::Tags(args) => tags::cmd_tags(ui, journal, &args),
        Command::Metrics(args) => metrics::cmd_metrics(ui, journal, &args),
        Command::Check(args) => check::cmd_check(ui, journal, &args),
        Command::Compile(args) => compile::cmd_compile(ui, journal, &args),
        Command::Coverage(args) => coverage::cmd_coverage(ui, journal, &args),
        Command::Export(args) => export::cmd_export(ui, journal, &args),
        Command::Import(args) => import::cmd_import(ui, journal, &args),
        Command::Demo(args) => demo::cmd_demo(ui, &args),
        Command::Watch(args) => watch::cmd_watch(ui, journal, &args),
        Command::Mcp(args) => mcp::cmd_mcp(ui, journal, &args),
        Command::Serve(args) => serve::cmd_serve(ui, journal, &args),
        Command::Site(args) => site::cmd_site(ui, journal, &args),
        Command::Status(args) => status::cmd_status(ui, journal, &args),
        Command::Doctor(args) => doctor::cmd_doctor(ui, journal, &args),
        Command::Sync(args) => sync::cmd_sync(ui, journal, &args),
        Command::Completions(args) => completions::cmd_completions(ui, &args),
        Command::Man(args) => man::cmd_man(ui, &args),
    }
}
