//! Pagination streams: `.pages()` and `.stream()` of every paging dialect, their loop guards,
//! their limits, and what they do where the vendor documents no way to the next page.
//!
//! Every page is a mock with its exact query (cursor, re-sent filters, page size), expected a
//! fixed number of times; the catch-all fails any request no mock expects.

use chrono::NaiveDate;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use toss_shopping::paging::{Cursor, PagingError};
use toss_shopping::types::{ClaimStatusKnown, ClaimTypeKnown, OrderStatusFilter};
use toss_shopping::{Error, ErrorCode};
use wiremock::matchers::{bearer_token, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{ExactQuery, Harness, PREFIX, TOKEN, assert_nothing_sent, fail, ok};

const ORDERS: &str = "/orders/v2";
const ORDER_FILTERS: [(&str, &str); 4] = [
    ("startDate", "2026-07-01"),
    ("endDate", "2026-07-07"),
    ("status", "PAID"),
    ("limit", "2"),
];

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, d).expect("valid date")
}

/// Expects `GET route` with exactly `query` (the filters plus any extra pairs) `times` times.
async fn page(
    h: &Harness,
    route: &str,
    query: &[(&str, &str)],
    answer: ResponseTemplate,
    times: u64,
) {
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}{route}")))
        .and(ExactQuery::new(query))
        .and(bearer_token(TOKEN))
        .respond_with(answer)
        .expect(times)
        .named(format!("GET {route} {query:?}"))
        .mount(&h.server)
        .await;
}

/// `filters` followed by `extra`.
fn with<'q>(
    filters: &[(&'q str, &'q str)],
    extra: &[(&'q str, &'q str)],
) -> Vec<(&'q str, &'q str)> {
    filters.iter().chain(extra).copied().collect()
}

fn order(id: i64) -> Value {
    json!({"orderId": id, "orderProductId": id * 10, "productName": "사과 2kg", "quantity": 1,
           "price": 19900, "orderProductStatus": "PAID", "orderedAt": "2026-07-02T10:00:00"})
}

fn orders_request(h: &Harness) -> toss_shopping::api::builder::ListOrderProducts<'_> {
    h.client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(7))
        .status(OrderStatusFilter::Paid)
        .limit(2)
}

/// Three order pages: `c2` and `c3` lead on, the third has no cursor.
async fn three_order_pages(h: &Harness, third_page_times: u64) {
    let answers = [
        (
            None,
            json!({"results": [order(1), order(2)], "nextCursor": "c2"}),
            1,
        ),
        (
            Some("c2"),
            json!({"results": [order(3), order(4)], "nextCursor": "c3"}),
            1,
        ),
        (
            Some("c3"),
            json!({"results": [order(5)], "nextCursor": null}),
            third_page_times,
        ),
    ];
    for (cursor, answer, times) in answers {
        let extra: Vec<(&str, &str)> = cursor.map(|c| ("nextCursor", c)).into_iter().collect();
        page(h, ORDERS, &with(&ORDER_FILTERS, &extra), ok(answer), times).await;
    }
}

fn paging_error(outcome: Option<Result<impl std::fmt::Debug, Error>>) -> PagingError {
    match outcome {
        Some(Err(Error::Paging(error))) => *error,
        other => panic!("expected Error::Paging, got {other:?}"),
    }
}

#[tokio::test]
async fn orders_stream_every_item_across_pages_with_the_filters_and_limit_resent() {
    let h = Harness::start().await;
    three_order_pages(&h, 1).await;
    let rows: Vec<_> = orders_request(&h)
        .stream()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<Option<i64>> = rows.iter().map(|row| row.order_id).collect();
    assert_eq!(ids, [Some(1), Some(2), Some(3), Some(4), Some(5)]);
}

