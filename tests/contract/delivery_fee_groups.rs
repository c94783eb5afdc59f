//! Delivery-fee bundle groups.
//!
//! Reads use the `/v2` path, writes the path without it; write bodies and payloads are
//! undocumented (free-form JSON).

use serde_json::{Map, Value, json};

use crate::support::{Harness, ok};

const LIST: &str = "/merchants/group-delivery/delivery-location/v2";
const WRITE: &str = "/merchants/group-delivery/delivery-location";

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("a JSON object")
}

#[tokio::test]
async fn list_delivery_fee_groups() {
    let h = Harness::start().await;
    let page = json!({
        "items": [
            {"id": 30125, "isMain": true, "name": "기본 묶음 그룹", "deliveryFeeType": "FREE"},
            {"id": 30418, "isMain": false, "name": "제주/도서산간 묶음", "extraFee": {"jeju": 3000, "island": 5000}}
        ],
        "nextToken": "eyJsYXN0SWQiOjMwNDE4fQ",
        "hasNext": true,
        "totalCount": 5
    });
    let query = [
        ("nextToken", "eyJsYXN0SWQiOjMwMTAwfQ"),
        ("size", "20"),
        ("partnerName", "my-erp"),
    ];
    h.expect("GET", LIST, &query, ok(page)).await;
    let page = h
        .client
        .list_delivery_fee_groups()
        .next_token("eyJsYXN0SWQiOjMwMTAwfQ")
        .size(20)
        .partner_name("my-erp")
        .await
        .expect("page");
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        (page.items[0].id, page.items[0].is_main),
        (Some(30125), Some(true))
    );
    assert_eq!(
        (page.items[1].id, page.items[1].is_main),
        (Some(30418), Some(false))
    );
    assert_eq!(page.next_token.as_deref(), Some("eyJsYXN0SWQiOjMwNDE4fQ"));
    assert_eq!(page.has_next, Some(true));

    h.assert_fail_envelope("GET", LIST, &[], h.client.list_delivery_fee_groups())
        .await;
}

#[tokio::test]
async fn the_last_delivery_fee_group_page_has_a_null_token() {
    let h = Harness::start().await;
    let page =
        json!({"items": [{"id": 30125, "isMain": true}], "nextToken": null, "hasNext": false});
    h.expect("GET", LIST, &[("size", "20")], ok(page)).await;
    let page = h
        .client
        .list_delivery_fee_groups()
        .size(20)
        .await
        .expect("last page");
    assert_eq!(page.items[0].id, Some(30125));
    assert_eq!((page.next_token, page.has_next), (None, Some(false)));
}

#[tokio::test]
async fn create_delivery_fee_group() {
    let h = Harness::start().await;
    let body = json!({
        "name": "제주/도서산간 묶음",
        "deliveryFeeType": "PAID",
        "deliveryFee": 3000,
        "extraFee": {"jeju": 3000, "island": 5000},
        "isMain": false
    });
    h.expect_json(
        "POST",
        WRITE,
        &[("partnerName", "my-erp")],
        body.clone(),
        ok(json!({"id": 30418, "createdAt": "2026-07-12T09:30:00"})),
    )
    .await;
    let created = h
        .client
        .create_delivery_fee_group()
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("created");
    assert_eq!(created["id"], 30418);
    assert_eq!(created["createdAt"], "2026-07-12T09:30:00");

    h.assert_fail_envelope(
        "POST",
        WRITE,
        &[],
        h.client.create_delivery_fee_group().body(object(body)),
    )
    .await;
}

#[tokio::test]
async fn update_delivery_fee_group() {
    let h = Harness::start().await;
    let body = json!({
        "id": 30418,
        "name": "제주/도서산간 묶음 (변경)",
        "deliveryFee": 3500,
        "extraFee": {"jeju": 4000, "island": 6000}
    });
    h.expect_json(
        "PUT",
        WRITE,
        &[("partnerName", "my-erp")],
        body.clone(),
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .update_delivery_fee_group()
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("updated");
    assert!(answer.is_empty());

    h.assert_fail_envelope(
        "PUT",
        WRITE,
        &[],
        h.client.update_delivery_fee_group().body(object(body)),
    )
    .await;
}
