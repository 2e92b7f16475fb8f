//! The resources: the compiled documents and their metric charts, rendered on each read from
//! the entries as they are (nothing is written), so an agent reads the findings as they
//! stand; and each entry file, through a template.

use journal_lib::{CompileOptions, Filters, chart_file};
use rmcp::model::{
    ErrorData, ListResourceTemplatesResult, ListResourcesResult, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate,
};

use crate::server::JournalServer;

/// The address of a document: `journal://documents/<file>`.
const PREFIX: &str = "journal://documents/";
/// The address of an entry: `journal://entries/<id>`.
const ENTRIES: &str = "journal://entries/";

/// The type of a document's file.
const MARKDOWN: &str = "text/markdown";
/// The type of a chart's file.
const SVG: &str = "image/svg+xml";

/// The templates: an entry file by id, a metric's chart by name.
pub(crate) fn templates() -> ListResourceTemplatesResult {
    ListResourceTemplatesResult::with_all_items(vec![
        ResourceTemplate::new(format!("{ENTRIES}{{id}}"), "entry")
            .with_title("An entry file")
            .with_description(
                "the entry's Markdown file as it is on disk; `id` may be a unique prefix",
            )
            .with_mime_type(MARKDOWN),
        ResourceTemplate::new(format!("{PREFIX}charts/{{metric}}.svg"), "chart")
            .with_title("A metric's chart")
            .with_description("the chart the documents link, compiled on each read")
            .with_mime_type(SVG),
    ])
}

/// Lists the documents journal.toml's outlines name.
pub(crate) async fn list(server: &JournalServer) -> Result<ListResourcesResult, ErrorData> {
    let documents = server
        .with_journal(|journal, _| {
            let mut listed: Vec<(String, String, &str)> = journal
                .config()
                .compile
                .effective_documents()
                .into_iter()
                .map(|d| (format!("{}.md", d.name), d.title, MARKDOWN))
                .collect();
            // The charts the documents link: one per metric measured.
            let mut metrics: Vec<String> = journal
                .metrics(&Filters::default(), None)?
                .rows
                .into_iter()
                .map(|row| row.metric)
                .collect();
            metrics.dedup();
            listed.extend(
                metrics
                    .into_iter()
                    .map(|m| (chart_file(&m), format!("Chart of {m}"), SVG)),
            );
            Ok(listed)
        })
        .await
        .map_err(|e| ErrorData::internal_error(e, None))?;
    let resources = documents
        .into_iter()
        .map(|(file, title, mime)| {
            Resource::new(format!("{PREFIX}{file}"), file)
                .with_title(title)
                .with_description(
                    "compiled from the current entries on each read (nothing is written)",
                )
                .with_mime_type(mime)
        })
        .collect();
    Ok(ListResourcesResult::with_all_items(resources))
}

/// Renders one document.
pub(crate) async fn read(
    server: &JournalServer,
    uri: &str,
) -> Result<ReadResourceResult, ErrorData> {
    if let Some(id) = uri.strip_prefix(ENTRIES).map(str::to_owned) {
        let text = server
            .with_journal(move |journal, _| {
                let file = journal.find(&id)?;
                journal.read_text(&file)
            })
            .await
            .map_err(|e| ErrorData::resource_not_found(e, None))?;
        return Ok(ReadResourceResult::new(vec![
            ResourceContents::text(text, uri).with_mime_type(MARKDOWN),
        ]));
    }
    let Some(file) = uri.strip_prefix(PREFIX).map(str::to_owned) else {
        return Err(ErrorData::resource_not_found(
            format!(
                "no resource `{uri}`: the documents are {PREFIX}<file>, the entries {ENTRIES}<id>"
            ),
            None,
        ));
    };
    let rendered = server
        .with_journal(move |journal, now| {
            let compiled = journal.compile(&CompileOptions {
                date: Some(now.format("%Y-%m-%d").to_string()),
                ..CompileOptions::default()
            })?;
            let names: Vec<String> = (compiled.documents.iter().map(|d| d.file.clone()))
                .chain(compiled.charts.iter().map(|c| c.file.clone()))
                .collect();
            let document = (compiled.documents.into_iter())
                .find(|d| d.file == file)
                .map(|d| (d.text, MARKDOWN));
            let chart = || {
                (compiled.charts.into_iter())
                    .find(|c| c.file == file)
                    .map(|c| (c.svg, SVG))
            };
            Ok(document.or_else(chart).ok_or(names))
        })
        .await
        .map_err(|e| ErrorData::internal_error(e, None))?;
    match rendered {
        Ok((text, mime)) => Ok(ReadResourceResult::new(vec![
            ResourceContents::text(text, uri).with_mime_type(mime),
        ])),
        Err(names) => Err(ErrorData::resource_not_found(
            format!(
                "no document `{uri}`: the documents are {}",
                names
                    .iter()
                    .map(|n| format!("{PREFIX}{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
        )),
    }
}
