//! Every kind of bad token-endpoint answer becomes a typed error, never a panic, and the
//! error never carries the body (which may hold a token). Answers that are only untidy (JSON
//! under another Content-Type, `expires_in` as a numeric string) still give a token.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use toss_shopping::auth::{ManualClock, MemoryTokenStore, StoreKey, TokenStore};
use toss_shopping::{AuthError, Client, Credentials, TokenProvider};
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

/// Sends one API call whose token request gets `answer`; the call must succeed with `tok-1`.
async fn token_success(answer: ResponseTemplate) {
    let server = start().await;
    expect_token(&server, answer, 1).await;
    expect_api(&server, "tok-1", penalty_ok(), 1).await;
    assert_penalty(client(&server).get_penalty_summary().await);
}

fn answer_with(expires_in: Value) -> String {
    json!({"access_token": "tok-1", "token_type": "Bearer", "expires_in": expires_in}).to_string()
}

#[tokio::test]
async fn json_under_another_content_type_gives_a_token() {
    for content_type in [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/octet-stream",
        "text/html",
    ] {
        let body = answer_with(json!(3599));
        token_success(ResponseTemplate::new(200).set_body_raw(body, content_type)).await;
    }
    // No Content-Type at all, and a string expires_in under text/plain.
    token_success(ResponseTemplate::new(200).set_body_bytes(answer_with(json!(3599)))).await;
    let body = answer_with(json!("3599"));
    token_success(ResponseTemplate::new(200).set_body_raw(body, "text/plain")).await;
}

/// The lifetime the provider believed for an answer with this `expires_in`, read back from the
/// store: `expires_at - issued_at`.
async fn believed_lifetime(expires_in: Value) -> Duration {
    let server = start().await;
    let answer =
        ResponseTemplate::new(200).set_body_raw(answer_with(expires_in), "application/json");
    expect_token(&server, answer, 1).await;
    let clock = Arc::new(ManualClock::new());
    let store = Arc::new(MemoryTokenStore::with_clock(clock.clone()));
    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .clock(clock)
        .shared_store(store.clone())
        .build()
        .expect("provider builds");
    let source = provider.source(Credentials::new(ACCESS_KEY, SECRET_KEY));
    assert_eq!(source.token().await.expect("a token").secret(), "tok-1");
    let key = StoreKey::new(&token_url(&server), ACCESS_KEY, SCOPE);
    let stored = store
        .load(&key)
        .await
        .expect("load")
        .expect("the token was stored");
    stored
        .expires_at
        .duration_since(stored.issued_at)
        .expect("expires after it is issued")
}

#[tokio::test]
async fn expires_in_as_a_numeric_string_is_read_as_seconds() {
    let sent = Duration::from_secs(3599);
    assert_eq!(
        believed_lifetime(json!(3599)).await,
        sent,
        "the number itself"
    );
    for text in ["3599", " 3599 ", "3599\n"] {
        // Not the 3600 s assumed when expires_in is missing: the string was read.
        assert_eq!(believed_lifetime(json!(text)).await, sent, "{text:?}");
    }
}

#[tokio::test]
async fn text_plain_without_an_access_token_is_malformed() {
    let body = json!({"token_type": "Bearer", "expires_in": "3599", "id_token": LEAKED});
    let error =
        token_failure(ResponseTemplate::new(200).set_body_raw(body.to_string(), "text/plain"))
            .await;
    assert!(malformed(&error).contains("access_token"), "{error}");
    assert!(!error.is_retryable());

    let body = json!({"access_token": "", "token_type": "Bearer", "expires_in": 3599});
    let error =
        token_failure(ResponseTemplate::new(200).set_body_raw(body.to_string(), "text/plain"))
            .await;
    malformed(&error);
}

#[tokio::test]
async fn an_answer_that_is_not_a_json_object_is_malformed_whatever_its_content_type() {
    let form = format!("access_token={LEAKED}&token_type=Bearer&expires_in=3599");
    for (body, content_type) in [
        (form.clone(), "text/plain"),
        (form, "application/x-www-form-urlencoded"),
        (format!("[\"{LEAKED}\"]"), "application/json"),
        (format!("\"{LEAKED}\""), "text/plain"),
    ] {
        let error =
            token_failure(ResponseTemplate::new(200).set_body_raw(body, content_type)).await;
        assert!(malformed(&error).contains("not a JSON object"), "{error}");
    }
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
async fn expires_in_as_a_non_numeric_string_or_negative_is_malformed_and_hides_the_token() {
    for expires_in in [
        json!("soon"),
        json!("3599s"),
        json!("-1"),
        json!("+3599"),
        json!("3599.5"),
        json!(""),
        json!(-1),
    ] {
        let body =
            json!({"access_token": LEAKED, "token_type": "Bearer", "expires_in": expires_in});
        for content_type in ["application/json", "text/plain"] {
            let answer = ResponseTemplate::new(200).set_body_raw(body.to_string(), content_type);
            let error = token_failure(answer).await;
            assert!(
                malformed(&error).contains("expires_in"),
                "{expires_in} as {content_type}: {error}"
            );
        }
    }
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
