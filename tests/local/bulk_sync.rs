//! The bulk price and stock sync against the local server: 2,000 items at the vendor's
//! quotas on a manual clock, through throttling, outages and dropped connections, with every
//! outcome reported and every item at its target; a re-run that writes nothing; and a run
//! stopped half-way whose re-run writes only the rest.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use toss_shopping::auth::ManualClock;
use toss_shopping::local::{Fault, FaultRule, Faults, LocalServer, LocalServerBuilder};
use toss_shopping::sync::{Change, ItemOutcome, ItemUpdate, SyncReport};
use toss_shopping::{Client, Error, ErrorCode, RateLimits, RetryPolicy};

use crate::product_support::{body, registration_json};
use crate::support::{drive, start_on};

/// Every option is registered at this sale price, list price and stock.
const SALE: i64 = 9_000;
const LIST: i64 = 10_000;
const STOCK: i64 = 5;

/// How far the manual clock moves whenever the sync waits (for its rate-limit permits, or
/// before a retry).
const STEP: Duration = Duration::from_millis(250);

/// A product's id and its item ids.
struct Registered {
    product_id: i64,
    item_ids: Vec<i64>,
}

/// A demo server from `builder` on `clock`, a client without limits or retries to set it up,
/// and a client as a user would have it (the vendor's limits, standard retries) on the same
/// clock.
async fn start(
    clock: &Arc<ManualClock>,
    builder: LocalServerBuilder,
) -> (LocalServer, Client, Client) {
    let (server, setup) = start_on(clock, builder).await;
    let client = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Vendor)
        .retry(RetryPolicy::standard())
        .build()
        .expect("a client");
    (server, setup, client)
}

/// Registers `products` products of `options` options each, every option at [`SALE`],
/// [`LIST`] and [`STOCK`].
async fn register(client: &Client, products: usize, options: usize) -> Vec<Registered> {
    let names: Vec<String> = (1..=options).map(|n| format!("옵션{n:03}")).collect();
    let stocks: Vec<(&str, i64, i64, i64)> = names
        .iter()
        .map(|name| (name.as_str(), SALE, LIST, STOCK))
        .collect();
    let mut registered = Vec::new();
    for n in 0..products {
        let json = registration_json(&format!("대량 동기화 상품 {n}"), &stocks);
        let product_id = client
            .register_product()
            .body(body(json))
            .await
            .expect("registered")
            .id
            .expect("an id");
        let product = client.get_product().product_id(product_id).await.unwrap();
        let item_ids = product.stocks.iter().map(|s| s.item_id.unwrap()).collect();
        registered.push(Registered {
            product_id,
            item_ids,
        });
    }
    registered
}

/// One update per item, of five kinds in turn: a new stock; both prices raised (the list
/// price must go first); both prices lowered under the current sale price (the sale price
/// must go first); the sale price alone; and the stock it already has.
fn updates(products: &[Registered]) -> Vec<ItemUpdate> {
    let mut updates = Vec::new();
    for product in products {
        for (n, &item_id) in product.item_ids.iter().enumerate() {
            let k = n as i64;
            let p = product.product_id;
            updates.push(match n % 5 {
                0 => ItemUpdate::stock(p, item_id, 100 + k),
                1 => ItemUpdate::prices(p, item_id, 12_000 + k, 15_000 + k),
                2 => ItemUpdate::prices(p, item_id, 7_000, 8_000),
                3 => ItemUpdate::sale_price(p, item_id, 9_500),
                _ => ItemUpdate::stock(p, item_id, STOCK),
            });
        }
    }
    updates
}

/// Every item's (sale price, list price, stock) as the server has it now.
async fn server_values(client: &Client, products: &[Registered]) -> HashMap<i64, (i64, i64, i64)> {
    let mut values = HashMap::new();
    for product in products {
        let read = client
            .get_product()
            .product_id(product.product_id)
            .await
            .unwrap();
        for stock in read.stocks {
            let value = (
                stock.sale_price.unwrap(),
                stock.origin_price.unwrap(),
                stock.remaining_count.unwrap(),
            );
            values.insert(stock.item_id.unwrap(), value);
        }
    }
    values
}

/// Asserts that every item is at the value its update sets.
fn assert_at_targets(values: &HashMap<i64, (i64, i64, i64)>, updates: &[ItemUpdate]) {
    for update in updates {
        let (sale, list, stock) = values[&update.item_id];
        match update.change {
            Change::Stock(count) => assert_eq!(stock, count, "{update:?}"),
            Change::Price {
                sale: target,
                origin,
            } => {
                assert_eq!(sale, target, "{update:?}");
                assert_eq!(list, origin.unwrap_or(LIST), "{update:?}");
            }
            other => panic!("an update this test does not make: {other:?}"),
        }
    }
}

