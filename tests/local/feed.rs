//! The change feed against the local server: a day of orders and claims driven through their
//! state machines on a manual clock, with every transition coming out once and in order per
//! order product and claim, across a restart, a crash in the middle of a batch, faults of the
//! lists and of the checkpoint store.

use std::collections::HashSet;
use std::future::IntoFuture;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Map, Value, json};
use toss_shopping::auth::{BoxFuture, ManualClock};
use toss_shopping::feed::{
    Change, CheckpointError, CheckpointKey, CheckpointStore, Event, EventId, Feed, FeedError,
    FeedStream, FileCheckpointStore, MemoryCheckpointStore,
};
use toss_shopping::local::{Fault, FaultRule, Faults, LocalServer, LocalServerBuilder};
use toss_shopping::types::{OrderProduct, OrderProductStatusChange};
use toss_shopping::window::KstRange;
use toss_shopping::{Client, RateLimits, RetryPolicy};

use crate::support::drive;

/// 2026-07-20 12:00 KST: the day starts at noon, far from midnight.
const NOON_KST: u64 = 1_784_516_400;

/// The stream's pause between polls.
const INTERVAL: Duration = Duration::from_secs(60);

/// The steps of a day, on the seller's side through the SDK and on the buyers' side through
/// the local server.
struct Shop {
    server: LocalServer,
    client: Client,
    clock: Arc<ManualClock>,
    /// An item on sale, for the buyers' orders.
    item: i64,
}

impl Shop {
    /// The demo seller on a manual clock at noon; `client` settings from `configure`.
    async fn open(builder: LocalServerBuilder, strict: bool) -> Self {
        let clock = Arc::new(ManualClock::at(UNIX_EPOCH + Duration::from_secs(NOON_KST)));
        let server = builder.clock(clock.clone()).start().await.unwrap();
        let mut client = server.client_builder().clock(clock.clone());
        if strict {
            // Exactly what the server answers: no client-side limits or retries.
            client = client
                .rate_limits(RateLimits::Off)
                .retry(RetryPolicy::none());
        }
        let client = client.build().unwrap();
        let mut shop = Self {
            server,
            client,
            clock,
            item: 0,
        };
        shop.item = shop.rows().await[0].stock_id.unwrap();
        shop
    }

    /// Every order product of the look-back, read without the feed.
    async fn rows(&self) -> Vec<OrderProduct> {
        let range = KstRange::last_days(31, &*self.clock).unwrap();
        let read = self.client.list_order_products().limit(50).windows(range);
        drive(&self.clock, Duration::from_millis(250), read.try_collect())
            .await
            .unwrap()
    }

    /// A feed on this shop's client and clock.
    fn feed(&self, store: &Arc<dyn CheckpointStore>) -> Feed {
        Feed::builder(self.client.clone())
            .clock(self.clock.clone())
            .poll_interval(INTERVAL)
            .checkpoint(store.clone(), CheckpointKey::new("demo-seller").unwrap())
            .build()
            .unwrap()
    }

    /// A buyer orders one unit; gives the order product.
    fn order(&self) -> i64 {
        self.server
            .buyer()
            .place_order(self.item, 1)
            .unwrap()
            .order_product_id
    }

    /// Runs a seller call on the manual clock (its limits and retries wait on it).
    async fn run<T>(&self, call: impl IntoFuture<Output = T>) -> T {
        drive(&self.clock, Duration::from_millis(250), call).await
    }

    async fn confirm(&self, ids: &[i64]) {
        let ids = ids.to_vec();
        let call = self.client.change_order_product_status().body_map(|b| {
            b.order_product_ids(ids)
                .status(OrderProductStatusChange::PreparingProduct)
        });
        let result = self.run(call).await.unwrap();
        assert_eq!(result.failed_count, Some(0));
    }

    async fn ship(&self, id: i64) {
        let call = self.client.update_order_product_delivery().body_map(|b| {
            b.order_product_id(id)
                .delivery_company("CJ대한통운")
                .tracking_number(format!("6012{id}"))
        });
        self.run(call).await.unwrap();
    }

