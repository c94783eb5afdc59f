//! Every open enum of the spec is a flat Rust enum that knows the spec's values and keeps
//! unknown ones. The spec is read here independently of the generator, so an open enum the
//! generator failed to flatten fails this test.

use std::collections::BTreeMap;

use serde_json::Value;
use toss_shopping::open_enum::{OpenEnumMeta, open_enums};
use toss_shopping::types::{ClaimStatus, OrderProductStatus};

/// Open enums as the spec writes them (`anyOf`/`oneOf` of `XKnown` and a string), with
/// the known values of `XKnown`.
fn spec_open_enums() -> BTreeMap<String, Vec<String>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/toss-shopping.yaml");
    let text = std::fs::read_to_string(path).expect("spec readable");
    let spec: Value = serde_norway::from_str(&text).expect("spec is YAML");
    let schemas = spec["components"]["schemas"].as_object().expect("schemas");
    let mut out = BTreeMap::new();
    for (name, schema) in schemas {
        let branches = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array);
        let Some(branches) = branches else { continue };
        let known_ref = format!("#/components/schemas/{name}Known");
        let refers_to_known = branches.iter().any(|b| b["$ref"] == known_ref.as_str());
        let has_string = branches.iter().any(|b| b["type"] == "string");
        if refers_to_known && has_string {
            let values = schemas[&format!("{name}Known")]["enum"]
                .as_array()
                .expect("XKnown is an enum")
                .iter()
                .map(|v| v.as_str().expect("string values").to_string())
                .collect();
            out.insert(name.clone(), values);
        }
    }
    out
}

fn registry() -> BTreeMap<&'static str, &'static OpenEnumMeta> {
    open_enums().iter().map(|meta| (meta.name, meta)).collect()
}

#[test]
fn every_open_enum_of_the_spec_is_flattened_with_its_values() {
    let spec = spec_open_enums();
    assert!(spec.len() >= 8, "the spec has open enums: {spec:?}");
    let registry = registry();
    for (name, values) in &spec {
        let meta = registry
            .get(name.as_str())
            .unwrap_or_else(|| panic!("{name} is open in the spec but not flattened"));
        assert_eq!(meta.values, values.as_slice(), "{name}: known values");
    }
    let extra: Vec<_> = registry
        .keys()
        .filter(|n| !spec.contains_key(**n))
        .collect();
    assert!(
        extra.is_empty(),
        "flattened enums the spec does not have: {extra:?}"
    );
}

#[test]
fn known_values_decode_to_their_variant_and_round_trip() {
    for meta in open_enums() {
        for value in meta.values {
            let probe = (meta.probe)(value);
            assert_eq!(probe.error, None, "{}::{value}", meta.name);
            assert!(probe.known, "{}: {value} decodes as known", meta.name);
            assert_eq!(probe.as_str, *value);
            assert_eq!(probe.reencoded, format!("\"{value}\""));
            assert!(
                probe.from_str_equal,
                "{}: From<&str> agrees for {value}",
                meta.name
            );
        }
    }
}

#[test]
fn unknown_values_are_kept_not_rejected() {
    for meta in open_enums() {
        let probe = (meta.probe)("NEW_VALUE_FROM_VENDOR");
        assert_eq!(probe.error, None, "{}", meta.name);
        assert!(!probe.known, "{}", meta.name);
        assert_eq!(probe.as_str, "NEW_VALUE_FROM_VENDOR");
        assert_eq!(probe.reencoded, "\"NEW_VALUE_FROM_VENDOR\"");
        assert!(probe.from_str_equal, "{}", meta.name);
    }
}

#[test]
fn a_known_string_is_the_known_variant() {
    assert_eq!(OrderProductStatus::from("PAID"), OrderProductStatus::Paid);
    assert_eq!(
        "REVOKED_REQUEST".parse::<ClaimStatus>(),
        Ok(ClaimStatus::RevokedRequest)
    );
    let new = OrderProductStatus::from("NEW_STATUS");
    assert!(new.is_unknown());
    assert_ne!(new, OrderProductStatus::Paid);
    assert_eq!(new.to_string(), "NEW_STATUS");
    assert!(OrderProductStatus::values().contains(&"PREPARING_PRODUCT"));
}

#[cfg(feature = "schemars")]
#[test]
fn an_open_enum_schema_is_a_string_listing_the_known_values() {
    let schema = serde_json::to_value(schemars::schema_for!(OrderProductStatus)).expect("schema");
    assert_eq!(schema["type"], "string");
    let description = schema["description"].as_str().expect("a description");
    assert!(description.contains("PAID") && description.contains("PREPARING_PRODUCT"));
}