/// Asserts that the report has one result per update, in input order, and no failure.
fn assert_complete(report: &SyncReport, updates: &[ItemUpdate]) {
    assert_eq!(report.results.len(), updates.len());
    for (result, update) in report.results.iter().zip(updates) {
        assert_eq!(&result.update, update, "results in input order");
    }
    let failures: Vec<_> = report.failures().take(5).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(report.progress.done(), updates.len());
}

/// Requests the server let through: all it received but those its quotas refused (the
/// sync's client retries those, as it does any throttling).
fn admitted(server: &LocalServer) -> u64 {
    server.api_requests() - server.throttled()
}

fn count(report: &SyncReport, wanted: fn(&ItemOutcome) -> bool) -> usize {
    report.results.iter().filter(|r| wanted(&r.outcome)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_items_sync_through_throttling_and_faults_and_none_is_lost() {
    let clock = Arc::new(ManualClock::new());
    let (server, setup, client) = start(&clock, LocalServer::builder()).await;
    let products = register(&setup, 8, 250).await;
    let updates = updates(&products);
    assert_eq!(updates.len(), 2_000);
    server.set_faults(
        Faults::seeded(11)
            .rule(
                FaultRule::new(Fault::Status(503))
                    .on("get_product")
                    .times(2),
            )
            .rule(
                FaultRule::new(Fault::Throttle)
                    .on("update_item_normal_stock")
                    .probability(0.05)
                    .times(100),
            )
            .rule(
                FaultRule::new(Fault::Status(503))
                    .on("update_item_sale_price")
                    .probability(0.05)
                    .times(60),
            )
            .rule(
                FaultRule::new(Fault::DropConnection)
                    .on("update_item_origin_price")
                    .probability(0.05)
                    .times(40),
            ),
    );

    let sync = client.sync_items();
    let progress = sync.progress();
    let report = drive(&clock, STEP, sync.run(updates.clone())).await;

    assert_complete(&report, &updates);
    assert_eq!(count(&report, |o| matches!(o, ItemOutcome::Applied)), 1_600);
    assert_eq!(count(&report, |o| matches!(o, ItemOutcome::Unchanged)), 400);
    assert_eq!(
        *progress.borrow(),
        report.progress,
        "the receiver saw the end"
    );
    // 400 stock and 400 sale-price writes, 2 × 800 price pairs, and one read per product;
    // more where a failure outlasted the client's retries and a later round re-read and
    // wrote again.
    assert!(report.progress.writes >= 2_400, "{:?}", report.progress);
    assert!(report.progress.reads >= 8, "{:?}", report.progress);
    let calls = (report.progress.writes + report.progress.reads) as u64;
    assert!(
        server.api_requests() > calls,
        "faults were injected and ridden out: {} requests for {calls} calls",
        server.api_requests()
    );
    assert_at_targets(&server_values(&setup, &products).await, &updates);

    // Run again: everything is read, found at its target and left alone.
    server.set_faults(Faults::default());
    let before = admitted(&server);
    let again = drive(&clock, STEP, client.sync_items().run(updates.clone())).await;
    assert_complete(&again, &updates);
    assert_eq!(
        count(&again, |o| matches!(o, ItemOutcome::Unchanged)),
        2_000
    );
    assert_eq!((again.progress.writes, again.progress.reads), (0, 8));
    assert_eq!(
        admitted(&server) - before,
        8,
        "one read per product, no write"
    );
}

#[tokio::test]
async fn a_run_stopped_half_way_is_finished_by_a_rerun_that_writes_only_the_rest() {
    // No server quotas and no faults: every request the server sees is one the sync meant.
    // The client still paces itself at the vendor's limits on the manual clock, which lets
    // the test stop the run part-way.
    let clock = Arc::new(ManualClock::new());
    let (server, setup, client) = start(&clock, LocalServer::builder().without_quotas()).await;
    let products = register(&setup, 1, 300).await;
    let updates: Vec<ItemUpdate> = products[0]
        .item_ids
        .iter()
        .map(|&item| ItemUpdate::stock(products[0].product_id, item, 77))
        .collect();

    // Stop the first run once 100 updates have ended, as a crash would.
    let sync = client.sync_items().concurrency(8);
    let (mut progress, watcher) = (sync.progress(), sync.progress());
    let run = sync.run(updates.clone());
    let stopped = drive(&clock, STEP, async move {
        tokio::select! {
            _ = run => false,
            _ = progress.wait_for(|p| p.done() >= 100) => true,
        }
    })
    .await;
    assert!(stopped, "the run was stopped before its end");
    let first = *watcher.borrow();
    assert!(first.applied >= 100 && first.applied < 300, "{first:?}");

    // The re-run reads first: what the stopped run applied (also writes still in flight when
    // it stopped) is unchanged, and only the rest is written.
    let before = server.api_requests();
    let rerun = drive(&clock, STEP, client.sync_items().run(updates.clone())).await;
    assert_complete(&rerun, &updates);
    let unchanged = count(&rerun, |o| matches!(o, ItemOutcome::Unchanged));
    let applied = count(&rerun, |o| matches!(o, ItemOutcome::Applied));
    assert!(unchanged >= first.applied, "{unchanged} < {first:?}");
    assert!(unchanged <= first.writes, "{unchanged} > {first:?}");
    assert_eq!(applied + unchanged, 300);
    // One read, and one write per item not yet at 77: nothing the stopped run applied is
    // written again.
    assert_eq!((rerun.progress.reads, rerun.progress.writes), (1, applied));
    // The server saw those, plus at most the stopped run's writes that were still on their
    // way when it stopped.
    let seen = server.api_requests() - before;
    let in_flight = (first.writes - first.applied) as u64;
    let own = 1 + applied as u64;
    assert!(
        (own..=own + in_flight).contains(&seen),
        "{seen} requests; {first:?}"
    );
    assert_at_targets(&server_values(&setup, &products).await, &updates);
}

#[tokio::test]
async fn each_update_gets_its_own_outcome_and_no_failure_stops_the_others() {
    let clock = Arc::new(ManualClock::new());
    let (server, setup) = start_on(&clock, LocalServer::builder().without_quotas()).await;
    let products = register(&setup, 1, 3).await;
    let (product, items) = (products[0].product_id, &products[0].item_ids);
    let updates = [
        ItemUpdate::stock(product, items[0], 40),
        ItemUpdate::stock(product, items[1], -1),
        // Above the list price it keeps: the vendor refuses it.
        ItemUpdate::sale_price(product, items[2], LIST + 1),
        ItemUpdate::stock(999, 12345, 1),
        ItemUpdate::stock(product, items[0], 41),
    ];
    let before = server.api_requests();

    let report = setup.sync_items().run(updates).await;

    let outcomes: Vec<&ItemOutcome> = report.results.iter().map(|r| &r.outcome).collect();
    assert!(matches!(outcomes[0], ItemOutcome::Applied), "{outcomes:?}");
    let refused = |n: usize| match outcomes[n] {
        ItemOutcome::Failed(Error::InvalidRequest(invalid)) => invalid.to_string(),
        other => panic!("update {n}: {other:?}"),
    };
    assert!(refused(1).contains("remainingCount"), "{}", refused(1));
    assert!(refused(4).contains("update 0"), "{}", refused(4));
    let vendor = |n: usize| outcomes[n].error().and_then(Error::code).cloned();
    assert_eq!(vendor(2), Some(ErrorCode::BadRequest));
    assert_eq!(vendor(3), Some(ErrorCode::NotFound));
    // Two product reads (one failed: product 999 does not exist) and three writes; the
    // refused updates were never sent, and refusals are not tried again.
    let progress = report.progress;
    assert_eq!((progress.reads, progress.writes, progress.round), (2, 3, 1));
    assert_eq!(server.api_requests() - before, 5);
    assert_eq!((progress.applied, progress.failed), (1, 4));
}

#[tokio::test]
async fn a_failure_that_outlasts_the_clients_retries_is_tried_again_next_round_after_a_read() {
    let clock = Arc::new(ManualClock::new());
    // The set-up client never retries, so the outage reaches the sync.
    let (server, client) = start_on(&clock, LocalServer::builder().without_quotas()).await;
    let products = register(&client, 1, 2).await;
    let (product, items) = (products[0].product_id, &products[0].item_ids);
    let updates = [
        ItemUpdate::stock(product, items[0], 40),
        ItemUpdate::stock(product, items[1], 41),
    ];
    let outage = || {
        Faults::seeded(3).rule(
            FaultRule::new(Fault::Status(503))
                .on("update_item_normal_stock")
                .times(1),
        )
    };

    server.set_faults(outage());
    let once = client.sync_items().max_rounds(1).run(updates).await;
    let failed: Vec<_> = once
        .failures()
        .map(|f| f.outcome.error().and_then(Error::status))
        .collect();
    assert_eq!(
        failed,
        [Some(503)],
        "with one round the outage is the outcome"
    );

    server.set_faults(outage());
    let updates = [
        ItemUpdate::stock(product, items[0], 50),
        ItemUpdate::stock(product, items[1], 51),
    ];
    let report = client.sync_items().run(updates).await;
    assert!(report.is_complete(), "{:?}", report.results);
    assert_eq!(report.progress.applied, 2);
    // Round 1: a read and two writes, one lost to the outage; round 2: a read and the write.
    let progress = report.progress;
    assert_eq!((progress.round, progress.reads, progress.writes), (2, 2, 3));
    assert_at_targets(&server_values(&client, &products).await, &updates);
}
