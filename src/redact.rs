//! Short, safe excerpts of bodies for error messages, and the stand-in the generated types
//! print for their personal fields.
//!
//! Order and claim answers carry buyer names, phones and addresses, and token answers carry
//! tokens, so an excerpt keeps the *shape* of a body, never its text values.

use std::fmt;

use serde_json::Value;

/// What the generated `Debug` of a type with personal fields (`x-toss-personal` in the spec,
/// see `codegen/src/redact.rs`) prints in place of such a field: a fixed text chosen by the
/// field's shape (`<redacted>`, `Some(<redacted>)`, `None`), never the value.
pub(crate) struct Masked(pub(crate) &'static str);

impl fmt::Debug for Masked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The longest excerpt an error carries, in characters.
const MAX_SNIPPET_CHARS: usize = 200;

/// A short excerpt of a body that holds no string values, digits runs or token-like text.
pub(crate) fn snippet(body: &[u8]) -> String {
    if body.is_empty() {
        return "<empty body>".to_string();
    }
    let excerpt = match serde_json::from_slice::<Value>(body) {
        Ok(value) => mask_json(value).to_string(),
        Err(_) => mask_text(&String::from_utf8_lossy(body)),
    };
    truncate(&excerpt, MAX_SNIPPET_CHARS)
}

/// A decode error message without the values it quotes: serde quotes offending strings in
/// `"…"` and offending numbers in backticks (`` integer `123` ``). Names in backticks (expected
/// fields and variants) are kept: they come from the schema, not from the data.
pub(crate) fn mask_quoted(message: &str) -> String {
    mask_backticked_numbers(&mask_double_quoted(message))
}

fn mask_backticked_numbers(message: &str) -> String {
    let mut parts = message.split('`');
    let mut out = parts.next().unwrap_or_default().to_string();
    for (index, part) in parts.enumerate() {
        out.push('`');
        let inside = index % 2 == 0;
        let numeric = !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
        out.push_str(if inside && numeric { "<number>" } else { part });
    }
    out
}

fn mask_double_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    let mut quoted = 0usize;
    for c in message.chars() {
        match (c, inside) {
            ('"', false) => {
                inside = true;
                quoted = 0;
            }
            ('"', true) => {
                inside = false;
                out.push_str(&format!("\"<{quoted} chars>\""));
            }
            (_, true) => quoted += 1,
            (c, false) => out.push(c),
        }
    }
    if inside {
        out.push_str("\"<…>");
    }
    out
}

fn mask_json(value: Value) -> Value {
    match value {
        Value::String(text) => Value::String(format!("<{} chars>", text.chars().count())),
        Value::Array(items) => {
            let len = items.len();
            // The first element shows the shape; the rest only adds length and risk.
            let mut masked: Vec<Value> = items.into_iter().take(1).map(mask_json).collect();
            if len > 1 {
                masked.push(Value::String(format!("<{} more>", len - 1)));
            }
            Value::Array(masked)
        }
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, mask_json(v))).collect())
        }
        other => other,
    }
}

fn mask_text(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let digits = word.chars().filter(char::is_ascii_digit).count();
        if word.chars().count() > 24 || digits >= 4 {
            // Long unbroken runs are tokens or ids, digit runs are phones or numbers.
            out.push_str("<redacted>");
        } else {
            out.push_str(word);
        }
    }
    out
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_shape_and_drops_values() {
        let s = snippet(r#"{"results":[{"ordererName":"홍길동","ordererPhone":"010-1234-5678"},{"x":1}],"n":3}"#.as_bytes());
        assert!(!s.contains("홍길동") && !s.contains("1234"), "{s}");
        assert!(s.contains("ordererName") && s.contains("<1 more>"), "{s}");
    }

    #[test]
    fn text_masks_tokens_and_numbers() {
        let s = snippet(
            b"<html>Bad gateway eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc 010-1234-5678</html>",
        );
        assert!(!s.contains("eyJ") && !s.contains("5678"), "{s}");
        assert!(s.contains("gateway"), "{s}");
    }

    #[test]
    fn long_bodies_are_cut_on_a_character_boundary() {
        let body = "가".repeat(1000);
        assert!(snippet(body.as_bytes()).chars().count() <= MAX_SNIPPET_CHARS + 1);
    }

    #[test]
    fn quoted_values_in_messages_are_masked() {
        let m = mask_quoted(r#"invalid type: string "홍길동", expected i64 at line 1 column 9"#);
        assert_eq!(
            m,
            r#"invalid type: string "<3 chars>", expected i64 at line 1 column 9"#
        );
    }
}
