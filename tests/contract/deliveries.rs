//! Invoices (delivery registration).

use serde_json::json;
use toss_shopping::{Error, Problem};

use crate::support::{Harness, ok};

#[tokio::test]
async fn update_order_product_delivery() {
    let h = Harness::start().await;
    h.expect_json(
        "PUT",
        "/orders/products/delivery",
        &[("partnerName", "my-erp")],
        json!({
            "orderProductId": 271684435,
            "deliveryCompany": "CJ대한통운",
            "trackingNumber": "601234567890"
        }),
        ok(json!({"traceId": "a1b2c3d4"})),
    )
    .await;
    let answer = h
        .client
        .update_order_product_delivery()
        .partner_name("my-erp")
        .body_map(|b| {
            b.order_product_id(271684435)
                .delivery_company("CJ대한통운")
                .tracking_number("601234567890")
        })
        .await
        .expect("invoice registered");
    // The live payload is `{}`; whatever the vendor adds is kept raw.
    assert_eq!(answer.len(), 1);
    assert_eq!(answer["traceId"], "a1b2c3d4");

    h.assert_fail_envelope(
        "PUT",
        "/orders/products/delivery",
        &[],
        h.client.update_order_product_delivery().body_map(|b| {
            b.order_product_id(271684435)
                .delivery_company("CJ대한통운")
                .tracking_number("601234567890")
        }),
    )
    .await;
}

#[tokio::test]
async fn empty_invoice_payload_decodes_as_an_empty_map() {
    let h = Harness::start().await;
    h.expect_json(
        "PUT",
        "/orders/products/delivery",
        &[],
        json!({
            "orderProductId": 271684436,
            "deliveryCompany": "롯데택배",
            "trackingNumber": "245678901234"
        }),
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .update_order_product_delivery()
        .body_map(|b| {
            b.order_product_id(271684436)
                .delivery_company("롯데택배")
                .tracking_number("245678901234")
        })
        .await
        .expect("invoice changed");
    assert!(answer.is_empty());
}

#[tokio::test]
async fn tracking_number_with_hyphens_is_rejected_before_sending() {
    // The spec's pattern is `^[0-9]+$`: the catch-all fails the test if anything is sent.
    let h = Harness::start().await;
    let outcome = h
        .client
        .update_order_product_delivery()
        .body_map(|b| {
            b.order_product_id(271684435)
                .delivery_company("CJ대한통운")
                .tracking_number("6012-3456-7890")
        })
        .await;
    match outcome {
        Err(Error::InvalidRequest(invalid)) => {
            assert_eq!(invalid.field, "body.tracking_number");
            assert_eq!(
                invalid.problem,
                Problem::Pattern {
                    pattern: "^[0-9]+$".into()
                }
            );
            assert!(
                invalid
                    .to_string()
                    .contains("does not match the pattern ^[0-9]+$")
            );
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn invoice_without_tracking_number_is_rejected_before_sending() {
    let h = Harness::start().await;
    let outcome = h
        .client
        .update_order_product_delivery()
        .body_map(|b| b.order_product_id(271684435).delivery_company("CJ대한통운"))
        .await;
    match outcome {
        Err(Error::InvalidRequest(invalid)) => {
            assert_eq!(invalid.field, "body.tracking_number");
            assert_eq!(invalid.problem, Problem::Missing);
            assert_eq!(
                invalid.to_string(),
                "invalid update_order_product_delivery request: `body.tracking_number` is required but was not set"
            );
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}
