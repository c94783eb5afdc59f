//! Couriers, delivery-fee bundle groups and exchange/return locations (CUR-01..02,
//! DLG-01..03, ERL-01..03) through the SDK.

use futures_util::TryStreamExt;
use serde_json::{Map, Value, json};
use toss_shopping::local::LocalServer;
use toss_shopping::types::{DeliveryFeeGroup, ExchangeRefundLocation};
use toss_shopping::{Client, Error};

use crate::support::start;

/// The demo data's delivery-fee group.
const DEMO_GROUP: i64 = 301;
/// The demo data's return address.
const DEMO_LOCATION: i64 = 401;

/// The vendor error code of a failure, empty when the API sent none.
fn code(error: &Error) -> &str {
    error.code().map(|code| code.as_str()).unwrap_or("")
}

/// A `json!` object as the map free-form bodies take.
fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("a JSON object")
}

/// Every group, through the SDK's item stream one group per page.
async fn groups(client: &Client) -> Vec<DeliveryFeeGroup> {
    client
        .list_delivery_fee_groups()
        .size(1)
        .stream()
        .try_collect()
        .await
        .expect("every group")
}

/// Every location, through the SDK's item stream one location per page.
async fn locations(client: &Client) -> Vec<ExchangeRefundLocation> {
    client
        .list_exchange_refund_locations()
        .size(1)
        .stream()
        .try_collect()
        .await
        .expect("every location")
}

/// The ids marked main among `(id, isMain)` pairs.
fn main_ids<'a>(marks: impl Iterator<Item = (Option<i64>, Option<bool>)> + 'a) -> Vec<i64> {
    marks
        .filter(|(_, main)| *main == Some(true))
        .filter_map(|(id, _)| id)
        .collect()
}

/// DLG-02 with a JSON body.
async fn create_group(client: &Client, body: Value) -> Result<Map<String, Value>, Error> {
    client.create_delivery_fee_group().body(object(body)).await
}

/// DLG-03 with a JSON body.
async fn update_group(client: &Client, body: Value) -> Result<Map<String, Value>, Error> {
    client.update_delivery_fee_group().body(object(body)).await
}

/// ERL-03 with a JSON body.
async fn update_location(client: &Client, body: Value) -> Result<Map<String, Value>, Error> {
    client
        .update_exchange_refund_location()
        .body(object(body))
        .await
}

// ---------------------------------------------------------------- couriers

#[tokio::test]
async fn product_couriers_have_numeric_ids_with_cj_first() {
    let (_server, client) = start(LocalServer::builder()).await;
    let couriers = client
        .list_delivery_companies()
        .await
        .expect("couriers")
        .delivery_companies;
    let cj = couriers.first().expect("a courier");
    assert_eq!(
        (cj.id, cj.name.as_deref(), cj.is_enabled),
        (Some(1), Some("CJ대한통운"), Some(true))
    );
    let names: Vec<_> = couriers.iter().filter_map(|c| c.name.as_deref()).collect();
    for name in ["롯데택배", "한진택배", "우체국택배", "로젠택배"] {
        assert!(names.contains(&name), "{names:?}");
    }
    assert!(couriers.iter().any(|c| c.is_enabled == Some(false)));
}

#[tokio::test]
async fn invoice_couriers_are_korean_names_not_marketplace_codes() {
    let (_server, client) = start(LocalServer::builder()).await;
    let invoice = client
        .list_invoice_delivery_companies()
        .await
        .expect("invoice couriers")
        .delivery_companies;
    assert!(invoice.contains(&"CJ대한통운".to_string()), "{invoice:?}");
    assert!(
        !invoice
            .iter()
            .any(|name| name == "CJGLS" || name == "HANJIN")
    );
    let products = client.list_delivery_companies().await.unwrap();
    for courier in products.delivery_companies {
        let name = courier.name.expect("a name");
        assert!(invoice.contains(&name), "{name} cannot be invoiced");
    }
}

// ---------------------------------------------------------------- delivery-fee groups

#[tokio::test]
async fn the_demo_seller_has_its_default_group_as_main() {
    let (_server, client) = start(LocalServer::builder()).await;
    let first = client.list_delivery_fee_groups().await.expect("a page");
    assert_eq!(first.has_next, Some(false));
    assert_eq!(first.next_token, None);
    let all = groups(&client).await;
    assert_eq!(all.len(), first.items.len());
    assert_eq!(
        main_ids(all.iter().map(|g| (g.id, g.is_main))),
        vec![DEMO_GROUP]
    );
}

