//! The tools' JSON Schemas as a strict validator reads them: schemars marks Rust's integer
//! and float types with formats of its own (`uint`, `uint64`, `int32`, `double`, …) that JSON
//! Schema does not define, and a strict validator (ajv with `strict: true`) refuses a schema
//! naming an unknown format. The range a format implied is kept as `minimum` where it
//! matters (unsigned: `minimum: 0`); the format itself goes.

use serde_json::{Map, Value};

/// The formats JSON Schema 2020-12 defines (a validator may check them).
const STANDARD: [&str; 19] = [
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Returns `schema` with every non-standard `format` removed (unsigned ones become
/// `minimum: 0` when no minimum is given).
pub(crate) fn standard(schema: &Map<String, Value>) -> Map<String, Value> {
    match clean(Value::Object(schema.clone())) {
        Value::Object(map) => map,
        _ => schema.clone(),
    }
}

fn clean(value: Value) -> Value {
    match value {
        Value::Object(mut map) => {
            if let Some(Value::String(format)) = map.get("format").cloned()
                && !STANDARD.contains(&format.as_str())
            {
                map.remove("format");
                if format.starts_with("uint") && !map.contains_key("minimum") {
                    map.insert("minimum".to_owned(), Value::from(0));
                }
            }
            Value::Object(map.into_iter().map(|(k, v)| (k, clean(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(clean).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_formats_go_and_unsigned_keeps_its_minimum() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "limit": {"type": "integer", "format": "uint", "minimum": 0},
                "n": {"type": "integer", "format": "uint64"},
                "x": {"type": "number", "format": "double"},
                "at": {"type": "string", "format": "date-time"},
            }
        });
        let Value::Object(map) = schema else {
            unreachable!()
        };
        let out = Value::Object(standard(&map));
        assert_eq!(
            out["properties"]["limit"],
            serde_json::json!({"type": "integer", "minimum": 0})
        );
        assert_eq!(
            out["properties"]["n"],
            serde_json::json!({"type": "integer", "minimum": 0})
        );
        assert_eq!(
            out["properties"]["x"],
            serde_json::json!({"type": "number"})
        );
        assert_eq!(out["properties"]["at"]["format"], "date-time");
    }
}
