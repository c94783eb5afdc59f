//! HTTP 401 from the API: drop exactly the rejected token, refresh once, replay once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use toss_shopping::auth::BoxFuture;
use toss_shopping::{
    AuthError, BearerToken, CallExt, Client, Credentials, Error, TokenProvider, TokenSource,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::*;

#[tokio::test]
async fn a_401_refreshes_once_and_replays_once() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1", "tok-2"]).await;
    expect_api(&server, "tok-1", ResponseTemplate::new(401), 1).await;
    expect_api(&server, "tok-2", penalty_ok(), 2).await;

    let client = client(&server);
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 2);
    assert_eq!(api_requests(&server).await, 2);

    // The replacement is cached: no further token request.
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_401_for_every_token_is_unauthorized_without_a_loop() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1", "tok-2", "tok-3"]).await;
    Mock::given(method("GET"))
        .and(path(PENALTY))
        .respond_with(ResponseTemplate::new(401))
        .expect(5)
        .named("GET penalty summary, always 401")
        .mount(&server)
        .await;
    let (client, _provider, clock) = clocked(&server);

    let error = client.get_penalty_summary().await.expect_err("401");
    assert!(
        matches!(
            error,
            Error::Unauthorized {
                refresh_error: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_auth() && !error.is_retryable());
    assert_eq!(api_requests(&server).await, 2, "one request and one replay");
    assert_eq!(token_requests(&server).await, 2, "one refresh");

    // Rejected again right away: no second forced refresh within 30 s, no replay.
    let error = client.get_penalty_summary().await.expect_err("401");
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(api_requests(&server).await, 3);
    assert_eq!(token_requests(&server).await, 2);

    // Later, a 401 may force one refresh again.
    clock.advance(Duration::from_secs(31));
    let error = client.get_penalty_summary().await.expect_err("401");
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(api_requests(&server).await, 5);
    assert_eq!(token_requests(&server).await, 3);
}

#[tokio::test]
async fn a_401_whose_refresh_fails_reports_both() {
    let server = start().await;
    token_once(&server, token_answer("tok-1", Some(3599)), 1, "first token").await;
    token_once(&server, ResponseTemplate::new(503), 2, "refresh fails").await;
    expect_api(&server, "tok-1", ResponseTemplate::new(401), 1).await;

    let error = client(&server)
        .get_penalty_summary()
        .await
        .expect_err("401");
    match &error {
        Error::Unauthorized {
            refresh_error: Some(refresh),
            ..
        } => assert!(
            matches!(**refresh, AuthError::Server { status: 503, .. }),
            "{refresh:?}"
        ),
        other => panic!("expected Unauthorized with a refresh error, got {other:?}"),
    }
    assert_eq!(
        api_requests(&server).await,
        1,
        "no replay without a fresh token"
    );
}

/// A late 401 for a token that was already replaced drops nothing.
#[tokio::test]
async fn only_the_rejected_token_is_dropped() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1", "tok-2", "tok-3"]).await;
    let (_client, provider, clock) = clocked(&server);
    let source = provider.source(Credentials::new(ACCESS_KEY, SECRET_KEY));

    let first = source.token().await.expect("a token");
    assert_eq!(first.secret(), "tok-1");
    source.invalidate(&first);
    let second = source.token().await.expect("a fresh token");
    assert_eq!(second.secret(), "tok-2");

    // Long after (no forced-refresh limit in the way), a straggler reports tok-1 again.
    clock.advance(Duration::from_secs(120));
    source.invalidate(&first);
    source.invalidate(&BearerToken::new("never-issued"));
    assert_eq!(source.token().await.expect("a token"), second);
    assert_eq!(token_requests(&server).await, 2);

    // The stragglers did not use up the forced-refresh allowance: a real 401 for tok-2 now
    // refreshes.
    source.invalidate(&second);
    let third = source.token().await.expect("a fresh token");
    assert_eq!(third.secret(), "tok-3");
    assert_eq!(token_requests(&server).await, 3);
}

const BURST: usize = 20;

/// Delegates to the provider's source, but holds the first `BURST` token calls until all of
/// them have their token, so every call of the burst sends the same first token.
#[derive(Debug)]
struct LinedUp {
    inner: Arc<dyn TokenSource>,
    first_calls: AtomicUsize,
    line: tokio::sync::Barrier,
}

impl TokenSource for LinedUp {
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>> {
        Box::pin(async move {
            let token = self.inner.token().await;
            // Wait even on failure, so that a broken cache fails the test instead of hanging it.
            if self.first_calls.fetch_add(1, Ordering::SeqCst) < BURST {
                self.line.wait().await;
            }
            token
        })
    }

    fn invalidate(&self, rejected: &BearerToken) {
        self.inner.invalidate(rejected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_401s_refreshes_once() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1", "tok-2"]).await;
    expect_api(&server, "tok-1", ResponseTemplate::new(401), BURST as u64).await;
    expect_api(&server, "tok-2", penalty_ok(), BURST as u64).await;

    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .build()
        .expect("provider builds");
    let tokens = LinedUp {
        inner: provider.source(Credentials::new(ACCESS_KEY, SECRET_KEY)),
        first_calls: AtomicUsize::new(0),
        line: tokio::sync::Barrier::new(BURST),
    };
    let client = Arc::new(
        Client::builder()
            .base_url(server.uri())
            .token_source(tokens)
            .build()
            .expect("client builds"),
    );
    let tasks: Vec<_> = (0..BURST)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_penalty_summary().await })
        })
        .collect();
    for task in tasks {
        assert_penalty(task.await.expect("the task does not panic"));
    }
    assert_eq!(
        token_requests(&server).await,
        2,
        "one refresh for the burst"
    );
    assert_eq!(api_requests(&server).await, 2 * BURST);
}

#[tokio::test]
async fn the_replay_is_part_of_the_attempt_with_retries_off() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1", "tok-2"]).await;
    expect_api(&server, "tok-1", ResponseTemplate::new(401), 1).await;
    expect_api(&server, "tok-2", penalty_ok(), 1).await;

    let client = client(&server);
    let reported = client
        .get_penalty_summary()
        .retry(toss_shopping::RetryPolicy::none())
        .reported()
        .await;
    assert_penalty(reported.result);
    assert_eq!(reported.attempts, 1, "the replay is not a retry");
    assert_eq!(api_requests(&server).await, 2, "one request and one replay");
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_bare_send_replays_a_401_once_too() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1", "tok-2"]).await;
    expect_api(&server, "tok-1", ResponseTemplate::new(401), 1).await;
    expect_api(&server, "tok-2", penalty_ok(), 1).await;

    let client = client(&server);
    let answer = client
        .get_penalty_summary()
        .send()
        .await
        .expect("the envelope-level send succeeds after the replay");
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(api_requests(&server).await, 2, "one request and one replay");
    assert_eq!(token_requests(&server).await, 2);
}
