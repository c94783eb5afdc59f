//! Seller-initiated cancel.

use serde_json::json;
use toss_shopping::types::{DeliveryPenaltyChargerKnown, SellerCancelRequestDetailReason};
use toss_shopping::{Error, Problem};

use crate::support::{Harness, ok};

const ROUTE: &str = "/order-products/271684435/seller-cancel";

#[tokio::test]
async fn seller_cancel_order_product() {
    let h = Harness::start().await;
    h.expect_json(
        "POST",
        ROUTE,
        &[("partnerName", "my-erp")],
        json!({
            "deliveryPenaltyCharger": "MERCHANT",
            "reason": "상품 품절",
            "detailReason": "산지 작황 부진으로 출고가 불가합니다. 불편을 드려 죄송합니다."
        }),
        ok(json!({"canceledOrderProductId": 271684435})),
    )
    .await;
    let detail = SellerCancelRequestDetailReason::try_from(
        "산지 작황 부진으로 출고가 불가합니다. 불편을 드려 죄송합니다.",
    )
    .expect("under 250 characters");
    let answer = h
        .client
        .seller_cancel_order_product()
        .order_product_id(271684435)
        .partner_name("my-erp")
        .body_map(|b| {
            b.delivery_penalty_charger(DeliveryPenaltyChargerKnown::Merchant)
                .reason("상품 품절")
                .detail_reason(detail)
        })
        .await
        .expect("canceled");
    // The live payload is `{}`; a field the vendor adds is kept raw.
    assert_eq!(answer["canceledOrderProductId"], 271684435);

    h.assert_fail_envelope(
        "POST",
        ROUTE,
        &[],
        h.client
            .seller_cancel_order_product()
            .order_product_id(271684435)
            .body_map(|b| {
                b.delivery_penalty_charger(DeliveryPenaltyChargerKnown::User)
                    .reason("구매자 요청")
            }),
    )
    .await;
}

#[tokio::test]
async fn seller_cancel_reason_over_100_characters_is_rejected_before_sending() {
    // The catch-all fails the test if anything is sent.
    let h = Harness::start().await;
    let outcome = h
        .client
        .seller_cancel_order_product()
        .order_product_id(271684435)
        .body_map(|b| {
            b.delivery_penalty_charger(DeliveryPenaltyChargerKnown::Merchant)
                .reason("가".repeat(101))
        })
        .await;
    match outcome {
        Err(Error::InvalidRequest(invalid)) => {
            assert_eq!(invalid.field, "body.reason");
            assert_eq!(invalid.problem, Problem::TooLong { max: 100 });
            assert_eq!(
                invalid.to_string(),
                "invalid seller_cancel_order_product request: `body.reason` is longer than 100 characters"
            );
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn seller_cancel_reason_limit_counts_characters_not_bytes() {
    // 100 Hangul syllables are 300 bytes of UTF-8 and still within the limit.
    let h = Harness::start().await;
    let reason = "가".repeat(100);
    h.expect_json(
        "POST",
        ROUTE,
        &[],
        json!({"deliveryPenaltyCharger": "USER", "reason": reason}),
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .seller_cancel_order_product()
        .order_product_id(271684435)
        .body_map(|b| {
            b.delivery_penalty_charger(DeliveryPenaltyChargerKnown::User)
                .reason(reason.as_str())
        })
        .await
        .expect("a 100-character reason is accepted");
    assert!(answer.is_empty());
}

#[tokio::test]
async fn seller_cancel_detail_reason_over_250_characters_is_refused() {
    let too_long = "a".repeat(251);
    assert!(SellerCancelRequestDetailReason::try_from(too_long.as_str()).is_err());
    assert!(SellerCancelRequestDetailReason::try_from("a".repeat(250)).is_ok());
}
