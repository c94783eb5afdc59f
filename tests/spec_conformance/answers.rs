//! One realistic HTTP 200 answer per operation (`tests/fixtures/answers.json`), built from
//! the reference's recorded shapes and live samples: KST timestamps without offset, int64
//! ids, integer KRW, Korean text, obviously fake buyer data, known enum values. Payloads the
//! vendor does not document (free-form in the spec) hold a plausible object, `{}` for writes.
//!
//! Each answer must (1) be a SUCCESS envelope, (2) validate against the JSON Schema the spec
//! itself gives the operation's answer, and (3) decode with the client.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::schema::{self, OpenEnums};
use crate::spec::{self, SPEC};

const ANSWERS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/answers.json");

/// The fixture file: operationId → answer.
static ANSWERS: LazyLock<Map<String, Value>> = LazyLock::new(|| {
    let text = std::fs::read_to_string(ANSWERS_PATH).expect("tests/fixtures/answers.json");
    match serde_json::from_str(&text).expect("answers.json is JSON") {
        Value::Object(map) => map,
        _ => panic!("answers.json must be an object keyed by operationId"),
    }
});

/// Decodes an answer exactly as a call of this operation would, through the client's
/// generated per-operation decoder.
fn decode_with_client(operation_id: &str, body: &[u8]) -> Result<serde_json::Value, String> {
    let name = rust_name(operation_id);
    match toss_shopping::operation::decode_answer(&name, body) {
        Some(decoded) => decoded.map_err(|e| e.to_string()),
        None => Err(format!("the client has no operation {name}")),
    }
}

/// A JSON value without nulls and empty arrays, which the client leaves out when it encodes
/// a decoded payload again; what remains must survive decoding unchanged.
fn meaningful(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), meaningful(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(meaningful).collect()),
        other => other.clone(),
    }
}

/// `listClaims` → `list_claims`, the client's name for the operation.
fn rust_name(operation_id: &str) -> String {
    let mut name = String::new();
    for c in operation_id.chars() {
        if c.is_ascii_uppercase() {
            name.push('_');
        }
        name.push(c.to_ascii_lowercase());
    }
    name
}

fn answer(operation_id: &str) -> &'static Value {
    ANSWERS
        .get(operation_id)
        .unwrap_or_else(|| panic!("answers.json has no answer for {operation_id}"))
}

#[test]
fn every_operation_has_exactly_one_answer() {
    let operations = spec::operations(&SPEC).expect("operations");
    let in_spec: BTreeSet<&str> = operations.iter().map(|op| op.id).collect();
    let in_fixture: BTreeSet<&str> = ANSWERS.keys().map(String::as_str).collect();
    assert_eq!(operations.len(), 55, "the spec describes 55 operations");
    assert_eq!(in_spec.len(), operations.len(), "operationIds are unique");
    let missing: Vec<_> = in_spec.difference(&in_fixture).collect();
    let unknown: Vec<_> = in_fixture.difference(&in_spec).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "answers.json: missing {missing:?}, not in the spec {unknown:?}"
    );
}

#[test]
fn every_answer_is_a_success_envelope() {
    for (operation_id, answer) in ANSWERS.iter() {
        assert_eq!(answer["resultType"], "SUCCESS", "{operation_id}");
        assert!(answer["success"].is_object(), "{operation_id}: success");
        assert!(answer["error"].is_null(), "{operation_id}: error");
    }
}

/// A page with one item cannot show that items are told apart; every list in an answer's
/// payload whose items are objects holds at least two.
#[test]
fn pages_hold_at_least_two_items() {
    let mut lists = 0;
    let mut short = Vec::new();
    for operation in spec::operations(&SPEC).expect("operations") {
        let envelope = spec::deref_schema(
            &SPEC,
            spec::answer_schema(&SPEC, &operation).expect("schema"),
        )
        .expect("envelope");
        let Some(success) = envelope.pointer("/properties/success") else {
            continue;
        };
        let payload = spec::deref_schema(&SPEC, success).expect("payload");
        let properties = payload.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let property = spec::deref_schema(&SPEC, property).expect("property");
            let Some(items) = property.get("items") else {
                continue;
            };
            let items = spec::deref_schema(&SPEC, items).expect("items");
            if items.get("type").and_then(Value::as_str) != Some("object") {
                continue;
            }
            lists += 1;
            let count = answer(operation.id)["success"][name]
                .as_array()
                .map_or(0, Vec::len);
            if count < 2 {
                short.push(format!(
                    "{}: success.{name} has {count} item(s)",
                    operation.id
                ));
            }
        }
    }
    assert!(
        lists >= 15,
        "only {lists} lists of objects found: the check lost its way"
    );
    assert!(
        short.is_empty(),
        "pages with fewer than two items:\n  {}",
        short.join("\n  ")
    );
}

