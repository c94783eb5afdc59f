//! What one SDK call costs against the floor: a hand-written `reqwest` call that sends the
//! same request to the same loopback server and decodes into hand-written serde structs with
//! the same fields (issue 12, goal ≤ 1.05×).
//!
//! Two answers: the tiny penalty summary (`get_penalty_summary`) and a realistic 50-row order
//! page (`list_order_products`, built from `tests/fixtures/answers.json`: KST timestamps,
//! buyer fields, an enum value the spec does not know). An axum server on 127.0.0.1 answers
//! pre-built bytes (no validation, no state), the same bytes for both sides. The token
//! endpoint counts its requests: each SDK client asks exactly once, then its cache is warm.
//!
//! - **SDK** (`sdk`): a `Client` built as a user builds one (`ClientBuilder`, credentials,
//!   its own token provider, a 700-byte JWT-like token), default settings except unbounded
//!   rate-limit quotas, so nothing waits but the limiter's bookkeeping is still measured.
//!   `sdk_limiter_off` and `sdk_retries_off` show the limiter's and the retry layer's share.
//! - **Baseline** (`baseline_reqwest`): a `reqwest::Client` with the SDK's default timeouts,
//!   user agent and redirect policy; the same method, URL, query, `Accept` header and
//!   `Authorization: Bearer <same token>` (a ready `HeaderValue`, cloned per call, as a careful
//!   engineer keeps it); `serde_json::from_slice` into hand-written structs (`String` for
//!   timestamps and enums); both sides check the envelope's `resultType`.
//!
//! **Concurrency 1** runs on a current-thread runtime that holds the server and the client:
//! one thread, so no call crosses CPUs (the 2-vCPU VM wakes an idle CPU slowly, which would
//! triple a sequential loopback call). **Concurrency 64** spawns 64 calls per iteration on a
//! multi-thread runtime (one worker per CPU), its server on the same runtime.
//!
//! **Why three kinds of figure.** Criterion measures the rows one after the other; on a
//! shared machine the load changes between rows, so a ratio of two criterion means can drift
//! by more than the 5 % it is meant to judge. After the criterion groups (whose means
//! `cargo xtask bench-report` prints as ratios to `baseline_reqwest`), the bench therefore
//! measures **interleaved rounds**: each round times a batch of baseline calls and a batch of
//! each SDK row (every other round in reverse order), and the per-round ratio is taken; it
//! prints the median ratio of 101 rounds (`CALLS_ROUNDS=<n>` for another count) with the
//! lowest and highest as the spread. Load that changes slowly cancels in each round's
//! ratio. Last, it counts **heap allocations per call** on each side with a counting global
//! allocator (client thread only; the server runs on a thread of its own for this count).
//! Allocation counts do not depend on load, so they are the steadiest guide.
//!
//! Run: `cargo bench --features local-server --bench calls`, then `cargo xtask bench-report`.
//!
//! **Results** (2-vCPU VM shared with three other builds, load average 2.9–4.2 during the
//! runs, 2026-12-02; medians of the interleaved rounds, two runs each; allocations are exact):
//!
//! | row (ratio to `baseline_reqwest`)  | before | after |
//! |---|---|---|
//! | c1 penalty summary                 | 1.20, 1.25 | 1.09, 1.13 |
//! | c1 50-row order page               | 1.04, 1.07 | 1.02, 1.02 |
//! | c64 penalty summary (64 in flight) | 1.15, 1.16 | 1.16, 1.11 |
//! | c64 50-row order page              | 1.00, 0.99 | 1.00, 1.01 |
//! | allocations per tiny call (baseline 48) | 74 | 51 |
//! | allocations per 50-row page (baseline 944) | 831 | 809 |
//!
//! The page needs fewer allocations than the baseline because the SDK's timestamps and enums
//! hold no `String`. The tiny call stays about 1.1× after its extra allocations went from 26
//! to 3 (the call's one boxed future, its `Arc`'d task-local scope, the limiter's boxed
//! permit future); on this machine the round-to-round spread (about 0.8–1.6×) is wider than
//! the 5 % the goal judges, so the tiny-call ratio needs a quiet machine to settle.
//!
//! After the non-generic call core (same day, idle machine, three runs): tiny c1 1.064, 1.068,
//! 1.072; tiny c64 1.046, 1.095, 1.030; page c1 1.044, 1.039, 1.042; page c64 1.017, 0.993,
//! 1.001; 50 allocations per tiny call; 1.050× the baseline's instructions per tiny call under
//! callgrind (`CALLS_PROFILE=<row>:2000` minus `:500`). `docs/performance.md` has the detail.
//!
//! After smaller call futures (2026-12-03, three runs): tiny c1 1.054, 1.061, 1.059; tiny c64
//! 1.073, 1.105, 1.135; page c1 1.031, 1.050, 1.044; page c64 1.003, 1.025, 1.034; 49
//! allocations per tiny call; 1.051× the baseline's instructions (98,385 against 93,592; the
//! code before measured 1.062× that day).
//!
//! After a call sends its own request (2026-12-03, later; two runs, the scope passed to the
//! transport instead of a task-local; five runs): tiny c1 1.048, 1.045, 1.053, 1.061, 1.034;
//! tiny c64 1.045, 1.065, 1.072, 1.038, 1.029; page c1 1.016, 1.043, 1.064, 1.063, 1.058;
//! page c64 1.034, 1.027, 0.987, 1.030, 1.047; 49 allocations per tiny call; 1.049× and
//! 1.042× the baseline's instructions (97,846 against 93,267; 97,432 against 93,505); a
//! 50-row page 1.000× (1,794,143 against 1,793,644).
//!
//! With `CALLS_ROUNDS=101` and the 401 replay inlined into the attempt loop (2026-12-03,
//! 10:00–10:06, three runs): tiny c1 1.057, 1.050, 1.040; tiny c64 1.049, 1.039, 1.051; page
//! c1 1.027, 1.020, 1.015; page c64 0.998, 1.011, 1.000; 1.045× the baseline's instructions
//! (97,630 against 93,461).
//!
//! `CALLS_PROFILE=sdk:100000` (or `baseline_reqwest:100000`) runs only that many tiny calls of
//! one row, for `perf stat`/`perf record` or callgrind; `CALLS_PROFILE=sdk:400:page` runs
//! 50-row page calls instead. On 100,000 calls the SDK used 4.2–4.4 s of CPU
//! against 3.6–3.7 s (server included, same thread). The largest single extra in
//! `perf record` is `memmove` (about a third of the difference): the call's multi-kilobyte
//! nested futures are built on the stack and moved into their parents and the box. Then come
//! clock reads, the limiter's SipHash lookup of the seller, the task-local and `Instrumented`
//! wrappers, and `operation::find`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post};
use criterion::Criterion;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use serde::Deserialize;
use tokio::runtime::Runtime;
use toss_shopping::limit::Quotas;
use toss_shopping::{Client, RateLimits, RetryPolicy};

