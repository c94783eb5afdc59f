//! What goes over the wire to the token endpoint, and what the API call then carries.

use std::collections::HashMap;

use crate::support::*;

/// Issues one token with `secret`, then checks the token request and the API call.
async fn check_wire_format(secret: &str) {
    let server = start().await;
    expect_token(&server, token_answer("tok-1", Some(3599)), 1).await;
    expect_api(&server, "tok-1", penalty_ok(), 1).await;

    let client = client_with_secret(&server, secret);
    assert_penalty(client.get_penalty_summary().await);

    let token_requests = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(token_requests.len(), 1, "exactly one token request");
    let request = &token_requests[0];
    assert_eq!(request.method.as_str(), "POST");
    let content_type = request
        .headers
        .get("content-type")
        .expect("a Content-Type header")
        .to_str()
        .expect("ASCII");
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    assert!(
        request.headers.get("authorization").is_none(),
        "credentials go in the form body, never in an Authorization header"
    );
    let expected: HashMap<String, String> = [
        ("grant_type", "client_credentials"),
        ("scope", SCOPE),
        ("client_id", ACCESS_KEY),
        ("client_secret", secret),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(form_fields(request), expected);
    assert!(
        request.url.query().is_none(),
        "nothing about the credentials in the query string"
    );

    let api_requests = requests_to(&server, PENALTY).await;
    assert_eq!(api_requests.len(), 1);
    assert_eq!(
        api_requests[0]
            .headers
            .get("authorization")
            .map(|value| value.to_str().expect("ASCII")),
        Some("Bearer tok-1")
    );
}

#[tokio::test]
async fn token_request_is_a_form_post_with_snake_case_credentials_and_scope() {
    check_wire_format(SECRET_KEY).await;
}

#[tokio::test]
async fn a_secret_with_form_metacharacters_round_trips() {
    check_wire_format("test-secret-key-XYZ&grant_type=password=+%20 /?#").await;
}

#[tokio::test]
async fn a_cached_token_serves_many_calls_with_one_token_request() {
    let server = start().await;
    expect_token(&server, token_answer("tok-1", Some(3599)), 1).await;
    expect_api(&server, "tok-1", penalty_ok(), 3).await;

    let client = client(&server);
    assert_penalty(client.get_penalty_summary().await);
    assert_penalty(client.get_penalty_summary().await);
    // A clone shares the token cache.
    assert_penalty(client.clone().get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 1);
}
