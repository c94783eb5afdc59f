//! Request bodies through the spec's body checks (`toss_shopping::operation::check_request_body`,
//! what the client and the local server run) and the product rules
//! (`toss_shopping::products::validate_json`): random valid bodies pass unchanged, mutated
//! ones are refused with the field they broke, and nothing panics.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};
use toss_shopping::operation::{Param, ParamKind};
use toss_shopping::products::{BodyKind, Rule, validate_json};
use toss_shopping::{InvalidRequestError, OperationMeta, Problem, operations};

use crate::schema_values::values;
use crate::support::{cases, deref, meaningful, request_schema, runner};

/// Bodies per operation and property.
const CASES: u32 = 32;

/// The operations that take a JSON body, with its schema.
fn with_body() -> Vec<(&'static OperationMeta, &'static Value)> {
    operations()
        .iter()
        .filter(|op| op.request_body.is_some())
        .map(|op| {
            let schema = request_schema(op)
                .unwrap_or_else(|| panic!("{}: no JSON body in the spec", op.operation_id));
            (op, schema)
        })
        .collect()
}

fn check(op: &OperationMeta, body: &Value) -> Result<Value, InvalidRequestError> {
    let bytes = serde_json::to_vec(body).expect("serialises");
    toss_shopping::operation::check_request_body(op.operation_id, &bytes)
        .unwrap_or_else(|| panic!("{} takes a body but has no check", op.operation_id))
}

/// `/stocks/0/valueName` as the checks name it: `body.stocks[0].valueName`.
fn field_name(pointer: &str) -> String {
    let mut name = "body".to_string();
    for token in pointer.split('/').skip(1) {
        if token.parse::<usize>().is_ok() {
            name.push_str(&format!("[{token}]"));
        } else {
            name.push('.');
            name.push_str(&token.replace("~1", "/").replace("~0", "~"));
        }
    }
    name
}

