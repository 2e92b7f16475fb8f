//! The resources: the compiled documents, rendered on each read from the entries as they
//! are (nothing is written), so an agent reads the findings as they stand.

use journal_lib::CompileOptions;
use rmcp::model::{ErrorData, ListResourcesResult, ReadResourceResult, Resource, ResourceContents};

use crate::server::JournalServer;

/// The address of a document: `journal://documents/<file>`.
const PREFIX: &str = "journal://documents/";

/// Lists the documents journal.toml's outlines name.
pub(crate) async fn list(server: &JournalServer) -> Result<ListResourcesResult, ErrorData> {
    let documents = server
        .with_journal(|journal, _| {
            Ok(journal
                .config()
                .compile
                .effective_documents()
                .into_iter()
                .map(|d| (format!("{}.md", d.name), d.title))
                .collect::<Vec<_>>())
        })
        .await
        .map_err(|e| ErrorData::internal_error(e, None))?;
    let resources = documents
        .into_iter()
        .map(|(file, title)| {
            Resource::new(format!("{PREFIX}{file}"), file)
                .with_title(title)
                .with_description(
                    "compiled from the current entries on each read (nothing is written)",
                )
                .with_mime_type("text/markdown")
        })
        .collect();
    Ok(ListResourcesResult::with_all_items(resources))
}

/// Renders one document.
pub(crate) async fn read(
    server: &JournalServer,
    uri: &str,
) -> Result<ReadResourceResult, ErrorData> {
    let Some(file) = uri.strip_prefix(PREFIX).map(str::to_owned) else {
        return Err(ErrorData::resource_not_found(
            format!("no resource `{uri}`: the documents are {PREFIX}<file>"),
            None,
        ));
    };
    let rendered = server
        .with_journal(move |journal, now| {
            let compiled = journal.compile(&CompileOptions {
                date: Some(now.format("%Y-%m-%d").to_string()),
                ..CompileOptions::default()
            })?;
            let names: Vec<String> = compiled.documents.iter().map(|d| d.file.clone()).collect();
            Ok(compiled
                .documents
                .into_iter()
                .find(|d| d.file == file)
                .map(|d| d.text)
                .ok_or(names))
        })
        .await
        .map_err(|e| ErrorData::internal_error(e, None))?;
    match rendered {
        Ok(text) => Ok(ReadResourceResult::new(vec![
            ResourceContents::text(text, uri).with_mime_type("text/markdown"),
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
