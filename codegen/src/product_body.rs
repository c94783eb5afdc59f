//! `x-toss-product-body`: the operations whose request body is a whole product, which the SDK
//! checks against the product rules before sending (`src/products/`).
//!
//! ```yaml
//! x-toss-product-body: registration   # or `replacement`
//! ```
//!
//! For each such operation this emits the `checked_body` method of its `Operation` impl (it
//! hands the body to the checks), and, once per body schema, the schema with every `$ref`
//! resolved, as JSON text. The checks read the spec's patterns, lengths, counts and required
//! lists from that text instead of restating them in Rust. The build refuses a body schema
//! that uses a keyword the checks do not read, so no rule of the spec is silently skipped.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToShoutySnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::spec::{Operation, OperationReader, TYPES_PATH};

/// The kinds of product body, as `x-toss-product-body` names them; each is a variant of
/// `crate::products::BodyKind`.
const KINDS: [&str; 2] = ["registration", "replacement"];

/// The schema keywords `src/products/schema.rs` checks.
const CHECKED: [&str; 14] = [
    "type",
    "format",
    "nullable",
    "properties",
    "required",
    "items",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "enum",
];

/// Keywords that document and do not constrain; dropped from the emitted schema.
const DOCUMENTING: [&str; 2] = ["description", "example"];

/// How deep `$ref`s may nest before the schema is taken to be recursive.
const MAX_DEPTH: usize = 16;

/// Reads `x-toss-product-body` of one operation: the kind of product body it sends.
pub fn read(
    reader: &OperationReader<'_>,
    request_body: Option<&str>,
) -> Result<Option<String>, String> {
    let at = &reader.at;
    let Some(kind) = reader.op.get("x-toss-product-body") else {
        return Ok(None);
    };
    let kind = kind
        .as_str()
        .filter(|kind| KINDS.contains(kind))
        .ok_or_else(|| format!("{at}: x-toss-product-body must be one of {KINDS:?}"))?;
    match request_body {
        Some(schema) if schema != "FreeFormObject" => Ok(Some(kind.to_string())),
        _ => Err(format!(
            "{at}: x-toss-product-body needs a request body with a schema"
        )),
    }
}

/// The `checked_body` method of a product-body operation's `Operation` impl: a copy of the
/// body, taken through the builder's public `body_map`, for the checks. A body the builder
/// cannot complete gives none; sending then reports the builder's own error.
pub fn checked_body_method(op: &Operation) -> Result<TokenStream, String> {
    let (Some(kind), Some(schema)) = (&op.product_body, &op.request_body) else {
        return Ok(TokenStream::new());
    };
    let variant = format_ident!("{}", kind.to_pascal_case());
    let body: syn::Type = syn::parse_str(&format!("{TYPES_PATH}::{schema}"))
        .map_err(|e| format!("body type {schema}: {e}"))?;
    let schema_const = format_ident!("{}", schema.to_shouty_snake_case());
    Ok(quote! {
        fn checked_body(&self) -> ::std::option::Option<crate::products::CheckedBody> {
            let mut built = ::std::option::Option::None;
            // The builder is a copy about to be dropped, so its body is taken, not cloned.
            let _ = self.clone().body_map(|body| {
                built = ::std::option::Option::Some(body);
                ::std::default::Default::default()
            });
            crate::products::CheckedBody::from_builder::<#body, _>(
                crate::products::BodyKind::#variant,
                product_body_schemas::#schema_const,
                built,
            )
        }
    })
}

/// The `product_body_schemas` module: each product body schema, resolved, as JSON text.
pub fn schemas_module(spec: &Value, operations: &[Operation]) -> Result<TokenStream, String> {
    let names: BTreeSet<&str> = operations
        .iter()
        .filter(|op| op.product_body.is_some())
        .filter_map(|op| op.request_body.as_deref())
        .collect();
    let mut consts = Vec::new();
    for name in names {
        let resolved = resolve_named(spec, name, 0)?;
        let text = serde_json::to_string(&resolved).map_err(|e| format!("{name}: {e}"))?;
        let ident = format_ident!("{}", name.to_shouty_snake_case());
        let doc = format!("The `{name}` schema of the spec with every `$ref` resolved.");
        consts.push(quote! {
            #[doc = #doc]
            pub(crate) const #ident: &str = #text;
        });
    }
    Ok(quote! {
        /// The product body schemas, resolved, for the checks in `crate::products`.
        pub(crate) mod product_body_schemas {
            #(#consts)*
        }
    })
}

