//! Claims through the SDK: the list's filters and paging, and every path of the cancel,
//! return and exchange state machines, with each wrong step refused.

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::{Map, Value, json};
use toss_shopping::types::{Claim, OrderProductStatus};
use toss_shopping::window::KstRange;
use toss_shopping::{Client, ErrorCode};

use crate::orders::{code, first_in, start_at_noon, status};

/// A free-form claim body.
fn body(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The claim, found in the list by id.
async fn claim(client: &Client, id: i64) -> Claim {
    client
        .list_claims()
        .size(100)
        .stream()
        .try_collect::<Vec<Claim>>()
        .await
        .unwrap()
        .into_iter()
        .find(|claim| claim.id == Some(id))
        .unwrap()
}

/// The claim's status as written.
async fn claim_status(client: &Client, id: i64) -> String {
    claim(client, id).await.status.unwrap().as_str().to_string()
}

#[tokio::test]
async fn the_demo_return_request_is_listed_with_its_order() {
    let (_server, client, clock) = start_at_noon().await;
    let page = client
        .list_claims()
        .type_("RETURN")
        .status("REQUESTED")
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.has_next, Some(false));
    let request = &page.items[0];
    let order = request.order.as_ref().unwrap();
    assert!(
        order
            .orderer_phone_number
            .as_deref()
            .unwrap()
            .starts_with("0504-")
    );
    assert_eq!(order.delivery_company.as_deref(), Some("CJ대한통운"));
    assert_eq!(
        request.return_address.as_deref().map(str::is_empty),
        Some(false)
    );

    let range = KstRange::last_days(14, &*clock).unwrap();
    let windowed: Vec<Claim> = client
        .list_claims()
        .size(100)
        .windows(range)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(windowed.len(), 1);

    let order_id = order.id.unwrap();
    let by_order = client
        .list_claims()
        .order_ids(order_id.to_string())
        .await
        .unwrap();
    assert_eq!(by_order.items.len(), 1);
    let other_order = client.list_claims().order_ids("1,2").await.unwrap();
    assert!(other_order.items.is_empty());
}

#[tokio::test]
async fn type_and_status_go_together_and_the_window_is_seven_days() {
    let (_server, client, clock) = start_at_noon().await;
    let alone = client.list_claims().type_("RETURN").await.unwrap_err();
    assert_eq!(code(&alone), ErrorCode::InvalidRequest);
    let alone = client.list_claims().status("REQUESTED").await.unwrap_err();
    assert_eq!(code(&alone), ErrorCode::InvalidRequest);

    let today = KstRange::last_days(1, &*clock).unwrap().last();
    let wide = client
        .list_claims()
        .from_request_date(today - chrono::Days::new(8))
        .to_request_date(today)
        .await
        .unwrap_err();
    assert_eq!(code(&wide), ErrorCode::InvalidRequest);
    client
        .list_claims()
        .from_request_date(today - chrono::Days::new(7))
        .to_request_date(today)
        .await
        .unwrap();
}

#[tokio::test]
async fn claims_page_by_token_until_has_next_is_false() {
    let (server, client, clock) = start_at_noon().await;
    let delivering = first_in(&client, &clock, OrderProductStatus::Delivering).await;
    let delivered = first_in(&client, &clock, OrderProductStatus::Delivered).await;
    server
        .buyer()
        .request_exchange(delivering, "사이즈 교환")
        .unwrap();
    server
        .buyer()
        .request_return(delivered, "단순 변심")
        .unwrap();
    let first = client.list_claims().size(1).await.unwrap();
    assert_eq!(first.has_next, Some(true));
    assert!(first.next_token.is_some());
    let all: Vec<Claim> = client
        .list_claims()
        .size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
}

#[tokio::test]
async fn a_return_is_approved_collected_and_completed_and_wrong_steps_fail() {
    let (_server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::RequestedReturn).await;
    let claim_id = client
        .list_claims()
        .type_("RETURN")
        .status("REQUESTED")
        .await
        .unwrap()
        .items[0]
        .id
        .unwrap();

    let early = client
        .complete_return_claim()
        .claim_id(claim_id)
        .await
        .unwrap_err();
    assert_eq!(code(&early), ErrorCode::BadRequest);
    let wrong_kind = client
        .approve_exchange_claim()
        .claim_id(claim_id)
        .await
        .unwrap_err();
    assert_eq!(code(&wrong_kind), ErrorCode::BadRequest);

    client
        .approve_return_claim()
        .claim_id(claim_id)
        .await
        .unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ClaimCollecting
    );
    let twice = client
        .approve_return_claim()
        .claim_id(claim_id)
        .await
        .unwrap_err();
    assert_eq!(code(&twice), ErrorCode::BadRequest);

    client
        .mark_return_collected()
        .claim_id(claim_id)
        .await
        .unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ClaimCollected
    );

    client
        .complete_return_claim()
        .claim_id(claim_id)
        .await
        .unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::CompletedReturn
    );
    assert_eq!(claim_status(&client, claim_id).await, "COMPLETED");

    // A completed return cannot be cancelled by the seller.
    let cancel = client
        .seller_cancel_order_product()
        .order_product_id(id)
        .body_map(|b| {
            b.delivery_penalty_charger(toss_shopping::types::DeliveryPenaltyChargerKnown::User)
                .reason("재고 부족")
        })
        .await
        .unwrap_err();
    assert_eq!(code(&cancel), ErrorCode::BadRequest);
}

