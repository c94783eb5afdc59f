//! Claims: list and the seller's actions on cancel, return and exchange requests.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use toss_shopping::types::{
    ClaimStatus, ClaimStatusKnown, ClaimType, ClaimTypeKnown, DeliveryPenaltyCharger,
};
use toss_shopping::{Error, ErrorCode, Problem, Reason};

use crate::support::{Harness, fail, ok};

/// Every action test also sets the optional `partnerName` query parameter.
const PARTNER: &[(&str, &str)] = &[("partnerName", "my-erp")];

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, d).expect("valid date")
}

/// A free-form request body.
fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("a JSON object")
}

/// The (undocumented, probably empty) success payload of a claim action, with fields the
/// vendor might add: it must arrive as raw JSON.
fn action_payload(claim_id: i64, status: &str) -> Value {
    json!({"claimId": claim_id, "claimStatus": status, "processedDt": "2026-07-17T10:12:00", "memo": null})
}

/// Mounts `POST route?partnerName=my-erp`, with the exact JSON body when the action has one.
async fn expect_action(h: &Harness, route: &str, body: Option<Value>, answer: Value) {
    match body {
        Some(body) => {
            h.expect_json("POST", route, PARTNER, body, ok(answer))
                .await
        }
        None => h.expect("POST", route, PARTNER, ok(answer)).await,
    }
}

/// Checks the raw payload of [`action_payload`].
fn assert_action_answer(answer: &Map<String, Value>, claim_id: i64, status: &str) {
    assert_eq!(answer["claimId"], claim_id);
    assert_eq!(answer["claimStatus"], status);
    assert!(answer["memo"].is_null());
}