/// The schema `name` of `components/schemas`, resolved.
fn resolve_named(spec: &Value, name: &str, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{name}: product body schemas may not be recursive"));
    }
    let schema = spec
        .pointer(&format!("/components/schemas/{name}"))
        .ok_or_else(|| format!("unknown schema {name}"))?;
    resolve(spec, schema, name, depth)
}

/// One schema with its `$ref`s (also a single-entry `allOf`) replaced by what they name.
fn resolve(spec: &Value, schema: &Value, at: &str, depth: usize) -> Result<Value, String> {
    let object = schema
        .as_object()
        .ok_or_else(|| format!("{at}: a schema must be an object"))?;
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| format!("{at}: unsupported reference {reference}"))?;
        return resolve_named(spec, name, depth + 1);
    }
    if let Some(all_of) = object.get("allOf").and_then(Value::as_array) {
        let [single] = all_of.as_slice() else {
            return Err(format!("{at}: allOf with more than one schema"));
        };
        return resolve(spec, single, at, depth);
    }
    let mut out = Map::new();
    for (key, value) in object {
        let at = format!("{at}.{key}");
        let value = match key.as_str() {
            "properties" => {
                let mut properties = Map::new();
                for (name, property) in value
                    .as_object()
                    .ok_or_else(|| format!("{at}: must be an object"))?
                {
                    let at = format!("{at}.{name}");
                    properties.insert(name.clone(), resolve(spec, property, &at, depth)?);
                }
                Value::Object(properties)
            }
            "items" => resolve(spec, value, &at, depth)?,
            key if CHECKED.contains(&key) => value.clone(),
            key if DOCUMENTING.contains(&key) || key.starts_with("x-") => continue,
            _ => {
                return Err(format!(
                    "{at}: the product checks do not read `{key}`; teach src/products/schema.rs"
                ));
            }
        };
        out.insert(key.clone(), value);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::super::spec::tests::{operations_error, spec_with};
    use super::*;

    #[test]
    fn the_registration_schema_resolves_with_its_rules() {
        let spec = spec_with("", "");
        let resolved = resolve_named(&spec, "ProductRegistration", 0).expect("resolves");
        let name = &resolved["properties"]["name"];
        assert!(
            name["pattern"]
                .as_str()
                .is_some_and(|p| p.contains("가-힣"))
        );
        assert!(
            name.get("description").is_none(),
            "documentation is dropped"
        );
        let options = &resolved["properties"]["stocks"]["items"]["properties"]["options"];
        assert_eq!(options["maxItems"], 3);
        assert!(options["items"]["properties"]["valueName"]["pattern"].is_string());
    }

    #[test]
    fn a_keyword_the_checks_do_not_read_fails_the_build() {
        let spec = spec_with(
            "          minItems: 1\n          maxItems: 300",
            "          minItems: 1\n          uniqueItems: true\n          maxItems: 300",
        );
        let error = resolve_named(&spec, "ProductRegistration", 0).expect_err("refused");
        assert!(error.contains("do not read `uniqueItems`"), "{error}");
    }

    #[test]
    fn an_unknown_kind_or_an_operation_without_a_body_is_refused() {
        let spec = spec_with(
            "x-toss-product-body: registration",
            "x-toss-product-body: create",
        );
        assert!(operations_error(&spec).contains("x-toss-product-body must be one of"));
        let spec = spec_with(
            "x-toss-id: PRD-03",
            "x-toss-id: PRD-03\n      x-toss-product-body: registration",
        );
        assert!(operations_error(&spec).contains("needs a request body"));
    }
}
