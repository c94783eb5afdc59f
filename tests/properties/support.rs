//! Shared helpers: the parsed spec, its operations' schemas, case counts, and JSON helpers.

use std::sync::LazyLock;

use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use toss_shopping::OperationMeta;

const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/toss-shopping.yaml");

/// The project's spec as JSON, parsed once per test binary.
pub static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let text = std::fs::read_to_string(SPEC_PATH).expect("spec/toss-shopping.yaml is readable");
    serde_norway::from_str(&text).expect("spec/toss-shopping.yaml parses")
});

/// The number of cases for a property: `default`, or `PROPTEST_CASES` when it is set, so CI
/// keeps the budget and a deeper local run only needs the variable.
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

/// A proptest configuration with [`cases`] cases and no regression-file persistence (the
/// regressions found are kept as explicit tests in `regressions`).
pub fn config(default: u32) -> Config {
    Config {
        cases: cases(default),
        failure_persistence: None,
        ..Config::default()
    }
}

/// A runner for loops over the operations table: one per operation, so each operation
/// gets its full number of cases. Seeds are random per run (`PROPTEST_RNG_SEED` pins them).
pub fn runner(default: u32) -> TestRunner {
    TestRunner::new(config(default))
}

/// Resolves a local reference such as `#/components/schemas/Claim`.
pub fn resolve(reference: &str) -> &'static Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("only local references: {reference}"));
    SPEC.pointer(pointer)
        .unwrap_or_else(|| panic!("{reference} points at nothing"))
}

/// The name a `#/components/schemas/<name>` reference ends in.
pub fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// Follows `$ref`s and a single-entry `allOf` (the spec's way of adding `nullable`) to the
/// schema with the content.
pub fn deref(mut schema: &'static Value) -> &'static Value {
    loop {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            schema = resolve(reference);
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else {
            return schema;
        }
    }
}

/// The spec's operation object for an entry of the operations table, found by method and
/// path (the table's facts and the spec's schemas meet there).
pub fn spec_operation(op: &OperationMeta) -> &'static Value {
    SPEC.pointer(&format!(
        "/paths/{}/{}",
        op.path.replace('~', "~0").replace('/', "~1"),
        op.method.to_ascii_lowercase()
    ))
    .unwrap_or_else(|| {
        panic!(
            "{}: {} {} is not in the spec",
            op.operation_id, op.method, op.path
        )
    })
}

/// The schema of the payload (`success`) of an operation's HTTP 200 answer.
pub fn payload_schema(op: &OperationMeta) -> &'static Value {
    let mut response = spec_operation(op)
        .pointer("/responses/200")
        .unwrap_or_else(|| panic!("{}: no HTTP 200 answer", op.operation_id));
    while let Some(reference) = response.get("$ref").and_then(Value::as_str) {
        response = resolve(reference);
    }
    let envelope = response
        .pointer("/content/application~1json/schema")
        .map(deref)
        .unwrap_or_else(|| panic!("{}: the answer has no JSON schema", op.operation_id));
    envelope
        .pointer("/properties/success")
        .unwrap_or_else(|| panic!("{}: the envelope has no `success`", op.operation_id))
}

/// The schema of an operation's JSON request body, if it takes one.
pub fn request_schema(op: &OperationMeta) -> Option<&'static Value> {
    spec_operation(op).pointer("/requestBody/content/application~1json/schema")
}

/// A JSON value without nulls and empty arrays, which the client leaves out when it encodes
/// a decoded payload again; what remains must survive decoding unchanged.
pub fn meaningful(value: &Value) -> Value {
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

/// A `SUCCESS` envelope around `payload`, as the API sends it.
pub fn success(payload: &Value) -> Value {
    serde_json::json!({"resultType": "SUCCESS", "success": payload, "error": null})
}
