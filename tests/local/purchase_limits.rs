//! Purchase limits on the local server: create, read and delete, on existing products only.

use serde_json::{Map, Value, json};
use toss_shopping::types::ProductIdRequest;

use crate::product_support::{approving, expect_fail, register, registration};

fn map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[tokio::test]
async fn a_limit_is_created_read_and_deleted() {
    let (_server, client, _clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;

    let none = client.get_purchase_limit().product_id(id).await.unwrap();
    assert_eq!(
        Value::Object(none),
        json!({"productId": id, "maxPurchaseQuantityPerOrder": null, "maxPurchaseQuantityPerPerson": null})
    );

    let limit = json!({"productId": id, "maxPurchaseQuantityPerOrder": 5, "maxPurchaseQuantityPerPerson": 10});
    client
        .create_purchase_limit()
        .body(map(limit.clone()))
        .await
        .unwrap();
    let read = client.get_purchase_limit().product_id(id).await.unwrap();
    assert_eq!(Value::Object(read), limit);

    let again = client.create_purchase_limit().body(map(limit)).await;
    expect_fail(again, "BAD_REQUEST");

    client
        .delete_purchase_limit()
        .body(map(json!({"productId": id})))
        .await
        .unwrap();
    let gone = client.get_purchase_limit().product_id(id).await.unwrap();
    assert_eq!(gone["maxPurchaseQuantityPerOrder"], Value::Null);
    client
        .delete_purchase_limit()
        .body(map(json!({"productId": id})))
        .await
        .unwrap();
}

#[tokio::test]
async fn limits_need_an_existing_product_and_sane_quantities() {
    let (_server, client, _clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;

    let unknown = json!({"productId": 999, "maxPurchaseQuantityPerOrder": 5});
    let reason = expect_fail(
        client.create_purchase_limit().body(map(unknown)).await,
        "NOT_FOUND",
    );
    assert_eq!(reason, "존재하지 않는 상품 정보입니다. (999)");
    expect_fail(
        client.get_purchase_limit().product_id(999_i64).await,
        "NOT_FOUND",
    );
    expect_fail(
        client
            .delete_purchase_limit()
            .body(map(json!({"productId": 999})))
            .await,
        "NOT_FOUND",
    );

    for broken in [
        json!({"maxPurchaseQuantityPerOrder": 5}),
        json!({"productId": "abc", "maxPurchaseQuantityPerOrder": 5}),
        json!({"productId": id}),
        json!({"productId": id, "maxPurchaseQuantityPerOrder": 0}),
        json!({"productId": id, "maxPurchaseQuantityPerPerson": 2.5}),
    ] {
        expect_fail(
            client.create_purchase_limit().body(map(broken)).await,
            "INVALID_REQUEST",
        );
    }
    let inverted = json!({"productId": id, "maxPurchaseQuantityPerOrder": 10, "maxPurchaseQuantityPerPerson": 5});
    expect_fail(
        client.create_purchase_limit().body(map(inverted)).await,
        "BAD_REQUEST",
    );
}

#[tokio::test]
async fn removing_a_product_removes_its_limit() {
    let (_server, client, _clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    let limit = json!({"productId": id, "maxPurchaseQuantityPerPerson": 3});
    client
        .create_purchase_limit()
        .body(map(limit))
        .await
        .unwrap();

    client
        .hide_product()
        .body(ProductIdRequest { product_id: id })
        .await
        .unwrap();
    client
        .remove_product()
        .body(ProductIdRequest { product_id: id })
        .await
        .unwrap();
    expect_fail(
        client.get_purchase_limit().product_id(id).await,
        "NOT_FOUND",
    );
}
