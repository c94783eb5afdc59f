//! Every kind of bad token-endpoint answer becomes a typed error, never a panic, and the
//! error never carries the body (which may hold a token).

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use toss_shopping::{AuthError, Client};
use wiremock::ResponseTemplate;

use crate::support::*;

/// A token in a bad answer's body; no error may show it.
const LEAKED: &str = "SECRET-TOKEN-123";

/// Sends one API call whose token request gets `answer`, and returns the typed auth error.
async fn token_failure(answer: ResponseTemplate) -> Arc<AuthError> {
    let server = start().await;
    expect_token(&server, answer, 1).await;
    let result = client(&server).get_penalty_summary().await;
    if let Err(error) = &result {
        assert_hides(error, &[LEAKED, SECRET_KEY]);
    }
    let error = auth_error(result);
    assert_hides(&*error, &[LEAKED, SECRET_KEY]);
    error
}

fn malformed(error: &AuthError) -> &str {
    match error {
        AuthError::MalformedResponse { detail } => detail,
        other => panic!("expected MalformedResponse, got {other:?}"),
    }
}

fn leaky_body() -> String {
    json!({"access_token": LEAKED, "token_type": "Bearer", "expires_in": 3599}).to_string()
}

#[tokio::test]
async fn text_plain_is_malformed() {
    let error =
        token_failure(ResponseTemplate::new(200).set_body_raw(leaky_body(), "text/plain")).await;
    malformed(&error);
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn json_content_type_with_a_garbage_body_is_malformed() {
    let body = format!("<html>{LEAKED}</html>");
    let error =
        token_failure(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    malformed(&error);
}

#[tokio::test]
async fn truncated_json_is_malformed() {
    let body = format!("{{\"access_token\":\"{LEAKED}");
    let error =
        token_failure(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    malformed(&error);
}

#[tokio::test]
async fn missing_access_token_is_malformed() {
    let body = json!({"token_type": "Bearer", "scope": SCOPE, "expires_in": 3599});
    let error = token_failure(ResponseTemplate::new(200).set_body_json(body)).await;
    assert!(malformed(&error).contains("access_token"), "{error}");
}

#[tokio::test]
async fn empty_access_token_is_malformed() {
    let body = json!({"access_token": "", "token_type": "Bearer", "expires_in": 3599});
    let error = token_failure(ResponseTemplate::new(200).set_body_json(body)).await;
    malformed(&error);
}

#[tokio::test]
async fn expires_in_as_a_string_is_malformed_and_hides_the_token() {
    let body = json!({"access_token": LEAKED, "token_type": "Bearer", "expires_in": "3600"});
    let error = token_failure(ResponseTemplate::new(200).set_body_json(body)).await;
    assert!(malformed(&error).contains("expires_in"), "{error}");
}

/// A non-string `access_token` is malformed. (serde quotes the number in backticks, which the
/// masking leaves alone, so the detail shows it; a number is no usable token, so only the
/// mapping is checked here.)
#[tokio::test]
async fn a_numeric_access_token_is_malformed() {
    let body = r#"{"access_token": 9876543210123, "token_type": "Bearer", "expires_in": 3599}"#;
    let error =
        token_failure(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    assert!(malformed(&error).contains("access_token"), "{error}");
}

/// serde quotes a mistyped string value in its message; the detail masks it.
#[tokio::test]
async fn a_mistyped_value_is_masked_in_the_detail() {
    let body = json!({"access_token": "tok-1", "token_type": "Bearer", "expires_in": LEAKED});
    let error = token_failure(ResponseTemplate::new(200).set_body_json(body)).await;
    let detail = malformed(&error);
    assert!(detail.contains("expires_in"), "{detail}");
}

#[tokio::test]
async fn an_empty_body_is_malformed() {
    malformed(&*token_failure(ResponseTemplate::new(200)).await);
    malformed(
        &*token_failure(ResponseTemplate::new(200).set_body_raw("", "application/json")).await,
    );
}

#[tokio::test]
async fn status_500_is_a_server_error() {
    let answer = ResponseTemplate::new(500).set_body_raw(leaky_body(), "application/json");
    let error = token_failure(answer).await;
    assert!(
        matches!(
            *error,
            AuthError::Server {
                status: 500,
                retry_after: None
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn status_429_with_retry_after_is_throttled() {
    let answer = ResponseTemplate::new(429)
        .insert_header("Retry-After", "7")
        .set_body_raw(leaky_body(), "application/json");
    let error = token_failure(answer).await;
    assert!(
        matches!(
            *error,
            AuthError::Throttled {
                retry_after: Some(after)
            } if after == Duration::from_secs(7)
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn status_403_is_forbidden() {
    let answer = ResponseTemplate::new(403)
        .set_body_json(json!({"error": "access_denied", "token": LEAKED}));
    let error = token_failure(answer).await;
    let AuthError::Forbidden { status, code } = &*error else {
        panic!("expected Forbidden, got {error:?}")
    };
    assert_eq!((*status, code.as_deref()), (403, Some("access_denied")));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn another_4xx_is_rejected_with_its_code() {
    let answer = ResponseTemplate::new(400).set_body_json(
        json!({"error": "invalid_scope", "error_description": format!("no scope for {LEAKED}")}),
    );
    let error = token_failure(answer).await;
    let AuthError::Rejected { status, code } = &*error else {
        panic!("expected Rejected, got {error:?}")
    };
    assert_eq!((*status, code.as_deref()), (400, Some("invalid_scope")));
}

#[tokio::test]
async fn an_error_code_that_is_not_a_plain_identifier_is_dropped() {
    let answer =
        ResponseTemplate::new(400).set_body_json(json!({"error": format!("bad {LEAKED} here")}));
    let error = token_failure(answer).await;
    assert!(
        matches!(
            &*error,
            AuthError::Rejected {
                status: 400,
                code: None
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_token_endpoint_that_hangs_up_is_a_transport_error() {
    let server = start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .token_url(format!("{}/token", hang_up_endpoint()))
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build()
        .expect("client builds");
    let result = client.get_penalty_summary().await;
    let error = auth_error(result);
    assert!(matches!(*error, AuthError::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_hides(&*error, &[SECRET_KEY]);
}
