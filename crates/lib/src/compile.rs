//! `compile`: the findings and decisions documents, rendered from the good entries with
//! every cited commit verified, then compared with the files on disk or written atomically.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use journal_compile::{
    Chart, Context, Document, Input, RepoStatus, Severity, SourceEntry, TEMPLATE_SUFFIX,
};

use crate::error::{Error, Result};
use crate::journal::{Journal, SkippedFile};

/// What to compile.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Only the entries of this story.
    pub story: Option<String>,
    /// The output folder, absolute; default: `[compile] out` at the repository root, and
    /// for a story its folder in there (`docs/story-1.11/`), so that a story's documents never
    /// replace the full ones.
    pub out: Option<PathBuf>,
    /// The compile date printed in each document's header (no clock is read).
    pub date: Option<String>,
}

/// The documents as they stand: the template context, the rendered texts and where they go.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// What the templates received (`--context`), with the problems found.
    pub context: Context,
    /// The documents rendered (empty for [`Journal::compile_context`]).
    pub documents: Vec<Document>,
    /// The charts the documents link (empty for [`Journal::compile_context`]).
    pub charts: Vec<Chart>,
    /// The output folder, resolved.
    pub out: PathBuf,
    /// Entry files that could not be read, or have an id already seen.
    pub skipped: Vec<SkippedFile>,
}

impl Journal {
    /// Builds the template context: the good entries, their evidence verified.
    pub fn compile_context(&self, options: &CompileOptions) -> Result<Compiled> {
        let (entries, skipped) = self.compile_entries()?;
        self.context_of(options, entries, skipped, journal_compile::build_context)
    }

    /// The checks of [`Journal::compile_context`] (`journal_compile::build_checks`: every
    /// problem and count, no document text), from the entries without their bodies (from
    /// the index, or kept by a server). What coverage needs.
    pub(crate) fn checks_context(&self, options: &CompileOptions) -> Result<Compiled> {
        // (A compile reports no warnings beside its problems: an index that could not be
        // updated answers as last written, as for the confidence table.)
        let (entries, skipped, _warnings) = self.front_sources()?;
        self.context_of(options, entries, skipped, journal_compile::build_checks)
    }

    fn context_of(
        &self,
        options: &CompileOptions,
        entries: Vec<SourceEntry>,
        skipped: Vec<SkippedFile>,
        build: fn(&Input, &journal_compile::CompileConfig) -> journal_compile::Context,
    ) -> Result<Compiled> {
        // A story's documents go to a folder of their own unless told otherwise: they never
        // replace the full documents.
        let story_out = match (&options.out, &options.story) {
            (None, Some(story)) => Some(
                self.store
                    .repo()
                    .workdir()
                    .join(&self.config.compile.out)
                    .join(journal_entry::story_folder(story)),
            ),
            _ => None,
        };
        let (out, link_prefix) = self.output(story_out.as_deref().or(options.out.as_deref()));
        if let Some(story) = &options.story
            && !entries
                .iter()
                .any(|e| e.entry.story.as_ref() == Some(story))
        {
            let mut stories: Vec<&str> = entries
                .iter()
                .filter_map(|e| e.entry.story.as_deref())
                .collect();
            stories.sort_by(|a, b| journal_entry::story_order(a, b));
            stories.dedup();
            let known = if stories.is_empty() {
                "no entry names a story".to_owned()
            } else {
                format!("the stories are {}", stories.join(", "))
            };
            return Err(Error::refused(format!(
                "no entry belongs to story `{story}`: nothing was written"
            ))
            .hint(known));
        }
        let input = Input {
            link_prefix,
            uncommitted: self.uncommitted()?.iter().cloned().collect(),
            story: options.story.clone(),
            date: options.date.clone(),
            ..self.evidence_input(entries)?
        };
        Ok(Compiled {
            context: build(&input, &self.config.compile),
            documents: Vec::new(),
            charts: Vec::new(),
            out,
            skipped,
        })
    }

    /// Returns the output folder (`out`, else `[compile] out`), resolved, and the prefix of
    /// links from there to the files of the working tree.
    pub(crate) fn output(&self, out: Option<&Path>) -> (PathBuf, String) {
        let workdir = self.store.repo().workdir();
        let out =
            resolve(&out.map_or_else(|| workdir.join(&self.config.compile.out), Path::to_owned));
        let prefix = relative(&out, &resolve(workdir));
        (out, prefix)
    }

