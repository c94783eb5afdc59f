//! The spec's own rules for a body, read from the spec, every break reported at once.
//!
//! The generated types refuse a bad value one at a time (and do not count nested lists); this
//! walks a JSON body against the body's schema from `spec/toss-shopping.yaml`, which the build
//! emits with every `$ref` resolved (`codegen/src/product_body.rs`), and reports every break with
//! its path. So the patterns, lengths, counts and required lists live in the spec only.
//! Patterns are matched with `regress`, the engine of the generated types, so the two never
//! disagree; the build refuses a schema keyword this module does not check.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value};

use super::finding::{Rule, Validation, join};
use crate::invalid::Problem;

/// One schema, parsed once, with its pattern compiled.
#[derive(Debug)]
pub(crate) struct Node {
    /// The JSON type (`object`, `array`, `string`, `integer`, `number`, `boolean`), if any.
    kind: Option<String>,
    /// `format: int32`: an integer that fits 32 bits.
    int32: bool,
    nullable: bool,
    properties: Vec<(String, Node)>,
    required: Vec<String>,
    items: Option<Box<Node>>,
    pattern: Option<(String, regress::Regex)>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    allowed: Option<Vec<Value>>,
}

/// Schemas parsed from their JSON text, kept for the life of the process (there is one per
/// product body schema of the spec).
type Compiled = Mutex<HashMap<&'static str, Arc<Result<Node, String>>>>;

static COMPILED: std::sync::LazyLock<Compiled> = std::sync::LazyLock::new(Compiled::default);

/// The schema of `text` (one of the generated constants), parsed on first use.
fn compiled(text: &'static str) -> Arc<Result<Node, String>> {
    let mut cache = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(text)
        .or_insert_with(|| Arc::new(parse(text)))
        .clone()
}

/// Checks `body` against the schema in `schema` (resolved JSON Schema text from the build),
/// adding every break to `out`.
pub(crate) fn check(schema: &'static str, body: &Value, out: &mut Validation) {
    match &*compiled(schema) {
        Ok(node) => node.check(body, "", out),
        // Only a broken build can get here; say so rather than pass the body unchecked.
        Err(error) => out.add(
            Rule::Schema,
            "",
            format!("the SDK cannot read its copy of the spec ({error}); report this as a bug"),
        ),
    }
}

fn parse(text: &str) -> Result<Node, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Node::from_value(&value)
}

impl Node {
    fn from_value(value: &Value) -> Result<Self, String> {
        let object = value.as_object().ok_or("a schema must be an object")?;
        let count = |key: &str| -> Option<usize> {
            object
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let pattern = match object.get("pattern").and_then(Value::as_str) {
            Some(pattern) => {
                let regex = regress::Regex::new(pattern).map_err(|e| format!("{pattern}: {e}"))?;
                Some((pattern.to_string(), regex))
            }
            None => None,
        };
        let mut properties = Vec::new();
        for (name, property) in object
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            properties.push((name.clone(), Self::from_value(property)?));
        }
        let items = match object.get("items") {
            Some(items) => Some(Box::new(Self::from_value(items)?)),
            None => None,
        };
        Ok(Self {
            kind: object
                .get("type")
                .and_then(Value::as_str)
                .map(str::to_string),
            int32: object.get("format").and_then(Value::as_str) == Some("int32"),
            nullable: object.get("nullable").and_then(Value::as_bool) == Some(true),
            properties,
            required: object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            items,
            pattern,
            min_length: count("minLength"),
            max_length: count("maxLength"),
            min_items: count("minItems"),
            max_items: count("maxItems"),
            minimum: object.get("minimum").and_then(Value::as_f64),
            maximum: object.get("maximum").and_then(Value::as_f64),
            allowed: object.get("enum").and_then(Value::as_array).cloned(),
        })
    }

