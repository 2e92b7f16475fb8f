//! Rendering the context through minijinja templates, and comparing documents by section.

use std::collections::BTreeMap;
use std::io::{self, Write};

use minijinja::{AutoEscape, Environment};
use serde::Serialize;

use crate::Error;
use crate::markdown;
use crate::tidy::Tidy;
use crate::view::{Context, DocumentView};

/// Template file names are the document's file name plus this (`INTEGRATION-FINDINGS.md.j2`).
pub const TEMPLATE_SUFFIX: &str = ".md.j2";

/// The built-in templates. A document without a template of its own uses `_document.md.j2`.
const BUILTIN: [(&str, &str); 5] = [
    ("_macros.md.j2", include_str!("../templates/_macros.md.j2")),
    (
        "_section.md.j2",
        include_str!("../templates/_section.md.j2"),
    ),
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
    problems: &'a crate::view::ProblemList,
    checklist: &'a [crate::tasks::TaskView],
    documents: Vec<DocumentRef<'a>>,
    document: &'a DocumentView,
}

#[derive(Clone, Serialize)]
struct DocumentRef<'a> {
    name: &'a str,
    file: &'a str,
    title: &'a str,
}

/// Where [`render_to`] writes the documents, each as it is rendered (tidied on the way): a
/// document of hundreds of MB need never be held whole.
pub trait DocumentSink {
    /// What one document is written to (documents render side by side, one thread each).
    type Writer: Write + Send;
    /// Opens the document `file` (`INTEGRATION-FINDINGS.md`).
    fn open(&mut self, file: &str) -> io::Result<Self::Writer>;
    /// Takes back the document `file`, rendered whole into `writer` and flushed.
    fn close(&mut self, file: &str, writer: Self::Writer) -> io::Result<()>;
}

/// Renders every document of `context` into memory. `templates` (name → source) replace
/// built-in templates of the same name or add new ones; they may import `_macros.md.j2`.
pub fn render(context: &Context, templates: &BTreeMap<String, String>) -> Result<Rendered, Error> {
    let mut kept = InMemory::default();
    let charts = render_to(context, templates, &mut kept)?;
    Ok(Rendered {
        documents: kept.documents,
        charts,
    })
}

/// Keeps the documents rendered, in order.
#[derive(Default)]
struct InMemory {
    documents: Vec<Document>,
}

impl DocumentSink for InMemory {
    type Writer = Vec<u8>;

    fn open(&mut self, _file: &str) -> io::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    fn close(&mut self, file: &str, bytes: Vec<u8>) -> io::Result<()> {
        // Templates write text, and the tidying cuts at newlines only.
        let text = String::from_utf8(bytes).map_err(io::Error::other)?;
        self.documents.push(Document {
            file: file.to_owned(),
            text,
        });
        Ok(())
    }
}

