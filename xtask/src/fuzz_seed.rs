//! `cargo xtask fuzz-seed`: seeds the cargo-fuzz corpora (`fuzz/corpus/<target>/`) from the
//! contract tests' payloads, so the fuzzers start from realistic answers and bodies instead
//! of from nothing.
//!
//! - every answer of `tests/fixtures/answers.json`, as sent (`envelope`), and prefixed with
//!   the byte that makes `decode_answer` pick its operation (the table is sorted by the
//!   snake-case operation id, like `toss_shopping::operations()`);
//! - every JSON literal of `tests/contract/*.rs` (`r#"…"#` strings and `json!(…)` blocks
//!   that are plain JSON once constants read as 1), as envelopes and as request and product
//!   bodies (`request_body` picks the operation by its first byte among those with a body);
//! - every date and date-time text of the answers (`kst_time`).
//!
//! The corpora are generated, not committed (`fuzz/.gitignore`); file names are content
//! hashes, so re-seeding never duplicates a seed.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

use serde_json::Value;

/// Seeds all corpora under `root/fuzz/corpus`; prints how many seeds each target got.
pub fn seed(root: &Path) -> Result<(), String> {
    let answers = read_answers(root)?;
    let with_body = operations_with_body(root)?;
    let literals = contract_literals(root)?;
    let mut corpora: BTreeMap<&str, BTreeSet<Vec<u8>>> = BTreeMap::new();

    let mut ids: Vec<(String, &Value)> = answers
        .iter()
        .map(|(id, answer)| (snake(id), answer))
        .collect();
    ids.sort_by(|a, b| a.0.cmp(&b.0));
    for (index, (_, answer)) in ids.iter().enumerate() {
        let body = serde_json::to_vec(answer).map_err(|e| e.to_string())?;
        let pick = u8::try_from(index).map_err(|_| "more than 256 operations".to_string())?;
        corpora
            .entry("decode_answer")
            .or_default()
            .insert(prefixed(pick, &body));
        corpora.entry("envelope").or_default().insert(body);
        collect_times(answer, corpora.entry("kst_time").or_default());
        if let Some(payload) = answer.get("success").filter(|p| p.is_object()) {
            let payload = serde_json::to_vec(payload).map_err(|e| e.to_string())?;
            corpora.entry("product_body").or_default().insert(payload);
        }
    }
    for literal in &literals {
        let bytes = serde_json::to_vec(literal).map_err(|e| e.to_string())?;
        let envelope =
            serde_json::json!({"resultType": "SUCCESS", "success": literal, "error": null});
        corpora
            .entry("envelope")
            .or_default()
            .insert(serde_json::to_vec(&envelope).map_err(|e| e.to_string())?);
        if literal.is_object() {
            corpora
                .entry("product_body")
                .or_default()
                .insert(bytes.clone());
            for pick in 0..with_body.len() {
                let pick = u8::try_from(pick).map_err(|_| "more than 256 bodies".to_string())?;
                corpora
                    .entry("request_body")
                    .or_default()
                    .insert(prefixed(pick, &bytes));
            }
        }
    }

    for (target, seeds) in &corpora {
        let dir = root.join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for seed in seeds {
            let path = dir.join(format!("seed-{:016x}", content_hash(seed)));
            std::fs::write(&path, seed).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        println!("{target:>14}: {} seeds", seeds.len());
    }
    Ok(())
}

fn prefixed(pick: u8, body: &[u8]) -> Vec<u8> {
    let mut seed = Vec::with_capacity(body.len() + 1);
    seed.push(pick);
    seed.extend_from_slice(body);
    seed
}

fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

fn read_answers(root: &Path) -> Result<serde_json::Map<String, Value>, String> {
    let path = root.join("tests/fixtures/answers.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    match serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))? {
        Value::Object(answers) => Ok(answers),
        _ => Err("answers.json is not an object keyed by operationId".to_string()),
    }
}

/// The snake-case ids of the operations that take a JSON body, sorted like the table.
fn operations_with_body(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join(crate::SPEC);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let spec: Value = serde_norway::from_str(&text).map_err(|e| e.to_string())?;
    let mut ids: Vec<String> = spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter(|op| op.get("requestBody").is_some())
        .filter_map(|op| op.get("operationId")?.as_str().map(snake))
        .collect();
    ids.sort();
    Ok(ids)
}

/// `listClaims` → `list_claims`.
fn snake(id: &str) -> String {
    heck::AsSnakeCase(id).to_string()
}

/// Every string of `value` that looks like a date (`yyyy-…`).
fn collect_times(value: &Value, out: &mut BTreeSet<Vec<u8>>) {
    match value {
        Value::String(text)
            if text.len() >= 10 && text.as_bytes()[..4].iter().all(u8::is_ascii_digit) =>
        {
            out.insert(text.as_bytes().to_vec());
        }
        Value::Array(items) => items.iter().for_each(|v| collect_times(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| collect_times(v, out)),
        _ => {}
    }
}

/// The JSON literals of the contract tests.
fn contract_literals(root: &Path) -> Result<Vec<Value>, String> {
    let dir = root.join("tests/contract");
    let mut literals = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let source =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        literals.extend(raw_strings(&source).filter_map(|s| serde_json::from_str(s).ok()));
        literals.extend(json_macros(&source).filter_map(|s| as_json(&s)));
    }
    Ok(literals)
}

/// The contents of `r#"…"#` strings.
fn raw_strings(source: &str) -> impl Iterator<Item = &str> {
    source
        .split("r#\"")
        .skip(1)
        .filter_map(|rest| rest.split_once("\"#").map(|(inside, _)| inside))
}

/// The contents of `json!(…)` blocks, up to the matching parenthesis (strings skipped).
fn json_macros(source: &str) -> impl Iterator<Item = String> + '_ {
    source.match_indices("json!(").filter_map(|(start, token)| {
        let body = &source[start + token.len()..];
        let (mut depth, mut in_string, mut escaped) = (1usize, false, false);
        for (i, c) in body.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '(' | '[' | '{' if !in_string => depth += 1,
                ')' | ']' | '}' if !in_string => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(body[..i].to_string());
                    }
                }
                _ => {}
            }
        }
        None
    })
}

