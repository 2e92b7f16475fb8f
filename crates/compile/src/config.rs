//! `[compile]` in journal.toml: the documents, their sections, and the confidence thresholds.
//! The built-in documents follow the outlines of story 1.11; they are data (`outlines.toml`,
//! the same schema as journal.toml's `[[compile.documents]]`), not code.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// `[compile]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompileConfig {
    /// Output folder, relative to the repository root.
    pub out: PathBuf,
    /// Web URL of the journal's own repository, when its remote's cannot be used for links
    /// (`https://forge.example/org/infra`, or a pattern holding `{sha}`).
    pub url: Option<String>,
    /// Thresholds of the confidence checks.
    pub confidence: Thresholds,
    /// Documents: one with the name of a built-in replaces it, others are added.
    pub documents: Vec<DocumentConfig>,
}

impl Default for CompileConfig {
    fn default() -> Self {
        Self {
            out: PathBuf::from("docs"),
            url: None,
            confidence: Thresholds::default(),
            documents: Vec::new(),
        }
    }
}

/// `[compile.confidence]`: what each level must show.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// `proven`: days from the first to the last successful observation.
    pub proven_min_days: i64,
    /// `proven`: verified evidence commits.
    pub proven_min_commits: usize,
    /// `needs-testing`: observations with verified evidence.
    pub needs_testing_min_observations: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            proven_min_days: 7,
            proven_min_commits: 1,
            needs_testing_min_observations: 1,
        }
    }
}

/// `[[compile.documents]]`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    /// File name without `.md`; also names the template (`<name>.md.j2`).
    pub name: String,
    /// The document's title (its only level-1 heading).
    pub title: String,
    /// A paragraph under the title.
    #[serde(default)]
    pub intro: Option<String>,
    /// The sections, shown by `order` (then as listed).
    pub sections: Vec<SectionConfig>,
}

/// What a section shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Content {
    /// The entries its filter picks, grouped by kind.
    #[default]
    Entries,
    /// The confidence table of every pattern.
    Confidence,
    /// The decisions (kind `decision`) in one table.
    Overview,
}

/// `[[compile.documents.sections]]`: a filter on the entries, and where it goes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionConfig {
    /// Stable identifier (used in `--check` reports and templates).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Position in the document.
    #[serde(default)]
    pub order: i64,
    /// An empty required section gets a visible line and a warning (fatal with `--strict`).
    #[serde(default = "yes")]
    pub required: bool,
    /// What it shows.
    #[serde(default)]
    pub content: Content,
    /// Entries naming any of these providers (no list: any).
    #[serde(default)]
    pub provider: Vec<String>,
    /// Entries naming any of these patterns.
    #[serde(default)]
    pub pattern: Vec<String>,
    /// Entries of any of these kinds.
    #[serde(default)]
    pub kind: Vec<String>,
    /// Entries of any of these stories.
    #[serde(default)]
    pub story: Vec<String>,
    /// Aggregate the picked entries' metrics into tables.
    #[serde(default)]
    pub metrics: bool,
    /// A paragraph under the heading.
    #[serde(default)]
    pub intro: Option<String>,
}

fn yes() -> bool {
    true
}

impl CompileConfig {
    /// Returns the documents to render: the built-ins, each replaced by a configured document
    /// of the same name, then the other configured documents.
    pub fn effective_documents(&self) -> Vec<DocumentConfig> {
        let mut documents = builtin_documents();
        for configured in &self.documents {
            match documents.iter_mut().find(|d| d.name == configured.name) {
                Some(slot) => *slot = configured.clone(),
                None => documents.push(configured.clone()),
            }
        }
        for document in &mut documents {
            // Stable: equal orders keep the configured order.
            document.sections.sort_by_key(|s| s.order);
        }
        documents
    }

    /// Checks what serde cannot: unique document names and section ids, names usable as file
    /// names. Returns the first problem.
    pub fn validate(&self) -> Result<(), String> {
        for (i, document) in self.documents.iter().enumerate() {
            let place = format!("[[compile.documents]] number {}", i + 1);
            if !journal_entry::is_repo_name(&document.name) {
                return Err(format!(
                    "{place}: name `{}` may hold only letters, digits, `-`, `_` and `.`",
                    document.name
                ));
            }
            if self.documents[..i].iter().any(|d| d.name == document.name) {
                return Err(format!(
                    "{place}: document `{}` is listed twice",
                    document.name
                ));
            }
            for (j, section) in document.sections.iter().enumerate() {
                if document.sections[..j].iter().any(|s| s.id == section.id) {
                    return Err(format!(
                        "{place}: section id `{}` is used twice in `{}`",
                        section.id, document.name
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The name of the built-in findings document.
pub const FINDINGS: &str = "INTEGRATION-FINDINGS";
/// The name of the built-in decisions document.
pub const DECISIONS: &str = "ARCHITECTURAL-DECISIONS";

/// The built-in outlines: `outlines.toml`, embedded, in journal.toml's schema.
const OUTLINES: &str = include_str!("outlines.toml");

/// The `[compile]` table of a TOML file: only its documents.
#[derive(Deserialize)]
struct OutlinesFile {
    compile: OutlinesCompile,
}

#[derive(Deserialize)]
struct OutlinesCompile {
    documents: Vec<DocumentConfig>,
}

/// The two documents of story 1.11, with its suggested outlines; every section required.
pub fn builtin_documents() -> Vec<DocumentConfig> {
    #[allow(clippy::expect_used)] // embedded and read by the tests: cannot fail at run time
    let file: OutlinesFile = toml::from_str(OUTLINES).expect("outlines.toml reads");
    file.compile.documents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: &str, title: &str, order: i64) -> SectionConfig {
        SectionConfig {
            id: id.to_owned(),
            title: title.to_owned(),
            order,
            required: true,
            content: Content::Entries,
            provider: Vec::new(),
            pattern: Vec::new(),
            kind: Vec::new(),
            story: Vec::new(),
            metrics: false,
            intro: None,
        }
    }

    #[test]
    fn a_configured_document_replaces_the_builtin_of_its_name() {
        let mut config = CompileConfig::default();
        config.documents.push(DocumentConfig {
            name: FINDINGS.to_owned(),
            title: "Ours".to_owned(),
            intro: None,
            sections: vec![section("b", "B", 2), section("a", "A", 1)],
        });
        let documents = config.effective_documents();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].title, "Ours");
        let ids: Vec<&str> = documents[0]
            .sections
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert!(config.validate().is_ok());
        config.documents.push(config.documents[0].clone());
        assert!(config.validate().unwrap_err().contains("listed twice"));
    }

    #[test]
    fn the_outlines_read_as_a_journal_toml_would() {
        let config = CompileConfig {
            documents: builtin_documents(),
            ..CompileConfig::default()
        };
        config.validate().unwrap();
        let names: Vec<&str> = config.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, [FINDINGS, DECISIONS]);
        assert_eq!(config.documents[0].sections.len(), 10);
        assert_eq!(config.documents[1].sections.len(), 9);
    }

    #[test]
    fn every_builtin_section_is_required_and_ids_are_unique() {
        for document in builtin_documents() {
            for (i, s) in document.sections.iter().enumerate() {
                assert!(s.required, "{}", s.id);
                assert!(!document.sections[..i].iter().any(|o| o.id == s.id));
            }
        }
    }
}
