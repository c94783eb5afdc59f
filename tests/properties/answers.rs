//! Every operation's answer through `toss_shopping::operation::decode_answer`, the decoder a
//! call uses: random valid answers decode without losing anything, and mutated ones never
//! panic, never read as an empty success, keep a `FAIL`'s code and reason, and keep an
//! unknown open-enum value.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};
use toss_shopping::{Error, ErrorCode, OperationMeta, Reason, operations};

use crate::schema_values::{is_null_only, present_values as values, unknown_enum_value};
use crate::support::{deref, meaningful, payload_schema, runner, success};

/// Valid answers per operation.
const VALID_CASES: u32 = 48;
/// Mutated answers per operation and kind of mutation.
const MUTATION_CASES: u32 = 32;

/// Decodes `body` as an answer of `op`.
fn decode(op: &OperationMeta, body: &[u8]) -> Result<Value, Error> {
    toss_shopping::operation::decode_answer(op.operation_id, body)
        .unwrap_or_else(|| panic!("{}: no decoder", op.operation_id))
}

/// Runs `test` on `cases` values of `strategy(op)` for every operation of the table.
fn for_every_operation<S: Strategy>(
    cases: u32,
    strategy: impl Fn(&'static OperationMeta) -> S,
    test: impl Fn(&'static OperationMeta, S::Value) -> Result<(), TestCaseError>,
) {
    for op in operations() {
        runner(cases)
            .run(&strategy(op), |value| test(op, value))
            .unwrap_or_else(|failure| panic!("{}: {failure}", op.operation_id));
    }
}

/// A `SUCCESS` answer never reads as an empty one: a payload is there (`{}` only where the
/// vendor documents an empty success).
fn assert_not_empty(op: &OperationMeta, decoded: &Value) -> Result<(), TestCaseError> {
    prop_assert!(
        !decoded.is_null(),
        "{}: a success without a payload",
        op.operation_id
    );
    Ok(())
}

fn is_decode_error(outcome: &Result<Value, Error>) -> bool {
    matches!(outcome, Err(Error::Decode(_)))
}

/// The path a decode error names for the value at `pointer` of `payload`: `success`, then
/// keys after `.` and indices as `[i]`, as `DecodeError::path` writes them.
fn path_of(payload: &Value, pointer: &str) -> String {
    let mut path = String::from("success");
    let mut at = Some(payload);
    for token in pointer.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        at = match at {
            Some(Value::Array(items)) => {
                path.push_str(&format!("[{key}]"));
                key.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            other => {
                path.push('.');
                path.push_str(&key);
                other.and_then(|value| value.get(&key))
            }
        };
    }
    path
}

/// The decode error names `path`, and its message starts with `message` when one is given.
fn assert_names(
    op: &OperationMeta,
    outcome: &Result<Value, Error>,
    path: &str,
    message: Option<&str>,
) -> Result<(), TestCaseError> {
    let Err(Error::Decode(decode)) = outcome else {
        return Err(TestCaseError::fail(format!(
            "{}: expected a decode error at {path}, got {outcome:?}",
            op.operation_id
        )));
    };
    prop_assert_eq!(
        &decode.path,
        path,
        "{}: {}",
        op.operation_id,
        decode.message
    );
    if let Some(message) = message {
        prop_assert!(
            decode.message.starts_with(message),
            "{}: {} does not start with {message}",
            op.operation_id,
            decode.message
        );
    }
    Ok(())
}

#[test]
fn valid_answers_decode_without_losing_data() {
    for_every_operation(
        VALID_CASES,
        |op| values(payload_schema(op)),
        |op, payload| {
            let body = serde_json::to_vec(&success(&payload)).expect("serialises");
            match decode(op, &body) {
                Ok(decoded) => {
                    prop_assert_eq!(meaningful(&decoded), meaningful(&payload));
                    Ok(())
                }
                Err(error) => Err(TestCaseError::fail(format!(
                    "{}: a valid answer was refused: {error}\n  payload {payload}",
                    op.operation_id
                ))),
            }
        },
    );
}

// ---------------------------------------------------------------- mutations

/// Where in a valid payload a mutation can land, found by walking the value with its schema.
#[derive(Debug, Default)]
struct Sites {
    /// `(object pointer, property)` of required, non-nullable properties that are present.
    required: Vec<(String, String)>,
    /// Pointers of values whose schema has one plain type (no composition, not free-form).
    typed: Vec<(String, &'static str)>,
    /// Pointers of enum values, and whether the enum is open (a value outside it is kept).
    enums: Vec<(String, bool)>,
    /// Pointers of values their type reads and then refuses, each with a value it refuses:
    /// strings with a pattern or a length, and a `oneOf` given a JSON type none of its
    /// branches has.
    refused: Vec<(String, Value)>,
}

impl Sites {
    fn of(schema: &'static Value, value: &Value) -> Self {
        let mut sites = Self::default();
        sites.walk(schema, value, String::new());
        sites
    }

    fn walk(&mut self, schema: &'static Value, value: &Value, pointer: String) {
        if value.is_null() {
            return;
        }
        let schema = deref(schema);
        if let Some(branches) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            // `anyOf: [X, null]` is X that may be null (OpenAPI 3.0.3).
            if let Some([present, null]) = branches.as_array().map(Vec::as_slice)
                && is_null_only(null)
            {
                return self.walk(present, value, pointer);
            }
            // Open enums are `[<X>Known, {type: string}]`; other compositions are ambiguous.
            let open = branches
                .as_array()
                .and_then(|b| b.first())
                .is_some_and(|known| deref(known).get("enum").is_some());
            if open && value.is_string() {
                self.enums.push((pointer, true));
            } else if let Some(refused) = outside_every_branch(branches) {
                self.refused.push((pointer, refused));
            }
            return;
        }
        if schema.get("enum").is_some() {
            self.enums.push((pointer.clone(), false));
        }
        let Some(kind) = schema.get("type").and_then(Value::as_str) else {
            return;
        };
        if let Some(refused) = refused_text(schema) {
            self.refused.push((pointer.clone(), refused));
        }
        let free_form = kind == "object" && schema.get("properties").is_none();
        if !free_form {
            self.typed.push((pointer.clone(), static_kind(kind)));
        }
        match value {
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.walk(item_schema, item, format!("{pointer}/{i}"));
                    }
                }
            }
            Value::Object(fields) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                let required = schema.get("required").and_then(Value::as_array);
                for name in required.into_iter().flatten().filter_map(Value::as_str) {
                    let nullable = properties
                        .and_then(|p| p.get(name))
                        .is_some_and(|p| p.get("nullable") == Some(&Value::Bool(true)));
                    if fields.contains_key(name) && !nullable {
                        self.required.push((pointer.clone(), name.to_string()));
                    }
                }
                for (name, field) in fields {
                    if let Some(property) = properties.and_then(|p| p.get(name)) {
                        self.walk(property, field, format!("{pointer}/{}", escape(name)));
                    }
                }
            }
            _ => {}
        }
    }
}

