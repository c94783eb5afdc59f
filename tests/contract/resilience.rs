//! Retries and client-side rate limits, on a manual clock: no test waits for real time to
//! pass, and every timestamp the server records is the manual clock's.

use std::future::IntoFuture;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use toss_shopping::auth::{Clock, ManualClock};
use toss_shopping::limit::{LocalRateLimiter, Quotas};
use toss_shopping::retry::RetryBudget;
use toss_shopping::{CallExt, Client, Error, RateLimiter, RateLimits, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{PREFIX, fail, ok};

const PENALTY: &str = "/merchants/penalty/summary";
const SUMMARY: fn() -> serde_json::Value = || json!({"score": 0, "count": 0, "isPenalized": false});

/// A client on `server` reading time from `clock`.
fn client(
    server: &MockServer,
    clock: &Arc<ManualClock>,
    token: &str,
) -> toss_shopping::ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(token.to_string())
        .clock(clock.clone())
}

/// Runs `call` to the end, moving the manual clock on by `step` whenever it waits. The call
/// gets real time for its network work between steps; only its sleeps follow the clock.
async fn drive<T>(clock: &ManualClock, step: Duration, call: impl IntoFuture<Output = T>) -> T {
    let mut call = pin!(call.into_future());
    for _ in 0..10_000 {
        match tokio::time::timeout(Duration::from_millis(10), call.as_mut()).await {
            Ok(output) => return output,
            Err(_) => clock.advance(step),
        }
    }
    panic!("the call did not finish");
}

/// Answers with `answers` in turn (the last one from then on), recording the manual time of
/// each request.
fn answering(
    clock: &Arc<ManualClock>,
    answers: Vec<ResponseTemplate>,
) -> (impl wiremock::Respond + use<>, Arc<Mutex<Vec<Instant>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (clock, record) = (clock.clone(), seen.clone());
    let responder = move |_: &Request| {
        let mut seen = record.lock().expect("not poisoned");
        seen.push(clock.now());
        answers[(seen.len() - 1).min(answers.len() - 1)].clone()
    };
    (responder, seen)
}

async fn mount(server: &MockServer, route: &str, responder: impl wiremock::Respond + 'static) {
    Mock::given(path(format!("{PREFIX}{route}")))
        .respond_with(responder)
        .mount(server)
        .await;
}

fn throttled() -> ResponseTemplate {
    fail("TOO_MANY_REQUEST", "요청이 너무 많습니다.")
}

