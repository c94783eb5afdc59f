//! Date windows: `.windows(range)` sends each window of a long range in order, with the
//! builder's other filters, and drops a row that two adjacent windows both return.

use std::time::SystemTime;

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use toss_shopping::api::builder::{ListClaims, ListOrderProducts, ListSettlementSteps};
use toss_shopping::auth::ManualClock;
use toss_shopping::types::{ClaimStatusKnown, ClaimTypeKnown, OrderStatusFilter};
use toss_shopping::window::{KstRange, WindowedRequest};
use toss_shopping::{Error, ErrorCode, operation};

use crate::support::{Harness, fail, ok};

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("valid date")
}

/// A manual clock standing at an RFC 3339 instant.
fn at(instant: &str) -> ManualClock {
    let instant = DateTime::parse_from_rfc3339(instant).expect("RFC 3339");
    ManualClock::at(SystemTime::from(instant.with_timezone(&Utc)))
}

/// An order row; only the id and the product name matter here.
fn order_row(id: i64) -> Value {
    json!({"orderId": id * 10, "orderProductId": id, "productName": format!("product {id}"),
           "orderedAt": "2026-05-13T23:10:00", "orderProductStatus": "PAID"})
}

/// The `(name, value)` pairs of the given names, in request order, for every request received.
async fn sent_dates(h: &Harness, from: &str, to: &str) -> Vec<(String, String)> {
    let requests = h.server.received_requests().await.expect("recording on");
    requests
        .iter()
        .map(|request| {
            let value = |name: &str| {
                request
                    .url
                    .query_pairs()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
                    .unwrap_or_default()
            };
            (value(from), value(to))
        })
        .collect()
}

fn pairs(dates: &[(&str, &str)]) -> Vec<(String, String)> {
    dates
        .iter()
        .map(|(from, to)| (from.to_string(), to.to_string()))
        .collect()
}

#[tokio::test]
async fn a_90_day_order_export_sends_each_window_in_order_and_drops_repeated_rows() {
    let h = Harness::start().await;
    // 15:30 UTC on 10 July is already 11 July in Korea: the export ends on 11 July.
    let range = KstRange::last_days(90, &at("2026-07-10T15:30:00Z")).expect("range");
    assert_eq!((range.first(), range.last()), (date(4, 13), date(7, 11)));
    // Rows 2 and 4 lie on the boundary dates, so two windows return each of them.
    let windows = [
        ("2026-04-13", "2026-05-13", vec![1, 2]),
        ("2026-05-13", "2026-06-12", vec![2, 3, 4]),
        ("2026-06-12", "2026-07-11", vec![4, 5]),
    ];
    for (from, to, rows) in &windows {
        let query = [
            ("startDate", *from),
            ("endDate", *to),
            ("status", "PAID"),
            ("limit", "50"),
        ];
        let page = json!({"results": rows.iter().map(|id| order_row(*id)).collect::<Vec<_>>()});
        h.expect("GET", "/orders/v2", &query, ok(page)).await;
    }

    let rows: Vec<_> = h
        .client
        .list_order_products()
        .status(OrderStatusFilter::Paid)
        .limit(50)
        .windows(range)
        .try_collect()
        .await
        .expect("every window");

    let ids: Vec<_> = rows.iter().map(|row| row.order_product_id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5].map(Some));
    assert_eq!(rows[1].product_name.as_deref(), Some("product 2"));
    assert_eq!(
        sent_dates(&h, "startDate", "endDate").await,
        pairs(&[
            ("2026-04-13", "2026-05-13"),
            ("2026-05-13", "2026-06-12"),
            ("2026-06-12", "2026-07-11"),
        ])
    );
}