#[tokio::test]
async fn list_claims() {
    let h = Harness::start().await;
    let page = json!({
        "items": [{
            "id": 20931847,
            "requestedDt": "2026-07-16T09:41:27",
            "type": "RETURN",
            "status": "REQUESTED",
            "requestReason": "구매 의사 취소",
            "requestDetailReason": "",
            "requestImages": [],
            "requestDeliveryPenaltyCharger": "USER",
            "refundOneWayDeliveryFee": 3000,
            "roundTripDeliveryFee": 6000,
            "returnAddress": "경기도 이천시 마장면 …, 토스상회 물류센터",
            "order": {
                "id": 98765, "orderProductId": 271684435,
                "ordererName": "김*수", "ordererPhoneNumber": "0504-****-1234",
                "receiverName": "김*수", "receiverPhoneNumber": "0504-****-1234",
                "deliveryCompany": "CJ대한통운", "shippingTrackingNumber": "601234567890",
                "address": "서울특별시 강남구 테헤란로 …", "price": 19900,
                "createdDt": "2026-07-11T20:51:39"
            },
            "product": {"id": 1234, "name": "사과 2kg", "optionName": "2kg,1박스,중과", "quantity": 1},
            "claimDeliveryPaymentAmount": null,
            "claimChannel": "TOSS_APP"
        }, {
            "id": 20931902,
            "requestedDt": "2026-07-17T14:03:55",
            "type": "RETURN",
            "status": "REQUESTED",
            "requestReason": "상품 불량",
            "requestDetailReason": "받아보니 절반이 멍들어 있어요.",
            "requestImages": null,
            "requestDeliveryPenaltyCharger": "MERCHANT",
            "refundOneWayDeliveryFee": 3000,
            "roundTripDeliveryFee": 6000,
            "returnAddress": "경기도 이천시 마장면 …, 토스상회 물류센터",
            "order": {
                "id": 98801, "orderProductId": 271690012,
                "ordererName": "이*영", "ordererPhoneNumber": "0504-****-9876",
                "receiverName": "박*호", "receiverPhoneNumber": "0504-****-5555",
                "deliveryCompany": null, "shippingTrackingNumber": null,
                "address": "부산광역시 해운대구 …", "price": 39800,
                "createdDt": "2026-07-12T08:15:02"
            },
            "product": {"id": 1234, "name": "사과 2kg", "optionName": "2kg,2박스,대과", "quantity": 2},
            "claimDeliveryPaymentAmount": 6000
        }],
        "hasNext": true,
        "nextToken": "eyJpZCI6MjA5MzE5MDJ9"
    });
    let query = [
        ("type", "RETURN"),
        ("status", "REQUESTED"),
        ("fromRequestDate", "2026-07-11"),
        ("toRequestDate", "2026-07-17"),
        ("size", "100"),
        ("nextToken", "eyJpZCI6MjA5MzE4NDd9"),
    ];
    h.expect("GET", "/claims", &query, ok(page)).await;
    let page = h
        .client
        .list_claims()
        .type_(ClaimTypeKnown::Return)
        .status(ClaimStatusKnown::Requested)
        .from_request_date(day(11))
        .to_request_date(day(17))
        .size(100)
        .next_token("eyJpZCI6MjA5MzE4NDd9")
        .await
        .expect("claims");
    assert_eq!(page.has_next, Some(true));
    assert_eq!(page.next_token.as_deref(), Some("eyJpZCI6MjA5MzE5MDJ9"));
    assert_eq!(page.items.len(), 2);

    let first = &page.items[0];
    assert_eq!(first.id, Some(20931847));
    assert_eq!(first.type_, Some(ClaimType::Return));
    assert_eq!(first.status, Some(ClaimStatus::Requested));
    assert_eq!(
        first.requested_dt.map(|t| t.to_string()).as_deref(),
        Some("2026-07-16T09:41:27")
    );
    assert_eq!(first.request_reason.as_deref(), Some("구매 의사 취소"));
    assert_eq!(first.request_detail_reason.as_deref(), Some(""));
    assert_eq!(first.request_images.as_deref(), Some(&[][..]));
    assert_eq!(
        first.request_delivery_penalty_charger,
        Some(DeliveryPenaltyCharger::User)
    );
    assert_eq!(
        (
            first.refund_one_way_delivery_fee,
            first.round_trip_delivery_fee
        ),
        (Some(3000), Some(6000))
    );
    assert_eq!(first.claim_delivery_payment_amount, None);
    let order = first.order.as_ref().expect("order");
    assert_eq!(
        (order.id, order.order_product_id),
        (Some(98765), Some(271684435))
    );
    assert_eq!(
        order.orderer_phone_number.as_deref(),
        Some("0504-****-1234")
    );
    assert_eq!(order.delivery_company.as_deref(), Some("CJ대한통운"));
    assert_eq!(order.price, Some(19900));
    assert_eq!(
        order.created_dt.map(|t| t.to_string()).as_deref(),
        Some("2026-07-11T20:51:39")
    );
    let product = first.product.as_ref().expect("product");
    assert_eq!(product.id, Some(1234));
    assert_eq!(product.option_name.as_deref(), Some("2kg,1박스,중과"));
    assert_eq!(product.quantity, Some(1));

    let second = &page.items[1];
    assert_eq!(second.request_images, None);
    assert_eq!(second.claim_delivery_payment_amount, Some(6000));
    assert_eq!(
        second.request_delivery_penalty_charger,
        Some(DeliveryPenaltyCharger::Merchant)
    );
    let order = second.order.as_ref().expect("order");
    assert_eq!(
        order.receiver_phone_number.as_deref(),
        Some("0504-****-5555")
    );
    assert_eq!(
        (
            order.delivery_company.as_deref(),
            order.shipping_tracking_number.as_deref()
        ),
        (None, None)
    );

    h.assert_fail_envelope(
        "GET",
        "/claims",
        &[("size", "100")],
        h.client.list_claims().size(100),
    )
    .await;
}

#[tokio::test]
async fn unknown_claim_status_and_type_are_kept_as_text() {
    let h = Harness::start().await;
    let page = json!({
        "items": [{
            "id": 20940001,
            "requestedDt": "2026-07-17T11:00:00",
            "type": "EXCHANGE",
            "status": "COLLECTING",
            "requestDeliveryPenaltyCharger": "TOSS"
        }, {
            "id": 20940002,
            "type": "PARTIAL_CANCEL",
            "status": "REVOKED_REQUEST"
        }],
        "hasNext": false,
        "nextToken": null
    });
    h.expect("GET", "/claims", &[("size", "100")], ok(page))
        .await;
    let page = h
        .client
        .list_claims()
        .size(100)
        .await
        .expect("unknown values decode");
    assert_eq!(page.has_next, Some(false));
    assert_eq!(page.next_token, None);
    let first = &page.items[0];
    assert_eq!(first.status, Some(ClaimStatus::from("COLLECTING")));
    assert_eq!(first.type_, Some(ClaimType::Exchange));
    assert_eq!(
        first.request_delivery_penalty_charger,
        Some(DeliveryPenaltyCharger::from("TOSS"))
    );
    let second = &page.items[1];
    assert_eq!(second.type_, Some(ClaimType::from("PARTIAL_CANCEL")));
    assert_eq!(second.status, Some(ClaimStatus::RevokedRequest));
    assert!(second.order.is_none() && second.product.is_none());
}