#[tokio::test]
async fn product_pages_follow_next_token_until_has_next_is_false() {
    let h = Harness::start().await;
    let filters = [
        ("regStartDate", "2026-07-01"),
        ("regEndDate", "2026-07-31"),
        ("productIds", "1,2,3,4,5"),
        ("size", "2"),
    ];
    let product = |id: i64| json!({"id": id, "name": format!("상품 {id}"), "salePrice": 1000});
    let answers = [
        (
            None,
            json!({"products": [product(1), product(2)], "nextToken": "t2", "hasNext": true}),
        ),
        (
            Some("t2"),
            json!({"products": [product(3), product(4)], "nextToken": "t3", "hasNext": true}),
        ),
        // `hasNext: false` ends the list even though a token is present.
        (
            Some("t3"),
            json!({"products": [product(5)], "nextToken": "t4", "hasNext": false}),
        ),
    ];
    for (token, answer) in answers {
        let extra: Vec<(&str, &str)> = token.map(|t| ("nextToken", t)).into_iter().collect();
        page(&h, "/products/v2", &with(&filters, &extra), ok(answer), 1).await;
    }
    let pages: Vec<_> = h
        .client
        .list_products()
        .reg_start_date("2026-07-01")
        .reg_end_date("2026-07-31")
        .product_ids("1,2,3,4,5")
        .size(2)
        .pages()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(pages.len(), 3);
    let ids: Vec<Option<i64>> = pages
        .iter()
        .flat_map(|page| page.products.iter().map(|p| p.id))
        .collect();
    assert_eq!(ids, [Some(1), Some(2), Some(3), Some(4), Some(5)]);
    assert_eq!(pages[2].has_next, Some(false));
}

#[tokio::test]
async fn claims_stream_resends_every_filter_with_next_token() {
    let h = Harness::start().await;
    let filters = [
        ("type", "RETURN"),
        ("status", "REQUESTED"),
        ("fromRequestDate", "2026-07-11"),
        ("toRequestDate", "2026-07-17"),
        ("size", "1"),
    ];
    let claim = |id: i64| {
        json!({"id": id, "requestedDt": "2026-07-16T09:41:27", "type": "RETURN", "status": "REQUESTED",
               "order": {"id": 98765, "orderProductId": id + 1}})
    };
    let answers = [
        (
            None,
            json!({"items": [claim(101)], "hasNext": true, "nextToken": "k2"}),
        ),
        (
            Some("k2"),
            json!({"items": [claim(102)], "hasNext": true, "nextToken": "k3"}),
        ),
        (
            Some("k3"),
            json!({"items": [claim(103)], "hasNext": false, "nextToken": null}),
        ),
    ];
    for (token, answer) in answers {
        let extra: Vec<(&str, &str)> = token.map(|t| ("nextToken", t)).into_iter().collect();
        page(&h, "/claims", &with(&filters, &extra), ok(answer), 1).await;
    }
    let claims: Vec<_> = h
        .client
        .list_claims()
        .type_(ClaimTypeKnown::Return)
        .status(ClaimStatusKnown::Requested)
        .from_request_date(day(11))
        .to_request_date(day(17))
        .size(1)
        .stream()
        .try_collect()
        .await
        .expect("every claim");
    let ids: Vec<Option<i64>> = claims.iter().map(|claim| claim.id).collect();
    assert_eq!(ids, [Some(101), Some(102), Some(103)]);
}

#[tokio::test]
async fn settlements_follow_next_token_without_has_next_until_it_is_absent() {
    let h = Harness::start().await;
    let filters = [
        ("dateCondition", "PAYOUT_BASE_DATE"),
        ("fromDate", "2026-07-01"),
        ("toDate", "2026-07-31"),
        ("size", "100"),
    ];
    let line = |id: i64| json!({"orderId": id, "displayProductName": "사과 2kg", "settlementAmount": 17492});
    let answers = [
        (
            None,
            json!({"items": [line(1), line(2)], "nextToken": "s2"}),
        ),
        (Some("s2"), json!({"items": [line(3)], "nextToken": "s3"})),
        // The last page leaves the token out altogether.
        (Some("s3"), json!({"items": [line(4)]})),
    ];
    for (token, answer) in answers {
        let extra: Vec<(&str, &str)> = token.map(|t| ("nextToken", t)).into_iter().collect();
        page(
            &h,
            "/settlement-steps",
            &with(&filters, &extra),
            ok(answer),
            1,
        )
        .await;
    }
    let lines: Vec<_> = h
        .client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .from_date(day(1))
        .to_date(day(31))
        .size(100)
        .stream()
        .try_collect()
        .await
        .expect("every line");
    let ids: Vec<Option<i64>> = lines.iter().map(|line| line.order_id).collect();
    assert_eq!(ids, [Some(1), Some(2), Some(3), Some(4)]);
}