    async fn approve_cancel(&self, claim: i64) {
        self.run(self.client.approve_cancel_claim().claim_id(claim))
            .await
            .unwrap();
    }

    async fn approve_return(&self, claim: i64) {
        self.run(self.client.approve_return_claim().claim_id(claim))
            .await
            .unwrap();
    }

    async fn return_collected(&self, claim: i64) {
        self.run(self.client.mark_return_collected().claim_id(claim))
            .await
            .unwrap();
    }

    async fn complete_return(&self, claim: i64) {
        self.run(self.client.complete_return_claim().claim_id(claim))
            .await
            .unwrap();
    }

    async fn approve_exchange(&self, claim: i64) {
        self.run(self.client.approve_exchange_claim().claim_id(claim))
            .await
            .unwrap();
    }

    async fn exchange_collected(&self, claim: i64) {
        self.run(self.client.mark_exchange_collected().claim_id(claim))
            .await
            .unwrap();
    }

    async fn reship(&self, claim: i64) {
        let body =
            invoice_body(json!({"deliveryCompany": "CJ대한통운", "trackingNumber": "601299"}));
        self.run(
            self.client
                .ship_exchange_replacement()
                .claim_id(claim)
                .body(body),
        )
        .await
        .unwrap();
    }

    async fn complete_exchange(&self, claim: i64) {
        self.run(self.client.complete_exchange_claim().claim_id(claim))
            .await
            .unwrap();
    }
}