/// A text a string schema with a length or a pattern refuses: one character too many, or a
/// control character, which none of the spec's patterns allows.
fn refused_text(schema: &Value) -> Option<Value> {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    let bound = |key| schema.get(key).and_then(Value::as_u64);
    match (
        bound("maxLength"),
        schema.get("pattern"),
        bound("minLength"),
    ) {
        (Some(max), _, _) => Some(json!("x".repeat(max as usize + 1))),
        (None, Some(_), _) => Some(json!("\u{1}")),
        (None, None, Some(min)) if min > 0 => Some(json!("")),
        _ => None,
    }
}

/// A value of a JSON type that no branch of a `oneOf` has, when the branches name theirs.
fn outside_every_branch(branches: &'static Value) -> Option<Value> {
    let kinds: Vec<&str> = branches
        .as_array()?
        .iter()
        .map(|branch| deref(branch).get("type").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    [
        json!(12345),
        json!(true),
        json!([1]),
        json!("text"),
        json!({}),
    ]
    .into_iter()
    .find(|value| !kinds.iter().any(|kind| kind_of(value) == *kind))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Number(_) => "integer",
        Value::Bool(_) => "boolean",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        _ => "object",
    }
}

fn static_kind(kind: &str) -> &'static str {
    match kind {
        "string" => "string",
        "integer" => "integer",
        "number" => "number",
        "boolean" => "boolean",
        "array" => "array",
        _ => "object",
    }
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A value of another JSON type than `kind` at `pointer`. An object is replaced by an array
/// only at the payload's root: serde's derived structs read an array field by field, and
/// the client refuses that for the payload itself (`envelope::object_only`) but not for
/// nested objects, where a string stands in.
fn wrong_type(kind: &str, pointer: &str) -> Value {
    match kind {
        "string" => json!(12345),
        "integer" | "number" => json!("not a number"),
        "boolean" => json!("yes"),
        "array" => json!({"not": "a list"}),
        _ if pointer.is_empty() => json!(["not an object"]),
        _ => json!("not an object"),
    }
}

fn payload_and_pick(op: &'static OperationMeta) -> impl Strategy<Value = (Value, Index)> {
    (values(payload_schema(op)), any::<Index>())
}

