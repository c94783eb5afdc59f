//! Orders: list, read, change status.

use chrono::NaiveDate;
use serde_json::json;
use toss_shopping::mock;
use toss_shopping::types::{
    FailedReason, OrderProduct, OrderProductStatus, OrderProductStatusChange, OrderStatusFilter,
};
use wiremock::matchers::{body_json, header};

use crate::support::{Harness, ok};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, d).expect("valid date")
}

#[tokio::test]
async fn list_order_products() {
    let h = Harness::start().await;
    let page = json!({
        "results": [{
            "orderedAt": "2026-07-11T20:51:39", "canceledAt": null, "confirmedAt": null,
            "shippingDeadlineAt": "2026-07-14T23:59:59",
            "orderId": 98765, "orderProductId": 271684435, "productId": 1234, "stockId": 5678,
            "ordererName": "김*수", "ordererPhone": "0504-****-1234", "receiverName": "김*수",
            "address": "서울특별시 강남구 …", "detailAddress": "101호", "zipCode": "06236",
            "shippingNote": "문 앞", "productName": "사과 2kg", "optionName": "2kg,1박스,중과",
            "quantity": 1, "price": 19900, "originPrice": 25000, "totalDiscountPrice": 5100,
            "orderProductStatus": "PAID", "deliveryLocationType": "NORMAL", "deliveryFee": 0,
            "productManagementCode": "PROD-001"
        }],
        "nextCursor": "eyJvZmZzZXQiOjIwfQ"
    });
    let request = mock::list_order_products().when(|q| {
        q.start_date(day(1))
            .end_date(day(31))
            .status(OrderStatusFilter::Paid)
            .limit(50)
            .next_cursor("c1")
    });
    h.expect_call(request, ok(page)).await;
    let page = h
        .client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(31))
        .status(OrderStatusFilter::Paid)
        .limit(50)
        .next_cursor("c1")
        .await
        .expect("page");
    assert_eq!(page.next_cursor.as_deref(), Some("eyJvZmZzZXQiOjIwfQ"));
    let row = &page.results[0];
    assert_eq!(
        (row.order_id, row.order_product_id),
        (Some(98765), Some(271684435))
    );
    assert_eq!(row.price, Some(19900));
    assert_eq!(
        row.ordered_at.map(|t| t.to_string()).as_deref(),
        Some("2026-07-11T20:51:39")
    );

    h.assert_not_found(
        mock::list_order_products().when(|q| q.start_date(day(1)).end_date(day(2))),
        h.client
            .list_order_products()
            .start_date(day(1))
            .end_date(day(2)),
    )
    .await;
}

#[tokio::test]
async fn change_order_product_status() {
    let h = Harness::start().await;
    let body = json!({"orderProductIds": [5001, 5002], "status": "PREPARING_PRODUCT"});
    let result = json!({"totalCount": 2, "failedCount": 1, "failedReasons": [
        "이미 처리된 주문입니다.", {"orderProductId": 5002, "reason": "상태 변경 불가", "extra": 1}
    ]});
    // The body is checked as the vendor's JSON, not through the SDK's own type.
    let change = mock::change_order_product_status()
        .and(body_json(body))
        .and(header("content-type", "application/json"));
    h.expect_call(change, ok(result)).await;
    let request = || {
        h.client.change_order_product_status().body_map(|b| {
            b.order_product_ids(vec![5001, 5002])
                .status(OrderProductStatusChange::PreparingProduct)
        })
    };
    let outcome = request().await.expect("partial success is still a success");
    assert_eq!(
        (outcome.total_count, outcome.failed_count),
        (Some(2), Some(1))
    );
    assert!(
        matches!(&outcome.failed_reasons[0], FailedReason::String(text) if text.contains("이미"))
    );
    assert!(
        matches!(&outcome.failed_reasons[1], FailedReason::FailedReasonDetail(d) if d.order_product_id == Some(5002))
    );

    h.assert_not_found(mock::change_order_product_status(), request())
        .await;
}

#[tokio::test]
async fn get_order_product() {
    let h = Harness::start().await;
    let row = json!({
        "orderedAt": "2026-07-11T20:51:39", "canceledAt": null, "confirmedAt": null,
        "shippingDeadlineAt": "2026-07-14T23:59:59",
        "orderId": 98765, "orderProductId": 271684435, "productId": 1234, "stockId": 5678,
        "ordererName": "김*수", "ordererPhone": "0504-****-1234", "ordererRealPhone": "010-****-5678",
        "receiverName": "김*수", "receiverPhone": "0504-****-1234",
        "address": "서울특별시 강남구 테헤란로 …", "detailAddress": "101호", "zipCode": "06236",
        "shippingNote": null, "productName": "사과 2kg", "optionName": "2kg,1박스,중과",
        "quantity": 2, "price": 19900, "originPrice": 25000, "totalDiscountPrice": 5100,
        "orderProductStatus": "DELIVERING", "deliveryCompanyCode": "CJ대한통운",
        "shippingTrackingNumber": "601234567890", "deliveryFeeGroupId": 3301,
        "deliveryLocationType": "NORMAL", "deliveryFee": 0,
        "productManagementCode": "PROD-001", "productItemManagementCode": "PROD-001-2KG",
        "settlementMemo": {"note": "vendor-only field"}
    });
    let request =
        mock::get_order_product().when(|p| p.order_product_id(271684435).partner_name("my-erp"));
    h.expect_call(request, ok(row)).await;
    let raw = h
        .client
        .get_order_product()
        .order_product_id(271684435)
        .partner_name("my-erp")
        .await
        .expect("order product");
    assert_eq!(raw["orderProductId"], 271684435);
    assert_eq!(raw["shippingTrackingNumber"], "601234567890");
    assert!(raw["shippingNote"].is_null());
    assert_eq!(raw["settlementMemo"]["note"], "vendor-only field");
    // The payload is kept raw, but it is the order-list row and decodes as one.
    let row: OrderProduct =
        serde_json::from_value(serde_json::Value::Object(raw)).expect("decodes as OrderProduct");
    assert_eq!(
        (row.order_id, row.order_product_id),
        (Some(98765), Some(271684435))
    );
    assert_eq!((row.quantity, row.price), (Some(2), Some(19900)));
    assert_eq!(
        row.order_product_status,
        Some(OrderProductStatus::Delivering)
    );
    assert_eq!(
        row.ordered_at.map(|t| t.to_string()).as_deref(),
        Some("2026-07-11T20:51:39")
    );

    h.assert_not_found(
        mock::get_order_product().when(|p| p.order_product_id(271684435)),
        h.client.get_order_product().order_product_id(271684435),
    )
    .await;
}
