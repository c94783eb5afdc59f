//! A proptest [`Strategy`] that turns an OpenAPI 3.0 schema of the spec into random values
//! the schema accepts: objects with their required and some optional properties, arrays
//! within their item counts, strings by `pattern` (proptest's `string_regex`) or length,
//! KST dates and date-times in the wire form, integers within their bounds and format,
//! enums, `oneOf`/`anyOf` (open enums mostly with a known value), `allOf`, `$ref` and
//! `nullable`.
//!
//! The schemas are read from the spec itself, so a new field is covered without a change
//! here. Values come out in the form the client writes back (seconds always written,
//! fractions as chrono's `%.f`), so a decoded value can be compared with what was sent.

use chrono::{NaiveDate, NaiveDateTime};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};

use crate::support::{deref, ref_name, resolve};

/// Beyond this nesting depth arrays are empty and optional properties absent, so a
/// (hypothetically) recursive schema still yields finite values.
const MAX_DEPTH: u32 = 8;

/// At most this many items in an array whose schema sets no `maxItems`.
const DEFAULT_MAX_ITEMS: usize = 3;

/// Random values of `schema` (a schema object of the spec, possibly a `$ref`).
pub fn values(schema: &'static Value) -> BoxedStrategy<Value> {
    strategy(schema, 0)
}

/// Random values of `schema` other than `null`, even where the schema is nullable: an
/// answer's payload, which a `SUCCESS` must carry.
pub fn present_values(schema: &'static Value) -> BoxedStrategy<Value> {
    non_null(schema, 0)
}

fn strategy(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    let inner = non_null(schema, depth);
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) || has_null_branch(schema) {
        prop_oneof![1 => Just(Value::Null), 4 => inner].boxed()
    } else {
        inner
    }
}

fn non_null(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return match ref_name(reference) {
            "KstDateTime" => kst_date_time().boxed(),
            "KstDate" => kst_date().boxed(),
            _ => strategy(resolve(reference), depth),
        };
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        return all_of(parts, depth);
    }
    if let Some(branches) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        // `anyOf: [X, {nullable, enum: [null]}]` is how OpenAPI 3.0.3 lets X be null; the
        // null is `strategy`'s to give.
        if let [present, null] = branches.as_slice()
            && is_null_only(null)
        {
            return non_null(present, depth);
        }
        return one_of(branches, depth);
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        return select(choices.clone()).boxed();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => string(schema),
        Some("integer") => integer(schema),
        Some("number") => (-1.0e9..1.0e9f64)
            .prop_map(|n| Number::from_f64(n).map_or(Value::Null, Value::Number))
            .boxed(),
        Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
        Some("array") => array(schema, depth),
        Some("object") => object(schema, depth),
        _ if schema.get("properties").is_some() => object(schema, depth),
        // No type: any JSON (e.g. the failures' `data`).
        _ => free_form(),
    }
}

/// A schema whose only value is `null`: the null branch of a nullable reference.
pub fn is_null_only(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool) == Some(true)
        && schema.get("enum") == Some(&Value::Array(vec![Value::Null]))
}

/// `anyOf: [X, null]`: a reference that may be null, as OpenAPI 3.0.3 writes it.
fn has_null_branch(schema: &Value) -> bool {
    schema
        .get("anyOf")
        .and_then(Value::as_array)
        .is_some_and(|branches| branches.iter().any(is_null_only))
}

/// `allOf`: one part is the part itself; several object parts are merged.
fn all_of(parts: &'static [Value], depth: u32) -> BoxedStrategy<Value> {
    if let [only] = parts {
        return strategy(only, depth);
    }
    parts
        .iter()
        .map(|part| strategy(part, depth))
        .collect::<Vec<_>>()
        .prop_map(|values| {
            let mut merged = Map::new();
            for value in values {
                if let Value::Object(fields) = value {
                    merged.extend(fields);
                }
            }
            Value::Object(merged)
        })
        .boxed()
}

/// `oneOf`/`anyOf`. An open enum (a reference to an `enum` schema and a plain string) gives
/// a known value four times in five and any other text otherwise.
fn one_of(branches: &'static [Value], depth: u32) -> BoxedStrategy<Value> {
    if let [known, unknown] = branches
        && deref(known).get("enum").is_some()
        && unknown.get("type").and_then(Value::as_str) == Some("string")
    {
        return prop_oneof![4 => strategy(known, depth), 1 => unknown_enum_value()].boxed();
    }
    let options: Vec<_> = branches.iter().map(|b| strategy(b, depth)).collect();
    proptest::strategy::Union::new(options).boxed()
}

/// A value no enum of the spec holds: upper-case words, as the vendor writes its values.
pub fn unknown_enum_value() -> impl Strategy<Value = Value> + Clone {
    "NEW_[A-Z]{1,8}(_[A-Z]{1,6})?".prop_map(Value::String)
}