#[tokio::test]
async fn throttling_inside_http_200_is_retried_with_backoff_and_then_succeeds() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let (responder, seen) = answering(&clock, vec![throttled(), throttled(), ok(SUMMARY())]);
    mount(&server, PENALTY, responder).await;
    let client = client(&server, &clock, "t").build().expect("client");
    let reported = drive(
        &clock,
        Duration::from_millis(50),
        client.get_penalty_summary().reported(),
    )
    .await;
    let summary = reported
        .result
        .expect("succeeds after two throttled attempts");
    assert_eq!(summary.score, 0);
    assert_eq!(reported.attempts, 3);
    let seen = seen.lock().expect("not poisoned").clone();
    assert_eq!(seen.len(), 3);
    assert!(
        seen[1] > seen[0] && seen[2] > seen[1],
        "each retry waited: {seen:?}"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let slow_down = ResponseTemplate::new(429).insert_header("Retry-After", "7");
    let (responder, seen) = answering(&clock, vec![slow_down, ok(SUMMARY())]);
    mount(&server, PENALTY, responder).await;
    let client = client(&server, &clock, "t").build().expect("client");
    drive(
        &clock,
        Duration::from_millis(100),
        client.get_penalty_summary(),
    )
    .await
    .expect("succeeds after the wait");
    let seen = seen.lock().expect("not poisoned").clone();
    assert!(
        seen[1] - seen[0] >= Duration::from_secs(7),
        "waited {:?}",
        seen[1] - seen[0]
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_not_waited_for() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let slow_down = ResponseTemplate::new(429).insert_header("Retry-After", "3600");
    let (responder, seen) = answering(&clock, vec![slow_down]);
    mount(&server, PENALTY, responder).await;
    let client = client(&server, &clock, "t").build().expect("client");
    let error = drive(
        &clock,
        Duration::from_millis(100),
        client.get_penalty_summary(),
    )
    .await
    .expect_err("not retried");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(seen.lock().expect("not poisoned").len(), 1);
}

/// A product registration body that passes every rule of the spec.
fn registration() -> toss_shopping::types::ProductRegistration {
    serde_json::from_value(crate::support::registration_json()).expect("a valid registration")
}

#[tokio::test]
async fn a_product_registration_that_reached_the_server_is_never_resent() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let (responder, seen) = answering(&clock, vec![ResponseTemplate::new(503)]);
    mount(&server, "/products/v2", responder).await;
    let client = client(&server, &clock, "t").build().expect("client");
    let error = drive(
        &clock,
        Duration::from_millis(100),
        client.register_product().body(registration()),
    )
    .await
    .expect_err("a 503");
    assert_eq!(seen.lock().expect("not poisoned").len(), 1, "sent once");
    let Error::Unconfirmed { operation, source } = &error else {
        panic!("expected Error::Unconfirmed, got {error:?}");
    };
    assert_eq!(*operation, "register_product");
    assert!(matches!(**source, Error::Server { status: 503, .. }));
    assert!(
        error.to_string().contains("check before re-submitting"),
        "{error}"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_status_change_that_timed_out_is_not_resent_either() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let (responder, seen) = answering(&clock, vec![ResponseTemplate::new(502)]);
    mount(&server, "/orders/products/status", responder).await;
    let client = client(&server, &clock, "t").build().expect("client");
    let call = client.change_order_product_status().body_map(|b| {
        b.order_product_ids(vec![5001])
            .status(toss_shopping::types::OrderProductStatusChange::PreparingProduct)
    });
    let error = drive(&clock, Duration::from_millis(100), call)
        .await
        .expect_err("a 502");
    assert!(matches!(error, Error::Unconfirmed { .. }), "{error:?}");
    assert_eq!(seen.lock().expect("not poisoned").len(), 1);
}

#[tokio::test]
async fn a_product_registration_that_never_connected_is_resent() {
    let clock = Arc::new(ManualClock::new());
    // Nothing listens on the port for the first attempt; the server starts on it before the
    // retry.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .bearer_token("t")
        .clock(clock.clone())
        .retry(RetryPolicy {
            jitter: false,
            ..RetryPolicy::standard()
        })
        .build()
        .expect("client");
    let mut call = pin!(
        client
            .register_product()
            .body(registration())
            .reported()
            .into_future()
    );
    // The first attempt fails to connect and the call sleeps on the manual clock.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), call.as_mut())
            .await
            .is_err(),
        "the call waits to retry"
    );
    let listener = std::net::TcpListener::bind(address).expect("the port is free again");
    let server = MockServer::builder().listener(listener).start().await;
    let (responder, seen) = answering(&clock, vec![ok(json!({"id": 1234568}))]);
    mount(&server, "/products/v2", responder).await;
    let reported = drive(&clock, Duration::from_millis(100), call).await;
    assert_eq!(reported.result.expect("registered").id, Some(1234568));
    assert_eq!(reported.attempts, 2);
    assert_eq!(
        seen.lock().expect("not poisoned").len(),
        1,
        "the server saw one request"
    );
}

#[tokio::test]
async fn the_retry_budget_stops_retrying_during_a_long_outage() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let (responder, seen) = answering(&clock, vec![ResponseTemplate::new(503)]);
    mount(&server, PENALTY, responder).await;
    // A 5xx retry costs 10 permits: this budget pays for two.
    let budget = Arc::new(RetryBudget::new(20));
    let client = client(&server, &clock, "t")
        .retry_budget(budget.clone())
        .build()
        .expect("client");
    let mut attempts = Vec::new();
    for _ in 0..5 {
        let reported = drive(
            &clock,
            Duration::from_millis(100),
            client.get_penalty_summary().reported(),
        )
        .await;
        assert!(matches!(
            reported.result,
            Err(Error::Server { status: 503, .. })
        ));
        attempts.push(reported.attempts);
    }
    assert_eq!(attempts, [3, 1, 1, 1, 1]);
    assert_eq!(seen.lock().expect("not poisoned").len(), 7);
    assert_eq!(budget.available(), 0);
}