#[tokio::test]
async fn a_created_group_gets_a_new_id_and_can_take_the_main_mark() {
    let (_server, client) = start(LocalServer::builder()).await;
    let before = groups(&client).await;
    let created = create_group(
        &client,
        json!({"name": "부피상품 묶음", "deliveryFee": 5000, "isMain": false}),
    )
    .await
    .expect("created");
    let id = created["id"].as_i64().expect("the new id");
    assert!(before.iter().all(|g| g.id != Some(id)));

    let main = create_group(
        &client,
        json!({"name": "무료배송 묶음", "deliveryFee": 0, "isMain": true}),
    )
    .await
    .expect("created")["id"]
        .as_i64()
        .expect("id");
    let after = groups(&client).await;
    assert_eq!(after.len(), before.len() + 2);
    assert_eq!(
        main_ids(after.iter().map(|g| (g.id, g.is_main))),
        vec![main]
    );

    update_group(&client, json!({"id": DEMO_GROUP, "isMain": true}))
        .await
        .expect("updated");
    let after = groups(&client).await;
    assert_eq!(
        main_ids(after.iter().map(|g| (g.id, g.is_main))),
        vec![DEMO_GROUP]
    );
}

#[tokio::test]
async fn groups_page_by_next_token() {
    let (_server, client) = start(LocalServer::builder()).await;
    for name in ["묶음 A", "묶음 B", "묶음 C"] {
        create_group(&client, json!({"name": name}))
            .await
            .expect("created");
    }
    let first = client.list_delivery_fee_groups().size(2).await.unwrap();
    assert_eq!((first.items.len(), first.has_next), (2, Some(true)));
    let token = first.next_token.expect("a token");
    let second = client
        .list_delivery_fee_groups()
        .size(2)
        .next_token(token)
        .await
        .unwrap();
    assert!(second.items.iter().all(|g| !first.items.contains(g)));
    assert_eq!(groups(&client).await.len(), 5);
}

#[tokio::test]
async fn group_writes_break_no_rule() {
    let (_server, client) = start(LocalServer::builder()).await;
    let cases = [
        (
            create_group(&client, json!({"deliveryFee": 3000})).await,
            "INVALID_REQUEST",
        ),
        (
            create_group(&client, json!({"name": "  "})).await,
            "INVALID_REQUEST",
        ),
        (
            create_group(&client, json!({"name": "음수", "deliveryFee": -10})).await,
            "INVALID_REQUEST",
        ),
        (
            create_group(&client, json!({"name": "단위", "deliveryFee": 2505})).await,
            "INVALID_REQUEST",
        ),
        (
            create_group(&client, json!({"name": "기본 묶음 그룹"})).await,
            "BAD_REQUEST",
        ),
        (
            update_group(&client, json!({"name": "이름만"})).await,
            "INVALID_REQUEST",
        ),
        (
            update_group(&client, json!({"id": "301"})).await,
            "INVALID_REQUEST",
        ),
        (
            update_group(&client, json!({"id": 999_999})).await,
            "NOT_FOUND",
        ),
        (
            update_group(&client, json!({"id": DEMO_GROUP, "isMain": false})).await,
            "BAD_REQUEST",
        ),
    ];
    for (index, (answer, expected)) in cases.into_iter().enumerate() {
        let error = answer.expect_err("refused");
        assert_eq!(code(&error), expected, "case {index}: {error:?}");
    }
    assert_eq!(
        main_ids(groups(&client).await.iter().map(|g| (g.id, g.is_main))),
        vec![DEMO_GROUP]
    );
}

#[tokio::test]
async fn a_group_can_be_renamed_but_not_to_a_taken_name() {
    let (_server, client) = start(LocalServer::builder()).await;
    let id = create_group(&client, json!({"name": "임시 묶음"}))
        .await
        .unwrap()["id"]
        .clone();
    update_group(
        &client,
        json!({"id": id, "name": "대형가전 묶음", "deliveryFee": 30000}),
    )
    .await
    .expect("renamed");
    // The old name is free again, the new one taken.
    create_group(&client, json!({"name": "임시 묶음"}))
        .await
        .expect("free");
    let error = create_group(&client, json!({"name": "대형가전 묶음"}))
        .await
        .unwrap_err();
    assert_eq!(code(&error), "BAD_REQUEST");
}

#[tokio::test]
async fn bad_paging_parameters_are_invalid() {
    let (_server, client) = start(LocalServer::builder()).await;
    let error = client
        .list_delivery_fee_groups()
        .next_token("not-a-token")
        .await
        .unwrap_err();
    assert_eq!(code(&error), "INVALID_REQUEST", "{error:?}");
    for size in [0, 101] {
        let error = client
            .list_exchange_refund_locations()
            .size(size)
            .await
            .unwrap_err();
        assert_eq!(code(&error), "INVALID_REQUEST", "size {size}: {error:?}");
    }
}

