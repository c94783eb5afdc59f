//! The envelope's `success` and `error` are `null` in half of all answers (`"error": null` on
//! SUCCESS, `"success": null` on FAIL, both recorded live). Under OpenAPI 3.0.3, `nullable`
//! only adds `null` to the `type` written beside it and never reaches into an `allOf` or a
//! `$ref`, so `{type: object, nullable: true, allOf: [{$ref: ErrorDetail}]}` rejects `null`:
//! prism did (`prism proxy --errors` answered 500, "Response body property error must be
//! object"). The spec writes them as `anyOf: [{$ref: X}, {nullable: true, enum: [null]}]`,
//! which every reading accepts; this keeps it so.

use serde_json::Value;

use crate::spec::{self, SPEC};

#[test]
fn every_envelope_lets_success_and_error_be_null_as_openapi_3_0_3_reads_it() {
    let schemas = SPEC
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("components.schemas");
    let mut envelopes = 0;
    let mut wrong = Vec::new();
    for (name, schema) in schemas {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        if !properties.contains_key("resultType") {
            continue;
        }
        envelopes += 1;
        for half in ["success", "error"] {
            let accepts_null = properties
                .get(half)
                .and_then(|p| p.get("anyOf"))
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.iter().any(spec::is_null_only));
            if !accepts_null {
                wrong.push(format!("{name}.{half}"));
            }
        }
    }
    assert!(envelopes >= 20, "only {envelopes} envelopes found");
    assert!(
        wrong.is_empty(),
        "cannot be null under OpenAPI 3.0.3: {wrong:?}"
    );
}

/// The same trap anywhere in the spec: `nullable: true` beside an `allOf` or a `$ref` reads
/// as "not null" under OpenAPI 3.0.3. The order's `canceledAt`, `confirmedAt` and
/// `shippingDeadlineAt` and the category's `policy` had it, while the reference records them
/// as "string or null"; they are now `anyOf` with a null branch too (the generator still
/// makes them `Option<T>`, see `codegen/src/nullable.rs`).
#[test]
fn no_schema_puts_nullable_beside_a_reference() {
    fn walk(path: &str, value: &Value, wrong: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                let nullable = map.get("nullable") == Some(&Value::Bool(true));
                if nullable && (map.contains_key("allOf") || map.contains_key("$ref")) {
                    wrong.push(path.to_string());
                }
                for (key, child) in map {
                    walk(&format!("{path}/{key}"), child, wrong);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(&format!("{path}/{index}"), child, wrong);
                }
            }
            _ => {}
        }
    }
    let mut wrong = Vec::new();
    walk("", &SPEC, &mut wrong);
    assert!(
        wrong.is_empty(),
        "`nullable` has no effect beside a reference under OpenAPI 3.0.3: {wrong:?}"
    );
}