    /// Builds the context and renders the documents (with the journal's own templates, if
    /// any, in `<entries>/templates/`). Nothing is written.
    pub fn compile(&self, options: &CompileOptions) -> Result<Compiled> {
        let mut compiled = self.compile_context(options)?;
        let templates = self.read_templates()?;
        let rendered = journal_compile::render(&compiled.context, &templates)
            .map_err(|e| self.render_error(e))?;
        compiled.documents = rendered.documents;
        compiled.charts = rendered.charts;
        Ok(compiled)
    }

    /// Renders the documents of `compiled` (a [`Journal::compile_context`]) straight into
    /// their files, and the charts beside them; returns their paths. All or nothing: each
    /// document is written to a temporary file as it is rendered (never held whole: at
    /// 100,000 entries the findings are hundreds of MB) and put into place, atomically, only
    /// once every document has rendered; a template or disk error leaves the old files.
    ///
    /// A compile killed while rendering leaves its temporary files (hundreds of MB at
    /// 100,000 entries): those of these documents and charts left by journal processes no
    /// longer running are removed first, and returned in [`DocumentsWritten::removed`].
    pub fn write_compiled(&self, compiled: &mut Compiled) -> Result<DocumentsWritten> {
        let out = compiled.out.clone();
        std::fs::create_dir_all(&out)
            .map_err(|e| Error::refused(format!("cannot create {}: {e}", out.display())))?;
        let files: Vec<PathBuf> = (compiled.context.documents.iter())
            .map(|d| out.join(&d.file))
            .chain(
                (compiled.context.charts.iter())
                    .map(|c| out.join(journal_compile::chart_file(&c.metric))),
            )
            .collect();
        let removed = self.store.remove_dead_temporaries_of(&files)?;
        let templates = self.read_templates()?;
        let mut files = DocumentFiles {
            out: &out,
            rendered: Vec::new(),
        };
        compiled.charts = journal_compile::render_to(&compiled.context, &templates, &mut files)
            .map_err(|e| self.render_error(e))?;
        let mut written = Vec::with_capacity(files.rendered.len() + compiled.charts.len());
        for file in files.rendered {
            written.push(file.path().to_owned());
            file.commit(journal_store::Durability::Synced)?;
        }
        for chart in &compiled.charts {
            let path = out.join(&chart.file);
            // Charts go into a folder of their own (`charts/`).
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    Error::refused(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            journal_store::write_atomic(&path, chart.svg.as_bytes())?;
            written.push(path);
        }
        Ok(DocumentsWritten {
            files: written,
            removed,
        })
    }

    fn render_error(&self, e: journal_compile::Error) -> Error {
        match e {
            journal_compile::Error::Template { .. } => Error::refused(e.to_string()).hint(format!(
                "templates are read from {}",
                self.store.entries_dir().join("templates").display()
            )),
            journal_compile::Error::Write { .. } => {
                Error::refused(format!("{e}: no document was replaced"))
            }
        }
    }

    /// Reads every entry file; a bad one is skipped, and a second file with an id already
    /// seen too.
    fn compile_entries(&self) -> Result<(Vec<SourceEntry>, Vec<SkippedFile>)> {
        let vocabulary = &self.config.vocabulary;
        // Each file is made a source entry (or a skipped one) on the thread that read it:
        // what compile does not need (key lines, absolute path, hash) goes at once.
        let read = self.store.scan_map(|file| {
            let path = slashed(&file.rel_path);
            let problems = match &file.entry {
                Err(err) => err.problems.clone(),
                Ok(parsed) => vocabulary.problems(parsed),
            };
            match file.entry {
                Ok(parsed) if problems.is_empty() => Ok(SourceEntry {
                    entry: parsed.entry.into(),
                    path: path.into(),
                }),
                _ => Err(SkippedFile { problems, path }),
            }
        })?;
        let mut entries = Vec::with_capacity(read.len());
        let mut skipped = Vec::new();
        let mut seen = HashSet::with_capacity(read.len());
        for file in read {
            match file {
                Ok(source) if seen.insert(source.entry.id.clone()) => entries.push(source),
                Ok(source) => skipped.push(SkippedFile {
                    problems: vec![journal_entry::Problem::of_file(format!(
                        "duplicate id `{}`",
                        source.entry.id
                    ))],
                    path: source.path.to_string(),
                }),
                Err(bad) => skipped.push(bad),
            }
        }
        Ok((entries, skipped))
    }

    /// Asks git about every cited commit and each repository's web address (the entry files
    /// not committed are the caller's to add: only the documents warn about them).
    pub(crate) fn evidence_input(&self, entries: Vec<SourceEntry>) -> Result<Input> {
        let report = self.evidence_found(entries.iter().flat_map(|s| &s.entry.commits))?;
        let evidence = report.commits;
        let repos = report
            .repos
            .into_iter()
            .map(|(label, r)| {
                let configured = match &label {
                    None => self.config.compile.url.clone(),
                    Some(name) => self.config.repos.get(name).and_then(|c| c.url.clone()),
                };
                let status = RepoStatus {
                    url: configured.or(r.remote_url),
                    unavailable: r.unavailable,
                    has_remote: r.has_remote,
                };
                (label, status)
            })
            .collect();
        Ok(Input {
            entries,
            evidence,
            repos,
            patterns: self.config.vocabulary.patterns.clone(),
            tasks: self.config.story.tasks.clone(),
            ..Input::default()
        })
    }

    /// Reads `<entries>/templates/*.md.j2` (and `_*.md.j2` partials): they replace the
    /// built-in templates of the same name.
    fn read_templates(&self) -> Result<BTreeMap<String, String>> {
        let dir = self.store.entries_dir().join("templates");
        let mut templates = BTreeMap::new();
        let Ok(listing) = std::fs::read_dir(&dir) else {
            return Ok(templates);
        };
        for item in listing.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            if !name.ends_with(TEMPLATE_SUFFIX) {
                continue;
            }
            let text = std::fs::read_to_string(item.path()).map_err(|e| {
                Error::refused(format!("cannot read {}: {e}", item.path().display()))
            })?;
            templates.insert(name, text);
        }
        Ok(templates)
    }
}

