//! The server's per-seller quotas, and how the SDK's rate limiter and retries meet them.

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use toss_shopping::auth::ManualClock;
use toss_shopping::limit::Quotas;
use toss_shopping::local::{Fault, FaultRule, Faults, LocalServer};
use toss_shopping::{Error, RateLimits, RetryPolicy};

use crate::support::{drive, start_on};

const FIVE_READS: Quotas = Quotas {
    read: 5,
    write: 30,
    product: 10,
};

#[tokio::test]
async fn over_the_quota_a_seller_gets_too_many_request_inside_http_200() {
    let clock = Arc::new(ManualClock::new());
    let (server, client) = start_on(&clock, LocalServer::builder().quotas(FIVE_READS)).await;
    for _ in 0..5 {
        client
            .get_penalty_summary()
            .await
            .expect("within the quota");
    }
    let error = client
        .get_penalty_summary()
        .await
        .expect_err("over the quota");
    assert!(
        matches!(error, Error::RateLimited { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(server.throttled(), 1);
    clock.advance(Duration::from_secs(1));
    client.get_penalty_summary().await.expect("a second later");
    assert_eq!(server.throttled(), 1, "the admitted call is not counted");
}

/// The client's limiter spaces permits evenly at the quota, but requests reach the server a
/// little later, and not all equally late: the server can see six within its one second now
/// and then, as the live API would. The limiter together with the retries keeps that from
/// the caller.
#[tokio::test]
async fn the_sdks_limiter_with_its_retries_never_lets_a_throttle_reach_the_caller() {
    let clock = Arc::new(ManualClock::new());
    let server = LocalServer::builder()
        .clock(clock.clone())
        .quotas(FIVE_READS)
        .start()
        .await
        .expect("server");
    let client = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Custom(FIVE_READS))
        .retry(RetryPolicy::standard())
        .build()
        .expect("client");
    let calls = (0..20).map(|_| client.get_penalty_summary().into_future());
    let results = drive(&clock, Duration::from_millis(50), join_all(calls)).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert!(server.api_requests() >= 20);
}

#[tokio::test]
async fn the_sdks_retries_ride_out_a_short_throttling_storm() {
    let clock = Arc::new(ManualClock::new());
    let storm = Faults::seeded(1).rule(FaultRule::new(Fault::Throttle).times(2));
    let server = LocalServer::builder()
        .clock(clock.clone())
        .faults(storm)
        .start()
        .await
        .expect("server");
    let client = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::standard())
        .build()
        .expect("client");
    let summary = drive(
        &clock,
        Duration::from_millis(100),
        client.get_penalty_summary(),
    )
    .await;
    summary.expect("the third attempt gets through");
    assert_eq!(server.api_requests(), 3);
}

#[tokio::test]
async fn without_retries_the_storm_reaches_the_caller_as_rate_limited() {
    let clock = Arc::new(ManualClock::new());
    let storm = Faults::seeded(1).rule(FaultRule::new(Fault::Throttle).times(2));
    let (server, client) = start_on(&clock, LocalServer::builder().faults(storm)).await;
    let error = client.get_penalty_summary().await.expect_err("throttled");
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(server.api_requests(), 1);
}
