//! Settlement lines.
//!
//! Delivery-fee lines have no `orderProductId` and the name 배송비; fees are negative;
//! pages chain with `nextToken` and there is no `hasNext`.

use chrono::NaiveDate;
use serde_json::json;
use toss_shopping::types::OrderProductStatus;
use toss_shopping::{Error, mock};

use crate::support::{Harness, ok};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, d).expect("valid date")
}

#[tokio::test]
async fn list_settlement_steps() {
    let h = Harness::start().await;
    let page = json!({
        "items": [
            {
                "orderId": 98765, "orderProductId": 271684435, "displayProductName": "사과 2kg",
                "stockPrice": 19900, "orderProductPrice": 19900,
                "payFee": -597, "productFee": -1592, "payVat": -60, "productVat": -159,
                "settlementAmount": 17492, "deliveryFeeAmount": 0,
                "payoutDate": "2026-07-15", "payoutBaseDate": "2026-07-13",
                "confirmedAt": "2026-07-13T09:12:44", "transactionTs": "2026-07-13T09:12:44.123",
                "orderProductStatus": "CONFIRMED_ORDER", "stepType": "PAYOUT_SCHEDULED",
                "sellerDiscountAmount": 0
            },
            {
                "orderId": 98765, "orderProductId": null, "displayProductName": "배송비",
                "stockPrice": 0, "orderProductPrice": 0,
                "payFee": -90, "productFee": 0, "payVat": -9, "productVat": 0,
                "settlementAmount": 2901, "deliveryFeeAmount": 3000,
                "payoutDate": "2026-07-15", "payoutBaseDate": "2026-07-13",
                "confirmedAt": "2026-07-13T09:12:44", "transactionTs": "2026-07-13T09:12:44.123",
                "orderProductStatus": "CONFIRMED_ORDER", "stepType": "PAYOUT_SCHEDULED"
            }
        ],
        "nextToken": "eyJsYXN0SWQiOjIwMH0"
    });
    let request = mock::list_settlement_steps().when(|q| {
        q.date_condition("PAYOUT_BASE_DATE")
            .from_date(day(1))
            .to_date(day(31))
            .size(100)
            .next_token("eyJsYXN0SWQiOjEwMH0")
            .partner_name("my-erp")
    });
    h.expect_call(request, ok(page)).await;
    let page = h
        .client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .from_date(day(1))
        .to_date(day(31))
        .size(100)
        .next_token("eyJsYXN0SWQiOjEwMH0")
        .partner_name("my-erp")
        .await
        .expect("page");
    assert_eq!(page.next_token.as_deref(), Some("eyJsYXN0SWQiOjIwMH0"));
    assert_eq!(page.items.len(), 2);

    let product = &page.items[0];
    assert_eq!(
        (product.order_id, product.order_product_id),
        (Some(98765), Some(271684435))
    );
    assert_eq!(product.display_product_name.as_deref(), Some("사과 2kg"));
    assert_eq!(product.order_product_price, Some(19900));
    assert_eq!(
        (
            product.pay_fee,
            product.product_fee,
            product.pay_vat,
            product.product_vat
        ),
        (Some(-597), Some(-1592), Some(-60), Some(-159))
    );
    assert_eq!(product.settlement_amount, Some(17492));
    assert_eq!(
        product.order_product_status,
        Some(OrderProductStatus::ConfirmedOrder)
    );
    assert_eq!(
        product.payout_date.map(|d| d.to_string()).as_deref(),
        Some("2026-07-15")
    );
    assert_eq!(
        product.transaction_ts.map(|t| t.to_string()).as_deref(),
        Some("2026-07-13T09:12:44.123")
    );
    assert_eq!(product.step_type.as_deref(), Some("PAYOUT_SCHEDULED"));

    let delivery_fee = &page.items[1];
    assert_eq!(delivery_fee.order_id, Some(98765));
    assert_eq!(delivery_fee.order_product_id, None);
    assert_eq!(delivery_fee.display_product_name.as_deref(), Some("배송비"));
    assert_eq!(delivery_fee.delivery_fee_amount, Some(3000));
    assert_eq!(
        (delivery_fee.pay_fee, delivery_fee.pay_vat),
        (Some(-90), Some(-9))
    );
    assert_eq!(delivery_fee.settlement_amount, Some(2901));

    let request = mock::list_settlement_steps().when(|q| {
        q.date_condition("PAYOUT_BASE_DATE")
            .from_date(day(1))
            .to_date(day(2))
            .size(100)
    });
    h.assert_not_found(
        request,
        h.client
            .list_settlement_steps()
            .date_condition("PAYOUT_BASE_DATE")
            .from_date(day(1))
            .to_date(day(2))
            .size(100),
    )
    .await;
}

#[tokio::test]
async fn the_last_settlement_page_has_no_next_token_and_keeps_unknown_values() {
    // The last page omits `nextToken` (there is never a `hasNext`); a status the SDK does
    // not know is kept as text.
    let h = Harness::start().await;
    let page = json!({"items": [{
        "orderId": 98770, "orderProductId": 271690001, "displayProductName": "배 5kg",
        "payFee": -1170, "productFee": -3120, "settlementAmount": 33710,
        "orderProductStatus": "SETTLEMENT_HELD", "stepType": "HOLD"
    }]});
    let request = mock::list_settlement_steps().when(|q| {
        q.date_condition("PAYOUT_BASE_DATE")
            .from_date(day(1))
            .to_date(day(31))
            .size(100)
    });
    h.expect_call(request, ok(page)).await;
    let page = h
        .client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .from_date(day(1))
        .to_date(day(31))
        .size(100)
        .await
        .expect("last page");
    assert_eq!(page.next_token, None);
    let line = &page.items[0];
    assert_eq!(line.order_product_id, Some(271690001));
    assert_eq!(
        line.order_product_status,
        Some(OrderProductStatus::from("SETTLEMENT_HELD"))
    );
    assert_eq!(line.delivery_fee_amount, None);
}

#[tokio::test]
async fn settlement_size_is_required_and_nothing_is_sent_without_it() {
    // `size` is a required query parameter here (unlike the other token lists); the
    // catch-all proves nothing is sent.
    let h = Harness::start().await;
    let err = h
        .client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .from_date(day(1))
        .to_date(day(31))
        .await
        .expect_err("size is required");
    assert!(
        matches!(&err, Error::InvalidRequest(why) if why.to_string().contains("size")),
        "{err:?}"
    );
}
