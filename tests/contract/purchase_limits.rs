//! Purchase-quantity limits (bodies and payloads are undocumented: free-form JSON).

use serde_json::json;

use crate::support::{Harness, ok};

fn limit_body() -> serde_json::Map<String, serde_json::Value> {
    json!({"productId": 1234})
        .as_object()
        .cloned()
        .expect("an object")
}

#[tokio::test]
async fn delete_purchase_limit() {
    let h = Harness::start().await;
    h.expect_json(
        "DELETE",
        "/purchase-limits",
        &[],
        json!({"productId": 1234}),
        ok(json!(null)),
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