// ---------------------------------------------------------------------------------------
// Counting allocator: allocations made on threads that opted in.

/// Counts allocations on the threads that set [`COUNTING`].
struct Counting;

/// Allocations counted since the last reset.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Whether this thread's allocations are counted (the client's thread, during a count).
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

// SAFETY: forwards every call to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.try_with(Cell::get).unwrap_or(false) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.try_with(Cell::get).unwrap_or(false) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: `ptr` was allocated by `System` with `layout`; same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// ---------------------------------------------------------------------------------------
// The loopback server.

const PENALTY_PATH: &str = "/api/v3/shopping-fep/merchants/penalty/summary";
const ORDERS_PATH: &str = "/api/v3/shopping-fep/orders/v2";
const START: &str = "2026-07-01";
const END: &str = "2026-07-31";
/// The SDK's default user agent, sent by the baseline too so both requests are the same bytes.
const USER_AGENT: &str = concat!("toss-shopping-rust/", env!("CARGO_PKG_VERSION"));

/// The pre-built answers, shared by both sides.
struct Answers {
    token: Bytes,
    penalty: Bytes,
    orders: Bytes,
    /// The access token inside `token`.
    access_token: String,
}

/// A JWT-like access token of about 700 bytes, as Toss issues.
fn access_token() -> String {
    let header = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InRvc3Mtc2hvcHBpbmctZmVwIn0";
    let claims: String = (0..440)
        .map(|i| {
            char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[i % 64])
        })
        .collect();
    let signature: String = (0..180)
        .map(|i| {
            char::from(
                b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"[(i * 7) % 64],
            )
        })
        .collect();
    format!("{header}.{claims}.{signature}")
}

