//! Reading `spec/toss-shopping.yaml`: envelopes, operations with their `x-toss-*` facts, and
//! open enums. Every check that keeps the spec and the generated tables consistent lives here,
//! so a typo in the spec fails the build instead of producing a wrong table.

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::Value;

/// Rust type used for every payload or body the spec marks as free-form JSON.
pub const FREE_FORM_TYPE: &str = "::serde_json::Map<::std::string::String, ::serde_json::Value>";
/// Where the generated types of the spec live inside the crate (see `src/api.rs`).
pub const TYPES_PATH: &str = "crate::api::types";

/// One operation of the spec, with the vendor facts kept as `x-toss-*` extensions.
pub struct Operation {
    pub reference_id: String,
    pub operation_id: String,
    pub method: String,
    pub path: String,
    pub tag: String,
    pub summary: String,
    pub confidence: String,
    pub rate_limit: String,
    pub pagination: Pagination,
    pub retry: String,
    pub max_window_days: Option<u64>,
    /// `x-toss-window`: the date window the list takes (see `window.rs`).
    pub window: Option<super::window::Window>,
    pub timeout_seconds: Option<u64>,
    /// `x-toss-empty-success`: the docs say SUCCESS may carry no payload.
    pub empty_success: bool,
    /// Rust path of the `success` payload type.
    pub payload: String,
    /// The request body's schema name, when the operation takes one.
    pub request_body: Option<String>,
    /// `x-toss-product-body`: the kind of product body the SDK checks before sending.
    pub product_body: Option<String>,
    /// The path and query parameters, in the spec's order.
    pub params: Vec<Param>,
}

/// One path or query parameter of an operation.
pub struct Param {
    pub name: String,
    /// `path` or `query`.
    pub location: String,
    pub required: bool,
    /// The value's type: `string`, `integer`, `date` (`format: date`) or `enum`.
    pub kind: String,
    /// The schema's `pattern`, for a string.
    pub pattern: Option<String>,
    /// The allowed values, for an enum (through a `$ref` to a schema with `enum`).
    pub values: Vec<String>,
    /// The description, for help texts.
    pub description: String,
}

/// `x-toss-pagination`: how a list is paged, modelled on Smithy's `@paginated`.
pub struct Pagination {
    pub style: String,
    /// Query parameter that takes the cursor of the previous page.
    pub input_token: Option<String>,
    /// Payload property holding the cursor for the next page (absent: not documented).
    pub output_token: Option<String>,
    /// Payload property holding the page's items (absent: not documented).
    pub items: Option<String>,
    /// Query parameter that sets the page size.
    pub page_size: Option<String>,
    /// Payload property saying whether another page follows.
    pub has_next: Option<String>,
    /// Whether the filters of the first request are sent again with the cursor.
    pub resend_filters: bool,
}

/// An open enum: `anyOf: [XKnown, string]`, flattened into one Rust enum.
pub struct OpenEnum {
    pub name: String,
    pub description: String,
    /// The known wire values with their Rust variant names.
    pub values: Vec<(String, String)>,
}

impl Operation {
    /// The Rust method name progenitor gives the operation (`list_child_categories`).
    pub fn rust_method(&self) -> String {
        self.operation_id.to_snake_case()
    }

    /// The builder type progenitor generates for the operation (`ListChildCategories`).
    pub fn builder_type(&self) -> String {
        self.rust_method().to_pascal_case()
    }
}

/// Rust path of a payload schema.
pub fn payload_type(schema: &str) -> String {
    if schema == "FreeFormObject" {
        FREE_FORM_TYPE.to_string()
    } else {
        format!("{TYPES_PATH}::{schema}")
    }
}