#[tokio::test]
async fn a_call_can_set_its_own_retry_policy() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let (responder, seen) = answering(&clock, vec![throttled(), ok(SUMMARY())]);
    mount(&server, PENALTY, responder).await;
    let client = client(&server, &clock, "t").build().expect("client");
    let error = drive(
        &clock,
        Duration::from_millis(100),
        client.get_penalty_summary().retry(RetryPolicy::none()),
    )
    .await
    .expect_err("no retry");
    assert!(error.is_rate_limited());
    assert_eq!(seen.lock().expect("not poisoned").len(), 1);
}

/// Sends `n` calls from each client at once and lets the manual clock run in steps of
/// `step`, never moving on while a request that is due has not reached the server. Returns
/// the manual times at which the server saw the requests of each client.
async fn burst(
    clock: &Arc<ManualClock>,
    server: &MockServer,
    clients: &[Client],
    n: usize,
    spacing: Duration,
) -> Vec<Vec<Instant>> {
    burst_of(
        clock,
        server,
        clients,
        n,
        spacing,
        ("GET", PENALTY),
        |client| Box::pin(async move { client.get_penalty_summary().await.map(drop) }),
    )
    .await
}

type CallOf = fn(Client) -> toss_shopping::auth::BoxFuture<'static, Result<(), Error>>;

/// [`burst`] for any operation: `route` is its method and path, `call` sends it once.
async fn burst_of(
    clock: &Arc<ManualClock>,
    server: &MockServer,
    clients: &[Client],
    n: usize,
    spacing: Duration,
    route: (&str, &str),
    call: CallOf,
) -> Vec<Vec<Instant>> {
    let start = clock.now();
    let mut seen = Vec::new();
    let mut calls = Vec::new();
    for (index, client) in clients.iter().enumerate() {
        let token = format!("seller-{index}");
        let record = Arc::new(Mutex::new(Vec::new()));
        let (clock_for_server, record_for_server) = (clock.clone(), record.clone());
        Mock::given(method(route.0))
            .and(path(format!("{PREFIX}{}", route.1)))
            .and(wiremock::matchers::bearer_token(token))
            .respond_with(move |_: &Request| {
                record_for_server
                    .lock()
                    .expect("not poisoned")
                    .push(clock_for_server.now());
                ok(json!({"score": 0, "count": 0, "isPenalized": false, "id": 1}))
            })
            .mount(server)
            .await;
        seen.push(record);
        for _ in 0..n {
            let client = client.clone();
            calls.push(tokio::spawn(call(client)));
        }
    }
    let total = |seen: &[Arc<Mutex<Vec<Instant>>>]| -> usize {
        seen.iter()
            .map(|s| s.lock().expect("not poisoned").len())
            .sum()
    };
    // Evenly spaced slots from `start`: request k of each client is due at k * spacing.
    let due = |now: Instant| -> usize {
        let slots = (now - start).as_nanos() / spacing.as_nanos() + 1;
        clients.len() * n.min(slots as usize)
    };
    while total(&seen) < clients.len() * n {
        let wanted = due(clock.now());
        for _ in 0..2_000 {
            if total(&seen) >= wanted {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(total(&seen), wanted, "every due request reached the server");
        clock.advance(spacing / 2);
    }
    for call in calls {
        call.await.expect("joined").expect("the call succeeds");
    }
    seen.iter()
        .map(|s| s.lock().expect("not poisoned").clone())
        .collect()
}

/// The most requests in any one-second window.
fn most_in_a_second(times: &[Instant]) -> usize {
    (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|t| **t < times[i] + Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn reads_never_exceed_50_per_second_and_use_the_whole_quota() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let client = client(&server, &clock, "seller-0").build().expect("client");
    let seen = burst(&clock, &server, &[client], 120, Duration::from_millis(20)).await;
    let times = &seen[0];
    assert_eq!(most_in_a_second(times), 50);
    let span = *times.last().expect("requests") - times[0];
    let rate = (times.len() - 1) as f64 / span.as_secs_f64();
    assert!(rate >= 0.95 * 50.0, "sustained {rate:.1} requests/s");
}

#[tokio::test]
async fn product_writes_never_exceed_10_per_second_and_use_the_whole_quota() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let client = client(&server, &clock, "seller-0").build().expect("client");
    let update: CallOf = |client| {
        Box::pin(async move {
            let call = client
                .update_product()
                .product_id(1234568)
                .body(registration());
            call.await.map(drop)
        })
    };
    let route = ("PUT", "/products/1234568/v2");
    let seen = burst_of(
        &clock,
        &server,
        &[client],
        35,
        Duration::from_millis(100),
        route,
        update,
    )
    .await;
    let times = &seen[0];
    assert_eq!(most_in_a_second(times), 10);
    let span = *times.last().expect("requests") - times[0];
    let rate = (times.len() - 1) as f64 / span.as_secs_f64();
    assert!(rate >= 0.95 * 10.0, "sustained {rate:.1} requests/s");
}

#[tokio::test]
async fn two_sellers_have_independent_limits() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let limiter: Arc<dyn RateLimiter> = Arc::new(LocalRateLimiter::new(
        Quotas {
            read: 10,
            ..Quotas::VENDOR
        },
        clock.clone(),
    ));
    let clients: Vec<Client> = (0..2)
        .map(|i| {
            client(&server, &clock, &format!("seller-{i}"))
                .rate_limiter(limiter.clone())
                .build()
                .expect("client")
        })
        .collect();
    let seen = burst(&clock, &server, &clients, 20, Duration::from_millis(100)).await;
    for times in &seen {
        assert_eq!(most_in_a_second(times), 10, "each seller gets its own 10/s");
        assert_eq!(times[0], seen[0][0], "neither waits for the other");
    }
}

#[tokio::test]
async fn limits_can_be_switched_off() {
    let (server, clock) = (MockServer::start().await, Arc::new(ManualClock::new()));
    let (responder, seen) = answering(&clock, vec![ok(SUMMARY())]);
    mount(&server, PENALTY, responder).await;
    let client = client(&server, &clock, "t")
        .rate_limits(RateLimits::Off)
        .build()
        .expect("client");
    for _ in 0..60 {
        client.get_penalty_summary().await.expect("no wait at all");
    }
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(
        most_in_a_second(&seen),
        60,
        "all at the same manual instant"
    );
}

/// Counts the permits a client takes.
#[derive(Debug, Default)]
struct CountingLimiter(std::sync::atomic::AtomicUsize);

impl RateLimiter for CountingLimiter {
    fn acquire<'a>(
        &'a self,
        _: &'a toss_shopping::limit::SellerKey,
        _: toss_shopping::operation::RateLimitClass,
    ) -> toss_shopping::auth::BoxFuture<'a, Duration> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async { Duration::ZERO })
    }
}

