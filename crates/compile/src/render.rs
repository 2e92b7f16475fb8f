//! Rendering the context through minijinja templates, and comparing documents by section.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment};
use serde::Serialize;

use crate::Error;
use crate::markdown;
use crate::view::{Context, DocumentView};

/// Template file names are the document's file name plus this (`INTEGRATION-FINDINGS.md.j2`).
pub const TEMPLATE_SUFFIX: &str = ".md.j2";

/// The built-in templates. A document without a template of its own uses `_document.md.j2`.
const BUILTIN: [(&str, &str); 4] = [
    ("_macros.md.j2", include_str!("../templates/_macros.md.j2")),
    (
        "_document.md.j2",
        include_str!("../templates/_document.md.j2"),
    ),
    (
        "INTEGRATION-FINDINGS.md.j2",
        include_str!("../templates/INTEGRATION-FINDINGS.md.j2"),
    ),
    (
        "ARCHITECTURAL-DECISIONS.md.j2",
        include_str!("../templates/ARCHITECTURAL-DECISIONS.md.j2"),
    ),
];

/// A rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// File name (`INTEGRATION-FINDINGS.md`).
    pub file: String,
    /// Its Markdown.
    pub text: String,
}

/// A rendered chart of one metric, which the documents link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// The metric charted.
    pub metric: String,
    /// Path relative to the documents (`charts/unlock_s.svg`).
    pub file: String,
    /// Its SVG.
    pub svg: String,
}

/// What [`render`] makes: the Markdown documents and the SVG charts they link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The documents, in configuration order.
    pub documents: Vec<Document>,
    /// One chart per metric with points, by metric.
    pub charts: Vec<Chart>,
}

/// What one document's template receives: the context, with `documents` reduced to names and
/// titles (each document's own content is `document`; serialising every document's entries
/// for every template was most of a 10,000-entry compile).
#[derive(Serialize)]
struct DocumentContext<'a> {
    date: &'a Option<String>,
    story: &'a Option<String>,
    entries: usize,
    superseded: usize,
    confidence: &'a [crate::view::ConfidenceRow],
    unfiled: &'a [crate::view::SharedEntry],
    problems: &'a [crate::view::CompileProblem],
    checklist: &'a [crate::tasks::TaskView],
    documents: Vec<DocumentRef<'a>>,
    document: &'a DocumentView,
}

#[derive(Serialize)]
struct DocumentRef<'a> {
    name: &'a str,
    file: &'a str,
    title: &'a str,
}

/// Renders every document of `context`. `templates` (name → source) replace built-in templates
/// of the same name or add new ones; they may import `_macros.md.j2`.
pub fn render(context: &Context, templates: &BTreeMap<String, String>) -> Result<Rendered, Error> {
    let failed = |name: &str, e: &minijinja::Error| Error::Template {
        name: name.to_owned(),
        message: describe(e),
    };
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| failed("syntax", &e))?;
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.add_filter("md", |text: String| markdown::inline(&text));
    for (name, source) in BUILTIN {
        env.add_template(name, source)
            .map_err(|e| failed(name, &e))?;
    }
    for (name, source) in templates {
        env.add_template_owned(name.clone(), source.clone())
            .map_err(|e| failed(name, &e))?;
    }
    let mut documents = Vec::with_capacity(context.documents.len());
    for document in &context.documents {
        let own = format!("{}{TEMPLATE_SUFFIX}", document.name);
        let name = if env.get_template(&own).is_ok() {
            own
        } else {
            "_document.md.j2".to_owned()
        };
        let template = env.get_template(&name).map_err(|e| failed(&name, &e))?;
        let text = template
            .render(minijinja::value::Serde(DocumentContext {
                date: &context.date,
                story: &context.story,
                entries: context.entries,
                superseded: context.superseded,
                confidence: &context.confidence,
                unfiled: &context.unfiled,
                problems: &context.problems,
                checklist: &context.checklist,
                documents: context
                    .documents
                    .iter()
                    .map(|d| DocumentRef {
                        name: &d.name,
                        file: &d.file,
                        title: &d.title,
                    })
                    .collect(),
                document,
            }))
            .map_err(|e| failed(&name, &e))?;
        documents.push(Document {
            file: document.file.clone(),
            text: markdown::tidy(text),
        });
    }
    let mut charts = Vec::with_capacity(context.charts.len());
    for series in &context.charts {
        let file = crate::charts::chart_file(&series.metric);
        let svg = crate::charts::metric_svg(series, None).map_err(|message| Error::Template {
            name: file.clone(),
            message,
        })?;
        charts.push(Chart {
            metric: series.metric.clone(),
            file,
            svg,
        });
    }
    Ok(Rendered { documents, charts })
}

fn describe(e: &minijinja::Error) -> String {
    let mut text = match e.line() {
        Some(line) => format!("line {line}: {}", e.kind()),
        None => e.kind().to_string(),
    };
    if let Some(detail) = e.detail() {
        text.push_str(": ");
        text.push_str(detail);
    }
    text
}

/// Compares two versions of a document section by section (its `## ` headings) and returns
/// what changed: `changed: X`, `added: X`, `removed: X`.
pub fn changed_sections(old: &str, new: &str) -> Vec<String> {
    let old = markdown::sections(old);
    let new = markdown::sections(new);
    let mut out = Vec::new();
    for (heading, text) in &new {
        match old.iter().find(|(h, _)| h == heading) {
            Some((_, before)) if before == text => {}
            Some(_) => out.push(format!("changed: {heading}")),
            None => out.push(format!("added: {heading}")),
        }
    }
    for (heading, _) in &old {
        if !new.iter().any(|(h, _)| h == heading) {
            out.push(format!("removed: {heading}"));
        }
    }
    if out.is_empty() && old != new {
        out.push("changed: section order".to_owned());
    }
    out
}