/// Renders every document of `context` into `sink`, in configuration order, and returns the
/// charts they link (SVG in memory: a chart is small). `templates` as for [`render`].
pub fn render_to(
    context: &Context,
    templates: &BTreeMap<String, String>,
    sink: &mut impl DocumentSink,
) -> Result<Vec<Chart>, Error> {
    let env = environment(templates)?;
    let documents = context
        .documents
        .iter()
        .map(|d| DocumentRef {
            name: &d.name,
            file: &d.file,
            title: &d.title,
        })
        .collect::<Vec<_>>();
    // Every document's template is found and its file opened first; then the documents
    // render side by side, one thread each (the findings and the decisions take about
    // four and one parts of the time at 100,000 entries); each file goes back to the sink
    // in order, and only if every document rendered.
    let mut jobs = Vec::with_capacity(context.documents.len());
    for document in &context.documents {
        let own = format!("{}{TEMPLATE_SUFFIX}", document.name);
        let name = if env.get_template(&own).is_ok() {
            own
        } else {
            "_document.md.j2".to_owned()
        };
        let template = env.get_template(&name).map_err(|e| failed(&name, &e))?;
        let writer = sink
            .open(&document.file)
            .map_err(|e| write_failed(document, &e))?;
        jobs.push((document, name, template, writer));
    }
    let rendered: Vec<Result<_, Error>> = std::thread::scope(|scope| {
        let threads: Vec<_> = jobs
            .into_iter()
            .map(|(document, name, template, writer)| {
                let documents = documents.clone();
                scope.spawn(move || {
                    let own = DocumentContext {
                        date: &context.date,
                        story: &context.story,
                        entries: context.entries,
                        superseded: context.superseded,
                        confidence: &context.confidence,
                        unfiled: &context.unfiled,
                        problems: &context.problems,
                        checklist: &context.checklist,
                        documents,
                        document,
                    };
                    render_one(&template, &name, &own, writer).map(|w| (document, w))
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut finished = Vec::with_capacity(rendered.len());
    for result in rendered {
        finished.push(result?);
    }
    for (document, writer) in finished {
        sink.close(&document.file, writer)
            .map_err(|e| write_failed(document, &e))?;
    }
    charts(context)
}

/// Renders one document with `template` (named `name`) into `writer`, tidied; returns the
/// writer, flushed.
fn render_one<W: Write>(
    template: &minijinja::Template<'_, '_>,
    name: &str,
    context: &DocumentContext<'_>,
    writer: W,
) -> Result<W, Error> {
    let mut tidy = Tidy::new(writer);
    match template.render_captured_to(minijinja::value::Serde(context), &mut tidy) {
        Ok(_) => {}
        Err(e) if e.kind() == minijinja::ErrorKind::WriteFailure => {
            return Err(Error::Write {
                file: context.document.file.clone(),
                message: std::error::Error::source(&e)
                    .map_or_else(|| describe(&e), ToString::to_string),
            });
        }
        Err(e) => return Err(failed(name, &e)),
    }
    tidy.finish()
        .map_err(|e| write_failed(context.document, &e))
}

/// The charts of `context`, one per metric with points.
fn charts(context: &Context) -> Result<Vec<Chart>, Error> {
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
    Ok(charts)
}

fn write_failed(document: &DocumentView, e: &io::Error) -> Error {
    Error::Write {
        file: document.file.clone(),
        message: e.to_string(),
    }
}

fn failed(name: &str, e: &minijinja::Error) -> Error {
    Error::Template {
        name: name.to_owned(),
        message: describe(e),
    }
}

/// The environment with the built-in templates and the journal's own.
fn environment(templates: &BTreeMap<String, String>) -> Result<Environment<'_>, Error> {
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
        env.add_template(name, source)
            .map_err(|e| failed(name, &e))?;
    }
    Ok(env)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CompileConfig, Input, SourceEntry, build_context};

    fn entry(id: &str, title: &str) -> journal_entry::Entry {
        let date = chrono::DateTime::parse_from_rfc3339("2026-10-08T11:15:00+02:00").unwrap();
        journal_entry::Entry::new(id, date, title)
    }

    /// The input of one entry, filed under 2026/10.
    fn input_of(entry: journal_entry::Entry) -> Input {
        let path = format!("journal/2026/10/{}.md", entry.id);
        Input {
            entries: vec![SourceEntry {
                entry: entry.into(),
                path: path.into(),
            }],
            ..Input::default()
        }
    }

    /// `template` as the journal's own template of every document of `context`.
    fn for_every_document(context: &Context, template: &str) -> BTreeMap<String, String> {
        (context.documents.iter())
            .map(|d| (format!("{}{TEMPLATE_SUFFIX}", d.name), template.to_owned()))
            .collect()
    }

    #[test]
    fn a_template_calling_the_section_macro_renders_what_the_built_in_loop_renders() {
        let mut entry = entry("luks-over-ssh", "LUKS over ssh");
        entry.provider = vec!["hetzner".to_owned()];
        entry.pattern = vec!["luks".to_owned()];
        entry.kind = Some("hard".to_owned());
        entry.body = "It took *three* tries.\n".to_owned();
        let context = build_context(&input_of(entry), &CompileConfig::default());
        let built_in = render(&context, &BTreeMap::new()).unwrap();
        // The built-in documents include _section.md.j2 in their loop; a custom template
        // written against the macro gets the same sections.
        let by_macro = "{% import \"_macros.md.j2\" as m %}\n{{ m.header(document) }}\n\
                        {% for s in document.sections %}\n{{ m.section(s) }}\n{% endfor %}\n\
                        {{ m.appendices(document) }}\n";
        let custom = render(&context, &for_every_document(&context, by_macro)).unwrap();
        assert_eq!(custom, built_in);
        assert!(
            built_in.documents[0]
                .text
                .contains("It took *three* tries.")
        );
    }

    #[test]
    fn templates_read_the_problems_as_a_list() {
        let input = Input {
            patterns: vec!["luks".to_owned()],
            ..input_of(entry("a-note", "A note no section takes"))
        };
        let context = build_context(&input, &CompileConfig::default());
        assert!(context.problems.len() > 1, "{:?}", context.problems);
        let template = "{% for p in problems %}{{ p.severity }} {{ p.kind }}: {{ p.message }}\n\
                        {% endfor %}{{ problems|length }} {{ problems[0].message }}\n";
        let rendered = render(&context, &for_every_document(&context, template)).unwrap();
        let mut expected = String::new();
        for p in context.problems.iter() {
            let json = serde_json::to_value(p).unwrap();
            expected.push_str(&format!(
                "{} {}: {}\n",
                json["severity"].as_str().unwrap(),
                json["kind"].as_str().unwrap(),
                p.message
            ));
        }
        expected.push_str(&format!(
            "{} {}\n",
            context.problems.len(),
            context.problems[0].message
        ));
        assert_eq!(rendered.documents[0].text, expected);
    }
}