/// A `json!` body as JSON: trailing commas dropped and constants (`PRODUCT_ID`) read as 1.
fn as_json(body: &str) -> Option<Value> {
    if let Ok(value) = serde_json::from_str(body) {
        return Some(value);
    }
    let mut text = String::with_capacity(body.len());
    let mut in_string = false;
    let mut word = String::new();
    let flush = |word: &mut String, text: &mut String| {
        if !word.is_empty() {
            let constant = word
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                && word.chars().any(|c| c.is_ascii_uppercase());
            text.push_str(if constant { "1" } else { word.as_str() });
            word.clear();
        }
    };
    let mut previous = '\0';
    for c in body.chars() {
        if in_string {
            text.push(c);
            if c == '"' && previous != '\\' {
                in_string = false;
            }
        } else if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut text);
            if c == '"' {
                in_string = true;
            }
            if matches!(c, '}' | ']') {
                drop_trailing_comma(&mut text);
            }
            text.push(c);
        }
        previous = c;
    }
    flush(&mut word, &mut text);
    serde_json::from_str(&text).ok()
}

/// Drops a comma (and the blanks after it) at the end of `text`: Rust allows `[1, 2,]`.
fn drop_trailing_comma(text: &mut String) {
    let kept = text.trim_end().len();
    if text[..kept].ends_with(',') {
        text.truncate(kept - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_macros_are_read_up_to_their_closing_parenthesis() {
        let source = r#"let a = json!({"a": [1, 2], "b": "(x)"}); let b = json!([PRODUCT_ID, 2,
        ]);"#;
        let bodies: Vec<String> = json_macros(source).collect();
        assert_eq!(bodies.len(), 2);
        assert_eq!(
            as_json(&bodies[0]),
            Some(serde_json::json!({"a": [1, 2], "b": "(x)"}))
        );
        assert_eq!(as_json(&bodies[1]), Some(serde_json::json!([1, 2])));
    }

    #[test]
    fn expressions_that_are_not_json_are_skipped() {
        assert_eq!(as_json("order(1)"), None);
        assert_eq!(as_json(r#"{"id": id}"#), None);
        assert_eq!(
            raw_strings(r##"x r#"{"a":1}"# y"##).collect::<Vec<_>>(),
            [r#"{"a":1}"#]
        );
    }

    #[test]
    fn operation_ids_become_the_clients_names() {
        assert_eq!(snake("listOrderProducts"), "list_order_products");
    }
}
