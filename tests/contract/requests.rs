//! Building requests: optional fields take plain values, and a request refused before sending
//! says which operation, which field and which rule.

use serde_json::json;
use toss_shopping::Problem;
use toss_shopping::types::{
    DeliveryPenaltyChargerKnown, ExchangeReturnPolicy, OrderProductStatusChange,
    SellerCancelRequest,
};

use crate::support::{Harness, ok, refused};

#[tokio::test]
async fn optional_fields_take_str_and_string_values_and_can_be_cleared() {
    let h = Harness::start().await;
    let sent = json!({"deliveryPenaltyCharger": "MERCHANT", "reason": "품절", "detailReason": "재입고 미정"});
    h.expect_json(
        "POST",
        "/order-products/271684435/seller-cancel",
        &[],
        sent,
        ok(json!({})),
    )
    .await;
    let body: SellerCancelRequest = SellerCancelRequest::builder()
        .delivery_penalty_charger(DeliveryPenaltyChargerKnown::Merchant)
        .reason("품절")
        .detail_reason(String::from("재입고 미정"))
        .try_into()
        .expect("valid values build");
    h.client
        .seller_cancel_order_product()
        .order_product_id(271684435)
        .body(body)
        .await
        .expect("sent");

    let cleared: SellerCancelRequest = SellerCancelRequest::builder()
        .delivery_penalty_charger(DeliveryPenaltyChargerKnown::User)
        .reason("품절")
        .detail_reason("잠깐")
        .clear_detail_reason()
        .try_into()
        .expect("builds");
    assert_eq!(cleared.detail_reason, None);
    let json = serde_json::to_value(&cleared).expect("serializes");
    assert!(
        json.get("detailReason").is_none(),
        "a cleared field is not sent: {json}"
    );
}

#[tokio::test]
async fn a_bad_optional_value_names_the_field_and_the_rule() {
    let h = Harness::start().await;
    let call = h
        .client
        .seller_cancel_order_product()
        .order_product_id(271684435)
        .body_map(|b| {
            b.delivery_penalty_charger(DeliveryPenaltyChargerKnown::Merchant)
                .reason("품절")
                .detail_reason("가".repeat(251))
        });
    let invalid = refused(&h, call).await;
    assert_eq!(invalid.operation, "seller_cancel_order_product");
    assert_eq!(invalid.field, "body.detail_reason");
    assert_eq!(invalid.problem, Problem::TooLong { max: 250 });
    assert_eq!(
        invalid.to_string(),
        "invalid seller_cancel_order_product request: `body.detail_reason` is longer than 250 characters"
    );
}

#[tokio::test]
async fn a_missing_argument_is_named() {
    let h = Harness::start().await;
    let invalid = refused(&h, h.client.get_product()).await;
    assert_eq!(
        (invalid.field.as_str(), &invalid.problem),
        ("product_id", &Problem::Missing)
    );
    assert_eq!(
        invalid.to_string(),
        "invalid get_product request: `product_id` is required but was not set"
    );
}

#[tokio::test]
async fn a_missing_body_names_its_type_and_the_call_that_sets_it() {
    let h = Harness::start().await;
    let invalid = refused(&h, h.client.reject_return_claim().claim_id(20931848)).await;
    assert_eq!(
        (invalid.field.as_str(), &invalid.problem),
        ("body", &Problem::Missing)
    );
    assert_eq!(invalid.body_type, Some("FreeFormObject"));
    assert_eq!(
        invalid.to_string(),
        "invalid reject_return_claim request: the request body is missing; set it with \
         `.body(..)`, a JSON object (`serde_json::Map<String, serde_json::Value>`)"
    );
}

#[tokio::test]
async fn a_missing_body_field_is_named_with_its_path() {
    let h = Harness::start().await;
    let call = h
        .client
        .change_order_product_status()
        .body_map(|b| b.order_product_ids(vec![5001]));
    let invalid = refused(&h, call).await;
    assert_eq!(
        (invalid.field.as_str(), &invalid.problem),
        ("body.status", &Problem::Missing)
    );
    assert_eq!(invalid.body_type, Some("OrderProductStatusChangeRequest"));
}

#[tokio::test]
async fn too_many_or_too_few_items_are_refused() {
    let h = Harness::start().await;
    let ids: Vec<i64> = (1..=101).collect();
    let call = h.client.change_order_product_status().body_map(|b| {
        b.order_product_ids(ids)
            .status(OrderProductStatusChange::PreparingProduct)
    });
    let invalid = refused(&h, call).await;
    assert_eq!(invalid.field, "body.order_product_ids");
    assert_eq!(
        invalid.problem,
        Problem::Count {
            actual: 101,
            min: Some(1),
            max: Some(100)
        }
    );
    assert_eq!(
        invalid.to_string(),
        "invalid change_order_product_status request: `body.order_product_ids` has 101 items; expected 1 to 100"
    );
    let none = h.client.change_order_product_status().body_map(|b| {
        b.order_product_ids(Vec::<i64>::new())
            .status(OrderProductStatusChange::PreparingProduct)
    });
    let invalid = refused(&h, none).await;
    assert_eq!(
        invalid.problem,
        Problem::Count {
            actual: 0,
            min: Some(1),
            max: Some(100)
        }
    );
}

#[test]
fn a_too_short_text_is_named() {
    let built: Result<ExchangeReturnPolicy, _> = ExchangeReturnPolicy::builder()
        .exchange_refund_location_id(1520171)
        .refund_one_way_delivery_fee(3000)
        .exchange_round_trip_delivery_fee(6000)
        .application_method_description("")
        .application_term_description("수령 후 7일 이내")
        .try_into();
    let message = built
        .expect_err("an empty description is refused")
        .to_string();
    assert_eq!(
        message,
        "error converting supplied value for application_method_description: shorter than 1 characters"
    );
}

#[tokio::test]
async fn a_value_of_the_wrong_range_says_why_it_cannot_convert() {
    let h = Harness::start().await;
    let invalid = refused(&h, h.client.get_product().product_id(u64::MAX)).await;
    assert_eq!(invalid.field, "product_id");
    let Problem::Conversion { expected, reason } = &invalid.problem else {
        panic!("expected a conversion problem, got {:?}", invalid.problem);
    };
    assert_eq!(expected, "i64");
    assert!(reason.contains("out of range"), "{reason}");
}
