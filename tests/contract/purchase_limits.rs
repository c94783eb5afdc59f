//! Purchase-quantity limits (bodies and payloads are undocumented: free-form JSON).

use serde_json::json;

use crate::support::{Harness, ok};

fn limit_body() -> serde_json::Map<String, serde_json::Value> {
    json!({"productId": 1234})
        .as_object()
        .cloned()
        .expect("an object")
}

/// A plausible limit: the real body is undocumented, so it is sent exactly as given.
fn create_body() -> serde_json::Map<String, serde_json::Value> {
    json!({
        "productId": 1234567,
        "limitType": "PER_PERSON",
        "maxPurchaseCount": 3,
        "periodDays": 30,
        "memo": "1인 3개 한정 특가"
    })
    .as_object()
    .cloned()
    .expect("an object")
}

#[tokio::test]
async fn create_purchase_limit() {
    let h = Harness::start().await;
    h.expect_json(
        "POST",
        "/purchase-limits",
        &[("partnerName", "tosspharm-erp")],
        json!({
            "productId": 1234567,
            "limitType": "PER_PERSON",
            "maxPurchaseCount": 3,
            "periodDays": 30,
            "memo": "1인 3개 한정 특가"
        }),
        ok(json!({
            "purchaseLimitId": 50211,
            "productId": 1234567,
            "maxPurchaseCount": 3,
            "createdAt": "2026-07-11T20:51:39",
            "period": {"startDate": "2026-07-11", "endDate": null}
        })),
    )
    .await;
    let answer = h
        .client
        .create_purchase_limit()
        .partner_name("tosspharm-erp")
        .body(create_body())
        .await
        .expect("created");
    assert_eq!(answer["purchaseLimitId"], 50211);
    assert_eq!(answer["maxPurchaseCount"], 3);
    assert!(answer["period"]["endDate"].is_null());

    h.assert_fail_envelope(
        "POST",
        "/purchase-limits",
        &[],
        h.client.create_purchase_limit().body(create_body()),
    )
    .await;
}

#[tokio::test]
async fn get_purchase_limit() {
    let h = Harness::start().await;
    let route = "/purchase-limits/product-ids/1234567";
    h.expect(
        "GET",
        route,
        &[("partnerName", "tosspharm-erp")],
        ok(json!({
            "productId": 1234567,
            "limitType": "PER_PERSON",
            "maxPurchaseCount": 3,
            "isActive": true,
            "description": "1인 3개 한정",
            "updatedAt": null
        })),
    )
    .await;
    let answer = h
        .client
        .get_purchase_limit()
        .product_id(1234567)
        .partner_name("tosspharm-erp")
        .await
        .expect("limit");
    assert_eq!(answer["productId"], 1234567);
    assert_eq!(answer["maxPurchaseCount"], 3);
    assert_eq!(answer["description"], "1인 3개 한정");
    assert!(answer["updatedAt"].is_null());

    h.assert_fail_envelope(
        "GET",
        route,
        &[],
        h.client.get_purchase_limit().product_id(1234567),
    )
    .await;
}

#[tokio::test]
async fn delete_purchase_limit() {
    let h = Harness::start().await;
    h.expect_json(
        "DELETE",
        "/purchase-limits",
        &[],
        json!({"productId": 1234}),
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .delete_purchase_limit()
        .body(limit_body())
        .await
        .expect("deleted");
    assert!(answer.is_empty());

    h.assert_fail_envelope(
        "DELETE",
        "/purchase-limits",
        &[],
        h.client.delete_purchase_limit().body(limit_body()),
    )
    .await;
}