/// A 50-row order page from the fixture's two rows: varied ids, statuses (one the spec does
/// not know), timestamps (some null) and buyer fields.
fn orders_page() -> Bytes {
    let fixtures: serde_json::Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/answers.json"
    )))
    .expect("the fixtures parse");
    let rows = fixtures["listOrderProducts"]["success"]["results"]
        .as_array()
        .expect("fixture rows")
        .clone();
    let statuses = [
        "PAID",
        "PREPARING_PRODUCT",
        "DELIVERING",
        "DELIVERED",
        "PURCHASE_CONFIRMED",
        "HOLD_FOR_REVIEW",
    ];
    let page: Vec<serde_json::Value> = (0..50)
        .map(|i| {
            let mut row = rows[i % rows.len()].clone();
            let n = i as i64;
            row["orderId"] = (98_765 + n).into();
            row["orderProductId"] = (271_684_435 + 17 * n).into();
            row["ordererPhone"] = format!("0504-0000-{:04}", 10 + i).into();
            row["receiverRealPhone"] = format!("010-1234-{:04}", 100 + i).into();
            row["orderProductStatus"] = statuses[i % statuses.len()].into();
            row["orderedAt"] =
                format!("2026-07-{:02}T{:02}:{:02}:39", 1 + i % 28, i % 24, i % 60).into();
            row["shippingDeadlineAt"] = format!("2026-07-{:02}T23:59:59", 3 + i % 26).into();
            if i % 5 == 4 {
                row["confirmedAt"] = format!("2026-07-{:02}T10:00:00+09:00", 4 + i % 25).into();
            }
            row
        })
        .collect();
    let answer = serde_json::json!({
        "resultType": "SUCCESS",
        "success": {"results": page, "nextCursor": "eyJvcmRlclByb2R1Y3RJZCI6MjcxNjkwMDEyfQ"},
        "error": null,
    });
    Bytes::from(serde_json::to_vec(&answer).expect("the page encodes"))
}

impl Answers {
    fn new() -> Self {
        let access_token = access_token();
        let token = serde_json::json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3599,
        });
        Self {
            token: Bytes::from(serde_json::to_vec(&token).expect("token answer")),
            penalty: Bytes::from_static(
                br#"{"resultType":"SUCCESS","success":{"score":3,"count":1,"isPenalized":false},"error":null}"#,
            ),
            orders: orders_page(),
            access_token,
        }
    }
}

/// A running loopback server: its base URL and how many token requests it answered.
struct Server {
    base: String,
    token_requests: Arc<AtomicUsize>,
}

/// Starts the server on the current runtime (call inside it).
async fn serve(answers: &Answers) -> Server {
    let token_requests = Arc::new(AtomicUsize::new(0));
    let json = |body: Bytes| {
        move || std::future::ready(([(CONTENT_TYPE, "application/json")], body.clone()))
    };
    let counter = token_requests.clone();
    let token = answers.token.clone();
    let app = Router::new()
        .route(
            "/token",
            post(move || {
                counter.fetch_add(1, Ordering::Relaxed);
                std::future::ready(([(CONTENT_TYPE, "application/json")], token.clone()))
            }),
        )
        .route(PENALTY_PATH, get(json(answers.penalty.clone())))
        .route(ORDERS_PATH, get(json(answers.orders.clone())));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server {
        base,
        token_requests,
    }
}

// ---------------------------------------------------------------------------------------
// The two sides.

