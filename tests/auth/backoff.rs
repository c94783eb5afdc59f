//! After a failed token request nobody asks again until a cool-down has passed.

use std::time::Duration;

use serde_json::json;
use toss_shopping::AuthError;
use toss_shopping::auth::RefreshPolicy;
use wiremock::ResponseTemplate;

use crate::support::*;

fn cooling_down(error: &AuthError) -> (Duration, &AuthError) {
    match error {
        AuthError::CoolingDown { remaining, last } => (*remaining, last),
        other => panic!("expected CoolingDown, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_error_backs_off_exponentially_without_asking_again() {
    let server = start().await;
    expect_token(&server, ResponseTemplate::new(500), 2).await;
    let (client, _provider, clock) = clocked(&server);
    let policy = RefreshPolicy::default();

    let first = auth_error(client.get_penalty_summary().await);
    assert!(
        matches!(
            *first,
            AuthError::Server {
                status: 500,
                retry_after: None
            }
        ),
        "{first:?}"
    );

    // At once again: the cached failure, no second request.
    let second = auth_error(client.get_penalty_summary().await);
    let (remaining, last) = cooling_down(&second);
    assert_eq!(remaining, policy.initial_backoff);
    assert!(matches!(last, AuthError::Server { status: 500, .. }));
    assert!(second.is_retryable());
    assert_eq!(second.retry_after(), Some(policy.initial_backoff));
    assert_eq!(
        token_requests(&server).await,
        1,
        "asked during the cool-down"
    );

    // After the back-off: asked again, and the next cool-down is twice as long.
    clock.advance(policy.initial_backoff + Duration::from_millis(1));
    let third = auth_error(client.get_penalty_summary().await);
    assert!(matches!(*third, AuthError::Server { status: 500, .. }));
    assert_eq!(token_requests(&server).await, 2);
    let fourth = auth_error(client.get_penalty_summary().await);
    assert_eq!(cooling_down(&fourth).0, policy.initial_backoff * 2);
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_throttled_token_request_waits_for_retry_after() {
    let server = start().await;
    token_once(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "120"),
        1,
        "POST /token throttled",
    )
    .await;
    token_once(&server, token_answer("tok-1", Some(3599)), 2, "POST /token").await;
    expect_api(&server, "tok-1", penalty_ok(), 1).await;
    let (client, _provider, clock) = clocked(&server);

    let first = auth_error(client.get_penalty_summary().await);
    assert!(
        matches!(
            *first,
            AuthError::Throttled {
                retry_after: Some(after)
            } if after == Duration::from_secs(120)
        ),
        "{first:?}"
    );

    // Well past the exponential back-off, but not past Retry-After: still cooling down.
    clock.advance(Duration::from_secs(60));
    let waiting = auth_error(client.get_penalty_summary().await);
    let (remaining, last) = cooling_down(&waiting);
    assert!(remaining >= Duration::from_secs(60), "{remaining:?}");
    assert!(matches!(last, AuthError::Throttled { .. }));
    assert_eq!(token_requests(&server).await, 1, "asked before Retry-After");

    clock.advance(Duration::from_secs(61));
    assert_penalty(client.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 2);
}

/// Wrong keys (or a refused caller) fail at once, then wait out the long credential back-off.
async fn bad_keys_are_not_retried_in_a_loop(
    answer: ResponseTemplate,
    check: fn(&AuthError) -> bool,
) {
    let server = start().await;
    expect_token(&server, answer, 2).await;
    let (client, _provider, clock) = clocked(&server);
    let long = RefreshPolicy::default().credential_backoff;
    assert_eq!(long, Duration::from_secs(300));

    let result = client.get_penalty_summary().await;
    let error = result.as_ref().expect_err("bad keys fail");
    assert!(error.is_auth() && !error.is_retryable(), "{error:?}");
    let first = auth_error(result);
    assert!(check(&first), "{first:?}");
    assert!(!first.is_retryable());
    assert_eq!(token_requests(&server).await, 1);

    let second = auth_error(client.get_penalty_summary().await);
    let (remaining, last) = cooling_down(&second);
    assert_eq!(remaining, long);
    assert!(check(last), "{last:?}");
    assert!(!second.is_retryable());

    clock.advance(long - Duration::from_secs(1));
    let still = auth_error(client.get_penalty_summary().await);
    assert_eq!(cooling_down(&still).0, Duration::from_secs(1));
    assert_eq!(
        token_requests(&server).await,
        1,
        "asked during the long back-off"
    );

    clock.advance(Duration::from_secs(2));
    let again = auth_error(client.get_penalty_summary().await);
    assert!(check(&again), "{again:?}");
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn invalid_client_400_is_invalid_credentials_with_a_long_back_off() {
    bad_keys_are_not_retried_in_a_loop(
        ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_client", "error_description": "client authentication failed"}),
        ),
        |error| {
            let code = match error {
                AuthError::InvalidCredentials { status: 400, code } => code.as_deref(),
                _ => return false,
            };
            code == Some("invalid_client")
        },
    )
    .await;
}

#[tokio::test]
async fn status_401_from_the_token_endpoint_is_invalid_credentials() {
    bad_keys_are_not_retried_in_a_loop(ResponseTemplate::new(401), |error| {
        matches!(error, AuthError::InvalidCredentials { status: 401, .. })
    })
    .await;
}

#[tokio::test]
async fn status_403_from_the_token_endpoint_is_forbidden_with_a_long_back_off() {
    bad_keys_are_not_retried_in_a_loop(ResponseTemplate::new(403), |error| {
        matches!(error, AuthError::Forbidden { status: 403, .. })
    })
    .await;
}