#[tokio::test]
async fn claims_without_an_id_are_matched_by_their_content() {
    let h = Harness::start().await;
    // A claims page was seen live whose items had no `id`.
    let claim = |id: Option<i64>, reason: &str| {
        let mut claim = json!({"requestedDt": "2026-07-07T18:00:00", "type": "CANCEL",
                               "status": "REQUESTED", "requestReason": reason});
        if let Some(id) = id {
            claim["id"] = json!(id);
        }
        claim
    };
    let (with_id, boundary, other) = (
        claim(Some(11), "구매 의사 취소"),
        claim(None, "상품 불량"),
        claim(None, "배송 지연"),
    );
    let windows = [
        ("2026-07-01", "2026-07-07", vec![with_id.clone()]),
        (
            "2026-07-07",
            "2026-07-13",
            vec![with_id.clone(), boundary.clone()],
        ),
        ("2026-07-13", "2026-07-14", vec![boundary.clone(), other]),
    ];
    for (from, to, items) in windows {
        let query = [
            ("fromRequestDate", from),
            ("toRequestDate", to),
            ("type", "CANCEL"),
            ("status", "REQUESTED"),
            ("size", "100"),
        ];
        let page = json!({"items": items, "hasNext": false, "nextToken": null});
        h.expect("GET", "/claims", &query, ok(page)).await;
    }

    let range = KstRange::new(date(7, 1), date(7, 14)).expect("range");
    let claims: Vec<_> = h
        .client
        .list_claims()
        .type_(ClaimTypeKnown::Cancel)
        .status(ClaimStatusKnown::Requested)
        .size(100)
        .windows(range)
        .try_collect()
        .await
        .expect("every window");

    let seen: Vec<_> = claims
        .iter()
        .map(|c| (c.id, c.request_reason.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            (Some(11), Some("구매 의사 취소")),
            (None, Some("상품 불량")),
            (None, Some("배송 지연")),
        ]
    );
    assert_eq!(
        sent_dates(&h, "fromRequestDate", "toRequestDate").await,
        pairs(&[
            ("2026-07-01", "2026-07-07"),
            ("2026-07-07", "2026-07-13"),
            ("2026-07-13", "2026-07-14"),
        ])
    );
}

#[tokio::test]
async fn settlement_lines_are_matched_by_their_whole_content() {
    let h = Harness::start().await;
    let line = |step: &str, amount: i64| {
        json!({"orderId": 98765, "orderProductId": 271684435, "displayProductName": "사과 2kg",
               "settlementAmount": amount, "payoutBaseDate": "2026-07-31", "stepType": step})
    };
    let delivery_fee = json!({"orderId": 98765, "orderProductId": null,
        "displayProductName": "배송비", "settlementAmount": 2901, "payoutBaseDate": "2026-07-31"});
    let windows = [
        // Two identical delivery-fee lines in one window are two lines: both stay.
        (
            "2026-07-01",
            "2026-07-31",
            vec![
                line("PAYOUT_SCHEDULED", 17492),
                delivery_fee.clone(),
                delivery_fee.clone(),
            ],
        ),
        // The boundary date's lines come again; a second line of the same order product
        // with another step is a line of its own.
        (
            "2026-07-31",
            "2026-08-15",
            vec![
                line("PAYOUT_SCHEDULED", 17492),
                delivery_fee.clone(),
                delivery_fee,
                line("CANCEL_ADJUSTED", -17492),
            ],
        ),
    ];
    for (from, to, items) in windows {
        let query = [
            ("dateCondition", "PAYOUT_BASE_DATE"),
            ("fromDate", from),
            ("toDate", to),
            ("size", "100"),
        ];
        h.expect(
            "GET",
            "/settlement-steps",
            &query,
            ok(json!({"items": items})),
        )
        .await;
    }

    let range = KstRange::new(date(7, 1), date(8, 15)).expect("range");
    let lines: Vec<_> = h
        .client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .size(100)
        .windows(range)
        .try_collect()
        .await
        .expect("every window");

    let amounts: Vec<_> = lines.iter().map(|l| l.settlement_amount).collect();
    assert_eq!(amounts, [17492, 2901, 2901, -17492].map(Some));
    assert_eq!(
        sent_dates(&h, "fromDate", "toDate").await,
        pairs(&[("2026-07-01", "2026-07-31"), ("2026-07-31", "2026-08-15")])
    );
}