/// The hand-written envelope.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandEnvelope<T> {
    result_type: String,
    success: Option<T>,
    #[allow(dead_code)]
    error: Option<HandError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandError {
    error_code: Option<String>,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandPenalty {
    score: i32,
    count: i32,
    is_penalized: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandPage {
    #[serde(default)]
    results: Vec<HandOrder>,
    next_cursor: Option<String>,
}

/// Every field of the SDK's `OrderProduct`; `String` for timestamps and enums.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct HandOrder {
    address: Option<String>,
    canceled_at: Option<String>,
    confirmed_at: Option<String>,
    delivery_company_code: Option<String>,
    delivery_fee: Option<i64>,
    delivery_fee_group_id: Option<i64>,
    delivery_location_type: Option<String>,
    detail_address: Option<String>,
    jeju_delivery_fee: Option<i64>,
    mountain_delivery_fee: Option<i64>,
    normal_delivery_fee: Option<i64>,
    option_name: Option<String>,
    order_id: Option<i64>,
    order_product_id: Option<i64>,
    order_product_status: Option<String>,
    ordered_at: Option<String>,
    orderer_name: Option<String>,
    orderer_phone: Option<String>,
    orderer_real_phone: Option<String>,
    origin_price: Option<i64>,
    price: Option<i64>,
    product_id: Option<i64>,
    product_item_management_code: Option<String>,
    product_management_code: Option<String>,
    product_name: Option<String>,
    quantity: Option<i64>,
    receiver_name: Option<String>,
    receiver_phone: Option<String>,
    receiver_real_phone: Option<String>,
    shipping_deadline_at: Option<String>,
    shipping_note: Option<String>,
    shipping_tracking_number: Option<String>,
    stock_id: Option<i64>,
    toss_pay_discount: Option<i64>,
    toss_pay_point: Option<i64>,
    toss_shopping_discount: Option<i64>,
    total_discount_price: Option<i64>,
}

/// The hand-written client: what a careful engineer writes without the SDK.
#[derive(Clone)]
struct Hand {
    http: reqwest::Client,
    penalty_url: String,
    orders_url: String,
    authorization: HeaderValue,
}

impl Hand {
    fn new(base: &str, token: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .expect("reqwest client");
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).expect("a header value");
        authorization.set_sensitive(true);
        Self {
            http,
            penalty_url: format!("{base}{PENALTY_PATH}"),
            orders_url: format!("{base}{ORDERS_PATH}"),
            authorization,
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> T {
        let response = request
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), 200);
        let body = response.bytes().await.expect("a body");
        let envelope: HandEnvelope<T> = serde_json::from_slice(&body).expect("the answer decodes");
        assert_eq!(envelope.result_type, "SUCCESS");
        envelope.success.expect("a payload")
    }

    async fn penalty(&self) -> HandPenalty {
        self.get(self.http.get(&self.penalty_url)).await
    }

    async fn orders(&self) -> HandPage {
        let query = [("endDate", END), ("startDate", START)];
        self.get(self.http.get(&self.orders_url).query(&query))
            .await
    }
}

/// The SDK's rows: default settings but for the rate limit (and, in two rows, one layer off).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Variant {
    Sdk,
    LimiterOff,
    RetriesOff,
}

impl Variant {
    const ALL: [Self; 3] = [Self::Sdk, Self::LimiterOff, Self::RetriesOff];

    fn name(self) -> &'static str {
        match self {
            Self::Sdk => "sdk",
            Self::LimiterOff => "sdk_limiter_off",
            Self::RetriesOff => "sdk_retries_off",
        }
    }

    fn client(self, server: &Server) -> Client {
        // A quota this large spaces permits 1 ns apart: nothing waits, the bookkeeping runs.
        let unbounded = Quotas {
            read: u32::MAX,
            write: u32::MAX,
            product: u32::MAX,
        };
        let mut builder = Client::builder()
            .base_url(&server.base)
            .token_url(format!("{}/token", server.base))
            .credentials("bench-access-key", "bench-secret-key")
            .rate_limits(RateLimits::Custom(unbounded));
        match self {
            Self::Sdk => {}
            Self::LimiterOff => builder = builder.rate_limits(RateLimits::Off),
            Self::RetriesOff => builder = builder.retry(RetryPolicy::none()),
        }
        builder.build().expect("the client builds")
    }
}

/// The answer each benchmark calls for.
#[derive(Clone, Copy, Debug)]
enum Answer {
    Penalty,
    Orders,
}

impl Answer {
    const ALL: [Self; 2] = [Self::Penalty, Self::Orders];

    fn name(self) -> &'static str {
        match self {
            Self::Penalty => "penalty_summary",
            Self::Orders => "order_page_50",
        }
    }
}

fn start_date() -> chrono::NaiveDate {
    START.parse().expect("a date")
}

fn end_date() -> chrono::NaiveDate {
    END.parse().expect("a date")
}

async fn sdk_call(client: &Client, answer: Answer) {
    match answer {
        Answer::Penalty => {
            black_box(client.get_penalty_summary().await.expect("the SDK call"));
        }
        Answer::Orders => {
            let page = client
                .list_order_products()
                .start_date(start_date())
                .end_date(end_date())
                .await
                .expect("the SDK call");
            assert_eq!(page.results.len(), 50);
            black_box(page);
        }
    }
}

async fn hand_call(hand: &Hand, answer: Answer) {
    match answer {
        Answer::Penalty => {
            black_box(hand.penalty().await);
        }
        Answer::Orders => {
            let page = hand.orders().await;
            assert_eq!(page.results.len(), 50);
            black_box(page);
        }
    }
}

/// One side of a comparison.
#[derive(Clone)]
enum Side {
    Hand(Hand),
    Sdk(Variant, Arc<Client>),
}

