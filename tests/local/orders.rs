//! Orders, invoices, seller cancel, settlements and the carrier, through the SDK: the demo
//! orders, the ORD-03 write set with its partial failures, the invoice rules, the seven-day
//! purchase confirmation and the settlement lines it books.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use futures_util::TryStreamExt;
use toss_shopping::auth::ManualClock;
use toss_shopping::local::LocalServer;
use toss_shopping::types::{
    DeliveryPenaltyChargerKnown, FailedReason, OrderProduct, OrderProductStatus,
    OrderProductStatusChange,
};
use toss_shopping::window::KstRange;
use toss_shopping::{Client, Error, ErrorCode, RateLimits, Reason, RetryPolicy};

/// 2026-07-20 12:00 KST (03:00 UTC): far from midnight, so no day boundary moves under a test.
const NOON_KST: u64 = 1_784_516_400;

/// A server and a client sharing a manual clock standing at [`NOON_KST`].
pub(crate) async fn start_at_noon() -> (LocalServer, Client, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(UNIX_EPOCH + Duration::from_secs(NOON_KST)));
    let server = LocalServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let client = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client, clock)
}

/// Every order product of the last 30 days, through the windowed stream a user would use.
pub(crate) async fn all_rows(client: &Client, clock: &ManualClock) -> Vec<OrderProduct> {
    let range = KstRange::last_days(30, clock).unwrap();
    client
        .list_order_products()
        .limit(50)
        .windows(range)
        .try_collect()
        .await
        .unwrap()
}

/// The order product, read with ORD-02.
pub(crate) async fn row(client: &Client, id: i64) -> OrderProduct {
    let map = client
        .get_order_product()
        .order_product_id(id)
        .await
        .unwrap();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap()
}

/// The status of the order product.
pub(crate) async fn status(client: &Client, id: i64) -> OrderProductStatus {
    row(client, id).await.order_product_status.unwrap()
}

/// The id of the first demo order product in `wanted`.
pub(crate) async fn first_in(
    client: &Client,
    clock: &ManualClock,
    wanted: OrderProductStatus,
) -> i64 {
    all_rows(client, clock)
        .await
        .into_iter()
        .find(|row| row.order_product_status.as_ref() == Some(&wanted))
        .and_then(|row| row.order_product_id)
        .unwrap()
}

/// The vendor's error code of a failed call.
pub(crate) fn code(error: &Error) -> ErrorCode {
    error.code().cloned().unwrap()
}

/// The text reason of a failed call.
pub(crate) fn reason(error: &Error) -> String {
    match &error.api_error().unwrap().reason {
        Reason::Text(text) => text.clone(),
        other => format!("{other:?}"),
    }
}

/// Registers an invoice with the demo courier.
pub(crate) async fn ship(client: &Client, id: i64, tracking: &str) -> Result<(), Error> {
    client
        .update_order_product_delivery()
        .body_map(|b| {
            b.order_product_id(id)
                .delivery_company("CJ대한통운")
                .tracking_number(tracking)
        })
        .await
        .map(|_| ())
}

/// Sends one ORD-03 request.
async fn change(
    client: &Client,
    ids: Vec<i64>,
    to: OrderProductStatusChange,
    deadline: Option<&str>,
) -> Result<toss_shopping::types::OrderProductStatusChangeResult, Error> {
    let deadline = deadline.map(str::to_string);
    client
        .change_order_product_status()
        .body_map(|b| {
            let b = b.order_product_ids(ids).status(to);
            match deadline {
                Some(deadline) => b.shipping_deadline_at(deadline),
                None => b,
            }
        })
        .await
}

