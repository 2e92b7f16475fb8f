//! Writing YAML scalars: plain when that reads back as the same string, double-quoted otherwise.

use std::fmt::Write as _;
use std::sync::OnceLock;

use regex::Regex;

/// Where a scalar is written: flow collections (`[a, b]`, `{k: v}`) forbid more characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Block,
    Flow,
}

/// Appends `value` to `out` as a YAML scalar that any YAML 1.1 or 1.2 reader reads back as the
/// same string.
pub(crate) fn write_scalar(out: &mut String, value: &str, context: Context) {
    if is_plain_safe(value, context) {
        out.push_str(value);
    } else {
        write_double_quoted(out, value);
    }
}

fn is_plain_safe(value: &str, context: Context) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return false;
    }
    if value.ends_with(|c: char| c.is_whitespace() || c == ':') {
        return false;
    }
    if value.contains(": ") || value.contains(" #") {
        return false;
    }
    if context == Context::Flow && value.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    if value.chars().any(|c| needs_escape(c) || c == '\t') {
        return false;
    }
    !is_special_plain(value)
}

/// Returns whether a plain scalar would be read as null, a boolean or a number.
fn is_special_plain(value: &str) -> bool {
    const WORDS: [&str; 11] = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "=",
    ];
    if WORDS.iter().any(|w| value.eq_ignore_ascii_case(w)) {
        return true;
    }
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    let number = NUMBER.get_or_init(|| {
        #[allow(clippy::unwrap_used)] // a constant pattern, covered by the tests below
        Regex::new(
            r"^[-+]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN))$",
        )
        .unwrap()
    });
    number.is_match(value)
}

/// Characters YAML does not allow unescaped, or that some readers take for line breaks.
fn needs_escape(c: char) -> bool {
    let printable = matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}';
    !printable || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

fn write_double_quoted(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                let _ = if code <= 0xFF {
                    write!(out, "\\x{code:02X}")
                } else if code <= 0xFFFF {
                    write!(out, "\\u{code:04X}")
                } else {
                    write!(out, "\\U{code:08X}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(value: &str, context: Context) -> String {
        let mut out = String::new();
        write_scalar(&mut out, value, context);
        out
    }

    #[test]
    fn keeps_ordinary_text_plain() {
        assert_eq!(
            scalar("LUKS unlock over SSH works", Context::Block),
            "LUKS unlock over SSH works"
        );
        assert_eq!(scalar("hetzner", Context::Flow), "hetzner");
        assert_eq!(scalar("a, b", Context::Block), "a, b");
        assert_eq!(scalar("9f1c2e7b0c1d", Context::Flow), "9f1c2e7b0c1d");
        assert_eq!(
            scalar("test-clan:9f1c2e7b", Context::Flow),
            "test-clan:9f1c2e7b"
        );
    }

    #[test]
    fn quotes_what_would_change_meaning() {
        assert_eq!(scalar("1.4", Context::Block), "\"1.4\"");
        assert_eq!(scalar("1.10", Context::Block), "\"1.10\"");
        assert_eq!(scalar("0x1F", Context::Block), "\"0x1F\"");
        assert_eq!(scalar("1234e5", Context::Block), "\"1234e5\"");
        assert_eq!(scalar("yes", Context::Block), "\"yes\"");
        assert_eq!(scalar("a, b", Context::Flow), "\"a, b\"");
        assert_eq!(scalar("key: value", Context::Block), "\"key: value\"");
        assert_eq!(scalar("- item", Context::Block), "\"- item\"");
        assert_eq!(scalar("", Context::Block), "\"\"");
        assert_eq!(scalar("tab\there", Context::Block), "\"tab\\there\"");
        assert_eq!(scalar("nel\u{85}", Context::Block), "\"nel\\x85\"");
        assert_eq!(scalar("say \"hi\"", Context::Block), "say \"hi\"");
        assert_eq!(scalar("\"hi\"", Context::Block), "\"\\\"hi\\\"\"");
    }
}