/// A parameter schema's kind, pattern and enum values; only the shapes a query string can
/// carry plainly are supported.
fn param_schema(schema: &Value) -> Result<(String, Option<String>, Vec<String>), String> {
    let text = |key: &str| schema.get(key).and_then(Value::as_str);
    let pattern = text("pattern").map(str::to_string);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values = values
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or("enum values must be strings")
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(("enum".into(), None, values));
    }
    let kind = match (text("type"), text("format")) {
        (Some("integer"), _) => "integer",
        (Some("string"), Some("date")) => "date",
        (Some("string"), _) => "string",
        (other, _) => return Err(format!("unsupported parameter type {other:?}")),
    };
    Ok((kind.into(), pattern, Vec::new()))
}

fn schemas(spec: &Value) -> Result<&serde_json::Map<String, Value>, String> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or_else(|| "spec has no components.schemas".to_string())
}

fn schema_name(reference: &str) -> Result<&str, String> {
    reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("unsupported reference {reference}"))
}

/// Envelope schemas (`<Payload>Envelope` with a `success` property) mapped to their payload.
pub fn envelope_payloads(spec: &Value) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (name, schema) in schemas(spec)? {
        let Some(success) = schema.pointer("/properties/success") else {
            continue;
        };
        // `anyOf: [payload, null]` is how OpenAPI 3.0.3 lets a reference be null (a
        // `nullable` next to an `allOf` does not reach into the referenced schema).
        let reference = success
            .get("$ref")
            .or_else(|| success.pointer("/allOf/0/$ref"))
            .or_else(|| success.pointer("/anyOf/0/$ref"))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("envelope {name}: `success` must reference a schema"))?;
        let payload = schema_name(reference)?;
        if name != &format!("{payload}Envelope") {
            return Err(format!("envelope {name} must be named {payload}Envelope"));
        }
        out.insert(name.clone(), payload.to_string());
    }
    Ok(out)
}

/// Every open enum of the spec. An open enum is `anyOf: [{$ref: XKnown}, {type: string}]`
/// where `XKnown` is a string enum; `oneOf` is refused, because a known value matches both
/// branches and `oneOf` forbids that under JSON Schema.
pub fn open_enums(spec: &Value) -> Result<Vec<OpenEnum>, String> {
    let all = schemas(spec)?;
    let mut out = Vec::new();
    for (name, schema) in all {
        let known_ref = format!("#/components/schemas/{name}Known");
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array)
            && branches.iter().any(is_plain_string)
            && branches
                .iter()
                .any(|b| b.get("$ref").and_then(Value::as_str) == Some(known_ref.as_str()))
        {
            return Err(format!(
                "{name}: write an open enum as `anyOf: [{name}Known, string]`, not `oneOf`"
            ));
        }
        let Some(branches) = schema.get("anyOf").and_then(Value::as_array) else {
            continue;
        };
        let [known, other] = branches.as_slice() else {
            return Err(format!(
                "{name}: `anyOf` is only for open enums [XKnown, string]"
            ));
        };
        let known_ref = known
            .get("$ref")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{name}: the first anyOf branch must reference {name}Known"))?;
        let known_name = schema_name(known_ref)?;
        if known_name != format!("{name}Known") || !is_plain_string(other) {
            return Err(format!(
                "{name}: an open enum is `anyOf: [{name}Known, string]`"
            ));
        }
        let values = all
            .get(known_name)
            .and_then(|k| k.get("enum"))
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{known_name}: must be a string enum"))?;
        out.push(OpenEnum {
            name: name.clone(),
            description: text_of(schema, "description").unwrap_or_default(),
            values: variants(name, values)?,
        });
    }
    Ok(out)
}

fn is_plain_string(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("enum").is_none()
        && schema.get("pattern").is_none()
}

/// Wire values with their variant names; refuses names that collide with each other or
/// with the catch-all `Unknown`.
fn variants(name: &str, values: &[Value]) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for value in values {
        let wire = value
            .as_str()
            .ok_or_else(|| format!("{name}Known: every value must be a string"))?;
        let variant = wire.to_pascal_case();
        let valid = variant.starts_with(|c: char| c.is_ascii_uppercase())
            && variant.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid || variant == "Unknown" || out.iter().any(|(_, v)| *v == variant) {
            return Err(format!(
                "{name}Known: value {wire:?} gives no usable, unique variant name ({variant})"
            ));
        }
        out.push((wire.to_string(), variant));
    }
    Ok(out)
}