#[tokio::test]
async fn the_first_error_ends_the_stream_and_no_later_window_is_sent() {
    let h = Harness::start().await;
    let window = |from, to| [("fromRequestDate", from), ("toRequestDate", to)];
    let first = json!({"items": [{"id": 11, "requestReason": "구매 의사 취소"}], "hasNext": false});
    h.expect(
        "GET",
        "/claims",
        &window("2026-07-01", "2026-07-07"),
        ok(first),
    )
    .await;
    h.expect(
        "GET",
        "/claims",
        &window("2026-07-07", "2026-07-13"),
        fail("INVALID_REQUEST", "조회 기간이 올바르지 않습니다."),
    )
    .await;
    // The third window (13 to 14 July) must not be sent: the harness fails on any request
    // no mock expects.

    let range = KstRange::new(date(7, 1), date(7, 14)).expect("range");
    let mut claims = h.client.list_claims().windows(range);
    let claim = claims.next().await.expect("an item").expect("a claim");
    assert_eq!(claim.id, Some(11));
    match claims.next().await {
        Some(Err(Error::Api(api))) => assert_eq!(api.code, ErrorCode::InvalidRequest),
        other => panic!("expected the second window's error, got {other:?}"),
    }
    assert!(claims.next().await.is_none(), "the error ends the stream");
    assert_eq!(h.server.received_requests().await.map(|r| r.len()), Some(2));
}

#[test]
fn each_builder_windows_as_the_operations_table_says() {
    let table = |id: &str| operation::find(id).and_then(|op| op.window);
    assert_eq!(
        table("list_order_products"),
        Some(<ListOrderProducts<'_> as WindowedRequest<'_>>::DATE_WINDOW)
    );
    assert_eq!(
        table("list_claims"),
        Some(<ListClaims<'_> as WindowedRequest<'_>>::DATE_WINDOW)
    );
    assert_eq!(
        table("list_settlement_steps"),
        Some(<ListSettlementSteps<'_> as WindowedRequest<'_>>::DATE_WINDOW)
    );
    let windowed: Vec<_> = toss_shopping::operations()
        .iter()
        .filter_map(|op| Some((op.operation_id, op.window?.max_days, op.max_window_days?)))
        .collect();
    assert_eq!(
        windowed,
        [
            ("list_claims", 7, 7),
            ("list_order_products", 31, 31),
            ("list_settlement_steps", 31, 31),
        ]
    );
}

#[tokio::test]
async fn every_page_of_a_window_is_read_before_the_next_window() {
    let h = Harness::start().await;
    let range = KstRange::new(date(6, 1), date(7, 10)).expect("range");
    let window = |from, to| [("startDate", from), ("endDate", to)];
    let first = json!({"results": [order_row(1), order_row(2)], "nextCursor": "c1"});
    let second = json!({"results": [order_row(3)], "nextCursor": null});
    let last = json!({"results": [order_row(3), order_row(4)]});
    h.expect(
        "GET",
        "/orders/v2",
        &window("2026-06-01", "2026-07-01"),
        ok(first),
    )
    .await;
    let with_cursor = [
        ("startDate", "2026-06-01"),
        ("endDate", "2026-07-01"),
        ("nextCursor", "c1"),
    ];
    h.expect("GET", "/orders/v2", &with_cursor, ok(second))
        .await;
    h.expect(
        "GET",
        "/orders/v2",
        &window("2026-07-01", "2026-07-10"),
        ok(last),
    )
    .await;
    let rows: Vec<_> = h
        .client
        .list_order_products()
        .windows(range)
        .try_collect()
        .await
        .expect("every page of every window");
    let ids: Vec<_> = rows.iter().map(|r| r.order_product_id).collect();
    assert_eq!(
        ids,
        [Some(1), Some(2), Some(3), Some(4)],
        "row 3 of the shared date once"
    );
}