/// Runs `test` on one site of each random payload of every operation, picked among the
/// sites `take` chooses; payloads without such a site pass.
fn at_every_site<T>(
    take: impl Fn(Sites) -> Vec<T>,
    test: impl Fn(&'static OperationMeta, &Value, &T) -> Result<(), TestCaseError>,
) {
    for_every_operation(MUTATION_CASES, payload_and_pick, |op, (payload, pick)| {
        let sites = take(Sites::of(payload_schema(op), &payload));
        if sites.is_empty() {
            return Ok(());
        }
        test(op, &payload, &sites[pick.index(sites.len())])
    });
}

#[test]
fn a_dropped_required_property_is_a_decode_error() {
    at_every_site(
        |sites| sites.required,
        |op, payload, (object, name)| {
            let mut broken = payload.clone();
            if let Some(Value::Object(fields)) = broken.pointer_mut(object) {
                fields.remove(name);
            }
            let body = serde_json::to_vec(&success(&broken)).expect("serialises");
            let missing = format!("missing field `{name}`");
            assert_names(
                op,
                &decode(op, &body),
                &path_of(&broken, object),
                Some(&missing),
            )
        },
    );
}

#[test]
fn a_value_of_the_wrong_type_is_a_decode_error() {
    at_every_site(
        |sites| sites.typed,
        |op, payload, (pointer, kind)| refused_at(op, payload, pointer, wrong_type(kind, pointer)),
    );
}

/// Puts `value` at `pointer` of `payload`: the answer must be a decode error naming it.
fn refused_at(
    op: &OperationMeta,
    payload: &Value,
    pointer: &str,
    value: Value,
) -> Result<(), TestCaseError> {
    let mut broken = payload.clone();
    if let Some(slot) = broken.pointer_mut(pointer) {
        *slot = value;
    }
    let body = serde_json::to_vec(&success(&broken)).expect("serialises");
    assert_names(op, &decode(op, &body), &path_of(&broken, pointer), None)
}

/// A value its type reads and then refuses (a pattern, a length, a `oneOf`) is refused
/// while serde_json still knows where: the error names the value, not the object around it.
#[test]
fn a_value_its_type_refuses_is_a_decode_error_at_that_value() {
    at_every_site(
        |sites| sites.refused,
        |op, payload, (pointer, refused)| refused_at(op, payload, pointer, refused.clone()),
    );
}

#[test]
fn an_unknown_enum_value_is_kept_when_open_and_refused_when_closed() {
    let strategy = |op| (payload_and_pick(op), unknown_enum_value());
    for_every_operation(
        MUTATION_CASES,
        strategy,
        |op, ((payload, pick), unknown)| {
            let sites = Sites::of(payload_schema(op), &payload);
            if sites.enums.is_empty() {
                return Ok(());
            }
            let (pointer, open) = &sites.enums[pick.index(sites.enums.len())];
            let mut changed = payload.clone();
            if let Some(slot) = changed.pointer_mut(pointer) {
                *slot = unknown.clone();
            }
            let body = serde_json::to_vec(&success(&changed)).expect("serialises");
            match (decode(op, &body), open) {
                (Ok(decoded), true) => {
                    prop_assert_eq!(decoded.pointer(pointer), Some(&unknown));
                    prop_assert_eq!(meaningful(&decoded), meaningful(&changed));
                }
                (outcome, true) => prop_assert!(
                    false,
                    "{}: open enum at `{pointer}` refused {unknown}: {outcome:?}",
                    op.operation_id
                ),
                (outcome, false) => assert_names(op, &outcome, &path_of(&changed, pointer), None)?,
            }
            Ok(())
        },
    );
}

#[test]
fn truncated_answers_are_decode_errors() {
    for_every_operation(MUTATION_CASES, payload_and_pick, |op, (payload, cut)| {
        let body = serde_json::to_vec(&success(&payload)).expect("serialises");
        let cut = cut.index(body.len());
        let outcome = decode(op, &body[..cut]);
        prop_assert!(
            is_decode_error(&outcome),
            "{}: {cut} of {} bytes: {outcome:?}",
            op.operation_id,
            body.len()
        );
        Ok(())
    });
}

#[test]
fn flipped_bytes_never_panic_nor_read_as_an_empty_success() {
    let strategy = |op| (payload_and_pick(op), any::<u8>(), 1..3usize);
    for_every_operation(
        MUTATION_CASES,
        strategy,
        |op, ((payload, at), with, flips)| {
            let mut body = serde_json::to_vec(&success(&payload)).expect("serialises");
            for n in 0..flips {
                let i = (at.index(body.len()) + n * 7) % body.len();
                body[i] ^= with.max(1);
            }
            match decode(op, &body) {
                Ok(decoded) => assert_not_empty(op, &decoded),
                Err(error) => {
                    // Every error renders; its text never holds the whole body.
                    let _ = format!("{error} {error:?}");
                    Ok(())
                }
            }
        },
    );
}

/// An error code: the vendor's known ones, numbers as text, and new ones.
fn error_code() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "INVALID_REQUEST",
            "BAD_REQUEST",
            "NOT_FOUND",
            "TOO_MANY_REQUEST",
            "REQUEST_FAILED",
            "405",
            "500",
        ])
        .prop_map(str::to_string),
        "[A-Z_]{1,20}",
    ]
}