fn invoice_body(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// What a consumer received (replays included) and what it handled (each id once).
#[derive(Default)]
struct Consumer {
    received: Vec<Event>,
    handled: Vec<Event>,
    seen: HashSet<EventId>,
}

impl Consumer {
    fn take(&mut self, event: Event) {
        self.received.push(event.clone());
        if self.seen.insert(event.id.clone()) {
            self.handled.push(event);
        }
    }

    /// The statuses an order product went through, as handled; every change must start
    /// from the status before it.
    fn order(&self, id: i64) -> Vec<String> {
        let mut statuses: Vec<String> = Vec::new();
        for event in &self.handled {
            match &event.change {
                Change::OrderPlaced { order, status } if order.order_product_id == id => {
                    assert!(statuses.is_empty(), "{id} placed twice");
                    statuses.push(status.to_string());
                }
                Change::OrderStatusChanged { order, from, to } if order.order_product_id == id => {
                    assert_eq!(statuses.last(), Some(&from.to_string()), "{event}");
                    statuses.push(to.to_string());
                }
                _ => {}
            }
        }
        statuses
    }

    /// The statuses a claim went through, as handled.
    fn claim(&self, id: i64) -> Vec<String> {
        let mut statuses: Vec<String> = Vec::new();
        for event in &self.handled {
            match &event.change {
                Change::ClaimOpened { claim, status } if claim.claim_id == id => {
                    assert!(statuses.is_empty(), "claim {id} opened twice");
                    statuses.push(status.to_string());
                }
                Change::ClaimStatusChanged { claim, from, to } if claim.claim_id == id => {
                    assert_eq!(statuses.last(), Some(&from.to_string()), "{event}");
                    statuses.push(to.to_string());
                }
                _ => {}
            }
        }
        statuses
    }
}

/// One cron run a poll interval after the last: poll, hand every event to the consumer,
/// commit. Gives the events. (The interval matters: the strict shop has no client-side
/// limit, so polls sent in the same second of the manual clock would meet the server's
/// read quota, as back-to-back polls would at the live API.)
async fn cron(shop: &Shop, feed: &mut Feed, consumer: &mut Consumer) -> Vec<Event> {
    shop.clock.advance(INTERVAL);
    let batch = shop.run(feed.poll()).await.unwrap();
    for event in batch.events() {
        consumer.take(event.clone());
    }
    feed.commit(&batch).await.unwrap();
    batch.into_events()
}

/// The stream's next event, moving the clock on by the poll interval while it waits.
async fn next(shop: &Shop, stream: &mut FeedStream) -> Event {
    drive(&shop.clock, INTERVAL, stream.next())
        .await
        .unwrap()
        .unwrap()
}

fn strings(statuses: &[&str]) -> Vec<String> {
    statuses.iter().map(|status| status.to_string()).collect()
}

/// A unique directory under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        Self(std::env::temp_dir().join(format!(
            "toss-shopping-feed-{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        )))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn a_day_comes_out_once_and_in_order_across_a_restart_and_a_crash_mid_batch() {
    let shop = Shop::open(LocalServer::builder(), true).await;
    let scratch = Scratch::new("day");
    let store: Arc<dyn CheckpointStore> = Arc::new(FileCheckpointStore::new(&scratch.0));
    let mut consumer = Consumer::default();

    // The first poll announces what is already there: each demo order product and the demo
    // return request, once.
    let mut feed = shop.feed(&store);
    let seeded = shop.rows().await;
    let baseline = cron(&shop, &mut feed, &mut consumer).await;
    let placed = baseline
        .iter()
        .filter(|e| matches!(e.change, Change::OrderPlaced { .. }))
        .count();
    let opened = baseline
        .iter()
        .filter(|e| matches!(e.change, Change::ClaimOpened { .. }))
        .count();
    assert_eq!(
        (placed, opened, baseline.len()),
        (seeded.len(), 1, seeded.len() + 1)
    );
    // Nothing changed, so nothing comes out.
    assert!(shop.run(feed.poll()).await.unwrap().is_empty());

    // Buyers order; the stream hands out the four new order products.
    let [a, b, c, d] = [shop.order(), shop.order(), shop.order(), shop.order()];
    let mut stream = feed.stream();
    for _ in 0..4 {
        consumer.take(next(&shop, &mut stream).await);
    }
    // The seller confirms three of them. The consumer takes one event of that batch, then
    // the process dies.
    shop.confirm(&[a, b, c]).await;
    let taken = next(&shop, &mut stream).await;
    consumer.take(taken.clone());
    drop(stream);

    // The restarted job gets exactly that batch again, and nothing before it.
    let mut feed = shop.feed(&store);
    let replay = shop.run(feed.poll()).await.unwrap();
    assert!(replay.is_replay());
    assert_eq!(replay.events().len(), 3);
    assert_eq!(replay.events()[0], taken);
    for event in replay.events() {
        consumer.take(event.clone());
    }
    feed.commit(&replay).await.unwrap();

    // From here on, cron style: one poll after each step.
    assert_eq!(shop.server.buyer().cancel(d).unwrap(), None);
    let cancel = shop.server.buyer().cancel(c).unwrap().unwrap();
    cron(&shop, &mut feed, &mut consumer).await;
    shop.approve_cancel(cancel).await;
    cron(&shop, &mut feed, &mut consumer).await;
    shop.ship(a).await;
    shop.ship(b).await;
    cron(&shop, &mut feed, &mut consumer).await;

    // A restart between batches replays nothing.
    drop(feed);
    let mut feed = shop.feed(&store);
    shop.server.buyer().deliver(a).unwrap();
    shop.server.buyer().deliver(b).unwrap();
    let delivered = cron(&shop, &mut feed, &mut consumer).await;
    assert_eq!(delivered.len(), 2);

    let first_return = shop.server.buyer().request_return(a, "단순 변심").unwrap();
    let exchange = shop
        .server
        .buyer()
        .request_exchange(b, "사이즈 교환")
        .unwrap();
    cron(&shop, &mut feed, &mut consumer).await;
    shop.server.buyer().withdraw_claim(first_return).unwrap();
    shop.approve_exchange(exchange).await;
    cron(&shop, &mut feed, &mut consumer).await;
    let second_return = shop.server.buyer().request_return(a, "상품 불량").unwrap();
    shop.exchange_collected(exchange).await;
    cron(&shop, &mut feed, &mut consumer).await;
    shop.approve_return(second_return).await;
    shop.reship(exchange).await;
    cron(&shop, &mut feed, &mut consumer).await;
    shop.return_collected(second_return).await;
    shop.complete_exchange(exchange).await;
    cron(&shop, &mut feed, &mut consumer).await;
    shop.complete_return(second_return).await;
    cron(&shop, &mut feed, &mut consumer).await;
    // A week later the exchanged purchase confirms itself.
    shop.clock.advance(Duration::from_secs(8 * 24 * 3600));
    cron(&shop, &mut feed, &mut consumer).await;
    assert!(shop.run(feed.poll()).await.unwrap().is_empty());

    assert_eq!(
        consumer.order(a),
        strings(&[
            "PAID",
            "PREPARING_PRODUCT",
            "DELIVERING",
            "DELIVERED",
            "REQUESTED_RETURN",
            "DELIVERED",
            "REQUESTED_RETURN",
            "CLAIM_COLLECTING",
            "CLAIM_COLLECTED",
            "COMPLETED_RETURN",
        ])
    );
    assert_eq!(
        consumer.order(b),
        strings(&[
            "PAID",
            "PREPARING_PRODUCT",
            "DELIVERING",
            "DELIVERED",
            "REQUESTED_EXCHANGE",
            "CLAIM_COLLECTING",
            "CLAIM_COLLECTED",
            "CLAIM_DELIVERING",
            "COMPLETED_EXCHANGE",
            "CONFIRMED_ORDER",
        ])
    );
    assert_eq!(
        consumer.order(c),
        strings(&[
            "PAID",
            "PREPARING_PRODUCT",
            "CLAIM_REQUESTED_CANCEL",
            "CANCELED_PAYMENT"
        ])
    );
    assert_eq!(consumer.order(d), strings(&["PAID", "CANCELED_PAYMENT"]));
    assert_eq!(consumer.claim(cancel), strings(&["REQUESTED", "COMPLETED"]));
    assert_eq!(
        consumer.claim(first_return),
        strings(&["REQUESTED", "REVOKED_REQUEST"])
    );
    assert_eq!(
        consumer.claim(second_return),
        strings(&["REQUESTED", "COLLECTING", "COLLECTED", "COMPLETED"])
    );
    assert_eq!(
        consumer.claim(exchange),
        strings(&[
            "REQUESTED",
            "COLLECTING",
            "COLLECTED",
            "DELIVERING",
            "COMPLETED"
        ])
    );
    // The only event received twice is the one taken before the crash.
    assert_eq!(consumer.received.len(), consumer.handled.len() + 1);
    assert_eq!(consumer.received.iter().filter(|e| **e == taken).count(), 2);

    // Neither the events nor the checkpoint hold the buyers' data.
    let checkpoint = std::fs::read_to_string(
        FileCheckpointStore::new(&scratch.0).path_for(&CheckpointKey::new("demo-seller").unwrap()),
    )
    .unwrap();
    let events = format!("{:?} {}", consumer.received, {
        let shown: Vec<String> = consumer.received.iter().map(ToString::to_string).collect();
        shown.join("\n")
    });
    for row in shop.rows().await {
        for personal in [
            row.orderer_name,
            row.orderer_phone,
            row.receiver_real_phone,
            row.address,
        ]
        .into_iter()
        .flatten()
        {
            assert!(
                !checkpoint.contains(&personal),
                "checkpoint holds buyer data"
            );
            assert!(!events.contains(&personal), "events hold buyer data");
        }
    }
}