/// The ids of the partial failures of an ORD-03 answer.
fn failed_ids(result: &toss_shopping::types::OrderProductStatusChangeResult) -> Vec<i64> {
    result
        .failed_reasons
        .iter()
        .filter_map(|reason| match reason {
            FailedReason::FailedReasonDetail(detail) => detail.order_product_id,
            FailedReason::String(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn the_demo_orders_cover_the_common_statuses_with_buyer_data() {
    let (_server, client, clock) = start_at_noon().await;
    let rows = all_rows(&client, &clock).await;
    for wanted in [
        OrderProductStatus::Paid,
        OrderProductStatus::PreparingProduct,
        OrderProductStatus::Delivering,
        OrderProductStatus::Delivered,
        OrderProductStatus::ConfirmedOrder,
        OrderProductStatus::RequestedReturn,
    ] {
        assert!(
            rows.iter()
                .any(|row| row.order_product_status == Some(wanted.clone())),
            "no demo row in {wanted}"
        );
    }
    for row in &rows {
        assert!(row.orderer_phone.as_deref().unwrap().starts_with("0504-"));
        assert!(
            row.receiver_real_phone
                .as_deref()
                .unwrap()
                .starts_with("010-")
        );
        assert!(row.price.unwrap() > 0 && row.ordered_at.is_some());
    }
    // One order holds two products in different statuses.
    let mut order_ids: Vec<i64> = rows.iter().filter_map(|row| row.order_id).collect();
    order_ids.sort();
    assert!(order_ids.windows(2).any(|pair| pair[0] == pair[1]));
    let shipped = rows
        .iter()
        .find(|row| row.order_product_status == Some(OrderProductStatus::Delivering))
        .unwrap();
    assert_eq!(shipped.delivery_company_code.as_deref(), Some("CJ대한통운"));
}

#[tokio::test]
async fn the_list_pages_by_cursor_and_filters_by_status_and_window() {
    let (_server, client, clock) = start_at_noon().await;
    let all = all_rows(&client, &clock).await;
    let today = toss_shopping::window::KstRange::last_days(1, &*clock)
        .unwrap()
        .last();
    let paged: Vec<OrderProduct> = client
        .list_order_products()
        .start_date(today - chrono::Days::new(30))
        .end_date(today)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(paged.len(), all.len());
    assert!(paged.len() > 2);

    let paid = client
        .list_order_products()
        .start_date(today - chrono::Days::new(30))
        .end_date(today)
        .status("PAID")
        .await
        .unwrap();
    assert!(!paid.results.is_empty());
    assert!(
        paid.results
            .iter()
            .all(|row| row.order_product_status == Some(OrderProductStatus::Paid))
    );

    // Only today's orders in a one-day window.
    let today_only = client
        .list_order_products()
        .start_date(today)
        .end_date(today)
        .await
        .unwrap();
    assert!(today_only.results.len() < all.len());
    assert!(
        today_only
            .results
            .iter()
            .all(|row| row.ordered_at.as_ref().unwrap().date_kst() == today)
    );
}

#[tokio::test]
async fn a_window_wider_than_31_days_is_an_invalid_request() {
    let (_server, client, clock) = start_at_noon().await;
    let today = KstRange::last_days(1, &*clock).unwrap().last();
    let wide = client
        .list_order_products()
        .start_date(today - chrono::Days::new(32))
        .end_date(today)
        .await
        .unwrap_err();
    assert_eq!(code(&wide), ErrorCode::InvalidRequest);
    let reversed = client
        .list_order_products()
        .start_date(today)
        .end_date(today - chrono::Days::new(1))
        .await
        .unwrap_err();
    assert_eq!(code(&reversed), ErrorCode::InvalidRequest);
    client
        .list_order_products()
        .start_date(today - chrono::Days::new(31))
        .end_date(today)
        .await
        .unwrap();
}

#[tokio::test]
async fn one_order_product_reads_back_and_an_unknown_one_is_not_found() {
    let (_server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::Paid).await;
    assert_eq!(row(&client, id).await.order_product_id, Some(id));
    let missing = client
        .get_order_product()
        .order_product_id(1)
        .await
        .unwrap_err();
    assert_eq!(code(&missing), ErrorCode::NotFound);
}

#[tokio::test]
async fn an_order_is_confirmed_shipped_delivered_and_confirms_itself_after_seven_days() {
    let (_server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::Paid).await;

    let confirmed = change(
        &client,
        vec![id],
        OrderProductStatusChange::PreparingProduct,
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        (confirmed.total_count, confirmed.failed_count),
        (Some(1), Some(0))
    );
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::PreparingProduct
    );

    ship(&client, id, "601234567890").await.unwrap();
    assert_eq!(status(&client, id).await, OrderProductStatus::Delivering);
    // A second invoice changes the first and keeps the product under way.
    ship(&client, id, "601234567891").await.unwrap();
    let shipped = row(&client, id).await;
    assert_eq!(
        shipped.order_product_status,
        Some(OrderProductStatus::Delivering)
    );
    assert_eq!(
        shipped.shipping_tracking_number.as_deref(),
        Some("601234567891")
    );

    let delivered = change(&client, vec![id], OrderProductStatusChange::Delivered, None)
        .await
        .unwrap();
    assert_eq!(delivered.failed_count, Some(0));
    assert_eq!(status(&client, id).await, OrderProductStatus::Delivered);

    clock.advance(Duration::from_secs(6 * 24 * 3600));
    assert_eq!(status(&client, id).await, OrderProductStatus::Delivered);
    clock.advance(Duration::from_secs(24 * 3600 + 60));
    let done = row(&client, id).await;
    assert_eq!(
        done.order_product_status,
        Some(OrderProductStatus::ConfirmedOrder)
    );
    assert!(done.confirmed_at.is_some());
}

#[tokio::test]
async fn a_status_change_reports_the_ids_that_may_not_move() {
    let (_server, client, clock) = start_at_noon().await;
    let paid = first_in(&client, &clock, OrderProductStatus::Paid).await;
    let delivering = first_in(&client, &clock, OrderProductStatus::Delivering).await;
    let result = change(
        &client,
        vec![paid, delivering, 1],
        OrderProductStatusChange::PreparingProduct,
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        (result.total_count, result.failed_count),
        (Some(3), Some(2))
    );
    assert_eq!(failed_ids(&result), vec![delivering, 1]);
    assert_eq!(
        status(&client, paid).await,
        OrderProductStatus::PreparingProduct
    );
    assert_eq!(
        status(&client, delivering).await,
        OrderProductStatus::Delivering
    );

    // DELIVERED only from DELIVERING; DELIVERING itself is not in the write set.
    let early = change(
        &client,
        vec![paid],
        OrderProductStatusChange::Delivered,
        None,
    )
    .await
    .unwrap();
    assert_eq!(failed_ids(&early), vec![paid]);
    // Cancelling a product under way is not allowed through ORD-03.
    let late = change(
        &client,
        vec![delivering],
        OrderProductStatusChange::CanceledPayment,
        None,
    )
    .await
    .unwrap();
    assert_eq!(failed_ids(&late), vec![delivering]);
}

#[tokio::test]
async fn shipping_is_delayed_once_with_a_deadline_and_the_delayed_product_still_ships() {
    let (_server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::PreparingProduct).await;

    let missing = change(
        &client,
        vec![id],
        OrderProductStatusChange::DelayShipping,
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(code(&missing), ErrorCode::InvalidRequest);

    let delayed = change(
        &client,
        vec![id],
        OrderProductStatusChange::DelayShipping,
        Some("2026-07-25"),
    )
    .await
    .unwrap();
    assert_eq!(delayed.failed_count, Some(0));
    let row_now = row(&client, id).await;
    assert_eq!(
        row_now.order_product_status,
        Some(OrderProductStatus::DelayShipping)
    );
    assert_eq!(
        row_now.shipping_deadline_at.unwrap().to_string(),
        "2026-07-25T23:59:59"
    );

    let again = change(
        &client,
        vec![id],
        OrderProductStatusChange::DelayShipping,
        Some("2026-07-26"),
    )
    .await
    .unwrap();
    assert_eq!(failed_ids(&again), vec![id]);

    let other = first_in(&client, &clock, OrderProductStatus::Paid).await;
    let too_long = change(
        &client,
        vec![other],
        OrderProductStatusChange::DelayShipping,
        Some("2026-09-01"),
    )
    .await
    .unwrap();
    assert_eq!(failed_ids(&too_long), vec![other]);

    ship(&client, id, "601234567890").await.unwrap();
    assert_eq!(status(&client, id).await, OrderProductStatus::Delivering);
}

#[tokio::test]
async fn a_status_change_cancels_once() {
    let (_server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::PreparingProduct).await;
    let first = change(
        &client,
        vec![id],
        OrderProductStatusChange::CanceledPayment,
        None,
    )
    .await
    .unwrap();
    assert_eq!(first.failed_count, Some(0));
    let cancelled = row(&client, id).await;
    assert_eq!(
        cancelled.order_product_status,
        Some(OrderProductStatus::CanceledPayment)
    );
    assert!(cancelled.canceled_at.is_some());
    let second = change(
        &client,
        vec![id],
        OrderProductStatusChange::CanceledPayment,
        None,
    )
    .await
    .unwrap();
    let Some(FailedReason::FailedReasonDetail(detail)) = second.failed_reasons.first() else {
        panic!("expected an object failure");
    };
    assert_eq!(
        detail.reason.as_deref(),
        Some("이미 취소된 주문상품입니다.")
    );
}

#[tokio::test]
async fn an_invoice_needs_a_shippable_product_a_known_courier_and_no_claim() {
    let (_server, client, clock) = start_at_noon().await;
    let paid = first_in(&client, &clock, OrderProductStatus::Paid).await;
    let refused = ship(&client, paid, "601234567890").await.unwrap_err();
    assert_eq!(code(&refused), ErrorCode::BadRequest);
    assert_eq!(
        reason(&refused),
        "주문상품의 상태가 '상품준비중' 혹은 '배송중'이 아닙니다"
    );

    let preparing = first_in(&client, &clock, OrderProductStatus::PreparingProduct).await;
    let courier = client
        .update_order_product_delivery()
        .body_map(|b| {
            b.order_product_id(preparing)
                .delivery_company("CJGLS")
                .tracking_number("601234567890")
        })
        .await
        .unwrap_err();
    assert_eq!(code(&courier), ErrorCode::InvalidRequest);
    assert_eq!(
        status(&client, preparing).await,
        OrderProductStatus::PreparingProduct
    );

    let unknown = ship(&client, 1, "601234567890").await.unwrap_err();
    assert_eq!(code(&unknown), ErrorCode::NotFound);

    let returning = first_in(&client, &clock, OrderProductStatus::RequestedReturn).await;
    let during_claim = ship(&client, returning, "601234567890").await.unwrap_err();
    assert_eq!(code(&during_claim), ErrorCode::BadRequest);
}

#[tokio::test]
async fn the_seller_cancels_at_once_with_a_penalty_but_not_twice() {
    let (_server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::Delivering).await;
    let cancel = || {
        client
            .seller_cancel_order_product()
            .order_product_id(id)
            .body_map(|b| {
                b.delivery_penalty_charger(DeliveryPenaltyChargerKnown::Merchant)
                    .reason("재고 부족")
            })
    };
    cancel().await.unwrap();
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::CanceledPayment
    );
    let twice = cancel().await.unwrap_err();
    assert_eq!(code(&twice), ErrorCode::BadRequest);

    let unknown = client
        .seller_cancel_order_product()
        .order_product_id(1)
        .body_map(|b| {
            b.delivery_penalty_charger(DeliveryPenaltyChargerKnown::User)
                .reason("재고 부족")
        })
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), ErrorCode::NotFound);
}

#[tokio::test]
async fn settlements_list_product_and_delivery_fee_lines_of_confirmed_orders() {
    let (_server, client, clock) = start_at_noon().await;
    let range = KstRange::last_days(31, &*clock).unwrap();
    let lines: Vec<_> = client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .size(1)
        .windows(range)
        .try_collect()
        .await
        .unwrap();
    // One window, one page of one line until the SDK's window streams follow the pages.
    assert!(!lines.is_empty());

    let today = range.last();
    let all: Vec<_> = client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .from_date(today - chrono::Days::new(30))
        .to_date(today)
        .size(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(all.len() >= 3, "two products and a delivery fee");
    let fee = all
        .iter()
        .find(|line| line.order_product_id.is_none())
        .unwrap();
    assert_eq!(fee.display_product_name.as_deref(), Some("배송비"));
    assert_eq!(fee.delivery_fee_amount, Some(3_000));
    for line in &all {
        let parts = line.order_product_price.unwrap()
            + line.delivery_fee_amount.unwrap()
            + line.pay_fee.unwrap()
            + line.pay_vat.unwrap()
            + line.product_fee.unwrap()
            + line.product_vat.unwrap();
        assert_eq!(line.settlement_amount, Some(parts));
        assert_eq!(
            line.order_product_status,
            Some(OrderProductStatus::ConfirmedOrder)
        );
    }

    let wide = client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .from_date(today - chrono::Days::new(40))
        .to_date(today)
        .size(10)
        .await
        .unwrap_err();
    assert_eq!(code(&wide), ErrorCode::InvalidRequest);
}

#[tokio::test]
async fn a_confirmation_books_its_settlement_line() {
    let (_server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::Delivered).await;
    clock.advance(Duration::from_secs(7 * 24 * 3600));
    assert_eq!(
        status(&client, id).await,
        OrderProductStatus::ConfirmedOrder
    );
    let range = KstRange::last_days(31, &*clock).unwrap();
    let lines: Vec<_> = client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .from_date(range.last() - chrono::Days::new(20))
        .to_date(range.last() + chrono::Days::new(7))
        .size(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(lines.iter().any(|line| line.order_product_id == Some(id)));
}

#[tokio::test]
async fn the_buyer_cancels_a_paid_order_at_once_and_the_carrier_delivers() {
    let (server, client, clock) = start_at_noon().await;
    let paid = first_in(&client, &clock, OrderProductStatus::Paid).await;
    assert_eq!(server.buyer().cancel(paid).unwrap(), None);
    assert_eq!(
        status(&client, paid).await,
        OrderProductStatus::CanceledPayment
    );
    assert!(server.buyer().cancel(paid).is_err());

    let delivering = first_in(&client, &clock, OrderProductStatus::Delivering).await;
    server.buyer().deliver(delivering).unwrap();
    assert_eq!(
        status(&client, delivering).await,
        OrderProductStatus::Delivered
    );
    assert_eq!(
        server.buyer().deliver(delivering).unwrap_err().code(),
        "BAD_REQUEST"
    );
    assert_eq!(server.buyer().deliver(1).unwrap_err().code(), "NOT_FOUND");
}

#[tokio::test]
async fn a_placed_order_is_paid_and_listed() {
    let (server, client, clock) = start_at_noon().await;
    let item = all_rows(&client, &clock).await[0].stock_id.unwrap();
    let placed = server.buyer().place_order(item, 2).unwrap();
    let placed_row = row(&client, placed.order_product_id).await;
    assert_eq!(
        placed_row.order_product_status,
        Some(OrderProductStatus::Paid)
    );
    assert_eq!(placed_row.order_id, Some(placed.order_id));
    assert_eq!(placed_row.quantity, Some(2));
    assert_eq!(
        server.buyer().place_order(item, 0).unwrap_err().code(),
        "BAD_REQUEST"
    );
    assert_eq!(
        server.buyer().place_order(1, 1).unwrap_err().code(),
        "NOT_FOUND"
    );
}

/// The demo buyers' names, phones, addresses and memos are served and decoded, and none of
/// them shows in the `Debug` of a row (`x-toss-personal` in the spec).
#[tokio::test]
async fn served_rows_keep_buyer_data_out_of_debug() {
    let (_server, client, clock) = start_at_noon().await;
    let rows = all_rows(&client, &clock).await;
    assert!(rows.len() >= 6, "every demo buyer has a row");
    for row in &rows {
        let personal = [
            &row.orderer_name,
            &row.orderer_phone,
            &row.orderer_real_phone,
            &row.receiver_name,
            &row.receiver_phone,
            &row.receiver_real_phone,
            &row.address,
            &row.detail_address,
            &row.zip_code,
            &row.shipping_note,
        ];
        assert!(row.orderer_phone.is_some() && row.address.is_some());
        for shown in [format!("{row:?}"), format!("{row:#?}")] {
            for value in personal.iter().copied().flatten().filter(|v| !v.is_empty()) {
                assert!(!shown.contains(value.as_str()), "{value} in {shown}");
            }
            assert!(
                !shown.contains("010-") && !shown.contains("0504-"),
                "{shown}"
            );
            let id = row.order_product_id.unwrap();
            assert!(shown.contains(&id.to_string()), "{shown}");
            assert!(shown.contains("orderer_name: Some("), "{shown}");
        }
    }
}