/// Every enum-valued field uses a value the SDK knows: the answers are validated with each
/// open enum narrowed to its known branch.
#[test]
fn answers_use_known_enum_values() {
    let wrappers = schema::open_enum_wrappers(&SPEC);
    assert!(
        wrappers.len() >= 5,
        "open enums not recognised any more ({wrappers:?}): update schema::open_enum"
    );
    let failures = validate_all(OpenEnums::KnownOnly);
    assert!(
        failures.is_empty(),
        "answers with values outside the known enums:\n  {}",
        failures.join("\n  ")
    );
}

/// The spec's own schema must accept a realistic answer of each operation.
#[test]
fn answers_conform_to_the_spec() {
    let failures = validate_all(OpenEnums::AsWritten);
    if failures.is_empty() {
        return;
    }
    let failing: BTreeSet<&str> = failures
        .iter()
        .filter_map(|line| line.split(':').next())
        .collect();
    let still_failing_with_any_of: BTreeSet<String> = validate_all(OpenEnums::Overlapping)
        .iter()
        .filter_map(|line| line.split(':').next().map(str::to_string))
        .collect();
    let (other, open_enum_only): (Vec<&str>, Vec<&str>) = failing
        .iter()
        .partition(|op| still_failing_with_any_of.contains(**op));
    let mut message = format!(
        "the spec's own schema rejects realistic answers of {} operation(s):\n  {}\n",
        failing.len(),
        failures.join("\n  ")
    );
    if !open_enum_only.is_empty() {
        message.push_str(&format!(
            "\nOPEN ENUMS: {} operation(s) fail only because open enums are written \
             `oneOf: [<X>Known, {{type: string}}]`: a known value such as PAID matches both \
             branches, and `oneOf` demands exactly one. Writing those wrappers as `anyOf` \
             (the open-enum change on its own branch) fixes them: {open_enum_only:?}\n",
            open_enum_only.len()
        ));
    }
    if !other.is_empty() {
        message.push_str(&format!(
            "\nOTHER: {} operation(s) fail for other reasons too: {other:?}\n",
            other.len()
        ));
    }
    panic!("{message}");
}

/// Validates every answer; each problem as `operationId: /instance/path: message`.
fn validate_all(open_enums: OpenEnums) -> Vec<String> {
    let mut failures = Vec::new();
    for operation in spec::operations(&SPEC).expect("operations") {
        let json_schema = schema::answer_json_schema(&SPEC, &operation, open_enums)
            .unwrap_or_else(|e| panic!("{}: {e}", operation.id));
        let problems = schema::problems(&json_schema, answer(operation.id))
            .unwrap_or_else(|e| panic!("{}: {e}", operation.id));
        failures.extend(
            problems
                .into_iter()
                .map(|problem| format!("{}: {problem}", operation.id)),
        );
    }
    failures
}

#[test]
fn the_client_decodes_every_answer() {
    let mut failures = Vec::new();
    for operation in spec::operations(&SPEC).expect("operations") {
        let rust_name = rust_name(operation.id);
        assert!(
            toss_shopping::operation::find(&rust_name).is_some(),
            "{}: the client has no operation {rust_name}",
            operation.id
        );
        let body = serde_json::to_vec(answer(operation.id)).expect("answer serialises");
        let sent = meaningful(&answer(operation.id)["success"]);
        match decode_with_client(operation.id, &body) {
            Ok(decoded) if meaningful(&decoded) == sent => {}
            Ok(other) => failures.push(format!(
                "{}: decoding lost or changed data:\n    sent    {sent}\n    decoded {}",
                operation.id,
                meaningful(&other)
            )),
            Err(e) => failures.push(format!("{}: {e}", operation.id)),
        }
    }
    assert!(
        failures.is_empty(),
        "answers the client cannot decode:\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn rust_names_follow_the_client() {
    assert_eq!(rust_name("listClaims"), "list_claims");
    assert_eq!(rust_name("getPenaltySummary"), "get_penalty_summary");
}