/// A store that fails its saves while armed.
#[derive(Debug, Default)]
struct FlakyStore {
    inner: MemoryCheckpointStore,
    failing: AtomicBool,
}

impl CheckpointStore for FlakyStore {
    fn load<'a>(
        &'a self,
        key: &'a CheckpointKey,
    ) -> BoxFuture<'a, Result<Option<Vec<u8>>, CheckpointError>> {
        self.inner.load(key)
    }

    fn save<'a>(
        &'a self,
        key: &'a CheckpointKey,
        bytes: &'a [u8],
    ) -> BoxFuture<'a, Result<(), CheckpointError>> {
        if self.failing.load(Ordering::SeqCst) {
            return Box::pin(async { Err(CheckpointError::Other("disk full".into())) });
        }
        self.inner.save(key, bytes)
    }
}

/// Polls until a poll succeeds, counting the failed polls; hands the batch to the consumer
/// and commits it.
async fn cron_through_faults(
    shop: &Shop,
    feed: &mut Feed,
    consumer: &mut Consumer,
    failures: &mut usize,
) {
    for _ in 0..100 {
        match shop.run(feed.poll()).await {
            Ok(batch) => {
                assert!(!batch.is_replay());
                for event in batch.events() {
                    consumer.take(event.clone());
                }
                feed.commit(&batch).await.unwrap();
                return;
            }
            Err(error) => {
                assert!(
                    matches!(&error, FeedError::Api(api) if api.is_retryable()),
                    "{error}"
                );
                *failures += 1;
            }
        }
    }
    panic!("no poll got through the faults");
}

