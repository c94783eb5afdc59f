//! Checking requests someone else built (a server, a tool) by the same generated types and
//! rules the client uses, and the parameter table generated from the spec.

use serde_json::{Value, json};
use toss_shopping::Problem;
use toss_shopping::operation::{ParamLocation, check_request_body, operations};

use crate::support::registration_json as registration;

fn check(operation: &str, body: &Value) -> Result<Value, toss_shopping::InvalidRequestError> {
    check_request_body(operation, body.to_string().as_bytes()).expect("the operation takes a body")
}

#[test]
fn every_operation_with_a_body_has_a_check_and_no_other() {
    for op in operations() {
        let checked = check_request_body(op.operation_id, b"{}");
        assert_eq!(
            checked.is_some(),
            op.request_body.is_some(),
            "{}",
            op.operation_id
        );
    }
    assert!(check_request_body("no_such_operation", b"{}").is_none());
}

#[test]
fn a_valid_body_passes_unchanged() {
    let body = registration();
    assert_eq!(check("register_product", &body).expect("valid"), body);
}

#[test]
fn a_missing_field_is_named_by_its_json_path() {
    let mut body = registration();
    body.as_object_mut().expect("object").remove("name");
    let refused = check("register_product", &body).expect_err("refused");
    assert_eq!(
        (refused.field.as_str(), &refused.problem),
        ("body.name", &Problem::Missing)
    );
    let mut nested = registration();
    nested["stocks"][0]
        .as_object_mut()
        .expect("object")
        .remove("salePrice");
    let refused = check("register_product", &nested).expect_err("refused");
    assert_eq!(refused.field, "body.stocks[0].salePrice");
    assert_eq!(refused.problem, Problem::Missing);
}

#[test]
fn a_broken_pattern_or_count_names_the_rule() {
    let mut body = registration();
    body["brandName"] = json!("토스팜!");
    let refused = check("register_product", &body).expect_err("refused");
    assert_eq!(refused.field, "body.brandName");
    assert!(
        matches!(refused.problem, Problem::Pattern { .. }),
        "{:?}",
        refused.problem
    );

    let mut body = registration();
    let stock = body["stocks"][0].clone();
    body["stocks"] = Value::Array(vec![stock; 301]);
    let refused = check("register_product", &body).expect_err("refused");
    assert_eq!(refused.field, "body.stocks");
    assert_eq!(
        refused.problem,
        Problem::Count {
            actual: 301,
            min: Some(1),
            max: Some(300)
        }
    );
}

#[test]
fn a_free_form_body_is_any_json_object() {
    assert!(
        check(
            "create_purchase_limit",
            &json!({"productId": 1, "limit": 3})
        )
        .is_ok()
    );
    assert!(check("create_purchase_limit", &json!([1, 2])).is_err());
    assert!(
        check_request_body("create_purchase_limit", b"not json")
            .expect("a body")
            .is_err()
    );
}

#[test]
fn the_parameter_table_matches_the_paths() {
    for op in operations() {
        let in_path: Vec<&str> = op
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let path_params: Vec<&str> = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .inspect(|p| assert!(p.required, "{}: {} is required", op.operation_id, p.name))
            .map(|p| p.name)
            .collect();
        assert_eq!(in_path, path_params, "{}", op.operation_id);
        let partner = op.params.iter().find(|p| p.name == "partnerName");
        assert!(
            partner.is_some_and(|p| p.location == ParamLocation::Query && !p.required),
            "{}: partnerName is an optional query parameter",
            op.operation_id
        );
    }
}
