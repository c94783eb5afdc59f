//! Tokens on the local server: they expire on the server's clock, an expired or revoked one
//! gets HTTP 401, and the SDK fetches a new one and replays the call once.

use std::sync::Arc;
use std::time::Duration;

use toss_shopping::auth::ManualClock;
use toss_shopping::local::LocalServer;
use toss_shopping::{Credentials, Error, RateLimits, RetryPolicy};

use crate::support::start_on;

#[tokio::test]
async fn an_expired_token_gets_401_and_the_sdk_refreshes_and_replays_once() {
    // The server's clock runs ahead of the client's, so the client still trusts a token the
    // server has let expire: exactly the live case of a token that dies early.
    let (server_clock, client_clock) = (Arc::new(ManualClock::new()), Arc::new(ManualClock::new()));
    let server = LocalServer::builder()
        .clock(server_clock.clone())
        .token_lifetime(Duration::from_secs(120))
        .start()
        .await
        .expect("server");
    let client = server
        .client_builder()
        .clock(client_clock)
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .expect("client");

    client.get_penalty_summary().await.expect("the first call");
    server_clock.advance(Duration::from_secs(121));
    client
        .get_penalty_summary()
        .await
        .expect("the replayed call");

    assert_eq!(server.tokens_issued(), 2, "one token per lifetime");
    assert_eq!(server.api_requests(), 3, "the 401, then the replay");
}

#[tokio::test]
async fn on_one_clock_the_sdk_refreshes_before_expiry_and_never_sees_a_401() {
    let clock = Arc::new(ManualClock::new());
    let (server, client) = start_on(
        &clock,
        LocalServer::builder().token_lifetime(Duration::from_secs(600)),
    )
    .await;
    client.get_penalty_summary().await.expect("first");
    clock.advance(Duration::from_secs(599));
    client.get_penalty_summary().await.expect("second");
    assert_eq!(server.tokens_issued(), 2);
    assert_eq!(server.api_requests(), 2, "no 401 in between");
}

#[tokio::test]
async fn revoked_tokens_are_replaced_after_one_401() {
    let (server, client) = crate::support::start(LocalServer::builder()).await;
    client.get_penalty_summary().await.expect("first");
    server.revoke_tokens();
    client
        .get_penalty_summary()
        .await
        .expect("after the revocation");
    assert_eq!(server.tokens_issued(), 2);
}

#[tokio::test]
async fn a_second_401_after_the_refresh_is_unauthorized() {
    // Tokens that die at once: the replay's fresh token is rejected too.
    let clock = Arc::new(ManualClock::new());
    let (server, client) = start_on(
        &clock,
        LocalServer::builder().token_lifetime(Duration::ZERO),
    )
    .await;
    let error = client
        .get_penalty_summary()
        .await
        .expect_err("never accepted");
    assert!(matches!(error, Error::Unauthorized { .. }), "{error:?}");
    assert_eq!(server.api_requests(), 2, "one call and one replay, no more");
}

#[tokio::test]
async fn wrong_keys_are_refused_at_the_token_endpoint_and_nothing_reaches_the_api() {
    let server = LocalServer::start().await.expect("server");
    let client = server
        .client_builder_for(&Credentials::new("local-demo-access-key", "wrong-secret"))
        .retry(RetryPolicy::none())
        .build()
        .expect("client");
    let error = client.get_penalty_summary().await.expect_err("refused");
    assert!(error.is_auth(), "{error:?}");
    assert!(!format!("{error:?} {error}").contains("wrong-secret"));
    assert_eq!(server.api_requests(), 0);
    assert_eq!(server.tokens_issued(), 0);
}

#[tokio::test]
async fn camel_case_form_keys_are_an_invalid_client_as_live() {
    let server = LocalServer::start().await.expect("server");
    let answer = reqwest::Client::new()
        .post(server.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&clientId=local-demo-access-key&clientSecret=local-demo-secret-key")
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 401);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn a_token_without_the_bearer_prefix_gets_401() {
    let server = LocalServer::start().await.expect("server");
    let token = crate::support::raw_token(&server).await;
    let answer = reqwest::Client::new()
        .get(format!(
            "{}/api/v3/shopping-fep/merchants/penalty/summary",
            server.base_url()
        ))
        .header("authorization", token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 401);
}