#[tokio::test]
async fn product_items_follow_a_numeric_cursor_as_cursor_item_id() {
    let h = Harness::start().await;
    let route = "/products/1234567/product-items";
    let filters = [("pageSize", "2"), ("itemStatuses", "ON_SALE,SOLD_OUT")];
    let item = |id: i64| json!({"itemId": id, "itemName": "30포", "salePrice": 29900, "itemStatus": "ON_SALE"});
    let answers = [
        (
            None,
            json!({"items": [item(990021), item(990022)], "hasNext": true, "nextCursor": 990022}),
        ),
        (
            Some("990022"),
            json!({"items": [item(990023), item(990024)], "hasNext": true, "nextCursor": 990024}),
        ),
        (
            Some("990024"),
            json!({"items": [item(990025)], "hasNext": false, "nextCursor": null}),
        ),
    ];
    for (cursor, answer) in answers {
        let extra: Vec<(&str, &str)> = cursor.map(|c| ("cursorItemId", c)).into_iter().collect();
        page(&h, route, &with(&filters, &extra), ok(answer), 1).await;
    }
    let items: Vec<_> = h
        .client
        .list_product_items()
        .product_id(1234567)
        .page_size(2)
        .item_statuses("ON_SALE,SOLD_OUT")
        .stream()
        .try_collect()
        .await
        .expect("every item");
    let ids: Vec<Option<i64>> = items.iter().map(|item| item.item_id).collect();
    assert_eq!(
        ids,
        [
            Some(990021),
            Some(990022),
            Some(990023),
            Some(990024),
            Some(990025)
        ]
    );
}

#[tokio::test]
async fn delivery_fee_groups_and_exchange_refund_locations_stream_with_next_token() {
    let h = Harness::start().await;
    for route in [
        "/merchants/group-delivery/delivery-location/v2",
        "/merchants/group-delivery/exchange-refund-location/v2",
    ] {
        let entry = |id: i64| json!({"id": id, "isMain": id == 1});
        page(
            &h,
            route,
            &[("size", "1")],
            ok(json!({"items": [entry(1)], "hasNext": true, "nextToken": "g2"})),
            1,
        )
        .await;
        page(
            &h,
            route,
            &[("size", "1"), ("nextToken", "g2")],
            ok(json!({"items": [entry(2)], "hasNext": false})),
            1,
        )
        .await;
    }
    let groups: Vec<_> = h
        .client
        .list_delivery_fee_groups()
        .size(1)
        .stream()
        .try_collect()
        .await
        .expect("every group");
    assert_eq!(
        groups.iter().map(|g| g.id).collect::<Vec<_>>(),
        [Some(1), Some(2)]
    );
    let locations: Vec<_> = h
        .client
        .list_exchange_refund_locations()
        .size(1)
        .stream()
        .try_collect()
        .await
        .expect("every location");
    assert_eq!(locations.len(), 2);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let h = Harness::start().await;
    let answers = [
        (None, json!({"results": [order(1)], "nextCursor": "c2"})),
        (
            Some("c2"),
            json!({"results": [order(2)], "nextCursor": "c3"}),
        ),
        // Back to a cursor the first page gave: following it would loop.
        (
            Some("c3"),
            json!({"results": [order(3)], "nextCursor": "c2"}),
        ),
    ];
    for (cursor, answer) in answers {
        let extra: Vec<(&str, &str)> = cursor.map(|c| ("nextCursor", c)).into_iter().collect();
        page(&h, ORDERS, &with(&ORDER_FILTERS, &extra), ok(answer), 1).await;
    }
    let mut rows = orders_request(&h).stream();
    for id in 1..=3 {
        let row = rows.next().await.expect("an item").expect("a row");
        assert_eq!(row.order_id, Some(id));
    }
    let error = paging_error(rows.next().await);
    assert_eq!(
        error,
        PagingError::RepeatedCursor {
            operation: "list_order_products",
            page: 3,
            cursor: Cursor::Text("c2".into()),
        }
    );
    assert!(
        error
            .to_string()
            .contains("page 3 returned the cursor \"c2\""),
        "{error}"
    );
    assert!(rows.next().await.is_none());
    assert_eq!(rows.pages_received(), 3);
}

