//! `required` in an answer schema is a promise that the field is in every answer: the client
//! fails to decode an answer without it. So each required property of a schema that an
//! operation's HTTP 200 answer can reach must carry evidence of that promise in
//! `x-toss-required-evidence` (property name → text starting with `docs` or `live` and saying
//! where). Request schemas are not walked: their `required` lists state what we send.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::spec::{self, SPEC};

/// The extension holding the evidence for a schema's `required` properties.
const EVIDENCE: &str = "x-toss-required-evidence";

/// Evidence kinds strong enough to make a property required.
const STRONG: [&str; 2] = ["docs", "live"];

/// Schema keywords whose value is one subschema.
const ONE_SUBSCHEMA: [&str; 3] = ["items", "additionalProperties", "not"];

/// Schema keywords whose value is a list of subschemas.
const SUBSCHEMA_LISTS: [&str; 3] = ["allOf", "oneOf", "anyOf"];

/// One broken rule: which schema, which property, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The component name, or a path from it (or from the operation) for inline schemas.
    pub schema: String,
    /// The property named in `required` or in the evidence map.
    pub property: String,
    /// What is wrong.
    pub problem: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}: {}", self.schema, self.property, self.problem)
    }
}

/// What the walker saw.
#[derive(Debug, Default)]
pub struct Audit {
    /// Every component (`schemas/X`, `responses/X`) reachable from an HTTP 200 answer.
    pub reached: BTreeSet<String>,
    /// Rules broken.
    pub findings: Vec<Finding>,
}

/// Walks every schema reachable from every operation's HTTP 200 answer.
pub fn audit(spec: &Value) -> Result<Audit, String> {
    let mut walker = Walker {
        spec,
        audit: Audit::default(),
    };
    for operation in spec::operations(spec)? {
        let answer = operation.answer()?;
        walker.response(&format!("{}/responses/200", operation.id), answer)?;
    }
    walker.audit.findings.sort();
    Ok(walker.audit)
}

struct Walker<'a> {
    spec: &'a Value,
    audit: Audit,
}

impl Walker<'_> {
    /// A response object: its own `$ref`, or the schemas of its contents.
    fn response(&mut self, at: &str, response: &Value) -> Result<(), String> {
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            return self.reference(reference);
        }
        let contents = response.get("content").and_then(Value::as_object);
        for (media_type, content) in contents.into_iter().flatten() {
            if let Some(schema) = content.get("schema") {
                self.schema(&format!("{at}/content/{media_type}/schema"), schema)?;
            }
        }
        Ok(())
    }

    /// Visits a `#/components/...` target once.
    fn reference(&mut self, reference: &str) -> Result<(), String> {
        let key = reference
            .strip_prefix("#/components/")
            .ok_or_else(|| format!("unsupported reference `{reference}`"))?;
        if !self.audit.reached.insert(key.to_string()) {
            return Ok(());
        }
        let target = spec::resolve(self.spec, reference)?;
        let name = spec::ref_name(reference);
        match key.split('/').next() {
            Some("responses") => self.response(name, target),
            Some("schemas") => self.schema(name, target),
            _ => Err(format!("unexpected reference `{reference}` in an answer")),
        }
    }

    /// A schema object: check it, then everything it contains.
    fn schema(&mut self, at: &str, schema: &Value) -> Result<(), String> {
        let Some(object) = schema.as_object() else {
            return Ok(()); // `true` / `false` schemas
        };
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            return self.reference(reference);
        }
        self.check(at, schema);
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                self.schema(&format!("{at}/properties/{name}"), property)?;
            }
        }
        for keyword in ONE_SUBSCHEMA {
            if let Some(sub) = object.get(keyword) {
                self.schema(&format!("{at}/{keyword}"), sub)?;
            }
        }
        for keyword in SUBSCHEMA_LISTS {
            for (index, sub) in object
                .get(keyword)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.schema(&format!("{at}/{keyword}/{index}"), sub)?;
            }
        }
        Ok(())
    }

    /// The rule itself, for one schema object.
    fn check(&mut self, at: &str, schema: &Value) {
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut finding = |property: &str, problem: String| {
            self.audit.findings.push(Finding {
                schema: at.to_string(),
                property: property.to_string(),
                problem,
            });
        };
        let evidence: BTreeMap<&str, &Value> = match schema.get(EVIDENCE) {
            None => BTreeMap::new(),
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            Some(_) => {
                finding(
                    EVIDENCE,
                    "must be a map from property name to evidence".into(),
                );
                BTreeMap::new()
            }
        };
        for property in &required {
            match evidence.get(property) {
                None => finding(
                    property,
                    format!("required in an answer schema without `{EVIDENCE}` (docs or live)"),
                ),
                Some(text) if !is_strong(text) => finding(
                    property,
                    format!(
                        "evidence {text} must start with `docs` or `live` and say where; \
                         weaker evidence means the property must be optional"
                    ),
                ),
                Some(_) => {}
            }
        }
        for property in evidence.keys() {
            if !required.contains(property) {
                finding(
                    property,
                    "stale evidence: the property is not required".into(),
                );
            }
        }
    }
}

