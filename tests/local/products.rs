//! Products on the local server: registration rules, inspection, full replacement,
//! exposure, removal, listing and the demo products.

use std::time::Duration;

use serde_json::json;
use toss_shopping::CallExt;
use toss_shopping::local::Inspection;
use toss_shopping::types::{ExposureStatus, InspectionStatus, ProductIdRequest, ProductStock};

use crate::product_support::{
    INSPECTION, approving, body, clocked, demo_product, expect_fail, finish_inspection, product,
    register, registration, registration_json, stocks,
};

const REJECTION: &str = "썸네일 최소 크기 미달";

fn id_request(product_id: i64) -> ProductIdRequest {
    ProductIdRequest { product_id }
}

/// The stocks of a product as a replacement body sends them back (ids kept).
fn resend(stocks: &[toss_shopping::types::ProductStockInfo]) -> Vec<ProductStock> {
    stocks
        .iter()
        .enumerate()
        .map(|(index, stock)| {
            serde_json::from_value(json!({
                "id": stock.id, "itemId": stock.item_id,
                "options": stock.options.iter().map(|o| json!({"groupName": o.group_name, "valueName": o.value_name})).collect::<Vec<_>>(),
                "remainingCount": stock.remaining_count, "isMainPrice": index == 0,
                "originPrice": stock.origin_price, "salePrice": stock.sale_price,
            }))
            .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn a_registered_product_waits_for_inspection_then_passes() {
    let (_server, client, clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;

    let waiting = product(&client, id).await;
    assert_eq!(
        waiting.inspection_status,
        Some(InspectionStatus::LlmInspectionReady)
    );
    assert_eq!(waiting.is_hide, Some(false));
    assert_eq!(waiting.exposure_status, Some(ExposureStatus::Exposure));
    assert_eq!(waiting.name.as_deref(), Some("청송 사과즙"));
    assert_eq!(waiting.stocks.len(), 2);
    for stock in &waiting.stocks {
        assert_ne!(stock.id, stock.item_id, "stocks[].id and itemId differ");
    }
    assert_eq!(waiting.stocks[0].is_sold_out, Some(false));

    clock.advance(INSPECTION - Duration::from_secs(1));
    let still = product(&client, id).await;
    assert_eq!(
        still.inspection_status,
        Some(InspectionStatus::LlmInspectionReady)
    );

    clock.advance(Duration::from_secs(1));
    let passed = product(&client, id).await;
    assert_eq!(passed.inspection_status, Some(InspectionStatus::Complete));
    assert_eq!(passed.rejection_reasons, Some(vec![]));
}

#[tokio::test]
async fn inspection_rejects_names_with_the_marker_and_passes_the_rest() {
    let policy = Inspection::approve_after(INSPECTION).reject_names_containing("불량", REJECTION);
    let (_server, client, clock) = clocked(policy).await;
    let bad = register(&client, registration("불량 사과즙")).await;
    let good = register(&client, registration("청송 사과즙")).await;
    finish_inspection(&clock);

    let rejected = product(&client, bad).await;
    assert_eq!(rejected.inspection_status, Some(InspectionStatus::Reject));
    assert_eq!(rejected.rejection_reasons, Some(vec![json!(REJECTION)]));
    let passed = product(&client, good).await;
    assert_eq!(passed.inspection_status, Some(InspectionStatus::Complete));
}

#[tokio::test]
async fn a_reject_all_policy_rejects_every_product() {
    let (_server, client, clock) = clocked(Inspection::reject_after(INSPECTION, REJECTION)).await;
    let id = register(&client, registration("청송 사과즙")).await;
    finish_inspection(&clock);
    let rejected = product(&client, id).await;
    assert_eq!(rejected.inspection_status, Some(InspectionStatus::Reject));
}

#[tokio::test]
async fn registration_enforces_the_business_rules() {
    let (_server, client, _clock) = approving().await;
    let before = client
        .list_products()
        .size(100)
        .await
        .unwrap()
        .products
        .len();
    let options = [("30포", 29_900, 39_900, 5), ("60포", 55_900, 79_800, 3)];
    let cases: Vec<(&str, serde_json::Value, &str, &str)> = vec![
        (
            "not a leaf",
            with(&options, "/categoryId", json!(1_031)),
            "BAD_REQUEST",
            "최하위 카테고리",
        ),
        (
            "fee group",
            with(&options, "/deliveryPolicy/deliveryLocationId", json!(999)),
            "NOT_FOUND",
            "배송비 묶음 그룹",
        ),
        (
            "return address",
            with(
                &options,
                "/exchangeReturnPolicy/exchangeRefundLocationId",
                json!(999),
            ),
            "NOT_FOUND",
            "교환/반품지",
        ),
        (
            "two main prices",
            with(&options, "/stocks/1/isMainPrice", json!(true)),
            "BAD_REQUEST",
            "isMainPrice",
        ),
        (
            "no main price",
            with(&options, "/stocks/0/isMainPrice", json!(false)),
            "BAD_REQUEST",
            "isMainPrice",
        ),
        (
            "sale above list",
            with(&options, "/stocks/0/salePrice", json!(49_900)),
            "BAD_REQUEST",
            "정상가",
        ),
        (
            "zero price",
            with(&options, "/stocks/1/originPrice", json!(0)),
            "INVALID_REQUEST",
            "stocks[1].originPrice",
        ),
        (
            "two one-of groups",
            with(
                &options,
                "/stocks/0/options/1",
                json!({"groupName": "(택1) 맛", "valueName": "사과"}),
            ),
            "BAD_REQUEST",
            "택1 옵션은 한 가지만 쓸 수 있어요.",
        ),
        (
            "no description",
            with(&options, "/images/1/type", json!("AD")),
            "BAD_REQUEST",
            "상세 이미지 또는 html을 찾을 수 없음",
        ),
        (
            "no thumbnail",
            with(&options, "/images/0/type", json!("DESCRIPTION")),
            "BAD_REQUEST",
            "THUMBNAIL",
        ),
        (
            "image and html",
            with(
                &options,
                "/images/2",
                json!({"type": "DESCRIPTION_HTML", "order": 2, "html": "<p>상세</p>"}),
            ),
            "BAD_REQUEST",
            "함께",
        ),
        (
            "html without html",
            with(
                &options,
                "/images/1",
                json!({"type": "DESCRIPTION_HTML", "order": 1}),
            ),
            "BAD_REQUEST",
            "상세 이미지 또는 html",
        ),
        (
            "image without url",
            with(
                &options,
                "/images/0",
                json!({"type": "THUMBNAIL", "order": 0}),
            ),
            "INVALID_REQUEST",
            "images[0].url",
        ),
        (
            "blank notice",
            with(&options, "/notice/items/0/content", json!("  ")),
            "BAD_REQUEST",
            "319",
        ),
    ];
    for (case, json, code, reason) in cases {
        // The server's rules, so around the client's own checks of the same rules.
        let result = client
            .register_product()
            .body(body(json))
            .skip_validation()
            .await;
        let actual = expect_fail(result, code);
        assert!(actual.contains(reason), "{case}: {actual}");
    }
    let after = client
        .list_products()
        .size(100)
        .await
        .unwrap()
        .products
        .len();
    assert_eq!(before, after, "no refused registration left a product");
}

/// A registration body with one value set (arrays grow when the index is one past the end).
fn with(
    options: &[(&str, i64, i64, i64)],
    pointer: &str,
    value: serde_json::Value,
) -> serde_json::Value {
    let mut json = registration_json("청송 사과즙", options);
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match json.pointer_mut(parent).unwrap() {
        serde_json::Value::Array(items) => {
            let index: usize = key.parse().unwrap();
            if index == items.len() {
                items.push(value);
            } else {
                items[index] = value;
            }
        }
        serde_json::Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        other => panic!("cannot set {pointer} in {other}"),
    }
    json
}

#[tokio::test]
async fn an_unknown_product_is_not_found_in_the_vendors_words() {
    let (_server, client, _clock) = approving().await;
    let reason = expect_fail(client.get_product().product_id(999_i64).await, "NOT_FOUND");
    assert_eq!(reason, "존재하지 않는 상품 정보입니다. (999)");
    let update = client
        .update_product()
        .product_id(999_i64)
        .body(registration("사과즙"))
        .await;
    expect_fail(update, "NOT_FOUND");
    for result in [
        client.show_product().body(id_request(999)).await,
        client.hide_product().body(id_request(999)).await,
        client.remove_product().body(id_request(999)).await,
    ] {
        assert_eq!(
            expect_fail(result, "NOT_FOUND"),
            "존재하지 않는 상품 정보입니다. (999)"
        );
    }
}

#[tokio::test]
async fn replacing_keeps_sent_ids_and_mints_new_ones_for_the_rest() {
    let (_server, client, clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    finish_inspection(&clock);
    let old = stocks(&client, id).await;

    let mut replacement = registration("청송 사과즙");
    let mut kept = resend(&old[..1]);
    kept[0].sale_price = 27_900;
    kept[0].remaining_count = 50;
    let fresh = body(registration_json(
        "x",
        &[("x", 1, 1, 1), ("90포", 79_900, 99_000, 7)],
    ))
    .stocks
    .remove(1);
    kept.push(fresh);
    replacement.stocks = kept;
    client
        .update_product()
        .product_id(id)
        .body(replacement)
        .await
        .unwrap();

    let now = product(&client, id).await;
    assert_eq!(
        now.inspection_status,
        Some(InspectionStatus::Complete),
        "prices and stock apply at once"
    );
    assert_eq!(now.stocks.len(), 2);
    assert_eq!(
        (now.stocks[0].id, now.stocks[0].item_id),
        (old[0].id, old[0].item_id)
    );
    assert_eq!(now.stocks[0].sale_price, Some(27_900));
    assert_eq!(now.stocks[0].remaining_count, Some(50));
    let new_ids = [now.stocks[1].id, now.stocks[1].item_id];
    for old_stock in &old {
        assert!(!new_ids.contains(&old_stock.id) && !new_ids.contains(&old_stock.item_id));
    }
    // The item left out is gone.
    let gone = old[1].item_id.unwrap();
    let listed = client.list_product_items().product_id(id).await.unwrap();
    assert!(listed.items.iter().all(|item| item.item_id != Some(gone)));
}

#[tokio::test]
async fn replacing_with_an_unknown_stock_id_fails() {
    let (_server, client, _clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    let old = stocks(&client, id).await;
    let mut replacement = registration("청송 사과즙");
    replacement.stocks = resend(&old);
    replacement.stocks[1].item_id = Some(old[1].id.unwrap());
    let reason = expect_fail(
        client
            .update_product()
            .product_id(id)
            .body(replacement)
            .await,
        "NOT_FOUND",
    );
    assert_eq!(reason, "존재하지 않는 옵션입니다");

    let mut undescribed = registration("청송 사과즙");
    undescribed.stocks = resend(&old);
    undescribed.exposure.description = None;
    let reason = expect_fail(
        client
            .update_product()
            .product_id(id)
            .body(undescribed)
            .await,
        "INVALID_REQUEST",
    );
    assert!(reason.contains("exposure.description"), "{reason}");

    let mut twice = registration("청송 사과즙");
    twice.stocks = resend(&[old[0].clone(), old[0].clone()]);
    twice.stocks[1].is_main_price = false;
    expect_fail(
        client.update_product().product_id(id).body(twice).await,
        "BAD_REQUEST",
    );
}

#[tokio::test]
async fn after_inspection_the_name_and_option_names_are_frozen() {
    let (_server, client, clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    let renamed_early = client
        .update_product()
        .product_id(id)
        .body(registration("새 이름 사과즙"))
        .await;
    expect_fail(renamed_early, "BAD_REQUEST");
    finish_inspection(&clock);

    let old = stocks(&client, id).await;
    let mut renamed = registration("새 이름 사과즙");
    renamed.stocks = resend(&old);
    let reason = expect_fail(
        client.update_product().product_id(id).body(renamed).await,
        "BAD_REQUEST",
    );
    assert!(reason.contains("상품명"), "{reason}");

    let mut reoptioned = registration("청송 사과즙");
    reoptioned.stocks = resend(&old);
    reoptioned.stocks[0].options[0].value_name = "45포".parse().unwrap();
    let reason = expect_fail(
        client
            .update_product()
            .product_id(id)
            .body(reoptioned)
            .await,
        "BAD_REQUEST",
    );
    assert!(reason.contains("옵션"), "{reason}");
    assert_eq!(
        product(&client, id).await.name.as_deref(),
        Some("청송 사과즙")
    );
}

#[tokio::test]
async fn an_image_change_sends_a_passed_product_back_to_inspection() {
    let (_server, client, clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    finish_inspection(&clock);
    let old = stocks(&client, id).await;

    let mut replacement = registration("청송 사과즙");
    replacement.stocks = resend(&old);
    replacement.images[0].url = Some("https://example.com/new-thumb.jpg".parse().unwrap());
    client
        .update_product()
        .product_id(id)
        .body(replacement)
        .await
        .unwrap();
    let back = product(&client, id).await;
    assert_eq!(
        back.inspection_status,
        Some(InspectionStatus::LlmInspectionReady)
    );
    assert_eq!(
        back.images[0].url.as_deref(),
        Some("https://example.com/new-thumb.jpg")
    );

    finish_inspection(&clock);
    assert_eq!(
        product(&client, id).await.inspection_status,
        Some(InspectionStatus::Complete)
    );
}

#[tokio::test]
async fn any_change_to_a_rejected_product_restarts_inspection_and_the_name_may_change() {
    let policy = Inspection::approve_after(INSPECTION).reject_names_containing("불량", REJECTION);
    let (_server, client, clock) = clocked(policy).await;
    let id = register(&client, registration("불량 사과즙")).await;
    finish_inspection(&clock);
    assert_eq!(
        product(&client, id).await.inspection_status,
        Some(InspectionStatus::Reject)
    );

    let mut fixed = registration("청송 사과즙");
    fixed.stocks = resend(&stocks(&client, id).await);
    client
        .update_product()
        .product_id(id)
        .body(fixed)
        .await
        .unwrap();
    let again = product(&client, id).await;
    assert_eq!(
        again.inspection_status,
        Some(InspectionStatus::LlmInspectionReady)
    );
    assert_eq!(again.rejection_reasons, Some(vec![]));
    assert_eq!(again.name.as_deref(), Some("청송 사과즙"));

    finish_inspection(&clock);
    assert_eq!(
        product(&client, id).await.inspection_status,
        Some(InspectionStatus::Complete)
    );
}

#[tokio::test]
async fn a_shown_product_must_be_hidden_before_removal() {
    let (_server, client, _clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;

    let reason = expect_fail(
        client.remove_product().body(id_request(id)).await,
        "BAD_REQUEST",
    );
    assert!(reason.contains("숨긴"), "{reason}");
    assert!(product(&client, id).await.id.is_some(), "still there");

    client.hide_product().body(id_request(id)).await.unwrap();
    let hidden = product(&client, id).await;
    assert_eq!(hidden.is_hide, Some(true));
    assert_eq!(hidden.exposure_status, None);
    client.hide_product().body(id_request(id)).await.unwrap();

    client.show_product().body(id_request(id)).await.unwrap();
    assert_eq!(product(&client, id).await.is_hide, Some(false));
    client.show_product().body(id_request(id)).await.unwrap();

    client.hide_product().body(id_request(id)).await.unwrap();
    client.remove_product().body(id_request(id)).await.unwrap();
    expect_fail(client.get_product().product_id(id).await, "NOT_FOUND");
    expect_fail(
        client.remove_product().body(id_request(id)).await,
        "NOT_FOUND",
    );
}

#[tokio::test]
async fn the_list_pages_with_next_token_and_filters() {
    let (_server, client, clock) = approving().await;
    clock.advance(Duration::from_secs(1));
    let fresh = [
        register(&client, registration("사과즙 하나")).await,
        register(&client, registration("사과즙 둘")).await,
    ];
    let all = client.list_products().size(100).await.unwrap();
    assert_eq!(all.has_next, Some(false));
    assert_eq!(all.next_token, None);
    let total = all.products.len();
    assert!(total >= 7, "five demo products and two new ones");

    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = client.list_products().size(2);
        if let Some(token) = &token {
            request = request.next_token(token.clone());
        }
        let page = request.await.unwrap();
        assert!(page.products.len() <= 2);
        seen.extend(page.products.iter().filter_map(|summary| summary.id));
        if page.has_next != Some(true) {
            assert_eq!(page.next_token, None);
            break;
        }
        token = page.next_token;
        assert!(token.is_some());
    }
    let listed: Vec<i64> = all
        .products
        .iter()
        .filter_map(|summary| summary.id)
        .collect();
    assert_eq!(seen, listed, "every product once, in order");

    let ids = format!("{},{}", fresh[0], fresh[1]);
    let chosen = client.list_products().product_ids(ids).await.unwrap();
    let chosen: Vec<i64> = chosen
        .products
        .iter()
        .filter_map(|summary| summary.id)
        .collect();
    assert_eq!(chosen, fresh.to_vec());

    let first = &all.products[0];
    assert!(
        first.reg_ts.is_some() && first.sale_price.is_some() && first.inspection_status.is_some()
    );
    let today = product_reg_date(&all, fresh[0]);
    let registered_today = client
        .list_products()
        .reg_start_date(today.clone())
        .reg_end_date(today)
        .await
        .unwrap();
    let today_ids: Vec<i64> = registered_today
        .products
        .iter()
        .filter_map(|summary| summary.id)
        .collect();
    for id in fresh {
        assert!(today_ids.contains(&id));
    }
    assert!(
        today_ids.len() < total,
        "the older demo products fall outside the range"
    );

    expect_fail(
        client.list_products().next_token("garbage").await,
        "INVALID_REQUEST",
    );
    expect_fail(client.list_products().size(0).await, "INVALID_REQUEST");
    expect_fail(
        client.list_products().reg_start_date("어제").await,
        "INVALID_REQUEST",
    );
}

/// The registration date (`yyyy-MM-dd`) of a listed product.
fn product_reg_date(page: &toss_shopping::types::ProductPage, id: i64) -> String {
    let summary = page
        .products
        .iter()
        .find(|summary| summary.id == Some(id))
        .unwrap();
    summary.reg_ts.as_deref().unwrap()[..10].to_string()
}

#[tokio::test]
async fn the_demo_products_cover_every_state() {
    let (_server, client, clock) = approving().await;
    let on_sale = demo_product(&client, "사과즙").await;
    assert_eq!(on_sale.inspection_status, Some(InspectionStatus::Complete));
    assert_eq!(on_sale.is_hide, Some(false));
    assert!(on_sale.stocks.len() >= 2);
    assert!(
        on_sale
            .stocks
            .iter()
            .all(|stock| stock.remaining_count.unwrap() > 0)
    );
    let juice = demo_product(&client, "감귤").await;
    assert_eq!(juice.inspection_status, Some(InspectionStatus::Complete));
    assert_eq!(juice.stocks.len(), 3);

    let hidden = demo_product(&client, "블루베리").await;
    assert_eq!(hidden.is_hide, Some(true));
    let rejected = demo_product(&client, "호두").await;
    assert_eq!(rejected.inspection_status, Some(InspectionStatus::Reject));
    assert!(!rejected.rejection_reasons.unwrap().is_empty());
    let waiting = demo_product(&client, "배도라지").await;
    assert_eq!(
        waiting.inspection_status,
        Some(InspectionStatus::LlmInspectionReady)
    );

    finish_inspection(&clock);
    let done = product(&client, waiting.id.unwrap()).await;
    assert_eq!(done.inspection_status, Some(InspectionStatus::Complete));
}
