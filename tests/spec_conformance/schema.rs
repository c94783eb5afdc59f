//! OpenAPI 3.0 schemas → JSON Schema 2020-12, so the `jsonschema` crate can validate answers
//! against the spec's own description of them.
//!
//! - Every `#/components/schemas/X` becomes `#/$defs/X`; the answer's schema is the root.
//! - `nullable: true` becomes a `null` alternative: `type: [T, "null"]` for a plain typed
//!   schema, `anyOf: [{type: null}, <schema>]` when the schema composes others (`$ref`,
//!   `allOf`, `oneOf`, `anyOf`) or lists an `enum`, because there a `null` in `type` alone
//!   would still be rejected by the composed schemas.
//! - `example`, `x-*` and the other OpenAPI-only keywords are dropped.
//! - Open enums (`oneOf`/`anyOf` of a reference to an `enum` schema and a plain string) can
//!   be kept as written, narrowed to the known values, or widened to `anyOf`; see
//!   [`OpenEnums`].

use jsonschema::JsonType;
use jsonschema::error::{TypeKind, ValidationError, ValidationErrorKind};
use serde_json::{Map, Value, json};

use crate::spec::{self, Operation};

/// Keywords of OpenAPI 3.0 schema objects that JSON Schema does not have.
const OPENAPI_ONLY: [&str; 5] = [
    "nullable",
    "example",
    "discriminator",
    "xml",
    "externalDocs",
];

/// How to treat open enums (`oneOf: [XKnown, {type: string}]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenEnums {
    /// Exactly as the spec writes them.
    AsWritten,
    /// Only the known branch: every value must be one of the known values.
    KnownOnly,
    /// `anyOf` instead of `oneOf`: a known value may match both branches.
    Overlapping,
}

/// The JSON Schema of an operation's HTTP 200 answer.
pub fn answer_json_schema(
    spec: &Value,
    operation: &Operation<'_>,
    open_enums: OpenEnums,
) -> Result<Value, String> {
    json_schema(spec, spec::answer_schema(spec, operation)?, open_enums)
}

/// A JSON Schema document for `schema`, with every component schema of `spec` in `$defs`.
pub fn json_schema(spec: &Value, schema: &Value, open_enums: OpenEnums) -> Result<Value, String> {
    let converter = Converter { spec, open_enums };
    let mut defs = Map::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, component) in schemas.into_iter().flatten() {
        defs.insert(name.clone(), converter.convert(component)?);
    }
    Ok(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [converter.convert(schema)?],
        "$defs": defs,
    }))
}

/// Open-enum wrappers of the spec: component name → the composition keyword used.
pub fn open_enum_wrappers(spec: &Value) -> Vec<(String, &'static str)> {
    let converter = Converter {
        spec,
        open_enums: OpenEnums::AsWritten,
    };
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let map = schema.as_object()?;
            converter
                .open_enum(map)
                .map(|(keyword, _)| (name.clone(), keyword))
        })
        .collect()
}

struct Converter<'a> {
    spec: &'a Value,
    open_enums: OpenEnums,
}