fn text_of(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Every operation with its extensions, checked so that the generated tables are complete.
pub fn operations(
    spec: &Value,
    envelopes: &BTreeMap<String, String>,
) -> Result<Vec<Operation>, String> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("spec has no paths")?;
    let mut out = Vec::new();
    for (path, item) in paths {
        let item = item
            .as_object()
            .ok_or_else(|| format!("{path}: not an object"))?;
        for (method, op) in item {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let at = format!("{} {path}", method.to_uppercase());
            let reader = OperationReader { spec, op, at };
            out.push(reader.read(envelopes, path, method)?);
        }
    }
    out.sort_by_key(Operation::rust_method);
    for pair in out.windows(2) {
        if pair[0].rust_method() == pair[1].rust_method() {
            return Err(format!("duplicate operationId {}", pair[0].operation_id));
        }
    }
    Ok(out)
}

/// Reads and checks one operation object.
pub(super) struct OperationReader<'a> {
    pub(super) spec: &'a Value,
    pub(super) op: &'a Value,
    pub(super) at: String,
}

impl OperationReader<'_> {
    fn read(
        &self,
        envelopes: &BTreeMap<String, String>,
        path: &str,
        method: &str,
    ) -> Result<Operation, String> {
        let at = &self.at;
        let tag = match self
            .op
            .get("tags")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([Value::String(tag)]) => tag.clone(),
            _ => return Err(format!("{at}: needs exactly one tag")),
        };
        let operation_id = self.text("operationId")?;
        if !operation_id.chars().all(|c| c.is_ascii_alphanumeric())
            || !operation_id.starts_with(|c: char| c.is_ascii_lowercase())
        {
            return Err(format!(
                "{at}: operationId {operation_id} must be plain camelCase"
            ));
        }
        let payload_schema = self.response_payload(envelopes)?;
        let empty_success = self.flag("x-toss-empty-success")?;
        if empty_success && payload_schema != "FreeFormObject" {
            return Err(format!(
                "{at}: x-toss-empty-success is only for free-form payloads"
            ));
        }
        let pagination = self.pagination(&payload_schema)?;
        let window = super::window::read(self, &payload_schema, &pagination)?;
        let request_body = self.request_body()?;
        let product_body = super::product_body::read(self, request_body.as_deref())?;
        Ok(Operation {
            reference_id: self.text("x-toss-id")?,
            method: method.to_uppercase(),
            path: path.to_string(),
            tag,
            summary: self.text("summary")?,
            confidence: self.one_of(
                "x-toss-confidence",
                &["docs", "live", "clients", "client", "guess"],
            )?,
            rate_limit: self.one_of("x-toss-rate-limit", &["read", "write", "product"])?,
            pagination,
            retry: self.one_of(
                "x-toss-retry",
                &["safe", "idempotent", "verify-first", "unsafe"],
            )?,
            max_window_days: window.as_ref().map(|w| u64::from(w.max_days)),
            window,
            timeout_seconds: self
                .op
                .get("x-toss-timeout-seconds")
                .and_then(Value::as_u64),
            empty_success,
            payload: payload_type(&payload_schema),
            request_body,
            product_body,
            params: self.params()?,
            operation_id,
        })
    }

    fn text(&self, key: &str) -> Result<String, String> {
        text_of(self.op, key).ok_or_else(|| format!("{}: missing `{key}`", self.at))
    }

    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.op.get(key) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(_) => Err(format!("{}: `{key}` must be true or false", self.at)),
        }
    }

    fn one_of(&self, key: &str, allowed: &[&str]) -> Result<String, String> {
        let value = self.text(key)?;
        if allowed.contains(&value.as_str()) {
            Ok(value)
        } else {
            Err(format!(
                "{}: `{key}` is {value}, expected one of {allowed:?}",
                self.at
            ))
        }
    }

    /// Follows a `$ref` into `components/<kind>`.
    pub(super) fn resolve<'v>(&'v self, value: &'v Value, kind: &str) -> Result<&'v Value, String> {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        let prefix = format!("#/components/{kind}/");
        let name = reference
            .strip_prefix(&prefix)
            .ok_or_else(|| format!("{}: unsupported reference {reference}", self.at))?;
        self.spec
            .pointer(&format!("/components/{kind}/{name}"))
            .ok_or_else(|| format!("{}: unknown {kind} {name}", self.at))
    }

    /// The payload schema of the operation's single 200 answer (through `components/responses`).
    fn response_payload(&self, envelopes: &BTreeMap<String, String>) -> Result<String, String> {
        let at = &self.at;
        let responses = self
            .op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{at}: no responses"))?;
        if responses.keys().ne(["200"].iter()) {
            return Err(format!("{at}: document exactly one response, 200"));
        }
        let response = self.resolve(&responses["200"], "responses")?;
        let reference = response
            .pointer("/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{at}: the 200 answer must reference an envelope schema"))?;
        let envelope = schema_name(reference)?;
        envelopes
            .get(envelope)
            .cloned()
            .ok_or_else(|| format!("{at}: {envelope} is not an envelope schema"))
    }

    fn request_body(&self) -> Result<Option<String>, String> {
        let Some(body) = self.op.get("requestBody") else {
            return Ok(None);
        };
        let reference = body
            .pointer("/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{}: the request body must reference a schema", self.at))?;
        Ok(Some(schema_name(reference)?.to_string()))
    }

    /// The path and query parameters; a path parameter must be required.
    fn params(&self) -> Result<Vec<Param>, String> {
        let mut params = Vec::new();
        for parameter in self
            .op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = self.resolve(parameter, "parameters")?;
            let text = |key: &str| text_of(parameter, key);
            let (Some(name), Some(location)) = (text("name"), text("in")) else {
                return Err(format!("{}: a parameter needs `name` and `in`", self.at));
            };
            let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
            match location.as_str() {
                "query" => {}
                "path" if required => {}
                _ => {
                    return Err(format!(
                        "{}: parameter {name}: only required path and query parameters are supported",
                        self.at
                    ));
                }
            }
            let schema = parameter
                .get("schema")
                .ok_or_else(|| format!("{}: parameter {name} has no schema", self.at))?;
            let schema = self.resolve(schema, "schemas")?;
            let (kind, pattern, values) =
                param_schema(schema).map_err(|e| format!("{}: parameter {name}: {e}", self.at))?;
            params.push(Param {
                description: text("description").unwrap_or_default(),
                name,
                location,
                required,
                kind,
                pattern,
                values,
            });
        }
        Ok(params)
    }

    /// The names of the operation's query parameters.
    fn query_parameters(&self) -> Result<Vec<String>, String> {
        let mut names = Vec::new();
        for parameter in self
            .op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = self.resolve(parameter, "parameters")?;
            if parameter.get("in").and_then(Value::as_str) == Some("query")
                && let Some(name) = parameter.get("name").and_then(Value::as_str)
            {
                names.push(name.to_string());
            }
        }
        Ok(names)
    }

    /// `x-toss-pagination`, with every name checked against the parameters and the payload.
    fn pagination(&self, payload: &str) -> Result<Pagination, String> {
        let at = &self.at;
        let object = self
            .op
            .get("x-toss-pagination")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{at}: `x-toss-pagination` must be an object with a `style`"))?;
        const KEYS: [&str; 7] = [
            "style",
            "input-token",
            "output-token",
            "items",
            "page-size",
            "has-next",
            "resend-filters",
        ];
        if let Some(unknown) = object.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(format!(
                "{at}: x-toss-pagination has an unknown key `{unknown}`"
            ));
        }
        let name = |key: &str| -> Result<Option<String>, String> {
            match object.get(key) {
                None => Ok(None),
                Some(Value::String(name)) => Ok(Some(name.clone())),
                Some(_) => Err(format!("{at}: x-toss-pagination.{key} must be a name")),
            }
        };
        let pagination = Pagination {
            style: name("style")?.ok_or_else(|| format!("{at}: x-toss-pagination.style"))?,
            input_token: name("input-token")?,
            output_token: name("output-token")?,
            items: name("items")?,
            page_size: name("page-size")?,
            has_next: name("has-next")?,
            resend_filters: match object.get("resend-filters") {
                None => false,
                Some(Value::Bool(flag)) => *flag,
                Some(_) => return Err(format!("{at}: resend-filters must be true or false")),
            },
        };
        self.check_pagination(&pagination, payload)?;
        Ok(pagination)
    }

    fn check_pagination(&self, paging: &Pagination, payload: &str) -> Result<(), String> {
        let at = &self.at;
        const STYLES: [&str; 8] = [
            "none",
            "next-cursor-limit",
            "next-token-size",
            "next-token-size-no-has-next",
            "two-way-cursor-page-size",
            "item-cursor-page-size",
            "id-cursor-size",
            "page-number",
        ];
        if !STYLES.contains(&paging.style.as_str()) {
            return Err(format!(
                "{at}: x-toss-pagination.style {} is unknown",
                paging.style
            ));
        }
        let names = [
            &paging.input_token,
            &paging.output_token,
            &paging.items,
            &paging.page_size,
            &paging.has_next,
        ];
        if paging.style == "none" {
            if names.iter().any(|n| n.is_some()) || paging.resend_filters {
                return Err(format!("{at}: an unpaged operation names no paging fields"));
            }
            return Ok(());
        }
        let query = self.query_parameters()?;
        let input = paging
            .input_token
            .as_ref()
            .ok_or_else(|| format!("{at}: a paged operation needs `input-token`"))?;
        for (key, param) in [
            ("input-token", Some(input)),
            ("page-size", paging.page_size.as_ref()),
        ] {
            if let Some(param) = param
                && !query.contains(param)
            {
                return Err(format!(
                    "{at}: x-toss-pagination.{key} `{param}` is not a query parameter"
                ));
            }
        }
        let properties = self.payload_properties(payload)?;
        let checks = [
            ("output-token", &paging.output_token, None),
            ("items", &paging.items, Some("array")),
            ("has-next", &paging.has_next, Some("boolean")),
        ];
        for (key, property, expected_type) in checks {
            let Some(property) = property else { continue };
            let schema = properties.and_then(|p| p.get(property)).ok_or_else(|| {
                format!("{at}: x-toss-pagination.{key} `{property}` is not a payload property")
            })?;
            if let Some(expected) = expected_type
                && schema.get("type").and_then(Value::as_str) != Some(expected)
            {
                return Err(format!(
                    "{at}: payload property `{property}` must be {expected}"
                ));
            }
        }
        Ok(())
    }

    pub(super) fn payload_properties(
        &self,
        payload: &str,
    ) -> Result<Option<&serde_json::Map<String, Value>>, String> {
        if payload == "FreeFormObject" {
            return Ok(None);
        }
        let schema = self
            .spec
            .pointer(&format!("/components/schemas/{payload}"))
            .ok_or_else(|| format!("{}: unknown payload {payload}", self.at))?;
        Ok(schema.get("properties").and_then(Value::as_object))
    }
}

