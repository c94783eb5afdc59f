//! Exchange/return locations.
//!
//! Reads use the `/v2` path, writes the path without it. Locations have no name.

use serde_json::{Map, Value, json};
use toss_shopping::Error;

use crate::support::{Harness, ok};

const LIST: &str = "/merchants/group-delivery/exchange-refund-location/v2";
const WRITE: &str = "/merchants/group-delivery/exchange-refund-location";

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("a JSON object")
}

#[tokio::test]
async fn list_exchange_refund_locations() {
    let h = Harness::start().await;
    let page = json!({
        "items": [
            {
                "id": 1520171, "zipCode": "22161", "address": "인천광역시 미추홀구 인하로 100",
                "detailAddress": "물류센터 2층 반품팀", "isMain": false, "registeredAt": "2026-05-28T10:00:00"
            },
            {
                "id": 1520390, "zipCode": "06236", "address": "서울특별시 강남구 테헤란로 142",
                "detailAddress": "", "isMain": true, "registeredAt": "2026-06-02T14:21:07"
            }
        ],
        "nextToken": "eyJsYXN0SWQiOjE1MjAzOTB9",
        "hasNext": true
    });
    let query = [
        ("nextToken", "eyJsYXN0SWQiOjE1MjAxMDB9"),
        ("size", "20"),
        ("partnerName", "my-erp"),
    ];
    h.expect("GET", LIST, &query, ok(page)).await;
    let page = h
        .client
        .list_exchange_refund_locations()
        .next_token("eyJsYXN0SWQiOjE1MjAxMDB9")
        .size(20)
        .partner_name("my-erp")
        .await
        .expect("page");
    assert_eq!(page.items.len(), 2);
    let first = &page.items[0];
    assert_eq!(first.id, Some(1520171));
    assert_eq!(first.zip_code.as_deref(), Some("22161"));
    assert_eq!(
        first.address.as_deref(),
        Some("인천광역시 미추홀구 인하로 100")
    );
    assert_eq!(first.is_main, Some(false));
    assert_eq!(page.items[1].detail_address.as_deref(), Some(""));
    assert_eq!(page.items[1].is_main, Some(true));
    assert_eq!(page.next_token.as_deref(), Some("eyJsYXN0SWQiOjE1MjAzOTB9"));
    assert_eq!(page.has_next, Some(true));

    h.assert_fail_envelope("GET", LIST, &[], h.client.list_exchange_refund_locations())
        .await;
}

#[tokio::test]
async fn create_exchange_refund_location() {
    let h = Harness::start().await;
    let body = json!({
        "zipCode": "22161",
        "address": "인천광역시 미추홀구 인하로 100",
        "detailAddress": "물류센터 2층 반품팀",
        "isMain": true
    });
    h.expect_json(
        "POST",
        WRITE,
        &[("partnerName", "my-erp")],
        body.clone(),
        ok(json!({"id": 1520171, "isMain": true})),
    )
    .await;
    let request = || {
        h.client.create_exchange_refund_location().body_map(|b| {
            b.zip_code("22161")
                .address("인천광역시 미추홀구 인하로 100")
                .detail_address("물류센터 2층 반품팀")
                .is_main(true)
        })
    };
    let created = request().partner_name("my-erp").await.expect("created");
    assert_eq!(created.id, Some(1520171));

    h.assert_fail_envelope("POST", WRITE, &[], request()).await;
}

#[tokio::test]
async fn an_empty_detail_address_is_sent_and_an_unset_is_main_is_left_out() {
    let h = Harness::start().await;
    h.expect_json(
        "POST",
        WRITE,
        &[],
        json!({"zipCode": "06236", "address": "서울특별시 강남구 테헤란로 142", "detailAddress": ""}),
        ok(json!({"id": 1520390})),
    )
    .await;
    let created = h
        .client
        .create_exchange_refund_location()
        .body_map(|b| {
            b.zip_code("06236")
                .address("서울특별시 강남구 테헤란로 142")
                .detail_address("")
        })
        .await
        .expect("created");
    assert_eq!(created.id, Some(1520390));
}

#[tokio::test]
async fn a_location_without_its_detail_address_is_rejected_before_sending() {
    // `detailAddress` is required (it may be empty); the catch-all proves nothing is sent.
    let h = Harness::start().await;
    let err = h
        .client
        .create_exchange_refund_location()
        .body_map(|b| {
            b.zip_code("22161")
                .address("인천광역시 미추홀구 인하로 100")
        })
        .await
        .expect_err("detailAddress is required");
    assert!(
        matches!(&err, Error::InvalidRequest(why) if why.to_string().contains("detail_address")),
        "{err:?}"
    );
}

#[tokio::test]
async fn update_exchange_refund_location() {
    let h = Harness::start().await;
    let body = json!({
        "id": 1520171,
        "zipCode": "22161",
        "address": "인천광역시 미추홀구 인하로 100",
        "detailAddress": "물류센터 3층 반품팀",
        "isMain": true
    });
    h.expect_json(
        "PUT",
        WRITE,
        &[("partnerName", "my-erp")],
        body.clone(),
        ok(json!({"id": 1520171, "updatedAt": "2026-07-12T11:05:00"})),
    )
    .await;
    let answer = h
        .client
        .update_exchange_refund_location()
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("updated");
    assert_eq!(answer["id"], 1520171);

    h.assert_fail_envelope(
        "PUT",
        WRITE,
        &[],
        h.client
            .update_exchange_refund_location()
            .body(object(body)),
    )
    .await;
}