/// A claims page seen live: its items carry neither `id` nor `order.id`. It must still
/// decode, with the ids absent rather than the whole page failing.
#[tokio::test]
async fn list_claims_reads_items_without_ids() {
    let h = Harness::start().await;
    let page = json!({
        "items": [{
            "requestedDt": "2026-07-17T16:20:08",
            "type": "CANCEL",
            "status": "COMPLETED",
            "requestReason": "구매 의사 취소",
            "order": {
                "orderProductId": 271695501,
                "ordererName": "박*수", "ordererPhoneNumber": "0504-****-0004",
                "price": 19900, "createdDt": "2026-07-15T11:02:40"
            },
            "product": {"name": "사과 2kg", "optionName": "2kg,1박스,중과", "quantity": 1}
        }, {
            "requestedDt": "2026-07-17T16:45:51",
            "type": "CANCEL",
            "status": "REQUESTED",
            "order": {"ordererName": "최*진", "price": 39800}
        }],
        "hasNext": false,
        "nextToken": null
    });
    h.expect("GET", "/claims", &[("size", "100")], ok(page))
        .await;
    let page = h
        .client
        .list_claims()
        .size(100)
        .await
        .expect("a page without ids decodes");
    assert_eq!(page.items.len(), 2);
    let first = &page.items[0];
    assert_eq!(first.id, None);
    let order = first.order.as_ref().expect("order");
    assert_eq!((order.id, order.order_product_id), (None, Some(271695501)));
    assert_eq!(first.product.as_ref().and_then(|p| p.id), None);
    let second = page.items[1].order.as_ref().expect("order");
    assert_eq!((second.id, second.order_product_id), (None, None));
    assert_eq!(second.price, Some(39800));
}

