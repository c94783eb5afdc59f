//! Refresh ahead of expiry on a manual clock, and keeping the old token when a refresh fails.

use std::time::Duration;

use toss_shopping::AuthError;
use toss_shopping::auth::RefreshPolicy;
use wiremock::ResponseTemplate;

use crate::support::*;

/// Hard expiry: a token is never handed out in its last 30 seconds.
const HARD_MARGIN: Duration = Duration::from_secs(30);

/// The refresh window of a token living `lifetime`, as offsets from its issue:
/// `(earliest refresh, latest refresh, hard expiry)`.
fn window(lifetime: Duration) -> (Duration, Duration, Duration) {
    let policy = RefreshPolicy::default();
    let ahead = policy.refresh_ahead(lifetime);
    let max_jitter = ahead / policy.jitter_divisor;
    let earliest = lifetime - ahead - max_jitter;
    let latest = lifetime - ahead;
    let hard = lifetime - HARD_MARGIN;
    assert!(earliest < latest && latest + Duration::from_secs(1) < hard);
    (earliest, latest, hard)
}

#[test]
fn refresh_policy_math_matches_the_design() {
    let policy = RefreshPolicy::default();
    let secs = Duration::from_secs;
    // clamp(L / 10, 60 s, 24 h), jitter up to a quarter of that.
    assert_eq!(
        policy.refresh_ahead(secs(3599)),
        Duration::from_millis(359_900)
    );
    assert_eq!(policy.refresh_ahead(secs(3600)), secs(360));
    assert_eq!(policy.refresh_ahead(secs(31_535_999)), secs(24 * 3600));
    assert_eq!(policy.refresh_ahead(secs(300)), secs(60));
    assert_eq!(policy.jitter_divisor, 4);
    assert_eq!(policy.default_lifetime, secs(3600));
    assert_eq!(
        window(secs(3599)),
        (
            Duration::from_millis(3_149_125),
            Duration::from_millis(3_239_100),
            secs(3569)
        )
    );
    assert_eq!(
        window(secs(31_535_999)),
        (secs(31_427_999), secs(31_449_599), secs(31_535_969))
    );
}

/// The token endpoint answers `tok-1` then `tok-2` (each once, in that order).
async fn two_tokens(server: &wiremock::MockServer, expires_in: Option<u64>) {
    token_once(server, token_answer("tok-1", expires_in), 1, "first token").await;
    token_once(server, token_answer("tok-2", expires_in), 2, "second token").await;
}

async fn refreshes_once_in_the_window(expires_in: Option<u64>, lifetime: Duration) {
    let (earliest, latest, _) = window(lifetime);
    let server = start().await;
    two_tokens(&server, expires_in).await;
    expect_api(&server, "tok-1", penalty_ok(), 2).await;
    expect_api(&server, "tok-2", penalty_ok(), 2).await;
    let (client, _provider, clock) = clocked(&server);

    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 1);

    // Just before the earliest possible refresh point: the cached token, no request.
    let before = earliest - Duration::from_secs(1);
    clock.advance(before);
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 1, "refreshed too early");

    // Past the latest refresh point, still before expiry: exactly one refresh, used at once.
    clock.advance(latest + Duration::from_secs(1) - before);
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(
        token_requests(&server).await,
        2,
        "not refreshed in the window"
    );

    // The new token is cached.
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_one_hour_token_is_refreshed_ahead_of_expiry() {
    refreshes_once_in_the_window(Some(3599), Duration::from_secs(3599)).await;
}

#[tokio::test]
async fn a_one_year_token_is_refreshed_a_day_ahead() {
    refreshes_once_in_the_window(Some(31_535_999), Duration::from_secs(31_535_999)).await;
}

#[tokio::test]
async fn a_token_without_expires_in_is_assumed_to_live_an_hour() {
    refreshes_once_in_the_window(None, Duration::from_secs(3600)).await;
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_old_token_until_hard_expiry() {
    let (_, latest, hard) = window(Duration::from_secs(3599));
    let server = start().await;
    token_once(&server, token_answer("tok-1", Some(3599)), 1, "first token").await;
    token_mock()
        .respond_with(ResponseTemplate::new(500))
        .with_priority(2)
        .expect(3)
        .named("POST /token failing")
        .mount(&server)
        .await;
    expect_api(&server, "tok-1", penalty_ok(), 4).await;
    let (client, _provider, clock) = clocked(&server);

    assert_penalty(client.get_penalty_summary().await);

    // In the refresh window the endpoint fails: the call still succeeds with tok-1.
    clock.advance(latest + Duration::from_secs(1));
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 2);

    // During the back-off nobody asks again; tok-1 stays in use.
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(
        token_requests(&server).await,
        2,
        "asked during the back-off"
    );

    // After the back-off, still in the window: one more attempt, still tok-1.
    clock.advance(Duration::from_secs(5));
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 3);

    // Past the hard expiry (and the back-off) with the endpoint still failing: no token.
    clock.advance(hard - (latest + Duration::from_secs(6)) + Duration::from_secs(1));
    let error = auth_error(client.get_penalty_summary().await);
    assert!(
        matches!(*error, AuthError::Server { status: 500, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(token_requests(&server).await, 4);
}
