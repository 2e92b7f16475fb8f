//! `assess`: the operator's verdict on a pattern, recorded as an entry of kind
//! [`journal_entry::ASSESSMENT`]: the confidence level for one provider (or all), its
//! rationale (the body) and the evidence it rests on. The newest assessment of a pattern ×
//! provider is the level the confidence table states, checked against the observations.

use chrono::{DateTime, FixedOffset};
use journal_entry::Confidence;

use crate::add::{AddReport, EntryFields, EntryText};
use crate::error::{Error, Param, Result};
use crate::journal::Journal;

/// A verdict, as a front end was given it.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// The pattern assessed, from the vocabulary.
    pub pattern: String,
    /// The provider it is assessed for; none: every provider without its own assessment.
    pub provider: Option<String>,
    /// The level.
    pub confidence: Confidence,
    /// Why this level: the entry's body, Markdown.
    pub rationale: String,
    /// Evidence revisions, as [`EntryFields::commits`].
    pub commits: Vec<String>,
    /// Story, such as 1.11.
    pub story: Option<String>,
    /// Write the file only.
    pub no_commit: bool,
    /// Keep text that looks like a credential.
    pub allow_secret: bool,
    /// Who recorded it, when an agent did.
    pub agent: Option<String>,
}

impl Assessment {
    /// The title of the entry: what was assessed, at which level.
    pub fn title(&self) -> String {
        let on = match &self.provider {
            Some(provider) => format!("{} on {provider}", self.pattern),
            None => self.pattern.clone(),
        };
        format!("Assessment of {on}: {}", self.confidence.as_str())
    }
}

impl Journal {
    /// Records `assessment` as an entry observed at `date` (see [`Journal::add`]: the same
    /// checks of the vocabulary, the evidence, the secret guard and the limits).
    pub fn assess(
        &self,
        assessment: Assessment,
        date: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
        host: Option<String>,
    ) -> Result<AddReport> {
        if assessment.rationale.trim().is_empty() {
            return Err(
                Error::refused("an assessment needs its rationale: nothing was written")
                    .hint("say why this level: what was tried, what held, what is still open")
                    .hint_naming(Param::Rationale, "give it with {}"),
            );
        }
        let title = assessment.title();
        let fields = EntryFields {
            provider: assessment.provider.into_iter().collect(),
            pattern: vec![assessment.pattern],
            confidence: Some(assessment.confidence),
            kind: Some(journal_entry::ASSESSMENT.to_owned()),
            story: assessment.story,
            commits: assessment.commits,
            no_commit: assessment.no_commit,
            allow_secret: assessment.allow_secret,
            agent: assessment.agent,
            ..EntryFields::default()
        };
        let draft = self.prepare(fields)?;
        let text = EntryText::Split {
            title,
            body: assessment.rationale,
        };
        self.add(draft, text, date, now, host)
    }
}