/// `docs: <where>` or `live: <where>`.
fn is_strong(evidence: &Value) -> bool {
    let Some(text) = evidence.as_str() else {
        return false;
    };
    STRONG.iter().any(|tag| {
        text.strip_prefix(tag).is_some_and(|rest| {
            let place = rest.trim_start_matches([':', ' ']);
            rest.starts_with([':', ' ']) && !place.trim().is_empty()
        })
    })
}

#[test]
fn every_required_answer_property_has_docs_or_live_evidence() {
    let audit = audit(&SPEC).expect("the spec can be walked");
    let listing: Vec<String> = audit.findings.iter().map(ToString::to_string).collect();
    assert!(
        listing.is_empty(),
        "{} problem(s) with `required` in answer schemas (a property may be required only \
         when docs or live evidence says it is always sent; otherwise make it optional):\n  {}",
        listing.len(),
        listing.join("\n  ")
    );
}

/// Guards the guard: if the walker stopped following references it would pass vacuously.
#[test]
fn the_walker_reaches_nested_answer_schemas_and_no_request_schema() {
    let audit = audit(&SPEC).expect("the spec can be walked");
    for nested in [
        "responses/ClaimPage",
        "schemas/ClaimPageEnvelope",
        "schemas/ClaimOrder",
        "schemas/ProductStockInfo",
        "schemas/GroupedProductItem",
        "schemas/InspectionRejectReason",
        "schemas/FailedReasonDetail",
        "schemas/PenaltySummary",
        "schemas/ErrorDetail",
    ] {
        assert!(
            audit.reached.contains(nested),
            "the walker did not reach {nested}; reached: {:?}",
            audit.reached
        );
    }
    for request in [
        "schemas/ProductRegistration",
        "schemas/SellerCancelRequest",
        "schemas/OrderProductStatusChangeRequest",
    ] {
        assert!(
            !audit.reached.contains(request),
            "{request} is a request body schema, not part of any answer"
        );
    }
    let envelopes = audit
        .reached
        .iter()
        .filter(|name| name.ends_with("Envelope"))
        .count();
    assert!(
        envelopes >= 20,
        "expected every envelope to be reached, got {envelopes}"
    );
}

/// The walker must flag a synthetic spec's bad schemas, wherever they hide, and nothing else.
#[test]
fn the_walker_flags_a_synthetic_bad_schema() {
    let spec = spec::parse(
        r##"
openapi: 3.0.3
info: {title: synthetic, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200': {$ref: '#/components/responses/ThingPage'}
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingRequest'}
      responses:
        '200':
          description: inline answer
          content:
            application/json:
              schema:
                type: object
                required: [ok]
                properties:
                  ok: {type: boolean}
components:
  responses:
    ThingPage:
      description: a page
      content:
        application/json:
          schema: {$ref: '#/components/schemas/ThingPageEnvelope'}
  schemas:
    ThingPageEnvelope:
      type: object
      required: [resultType]
      x-toss-required-evidence: {resultType: 'docs: envelope page'}
      properties:
        resultType: {type: string}
        success:
          type: object
          nullable: true
          allOf: [{$ref: '#/components/schemas/ThingPage'}]
    ThingPage:
      type: object
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Thing'}
    Thing:
      type: object
      required: [id, name, code, size]
      x-toss-required-evidence:
        name: 'client: one integrator reads it'
        code: 'live: captured page of 2026-07-17'
        size: docs
        gone: 'docs: it used to be required'
      properties:
        id: {type: integer}
        name: {type: string}
        code: {type: string}
        size: {type: integer}
        inner:
          type: object
          required: [depth]
          properties:
            depth: {type: integer}
        kind:
          oneOf:
            - {$ref: '#/components/schemas/Kind'}
            - type: string
    Kind:
      type: object
      required: [label]
      properties:
        label: {type: string}
    ThingRequest:
      type: object
      required: [name]
      properties:
        name: {type: string}
"##,
    )
    .expect("synthetic spec parses");
    let audit = audit(&spec).expect("synthetic spec can be walked");
    let flagged: Vec<(&str, &str)> = audit
        .findings
        .iter()
        .map(|f| (f.schema.as_str(), f.property.as_str()))
        .collect();
    assert_eq!(
        flagged,
        [
            ("Kind", "label"),
            ("Thing", "gone"),
            ("Thing", "id"),
            ("Thing", "name"),
            ("Thing", "size"),
            ("Thing/properties/inner", "depth"),
            (
                "createThing/responses/200/content/application/json/schema",
                "ok"
            ),
        ],
        "findings: {:#?}",
        audit.findings
    );
    let stale = audit
        .findings
        .iter()
        .find(|f| f.property == "gone")
        .expect("stale evidence is flagged");
    assert!(stale.problem.contains("stale"), "{stale}");
    assert!(!audit.reached.contains("schemas/ThingRequest"));
}

#[test]
fn evidence_must_name_its_kind_and_place() {
    for strong in [
        "docs: merchant page",
        "live: vowpath 2026-08",
        "docs merchant page",
    ] {
        assert!(is_strong(&Value::from(strong)), "{strong}");
    }
    for weak in [
        "docs",
        "docs:",
        "live: ",
        "documented",
        "clients: 3",
        "guess: probably",
        "client, citing docs",
    ] {
        assert!(!is_strong(&Value::from(weak)), "{weak}");
    }
    assert!(!is_strong(&Value::Bool(true)));
}