    /// Checks `value`, found at `path`, and everything inside it.
    fn check(&self, value: &Value, path: &str, out: &mut Validation) {
        if value.is_null() {
            if !self.nullable && self.kind.is_some() {
                let kind = self.kind.as_deref().unwrap_or_default();
                out.add_problem(Rule::Schema, path.to_string(), wrong_type(kind));
            }
            return;
        }
        if let Some(kind) = &self.kind
            && !has_kind(value, kind, self.int32)
        {
            out.add_problem(Rule::Schema, path.to_string(), wrong_type(kind));
            return;
        }
        if let Some(allowed) = &self.allowed
            && !allowed.contains(value)
        {
            out.add_problem(Rule::Schema, path.to_string(), not_allowed(allowed));
        }
        match value {
            Value::Object(object) => self.check_object(object, path, out),
            Value::Array(items) => self.check_array(items, path, out),
            Value::String(text) => self.check_text(text, path, out),
            Value::Number(number) => self.check_number(number.as_f64(), path, out),
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn check_object(&self, object: &Map<String, Value>, path: &str, out: &mut Validation) {
        for name in &self.required {
            if object
                .get(name)
                .is_none_or(|value| value.is_null() && !self.nullable_property(name))
            {
                out.add_problem(Rule::Schema, join(path, name), Problem::Missing);
            }
        }
        for (name, value) in object {
            let at = join(path, name);
            match self.properties.iter().find(|(known, _)| known == name) {
                // The generated types read a null optional field as left out, and send none.
                Some(_) if value.is_null() && !self.required.contains(name) => {}
                Some((_, node)) => node.check(value, &at, out),
                None if !self.properties.is_empty() => out.add_problem(
                    Rule::UnknownField,
                    at,
                    Problem::Other(
                        "is not part of the request; the API may ignore it or refuse it".into(),
                    ),
                ),
                None => {}
            }
        }
    }

    fn nullable_property(&self, name: &str) -> bool {
        self.properties
            .iter()
            .any(|(known, node)| known == name && node.nullable)
    }

    fn check_array(&self, items: &[Value], path: &str, out: &mut Validation) {
        let actual = items.len();
        let too_few = self.min_items.is_some_and(|min| actual < min);
        let too_many = self.max_items.is_some_and(|max| actual > max);
        if too_few || too_many {
            let problem = Problem::Count {
                actual,
                min: self.min_items,
                max: self.max_items,
            };
            out.add_problem(Rule::Schema, path.to_string(), problem);
        }
        if let Some(node) = &self.items {
            for (index, item) in items.iter().enumerate() {
                node.check(item, &join(path, &format!("[{index}]")), out);
            }
        }
    }

    fn check_text(&self, text: &str, path: &str, out: &mut Validation) {
        // Lengths count characters, as the generated types do.
        let length = text.chars().count();
        if let Some(max) = self.max_length.filter(|max| length > *max) {
            out.add_problem(Rule::Schema, path.to_string(), Problem::TooLong { max });
        }
        if let Some(min) = self.min_length.filter(|min| length < *min) {
            out.add_problem(Rule::Schema, path.to_string(), Problem::TooShort { min });
        }
        if let Some((pattern, regex)) = &self.pattern
            && regex.find(text).is_none()
        {
            let problem = Problem::Pattern {
                pattern: pattern.clone(),
            };
            out.add_problem(Rule::Schema, path.to_string(), problem);
        }
    }

    fn check_number(&self, number: Option<f64>, path: &str, out: &mut Validation) {
        let Some(number) = number else { return };
        if let Some(min) = self.minimum.filter(|min| number < *min) {
            let problem = Problem::Other(format!("must be at least {min}"));
            out.add_problem(Rule::Schema, path.to_string(), problem);
        }
        if let Some(max) = self.maximum.filter(|max| number > *max) {
            let problem = Problem::Other(format!("must be at most {max}"));
            out.add_problem(Rule::Schema, path.to_string(), problem);
        }
    }
}

/// Whether `value` is of the JSON type `kind` as the generated types read it.
fn has_kind(value: &Value, kind: &str, int32: bool) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" if int32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        "integer" => value.is_i64(),
        _ => true,
    }
}

fn wrong_type(kind: &str) -> Problem {
    let expected = match kind {
        "object" => "an object",
        "array" => "a list",
        "string" => "text",
        "boolean" => "true or false",
        "integer" => "a whole number in range",
        _ => "a number",
    };
    Problem::Other(format!("must be {expected}"))
}