#[tokio::test]
async fn a_rejected_return_and_a_refused_collection_restore_the_status() {
    let (server, client, clock) = start_at_noon().await;
    let delivering = first_in(&client, &clock, OrderProductStatus::Delivering).await;
    let rejected = server
        .buyer()
        .request_return(delivering, "단순 변심")
        .unwrap();
    assert_eq!(
        status(&client, delivering).await,
        OrderProductStatus::RequestedReturn
    );
    client
        .reject_return_claim()
        .claim_id(rejected)
        .body(body(json!({"reason": "반품 기간이 지났습니다."})))
        .await
        .unwrap();
    assert_eq!(
        status(&client, delivering).await,
        OrderProductStatus::Delivering
    );
    assert_eq!(claim_status(&client, rejected).await, "REJECTED");

    // The buyer may ask again; this time the item comes back but is refused.
    let again = server
        .buyer()
        .request_return(delivering, "상품 불량")
        .unwrap();
    let refuse = || {
        client
            .reject_return_collection()
            .claim_id(again)
            .body(body(json!({"reason": "사용 흔적"})))
    };
    assert_eq!(code(&refuse().await.unwrap_err()), ErrorCode::BadRequest);
    client.approve_return_claim().claim_id(again).await.unwrap();
    client
        .mark_return_collected()
        .claim_id(again)
        .await
        .unwrap();
    refuse().await.unwrap();
    assert_eq!(
        status(&client, delivering).await,
        OrderProductStatus::Delivering
    );
}

#[tokio::test]
async fn an_exchange_goes_through_collection_and_reshipment() {
    let (server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::Delivered).await;
    let claim_id = server.buyer().request_exchange(id, "상품 불량").unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::RequestedExchange
    );
    let exchange = claim(&client, claim_id).await;
    assert_eq!(exchange.type_.unwrap().as_str(), "EXCHANGE");
    assert_eq!(
        exchange.request_delivery_penalty_charger.unwrap().as_str(),
        "MERCHANT"
    );

    let reship = |tracking: &'static str| {
        client
            .ship_exchange_replacement()
            .claim_id(claim_id)
            .body(body(
                json!({"deliveryCompany": "CJ대한통운", "trackingNumber": tracking}),
            ))
    };
    assert_eq!(
        code(&reship("601234567890").await.unwrap_err()),
        ErrorCode::BadRequest
    );

    client
        .approve_exchange_claim()
        .claim_id(claim_id)
        .await
        .unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ClaimCollecting
    );
    let early = client
        .complete_exchange_claim()
        .claim_id(claim_id)
        .await
        .unwrap_err();
    assert_eq!(code(&early), ErrorCode::BadRequest);
    client
        .mark_exchange_collected()
        .claim_id(claim_id)
        .await
        .unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ClaimCollected
    );

    let no_invoice = client
        .ship_exchange_replacement()
        .claim_id(claim_id)
        .body(body(json!({})))
        .await
        .unwrap_err();
    assert_eq!(code(&no_invoice), ErrorCode::InvalidRequest);
    reship("6012-3456-7890").await.unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ClaimDelivering
    );
    // The reship invoice can be changed while the replacement is under way.
    reship("601234567899").await.unwrap();
    let under_way = crate::orders::row(&client, id).await;
    assert_eq!(
        under_way.shipping_tracking_number.as_deref(),
        Some("601234567899")
    );

    client
        .complete_exchange_claim()
        .claim_id(claim_id)
        .await
        .unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::CompletedExchange
    );
    assert_eq!(claim_status(&client, claim_id).await, "COMPLETED");

    // An exchanged product confirms itself seven days after the replacement arrived.
    clock.advance(Duration::from_secs(7 * 24 * 3600 + 60));
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ConfirmedOrder
    );
}

#[tokio::test]
async fn an_exchange_can_be_rejected_or_refused_after_collection() {
    let (server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::Delivered).await;
    let first = server.buyer().request_exchange(id, "색상 변경").unwrap();
    client
        .reject_exchange_claim()
        .claim_id(first)
        .body(body(json!({"reason": "교환 불가 상품"})))
        .await
        .unwrap();
    assert_eq!(status(&client, id).await, OrderProductStatus::Delivered);

    let second = server.buyer().request_exchange(id, "색상 변경").unwrap();
    client
        .approve_exchange_claim()
        .claim_id(second)
        .await
        .unwrap();
    client
        .mark_exchange_collected()
        .claim_id(second)
        .await
        .unwrap();
    client
        .reject_exchange_collection()
        .claim_id(second)
        .body(body(json!({"reason": "사용 흔적"})))
        .await
        .unwrap();
    assert_eq!(status(&client, id).await, OrderProductStatus::Delivered);
    assert_eq!(claim_status(&client, second).await, "REJECTED");
}