#[tokio::test]
async fn an_empty_seller_has_no_groups_until_it_creates_one() {
    let (_server, client) = start(LocalServer::builder().empty_demo_seller()).await;
    assert!(groups(&client).await.is_empty());
    assert!(locations(&client).await.is_empty());
    // The first group and location become the main ones even when not asked.
    let id = create_group(&client, json!({"name": "기본 묶음 그룹"}))
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        main_ids(groups(&client).await.iter().map(|g| (g.id, g.is_main))),
        vec![id]
    );
    let created = client
        .create_exchange_refund_location()
        .body_map(|b| {
            b.zip_code("06236")
                .address("서울특별시 강남구 테헤란로 142")
                .detail_address("")
        })
        .await
        .unwrap();
    assert_eq!(locations(&client).await[0].is_main, Some(true));
    assert!(created.id.is_some());
}

// ---------------------------------------------------------------- exchange/return locations

#[tokio::test]
async fn the_demo_return_address_is_main_and_complete() {
    let (_server, client) = start(LocalServer::builder()).await;
    let all = locations(&client).await;
    let demo = all
        .iter()
        .find(|l| l.id == Some(DEMO_LOCATION))
        .expect("the demo address");
    assert_eq!(demo.is_main, Some(true));
    assert_eq!(demo.zip_code.as_deref().map(str::len), Some(5));
    assert!(
        demo.address
            .as_deref()
            .is_some_and(|a| a.starts_with("경기도"))
    );
    assert_eq!(
        main_ids(all.iter().map(|l| (l.id, l.is_main))),
        vec![DEMO_LOCATION]
    );
}

#[tokio::test]
async fn a_new_main_location_unsets_the_previous_one() {
    let (_server, client) = start(LocalServer::builder()).await;
    let created = client
        .create_exchange_refund_location()
        .body_map(|b| {
            b.zip_code("48058")
                .address("부산광역시 해운대구 센텀중앙로 79")
                .detail_address("3층 반품팀")
                .is_main(true)
        })
        .await
        .expect("created");
    let id = created.id.expect("an id");
    let all = locations(&client).await;
    assert_eq!(main_ids(all.iter().map(|l| (l.id, l.is_main))), vec![id]);
    let new = all.iter().find(|l| l.id == Some(id)).unwrap();
    assert_eq!(new.detail_address.as_deref(), Some("3층 반품팀"));
}

#[tokio::test]
async fn a_location_is_updated_in_place() {
    let (_server, client) = start(LocalServer::builder()).await;
    update_location(
        &client,
        json!({"id": DEMO_LOCATION, "zipCode": "17401", "detailAddress": "토스상회 물류센터 3층"}),
    )
    .await
    .expect("updated");
    let all = locations(&client).await;
    let demo = all.iter().find(|l| l.id == Some(DEMO_LOCATION)).unwrap();
    assert_eq!(demo.zip_code.as_deref(), Some("17401"));
    assert_eq!(
        demo.detail_address.as_deref(),
        Some("토스상회 물류센터 3층")
    );
    assert!(
        demo.address
            .as_deref()
            .is_some_and(|a| a.contains("이천시"))
    );
    assert_eq!(demo.is_main, Some(true));

    // The other demo location takes the main mark from it.
    let other = all.iter().find(|l| l.id != Some(DEMO_LOCATION)).unwrap().id;
    update_location(&client, json!({"id": other, "isMain": true}))
        .await
        .expect("made main");
    let all = locations(&client).await;
    assert_eq!(
        main_ids(all.iter().map(|l| (l.id, l.is_main))),
        vec![other.unwrap()]
    );
}

#[tokio::test]
async fn location_writes_break_no_rule() {
    let (_server, client) = start(LocalServer::builder()).await;
    let bad_zip = client
        .create_exchange_refund_location()
        .body_map(|b| {
            b.zip_code("1234")
                .address("서울특별시 중구 세종대로 110")
                .detail_address("")
        })
        .await;
    let blank_address = client
        .create_exchange_refund_location()
        .body_map(|b| b.zip_code("04524").address(" ").detail_address(""))
        .await;
    for (answer, expected) in [
        (bad_zip.map(|_| Map::new()), "INVALID_REQUEST"),
        (blank_address.map(|_| Map::new()), "INVALID_REQUEST"),
        (
            update_location(&client, json!({"zipCode": "04524"})).await,
            "INVALID_REQUEST",
        ),
        (
            update_location(&client, json!({"id": DEMO_LOCATION, "zipCode": "abcde"})).await,
            "INVALID_REQUEST",
        ),
        (
            update_location(&client, json!({"id": 123})).await,
            "NOT_FOUND",
        ),
        (
            update_location(&client, json!({"id": DEMO_LOCATION, "isMain": false})).await,
            "BAD_REQUEST",
        ),
    ] {
        let error = answer.expect_err("refused");
        assert_eq!(code(&error), expected, "{error:?}");
    }
    assert_eq!(locations(&client).await.len(), 2);
}