/// Array properties with `minItems`/`maxItems`, per object schema (request bodies only carry
/// them: response schemas must not refuse what the vendor sends).
pub fn item_counts(
    spec: &Value,
) -> Result<BTreeMap<String, Vec<super::rewrite::ItemCount>>, String> {
    let mut out = BTreeMap::new();
    for (name, schema) in schemas(spec)? {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let properties = schema.get("properties").and_then(Value::as_object);
        let mut counts = Vec::new();
        for (property, definition) in properties.into_iter().flatten() {
            let bound = |key: &str| definition.get(key).and_then(Value::as_u64);
            let (min, max) = (bound("minItems"), bound("maxItems"));
            if min.is_none() && max.is_none() {
                continue;
            }
            let field = property.to_snake_case();
            if syn::parse_str::<syn::Ident>(&field).is_err() {
                return Err(format!(
                    "{name}.{property}: counted arrays need a plain field name"
                ));
            }
            counts.push(super::rewrite::ItemCount {
                field,
                min,
                max,
                required: required.contains(&property.as_str()),
            });
        }
        if !counts.is_empty() {
            out.insert(name.clone(), counts);
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The real spec with one text replaced, read back as the generator reads it.
    pub(crate) fn spec_with(from: &str, to: &str) -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/toss-shopping.yaml");
        let text = std::fs::read_to_string(path).expect("spec readable");
        assert!(text.contains(from), "the spec contains {from:?}");
        serde_norway::from_str(&text.replacen(from, to, 1)).expect("still YAML")
    }

    pub(crate) fn operations_error(spec: &Value) -> String {
        let envelopes = envelope_payloads(spec).expect("envelopes");
        match operations(spec, &envelopes) {
            Ok(_) => panic!("the spec was accepted"),
            Err(error) => error,
        }
    }

    #[test]
    fn the_real_spec_passes_every_check() {
        let spec = spec_with("", "");
        let envelopes = envelope_payloads(&spec).expect("envelopes");
        let all = operations(&spec, &envelopes).expect("operations");
        assert_eq!(all.len(), 55);
        assert!(open_enums(&spec).expect("open enums").len() >= 8);
    }

    #[test]
    fn paging_names_are_checked_against_parameters_and_payloads() {
        let cases = [
            (
                "input-token: nextCursor",
                "input-token: nextCursr",
                "`nextCursr` is not a query parameter",
            ),
            (
                "items: results",
                "items: rows",
                "`rows` is not a payload property",
            ),
            (
                "has-next: hasNext",
                "has-next: nextToken",
                "must be boolean",
            ),
        ];
        for (from, to, expected) in cases {
            let error = operations_error(&spec_with(from, to));
            assert!(error.contains(expected), "{to}: {error}");
        }
    }

    #[test]
    fn an_unknown_paging_key_or_style_fails() {
        let spec = spec_with("resend-filters: true", "resend-filter: true");
        assert!(operations_error(&spec).contains("unknown key `resend-filter`"));
        let spec = spec_with("style: next-cursor-limit", "style: next-cursor");
        assert!(operations_error(&spec).contains("style next-cursor is unknown"));
    }

    #[test]
    fn an_empty_success_needs_a_free_form_payload() {
        let spec = spec_with(
            "x-toss-pagination: {style: none}",
            "x-toss-empty-success: true\n      x-toss-pagination: {style: none}",
        );
        let error = operations_error(&spec);
        assert!(
            error.contains("x-toss-empty-success is only for free-form payloads"),
            "{error}"
        );
    }

    #[test]
    fn an_open_enum_written_with_one_of_fails() {
        let spec = spec_with(
            "      anyOf:\n        - $ref: '#/components/schemas/ClaimTypeKnown'",
            "      oneOf:\n        - $ref: '#/components/schemas/ClaimTypeKnown'",
        );
        let error = open_enums(&spec).err().expect("refused");
        assert!(
            error.contains("ClaimType: write an open enum as `anyOf"),
            "{error}"
        );
    }

    #[test]
    fn a_parameter_of_an_unsupported_type_is_refused_at_build_time() {
        let spec = spec_with(
            "          description: Products per page; the maximum is not documented (clients use 20 to 100).\n          schema:\n            type: integer",
            "          description: Products per page; the maximum is not documented (clients use 20 to 100).\n          schema:\n            type: array",
        );
        let error = operations_error(&spec);
        assert!(error.contains("unsupported parameter type"), "{error}");
    }
}
