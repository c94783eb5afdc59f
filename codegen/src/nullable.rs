//! Nullable references, as the spec must write them and as typify reads them.
//!
//! OpenAPI 3.0.3 gives `nullable: true` no effect next to an `allOf` or a `$ref`: the
//! referenced schema still refuses null, and strict validators (prism) reject the live API's
//! `"canceledAt": null`. So the spec writes a nullable reference as
//! `anyOf: [{$ref: X}, {nullable: true, enum: [null]}]`. typify would turn that into a new
//! enum type per property; given `allOf: [{$ref: X}], nullable: true` it yields the
//! `Option<X>` the SDK has always had. This pass rewrites the first form into the second on
//! the copy of the spec handed to the generator, and leaves every other schema alone.

use serde_json::{Map, Value};

/// Rewrites every nullable reference in `spec` into the form typify turns into `Option<X>`;
/// returns how many it rewrote.
pub fn for_typify(spec: &mut Value) -> usize {
    match spec {
        Value::Object(map) => {
            let mut rewritten = usize::from(rewrite(map));
            for value in map.values_mut() {
                rewritten += for_typify(value);
            }
            rewritten
        }
        Value::Array(items) => items.iter_mut().map(for_typify).sum(),
        _ => 0,
    }
}

/// `anyOf: [reference, null]` becomes `allOf: [reference], nullable: true`.
fn rewrite(schema: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(branches)) = schema.get("anyOf") else {
        return false;
    };
    let [reference, null] = branches.as_slice() else {
        return false;
    };
    if reference.get("$ref").is_none() || !is_null_only(null) {
        return false;
    }
    let reference = reference.clone();
    schema.remove("anyOf");
    schema.insert("allOf".to_string(), Value::Array(vec![reference]));
    schema.insert("nullable".to_string(), Value::Bool(true));
    true
}

/// A schema whose only value is null: `{nullable: true, enum: [null]}`, with or without a
/// `type`.
fn is_null_only(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        && schema.get("enum") == Some(&Value::Array(vec![Value::Null]))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::for_typify;

    #[test]
    fn a_nullable_reference_becomes_all_of_with_nullable() {
        let mut spec = json!({"properties": {"canceledAt": {
            "description": "kept",
            "anyOf": [{"$ref": "#/components/schemas/KstDateTime"},
                      {"type": "string", "nullable": true, "enum": [null]}]
        }}});
        assert_eq!(for_typify(&mut spec), 1);
        assert_eq!(
            spec,
            json!({"properties": {"canceledAt": {
                "description": "kept",
                "allOf": [{"$ref": "#/components/schemas/KstDateTime"}],
                "nullable": true
            }}})
        );
    }

    #[test]
    fn other_any_ofs_are_left_alone() {
        let original = json!({"anyOf": [{"$ref": "#/a"}, {"$ref": "#/b"}],
                              "x": {"anyOf": [{"type": "string"}, {"nullable": true, "enum": [null]}]}});
        let mut spec = original.clone();
        assert_eq!(for_typify(&mut spec), 0);
        assert_eq!(spec, original);
    }
}