#[tokio::test]
async fn list_claims_sends_order_ids_as_a_comma_separated_list() {
    let h = Harness::start().await;
    h.expect(
        "GET",
        "/claims",
        &[("orderIds", "98765,98801")],
        ok(json!({"items": [], "hasNext": false, "nextToken": null})),
    )
    .await;
    let page = h
        .client
        .list_claims()
        .order_ids("98765,98801")
        .await
        .expect("empty page");
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn list_claims_order_ids_outside_the_pattern_are_rejected_before_sending() {
    // The spec's pattern is `^[0-9]+(,[0-9]+)*$`: the catch-all fails the test if anything
    // is sent.
    let h = Harness::start().await;
    let outcome = h.client.list_claims().order_ids("98765, 98801").await;
    match outcome {
        Err(Error::InvalidRequest(invalid)) => {
            assert_eq!(invalid.operation, "list_claims");
            assert_eq!(invalid.field, "order_ids");
            assert_eq!(invalid.problem, Problem::IdList);
            assert_eq!(
                invalid.to_string(),
                "invalid list_claims request: `order_ids` must be comma-separated numeric ids, like 1,2,3"
            );
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn list_claims_server_error_inside_the_envelope_is_retryable() {
    let h = Harness::start().await;
    h.expect(
        "GET",
        "/claims",
        &[("type", "CANCEL"), ("status", "REQUESTED")],
        fail("500", "Internal Server Error"),
    )
    .await;
    let err = h
        .client
        .list_claims()
        .type_(ClaimTypeKnown::Cancel)
        .status(ClaimStatusKnown::Requested)
        .await
        .expect_err("FAIL envelope");
    assert!(err.is_retryable(), "{err:?}");
    match err {
        Error::Api(api) => {
            assert_eq!(api.code, ErrorCode::InternalServerError);
            assert_eq!(api.reason, Reason::Text("Internal Server Error".into()));
        }
        other => panic!("expected Error::Api(500), got {other:?}"),
    }
}

// ------------------------------------------------------------------------- cancel claims

#[tokio::test]
async fn approve_cancel_claim() {
    let h = Harness::start().await;
    let route = "/claims/20931001/cancel/approval";
    expect_action(&h, route, None, action_payload(20931001, "COMPLETED")).await;
    let answer = h
        .client
        .approve_cancel_claim()
        .claim_id(20931001)
        .partner_name("my-erp")
        .await
        .expect("approved");
    assert_action_answer(&answer, 20931001, "COMPLETED");

    let again = h.client.approve_cancel_claim().claim_id(20931001);
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn reject_cancel_claim() {
    let h = Harness::start().await;
    let route = "/claims/20931002/cancel/rejection";
    let body = json!({
        "deliveryCompany": "CJ대한통운",
        "trackingNumber": "601234567890",
        "reason": "이미 출고된 상품입니다."
    });
    expect_action(
        &h,
        route,
        Some(body.clone()),
        action_payload(20931002, "REJECTED"),
    )
    .await;
    let answer = h
        .client
        .reject_cancel_claim()
        .claim_id(20931002)
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("rejected");
    assert_action_answer(&answer, 20931002, "REJECTED");

    let again = h
        .client
        .reject_cancel_claim()
        .claim_id(20931002)
        .body(object(body));
    h.assert_fail_envelope("POST", route, &[], again).await;
}

// ------------------------------------------------------------------------- return claims

#[tokio::test]
async fn approve_return_claim() {
    let h = Harness::start().await;
    let route = "/claims/20931847/return/approval";
    expect_action(&h, route, None, action_payload(20931847, "COLLECTING")).await;
    let answer = h
        .client
        .approve_return_claim()
        .claim_id(20931847)
        .partner_name("my-erp")
        .await
        .expect("approved");
    assert_action_answer(&answer, 20931847, "COLLECTING");

    let again = h.client.approve_return_claim().claim_id(20931847);
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn reject_return_claim() {
    let h = Harness::start().await;
    let route = "/claims/20931848/return/rejection";
    let body = json!({
        "reason": "반품 가능 기간이 지났습니다.",
        "detailReason": "수령 후 7일이 지나 단순 변심 반품이 불가합니다."
    });
    expect_action(
        &h,
        route,
        Some(body.clone()),
        action_payload(20931848, "REJECTED"),
    )
    .await;
    let answer = h
        .client
        .reject_return_claim()
        .claim_id(20931848)
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("rejected");
    assert_action_answer(&answer, 20931848, "REJECTED");

    let again = h
        .client
        .reject_return_claim()
        .claim_id(20931848)
        .body(object(body));
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn mark_return_collected() {
    let h = Harness::start().await;
    let route = "/claims/20931849/return/collection";
    expect_action(&h, route, None, action_payload(20931849, "COLLECTED")).await;
    let answer = h
        .client
        .mark_return_collected()
        .claim_id(20931849)
        .partner_name("my-erp")
        .await
        .expect("collected");
    assert_action_answer(&answer, 20931849, "COLLECTED");

    let again = h.client.mark_return_collected().claim_id(20931849);
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn reject_return_collection() {
    let h = Harness::start().await;
    let route = "/claims/20931850/return/collection-rejection";
    let body = json!({
        "reason": "상품 훼손으로 반품 불가",
        "detailReason": "포장이 개봉되어 사용 흔적이 있습니다."
    });
    expect_action(
        &h,
        route,
        Some(body.clone()),
        action_payload(20931850, "REJECTED"),
    )
    .await;
    let answer = h
        .client
        .reject_return_collection()
        .claim_id(20931850)
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("refused");
    assert_action_answer(&answer, 20931850, "REJECTED");

    let again = h
        .client
        .reject_return_collection()
        .claim_id(20931850)
        .body(object(body));
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn complete_return_claim() {
    let h = Harness::start().await;
    let route = "/claims/20931851/return/completion";
    expect_action(&h, route, None, action_payload(20931851, "COMPLETED")).await;
    let answer = h
        .client
        .complete_return_claim()
        .claim_id(20931851)
        .partner_name("my-erp")
        .await
        .expect("completed");
    assert_action_answer(&answer, 20931851, "COMPLETED");

    let again = h.client.complete_return_claim().claim_id(20931851);
    h.assert_fail_envelope("POST", route, &[], again).await;
}

// ----------------------------------------------------------------------- exchange claims

#[tokio::test]
async fn approve_exchange_claim() {
    let h = Harness::start().await;
    let route = "/claims/20932001/exchange/approval";
    expect_action(&h, route, None, action_payload(20932001, "COLLECTING")).await;
    let answer = h
        .client
        .approve_exchange_claim()
        .claim_id(20932001)
        .partner_name("my-erp")
        .await
        .expect("approved");
    assert_action_answer(&answer, 20932001, "COLLECTING");

    let again = h.client.approve_exchange_claim().claim_id(20932001);
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn reject_exchange_claim() {
    let h = Harness::start().await;
    let route = "/claims/20932002/exchange/rejection";
    let body = json!({"reason": "교환 가능한 재고가 없습니다."});
    expect_action(
        &h,
        route,
        Some(body.clone()),
        action_payload(20932002, "REJECTED"),
    )
    .await;
    let answer = h
        .client
        .reject_exchange_claim()
        .claim_id(20932002)
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("rejected");
    assert_action_answer(&answer, 20932002, "REJECTED");

    let again = h
        .client
        .reject_exchange_claim()
        .claim_id(20932002)
        .body(object(body));
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn mark_exchange_collected() {
    let h = Harness::start().await;
    let route = "/claims/20932003/exchange/collection";
    expect_action(&h, route, None, action_payload(20932003, "COLLECTED")).await;
    let answer = h
        .client
        .mark_exchange_collected()
        .claim_id(20932003)
        .partner_name("my-erp")
        .await
        .expect("collected");
    assert_action_answer(&answer, 20932003, "COLLECTED");

    let again = h.client.mark_exchange_collected().claim_id(20932003);
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn reject_exchange_collection() {
    let h = Harness::start().await;
    let route = "/claims/20932004/exchange/collection-rejection";
    let body = json!({
        "reason": "교환 사유와 다른 상태로 회수되었습니다.",
        "detailReason": "구성품(보냉팩)이 누락되었습니다."
    });
    expect_action(
        &h,
        route,
        Some(body.clone()),
        action_payload(20932004, "REJECTED"),
    )
    .await;
    let answer = h
        .client
        .reject_exchange_collection()
        .claim_id(20932004)
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("refused");
    assert_action_answer(&answer, 20932004, "REJECTED");

    let again = h
        .client
        .reject_exchange_collection()
        .claim_id(20932004)
        .body(object(body));
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn ship_exchange_replacement() {
    let h = Harness::start().await;
    let route = "/claims/20932005/exchange/delivery";
    let body = json!({"deliveryCompany": "CJ대한통운", "trackingNumber": "601298765432"});
    expect_action(
        &h,
        route,
        Some(body.clone()),
        action_payload(20932005, "DELIVERING"),
    )
    .await;
    let answer = h
        .client
        .ship_exchange_replacement()
        .claim_id(20932005)
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("reshipped");
    assert_action_answer(&answer, 20932005, "DELIVERING");

    let again = h
        .client
        .ship_exchange_replacement()
        .claim_id(20932005)
        .body(object(body));
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn complete_exchange_claim() {
    let h = Harness::start().await;
    let route = "/claims/20932006/exchange/completion";
    expect_action(&h, route, None, action_payload(20932006, "COMPLETED")).await;
    let answer = h
        .client
        .complete_exchange_claim()
        .claim_id(20932006)
        .partner_name("my-erp")
        .await
        .expect("completed");
    assert_action_answer(&answer, 20932006, "COMPLETED");

    let again = h.client.complete_exchange_claim().claim_id(20932006);
    h.assert_fail_envelope("POST", route, &[], again).await;
}

#[tokio::test]
async fn claim_action_with_an_empty_object_decodes_as_an_empty_map() {
    let h = Harness::start().await;
    let route = "/claims/20932007/cancel/approval";
    h.expect("POST", route, &[], ok(json!({}))).await;
    let answer = h
        .client
        .approve_cancel_claim()
        .claim_id(20932007)
        .await
        .expect("an empty object is a success");
    assert!(answer.is_empty());
}

#[tokio::test]
async fn claim_action_with_a_null_payload_is_a_decode_error_that_keeps_the_body() {
    // Nobody documents a null payload for claim actions, so it is not read as success.
    let h = Harness::start().await;
    let route = "/claims/20932007/cancel/approval";
    h.expect("POST", route, &[], ok(json!(null))).await;
    let outcome = h.client.approve_cancel_claim().claim_id(20932007).await;
    let Err(Error::Decode(decode)) = outcome else {
        panic!("expected Error::Decode, got {outcome:?}");
    };
    assert_eq!(decode.operation, "approve_cancel_claim");
    assert_eq!(decode.path, "success");
    assert!(
        decode.message.starts_with("SUCCESS without a payload"),
        "{}",
        decode.message
    );
    let body: Value = serde_json::from_slice(decode.body()).expect("the body is kept");
    assert_eq!(body["resultType"], "SUCCESS");
    assert!(body["success"].is_null());
}

#[tokio::test]
async fn claim_action_without_a_body_is_rejected_before_sending() {
    // Rejections require a (free-form) body; forgetting it must not send an empty POST.
    let h = Harness::start().await;
    let outcome = h.client.reject_return_claim().claim_id(20931848).await;
    assert!(
        matches!(outcome, Err(Error::InvalidRequest(_))),
        "{outcome:?}"
    );
}