impl Side {
    fn name(&self) -> &'static str {
        match self {
            Self::Hand(_) => "baseline_reqwest",
            Self::Sdk(variant, _) => variant.name(),
        }
    }

    async fn call(&self, answer: Answer) {
        match self {
            Self::Hand(hand) => hand_call(hand, answer).await,
            Self::Sdk(_, client) => sdk_call(client, answer).await,
        }
    }

    /// `width` calls at once, each on a task of its own.
    async fn burst(&self, answer: Answer, width: usize) {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..width {
            let side = self.clone();
            tasks.spawn(async move { side.call(answer).await });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("a call task");
        }
    }
}

/// A runtime with a server and both sides on it, warmed up (tokens cached, connections open).
struct Setup {
    runtime: Runtime,
    sides: Vec<Side>,
    server: Server,
}

impl Setup {
    fn new(runtime: Runtime, answers: &Answers) -> Self {
        let server = runtime.block_on(serve(answers));
        let mut sides = vec![Side::Hand(Hand::new(&server.base, &answers.access_token))];
        for variant in Variant::ALL {
            sides.push(Side::Sdk(variant, Arc::new(variant.client(&server))));
        }
        runtime.block_on(async {
            for side in &sides {
                for answer in Answer::ALL {
                    side.burst(answer, 64).await;
                }
            }
        });
        Self {
            runtime,
            sides,
            server,
        }
    }

    /// Each SDK client asked for its token exactly once.
    fn check_tokens(&self) {
        let asked = self.server.token_requests.load(Ordering::Relaxed);
        assert_eq!(
            asked,
            Variant::ALL.len(),
            "one token request per SDK client"
        );
    }
}

fn current_thread() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn multi_thread() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// How many calls run at once in the concurrent groups.
const WIDTH: usize = 64;

// ---------------------------------------------------------------------------------------
// Criterion groups.

fn criterion_groups(c: &mut Criterion, c1: &Setup, c64: &Setup) {
    for answer in Answer::ALL {
        let mut group = c.benchmark_group(format!("calls_c1_{}", answer.name()));
        group.measurement_time(Duration::from_secs(4));
        for side in &c1.sides {
            group.bench_function(side.name(), |b| {
                b.to_async(&c1.runtime).iter(|| side.call(answer))
            });
        }
        group.finish();
    }
    for answer in Answer::ALL {
        let mut group = c.benchmark_group(format!("calls_c64_{}", answer.name()));
        group.measurement_time(Duration::from_secs(4));
        group.sample_size(30);
        for side in &c64.sides {
            group.bench_function(side.name(), |b| {
                b.to_async(&c64.runtime).iter(|| side.burst(answer, WIDTH))
            });
        }
        group.finish();
    }
}

// ---------------------------------------------------------------------------------------
// Interleaved rounds.

/// Rounds per comparison unless `CALLS_ROUNDS` says otherwise; the median of their ratios is
/// reported. On the 2-vCPU VM the median of 31 rounds moved by ±3 % from run to run (up to
/// 1.08 for a page whose instructions equal the baseline's); 101 keep it within about ±1 %.
const ROUNDS: usize = 101;

/// `CALLS_ROUNDS`, or [`ROUNDS`].
fn rounds() -> usize {
    std::env::var("CALLS_ROUNDS")
        .ok()
        .map(|rounds| rounds.parse().expect("CALLS_ROUNDS=<whole number>"))
        .filter(|rounds| *rounds > 0)
        .unwrap_or(ROUNDS)
}

/// Times `batches` iterations of `side` (one call, or one burst of [`WIDTH`]).
fn time_batch(setup: &Setup, side: &Side, answer: Answer, width: usize, batches: u32) -> Duration {
    setup.runtime.block_on(async {
        let started = Instant::now();
        for _ in 0..batches {
            if width == 1 {
                side.call(answer).await;
            } else {
                side.burst(answer, width).await;
            }
        }
        started.elapsed()
    })
}