#[tokio::test]
async fn faults_fail_polls_but_lose_and_repeat_nothing_within_the_rate_limits() {
    let faults = Faults::seeded(11)
        .rule(
            FaultRule::new(Fault::Status(503))
                .on("list_order_products")
                .probability(0.5),
        )
        .rule(
            FaultRule::new(Fault::DropConnection)
                .on("list_claims")
                .probability(0.3),
        )
        .rule(FaultRule::new(Fault::Throttle).on("list_claims").times(4));
    // The client's own retries and rate limits, on the manual clock.
    let shop = Shop::open(LocalServer::builder().faults(faults), false).await;
    let flaky = Arc::new(FlakyStore::default());
    let store: Arc<dyn CheckpointStore> = flaky.clone();
    let mut feed = Feed::builder(shop.client.clone())
        .clock(shop.clock.clone())
        .checkpoint(store, CheckpointKey::new("flaky").unwrap())
        .announce_existing(false)
        .build()
        .unwrap();
    let mut consumer = Consumer::default();
    let mut failures = 0;
    cron_through_faults(&shop, &mut feed, &mut consumer, &mut failures).await;
    assert!(consumer.received.is_empty(), "started from now");

    let [a, b, c] = [shop.order(), shop.order(), shop.order()];
    cron_through_faults(&shop, &mut feed, &mut consumer, &mut failures).await;
    shop.confirm(&[a, b]).await;
    shop.server.buyer().cancel(c).unwrap();
    // The checkpoint cannot be saved: the poll fails and hands out nothing...
    flaky.failing.store(true, Ordering::SeqCst);
    let error = loop {
        match shop.run(feed.poll()).await {
            Err(FeedError::Checkpoint(error)) => break error,
            Err(_) => failures += 1,
            Ok(batch) => panic!("a batch without a checkpoint: {batch:?}"),
        }
    };
    assert!(error.to_string().contains("disk full"));
    flaky.failing.store(false, Ordering::SeqCst);
    // ...and the next poll finds the same changes.
    cron_through_faults(&shop, &mut feed, &mut consumer, &mut failures).await;
    shop.ship(a).await;
    shop.ship(b).await;
    cron_through_faults(&shop, &mut feed, &mut consumer, &mut failures).await;
    shop.server.buyer().deliver(a).unwrap();
    let claim = shop.server.buyer().request_return(b, "단순 변심").unwrap();
    cron_through_faults(&shop, &mut feed, &mut consumer, &mut failures).await;
    shop.approve_return(claim).await;
    cron_through_faults(&shop, &mut feed, &mut consumer, &mut failures).await;
    shop.return_collected(claim).await;
    shop.complete_return(claim).await;
    cron_through_faults(&shop, &mut feed, &mut consumer, &mut failures).await;

    assert!(failures > 0, "the faults failed some polls");
    assert_eq!(consumer.received, consumer.handled, "nothing came twice");
    assert_eq!(
        consumer.order(a),
        strings(&["PAID", "PREPARING_PRODUCT", "DELIVERING", "DELIVERED"])
    );
    assert_eq!(
        consumer.order(b),
        strings(&[
            "PAID",
            "PREPARING_PRODUCT",
            "DELIVERING",
            "REQUESTED_RETURN",
            "CLAIM_COLLECTING",
            "COMPLETED_RETURN"
        ])
    );
    assert_eq!(consumer.order(c), strings(&["PAID", "CANCELED_PAYMENT"]));
    assert_eq!(
        consumer.claim(claim),
        strings(&["REQUESTED", "COLLECTING", "COMPLETED"])
    );
    assert_eq!(shop.server.throttled(), 0, "the feed kept within the quota");
}

