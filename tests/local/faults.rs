//! Each kind of injected fault, as the SDK sees it, and the seeded generator that decides
//! them.

use std::sync::Arc;
use std::time::Duration;

use toss_shopping::auth::ManualClock;
use toss_shopping::local::{Fault, FaultRule, Faults, LocalServer};
use toss_shopping::{CallExt, Error, RateLimits, RetryPolicy};

use crate::support::{drive, start, start_on};

fn once(fault: Fault) -> Faults {
    Faults::seeded(7).rule(FaultRule::new(fault).on("get_penalty_summary").times(1))
}

#[tokio::test]
async fn latency_beyond_the_callers_timeout_is_a_timeout_and_within_it_only_a_delay() {
    // The server's latency runs on the manual clock, which nobody moves during the first
    // call: it never answers, and the call's own (real-time) timeout must end it.
    let clock = Arc::new(ManualClock::new());
    let slow = Faults::seeded(7)
        .rule(FaultRule::new(Fault::Latency(Duration::from_secs(30))).on("get_penalty_summary"));
    let (server, client) = start_on(&clock, LocalServer::builder().faults(slow)).await;
    let error = client
        .get_penalty_summary()
        .timeout(Duration::from_millis(200))
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");

    // Two seconds of latency, with the clock moved while the call waits: only a delay.
    server
        .set_faults(Faults::seeded(7).rule(FaultRule::new(Fault::Latency(Duration::from_secs(2)))));
    drive(&clock, Duration::from_secs(1), client.get_penalty_summary())
        .await
        .expect("slow but in time");
}

#[tokio::test]
async fn an_outage_is_a_server_error_and_a_safe_read_is_retried_past_it() {
    let (_server, client) = start(LocalServer::builder().faults(once(Fault::Status(503)))).await;
    let error = client.get_penalty_summary().await.expect_err("outage");
    assert!(
        matches!(error, Error::Server { status: 503, .. }),
        "{error:?}"
    );

    let clock = Arc::new(ManualClock::new());
    let server = LocalServer::builder()
        .clock(clock.clone())
        .faults(once(Fault::Status(503)))
        .start()
        .await
        .expect("server");
    let retrying = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::standard())
        .build()
        .expect("client");
    drive(
        &clock,
        Duration::from_millis(100),
        retrying.get_penalty_summary(),
    )
    .await
    .expect("the retry gets through");
    assert_eq!(server.api_requests(), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_never_an_empty_success() {
    let (_server, client) = start(LocalServer::builder().faults(once(Fault::DropConnection))).await;
    let error = client.get_penalty_summary().await.expect_err("dropped");
    assert!(
        matches!(error, Error::Transport(_) | Error::Decode(_)),
        "{error:?}"
    );
    assert!(error.is_retryable(), "{error:?}");
    client
        .get_penalty_summary()
        .await
        .expect("the next call is fine");
}

#[tokio::test]
async fn a_throttle_fault_is_rate_limited_even_under_the_quota() {
    let (_server, client) = start(LocalServer::builder().faults(once(Fault::Throttle))).await;
    let error = client.get_penalty_summary().await.expect_err("throttled");
    assert!(error.is_rate_limited(), "{error:?}");
}

#[tokio::test]
async fn faults_only_hit_their_operation() {
    let (_server, client) = start(LocalServer::builder().faults(once(Fault::Status(500)))).await;
    client
        .list_child_categories()
        .await
        .expect("another operation is untouched");
}

/// Which of `calls` calls failed, on a fresh server with `faults`.
async fn failures(faults: Faults, calls: usize) -> Vec<bool> {
    let (_server, client) = start(LocalServer::builder().without_quotas().faults(faults)).await;
    let mut failed = Vec::new();
    for _ in 0..calls {
        failed.push(client.get_penalty_summary().await.is_err());
    }
    failed
}

#[tokio::test]
async fn the_same_seed_fails_the_same_calls_and_about_the_given_share() {
    let faults = || Faults::seeded(99).rule(FaultRule::new(Fault::Status(503)).probability(0.25));
    let first = failures(faults(), 200).await;
    let second = failures(faults(), 200).await;
    assert_eq!(first, second, "the seed decides");
    let share = first.iter().filter(|failed| **failed).count();
    assert!((30..=70).contains(&share), "{share} of 200");
}
