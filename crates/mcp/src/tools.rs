//! The eight tools: each one library call, its report returned as structured content (the
//! objects of the CLI's `--json`). A refusal is an `isError` result whose text names the
//! field, the value and the allowed values or a "did you mean".

use chrono::{DateTime, FixedOffset};
use journal_lib::when::{Bound, parse_when};
use journal_lib::{
    AddReport, Advised, CoverageReport, EntryFields, EntryRecord, EntryText, Error, FilterText,
    Filters, HitRecord, Journal, SearchOptions, ShowReport, Sort, confidence_field, parse_scope,
};
use rmcp::handler::server::wrapper::{Json, Parameters};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, tool, tool_router};

use crate::args::{
    AddArgs, AssessArgs, CoverageArgs, FilterArgs, ListArgs, NoArgs, ReviewArgs, SearchArgs,
    ShowArgs,
};
use crate::results::{Added, Found, Listed, Reviewed, SIMILAR, Vocabulary};
use crate::server::JournalServer;

#[tool_router(router = tool_router, vis = "pub(crate)")]
impl JournalServer {
    /// Returns the router of the eight tools, their schemas in standard JSON Schema (see
    /// [`crate::schema::standard`]).
    pub(crate) fn tools() -> rmcp::handler::server::router::tool::ToolRouter<Self> {
        let mut router = Self::tool_router();
        for route in router.map.values_mut() {
            let tool = &mut route.attr;
            tool.input_schema = std::sync::Arc::new(crate::schema::standard(&tool.input_schema));
            if let Some(output) = &tool.output_schema {
                tool.output_schema = Some(std::sync::Arc::new(crate::schema::standard(output)));
            }
        }
        router
    }