/// Hands out `first` until it is rejected, then `second`.
#[derive(Debug, Default)]
struct Rotating(std::sync::atomic::AtomicBool);

impl toss_shopping::TokenSource for Rotating {
    fn token(
        &self,
    ) -> toss_shopping::auth::BoxFuture<
        '_,
        Result<toss_shopping::BearerToken, toss_shopping::AuthError>,
    > {
        let rotated = self.0.load(std::sync::atomic::Ordering::SeqCst);
        let token = if rotated { "second" } else { "first" };
        Box::pin(async move { Ok(toss_shopping::BearerToken::new(token)) })
    }

    fn invalidate(&self, _: &toss_shopping::BearerToken) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test]
async fn the_401_replay_takes_a_permit_of_its_own() {
    let server = MockServer::start().await;
    Mock::given(path(format!("{PREFIX}{PENALTY}")))
        .and(wiremock::matchers::bearer_token("first"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(format!("{PREFIX}{PENALTY}")))
        .and(wiremock::matchers::bearer_token("second"))
        .respond_with(ok(SUMMARY()))
        .expect(1)
        .mount(&server)
        .await;
    let limiter = Arc::new(CountingLimiter::default());
    let client = Client::builder()
        .base_url(server.uri())
        .token_source(Rotating::default())
        .rate_limiter(limiter.clone())
        .build()
        .expect("client");
    let reported = client.get_penalty_summary().reported().await;
    reported.result.expect("the replay succeeds");
    assert_eq!(reported.attempts, 1, "one call attempt");
    assert_eq!(
        limiter.0.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "two requests, two permits"
    );
}

#[tokio::test]
async fn a_call_can_set_its_own_timeout() {
    let server = MockServer::start().await;
    // The answer is 20 s late and the call gives up after 200 ms: a 100x margin.
    Mock::given(path(format!("{PREFIX}{PENALTY}")))
        .respond_with(ok(SUMMARY()).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client");
    let error = client
        .get_penalty_summary()
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::none())
        .await
        .expect_err("times out");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}