impl Compiled {
    /// Returns how many problems stop the documents: errors, and warnings (skipped files
    /// among them) when `strict`.
    pub fn fatal(&self, strict: bool) -> usize {
        let errors = self
            .context
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        let warnings = self.context.problems.len() - errors + self.skipped.len();
        errors + if strict { warnings } else { 0 }
    }

    /// Compares the documents with the files on disk: each stale document as its path and
    /// what changed (`section "…" changed`, `missing`).
    pub fn stale(&self) -> Vec<(PathBuf, String)> {
        let mut stale = Vec::new();
        for document in &self.documents {
            let path = self.out.join(&document.file);
            match std::fs::read_to_string(&path) {
                Ok(text) if text == document.text => {}
                Ok(text) => {
                    for change in journal_compile::changed_sections(&text, &document.text) {
                        stale.push((path.clone(), change));
                    }
                }
                Err(_) => stale.push((path, "missing".to_owned())),
            }
        }
        for chart in &self.charts {
            let path = self.out.join(&chart.file);
            match std::fs::read_to_string(&path) {
                Ok(svg) if svg == chart.svg => {}
                Ok(_) => stale.push((path, format!("chart of `{}` changed", chart.metric))),
                Err(_) => stale.push((path, "missing".to_owned())),
            }
        }
        stale
    }
}

/// What [`Journal::write_compiled`] wrote.
#[derive(Debug, Clone)]
pub struct DocumentsWritten {
    /// The documents, then the charts.
    pub files: Vec<PathBuf>,
    /// Temporary files of compiles that died while writing, removed first.
    pub removed: Vec<journal_store::Repair>,
}

/// Where [`Journal::write_compiled`] renders the documents: a temporary file each, put
/// into place once all are rendered.
struct DocumentFiles<'a> {
    out: &'a Path,
    rendered: Vec<journal_store::AtomicFile>,
}

impl journal_compile::DocumentSink for DocumentFiles<'_> {
    type Writer = journal_store::AtomicFile;

    fn open(&mut self, file: &str) -> std::io::Result<Self::Writer> {
        journal_store::AtomicFile::create(&self.out.join(file)).map_err(std::io::Error::other)
    }

    fn close(&mut self, _file: &str, writer: Self::Writer) -> std::io::Result<()> {
        self.rendered.push(writer);
        Ok(())
    }
}

/// Returns the path with its nearest existing ancestor resolved (symlinks, `..`), and the
/// rest appended: the output folder may not exist yet.
pub fn resolve(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = at.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                at = parent;
            }
            _ => return path.to_owned(),
        }
    }
}

/// Returns the prefix that leads from folder `from` to folder `to` (`../`, `../../infra/`),
/// for links written in `from`.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut prefix = "../".repeat(from.len() - common);
    for part in &to[common..] {
        prefix.push_str(&part.as_os_str().to_string_lossy());
        prefix.push('/');
    }
    prefix
}

pub(crate) fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_lead_from_the_output_folder_to_the_repository() {
        assert_eq!(relative(Path::new("/r/docs"), Path::new("/r")), "../");
        assert_eq!(relative(Path::new("/r/a/b"), Path::new("/r")), "../../");
        assert_eq!(relative(Path::new("/r"), Path::new("/r")), "");
        assert_eq!(
            relative(Path::new("/out"), Path::new("/r/infra")),
            "../r/infra/"
        );
    }
}