    #[tool(
        name = "journal_add",
        description = "Record an observation (a finding, what was easy, hard or surprising, a \
            decision and why, a measurement) as a Markdown entry committed to the journal's git \
            repository. Returns its id, file, date, the commit that recorded it, and `similar`: \
            existing entries that look like the same observation.",
        annotations(
            title = "Record an observation",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn journal_add(
        &self,
        Parameters(args): Parameters<AddArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<Json<Added>, String> {
        let agent = agent(&context);
        let host = self.options.host.clone();
        let cancel = context.ct.clone();
        let added = self
            .with_journal(move |journal, now| {
                // A call the client cancels while it waits for the write lock writes nothing.
                journal.on_cancel(move || cancel.is_cancelled());
                let added = add(journal, args, agent, host, now);
                if added.as_ref().is_err_and(Error::is_cancelled) {
                    tracing::info!("journal_add cancelled before writing: nothing was written");
                }
                added
            })
            .await;
        // Cancelled once the write had begun: the entry is recorded, but rmcp sends no result
        // for a cancelled call, so a log message says it was written, and where.
        if let Ok(added) = &added
            && context.ct.is_cancelled()
        {
            crate::notice::recorded_after_cancel(&context, &self.log_level, &added.added).await;
        }
        added.map(Json)
    }

    #[tool(
        name = "journal_assess",
        description = "Record an assessment: the confidence level of one pattern (for one \
            provider, or all without their own), with its rationale and evidence. The newest \
            assessment of a pattern × provider is what the compiled confidence table states, \
            checked against the observations; `journal_coverage` lists the patterns not \
            assessed. Returns the entry's id, file, date and commit.",
        annotations(
            title = "Assess a pattern",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn journal_assess(
        &self,
        Parameters(args): Parameters<AssessArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<Json<AddReport>, String> {
        let agent = agent(&context);
        let host = self.options.host.clone();
        self.with_journal(move |journal, now| {
            crate::assess::assess(journal, args, agent, host, now)
        })
        .await
        .map(Json)
    }

    #[tool(
        name = "journal_search",
        description = "Search the journal: ranked full-text search with filters, highlighted \
            snippets; scope \"commits\" or \"all\" searches the evidence commits too. Returns \
            {hits, total}: the objects of `journal search --json`.",
        annotations(
            title = "Search the journal",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    async fn journal_search(
        &self,
        Parameters(args): Parameters<SearchArgs>,
    ) -> Result<Json<Found>, String> {
        self.with_journal(move |journal, now| {
            let scope = parse_scope(args.scope.as_deref())?;
            let limit = crate::page::limit(args.limit)?;
            let offset = crate::page::offset(args.cursor.as_deref())?;
            let options = SearchOptions {
                text: args.query.unwrap_or_default(),
                filters: filters(&args.filters, now)?,
                limit: offset + limit,
                sort: Sort::Score,
                scope,
                fuzzy: args.fuzzy,
            };
            let report = journal.search(&options)?;
            let page: Vec<HitRecord> = report.hits.into_iter().skip(offset).collect();
            let (hits, _) = crate::page::within_budget(page);
            let next_cursor = (offset + hits.len() < report.total)
                .then(|| crate::page::cursor(offset, hits.len()));
            Ok(Found {
                hits,
                total: report.total,
                next_cursor,
                did_you_mean: report.did_you_mean,
                skipped: report.skipped,
                warnings: report.warnings,
            })
        })
        .await
        .map(Json)
    }

    #[tool(
        name = "journal_show",
        description = "Show one entry, body included: the object of `journal show --json`. The \
            id may be any unique prefix.",
        annotations(
            title = "Show an entry",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    async fn journal_show(
        &self,
        Parameters(args): Parameters<ShowArgs>,
    ) -> Result<Json<ShowReport>, String> {
        self.with_journal(move |journal, _| journal.show(&args.id))
            .await
            .map(Json)
    }

    #[tool(
        name = "journal_list",
        description = "List entries, newest first, with the same filters as journal_search: \
            the objects of `journal list --json`.",
        annotations(title = "List entries", read_only_hint = true, open_world_hint = false)
    )]
    async fn journal_list(
        &self,
        Parameters(args): Parameters<ListArgs>,
    ) -> Result<Json<Listed>, String> {
        self.with_journal(move |journal, now| {
            let limit = crate::page::limit(args.limit)?;
            let offset = crate::page::offset(args.cursor.as_deref())?;
            // One more than asked: whether another page exists.
            let selection =
                journal.select_from(&filters(&args.filters, now)?, offset, Some(limit + 1))?;
            let more = selection.entries.len() > limit;
            let records: Vec<EntryRecord> = selection
                .entries
                .iter()
                .take(limit)
                .map(|(entry, path)| EntryRecord::new(entry, path))
                .collect();
            let (entries, cut) = crate::page::within_budget(records);
            let next_cursor = (more || cut).then(|| crate::page::cursor(offset, entries.len()));
            Ok(Listed {
                entries,
                next_cursor,
                skipped: selection.skipped,
                warnings: selection.warnings,
            })
        })
        .await
        .map(Json)
    }

    #[tool(
        name = "journal_vocabulary",
        description = "The values an entry's fields may take (journal.toml's providers, \
            patterns, kinds; the confidence levels) and how many entries carry each.",
        annotations(
            title = "The vocabulary",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    async fn journal_vocabulary(
        &self,
        Parameters(NoArgs {}): Parameters<NoArgs>,
    ) -> Result<Json<Vocabulary>, String> {
        self.with_journal(|journal, _| journal.vocabulary())
            .await
            .map(|report| Json(Vocabulary::bounded(report)))
    }

    #[tool(
        name = "journal_review",
        description = "What changed in the journal since the operator's last review: entries \
            added, edited and removed in the commits since, the assessments among them, the \
            entries they supersede. With `mark: true` (only when the operator asks), marks \
            \"reviewed up to here\" for the operator's git user, in git.",
        annotations(
            title = "Changes since the last review",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    async fn journal_review(
        &self,
        Parameters(args): Parameters<ReviewArgs>,
    ) -> Result<Json<Reviewed>, String> {
        self.with_journal(move |journal, _| {
            if args.mark {
                let marked = journal.mark_review()?;
                Ok(Reviewed {
                    since: marked.covered,
                    marked: Some(marked.commit),
                })
            } else {
                Ok(Reviewed {
                    since: journal.since_review()?,
                    marked: None,
                })
            }
        })
        .await
        .map(Json)
    }

    #[tool(
        name = "journal_coverage",
        description = "What `journal compile --strict` would refuse or warn about, with \
            nothing written: confidence claims the evidence does not support (with the reason), \
            evidence commits missing or not pushed, required sections without observations, \
            entries no section picks up.",
        annotations(
            title = "What the documents lack",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    async fn journal_coverage(
        &self,
        Parameters(args): Parameters<CoverageArgs>,
    ) -> Result<Json<CoverageReport>, String> {
        self.with_journal(move |journal, _| {
            let limit = crate::page::limit(args.limit)?;
            journal.coverage(args.story, limit)
        })
        .await
        .map(Json)
    }
}

/// Records the entry: the fields checked, the similar entries found (before the new one
/// exists, so it is not among them), then the file written and committed.
fn add(
    journal: &Journal,
    args: AddArgs,
    agent: Option<String>,
    host: Option<String>,
    now: DateTime<FixedOffset>,
) -> Result<Added, Error> {
    let date = match &args.at {
        Some(at) => {
            parse_when(at, now, Bound::At).map_err(|e| Error::refused(format!("at `{at}`: {e}")))?
        }
        None => now,
    };
    let confidence = args
        .confidence
        .as_deref()
        .map(confidence_field)
        .transpose()?;
    let fields = EntryFields {
        provider: args.provider,
        pattern: args.pattern,
        confidence,
        kind: args.kind,
        story: args.story,
        tags: args.tags.into_iter().collect(),
        metrics: args.metrics.into_iter().collect(),
        commits: args.commits,
        supersedes: args.supersedes,
        no_commit: false,
        allow_secret: false,
        agent,
    };
    let draft = journal.prepare(fields)?;
    let text = EntryText::Split {
        title: args.title,
        body: args.body.unwrap_or_default(),
    };
    let Advised { added, similar } = journal.add_advised(draft, text, date, now, host, SIMILAR)?;
    Ok(Added { added, similar })
}

/// Returns the filters, the dates read relative to now.
fn filters(args: &FilterArgs, now: DateTime<FixedOffset>) -> Result<Filters, Error> {
    FilterText {
        provider: args.provider.clone(),
        pattern: args.pattern.clone(),
        kind: args.kind.clone(),
        confidence: args.confidence.clone(),
        story: args.story.clone(),
        agent: args.agent.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        tags: args.tags.iter().map(|(k, v)| format!("{k}={v}")).collect(),
    }
    .parse(now)
}

/// Returns `<clientInfo.name> <version>` of the client making the call: from the request's
/// own metadata (stateless protocol versions), else from the initialize handshake.
fn agent(context: &RequestContext<RoleServer>) -> Option<String> {
    let info = context.meta.client_info().or_else(|| {
        context
            .peer
            .peer_info()
            .map(|params| params.client_info.clone())
    })?;
    let name: String = info.name.split_whitespace().collect::<Vec<_>>().join("-");
    let version = info.version.split_whitespace().next().unwrap_or_default();
    match (name.is_empty(), version.is_empty()) {
        (true, _) => None,
        (false, true) => Some(name),
        (false, false) => Some(format!("{name} {version}")),
    }
}