fn not_allowed(allowed: &[Value]) -> Problem {
    let values: Vec<String> = allowed
        .iter()
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .collect();
    Problem::Other(format!("must be one of {}", values.join(", ")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::products::tests::valid_registration;
    use crate::products::{BodyKind, Finding};

    fn schema_findings(body: &Value) -> Vec<Finding> {
        let mut out = Validation::default();
        check(BodyKind::Registration.schema(), body, &mut out);
        out.findings().to_vec()
    }

    /// The spec's `ProductRegistration` schema, read straight from the YAML file.
    fn spec_schema(name: &str) -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/toss-shopping.yaml");
        let text = std::fs::read_to_string(path).expect("the spec");
        let spec: Value = serde_norway::from_str(&text).expect("YAML");
        spec["components"]["schemas"][name].clone()
    }

    #[test]
    fn a_valid_body_breaks_no_spec_rule() {
        assert_eq!(schema_findings(&valid_registration()), []);
    }

    #[test]
    fn every_break_is_reported_at_once_with_its_path() {
        let mut body = valid_registration();
        body["name"] = json!("최고@상품");
        body["stocks"][0]["options"][0]["valueName"] = json!("3 kg");
        body["exposure"]["searchKeywords"][1] = json!("띄어 쓴 말");
        body["images"][0]["url"] = json!(format!("https://example.com/{}", "a".repeat(250)));
        body["stocks"][1]["isSoldOut"] = json!(false);
        body["exchangeReturnPolicy"]
            .as_object_mut()
            .expect("an object")
            .remove("applicationTermDescription");
        body["deliveryPolicy"]["preparationDays"] = json!(15);
        body["stocks"][0]["options"] = json!([
            {"groupName": "a", "valueName": "1"}, {"groupName": "b", "valueName": "2"},
            {"groupName": "c", "valueName": "3"}, {"groupName": "d", "valueName": "4"},
        ]);
        let paths: Vec<(String, Rule)> = schema_findings(&body)
            .into_iter()
            .map(|f| (f.path, f.rule))
            .collect();
        for expected in [
            "name",
            "stocks[0].options",
            "exposure.searchKeywords[1]",
            "images[0].url",
            "exchangeReturnPolicy.applicationTermDescription",
            "deliveryPolicy.preparationDays",
        ] {
            assert!(
                paths.contains(&(expected.to_string(), Rule::Schema)),
                "{expected} in {paths:?}"
            );
        }
        assert!(paths.contains(&("stocks[1].isSoldOut".into(), Rule::UnknownField)));
    }

    #[test]
    fn the_patterns_are_the_specs_own() {
        let mut body = valid_registration();
        body["name"] = json!("할인!");
        let finding = schema_findings(&body).remove(0);
        let spec = spec_schema("ProductRegistration");
        assert_eq!(
            finding.problem,
            Some(Problem::Pattern {
                pattern: spec["properties"]["name"]["pattern"]
                    .as_str()
                    .expect("a pattern")
                    .to_string()
            })
        );
    }

    #[test]
    fn the_walker_agrees_with_a_json_schema_validator_on_the_spec() {
        // jsonschema validates the same spec schema independently (dev-only dependency).
        let spec_text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/spec/toss-shopping.yaml"
        ))
        .expect("the spec");
        let spec: Value = serde_norway::from_str(&spec_text).expect("YAML");
        let mut schema = spec["components"]["schemas"]["ProductRegistration"].clone();
        schema["components"] = spec["components"].clone();
        let validator =
            jsonschema::draft202012::new(&nullable_as_types(schema)).expect("a validator");
        let mut bodies = vec![valid_registration()];
        for (pointer, value) in [
            ("/name", json!("")),
            ("/brandName", json!("x".repeat(51))),
            ("/stocks", json!([])),
            ("/stocks/0/options/0/valueName", json!("30 포")),
            (
                "/exposure/searchKeywords/0",
                json!("열한글자가넘는키워드입니다"),
            ),
            ("/exposure/description", json!("가".repeat(1501))),
            ("/notice/items/0/content", json!("")),
            ("/deliveryPolicy/deliveryFeeType", json!("SOMETIMES")),
            ("/deliveryPolicy/preparationDays", json!(-1)),
            ("/isTaxFree", json!("no")),
        ] {
            let mut body = valid_registration();
            *body.pointer_mut(pointer).expect("the field") = value;
            bodies.push(body);
        }
        for body in bodies {
            let ours = schema_findings(&body)
                .into_iter()
                .any(|f| f.rule == Rule::Schema);
            assert_eq!(ours, !validator.is_valid(&body), "{body}");
        }
    }

    /// OpenAPI's `nullable` has no JSON Schema keyword: widen such types to include null.
    fn nullable_as_types(mut schema: Value) -> Value {
        fn walk(value: &mut Value) {
            match value {
                Value::Object(map) => {
                    if map.get("nullable") == Some(&json!(true))
                        && let Some(kind) = map.get("type").cloned()
                    {
                        map.insert("type".into(), json!([kind, "null"]));
                    }
                    map.values_mut().for_each(walk);
                }
                Value::Array(items) => items.iter_mut().for_each(walk),
                _ => {}
            }
        }
        walk(&mut schema);
        schema
    }
}