#[tokio::test]
async fn a_numeric_cursor_returned_twice_in_a_row_ends_the_stream() {
    let h = Harness::start().await;
    let route = "/products/1234567/product-items";
    let item = |id: i64| json!({"itemId": id});
    page(
        &h,
        route,
        &[],
        ok(json!({"items": [item(1)], "hasNext": true, "nextCursor": 7})),
        1,
    )
    .await;
    page(
        &h,
        route,
        &[("cursorItemId", "7")],
        ok(json!({"items": [item(2)], "hasNext": true, "nextCursor": 7})),
        1,
    )
    .await;
    let mut pages = h.client.list_product_items().product_id(1234567).pages();
    assert!(pages.next().await.expect("page 1").is_ok());
    assert!(pages.next().await.expect("page 2").is_ok());
    let error = paging_error(pages.next().await);
    assert!(matches!(
        error,
        PagingError::RepeatedCursor {
            page: 2,
            cursor: Cursor::Number(7),
            ..
        }
    ));
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn an_empty_page_that_says_more_follow_ends_the_stream_with_an_error() {
    let h = Harness::start().await;
    let filters = [("size", "1")];
    let claim = json!({"id": 101, "type": "CANCEL", "status": "REQUESTED"});
    page(
        &h,
        "/claims",
        &filters,
        ok(json!({"items": [claim], "hasNext": true, "nextToken": "k2"})),
        1,
    )
    .await;
    page(
        &h,
        "/claims",
        &with(&filters, &[("nextToken", "k2")]),
        ok(json!({"items": [], "hasNext": true, "nextToken": "k3"})),
        1,
    )
    .await;
    let mut pages = h.client.list_claims().size(1).pages();
    assert_eq!(
        pages.next().await.expect("page 1").expect("ok").items.len(),
        1
    );
    assert!(
        pages
            .next()
            .await
            .expect("page 2")
            .expect("ok")
            .items
            .is_empty()
    );
    let error = paging_error(pages.next().await);
    assert_eq!(
        error,
        PagingError::EmptyPage {
            operation: "list_claims",
            page: 2
        }
    );
    assert!(pages.next().await.is_none());

    // Without `hasNext`, a cursor on an empty page says "more" just the same.
    let h = Harness::start().await;
    page(
        &h,
        ORDERS,
        &ORDER_FILTERS,
        ok(json!({"results": [], "nextCursor": "c2"})),
        1,
    )
    .await;
    let mut rows = orders_request(&h).stream();
    let error = paging_error(rows.next().await);
    assert!(
        matches!(error, PagingError::EmptyPage { page: 1, .. }),
        "{error:?}"
    );
    assert!(rows.next().await.is_none());
}

#[tokio::test]
async fn has_next_without_a_cursor_ends_the_stream_with_an_error() {
    let h = Harness::start().await;
    let route = "/merchants/group-delivery/delivery-location/v2";
    page(
        &h,
        route,
        &[],
        ok(json!({"items": [{"id": 1}], "hasNext": true, "nextToken": null})),
        1,
    )
    .await;
    let mut groups = h.client.list_delivery_fee_groups().stream();
    assert_eq!(
        groups.next().await.expect("item").expect("group").id,
        Some(1)
    );
    let error = paging_error(groups.next().await);
    assert_eq!(
        error,
        PagingError::MissingCursor {
            operation: "list_delivery_fee_groups",
            page: 1
        }
    );
    assert!(groups.next().await.is_none());
}

#[tokio::test]
async fn an_empty_last_page_ends_the_stream_normally() {
    let h = Harness::start().await;
    page(
        &h,
        "/claims",
        &[],
        ok(json!({"items": [], "hasNext": false, "nextToken": null})),
        1,
    )
    .await;
    let claims: Vec<_> = h
        .client
        .list_claims()
        .stream()
        .try_collect()
        .await
        .expect("no claims");
    assert!(claims.is_empty());
}

#[tokio::test]
async fn max_pages_stops_without_requesting_another_page() {
    let h = Harness::start().await;
    three_order_pages(&h, 0).await;
    let pages: Vec<_> = orders_request(&h)
        .pages()
        .max_pages(2)
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(pages.len(), 2);

    let h = Harness::start().await;
    let nothing: Vec<_> = orders_request(&h)
        .pages()
        .max_pages(0)
        .try_collect()
        .await
        .expect("none");
    assert!(nothing.is_empty());
    assert_nothing_sent(&h).await;
}

#[tokio::test]
async fn max_items_stops_without_requesting_another_page() {
    // Three items: the first two pages are needed, the third never requested.
    let h = Harness::start().await;
    three_order_pages(&h, 0).await;
    let mut rows = orders_request(&h).stream().max_items(3);
    let mut ids = Vec::new();
    while let Some(row) = rows.try_next().await.expect("rows") {
        ids.push(row.order_id);
    }
    assert_eq!(ids, [Some(1), Some(2), Some(3)]);
    assert_eq!(rows.pages_received(), 2);
    assert!(futures_util::stream::FusedStream::is_terminated(&rows));

    // Exactly one page's worth: the second page is never requested.
    let h = Harness::start().await;
    page(
        &h,
        ORDERS,
        &ORDER_FILTERS,
        ok(json!({"results": [order(1), order(2)], "nextCursor": "c2"})),
        1,
    )
    .await;
    page(
        &h,
        ORDERS,
        &with(&ORDER_FILTERS, &[("nextCursor", "c2")]),
        ok(json!({"results": []})),
        0,
    )
    .await;
    let rows: Vec<_> = orders_request(&h)
        .stream()
        .max_items(2)
        .try_collect()
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);

    // A page limit on the item stream.
    let h = Harness::start().await;
    three_order_pages(&h, 0).await;
    let rows: Vec<_> = orders_request(&h)
        .stream()
        .max_pages(2)
        .try_collect()
        .await
        .expect("rows");
    assert_eq!(rows.len(), 4);
}