impl Converter<'_> {
    fn convert(&self, schema: &Value) -> Result<Value, String> {
        let Some(map) = schema.as_object() else {
            return Ok(schema.clone()); // boolean schemas
        };
        let nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            // OpenAPI 3.0 ignores a reference's siblings; `nullable` is honoured all the same.
            let target = reference
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| format!("unsupported schema reference `{reference}`"))?;
            let converted = json!({"$ref": format!("#/$defs/{target}")});
            return Ok(if nullable {
                or_null(converted)
            } else {
                converted
            });
        }
        let mut out = Map::new();
        for (keyword, value) in map {
            if keyword.starts_with("x-") || OPENAPI_ONLY.contains(&keyword.as_str()) {
                continue;
            }
            let converted = match keyword.as_str() {
                "properties" => Value::Object(
                    value
                        .as_object()
                        .ok_or("`properties` must be a map")?
                        .iter()
                        .map(|(name, sub)| Ok((name.clone(), self.convert(sub)?)))
                        .collect::<Result<Map<_, _>, String>>()?,
                ),
                "items" | "not" => self.convert(value)?,
                "additionalProperties" if value.is_object() => self.convert(value)?,
                "allOf" | "oneOf" | "anyOf" => Value::Array(
                    value
                        .as_array()
                        .ok_or_else(|| format!("`{keyword}` must be a list"))?
                        .iter()
                        .map(|sub| self.convert(sub))
                        .collect::<Result<_, _>>()?,
                ),
                _ => value.clone(),
            };
            out.insert(keyword.clone(), converted);
        }
        if let Some((keyword, known)) = self.open_enum(map) {
            match self.open_enums {
                OpenEnums::AsWritten => {}
                OpenEnums::KnownOnly => {
                    out.insert(keyword.into(), json!([self.convert(known)?]));
                }
                OpenEnums::Overlapping => {
                    if let Some(branches) = out.remove(keyword) {
                        out.insert("anyOf".into(), branches);
                    }
                }
            }
        }
        if !nullable {
            return Ok(Value::Object(out));
        }
        let composes = ["allOf", "oneOf", "anyOf", "enum"]
            .iter()
            .any(|keyword| out.contains_key(*keyword));
        Ok(match out.get("type").cloned() {
            _ if composes => or_null(Value::Object(out)),
            Some(Value::String(single)) => {
                out.insert("type".into(), json!([single, "null"]));
                Value::Object(out)
            }
            Some(Value::Array(mut several)) => {
                several.push(json!("null"));
                out.insert("type".into(), Value::Array(several));
                Value::Object(out)
            }
            // No type and nothing composed: the schema already accepts null.
            _ => Value::Object(out),
        })
    }

    /// `oneOf`/`anyOf` of exactly a known-values branch (a reference to an `enum` schema,
    /// directly or through a single-entry `allOf`) and a plain string branch. Returns the
    /// keyword and the known branch.
    fn open_enum<'m>(&self, map: &'m Map<String, Value>) -> Option<(&'static str, &'m Value)> {
        for keyword in ["oneOf", "anyOf"] {
            let Some([first, second]) = map
                .get(keyword)
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            else {
                continue;
            };
            let is_known = |branch: &Value| {
                spec::deref_schema(self.spec, branch)
                    .ok()
                    .is_some_and(|target| target.get("enum").is_some())
            };
            let is_plain_string = |branch: &Value| {
                branch.get("type").and_then(Value::as_str) == Some("string")
                    && branch.get("enum").is_none()
                    && branch.get("$ref").is_none()
            };
            if is_known(first) && is_plain_string(second) {
                return Some((keyword, first));
            }
            if is_known(second) && is_plain_string(first) {
                return Some((keyword, second));
            }
        }
        None
    }
}

fn or_null(schema: Value) -> Value {
    json!({"anyOf": [{"type": "null"}, schema]})
}

/// Validation messages of `instance` against `json_schema`, as `path: message`.
///
/// Errors of `anyOf`/`oneOf` are replaced by the errors of their branches, so a problem deep
/// inside a nullable payload is reported where it is; the `null` branch of a nullable schema
/// is left out of the report (the value was not null).
pub fn problems(json_schema: &Value, instance: &Value) -> Result<Vec<String>, String> {
    let validator = jsonschema::draft202012::new(json_schema)
        .map_err(|e| format!("the converted schema does not compile: {e}"))?;
    let mut out = Vec::new();
    for error in validator.iter_errors(instance) {
        leaves(&error, &mut out);
    }
    out.dedup();
    Ok(out)
}

fn leaves(error: &ValidationError<'_>, out: &mut Vec<String>) {
    match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let branches: Vec<_> = context
                .iter()
                .filter(|branch| !branch.iter().all(is_not_null))
                .collect();
            if branches.is_empty() {
                out.push(line(error));
            }
            for branch in branches {
                for inner in branch {
                    leaves(inner, out);
                }
            }
        }
        _ => out.push(line(error)),
    }
}

/// The `{type: null}` branch's complaint about a value that is not null.
fn is_not_null(error: &ValidationError<'_>) -> bool {
    matches!(
        error.kind(),
        ValidationErrorKind::Type {
            kind: TypeKind::Single(JsonType::Null)
        }
    )
}

