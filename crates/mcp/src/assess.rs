//! `journal_assess`: an agent's arguments turned into the library's [`Assessment`].

use chrono::{DateTime, FixedOffset};
use journal_lib::when::{Bound, parse_when};
use journal_lib::{AddReport, Assessment, Error, Journal, confidence_field};

use crate::args::AssessArgs;

/// Records the assessment `args` describe, as `agent` on `host`.
pub(crate) fn assess(
    journal: &Journal,
    args: AssessArgs,
    agent: Option<String>,
    host: Option<String>,
    now: DateTime<FixedOffset>,
) -> Result<AddReport, Error> {
    let date = match &args.at {
        Some(at) => {
            parse_when(at, now, Bound::At).map_err(|e| Error::refused(format!("at `{at}`: {e}")))?
        }
        None => now,
    };
    let assessment = Assessment {
        pattern: args.pattern,
        provider: args.provider.filter(|p| !p.is_empty()),
        confidence: confidence_field(&args.confidence)?,
        rationale: args.rationale,
        commits: args.commits,
        story: args.story,
        no_commit: false,
        allow_secret: false,
        agent,
    };
    journal.assess(assessment, date, now, host)
}