/// Required, non-nullable properties present in `value`, as `(object pointer, name)`.
fn required_sites(
    schema: &'static Value,
    value: &Value,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) {
    let schema = deref(schema);
    match value {
        Value::Object(fields) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required = schema.get("required").and_then(Value::as_array);
            for name in required.into_iter().flatten().filter_map(Value::as_str) {
                let nullable = properties
                    .and_then(|p| p.get(name))
                    .is_some_and(|p| p.get("nullable") == Some(&Value::Bool(true)));
                if fields.contains_key(name) && !nullable {
                    out.push((pointer.to_string(), name.to_string()));
                }
            }
            for (name, field) in fields {
                if let Some(property) = properties.and_then(|p| p.get(name)) {
                    required_sites(property, field, &format!("{pointer}/{name}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    required_sites(item_schema, item, &format!("{pointer}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Strings with a `pattern` or a `maxLength` in `value`, as `(pointer, schema)`.
fn string_rule_sites(
    schema: &'static Value,
    value: &Value,
    pointer: &str,
    out: &mut Vec<(String, &'static Value)>,
) {
    let schema = deref(schema);
    match value {
        Value::String(_)
            if schema.get("pattern").is_some() || schema.get("maxLength").is_some() =>
        {
            out.push((pointer.to_string(), schema));
        }
        Value::Object(fields) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, field) in fields {
                if let Some(property) = properties.and_then(|p| p.get(name)) {
                    string_rule_sites(property, field, &format!("{pointer}/{name}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    string_rule_sites(item_schema, item, &format!("{pointer}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}

/// Runs `test` on `CASES` bodies of every operation that takes one.
fn for_every_body<S: Strategy>(
    strategy: impl Fn(&'static Value) -> S,
    test: impl Fn(&'static OperationMeta, &'static Value, S::Value) -> Result<(), TestCaseError>,
) {
    let all = with_body();
    assert!(all.len() >= 10, "only {} operations take a body", all.len());
    for (op, schema) in all {
        runner(CASES)
            .run(&strategy(schema), |value| test(op, schema, value))
            .unwrap_or_else(|failure| panic!("{}: {failure}", op.operation_id));
    }
}

#[test]
fn valid_bodies_pass_unchanged() {
    for_every_body(values, |op, _, body| match check(op, &body) {
        Ok(checked) => {
            prop_assert_eq!(meaningful(&checked), meaningful(&body));
            Ok(())
        }
        Err(error) => Err(TestCaseError::fail(format!(
            "{}: {error}\n  body {body}",
            op.operation_id
        ))),
    });
}

#[test]
fn a_dropped_required_field_is_refused_by_name() {
    for_every_body(
        |schema| (values(schema), any::<Index>()),
        |op, schema, (body, pick)| {
            let mut sites = Vec::new();
            required_sites(schema, &body, "", &mut sites);
            if sites.is_empty() {
                return Ok(());
            }
            let (object, name) = &sites[pick.index(sites.len())];
            let mut broken = body.clone();
            if let Some(Value::Object(fields)) = broken.pointer_mut(object) {
                fields.remove(name);
            }
            let error = check(op, &broken).err();
            let expected = field_name(&format!("{object}/{name}"));
            prop_assert!(
                matches!(&error, Some(e) if e.field == expected && e.problem == Problem::Missing),
                "{}: without {expected}: {error:?}",
                op.operation_id
            );
            Ok(())
        },
    );
}

#[test]
fn a_broken_pattern_or_length_is_refused_by_name() {
    for_every_body(
        |schema| {
            (
                values(schema),
                any::<Index>(),
                prop_oneof![Just("!!"), Just("\u{1F600}"), Just("<script>")],
            )
        },
        |op, schema, (body, pick, junk)| {
            let mut sites = Vec::new();
            string_rule_sites(schema, &body, "", &mut sites);
            if sites.is_empty() {
                return Ok(());
            }
            let (pointer, rules) = &sites[pick.index(sites.len())];
            let mut broken = body.clone();
            let too_long = rules
                .get("maxLength")
                .and_then(Value::as_u64)
                .map(|max| "가".repeat(max as usize + 1));
            let Some(Value::String(text)) = broken.pointer_mut(pointer) else {
                return Ok(());
            };
            // A character no pattern of the spec allows, or one too many.
            match (rules.get("pattern"), too_long) {
                (Some(_), _) => text.push_str(junk),
                (None, Some(long)) => *text = long,
                (None, None) => return Ok(()),
            }
            let error = check(op, &broken).err();
            prop_assert!(
                matches!(&error, Some(e) if e.field == field_name(pointer)
                    && matches!(e.problem, Problem::Pattern { .. } | Problem::TooLong { .. })),
                "{}: {} broken: {error:?}",
                op.operation_id,
                field_name(pointer)
            );
            Ok(())
        },
    );
}

#[test]
fn a_value_of_the_wrong_type_is_refused_by_name() {
    for_every_body(
        |schema| (values(schema), any::<Index>()),
        |op, _, (body, pick)| {
            // Replace a scalar somewhere in the body by an array, which no scalar takes.
            let mut scalars = Vec::new();
            collect_scalars(&body, "", &mut scalars);
            if scalars.is_empty() {
                return Ok(());
            }
            let pointer = &scalars[pick.index(scalars.len())];
            let mut broken = body.clone();
            if let Some(slot) = broken.pointer_mut(pointer) {
                *slot = json!([[]]);
            }
            match check(op, &broken) {
                Err(error) => {
                    prop_assert!(
                        field_name(pointer).starts_with(&error.field),
                        "{}: {} replaced, refused at {}",
                        op.operation_id,
                        field_name(pointer),
                        error.field
                    );
                }
                // Free-form parts take any JSON.
                Ok(_) => prop_assert!(
                    op.request_body == Some("FreeFormObject"),
                    "{}: {pointer} took an array",
                    op.operation_id
                ),
            }
            Ok(())
        },
    );
}

fn collect_scalars(value: &Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                collect_scalars(field, &format!("{pointer}/{name}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_scalars(item, &format!("{pointer}/{i}"), out);
            }
        }
        Value::Null => {}
        _ => out.push(pointer.to_string()),
    }
}

/// Product bodies: the product rules never panic, a schema-valid body has no schema
/// finding, and a dropped required field is an error finding at its place.
#[test]
fn product_bodies_are_checked_field_by_field() {
    let product_ops: Vec<_> = with_body()
        .into_iter()
        .filter(|(op, _)| op.request_body == Some("ProductRegistration"))
        .collect();
    assert!(
        !product_ops.is_empty(),
        "no operation takes a ProductRegistration"
    );
    let (_, schema) = product_ops[0];
    runner(cases(CASES * 2))
        .run(
            &(values(schema), any::<Index>(), any::<bool>()),
            |(body, pick, replace)| {
                let kind = if replace {
                    BodyKind::Replacement
                } else {
                    BodyKind::Registration
                };
                let validation = validate_json(&body, kind, None);
                let schema_findings: Vec<_> = validation
                    .findings()
                    .iter()
                    .filter(|f| f.rule == Rule::Schema)
                    .collect();
                prop_assert!(
                    schema_findings.is_empty(),
                    "{schema_findings:?}\n  body {body}"
                );
                let mut sites = Vec::new();
                required_sites(schema, &body, "", &mut sites);
                if let Some((object, name)) = sites.get(pick.index(sites.len().max(1))) {
                    let mut broken = body.clone();
                    if let Some(Value::Object(fields)) = broken.pointer_mut(object) {
                        fields.remove(name);
                    }
                    let pointer = format!("{object}/{name}");
                    let validation = validate_json(&broken, kind, None);
                    prop_assert!(
                        validation.errors().any(|f| f.pointer() == pointer),
                        "without {pointer}: {:?}",
                        validation.findings()
                    );
                }
                Ok(())
            },
        )
        .unwrap_or_else(|failure| panic!("{failure}"));
}

proptest! {
    #![proptest_config(crate::support::config(256))]

    /// Arbitrary JSON as a product body, of either kind: findings, never a panic.
    #[test]
    fn arbitrary_json_as_a_product_body_never_panics(body in arbitrary_json()) {
        for kind in [BodyKind::Registration, BodyKind::Replacement] {
            let validation = validate_json(&body, kind, None);
            for finding in validation.findings() {
                let _ = finding.pointer();
            }
        }
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let keys = prop_oneof![
            proptest::sample::select(vec![
                "name",
                "stocks",
                "images",
                "price",
                "salePrice",
                "originPrice",
                "isMainPrice",
                "exposure",
                "description",
                "deliveryPolicy",
                "notice",
                "keywords",
                "brandName",
                "optionGroups",
                "type",
                "url",
                "html"
            ])
            .prop_map(str::to_string),
            "[a-zA-Z]{1,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(keys, inner, 0..6).prop_map(|map| json!(map)),
        ]
    })
}

// ---------------------------------------------------------------- path and query parameters

/// A value `param` accepts: a number, a day, one of its values, or text its pattern matches.
fn valid_param(param: &'static Param) -> BoxedStrategy<String> {
    match (param.kind, param.pattern) {
        (ParamKind::Integer, _) => any::<i64>().prop_map(|n| n.to_string()).boxed(),
        (ParamKind::Date, _) => crate::schema_values::naive_date()
            .prop_map(|d| d.format("%Y-%m-%d").to_string())
            .boxed(),
        (ParamKind::OneOf(values), _) => proptest::sample::select(values)
            .prop_map(str::to_string)
            .boxed(),
        (ParamKind::Text, Some(pattern)) => {
            proptest::string::string_regex(pattern.trim_start_matches('^').trim_end_matches('$'))
                .unwrap_or_else(|e| panic!("{}: pattern {pattern}: {e}", param.name))
                .boxed()
        }
        (ParamKind::Text, None) => ".{0,20}".boxed(),
    }
}

/// Every path and query parameter of every operation: values of its kind pass; values of
/// another kind, unknown choices and text outside the pattern are refused with a message.
#[test]
fn parameters_take_their_values_and_refuse_others() {
    let params: Vec<&'static Param> = operations().iter().flat_map(|op| op.params).collect();
    assert!(params.len() >= 50, "only {} parameters", params.len());
    for param in params {
        let strategy = (valid_param(param), ".{0,12}");
        runner(16)
            .run(&strategy, |(valid, other)| {
                prop_assert_eq!(param.check(&valid), Ok(()), "{:?}", valid);
                let refused = match param.kind {
                    ParamKind::Integer => other.parse::<i64>().is_err(),
                    ParamKind::Date => {
                        chrono::NaiveDate::parse_from_str(&other, "%Y-%m-%d").is_err()
                    }
                    ParamKind::OneOf(values) => !values.contains(&other.as_str()),
                    _ => param.pattern.is_some_and(|p| {
                        !regress::Regex::new(p).is_ok_and(|re| re.find(&other).is_some())
                    }),
                };
                if refused {
                    let message = param.check(&other).err();
                    prop_assert!(
                        message.is_some_and(|m| !m.is_empty()),
                        "{} took {:?}",
                        param.name,
                        other
                    );
                }
                Ok(())
            })
            .unwrap_or_else(|failure| panic!("{}: {failure}", param.name));
    }
}
