//! `journal tags`: how many entries carry each provider, pattern, kind, confidence, story, tag.

use std::collections::BTreeMap;
use std::path::Path;

use clap::Args;
use serde_json::json;

use crate::config;
use crate::error::CommandError;
use crate::freshness::fresh_index;
use crate::ui::Ui;

/// Count the entries per provider, pattern, kind, confidence, story and free tag.
#[derive(Debug, Args)]
pub struct TagsArgs {
    /// Print one JSON object: {"provider": {"hetzner": 3, …}, "pattern": {…}, …, "tags": {…}}.
    #[arg(long)]
    json: bool,
}

pub fn cmd_tags(ui: &mut Ui, journal: Option<&Path>, args: &TagsArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let (index, _) = fresh_index(ui, &journal)?;
    let f = index.facets()?;
    let groups: [(&str, &BTreeMap<String, u64>); 6] = [
        ("provider", &f.provider),
        ("pattern", &f.pattern),
        ("kind", &f.kind),
        ("confidence", &f.confidence),
        ("story", &f.story),
        ("tags", &f.tags),
    ];
    if args.json {
        let object: serde_json::Map<String, serde_json::Value> = groups
            .iter()
            .map(|(name, counts)| ((*name).to_owned(), json!(counts)))
            .collect();
        return ui.data(&serde_json::Value::Object(object).to_string());
    }
    for (name, counts) in groups {
        if counts.is_empty() {
            continue;
        }
        ui.data(&format!("{name}:"))?;
        // Most used first, then by name.
        let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        for (value, count) in sorted {
            ui.data(&format!("  {count:>6}  {value}"))?;
        }
    }
    Ok(())
}
