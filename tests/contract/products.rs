//! Products: register, update, read, list, show, hide, delete.

use serde_json::json;

use crate::support::{Harness, ok};

#[tokio::test]
async fn remove_product() {
    let h = Harness::start().await;
    h.expect_json(
        "POST",
        "/products/remove",
        &[],
        json!({"productId": 1234}),
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .remove_product()
        .body_map(|b| b.product_id(1234))
        .await
        .expect("removed");
    assert!(answer.is_empty());

    h.assert_fail_envelope(
        "POST",
        "/products/remove",
        &[],
        h.client.remove_product().body_map(|b| b.product_id(1234)),
    )
    .await;
}
