//! An entry as the templates read it: a minijinja object over the shared view whose fields
//! become template values only when a template reads them. Rendering no longer holds a
//! template copy of every entry (its body included) beside the views: at 100,000 entries
//! that copy was a few hundred MB of a compile's peak.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};

use crate::view::EntryView;

/// The fields a template sees, as [`EntryView`] serialises them (a test keeps the two equal).
const FIELDS: &[&str] = &[
    "id",
    "date",
    "datetime",
    "title",
    "kind",
    "providers",
    "patterns",
    "confidence",
    "confidence_check",
    "output_label",
    "output",
    "story",
    "tags",
    "metrics",
    "link",
    "body",
    "evidence",
    "replaces",
    "adr",
];

/// An entry view seen by the templates as a map of its fields. The view is the object
/// itself: a template value of a shared entry is one more reference to it, not a new
/// allocation (a 100,000-entry findings document lists some 300,000).
impl Object for EntryView {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let view: &Self = self;
        let text = |s: &str| Value::from(s);
        let e = view.entry();
        Some(match key.as_str()? {
            "id" => text(view.id()),
            "date" => Value::from(view.date()),
            "datetime" => Value::from(view.datetime()),
            "title" => text(view.title()),
            "kind" => any(&e.kind),
            "providers" => any(&e.provider),
            "patterns" => any(&e.pattern),
            "confidence" => any(&view.confidence()),
            "confidence_check" => any(&view.confidence_check),
            "output_label" => any(&view.output_label),
            "output" => any(&view.output),
            "story" => any(&e.story),
            "tags" => any(&e.tags),
            "metrics" => any(&view.metrics()),
            "link" => Value::from(view.link()),
            "body" => Value::from(view.body()),
            "evidence" => any(&view.evidence),
            "replaces" => any(&view.replaces),
            "adr" => any(&view.adr),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(FIELDS)
    }
}

/// A field as a template value.
fn any<T: serde::Serialize>(field: &T) -> Value {
    Value::from(minijinja::value::Serde(field))
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use journal_entry::Entry;

    use super::FIELDS;
    use crate::view::SharedEntry;
    use crate::{CompileConfig, Input, SourceEntry, build_context};

    /// Every field of a view, read through the object, is what serialising the view gives.
    #[test]
    fn the_object_reads_as_the_serialised_view() {
        let date = DateTime::parse_from_rfc3339("2026-10-01T10:00:00+02:00").unwrap();
        let mut entry = Entry::new("20261001T080000Z-unlock", date, "Unlock over SSH");
        entry.kind = Some("decision".to_owned());
        entry.provider = vec!["hetzner".to_owned()];
        entry.pattern = vec!["luks".to_owned()];
        entry.tags.insert("region".to_owned(), "fsn1".to_owned());
        entry.metrics.insert("unlock_s".to_owned(), 4.25);
        entry.body = "We chose **dropbear**.\n".to_owned();
        let input = Input {
            entries: vec![SourceEntry {
                entry: entry.into(),
                path: "journal/2026/10/20261001T080000Z-unlock.md".into(),
            }],
            ..Input::default()
        };
        let context = build_context(&input, &CompileConfig::default());
        let shared: SharedEntry = context
            .documents
            .iter()
            .flat_map(|d| &d.sections)
            .flat_map(|s| s.groups.iter().flat_map(|g| &g.entries))
            .next()
            .expect("the decision is filed")
            .clone();
        let serialised = serde_json::to_value(&*shared).unwrap();
        let fields: Vec<&str> = serialised
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut listed = FIELDS.to_vec();
        listed.sort_unstable();
        assert_eq!(fields, listed, "FIELDS names every field of EntryView");
        let object = shared.template_value();
        for field in FIELDS {
            let read = object.get_attr(field).unwrap();
            assert_eq!(
                serde_json::to_value(&read).unwrap(),
                serialised[*field],
                "{field}"
            );
        }
        assert!(object.get_attr("no_such_field").unwrap().is_undefined());
    }
}