fn string(schema: &'static Value) -> BoxedStrategy<Value> {
    if schema.get("format").and_then(Value::as_str) == Some("date") {
        return kst_date().boxed();
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        let body = pattern.trim_start_matches('^').trim_end_matches('$');
        return proptest::string::string_regex(body)
            .unwrap_or_else(|e| panic!("pattern {pattern} is not generable: {e}"))
            .prop_map(Value::String)
            .boxed();
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(12)
        .min(min + 12);
    let chars = prop_oneof![
        6 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('0', '9'),
        2 => proptest::char::range('가', '힣'),
        1 => Just(' '),
    ];
    vec(chars, usize_of(min)..=usize_of(max))
        .prop_map(|chars| Value::String(chars.into_iter().collect()))
        .boxed()
}

fn integer(schema: &'static Value) -> BoxedStrategy<Value> {
    let (low, high) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let low = schema
        .get("minimum")
        .and_then(Value::as_i64)
        .map_or(low, |min| min.max(low));
    let high = schema
        .get("maximum")
        .and_then(Value::as_i64)
        .map_or(high, |max| max.min(high));
    // Small values most of the time (ids and amounts), the whole range sometimes.
    let small_high = high.min(low.saturating_add(100_000).max(low));
    prop_oneof![
        3 => low.max(0).min(small_high)..=small_high,
        1 => low..=high,
    ]
    .prop_map(|n| Value::Number(n.into()))
    .boxed()
}

fn array(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    let min = schema
        .get("minItems")
        .and_then(Value::as_u64)
        .map_or(0, usize_of);
    let max = schema
        .get("maxItems")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_MAX_ITEMS, usize_of)
        .min(min + DEFAULT_MAX_ITEMS);
    if depth >= MAX_DEPTH {
        return Just(Value::Array(Vec::new())).boxed();
    }
    let items = schema
        .get("items")
        .unwrap_or_else(|| panic!("an array schema without items: {schema}"));
    vec(strategy(items, depth + 1), min..=max.max(min))
        .prop_map(Value::Array)
        .boxed()
}

fn object(schema: &'static Value, depth: u32) -> BoxedStrategy<Value> {
    let properties = schema.get("properties").and_then(Value::as_object);
    let Some(properties) = properties.filter(|p| !p.is_empty()) else {
        return match schema.get("additionalProperties") {
            Some(extra) if extra.is_object() => {
                btree_map("[a-z]{1,8}", strategy(extra, depth + 1), 0..3)
                    .prop_map(|map| Value::Object(map.into_iter().collect()))
                    .boxed()
            }
            _ => free_form_object(),
        };
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
        .iter()
        .map(|(name, property)| {
            let name = name.clone();
            let value = strategy(property, depth + 1);
            if required.contains(&name.as_str()) {
                value.prop_map(move |v| Some((name.clone(), v))).boxed()
            } else if depth >= MAX_DEPTH {
                Just(None).boxed()
            } else {
                proptest::option::of(value.prop_map(move |v| (name.clone(), v))).boxed()
            }
        })
        .collect();
    fields
        .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
        .boxed()
}

/// Any small JSON value.
fn free_form() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| Value::Number(n.into())),
        "[a-z가-힣 ]{0,8}".prop_map(Value::String),
        free_form_object(),
    ]
    .boxed()
}

/// A small object of scalars, for schemas that leave the shape open.
fn free_form_object() -> BoxedStrategy<Value> {
    let scalar = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| Value::Number(n.into())),
        "[a-z가-힣 ]{0,8}".prop_map(Value::String),
    ];
    btree_map("[a-z][a-zA-Z]{0,7}", scalar, 0..3)
        .prop_map(|map| Value::Object(map.into_iter().collect()))
        .boxed()
}

/// A calendar date of years 0001-9999.
pub fn naive_date() -> impl Strategy<Value = NaiveDate> + Clone {
    (1..=9999i32, 1..=366u32).prop_filter_map("day of year exists", |(year, day)| {
        NaiveDate::from_yo_opt(year, day)
    })
}

/// A wall-clock date-time with whole seconds, milli-, micro- or nanoseconds.
pub fn naive_date_time() -> impl Strategy<Value = NaiveDateTime> + Clone {
    let nanos = prop_oneof![
        3 => Just(0u32),
        1 => (0..1000u32).prop_map(|ms| ms * 1_000_000),
        1 => (0..1_000_000u32).prop_map(|us| us * 1_000),
        1 => 0..1_000_000_000u32,
    ];
    (naive_date(), 0..24u32, 0..60u32, 0..60u32, nanos)
        .prop_filter_map("time exists", |(date, h, m, s, n)| {
            date.and_hms_nano_opt(h, m, s, n)
        })
}

/// `yyyy-MM-ddTHH:mm:ss[.fff]`, the offset-less KST form the API sends and the client writes.
fn kst_date_time() -> impl Strategy<Value = Value> {
    naive_date_time().prop_map(|t| Value::String(t.format("%Y-%m-%dT%H:%M:%S%.f").to_string()))
}

/// `yyyy-MM-dd`.
fn kst_date() -> impl Strategy<Value = Value> {
    naive_date().prop_map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
}

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