/// `path: message`, with long messages (which quote the instance) cut short.
fn line(error: &ValidationError<'_>) -> String {
    const LIMIT: usize = 240;
    let path = error.instance_path().to_string();
    let path = if path.is_empty() {
        "/".to_string()
    } else {
        path
    };
    let mut message = error.to_string();
    if message.chars().count() > LIMIT {
        message = message.chars().take(LIMIT).collect::<String>() + "…";
    }
    format!("{path}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny spec with the shapes the real one uses.
    fn spec() -> Value {
        crate::spec::parse(
            r##"
components:
  schemas:
    Known:
      type: string
      enum: [PAID, DELIVERED]
    Status:
      description: open enum
      oneOf:
        - $ref: '#/components/schemas/Known'
        - type: string
    Row:
      type: object
      required: [id]
      x-toss-required-evidence: {id: 'docs: somewhere'}
      properties:
        id: {type: integer, example: 7}
"##,
        )
        .expect("spec parses")
    }

    fn check(schema: &str, open_enums: OpenEnums, instance: Value) -> Vec<String> {
        let spec = spec();
        let schema = crate::spec::parse(schema).expect("schema parses");
        let json_schema = json_schema(&spec, &schema, open_enums).expect("converts");
        problems(&json_schema, &instance).expect("validates")
    }

    #[test]
    fn nullable_typed_schema_accepts_null_and_its_type_only() {
        let schema = "{type: string, nullable: true}";
        assert!(check(schema, OpenEnums::AsWritten, json!(null)).is_empty());
        assert!(check(schema, OpenEnums::AsWritten, json!("x")).is_empty());
        assert!(!check(schema, OpenEnums::AsWritten, json!(1)).is_empty());
        assert!(!check("{type: string}", OpenEnums::AsWritten, json!(null)).is_empty());
    }

    #[test]
    fn nullable_all_of_reference_accepts_null_and_the_referenced_shape_only() {
        let schema = "{type: object, nullable: true, allOf: [{$ref: '#/components/schemas/Row'}]}";
        assert!(check(schema, OpenEnums::AsWritten, json!(null)).is_empty());
        assert!(check(schema, OpenEnums::AsWritten, json!({"id": 1})).is_empty());
        assert!(!check(schema, OpenEnums::AsWritten, json!({"id": "one"})).is_empty());
        assert!(!check(schema, OpenEnums::AsWritten, json!({})).is_empty());
        let not_nullable = "{type: object, allOf: [{$ref: '#/components/schemas/Row'}]}";
        assert!(!check(not_nullable, OpenEnums::AsWritten, json!(null)).is_empty());
    }

    #[test]
    fn nullable_reference_accepts_null() {
        let schema = "{$ref: '#/components/schemas/Row', nullable: true}";
        assert!(check(schema, OpenEnums::AsWritten, json!(null)).is_empty());
        assert!(
            !check(
                "{$ref: '#/components/schemas/Row'}",
                OpenEnums::AsWritten,
                json!(null)
            )
            .is_empty()
        );
    }

    #[test]
    fn nullable_enum_accepts_null() {
        let schema = "{type: string, enum: [A], nullable: true}";
        assert!(check(schema, OpenEnums::AsWritten, json!(null)).is_empty());
        assert!(!check(schema, OpenEnums::AsWritten, json!("B")).is_empty());
    }

    #[test]
    fn openapi_only_keywords_and_extensions_are_dropped() {
        let spec = spec();
        let row = spec.pointer("/components/schemas/Row").expect("Row");
        let converted = Converter {
            spec: &spec,
            open_enums: OpenEnums::AsWritten,
        }
        .convert(row)
        .expect("converts");
        let text = converted.to_string();
        assert!(
            !text.contains("example") && !text.contains("x-toss"),
            "{text}"
        );
        assert_eq!(converted["required"], json!(["id"]));
    }

    /// The trap the answers test must catch: under `oneOf`, a known value matches both the
    /// known branch and the plain string, so the spec as written rejects it.
    #[test]
    fn open_enum_as_written_with_one_of_rejects_a_known_value() {
        let status = "{$ref: '#/components/schemas/Status'}";
        let known = check(status, OpenEnums::AsWritten, json!("PAID"));
        assert!(
            known.iter().any(|p| p.contains("more than one")),
            "{known:?}"
        );
        assert!(check(status, OpenEnums::AsWritten, json!("NEW_VALUE")).is_empty());
        assert!(check(status, OpenEnums::Overlapping, json!("PAID")).is_empty());
        assert!(check(status, OpenEnums::Overlapping, json!("NEW_VALUE")).is_empty());
    }

    #[test]
    fn known_only_rejects_values_outside_the_enum() {
        let status = "{$ref: '#/components/schemas/Status'}";
        assert!(check(status, OpenEnums::KnownOnly, json!("PAID")).is_empty());
        assert!(!check(status, OpenEnums::KnownOnly, json!("NEW_VALUE")).is_empty());
    }

    #[test]
    fn open_enum_wrappers_are_found() {
        assert_eq!(
            open_enum_wrappers(&spec()),
            [("Status".to_string(), "oneOf")]
        );
    }
}