#[tokio::test]
async fn a_cancel_request_is_approved_or_rejected() {
    let (server, client, clock) = start_at_noon().await;
    let rows = crate::orders::all_rows(&client, &clock).await;
    let mut preparing = rows
        .iter()
        .filter(|row| row.order_product_status == Some(OrderProductStatus::PreparingProduct))
        .filter_map(|row| row.order_product_id);
    let (approve, reject) = (preparing.next().unwrap(), preparing.next().unwrap());

    let approved = server.buyer().cancel(approve).unwrap().unwrap();
    assert_eq!(
        status(&client, approve).await,
        OrderProductStatus::ClaimRequestedCancel
    );
    let wrong_kind = client
        .approve_return_claim()
        .claim_id(approved)
        .await
        .unwrap_err();
    assert_eq!(code(&wrong_kind), ErrorCode::BadRequest);
    client
        .approve_cancel_claim()
        .claim_id(approved)
        .await
        .unwrap();
    assert_eq!(
        status(&client, approve).await,
        OrderProductStatus::CanceledPayment
    );
    assert_eq!(claim_status(&client, approved).await, "COMPLETED");
    let twice = client
        .approve_cancel_claim()
        .claim_id(approved)
        .await
        .unwrap_err();
    assert_eq!(code(&twice), ErrorCode::BadRequest);

    // Rejected without an invoice: back to preparing, then shipped as usual.
    let rejected = server.buyer().cancel(reject).unwrap().unwrap();
    client
        .reject_cancel_claim()
        .claim_id(rejected)
        .body(body(json!({"reason": "이미 출고 준비가 끝났습니다."})))
        .await
        .unwrap();
    assert_eq!(
        status(&client, reject).await,
        OrderProductStatus::PreparingProduct
    );

    // Rejected with an invoice: the product ships at once.
    let again = server.buyer().cancel(reject).unwrap().unwrap();
    client
        .reject_cancel_claim()
        .claim_id(again)
        .body(body(
            json!({"deliveryCompany": "CJ대한통운", "trackingNumber": "601234567890"}),
        ))
        .await
        .unwrap();
    assert_eq!(
        status(&client, reject).await,
        OrderProductStatus::Delivering
    );
}

#[tokio::test]
async fn a_cancel_request_left_seven_days_approves_itself() {
    let (server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::PreparingProduct).await;
    let claim_id = server.buyer().cancel(id).unwrap().unwrap();
    clock.advance(Duration::from_secs(7 * 24 * 3600 - 60));
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ClaimRequestedCancel
    );
    clock.advance(Duration::from_secs(120));
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::CanceledPayment
    );
    assert_eq!(claim_status(&client, claim_id).await, "COMPLETED");
}

#[tokio::test]
async fn a_withdrawn_request_is_revoked_and_the_status_comes_back() {
    let (server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::Delivering).await;
    let claim_id = server.buyer().request_return(id, "단순 변심").unwrap();
    server.buyer().withdraw_claim(claim_id).unwrap();
    assert_eq!(status(&client, id).await, OrderProductStatus::Delivering);
    let revoked = client
        .list_claims()
        .type_("RETURN")
        .status("REVOKED_REQUEST")
        .await
        .unwrap();
    assert_eq!(revoked.items.len(), 1);
    assert_eq!(
        server.buyer().withdraw_claim(claim_id).unwrap_err().code(),
        "BAD_REQUEST"
    );

    // After approval the request can no longer be withdrawn.
    let again = server.buyer().request_return(id, "단순 변심").unwrap();
    client.approve_return_claim().claim_id(again).await.unwrap();
    assert_eq!(
        server.buyer().withdraw_claim(again).unwrap_err().code(),
        "BAD_REQUEST"
    );
    // Nor can a second request be opened while one is in progress.
    assert!(server.buyer().request_exchange(id, "색상 변경").is_err());
}

#[tokio::test]
async fn buyers_may_only_ask_for_returns_after_shipping_and_unknown_claims_are_not_found() {
    let (server, client, clock) = start_at_noon().await;
    let paid = first_in(&client, &clock, OrderProductStatus::Paid).await;
    assert_eq!(
        server
            .buyer()
            .request_return(paid, "단순 변심")
            .unwrap_err()
            .code(),
        "BAD_REQUEST"
    );
    assert_eq!(
        server
            .buyer()
            .request_exchange(paid, "단순 변심")
            .unwrap_err()
            .code(),
        "BAD_REQUEST"
    );
    let delivering = first_in(&client, &clock, OrderProductStatus::Delivering).await;
    assert_eq!(
        server.buyer().cancel(delivering).unwrap_err().code(),
        "BAD_REQUEST"
    );
    assert_eq!(
        server.buyer().withdraw_claim(1).unwrap_err().code(),
        "NOT_FOUND"
    );
    let unknown = client.approve_cancel_claim().claim_id(1).await.unwrap_err();
    assert_eq!(code(&unknown), ErrorCode::NotFound);
}
