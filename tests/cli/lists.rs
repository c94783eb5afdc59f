//! Lists through the binary: `--all` reads every page (one JSON line per item), and
//! `--from`/`--to` walk a range longer than the vendor's window, giving the same rows as the
//! SDK's `.windows(range)`.

use std::time::Duration;

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use serde_json::Value;
use toss_shopping::window::KstRange;
use toss_shopping::{OperationMeta, operations};

use crate::shop::{Orders, clocked, item_on_sale, value};
use crate::support::Cli;

/// The widest window of the operation `id`, from the spec.
fn max_window_days(id: &str) -> u64 {
    operations()
        .iter()
        .find(|op: &&OperationMeta| op.operation_id == id)
        .and_then(|op| op.max_window_days)
        .unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The SDK's items as JSON, to compare with the tool's lines.
fn json_rows<T: serde::Serialize>(rows: Vec<T>) -> Vec<Value> {
    rows.into_iter().map(value).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn all_reads_every_page_of_products_as_json_lines() {
    let (server, client, _clock) = clocked().await;
    let total = client
        .list_products()
        .size(100)
        .await
        .unwrap()
        .products
        .len();
    assert!(
        total > 4,
        "the demo has {total} products: too few for three pages"
    );
    let before = server.api_requests();
    let lines = Cli::local(&server, "all-products")
        .run(&["list-products", "--all", "--size", "2"])
        .await
        .lines();
    assert_eq!(lines.len(), total);
    assert!(lines.iter().all(|line| line["id"].is_i64()), "{lines:?}");
    let pages = server.api_requests() - before;
    assert!(pages >= total.div_ceil(2) as u64, "{pages} pages read");
    let paged = json_rows(
        client
            .list_products()
            .size(2)
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .unwrap(),
    );
    assert_eq!(lines, paged);
}

#[tokio::test(flavor = "multi_thread")]
async fn all_follows_the_order_cursor_to_the_end() {
    let (server, client, _clock) = clocked().await;
    let list = || {
        client
            .list_order_products()
            .start_date(day("2026-07-14"))
            .end_date(day("2026-07-20"))
    };
    let total = list().limit(50).await.unwrap().results.len();
    assert!(total > 4, "{total} order products in the week");
    let lines = Cli::local(&server, "all-orders")
        .run(&[
            "list-order-products",
            "--start-date",
            "2026-07-14",
            "--end-date",
            "2026-07-20",
            "--all",
            "--limit",
            "2",
        ])
        .await
        .lines();
    assert_eq!(lines.len(), total);
    let paged = json_rows(
        list()
            .limit(2)
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .unwrap(),
    );
    assert_eq!(lines, paged);
}

#[tokio::test(flavor = "multi_thread")]
async fn seventy_days_of_orders_are_read_in_windows_like_the_sdk() {
    let (server, client, _clock) = clocked().await;
    let (from, to) = ("2026-05-12", "2026-07-20");
    let range = KstRange::new(day(from), day(to)).unwrap();
    assert_eq!(range.days(), 70);
    let windows = range
        .days()
        .div_ceil(max_window_days("list_order_products"));
    assert!(windows >= 3);
    let before = server.api_requests();
    let lines = Cli::local(&server, "window-orders")
        .run(&[
            "list-order-products",
            "--from",
            from,
            "--to",
            to,
            "--limit",
            "3",
        ])
        .await
        .lines();
    assert!(
        server.api_requests() - before >= windows,
        "one request per window at least"
    );
    let sdk = json_rows(
        client
            .list_order_products()
            .limit(3)
            .windows(range)
            .try_collect::<Vec<_>>()
            .await
            .unwrap(),
    );
    assert!(!sdk.is_empty());
    assert_eq!(lines, sdk);
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_days_of_claims_are_read_in_windows_like_the_sdk() {
    let (server, client, clock) = clocked().await;
    let item = item_on_sale(&client).await;
    let orders = Orders::new(&server, &client, item);
    // Claims on two days eleven days apart, so they fall in different 7-day windows.
    orders.return_request().await;
    clock.advance(Duration::from_secs(11 * 24 * 3600));
    orders.exchange_request().await;
    let (from, to) = ("2026-07-12", "2026-07-31");
    let range = KstRange::new(day(from), day(to)).unwrap();
    assert_eq!(range.days(), 20);
    assert!(range.days() > max_window_days("list_claims"));
    let lines = Cli::local(&server, "window-claims")
        .run(&["list-claims", "--from", from, "--to", to, "--size", "1"])
        .await
        .lines();
    let sdk = json_rows(
        client
            .list_claims()
            .size(1)
            .windows(range)
            .try_collect::<Vec<_>>()
            .await
            .unwrap(),
    );
    assert!(sdk.len() >= 3, "the demo claim and two more: {sdk:?}");
    assert_eq!(lines, sdk);
}