#[tokio::test]
async fn a_fail_envelope_mid_stream_is_yielded_and_ends_the_stream() {
    let h = Harness::start().await;
    page(
        &h,
        ORDERS,
        &ORDER_FILTERS,
        ok(json!({"results": [order(1), order(2)], "nextCursor": "c2"})),
        1,
    )
    .await;
    page(
        &h,
        ORDERS,
        &with(&ORDER_FILTERS, &[("nextCursor", "c2")]),
        fail("NOT_FOUND", "없음"),
        1,
    )
    .await;
    page(
        &h,
        ORDERS,
        &with(&ORDER_FILTERS, &[("nextCursor", "c3")]),
        ok(json!({"results": []})),
        0,
    )
    .await;
    let mut rows = orders_request(&h).stream();
    assert!(rows.next().await.expect("row 1").is_ok());
    assert!(rows.next().await.expect("row 2").is_ok());
    match rows.next().await {
        Some(Err(Error::Api(api))) => {
            assert_eq!(api.code, ErrorCode::NotFound);
            assert_eq!(api.operation, "list_order_products");
        }
        other => panic!("expected the page's Error::Api, got {other:?}"),
    }
    assert!(rows.next().await.is_none());
    assert!(rows.next().await.is_none());
}

#[tokio::test]
async fn a_request_refused_before_sending_ends_the_stream() {
    let h = Harness::start().await;
    // `end_date` is required.
    let mut rows = h.client.list_order_products().start_date(day(1)).stream();
    match rows.next().await {
        Some(Err(Error::InvalidRequest(invalid))) => assert_eq!(invalid.field, "end_date"),
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    assert!(rows.next().await.is_none());
    assert_nothing_sent(&h).await;
}

#[tokio::test]
async fn without_a_documented_cursor_only_the_first_page_is_read() {
    // `list_items_grouped_by_products` documents its items but no response cursor; the answer
    // below carries a `nextCursor` anyway, which the stream must not guess is the way on.
    let h = Harness::start().await;
    let route = "/product-items/grouped-by-products";
    let filters = [("pageSize", "5"), ("productName", "사과즙")];
    let group = json!({"productItems": [{"itemId": 990021}], "productIsHide": false});
    let answer =
        json!({"items": [group.clone(), group], "nextCursor": "MTIzNDU2Nw", "prevCursor": null});
    page(&h, route, &filters, ok(answer.clone()), 3).await;
    let request = || {
        h.client
            .list_items_grouped_by_products()
            .page_size(5)
            .product_name("사과즙")
    };

    let mut pages = request().pages();
    assert_eq!(
        pages.next().await.expect("page 1").expect("ok").items.len(),
        2
    );
    let error = paging_error(pages.next().await);
    assert_eq!(
        error,
        PagingError::UndocumentedCursor {
            operation: "list_items_grouped_by_products",
            page: 1
        }
    );
    assert!(
        error
            .to_string()
            .contains("does not document how to reach the page after page 1"),
        "{error}"
    );
    assert!(pages.next().await.is_none());

    // `.max_pages(1)` reads the first page without the error.
    let first: Vec<_> = request()
        .pages()
        .max_pages(1)
        .try_collect()
        .await
        .expect("page 1");
    assert_eq!(first.len(), 1);

    // `.stream()` yields the first page's items, then the same error.
    let mut groups = request().stream();
    assert!(groups.next().await.expect("group 1").is_ok());
    assert!(groups.next().await.expect("group 2").is_ok());
    assert!(matches!(
        paging_error(groups.next().await),
        PagingError::UndocumentedCursor { .. }
    ));
    assert!(groups.next().await.is_none());
}

#[tokio::test]
async fn without_a_documented_cursor_an_empty_first_page_ends_normally() {
    let h = Harness::start().await;
    page(
        &h,
        "/product-items/grouped-by-products",
        &[],
        ok(json!({"items": []})),
        1,
    )
    .await;
    let groups: Vec<_> = h
        .client
        .list_items_grouped_by_products()
        .stream()
        .try_collect()
        .await
        .expect("no groups");
    assert!(groups.is_empty());
}

#[tokio::test]
async fn a_free_form_page_is_read_once_and_then_says_why_it_stops() {
    // `list_penalty_impositions` documents neither items nor cursor (its payload is free-form),
    // so it has `.pages()` only, and even a page that looks final is not taken at its word.
    let h = Harness::start().await;
    let answer =
        json!({"items": [{"id": 88121, "score": 2}], "hasNext": false, "nextCursorId": null});
    page(
        &h,
        "/merchants/penalty/impositions",
        &[("size", "20")],
        ok(answer),
        1,
    )
    .await;
    let mut pages = h.client.list_penalty_impositions().size(20).pages();
    let first = pages.next().await.expect("page 1").expect("ok");
    assert_eq!(first["items"][0]["id"], 88121);
    assert!(matches!(
        paging_error(pages.next().await),
        PagingError::UndocumentedCursor {
            operation: "list_penalty_impositions",
            page: 1
        }
    ));
    assert!(pages.next().await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_streams_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let h = Harness::start().await;
    let pages = orders_request(&h).pages();
    let items = orders_request(&h).stream();
    assert_send(&pages);
    assert_send(&items);
    let mut pages = pages;
    let mut items = items;
    assert_send(&pages.next());
    assert_send(&items.try_next());
    drop((pages, items));

    // And a whole stream runs as a task of the multi-threaded runtime.
    three_order_pages(&h, 1).await;
    let client = h.client.clone();
    let task = tokio::spawn(async move {
        client
            .list_order_products()
            .start_date(day(1))
            .end_date(day(7))
            .status(OrderStatusFilter::Paid)
            .limit(2)
            .stream()
            .try_collect::<Vec<_>>()
            .await
    });
    let rows = task.await.expect("task").expect("rows");
    assert_eq!(rows.len(), 5);
}