/// A reason: Korean text, or a field → message map.
fn reason() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[가-힣a-z0-9 .()]{0,40}".prop_map(Value::String),
        proptest::collection::btree_map("[a-z][a-zA-Z.]{0,10}", "[가-힣 ]{1,12}", 1..4)
            .prop_map(|map| json!(map)),
    ]
}

#[test]
fn a_fail_keeps_its_code_and_reason_whatever_success_holds() {
    let strategy = |op| {
        let success = prop_oneof![
            Just(Value::Null),
            Just(json!({})),
            Just(json!([])),
            Just(json!("")),
            values(payload_schema(op)),
        ];
        (error_code(), reason(), success, any::<bool>())
    };
    for_every_operation(
        MUTATION_CASES,
        strategy,
        |op, (code, why, payload, first)| {
            let answer = if first {
                json!({"resultType": "FAIL", "success": payload, "error": {"errorCode": code, "reason": why}})
            } else {
                json!({"error": {"errorCode": code, "reason": why}, "success": payload, "resultType": "FAIL"})
            };
            let body = serde_json::to_vec(&answer).expect("serialises");
            let outcome = decode(op, &body);
            let Err(error) = &outcome else {
                return Err(TestCaseError::fail(format!(
                    "{}: a FAIL decoded as {outcome:?}",
                    op.operation_id
                )));
            };
            prop_assert_eq!(error.code(), Some(&ErrorCode::from(code.as_str())));
            if code == "TOO_MANY_REQUEST" {
                prop_assert!(error.is_rate_limited(), "{error:?}");
            } else {
                prop_assert!(matches!(error, Error::Api(_)), "{error:?}");
            }
            let expected = match &why {
                Value::String(text) => Reason::Text(text.clone()),
                Value::Object(fields) => Reason::Fields(
                    fields
                        .iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect(),
                ),
                other => unreachable!("the strategy gives text or maps, not {other}"),
            };
            prop_assert_eq!(error.reason(), Some(&expected));
            Ok(())
        },
    );
}

/// JSON that is not an envelope: scalars, arrays, and objects without any envelope key.
fn not_an_envelope() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-zA-Z가-힣 ]{0,10}".prop_map(Value::String),
    ];
    let tree = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..4).prop_map(|map| json!(map)),
        ]
    });
    tree.prop_filter("not an envelope key", |value| {
        value.as_object().is_none_or(|fields| {
            ["resultType", "error", "errorCode", "reason"]
                .iter()
                .all(|key| !fields.contains_key(*key))
        })
    })
}

#[test]
fn bodies_that_are_not_envelopes_are_decode_errors() {
    for_every_operation(
        MUTATION_CASES,
        |_| not_an_envelope(),
        |op, body| {
            let bytes = serde_json::to_vec(&body).expect("serialises");
            let outcome = decode(op, &bytes);
            prop_assert!(
                is_decode_error(&outcome),
                "{}: {body} gave {outcome:?}",
                op.operation_id
            );
            Ok(())
        },
    );
}

#[test]
fn the_order_of_the_envelope_keys_does_not_matter() {
    let strategy = |op| {
        (
            values(payload_schema(op)),
            Just([0usize, 1, 2]).prop_shuffle(),
        )
    };
    for_every_operation(MUTATION_CASES, strategy, |op, (payload, order)| {
        let parts = [
            r#""resultType":"SUCCESS""#.to_string(),
            format!(r#""success":{payload}"#),
            r#""error":null"#.to_string(),
        ];
        let shuffled = format!(
            "{{{}}}",
            order
                .iter()
                .map(|&i| parts[i].as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let canonical = serde_json::to_vec(&success(&payload)).expect("serialises");
        let (Ok(expected), Ok(got)) = (decode(op, &canonical), decode(op, shuffled.as_bytes()))
        else {
            return Err(TestCaseError::fail(format!(
                "{}: {shuffled} did not decode like the canonical order",
                op.operation_id
            )));
        };
        prop_assert_eq!(got, expected);
        Ok(())
    });
}