fn interleaved(label: &str, setup: &Setup, width: usize) {
    for answer in Answer::ALL {
        // About 50 ms per batch, so a round of four rows stays well under a second. The
        // fastest of three probes, so one slow moment does not shrink every batch.
        let probe = (0..3)
            .map(|_| time_batch(setup, &setup.sides[0], answer, width, 20) / 20)
            .min()
            .unwrap_or_default();
        let batches =
            (Duration::from_millis(50).as_nanos() / probe.as_nanos().max(1)).max(5) as u32;
        let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); setup.sides.len()];
        let mut means: Vec<Vec<f64>> = vec![Vec::new(); setup.sides.len()];
        let rounds = rounds();
        for number in 0..rounds {
            let mut round = vec![0.0; setup.sides.len()];
            // Every other round runs the rows backwards, so a drift in load favours no row.
            let mut order: Vec<usize> = (0..setup.sides.len()).collect();
            if number % 2 == 1 {
                order.reverse();
            }
            for index in order {
                let took = time_batch(setup, &setup.sides[index], answer, width, batches);
                round[index] = took.as_nanos() as f64 / f64::from(batches);
            }
            for (index, mean) in round.iter().enumerate() {
                ratios[index].push(mean / round[0]);
                means[index].push(*mean);
            }
        }
        println!(
            "interleaved {label} {}: {rounds} rounds of {batches} iterations",
            answer.name()
        );
        for (index, side) in setup.sides.iter().enumerate() {
            let (lo, median, hi) = spread(&mut ratios[index]);
            let (_, mean, _) = spread(&mut means[index]);
            println!(
                "  {:<18} median {:>9.1} µs/iter  ratio {median:.3} (rounds {lo:.3}–{hi:.3})",
                side.name(),
                mean / 1000.0,
            );
        }
    }
}

/// The lowest, the median and the highest.
fn spread(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        values[0],
        values[values.len() / 2],
        values[values.len() - 1],
    )
}

// ---------------------------------------------------------------------------------------
// Allocations per call.

/// Counts the client thread's allocations per call, the server on a thread of its own.
fn allocations(answers: &Answers) {
    let server_runtime = multi_thread();
    let server = server_runtime.block_on(serve(answers));
    let client_runtime = current_thread();
    let mut sides = vec![Side::Hand(Hand::new(&server.base, &answers.access_token))];
    for variant in Variant::ALL {
        sides.push(Side::Sdk(variant, Arc::new(variant.client(&server))));
    }
    const CALLS: u64 = 1_000;
    println!("allocations per call (client thread only, mean of {CALLS} calls)");
    for answer in Answer::ALL {
        let mut line = format!("  {:<16}", answer.name());
        for side in &sides {
            let count = client_runtime.block_on(async {
                for _ in 0..10 {
                    side.call(answer).await;
                }
                ALLOCATIONS.store(0, Ordering::Relaxed);
                COUNTING.with(|on| on.set(true));
                for _ in 0..CALLS {
                    side.call(answer).await;
                }
                COUNTING.with(|on| on.set(false));
                ALLOCATIONS.load(Ordering::Relaxed)
            });
            line.push_str(&format!(
                "  {} {:.1}",
                side.name(),
                count as f64 / CALLS as f64
            ));
        }
        println!("{line}");
    }
}

/// `CALLS_PROFILE=<row>:<calls>` runs only that many tiny calls of one row at concurrency 1,
/// for a profiler (`perf stat`, `perf record`) to compare the rows call for call.
fn profile(answers: &Answers, spec: &str) {
    let mut parts = spec.split(':');
    let row = parts.next().unwrap_or_default();
    let calls: u32 = parts
        .next()
        .unwrap_or("100000")
        .parse()
        .expect("CALLS_PROFILE=<row>:<calls>[:page]");
    let answer = match parts.next() {
        Some("page") => Answer::Orders,
        _ => Answer::Penalty,
    };
    let setup = Setup::new(current_thread(), answers);
    let side = setup
        .sides
        .iter()
        .find(|side| side.name() == row)
        .expect("a row name");
    let took = time_batch(&setup, side, answer, 1, calls);
    println!(
        "{row}: {:.1} µs per call",
        took.as_secs_f64() * 1e6 / f64::from(calls)
    );
}

fn main() {
    let answers = Answers::new();
    if let Ok(spec) = std::env::var("CALLS_PROFILE") {
        return profile(&answers, &spec);
    }
    println!(
        "token {} bytes; order page {} bytes",
        answers.access_token.len(),
        answers.orders.len()
    );
    let c1 = Setup::new(current_thread(), &answers);
    let c64 = Setup::new(multi_thread(), &answers);
    let mut criterion = Criterion::default().configure_from_args();
    criterion_groups(&mut criterion, &c1, &c64);
    criterion.final_summary();
    // `cargo test --benches` runs each benchmark once; the extra reports are for `cargo bench`.
    if std::env::args().any(|arg| arg == "--bench") {
        interleaved("c1", &c1, 1);
        interleaved("c64", &c64, WIDTH);
        allocations(&answers);
    }
    c1.check_tokens();
    c64.check_tokens();
}