#[tokio::test]
async fn the_stream_polls_once_per_interval_and_a_poll_reads_six_windows() {
    let shop = Shop::open(LocalServer::builder(), true).await;
    let demo = shop.rows().await.len() + 1; // the demo order products and return request
    let store: Arc<dyn CheckpointStore> = Arc::new(MemoryCheckpointStore::new());
    let mut stream = shop.feed(&store).stream();
    let before = shop.server.api_requests();
    // The first poll does not wait for the clock.
    for _ in 0..demo {
        stream.next().await.unwrap().unwrap();
    }
    // One order window (31 days) and five claim windows (7 days each), one page each.
    assert_eq!(shop.server.api_requests() - before, 6);
    // Asking for the item after the batch commits it, then waits for the clock: however
    // long the stream is left, no second poll is sent until the interval has passed on it.
    let _ = tokio::time::timeout(Duration::from_millis(100), stream.next()).await;
    assert_eq!(shop.server.api_requests() - before, 6);
    shop.clock.advance(INTERVAL - Duration::from_secs(1));
    let _ = tokio::time::timeout(Duration::from_millis(100), stream.next()).await;
    assert_eq!(shop.server.api_requests() - before, 6);
    let placed = shop.order();
    shop.clock.advance(Duration::from_secs(1));
    let event = stream.next().await.unwrap().unwrap();
    assert_eq!(event.order_product_id(), Some(placed));
    assert_eq!(shop.server.api_requests() - before, 12);
}

#[tokio::test]
async fn a_feed_refuses_bad_settings_foreign_batches_and_a_corrupt_checkpoint() {
    let shop = Shop::open(LocalServer::builder(), true).await;
    let zero = Feed::builder(shop.client.clone()).look_back_days(0).build();
    assert!(matches!(zero, Err(FeedError::LookBack { days: 0, .. })));

    let store: Arc<dyn CheckpointStore> = Arc::new(MemoryCheckpointStore::new());
    let mut feed = shop.feed(&store);
    let batch = shop.run(feed.poll()).await.unwrap();
    assert_eq!(batch.number(), 1);
    let foreign = feed.commit_number(7).await.unwrap_err();
    assert!(matches!(
        foreign,
        FeedError::NotPending {
            batch: 7,
            waiting: Some(1)
        }
    ));
    feed.commit(&batch).await.unwrap();
    // Committing again changes nothing.
    feed.commit(&batch).await.unwrap();

    let scratch = Scratch::new("corrupt");
    let files = FileCheckpointStore::new(&scratch.0);
    let key = CheckpointKey::new("demo-seller").unwrap();
    files
        .save(&key, b"{\"version\":1,\"state\":")
        .await
        .unwrap();
    let mut feed = shop.feed(&(Arc::new(files) as Arc<dyn CheckpointStore>));
    let error = shop.run(feed.poll()).await.unwrap_err();
    assert!(
        matches!(
            error,
            FeedError::Checkpoint(CheckpointError::Corrupt { .. })
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_feed_that_starts_from_now_reports_only_later_changes() {
    let shop = Shop::open(LocalServer::builder(), true).await;
    let from_now = |look_back| {
        Feed::builder(shop.client.clone())
            .clock(shop.clock.clone())
            .look_back_days(look_back)
            .announce_existing(false)
            .build()
            .unwrap()
    };
    let mut feed = from_now(31);
    assert!(shop.run(feed.poll()).await.unwrap().is_empty());
    let placed = shop.order();
    let batch = shop.run(feed.poll()).await.unwrap();
    assert_eq!(batch.events().len(), 1);
    assert_eq!(
        batch.events()[0].id.as_str(),
        format!("order_product:{placed}:0:PAID")
    );

    // A first poll that finds nothing is a start all the same: what comes next is announced.
    shop.clock.advance(Duration::from_secs(40 * 24 * 3600));
    let mut feed = from_now(1);
    assert!(shop.run(feed.poll()).await.unwrap().is_empty());
    let placed = shop.order();
    let batch = shop.run(feed.poll()).await.unwrap();
    assert_eq!(batch.events().len(), 1);
    assert_eq!(batch.events()[0].order_product_id(), Some(placed));
}
