//! Reading the spec: parsing, `$ref` resolution and the operations' HTTP 200 answers.

use std::sync::LazyLock;

use serde_json::Value;

/// The spec, relative to the crate root.
const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/toss-shopping.yaml");

/// HTTP methods an OpenAPI path item can hold operations under.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The project's spec, parsed once per test binary.
pub static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let text = std::fs::read_to_string(SPEC_PATH).expect("spec/toss-shopping.yaml is readable");
    parse(&text).expect("spec/toss-shopping.yaml parses")
});

/// Parses OpenAPI YAML (or JSON) into a JSON value.
pub fn parse(yaml: &str) -> Result<Value, String> {
    serde_norway::from_str(yaml).map_err(|e| format!("not valid YAML: {e}"))
}

/// One operation of a spec.
pub struct Operation<'a> {
    /// The spec's `operationId`, e.g. `listClaims`.
    pub id: &'a str,
    /// `GET /api/v3/shopping-fep/claims`, for messages.
    pub label: String,
    /// The operation object.
    pub object: &'a Value,
}

impl<'a> Operation<'a> {
    /// The operation's HTTP 200 response object (possibly a `$ref`).
    pub fn answer(&self) -> Result<&'a Value, String> {
        self.object
            .pointer("/responses/200")
            .ok_or_else(|| format!("{} ({}) has no HTTP 200 answer", self.id, self.label))
    }
}

/// Every operation of `spec`, in the spec's order.
pub fn operations(spec: &Value) -> Result<Vec<Operation<'_>>, String> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the spec has no `paths`")?;
    let mut operations = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(object) = item.get(method) else {
                continue;
            };
            let id = object
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{method} {path} has no operationId"))?;
            operations.push(Operation {
                id,
                label: format!("{} {path}", method.to_uppercase()),
                object,
            });
        }
    }
    Ok(operations)
}

/// Resolves a local reference such as `#/components/schemas/Claim`.
pub fn resolve<'a>(spec: &'a Value, reference: &str) -> Result<&'a Value, String> {
    let pointer = reference
        .strip_prefix('#')
        .ok_or_else(|| format!("only local references are supported, not `{reference}`"))?;
    spec.pointer(pointer)
        .ok_or_else(|| format!("`{reference}` points at nothing"))
}

/// The name a `#/components/<kind>/<name>` reference ends in.
pub fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// The JSON schema of an operation's HTTP 200 answer (following `components/responses`).
pub fn answer_schema<'a>(spec: &'a Value, operation: &Operation<'a>) -> Result<&'a Value, String> {
    let mut response = operation.answer()?;
    while let Some(reference) = response.get("$ref").and_then(Value::as_str) {
        response = resolve(spec, reference)?;
    }
    response
        .pointer("/content/application~1json/schema")
        .ok_or_else(|| {
            format!(
                "{}: the 200 answer has no application/json schema",
                operation.id
            )
        })
}

/// OpenAPI 3.0.3's schema of `null` alone: `nullable: true` with `enum: [null]`.
pub fn is_null_only(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool) == Some(true)
        && schema.get("enum").and_then(Value::as_array) == Some(&vec![Value::Null])
}

/// Follows `$ref`s (and a single-entry `allOf`, the spec's way of adding `nullable`, and an
/// `anyOf` of a schema and `null`, its way of letting a reference be null) to the schema
/// that has the content.
pub fn deref_schema<'a>(spec: &'a Value, mut schema: &'a Value) -> Result<&'a Value, String> {
    loop {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            schema = resolve(spec, reference)?;
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else if let Some([content, null]) = schema
            .get("anyOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            && is_null_only(null)
        {
            schema = content;
        } else {
            return Ok(schema);
        }
    }
}
